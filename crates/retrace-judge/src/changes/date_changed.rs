//! `date_changed`: see `docs/date_changed.md`.

use retrace_text::facts::{DateFact, FactKind};

use super::{ChangeKind, Ctx, Found};

/// The fields both dates state: a weekday and a day of the month say nothing of each other.
fn shared(a: &DateFact, b: &DateFact) -> [Option<bool>; 4] {
    fn field<T: PartialEq>(x: Option<T>, y: Option<T>) -> Option<bool> {
        Some(x? == y?)
    }
    [
        field(a.year, b.year),
        field(a.month, b.month),
        field(a.day, b.day),
        field(a.weekday, b.weekday),
    ]
}

/// Both dates state something in common, and agree on all of it.
fn compatible(a: &DateFact, b: &DateFact) -> bool {
    let fields = shared(a, b);
    fields.iter().any(Option::is_some) && fields.iter().all(|f| *f != Some(false))
}

/// Both dates state something in common: one can be said to have become the other.
fn comparable(a: &DateFact, b: &DateFact) -> bool {
    shared(a, b).iter().any(Option::is_some)
}

/// How many source sentences on each side of a group a date may have moved from.
const NEAR: usize = 2;

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    let all_src: Vec<&DateFact> = Ctx::all_facts(ctx.src)
        .filter_map(|f| match &f.kind {
            FactKind::Date(d) => Some(d),
            _ => None,
        })
        .collect();
    for group in &ctx.groups {
        let dates = |doc, sentences| -> Vec<(&DateFact, std::ops::Range<u32>)> {
            Ctx::facts(doc, sentences)
                .filter_map(|f| match &f.kind {
                    FactKind::Date(d) => Some((d, f.range.clone())),
                    _ => None,
                })
                .collect()
        };
        let src = dates(ctx.src, &group.src);
        let dst = dates(ctx.dst, &group.dst);
        let unmatched_src: Vec<_> = src
            .iter()
            .filter(|(s, _)| !dst.iter().any(|(d, _)| compatible(s, d)))
            .collect();
        let unmatched_dst: Vec<_> = dst
            .iter()
            .filter(|(d, _)| !src.iter().any(|(s, _)| compatible(s, d)))
            .collect();
        // Each source date that no date of the derivative matches, paired with the first
        // unpaired one of the derivative that states something it states: "March 3" became
        // "March 4", "Tuesday" became "Wednesday", never "March 3" became "Wednesday".
        let mut used = vec![false; unmatched_dst.len()];
        for (s, s_range) in &unmatched_src {
            let Some(j) = (0..unmatched_dst.len()).find(|&j| {
                let (d, _) = unmatched_dst[j];
                !used[j]
                    && comparable(s, d)
                    // Only dates of the same grain can be said to have changed (a day for a day).
                    && (s.day.is_some() == d.day.is_some() || s.month.is_some() == d.month.is_some())
            }) else {
                continue;
            };
            used[j] = true;
            let (d, d_range) = unmatched_dst[j];
            out.push(Found {
                kind: ChangeKind::DateChanged,
                src: Some(s_range.clone()),
                dst: Some(d_range.clone()),
                detail: format!("date changed: \"{}\" became \"{}\"", s.text, d.text),
            });
        }
        // A date the retelling moved into this sentence from a neighbour of the source and
        // changed on the way ("… early Tuesday, officials said" for the next sentence's "at 3
        // a.m., Wednesday"): no date of the source states it, the group's source sentences
        // have no date of its kind, and exactly one source sentence nearby has one.
        if src
            .iter()
            .any(|(s, _)| unmatched_dst.iter().any(|(d, _)| comparable(s, d)))
        {
            continue;
        }
        let (Some(&first), Some(&last)) = (group.src.iter().min(), group.src.iter().max()) else {
            continue;
        };
        let near = first.saturating_sub(NEAR)..(last + NEAR + 1).min(ctx.src.sentences.len());
        for (j, (d, d_range)) in unmatched_dst.iter().enumerate() {
            if used[j] || all_src.iter().any(|s| compatible(s, d)) {
                continue;
            }
            let nearby: Vec<_> = near
                .clone()
                .filter(|k| !group.src.contains(k))
                .flat_map(|k| &ctx.src.sentences[k].facts)
                .filter_map(|f| match &f.kind {
                    FactKind::Date(s) if comparable(s, d) => Some((s, f.range.clone())),
                    _ => None,
                })
                .collect();
            let [(s, s_range)] = &nearby[..] else {
                continue;
            };
            out.push(Found {
                kind: ChangeKind::DateChanged,
                src: Some(s_range.clone()),
                dst: Some(d_range.clone()),
                detail: format!(
                    "date changed: \"{}\" became \"{}\" (moved from a neighbouring sentence)",
                    s.text, d.text
                ),
            });
        }
    }
}
