//! The typed changes from a source to its derivative.
//!
//! Each kind has a module with its detector and a Markdown file under `docs/` that says what it
//! detects, why it matters, an example and its known limits; [`ChangeKind::explain`] returns it.
//!
//! To add a kind: copy `hedge_dropped.rs` and `docs/hedge_dropped.md`, add the variant to
//! [`ChangeKind`] (name, `explain`, `ALL`), and call the detector from `detect` in this module.

mod additions;
mod attribution_dropped;
mod certainty_inflated;
mod claims;
mod date_changed;
mod details;
mod hedge_dropped;
mod name_changed;
mod number_changed;
mod quotes;

pub(crate) use claims::is_commentary;
pub(crate) use name_changed::Sides as NameSides;

use std::ops::Range;

use retrace_align::Alignment;
use retrace_text::Analyzed;
use retrace_text::facts::Fact;

use crate::{Change, Place, Relation};

/// The kinds of change, in the order they are reported for one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A quotation's words differ from the source's.
    QuoteAltered,
    /// A direct quotation the source does not have: a paraphrase turned into a quote, or a new one.
    QuoteInvented,
    /// A figure changed.
    NumberChanged,
    /// A date changed.
    DateChanged,
    /// A name changed to another name.
    NameChanged,
    /// A caveat of the source is gone.
    HedgeDropped,
    /// The source named where a claim came from; the derivative does not.
    AttributionDropped,
    /// The derivative states with more certainty than the source.
    CertaintyInflated,
    /// The derivative frames as a speaker's admission what the source reports or narrates.
    AttributionAdded,
    /// The derivative adds people to a sentence it retells.
    DetailAdded,
    /// The derivative leaves a detail out of a sentence it retells: a list's member, or in a
    /// copy a name or a figure.
    DetailDropped,
    /// A factual sentence of the derivative with no support in the source.
    ClaimAdded,
    /// A factual sentence of the source left out in the middle of reused text.
    ClaimDropped,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 13] = [
        ChangeKind::QuoteAltered,
        ChangeKind::QuoteInvented,
        ChangeKind::NumberChanged,
        ChangeKind::DateChanged,
        ChangeKind::NameChanged,
        ChangeKind::HedgeDropped,
        ChangeKind::AttributionDropped,
        ChangeKind::CertaintyInflated,
        ChangeKind::AttributionAdded,
        ChangeKind::DetailAdded,
        ChangeKind::DetailDropped,
        ChangeKind::ClaimAdded,
        ChangeKind::ClaimDropped,
    ];

    /// The snake_case name used in JSON and by `retrace explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::QuoteAltered => "quote_altered",
            ChangeKind::QuoteInvented => "quote_invented",
            ChangeKind::NumberChanged => "number_changed",
            ChangeKind::DateChanged => "date_changed",
            ChangeKind::NameChanged => "name_changed",
            ChangeKind::HedgeDropped => "hedge_dropped",
            ChangeKind::AttributionDropped => "attribution_dropped",
            ChangeKind::CertaintyInflated => "certainty_inflated",
            ChangeKind::AttributionAdded => "attribution_added",
            ChangeKind::DetailAdded => "detail_added",
            ChangeKind::DetailDropped => "detail_dropped",
            ChangeKind::ClaimAdded => "claim_added",
            ChangeKind::ClaimDropped => "claim_dropped",
        }
    }

    /// The kind named `name` (snake_case), if any.
    pub fn from_name(name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The documentation of this kind: what it detects, why it matters, an example, limits.
    pub fn explain(self) -> &'static str {
        match self {
            ChangeKind::QuoteAltered => include_str!("docs/quote_altered.md"),
            ChangeKind::QuoteInvented => include_str!("docs/quote_invented.md"),
            ChangeKind::NumberChanged => include_str!("docs/number_changed.md"),
            ChangeKind::DateChanged => include_str!("docs/date_changed.md"),
            ChangeKind::NameChanged => include_str!("docs/name_changed.md"),
            ChangeKind::HedgeDropped => include_str!("docs/hedge_dropped.md"),
            ChangeKind::AttributionDropped => include_str!("docs/attribution_dropped.md"),
            ChangeKind::CertaintyInflated => include_str!("docs/certainty_inflated.md"),
            ChangeKind::AttributionAdded => include_str!("docs/attribution_added.md"),
            ChangeKind::DetailAdded => include_str!("docs/detail_added.md"),
            ChangeKind::DetailDropped => include_str!("docs/detail_dropped.md"),
            ChangeKind::ClaimAdded => include_str!("docs/claim_added.md"),
            ChangeKind::ClaimDropped => include_str!("docs/claim_dropped.md"),
        }
    }
}

