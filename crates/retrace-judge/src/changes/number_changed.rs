//! `number_changed`: see `docs/number_changed.md`.
//!
//! Every figure of the aligned sentences goes through one comparison: counts, sums of money,
//! percentages, measurements, ages and ranks (`NumberFact::quantity`), lengths of time
//! (`DurationFact::seconds`) and times of day (`TimeFact::minutes`). Each is put on one
//! scale for what it measures, so that renderings ("10%" and "10 percent", "three" and "3", "two
//! weeks" and "14 days", "$2m" and "$2 million") compare equal.
//!
//! Figures are paired in four passes. First, within each aligned group, figures that agree
//! (equal, or the derivative's rounded or bounded version of the source's: "2,488" and "nearly
//! 2,500", "dozens" and "40"). Second, figures left in a group that clearly speak of one thing
//! (the same counted noun, currency, unit or kind of quantity, with the words around them) are
//! a changed figure. Third, a figure still left on one side that agrees with one left anywhere
//! on the other side has moved to another sentence, not changed. Fourth, what is left in a
//! group pairs on a weaker fit (a bare number, two different nouns) only where each is the
//! other's one candidate.
//!
//! Also reports a qualifier dropped from a figure ("about 50" → "50", "about six days" → "six
//! days") as `hedge_dropped`, and a changed time of day ("3 a.m." → "5 a.m.") as
//! `date_changed`: it says when, as a date does.

use std::ops::Range;

use retrace_text::Analyzed;
use retrace_text::facts::{FactKind, Measure, Quantity};

use super::{ChangeKind, Ctx, Found};

/// The kind reported for a changed time of day.
const TIME_CHANGED: ChangeKind = ChangeKind::DateChanged;

/// What a figure measures.
#[derive(Clone, Debug, PartialEq)]
enum Dim {
    Number(Measure),
    Duration,
    Time { twelve_hour: bool },
}

/// The direction of a qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    /// "about", "around", "some": near the value.
    Near,
    /// "more than", "at least": the value or above.
    Above,
    /// "less than", "up to", "nearly": the value or below.
    Below,
    /// "only", "just", "exactly": no hedge at all.
    Exact,
}

fn bound(qualifier: &str) -> Bound {
    match qualifier {
        "more than" | "at least" | "over" | "upwards of" | "in excess of" | "just over"
        | "well over" | "no fewer than" | "no less than" => Bound::Above,
        "less than" | "fewer than" | "under" | "up to" | "at most" | "no more than" | "nearly"
        | "almost" | "just under" | "as many as" | "as much as" | "close to" => Bound::Below,
        "only" | "just" | "exactly" | "as few as" => Bound::Exact,
        _ => Bound::Near,
    }
}

/// One figure of a document, on a comparable scale.
#[derive(Debug)]
struct Fig<'d> {
    dim: Dim,
    value: f64,
    value_end: Option<f64>,
    vague: bool,
    qualifier: Option<&'d str>,
    /// The figure as written, qualifier and counted noun included.
    text: &'d str,
    range: Range<u32>,
    /// Aligned group of its sentence, if any.
    group: Option<usize>,
    /// Stems of the content words around it.
    context: Vec<&'d str>,
    /// A bare year: it absorbs an equal figure ("2000" read as a year, "2,000"), never changes.
    match_only: bool,
    /// The noun counted or ranked, as written.
    noun: Option<&'d str>,
}

impl Fig<'_> {
    /// What the figure is, for the detail line.
    fn what(&self) -> String {
        match &self.dim {
            Dim::Duration => "duration".to_owned(),
            Dim::Time { .. } => "time of day".to_owned(),
            Dim::Number(m) => match m {
                Measure::Money(_) => "sum of money".to_owned(),
                Measure::Percent => "percentage".to_owned(),
                Measure::Unit("deg") => "temperature or angle".to_owned(),
                Measure::Unit(_) => "measurement".to_owned(),
                Measure::Age => "age".to_owned(),
                Measure::Ordinal(Some(_)) => format!("rank of {}", self.noun.unwrap_or("it")),
                Measure::Ordinal(None) => "rank".to_owned(),
                Measure::Count(Some(_)) => format!("number of {}", self.noun.unwrap_or("it")),
                Measure::Count(None) => "figure".to_owned(),
            },
        }
    }
}

