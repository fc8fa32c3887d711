//! `attribution_dropped`: see `docs/attribution_dropped.md`.

use retrace_text::facts::FactKind;

use super::{ChangeKind, Ctx, Found, words};

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them",
];

/// Content words a credited statement and the derivative's sentences share at least, for the
/// derivative to retell that statement.
const MIN_SHARED: usize = 2;

/// Words that do not name a source ("the ministry" is named by "ministry").
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "for", "to", "in", "on", "at", "and", "its", "his", "her", "their",
    "our", "with", "from", "by", "who", "that", "this",
];

/// Titles that come before a name and do not name anyone on their own ("Mr. Marcus").
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "capt", "sen", "rep", "gov", "prof", "lt", "sgt", "det",
    "insp", "supt", "rev",
];

/// Heads of a source that name nobody in particular: "sources", "officials", "reports".
const VAGUE: &[&str] = &[
    "source",
    "sources",
    "report",
    "reports",
    "official",
    "officials",
    "expert",
    "experts",
    "observer",
    "observers",
    "critic",
    "critics",
    "insider",
    "insiders",
    "analyst",
    "analysts",
    "people",
    "media",
    "some",
    "others",
    "many",
    "authorities",
];

/// Whether an attribution's source names nobody in particular ("sources", "some officials",
/// "media reports"), so that crediting a claim to it instead of a named source makes it vaguer.
fn is_vague(source: &str) -> bool {
    !source
        .split_whitespace()
        .any(|w| w.starts_with(char::is_uppercase))
        && words(source)
            .last()
            .is_some_and(|head| VAGUE.contains(&head.as_str()))
}

/// A word without a possessive ending: "Hartley's" names Hartley.
fn bare(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word)
}

