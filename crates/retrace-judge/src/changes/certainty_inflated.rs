//! `certainty_inflated`: see `docs/certainty_inflated.md`.

use retrace_text::facts::{CertaintyLevel, FactKind, HedgeKind, is_extent};

use super::hedge_dropped::is_doubt;
use super::{ChangeKind, Ctx, Found};

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        // Weak evidentials ("indicated") and doubt ("may", "it is unclear if"), by their cue.
        // The third member says whether the cue is a modal hedge ("may", "could become").
        let weak_src: Vec<(&str, std::ops::Range<u32>, bool)> = Ctx::facts(ctx.src, &group.src)
            .filter_map(|f| match &f.kind {
                FactKind::Certainty(c) if c.level == CertaintyLevel::Weak => {
                    Some((c.cue.as_str(), f.range.clone(), false))
                }
                FactKind::Hedge(h) if is_doubt(h) => {
                    Some((h.cue.as_str(), f.range.clone(), h.kind == HedgeKind::Modal))
                }
                _ => None,
            })
            .filter(|(_, range, _)| super::clause_retold(ctx, group, range))
            .collect();
        if weak_src.is_empty() {
            upgraded_report(ctx, group, out);
            continue;
        }
        // Every weak cue and doubt of the source sentences, retold or not: a cue of the
        // derivative that the source also has is the source's own, kept, not a rewording of
        // the cue that went missing.
        let src_cues: Vec<String> = Ctx::facts(ctx.src, &group.src)
            .filter_map(|f| match &f.kind {
                FactKind::Certainty(c) if c.level == CertaintyLevel::Weak => Some(c.cue.clone()),
                FactKind::Hedge(h) => Some(h.cue.clone()),
                _ => None,
            })
            .collect();
        let own = |cue: &str| src_cues.iter().any(|c| c == cue);
        let mut dst_cues: Vec<&str> = Vec::new();
        let mut dst_weak = false;
        let mut dst_hedged = false;
        let mut dst_strong = Vec::new();
        // A strong cue the source already uses in the same sentence ("verified by") is not
        // the one that replaced the weak cue.
        let src_strong: Vec<String> = Ctx::facts(ctx.src, &group.src)
            .filter_map(|f| match &f.kind {
                FactKind::Certainty(c) if c.level == CertaintyLevel::Strong => {
                    Some(c.cue.to_lowercase())
                }
                _ => None,
            })
            .collect();
        for f in Ctx::facts(ctx.dst, &group.dst) {
            match &f.kind {
                FactKind::Certainty(c) if c.level == CertaintyLevel::Weak => {
                    dst_cues.push(&c.cue);
                    dst_weak |= !own(&c.cue);
                }
                FactKind::Certainty(c) if !src_strong.contains(&c.cue.to_lowercase()) => {
                    dst_strong.push((c, f.range.clone()));
                }
                FactKind::Certainty(_) => {}
                FactKind::Hedge(h) if is_doubt(h) => {
                    dst_cues.push(&h.cue);
                    dst_weak |= !own(&h.cue);
                }
                // "some 1,500 delegates will attend" for "1,500 participants are expected":
                // a figure's approximation says nothing of whether the event will happen.
                FactKind::Hedge(h) if h.kind == HedgeKind::Approximation => {}
                FactKind::Hedge(h) => {
                    dst_cues.push(&h.cue);
                    dst_hedged |= !own(&h.cue);
                }
                _ => {}
            }
        }
        // The first cue of the source the derivative does not keep: where a sentence has two
        // ("is expected to … and may …"), the one kept says nothing of the one left out.
        let Some((weak, src_range, modal)) = weak_src
            .into_iter()
            .find(|(cue, _, _)| !dst_cues.contains(cue))
        else {
            continue;
        };
        // A modal of the source ("could see") kept as any modal of the derivative ("could
        // follow"): the cue list reads "could" only before verbs of outcome, so that "he could
        // not walk" is no hedge, but in the retelling of a hedged clause any modal keeps the
        // doubt.
        // Counted on both sides: a modal the source also has elsewhere in the sentence ("could
        // make fires so common that they would alter") is its own, not the one kept.
        let modals = |doc: &retrace_text::Analyzed, sentences: &[usize]| {
            sentences
                .iter()
                .flat_map(|&k| &doc.sentences[k].tokens)
                .filter(|t| {
                    matches!(
                        t.lower.as_str(),
                        "could" | "might" | "would" | "possibly" | "perhaps" | "maybe"
                    ) || (t.lower == "may" && !t.capitalized)
                })
                .count()
        };
        if modal
            && dst_strong.is_empty()
            && modals(ctx.dst, &group.dst) >= modals(ctx.src, &group.src).max(1)
        {
            continue;
        }
        // A qualifier of extent ("often") says how far the claim holds, not how sure it is: an
        // evidential of the derivative ("shows") did not replace it; only an absolute does.
        let dst_strong = dst_strong.into_iter().next().filter(|_| !is_extent(weak));
        if let Some((strong, dst_range)) = dst_strong {
            out.push(Found {
                kind: ChangeKind::CertaintyInflated,
                src: Some(src_range),
                dst: Some(dst_range),
                detail: format!(
                    "\"{}\" became \"{}\": the derivative is surer than the source",
                    weak, strong.cue
                ),
            });
        } else if !dst_weak && !dst_hedged {
            let first = &ctx.dst.sentences[group.dst[0]].range;
            // A belief ("it is believed that", "police believe") left out is a caveat
            // dropped: nobody is made surer, the claim just loses its qualifier. Evidence
            // words ("indicated", "appeared") left out make the claim a finding.
            // Likewise a modal hedge ("may", "could") simply left out ("may affect" →
            // "affects"): the claim loses its caveat. Made a certainty ("may" → "will") or a
            // finding ("confirmed", above), it is inflated.
            let will = group.dst.iter().any(|&k| {
                ctx.dst.sentences[k]
                    .tokens
                    .iter()
                    .any(|t| matches!(t.lower.as_str(), "will" | "won't"))
            });
            let modal = modal && !will;
            let belief = weak.to_lowercase().starts_with("believ");
            // A qualifier of extent ("often", "usually") left out narrows nothing: the claim
            // loses its limit, a dropped hedge. Made absolute ("usually" → "always") it is
            // inflated.
            let absolute = group.dst.iter().any(|&k| {
                ctx.dst.sentences[k].tokens.iter().any(|t| {
                    matches!(
                        t.lower.as_str(),
                        "always" | "never" | "all" | "every" | "invariably" | "entirely"
                    )
                })
            });
            let extent = is_extent(weak) && !absolute;
            out.push(Found {
                kind: if belief || modal || extent {
                    ChangeKind::HedgeDropped
                } else {
                    ChangeKind::CertaintyInflated
                },
                src: Some(src_range),
                dst: Some(first.clone()),
                detail: if belief {
                    format!("the source qualifies this as a belief (\"{weak}\"); the derivative states it as fact")
                } else if modal || extent {
                    format!("the source hedges with \"{weak}\"; the derivative states it as fact")
                } else {
                    format!("the source's \"{weak}\" is gone: the derivative states it as fact")
                },
            });
        }
    }
}

