//! One input to its records: a single document, or the records of a WARC or JSONL container.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use retrace_span::Origin;

use crate::decode::{self, Hints};
use crate::stream::{self, Members, Peeked};
use crate::{Error, ErrorKind, Format, Input, Options, RawDoc, RecordMeta, detect, jsonl, warc};

/// The records of one input, read one at a time: a 10 GB WARC never sits in memory.
///
/// Each item is a document or the reason one could not be read. A break in the stream (a
/// truncated gzip member, a WARC record cut short) is the last item: the records before it have
/// been yielded.
pub struct Records {
    kind: Kind,
}

enum Kind {
    One(Option<Box<Result<RawDoc, Error>>>),
    Warc(Box<warc::WarcRecords>),
    Jsonl(Box<jsonl::JsonlRecords>),
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            Kind::One(_) => "document",
            Kind::Warc(_) => "warc",
            Kind::Jsonl(_) => "jsonl",
        };
        f.debug_struct("Records").field("kind", &kind).finish()
    }
}

impl Records {
    fn one(result: Result<RawDoc, Error>) -> Records {
        Records {
            kind: Kind::One(Some(Box::new(result))),
        }
    }

    /// WARC records passed over because they carry no page (`request`, `warcinfo`, `metadata`,
    /// `revisit` …), by type, in order of first appearance. Empty for other inputs.
    pub fn ignored(&self) -> &[(String, u64)] {
        match &self.kind {
            Kind::Warc(records) => records.ignored(),
            _ => &[],
        }
    }
}

impl Iterator for Records {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.kind {
            Kind::One(item) => item.take().map(|item| *item),
            Kind::Warc(records) => records.next(),
            Kind::Jsonl(records) => records.next(),
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
            let plain = !stream::is_gzip(&peeked.head);
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
    if stream::is_gzip(&head) {
        let name = name.map(|name| without_gz(&name));
        let (reader, members) = stream::gunzip(reader);
        return match stream::peek(reader) {
            Ok(peeked) => records_of(origin, peeked, name, options, Some(members)),
            Err(err) => Records::one(Err(break_or_io(origin, err, 0, true))),
        };
    }
    records_of(origin, Peeked { head, reader }, name, options, None)
}

fn records_of(
    origin: Origin,
    peeked: Peeked,
    name: Option<PathBuf>,
    options: &Options,
    members: Option<Members>,
) -> Records {
    let compressed = members.is_some();
    let container = container(&peeked.head, name.as_deref());
    if let Some(members) = &members
        && container != Container::Warc
    {
        // Only WARC records are located by gzip member.
        let mut log = members
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        log.wanted = false;
        log.starts.clear();
    }
    match container {
        Container::Warc => Records {
            kind: Kind::Warc(Box::new(warc::WarcRecords::new(
                Arc::new(origin),
                peeked.reader,
                options.clone(),
                members,
            ))),
        },
        Container::Jsonl => {
            if let Some(kind) = detect::binary(&peeked.head) {
                return Records::one(Err(Error::new(origin, kind)));
            }
            Records {
                kind: Kind::Jsonl(Box::new(jsonl::JsonlRecords::new(
                    Arc::new(origin),
                    peeked.reader,
                    options.clone(),
                    compressed,
                ))),
            }
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

/// An I/O error while reading: a break in compressed data, or a plain I/O failure.
pub(crate) fn break_or_io(origin: Origin, err: io::Error, offset: u64, compressed: bool) -> Error {
    if compressed && stream::is_break(&err) {
        let kind = ErrorKind::Truncated {
            what: "the gzip data",
            stream: "decompressed",
            offset,
        };
        Error::new(origin, kind)
    } else {
        Error::io(origin, err)
    }
}

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Warc,
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
    let extension = name
        .and_then(Path::extension)
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("warc") => Container::Warc,
        Some("jsonl" | "ndjson" | "jsonlines" | "json") => Container::Jsonl,
        Some("html" | "htm" | "xhtml" | "shtml" | "txt" | "text") => Container::Document,
        _ if head.starts_with(b"{") => Container::Jsonl,
        _ => Container::Document,
    }
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

/// Checks and decodes one document's bytes.
pub(crate) fn document(
    origin: Origin,
    bytes: Vec<u8>,
    name: Option<&Path>,
    limit: u64,
    hints: Hints<'_>,
    record: RecordMeta,
) -> Result<RawDoc, Error> {
    let len = bytes.len() as u64;
    if len > limit {
        return Err(Error::new(
            origin,
            ErrorKind::TooLarge { bytes: len, limit },
        ));
    }
    if let Some(kind) = detect::binary(&bytes) {
        return Err(Error::new(origin, kind));
    }
    let (text, decoding) = decode::decode(bytes, hints);
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Error::new(origin, ErrorKind::Empty));
    }
    let format = detect::format(&text, name);
    Ok(RawDoc {
        origin,
        text,
        format,
        decoding,
        record,
    })
}

/// The format of a record's text, told by a declared content type when there is one.
pub(crate) fn format_of(text: &str, content_type: Option<&str>) -> Format {
    match content_type.map(|t| t.trim().to_ascii_lowercase()) {
        Some(t) if t.starts_with("text/html") || t.starts_with("application/xhtml") => Format::Html,
        _ => detect::format(text, None),
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
