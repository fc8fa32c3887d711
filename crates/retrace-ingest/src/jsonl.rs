//! JSON lines: one object per line, the article in a text or HTML field, its id, URL, date and
//! title in others. A pretty-printed object (a line that is just `{`) is read up to its closing
//! brace, so a `.json` file holding one object reads too.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::Arc;

use retrace_span::{Origin, RecordAt};
use serde_json::{Map, Value};

use crate::decode::{CharsetFrom, Decoding};
use crate::raw::{break_or_io, format_of};
use crate::stream::Counting;
use crate::{Error, ErrorKind, Format, Options, RawDoc, RecordMeta, detect};

/// Fields looked for when `--text-field` is not given, in order.
pub const TEXT_FIELDS: &[&str] = &[
    "text",
    "content",
    "body",
    "maintext",
    "article",
    "plain_text",
];
/// Fields looked for when `--html-field` is not given, after the text fields.
pub const HTML_FIELDS: &[&str] = &["html", "raw_html", "content_html", "page"];
/// Fields looked for when `--id-field` is not given.
pub const ID_FIELDS: &[&str] = &["id", "_id", "doc_id", "uuid"];
/// Fields looked for when `--url-field` is not given.
pub const URL_FIELDS: &[&str] = &["url", "link", "source_url", "uri"];
/// Fields looked for when `--date-field` is not given.
pub const DATE_FIELDS: &[&str] = &[
    "date",
    "published",
    "date_publish",
    "published_at",
    "publish_date",
    "pub_date",
    "datetime",
];
/// Fields looked for when `--title-field` is not given.
pub const TITLE_FIELDS: &[&str] = &["title", "headline"];

/// Which fields of a JSON record hold what. A name may be a dotted path (`article.body`). When a
/// field is named, only that field is read; when not, the defaults above are tried in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonFields {
    /// The article as plain text.
    pub text: Option<String>,
    /// The article as an HTML page.
    pub html: Option<String>,
    /// The record's id.
    pub id: Option<String>,
    /// The page's URL.
    pub url: Option<String>,
    /// The publication date.
    pub date: Option<String>,
    /// The headline.
    pub title: Option<String>,
}

/// The records of a JSONL stream.
pub(crate) struct JsonlRecords {
    file: Arc<Origin>,
    reader: Counting<Box<dyn Read + Send>>,
    options: Options,
    compressed: bool,
    line: u64,
    /// Lines read ahead for a pretty-printed object that was none, to be read again.
    replay: VecDeque<Replay>,
    /// True once a line that is not blank has been read.
    seen: bool,
    done: bool,
}

impl JsonlRecords {
    pub(crate) fn new(
        file: Arc<Origin>,
        reader: Box<dyn Read + Send>,
        options: Options,
        compressed: bool,
    ) -> JsonlRecords {
        JsonlRecords {
            file,
            reader: Counting::with_capacity(reader, 256 * 1024),
            options,
            compressed,
            line: 0,
            replay: VecDeque::new(),
            seen: false,
            done: false,
        }
    }

    fn origin(&self, line: u64) -> Origin {
        Origin::Record {
            container: Arc::clone(&self.file),
            at: RecordAt::Line(line),
        }
    }

    /// The I/O error that ends the stream: a break in gzip data, or a read failure.
    fn broke(&mut self, err: io::Error) -> Option<Result<RawDoc, Error>> {
        self.done = true;
        let offset = self.reader.position();
        let file = Origin::clone(&self.file);
        Some(Err(break_or_io(file, err, offset, self.compressed)))
    }

    /// Reads one line; `Ok(None)` at the end of the stream.
    fn read_line(&mut self, into: &mut Vec<u8>) -> io::Result<Option<Line>> {
        let line = read_line_capped(&mut self.reader, into, self.options.max_bytes)?;
        if line.is_some() {
            self.line += 1;
        }
        Ok(line)
    }
}

