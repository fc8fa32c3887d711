//! Sentence similarity that survives rewording.
//!
//! Three signals, combined by [`combine`]:
//! - **lexical**: cosine of IDF-weighted stem vectors, where names spelled differently
//!   (`Shilfatiya` / `Shilfatiyeh`) count as the same term when their character trigrams agree
//!   (see [`Vocabulary::alias_near_names`]);
//! - **numbers**: numbers are terms with a high weight, so agreeing figures pull sentences
//!   together;
//! - **semantic** (optional): cosine of sentence embeddings, when a model ran.
//!
//! Separately, [`paraphrase_probability`] judges whether two sentences say the same thing
//! (MRPC's notion of a paraphrase), from the [`PairFeatures`] of [`pair_features`] and
//! logistic-regression coefficients fitted by `retrace-eval mrpc --fit`. The aligner does not
//! use it: an aligned sentence may drop half its clauses and still be the right partner.

use foldhash::HashMap;
use retrace_text::{Token, TokenKind};

/// Sentences assumed, besides those counted, in which no stem occurs: the IDF prior.
pub const PRIOR_UNITS: f32 = 20.0;

/// Document frequencies of stems over a set of units (sentences), giving IDF weights.
#[derive(Clone, Debug, Default)]
pub struct TermWeights {
    df: HashMap<String, u32>,
    units: u32,
}

impl TermWeights {
    /// An empty table.
    pub fn new() -> TermWeights {
        TermWeights::default()
    }

    /// Counts one unit (a sentence): each distinct content stem once.
    pub fn add(&mut self, tokens: &[Token]) {
        self.units += 1;
        let mut seen: Vec<&str> = tokens
            .iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem.as_str())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for stem in seen {
            *self.df.entry(stem.to_owned()).or_insert(0) += 1;
        }
    }

    /// The IDF of a stem: `ln((N + PRIOR_UNITS) / (df + 0.5))`, never below 0.1.
    ///
    /// The prior counts [`PRIOR_UNITS`] unseen sentences that lack the stem. Without it, a
    /// table built from two short texts gives every shared word a weight near zero (a stem in
    /// both of two sentences has `df = N`), so paraphrases of one sentence could never align.
    pub fn idf(&self, stem: &str) -> f32 {
        let df = self.df.get(stem).copied().unwrap_or(0) as f32;
        (((self.units as f32) + PRIOR_UNITS) / (df + 0.5))
            .ln()
            .max(0.1)
    }
}

/// Maps stems to dense ids; near-identical names share an id.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// The id of `stem`, adding it when new.
    pub fn id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 4 billion terms");
        self.ids.insert(stem.to_owned(), id);
        id
    }

    /// Makes capitalized words of one side that are absent from the other side share the id of
    /// a near spelling there (character-trigram Dice ≥ 0.6, both at least 5 letters long).
    ///
    /// This is how transliteration variants of names match. It only looks at names missing
    /// from the other side, so the cost stays small.
    pub fn alias_near_names(&mut self, a: &[&Token], b: &[&Token]) {
        let names = |side: &[&Token], other: &[&Token]| -> Vec<String> {
            let other: Vec<&str> = other.iter().map(|t| t.stem.as_str()).collect();
            let mut names: Vec<String> = side
                .iter()
                .filter(|t| {
                    t.capitalized && t.kind == TokenKind::Word && t.stem.chars().count() >= 5
                })
                .filter(|t| !other.contains(&t.stem.as_str()))
                .map(|t| t.stem.clone())
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let only_a = names(a, b);
        let only_b = names(b, a);
        if only_a.is_empty() || only_b.is_empty() {
            return;
        }
        let grams_b: Vec<Vec<[char; 3]>> = only_b.iter().map(|s| trigrams(s)).collect();
        for name in &only_a {
            let grams = trigrams(name);
            let best = grams_b
                .iter()
                .enumerate()
                .map(|(i, g)| (dice(&grams, g), i))
                .filter(|&(d, _)| d >= 0.6)
                .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
            if let Some((_, i)) = best {
                let id = self.id(name);
                self.ids.insert(only_b[i].clone(), id);
            }
        }
    }
}

