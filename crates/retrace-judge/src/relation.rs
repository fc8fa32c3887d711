//! The relation of two aligned articles and the direction of derivation.

use retrace_align::{Alignment, PairKind};
use retrace_text::Analyzed;

use crate::Side;

/// How two articles relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same article: nearly all of each side is aligned, nearly all of it word for word.
    Duplicate,
    /// One article is a part of the other, mostly word for word.
    Excerpt,
    /// One article retells most of the other in other words.
    Rewrite,
    /// The articles report the same events, but neither is taken from the other.
    SameStory,
    /// Nothing in common beyond chance.
    Unrelated,
}

impl Relation {
    /// True for duplicate, excerpt and rewrite: one text is taken from the other.
    pub fn is_derivation(self) -> bool {
        matches!(
            self,
            Relation::Duplicate | Relation::Excerpt | Relation::Rewrite
        )
    }

    /// The name used in JSON and on the terminal.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Duplicate => "duplicate",
            Relation::Excerpt => "excerpt",
            Relation::Rewrite => "rewrite",
            Relation::SameStory => "same_story",
            Relation::Unrelated => "unrelated",
        }
    }
}

pub(crate) struct Classified {
    pub(crate) relation: Relation,
    pub(crate) confidence: f32,
}

/// Share of the aligned bytes of one side that sit in pairs of the given kinds.
fn share_in(doc: &Analyzed, alignment: &Alignment, side: Side, kinds: &[PairKind]) -> f64 {
    let (mut copied, mut all) = (0u64, 0u64);
    for pair in &alignment.pairs {
        let group = if side == Side::A { &pair.a } else { &pair.b };
        let bytes: u64 = group
            .iter()
            .map(|&k| u64::from(doc.sentences[k].range.end - doc.sentences[k].range.start))
            .sum();
        all += bytes;
        if kinds.contains(&pair.kind) {
            copied += bytes;
        }
    }
    if all == 0 {
        0.0
    } else {
        copied as f64 / all as f64
    }
}

/// The least share of a duplicate's or an excerpt's aligned bytes in verbatim pairs.
const MIN_VERBATIM: f64 = 0.6;

/// Decides the relation from coverage and how literal the aligned pairs are.
///
/// The thresholds say: a *duplicate* covers 85% of both sides, 80% of it copied (verbatim or
/// edited) and over half of it verbatim; an *excerpt* covers 80% of the shorter side, mostly
/// copied and over half verbatim, and less of the longer; a *rewrite* covers at least half of
/// the derivative in at least three pairs (or all of a shorter one) but is reworded: sentence
/// by sentence, with synonyms and rephrasings that leave many sentences "edited" and few
/// verbatim; *same story* shares a few sentences or a fifth of either side.
///
/// The verbatim share separates the kinds cleanly on the generated corpus (10k documents,
/// found pairs, share of the derivative's aligned bytes in verbatim pairs, 2nd percentile /
/// median): copies 0.99 / 1.0, excerpts 0.97 / 1.0, near-copies 0.70 / 0.96, rewrites
/// 0.0 / 0.25 (90th percentile 0.67).
pub(crate) fn classify(a: &Analyzed, b: &Analyzed, alignment: &Alignment) -> Classified {
    let (ca, cb) = (alignment.coverage_a, alignment.coverage_b);
    let (high, low) = (ca.max(cb), ca.min(cb));
    let derivative = if cb >= ca { Side::B } else { Side::A };
    let derivative_doc = if derivative == Side::A { a } else { b };
    let copied = share_in(
        derivative_doc,
        alignment,
        derivative,
        &[PairKind::Verbatim, PairKind::Edited],
    );
    let verbatim = share_in(derivative_doc, alignment, derivative, &[PairKind::Verbatim]);
    let pairs = alignment.pairs.len();
    let mean_score = if pairs == 0 {
        0.0
    } else {
        alignment
            .pairs
            .iter()
            .map(|p| f64::from(p.score))
            .sum::<f64>()
            / pairs as f64
    };
    let clamp = |x: f64| x.clamp(0.0, 1.0) as f32;
    if low >= 0.85 && copied >= 0.8 && verbatim >= MIN_VERBATIM {
        return Classified {
            relation: Relation::Duplicate,
            confidence: clamp(0.5 + 0.5 * low * copied),
        };
    }
    if high >= 0.8 && copied >= 0.7 && verbatim >= MIN_VERBATIM {
        return Classified {
            relation: Relation::Excerpt,
            confidence: clamp(0.4 + 0.6 * high * copied),
        };
    }
    // Three pairs make a retelling; a derivative shorter than that needs all its sentences.
    let derivative_sentences = if derivative == Side::A {
        a.sentences.len()
    } else {
        b.sentences.len()
    };
    if high >= 0.5 && pairs >= 3.min(derivative_sentences).max(1) {
        return Classified {
            relation: Relation::Rewrite,
            confidence: clamp(0.3 + 0.4 * high + 0.3 * mean_score),
        };
    }
    if pairs >= 2 || high >= 0.2 {
        return Classified {
            relation: Relation::SameStory,
            confidence: clamp(0.4 + high),
        };
    }
    let confidence = if pairs == 0 { 0.95 } else { 0.7 };
    Classified {
        relation: Relation::Unrelated,
        confidence,
    }
}

/// The comparable part of an ISO 8601 publication time: `YYYY-MM-DD`, with `THH:MM[:SS]` when
/// present and in UTC (`Z`), so that plain string order is time order. `None` when the text does
/// not start with a date.
fn timestamp(text: &str) -> Option<&str> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !date {
        return None;
    }
    // Times in other zones cannot be ordered by their text: compare the day only.
    if text.len() > 10 && text.ends_with('Z') {
        Some(text)
    } else {
        Some(&text[..10])
    }
}

