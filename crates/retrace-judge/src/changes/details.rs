//! Details inside retold sentences, read from coordinated lists and, in copies, from names and
//! figures: `detail_dropped` (see `docs/detail_dropped.md`) and the list half of
//! `detail_added` (see `docs/detail_added.md`).
//!
//! A list the derivative keeps ("Ohio, Texas, and Pennsylvania" → "Ohio and Texas") shares
//! members with the source's: the members one side lacks are the details it dropped or added,
//! whatever else the sentence rewords. A copy edits sentence by sentence, so in a close pair a
//! name or a figure it leaves out ("a San Diego engineer" → "an engineer", "a 19-year-old
//! student" → "a student") is a detail dropped too.

use std::collections::HashSet;
use std::ops::Range;

use retrace_text::facts::FactKind;
use retrace_text::{Analyzed, Token};

use super::{ChangeKind, Ctx, Found, Group, clip, group_range, overlap};
use crate::Relation;

/// The most words a list member may have ("Hillary Clinton", "Latino young people").
const MAX_MEMBER: usize = 3;

/// The most members a list of details may have: a longer run of names is a tag cloud, an index
/// or a roll of names, not a detail of a sentence (and comparing it member by member against
/// every report made before would cost the square of its length).
const MAX_LIST: usize = 12;

/// Stems of titles that stand before a name and may be spelled out or shortened.
const TITLES: &[&str] = &[
    "prof",
    "professor",
    "dr",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "sen",
    "senat",
    "rep",
    "gov",
    "governor",
    "gen",
    "general",
    "presid",
    "minist",
    "mayor",
];

/// A pair this close (mean word overlap of its group) is an edited copy of its source
/// sentence, not a retelling: what it leaves out, it cut.
const MIN_CLOSE: f32 = 0.75;

/// Adverbs that open a sentence and are set off by a comma, capitalized there like a name.
const SENTENCE_ADVERBS: &[&str] = &[
    "also",
    "additionally",
    "afterwards",
    "again",
    "finally",
    "furthermore",
    "however",
    "instead",
    "later",
    "likewise",
    "meanwhile",
    "moreover",
    "nevertheless",
    "nonetheless",
    "overall",
    "separately",
    "similarly",
    "still",
    "then",
    "ultimately",
];

/// One member of a coordinated list: its content stems and its byte range.
struct Member {
    stems: Vec<String>,
    range: Range<u32>,
}

/// The lists of names in sentence `k`: members separated by commas, the last one after "and"
/// or "or" ("Ohio, Texas, and Pennsylvania", "Bill and Hillary Clinton", "Mato Grosso and
/// Paraná"). A member is up to [`MAX_MEMBER`] capitalized words with only spaces between them;
/// the list ends with the member after the conjunction. Lists of other words are left alone:
/// commas also separate clauses and appositives, and a retelling rewords those freely.
fn lists(doc: &Analyzed, k: usize) -> Vec<Vec<Member>> {
    let tokens = &doc.sentences[k].tokens;
    let gap = |a: usize, b: usize| {
        doc.slice(&(tokens[a].range.end..tokens[b].range.start.max(tokens[a].range.end)))
            .trim()
    };
    let word = |i: usize, capitalized: bool| {
        tokens.get(i).is_some_and(|x| {
            x.capitalized == capitalized && !x.stop && x.kind == retrace_text::TokenKind::Word
        })
    };
    let mut lists = names_or_words(tokens, &gap, |t| {
        // A name: up to MAX_MEMBER capitalized words; a sentence adverb opening the sentence
        // ("Also, JPEG, JPG and PNG images") is none.
        if !word(t, true) || (t == 0 && SENTENCE_ADVERBS.contains(&tokens[t].lower.as_str())) {
            return None;
        }
        let mut end = t + 1;
        while end - t < MAX_MEMBER && word(end, true) && gap(end - 1, end).is_empty() {
            end += 1;
        }
        Some(end)
    });
    // An enumeration of single words: "arms, legs, and feet", "kinky, coily, braided, or
    // locked". Three members at least, so that two clauses joined by "and" are not one.
    lists.extend(
        // A participle starts a clause ("…, guarding and clearing lines"), not a member.
        names_or_words(tokens, &gap, |t| {
            (word(t, false) && !tokens[t].lower.ends_with("ing")).then_some(t + 1)
        })
        .into_iter()
        .filter(|list| list.len() >= 3),
    );
    lists
}