impl Iterator for JsonlRecords {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut bytes = Vec::new();
        while !self.done {
            if let Some(replayed) = self.replay.pop_front() {
                let (line, bytes) = match replayed {
                    Replay::Line(line, bytes) => (line, bytes),
                    Replay::Error(error) => return Some(Err(error)),
                };
                if bytes.trim_ascii().is_empty() {
                    continue;
                }
                let origin = self.origin(line);
                return Some(record(origin, bytes.trim_ascii_end(), &self.options));
            }
            bytes.clear();
            let line = match self.read_line(&mut bytes) {
                Ok(Some(line)) => line,
                Ok(None) => return None,
                Err(err) => return self.broke(err),
            };
            let first = self.line;
            let origin = self.origin(first);
            if line.overflowed {
                let kind = ErrorKind::TooLarge {
                    bytes: line.length,
                    limit: self.options.max_bytes,
                };
                return Some(Err(Error::new(origin, kind)));
            }
            let trimmed = bytes.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            // Only a file that opens with `[` is a JSON array; later, a `[` line is damage.
            let opens_file = !std::mem::replace(&mut self.seen, true);
            if trimmed == b"[" && opens_file {
                let reason =
                    "a JSON array, not JSON lines; convert it with `jq -c '.[]'`".to_owned();
                self.done = true;
                return Some(Err(Error::new(origin, ErrorKind::MalformedJson { reason })));
            }
            if trimmed == b"{" {
                // A pretty-printed object: read on to the line that closes it, told by
                // counting brackets outside strings (one pass: parsing the growing object
                // again at every line would be quadratic). Where each of its lines ends is
                // kept, in case it is no object but a stray `{` line among JSON lines.
                let mut ends = vec![bytes.len()];
                let mut depth = Depth::default();
                depth.feed(&bytes);
                let mut overflowed = None;
                loop {
                    let mut more = Vec::new();
                    match self.read_line(&mut more) {
                        Ok(Some(line)) if !line.overflowed => {
                            bytes.extend_from_slice(&more);
                            ends.push(bytes.len());
                            if depth.feed(&more) {
                                break;
                            }
                            if bytes.len() as u64 > self.options.max_bytes {
                                let kind = ErrorKind::TooLarge {
                                    bytes: bytes.len() as u64,
                                    limit: self.options.max_bytes,
                                };
                                self.done = true;
                                return Some(Err(Error::new(origin, kind)));
                            }
                        }
                        Ok(Some(line)) => {
                            let kind = ErrorKind::TooLarge {
                                bytes: line.length,
                                limit: self.options.max_bytes,
                            };
                            overflowed = Some(Error::new(self.origin(self.line), kind));
                            break;
                        }
                        Ok(None) => break,
                        Err(err) => return self.broke(err),
                    }
                }
                let why = match parse(bytes.trim_ascii_end()) {
                    Ok((value, replaced)) if overflowed.is_none() => {
                        return Some(build(origin, value, replaced, &self.options));
                    }
                    Ok(_) => "a line of it is too long to read".to_owned(),
                    Err(Failure::Other(kind)) if overflowed.is_none() => {
                        return Some(Err(Error::new(origin, kind)));
                    }
                    Err(Failure::Other(kind) | Failure::Binary(kind)) => kind.to_string(),
                    Err(Failure::NotJson(why)) => why,
                };
                // No object: the `{` line is reported, and the lines read after it are judged
                // one by one, as the JSON lines they may well be (alone, never read on from:
                // each line is gone back to once at most).
                let mut start = ends[0];
                for (i, &end) in ends.iter().enumerate().skip(1) {
                    let line = Replay::Line(first + i as u64, bytes[start..end].to_vec());
                    self.replay.push_back(line);
                    start = end;
                }
                self.replay.extend(overflowed.map(Replay::Error));
                let reason = format!(
                    "a line `{{` that opens no object ({why}); the {} lines after it are read one by one",
                    ends.len() - 1
                );
                return Some(Err(Error::new(origin, ErrorKind::MalformedJson { reason })));
            }
            return Some(record(origin, bytes.trim_ascii_end(), &self.options));
        }
        None
    }
}

/// What was read ahead for a pretty-printed object that is none, to be handed out again.
enum Replay {
    /// A line, with its number.
    Line(u64, Vec<u8>),
    /// A line that could not be read.
    Error(Error),
}

