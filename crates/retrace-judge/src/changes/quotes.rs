//! `quote_altered` and `quote_invented`: see `docs/quote_altered.md` and `docs/quote_invented.md`.

use retrace_text::facts::{FactKind, QuoteFact};

use super::{ChangeKind, Ctx, Found, clip, clip_pair, word_dice, words};

struct Quote<'a> {
    fact: &'a QuoteFact,
    range: std::ops::Range<u32>,
    sentence: usize,
    words: Vec<String>,
}

/// True when the derivative quotes the source's opening words exactly and stops where the
/// source's own punctuation marks a break ("…a well-connected clientele," of "…a
/// well-connected clientele, and business was booming"): a quotation shortened, its words
/// unchanged, is quoting part of a statement, not rewording it.
fn trimmed(s: &Quote<'_>, d: &Quote<'_>) -> bool {
    if d.words.len() < 5 || !s.words.starts_with(&d.words) {
        return false;
    }
    let kept = d.fact.text.trim_end_matches(|c: char| !c.is_alphanumeric());
    s.fact
        .text
        .strip_prefix(kept)
        .is_some_and(|rest| rest.starts_with([',', '.', ';', ':', '—', '–']))
}

fn quotes_of(doc: &retrace_text::Analyzed) -> Vec<Quote<'_>> {
    let mut out = Vec::new();
    for (k, sentence) in doc.sentences.iter().enumerate() {
        for fact in &sentence.facts {
            if let FactKind::Quote(q) = &fact.kind
                && !q.scare
            {
                out.push(Quote {
                    fact: q,
                    range: fact.range.clone(),
                    sentence: k,
                    words: words(&q.text),
                });
            }
        }
    }
    out
}

/// Quotes match when they share at least this share of words (Dice).
const SAME_QUOTE: f32 = 0.45;

/// The short quotations (scare quotes: a word or a phrase) of sentences `sentences`, with their
/// ranges and lowercased words.
fn short_quotes<'a>(
    doc: &'a retrace_text::Analyzed,
    sentences: &'a [usize],
) -> Vec<(&'a QuoteFact, std::ops::Range<u32>, Vec<String>)> {
    Ctx::facts(doc, sentences)
        .filter_map(|f| match &f.kind {
            FactKind::Quote(q) if q.scare => Some((q, f.range.clone(), words(&q.text))),
            _ => None,
        })
        .collect()
}

