//! `name_changed`: see `docs/name_changed.md`.

use retrace_text::facts::{EntityFact, FactKind};

use super::{ChangeKind, Ctx, Found, words};

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
        // A shortened or lengthened name ("George Bush" / "Bush", "Acme Corp" / "Acme") is
        // the same name: any of its words of three letters or more in the other side's
        // sentences keeps it.
        let text_words = |doc: &retrace_text::Analyzed, group: &[usize]| -> Vec<String> {
            group
                .iter()
                .flat_map(|&k| words(doc.sentence_text(k)))
                .collect()
        };
        let (src_words, dst_words) = (
            text_words(ctx.src, &group.src),
            text_words(ctx.dst, &group.dst),
        );
        let kept = |e: &EntityFact, other: &[String]| {
            words(&e.text)
                .iter()
                .any(|w| w.chars().count() >= 3 && other.contains(w))
        };
        let src: Vec<_> = entities(ctx.src, &group.src)
            .into_iter()
            .filter(|(e, _)| dst_keys.binary_search(&e.key).is_err() && !kept(e, &dst_words))
            .collect();
        let dst: Vec<_> = entities(ctx.dst, &group.dst)
            .into_iter()
            .filter(|(e, _)| src_keys.binary_search(&e.key).is_err() && !kept(e, &src_words))
            .collect();
        if src.len() != 1 || dst.len() != 1 {
            continue;
        }
        let ((s, s_range), (d, d_range)) = (&src[0], &dst[0]);
        if is_acronym_of(&s.text, &d.text) || is_acronym_of(&d.text, &s.text) {
            continue;
        }
        out.push(Found {
            kind: ChangeKind::NameChanged,
            src: Some(s_range.clone()),
            dst: Some(d_range.clone()),
            detail: format!("name changed: \"{}\" became \"{}\"", s.text, d.text),
        });
    }
}

/// True when `short` spells the initials of the capitalized words of `long`
/// ("ATSB" / "Air Transportation Stabilization Board").
fn is_acronym_of(short: &str, long: &str) -> bool {
    let initials: String = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let letters: String = short.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.chars().all(char::is_uppercase) && letters == initials
}
