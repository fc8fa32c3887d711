//! `name_changed`: see `docs/name_changed.md`.

use retrace_text::facts::{EntityFact, FactKind};

use super::{ChangeKind, Ctx, Found};

fn entities<'d>(
    doc: &'d retrace_text::Analyzed,
    sentences: &'d [usize],
) -> Vec<(&'d EntityFact, std::ops::Range<u32>)> {
    Ctx::facts(doc, sentences)
        .filter_map(|f| match &f.kind {
            FactKind::Entity(e) => Some((e, f.range.clone())),
            _ => None,
        })
        .collect()
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    let keys = |doc: &retrace_text::Analyzed| -> Vec<String> {
        let mut keys: Vec<String> = Ctx::all_facts(doc)
            .filter_map(|f| match &f.kind {
                FactKind::Entity(e) => Some(e.key.clone()),
                _ => None,
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    };
    let (src_keys, dst_keys) = (keys(ctx.src), keys(ctx.dst));
    for group in ctx.groups.iter().filter(|g| g.score >= 0.5) {
        // A name counts as changed only when it is absent from the whole other document: a
        // retelling may move a name to another sentence.
        let src: Vec<_> = entities(ctx.src, &group.src)
            .into_iter()
            .filter(|(e, _)| dst_keys.binary_search(&e.key).is_err())
            .collect();
        let dst: Vec<_> = entities(ctx.dst, &group.dst)
            .into_iter()
            .filter(|(e, _)| src_keys.binary_search(&e.key).is_err())
            .collect();
        if src.len() != 1 || dst.len() != 1 {
            continue;
        }
        let ((s, s_range), (d, d_range)) = (&src[0], &dst[0]);
        out.push(Found {
            kind: ChangeKind::NameChanged,
            src: Some(s_range.clone()),
            dst: Some(d_range.clone()),
            detail: format!("name changed: \"{}\" became \"{}\"", s.text, d.text),
        });
    }
}
