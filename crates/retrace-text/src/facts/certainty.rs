//! Certainty cues: the verb or adverb that says how sure a claim is. A source's "the footage
//! indicated" that becomes "the footage confirmed" in a derivative is inflated certainty, which
//! `retrace-judge` flags by comparing the levels of aligned sentences.
//!
//! | level | cues |
//! |---|---|
//! | [`CertaintyLevel::Weak`] | "indicated", "suggested", "appeared", "seemed", "pointed to", "similar to", "consistent with", "believed", "believe", "thought to", "it was thought", "hinted" (and their present forms); forecasts ("forecast to", "expected to", "projected to", "predicted to", "are expected"); intentions ("intends to", "plans to", "our plans are to"); proposals ("pitched as", "billed as", "if approved"); speculation ("speculated", "is said to", "is understood to", "rumoured"); decisions still open ("is reviewing", "are currently considering", "is mulling", "under review", "in talks"); aims and hopes ("hopes to", "aims to", "seeks to", "is planning to"); proposals and provisional findings ("proposed", "tentative", "preliminary"); tendencies ("tend to"); associations short of a cause ("linked to", "associated with", "tied to"); and qualifiers of extent ("usually", "generally", "typically", "mostly", "largely", "often", "sometimes", "frequently", "occasionally") |
//! | [`CertaintyLevel::Strong`] | "confirmed", "proved", "proven", "showed", "established", "verified", "identical", "exact", "definitively", "conclusively", "clearly", "undeniably", "revealed", "demonstrated" (and their present forms); boosters ("definitely", "certainly", "undoubtedly", "no doubt", "in fact"); and verbs of cause ("caused", "led to", "resulted in"), which an association becomes |
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
        // Hyland's hedges (Metadiscourse, 2005) that news uses: aims and hopes ("hopes to
        // reopen"), plans in progress, tendencies, provisional findings, reports nobody
        // vouches for ("is said to", "is understood to"), and an association short of a cause
        // ("linked to", "associated with"), the exaggeration science news is known for (Sumner
        // et al., BMJ 2014).
        ("hopes|hope|hoped|aims|aim|aimed|seeks|seek|sought to", Weak),
        (
            "is|are|was|were planning|hoping|aiming|seeking|looking to",
            Weak,
        ),
        (
            "is|are|was|were mulling|exploring|discussing|debating|contemplating|evaluating|eyeing",
            Weak,
        ),
        ("under consideration|review", Weak),
        ("in talks", Weak),
        (
            "proposed|proposes|proposal|tentative|tentatively|provisional|preliminary",
            Weak,
        ),
        ("tend|tends|tended to", Weak),
        ("is|are|was|were said|understood|rumoured|rumored to", Weak),
        ("rumoured|rumored|rumours|rumors", Weak),
        ("linked|tied|associated|correlated|connected to|with", Weak),
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
        // Hyland's boosters, and the verbs of cause an association becomes.
        (
            "definitely|certainly|undoubtedly|unquestionably|surely|evidently|obviously",
            Strong,
        ),
        ("no|without doubt", Strong),
        ("in fact", Strong),
        ("caused|causing", Strong),
        ("led|leads|leading to", Strong),
        ("resulted|results in", Strong),
    ])
});

/// Whether a weak cue is a qualifier of extent or frequency ("usually", "often"): the claim
/// holds in part, or at times, rather than being only likely.
pub fn is_extent(cue: &str) -> bool {
    matches!(
        cue,
        "usually"
            | "generally"
            | "typically"
            | "mostly"
            | "largely"
            | "often"
            | "sometimes"
            | "frequently"
            | "occasionally"
    )
}

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
    fn hedges_and_boosters_of_the_literature() {
        use CertaintyLevel::*;
        for (text, cue, level) in [
            ("The agency hopes to reopen the road.", "hopes to", Weak),
            ("The firm is planning to cut jobs.", "is planning to", Weak),
            ("The board is mulling a sale.", "is mulling", Weak),
            ("The merger is under review.", "under review", Weak),
            ("The proposed law would ban it.", "proposed", Weak),
            ("He is said to have left.", "is said to", Weak),
            ("Smoking was linked to the illness.", "linked to", Weak),
            ("Prices tend to rise.", "tend to", Weak),
            ("It was definitely the cause.", "definitely", Strong),
            ("The leak caused the fire.", "caused", Strong),
            ("The error led to the crash.", "led to", Strong),
        ] {
            assert_eq!(cues(text, &[]), [(cue.into(), level)], "{text}");
        }
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
