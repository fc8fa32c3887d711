//! One input to its records: a single document, or the records of a WARC or JSONL container.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use retrace_span::{Origin, RecordAt};

use crate::decode::Hints;
use crate::raw::{break_or_io, document};
use crate::stream::{self, MemberLog, Members, Peeked};
use crate::{
    Error, ErrorKind, Input, Options, RawDoc, RecordMeta, Warning, arc, detect, gzip, jsonl, warc,
};

/// The records of one input, read one at a time: a 10 GB WARC never sits in memory.
///
/// Each item is a document or the reason one could not be read. Damage is passed over and
/// reported as an item of its own, with its offset: bytes of a WARC or ARC file that start no
/// record ([`ErrorKind::Unreadable`]), a gzip member that fails its check
/// ([`ErrorKind::CorruptGzip`]). A break in the stream (the file ends inside a gzip member or
/// a record) is the last item: the records before it have been yielded.
pub struct Records {
    kind: Kind,
    /// The gzip layer's log, for a gzip input: members dropped, members unchecked.
    members: Option<Members>,
    /// The input, for the origins of what the gzip layer reports.
    file: Option<Arc<Origin>>,
    warnings: Vec<Warning>,
    finished: bool,
}

enum Kind {
    One(Option<Box<Result<RawDoc, Error>>>),
    Warc(Box<warc::WarcRecords>),
    Arc(Box<arc::ArcRecords>),
    Jsonl(Box<jsonl::JsonlRecords>),
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            Kind::One(_) => "document",
            Kind::Warc(_) => "warc",
            Kind::Arc(_) => "arc",
            Kind::Jsonl(_) => "jsonl",
        };
        f.debug_struct("Records").field("kind", &kind).finish()
    }
}

impl Records {
    fn new(kind: Kind) -> Records {
        Records {
            kind,
            members: None,
            file: None,
            warnings: Vec::new(),
            finished: false,
        }
    }

    fn one(result: Result<RawDoc, Error>) -> Records {
        Records::new(Kind::One(Some(Box::new(result))))
    }

    fn with_members(mut self, file: Arc<Origin>, members: Option<Members>) -> Records {
        self.file = Some(file);
        self.members = members;
        self
    }

    /// WARC and ARC records passed over because they carry no page (`request`, `warcinfo`,
    /// `metadata`, `revisit`, crawler logs, an ARC file's `filedesc` …), by type, in order of
    /// first appearance. Empty for other inputs.
    pub fn ignored(&self) -> &[(String, u64)] {
        match &self.kind {
            Kind::Warc(records) => records.ignored(),
            Kind::Arc(records) => records.ignored(),
            _ => &[],
        }
    }

    /// Flaws of what was read so far that did not cost a record: a gzip member without its
    /// trailer (read whole but unchecked), a gzip HTTP body likewise, bytes after the last gzip
    /// member. Complete once the iterator has ended.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// What the gzip layer dropped since the last call, as an error; warnings collected.
    fn gzip_news(&mut self) -> Option<Error> {
        let members = self.members.as_ref()?;
        let file = self.file.as_ref()?;
        let mut log = MemberLog::lock(members);
        let at = |offset| Origin::Record {
            container: Arc::clone(file),
            at: RecordAt::Offset(offset),
        };
        while let Some((offset, message)) = log.warnings.pop_front() {
            self.warnings.push(Warning {
                origin: at(offset),
                message,
            });
        }
        let (offset, bytes, reason) = log.lost.pop_front()?;
        Some(Error::new(
            at(offset),
            ErrorKind::CorruptGzip { reason, bytes },
        ))
    }
}

impl Iterator for Records {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(error) = self.gzip_news() {
                return Some(Err(error));
            }
            if self.finished {
                return None;
            }
            let item = match &mut self.kind {
                Kind::One(item) => item.take().map(|item| *item),
                Kind::Warc(records) => {
                    let item = records.next();
                    self.warnings.extend(records.take_warnings());
                    item
                }
                Kind::Arc(records) => {
                    let item = records.next();
                    self.warnings.extend(records.take_warnings());
                    item
                }
                Kind::Jsonl(records) => records.next(),
            };
            match item {
                Some(item) => return Some(item),
                // The gzip layer may have more to say about the stream's end.
                None => self.finished = true,
            }
        }
    }
}

/// Opens an input and detects what it holds, by content first and by name second: gzip (undone,
/// then detected again), a WARC file, JSON lines, or one document (HTML or plain text).
pub fn open(input: &Input, options: &Options) -> Records {
    let origin = input.origin();
    match input {
        Input::Stdin => open_reader(origin, Box::new(io::stdin()), None, options),
        Input::Path(path) => {
            let metadata = match std::fs::metadata(path) {
                Ok(metadata) => metadata,
                Err(err) => return Records::one(Err(Error::io(origin, err))),
            };
            if metadata.is_dir() {
                return Records::one(Err(Error::new(origin, ErrorKind::Directory)));
            }
            let file = match std::fs::File::open(path) {
                Ok(file) => file,
                Err(err) => return Records::one(Err(Error::io(origin, err))),
            };
            let peeked = match stream::peek(Box::new(file)) {
                Ok(peeked) => peeked,
                Err(err) => return Records::one(Err(Error::io(origin, err))),
            };
            // Refuse an oversized plain document from its metadata, before reading it.
            let plain = !is_gzip(&peeked.head, Some(path));
            if plain
                && metadata.len() > options.max_bytes
                && matches!(container(&peeked.head, Some(path)), Container::Document)
            {
                let kind = ErrorKind::TooLarge {
                    bytes: metadata.len(),
                    limit: options.max_bytes,
                };
                return Records::one(Err(Error::new(origin, kind)));
            }
            records(origin, peeked, Some(path.to_path_buf()), options)
        }
    }
}

