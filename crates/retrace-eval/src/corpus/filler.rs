//! Filler articles: new text in the style of the sources, related to no document.
//!
//! Input: the source articles (paragraphs, language). Output: a [`Filler`] that writes any
//! number of articles, each from its own seeded [`Rng`], so they can be made in parallel and
//! in any order with the same result. Each article takes the shape of a random source (its
//! language, paragraph count and paragraph lengths) and fills it with a first-order word
//! Markov chain trained on all sources of that language: every pair of neighbouring words
//! occurs somewhere in the sources, but no passage does, so two fillers (or a filler and a
//! source) share next to no 5-word shingles (see the summary's sampled figure). Limits: the
//! text reads as fluent nonsense; names and numbers of the sources recur in it, which is what
//! a real corpus's unrelated pages do too. Languages with fewer than [`MIN_WORDS`] words of
//! source text borrow the largest language's chain.

use std::collections::HashMap;

use super::rng::Rng;

/// Words of source text a language needs for a chain of its own.
const MIN_WORDS: usize = 5_000;

/// Words after which a filler article's shape is cut: about the length of a long news story,
/// so that a million fillers weigh what a million news pages do (a few GB), not what the
/// longest pages of the sources would.
const MAX_ARTICLE_WORDS: usize = 900;

/// Longest sentence written before a full stop is forced.
const MAX_SENTENCE_WORDS: usize = 40;

/// A first-order word chain.
#[derive(Debug, Default)]
struct Chain {
    /// Interned words.
    words: Vec<String>,
    /// For each word, the words seen after it (with repeats, so picks follow frequency).
    next: Vec<Vec<u32>>,
    /// Words that open a sentence.
    starts: Vec<u32>,
}

impl Chain {
    fn intern(&mut self, index: &mut HashMap<String, u32>, word: &str) -> u32 {
        if let Some(&id) = index.get(word) {
            return id;
        }
        #[expect(
            clippy::cast_possible_truncation,
            reason = "source vocabularies are far below 2^32 words"
        )]
        let id = self.words.len() as u32;
        self.words.push(word.to_owned());
        self.next.push(Vec::new());
        index.insert(word.to_owned(), id);
        id
    }

    fn learn(&mut self, index: &mut HashMap<String, u32>, paragraph: &str) {
        let mut previous: Option<u32> = None;
        for word in paragraph.split_whitespace() {
            let id = self.intern(index, word);
            match previous {
                Some(p) if !ends_sentence(&self.words[p as usize]) => {
                    self.next[p as usize].push(id)
                }
                _ => self.starts.push(id),
            }
            previous = Some(id);
        }
    }

    /// Writes one sentence to `out`; returns its word count.
    fn sentence(&self, rng: &mut Rng, out: &mut String) -> usize {
        let Some(&start) = rng.pick(&self.starts) else {
            return 0;
        };
        let mut word = start;
        let mut count = 0;
        loop {
            if count > 0 {
                out.push(' ');
            }
            let text = &self.words[word as usize];
            out.push_str(text);
            count += 1;
            if ends_sentence(text) {
                return count;
            }
            let next = &self.next[word as usize];
            match rng.pick(next) {
                Some(&w) if count < MAX_SENTENCE_WORDS => word = w,
                _ => {
                    out.push('.');
                    return count;
                }
            }
        }
    }
}

fn ends_sentence(word: &str) -> bool {
    let trimmed = word.trim_end_matches(['"', '”', '’', '\'', ')', '»']);
    trimmed.ends_with(['.', '!', '?', '。', '！', '？'])
}