/// A word or phrase in quotation marks changed inside an aligned sentence: Truss was
/// "appalled" retold as Truss was "shocked", "regrettable" as "deeply regrettable". Only when
/// each side of the group has exactly one such quotation, so that they can only be each other.
fn detect_short(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        let (src, dst) = (
            short_quotes(ctx.src, &group.src),
            short_quotes(ctx.dst, &group.dst),
        );
        let ([(s, s_range, s_words)], [(d, d_range, d_words)]) = (&src[..], &dst[..]) else {
            continue;
        };
        if s_words == d_words || s_words.is_empty() || d_words.is_empty() {
            continue;
        }
        out.push(Found {
            kind: ChangeKind::QuoteAltered,
            src: Some(s_range.clone()),
            dst: Some(d_range.clone()),
            detail: format!(
                "the quoted words \"{}\" became \"{}\"",
                clip(&s.text, 60),
                clip(&d.text, 60)
            ),
        });
    }
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    detect_short(ctx, out);
    let src = quotes_of(ctx.src);
    let dst = quotes_of(ctx.dst);
    let mut dst_matched = vec![false; dst.len()];
    let group_of_dst: Vec<Option<usize>> = (0..ctx.dst.sentences.len())
        .map(|k| ctx.groups.iter().position(|g| g.dst.contains(&k)))
        .collect();
    // A quotation the derivative gives word for word is that one, wherever it stands: pair
    // those first, so that a shorter pull quote of the same statement ("…of this ruling.")
    // does not take the full quotation and report it reworded.
    let mut src_matched = vec![false; src.len()];
    for (j, s) in src.iter().enumerate() {
        if let Some(i) = (0..dst.len()).find(|&i| !dst_matched[i] && dst[i].words == s.words) {
            dst_matched[i] = true;
            src_matched[j] = true;
        }
    }

    for s in src
        .iter()
        .zip(&src_matched)
        .filter(|(_, m)| !**m)
        .map(|(s, _)| s)
    {
        // Best derivative quotation: prefer those in the aligned group, then anywhere.
        let group = ctx.groups.iter().position(|g| g.src.contains(&s.sentence));
        let best = dst
            .iter()
            .enumerate()
            .filter(|(i, _)| !dst_matched[*i])
            .map(|(i, d)| {
                let near = group.is_some() && group_of_dst[d.sentence] == group;
                let dice = word_dice(&s.words, &d.words);
                (dice + if near { 0.15 } else { 0.0 }, dice, i)
            })
            .filter(|&(_, dice, _)| dice >= SAME_QUOTE)
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.2.cmp(&x.2)));
        // A quotation reworded past recognition still sits in the aligned passage: pair it with
        // an unmatched quotation of the counterpart sentences when there is exactly one.
        // Unaligned sentences count as part of the group of an aligned neighbour.
        let best = best.map(|(_, _, i)| i).or_else(|| {
            let near_group = |sentences: &[usize], k: usize, aligned: &[bool]| {
                sentences.contains(&k)
                    || (!aligned[k]
                        && (k.checked_sub(1).is_some_and(|p| sentences.contains(&p))
                            || sentences.contains(&(k + 1))))
            };
            let g = (0..ctx.groups.len())
                .find(|&g| near_group(&ctx.groups[g].src, s.sentence, &ctx.src_aligned))?;
            let near: Vec<usize> = (0..dst.len())
                .filter(|&i| {
                    !dst_matched[i]
                        && near_group(&ctx.groups[g].dst, dst[i].sentence, &ctx.dst_aligned)
                })
                .collect();
            let src_here = src
                .iter()
                .filter(|o| near_group(&ctx.groups[g].src, o.sentence, &ctx.src_aligned))
                .count();
            (near.len() == 1 && src_here <= 2).then(|| near[0])
        });
        let Some(i) = best else { continue };
        dst_matched[i] = true;
        let d = &dst[i];
        if s.words != d.words && !trimmed(s, d) {
            let who = s
                .fact
                .speaker
                .as_deref()
                .filter(|w| !is_pronoun(w))
                .map(|w| format!(" by {w}"))
                .unwrap_or_default();
            let (was, now) = clip_pair(&s.fact.text, &d.fact.text, 90);
            out.push(Found {
                kind: ChangeKind::QuoteAltered,
                src: Some(s.range.clone()),
                dst: Some(d.range.clone()),
                detail: format!("quotation{who} reworded: \"{was}\" became \"{now}\""),
            });
        }
    }

    for (i, d) in dst.iter().enumerate() {
        if dst_matched[i] || d.words.len() < 4 {
            continue;
        }
        // A quotation inside a matched one (a nested quote) is not new.
        if dst.iter().enumerate().any(|(j, o)| {
            j != i && dst_matched[j] && o.range.start <= d.range.start && d.range.end <= o.range.end
        }) {
            continue;
        }
        let group = group_of_dst[d.sentence].map(|g| &ctx.groups[g]);
        let detail = match group {
            Some(g) => {
                let src_text: String = g
                    .src
                    .iter()
                    .map(|&k| ctx.src.sentence_text(k))
                    .collect::<Vec<_>>()
                    .join(" ");
                format!(
                    "direct quotation \"{}\" where the source has no quotation, only \"{}\"",
                    clip(&d.fact.text, 80),
                    clip(&src_text, 80)
                )
            }
            None => format!(
                "direct quotation \"{}\" appears nowhere in the source",
                clip(&d.fact.text, 90)
            ),
        };
        let src_range = group.map(|g| {
            let first = &ctx.src.sentences[g.src[0]].range;
            let last = &ctx.src.sentences[*g.src.last().unwrap_or(&g.src[0])].range;
            first.start..last.end
        });
        out.push(Found {
            kind: ChangeKind::QuoteInvented,
            src: src_range,
            dst: Some(d.range.clone()),
            detail,
        });
    }
}

/// The words of each full quotation of `doc`, for [`quoted_in`].
pub(crate) fn quotation_words(doc: &retrace_text::Analyzed) -> Vec<Vec<String>> {
    quotes_of(doc).into_iter().map(|q| q.words).collect()
}

/// True when every quotation of source sentence `k` (one at least) stands word for word inside
/// one of the derivative's quotations (`dst`, from [`quotation_words`]): a pull quote whose
/// statement the derivative quotes in full is kept, not left out.
pub(crate) fn quoted_in(ctx: &Ctx<'_>, k: usize, dst: &[Vec<String>]) -> bool {
    let mut any = false;
    for fact in &ctx.src.sentences[k].facts {
        let FactKind::Quote(q) = &fact.kind else {
            continue;
        };
        let w = words(&q.text);
        if w.is_empty() || !dst.iter().any(|d| d.windows(w.len()).any(|x| x == w)) {
            return false;
        }
        any = true;
    }
    any
}

fn is_pronoun(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "he" | "she" | "they" | "it" | "we" | "i" | "you"
    )
}