/// Opens any stream; `name` (a file name) helps detect the format by its extension.
pub fn open_reader(
    origin: Origin,
    reader: Box<dyn Read + Send>,
    name: Option<&Path>,
    options: &Options,
) -> Records {
    match stream::peek(reader) {
        Ok(peeked) => records(origin, peeked, name.map(Path::to_path_buf), options),
        Err(err) => Records::one(Err(Error::io(origin, err))),
    }
}

fn records(origin: Origin, peeked: Peeked, name: Option<PathBuf>, options: &Options) -> Records {
    let Peeked { head, reader } = peeked;
    if is_gzip(&head, name.as_deref()) {
        let name = name.map(|name| without_gz(&name));
        let (reader, members) = stream::gunzip(reader);
        let file = Arc::new(origin.clone());
        let records = match stream::peek(reader) {
            Ok(peeked) => records_of(origin, peeked, name, options, Some(&members)),
            Err(err) => Records::one(Err(break_or_io(origin, err, 0, true))),
        };
        return records.with_members(file, Some(members));
    }
    records_of(origin, Peeked { head, reader }, name, options, None)
}

fn records_of(
    origin: Origin,
    peeked: Peeked,
    name: Option<PathBuf>,
    options: &Options,
    members: Option<&Members>,
) -> Records {
    let compressed = members.is_some();
    let container = container(&peeked.head, name.as_deref());
    if let Some(members) = members
        && !matches!(container, Container::Warc | Container::Arc)
    {
        // Only WARC and ARC records are located by gzip member.
        let mut log = MemberLog::lock(members);
        log.wanted = false;
        log.starts.clear();
    }
    match container {
        Container::Warc => Records::new(Kind::Warc(Box::new(warc::WarcRecords::new(
            Arc::new(origin),
            peeked.reader,
            options.clone(),
            members.cloned(),
        )))),
        Container::Arc => Records::new(Kind::Arc(Box::new(arc::ArcRecords::new(
            Arc::new(origin),
            peeked.reader,
            options.clone(),
            members.cloned(),
        )))),
        Container::Jsonl => {
            // A file known to be JSON lines (it starts with an object) is judged line by line:
            // one NUL byte costs its line, not the file.
            let head = peeked.head.trim_ascii_start();
            let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
            let opens_object = head.trim_ascii_start().starts_with(b"{");
            // Or a damaged first line: another line of the head is a whole object.
            let holds_object = || {
                head.split(|&b| b == b'\n').skip(1).any(|line| {
                    let line = line.trim_ascii();
                    line.starts_with(b"{") && line.ends_with(b"}")
                })
            };
            if !opens_object
                && let Some(kind) = detect::binary(&peeked.head)
                && !holds_object()
            {
                return Records::one(Err(Error::new(origin, kind)));
            }
            Records::new(Kind::Jsonl(Box::new(jsonl::JsonlRecords::new(
                Arc::new(origin),
                peeked.reader,
                options.clone(),
                compressed,
            ))))
        }
        Container::Document => {
            let limit = options.max_bytes;
            let mut bytes = Vec::new();
            let result = peeked.reader.take(limit + 1).read_to_end(&mut bytes);
            Records::one(match result {
                Ok(_) => document(
                    origin,
                    bytes,
                    name.as_deref(),
                    limit,
                    Hints::default(),
                    RecordMeta::default(),
                ),
                Err(err) => Err(break_or_io(origin, err, bytes.len() as u64, compressed)),
            })
        }
    }
}

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Warc,
    Arc,
    Jsonl,
    Document,
}

fn container(head: &[u8], name: Option<&Path>) -> Container {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"WARC/") {
        return Container::Warc;
    }
    if head.starts_with(b"filedesc://") {
        return Container::Arc;
    }
    let extension = name
        .and_then(Path::extension)
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("warc") => Container::Warc,
        Some("arc") => Container::Arc,
        Some("jsonl" | "ndjson" | "jsonlines" | "json") => Container::Jsonl,
        Some("html" | "htm" | "xhtml" | "shtml" | "txt" | "text") => Container::Document,
        _ if head.starts_with(b"{") => Container::Jsonl,
        _ => Container::Document,
    }
}

/// True when a stream is gzip: it starts like a gzip member, or it is named as gzip and a
/// member starts in its head (the first member's start is damaged: the bytes before the next
/// member are then reported as lost, and the members after them read).
fn is_gzip(head: &[u8], name: Option<&Path>) -> bool {
    stream::is_gzip(head)
        || (name.is_some_and(|name| without_gz(name) != name)
            && head.windows(gzip::MAGIC.len()).any(|w| w == gzip::MAGIC))
}

/// `a/b.warc.gz` → `a/b.warc`.
fn without_gz(name: &Path) -> PathBuf {
    let gz = name
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz") || ext.eq_ignore_ascii_case("tgz"));
    if gz {
        name.with_extension("")
    } else {
        name.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_content_and_by_name() {
        assert_eq!(container(b"WARC/1.1\r\n", None), Container::Warc);
        assert_eq!(container(b"\n{\"text\": 1}", None), Container::Jsonl);
        assert_eq!(
            container(b"{x}", Some(Path::new("a.txt"))),
            Container::Document
        );
        assert_eq!(
            container(b"", Some(Path::new("a.NDJSON"))),
            Container::Jsonl
        );
        assert_eq!(container(b"<html>", None), Container::Document);
        assert_eq!(without_gz(Path::new("a/b.warc.gz")), Path::new("a/b.warc"));
    }
}