fn trigrams(word: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = std::iter::once('^')
        .chain(word.chars())
        .chain(std::iter::once('$'))
        .collect();
    let mut grams: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn dice(a: &[[char; 3]], b: &[[char; 3]]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f32 / (a.len() + b.len()).max(1) as f32
}

/// A sparse, unit-length, IDF-weighted term vector of one sentence (or a group of them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TermVector {
    terms: Vec<(u32, f32)>,
}

impl TermVector {
    /// Builds the vector of `tokens` (stop words left out).
    pub fn new<'t>(
        tokens: impl IntoIterator<Item = &'t Token>,
        vocabulary: &mut Vocabulary,
        weights: &TermWeights,
    ) -> TermVector {
        let mut terms: Vec<(u32, f32)> = Vec::new();
        for token in tokens {
            if token.stop {
                continue;
            }
            let boost = if token.kind == TokenKind::Number {
                1.5
            } else {
                1.0
            };
            terms.push((vocabulary.id(&token.stem), weights.idf(&token.stem) * boost));
        }
        TermVector::from_terms(terms)
    }

    fn from_terms(mut terms: Vec<(u32, f32)>) -> TermVector {
        terms.sort_unstable_by_key(|&(id, _)| id);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(terms.len());
        for (id, w) in terms {
            match merged.last_mut() {
                // Repeated terms add sub-linearly.
                Some(last) if last.0 == id => last.1 += 0.5 * w,
                _ => merged.push((id, w)),
            }
        }
        let norm = merged.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for term in &mut merged {
                term.1 /= norm;
            }
        }
        TermVector { terms: merged }
    }

    /// The vector of two sentences read as one (for 1:2 and 2:1 groups).
    pub fn join(&self, other: &TermVector) -> TermVector {
        TermVector::from_terms(self.terms.iter().chain(&other.terms).copied().collect())
    }

    /// Cosine similarity with another vector.
    pub fn cosine(&self, other: &TermVector) -> f32 {
        let (a, b) = (&self.terms, &other.terms);
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.min(1.0)
    }

    /// True when the vector has no term (a sentence of stop words only).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Cosine of two unit vectors.
pub fn embedding_cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| x * y)
        .sum::<f32>()
        .clamp(-1.0, 1.0)
}

/// Combines the lexical score with the semantic cosine, when there is one, into one score in
/// `0..=1`.
///
/// MiniLM puts unrelated sentences on one subject near 0.4 and paraphrases near 0.8, so the
/// cosine is rescaled from `0.35..0.85` before it is mixed in. Lexical agreement is never
/// discounted: a verbatim copy scores 1 with or without the model.
pub fn combine(lexical: f32, semantic: Option<f32>) -> f32 {
    match semantic {
        None => lexical,
        Some(cosine) => {
            let semantic = ((cosine - 0.35) / 0.5).clamp(0.0, 1.0);
            (0.65 * semantic + 0.35 * lexical).max(lexical)
        }
    }
}

