//! `retrace-eval changes`: relation, direction and typed changes on hand-written derivatives.
//!
//! Input: the case files in `cases/changes/tune/` and `cases/changes/report/` of this crate (see
//! [`case`] for the format), and the sources they name: pages of
//! `trafilatura-eval/html/` in the data folder and seed texts of `../shared/examples`, read at
//! run time. The team wrote every derivative by hand; the `tune` half is for tuning the
//! detector, the `report` half only for reporting figures.
//!
//! Each case is built (the source article extracted by `retrace-extract`, the derivative
//! assembled from its recipe) and compared the way `retrace compare` compares two inputs: both
//! are extracted, analyzed (`retrace-text`), embedded when the model is loaded, aligned
//! (`retrace-align`, default settings) and judged (`retrace-judge`, default settings). The
//! source input is the page or text file as given, the derivative plain text; `source_is` in the
//! case says which of the two is input A.
//!
//! Scoring, per split:
//! - **relation**: right when the verdict's relation is one of the case's accepted relations;
//! - **direction**: over the cases whose relation is a derivation, right when the verdict names
//!   the source side;
//! - **recall per kind**: a planted change is found when a reported change of the same kind
//!   overlaps its span on the derivative side (on the source side when the planted change has
//!   no place in the derivative, as for a dropped claim); spans are byte ranges of the inputs;
//!   one report finds at most one planted change (taken in key order);
//! - **false alarms**: reported changes on a derivation case that overlap no planted change of
//!   any kind on either side, per derivation case; changes reported on independent reports
//!   (non-derivations) are counted apart, all of them false;
//! - **judged real**: of those false alarms, the ones a reader judged real changes that the
//!   case's writer did not key (the case's `[[judged]]` entries, a kin kind overlapping the
//!   report: see [`case`]); "not judged real" is the false alarms less these, the figure that
//!   counts reports matching no change. Unjudged reports stay false alarms;
//! - **harmless renderings flagged**: harmless spans of the key that a reported change overlaps.
//! - **found, hedge and certainty as one**: recall again, a planted `hedge_dropped` also found
//!   by a `certainty_inflated` report and the reverse (writers key a modal "may" left out or made
//!   "will" either way): how much of the gap is the taxonomy rather than the detection. The
//!   headline recall stays strict.
//!
//! Output: the figures and one line per case on standard output (deterministic: cases in path
//! order), and with `--json FILE` every figure, case and reported change as JSON.

pub(crate) mod case;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use retrace_align::Alignment;
use retrace_embed::Embedder;
use retrace_engine::{Engine, Prepared};
use retrace_judge::{Side, Verdict};
use retrace_span::Origin;
use retrace_text::Analyzed;
use retrace_text::facts::{CertaintyLevel, FactKind, HedgeKind, is_extent};
use serde::Serialize;

use case::{Built, CaseFile, SideName, Style};

/// Arguments of `retrace-eval changes`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Which half of the cases to run: `tune` (for tuning), `report` (held out) or `all`.
    #[arg(long, value_enum, default_value_t = Split::Tune)]
    split: Split,
    /// The data folder that holds `trafilatura-eval/html/`
    /// [default: ../shared/data next to the repository]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The folder of the seed texts [default: ../shared/examples next to the repository]
    #[arg(long, value_name = "DIR")]
    examples: Option<PathBuf>,
    /// The folder that holds `tune/` and `report/`
    /// [default: crates/retrace-eval/cases/changes]
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
    /// Also write every figure, case and reported change as JSON to FILE (it quotes the
    /// articles: keep it outside the repository).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Align lexically only, even when the semantic model is installed.
    #[arg(long)]
    no_model: bool,
}

/// The halves of the case set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Split {
    /// The half the detector may be tuned on. This is the default.
    Tune,
    /// The held-out half: run it to report figures, never to tune.
    Report,
    /// Both halves.
    All,
}

impl Split {
    fn dirs(self) -> &'static [&'static str] {
        match self {
            Split::Tune => &["tune"],
            Split::Report => &["report"],
            Split::All => &["tune", "report"],
        }
    }
}

/// The pair engine of `retrace compare`, with the model when it is given.
pub(crate) fn engine(embedder: Option<Embedder>) -> Engine {
    match embedder {
        Some(embedder) => Engine::with_embedder(embedder),
        None => Engine::lexical(),
    }
}

/// Reads, extracts and analyzes one input, as `retrace compare` does.
fn read_prepared(
    engine: &Engine,
    origin: Origin,
    bytes: Vec<u8>,
    name: &Path,
) -> anyhow::Result<Prepared> {
    let raw = retrace_ingest::read_bytes(origin, bytes, Some(name))
        .with_context(|| format!("{}: cannot read", name.display()))?;
    engine
        .prepare(&raw)
        .with_context(|| format!("{}: no article", name.display()))
}

/// A reported change, with its spans in the inputs.
#[derive(Clone, Debug, Serialize)]
struct Reported {
    kind: String,
    /// True for a change in the titles.
    title: bool,
    /// Byte span in the source input.
    source: Option<Range<u32>>,
    /// Byte span in the derivative.
    derivative: Option<Range<u32>>,
    detail: String,
    /// For a report on a derivation that matches no planted change: whether a reader judged it
    /// a real change the writer did not key (`[[judged]]` of the case); `None` when unjudged or
    /// matching a planted change.
    #[serde(skip_serializing_if = "Option::is_none")]
    judged_real: Option<bool>,
    /// True for a report on a derivation that overlaps no planted change (set by [`score`]).
    #[serde(skip)]
    alarm: bool,
}