/// The kinds looked for in titles: what a headline can change in a single sentence. Claims
/// added or dropped, attributions and details are left to the body, which a headline
/// shortens by design.
const TITLE_KINDS: [ChangeKind; 6] = [
    ChangeKind::NumberChanged,
    ChangeKind::DateChanged,
    ChangeKind::NameChanged,
    ChangeKind::HedgeDropped,
    ChangeKind::CertaintyInflated,
    ChangeKind::QuoteAltered,
];

/// The changes between two titles (each analyzed as a text of its own,
/// [`retrace_text::Analyzed::headline`]), read from the source side: aligned as sentences are,
/// and only [`TITLE_KINDS`] (names only when neither title capitalizes half its words). Nothing when the titles do not align (a new headline is not an
/// edit of the old one). Ranges are in the titles' own texts; each change is [`Place::Title`].
pub(crate) fn in_titles(
    a: &Analyzed,
    b: &Analyzed,
    src_is_a: bool,
    relation: Relation,
) -> Vec<Change> {
    let alignment = retrace_align::Aligner::default().align(a, b);
    if alignment.pairs.is_empty() {
        return Vec::new();
    }
    let names = name_changed::Sides::new(a, b);
    // In a headline written in title case ("Storm Cuts Power To Dunmore") or in a language that
    // capitalizes its nouns, capitals do not mark names: names are not compared there.
    let title_case = |doc: &Analyzed| {
        let words: Vec<&str> = doc
            .text
            .split_whitespace()
            .filter(|w| w.starts_with(char::is_alphabetic))
            .collect();
        let capitals = words
            .iter()
            .filter(|w| w.starts_with(char::is_uppercase))
            .count();
        capitals * 2 >= words.len()
    };
    let names_too = !title_case(a) && !title_case(b);
    detect(a, b, &alignment, src_is_a, relation, &names)
        .into_iter()
        .filter(|c| {
            TITLE_KINDS.contains(&c.kind) && (names_too || c.kind != ChangeKind::NameChanged)
        })
        .map(|c| Change {
            place: Place::Title,
            ..c
        })
        .collect()
}

/// How many of `changes` are symptoms of reuse: caveats and attributions dropped, certainty
/// inflated, quotations invented. Used to tell the direction of derivation.
pub(crate) fn symptoms(changes: &[Change]) -> usize {
    changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::HedgeDropped
                    | ChangeKind::AttributionDropped
                    | ChangeKind::CertaintyInflated
            )
        })
        .count()
}

/// The longest run of left-out source sentences that still counts as a cut inside a kept
/// passage (see [`Ctx::cut_from_passage`]).
const MAX_CUT: usize = 2;

/// The longest paragraph left out whole that still counts as a cut (see
/// [`Ctx::paragraph_cut_from_passage`]).
const MAX_PARAGRAPH_CUT: usize = 4;

/// A change found by a detector, in source/derivative terms.
pub(crate) struct Found {
    pub(crate) kind: ChangeKind,
    pub(crate) src: Option<Range<u32>>,
    pub(crate) dst: Option<Range<u32>>,
    pub(crate) detail: String,
}

/// An aligned group seen from the source to the derivative.
pub(crate) struct Group {
    pub(crate) src: Vec<usize>,
    pub(crate) dst: Vec<usize>,
    pub(crate) score: f32,
}