/// The figures of every sentence of `doc`; `group_of[k]` is the aligned group of sentence `k`.
fn figures<'d>(doc: &'d Analyzed, group_of: &[Option<usize>]) -> Vec<Fig<'d>> {
    let mut out = Vec::new();
    for (k, sentence) in doc.sentences.iter().enumerate() {
        for fact in &sentence.facts {
            let mut noun = None;
            let (dim, value, value_end, vague, qualifier, match_only) = match &fact.kind {
                FactKind::Number(n) => {
                    let Quantity {
                        measure,
                        value,
                        value_end,
                    } = n.quantity();
                    let q = n.qualifier.as_deref().filter(|_| !n.vague);
                    noun = n.counts.as_deref();
                    (Dim::Number(measure), value, value_end, n.vague, q, false)
                }
                FactKind::Duration(d) => (
                    Dim::Duration,
                    d.seconds(),
                    d.seconds_end(),
                    false,
                    d.qualifier.as_deref(),
                    false,
                ),
                FactKind::Time(t) => (
                    Dim::Time {
                        twelve_hour: t.twelve_hour,
                    },
                    f64::from(t.minutes),
                    None,
                    false,
                    t.qualifier.as_deref(),
                    false,
                ),
                FactKind::Date(d)
                    if d.month.is_none() && d.day.is_none() && d.weekday.is_none() =>
                {
                    let Some(year) = d.year else { continue };
                    (
                        Dim::Number(Measure::Count(None)),
                        f64::from(year),
                        None,
                        false,
                        None,
                        true,
                    )
                }
                _ => continue,
            };
            out.push(Fig {
                dim,
                value,
                value_end,
                vague,
                qualifier,
                text: doc.slice(&fact.range),
                range: fact.range.clone(),
                group: group_of.get(k).copied().flatten(),
                context: context(doc, k, &fact.range),
                match_only,
                noun,
            });
        }
    }
    out
}

/// Stems of up to three content words before a figure and two after it, in its sentence.
fn context<'d>(doc: &'d Analyzed, k: usize, range: &Range<u32>) -> Vec<&'d str> {
    let content = |t: &&retrace_text::Token| {
        !t.stop && t.kind == retrace_text::TokenKind::Word && t.stem.len() > 1
    };
    let tokens = &doc.sentences[k].tokens;
    let before = tokens
        .iter()
        .filter(|t| t.range.end <= range.start)
        .filter(content)
        .rev()
        .take(3);
    let after = tokens
        .iter()
        .filter(|t| t.range.start >= range.end)
        .filter(content)
        .take(2);
    before.chain(after).map(|t| t.stem.as_str()).collect()
}

/// Whether two figures can be compared at all for equality: the same kind of quantity, or a
/// bare number on either side.
fn comparable(a: &Fig<'_>, b: &Fig<'_>) -> bool {
    match (&a.dim, &b.dim) {
        (Dim::Duration, Dim::Duration) | (Dim::Time { .. }, Dim::Time { .. }) => true,
        (Dim::Number(x), Dim::Number(y)) => match (x, y) {
            (Measure::Count(None), _) | (_, Measure::Count(None)) => true,
            (Measure::Count(_), Measure::Count(_)) => true,
            (Measure::Money(p), Measure::Money(q)) => p.is_none() || q.is_none() || p == q,
            (Measure::Ordinal(_), Measure::Ordinal(_)) => true,
            _ => x == y,
        },
        _ => false,
    }
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(f64::MIN_POSITIVE)
}