/// One case, compared and scored.
#[derive(Debug, Serialize)]
struct CaseResult {
    id: String,
    split: String,
    style: Style,
    source: String,
    expected: Vec<&'static str>,
    relation: &'static str,
    relation_right: bool,
    /// `Some(right)` for derivation cases.
    direction_right: Option<bool>,
    verdict_source: Option<&'static str>,
    confidence: f32,
    /// The direction evidence the verdict weighed, one line each ("coverage favours a: …").
    evidence: Vec<String>,
    planted: Vec<PlantedResult>,
    harmless_flagged: usize,
    harmless: usize,
    false_alarms: usize,
    /// Of the false alarms, those a reader judged real changes the writer did not key.
    judged_real: usize,
    reported: Vec<Reported>,
    /// The derivative as built and the source input as read (lossy UTF-8), for reading the
    /// spans above; only in the JSON.
    texts: Texts,
}

/// The two inputs of a case, so that the spans of the JSON can be read.
#[derive(Debug, Default, Serialize)]
struct Texts {
    derivative: String,
    source: String,
}

#[derive(Debug, Serialize)]
struct PlantedResult {
    #[serde(flatten)]
    planted: case::Planted,
    found: bool,
    /// Found with `hedge_dropped` and `certainty_inflated` taken as one kind.
    found_as_kin: bool,
    /// For a miss of a cue kind, where the detection stopped (see [`why_missed`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'static str>,
}

impl CaseResult {
    fn is_derivation(&self) -> bool {
        self.direction_right.is_some()
    }
}

/// The same kind, or `hedge_dropped` and `certainty_inflated` in either order.
fn kindred(a: &str, b: &str) -> bool {
    const KIN: [&str; 2] = ["hedge_dropped", "certainty_inflated"];
    a == b || (KIN.contains(&a) && KIN.contains(&b))
}

fn overlaps(a: &Range<u32>, b: &Range<u32>) -> bool {
    if a.is_empty() {
        return b.start <= a.start && a.start < b.end.max(b.start + 1);
    }
    if b.is_empty() {
        return overlaps(b, a);
    }
    a.start < b.end && b.start < a.end
}

fn side_overlaps(a: Option<&Range<u32>>, b: Option<&Range<u32>>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if overlaps(a, b))
}

/// A reader's judgement of a report that matched no planted change: the judged entry of a kin
/// kind that overlaps it, on the derivative side where both have a span there, else on the
/// source side.
fn judged_real(r: &Reported, judged: &[case::Judged]) -> Option<bool> {
    judged
        .iter()
        .find(|j| {
            kindred(&r.kind, &j.kind)
                && match (&r.derivative, &j.derivative) {
                    (Some(a), Some(b)) => overlaps(a, b),
                    _ => side_overlaps(r.source.as_ref(), j.source.as_ref()),
                }
        })
        .map(|j| j.real)
}

/// What names a case in the results.
struct Labels {
    id: String,
    split: String,
    style: Style,
    source: String,
}

/// Scores one compared case: the verdict, with its changes as byte spans of the inputs.
fn score(
    labels: Labels,
    built: Built,
    source_side: Side,
    verdict: &Verdict,
    reported: Vec<Reported>,
) -> CaseResult {
    let derivation = built.relations.iter().all(|r| r.is_derivation());
    let side_name = |side: Side| match side {
        Side::A => "a",
        Side::B => "b",
    };
    // One report finds one planted change: a sentence-wide report does not find every change
    // of its kind in the sentence.
    let mut used = vec![false; reported.len()];
    let mut used_kin = vec![false; reported.len()];
    let planted: Vec<PlantedResult> = built
        .planted
        .into_iter()
        .map(|planted| {
            let place = |r: &Reported| match &planted.derivative {
                Some(span) => side_overlaps(r.derivative.as_ref(), Some(span)),
                None => side_overlaps(r.source.as_ref(), planted.source.as_ref()),
            };
            let hit = reported
                .iter()
                .enumerate()
                .position(|(i, r)| !used[i] && r.kind == planted.kind && place(r));
            if let Some(i) = hit {
                used[i] = true;
            }
            let kin = reported
                .iter()
                .enumerate()
                .position(|(i, r)| !used_kin[i] && kindred(&r.kind, &planted.kind) && place(r));
            if let Some(i) = kin {
                used_kin[i] = true;
            }
            PlantedResult {
                planted,
                found: hit.is_some(),
                found_as_kin: kin.is_some(),
                why: None,
            }
        })
        .collect();
    let mut reported = reported;
    let false_alarms = if derivation {
        let mut n = 0;
        for r in &mut reported {
            let alarm = !planted.iter().any(|p| {
                side_overlaps(r.derivative.as_ref(), p.planted.derivative.as_ref())
                    || side_overlaps(r.source.as_ref(), p.planted.source.as_ref())
            });
            if alarm {
                n += 1;
                r.alarm = true;
                r.judged_real = judged_real(r, &built.judged);
            }
        }
        n
    } else {
        reported.len()
    };
    let judged_real = reported
        .iter()
        .filter(|r| r.judged_real == Some(true))
        .count();
    let harmless_flagged = built
        .harmless
        .iter()
        .filter(|h| {
            reported
                .iter()
                .any(|r| side_overlaps(r.derivative.as_ref(), Some(&h.derivative)))
        })
        .count();
    let Labels {
        id,
        split,
        style,
        source,
    } = labels;
    CaseResult {
        id,
        split,
        style,
        source,
        expected: built.relations.iter().map(|r| r.as_str()).collect(),
        relation: verdict.relation.as_str(),
        relation_right: built.relations.contains(&verdict.relation),
        direction_right: derivation.then_some(verdict.source == Some(source_side)),
        verdict_source: verdict.source.map(side_name),
        confidence: (verdict.confidence * 10_000.0).round() / 10_000.0,
        evidence: verdict
            .evidence
            .iter()
            .map(|e| {
                let favours = match e.favours {
                    Some(Side::A) => "favours a",
                    Some(Side::B) => "favours b",
                    None => "favours neither",
                };
                format!(
                    "{} {favours} ({:.2}): {}",
                    e.kind.as_str(),
                    e.weight,
                    e.detail
                )
            })
            .collect(),
        planted,
        harmless_flagged,
        harmless: built.harmless.len(),
        false_alarms,
        judged_real,
        reported,
        texts: Texts::default(),
    }
}