pub(crate) struct Direction {
    pub(crate) source: Option<Side>,
    /// How clear the evidence is, `0..=1`.
    pub(crate) strength: f32,
}

/// Which side is the source, from evidence that points one way:
/// - coverage asymmetry: the derivative is the more covered side (an excerpt, a shorter
///   retelling);
/// - symptoms of reuse: the changes read from A to B and from B to A are counted for dropped
///   caveats and attributions, inflated certainty and invented quotations; reuse produces
///   them, so the reading with more of them runs from the source.
///
/// Publication times outrank both: when both sides state a different publication day (or
/// instant, in one format), the earlier one is the source.
pub(crate) fn direction(
    published: (Option<&str>, Option<&str>),
    alignment: &Alignment,
    forward: usize,
    backward: usize,
) -> Direction {
    if let (Some(a), Some(b)) = (
        published.0.and_then(timestamp),
        published.1.and_then(timestamp),
    ) && a != b
    {
        let source = if a < b { Side::A } else { Side::B };
        return Direction {
            source: Some(source),
            strength: 1.0,
        };
    }
    // Positive evidence means A is the source.
    let mut evidence = 2.0 * (alignment.coverage_b - alignment.coverage_a);
    let symptoms = (forward + backward) as f64;
    if symptoms > 0.0 {
        evidence += 0.6 * (forward as f64 - backward as f64) / symptoms.max(2.0);
    }
    if evidence.abs() < 0.05 {
        return Direction {
            source: None,
            strength: 0.0,
        };
    }
    let source = if evidence > 0.0 { Side::A } else { Side::B };
    Direction {
        source: Some(source),
        strength: evidence.abs().min(1.0) as f32,
    }
}

#[cfg(test)]
mod tests {
    use retrace_span::{OffsetMap, Origin};

    use crate::{Judge, Relation};

    fn relation(a: &str, b: &str) -> Relation {
        let analyzer = retrace_text::Analyzer::new();
        let doc = |t: &str| {
            analyzer.analyze(Origin::Stdin, None, t, &OffsetMap::identity(t.len() as u32))
        };
        let (a, b) = (doc(a), doc(b));
        let alignment = retrace_align::Aligner::default().align(&a, &b);
        Judge::default().judge(&a, &b, &alignment).relation
    }

    const STATEMENT: &str = "The ministry said the bridge at Orlen would reopen on May 2. \
        Inspectors found no damage to the main span.";

    #[test]
    fn two_reports_sharing_a_statement_are_the_same_story() {
        let a = format!(
            "Traffic returned to the coast road after a week of closures. {STATEMENT} \
             Hauliers had complained of detours of up to 90 kilometres. Ferry operators added \
             extra crossings during the closure. Local shops reported a drop in trade."
        );
        let b = format!(
            "Fishermen in Orlen harbour resumed work on Tuesday. {STATEMENT} The harbour master \
             expects a record catch of herring this spring. A new cold store opened beside the \
             quay last month. Prices at the fish auction rose by a tenth."
        );
        assert_eq!(relation(&a, &b), Relation::SameStory);
    }

    #[test]
    fn a_copy_reworded_word_by_word_is_a_rewrite_and_a_copy_with_one_edit_a_duplicate() {
        let source = "The council said the bridge at Orlen would reopen on May 2 after repairs. \
            Inspectors found no damage to the main span of the old structure. Hauliers had \
            complained about detours of up to 90 kilometres during the closure. Ferry operators \
            added extra crossings while the road was shut to traffic. Local shops reported a \
            sharp drop in trade over the past three weeks.";
        let reworded = "The council stated the bridge at Orlen would reopen on May 2 after \
            repair work. Inspectors detected no harm to the main span of the old structure. \
            Hauliers had grumbled about diversions of up to 90 kilometres during the shutdown. \
            Ferry firms laid on extra crossings while the road was closed to traffic. Local \
            stores reported a steep fall in trade over the past three weeks.";
        assert_eq!(relation(source, reworded), Relation::Rewrite);
        let edited = source.replace("sharp drop", "steep fall");
        assert_eq!(relation(source, &edited), Relation::Duplicate);
    }

    #[test]
    fn different_events_are_unrelated() {
        assert_eq!(
            relation(
                STATEMENT,
                "The orchestra sold out its spring season. Tickets went in an hour."
            ),
            Relation::Unrelated
        );
    }
}

#[cfg(test)]
mod direction_tests {
    use retrace_span::{OffsetMap, Origin};

    use crate::{Judge, Side};

    const TEXT: &str =
        "Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday.";

    #[test]
    fn the_earlier_publication_is_the_source() {
        let analyzer = retrace_text::Analyzer::new();
        let doc = |published: &str| {
            let mut doc = analyzer.analyze(
                Origin::Stdin,
                None,
                TEXT,
                &OffsetMap::identity(TEXT.len() as u32),
            );
            doc.published = Some(published.to_owned());
            doc
        };
        let (a, b) = (doc("2031-04-14T09:30:00Z"), doc("2031-04-12"));
        let alignment = retrace_align::Aligner::default().align(&a, &b);
        let verdict = Judge::default().judge(&a, &b, &alignment);
        assert_eq!(verdict.source, Some(Side::B));
        assert_eq!(super::timestamp("14 April"), None);
        assert_eq!(
            super::timestamp("2031-04-14T11:30:00+02:00"),
            Some("2031-04-14")
        );
    }
}
