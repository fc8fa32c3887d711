//! Judging a pair: the relation, which text is the source, and what changed.
//!
//! Input: two [`Analyzed`] documents and their [`Alignment`]. Output: a [`Verdict`] with the
//! [`Relation`] (`duplicate`, `excerpt`, `rewrite`, `same_story`, `unrelated`), the side that is
//! the source, a confidence, and the typed [`Change`]s from the source to the derivative.
//!
//! Each change kind lives in its own module under `changes/` and is documented like a lint
//! rule; `retrace explain KIND` prints that documentation.
//!
//! Over a story, [`ledger`] lists the figures and quotations its documents state and where they
//! disagree.
//!
//! This crate does not align sentences (`retrace-align`) and does not print (`retrace-report`).
//!
//! ```
//! use retrace_span::{OffsetMap, Origin};
//! let analyzer = retrace_text::Analyzer::new();
//! let doc = |text: &str| analyzer.analyze(Origin::Stdin, None, text, &OffsetMap::identity(text.len() as u32));
//! let a = doc("Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday. Schools stay open.");
//! let b = doc("Storms cut power to 4,000 homes in Dunmore.");
//! let alignment = retrace_align::Aligner::default().align(&a, &b);
//! let verdict = retrace_judge::Judge::default().judge(&a, &b, &alignment);
//! assert_eq!(verdict.relation, retrace_judge::Relation::Excerpt);
//! assert_eq!(verdict.source, Some(retrace_judge::Side::A));
//! ```
#![deny(missing_docs)]

pub mod changes;
mod ledger;
mod relation;
pub mod story;

use std::ops::Range;

use retrace_align::Alignment;
use retrace_text::Analyzed;

pub use changes::ChangeKind;
pub use ledger::{Claim, Statement, Statements, Version, ledger, ledger_of};
pub use relation::{Evidence, EvidenceKind, Relation, UnknownRelation};

/// One side of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The first article given.
    A,
    /// The second article given.
    B,
}

/// Where in the articles a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// In the body: ranges are in [`Analyzed::text`].
    Body,
    /// In the titles: ranges are in the text of [`Analyzed::headline`].
    Title,
}

/// A difference between the source and the derivative, with where it is on each side.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// In the body or in the titles: what the ranges are ranges of.
    pub place: Place,
    /// Range in the normalized text of A (of its headline for a title change), when the
    /// change has a place there.
    pub a: Option<Range<u32>>,
    /// Range in the normalized text of B (of its headline for a title change), when the
    /// change has a place there.
    pub b: Option<Range<u32>>,
    /// One line for a person: what changed, quoting both sides.
    pub detail: String,
}

/// The judgement of a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// How the two articles relate.
    pub relation: Relation,
    /// Which side is the original, when one derives from the other and the evidence tells.
    pub source: Option<Side>,
    /// Confidence in the relation and direction, `0..=1`.
    pub confidence: f32,
    /// The changes from the source to the derivative (A to B when no source is known): those
    /// in the titles first, then those in the body.
    pub changes: Vec<Change>,
    /// What was weighed to tell the source (empty when neither derives from the other): each
    /// kind of evidence once, in [`EvidenceKind`] order, also when it points nowhere, so that
    /// an undecided source shows why.
    pub evidence: Vec<Evidence>,
}

/// Judges aligned pairs; holds only settings, so one can be shared across threads.
#[derive(Clone, Debug, Default)]
pub struct Judge {
    /// Publication times closer than this (seconds) do not decide the direction.
    window: u64,
}

impl Judge {
    /// A judge for which publication times decide which text is the original only when they
    /// are at least `seconds` apart (by default 0: any difference decides). Closer than that,
    /// as when an agency story and its syndicated copies go out within the hour or pages state
    /// their time in an unknown zone, the text decides (coverage and the symptoms of reuse). A
    /// time known only to the day spans the day, in UTC.
    pub fn with_direction_window(seconds: u64) -> Judge {
        Judge { window: seconds }
    }

    /// Judges `a` and `b`, given their alignment.
    pub fn judge(&self, a: &Analyzed, b: &Analyzed, alignment: &Alignment) -> Verdict {
        let relation = relation::classify(a, b, alignment);
        if !relation.relation.is_derivation() {
            return Verdict {
                relation: relation.relation,
                source: None,
                confidence: relation.confidence,
                changes: Vec::new(),
                evidence: Vec::new(),
            };
        }
        // Read the changes both ways: reuse strips caveats and adds certainty, so the reading
        // with more of those symptoms is the one from the source to the derivative.
        let names = changes::NameSides::new(a, b);
        let forward = changes::detect(a, b, alignment, true, relation.relation, &names);
        let backward = changes::detect(a, b, alignment, false, relation.relation, &names);
        let direction = relation::direction(
            (a.published.as_deref(), b.published.as_deref()),
            self.window,
            relation.coverage,
            relation.traits,
            changes::symptoms(&forward),
            changes::symptoms(&backward),
        );
        let src_is_a = direction.source != Some(Side::B);
        let body = if src_is_a { forward } else { backward };
        // The titles first: a headline that inflates certainty is the most read sentence.
        let mut changes = match (a.headline.as_deref(), b.headline.as_deref()) {
            (Some(ha), Some(hb)) => changes::in_titles(ha, hb, src_is_a, relation.relation),
            _ => Vec::new(),
        };
        changes.extend(body);
        let confidence = if relation.relation.is_derivation() && direction.source.is_some() {
            relation.confidence * (0.6 + 0.4 * direction.strength)
        } else {
            relation.confidence
        };
        Verdict {
            relation: relation.relation,
            source: direction.source,
            confidence,
            changes,
            evidence: direction.evidence,
        }
    }
}
