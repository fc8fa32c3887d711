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
    /// A pattern (glob) that matches no file.
    #[error("no file matches this pattern; check the pattern and quote it if the shell expands it")]
    NoMatch,
    /// A pattern (glob) that cannot be read.
    #[error("not a valid pattern ({0}); check the brackets and `**`")]
    BadPattern(String),
    /// An input that holds several documents (a WARC, JSON lines) where one is needed.
    #[error(
        "holds more than one document; name one as FILE@OFFSET (a WARC or ARC record) or FILE:LINE (a JSON line), as `retrace extract` prints their origins"
    )]
    SeveralDocuments,
    /// `FILE@OFFSET` or `FILE:LINE` where no record of the file starts.
    #[error(
        "no record of this file starts at {at}; `retrace extract FILE` prints every record's origin"
    )]
    NoRecordAt {
        /// The offset or line asked for, as written (`@1204`, `:17`).
        at: String,
    },
    /// A folder with no file in it, where one document is needed.
    #[error("is a folder with no file in it; name one document here")]
    EmptyFolder,
    /// The path names a folder where one document is needed.
    #[error("is a folder; name one file here")]
    Directory,
    /// The file exists but may not be read.
    #[error("permission denied; check the file's permissions")]
    PermissionDenied,
    /// Any other I/O failure while reading.
    #[error("cannot read ({0}); check the disk and try again")]
    Io(std::io::Error),
    /// NUL bytes or many control bytes near the start: not a text file.
    #[error("looks binary (byte {byte:#04x} at offset {}); give a text, HTML, WARC or JSONL file", thousands(*offset))]
    Binary {
        /// Offset of the first NUL or control byte.
        offset: u64,
        /// That byte.
        byte: u8,
    },
    /// No text at all, or only whitespace.
    #[error("empty (no text, or only whitespace); give an input with an article in it")]
    Empty,
    /// Larger than the size limit.
    #[error(
        "too large ({} bytes; the limit is {} bytes); raise --max-bytes or split the input",
        thousands(*bytes),
        thousands(*limit)
    )]
    TooLarge {
        /// The input's size in bytes (as far as it was read: at least `limit + 1`).
        bytes: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A compressed or container stream that ends in the middle of something.
    #[error(
        "cut short: {what} breaks off at byte {} of the {stream} stream; what came before it was read, re-fetch or re-copy the file for the rest",
        thousands(*offset)
    )]
    Truncated {
        /// What was being read when the stream ended ("the gzip data", "a WARC record").
        what: &'static str,
        /// `"decompressed"` or `"raw"`: which bytes `offset` counts.
        stream: &'static str,
        /// Where the stream broke off.
        offset: u64,
    },
    /// A WARC stream that does not parse.
    #[error(
        "not a valid WARC record ({reason}); the rest of the file cannot be located, check that it is a WARC file"
    )]
    MalformedWarc {
        /// What is wrong.
        reason: String,
    },
    /// Bytes of a WARC or ARC stream that start no record (junk, a header that does not parse,
    /// the tail of a record whose length is wrong): passed over up to the next record.
    #[error(
        "not a valid {format} record ({reason}); {} bytes passed over {}",
        thousands(*bytes),
        if *resumed { "up to the next record" } else { "to the end of the file" }
    )]
    Unreadable {
        /// `"WARC"` or `"ARC"`.
        format: &'static str,
        /// What is wrong.
        reason: String,
        /// How many bytes were passed over (decompressed bytes in a gzip file).
        bytes: u64,
        /// True when a record follows them; false when they run to the end.
        resumed: bool,
    },
    /// A gzip member that fails its check or does not decompress, or bytes between members that
    /// are not gzip data: dropped, and reading goes on at the next member.
    #[error("{reason}; {} compressed bytes passed over, reading goes on at the next gzip member", thousands(*bytes))]
    CorruptGzip {
        /// What is wrong.
        reason: String,
        /// Compressed bytes passed over.
        bytes: u64,
    },
    /// A JSON line that does not parse, or is not an object.
    #[error("not a valid JSON object ({reason}); fix or remove this line")]
    MalformedJson {
        /// What is wrong, as the JSON parser says it.
        reason: String,
    },
    /// A JSON record without a usable text or HTML field.
    #[error("no text field (looked for {}); name the field with --text-field or --html-field", tried.join(", "))]
    MissingField {
        /// The fields looked for, in order.
        tried: Vec<String>,
    },
    /// A WARC record whose payload is not a text or HTML page (an image, a script, a PDF).
    #[error("not a text page (content type {content_type})")]
    NotAPage {
        /// Its content type, as declared.
        content_type: String,
    },
    /// A WARC or ARC response that redirects (HTTP 3xx).
    #[error("HTTP status {status}, a redirect{}; not a page", location.as_deref().map(|l| format!(" to {l}")).unwrap_or_default())]
    Redirect {
        /// The response's status code.
        status: u16,
        /// Where it redirects to, when it says.
        location: Option<String>,
    },
    /// Something met in a folder walk that is not a regular file (a FIFO, a socket, a device):
    /// reading it could block for ever.
    #[error(
        "not a regular file ({what}); folders are walked for regular files only, name it on its own to read it"
    )]
    NotAFile {
        /// What it is.
        what: &'static str,
    },
    /// A symbolic link in a folder walk that points back to a folder above it: following it
    /// would walk the same files for ever.
    #[error(
        "is a symbolic link back to a folder above it ({target}); skipped, as the files it leads to are read once already"
    )]
    SymlinkLoop {
        /// The folder it points to.
        target: String,
    },
    /// A WARC response that is not a page: an error page (HTTP 4xx, 5xx).
    #[error("HTTP status {status}, not a page")]
    HttpStatus {
        /// The response's status code.
        status: u16,
    },
}

