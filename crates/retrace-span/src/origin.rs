use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where an input's bytes came from, so that any span a user sees can be traced back.
///
/// "Source" is reserved for *the original article* of a copy; input provenance is always an
/// `Origin`.
///
/// Displays the way people and tools quote places in files: `notes/a.txt`, `<stdin>`,
/// `feed.jsonl:17` (a JSON line, 1-based), `crawl.warc.gz@1234` (a WARC record at byte 1,234 of
/// the file, the offset CDX indexes give: for a WARC.gz, its gzip member's), and
/// `crawl.warc.gz@gunzip:1234` (a record inside a gzip member, at byte 1,234 of the
/// decompressed stream).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A file, as named by the user or found while walking a folder.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// One record inside a container (a WARC file, a JSONL file), which is itself a path or stdin.
    /// Shared, so that a million records of one file cost one copy of its path.
    Record {
        /// The file or stream holding the record.
        container: Arc<Origin>,
        /// Where the record is in it.
        at: RecordAt,
    },
}

/// Where a record sits inside its container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordAt {
    /// A WARC record: the byte offset in the file of its `WARC/1.x` line, or for a WARC.gz of
    /// the gzip member it starts (one member per record is how WARC.gz files are written), so
    /// that a reader can seek there.
    Offset(u64),
    /// A WARC record of a WARC.gz that does not start a gzip member (a file gzipped whole): the
    /// byte offset of its `WARC/1.x` line in the decompressed stream.
    Unpacked(u64),
    /// A JSON line: its 1-based line number.
    Line(u64),
}

impl Origin {
    /// A WARC record's byte offset (in the file, or in the decompressed stream for
    /// [`RecordAt::Unpacked`]); `None` for anything else.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Origin::Record {
                at: RecordAt::Offset(offset) | RecordAt::Unpacked(offset),
                ..
            } => Some(*offset),
            _ => None,
        }
    }

    /// A JSON record's 1-based line; `None` for anything else.
    pub fn line(&self) -> Option<u64> {
        match self {
            Origin::Record {
                at: RecordAt::Line(line),
                ..
            } => Some(*line),
            _ => None,
        }
    }

    /// The file or stream this input was read from: itself, or the container of a record.
    pub fn file(&self) -> &Origin {
        match self {
            Origin::Record { container, .. } => container.file(),
            other => other,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Path(path) => write!(f, "{}", path.display()),
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Record {
                container,
                at: RecordAt::Offset(offset),
            } => write!(f, "{container}@{offset}"),
            Origin::Record {
                container,
                at: RecordAt::Unpacked(offset),
            } => write!(f, "{container}@gunzip:{offset}"),
            Origin::Record {
                container,
                at: RecordAt::Line(line),
            } => write!(f, "{container}:{line}"),
        }
    }
}

/// An input that was not turned into an article, with the reason.
///
/// Skipped inputs are counted and reported like results; they never stop a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where the input came from.
    pub origin: Origin,
    /// Where it stopped.
    pub stage: Stage,
    /// A short name of the reason, for counts (`"no article found"`, `"too large"`).
    pub kind: &'static str,
    /// Why it was skipped, as a lower-case phrase without a trailing period.
    pub reason: String,
}

/// Where a skipped input stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// It could not be read as a record (damaged, too large, not text).
    Read,
    /// It was read and held no article.
    Extract,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_display_like_places_in_files() {
        let warc = Arc::new(Origin::Path("crawl.warc.gz".into()));
        let record = Origin::Record {
            container: warc.clone(),
            at: RecordAt::Offset(1234),
        };
        assert_eq!(record.to_string(), "crawl.warc.gz@1234");
        assert_eq!(record.file(), &*warc);
        let line = Origin::Record {
            container: Arc::new(Origin::Stdin),
            at: RecordAt::Line(17),
        };
        assert_eq!(line.to_string(), "<stdin>:17");
    }
}
