//! Stage 1 of retrace: finds inputs and reads them, record by record, into [`RawDoc`]s.
//!
//! - Input: command-line arguments ([`expand`]: files, folders walked recursively, globs, `-`
//!   for standard input), each opened with [`open`], which detects by content (and by name)
//!   what it holds: gzip (undone, any number of members), a WARC file (`response` and
//!   `resource` records; HTTP headers parsed, chunked and gzip bodies undone), JSON lines
//!   (fields configurable in [`JsonFields`]), or one document, HTML or plain text.
//! - Output: [`Records`], an iterator of `Result<RawDoc, Error>`: streaming, so that a 10 GB
//!   WARC never sits in memory; an [`Error`] names its input (a record's origin is its file plus
//!   the WARC record offset or the JSON line) and says what went wrong and what to do. Nothing
//!   is dropped silently: bad records are errors, and WARC records that carry no page
//!   (`request`, `warcinfo` …) are counted in [`Records::ignored`].
//! - Text: bytes are decoded by the charset the input declares or, failing that, the one they
//!   look like ([`Decoding`]); invalid bytes are replaced and counted, never fatal. For a UTF-8
//!   file the text is the bytes on disk, so spans index the file; for a WARC record they index
//!   the record's decoded payload, for a JSON line the decoded article field.
//!
//! This crate does not look inside the text beyond sniffing its format: extraction of the
//! article is `retrace-extract`.
//!
//! ```
//! use retrace_ingest::{Format, read_bytes};
//! use retrace_span::Origin;
//!
//! let doc = read_bytes(Origin::Stdin, b"<!DOCTYPE html><p>Hello, happy tax payer!</p>".to_vec(), None)?;
//! assert_eq!(doc.format, Format::Html);
//! assert!(doc.text.starts_with("<!DOCTYPE"));
//!
//! // Latin-1 bytes, no declaration: detected, decoded, flagged.
//! let doc = read_bytes(Origin::Stdin, b"Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9s and d\xe9j\xe0 vu.".to_vec(), None)?;
//! assert!(doc.text.starts_with("Caf\u{e9} cr\u{e8}me"));
//! assert_eq!(doc.decoding.charset, "windows-1252");
//! # Ok::<(), retrace_ingest::Error>(())
//! ```
#![deny(missing_docs)]

mod arc;
mod decode;
mod detect;
mod error;
mod gzip;
mod inputs;
mod jsonl;
mod raw;
mod records;
mod select;
mod stream;
mod warc;

use std::io::Read;
use std::path::Path;

pub use decode::{CharsetFrom, Decoding};
pub use error::{Error, ErrorKind, Warning};
pub use inputs::{Expanded, Input, expand};
pub use jsonl::{
    DATE_FIELDS, HTML_FIELDS, ID_FIELDS, JsonFields, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS,
};
pub use records::{Records, open, open_reader};
use retrace_span::Origin;

/// The default limit on one document's size: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20_000_000;

/// How inputs are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The largest document (a file, a WARC record's payload, a JSON line) read, in bytes;
    /// larger ones are skipped with [`ErrorKind::TooLarge`]. At most `u32::MAX` (spans are
    /// `u32`).
    pub max_bytes: u64,
    /// Which JSON fields hold what.
    pub fields: JsonFields,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            fields: JsonFields::default(),
        }
    }
}

impl Options {
    /// Checks that every setting is within its range: `max_bytes` between 1 and
    /// [`retrace_span::MAX_DOCUMENT_BYTES`] (spans are 32-bit). Every front end (the command
    /// line, the Python package) checks its options here, so the rule is written once; the
    /// error names the field, for the front end to name as its users know it.
    ///
    /// ```
    /// use retrace_ingest::Options;
    ///
    /// assert!(Options::default().check().is_ok());
    /// let bad = Options { max_bytes: 0, ..Options::default() }.check().unwrap_err();
    /// assert_eq!(bad.field, "max_bytes");
    /// assert_eq!(bad.to_string(), "max_bytes must be between 1 and 4294967295 (spans are 32-bit)");
    /// assert!(Options { max_bytes: 1 << 32, ..Options::default() }.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), BadOption> {
        if self.max_bytes == 0 || self.max_bytes > retrace_span::MAX_DOCUMENT_BYTES {
            return Err(BadOption {
                field: "max_bytes",
                rule: format!(
                    "must be between 1 and {} (spans are 32-bit)",
                    retrace_span::MAX_DOCUMENT_BYTES
                ),
            });
        }
        Ok(())
    }
}

/// A setting out of its range: of [`Options`] (see [`Options::check`]), or of the configs that
/// the engine and the server check the same way. Displays as `field rule`, such as `max_bytes
/// must be between 1 and 4294967295 (spans are 32-bit)`; a command line names the flag instead
/// of the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} {rule}")]
pub struct BadOption {
    /// The field, as named in Rust (`max_bytes`).
    pub field: &'static str,
    /// The rule it breaks (`must be between 1 and …`).
    pub rule: String,
}

