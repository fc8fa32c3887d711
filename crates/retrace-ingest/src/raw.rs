//! One record's bytes made a [`RawDoc`]: checked, decoded, its format told; and the error of a
//! read that broke off. What every reader of a container (WARC, ARC, JSON lines, a file) shares.

use std::io;
use std::path::Path;

use retrace_span::Origin;

use crate::decode::{self, Hints};
use crate::{Error, ErrorKind, Format, RawDoc, RecordMeta, detect, stream};

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
