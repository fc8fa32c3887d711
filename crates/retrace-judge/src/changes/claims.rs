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
    factual || sentence.tokens.len() >= 8
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
    // An excerpt leaves out by definition: only gaps inside the reused passage count, which
    // `inside_src_region` checks for every relation.
    let reported_src: Vec<u32> = out
        .iter()
        .filter_map(|f| f.src.as_ref().map(|r| r.start))
        .collect();
    for (k, sentence) in ctx.src.sentences.iter().enumerate() {
        if ctx.src_aligned[k] || !ctx.inside_src_region(k) || !is_claim(ctx.src, k) {
            continue;
        }
        if reported_src
            .iter()
            .any(|&at| sentence.range.start <= at && at < sentence.range.end)
        {
            continue;
        }
        let factual = sentence.facts.iter().any(|f| {
            matches!(
                f.kind,
                FactKind::Number(_) | FactKind::Date(_) | FactKind::Quote(_)
            )
        });
        if !factual {
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
