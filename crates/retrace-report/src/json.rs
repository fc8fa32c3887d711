//! The compare JSON: the stable object that `retrace compare --json` prints and that
//! `retrace scan` writes one per line to `pairs.jsonl`.
//!
//! ```text
//! {
//!   "a": {"origin": "...", "title": "...", "chars": N},        // same for "b"
//!   "relation": "duplicate|excerpt|rewrite|same_story|unrelated",
//!   "source": "a|b|null", "confidence": 0.0-1.0,
//!   "evidence": [ {"kind": "published|coverage|copy_traits|reuse_symptoms",
//!                  "favours": "a|b|null", "weight": 0.0-1.0, "detail": "human sentence"} ],
//!   "coverage": {"a_by_b": 0.0-1.0, "b_by_a": 0.0-1.0},
//!   "semantic": true|false,                                    // sentence embeddings took part
//!   "alignment": [ {"a": Span, "b": Span, "kind": "verbatim|edited|paraphrase", "score": 0.0-1.0} ],
//!   "unaligned": {"a": [Span], "b": [Span]},
//!   "changes": [ {"kind": K, "place": "title" (only in titles), "a": Span|null, "b": Span|null,
//!                 "detail": "human sentence"} ]
//! }
//! Span = {"start": byte, "end": byte, "line": 1-based line of start, "text": "..."}
//! ```
//!
//! - `coverage.a_by_b` is the share of A's sentence bytes aligned with B.
//! - `evidence` is what was weighed to tell the source, each kind once, also when it favours
//!   neither side (so a `null` source shows why); empty when neither text derives from the
//!   other. Publication times that differ decide alone (weight 1); otherwise the weights are
//!   summed by side, and under 0.05 apart the source is `null`.
//! - Offsets and lines refer to the input as given, never to normalized text: `start..end` is
//!   the provenance of the span, the bytes of the input it came from.
//! - `text` is what a reader sees there ([`ReportDoc::text`]): for a plain-text input exactly
//!   `input[start..end]`; for an HTML input the extracted text, with the tags of links, bold and
//!   italics left out and character references decoded (`<a href="/x">the quay</a> &amp; pier`
//!   shows as `the quay & pier`), while `start..end` still cover the HTML source (issue 13).
//!   Inputs are valid UTF-8 (ingest rejects others), so it is always a string. A group of two
//!   sentences has one span from the first to the last.
//! - Scores are rounded to four decimals, so that the same inputs print byte-identical JSON.
//! - Arrays are ordered: alignment by B then A; unaligned by position; changes in the titles
//!   first (`"place": "title"`, spans into the headline as the input has it), then by position
//!   in B, then in A, then kind.

use retrace_judge::Side;
use std::ops::Range;

use serde::Serialize;

use crate::{PairReport, ReportDoc};

/// A span as the JSON shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpanJson {
    /// First byte in the input as given.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// The text a reader sees: `input[start..end]` for plain text, the extracted text of that
    /// stretch of HTML (see [`ReportDoc::text`]).
    pub text: String,
}

impl SpanJson {
    /// Resolves a range of the document's analyzed text: its input span and the text it shows.
    pub fn new(doc: &ReportDoc<'_>, range: Range<u32>) -> SpanJson {
        let span = doc.span(range.clone());
        SpanJson {
            start: span.start,
            end: span.end,
            line: doc.line(span),
            text: doc.text(range),
        }
    }
}

impl SpanJson {
    /// Resolves a range of a title ([`ReportDoc::headline`]): its input span, and the words of
    /// the title there (the span may cover the whole headline element of a page).
    pub fn in_headline(headline: &ReportDoc<'_>, range: Range<u32>) -> SpanJson {
        let span = headline.span(range.clone());
        let text = &headline.analyzed.text;
        SpanJson {
            start: span.start,
            end: span.end,
            line: headline.line(span),
            text: text
                .get(range.start as usize..range.end as usize)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// One side's header.
#[derive(Clone, Debug, Serialize)]
pub struct DocJson {
    /// Where the input came from.
    pub origin: String,
    /// The extracted title, if any.
    pub title: Option<String>,
    /// Characters of article text (after extraction).
    pub chars: usize,
}

/// Coverage of each side by the other.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageJson {
    /// Share of A aligned with B.
    pub a_by_b: f64,
    /// Share of B aligned with A.
    pub b_by_a: f64,
}

/// One aligned group.
#[derive(Clone, Debug, Serialize)]
pub struct PairJson {
    /// The sentences of A.
    pub a: SpanJson,
    /// The sentences of B.
    pub b: SpanJson,
    /// `verbatim`, `edited` or `paraphrase`.
    pub kind: retrace_align::PairKind,
    /// Similarity, `0..=1`.
    pub score: f64,
}

/// Unaligned sentences of each side.
#[derive(Clone, Debug, Serialize)]
pub struct UnalignedJson {
    /// Sentences of A with no counterpart.
    pub a: Vec<SpanJson>,
    /// Sentences of B with no counterpart.
    pub b: Vec<SpanJson>,
}

/// One piece of evidence about which text is the original.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceJson {
    /// `published`, `coverage`, `copy_traits` or `reuse_symptoms`.
    pub kind: retrace_judge::EvidenceKind,
    /// `"a"`, `"b"` or `null` (it favours neither).
    pub favours: Option<&'static str>,
    /// Its weight in the decision, `0..=1`.
    pub weight: f64,
    /// One line for a person.
    pub detail: String,
}

fn side_name(side: Side) -> &'static str {
    if side == Side::A { "a" } else { "b" }
}

