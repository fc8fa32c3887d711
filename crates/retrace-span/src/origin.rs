use std::fmt;
use std::path::PathBuf;

/// Where an input's bytes came from, so that any span a user sees can be traced back.
///
/// "Source" is reserved for *the original article* of a copy; input provenance is always an
/// `Origin`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A file, as named by the user or found while walking a folder.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Path(path) => write!(f, "{}", path.display()),
            Origin::Stdin => f.write_str("<stdin>"),
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
    /// Why it was skipped, as a lower-case phrase without a trailing period.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}