/// The lists of a sentence's tokens whose members `member_at` reads (it returns one past a
/// member's last token, or `None` where no member starts).
fn names_or_words<'d>(
    tokens: &[Token],
    gap: &dyn Fn(usize, usize) -> &'d str,
    member_at: impl Fn(usize) -> Option<usize>,
) -> Vec<Vec<Member>> {
    let member_at = |t: usize| -> Option<(Member, usize)> {
        let end = member_at(t)?;
        let member = Member {
            stems: tokens[t..end].iter().map(|x| x.stem.clone()).collect(),
            range: tokens[t].range.start..tokens[end - 1].range.end,
        };
        Some((member, end))
    };
    let conjunction = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|x| matches!(x.lower.as_str(), "and" | "or"))
    };
    let mut lists = Vec::new();
    let mut t = 0;
    while t < tokens.len() {
        let Some((first, mut end)) = member_at(t) else {
            t += 1;
            continue;
        };
        let mut list = vec![first];
        let mut closed = false;
        while end < tokens.len() {
            // ", Texas" goes on; ", and Pennsylvania" / "and Pennsylvania" ends the list.
            let (next, last) = if conjunction(end) && matches!(gap(end - 1, end), "" | ",") {
                (end + 1, true)
            } else if gap(end - 1, end) == "," && !conjunction(end) {
                (end, false)
            } else {
                break;
            };
            if next >= tokens.len() || !gap(next - 1, next).is_empty() && last {
                break;
            }
            let Some((member, after)) = member_at(next) else {
                break;
            };
            list.push(member);
            end = after;
            if last {
                closed = true;
                break;
            }
        }
        if closed && list.len() <= MAX_LIST {
            lists.push(list);
        }
        t = end.max(t + 1);
    }
    lists
}

/// Content stems of the sentences of a group.
fn group_stems<'d>(doc: &'d Analyzed, sentences: &[usize]) -> HashSet<&'d str> {
    sentences
        .iter()
        .flat_map(|&k| &doc.sentences[k].tokens)
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect()
}

/// Whether a report of the detectors before already covers `range` of the source.
fn reported(out: &[Found], src: &Range<u32>) -> bool {
    out.iter().any(|f| {
        f.src
            .as_ref()
            .is_some_and(|r| overlap(r, src) && r.end - r.start < 400)
    })
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        if group.src.is_empty() || group.dst.is_empty() {
            continue;
        }
        let src_words = group_stems(ctx.src, &group.src);
        let dst_words = group_stems(ctx.dst, &group.dst);
        list_members(ctx, group, &src_words, &dst_words, out);
        if matches!(ctx.relation, Relation::Duplicate | Relation::Excerpt)
            && group.score >= MIN_CLOSE
        {
            cut_from_copy(ctx, group, &dst_words, out);
        }
    }
}

