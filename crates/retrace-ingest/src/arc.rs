//! ARC files, the Internet Archive's format before WARC (version 1, and the 10-field header
//! line of version 2): each record is one header line, `URL IP DATE CONTENT-TYPE LENGTH`, then
//! `LENGTH` bytes (for an HTTP fetch, the HTTP response with its headers), then a newline. The
//! first record (`filedesc://…`) describes the file and is passed over.
//!
//! As with WARC, bytes that start no record are passed over up to the next line that parses as
//! a record header, and reported with their offset and size.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use retrace_span::Origin;

use crate::raw::break_or_io;
use crate::stream::{Counting, Members};
use crate::warc::{page, record_origin, response};
use crate::{Error, ErrorKind, Options, RawDoc, RecordMeta, Warning};

/// The longest header line read; a longer line is no header.
const MAX_HEADER_LINE: usize = 64 * 1024;

/// The records of an ARC stream.
pub(crate) struct ArcRecords {
    file: Arc<Origin>,
    reader: Counting<Box<dyn Read + Send>>,
    options: Options,
    compressed: bool,
    members: Option<Members>,
    /// 2 for a version 2 file (its `filedesc` record says so), else 1.
    version: u8,
    /// A header line found while passing over junk, with its offset: the next record.
    found: Option<(u64, Header)>,
    /// Where the last record read starts, for a message about bytes after it.
    last: Option<u64>,
    ignored: Vec<(String, u64)>,
    warnings: Vec<Warning>,
    done: bool,
}

/// A record's header line.
#[derive(Debug, PartialEq, Eq)]
struct Header {
    url: String,
    date: String,
    content_type: String,
    length: u64,
}

impl ArcRecords {
    pub(crate) fn new(
        file: Arc<Origin>,
        reader: Box<dyn Read + Send>,
        options: Options,
        members: Option<Members>,
    ) -> ArcRecords {
        ArcRecords {
            file,
            reader: Counting::with_capacity(reader, 256 * 1024),
            options,
            compressed: members.is_some(),
            members,
            version: 1,
            found: None,
            last: None,
            ignored: Vec::new(),
            warnings: Vec::new(),
            done: false,
        }
    }

    pub(crate) fn ignored(&self) -> &[(String, u64)] {
        &self.ignored
    }

    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    fn ignore(&mut self, what: &str) {
        match self.ignored.iter_mut().find(|(t, _)| t == what) {
            Some((_, count)) => *count += 1,
            None => self.ignored.push((what.to_owned(), 1)),
        }
    }

    fn broke(&mut self, err: io::Error) -> Option<Result<RawDoc, Error>> {
        self.done = true;
        let offset = self.reader.position();
        let file = Origin::clone(&self.file);
        Some(Err(break_or_io(file, err, offset, self.compressed)))
    }

    /// Reads one line, keeping at most [`MAX_HEADER_LINE`] bytes of it; `None` at the end.
    fn line(&mut self) -> io::Result<Option<(Vec<u8>, bool)>> {
        let mut line = Vec::new();
        let mut overflowed = false;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok((!line.is_empty() || overflowed).then_some((line, overflowed)));
            }
            let (take, end) = match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            };
            if line.len() + take > MAX_HEADER_LINE {
                overflowed = true;
            } else {
                line.extend_from_slice(&buffer[..take]);
            }
            self.reader.consume(take);
            if end {
                return Ok(Some((line, overflowed)));
            }
        }
    }

    /// Passes over lines from `start` up to the next one that is a record header (kept for
    /// the next call), and reports them as one region that is not a record.
    fn resync(&mut self, start: u64, reason: String) -> Option<Result<RawDoc, Error>> {
        let origin = record_origin(&self.file, self.members.as_ref(), start);
        let resumed = loop {
            let at = self.reader.position();
            match self.line() {
                Err(err) => return self.broke(err),
                Ok(None) => break false,
                Ok(Some((_, true))) => {}
                Ok(Some((line, false))) => {
                    if let Some(header) = parse_header(&line, self.version) {
                        self.found = Some((at, header));
                        break true;
                    }
                }
            }
        };
        let end = self.found.as_ref().map_or(self.reader.position(), |f| f.0);
        let kind = ErrorKind::Unreadable {
            format: "ARC",
            reason,
            bytes: end - start,
            resumed,
        };
        Some(Err(Error::new(origin, kind)))
    }
}