/// Whether two comparable figures state the same value.
fn equal(a: &Fig<'_>, b: &Fig<'_>) -> bool {
    if let (Dim::Time { twelve_hour: x }, Dim::Time { twelve_hour: y }) = (&a.dim, &b.dim) {
        return a.value == b.value || ((*x || *y) && a.value % 720.0 == b.value % 720.0);
    }
    // Durations: a month is a twelfth of a year, so "26 weeks" and "six months" differ by
    // 0.3%; measurements in different units are converted and rounded.
    let tolerance = match (&a.dim, &b.dim) {
        (Dim::Duration, _) => 0.005,
        (Dim::Number(Measure::Unit(_)), _) => 0.01,
        // "a third" is 33.3%, written "33%".
        (Dim::Number(Measure::Percent), _) | (_, Dim::Number(Measure::Percent)) => 0.011,
        _ => 1e-9,
    };
    let ends = match (a.value_end, b.value_end) {
        (None, None) => true,
        (Some(x), Some(y)) => close(x, y, tolerance),
        _ => false,
    };
    ends && close(a.value, b.value, tolerance)
}

/// Significant digits of a value, to tell a rounded figure.
fn significant(v: f64) -> usize {
    let s = format!("{}", v.abs());
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    if s.contains('.') {
        digits.len()
    } else {
        digits.trim_end_matches('0').len()
    }
}

/// Whether the derivative's figure `d` is a fair rendering of the source's `s` without being
/// equal: a vague quantity that covers the other, a rounded figure, or a bound the source's
/// value meets ("nearly 2,500" for 2,488; "more than 100" for 120).
fn consistent(s: &Fig<'_>, d: &Fig<'_>) -> bool {
    if matches!(s.dim, Dim::Time { .. }) || s.value_end.is_some() || d.value_end.is_some() {
        return false;
    }
    let covers = |vague: &Fig<'_>, other: &Fig<'_>| {
        let span = if vague.value == 12.0 { 12.0 } else { 10.0 };
        other.value >= vague.value && other.value < vague.value * span
    };
    match (s.vague, d.vague) {
        (true, true) => return false,
        (true, false) => return covers(s, d),
        (false, true) => return covers(d, s),
        (false, false) => {}
    }
    let (sv, dv) = (s.value, d.value);
    if sv <= 0.0 || dv <= 0.0 {
        return false;
    }
    // A rounded figure: fewer significant digits, within 2%.
    let rounded = significant(dv) < significant(sv) && close(sv, dv, 0.02);
    let s_bound = s.qualifier.map(bound);
    match d.qualifier.map(bound) {
        None | Some(Bound::Exact) => rounded && s_bound.is_none_or(|b| b == Bound::Near),
        Some(Bound::Near) => close(sv, dv, 0.1),
        Some(Bound::Above) => {
            s_bound != Some(Bound::Below) && sv >= dv && sv <= dv * 1.3 && sv != dv
        }
        Some(Bound::Below) => {
            s_bound != Some(Bound::Above) && sv <= dv && sv >= dv * 0.7 && sv != dv
        }
    }
}

/// How well two figures fit as one figure: None when they measure different things; 3 for the
/// same noun, currency, unit or kind of quantity; 2 for two durations or two bare numbers; 1 for
/// a bare number against a counted one, or two different nouns.
fn kinship(s: &Fig<'_>, d: &Fig<'_>) -> Option<u32> {
    Some(match (&s.dim, &d.dim) {
        (Dim::Time { .. }, Dim::Time { .. }) => 3,
        (Dim::Duration, Dim::Duration) => 2,
        (Dim::Number(x), Dim::Number(y)) => match (x, y) {
            (Measure::Count(Some(p)), Measure::Count(Some(q)))
            | (Measure::Ordinal(Some(p)), Measure::Ordinal(Some(q))) => {
                if p == q {
                    3
                } else {
                    1
                }
            }
            (Measure::Count(None), Measure::Count(None)) => 2,
            (Measure::Count(None), Measure::Count(_) | Measure::Money(_) | Measure::Percent)
            | (Measure::Count(_) | Measure::Money(_) | Measure::Percent, Measure::Count(None)) => 1,
            (Measure::Money(_), Measure::Money(_)) => 3,
            (Measure::Ordinal(_), Measure::Ordinal(_)) => 1,
            _ if x == y => 3,
            _ => return None,
        },
        _ => return None,
    })
}

