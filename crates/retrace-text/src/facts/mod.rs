//! Facts of each sentence: numbers with what they count, dates, durations, times of day,
//! quotations with their speakers, named entities, attributions, hedges and certainty cues.
//!
//! Facts are *extracted* here, per document; they are *diffed* per pair in `retrace-judge`.
//! Every fact carries a byte range into the normalized text of [`crate::Analyzed`], which
//! `Analyzed::span` maps back to the input.
//!
//! Input: normalized text (NFKC, straight quotes `"` and `'`, ASCII `-` for every dash, single
//! spaces, paragraphs separated by a blank line) and the byte ranges of its sentences. Output:
//! one `Vec<Fact>` per sentence, sorted by start. The extractors are hand-written scanners over
//! one shared word scanner; they allocate per fact, not per word, hold no state between calls,
//! and never panic: sentence ranges that are out of bounds, reversed or off a char boundary are
//! clamped.
//!
//! Each kind has its own module, which documents its heuristics and known limits:
//! [`NumberFact`] (and [`Quantity`], the scale that compares figures), [`DateFact`],
//! [`DurationFact`], [`TimeFact`], [`QuoteFact`], [`EntityFact`] (and
//! [`entity_key`], the spelling-folded key that lets "Al-Shilfatiyeh" match "Shilfatiya"),
//! [`AttributionFact`], [`HedgeFact`] and [`CertaintyFact`].
//!
//! This module does not decide what changed between two documents; that is `retrace-judge`.
//! Times, dates, durations and numbers claim their words in that order, so "March 7-13",
//! "9.08am" and "six days" never also yield a number.
//!
//! ```
//! use retrace_text::facts::{extract, FactKind};
//!
//! let text = "Medics counted more than 120 bodies on March 7, Dana Idris told Reuters.";
//! let facts = extract(text, &[0..text.len() as u32]);
//! let number = facts[0].iter().find_map(|f| match &f.kind {
//!     FactKind::Number(n) => Some(n),
//!     _ => None,
//! });
//! let number = number.unwrap();
//! assert_eq!((number.value, number.counts.as_deref()), (120.0, Some("bodies")));
//! assert_eq!(number.qualifier.as_deref(), Some("more than"));
//! assert!(facts[0].iter().any(|f| matches!(&f.kind, FactKind::Attribution(a) if a.source == "Reuters")));
//! ```

use std::ops::Range;

mod attribution;
mod certainty;
mod dates;
mod durations;
mod entities;
mod hedges;
pub mod names;
mod numbers;
mod patterns;
mod quotes;
mod words;

pub use attribution::{AttributionFact, is_reporting_verb};
pub use certainty::{CertaintyFact, CertaintyLevel, is_extent};
pub use dates::DateFact;
pub use durations::{DurationFact, TimeFact};
pub use entities::{EntityFact, entity_key};
pub use hedges::{HedgeFact, HedgeKind};
pub use numbers::{Measure, NumberFact, Quantity, noun_key};
pub use quotes::QuoteFact;

use words::Words;

/// One fact found in a sentence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fact {
    /// What was found.
    pub kind: FactKind,
    /// Where, as a byte range into the normalized text. A quotation may run past the end of
    /// the sentence that opens it.
    pub range: Range<u32>,
}

/// The kinds of fact.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FactKind {
    /// A number, with what it counts when that can be told.
    Number(NumberFact),
    /// A calendar date or date range.
    Date(DateFact),
    /// A length of time ("six days", "14 years").
    Duration(DurationFact),
    /// A time of day ("3 a.m.", "23:00hrs").
    Time(TimeFact),
    /// A direct quotation.
    Quote(QuoteFact),
    /// A named entity: person, place, organization.
    Entity(EntityFact),
    /// A statement of where information came from ("told Reuters", "according to SNHR").
    Attribution(AttributionFact),
    /// A hedge that limits a claim ("allegedly", "about", "could not independently confirm").
    Hedge(HedgeFact),
    /// A verb or phrase that says how certain a claim is ("indicated", "confirmed").
    Certainty(CertaintyFact),
}

/// Finds the facts of every sentence of `text` (normalized text; see [`crate::normalize`]).
///
/// `sentences` are the byte ranges of the sentences in `text`, in order. The result has one
/// `Vec<Fact>` per sentence, in the same order, each sorted by start. A quotation belongs to
/// the sentence where it opens, even when it runs on into the next ones.
pub fn extract(text: &str, sentences: &[Range<u32>]) -> Vec<Vec<Fact>> {
    let sents: Vec<Range<usize>> = sentences.iter().map(|r| clamp(text, r)).collect();
    let mut result: Vec<Vec<Fact>> = vec![Vec::new(); sents.len()];
    let mut w = Words::new(text);
    let mut claimed = Vec::new();
    for (r, out) in sents.iter().zip(result.iter_mut()) {
        w.scan(r.clone());
        claimed.clear();
        claimed.resize(w.len(), false);
        durations::find_times(&w, &mut claimed, out);
        dates::find(&w, &mut claimed, out);
        durations::find(&w, &mut claimed, out);
        numbers::find(&w, &mut claimed, out);
        entities::find(&w, &claimed, out);
        attribution::find(&w, out);
        let first_hedge = out.len();
        hedges::find(&w, out);
        let hedged: Vec<Range<u32>> = out[first_hedge..]
            .iter()
            .filter(|f| matches!(&f.kind, FactKind::Hedge(h) if h.kind == HedgeKind::Unverified))
            .map(|f| f.range.clone())
            .collect();
        certainty::find(&w, &hedged, out);
    }
    quotes::find(text, &sents, &mut result);
    for facts in &mut result {
        facts.sort_by_key(|f| (f.range.start, f.range.end));
    }
    result
}

