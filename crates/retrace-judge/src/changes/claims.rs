//! `claim_added` and `claim_dropped`: see `docs/claim_added.md` and `docs/claim_dropped.md`.

use retrace_text::Analyzed;
use retrace_text::facts::FactKind;

use super::{ChangeKind, Ctx, Found, clip};

/// A sentence states something checkable: a figure, a date, a name or a quotation, or at least
/// eight words of prose ending like a sentence. Headings and captions without a stop are not
/// claims.
fn is_claim(doc: &Analyzed, k: usize) -> bool {
    let sentence = &doc.sentences[k];
    let text = doc.sentence_text(k);
    let finished = text
        .trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '!', '?']);
    if !finished || sentence.tokens.len() < 5 {
        return false;
    }
    let factual = sentence.facts.iter().any(|f| {
        matches!(
            f.kind,
            FactKind::Number(_) | FactKind::Date(_) | FactKind::Entity(_) | FactKind::Quote(_)
        )
    });
    (factual || sentence.tokens.len() >= 8) && !is_commentary(doc, k)
}

/// Words that, opening a sentence, make it an invitation to the reader ("Read the full story
/// at …", "Tell us in the comments", "Download our app") or an open question ("Whether the
/// council will listen is another matter."), not a statement.
const OPENERS: &[&str] = &[
    "read",
    "click",
    "tap",
    "subscribe",
    "sign",
    "download",
    "follow",
    "share",
    "watch",
    "listen",
    "tell",
    "check",
    "see",
    "join",
    "like",
    "visit",
    "stay",
    "don't",
    "let's",
    "whether",
];

/// Words that, anywhere outside a quotation, mark page furniture or a call to the reader.
const FURNITURE: &[&str] = &[
    "subscribe",
    "newsletter",
    "download",
    "comments",
    "bio",
    "app",
    "apps",
    "click",
];

/// Phrases by which a sentence speaks of the article itself, its readers or its publication
/// rather than of the news: "The full interview is on InStyle.", "Regular readers know …",
/// "Content syndicated automatically", "To reach the reporter behind this story, …".
const META: &[&str] = &[
    "full post",
    "full story",
    "full interview",
    "full piece",
    "full article",
    "full report",
    "in full at",
    "the piece",
    "this piece",
    "the post ",
    "this post",
    "this dispatch",
    "goes on to",
    "readers",
    "syndicated",
    "not responsible for",
    "the reporter behind",
    "reach the reporter",
    "views expressed",
];

/// Whether a sentence speaks of the article, its readers or its publication (see [`META`]),
/// or gives an address to write to.
fn meta(text: &str) -> bool {
    let lower = text.to_lowercase();
    META.iter().any(|m| lower.contains(m))
        || text.split_whitespace().any(|w| {
            w.contains('@') && w.trim_end_matches('.').contains('.') && !w.starts_with('@')
        })
}

/// Evaluative words: a sentence built on one, with no figure, date, name or quotation to check,
/// is an opinion ("It is worth your time.", "That is another matter.").
const EVALUATIVE: &[&str] = &[
    "worth",
    "amazing",
    "interesting",
    "fascinating",
    "remarkable",
    "incredible",
    "cringey",
    "surely",
    "arguably",
    "frankly",
    "honestly",
    "hopefully",
    "luckily",
    "thankfully",
];

/// Labels that head a line of page furniture when a colon follows them ("Related: …",
/// "Read more: …", "Also read: …").
const LABELS: &[&str] = &[
    "related",
    "more",
    "also",
    "trending",
    "latest",
    "recommended",
    "advertisement",
    "sponsored",
    "popular",
    "tags",
    "topics",
];

/// True when `text` is an aggregator's lead-in to what it quotes: a few words that open with
/// "From" or "Via" and end with a colon ("From the St. Lucia Times:", "Via Reuters:").
fn lead_in(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    text.ends_with(':')
        && words <= 8
        && ["from ", "via "]
            .iter()
            .any(|w| text.to_lowercase().starts_with(w))
}

/// True when `text` opens with one or two words ending in a [`LABELS`] word and a colon:
/// "Related:", "Read more:", "Also read:" (the label may come first or second).
fn furniture_label(text: &str) -> bool {
    let Some((head, _)) = text.split_once(':') else {
        return false;
    };
    let words: Vec<String> = head.split_whitespace().map(str::to_lowercase).collect();
    !words.is_empty() && words.len() <= 2 && words.iter().any(|w| LABELS.contains(&w.as_str()))
}

