//! Certainty cues: the verb or adverb that says how sure a claim is. A source's "the footage
//! indicated" that becomes "the footage confirmed" in a derivative is inflated certainty, which
//! `retrace-judge` flags by comparing the levels of aligned sentences.
//!
//! | level | cues |
//! |---|---|
//! | [`CertaintyLevel::Weak`] | "indicated", "suggested", "appeared", "seemed", "pointed to", "similar to", "consistent with", "believed", "believe", "thought to", "it was thought", "hinted" (and their present forms); forecasts ("forecast to", "expected to", "projected to", "predicted to", "are expected"); intentions ("intends to", "plans to", "our plans are to"); proposals ("pitched as", "billed as", "if approved"); speculation ("speculated"); decisions still open ("is reviewing", "are currently considering"); and qualifiers of extent ("usually", "generally", "typically", "mostly", "largely", "often", "sometimes", "frequently", "occasionally") |
//! | [`CertaintyLevel::Strong`] | "confirmed", "proved", "proven", "showed", "established", "verified", "identical", "exact", "definitively", "conclusively", "clearly", "undeniably", "revealed", "demonstrated" (and their present forms) |
//!
//! A strong cue that is negated ("did not confirm", "never proved") or that sits inside an
//! unverified hedge ("could not be independently verified") is not reported: it asserts
//! nothing. Limits: "shows" as a noun ("TV shows") and "established" as an adjective
//! ("established parties") are taken as cues.

use std::ops::Range;
use std::sync::LazyLock;

use super::patterns::Phrases;
use super::words::Words;
use super::{Fact, FactKind, range32};

/// A certainty cue.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CertaintyFact {
    /// The cue as written, lowercased ("indicated", "pointed to").
    pub cue: String,
    /// How certain the cue makes the claim.
    pub level: CertaintyLevel,
}

/// How certain a cue makes a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertaintyLevel {
    /// The evidence points one way ("indicated", "suggested", "consistent with").
    Weak,
    /// The claim is settled ("confirmed", "proved", "identical").
    Strong,
}

static CUES: LazyLock<Phrases<CertaintyLevel>> = LazyLock::new(|| {
    use CertaintyLevel::*;
    Phrases::new([
        (
            "indicated|indicates|indicate|suggested|suggests|suggest|hinted|hints",
            Weak,
        ),
        ("appeared|appears|seemed|seems|believed", Weak),
        ("pointed|points|point to", Weak),
        ("similar to", Weak),
        ("consistent with", Weak),
        ("thought to", Weak),
        ("was|were|is|are|been thought", Weak),
        ("believe|believes", Weak),
        ("intends|intend|intended|plans|plan|planned to", Weak),
        ("speculated|speculate|speculates", Weak),
        (
            "is|are|was|were|being considering|reviewing|weighing|studying",
            Weak,
        ),
        (
            "is|are|was|were currently|still|now considering|reviewing|weighing|studying",
            Weak,
        ),
        // Proposals and promises: "pitched as a way to", "billed as", "if approved".
        ("pitched|billed|touted|promoted as", Weak),
        ("plans|plan|aim|goal is|are to", Weak),
        ("if|when|once approved", Weak),
        ("is|are|was|were expected", Weak),
        ("forecast|expected|projected|predicted to", Weak),
        (
            "usually|generally|typically|mostly|largely|often|sometimes|frequently|occasionally",
            Weak,
        ),
        (
            "confirmed|confirms|proved|proves|proven|showed|shows|shown|established|verified",
            Strong,
        ),
        (
            "identical|exact|exactly|definitively|definitive|conclusively|conclusive",
            Strong,
        ),
        (
            "clearly|undeniably|undeniable|indisputably|revealed|reveals|demonstrated|demonstrates",
            Strong,
        ),
    ])
});

/// Finds the certainty cues of the scanned sentence; `hedged` are the byte ranges of
/// unverified hedges found in it, whose words assert nothing.
pub(super) fn find(w: &Words<'_>, hedged: &[Range<u32>], out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        let Some((end, &level)) = CUES.longest(w, i) else {
            i += 1;
            continue;
        };
        let Some(range) = range32(w.span(i, end)) else {
            break;
        };
        let inside_hedge = hedged
            .iter()
            .any(|h| h.start <= range.start && range.end <= h.end);
        let negated = level == CertaintyLevel::Strong
            && (1..=3).any(|back| {
                i >= back
                    && matches!(
                        w.lo(i - back),
                        "not"
                            | "never"
                            | "didn't"
                            | "hasn't"
                            | "haven't"
                            | "wasn't"
                            | "weren't"
                            | "isn't"
                            | "cannot"
                            | "couldn't"
                            | "without"
                            | "no"
                    )
            });
        if !inside_hedge && !negated {
            let fact = CertaintyFact {
                cue: w.lo_phrase(i, end),
                level,
            };
            out.push(Fact {
                kind: FactKind::Certainty(fact),
                range,
            });
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(s: &str, hedged: &[Range<u32>]) -> Vec<(String, CertaintyLevel)> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut out = Vec::new();
        find(&w, hedged, &mut out);
        out.into_iter()
            .map(|f| match f.kind {
                FactKind::Certainty(c) => (c.cue, c.level),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn weak_and_strong() {
        use CertaintyLevel::*;
        assert_eq!(
            cues(
                "Footage indicated a raid, marks consistent with shelling, and tests later confirmed it.",
                &[]
            ),
            [
                ("indicated".into(), Weak),
                ("consistent with".into(), Weak),
                ("confirmed".into(), Strong)
            ]
        );
    }

    #[test]
    fn forecasts_and_qualifiers_of_extent_are_weak() {
        use CertaintyLevel::*;
        assert_eq!(
            cues(
                "Wednesday is forecast to be colder and the gate is usually locked.",
                &[]
            ),
            [("forecast to".into(), Weak), ("usually".into(), Weak)]
        );
    }

    #[test]
    fn proposals_and_open_decisions_are_weak() {
        for (text, cue) in [
            (
                "The state is currently reviewing proposals.",
                "is currently reviewing",
            ),
            (
                "The plans were pitched as a way to raise funds.",
                "pitched as",
            ),
            ("Our plans are to expand abroad.", "plans are to"),
            (
                "The deal, if approved, will end the dispute.",
                "if approved",
            ),
        ] {
            assert_eq!(
                cues(text, &[]),
                [(cue.to_owned(), CertaintyLevel::Weak)],
                "{text}"
            );
        }
        assert_eq!(cues("The plan was approved in May.", &[]), []);
    }

    #[test]
    fn negated_and_hedged_strong_cues_are_dropped() {
        assert_eq!(
            cues(
                "Officials did not confirm the toll and never proved it.",
                &[]
            ),
            []
        );
        let hedge = std::iter::once(10..31).collect::<Vec<Range<u32>>>();
        assert_eq!(cues("The video could not be verified.", &hedge), []);
        assert_eq!(cues("The video was verified.", &[]).len(), 1);
    }
}