/// What [`pair_features`] measures of two sentences (or two groups of sentences): the inputs
/// of [`paraphrase_probability`].
///
/// Every feature but `semantic` needs only tokens and IDF weights, so the lexical scorer works
/// without a model. The order of [`PairFeatures::values`] is that of [`FEATURE_NAMES`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairFeatures {
    /// Cosine of the IDF-weighted stem vectors ([`TermVector::cosine`]), `0..=1`.
    pub lexical: f32,
    /// The larger of the two sides' shares of content IDF mass (distinct content stems, each
    /// weighted by its IDF) that has no counterpart on the other side: information one side
    /// adds or drops. `0..=1`.
    pub unmatched_max: f32,
    /// The smaller of the two shares, `0..=1`.
    pub unmatched_min: f32,
    /// 1 when both sides state numbers and their sets of numbers differ: another figure is
    /// another claim. 0 otherwise.
    pub numbers_differ: f32,
    /// 1 when only one side states numbers, 0 otherwise.
    pub numbers_one_side: f32,
    /// Capitalized content words (names) without a counterpart on the other side, both sides
    /// together, counted up to 3.
    pub names_unmatched: f32,
    /// Shorter side's word count over the longer side's, `0..=1` (1 when both are empty).
    pub length_ratio: f32,
    /// Words shared in order: twice the longest common subsequence of the lowercased words
    /// over the two word counts, `0..=1`.
    pub sequence: f32,
    /// Dice coefficient of the sets of lowercased word bigrams, stop words included, `0..=1`.
    pub bigrams: f32,
    /// The larger side's unmatched IDF mass, not divided by anything: `ln(1 + mass)`.
    pub unmatched_mass: f32,
    /// Dice coefficient of the character-trigram sets of the lowercased words, `0..=1`: catches
    /// spellings and inflections that stems miss.
    pub char_trigrams: f32,
    /// Difference of the word counts: `ln(1 + |words_a - words_b|)`.
    pub word_difference: f32,
    /// Cosine of the sentence embeddings, when a model ran.
    pub semantic: Option<f32>,
}

/// How many values [`PairFeatures::values`] returns.
pub const FEATURES: usize = 12;

/// The names of [`PairFeatures::values`], in order (as in [`Coefficients::weights`]).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "lexical",
    "unmatched_max",
    "unmatched_min",
    "numbers_differ",
    "numbers_one_side",
    "names_unmatched",
    "length_ratio",
    "sequence",
    "bigrams",
    "unmatched_mass",
    "char_trigrams",
    "word_difference",
];

impl PairFeatures {
    /// The lexical features, in the order of [`FEATURE_NAMES`].
    pub fn values(&self) -> [f32; FEATURES] {
        [
            self.lexical,
            self.unmatched_max,
            self.unmatched_min,
            self.numbers_differ,
            self.numbers_one_side,
            self.names_unmatched,
            self.length_ratio,
            self.sequence,
            self.bigrams,
            self.unmatched_mass,
            self.char_trigrams,
            self.word_difference,
        ]
    }
}

/// Measures two token sequences (one sentence each, or a group of sentences read as one).
///
/// `lexical` is the cosine of their [`TermVector`]s, which the caller already has (the aligner
/// builds them with a vocabulary shared by the whole document, names aliased); `semantic` is
/// the embedding cosine when there is one. A content stem counts as matched when the other
/// side has the same stem, or, for a capitalized word of at least 5 letters, a capitalized word
/// of near spelling (character-trigram Dice >= 0.6, as [`Vocabulary::alias_near_names`]).
pub fn pair_features(
    a: &[&Token],
    b: &[&Token],
    weights: &TermWeights,
    lexical: f32,
    semantic: Option<f32>,
) -> PairFeatures {
    let side_a = SideTerms::new(a);
    let side_b = SideTerms::new(b);
    let (share_a, mass_a, names_a) = side_a.unmatched(&side_b, weights);
    let (share_b, mass_b, names_b) = side_b.unmatched(&side_a, weights);
    let lower_a: Vec<&str> = a.iter().map(|t| t.lower.as_str()).collect();
    let lower_b: Vec<&str> = b.iter().map(|t| t.lower.as_str()).collect();
    let (numbers_a, numbers_b) = (side_a.numbers(), side_b.numbers());
    let both = !numbers_a.is_empty() && !numbers_b.is_empty();
    let (words_a, words_b) = (a.len() as f32, b.len() as f32);
    PairFeatures {
        lexical,
        unmatched_max: share_a.max(share_b),
        unmatched_min: share_a.min(share_b),
        numbers_differ: f32::from(u8::from(both && numbers_a != numbers_b)),
        numbers_one_side: f32::from(u8::from(numbers_a.is_empty() != numbers_b.is_empty())),
        names_unmatched: (names_a + names_b).min(3) as f32,
        length_ratio: if words_a.max(words_b) > 0.0 {
            words_a.min(words_b) / words_a.max(words_b)
        } else {
            1.0
        },
        sequence: 2.0 * lcs_len(&lower_a, &lower_b) as f32
            / (lower_a.len() + lower_b.len()).max(1) as f32,
        bigrams: bigram_dice(&lower_a, &lower_b),
        unmatched_mass: mass_a.max(mass_b).ln_1p(),
        char_trigrams: dice(&text_trigrams(&lower_a), &text_trigrams(&lower_b)),
        word_difference: (words_a - words_b).abs().ln_1p(),
        semantic,
    }
}

