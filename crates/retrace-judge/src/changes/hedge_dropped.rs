//! `hedge_dropped`: see `docs/hedge_dropped.md`.

use retrace_text::facts::{FactKind, HedgeKind};

use super::{ChangeKind, Ctx, Found, clip};

fn hedges<'d>(
    doc: &'d retrace_text::Analyzed,
    sentences: &'d [usize],
) -> impl Iterator<Item = (&'d retrace_text::facts::HedgeFact, std::ops::Range<u32>)> {
    Ctx::facts(doc, sentences).filter_map(|f| match &f.kind {
        FactKind::Hedge(h) => Some((h, f.range.clone())),
        _ => None,
    })
}

/// A hedge that says how likely the claim is ("may", "probably", "it is unclear if"), rather
/// than where it comes from or how far it was checked: dropping it inflates certainty.
pub(crate) fn is_doubt(hedge: &retrace_text::facts::HedgeFact) -> bool {
    hedge.kind == HedgeKind::Modal
        || (hedge.kind == HedgeKind::Knowledge && hedge.cue.contains("clear"))
}

/// Words of the legal process that frame a claim as an accusation, not a finding.
const ACCUSATION: &[&str] = &[
    "charged",
    "charges",
    "charge",
    "accused",
    "accusation",
    "accusations",
    "indicted",
    "indictment",
    "suspected",
    "suspicion",
    "suspect",
    "suspects",
    "alleged",
    "allegedly",
    "allegation",
    "allegations",
    "prosecutors",
];

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    // A hedge in an aligned sentence whose counterpart has no hedge of the same kind.
    for group in &ctx.groups {
        let dst: Vec<HedgeKind> = hedges(ctx.dst, &group.dst).map(|(h, _)| h.kind).collect();
        // "The men alleged …" retold as "… , the loggers said": still their account.
        let dst_attributed =
            Ctx::facts(ctx.dst, &group.dst).any(|f| matches!(f.kind, FactKind::Attribution(_)));
        // "… allegedly ran the network" retold as "… were charged with running the network":
        // the charge is the allegation, kept in the words of the legal process.
        let dst_accused = group.dst.iter().any(|&k| {
            super::words(ctx.dst.sentence_text(k))
                .iter()
                .any(|w| ACCUSATION.contains(&w.as_str()))
        });
        // Attributions of the source whose verb is itself an allegation ("the men alleged",
        // "the logger claimed that"): losing them is a dropped attribution, judged there
        // (attribution_dropped.rs), not also a dropped hedge.
        let attributions: Vec<std::ops::Range<u32>> = Ctx::facts(ctx.src, &group.src)
            .filter(|f| matches!(f.kind, FactKind::Attribution(_)))
            .map(|f| f.range.clone())
            .collect();
        for (hedge, range) in hedges(ctx.src, &group.src) {
            let reporting_verb = hedge.kind == HedgeKind::Allegation
                && !hedge.cue.to_lowercase().ends_with("ly")
                && attributions
                    .iter()
                    .any(|a| a.start <= range.start && range.end <= a.end);
            // Approximations next to figures are judged with the figure (number_changed.rs);
            // doubt about the claim itself ("may", "it is unclear if") with the certainty
            // (certainty_inflated.rs).
            // "the alleged ringleader" retold as "the ringleader": the role is now stated as
            // fact, whatever charge the sentence also reports.
            let sentence_end = group
                .src
                .iter()
                .map(|&k| ctx.src.sentences[k].range.end)
                .find(|&end| end >= range.end)
                .unwrap_or(range.end);
            let role_stated = hedge.cue == "alleged"
                && super::words(ctx.src.slice(&(range.end..sentence_end)))
                    .first()
                    .is_some_and(|role| {
                        role.len() > 3
                            && group
                                .dst
                                .iter()
                                .any(|&k| super::words(ctx.dst.sentence_text(k)).contains(role))
                    });
            // "More than 60,000 are estimated to have perished": an estimate of the claim as
            // a whole, not a figure's qualifier, judged here; "an estimated 300" goes with its
            // figure.
            let estimate_of_claim = hedge.cue == "estimated"
                && super::words(ctx.src.slice(&(range.end..sentence_end)))
                    .first()
                    .is_some_and(|w| w == "to" || w == "that");
            // Read only for an estimate of the claim: most hedges are not.
            let dst_estimates = || {
                group.dst.iter().any(|&k| {
                    super::words(ctx.dst.sentence_text(k))
                        .iter()
                        .any(|w| w.starts_with("estimat") || w == "believed" || w == "thought")
                })
            };
            let figure_qualifier = !estimate_of_claim || dst_estimates();
            if (hedge.kind == HedgeKind::Approximation && figure_qualifier)
                || is_doubt(hedge)
                || dst.contains(&hedge.kind)
                || (hedge.kind == HedgeKind::Allegation
                    && (dst_attributed || dst_accused)
                    && !role_stated)
                || reporting_verb
                || !super::clause_retold(ctx, group, &range)
            {
                continue;
            }
            let dst_range = super::group_range(ctx.dst, &group.dst);
            out.push(Found {
                kind: ChangeKind::HedgeDropped,
                src: Some(range),
                dst: Some(dst_range.clone()),
                detail: format!(
                    "the source hedges with \"{}\"; the derivative's \"{}\" does not",
                    hedge.cue,
                    clip(Ctx::text(ctx.dst, &dst_range), 70)
                ),
            });
        }
    }
    // A caveat sentence left out of a passage that the derivative otherwise retells.
    for (i, sentence) in ctx.src.sentences.iter().enumerate() {
        if !ctx.cut_from_passage(i) {
            continue;
        }
        for fact in &sentence.facts {
            let FactKind::Hedge(hedge) = &fact.kind else {
                continue;
            };
            // Only a sentence that says what could not be checked ("Reuters was unable to
            // determine how many …") is a caveat on the claims around it. A sentence whose own
            // claim is hedged ("He reportedly instructed …") left out drops that claim, hedge
            // and all: nothing is stated more surely.
            if hedge.kind != HedgeKind::Unverified {
                continue;
            }
            out.push(Found {
                kind: ChangeKind::HedgeDropped,
                src: Some(fact.range.clone()),
                dst: None,
                detail: format!(
                    "the caveat \"{}\" is left out, though the text around it is reused",
                    clip(ctx.src.sentence_text(i), 90)
                ),
            });
        }
    }
}