/// One typed change.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeJson {
    /// The change kind.
    pub kind: retrace_judge::ChangeKind,
    /// `"title"` for a change in the titles; absent for one in the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<&'static str>,
    /// Where in A, if anywhere.
    pub a: Option<SpanJson>,
    /// Where in B, if anywhere.
    pub b: Option<SpanJson>,
    /// One line for a person.
    pub detail: String,
}

/// The compare object.
#[derive(Clone, Debug, Serialize)]
pub struct CompareJson {
    /// The first article.
    pub a: DocJson,
    /// The second article.
    pub b: DocJson,
    /// The relation.
    pub relation: retrace_judge::Relation,
    /// `"a"`, `"b"` or `null`.
    pub source: Option<&'static str>,
    /// Confidence, `0..=1`.
    pub confidence: f64,
    /// What was weighed to tell the source.
    pub evidence: Vec<EvidenceJson>,
    /// Coverage of each side.
    pub coverage: CoverageJson,
    /// True when sentence embeddings took part in the scores.
    pub semantic: bool,
    /// Aligned groups.
    pub alignment: Vec<PairJson>,
    /// Unaligned sentences.
    pub unaligned: UnalignedJson,
    /// Typed changes from the source to the derivative.
    pub changes: Vec<ChangeJson>,
}

/// Whether the sentences `next` come right after `group` (its last sentence plus one).
fn follows(group: &[usize], next: &[usize]) -> bool {
    matches!((group.last(), next.first()), (Some(&last), Some(&first)) if first == last + 1)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn doc_json(doc: &ReportDoc<'_>) -> DocJson {
    DocJson {
        origin: doc.analyzed.origin.to_string(),
        title: doc.analyzed.title.clone(),
        chars: doc.analyzed.text.chars().count(),
    }
}

impl CompareJson {
    /// Builds the object for a report.
    pub fn new(report: &PairReport<'_>) -> CompareJson {
        CompareJson::build(report, false)
    }

    /// [`CompareJson::new`] with each run of verbatim groups that follow one another in both
    /// texts (sentences `i, i+1, …` of A with `j, j+1, …` of B) as one group from the run's
    /// first sentence to its last, the shape `retrace scan` writes to pairs.jsonl: the copies
    /// of a wire story are mostly one such run, which is then a line, not the article twice.
    pub fn with_verbatim_runs(report: &PairReport<'_>) -> CompareJson {
        CompareJson::build(report, true)
    }

    fn build(report: &PairReport<'_>, runs: bool) -> CompareJson {
        let (a, b) = (&report.a, &report.b);
        // Groups as (A's sentences, B's sentences, kind, score), runs merged when asked.
        let mut groups: Vec<(Vec<usize>, Vec<usize>, retrace_align::PairKind, f32)> = Vec::new();
        for p in &report.alignment.pairs {
            let verbatim = p.kind == retrace_align::PairKind::Verbatim;
            if let Some(last) = groups.last_mut()
                && runs
                && verbatim
                && last.2 == retrace_align::PairKind::Verbatim
                && follows(&last.0, &p.a)
                && follows(&last.1, &p.b)
            {
                last.0.extend_from_slice(&p.a);
                last.1.extend_from_slice(&p.b);
                last.3 = last.3.min(p.score);
                continue;
            }
            groups.push((p.a.clone(), p.b.clone(), p.kind, p.score));
        }
        let alignment = groups
            .iter()
            .map(|(ga, gb, kind, score)| PairJson {
                a: SpanJson::new(a, a.group_range(ga)),
                b: SpanJson::new(b, b.group_range(gb)),
                kind: *kind,
                score: round(f64::from(*score)),
            })
            .collect();
        let unaligned = |doc: &ReportDoc<'_>, list: &[usize]| {
            list.iter()
                .map(|&k| SpanJson::new(doc, doc.analyzed.sentences[k].range.clone()))
                .collect()
        };
        let (title_a, title_b) = (a.headline(), b.headline());
        let changes = report
            .verdict
            .changes
            .iter()
            .map(|c| {
                let title = c.place == retrace_judge::Place::Title;
                let span = |doc: &ReportDoc<'_>, headline: Option<&ReportDoc<'_>>, range| {
                    if title {
                        headline.map(|h| SpanJson::in_headline(h, range))
                    } else {
                        Some(SpanJson::new(doc, range))
                    }
                };
                ChangeJson {
                    kind: c.kind,
                    place: title.then_some("title"),
                    a: c.a.clone().and_then(|r| span(a, title_a.as_ref(), r)),
                    b: c.b.clone().and_then(|r| span(b, title_b.as_ref(), r)),
                    detail: c.detail.clone(),
                }
            })
            .collect();
        CompareJson {
            a: doc_json(a),
            b: doc_json(b),
            relation: report.verdict.relation,
            source: report.verdict.source.map(side_name),
            confidence: round(f64::from(report.verdict.confidence)),
            evidence: report
                .verdict
                .evidence
                .iter()
                .map(|e| EvidenceJson {
                    kind: e.kind,
                    favours: e.favours.map(side_name),
                    weight: round(f64::from(e.weight)),
                    detail: e.detail.clone(),
                })
                .collect(),
            coverage: CoverageJson {
                a_by_b: round(report.alignment.coverage_a),
                b_by_a: round(report.alignment.coverage_b),
            },
            semantic: report.alignment.semantic,
            alignment,
            unaligned: UnalignedJson {
                a: unaligned(a, &report.alignment.unaligned_a),
                b: unaligned(b, &report.alignment.unaligned_b),
            },
            changes,
        }
    }

    /// Pretty JSON text (two-space indent), newline-terminated.
    pub fn to_pretty(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("the compare object always serializes");
        text.push('\n');
        text
    }
}
