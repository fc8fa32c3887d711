//! `attribution_dropped`: see `docs/attribution_dropped.md`.

use retrace_text::facts::FactKind;

use super::{ChangeKind, Ctx, Found, words};

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them",
];

/// Words that do not name a source ("the ministry" is named by "ministry").
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "for", "to", "in", "on", "at", "and", "its", "his", "her", "their",
    "our", "with", "from", "by", "who", "that", "this",
];

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        let dst_text: String = group
            .dst
            .iter()
            .map(|&k| ctx.dst.sentence_text(k))
            .collect::<Vec<_>>()
            .join(" ");
        let dst_words = words(&dst_text);
        let dst_has_attribution =
            Ctx::facts(ctx.dst, &group.dst).any(|f| matches!(f.kind, FactKind::Attribution(_)));
        // "Sharaa acknowledged" retold as "he conceded" keeps the attribution: the name is in
        // a neighbouring sentence.
        let dst_pronoun_attribution = Ctx::facts(ctx.dst, &group.dst).any(|f| match &f.kind {
            FactKind::Attribution(a) => PRONOUNS.contains(&a.source.to_lowercase().as_str()),
            _ => false,
        });
        for fact in Ctx::facts(ctx.src, &group.src) {
            let FactKind::Attribution(attribution) = &fact.kind else {
                continue;
            };
            let source_words: Vec<String> = words(&attribution.source)
                .into_iter()
                .filter(|w| {
                    !PRONOUNS.contains(&w.as_str()) && !FUNCTION_WORDS.contains(&w.as_str())
                })
                .collect();
            if source_words.is_empty() {
                continue;
            }
            let names_a_person = attribution
                .source
                .split_whitespace()
                .all(|w| w.starts_with(char::is_uppercase));
            if names_a_person && dst_pronoun_attribution {
                continue;
            }
            // The speaker renamed ("said Zabaleta" / "said Zabala") is a name change, reported
            // as such where the name stands: the attribution is kept.
            let renamed = out.iter().any(|f| {
                f.kind == ChangeKind::NameChanged
                    && f.src
                        .as_ref()
                        .is_some_and(|r| r.start < fact.range.end && fact.range.start < r.end)
            });
            if renamed {
                continue;
            }
            // Named on the other side, in any form: not dropped. A source described in common
            // words ("the transportation department's deputy director") is named by its head
            // ("director"), not by a modifier the retelling may use for something else ("the
            // transportation department had never spoken …"); a name by any of its words.
            let short = source_words.iter().all(|w| w.len() <= 2);
            let named = attribution
                .source
                .split_whitespace()
                .any(|w| w.starts_with(char::is_uppercase));
            let head = source_words.last().map(String::as_str);
            let kept = if named || source_words.len() == 1 {
                source_words
                    .iter()
                    .any(|w| (short || w.len() > 2) && dst_words.contains(w))
            } else {
                head.is_some_and(|h| {
                    dst_words
                        .iter()
                        .any(|w| w == h || w.trim_end_matches('s') == h.trim_end_matches('s'))
                })
            };
            if kept {
                continue;
            }
            let hint = if dst_has_attribution {
                " and credits someone else"
            } else {
                ""
            };
            out.push(Found {
                kind: ChangeKind::AttributionDropped,
                src: Some(fact.range.clone()),
                dst: Some(ctx.dst.sentences[group.dst[0]].range.start..ctx.dst.sentences[*group.dst.last().unwrap_or(&group.dst[0])].range.end),
                detail: format!(
                    "the source attributes this to {} (\"{}\"); the derivative does not name it{hint}",
                    attribution.source, Ctx::text(ctx.src, &fact.range)
                ),
            });
        }
    }
}
