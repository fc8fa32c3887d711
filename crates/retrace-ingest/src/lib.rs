//! Stage 1 of retrace: reads one named input into a [`RawDoc`].
//!
//! - Input: a command-line argument naming a file, or `-` for standard input.
//! - Output: a [`RawDoc`]: the input's text exactly as given (valid UTF-8, nothing stripped,
//!   not even a byte-order mark, so that every span indexes the bytes on disk), its [`Origin`],
//!   and its [`Format`] (plain text or HTML, detected by extension and by content).
//! - Errors: an [`Error`] names the input and says what went wrong and what to do, one
//!   [`ErrorKind`] per reason (missing, a folder, unreadable, binary, not UTF-8, empty, too large).
//!
//! This crate does not walk folders, read WARC or JSONL containers, decompress gzip or decode
//! other charsets yet; it does not look inside the text beyond sniffing its format. Extraction of
//! the article is `retrace-extract`.
//!
//! ```
//! use retrace_ingest::{Format, read_bytes};
//! use retrace_span::Origin;
//!
//! let doc = read_bytes(Origin::Stdin, b"<!DOCTYPE html><p>Hello, happy tax payer!</p>".to_vec(), None)?;
//! assert_eq!(doc.format, Format::Html);
//! assert!(doc.text.starts_with("<!DOCTYPE"));
//!
//! let err = read_bytes(Origin::Stdin, b"caf\xe9".to_vec(), None).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "<stdin>: not valid UTF-8 (first bad byte at offset 3); convert the input to UTF-8"
//! );
//! # Ok::<(), retrace_ingest::Error>(())
//! ```
#![deny(missing_docs)]

mod detect;
mod error;

use std::io::Read;
use std::path::Path;

pub use error::{Error, ErrorKind};
use retrace_span::{MAX_DOCUMENT_BYTES, Origin};

/// One input, read whole: its bytes as valid UTF-8 text, where they came from, and their format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDoc {
    /// Where the bytes came from.
    pub origin: Origin,
    /// The input exactly as given, checked to be valid UTF-8 and to fit `u32` offsets. A leading
    /// byte-order mark is kept: spans index these bytes.
    pub text: String,
    /// How the text is to be read.
    pub format: Format,
}

/// How an input's text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text, such as a scraped text dump: lines and paragraphs. This is the default.
    Text,
    /// An HTML page or fragment.
    Html,
}

/// Reads one named input: a file path, or `-` for standard input.
///
/// The format is HTML when the path ends in `.html`, `.htm` or `.xhtml`, or when the content
/// looks like HTML (a leading `<!doctype html`, `<html`, `<head` or `<body`, or many tags in the
/// first kilobyte); otherwise it is plain text.
pub fn read_input(arg: &str) -> Result<RawDoc, Error> {
    if arg == "-" {
        read_stdin()
    } else {
        read_path(Path::new(arg))
    }
}

/// Reads standard input to its end.
pub fn read_stdin() -> Result<RawDoc, Error> {
    read_reader(Origin::Stdin, std::io::stdin().lock(), None)
}

/// Reads a file.
pub fn read_path(path: &Path) -> Result<RawDoc, Error> {
    let origin = Origin::Path(path.to_path_buf());
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) => return Err(Error::io(origin, err)),
    };
    if metadata.is_dir() {
        return Err(Error::new(origin, ErrorKind::Directory));
    }
    // Refuse before reading: a 5 GB file should not be pulled into memory only to be rejected.
    if metadata.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::new(
            origin,
            ErrorKind::TooLarge {
                bytes: metadata.len(),
            },
        ));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) => return Err(Error::io(origin, err)),
    };
    read_reader(origin, file, Some(path))
}

/// Reads a stream to its end; `name` (a file name) helps detect the format by extension.
pub fn read_reader(
    origin: Origin,
    reader: impl Read,
    name: Option<&Path>,
) -> Result<RawDoc, Error> {
    let mut bytes = Vec::new();
    // Read one byte past the limit, so that an oversized stream is detected without reading all
    // of it.
    let mut limited = reader.take(MAX_DOCUMENT_BYTES + 1);
    if let Err(err) = limited.read_to_end(&mut bytes) {
        return Err(Error::io(origin, err));
    }
    read_bytes(origin, bytes, name)
}

/// Checks bytes already in memory and turns them into a [`RawDoc`].
pub fn read_bytes(origin: Origin, bytes: Vec<u8>, name: Option<&Path>) -> Result<RawDoc, Error> {
    check_bytes(origin, bytes, name, MAX_DOCUMENT_BYTES)
}

