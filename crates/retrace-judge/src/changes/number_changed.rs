//! `number_changed`: see `docs/number_changed.md`. Also reports an approximation dropped from a
//! figure ("about 50" → "50") as `hedge_dropped`.

use retrace_text::facts::{FactKind, NumberFact};

use super::{ChangeKind, Ctx, Found};

fn numbers<'d>(
    doc: &'d retrace_text::Analyzed,
    sentences: &'d [usize],
) -> Vec<(&'d NumberFact, std::ops::Range<u32>)> {
    Ctx::facts(doc, sentences)
        .filter_map(|f| match &f.kind {
            FactKind::Number(n) => Some((n, f.range.clone())),
            _ => None,
        })
        .collect()
}

fn same_thing(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let stem = |s: &str| s.chars().take(4).collect::<String>().to_lowercase();
            stem(a) == stem(b)
        }
        _ => false,
    }
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        let src = numbers(ctx.src, &group.src);
        let dst = numbers(ctx.dst, &group.dst);
        let mut src_used = vec![false; src.len()];
        let mut dst_used = vec![false; dst.len()];
        for (i, (s, s_range)) in src.iter().enumerate() {
            if let Some(j) = (0..dst.len()).find(|&j| !dst_used[j] && dst[j].0.value == s.value) {
                src_used[i] = true;
                dst_used[j] = true;
                let (d, d_range) = &dst[j];
                if let (Some(q), None) = (&s.qualifier, &d.qualifier) {
                    out.push(Found {
                        kind: ChangeKind::HedgeDropped,
                        src: Some(s_range.clone()),
                        dst: Some(d_range.clone()),
                        detail: format!("the source says \"{} {}\"; the derivative drops \"{q}\" and states {} as exact", q, s.text, d.text),
                    });
                }
            }
        }
        for (i, (s, s_range)) in src.iter().enumerate() {
            if src_used[i] {
                continue;
            }
            let remaining_src = src_used.iter().filter(|u| !**u).count();
            let remaining_dst: Vec<usize> = (0..dst.len()).filter(|&j| !dst_used[j]).collect();
            let pick = remaining_dst
                .iter()
                .copied()
                .find(|&j| same_thing(&s.counts, &dst[j].0.counts))
                .or_else(|| {
                    (remaining_src == 1 && remaining_dst.len() == 1).then(|| remaining_dst[0])
                });
            let Some(j) = pick else { continue };
            src_used[i] = true;
            dst_used[j] = true;
            let (d, d_range) = &dst[j];
            let what = s
                .counts
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            out.push(Found {
                kind: ChangeKind::NumberChanged,
                src: Some(s_range.clone()),
                dst: Some(d_range.clone()),
                detail: format!("figure changed: {}{what} became {}", s.text, d.text),
            });
        }
    }
}