/// Words that speak to the reader or for the writer: "we", "you", "our".
const PERSONS: &[&str] = &["i", "me", "my", "we", "us", "our", "you", "your"];

/// A sentence of commentary, not of news: a question, a call to the reader, page furniture, or
/// an opinion in the writer's or reader's voice. Nothing in it can be checked against a
/// source, so it is neither a claim added nor one dropped (issue 14, class 1). Words inside a
/// quotation do not count: a quoted "we" is the speaker's.
pub(crate) fn is_commentary(doc: &Analyzed, k: usize) -> bool {
    let sentence = &doc.sentences[k];
    let text = doc.sentence_text(k).trim_end();
    if text.trim_end_matches(['"', '\'', ')']).ends_with('?')
        || furniture_label(text)
        || lead_in(text)
        || crate::relation::is_credit(text)
        || meta(text)
    {
        return true;
    }
    let quoted: Vec<std::ops::Range<u32>> = sentence
        .facts
        .iter()
        .filter(|f| matches!(f.kind, FactKind::Quote(_)))
        .map(|f| f.range.clone())
        .collect();
    let words: Vec<&str> = sentence
        .tokens
        .iter()
        .filter(|t| {
            !quoted
                .iter()
                .any(|q| q.start <= t.range.start && t.range.end <= q.end)
        })
        .map(|t| t.lower.as_str())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if quoted.is_empty() && OPENERS.contains(first) {
        return true;
    }
    if words.iter().any(|w| FURNITURE.contains(w)) {
        return true;
    }
    let checkable = sentence.facts.iter().any(|f| {
        matches!(
            f.kind,
            FactKind::Number(_) | FactKind::Date(_) | FactKind::Entity(_) | FactKind::Quote(_)
        )
    });
    !checkable
        && words
            .iter()
            .any(|w| PERSONS.contains(w) || EVALUATIVE.contains(w))
}

/// Where sentence `k` of `doc` states an actor's conduct towards the press ("did not respond
/// to requests for comment", "declined to comment", "could not be reached", "was not
/// available"): the content stems of the words before the cue (the actor) and the cue's range.
fn conduct(doc: &Analyzed, k: usize) -> Option<(Vec<&str>, std::ops::Range<u32>)> {
    let tokens = &doc.sentences[k].tokens;
    let lo = |i: usize| tokens.get(i).map_or("", |t| t.lower.as_str());
    let negated = |i: usize| {
        matches!(lo(i), "didn't" | "hasn't" | "haven't" | "hadn't")
            || (matches!(lo(i), "did" | "has" | "have" | "had") && lo(i + 1) == "not")
    };
    let cue = (0..tokens.len()).find_map(|i| {
        let reply = |j: usize| {
            matches!(
                lo(j),
                "respond" | "responded" | "reply" | "replied" | "return" | "returned" | "answer"
            )
        };
        if negated(i) {
            let j = if lo(i + 1) == "not" { i + 2 } else { i + 1 };
            let j = if lo(j) == "immediately" { j + 1 } else { j };
            return reply(j).then_some((i, j));
        }
        match (lo(i), lo(i + 1), lo(i + 2)) {
            ("declined" | "refused", "to", "comment") => Some((i, i + 2)),
            ("could", "not", "be") if lo(i + 3) == "reached" => Some((i, i + 3)),
            ("was" | "were", "not", "available") => Some((i, i + 2)),
            _ => None,
        }
    })?;
    let actor = tokens[..cue.0]
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    Some((actor, tokens[cue.0].range.start..tokens[cue.1].range.end))
}