/// Reporting verbs that pass a statement on without vouching for it.
const NEUTRAL: &[&str] = &[
    "said",
    "says",
    "noted",
    "notes",
    "told",
    "stated",
    "added",
    "reported",
    "explained",
    "wrote",
];

/// A statement the source reports neutrally ("NASA noted that …") that the derivative has
/// confirmed, proved or established ("NASA confirmed that …"): the derivative vouches for what
/// the source only passed on.
fn upgraded_report(ctx: &Ctx<'_>, group: &super::Group, out: &mut Vec<Found>) {
    let reported = Ctx::facts(ctx.src, &group.src).find_map(|f| match &f.kind {
        FactKind::Attribution(a) if NEUTRAL.contains(&a.cue.as_str()) => {
            Some((a.cue.as_str(), f.range.clone()))
        }
        _ => None,
    });
    let Some((cue, src_range)) = reported else {
        return;
    };
    let src_strong = Ctx::facts(ctx.src, &group.src)
        .any(|f| matches!(&f.kind, FactKind::Certainty(c) if c.level == CertaintyLevel::Strong));
    if src_strong {
        return;
    }
    let strong = Ctx::facts(ctx.dst, &group.dst).find_map(|f| match &f.kind {
        FactKind::Certainty(c)
            if c.level == CertaintyLevel::Strong
                && matches!(
                    c.cue.as_str(),
                    "confirmed"
                        | "confirms"
                        | "proved"
                        | "proves"
                        | "proven"
                        | "established"
                        | "verified"
                        | "demonstrated"
                        | "demonstrates"
                ) =>
        {
            Some((c.cue.as_str(), f.range.clone()))
        }
        _ => None,
    });
    if let Some((strong, dst_range)) = strong {
        out.push(Found {
            kind: ChangeKind::CertaintyInflated,
            src: Some(src_range),
            dst: Some(dst_range),
            detail: format!(
                "the source reports this (\"{cue}\"); the derivative has it \"{strong}\""
            ),
        });
    }
}