/// How well two figures left over in one group fit as one figure changed: [`kinship`] plus
/// up to two shared context words. Below 3 they pair only when nothing else can.
fn fit(s: &Fig<'_>, d: &Fig<'_>) -> Option<u32> {
    let base = kinship(s, d)?;
    let shared = s
        .context
        .iter()
        .filter(|w| d.context.contains(w))
        .count()
        .min(2);
    Some(base + u32::try_from(shared).unwrap_or(0))
}

/// Whether a figure is still open, or already paired (agreeing, moved or changed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pairing {
    Open,
    Paired,
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    let mut src_group = vec![None; ctx.src.sentences.len()];
    let mut dst_group = vec![None; ctx.dst.sentences.len()];
    for (g, group) in ctx.groups.iter().enumerate() {
        for &k in &group.src {
            if let Some(slot) = src_group.get_mut(k) {
                *slot = Some(g);
            }
        }
        for &k in &group.dst {
            if let Some(slot) = dst_group.get_mut(k) {
                *slot = Some(g);
            }
        }
    }
    let src = figures(ctx.src, &src_group);
    let dst = figures(ctx.dst, &dst_group);
    let mut src_state = vec![Pairing::Open; src.len()];
    let mut dst_state = vec![Pairing::Open; dst.len()];

    // 1. Within each group: equal figures, then fair renderings.
    for pass in 0..2 {
        for (i, s) in src.iter().enumerate() {
            if s.group.is_none() || src_state[i] != Pairing::Open {
                continue;
            }
            let candidates = (0..dst.len()).filter(|&j| {
                dst_state[j] == Pairing::Open && dst[j].group == s.group && comparable(s, &dst[j])
            });
            let best = candidates
                .filter(|&j| {
                    if pass == 0 {
                        equal(s, &dst[j])
                    } else {
                        consistent(s, &dst[j])
                    }
                })
                .max_by_key(|&j| (fit(s, &dst[j]).unwrap_or(0), std::cmp::Reverse(j)));
            let Some(j) = best else { continue };
            src_state[i] = Pairing::Paired;
            dst_state[j] = Pairing::Paired;
            if pass == 0 {
                qualifier_changes(s, &dst[j], out);
            }
        }
    }

    // 2. Changed, clearly: figures left in one group that count the same noun, in the same
    //    currency, unit or kind, or share the words around them.
    //    Two different nouns ("survivors", "officers") never pair here, whatever their context.
    let strong = candidates(&src, &dst, &src_state, &dst_state, |score, i, j| {
        score >= 3 && kinship(&src[i], &dst[j]).is_some_and(|k| k >= 2)
    });
    report(&src, &dst, strong, &mut src_state, &mut dst_state, out);

    // 3. Moved: a figure left over that agrees with one left over anywhere on the other side.
    for (i, s) in src.iter().enumerate() {
        if src_state[i] != Pairing::Open {
            continue;
        }
        let moved = (0..dst.len()).find(|&j| {
            dst_state[j] == Pairing::Open
                && kinship(s, &dst[j]).is_some_and(|k| k >= 2)
                && comparable(s, &dst[j])
                && equal(s, &dst[j])
        });
        if let Some(j) = moved {
            src_state[i] = Pairing::Paired;
            dst_state[j] = Pairing::Paired;
        }
    }

    // 4. Changed, by elimination: a weaker fit stands when each is the other's one candidate.
    let all = candidates(&src, &dst, &src_state, &dst_state, |_, _, _| true);
    let weak = all
        .iter()
        .copied()
        .filter(|&(_, i, j)| {
            all.iter().filter(|p| p.1 == i).count() == 1
                && all.iter().filter(|p| p.2 == j).count() == 1
        })
        .collect();
    report(&src, &dst, weak, &mut src_state, &mut dst_state, out);
}