impl ErrorKind {
    /// A short name of the reason, for counts in summaries ("too large", "malformed JSON").
    pub fn label(&self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::NoMatch => "pattern matched nothing",
            ErrorKind::BadPattern(_) => "bad pattern",
            ErrorKind::SeveralDocuments => "several documents",
            ErrorKind::NoRecordAt { .. } => "no such record",
            ErrorKind::Directory => "folder",
            ErrorKind::EmptyFolder => "empty folder",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::Io(_) => "I/O error",
            ErrorKind::Binary { .. } => "binary",
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge { .. } => "too large",
            ErrorKind::Truncated { .. } => "truncated",
            ErrorKind::MalformedWarc { .. } => "malformed WARC",
            ErrorKind::Unreadable { format: "ARC", .. } => "malformed ARC",
            ErrorKind::Unreadable { .. } => "malformed WARC",
            ErrorKind::CorruptGzip { .. } => "corrupt gzip data",
            ErrorKind::Redirect { .. } => "HTTP redirect",
            ErrorKind::NotAFile { .. } => "not a regular file",
            ErrorKind::SymlinkLoop { .. } => "symbolic link loop",
            ErrorKind::MalformedJson { .. } => "malformed JSON",
            ErrorKind::MissingField { .. } => "no text field",
            ErrorKind::NotAPage { .. } => "not a text page",
            ErrorKind::HttpStatus { .. } => "HTTP error status",
        }
    }
}

impl PartialEq for ErrorKind {
    /// Kinds compare by reason; two I/O errors are equal when their `std::io::ErrorKind` is.
    fn eq(&self, other: &ErrorKind) -> bool {
        use ErrorKind::*;
        match (self, other) {
            (Io(a), Io(b)) => a.kind() == b.kind(),
            (Binary { offset: a, byte: x }, Binary { offset: b, byte: y }) => a == b && x == y,
            (TooLarge { bytes: a, limit: x }, TooLarge { bytes: b, limit: y }) => a == b && x == y,
            (HttpStatus { status: a }, HttpStatus { status: b }) => a == b,
            (Redirect { status: a, .. }, Redirect { status: b, .. }) => a == b,
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

    /// A short name of the reason, for counts in summaries ("too large", "malformed JSON").
    pub fn label(&self) -> &'static str {
        self.kind.label()
    }

    /// The error as a [`Skipped`] input, for runs over many inputs where one bad input is
    /// reported and the run goes on.
    pub fn to_skipped(&self) -> Skipped {
        Skipped {
            origin: self.origin.clone(),
            stage: retrace_span::Stage::Read,
            kind: self.label(),
            reason: self.kind.to_string(),
        }
    }
}

/// A record that was read, and kept, despite a flaw: a gzip member without its trailer (its
/// data is whole as far as deflate can tell, but unchecked). Displays as `origin: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct Warning {
    /// Where the flaw is.
    pub origin: Origin,
    /// What it is.
    pub message: String,
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