/// Writes filler articles.
#[derive(Debug)]
pub(crate) struct Filler {
    /// One chain per language with enough text, the largest first.
    chains: Vec<(Option<&'static str>, Chain)>,
    /// Shapes to copy: the chain to use and the word count of each paragraph.
    shapes: Vec<(usize, Vec<usize>)>,
}

/// A filler article.
#[derive(Debug)]
pub(crate) struct Article {
    /// The headline.
    pub(crate) title: String,
    /// The body's paragraphs.
    pub(crate) paragraphs: Vec<String>,
    /// ISO 639-3 code of the chain's language.
    pub(crate) language: Option<&'static str>,
}

impl Filler {
    /// Trains on `sources`: `(language, paragraphs)` of each. `None` when there is no text.
    pub(crate) fn new<'a>(
        sources: impl Iterator<Item = (Option<&'static str>, &'a [String])> + Clone,
    ) -> Option<Filler> {
        let mut words_per_language: HashMap<Option<&'static str>, usize> = HashMap::new();
        for (language, paragraphs) in sources.clone() {
            let words: usize = paragraphs
                .iter()
                .map(|p| p.split_whitespace().count())
                .sum();
            *words_per_language.entry(language).or_default() += words;
        }
        let mut languages: Vec<(Option<&'static str>, usize)> =
            words_per_language.into_iter().collect();
        // Largest first; ties by code, so the order never depends on the map's.
        languages.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let largest = languages.first()?.0;
        let own: Vec<Option<&'static str>> = languages
            .iter()
            .filter(|(_, words)| *words >= MIN_WORDS)
            .map(|&(language, _)| language)
            .collect();
        let chain_of = |language: Option<&'static str>| {
            own.iter()
                .position(|&l| l == language)
                .or_else(|| own.iter().position(|&l| l == largest))
                .unwrap_or(0)
        };
        let mut chains: Vec<(Option<&'static str>, Chain, HashMap<String, u32>)> = if own.is_empty()
        {
            vec![(largest, Chain::default(), HashMap::new())]
        } else {
            own.iter()
                .map(|&l| (l, Chain::default(), HashMap::new()))
                .collect()
        };
        let mut shapes = Vec::new();
        for (language, paragraphs) in sources {
            let c = chain_of(language);
            let (_, chain, index) = &mut chains[c];
            for paragraph in paragraphs {
                chain.learn(index, paragraph);
            }
            // Long pages (reference lists, transcripts) are cut to news length.
            let mut words = 0;
            let shape: Vec<usize> = paragraphs
                .iter()
                .map(|p| p.split_whitespace().count())
                .filter(|&n| n > 0)
                .take_while(|&n| {
                    let fits = words < MAX_ARTICLE_WORDS;
                    words += n;
                    fits
                })
                .collect();
            if !shape.is_empty() {
                shapes.push((c, shape));
            }
        }
        if shapes.is_empty() {
            return None;
        }
        Some(Filler {
            chains: chains.into_iter().map(|(l, chain, _)| (l, chain)).collect(),
            shapes,
        })
    }

    /// Writes one article from `rng`.
    pub(crate) fn article(&self, rng: &mut Rng) -> Article {
        let (c, shape) = &self.shapes[rng.below(self.shapes.len())];
        let (language, chain) = &self.chains[*c];
        let mut paragraphs = Vec::with_capacity(shape.len());
        for &target in shape {
            let mut paragraph = String::with_capacity(target * 7);
            let mut words = 0;
            let mut tries = 0;
            while words < target && tries < 64 {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                words += chain.sentence(rng, &mut paragraph);
                tries += 1;
            }
            paragraphs.push(paragraph);
        }
        let mut title = String::new();
        chain.sentence(rng, &mut title);
        let title: Vec<&str> = title.split(' ').take(rng.range(6, 11)).collect();
        let title = title
            .join(" ")
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_owned();
        Article {
            title,
            paragraphs,
            language: *language,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fillers_follow_a_source_shape_and_differ_from_each_other() {
        let source: Vec<String> = vec![
            "The river rose quickly after the storm. Farmers moved their animals to higher ground."
                .to_owned(),
            "The mayor said the town would open a shelter. Volunteers brought food and blankets."
                .to_owned(),
        ];
        let filler = Filler::new(std::iter::once((Some("eng"), &source[..]))).expect("a filler");
        let a = filler.article(&mut Rng::new(1));
        let b = filler.article(&mut Rng::new(2));
        assert_eq!(a.paragraphs.len(), 2);
        assert_eq!(a.language, Some("eng"));
        assert!(a.paragraphs.iter().all(|p| p.ends_with('.')));
        assert_ne!(a.paragraphs, b.paragraphs);
        let again = filler.article(&mut Rng::new(1));
        assert_eq!(a.paragraphs, again.paragraphs);
    }
}