/// The head of a source: its last word that names something, without a plural "s"
/// ("six witnesses" → "witnesse", "the ministry" → "ministry").
fn head_of(source: &str) -> Option<String> {
    words(source)
        .iter()
        .rev()
        .map(|w| bare(w))
        .find(|w| !FUNCTION_WORDS.contains(w) && !TITLES.contains(w) && !PRONOUNS.contains(w))
        .map(|w| w.trim_end_matches('s').to_owned())
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    // The heads of every source the source article credits: a claim moved from one of them
    // to another ("one resident told Reuters" → "according to six witnesses") is
    // misattributed among the story's own sources.
    let src_heads: Vec<String> = Ctx::all_facts(ctx.src)
        .filter_map(|f| match &f.kind {
            FactKind::Attribution(a) => head_of(&a.source),
            _ => None,
        })
        .collect();
    for group in &ctx.groups {
        let dst_text: String = group
            .dst
            .iter()
            .map(|&k| ctx.dst.sentence_text(k))
            .collect::<Vec<_>>()
            .join(" ");
        let dst_words: Vec<String> = words(&dst_text)
            .iter()
            .map(|w| bare(w).to_owned())
            .collect();
        // The sources the derivative credits in these sentences that the source does not
        // credit there too: "Reuters reported that a DEA complaint said …" kept as "A DEA
        // complaint said …" credits nobody new, it drops Reuters.
        let src_sources: Vec<String> = Ctx::facts(ctx.src, &group.src)
            .filter_map(|f| match &f.kind {
                FactKind::Attribution(a) => Some(a.source.to_lowercase()),
                _ => None,
            })
            .collect();
        let dst_sources: Vec<&str> = Ctx::facts(ctx.dst, &group.dst)
            .filter_map(|f| match &f.kind {
                FactKind::Attribution(a) if !src_sources.contains(&a.source.to_lowercase()) => {
                    Some(a.source.as_str())
                }
                _ => None,
            })
            .collect();
        // A quotation the derivative keeps, framed by a pronoun ("He did not hold back: …"),
        // is still the speaker's: the name stands in a neighbouring sentence.
        let dst_quotes = Ctx::facts(ctx.dst, &group.dst)
            .any(|f| matches!(&f.kind, FactKind::Quote(q) if !q.scare));
        let dst_quote_by_pronoun = dst_quotes
            && dst_words
                .iter()
                .any(|w| matches!(w.as_str(), "he" | "she" | "they"));
        // Whether these sentences credit anyone at all: an attribution, a quotation, or any
        // verb of speech ("King asked him about his remarks": a pronoun's statement may be
        // framed in words no attribution is read from).
        let dst_credits = dst_quotes
            || Ctx::facts(ctx.dst, &group.dst).any(|f| matches!(f.kind, FactKind::Attribution(_)))
            || dst_words.iter().any(|w| {
                retrace_text::facts::is_reporting_verb(w)
                    || matches!(
                        w.as_str(),
                        "asked"
                            | "revealed"
                            | "recalled"
                            | "described"
                            | "interview"
                            | "statement"
                            | "points"
                            | "pointed"
                    )
            });
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
                    !PRONOUNS.contains(&w.as_str())
                        && !FUNCTION_WORDS.contains(&w.as_str())
                        && !TITLES.contains(&w.as_str())
                })
                .map(|w| bare(&w).to_owned())
                .collect();
            // "It noted that the product had been listed" retold as "The product had been
            // listed": a pronoun names nobody to look for, but a derivative that credits no one
            // at all in these sentences states as fact what the source attributed.
            if source_words.is_empty() && dst_credits {
                continue;
            }
            let names_a_person = attribution
                .source
                .split_whitespace()
                .all(|w| w.starts_with(char::is_uppercase));
            if names_a_person && (dst_pronoun_attribution || dst_quote_by_pronoun) {
                continue;
            }
            // The statement credited must be what the derivative retells: a sentence paired
            // on a word or so ("… we'll see," Chisholm said / "See you Thursday.") says
            // nothing of its attribution.
            let retold = group
                .src
                .iter()
                .find(|&&k| {
                    let r = &ctx.src.sentences[k].range;
                    r.start <= fact.range.start && fact.range.end <= r.end
                })
                .is_none_or(|&k| {
                    let whole = ctx.src.sentences[k].range.clone();
                    super::shares_content(ctx, group, k, &whole, &fact.range, MIN_SHARED)
                });
            if !retold {
                continue;
            }
            // The speaker renamed ("said Zabaleta" / "said Zabala") is a name change, reported
            // as such where the name stands: the attribution is kept.
            if super::reported_at(out, ChangeKind::NameChanged, &fact.range) {
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
            // Credited to another source, the claim is still not the derivative's own
            // statement: reported only when the new source names nobody in particular
            // ("sources said" for "the ministry said") or is another of the story's sources.
            // A new description of a party the source does not credit ("a member of the
            // force" for "the GSS", "the captain" for "the vessel operator") is a retelling.
            let misattributed =
                |s: &&&str| is_vague(s) || head_of(s).is_some_and(|h| src_heads.contains(&h));
            let hint = if dst_sources.is_empty() {
                String::new()
            } else {
                match dst_sources.iter().find(misattributed) {
                    Some(credited) => format!(" and credits {credited} instead"),
                    None => continue,
                }
            };
            // "One resident told Reuters" is one statement with two sources: one report.
            if super::reported_at(out, ChangeKind::AttributionDropped, &fact.range) {
                continue;
            }
            out.push(Found {
                kind: ChangeKind::AttributionDropped,
                src: Some(fact.range.clone()),
                dst: Some(super::group_range(ctx.dst, &group.dst)),
                detail: format!(
                    "the source attributes this to {} (\"{}\"); the derivative does not name it{hint}",
                    attribution.source, Ctx::text(ctx.src, &fact.range)
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::doc;
    use super::super::{ChangeKind, Ctx, Group};
    use crate::Relation;

    /// Attributions dropped when source sentence 0 is paired with derivative sentence 0.
    fn dropped(src: &str, dst: &str) -> usize {
        let (src, dst) = (doc(src), doc(dst));
        let ctx = Ctx {
            src: &src,
            dst: &dst,
            groups: vec![Group {
                src: vec![0],
                dst: vec![0],
                score: 0.3,
            }],
            src_aligned: vec![true],
            dst_aligned: vec![true],
            relation: Relation::Rewrite,
        };
        let mut out = Vec::new();
        super::detect(&ctx, &mut out);
        out.iter()
            .filter(|f| f.kind == ChangeKind::AttributionDropped)
            .count()
    }

    #[test]
    fn a_statement_paired_on_one_word_keeps_its_attribution() {
        let src = "\"We are still counting the cost and we will see,\" resident Dana Idris said.";
        assert_eq!(dropped(src, "See you at the meeting on Thursday."), 0);
        // Retold, the statement has lost its speaker.
        assert_eq!(dropped(src, "Residents are still counting the cost."), 1);
    }
}