/// A sentence range clamped into `text` and onto char boundaries.
fn clamp(text: &str, r: &Range<u32>) -> Range<usize> {
    let floor = |x: u32| {
        let mut x = usize::try_from(x).unwrap_or(usize::MAX).min(text.len());
        while !text.is_char_boundary(x) {
            x -= 1;
        }
        x
    };
    let start = floor(r.start);
    let end = floor(r.end).max(start);
    start..end
}

/// A byte range as stored in a [`Fact`]; None past 4 GiB, which ingest rejects anyway.
fn range32(r: Range<usize>) -> Option<Range<u32>> {
    Some(u32::try_from(r.start).ok()?..u32::try_from(r.end).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WIRE: &str = "Rescuers counted more than 120 bodies in Al-Marwa on March 7, a local \
        monitor told Reuters.\n\n\"We buried them ourselves,\" said Dana Idris, who could not \
        independently confirm the toll. Police allegedly fired first.";

    fn sentences(text: &str) -> Vec<Range<u32>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '.' | '\n') {
                let end = i + 1;
                if text[start..end].trim().len() > 1 {
                    out.push(range32(start..end).unwrap_or(0..0));
                }
                start = end;
            }
        }
        if start < text.len() {
            out.push(range32(start..text.len()).unwrap_or(0..0));
        }
        out
    }

    fn kinds(facts: &[Fact]) -> Vec<&'static str> {
        facts
            .iter()
            .map(|f| match f.kind {
                FactKind::Number(_) => "number",
                FactKind::Date(_) => "date",
                FactKind::Duration(_) => "duration",
                FactKind::Time(_) => "time",
                FactKind::Quote(_) => "quote",
                FactKind::Entity(_) => "entity",
                FactKind::Attribution(_) => "attribution",
                FactKind::Hedge(_) => "hedge",
                FactKind::Certainty(_) => "certainty",
            })
            .collect()
    }

    #[test]
    fn wire_story() {
        let sents = sentences(WIRE);
        let facts = extract(WIRE, &sents);
        assert_eq!(facts.len(), sents.len());
        assert_eq!(
            kinds(&facts[0]),
            [
                "number",
                "entity",
                "date",
                "attribution",
                "attribution",
                "entity"
            ]
        );
        let quote = facts[1].iter().find_map(|f| match &f.kind {
            FactKind::Quote(q) => Some(q),
            _ => None,
        });
        let quote = quote.expect("the quotation opens in the second sentence");
        assert_eq!(quote.text, "We buried them ourselves,");
        assert_eq!(quote.speaker.as_deref(), Some("Dana Idris"));
        assert!(!quote.scare);
        assert!(
            facts[1]
                .iter()
                .any(|f| matches!(&f.kind, FactKind::Hedge(h) if h.kind == HedgeKind::Unverified))
        );
        assert!(
            facts[2]
                .iter()
                .any(|f| matches!(&f.kind, FactKind::Hedge(h) if h.cue == "allegedly"))
        );
    }

    #[test]
    fn bad_ranges_are_clamped() {
        let text = "Ünïcode 12 men.";
        let reversed = Range { start: 9, end: 2 };
        let facts = extract(text, &[reversed, 1..3, 0..500]);
        assert_eq!(facts.len(), 3);
        assert!(facts[0].is_empty());
        assert_eq!(kinds(&facts[2]), ["number"]);
    }

    proptest! {
        #[test]
        fn never_panics_and_ranges_are_valid(
            text in "(\\PC|[\"' .,:\\-0-9\n]|Al-|March |said |more than |according to ){0,60}",
            cuts in proptest::collection::vec(0usize..400, 0..12),
        ) {
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).collect();
            bounds.push(0);
            bounds.push(text.len());
            bounds.sort_unstable();
            let bounds: Vec<usize> = bounds
                .into_iter()
                .map(|mut b| { while !text.is_char_boundary(b) { b -= 1; } b })
                .collect();
            let sents: Vec<Range<u32>> =
                bounds.windows(2).filter_map(|p| range32(p[0]..p[1])).collect();
            let facts = extract(&text, &sents);
            prop_assert_eq!(facts.len(), sents.len());
            for f in facts.iter().flatten() {
                let (s, e) = (f.range.start as usize, f.range.end as usize);
                prop_assert!(s <= e && e <= text.len());
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }
}
