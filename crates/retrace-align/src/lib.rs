//! Sentence alignment between two analyzed articles.
//!
//! Input: two [`Analyzed`] documents. Output: an [`Alignment`] of sentence pairs (or 1:2 and 2:1
//! groups), each `verbatim`, `edited` or `paraphrase` with a score, the sentences left unaligned
//! on each side, and the coverage of each side.
//!
//! Reordered paragraphs and 1:2 / 2:1 splits and merges are allowed: matching is a greedy
//! maximum-weight assignment over all sentence pairs, not a monotone path. This crate does not
//! decide which text is the source or what changed; that is `retrace-judge`.
//!
//! ```
//! use retrace_span::{OffsetMap, Origin};
//! let analyzer = retrace_text::Analyzer::new();
//! let doc = |text: &str| analyzer.analyze(Origin::Stdin, None, text, &OffsetMap::identity(text.len() as u32));
//! let a = doc("The river rose two metres overnight. Farmers in Lisk moved their cattle. The mayor declared an emergency.");
//! let b = doc("The mayor declared an emergency. The river rose 2 metres in the night. Farmers in Lisk moved their cattle.");
//! let alignment = retrace_align::Aligner::default().align(&a, &b);
//! assert_eq!(alignment.pairs.len(), 3);
//! // Pairs come in the order of B: the moved sentence first.
//! assert_eq!((alignment.pairs[0].a[0], alignment.pairs[0].kind), (2, retrace_align::PairKind::Verbatim));
//! assert_eq!((alignment.pairs[1].a[0], alignment.pairs[1].kind), (0, retrace_align::PairKind::Paraphrase));
//! ```
#![deny(missing_docs)]

pub mod similarity;

use retrace_text::{Analyzed, Token};
use similarity::{TermVector, TermWeights, Vocabulary, combine, embedding_cosine, lcs_len};

/// How close an aligned pair is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    /// The same words in the same order (case and punctuation aside).
    Verbatim,
    /// Mostly the same words: a few edited, added or removed.
    Edited,
    /// The same content in other words.
    Paraphrase,
}

/// Sentences of A aligned with sentences of B.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedPair {
    /// Indexes of one or two consecutive sentences of A.
    pub a: Vec<usize>,
    /// Indexes of one or two consecutive sentences of B.
    pub b: Vec<usize>,
    /// Verbatim, edited or paraphrase.
    pub kind: PairKind,
    /// Similarity in `0..=1`.
    pub score: f32,
    /// Share of the words of the group that also occur, in order, on the other side (`0..=1`).
    pub overlap: f32,
}

/// The alignment of two documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// Aligned groups, ordered by their first sentence in B, then in A.
    pub pairs: Vec<AlignedPair>,
    /// Sentences of A in no pair.
    pub unaligned_a: Vec<usize>,
    /// Sentences of B in no pair.
    pub unaligned_b: Vec<usize>,
    /// Share of A's sentence bytes that are aligned.
    pub coverage_a: f64,
    /// Share of B's sentence bytes that are aligned.
    pub coverage_b: f64,
    /// True when sentence embeddings of both sides took part in the scores.
    pub semantic: bool,
}

/// Builds an [`Aligner`].
#[derive(Clone, Debug)]
pub struct AlignerBuilder {
    min_score: f32,
    min_score_semantic: f32,
    allow_groups: bool,
}

impl Default for AlignerBuilder {
    fn default() -> AlignerBuilder {
        AlignerBuilder::new()
    }
}

impl AlignerBuilder {
    /// The default settings.
    pub fn new() -> AlignerBuilder {
        AlignerBuilder {
            min_score: 0.34,
            min_score_semantic: 0.45,
            allow_groups: true,
        }
    }

    /// The least lexical score for a pair to be aligned when no embeddings are available
    /// [default: 0.34].
    pub fn min_score(mut self, score: f32) -> AlignerBuilder {
        self.min_score = score;
        self
    }