/// The distinct content stems of one side, with what [`pair_features`] needs of each.
struct SideTerms<'t> {
    /// (stem, is a number, is a name), sorted by stem, one per stem.
    stems: Vec<(&'t str, bool, bool)>,
}

impl<'t> SideTerms<'t> {
    fn new(tokens: &[&'t Token]) -> SideTerms<'t> {
        let mut stems: Vec<(&str, bool, bool)> = tokens
            .iter()
            .filter(|t| !t.stop)
            .map(|t| {
                (
                    t.stem.as_str(),
                    t.kind == TokenKind::Number,
                    t.capitalized && t.kind == TokenKind::Word,
                )
            })
            .collect();
        // A stem capitalized anywhere on the side counts as a name.
        stems.sort_unstable_by(|x, y| x.0.cmp(y.0).then(y.2.cmp(&x.2)));
        stems.dedup_by(|x, y| x.0 == y.0);
        SideTerms { stems }
    }

    fn contains(&self, stem: &str) -> bool {
        self.stems.binary_search_by(|s| s.0.cmp(stem)).is_ok()
    }

    fn numbers(&self) -> Vec<&'t str> {
        self.stems.iter().filter(|s| s.1).map(|s| s.0).collect()
    }

    /// The share of this side's IDF mass without a counterpart in `other`, and the number of
    /// unmatched names.
    fn unmatched(&self, other: &SideTerms<'_>, weights: &TermWeights) -> (f32, f32, usize) {
        let (mut total, mut missing, mut names) = (0.0, 0.0, 0);
        let other_names: Vec<Vec<[char; 3]>> = other
            .stems
            .iter()
            .filter(|s| s.2 && s.0.chars().count() >= 5 && !self.contains(s.0))
            .map(|s| trigrams(s.0))
            .collect();
        for &(stem, _, name) in &self.stems {
            let w = weights.idf(stem);
            total += w;
            if other.contains(stem) {
                continue;
            }
            let near = name && stem.chars().count() >= 5 && {
                let grams = trigrams(stem);
                other_names.iter().any(|g| dice(&grams, g) >= 0.6)
            };
            if !near {
                missing += w;
                names += usize::from(name);
            }
        }
        let share = if total > 0.0 { missing / total } else { 0.0 };
        (share, missing, names)
    }
}

/// The length of the longest common subsequence of `a` and `b`.
pub(crate) fn lcs_len<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The distinct character trigrams of the words, each padded with `^` and `$`.
fn text_trigrams(words: &[&str]) -> Vec<[char; 3]> {
    let mut grams: Vec<[char; 3]> = words.iter().flat_map(|w| trigrams(w)).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Dice coefficient of the sets of consecutive word pairs; 0 when either side has none.
fn bigram_dice(a: &[&str], b: &[&str]) -> f32 {
    let pairs = |words: &[&str]| -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = words
            .windows(2)
            .map(|w| (w[0].to_owned(), w[1].to_owned()))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    };
    let (pa, pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let shared = pa.iter().filter(|p| pb.binary_search(p).is_ok()).count();
    2.0 * shared as f32 / (pa.len() + pb.len()) as f32
}

/// Logistic-regression coefficients over [`PairFeatures`]: the log-odds of a paraphrase is
/// `intercept + weights . values + semantic * semantic_weight`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coefficients {
    /// The log-odds when every feature is 0.
    pub intercept: f32,
    /// One weight per lexical feature, in the order of [`FEATURE_NAMES`].
    pub weights: [f32; FEATURES],
    /// The weight of the embedding cosine (0 in a lexical-only set).
    pub semantic: f32,
}

impl Coefficients {
    /// The probability that `features` describe a paraphrase; the embedding cosine counts as 0
    /// when absent.
    pub fn probability(&self, features: &PairFeatures) -> f32 {
        let z = self.intercept
            + self
                .weights
                .iter()
                .zip(features.values())
                .map(|(w, x)| w * x)
                .sum::<f32>()
            + self.semantic * features.semantic.unwrap_or(0.0);
        1.0 / (1.0 + (-z).exp())
    }
}

// FITTED COEFFICIENTS BEGIN
/// Coefficients for sentences scored without a model.
///
/// Fitted on the MRPC training split (LR + length, order, trigrams): 30 Newton steps, L2 1 on
/// standardized features. Train accuracy 75.2%; test accuracy 76.6%, F1 83.3%
/// at p >= 0.5. Refit and print with `cargo run --release -p retrace-eval -- mrpc --fit`.
pub const LEXICAL_COEFFICIENTS: Coefficients = Coefficients {
    intercept: -8.666237,
    weights: [
        1.7515708,   // lexical
        2.3227994,   // unmatched_max
        -0.2269452,  // unmatched_min
        -0.39844832, // numbers_differ
        -0.14377569, // numbers_one_side
        0.11891062,  // names_unmatched
        5.6045203,   // length_ratio
        6.1521044,   // sequence
        -4.9481397,  // bigrams
        -1.0160059,  // unmatched_mass
        5.9509606,   // char_trigrams
        0.3468874,   // word_difference
    ],
    semantic: 0.0,
};

/// Coefficients for sentences scored with all-MiniLM-L6-v2 embeddings.
///
/// Fitted on the MRPC training split (LR all + embeddings): 30 Newton steps, L2 1 on
/// standardized features. Train accuracy 76.3%; test accuracy 76.3%, F1 83.1%
/// at p >= 0.5. Refit and print with `cargo run --release -p retrace-eval -- mrpc --fit`.
pub const SEMANTIC_COEFFICIENTS: Coefficients = Coefficients {
    intercept: -10.910015,
    weights: [
        1.6443726,   // lexical
        3.5630064,   // unmatched_max
        -0.07221068, // unmatched_min
        -0.5273206,  // numbers_differ
        -0.06748134, // numbers_one_side
        0.17466648,  // names_unmatched
        5.5604615,   // length_ratio
        5.5741777,   // sequence
        -4.3744063,  // bigrams
        -1.1167365,  // unmatched_mass
        4.8340793,   // char_trigrams
        0.30650443,  // word_difference
    ],
    semantic: 3.8235304,
};

// FITTED COEFFICIENTS END

/// The probability that two sentences say the same thing (a paraphrase in the sense of MRPC:
/// no information added or dropped that matters), from [`pair_features`].
///
/// Uses [`SEMANTIC_COEFFICIENTS`] when the features carry an embedding cosine and
/// [`LEXICAL_COEFFICIENTS`] otherwise. This is a judgement of equivalence, stricter than
/// alignment: a sentence that drops a clause is still the right alignment partner of its
/// source, but not its paraphrase.
pub fn paraphrase_probability(features: &PairFeatures) -> f32 {
    match features.semantic {
        Some(_) => SEMANTIC_COEFFICIENTS.probability(features),
        None => LEXICAL_COEFFICIENTS.probability(features),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        use retrace_span::{OffsetMap, Origin};
        let doc = retrace_text::Analyzer::new().analyze(
            Origin::Stdin,
            None,
            text,
            &OffsetMap::identity(text.len() as u32),
        );
        doc.sentences.into_iter().flat_map(|s| s.tokens).collect()
    }

    /// The features of two invented sentences, IDF from the two of them, as the aligner does.
    fn features(a: &str, b: &str, semantic: Option<f32>) -> PairFeatures {
        let (ta, tb) = (tokens(a), tokens(b));
        let mut weights = TermWeights::new();
        weights.add(&ta);
        weights.add(&tb);
        let mut vocabulary = Vocabulary::new();
        let ra: Vec<&Token> = ta.iter().collect();
        let rb: Vec<&Token> = tb.iter().collect();
        for t in &ra {
            vocabulary.id(&t.stem);
        }
        vocabulary.alias_near_names(&ra, &rb);
        let lexical = TermVector::new(ta.iter(), &mut vocabulary, &weights)
            .cosine(&TermVector::new(tb.iter(), &mut vocabulary, &weights));
        pair_features(&ra, &rb, &weights, lexical, semantic)
    }

    #[test]
    fn a_changed_number_sets_the_number_feature_only() {
        let f = features(
            "The council approved 120 new homes near the harbour.",
            "The council approved 150 new homes near the harbour.",
            None,
        );
        assert_eq!((f.numbers_differ, f.numbers_one_side), (1.0, 0.0));
        assert_eq!((f.names_unmatched, f.length_ratio), (0.0, 1.0));
        assert!(f.unmatched_max > 0.0 && f.unmatched_max < 0.3, "{f:?}");
        let same = features(
            "The council approved 120 new homes near the harbour.",
            "Near the harbour, the council approved 120 new homes.",
            None,
        );
        assert_eq!((same.numbers_differ, same.numbers_one_side), (0.0, 0.0));
        assert_eq!(same.unmatched_max, 0.0);
        assert!(same.sequence < 1.0 && same.bigrams < 1.0);
    }

    #[test]
    fn an_added_clause_is_unmatched_mass_on_one_side() {
        let f = features(
            "The mayor declared an emergency.",
            "The mayor declared an emergency after the river burst its banks in Lisk.",
            None,
        );
        assert_eq!(f.unmatched_min, 0.0);
        assert!(f.unmatched_max > 0.5, "{f:?}");
        assert_eq!(f.names_unmatched, 1.0);
        assert!(f.length_ratio < 0.5);
    }

    #[test]
    fn near_spelled_names_match() {
        let f = features(
            "Shelling hit Shilfatiya on Monday.",
            "Shelling hit Shilfatiyeh on Monday.",
            None,
        );
        assert_eq!((f.names_unmatched, f.unmatched_max), (0.0, 0.0));
    }

    #[test]
    fn probability_separates_copies_from_unrelated_sentences() {
        let a = "Engineers will inspect the dam next week and publish their findings.";
        let copy = features(a, a, None);
        let other = features(
            a,
            "The orchestra opened its season with a new symphony by a local composer.",
            None,
        );
        assert!(paraphrase_probability(&copy) > 0.9);
        assert!(paraphrase_probability(&other) < 0.1);
        let copy = PairFeatures {
            semantic: Some(1.0),
            ..copy
        };
        let other = PairFeatures {
            semantic: Some(0.1),
            ..other
        };
        assert!(paraphrase_probability(&copy) > 0.9);
        assert!(paraphrase_probability(&other) < 0.1);
    }

    #[test]
    fn trigram_dice_matches_transliterations() {
        assert!(dice(&trigrams("shilfatiya"), &trigrams("shilfatiyeh")) >= 0.6);
        assert!(dice(&trigrams("latakia"), &trigrams("tartous")) < 0.3);
    }

    #[test]
    fn combine_never_discounts_lexical_agreement() {
        assert_eq!(combine(1.0, Some(0.2)), 1.0);
        assert!(combine(0.2, Some(0.85)) > 0.7);
        assert!(combine(0.2, Some(0.35)) <= 0.2);
    }
}
