//! `date_changed`: see `docs/date_changed.md`.

use retrace_text::facts::{DateFact, FactKind};

use super::{ChangeKind, Ctx, Found};

fn compatible(a: &DateFact, b: &DateFact) -> bool {
    let same = |x: Option<u8>, y: Option<u8>| x.is_none() || y.is_none() || x == y;
    let same_year = a.year.is_none() || b.year.is_none() || a.year == b.year;
    same(a.month, b.month) && same(a.day, b.day) && same_year && same(a.weekday, b.weekday)
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
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
        for ((s, s_range), (d, d_range)) in unmatched_src.iter().zip(&unmatched_dst) {
            // Only dates of the same grain can be said to have changed (a day for a day).
            if s.day.is_some() != d.day.is_some() && s.month.is_some() != d.month.is_some() {
                continue;
            }
            out.push(Found {
                kind: ChangeKind::DateChanged,
                src: Some(s_range.clone()),
                dst: Some(d_range.clone()),
                detail: format!("date changed: \"{}\" became \"{}\"", s.text, d.text),
            });
        }
    }
}
