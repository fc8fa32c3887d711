//! What the command prints of an index: an article looked up in it (`retrace query`,
//! [`LookupView`]) and what it holds (`retrace index stats`, [`StatsView`]). Both are views
//! that the caller fills from `retrace-engine`'s and `retrace-index`'s results; this module
//! only writes them as text. The JSON of a query is the compare object of each match, written
//! by the engine; a story is [`crate::stories::text`].
//!
//! The text quotes inputs (origins, titles, keys) as they are: a terminal's writer passes it
//! through [`crate::terminal::Escaped`].

use std::fmt::Write;

use retrace_judge::{Relation, Side};

/// Near-copies named with one match in the text, at most (the JSON lists them all).
pub const SHOWN_COPIES: usize = 5;

/// One related indexed document, as the text of a lookup shows it.
#[derive(Clone, Copy, Debug)]
pub struct MatchView<'a> {
    /// Its id in the index.
    pub id: i64,
    /// The key it is known by in the index.
    pub key: &'a str,
    /// How it relates to the article looked up.
    pub relation: Relation,
    /// Which side is the source: A the article, B the indexed document.
    pub source: Option<Side>,
    /// The verdict's confidence, 0 to 1.
    pub confidence: f32,
    /// The share of the article's and of the document's text that the alignment covers.
    pub coverage: (f64, f64),
    /// Where it was read from when it was added (shown when it is not its key).
    pub origin: &'a str,
    /// Its headline.
    pub title: Option<&'a str>,
    /// When it was published, as written.
    pub published: Option<&'a str>,
    /// The first changes, as `kind: detail`.
    pub changes: &'a [String],
    /// The other members of its near-copy cluster, by id with their keys.
    pub stands_for: &'a [(i64, String)],
}

/// An article looked up in an index: where it was read, whether the index holds it or its
/// words already, and the related documents found.
///
/// ```
/// use retrace_report::index::{LookupView, MatchView};
/// let changes = ["reworded: 2 sentences".to_owned()];
/// let view = LookupView {
///     origin: "copy.txt",
///     title: Some("Storms cut power"),
///     itself: None,
///     identical: &[],
///     candidates: 1,
///     matches: vec![MatchView {
///         id: 1,
///         key: "wire.txt",
///         relation: retrace_judge::Relation::Rewrite,
///         source: Some(retrace_judge::Side::B),
///         confidence: 0.9,
///         coverage: (0.8, 0.75),
///         origin: "wire.txt",
///         title: None,
///         published: None,
///         changes: &changes,
///         stands_for: &[],
///     }],
/// };
/// assert_eq!(
///     view.text(),
///     "copy.txt  \"Storms cut power\"\n  rewrite    this article was taken from it · \
///      confidence 0.90 · aligned: 80% of this article, 75% of #1\n             #1 wire.txt\n\
///      \x20            reworded: 2 sentences\n"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct LookupView<'a> {
    /// Where the article was read.
    pub origin: &'a str,
    /// Its headline.
    pub title: Option<&'a str>,
    /// Its own id in the index, when the index holds it with the same words.
    pub itself: Option<i64>,
    /// Other indexed documents with the same words, by id, with their keys.
    pub identical: &'a [(i64, String)],
    /// Candidates compared.
    pub candidates: usize,
    /// The related documents, in the order to show them.
    pub matches: Vec<MatchView<'a>>,
}

impl LookupView<'_> {
    /// The lookup as `retrace query` prints it: a line naming the article, then its own entry,
    /// the verbatim copies, and each match with its direction, confidence, coverage, key,
    /// first changes and the near-copies it stands for (at most [`SHOWN_COPIES`] named).
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}{}", self.origin, quoted(self.title));
        if let Some(id) = self.itself {
            let _ = writeln!(out, "  in the index itself as #{id}");
        }
        // Verbatim copies first: the same words are already indexed under another key.
        for (id, key) in self.identical {
            let _ = writeln!(out, "  the same text is already indexed as #{id} {key}");
        }
        if self.matches.is_empty() {
            let _ = writeln!(
                out,
                "  nothing related in the index ({} candidates compared)",
                self.candidates
            );
        }
        for found in &self.matches {
            found.write(&mut out);
        }
        out
    }
}