/// One document: its text, where it came from, its format and what its container said of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDoc {
    /// Where the bytes came from.
    pub origin: Origin,
    /// The document's text, decoded to UTF-8 (see [`RawDoc::decoding`]). A leading UTF-8
    /// byte-order mark is kept: spans index these bytes, which for a UTF-8 file are the bytes
    /// on disk.
    pub text: String,
    /// How the text is to be read.
    pub format: Format,
    /// How the bytes were decoded, and how many were invalid.
    pub decoding: Decoding,
    /// What the container said about the document (WARC headers, JSON fields).
    pub record: RecordMeta,
}

impl RawDoc {
    /// A document from text already in memory (UTF-8, nothing declared).
    pub fn new(origin: Origin, text: String, format: Format) -> RawDoc {
        RawDoc {
            origin,
            text,
            format,
            decoding: Decoding {
                charset: "UTF-8",
                by: CharsetFrom::Utf8,
                replaced: 0,
            },
            record: RecordMeta::default(),
        }
    }
}

/// What a container says about one of its documents: WARC headers, or the fields of a JSON
/// record besides its text. Empty for a plain file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordMeta {
    /// The record's id: `WARC-Record-ID`, or the JSON id field.
    pub id: Option<String>,
    /// The page's URL: `WARC-Target-URI`, or the JSON URL field.
    pub url: Option<String>,
    /// The headline, from a JSON title field.
    pub title: Option<String>,
    /// The publication date, from a JSON date field, as written there.
    pub date: Option<String>,
    /// When the page was fetched: `WARC-Date`.
    pub fetched: Option<String>,
}

/// How a document's text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text, such as a scraped text dump: lines and paragraphs. This is the default.
    Text,
    /// An HTML page or fragment.
    Html,
}

/// Reads exactly one document from one input: a file, a folder or glob that names one file, or
/// `-`. A container holding more than one document is an error
/// ([`ErrorKind::SeveralDocuments`]); use [`expand`] and [`open`] to read many.
///
/// One record of a container is named as retrace prints its origin: `FILE@OFFSET` for a WARC
/// or ARC record (`FILE@gunzip:OFFSET` inside a gzip file that is not one member a record),
/// `FILE:LINE` for a JSON line. Such an argument is read as a record only when it does not
/// name an existing file itself.
pub fn read_one(arg: &str, options: &Options) -> Result<RawDoc, Error> {
    if let Some(wanted) = select::Wanted::parse(arg) {
        return select::read(&wanted, options);
    }
    let mut expanded = expand(&[arg]);
    if let Some(error) = expanded.errors.into_iter().next() {
        return Err(error);
    }
    let input = match expanded.inputs.len() {
        1 => expanded.inputs.remove(0),
        0 => {
            let origin = Origin::Path(arg.into());
            return Err(Error::new(origin, ErrorKind::EmptyFolder));
        }
        _ => {
            let origin = Origin::Path(arg.into());
            return Err(Error::new(origin, ErrorKind::SeveralDocuments));
        }
    };
    let origin = input.origin();
    let mut records = open(&input, options);
    let first = records
        .next()
        .unwrap_or_else(|| Err(Error::new(origin.clone(), ErrorKind::Empty)))?;
    if records.next().is_some() {
        return Err(Error::new(origin, ErrorKind::SeveralDocuments));
    }
    Ok(first)
}

/// Reads one document from a file (the first, if it is a container).
pub fn read_path(path: &Path) -> Result<RawDoc, Error> {
    let input = Input::Path(path.to_path_buf());
    let mut records = open(&input, &Options::default());
    records
        .next()
        .unwrap_or_else(|| Err(Error::new(input.origin(), ErrorKind::Empty)))
}

/// Reads one document from bytes already in memory; `name` (a file name) helps detect the
/// format by extension. Containers are not opened: the bytes are one document.
pub fn read_bytes(origin: Origin, bytes: Vec<u8>, name: Option<&Path>) -> Result<RawDoc, Error> {
    let hints = decode::Hints::default();
    let limit = retrace_span::MAX_DOCUMENT_BYTES;
    raw::document(origin, bytes, name, limit, hints, RecordMeta::default())
}

/// Reads a stream to its end as one document.
pub fn read_reader(
    origin: Origin,
    reader: impl Read,
    name: Option<&Path>,
) -> Result<RawDoc, Error> {
    let mut bytes = Vec::new();
    let limit = retrace_span::MAX_DOCUMENT_BYTES;
    if let Err(err) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return Err(Error::io(origin, err));
    }
    read_bytes(origin, bytes, name)
}