/// Share of the content stems of `doc` sentence `k` that occur anywhere in `other`.
fn support(doc: &Analyzed, k: usize, other: &Analyzed) -> f32 {
    let content: Vec<&str> = doc.sentences[k]
        .tokens
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    if content.is_empty() {
        return 1.0;
    }
    let found = content
        .iter()
        .filter(|stem| {
            other
                .sentences
                .iter()
                .any(|s| s.tokens.iter().any(|t| t.stem == **stem))
        })
        .count();
    found as f32 / content.len() as f32
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    // A statement of someone's conduct ("X did not respond to requests for comment") is a
    // claim about X, inside a retold sentence or not, and even when every word of it occurs in
    // the source: the source must say it of the same actor.
    let src_conduct: Vec<Vec<&str>> = (0..ctx.src.sentences.len())
        .filter_map(|k| conduct(ctx.src, k).map(|(actor, _)| actor))
        .collect();
    for k in 0..ctx.dst.sentences.len() {
        let Some((actor, cue)) = conduct(ctx.dst, k) else {
            continue;
        };
        let said_in_source = src_conduct
            .iter()
            .any(|theirs| actor.is_empty() || actor.iter().any(|w| theirs.contains(w)));
        if said_in_source {
            continue;
        }
        out.push(Found {
            kind: ChangeKind::ClaimAdded,
            src: None,
            dst: Some(ctx.dst.sentences[k].range.clone()),
            detail: format!(
                "the source says nothing of this conduct: \"{}\"",
                clip(
                    ctx.dst.slice(&(ctx.dst.sentences[k].range.start..cue.end)),
                    90
                )
            ),
        });
    }
    let reported_dst: Vec<u32> = out
        .iter()
        .filter_map(|f| f.dst.as_ref().map(|r| r.start))
        .collect();
    for (k, sentence) in ctx.dst.sentences.iter().enumerate() {
        if ctx.dst_aligned[k] || !is_claim(ctx.dst, k) {
            continue;
        }
        // An invented quotation in this sentence already says it.
        if reported_dst
            .iter()
            .any(|&at| sentence.range.start <= at && at < sentence.range.end)
        {
            continue;
        }
        // A sentence stitched from words the source uses elsewhere is a recombination, not new.
        let support = support(ctx.dst, k, ctx.src);
        if support >= 0.75 {
            continue;
        }
        // Narration the source has in other words, now a speaker's admission ("…, Agerblad
        // acknowledged"): the admission is what was added.
        let admission = sentence.facts.iter().find_map(|f| match &f.kind {
            FactKind::Attribution(a) if super::additions::is_admission(&a.cue) => {
                Some((a, f.range.clone()))
            }
            _ => None,
        });
        if let Some((a, range)) = admission
            && support >= 0.4
        {
            out.push(Found {
                kind: ChangeKind::AttributionAdded,
                src: None,
                dst: Some(range),
                detail: format!(
                    "the derivative has {} {} \"{}\"; the source says it without them",
                    a.source,
                    a.cue,
                    clip(ctx.dst.sentence_text(k), 70)
                ),
            });
            continue;
        }
        out.push(Found {
            kind: ChangeKind::ClaimAdded,
            src: None,
            dst: Some(sentence.range.clone()),
            detail: format!(
                "no sentence of the source supports \"{}\" ({:.0}% of its words occur in the source)",
                clip(ctx.dst.sentence_text(k), 90),
                support * 100.0
            ),
        });
    }
    // An excerpt or a condensing rewrite leaves out by definition: only a sentence or two cut
    // from inside a passage kept around them count, which `cut_from_passage` checks.
    let reported_src: Vec<u32> = out
        .iter()
        .filter_map(|f| f.src.as_ref().map(|r| r.start))
        .collect();
    // A rewrite condenses as it goes: what it leaves out between retold sentences is its
    // editing, not a choice about one claim (on the tune cases, 0 of 5 planted drops found
    // in rewrites against 8 false alarms; 4 of 4 in copies, none false).
    let copy = ctx.relation != crate::Relation::Rewrite;
    let dst_quotes = super::quotes::quotation_words(ctx.dst);
    for (k, sentence) in ctx.src.sentences.iter().enumerate() {
        let paragraph = ctx.paragraph_cut_from_passage(k) || ctx.tail_cut(k);
        if !((copy && ctx.cut_from_passage(k)) || paragraph) || !is_claim(ctx.src, k) {
            continue;
        }
        if reported_src
            .iter()
            .any(|&at| sentence.range.start <= at && at < sentence.range.end)
            || super::quotes::quoted_in(ctx, k, &dst_quotes)
        {
            continue;
        }
        let factual = sentence.facts.iter().any(|f| {
            matches!(
                f.kind,
                FactKind::Number(_)
                    | FactKind::Date(_)
                    | FactKind::Quote(_)
                    | FactKind::Attribution(_)
            )
        });
        // A paragraph dropped whole is reported by its first sentence, whatever it states; so
        // is any claim a duplicate cuts (a copy that keeps everything else chose to cut it).
        // An excerpt leaves out as it goes: there only a figure, a date, a quotation or an
        // attribution cut from a kept passage is a choice about a claim.
        let duplicate = ctx.relation == crate::Relation::Duplicate;
        if !factual && !paragraph && !duplicate {
            continue;
        }
        out.push(Found {
            kind: ChangeKind::ClaimDropped,
            src: Some(sentence.range.clone()),
            dst: None,
            detail: format!(
                "left out of a passage the derivative otherwise retells: \"{}\"",
                clip(ctx.src.sentence_text(k), 90)
            ),
        });
    }
}