/// One line as read.
struct Line {
    /// Its length in bytes, newline included, all of it even when not all was kept.
    length: u64,
    /// True when it was longer than the cap: only the first `cap` bytes were kept.
    overflowed: bool,
}

/// Reads up to and including the next `\n`, keeping at most `cap` bytes of it in `into` (the
/// rest is consumed and counted, not stored, so a 100 MB line costs no memory).
fn read_line_capped(
    reader: &mut impl BufRead,
    into: &mut Vec<u8>,
    cap: u64,
) -> io::Result<Option<Line>> {
    let mut length = 0u64;
    let mut overflowed = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((length > 0).then_some(Line { length, overflowed }));
        }
        let (take, end) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        let room = cap.saturating_sub(into.len() as u64) as usize;
        if take > room {
            overflowed = true;
        }
        if !overflowed {
            into.extend_from_slice(&buffer[..take]);
        }
        length += take as u64;
        reader.consume(take);
        if end {
            return Ok(Some(Line { length, overflowed }));
        }
    }
}

/// Where a scan of JSON text stands: how deeply nested, and whether inside a string.
#[derive(Debug, Default)]
struct Depth {
    depth: u64,
    in_string: bool,
    escaped: bool,
}

impl Depth {
    /// Scans more of the text; true once the outermost object or array has closed.
    fn feed(&mut self, bytes: &[u8]) -> bool {
        for &byte in bytes {
            if self.in_string {
                match byte {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
}

/// One JSON record to a document.
fn record(origin: Origin, bytes: &[u8], options: &Options) -> Result<RawDoc, Error> {
    match parse(bytes) {
        Ok((value, replaced)) => build(origin, value, replaced, options),
        Err(Failure::NotJson(reason)) => {
            Err(Error::new(origin, ErrorKind::MalformedJson { reason }))
        }
        Err(Failure::Binary(kind) | Failure::Other(kind)) => Err(Error::new(origin, kind)),
    }
}

/// Why a record's bytes are no JSON value.
enum Failure {
    /// They do not parse: why.
    NotJson(String),
    /// They look binary.
    Binary(ErrorKind),
    /// They are JSON, but cannot be read (nested too deeply).
    Other(ErrorKind),
}

/// A record's bytes parsed, with the count of invalid UTF-8 sequences replaced.
fn parse(bytes: &[u8]) -> Result<(Value, u64), Failure> {
    if let Some(kind) = detect::binary(bytes) {
        // Judged line by line: a NUL byte or a run of control bytes costs this line only.
        return Err(Failure::Binary(kind));
    }
    // JSON is UTF-8; invalid bytes are replaced (and counted) rather than losing the record.
    let (json, replaced) = match std::str::from_utf8(bytes) {
        Ok(json) => (std::borrow::Cow::Borrowed(json), 0),
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            let replaced = lossy.matches('\u{fffd}').count() - count_replacement_chars(bytes);
            (lossy, replaced as u64)
        }
    };
    match serde_json::from_str(&json) {
        Ok(value) => Ok((value, replaced)),
        Err(err) if err.to_string().starts_with("recursion limit exceeded") => {
            // serde_json's guard against a stack overflow (128 levels).
            let reason = format!(
                "nested more than 128 levels deep, at {}",
                err_position(&err)
            );
            Err(Failure::Other(ErrorKind::MalformedJson { reason }))
        }
        Err(err) => Err(Failure::NotJson(err.to_string())),
    }
}

/// A parsed record to a document.
fn build(origin: Origin, value: Value, replaced: u64, options: &Options) -> Result<RawDoc, Error> {
    let Value::Object(object) = value else {
        let reason = format!("a JSON {}", kind_of(&value));
        return Err(Error::new(origin, ErrorKind::MalformedJson { reason }));
    };
    let fields = &options.fields;
    let text = pick(
        &object,
        fields.text.as_deref(),
        TEXT_FIELDS,
        fields.html.is_some(),
    );
    let html = pick(
        &object,
        fields.html.as_deref(),
        HTML_FIELDS,
        fields.text.is_some(),
    );
    let (text, declared) = match (text, html) {
        (Some(text), _) => (text, None),
        (None, Some(html)) => (html, Some(Format::Html)),
        (None, None) => {
            let tried = tried_fields(fields);
            return Err(Error::new(origin, ErrorKind::MissingField { tried }));
        }
    };
    let text = match text {
        Value::String(text) => text.clone(),
        other => {
            let reason = format!(
                "the article field holds a JSON {}, not a string",
                kind_of(other)
            );
            return Err(Error::new(origin, ErrorKind::MalformedJson { reason }));
        }
    };
    if text.trim().is_empty() {
        return Err(Error::new(origin, ErrorKind::Empty));
    }
    if text.len() as u64 > options.max_bytes {
        let kind = ErrorKind::TooLarge {
            bytes: text.len() as u64,
            limit: options.max_bytes,
        };
        return Err(Error::new(origin, kind));
    }
    let scalar = |name: Option<&str>, defaults: &[&str]| {
        pick(&object, name, defaults, false).and_then(|value| match value {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let record = RecordMeta {
        id: scalar(fields.id.as_deref(), ID_FIELDS),
        url: scalar(fields.url.as_deref(), URL_FIELDS),
        date: scalar(fields.date.as_deref(), DATE_FIELDS),
        title: scalar(fields.title.as_deref(), TITLE_FIELDS),
        fetched: None,
    };
    let format = match declared {
        Some(format) => format,
        None => format_of(&text, None),
    };
    let decoding = Decoding {
        charset: "UTF-8",
        by: CharsetFrom::Utf8,
        replaced,
    };
    Ok(RawDoc {
        origin,
        text,
        format,
        decoding,
        record,
    })
}

/// The named field, or else (unless `named_other` says the user named the other article field)
/// the first default present with a non-null value.
fn pick<'a>(
    object: &'a Map<String, Value>,
    name: Option<&str>,
    defaults: &[&str],
    named_other: bool,
) -> Option<&'a Value> {
    match name {
        Some(name) => lookup(object, name),
        None if named_other => None,
        None => defaults.iter().find_map(|name| lookup(object, name)),
    }
    .filter(|value| !value.is_null())
}

/// A field by dotted path.
fn lookup<'a>(object: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(value) = object.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let mut value = object.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

fn tried_fields(fields: &JsonFields) -> Vec<String> {
    match (&fields.text, &fields.html) {
        (None, None) => TEXT_FIELDS
            .iter()
            .chain(HTML_FIELDS)
            .map(|name| format!("\"{name}\""))
            .collect(),
        (text, html) => text
            .iter()
            .chain(html)
            .map(|name| format!("\"{name}\""))
            .collect(),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `line 1 column 129`, as serde_json gives it.
fn err_position(err: &serde_json::Error) -> String {
    format!("line {} column {}", err.line(), err.column())
}

/// U+FFFD characters already present (validly encoded) in the bytes.
fn count_replacement_chars(bytes: &[u8]) -> usize {
    bytes
        .windows(3)
        .filter(|w| *w == "\u{fffd}".as_bytes())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines_consume_without_keeping() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut reader = io::Cursor::new(data.as_bytes());
        let mut buf = Vec::new();
        let line = read_line_capped(&mut reader, &mut buf, 10)
            .unwrap()
            .unwrap();
        assert!(line.overflowed);
        assert_eq!(line.length, 101);
        buf.clear();
        let line = read_line_capped(&mut reader, &mut buf, 10)
            .unwrap()
            .unwrap();
        assert!(!line.overflowed);
        assert_eq!(buf, b"short\n");
        assert!(
            read_line_capped(&mut reader, &mut buf, 10)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn dotted_paths() {
        let object: Map<String, Value> =
            serde_json::from_str(r#"{"article": {"body": "x"}, "a.b": 1}"#).unwrap();
        assert_eq!(lookup(&object, "article.body"), Some(&Value::from("x")));
        assert_eq!(lookup(&object, "a.b"), Some(&Value::from(1)));
        assert_eq!(lookup(&object, "article.nope"), None);
    }
}