/// Members of a list that both sides keep (they share a member) and one side lacks: dropped
/// when the derivative's sentences have none of the member's first word, added when the
/// source's sentence and its neighbours have none of it.
fn list_members(
    ctx: &Ctx<'_>,
    group: &Group,
    src_words: &HashSet<&str>,
    dst_words: &HashSet<&str>,
    out: &mut Vec<Found>,
) {
    let first_in = |m: &Member, words: &HashSet<&str>| words.contains(m.stems[0].as_str());
    // The other side keeps the list: one member of a pair, two of a longer list ("made,
    // distributed or sold" for "distribute, manufacture, or sell" is a retelling of it).
    let kept = |list: &[Member], words: &HashSet<&str>| {
        list.iter().filter(|m| first_in(m, words)).count() >= list.len().min(3) - 1
    };
    // "Prof David Green" retold as "Professor David Green" keeps the person.
    let titled = |m: &Member| m.stems.len() > 1 && TITLES.contains(&m.stems[0].as_str());
    for &k in &group.src {
        for list in lists(ctx.src, k) {
            if !kept(&list, dst_words) {
                continue;
            }
            for member in list
                .iter()
                .filter(|m| !first_in(m, dst_words) && !titled(m))
            {
                if reported(out, &member.range) {
                    continue;
                }
                out.push(Found {
                    kind: ChangeKind::DetailDropped,
                    src: Some(member.range.clone()),
                    dst: Some(group_range(ctx.dst, &group.dst)),
                    detail: format!(
                        "\"{}\" is left out of the list \"{}\"",
                        ctx.src.slice(&member.range),
                        ctx.src
                            .slice(&(list[0].range.start..list[list.len() - 1].range.end))
                    ),
                });
            }
        }
    }
    let near = super::additions::near_stems(ctx.src, group);
    for &k in &group.dst {
        for list in lists(ctx.dst, k) {
            if !kept(&list, src_words) {
                continue;
            }
            for member in list
                .iter()
                .filter(|m| !near.contains(m.stems[0].as_str()) && !titled(m))
            {
                let overlaps = out
                    .iter()
                    .any(|f| f.dst.as_ref().is_some_and(|r| overlap(r, &member.range)));
                if overlaps {
                    continue;
                }
                out.push(Found {
                    kind: ChangeKind::DetailAdded,
                    src: Some(group_range(ctx.src, &group.src)),
                    dst: Some(member.range.clone()),
                    detail: format!(
                        "\"{}\" is added to the list: the source's \"{}\" does not have it",
                        ctx.dst.slice(&member.range),
                        clip(ctx.src.sentence_text(group.src[0]), 70)
                    ),
                });
            }
        }
    }
}

/// Names and figures of a source sentence that a close copy of it leaves out: none of the
/// name's words, or not the figure, anywhere in the derivative's sentences.
fn cut_from_copy(ctx: &Ctx<'_>, group: &Group, dst_words: &HashSet<&str>, out: &mut Vec<Found>) {
    let dst_lower: HashSet<&str> = group
        .dst
        .iter()
        .flat_map(|&k| &ctx.dst.sentences[k].tokens)
        .map(|t| t.lower.as_str())
        .collect();
    for fact in Ctx::facts(ctx.src, &group.src) {
        let what = match &fact.kind {
            FactKind::Entity(_) => "name",
            FactKind::Number(_) => "figure",
            _ => continue,
        };
        let tokens: Vec<&Token> = group
            .src
            .iter()
            .flat_map(|&k| &ctx.src.sentences[k].tokens)
            .filter(|t| fact.range.start <= t.range.start && t.range.end <= fact.range.end)
            .collect();
        let content: Vec<&&Token> = tokens.iter().filter(|t| !t.stop).collect();
        // An acronym repeats a name spelled out beside it ("U.S. Virgin Islands (USVI)"), and a
        // form of address ("His Honour") names nobody new: leaving them out cuts nothing.
        let acronym = content.len() == 1 && {
            let raw = ctx.src.slice(&content[0].range);
            raw.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        };
        let address = content.iter().all(|t| {
            matches!(
                t.lower.as_str(),
                "honour" | "honor" | "lordship" | "ladyship"
            )
        });
        if content.is_empty() || acronym || address {
            continue;
        }
        // A name is kept when half its words are ("the Youth Law Center" for "the National
        // Center for Youth Law"); one common word left ("law" in "the law firm") keeps nothing.
        let in_dst = content
            .iter()
            .filter(|t| dst_words.contains(t.stem.as_str()) || dst_lower.contains(t.lower.as_str()))
            .count();
        let kept = in_dst > 0 && 2 * in_dst >= content.len();
        if kept || reported(out, &fact.range) {
            continue;
        }
        out.push(Found {
            kind: ChangeKind::DetailDropped,
            src: Some(fact.range.clone()),
            dst: Some(group_range(ctx.dst, &group.dst)),
            detail: format!(
                "the {what} \"{}\" is left out of a sentence the derivative copies",
                ctx.src.slice(&fact.range)
            ),
        });
    }
}