/// Builds, compares and scores one case file.
fn run_case(
    engine: &Engine,
    file: &Path,
    id: String,
    split: String,
    data: &Path,
    examples: &Path,
) -> anyhow::Result<CaseResult> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    let case: CaseFile = case::parse(file, &text)?;
    let source_path = case.source.path(data, examples);
    let source_bytes = std::fs::read(&source_path).with_context(|| {
        format!(
            "{}: source {}: cannot read (pass --data DIR or --examples DIR)",
            file.display(),
            source_path.display()
        )
    })?;
    let source = read_prepared(
        engine,
        Origin::Path(source_path.clone()),
        source_bytes.clone(),
        &source_path,
    )
    .with_context(|| format!("{}: the source", file.display()))?;
    let (style, source_label) = (case.style, case.source.label());
    let source_side = match case.source_is {
        SideName::A => Side::A,
        SideName::B => Side::B,
    };
    let map = source.article.map.clone();
    let built = case.build(file, &source.article.text, |range| {
        let span = map.span(range);
        span.start..span.end
    })?;
    let derivative_name = PathBuf::from(format!("{id}.txt"));
    let derivative = read_prepared(
        engine,
        Origin::Path(derivative_name.clone()),
        built.derivative.clone().into_bytes(),
        &derivative_name,
    )
    .with_context(|| format!("{}: the derivative", file.display()))?;

    let (a, b) = match source_side {
        Side::A => (&source.analyzed, &derivative.analyzed),
        Side::B => (&derivative.analyzed, &source.analyzed),
    };
    let (alignment, verdict) = engine.align_and_judge(a, b)?;
    let reported = verdict
        .changes
        .iter()
        .map(|change| {
            // A title change's ranges are in the title, which maps into the input its own way.
            let title = change.place == retrace_judge::Place::Title;
            let span_of = |doc: &Analyzed, range: &Option<Range<u32>>| {
                let doc = if title { doc.placed_headline()? } else { doc };
                range.clone().map(|r| {
                    let span = doc.span(r);
                    span.start..span.end
                })
            };
            let (in_a, in_b) = (span_of(a, &change.a), span_of(b, &change.b));
            let (source, derivative) = match source_side {
                Side::A => (in_a, in_b),
                Side::B => (in_b, in_a),
            };
            Reported {
                kind: change.kind.as_str().to_owned(),
                title,
                source,
                derivative,
                detail: change.detail.clone(),
                judged_real: None,
                alarm: false,
            }
        })
        .collect();
    let derivative_text = built.derivative.clone();
    let mut result = score(
        Labels {
            id,
            split,
            style,
            source: source_label,
        },
        built,
        source_side,
        &verdict,
        reported,
    );
    let (src_doc, dst_doc) = match source_side {
        Side::A => (a, b),
        Side::B => (b, a),
    };
    for p in result.planted.iter_mut().filter(|p| !p.found) {
        p.why = why_missed(&p.planted, src_doc, dst_doc, &alignment, source_side);
    }
    result.texts = Texts {
        derivative: derivative_text,
        source: String::from_utf8_lossy(&source_bytes).into_owned(),
    };
    Ok(result)
}

/// Which facts carry the cue a planted change of `kind` turns on: a hedge or a weak certainty
/// cue, or an attribution; `None` for kinds without one cue.
fn cue_of(kind: &str) -> Option<fn(&FactKind) -> bool> {
    fn hedged(f: &FactKind) -> bool {
        matches!(f, FactKind::Hedge(_))
            || matches!(f, FactKind::Certainty(c) if c.level == CertaintyLevel::Weak)
    }
    fn credited(f: &FactKind) -> bool {
        matches!(f, FactKind::Attribution(_))
    }
    match kind {
        "hedge_dropped" | "certainty_inflated" => Some(hedged),
        "attribution_dropped" => Some(credited),
        _ => None,
    }
}

