use retrace_span::{Origin, Skipped};

/// An input that could not be read, with its origin and the reason.
///
/// Displays as `origin: reason; what to do`, for example
/// `notes/a.txt: not valid UTF-8 (first bad byte at offset 1,204); convert the input to UTF-8`.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct Error {
    /// The input, as named.
    pub origin: Origin,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// Why an input could not be read. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// The path does not exist.
    #[error("no such file; check the path")]
    NotFound,
    /// The path names a folder.
    #[error("is a folder; name a file (folders are not read yet)")]
    Directory,
    /// The file exists but may not be read.
    #[error("permission denied; check the file's permissions")]
    PermissionDenied,
    /// Any other I/O failure while reading.
    #[error("cannot read ({0}); check the disk and try again")]
    Io(std::io::Error),
    /// NUL bytes or many control bytes near the start: not a text file.
    #[error("looks binary (byte {byte:#04x} at offset {}); give a text or HTML file", thousands(*offset))]
    Binary {
        /// Offset of the first NUL or control byte.
        offset: u64,
        /// That byte.
        byte: u8,
    },
    /// A UTF-16 byte-order mark.
    #[error("encoded as UTF-16; convert the input to UTF-8")]
    Utf16,
    /// Bytes that are not valid UTF-8.
    #[error("not valid UTF-8 (first bad byte at offset {}); convert the input to UTF-8", thousands(*offset))]
    NotUtf8 {
        /// Offset of the first byte that is not part of a valid UTF-8 sequence.
        offset: u64,
    },
    /// No text at all, or only whitespace.
    #[error("empty (no text, or only whitespace); give an input with an article in it")]
    Empty,
    /// Larger than the `u32` offsets of a span can address.
    #[error(
        "too large ({} bytes; the limit is {} bytes); split the input into documents",
        thousands(*bytes),
        thousands(retrace_span::MAX_DOCUMENT_BYTES)
    )]
    TooLarge {
        /// The input's size in bytes (as far as it was read).
        bytes: u64,
    },
}

impl PartialEq for ErrorKind {
    /// Kinds compare by reason; two I/O errors are equal when their `std::io::ErrorKind` is.
    fn eq(&self, other: &ErrorKind) -> bool {
        use ErrorKind::*;
        match (self, other) {
            (Io(a), Io(b)) => a.kind() == b.kind(),
            (Binary { offset: a, byte: x }, Binary { offset: b, byte: y }) => a == b && x == y,
            (NotUtf8 { offset: a }, NotUtf8 { offset: b }) => a == b,
            (TooLarge { bytes: a }, TooLarge { bytes: b }) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

impl Error {
    /// An error of `kind` for the input `origin`.
    pub fn new(origin: Origin, kind: ErrorKind) -> Error {
        Error { origin, kind }
    }

    /// Classifies an I/O error: a missing file and a denied permission get their own kinds.
    pub fn io(origin: Origin, err: std::io::Error) -> Error {
        let kind = match err.kind() {
            std::io::ErrorKind::NotFound => ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            std::io::ErrorKind::IsADirectory => ErrorKind::Directory,
            _ => ErrorKind::Io(err),
        };
        Error { origin, kind }
    }

    /// The error as a [`Skipped`] input, for runs over many inputs where one bad input is
    /// reported and the run goes on.
    pub fn to_skipped(&self) -> Skipped {
        Skipped {
            origin: self.origin.clone(),
            reason: self.kind.to_string(),
        }
    }
}

/// `1204` → `"1,204"`: offsets and sizes in messages are read by people.
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(88_212_001), "88,212,001");
    }

    #[test]
    fn skipped_carries_the_reason() {
        let err = Error::new(Origin::Stdin, ErrorKind::Empty);
        let skipped = err.to_skipped();
        assert_eq!(skipped.origin, Origin::Stdin);
        assert!(skipped.reason.starts_with("empty"));
    }
}