    /// The least combined score when embeddings are available [default: 0.45].
    pub fn min_score_semantic(mut self, score: f32) -> AlignerBuilder {
        self.min_score_semantic = score;
        self
    }

    /// Whether 1:2 and 2:1 groups are formed [default: true].
    pub fn allow_groups(mut self, yes: bool) -> AlignerBuilder {
        self.allow_groups = yes;
        self
    }

    /// The aligner.
    pub fn build(self) -> Aligner {
        Aligner { config: self }
    }
}

/// Aligns sentences of two documents; a pure function of its inputs.
#[derive(Clone, Debug, Default)]
pub struct Aligner {
    config: AlignerBuilder,
}

struct Side<'d> {
    doc: &'d Analyzed,
    vectors: Vec<TermVector>,
    /// The embedding of each sentence, where it has one.
    embeddings: &'d [Option<&'d [f32]>],
}

impl Side<'_> {
    fn embedding(&self, k: usize) -> Option<&[f32]> {
        self.embeddings.get(k).copied().flatten()
    }
}

/// A lexical pair at least this strong is settled, and its sentences are not embedded by
/// [`Aligner::align_semantic`]: the combined score is never below the lexical one, so the pair
/// stays above the semantic threshold (0.45) whatever the model says.
///
/// Chosen on the tune half of `retrace-eval changes` and the seed pair: at 0.6 the seed pair
/// embeds 77 of its 137 sentences instead of all, with the same changes reported and the same
/// figures on the tune half as embedding every sentence (BENCHMARKS.md, issue 14).
pub const SETTLED_SCORE: f32 = 0.6;

/// A sentence whose best lexical score against every sentence of the other side is below this
/// shares next to no weighted content with any of them, and is not embedded by
/// [`Aligner::align_semantic`]: a model would have to find a paraphrase with almost no word in
/// common (the page furniture and unrelated stories pasted into a scraped page, mostly).
pub const HOPELESS_SCORE: f32 = 0.1;

impl Aligner {
    /// Aligns `a` with `b`, scoring with the embeddings the sentences carry
    /// ([`retrace_text::Sentence::embedding`]) where both sentences of a pair have one, and
    /// lexically elsewhere.
    pub fn align(&self, a: &Analyzed, b: &Analyzed) -> Alignment {
        fn own(doc: &Analyzed) -> Vec<Option<&[f32]>> {
            doc.sentences
                .iter()
                .map(|s| s.embedding.as_deref())
                .collect()
        }
        let (ea, eb) = (own(a), own(b));
        self.align_with(a, b, &ea, &eb).0
    }

    /// Aligns lexically, then embeds, with `embed`, only the sentences that the lexical
    /// alignment leaves uncertain, and aligns again with their embeddings.
    ///
    /// A sentence is settled when it is in a pair scoring at least [`SETTLED_SCORE`]
    /// (embeddings can only raise that score), and out of reach when no sentence of the other
    /// side scores [`HOPELESS_SCORE`] with it; the others are embedded, those of both sides in
    /// one call of `embed` (A's first, then B's, in sentence order), and pairs of two embedded
    /// sentences are scored with their cosine against the semantic threshold. The sentences
    /// that `embed` receives, and so the result, depend on the two documents alone. When no
    /// sentence is uncertain on either side, `embed` is not called and the lexical alignment
    /// is returned.
    ///
    /// `embed` returns one vector per input, in input order; an error is passed on.
    pub fn align_semantic<E>(
        &self,
        a: &Analyzed,
        b: &Analyzed,
        embed: impl FnOnce(&[&str]) -> Result<Vec<Vec<f32>>, E>,
    ) -> Result<Alignment, E> {
        let (n, m) = (a.sentences.len(), b.sentences.len());
        let (none_a, none_b) = (vec![None; n], vec![None; m]);
        let (lexical, scores) = self.align_with(a, b, &none_a, &none_b);
        let (ua, ub) = uncertain(&lexical, &scores, n, m);
        if ua.is_empty() || ub.is_empty() {
            return Ok(lexical);
        }
        let texts: Vec<&str> = ua
            .iter()
            .map(|&i| a.sentence_text(i))
            .chain(ub.iter().map(|&j| b.sentence_text(j)))
            .collect();
        let vectors = embed(&texts)?;
        let (mut ea, mut eb) = (none_a, none_b);
        let mut vectors = vectors.iter().map(Vec::as_slice);
        for &i in &ua {
            ea[i] = vectors.next();
        }
        for &j in &ub {
            eb[j] = vectors.next();
        }
        Ok(self.align_with(a, b, &ea, &eb).0)
    }