/// Which facts a changed fact of `kind` is read as on both sides: a named entity, a number or
/// duration, a date or time of day.
fn fact_of(kind: &str) -> Option<fn(&FactKind) -> bool> {
    fn named(f: &FactKind) -> bool {
        matches!(f, FactKind::Entity(_))
    }
    fn counted(f: &FactKind) -> bool {
        matches!(f, FactKind::Number(_) | FactKind::Duration(_))
    }
    fn dated(f: &FactKind) -> bool {
        matches!(f, FactKind::Date(_) | FactKind::Time(_))
    }
    match kind {
        "name_changed" => Some(named),
        "number_changed" => Some(counted),
        "date_changed" => Some(dated),
        _ => None,
    }
}

/// Where the detection of a missed cue change stopped, for error analysis without reading the
/// cases: the source's cue not read at the planted span ("cue not read"); read, but the
/// derivative's sentences at the planted span carry a cue of their own that the detector takes
/// for the caveat kept ("derivative keeps a cue", with the cue's kind); read with a bare
/// derivative whose sentence the alignment did not pair with the source's ("not aligned
/// together"), or paired and let go by the detector's own conditions (clause retold, shared
/// words: "aligned, detector declined").
fn why_missed(
    planted: &case::Planted,
    src: &Analyzed,
    dst: &Analyzed,
    alignment: &Alignment,
    source_side: Side,
) -> Option<&'static str> {
    let fact = fact_of(&planted.kind);
    let cue = cue_of(&planted.kind).or(fact)?;
    let (Some(src_span), Some(dst_span)) = (&planted.source, &planted.derivative) else {
        return Some("one-sided");
    };
    let sentences_at = |doc: &Analyzed, span: &Range<u32>| -> Vec<usize> {
        (0..doc.sentences.len())
            .filter(|&k| {
                let at = doc.sentence_span(k);
                overlaps(&(at.start..at.end), span)
            })
            .collect()
    };
    let (src_sentences, dst_sentences) = (sentences_at(src, src_span), sentences_at(dst, dst_span));
    let cue_read = src_sentences.iter().any(|&k| {
        src.sentences[k].facts.iter().any(|f| {
            let at = src.span(f.range.clone());
            cue(&f.kind) && overlaps(&(at.start..at.end), src_span)
        })
    });
    if !cue_read {
        return Some(if fact.is_some() {
            "source's fact not read"
        } else {
            "cue not read"
        });
    }
    if fact.is_some() {
        let read = dst_sentences.iter().any(|&k| {
            dst.sentences[k].facts.iter().any(|f| {
                let at = dst.span(f.range.clone());
                cue(&f.kind) && overlaps(&(at.start..at.end), dst_span)
            })
        });
        if !read {
            return Some("derivative's fact not read");
        }
    }
    let src_cues: Vec<&str> = src_sentences
        .iter()
        .flat_map(|&k| &src.sentences[k].facts)
        .filter_map(|f| match &f.kind {
            FactKind::Certainty(c) => Some(c.cue.as_str()),
            _ => None,
        })
        .collect();
    let kept = dst_sentences
        .iter()
        .filter(|_| fact.is_none())
        .flat_map(|&k| &dst.sentences[k].facts)
        .find_map(|f| match &f.kind {
            FactKind::Hedge(h) if cue(&f.kind) => match h.kind {
                HedgeKind::Approximation => None,
                HedgeKind::Allegation => Some("derivative keeps a cue: allegation"),
                HedgeKind::Unverified => Some("derivative keeps a cue: unverified"),
                HedgeKind::Knowledge => Some("derivative keeps a cue: knowledge"),
                HedgeKind::Modal => Some("derivative keeps a cue: modal"),
            },
            FactKind::Certainty(c) if cue(&f.kind) => Some(if src_cues.contains(&c.cue.as_str()) {
                "derivative keeps a cue: weak, the source's own"
            } else if is_extent(&c.cue) {
                "derivative keeps a cue: weak, extent"
            } else if ["expect", "forecast", "project", "predict"]
                .iter()
                .any(|w| c.cue.contains(w))
            {
                "derivative keeps a cue: weak, forecast"
            } else if ["plan", "intend", "aim", "hope", "seek", "sought", "goal"]
                .iter()
                .any(|w| c.cue.contains(w))
            {
                "derivative keeps a cue: weak, intention"
            } else {
                "derivative keeps a cue: weak, other"
            }),
            FactKind::Attribution(_) if cue(&f.kind) => Some("derivative keeps a cue: attribution"),
            _ => None,
        });
    if let Some(kept) = kept {
        return Some(kept);
    }
    let together = alignment.pairs.iter().any(|pair| {
        let (in_src, in_dst) = match source_side {
            Side::A => (&pair.a, &pair.b),
            Side::B => (&pair.b, &pair.a),
        };
        in_src.iter().any(|k| src_sentences.contains(k))
            && in_dst.iter().any(|k| dst_sentences.contains(k))
    });
    Some(if together {
        "aligned, detector declined"
    } else {
        "not aligned together"
    })
}