fn check_bytes(
    origin: Origin,
    bytes: Vec<u8>,
    name: Option<&Path>,
    limit: u64,
) -> Result<RawDoc, Error> {
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > limit {
        return Err(Error::new(origin, ErrorKind::TooLarge { bytes: len }));
    }
    if let Some(kind) = detect::binary(&bytes) {
        return Err(Error::new(origin, kind));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to() as u64;
            return Err(Error::new(origin, ErrorKind::NotUtf8 { offset }));
        }
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Error::new(origin, ErrorKind::Empty));
    }
    let format = detect::format(&text, name);
    Ok(RawDoc {
        origin,
        text,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const NOTE: &str = "The ferry to Lindholm left at nine.\nIt came back at noon, empty.\n";

    fn kind(result: Result<RawDoc, Error>) -> ErrorKind {
        result.unwrap_err().kind
    }

    #[test]
    fn reads_a_text_file_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.txt");
        std::fs::write(&path, format!("\u{feff}{NOTE}")).unwrap();
        let doc = read_input(path.to_str().unwrap()).unwrap();
        assert_eq!(doc.origin, Origin::Path(path));
        assert_eq!(doc.format, Format::Text);
        assert!(
            doc.text.starts_with('\u{feff}'),
            "the byte-order mark is kept"
        );
        assert_eq!(doc.text.len(), NOTE.len() + 3);
    }

    #[test]
    fn html_by_extension_and_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let by_name = dir.path().join("page.htm");
        std::fs::write(&by_name, "just words, no tags").unwrap();
        assert_eq!(read_path(&by_name).unwrap().format, Format::Html);
        let by_content = dir.path().join("page.txt");
        std::fs::write(&by_content, "\n  <html><body><p>Hi</p></body></html>").unwrap();
        assert_eq!(read_path(&by_content).unwrap().format, Format::Html);
    }

    #[test]
    fn missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.txt");
        let err = read_path(&path).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(
            err.to_string()
                .ends_with("nope.txt: no such file; check the path"),
            "{err}"
        );
    }

    #[test]
    fn directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(kind(read_path(dir.path())), ErrorKind::Directory);
    }

    #[test]
    fn io_errors_keep_their_reason() {
        let origin = Origin::Path("locked.txt".into());
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = Error::io(origin.clone(), denied);
        assert_eq!(err.kind, ErrorKind::PermissionDenied);
        assert_eq!(
            err.to_string(),
            "locked.txt: permission denied; check the file's permissions"
        );
        let other = std::io::Error::other("device went away");
        let err = Error::io(origin, other);
        assert_eq!(
            err.to_string(),
            "locked.txt: cannot read (device went away); check the disk and try again"
        );
    }

    #[test]
    fn failing_reader_is_an_io_error() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("pipe closed"))
            }
        }
        let err = read_reader(Origin::Stdin, Broken, None).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::Io(_)));
    }

    #[test]
    fn binary_input() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0; 64]);
        assert!(matches!(
            kind(read_bytes(Origin::Stdin, png, None)),
            ErrorKind::Binary { .. }
        ));
        let controls: Vec<u8> = (0..200)
            .map(|i| if i % 3 == 0 { 0x01 } else { b'a' })
            .collect();
        assert!(matches!(
            kind(read_bytes(Origin::Stdin, controls, None)),
            ErrorKind::Binary { .. }
        ));
    }

    #[test]
    fn utf16_is_named() {
        let bytes = b"\xff\xfeH\0i\0".to_vec();
        assert_eq!(
            kind(read_bytes(Origin::Stdin, bytes, None)),
            ErrorKind::Utf16
        );
    }

    #[test]
    fn not_utf8_gives_the_offset() {
        let mut bytes = "x".repeat(1203).into_bytes();
        bytes.extend_from_slice(b" \xe9t\xe9");
        let err = read_bytes(Origin::Path("notes/a.txt".into()), bytes, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotUtf8 { offset: 1204 });
        assert_eq!(
            err.to_string(),
            "notes/a.txt: not valid UTF-8 (first bad byte at offset 1,204); convert the input to UTF-8"
        );
    }

    #[test]
    fn empty_and_blank_input() {
        assert_eq!(
            kind(read_bytes(Origin::Stdin, Vec::new(), None)),
            ErrorKind::Empty
        );
        let blank = b"\xef\xbb\xbf \n\t\r\n".to_vec();
        assert_eq!(
            kind(read_bytes(Origin::Stdin, blank, None)),
            ErrorKind::Empty
        );
    }

    #[test]
    fn over_the_size_limit() {
        let err = check_bytes(Origin::Stdin, NOTE.as_bytes().to_vec(), None, 10).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::TooLarge {
                bytes: NOTE.len() as u64
            }
        );
    }

    #[test]
    fn huge_sparse_file_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.txt");
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(b"a").unwrap();
        // Sparse: costs no disk space, and ingest must refuse it from its metadata alone.
        file.set_len(MAX_DOCUMENT_BYTES + 1).unwrap();
        let err = read_path(&path).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::TooLarge {
                bytes: MAX_DOCUMENT_BYTES + 1
            }
        );
        assert!(err.to_string().contains("4,294,967,296 bytes"), "{err}");
    }
}