/// What every detector reads.
pub(crate) struct Ctx<'a> {
    pub(crate) src: &'a Analyzed,
    pub(crate) dst: &'a Analyzed,
    pub(crate) groups: Vec<Group>,
    pub(crate) src_aligned: Vec<bool>,
    pub(crate) dst_aligned: Vec<bool>,
    /// The relation of the pair (a copy keeps what a rewrite condenses).
    pub(crate) relation: Relation,
}

impl<'a> Ctx<'a> {
    /// Facts of the given sentences of `doc`.
    pub(crate) fn facts<'d>(
        doc: &'d Analyzed,
        sentences: &'d [usize],
    ) -> impl Iterator<Item = &'d Fact> {
        sentences.iter().flat_map(move |&k| &doc.sentences[k].facts)
    }

    /// All facts of `doc`.
    pub(crate) fn all_facts(doc: &Analyzed) -> impl Iterator<Item = &Fact> {
        doc.sentences.iter().flat_map(|s| &s.facts)
    }

    /// The normalized text of a range of `doc`.
    pub(crate) fn text(doc: &'a Analyzed, range: &Range<u32>) -> &'a str {
        doc.slice(range)
    }

    /// The run of left-out source sentences that holds sentence `i`, when `i` is not aligned
    /// and aligned sentences stand on both sides of the run.
    fn left_out_run(&self, i: usize) -> Option<Range<usize>> {
        if self.src_aligned[i] {
            return None;
        }
        let before = self.src_aligned[..i].iter().rposition(|&x| x)?;
        let after = i + 1 + self.src_aligned[i + 1..].iter().position(|&x| x)?;
        Some(before + 1..after)
    }

    /// True when source sentence `i` was cut out of a passage the derivative keeps: it is not
    /// aligned, and neither are at most [`MAX_CUT`] sentences around it, with aligned sentences
    /// on both sides. Longer runs are passages an excerpt or a condensing rewrite leaves out as
    /// a whole, which says nothing about any one of their sentences.
    pub(crate) fn cut_from_passage(&self, i: usize) -> bool {
        self.left_out_run(i).is_some_and(|run| run.len() <= MAX_CUT)
    }

    /// True when source sentence `i` opens the closing passage that a duplicate left out: it is
    /// not aligned, nor is any sentence after it, the passage is at most [`MAX_PARAGRAPH_CUT`]
    /// sentences in at most two paragraphs, and sentences before it are aligned. An excerpt
    /// ends where it likes; a copy that keeps everything but its source's last paragraph cut a
    /// claim.
    pub(crate) fn tail_cut(&self, i: usize) -> bool {
        let sentences = &self.src.sentences;
        if self.relation != Relation::Duplicate
            || self.src_aligned[i]
            || i == 0
            || !self.src_aligned[i - 1]
            || self.src_aligned[i..].iter().any(|&x| x)
        {
            return false;
        }
        let tail = &sentences[i..];
        let first = tail[0].paragraph;
        tail.len() <= MAX_PARAGRAPH_CUT && tail.iter().all(|s| s.paragraph <= first + 1)
    }

    /// True when source sentence `i` opens a paragraph that a copy (a duplicate or an excerpt,
    /// not a rewrite, which condenses as it goes) left out whole from between two kept
    /// paragraphs: the run of left-out sentences around it is that paragraph alone, at most
    /// [`MAX_PARAGRAPH_CUT`] sentences, with aligned sentences on both sides. A copy that drops
    /// one paragraph from the middle chose to.
    pub(crate) fn paragraph_cut_from_passage(&self, i: usize) -> bool {
        let sentences = &self.src.sentences;
        let paragraph = sentences[i].paragraph;
        if !matches!(self.relation, Relation::Duplicate | Relation::Excerpt)
            || (i > 0 && sentences[i - 1].paragraph == paragraph)
        {
            return false;
        }
        let Some(run) = self.left_out_run(i) else {
            return false;
        };
        run.len() <= MAX_PARAGRAPH_CUT
            && sentences[run.clone()]
                .iter()
                .all(|s| s.paragraph == paragraph)
            && sentences[run.start - 1].paragraph != paragraph
            && sentences[run.end].paragraph != paragraph
    }
}