/// The figures over a set of cases.
#[derive(Debug, Default, Serialize)]
struct Summary {
    cases: usize,
    derivations: usize,
    relation_right: usize,
    direction_right: usize,
    planted: usize,
    found: usize,
    /// Found with `hedge_dropped` and `certainty_inflated` taken as one kind.
    found_as_kin: usize,
    false_alarms: usize,
    false_alarms_per_derivation: f64,
    /// Of the false alarms, those judged real changes the writers did not key.
    judged_real: usize,
    /// The false alarms not judged real, per derivation.
    false_alarms_after_judging_per_derivation: f64,
    /// Changes reported on cases that are no derivation (independent reports).
    changes_on_non_derivations: usize,
    harmless: usize,
    harmless_flagged: usize,
    /// Per planted kind: (planted, found).
    by_kind: BTreeMap<String, (usize, usize)>,
    /// Per reported kind, the false alarms on derivation cases.
    false_alarms_by_kind: BTreeMap<String, usize>,
    /// Per reported kind, the false alarms judged real changes the writers did not key.
    judged_real_by_kind: BTreeMap<String, usize>,
    /// Per style: (cases, relation right).
    by_style: BTreeMap<String, (usize, usize)>,
    /// Misses of cue kinds by (kind, where the detection stopped).
    why_missed: BTreeMap<String, usize>,
}

impl Summary {
    fn of<'r>(results: impl IntoIterator<Item = &'r CaseResult>) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.cases += 1;
            s.relation_right += usize::from(r.relation_right);
            let style = s.by_style.entry(r.style.as_str().to_owned()).or_default();
            style.0 += 1;
            style.1 += usize::from(r.relation_right);
            s.harmless += r.harmless;
            s.harmless_flagged += r.harmless_flagged;
            if let Some(right) = r.direction_right {
                s.derivations += 1;
                s.direction_right += usize::from(right);
                s.false_alarms += r.false_alarms;
                s.judged_real += r.judged_real;
                for rep in &r.reported {
                    let alarm = rep.alarm;
                    if alarm {
                        *s.false_alarms_by_kind.entry(rep.kind.clone()).or_default() += 1;
                    }
                    if alarm && rep.judged_real == Some(true) {
                        *s.judged_real_by_kind.entry(rep.kind.clone()).or_default() += 1;
                    }
                }
            } else {
                s.changes_on_non_derivations += r.reported.len();
            }
            for p in &r.planted {
                s.planted += 1;
                s.found += usize::from(p.found);
                s.found_as_kin += usize::from(p.found_as_kin);
                let kind = s.by_kind.entry(p.planted.kind.clone()).or_default();
                kind.0 += 1;
                kind.1 += usize::from(p.found);
                if let Some(why) = p.why {
                    *s.why_missed
                        .entry(format!("{}: {why}", p.planted.kind))
                        .or_default() += 1;
                }
            }
        }
        s.false_alarms_per_derivation = ratio(s.false_alarms, s.derivations);
        s.false_alarms_after_judging_per_derivation =
            ratio(s.false_alarms - s.judged_real, s.derivations);
        s
    }

    fn table(&self, name: &str, out: &mut String) {
        let line = |out: &mut String, what: &str, n: usize, of: usize| {
            let _ = writeln!(out, "  {what:<34} {n:>4} / {of:<4} {:>6.3}", ratio(n, of));
        };
        let _ = writeln!(
            out,
            "{name}: {} cases, {} derivations, {} independent reports",
            self.cases,
            self.derivations,
            self.cases - self.derivations
        );
        line(out, "relation right", self.relation_right, self.cases);
        line(
            out,
            "source right (derivations)",
            self.direction_right,
            self.derivations,
        );
        line(out, "planted changes found", self.found, self.planted);
        line(
            out,
            "  hedge and certainty as one",
            self.found_as_kin,
            self.planted,
        );
        let _ = writeln!(
            out,
            "  {:<34} {:>4} in {:<4} {:>6.2} per derivation",
            "false alarms", self.false_alarms, self.derivations, self.false_alarms_per_derivation
        );
        let _ = writeln!(
            out,
            "  {:<34} {:>4} in {:<4} {:>6.2} per derivation",
            "  not judged real changes",
            self.false_alarms - self.judged_real,
            self.derivations,
            self.false_alarms_after_judging_per_derivation
        );
        line(
            out,
            "harmless renderings flagged",
            self.harmless_flagged,
            self.harmless,
        );
        let _ = writeln!(
            out,
            "  {:<34} {:>4}",
            "changes on independent reports", self.changes_on_non_derivations
        );
        let _ = writeln!(
            out,
            "\n  {:<22} {:>7} {:>6} {:>7} {:>12} {:>11}",
            "kind", "planted", "found", "recall", "false alarms", "judged real"
        );
        let mut kinds: Vec<&String> = self.by_kind.keys().collect();
        kinds.extend(
            self.false_alarms_by_kind
                .keys()
                .filter(|k| !self.by_kind.contains_key(*k)),
        );
        kinds.sort();
        for kind in kinds {
            let (planted, found) = self.by_kind.get(kind).copied().unwrap_or_default();
            let alarms = self
                .false_alarms_by_kind
                .get(kind)
                .copied()
                .unwrap_or_default();
            let real = self
                .judged_real_by_kind
                .get(kind)
                .copied()
                .unwrap_or_default();
            let recall = if planted == 0 {
                "-".to_owned()
            } else {
                format!("{:.3}", ratio(found, planted))
            };
            let _ = writeln!(
                out,
                "  {kind:<22} {planted:>7} {found:>6} {recall:>7} {alarms:>12} {real:>11}"
            );
        }
        let _ = writeln!(
            out,
            "\n  {:<22} {:>7} {:>15}",
            "style", "cases", "relation right"
        );
        for (style, (cases, right)) in &self.by_style {
            let _ = writeln!(out, "  {style:<22} {cases:>7} {right:>15}");
        }
        if !self.why_missed.is_empty() {
            let _ = writeln!(
                out,
                "\n  {:<50} {:>6}",
                "cue kinds missed: where it stopped", "misses"
            );
            for (why, n) in &self.why_missed {
                let _ = writeln!(out, "  {why:<50} {n:>6}");
            }
        }
    }
}