    /// Aligns with the embeddings given per sentence; returns the alignment and the matrix of
    /// single-sentence scores (row `i` of A, column `j` of B).
    fn align_with(
        &self,
        a: &Analyzed,
        b: &Analyzed,
        embeddings_a: &[Option<&[f32]>],
        embeddings_b: &[Option<&[f32]>],
    ) -> (Alignment, Vec<f32>) {
        let mut weights = TermWeights::new();
        for sentence in a.sentences.iter().chain(&b.sentences) {
            weights.add(&sentence.tokens);
        }
        let mut vocabulary = Vocabulary::new();
        let tokens_a: Vec<&Token> = a.sentences.iter().flat_map(|s| &s.tokens).collect();
        let tokens_b: Vec<&Token> = b.sentences.iter().flat_map(|s| &s.tokens).collect();
        // Ids of A first, so aliases from B resolve to them.
        for token in &tokens_a {
            vocabulary.id(&token.stem);
        }
        vocabulary.alias_near_names(&tokens_a, &tokens_b);
        let side = |doc: &'_ Analyzed, vocabulary: &mut Vocabulary| -> Vec<TermVector> {
            doc.sentences
                .iter()
                .map(|s| TermVector::new(&s.tokens, vocabulary, &weights))
                .collect()
        };
        let side_a = Side {
            doc: a,
            vectors: side(a, &mut vocabulary),
            embeddings: embeddings_a,
        };
        let side_b = Side {
            doc: b,
            vectors: side(b, &mut vocabulary),
            embeddings: embeddings_b,
        };
        // A pair of two embedded sentences is held to the semantic threshold, any other pair
        // to the lexical one.
        let threshold = |i: usize, j: usize| {
            if side_a.embedding(i).is_some() && side_b.embedding(j).is_some() {
                self.config.min_score_semantic
            } else {
                self.config.min_score
            }
        };

        let (n, m) = (a.sentences.len(), b.sentences.len());
        let mut scores = vec![0f32; n * m];
        for i in 0..n {
            for j in 0..m {
                scores[i * m + j] = score(&side_a, &side_b, i, j);
            }
        }
        let at = |i: usize, j: usize| scores[i * m + j];

