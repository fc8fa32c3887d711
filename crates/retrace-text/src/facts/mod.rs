//! Facts of each sentence: numbers with what they count, dates, durations, quotations with
//! their speakers, named entities, attributions, hedges and certainty cues.
//!
//! Facts are *extracted* here, per document; they are *diffed* per pair in `retrace-judge`.
//! Every fact carries a byte range into the normalized text of [`crate::Analyzed`], which
//! `Analyzed::span` maps back to the input.

use std::ops::Range;

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

/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NumberFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DateFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DurationFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuoteFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EntityFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AttributionFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HedgeFact;
/// Placeholder until the fact extractors land.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CertaintyFact;

/// Finds the facts of every sentence of `text` (normalized text; see [`crate::normalize`]).
///
/// `sentences` are the byte ranges of the sentences in `text`, in order. The result has one
/// `Vec<Fact>` per sentence, in the same order.
pub fn extract(text: &str, sentences: &[Range<u32>]) -> Vec<Vec<Fact>> {
    let _ = text;
    sentences.iter().map(|_| Vec::new()).collect()
}
