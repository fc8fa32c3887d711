//! Hedges: words that limit a claim. Dropping one is how a careful report turns into a
//! confident one, so `retrace-judge` flags a hedge of the source that its derivative lacks.
//!
//! | kind | cues |
//! |---|---|
//! | [`HedgeKind::Approximation`] | "about", "around", "some", "nearly", "almost" before a number; "roughly", "approximately", "an estimated", "estimated" |
//! | [`HedgeKind::Allegation`] | "allegedly", "reportedly", "alleged", "purportedly", "purported", "claimed", "accused of" |
//! | [`HedgeKind::Unverified`] | "could not (independently) confirm/verify/determine", "was unable to verify", "could not be (independently) verified", "has not been verified", "unverified" |
//! | [`HedgeKind::Knowledge`] | "as far as he knew", "to his knowledge", "it is unclear", "it was not clear", "appeared to", "seemed to" |
//! | [`HedgeKind::Modal`] | "may have", "might", "could have", "could" before a verb of outcome ("could become", "could affect", "could cost"), "possibly", "likely", "probably", "suspected" |
//!
//! Cues match whole words separated by spaces only. "about" is a hedge only before a number
//! or quantity word, so "talked about" is not one. Limits: negation is not read ("not likely"
//! is a Modal cue like "likely"), and hedges split by a comma ("may, however, have") are missed.

use std::sync::LazyLock;

use super::patterns::Phrases;
use super::words::Words;
use super::{Fact, FactKind, range32};

/// A hedge cue.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HedgeFact {
    /// The cue as written, lowercased ("allegedly", "could not independently confirm").
    pub cue: String,
    /// What the hedge limits.
    pub kind: HedgeKind,
}

/// What a hedge limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HedgeKind {
    /// A number is approximate ("about 40", "an estimated 300").
    Approximation,
    /// A claim is someone's allegation ("allegedly", "reportedly").
    Allegation,
    /// The reporter could not check the claim ("could not independently confirm").
    Unverified,
    /// The speaker's knowledge is limited ("as far as he knew", "it is unclear").
    Knowledge,
    /// The claim is possible, not certain ("may have", "probably").
    Modal,
}

static HEDGES: LazyLock<Phrases<HedgeKind>> = LazyLock::new(|| {
    use HedgeKind::*;
    Phrases::new([
        ("about|around|nearly|almost|some #", Approximation),
        ("roughly|approximately|estimated", Approximation),
        ("an estimated", Approximation),
        (
            "allegedly|reportedly|alleged|purportedly|purported|claimed",
            Allegation,
        ),
        ("accused of", Allegation),
        (
            "could|can not independently|immediately? confirm|verify|determine|corroborate|authenticate|establish",
            Unverified,
        ),
        (
            "cannot|couldn't|can't independently|immediately? confirm|verify|determine|corroborate|authenticate|establish",
            Unverified,
        ),
        (
            "was|were|is|are|has|have|had been? unable to independently|immediately? confirm|verify|determine|corroborate|authenticate|establish",
            Unverified,
        ),
        (
            "was|were|is|are|has|have|had been? not able to independently|immediately? confirm|verify|determine|corroborate|authenticate|establish",
            Unverified,
        ),
        (
            "could|can not be independently|immediately? verified|confirmed|corroborated|authenticated|determined",
            Unverified,
        ),
        (
            "cannot|couldn't|can't be independently|immediately? verified|confirmed|corroborated|authenticated|determined",
            Unverified,
        ),
        (
            "has|have|had|was|were|is|are not been? independently|yet? verified|confirmed|corroborated|authenticated",
            Unverified,
        ),
        (
            "hasn't|haven't|wasn't|weren't|isn't been? independently|yet? verified|confirmed|corroborated|authenticated",
            Unverified,
        ),
        ("not independently verified|confirmed", Unverified),
        ("unverified|unconfirmed", Unverified),
        (
            "as far as i|he|she|they|we|you knew|know|knows|could",
            Knowledge,
        ),
        ("to my|his|her|their|our|your knowledge", Knowledge),
        (
            "it is|was|remains|remained|'s not? unclear|clear",
            Knowledge,
        ),
        ("it's not? unclear|clear", Knowledge),
        ("is|was|are|were|remains|remained unclear", Knowledge),
        ("unclear whether|if|how|why|who|what", Knowledge),
        ("appeared|appears|appear|seemed|seems|seem to", Knowledge),
        ("may|might|could have", Modal),
        (
            "could be|become|make|turn|affect|lead|cause|reach|mean|face|hit|rise|fall|push|spread|threaten|trigger|bring|take|grow|double|worsen|delay|end|force|derail|cost|see|lose|win|spark|prompt|result|open|close|happen|come|top|exceed|save|kill|harm|damage|slow|boost|raise|cut|lower|increase|reduce|change|shift|collapse|fail|return|soon|eventually|potentially",
            Modal,
        ),
        ("may|might", Modal),
        (
            "possibly|likely|probably|suspected|perhaps|presumably|apparently|maybe|potentially|conceivably|unlikely",
            Modal,
        ),
    ])
});

/// Finds the hedges of the scanned sentence.
pub(super) fn find(w: &Words<'_>, out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        let Some((end, &kind)) = HEDGES.longest(w, i) else {
            i += 1;
            continue;
        };
        // "about 40": the cue is the one word; the number is the number fact's business.
        let phrase_end = if matches!(w.lo(i), "about" | "around" | "nearly" | "almost" | "some") {
            i + 1
        } else {
            end
        };
        // "it is clear" is no hedge; only "unclear" and "not clear" are.
        let plain_clear = w.lo(end - 1) == "clear" && !(i..end).any(|k| w.lo(k) == "not");
        // "May" with a capital inside a sentence is the month.
        let month = w.raw(i) == "May" && !w.starts_clause(i);
        if plain_clear || month {
            i += 1;
            continue;
        }
        let range = w.span(i, phrase_end);
        let fact = HedgeFact {
            cue: w.lo_phrase(i, phrase_end),
            kind,
        };
        if let Some(range) = range32(range) {
            out.push(Fact {
                kind: FactKind::Hedge(fact),
                range,
            });
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hedges(s: &str) -> Vec<(String, HedgeKind)> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut out = Vec::new();
        find(&w, &mut out);
        out.into_iter()
            .map(|f| match f.kind {
                FactKind::Hedge(h) => (h.cue, h.kind),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn approximations_need_a_number() {
        use HedgeKind::*;
        assert_eq!(hedges("They talked about it for some time."), []);
        assert_eq!(
            hedges("About 40 came, roughly half of an estimated 300."),
            [
                ("about".into(), Approximation),
                ("roughly".into(), Approximation),
                ("an estimated".into(), Approximation)
            ]
        );
    }

    #[test]
    fn each_kind() {
        use HedgeKind::*;
        let got = hedges(
            "The men allegedly fled; the agency could not independently confirm it, and as far as \
             she knew it was not clear who may have fired. It is clear.",
        );
        assert_eq!(
            got,
            [
                ("allegedly".into(), Allegation),
                ("could not independently confirm".into(), Unverified),
                ("as far as she knew".into(), Knowledge),
                ("it was not clear".into(), Knowledge),
                ("may have".into(), Modal),
            ]
        );
        assert_eq!(
            hedges("The claim has not been independently verified."),
            [("has not been independently verified".into(), Unverified)]
        );
        assert_eq!(
            hedges("Reuters was unable to determine who fired."),
            [("was unable to determine".into(), Unverified)]
        );
    }
}