        // Neighbours that also align make a pair more likely: a small, bounded bonus.
        let aligns = |i: usize, j: usize| at(i, j) >= threshold(i, j);
        let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
        for i in 0..n {
            for j in 0..m {
                let (s, floor) = (at(i, j), threshold(i, j));
                if s < floor * 0.8 {
                    continue;
                }
                let context = (i > 0 && j > 0 && aligns(i - 1, j - 1))
                    || (i + 1 < n && j + 1 < m && aligns(i + 1, j + 1));
                let bonus = if context { 0.05 } else { 0.0 };
                if s + bonus >= floor {
                    candidates.push((s + bonus, i, j));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut partner_a: Vec<Option<usize>> = vec![None; n];
        let mut partner_b: Vec<Option<usize>> = vec![None; m];
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for &(_, i, j) in &candidates {
            if partner_a[i].is_none() && partner_b[j].is_none() {
                partner_a[i] = Some(groups.len());
                partner_b[j] = Some(groups.len());
                groups.push((vec![i], vec![j]));
            }
        }
        fill_gaps(
            &at,
            &|i, j| threshold(i, j) * GAP_FACTOR,
            &mut groups,
            &mut partner_a,
            &mut partner_b,
        );
        fill_one_to_one_gaps(&at, &mut groups, &mut partner_a, &mut partner_b);
        if self.config.allow_groups {
            self.grow_groups(
                &side_a,
                &side_b,
                &mut groups,
                &mut partner_a,
                &mut partner_b,
            );
        }

        let mut pairs: Vec<AlignedPair> = groups
            .into_iter()
            .filter(|(ga, gb)| !ga.is_empty() && !gb.is_empty())
            .map(|(mut ga, mut gb)| {
                ga.sort_unstable();
                gb.sort_unstable();
                let score = group_score(&side_a, &side_b, &ga, &gb);
                let (kind, overlap) = kind_of(a, b, &ga, &gb);
                AlignedPair {
                    a: ga,
                    b: gb,
                    kind,
                    score,
                    overlap,
                }
            })
            .collect();
        pairs.sort_by(|x, y| x.b[0].cmp(&y.b[0]).then(x.a[0].cmp(&y.a[0])));

        let aligned =
            |count: usize, pairs: &[AlignedPair], pick: fn(&AlignedPair) -> &Vec<usize>| {
                let mut used = vec![false; count];
                for pair in pairs {
                    for &k in pick(pair) {
                        used[k] = true;
                    }
                }
                used
            };
        let used_a = aligned(n, &pairs, |p| &p.a);
        let used_b = aligned(m, &pairs, |p| &p.b);
        let semantic = (0..n).any(|i| side_a.embedding(i).is_some())
            && (0..m).any(|j| side_b.embedding(j).is_some());
        let alignment = Alignment {
            unaligned_a: (0..n).filter(|&i| !used_a[i]).collect(),
            unaligned_b: (0..m).filter(|&j| !used_b[j]).collect(),
            coverage_a: coverage(a, &used_a),
            coverage_b: coverage(b, &used_b),
            pairs,
            semantic,
        };
        (alignment, scores)
    }

    /// Adds an unaligned neighbour to a pair when the two read together match the other side
    /// clearly better than the pair alone (a sentence split in two, or two merged into one).
    fn grow_groups(
        &self,
        a: &Side<'_>,
        b: &Side<'_>,
        groups: &mut [(Vec<usize>, Vec<usize>)],
        partner_a: &mut [Option<usize>],
        partner_b: &mut [Option<usize>],
    ) {
        for (g, group) in groups.iter_mut().enumerate() {
            for grow_a in [true, false] {
                let (ga, gb) = &*group;
                if ga.len() + gb.len() > 2 {
                    continue;
                }
                let base = group_score(a, b, ga, gb);
                let (members, partners, len) = if grow_a {
                    (ga, &*partner_a, a.vectors.len())
                } else {
                    (gb, &*partner_b, b.vectors.len())
                };
                let k = members[0];
                let mut best: Option<(f32, usize)> = None;
                for neighbour in [k.checked_sub(1), Some(k + 1).filter(|&x| x < len)]
                    .into_iter()
                    .flatten()
                {
                    if partners[neighbour].is_some() {
                        continue;
                    }
                    let (na, nb) = if grow_a {
                        (vec![k, neighbour], gb.clone())
                    } else {
                        (ga.clone(), vec![k, neighbour])
                    };
                    let joined = group_score(a, b, &na, &nb);
                    // The neighbour must itself relate to the other side, not just dilute it.
                    let own = if grow_a {
                        group_score(a, b, &[neighbour], gb)
                    } else {
                        group_score(a, b, ga, &[neighbour])
                    };
                    if joined > base + 0.04 && own >= 0.2 && best.is_none_or(|(s, _)| joined > s) {
                        best = Some((joined, neighbour));
                    }
                }
                if let Some((_, neighbour)) = best {
                    if grow_a {
                        group.0.push(neighbour);
                        partner_a[neighbour] = Some(g);
                    } else {
                        group.1.push(neighbour);
                        partner_b[neighbour] = Some(g);
                    }
                }
            }
        }
    }
}

/// Inside a passage that aligns, a weaker pair is still the likeliest reading: an unaligned
/// sentence of B whose aligned neighbours point into a stretch of A may pair with an unaligned
/// sentence of that stretch at this share of the threshold.
const GAP_FACTOR: f32 = 0.6;

/// Pairs unaligned sentences of B with unaligned sentences of A that sit between the
/// counterparts of their aligned neighbours (or just after the last one, or just before the
/// first), when the pair scores at least `floor`. Runs in B order, so a filled pair anchors the
/// next gap.
fn fill_gaps(
    at: &impl Fn(usize, usize) -> f32,
    floor: &impl Fn(usize, usize) -> f32,
    groups: &mut Vec<(Vec<usize>, Vec<usize>)>,
    partner_a: &mut [Option<usize>],
    partner_b: &mut [Option<usize>],
) {
    const REACH: usize = 10;
    let (n, m) = (partner_a.len(), partner_b.len());
    if groups.is_empty() {
        return;
    }
    for j in 0..m {
        if partner_b[j].is_some() {
            continue;
        }
        let anchor = |k: usize| partner_b[k].map(|g| groups[g].0[0]);
        let before = (0..j).rev().find_map(anchor);
        let after = (j + 1..m).find_map(anchor);
        let window = match (before, after) {
            (Some(p), Some(q)) if p < q => p + 1..q,
            (Some(p), Some(q)) => q.saturating_sub(REACH)..(p + REACH + 1).min(n),
            (Some(p), None) => p + 1..(p + 1 + REACH).min(n),
            (None, Some(q)) => q.saturating_sub(REACH)..q,
            (None, None) => continue,
        };
        let best = window
            .filter(|&i| partner_a[i].is_none())
            .map(|i| (at(i, j), i))
            .filter(|&(s, i)| s >= floor(i, j))
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((_, i)) = best {
            partner_a[i] = Some(groups.len());
            partner_b[j] = Some(groups.len());
            groups.push((vec![i], vec![j]));
        }
    }
}

/// The least score for a lone sentence of B between two aligned pairs to pair with the lone
/// sentence of A between their counterparts: some weighted content shared.
const ONE_TO_ONE_FLOOR: f32 = 0.1;

/// Pairs the one unaligned sentence of B that sits between two consecutive aligned pairs with
/// the one unaligned sentence of A between their counterparts, when the two share some content
/// ([`ONE_TO_ONE_FLOOR`]). Order is the strongest evidence a rewrite leaves: the classic length-
/// and-order alignment of translations (Gale and Church, 1993) pairs such one-to-one gaps on
/// order alone; here a little shared content is still asked for, since a rewrite drops and adds
/// sentences. A heavy paraphrase ("It is believed that the woman is of unsound mind." / "Police
/// confirmed that the woman is mentally ill.") shares too few words to pass the thresholds, yet
/// stands where its source stood.
fn fill_one_to_one_gaps(
    at: &impl Fn(usize, usize) -> f32,
    groups: &mut Vec<(Vec<usize>, Vec<usize>)>,
    partner_a: &mut [Option<usize>],
    partner_b: &mut [Option<usize>],
) {
    let m = partner_b.len();
    // The last aligned sentence of B seen, and the last sentence of A its pair covers.
    let mut previous: Option<(usize, usize)> = None;
    for j in 0..m {
        let Some(g) = partner_b[j] else { continue };
        let (a_first, a_last) = {
            let ga = &groups[g].0;
            (
                ga.iter().copied().min().unwrap_or(0),
                ga.iter().copied().max().unwrap_or(0),
            )
        };
        if let Some((pj, pa)) = previous
            && a_first > pa + 1
            && j > pj + 1
        {
            let gap_b: Vec<usize> = (pj + 1..j).filter(|&k| partner_b[k].is_none()).collect();
            let gap_a: Vec<usize> = (pa + 1..a_first)
                .filter(|&k| partner_a[k].is_none())
                .collect();
            if let ([jb], [ia]) = (&gap_b[..], &gap_a[..])
                && (pj + 1..j).len() == 1
                && (pa + 1..a_first).len() == 1
                && at(*ia, *jb) >= ONE_TO_ONE_FLOOR
            {
                partner_a[*ia] = Some(groups.len());
                partner_b[*jb] = Some(groups.len());
                groups.push((vec![*ia], vec![*jb]));
            }
        }
        previous = Some((j, previous.map_or(a_last, |(_, pa)| pa.max(a_last))));
    }
}

fn score(a: &Side<'_>, b: &Side<'_>, i: usize, j: usize) -> f32 {
    if a.vectors[i].is_empty() || b.vectors[j].is_empty() {
        // A sentence of stop words only ("It was not.") has no term vector: it matches an
        // identical sentence and nothing else.
        let (ta, tb) = (&a.doc.sentences[i].tokens, &b.doc.sentences[j].tokens);
        let same = !ta.is_empty() && ta.iter().map(|t| &t.lower).eq(tb.iter().map(|t| &t.lower));
        return if same { 1.0 } else { 0.0 };
    }
    let lexical = a.vectors[i].cosine(&b.vectors[j]);
    let cosine = a
        .embedding(i)
        .zip(b.embedding(j))
        .map(|(x, y)| embedding_cosine(x, y));
    combine(lexical, cosine)
}

fn group_vector(side: &Side<'_>, group: &[usize]) -> TermVector {
    match group {
        [one] => side.vectors[*one].clone(),
        [first, rest @ ..] => rest.iter().fold(side.vectors[*first].clone(), |v, &k| {
            v.join(&side.vectors[k])
        }),
        [] => TermVector::default(),
    }
}

fn group_embedding(side: &Side<'_>, group: &[usize]) -> Option<Vec<f32>> {
    let mut sum: Option<Vec<f32>> = None;
    for &k in group {
        let e = side.embedding(k)?;
        match &mut sum {
            None => sum = Some(e.to_vec()),
            Some(s) => s.iter_mut().zip(e).for_each(|(x, y)| *x += y),
        }
    }
    let mut sum = sum?;
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        sum.iter_mut().for_each(|x| *x /= norm);
    }
    Some(sum)
}

fn group_score(a: &Side<'_>, b: &Side<'_>, ga: &[usize], gb: &[usize]) -> f32 {
    if let ([i], [j]) = (ga, gb) {
        return score(a, b, *i, *j);
    }
    let lexical = group_vector(a, ga).cosine(&group_vector(b, gb));
    let cosine = group_embedding(a, ga)
        .zip(group_embedding(b, gb))
        .map(|(x, y)| embedding_cosine(&x, &y));
    combine(lexical, cosine)
}

/// Verbatim when the lowercased words are identical, edited when at least 60% of the words
/// are shared in order (longest common subsequence), paraphrase otherwise.
fn kind_of(a: &Analyzed, b: &Analyzed, ga: &[usize], gb: &[usize]) -> (PairKind, f32) {
    let words = |doc: &Analyzed, group: &[usize]| -> Vec<String> {
        group
            .iter()
            .flat_map(|&k| doc.sentences[k].tokens.iter().map(|t| t.lower.clone()))
            .collect()
    };
    let (wa, wb) = (words(a, ga), words(b, gb));
    if wa == wb {
        return (PairKind::Verbatim, 1.0);
    }
    let lcs = lcs_len(&wa, &wb);
    let overlap = 2.0 * lcs as f32 / (wa.len() + wb.len()).max(1) as f32;
    let kind = if overlap >= 0.6 {
        PairKind::Edited
    } else {
        PairKind::Paraphrase
    };
    (kind, overlap)
}

/// The sentences of A and of B that [`Aligner::align_semantic`] embeds: those in no pair scoring
/// [`SETTLED_SCORE`] and with some sentence of the other side scoring [`HOPELESS_SCORE`].
fn uncertain(lexical: &Alignment, scores: &[f32], n: usize, m: usize) -> (Vec<usize>, Vec<usize>) {
    let (mut settled_a, mut settled_b) = (vec![false; n], vec![false; m]);
    for pair in lexical.pairs.iter().filter(|p| p.score >= SETTLED_SCORE) {
        pair.a.iter().for_each(|&i| settled_a[i] = true);
        pair.b.iter().for_each(|&j| settled_b[j] = true);
    }
    let at = |i: usize, j: usize| scores[i * m + j];
    let a = (0..n)
        .filter(|&i| !settled_a[i] && (0..m).any(|j| at(i, j) >= HOPELESS_SCORE))
        .collect();
    let b = (0..m)
        .filter(|&j| !settled_b[j] && (0..n).any(|i| at(i, j) >= HOPELESS_SCORE))
        .collect();
    (a, b)
}

fn coverage(doc: &Analyzed, used: &[bool]) -> f64 {
    let total = doc.sentence_bytes();
    if total == 0 {
        return 0.0;
    }
    let covered: u64 = doc
        .sentences
        .iter()
        .zip(used)
        .filter(|(_, used)| **used)
        .map(|(s, _)| u64::from(s.range.end - s.range.start))
        .sum();
    covered as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_span::{OffsetMap, Origin};

    fn doc(text: &str) -> Analyzed {
        retrace_text::Analyzer::new().analyze(
            Origin::Stdin,
            None,
            text,
            &OffsetMap::identity(text.len() as u32),
        )
    }

    const WIRE: &str = "Flood waters reached the old bridge in Marrow on Tuesday. About 300 residents left their homes, officials said. The regional council could not independently confirm reports of looting. Engineers will inspect the dam next week.";

    #[test]
    fn identical_documents_align_verbatim() {
        let a = doc(WIRE);
        let alignment = Aligner::default().align(&a, &a);
        assert_eq!(alignment.pairs.len(), 4);
        assert!(
            alignment
                .pairs
                .iter()
                .all(|p| p.kind == PairKind::Verbatim && p.a == p.b)
        );
        assert_eq!((alignment.coverage_a, alignment.coverage_b), (1.0, 1.0));
    }

    #[test]
    fn split_sentence_forms_a_group() {
        let a = doc(
            "Engineers will inspect the dam next week and publish their findings on the spillway in March.",
        );
        let b = doc(
            "Engineers will inspect the dam next week. They will publish their findings on the spillway in March.",
        );
        let alignment = Aligner::default().align(&a, &b);
        assert_eq!(alignment.pairs.len(), 1);
        assert_eq!(alignment.pairs[0].b, [0, 1]);
        assert!(alignment.unaligned_b.is_empty());
    }

    /// A stand-in for a sentence encoder in tests: sentences about the same event get the same
    /// unit vector, others orthogonal ones.
    fn topic_vector(sentence: &str) -> Vec<f32> {
        let topics = ["dam", "cattle", "mayor", "orchestra"];
        let mut v = vec![0.0; topics.len() + 1];
        let k = topics
            .iter()
            .position(|t| sentence.to_lowercase().contains(t))
            .unwrap_or(topics.len());
        v[k] = 1.0;
        v
    }

    #[test]
    fn align_semantic_embeds_only_uncertain_sentences() {
        let a = doc(
            "Engineers will inspect the dam next week. Farmers in Lisk moved their cattle to higher ground. The mayor declared an emergency on Monday. The orchestra opened its season.",
        );
        let b = doc(
            "Engineers will inspect the dam next week. Livestock owners around Lisk led their cattle uphill. A state of emergency was announced by the mayor.",
        );
        let mut asked: Vec<String> = Vec::new();
        let alignment = Aligner::default()
            .align_semantic(&a, &b, |texts| {
                asked = texts.iter().map(|t| t.to_string()).collect();
                Ok::<_, ()>(texts.iter().map(|t| topic_vector(t)).collect())
            })
            .unwrap();
        // The verbatim pair is settled and the orchestra shares nothing with B: neither is
        // embedded. The reworded sentences are, A's first.
        assert_eq!(
            asked,
            [
                "Farmers in Lisk moved their cattle to higher ground.",
                "The mayor declared an emergency on Monday.",
                "Livestock owners around Lisk led their cattle uphill.",
                "A state of emergency was announced by the mayor.",
            ]
        );
        assert!(alignment.semantic);
        let pairs: Vec<(usize, usize)> = alignment.pairs.iter().map(|p| (p.a[0], p.b[0])).collect();
        assert_eq!(pairs, [(0, 0), (1, 1), (2, 2)]);
        assert_eq!(alignment.unaligned_a, [3]);
    }

    #[test]
    fn align_semantic_needs_no_model_for_copies_and_passes_errors_on() {
        let a = doc(WIRE);
        let copy = Aligner::default()
            .align_semantic(&a, &a, |_| -> Result<Vec<Vec<f32>>, &str> {
                panic!("nothing is uncertain in a copy")
            })
            .unwrap();
        assert_eq!(copy, Aligner::default().align(&a, &a));
        assert!(!copy.semantic);

        let b = doc("Residents of Marrow fled as the river swelled past the old bridge.");
        let err = Aligner::default()
            .align_semantic(&a, &b, |_| Err::<Vec<Vec<f32>>, _>("model failed"))
            .unwrap_err();
        assert_eq!(err, "model failed");
    }

    #[test]
    fn a_lone_paraphrase_between_two_aligned_pairs_pairs_on_order() {
        let a = doc(
            "Flood waters reached the old bridge in Marrow on Tuesday. It is believed that the \
             woman is of unsound mind. Engineers will inspect the dam next week.",
        );
        let b = doc(
            "Flood waters reached the old bridge in Marrow on Tuesday. Police confirmed that the \
             woman is mentally ill. Engineers will inspect the dam next week.",
        );
        let alignment = Aligner::default().align(&a, &b);
        assert!(
            alignment.pairs.iter().any(|p| p.a == [1] && p.b == [1]),
            "{:?}",
            alignment.pairs
        );
        // Two sentences in the gap on one side: order alone does not say which pairs.
        let b = doc(
            "Flood waters reached the old bridge in Marrow on Tuesday. Police confirmed that the \
             woman is mentally ill. The orchestra opened its season. Engineers will inspect the \
             dam next week.",
        );
        let alignment = Aligner::default().align(&a, &b);
        assert!(
            alignment.pairs.iter().all(|p| p.a != [1]),
            "{:?}",
            alignment.pairs
        );
        // Nothing shared: a sentence of its own, not a paraphrase.
        let b = doc(
            "Flood waters reached the old bridge in Marrow on Tuesday. The orchestra opened its \
             season with a new symphony. Engineers will inspect the dam next week.",
        );
        let alignment = Aligner::default().align(&a, &b);
        assert_eq!(alignment.pairs.len(), 2, "{:?}", alignment.pairs);
    }

    #[test]
    fn unrelated_sentences_stay_unaligned() {
        let a = doc(WIRE);
        let b = doc(
            "The orchestra opened its season with a new symphony. Tickets sold out within an hour.",
        );
        let alignment = Aligner::default().align(&a, &b);
        assert!(alignment.pairs.is_empty());
        assert_eq!(alignment.unaligned_a.len(), 4);
    }
}