/// Content words of a hedged clause that the derivative must share to retell it.
const MIN_CLAUSE_SHARED: usize = 1;

/// Whether the derivative sentences of `group` retell the clause of the source that holds
/// `cue` (a hedge or a weak cue of a source sentence of the group): the clause, bounded by the
/// punctuation around the cue, has content words outside the cue, and at least two of them
/// (one where it has only one) occur, stemmed, in the derivative sentences. A hedge qualifies
/// its clause; where the derivative left that clause out ("while they are sometimes covered"
/// gone from a sentence whose other half is retold), nothing was stated more surely.
pub(crate) fn clause_retold(ctx: &Ctx<'_>, group: &Group, cue: &Range<u32>) -> bool {
    let Some(&k) = group.src.iter().find(|&&k| {
        let r = &ctx.src.sentences[k].range;
        r.start <= cue.start && cue.end <= r.end
    }) else {
        return true;
    };
    let sentence = &ctx.src.sentences[k];
    let text = ctx.src.sentence_text(k);
    let base = sentence.range.start;
    // Punctuation followed by a space ends a clause ("1,500" and "10:30" do not).
    let bounds: Vec<usize> = text
        .char_indices()
        .filter(|&(at, c)| {
            matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–')
                && text[at + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map(|(at, _)| at)
        .collect();
    let (cue_start, cue_end) = ((cue.start - base) as usize, (cue.end - base) as usize);
    let start = bounds
        .iter()
        .rev()
        .find(|&&at| at < cue_start)
        .map_or(0, |&at| at + 1);
    let end = bounds
        .iter()
        .find(|&&at| at >= cue_end)
        .map_or(text.len(), |&at| at);
    let (start, end) = (base + start as u32, base + end as u32);
    shares_content(ctx, group, k, &(start..end), cue, MIN_CLAUSE_SHARED)
}

/// Whether the derivative sentences of `group` share at least `min` content stems (all of them
/// where there are fewer) with the words of source sentence `k` inside `span` and outside
/// `leave_out`; true when there are none.
pub(crate) fn shares_content(
    ctx: &Ctx<'_>,
    group: &Group,
    k: usize,
    span: &Range<u32>,
    leave_out: &Range<u32>,
    min: usize,
) -> bool {
    let mut content: Vec<&str> = ctx.src.sentences[k]
        .tokens
        .iter()
        .filter(|t| {
            !t.stop
                && t.range.start >= span.start
                && t.range.end <= span.end
                && !overlap(&t.range, leave_out)
        })
        .map(|t| t.stem.as_str())
        .collect();
    content.sort_unstable();
    content.dedup();
    if content.is_empty() {
        return true;
    }
    let dst: std::collections::HashSet<&str> = group
        .dst
        .iter()
        .flat_map(|&j| ctx.dst.sentences[j].tokens.iter())
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    let shared = content.iter().filter(|w| dst.contains(*w)).count();
    shared >= content.len().min(min)
}

/// The byte range from the first to the last of a group's sentences.
pub(crate) fn group_range(doc: &Analyzed, sentences: &[usize]) -> Range<u32> {
    let first = &doc.sentences[sentences[0]].range;
    let last = &doc.sentences[*sentences.last().unwrap_or(&sentences[0])].range;
    first.start..last.end
}

/// Whether two byte ranges share a byte.
pub(crate) fn overlap(a: &Range<u32>, b: &Range<u32>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Whether a report of `kind` that a detector before made covers part of `range` of the
/// source.
pub(crate) fn reported_at(out: &[Found], kind: ChangeKind, range: &Range<u32>) -> bool {
    out.iter()
        .any(|f| f.kind == kind && f.src.as_ref().is_some_and(|r| overlap(r, range)))
}

/// Runs every detector. `src_is_a` says which side is the source (A when unknown).
pub(crate) fn detect(
    a: &Analyzed,
    b: &Analyzed,
    alignment: &Alignment,
    src_is_a: bool,
    relation: Relation,
    names: &name_changed::Sides<'_>,
) -> Vec<Change> {
    let (src, dst) = if src_is_a { (a, b) } else { (b, a) };
    let groups = alignment
        .pairs
        .iter()
        .map(|p| {
            let (s, d) = if src_is_a { (&p.a, &p.b) } else { (&p.b, &p.a) };
            Group {
                src: s.clone(),
                dst: d.clone(),
                score: p.score,
            }
        })
        .collect();
    let mark = |count: usize, unaligned: &[usize]| {
        let mut aligned = vec![true; count];
        for &k in unaligned {
            aligned[k] = false;
        }
        aligned
    };
    let (src_un, dst_un) = if src_is_a {
        (&alignment.unaligned_a, &alignment.unaligned_b)
    } else {
        (&alignment.unaligned_b, &alignment.unaligned_a)
    };
    let ctx = Ctx {
        src,
        dst,
        groups,
        src_aligned: mark(src.sentences.len(), src_un),
        dst_aligned: mark(dst.sentences.len(), dst_un),
        relation,
    };
    let mut found = Vec::new();
    quotes::detect(&ctx, &mut found);
    number_changed::detect(&ctx, &mut found);
    date_changed::detect(&ctx, &mut found);
    name_changed::detect(&ctx, names.oriented(src_is_a), &mut found);
    hedge_dropped::detect(&ctx, &mut found);
    attribution_dropped::detect(&ctx, &mut found);
    certainty_inflated::detect(&ctx, &mut found);
    additions::detect(&ctx, &mut found);
    details::detect(&ctx, &mut found);
    claims::detect(&ctx, &mut found);

    let mut changes: Vec<Change> = found
        .into_iter()
        .map(|f| {
            let (a, b) = if src_is_a {
                (f.src, f.dst)
            } else {
                (f.dst, f.src)
            };
            Change {
                kind: f.kind,
                place: Place::Body,
                a,
                b,
                detail: f.detail,
            }
        })
        .collect();
    let key = |c: &Change| {
        (
            c.b.as_ref().map_or(u32::MAX, |r| r.start),
            c.a.as_ref().map_or(u32::MAX, |r| r.start),
            c.kind,
        )
    };
    changes.sort_by(|x, y| key(x).cmp(&key(y)).then_with(|| x.detail.cmp(&y.detail)));
    changes.dedup_by(|x, y| x.kind == y.kind && x.a == y.a && x.b == y.b);
    changes
}

/// Lowercased words of a text, for comparing quotations and names.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Dice coefficient of two word lists (as multisets reduced to sets).
pub(crate) fn word_dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut sa: Vec<&str> = a.iter().map(String::as_str).collect();
    let mut sb: Vec<&str> = b.iter().map(String::as_str).collect();
    sa.sort_unstable();
    sa.dedup();
    sb.sort_unstable();
    sb.dedup();
    let shared = sa.iter().filter(|w| sb.binary_search(w).is_ok()).count();
    2.0 * shared as f32 / (sa.len() + sb.len()) as f32
}

/// Shortens a quotation for a one-line explanation.
pub(crate) fn clip(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Both texts clipped to about `max_chars` around where they first differ: two long
/// quotations that share their opening words show the words that changed, not the same
/// opening twice ("…catering to a wealthy, elite clientele" / "…catering to a rich clientele").
pub(crate) fn clip_pair(a: &str, b: &str, max_chars: usize) -> (String, String) {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    let same = wa.iter().zip(&wb).take_while(|(x, y)| x == y).count();
    let fits = |w: &[&str]| w.join(" ").chars().count() <= max_chars;
    if fits(&wa) && fits(&wb) || same < 6 {
        return (clip(a, max_chars), clip(b, max_chars));
    }
    // Keep four shared words before the difference, for context.
    let from = same - 4;
    let tail = |w: &[&str]| format!("…{}", clip(&w[from..].join(" "), max_chars));
    (tail(&wa), tail(&wb))
}

#[cfg(test)]
mod tests;