impl Iterator for ArcRecords {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let (start, header) = match self.found.take() {
                Some(found) => found,
                None => {
                    if let Err(err) = self.reader.skip_whitespace() {
                        return self.broke(err);
                    }
                    let start = self.reader.position();
                    let (line, overflowed) = match self.line() {
                        Ok(Some(line)) => line,
                        Ok(None) => return None,
                        Err(err) => return self.broke(err),
                    };
                    let header = (!overflowed)
                        .then(|| parse_header(&line, self.version))
                        .flatten();
                    match header {
                        Some(header) => (start, header),
                        None => {
                            let reason = match self.last.take() {
                                Some(record) => format!(
                                    "a line after the record at {record} that is no record header; its length may be wrong"
                                ),
                                None => "a line that is no record header".to_owned(),
                            };
                            return self.resync(start, reason);
                        }
                    }
                }
            };
            let origin = record_origin(&self.file, self.members.as_ref(), start);
            let declared = header.length;
            let scheme = header
                .url
                .split_once(':')
                .map_or("", |(scheme, _)| scheme)
                .to_ascii_lowercase();
            let filedesc = scheme == "filedesc";
            let wanted = matches!(scheme.as_str(), "http" | "https" | "ftp" | "file");
            let too_large = declared > self.options.max_bytes;
            let keep = (wanted || filedesc) && !too_large;
            let mut body = Vec::new();
            let read = if keep {
                (&mut self.reader)
                    .take(declared)
                    .read_to_end(&mut body)
                    .map(|n| n as u64)
            } else {
                io::copy(&mut (&mut self.reader).take(declared), &mut io::sink())
            };
            match read {
                Err(err) => return self.broke(err),
                Ok(n) if n < declared => {
                    self.done = true;
                    let kind = ErrorKind::Truncated {
                        what: "an ARC record",
                        stream: if self.compressed {
                            "decompressed"
                        } else {
                            "raw"
                        },
                        offset: self.reader.position(),
                    };
                    return Some(Err(Error::new(Origin::clone(&self.file), kind)));
                }
                Ok(_) => {}
            }
            self.last = Some(start);
            if filedesc {
                if body.starts_with(b"2 ") {
                    self.version = 2;
                }
                self.ignore("filedesc");
                continue;
            }
            if !wanted {
                self.ignore(if scheme.is_empty() {
                    "unknown"
                } else {
                    &scheme
                });
                continue;
            }
            if too_large {
                let kind = ErrorKind::TooLarge {
                    bytes: declared,
                    limit: self.options.max_bytes,
                };
                return Some(Err(Error::new(origin, kind)));
            }
            let meta = RecordMeta {
                id: None,
                url: Some(header.url),
                title: None,
                date: None,
                fetched: Some(iso_date(&header.date)),
            };
            let result = if body.starts_with(b"HTTP/") {
                response(origin, body, meta, &self.options, &mut self.warnings)
            } else {
                let content_type = Some(header.content_type.as_str())
                    .filter(|t| t.contains('/') && !t.eq_ignore_ascii_case("no-type"));
                page(origin, body, meta, content_type, None, &self.options)
            };
            return Some(result);
        }
        None
    }
}

/// A record header line: `URL IP DATE CONTENT-TYPE LENGTH` (version 1; a URL with spaces in it
/// keeps them) or `URL IP DATE CONTENT-TYPE STATUS CHECKSUM LOCATION OFFSET FILENAME LENGTH`
/// (version 2). `None` for anything else.
fn parse_header(line: &[u8], version: u8) -> Option<Header> {
    let line = std::str::from_utf8(line)
        .ok()?
        .trim_end_matches(['\r', '\n']);
    let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
    let (url, rest) = match (version, fields.len()) {
        (2, 10) => (fields[0].to_owned(), &fields[1..]),
        (_, n) if n >= 5 => (fields[..n - 4].join(" "), &fields[n - 4..]),
        _ => return None,
    };
    let date = rest[1];
    let length = rest.last()?.parse::<u64>().ok()?;
    let dated = (8..=14).contains(&date.len()) && date.bytes().all(|b| b.is_ascii_digit());
    let scheme_ok = url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    (dated && scheme_ok).then(|| Header {
        url,
        date: date.to_owned(),
        content_type: rest[2].to_owned(),
        length,
    })
}

/// `19961104142103` → `1996-11-04T14:21:03Z`; other forms as written.
fn iso_date(date: &str) -> String {
    if date.len() != 14 {
        return date.to_owned();
    }
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[8..10],
        &date[10..12],
        &date[12..14]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines() {
        let header = parse_header(
            b"http://www.example.com:80/a b.html 127.0.0.1 19961104142103 text/html 202\n",
            1,
        )
        .unwrap();
        assert_eq!(header.url, "http://www.example.com:80/a b.html");
        assert_eq!(header.length, 202);
        assert_eq!(iso_date(&header.date), "1996-11-04T14:21:03Z");
        let v2 = b"http://example.com/ 1.2.3.4 20000101000000 text/html 200 ABCD - 0 x.arc 5\n";
        assert_eq!(parse_header(v2, 2).unwrap().content_type, "text/html");
        assert_eq!(parse_header(b"<p>Five words in a line</p>\n", 1), None);
        assert_eq!(parse_header(b"HTTP/1.0 200 OK\r\n", 1), None);
    }
}