/// Pairs of open figures of one group that could be one figure changed, with their fit, best
/// first, those that `keep` accepts.
fn candidates(
    src: &[Fig<'_>],
    dst: &[Fig<'_>],
    src_state: &[Pairing],
    dst_state: &[Pairing],
    keep: impl Fn(u32, usize, usize) -> bool,
) -> Vec<(u32, usize, usize)> {
    let mut pairs = Vec::new();
    for (i, s) in src.iter().enumerate() {
        if src_state[i] != Pairing::Open || s.group.is_none() || s.match_only {
            continue;
        }
        for (j, d) in dst.iter().enumerate() {
            if dst_state[j] != Pairing::Open || d.group != s.group || d.match_only {
                continue;
            }
            if let Some(score) = fit(s, d).filter(|&score| keep(score, i, j)) {
                pairs.push((score, i, j));
            }
        }
    }
    pairs.sort_by_key(|&(score, i, j)| (std::cmp::Reverse(score), i, j));
    pairs
}

/// Reports each pair whose figures are both still open as a changed figure.
fn report(
    src: &[Fig<'_>],
    dst: &[Fig<'_>],
    pairs: Vec<(u32, usize, usize)>,
    src_state: &mut [Pairing],
    dst_state: &mut [Pairing],
    out: &mut Vec<Found>,
) {
    for (_, i, j) in pairs {
        if src_state[i] != Pairing::Open || dst_state[j] != Pairing::Open {
            continue;
        }
        src_state[i] = Pairing::Paired;
        dst_state[j] = Pairing::Paired;
        let (s, d) = (&src[i], &dst[j]);
        let kind = if matches!(s.dim, Dim::Time { .. }) {
            TIME_CHANGED
        } else {
            ChangeKind::NumberChanged
        };
        out.push(Found {
            kind,
            src: Some(s.range.clone()),
            dst: Some(d.range.clone()),
            detail: format!("{} changed: \"{}\" became \"{}\"", s.what(), s.text, d.text),
        });
    }
}

/// A figure kept with its value: a qualifier dropped is a hedge dropped; a bound turned the
/// other way ("more than 20" → "fewer than 20") is a changed figure.
fn qualifier_changes(s: &Fig<'_>, d: &Fig<'_>, out: &mut Vec<Found>) {
    let Some(q) = s.qualifier else { return };
    let from = bound(q);
    match d.qualifier.map(bound) {
        None if from != Bound::Exact => out.push(Found {
            kind: ChangeKind::HedgeDropped,
            src: Some(s.range.clone()),
            dst: Some(d.range.clone()),
            detail: format!(
                "the source says \"{}\"; the derivative drops \"{q}\" and states \"{}\" as exact",
                s.text, d.text
            ),
        }),
        Some(to)
            if matches!(
                (from, to),
                (Bound::Above, Bound::Below) | (Bound::Below, Bound::Above)
            ) =>
        {
            out.push(Found {
                kind: ChangeKind::NumberChanged,
                src: Some(s.range.clone()),
                dst: Some(d.range.clone()),
                detail: format!(
                    "{} changed: \"{}\" became \"{}\" (the bound is reversed)",
                    s.what(),
                    s.text,
                    d.text
                ),
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use retrace_text::Analyzed;

    use super::super::tests::judge;
    use crate::ChangeKind;

    const STORY: &str = "A gas fitter was jailed for three years on Friday after a botched boiler \
        job killed a young woman in Bath. \
        The court heard that Andrew Hartley fitted the flue 12 days earlier and was paid $2,000 \
        for the job. \
        The woman died in less than 10 minutes after breathing the fumes at around 3 a.m. \
        Her boyfriend took 14 days off work and the family waited within about six days for the \
        post mortem. \
        Prosecutors said the fitter had been sentenced to 50 weeks for fraud in the span of ten \
        days in 2019. \
        The judge said the firm must pay 10 percent of its profits and three of its managers \
        face a hearing. \
        Police said the house on Southwest 117th Avenue was sealed for half an hour and two weeks \
        later sold for $2m to 1,500 investors.";

    /// The (kind, source text, derivative text) of every figure-related change.
    fn changes(a: &str, b: &str) -> Vec<(ChangeKind, String, String)> {
        let (da, db, verdict) = judge(a, b);
        verdict
            .changes
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ChangeKind::NumberChanged | ChangeKind::DateChanged | ChangeKind::HedgeDropped
                )
            })
            .map(|c| {
                let text = |d: &Analyzed, r: &Option<std::ops::Range<u32>>| {
                    r.as_ref()
                        .map(|r| d.slice(r).to_owned())
                        .unwrap_or_default()
                };
                (c.kind, text(&da, &c.a), text(&db, &c.b))
            })
            .collect()
    }

    fn changed(from: &str, to: &str) -> Vec<(ChangeKind, String, String)> {
        assert!(STORY.contains(from), "{from}");
        changes(STORY, &STORY.replacen(from, to, 1))
    }

    #[track_caller]
    fn assert_one(got: &[(ChangeKind, String, String)], kind: ChangeKind, a: &str, b: &str) {
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].0, kind, "{got:#?}");
        assert!(got[0].1.contains(a) && got[0].2.contains(b), "{got:#?}");
    }

    #[test]
    fn durations_are_compared() {
        for (from, to, a, b) in [
            (
                "in less than 10 minutes",
                "in 20 minutes",
                "10 minutes",
                "20 minutes",
            ),
            (
                "sentenced to 50 weeks",
                "sentenced to 52 weeks",
                "50 weeks",
                "52 weeks",
            ),
            ("14 days off work", "10 days off work", "14 days", "10 days"),
            (
                "jailed for three years",
                "jailed for four years",
                "three",
                "four",
            ),
            (
                "flue 12 days earlier",
                "flue 10 days earlier",
                "12 days",
                "10 days",
            ),
            (
                "span of ten days",
                "span of two weeks",
                "ten days",
                "two weeks",
            ),
            (
                "within about six days",
                "within two days",
                "six days",
                "two days",
            ),
        ] {
            assert_one(&changed(from, to), ChangeKind::NumberChanged, a, b);
        }
    }

    #[test]
    fn times_of_day_are_compared_as_dates() {
        let got = changed("around 3 a.m.", "around 5 a.m.");
        assert_one(&got, ChangeKind::DateChanged, "3 a.m.", "5 a.m.");
        let got = changes(
            "They heard a shot around 23:00hrs near the camp. The men ran to the trail at once.",
            "They heard a shot around 22:00hrs near the camp. The men ran to the trail at once.",
        );
        assert_one(&got, ChangeKind::DateChanged, "23:00hrs", "22:00hrs");
    }

    #[test]
    fn money_ranks_and_ages_are_compared() {
        let got = changed("$2,000", "$2,500");
        assert_one(&got, ChangeKind::NumberChanged, "$2,000", "$2,500");
        let got = changed("117th Avenue", "107th Avenue");
        assert_one(&got, ChangeKind::NumberChanged, "117th", "107th");
        let got = changes(
            "He was charged with first-degree murder on Monday. His lawyer spoke to reporters.",
            "He was charged with second-degree murder on Monday. His lawyer spoke to reporters.",
        );
        assert_one(&got, ChangeKind::NumberChanged, "first", "second");
        let got = changes(
            "The victims were Heather Grant, 33, of Manchester and her son. Police closed the road.",
            "The victims were a 38-year-old, Heather Grant of Manchester, and her son. Police closed the road.",
        );
        assert_one(&got, ChangeKind::NumberChanged, "33", "38-year-old");
    }

    #[test]
    fn a_dropped_qualifier_is_a_dropped_hedge() {
        let got = changed("within about six days", "within six days");
        assert_one(&got, ChangeKind::HedgeDropped, "about six days", "six days");
        let got = changed("in less than 10 minutes", "in 10 minutes");
        assert_one(
            &got,
            ChangeKind::HedgeDropped,
            "less than 10 minutes",
            "10 minutes",
        );
    }

    #[test]
    fn harmless_renderings_are_not_changes() {
        for (from, to) in [
            ("10 percent", "10%"),
            ("three of its managers", "3 of its managers"),
            ("two weeks later", "14 days later"),
            ("half an hour", "30 minutes"),
            ("$2m", "$2 million"),
            ("1,500 investors", "1500 investors"),
            ("12 days earlier", "twelve days earlier"),
            ("three years", "36 months"),
        ] {
            assert_eq!(changed(from, to), [], "{from} -> {to}");
        }
    }

    #[test]
    fn a_reworded_sentence_pairs_figures_by_what_they_count() {
        let got = changes(
            STORY,
            &STORY.replace(
                "The judge said the firm must pay 10 percent of its profits and three of its \
                 managers face a hearing.",
                "Three managers of the firm face a hearing, and it must hand over 12 percent of \
                 its profits, the judge said.",
            ),
        );
        assert_one(&got, ChangeKind::NumberChanged, "10 percent", "12 percent");
    }

    #[test]
    fn figures_pair_by_noun_not_by_order() {
        let got = changes(
            "Police said 12 officers and 30 residents were hurt in the clash in the square. \
             The mayor called for calm on Sunday.",
            "Police said 30 people and 14 officers were hurt in the clash in the square. \
             The mayor called for calm on Sunday.",
        );
        assert_one(
            &got,
            ChangeKind::NumberChanged,
            "12 officers",
            "14 officers",
        );
        let got = changes(
            "It was 15C in Daegu on Monday, forecasters said. Snow is due on the coast.",
            "It was 59F in Daegu on Monday, forecasters said. Snow is due on the coast.",
        );
        assert_eq!(got, []);
    }

    #[test]
    fn fair_roundings_and_bounds_are_not_changes() {
        let tail = " The council met on Sunday to discuss the flood.";
        for (a, b) in [
            (
                "Officials counted 2,488 votes in the town.",
                "Officials counted nearly 2,500 votes in the town.",
            ),
            (
                "Officials counted 120 votes in the town.",
                "Officials counted more than 100 votes in the town.",
            ),
            (
                "Officials counted dozens of votes in the town.",
                "Officials counted 40 votes in the town.",
            ),
            (
                "Officials counted 2,488 votes in the town.",
                "Officials counted about 2,500 votes in the town.",
            ),
            (
                "A third of the votes were void.",
                "33% of the votes were void.",
            ),
            (
                "33% of the votes were void.",
                "A third of the votes were void.",
            ),
            (
                "Half of the votes were void.",
                "50 percent of the votes were void.",
            ),
        ] {
            assert_eq!(
                changes(&format!("{a}{tail}"), &format!("{b}{tail}")),
                [],
                "{a} -> {b}"
            );
        }
        for (a, b) in [
            (
                "Officials counted 2,488 votes in the town.",
                "Officials counted 2,600 votes in the town.",
            ),
            (
                "Officials counted 120 votes in the town.",
                "Officials counted more than 150 votes in the town.",
            ),
            (
                "Officials counted more than 20 votes in the town.",
                "Officials counted fewer than 20 votes in the town.",
            ),
            (
                "Half of the votes were void.",
                "A third of the votes were void.",
            ),
        ] {
            let got = changes(&format!("{a}{tail}"), &format!("{b}{tail}"));
            assert_one(&got, ChangeKind::NumberChanged, "votes", "votes");
        }
    }

    #[test]
    fn a_dropped_qualifier_on_a_time_is_a_dropped_hedge() {
        let got = changed("at around 3 a.m.", "at 3 a.m.");
        assert_one(&got, ChangeKind::HedgeDropped, "around 3 a.m.", "3 a.m.");
    }

    #[test]
    fn a_figure_moved_to_another_sentence_is_not_a_change() {
        let got = changes(
            STORY,
            &STORY
                .replace(" and was paid $2,000 for the job.", ".")
                .replace(
                    "Police said the house",
                    "Hartley was paid $2,000 for the job. Police said the house",
                ),
        );
        assert_eq!(got, []);
    }
}