impl MatchView<'_> {
    /// Writes the match's lines, indented under the article's.
    fn write(&self, out: &mut String) {
        let direction = match self.source {
            Some(Side::A) => "taken from this article",
            Some(Side::B) => "this article was taken from it",
            None => "direction unknown",
        };
        let _ = writeln!(
            out,
            "  {:<10} {direction} · confidence {:.2} · aligned: {:.0}% of this article, {:.0}% \
             of #{}",
            self.relation.as_str(),
            self.confidence,
            100.0 * self.coverage.0,
            100.0 * self.coverage.1,
            self.id
        );
        let _ = writeln!(
            out,
            "             #{} {}{}{}",
            self.id,
            self.key,
            quoted(self.title),
            self.published
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        );
        if self.origin != self.key {
            let _ = writeln!(out, "             read from {}", self.origin);
        }
        for change in self.changes {
            let _ = writeln!(out, "             {change}");
        }
        if !self.stands_for.is_empty() {
            let shown: Vec<String> = self
                .stands_for
                .iter()
                .take(SHOWN_COPIES)
                .map(|(id, key)| format!("#{id} {key}"))
                .collect();
            let more = self.stands_for.len().saturating_sub(SHOWN_COPIES);
            let _ = writeln!(
                out,
                "             and {} near-copies of #{}, related as it is: {}{}",
                self.stands_for.len(),
                self.id,
                shown.join(", "),
                if more > 0 {
                    format!(", and {more} more (--json lists them)")
                } else {
                    String::new()
                }
            );
        }
    }
}

/// `  "title"` after a name, or nothing.
fn quoted(title: Option<&str>) -> String {
    title.map(|t| format!("  \"{t}\"")).unwrap_or_default()
}

/// What an index holds, as `retrace index stats` shows it.
///
/// ```
/// use retrace_report::index::StatsView;
/// let pairs = [("duplicate".to_owned(), 1)];
/// let view = StatsView {
///     path: std::path::Path::new("idx/index.db"),
///     schema_version: 7,
///     documents: 2,
///     raw_bytes: 2_000,
///     band_postings: 40,
///     anchor_postings: 6,
///     term_postings: 10,
///     pairs: &pairs,
///     candidate_pairs: 1,
///     clustered: 2,
///     batches: 1,
///     disk_bytes: 100_000,
/// };
/// assert!(view.text().starts_with("index      idx/index.db\nschema     version 7\n"));
/// assert!(view.text().contains("\npairs      1 duplicate\n"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StatsView<'a> {
    /// Where the index is.
    pub path: &'a std::path::Path,
    /// Its schema version.
    pub schema_version: i64,
    /// Documents held.
    pub documents: u64,
    /// Bytes of their raw text.
    pub raw_bytes: u64,
    /// LSH band postings.
    pub band_postings: u64,
    /// Anchor postings.
    pub anchor_postings: u64,
    /// Name and number postings.
    pub term_postings: u64,
    /// Judged pairs by relation.
    pub pairs: &'a [(String, u64)],
    /// Candidate pairs (judged or stood for by a judged pair).
    pub candidate_pairs: u64,
    /// Documents in near-copy clusters.
    pub clustered: u64,
    /// Committed batches.
    pub batches: u64,
    /// Size of its files on disk.
    pub disk_bytes: u64,
}

impl StatsView<'_> {
    /// The numbers, a line each, named in a column, with sizes in MB and per document.
    pub fn text(&self) -> String {
        let per = |n: u64| {
            if self.documents == 0 {
                0.0
            } else {
                n as f64 / self.documents as f64
            }
        };
        let (bands, anchors, terms) =
            (self.band_postings, self.anchor_postings, self.term_postings);
        let pairs = self
            .pairs
            .iter()
            .map(|(relation, n)| format!("{n} {relation}"))
            .collect::<Vec<_>>();
        let judged: u64 = self.pairs.iter().map(|(_, n)| n).sum();
        let mut out = String::new();
        let _ = writeln!(out, "index      {}", self.path.display());
        let _ = writeln!(out, "schema     version {}", self.schema_version);
        let _ = writeln!(
            out,
            "documents  {} ({:.1} MB of text, {:.0} bytes each)",
            self.documents,
            self.raw_bytes as f64 / 1e6,
            per(self.raw_bytes)
        );
        let _ = writeln!(
            out,
            "postings   {bands} LSH bands, {anchors} anchors, {terms} names and numbers ({:.1} \
             per document)",
            per(bands + anchors + terms)
        );
        let _ = writeln!(
            out,
            "pairs      {}",
            if pairs.is_empty() {
                "none".to_string()
            } else {
                pairs.join(", ")
            }
        );
        let _ = writeln!(
            out,
            "candidates {} candidate pairs, {judged} judged related (the rest stood for by \
             them); {} in near-copy clusters",
            self.candidate_pairs, self.clustered
        );
        let _ = writeln!(out, "batches    {}", self.batches);
        let _ = writeln!(
            out,
            "disk       {:.1} MB ({:.0} bytes per document)",
            self.disk_bytes as f64 / 1e6,
            per(self.disk_bytes)
        );
        out
    }
}