fn ratio(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

/// One line per case.
fn case_line(r: &CaseResult, out: &mut String) {
    let direction = match r.direction_right {
        Some(true) => "ok",
        Some(false) => "WRONG",
        None => "-",
    };
    let found = r.planted.iter().filter(|p| p.found).count();
    let mut missed: Vec<&str> = r
        .planted
        .iter()
        .filter(|p| !p.found)
        .map(|p| p.planted.kind.as_str())
        .collect();
    missed.sort_unstable();
    let relation = if r.relation_right {
        r.relation.to_owned()
    } else {
        format!("{}≠{}", r.relation, r.expected.join("|"))
    };
    let _ = write!(
        out,
        "  {:<40} {:<12} {:<24} {:<6} {:>2}/{:<2} {:>5} {:>3}/{:<2}",
        r.id,
        r.style.as_str(),
        relation,
        direction,
        found,
        r.planted.len(),
        if r.is_derivation() {
            r.false_alarms
        } else {
            r.reported.len()
        },
        r.harmless_flagged,
        r.harmless
    );
    if !missed.is_empty() {
        let _ = write!(out, "  missed: {}", missed.join(", "));
    }
    out.push('\n');
}

/// The whole run, as written with `--json`.
#[derive(Debug, Serialize)]
struct Report {
    command: String,
    semantic: bool,
    split: Split,
    summaries: BTreeMap<String, Summary>,
    cases: Vec<CaseResult>,
}

/// The case files of one split folder, in path order.
fn case_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Runs the evaluation and prints the table.
pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    let data = crate::mrpc::data_dir(args.data.as_deref());
    let examples = args.examples.clone().unwrap_or_else(|| {
        crate::mrpc::repo_root().parent().map_or_else(
            || PathBuf::from("../shared/examples"),
            |p| p.join("shared/examples"),
        )
    });
    let cases = args
        .cases
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/changes"));
    if !data.join("trafilatura-eval/html").is_dir() {
        bail!(
            "{}: no such directory; pass --data DIR, the folder that holds trafilatura-eval/",
            data.join("trafilatura-eval/html").display()
        );
    }
    let embedder = if args.no_model {
        None
    } else {
        let embedder = Embedder::discover().context("loading the sentence model")?;
        if embedder.is_none() {
            eprintln!(
                "changes: semantic model not installed; aligning lexically (run 'retrace model install')"
            );
        }
        embedder
    };
    let semantic = embedder.is_some();
    let engine = engine(embedder);

    let mut results = Vec::new();
    for split in args.split.dirs() {
        let dir = cases.join(split);
        for file in case_files(&dir)? {
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = format!("{split}/{stem}");
            results.push(run_case(
                &engine,
                &file,
                id,
                (*split).to_owned(),
                &data,
                &examples,
            )?);
        }
    }
    if results.is_empty() {
        bail!(
            "{}: no case files for split {:?}",
            cases.display(),
            args.split
        );
    }

    let mut summaries = BTreeMap::new();
    for split in args.split.dirs() {
        summaries.insert(
            (*split).to_owned(),
            Summary::of(results.iter().filter(|r| r.split == *split)),
        );
    }
    if summaries.len() > 1 {
        summaries.insert("all".to_owned(), Summary::of(&results));
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "typed changes on hand-written derivatives ({}); sources read from {} and {}\n",
        if semantic {
            "with the semantic model"
        } else {
            "lexical: no model"
        },
        data.display(),
        examples.display()
    );
    for (name, summary) in &summaries {
        summary.table(name, &mut out);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "  {:<40} {:<12} {:<24} {:<6} {:>5} {:>5} {:>6}",
        "case", "style", "relation", "source", "found", "false", "harmls"
    );
    for r in &results {
        case_line(r, &mut out);
    }
    let _ = writeln!(out, "\ncommand: {command_line}");
    print!("{out}");

    if let Some(path) = &args.json {
        let report = Report {
            command: command_line.to_owned(),
            semantic,
            split: args.split,
            summaries,
            cases: results,
        };
        let json = serde_json::to_string_pretty(&report)? + "\n";
        std::fs::write(path, json).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use retrace_judge::Relation;

    use super::*;

    #[test]
    fn a_missed_cue_change_says_where_its_detection_stopped() {
        let analyze = |text: &str| {
            retrace_text::Analyzer::new().analyze(
                Origin::Stdin,
                None,
                text,
                &retrace_span::OffsetMap::identity(text.len() as u32),
            )
        };
        let at = |text: &str, what: &str| {
            let start = text.find(what).unwrap() as u32;
            start..start + what.len() as u32
        };
        let src_text = "Early readings indicated the substation had flooded.";
        let src = analyze(src_text);
        let why = |dst_text: &str,
                   src_cue: &str,
                   dst_at: &str,
                   pairs: Vec<retrace_align::AlignedPair>| {
            let dst = analyze(dst_text);
            let planted = case::Planted {
                kind: "certainty_inflated".into(),
                derivative: Some(at(dst_text, dst_at)),
                source: Some(at(src_text, src_cue)),
                note: None,
            };
            let alignment = Alignment {
                pairs,
                unaligned_a: vec![],
                unaligned_b: vec![],
                coverage_a: 1.0,
                coverage_b: 1.0,
                semantic: false,
            };
            why_missed(&planted, &src, &dst, &alignment, Side::A)
        };
        let paired = || {
            vec![retrace_align::AlignedPair {
                a: vec![0],
                b: vec![0],
                kind: retrace_align::PairKind::Paraphrase,
                score: 0.5,
                overlap: 0.5,
            }]
        };
        let dst = "Early readings proved the substation had flooded.";
        // The planted span holds no cue the lexicon reads.
        assert_eq!(why(dst, "Early", "proved", paired()), Some("cue not read"));
        assert_eq!(
            why(dst, "indicated", "proved", vec![]),
            Some("not aligned together")
        );
        assert_eq!(
            why(dst, "indicated", "proved", paired()),
            Some("aligned, detector declined")
        );
        assert_eq!(
            why(
                "Early readings suggested the substation had flooded.",
                "indicated",
                "suggested",
                paired()
            ),
            Some("derivative keeps a cue: weak, other")
        );
        // Kinds without one cue are not diagnosed.
        let mut planted = case::Planted {
            kind: "claim_added".into(),
            derivative: None,
            source: None,
            note: None,
        };
        let none = Alignment {
            pairs: vec![],
            unaligned_a: vec![],
            unaligned_b: vec![],
            coverage_a: 0.0,
            coverage_b: 0.0,
            semantic: false,
        };
        assert_eq!(why_missed(&planted, &src, &src, &none, Side::A), None);
        planted.kind = "hedge_dropped".into();
        assert_eq!(
            why_missed(&planted, &src, &src, &none, Side::A),
            Some("one-sided")
        );
    }

    /// Our own tiny source, written for this test.
    const SOURCE: &str = "Harbour ferry sinks off Dunmore\n\n\
        A ferry sank off Dunmore on Monday, and 12 passengers were rescued by fishermen. \
        The coastguard said the engine may have failed in heavy seas. \
        \"We got everyone out in less than 10 minutes,\" said skipper Ann Pryce. \
        The ferry company said it would review its safety checks. \
        The harbour will stay closed until Friday while divers inspect the wreck.\n";

    fn run_one(dir: &Path, case: &str) -> CaseResult {
        let examples = dir.join("examples");
        std::fs::create_dir_all(&examples).unwrap();
        std::fs::write(examples.join("ferry.txt"), SOURCE).unwrap();
        let file = dir.join("case.toml");
        std::fs::write(&file, case).unwrap();
        run_case(
            &engine(None),
            &file,
            "t/case".into(),
            "t".into(),
            dir,
            &examples,
        )
        .unwrap()
    }

    #[test]
    fn a_copy_with_planted_changes_is_scored_end_to_end() {
        let dir = tempfile::tempdir().unwrap();
        let result = run_one(
            dir.path(),
            r#"
            style = "aggregator"
            source = { example = "ferry.txt" }
            source_is = "b"
            relation = ["duplicate", "rewrite"]
            title = "Harbour ferry sinks off Dunmore"
            [[block]]
            keep = "A ferry sank"
            to = "coastguard said the engine may have failed in heavy seas."
            replace = [["12 passengers", "15 passengers"], ["may have failed", "failed"]]
            [[block]]
            keep = "\"We got everyone"
            replace = [["Friday", "Sunday"]]
            join = "space"
            [[change]]
            kind = "number_changed"
            in_derivative = "15 passengers"
            in_source = "12 passengers"
            [[change]]
            kind = "date_changed"
            in_derivative = "until Sunday"
            in_source = "until Friday"
            [[change]]
            kind = "hedge_dropped"
            in_derivative = "engine failed"
            in_source = "may have failed"
            "#,
        );
        assert!(result.relation_right, "{result:?}");
        assert!(result.direction_right.is_some());
        assert_eq!(result.planted.len(), 3);
        // The derivative keeps the dates and numbers in place: at least the figure is found.
        assert!(result.planted[0].found, "{result:?}");
    }

    fn reported(
        kind: &str,
        derivative: Option<Range<u32>>,
        source: Option<Range<u32>>,
    ) -> Reported {
        Reported {
            kind: kind.into(),
            title: false,
            source,
            derivative,
            detail: String::new(),
            judged_real: None,
            alarm: false,
        }
    }

    fn built(planted: Vec<case::Planted>, harmless: Vec<case::Harmless>) -> Built {
        Built {
            derivative: String::new(),
            relations: vec![Relation::Rewrite],
            planted,
            harmless,
            judged: Vec::new(),
        }
    }

    fn planted(
        kind: &str,
        derivative: Option<Range<u32>>,
        source: Option<Range<u32>>,
    ) -> case::Planted {
        case::Planted {
            kind: kind.into(),
            derivative,
            source,
            note: None,
        }
    }

    fn labels(style: Style) -> Labels {
        Labels {
            id: "x".into(),
            split: "tune".into(),
            style,
            source: "s".into(),
        }
    }

    fn verdict(relation: Relation, source: Option<Side>) -> Verdict {
        Verdict {
            relation,
            source,
            confidence: 0.5,
            changes: Vec::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn found_needs_the_same_kind_overlapping_on_the_derivative_side_or_the_source_for_drops() {
        let key = built(
            vec![
                planted("number_changed", Some(10..20), Some(100..110)),
                planted("claim_dropped", None, Some(200..260)),
                planted("name_changed", Some(40..50), None),
            ],
            vec![case::Harmless {
                derivative: 70..80,
                note: None,
            }],
        );
        let reports = vec![
            reported("number_changed", Some(15..30), Some(0..5)),
            reported("claim_dropped", None, Some(250..300)),
            reported("claim_added", Some(45..60), None),
            reported("claim_added", Some(75..90), None),
            reported("date_changed", Some(300..310), None),
        ];
        let r = score(
            labels(Style::ContentFarm),
            key,
            Side::A,
            &verdict(Relation::Rewrite, Some(Side::A)),
            reports,
        );
        let found: Vec<bool> = r.planted.iter().map(|p| p.found).collect();
        assert_eq!(found, [true, true, false]);
        // claim_added at 45..60 overlaps the planted name change: wrong kind, not an alarm.
        assert_eq!(r.false_alarms, 2);
        assert_eq!(r.harmless_flagged, 1);
        assert_eq!(r.direction_right, Some(true));
        let s = Summary::of([&r]);
        assert_eq!((s.planted, s.found, s.false_alarms), (3, 2, 2));
        assert_eq!(s.by_kind["name_changed"], (1, 0));
        assert_eq!(s.false_alarms_by_kind["claim_added"], 1);
        assert_eq!(s.false_alarms_by_kind["date_changed"], 1);
    }

    #[test]
    fn judged_entries_tell_real_unkeyed_changes_from_false_alarms() {
        let mut key = built(
            vec![planted("number_changed", Some(10..20), None)],
            Vec::new(),
        );
        let judged = |kind: &str, derivative, source, real| case::Judged {
            kind: kind.into(),
            derivative,
            source,
            real,
            reason: "r".into(),
        };
        key.judged = vec![
            judged("claim_added", Some(30..40), None, true),
            judged("attribution_dropped", Some(50..60), None, false),
            judged("claim_dropped", None, Some(300..320), true),
            judged("certainty_inflated", Some(70..75), None, true),
        ];
        let reports = vec![
            reported("claim_added", Some(35..38), None),
            reported("attribution_dropped", Some(52..58), None),
            reported("claim_dropped", None, Some(310..400)),
            // A kin kind counts; another kind at the same place does not.
            reported("hedge_dropped", Some(70..72), None),
            reported("name_changed", Some(30..32), None),
            // Unjudged: a false alarm.
            reported("date_changed", Some(90..95), None),
        ];
        let r = score(
            labels(Style::ContentFarm),
            key,
            Side::A,
            &verdict(Relation::Rewrite, Some(Side::A)),
            reports,
        );
        assert_eq!((r.false_alarms, r.judged_real), (6, 3));
        let s = Summary::of([&r]);
        assert_eq!((s.false_alarms, s.judged_real), (6, 3));
        assert_eq!(s.judged_real_by_kind["hedge_dropped"], 1);
        assert!(!s.judged_real_by_kind.contains_key("attribution_dropped"));
        assert!((s.false_alarms_after_judging_per_derivation - 3.0).abs() < 1e-9);
    }

    #[test]
    fn one_report_finds_one_planted_change() {
        // A sentence-wide report overlaps both changes of its kind planted in the sentence.
        let key = built(
            vec![
                planted("attribution_dropped", Some(10..20), None),
                planted("attribution_dropped", Some(30..40), None),
            ],
            Vec::new(),
        );
        let reports = vec![reported("attribution_dropped", Some(0..50), None)];
        let r = score(
            labels(Style::ContentFarm),
            key,
            Side::A,
            &verdict(Relation::Rewrite, Some(Side::A)),
            reports,
        );
        let found: Vec<bool> = r.planted.iter().map(|p| p.found).collect();
        assert_eq!(found, [true, false]);
        assert_eq!(r.false_alarms, 0);
    }

    #[test]
    fn non_derivations_have_no_direction_and_every_change_is_false() {
        let mut key = built(Vec::new(), Vec::new());
        key.relations = vec![Relation::SameStory, Relation::Unrelated];
        let r = score(
            labels(Style::Independent),
            key,
            Side::B,
            &verdict(Relation::Rewrite, Some(Side::A)),
            vec![reported("quote_invented", Some(0..4), None)],
        );
        assert!(!r.relation_right);
        assert_eq!(r.direction_right, None);
        let s = Summary::of([&r]);
        assert_eq!(
            (s.derivations, s.false_alarms, s.changes_on_non_derivations),
            (0, 0, 1)
        );
    }

    #[test]
    fn every_committed_case_file_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/changes");
        for split in ["tune", "report"] {
            let files = case_files(&root.join(split)).unwrap();
            assert!(files.len() >= 31, "{split}: {} cases", files.len());
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                let case = case::parse(&file, &text).unwrap();
                // Without ../shared the cases cannot be built, but their kinds can be checked.
                for kind in case.kinds() {
                    assert!(
                        retrace_judge::ChangeKind::from_name(kind).is_some(),
                        "{}: unknown kind {kind:?}",
                        file.display()
                    );
                }
            }
        }
    }

    #[test]
    fn overlap_is_half_open() {
        assert!(overlaps(&(0..5), &(4..9)));
        assert!(!overlaps(&(0..5), &(5..9)));
        assert!(overlaps(&(5..5), &(4..9)));
    }
}
