//! The furniture classifier for plain-text dumps of news pages.
//!
//! A dump is cut into units: one unit per line, or one per blank-line block when the text is
//! hard-wrapped. Each unit first gets a context-free [`Kind`] from its own features (length in
//! words, sentence punctuation, furniture vocabulary, dates, hashtags, links, bullet glyphs).
//! A second pass reads the units in order with their neighbours: the headline is the first
//! headline-like unit followed by prose; the article runs until a boundary ("Related Articles",
//! "Comments", "Hashtags" …) that comes after enough prose; an author biography at its end is cut;
//! a caption repeated on consecutive lines is dropped; short lines survive only as subheadings
//! between two prose paragraphs. After a "related" boundary, headline-plus-prose groups become
//! embedded stories.
//!
//! Every decision is a [`DropReason`] on a unit, so that `--verbose` can say what was dropped.

use std::borrow::Cow;
use std::ops::Range;

use crate::DropReason;

mod cues;

use cues::{
    BIO_ROLES, BIO_VERBS, BOUNDARIES, BULLETS, CREDIT_OPENINGS, DATE_WORDS, IMPERATIVE_OPENINGS,
    OTHER_DATE_WORDS, RIGHTS, STRONG_PHRASES, STRONG_WORDS, WEAK_WORDS,
};

/// What the classifier found in a dump, as byte ranges into the text it was given.
#[derive(Debug, Default)]
pub(crate) struct Dump {
    /// The main story.
    pub(crate) main: DumpArticle,
    /// The text of a "By …" line near the headline.
    pub(crate) byline: Option<String>,
    /// The date of a dateline or timestamp line before the body ("Published: March 10,
    /// 2025"), as `YYYY-MM-DD`.
    pub(crate) dated: Option<String>,
    /// Stories pasted after a "related" boundary.
    pub(crate) embedded: Vec<DumpArticle>,
    /// Every unit that was dropped, in input order.
    pub(crate) dropped: Vec<(Range<usize>, DropReason)>,
}

/// A headline (when one was found) and its paragraphs.
#[derive(Debug, Default)]
pub(crate) struct DumpArticle {
    pub(crate) title: Option<Range<usize>>,
    pub(crate) paragraphs: Vec<Range<usize>>,
}

impl DumpArticle {
    pub(crate) fn prose_words(&self, text: &str) -> usize {
        self.paragraphs
            .iter()
            .map(|r| words(&text[r.clone()]))
            .sum()
    }
}

#[derive(Clone, Debug)]
struct Unit {
    /// The unit without surrounding whitespace (or a leading byte-order mark).
    range: Range<usize>,
    words: usize,
    kind: Kind,
}

/// What a unit looks like on its own, before its neighbours are seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A sentence or a long line: article text unless its position says otherwise.
    Prose,
    /// A short line without final punctuation: a headline, a subheading, a name or a label.
    Short,
    /// Furniture recognisable on its own.
    Drop(DropReason),
    /// A line that opens a block after the article.
    Boundary(Block),
}

/// The kind of block a boundary line opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    /// Other stories: related articles, more stories, most read.
    Related,
    /// Readers' comments.
    Comments,
    /// Tags, topics, hashtags.
    Tags,
    /// "About the author".
    Author,
}

/// Longest line (in words) that can be a headline.
const HEADLINE_MAX_WORDS: usize = 20;
/// Longest line (in words) that vocabulary alone can mark as furniture.
const FURNITURE_MAX_WORDS: usize = 8;
/// A line this long is prose even without final punctuation (a truncated paragraph).
const PROSE_MIN_WORDS: usize = 14;
/// Prose needed (in words, or else two paragraphs) before a boundary line may end the article,
/// so that a "Comments" link under the headline does not end it.
const BOUNDARY_MIN_PROSE_WORDS: usize = 40;
/// In hard-wrapped text, a line shorter than this ends its paragraph.
const WRAPPED_MIN_CHARS: usize = 40;
/// An embedded story shorter than this is a teaser, not an article.
const EMBEDDED_MIN_WORDS: usize = 20;

/// Classifies the units of `text` and assembles the main story, the embedded stories and the
/// list of what was dropped.
pub(crate) fn classify(text: &str, trust: Trust) -> Dump {
    let units = units(text);
    let mut pass = Pass {
        text,
        units: &units,
        trust,
        dump: Dump::default(),
    };
    let body_start = pass.head();
    let boundary = pass.boundary(body_start);
    pass.body(body_start, boundary);
    pass.tail(boundary);
    let mut dump = pass.dump;
    dump.dropped.sort_by_key(|(range, _)| range.start);
    dump
}

/// How much the text was already cleaned before the classifier sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trust {
    /// A raw dump: a short line in the body must be a subheading between two paragraphs.
    Raw,
    /// Readability's output: a short line in the body is content unless it is furniture or
    /// comes after the last paragraph.
    Readable,
}

struct Pass<'a> {
    text: &'a str,
    units: &'a [Unit],
    trust: Trust,
    dump: Dump,
}

impl Pass<'_> {
    fn str(&self, i: usize) -> &str {
        &self.text[self.units[i].range.clone()]
    }

    fn drop(&mut self, i: usize, reason: DropReason) {
        self.dump
            .dropped
            .push((self.units[i].range.clone(), reason));
    }

    /// The next unit after `i`, before `end`, that is not recognisable furniture.
    fn next_content(&self, i: usize, end: usize) -> Option<usize> {
        (i + 1..end).find(|&j| !matches!(self.units[j].kind, Kind::Drop(_)))
    }

    fn is_prose(&self, i: Option<usize>) -> bool {
        i.is_some_and(|j| self.units[j].kind == Kind::Prose)
    }

    /// Keeps the date of a dropped dateline or timestamp line as the dump's date, when it is
    /// the first and not an update's.
    fn note_date(&mut self, i: usize, reason: DropReason) {
        if self.dump.dated.is_none()
            && matches!(
                reason,
                DropReason::Timestamp | DropReason::Furniture | DropReason::Credit
            )
        {
            self.dump.dated = line_date(self.str(i));
        }
    }

    /// Is unit `i` a headline: headline-like and followed by prose?
    fn is_headline(&self, i: usize, end: usize) -> bool {
        !matches!(self.units[i].kind, Kind::Drop(_) | Kind::Boundary(_))
            && headline_like(self.str(i), self.units[i].words)
            && self.is_prose(self.next_content(i, end))
    }

    /// Drops the furniture before the article, finds its headline, and returns where the body
    /// starts.
    fn head(&mut self) -> usize {
        let n = self.units.len();
        for i in 0..n {
            match self.units[i].kind {
                Kind::Drop(reason) => {
                    if reason == DropReason::Credit && self.dump.byline.is_none() {
                        self.dump.byline = byline(self.str(i)).map(str::to_owned);
                    }
                    self.note_date(i, reason);
                    self.drop(i, reason);
                }
                Kind::Boundary(_) => self.drop(i, DropReason::Furniture),
                _ if self.is_headline(i, n) => {
                    self.dump.main.title = Some(self.units[i].range.clone());
                    return i + 1;
                }
                Kind::Prose => return i,
                Kind::Short => self.drop(i, DropReason::Fragment),
            }
        }
        n
    }

    /// The first boundary line after enough prose, or the end.
    fn boundary(&self, body_start: usize) -> usize {
        let mut prose_words = 0;
        let mut prose_units = 0;
        for (i, unit) in self.units.iter().enumerate().skip(body_start) {
            match unit.kind {
                Kind::Prose => {
                    prose_words += unit.words;
                    prose_units += 1;
                }
                Kind::Boundary(_)
                    if prose_words >= BOUNDARY_MIN_PROSE_WORDS || prose_units >= 2 =>
                {
                    return i;
                }
                _ => {}
            }
        }
        self.units.len()
    }

    /// Keeps the article's paragraphs between `start` and `end`.
    fn body(&mut self, start: usize, end: usize) {
        let mut i = start;
        while i < end {
            if let Some(from) = self.bio_start(i, end) {
                for j in from..end {
                    self.drop(j, DropReason::AuthorBio);
                }
                return;
            }
            let unit = &self.units[i];
            if i + 1 < end
                && !matches!(unit.kind, Kind::Drop(_))
                && unit.words <= 60
                && self.str(i) == self.str(i + 1)
            {
                self.drop(i, DropReason::Caption);
                self.drop(i + 1, DropReason::Caption);
                i += 2;
                continue;
            }
            match unit.kind {
                Kind::Drop(reason) => {
                    if reason == DropReason::Credit
                        && self.dump.byline.is_none()
                        && self.dump.main.paragraphs.is_empty()
                    {
                        self.dump.byline = byline(self.str(i)).map(str::to_owned);
                    }
                    if self.dump.main.paragraphs.is_empty() {
                        self.note_date(i, reason);
                    }
                    self.drop(i, reason);
                }
                Kind::Boundary(_) => self.drop(i, DropReason::Furniture),
                Kind::Prose => self.dump.main.paragraphs.push(unit.range.clone()),
                Kind::Short => {
                    // In a raw dump, a subheading sits between two paragraphs of prose.
                    let after_prose = !self.dump.main.paragraphs.is_empty();
                    let keep = match self.trust {
                        Trust::Raw => {
                            after_prose
                                && unit.words <= 15
                                && self.is_prose(self.next_content(i, end))
                        }
                        Trust::Readable => (i + 1..end).any(|j| self.units[j].kind == Kind::Prose),
                    };
                    if keep {
                        self.dump.main.paragraphs.push(unit.range.clone());
                    } else {
                        self.drop(i, DropReason::Fragment);
                    }
                }
            }
            i += 1;
        }
    }

    /// Where an author biography starts, if unit `i` opens one: a name line followed by "Name is
    /// a … correspondent", or such a sentence among the last paragraphs. (The furniture before
    /// it, such as an "Image" label, has already been dropped as furniture.)
    fn bio_start(&self, i: usize, end: usize) -> Option<usize> {
        let unit = &self.units[i];
        let opens = match unit.kind {
            Kind::Short if name_like(self.str(i)) => {
                let next = self.next_content(i, end)?;
                self.units[next].kind == Kind::Prose && is_bio(self.str(next), Some(self.str(i)))
            }
            Kind::Prose => {
                let later_prose = (i + 1..end)
                    .filter(|&j| self.units[j].kind == Kind::Prose)
                    .take(3)
                    .count();
                later_prose <= 2 && is_bio(self.str(i), None)
            }
            _ => false,
        };
        (opens && !self.dump.main.paragraphs.is_empty()).then_some(i)
    }

    /// Drops the blocks after the article and gathers the embedded stories.
    fn tail(&mut self, start: usize) {
        let n = self.units.len();
        let mut block = Block::Related;
        let mut story: Option<(DumpArticle, Vec<usize>)> = None;
        for i in start..n {
            let kind = self.units[i].kind;
            if let Kind::Boundary(opened) = kind {
                self.close(story.take());
                self.drop(i, DropReason::Boundary);
                block = opened;
                continue;
            }
            if block != Block::Related {
                match kind {
                    Kind::Drop(reason) => self.drop(i, reason),
                    _ => self.drop(i, DropReason::TrailingBlock),
                }
                continue;
            }
            match kind {
                Kind::Drop(reason) => self.drop(i, reason),
                _ if self.is_headline(i, n) => {
                    self.close(story.take());
                    let title = Some(self.units[i].range.clone());
                    story = Some((
                        DumpArticle {
                            title,
                            paragraphs: Vec::new(),
                        },
                        vec![i],
                    ));
                }
                Kind::Prose => {
                    let (open, members) = story.get_or_insert_with(Default::default);
                    open.paragraphs.push(self.units[i].range.clone());
                    members.push(i);
                }
                _ => {
                    self.close(story.take());
                    self.drop(i, DropReason::Fragment);
                }
            }
        }
        self.close(story);
    }

    /// Keeps an embedded story when it is long enough to be an article.
    fn close(&mut self, story: Option<(DumpArticle, Vec<usize>)>) {
        let Some((story, members)) = story else {
            return;
        };
        if story.prose_words(self.text) >= EMBEDDED_MIN_WORDS {
            self.dump.embedded.push(story);
        } else {
            for i in members {
                self.drop(i, DropReason::TrailingBlock);
            }
        }
    }
}

/// Splits `text` into trimmed, non-empty units: lines, or blank-line blocks when hard-wrapped.
fn units(text: &str) -> Vec<Unit> {
    let mut lines: Vec<(usize, Range<usize>)> = Vec::new();
    let mut start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let end = start + line.len();
        let trimmed = trim(text, start..end);
        if !trimmed.is_empty() {
            lines.push((index, trimmed));
        }
        start = end + 1;
    }
    if !hard_wrapped(text, &lines) {
        return lines
            .into_iter()
            .map(|(_, range)| unit(text, range))
            .collect();
    }
    // A line goes on the previous one when they touch and the previous one is long enough to
    // have been wrapped; labels ("By …", "Related stories") keep their own lines.
    let mut blocks: Vec<WrappedBlock> = Vec::new();
    for (index, range) in lines {
        let line = unit(text, range);
        let label = matches!(line.kind, Kind::Drop(_) | Kind::Boundary(_));
        let long = text[line.range.clone()].chars().count() >= WRAPPED_MIN_CHARS;
        match blocks.last_mut() {
            Some(block) if block.last + 1 == index && block.wrapped && !label => {
                block.unit.range.end = line.range.end;
                block.last = index;
                block.wrapped = long;
                block.joined = true;
            }
            _ => blocks.push(WrappedBlock {
                last: index,
                unit: line,
                wrapped: !label && long,
                joined: false,
            }),
        }
    }
    blocks
        .into_iter()
        .map(|block| {
            if block.joined {
                unit(text, block.unit.range)
            } else {
                block.unit
            }
        })
        .collect()
}

/// A block of hard-wrapped text being assembled from its lines.
struct WrappedBlock {
    /// The index of its last line.
    last: usize,
    /// Its unit: the unit of its first line until others are joined to it.
    unit: Unit,
    /// Whether its last line is long enough to have been wrapped.
    wrapped: bool,
    /// Whether lines were joined to the first, so that its unit must be made again.
    joined: bool,
}

/// The unit of `text[range]`, with its words counted and its kind found.
fn unit(text: &str, range: Range<usize>) -> Unit {
    let s = &text[range.clone()];
    let words = words(s);
    Unit {
        words,
        kind: kind(s, words),
        range,
    }
}

/// Narrows `range` to exclude surrounding whitespace and byte-order marks.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let is_blank = |c: char| c.is_whitespace() || c == '\u{feff}';
    let start = range.start + (slice.len() - slice.trim_start_matches(is_blank).len());
    let end = range.start + slice.trim_end_matches(is_blank).len();
    start..end.max(start)
}

/// Hard-wrapped text breaks sentences across lines: many lines end without punctuation and the
/// next line goes on in lower case.
fn hard_wrapped(text: &str, lines: &[(usize, Range<usize>)]) -> bool {
    let pairs = lines.windows(2).filter(|w| w[0].0 + 1 == w[1].0);
    let (mut adjacent, mut continued) = (0, 0);
    for pair in pairs {
        adjacent += 1;
        let first = &text[pair[0].1.clone()];
        let second = &text[pair[1].1.clone()];
        let goes_on = second.chars().next().is_some_and(|c| c.is_lowercase());
        if goes_on && !sentence_end(first) && first.split_whitespace().count() >= 6 {
            continued += 1;
        }
    }
    continued >= 3 && continued * 5 >= adjacent
}

/// Strips closing quotes and brackets, so that `."` counts as a final full stop.
fn strip_closers(s: &str) -> &str {
    s.trim_end_matches([
        '"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}', '*', '\u{300d}', '\u{300f}',
    ])
}

/// Ends like a sentence (`.`, `!`, `?`, an ellipsis, or their CJK forms), after closing quotes.
fn sentence_end(s: &str) -> bool {
    strip_closers(s).ends_with([
        '.', '!', '?', '\u{2026}', '\u{3002}', '\u{ff01}', '\u{ff1f}',
    ])
}

/// Ends with a full stop, `!` or `?`, not an ellipsis ("No comments yet..." is a label).
fn strict_end(s: &str) -> bool {
    let t = strip_closers(s);
    t.ends_with(['.', '!', '?', '\u{3002}', '\u{ff01}', '\u{ff1f}']) && !t.ends_with("...")
}

/// Lower-case word tokens (borrowed when already lower case).
fn tokens(s: &str) -> Vec<Cow<'_, str>> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|t| !t.is_empty())
        .map(|t| {
            if t.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                Cow::Borrowed(t)
            } else {
                Cow::Owned(t.to_lowercase())
            }
        })
        .collect()
}

/// Lower case, bullets and trailing `:` or ellipsis removed, whitespace collapsed.
fn normalized(s: &str) -> String {
    let s = s.trim_start_matches(BULLETS).trim();
    let s = s.trim_end_matches([':', '.', '\u{2026}', '>', '\u{bb}', '\u{203a}', ' ']);
    let mut joined = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    if joined.is_ascii() {
        joined.make_ascii_lowercase();
        joined
    } else {
        joined.to_lowercase()
    }
}

/// Longest line (in words) that a figure's label marks as its caption.
const CAPTION_MAX_WORDS: usize = 40;

/// Words that label a figure, in lower case ("Abbildung 4:", "Fig. 2:").
/// English "Figure 2:" is left out: Readability's test pages keep such captions as text.
const FIGURE_LABELS: &[&str] = &["abbildung", "abb.", "grafik", "ilustración"];

/// A figure's caption: a figure label, an optional number ("4", "2a", "3.1") and a colon, as in
/// "Abbildung 4: Die Schwachschicht" or "Figure: The ferry route".
fn is_figure_caption(s: &str) -> bool {
    let mut words = s.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let (label, colon) = match first.strip_suffix(':') {
        Some(label) => (label, true),
        None => (first, false),
    };
    if !FIGURE_LABELS
        .iter()
        .any(|l| label.eq_ignore_ascii_case(l) || label.to_lowercase() == *l)
    {
        return false;
    }
    if colon {
        return true;
    }
    words.next().is_some_and(|number| {
        number.len() > 1
            && number.ends_with(':')
            && number.starts_with(|c: char| c.is_ascii_digit())
            && number[..number.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.')
    })
}

/// The context-free kind of one unit of `words` words.
///
/// Most checks apply to short lines only, and each feature is computed only once a line is
/// short enough to need it: the long lines of a dump (its paragraphs) are most of its bytes.
fn kind(s: &str, words: usize) -> Kind {
    if s.starts_with('#') {
        let hashtags = s.split_whitespace().filter(|w| w.starts_with('#')).count();
        if hashtags * 2 >= words {
            return Kind::Drop(DropReason::Furniture);
        }
    }
    if words <= 12
        && ["http://", "https://", "www."]
            .iter()
            .any(|p| contains_lowercase(s, p))
    {
        return Kind::Drop(DropReason::Furniture);
    }
    // `(` and `[` are their own lower case, and no other character lower-cases to them.
    let opening = s.trim_start_matches(['(', '[']);
    if CREDIT_OPENINGS
        .iter()
        .any(|p| starts_with_lowercase(opening, p))
        || contains_lowercase(s, "; editing by")
    {
        return Kind::Drop(DropReason::Credit);
    }
    if words <= FURNITURE_MAX_WORDS && byline(s).is_some() {
        return Kind::Drop(DropReason::Credit);
    }
    if words <= CAPTION_MAX_WORDS && is_figure_caption(s) {
        return Kind::Drop(DropReason::Caption);
    }
    if words <= 30 && (s.contains('\u{a9}') || RIGHTS.iter().any(|p| contains_lowercase(s, p))) {
        return Kind::Drop(DropReason::Furniture);
    }
    // Every check below is for lines of at most 15 words.
    const _: () = assert!(FURNITURE_MAX_WORDS <= 15);
    if words <= 15 {
        let norm = normalized(s);
        if words <= 6 {
            for (phrase, block) in BOUNDARIES {
                if norm == *phrase || is_count_of(&norm, phrase) {
                    return Kind::Boundary(*block);
                }
            }
            // "Diese Artikel könnten euch auch interessieren", "Das interessiert dich auch".
            if norm.ends_with("auch interessieren") || norm.ends_with("interessiert dich auch") {
                return Kind::Boundary(Block::Related);
            }
        }
        if IMPERATIVE_OPENINGS
            .iter()
            .any(|p| has_prefix(norm.as_bytes(), p.as_bytes()))
        {
            return Kind::Drop(DropReason::Furniture);
        }
        if words <= FURNITURE_MAX_WORDS && !strict_end(s) {
            let toks = tokens(s);
            let strong = toks.iter().any(|t| STRONG_WORDS.contains(&t.as_ref()))
                || contains_any_phrase(&norm, STRONG_PHRASES);
            let weak = (words <= 4 || s.trim_end().ends_with(':'))
                && toks.iter().any(|t| WEAK_WORDS.contains(&t.as_ref()));
            if strong || weak {
                return Kind::Drop(DropReason::Furniture);
            }
            if is_timestamp(s, &toks) {
                return Kind::Drop(DropReason::Timestamp);
            }
            let bulleted = s.starts_with(BULLETS) && !s.starts_with("--");
            if bulleted && words <= 6 {
                return Kind::Drop(DropReason::Furniture);
            }
        }
    }
    if words >= PROSE_MIN_WORDS || (sentence_end(s) && words >= 2) {
        Kind::Prose
    } else {
        Kind::Short
    }
}

/// The number of words of `s`: its words between white space, and for text written without
/// spaces between words (Chinese, Japanese) one more for every two of its characters, so that a
/// Chinese paragraph counts as prose as an English one of the same content does.
pub(crate) fn words(s: &str) -> usize {
    word_count(s) + unspaced_chars(s) / 2
}

/// Characters of `s` in U+3000..U+9FFF: CJK punctuation, kana and the common ideographs, the
/// scripts written without spaces between words (Hangul syllables, written with spaces, lie
/// above). Each is three bytes in UTF-8 with a lead byte from 0xE3 to 0xE9, counted in one
/// pass the compiler vectorizes.
fn unspaced_chars(s: &str) -> usize {
    s.as_bytes()
        .iter()
        .map(|&b| usize::from(b.wrapping_sub(0xe3) < 7))
        .sum()
}

/// The number of words of `s`: `s.split_whitespace().count()`, without the splitting.
fn word_count(s: &str) -> usize {
    // Counted as if only ASCII white space separated words, in a loop without branches that
    // the compiler vectorizes; exact unless `s` holds a Unicode space. The starts are summed
    // in bytes, 255 pairs at a time (a byte cannot overflow), so that a vector register holds
    // sixteen counts or more, not two or four.
    let bytes = s.as_bytes();
    let is_space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let first = usize::from(bytes.first().is_some_and(|&b| !is_space(b)));
    let starts: usize = bytes
        .chunks(255)
        .zip(bytes.get(1..).unwrap_or_default().chunks(255))
        .map(|(a, b)| {
            let starts = a
                .iter()
                .zip(b)
                .map(|(&a, &b)| u8::from(is_space(a) & !is_space(b)))
                .fold(0u8, u8::wrapping_add);
            usize::from(starts)
        })
        .sum();
    if s.is_ascii() || !has_unicode_space(s) {
        first + starts
    } else {
        s.split_whitespace().count()
    }
}

/// Whether `s` holds a white-space character outside ASCII (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000); each starts with one of four bytes, found with memchr.
fn has_unicode_space(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr3_iter(0xc2, 0xe2, 0xe3, bytes)
        .chain(memchr::memchr_iter(0xe1, bytes))
        .any(|at| {
            s.get(at..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_whitespace)
        })
}

/// Whether `s.to_lowercase()` starts with `prefix` (lower-case ASCII), lower-casing only as
/// much of `s` as the comparison needs.
fn starts_with_lowercase(s: &str, prefix: &str) -> bool {
    let mut wanted = prefix.chars();
    for c in s.chars() {
        for lower in c.to_lowercase() {
            match wanted.next() {
                None => return true,
                Some(w) if w != lower => return false,
                Some(_) => {}
            }
        }
    }
    wanted.next().is_none()
}

/// Whether `s.to_lowercase()` contains `needle` (lower-case ASCII), without lower-casing `s`.
///
/// An ASCII character lower-cases to one ASCII byte, and every other character to non-ASCII
/// bytes except two: `İ` (U+0130, to `i` and a combining dot) and the Kelvin sign (U+212A, to
/// `k`). So outside those two, the needle occurs in the lower-cased text exactly where it
/// occurs ASCII-case-insensitively in `s`; with them, the text is lower-cased as before.
fn contains_lowercase(s: &str, needle: &str) -> bool {
    debug_assert!(
        needle
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    );
    let Some((&first, rest)) = needle.as_bytes().split_first() else {
        return true;
    };
    let bytes = s.as_bytes();
    let found = memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).any(|at| {
        bytes
            .get(at + 1..at + needle.len())
            .is_some_and(|tail| tail.eq_ignore_ascii_case(rest))
    });
    found || (!s.is_ascii() && lowercases_to_ascii(s) && s.to_lowercase().contains(needle))
}

/// Whether `s` holds `İ` (U+0130) or the Kelvin sign (U+212A), the two characters outside
/// ASCII whose lower case has ASCII in it.
fn lowercases_to_ascii(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr2_iter(0xc4, 0xe2, bytes).any(|at| {
        has_prefix(&bytes[at..], "\u{130}".as_bytes())
            || has_prefix(&bytes[at..], "\u{212a}".as_bytes())
    })
}

/// `"12 comments"` is a count of `"comments"`.
fn is_count_of(norm: &str, phrase: &str) -> bool {
    norm.strip_suffix(phrase)
        .map(str::trim)
        .is_some_and(|count| {
            !count.is_empty() && count.chars().all(|c| c.is_ascii_digit() || c == ',')
        })
}

/// Whether one of `phrases` occurs in `norm` on word boundaries.
///
/// Each word start is tried against every phrase, in one pass over the line. Searching each
/// phrase on its own, without overlaps, finds the same: an occurrence that overlaps another is
/// preceded by a letter of it, so it is not on a word boundary (a test checks this of
/// [`STRONG_PHRASES`]).
fn contains_any_phrase(norm: &str, phrases: &[&str]) -> bool {
    let bytes = norm.as_bytes();
    let mut after_alphanumeric = false;
    for (at, c) in norm.char_indices() {
        if !after_alphanumeric {
            let rest = &bytes[at..];
            let found = phrases.iter().any(|phrase| {
                has_prefix(rest, phrase.as_bytes())
                    && !norm
                        .get(at + phrase.len()..)
                        .and_then(|tail| tail.chars().next())
                        .is_some_and(char::is_alphanumeric)
            });
            if found {
                return true;
            }
        }
        after_alphanumeric = c.is_alphanumeric();
    }
    false
}

/// `haystack.starts_with(prefix)`, compared in line: the prefixes here are a few bytes, and
/// most comparisons fail on the first, where a call to `memcmp` costs more than the compare.
fn has_prefix(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack.iter().zip(prefix).all(|(a, b)| a == b)
}

/// Most tokens are dates, times or "minutes ago", and the line says when: a relative day, or a
/// number with a year, a month, a time of day or another date word beside it. Numbers with
/// nothing but units of time beside them are an amount ("286,35 €", "1 545 500 EUROS",
/// "15 – 30 Min"), not a time.
fn is_timestamp(s: &str, toks: &[Cow<'_, str>]) -> bool {
    if toks.is_empty() {
        return false;
    }
    let is_number = |t: &str| {
        t.chars().all(|c| c.is_ascii_digit())
            || t.ends_with("th")
                && t.len() > 2
                && t[..t.len() - 2].chars().all(|c| c.is_ascii_digit())
    };
    let relative = toks
        .iter()
        .any(|t| matches!(t.as_ref(), "ago" | "yesterday" | "today" | "now"));
    let dated = toks.iter().any(|t| is_number(t)) && says_when(s, toks);
    if !(relative || dated) {
        return false;
    }
    let dateish = toks
        .iter()
        .filter(|t| {
            is_number(t)
                || DATE_WORDS.contains(&t.as_ref())
                || month_number(t).is_some()
                || OTHER_DATE_WORDS.contains(&t.as_ref())
        })
        .count();
    dateish * 10 >= toks.len() * 7
}

/// Whether a line of numbers names a point in time: a year (1900–2099), a month, a date word
/// that is not a unit of time (a weekday, `am`, a time zone, `updated` …), or a time or date
/// written with `:`, `.` or `/` between digits (`14:05`, `16.08.2019`, `3/10`).
fn says_when(s: &str, toks: &[Cow<'_, str>]) -> bool {
    const UNITS: &[&str] = &[
        "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs",
        "day", "days", "week", "weeks", "month", "months", "year", "years", "on", "at", "just",
    ];
    let year = |t: &str| {
        t.len() == 4
            && (t.starts_with("19") || t.starts_with("20"))
            && t.bytes().all(|b| b.is_ascii_digit())
    };
    toks.iter().any(|t| {
        year(t)
            || month_number(t).is_some()
            || (DATE_WORDS.contains(&t.as_ref()) && !UNITS.contains(&t.as_ref()))
    }) || s.as_bytes().windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], b':' | b'.' | b'/') && w[2].is_ascii_digit()
    })
}

/// The date a short dateline or timestamp line states, as `YYYY-MM-DD`: "Published: March 10,
/// 2025", "Mar. 10, 2025 4:05 pm", "10 March 2025", "2025-03-10". `None` for a line that
/// says it is an update ("Updated …", "Last modified …"), for more than a dozen words, and for
/// a date without a year.
fn line_date(s: &str) -> Option<String> {
    // A thirteenth word is enough to say no: a long line is not read to its end.
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .take(13)
        .map(str::to_lowercase)
        .collect();
    if words.len() > 12
        || words
            .iter()
            .any(|w| matches!(w.as_str(), "updated" | "modified" | "edited"))
    {
        return None;
    }
    let number = |w: &str, range: std::ops::RangeInclusive<u32>| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (!digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
            .filter(|n| range.contains(n))
    };
    let valid = |y: u32, m: u32, d: u32| {
        let days = [
            31,
            if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) {
                29
            } else {
                28
            },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]
    };
    for (i, w) in words.iter().enumerate() {
        // 2025-03-10, alone or opening an ISO 8601 time.
        let parts: Vec<&str> = w.get(..10).unwrap_or(w).split('-').collect();
        if let [y, m, d] = parts[..]
            && y.len() == 4
            && let (Some(y), Some(m), Some(d)) =
                (number(y, 1900..=2100), number(m, 1..=12), number(d, 1..=31))
            && valid(y, m, d)
        {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
        let Some(month) = month_number(w) else {
            continue;
        };
        let at = |k: usize| words.get(k).map(String::as_str);
        // March 10, 2025 / March 10 2025, or 10 March 2025.
        let (day, year) = match (
            at(i + 1).and_then(|w| number(w, 1..=31)),
            i.checked_sub(1)
                .and_then(&at)
                .and_then(|w| number(w, 1..=31)),
        ) {
            (Some(day), _) => (day, at(i + 2).and_then(|w| number(w, 1900..=2100))),
            (None, Some(day)) => (day, at(i + 1).and_then(|w| number(w, 1900..=2100))),
            (None, None) => continue,
        };
        if let Some(year) = year
            && valid(year, month, day)
        {
            return Some(format!("{year:04}-{month:02}-{day:02}"));
        }
    }
    None
}

/// 1–12 for an English month name or its abbreviation ("mar", "sept").
fn month_number(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() >= 3 && m.starts_with(w) && (w.len() == 3 || w == "sept"))
        })
        .map(|k| k as u32 + 1)
}

/// The name in a `By Jane Doe` line.
fn byline(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("By ").or_else(|| s.strip_prefix("BY "))?;
    let rest = rest.trim();
    let names = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let capitalised = names
        .filter(|w| !matches!(*w, "and" | "of" | "de" | "van" | "von" | "al" | "in" | "|"))
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    (capitalised && !rest.is_empty() && !strict_end(rest)).then_some(rest)
}

/// A headline: three to twenty words, no final full stop, not all lower case.
fn headline_like(s: &str, words: usize) -> bool {
    (3..=HEADLINE_MAX_WORDS).contains(&words)
        && !strict_end(s)
        && !s.trim_end().ends_with([':', ',', ';'])
        && s.chars().any(char::is_uppercase)
}

/// A person's name on its own line: two to four capitalised words.
fn name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
        })
}

/// "Jane Doe is a senior correspondent for …": a name, a biography verb, and a role word. When
/// `name` is given (the line before), the sentence must start with part of it.
fn is_bio(s: &str, name: Option<&str>) -> bool {
    if word_count(s) < 6 {
        return false;
    }
    // The first biography verb: every one starts with a space, so only spaces are tried.
    let bytes = s.as_bytes();
    let Some(at) = s.match_indices(' ').map(|(at, _)| at).find(|&at| {
        BIO_VERBS
            .iter()
            .any(|v| has_prefix(&bytes[at..], v.as_bytes()))
    }) else {
        return false;
    };
    let subject: Vec<&str> = s[..at].split_whitespace().collect();
    let subject_is_name = (1..=4).contains(&subject.len())
        && subject
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !subject_is_name {
        return false;
    }
    match name {
        Some(name) => subject
            .iter()
            .any(|w| name.split_whitespace().any(|n| n == *w)),
        None => subject.len() >= 2 && BIO_ROLES.iter().any(|role| contains_lowercase(s, role)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(s: &str) -> Kind {
        kind(s, s.split_whitespace().count())
    }

    #[test]
    fn furniture_lines() {
        for line in [
            "Skip to main content",
            "Accessibility links",
            "Breaking News",
            "Share this article",
            "Sign up for our morning briefing.",
            "Advertisement",
            "\u{2022} 16x9 Image",
            "#harbour #ferries #winter",
            "Follow us on Mastodon",
            "No comments yet...",
            "Listen to this article",
            "\u{a9} 2031 Lakeside Courier. All rights reserved.",
        ] {
            assert!(
                matches!(kind_of(line), Kind::Drop(_)),
                "{line}: {:?}",
                kind_of(line)
            );
        }
    }

    #[test]
    fn amounts_are_not_timestamps() {
        // Numbers alone, or with units of time only: a price, a sum, a cooking time.
        for line in ["286,35 €", "1 545 500 EUROS", "15 – 30 Min", "4"] {
            assert_eq!(kind_of(line), Kind::Short, "{line}");
        }
        for line in [
            "16.08.2019",
            "14:05",
            "3 hours ago",
            "Mon 12",
            "12 March",
            "2031",
            "Posted on 12",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Timestamp), "{line}");
        }
    }

    #[test]
    fn figure_captions() {
        for line in [
            "Abbildung 4: Die Schwachschicht unter dem Neuschnee ist klar zu sehen.",
            "Abbildung: Vergleich der Schneehöhen am Gletscher",
            "Abb. 2a: Die Route der Fähre über den See",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Caption), "{line}");
        }
        for line in [
            "Abbildung 4 zeigt die Schwachschicht unter dem Neuschnee sehr deutlich.",
            "Abbildungen gibt es im Heft: Die Schwachschicht unter dem Neuschnee.",
            "Fig. 2: The ferry route across the lake",
        ] {
            assert_ne!(kind_of(line), Kind::Drop(DropReason::Caption), "{line}");
        }
    }

    #[test]
    fn timestamps_and_credits() {
        assert_eq!(kind_of("7 minutes ago"), Kind::Drop(DropReason::Timestamp));
        assert_eq!(
            kind_of("Updated 14:05 GMT, March 3, 2031"),
            Kind::Drop(DropReason::Timestamp)
        );
        assert_eq!(
            kind_of("By Ida Marsh and Tom Quill"),
            Kind::Drop(DropReason::Credit)
        );
        assert_eq!(
            kind_of("Reporting by Ida Marsh; Editing by Tom Quill"),
            Kind::Drop(DropReason::Credit)
        );
        for credit in [
            "(Credit: Ida Marsh / Harbour Press)",
            "Titelbild: Ida Marsh/picture-alliance",
            "Beitragsbild: Titelseite der Hafenzeitung vom 2.4.2031, Ausriss.",
        ] {
            assert_eq!(kind_of(credit), Kind::Drop(DropReason::Credit), "{credit}");
        }
        assert_eq!(byline("By Ida Marsh"), Some("Ida Marsh"));
        for (line, date) in [
            ("Published: March 10, 2025", Some("2025-03-10")),
            ("Mar. 3, 2031 4:05 pm GMT", Some("2031-03-03")),
            ("Posted on 10 March 2025", Some("2025-03-10")),
            ("2025-03-10T09:30:00Z", Some("2025-03-10")),
            ("Sept 9, 2024", Some("2024-09-09")),
            ("Updated 14:05 GMT, March 3, 2031", None),
            ("March 10", None),
            ("February 30, 2025", None),
            ("May the crews be safe in 2025", None),
        ] {
            assert_eq!(line_date(line).as_deref(), date, "{line}");
        }
        // Hostile lines: a multibyte character where an ISO date's tenth byte would be, a
        // megabyte of month names, stray bytes decoded as replacement characters.
        for line in [
            "2025-03-1é",
            "ééééééééééé 2025",
            &"March 10 ".repeat(100_000),
            "\u{FFFD}\u{FFFD} 10 \u{FFFD} 2025",
        ] {
            assert_eq!(line_date(line), None);
        }
        assert_eq!(byline("By the river, two herons."), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(kind_of("Related Articles"), Kind::Boundary(Block::Related));
        assert_eq!(
            kind_of("You may also like:"),
            Kind::Boundary(Block::Related)
        );
        assert_eq!(kind_of("Comments"), Kind::Boundary(Block::Comments));
        assert_eq!(kind_of("12 Comments"), Kind::Boundary(Block::Comments));
        assert_eq!(kind_of("Hashtags"), Kind::Boundary(Block::Tags));
    }

    #[test]
    fn boundaries_in_other_languages_end_the_article() {
        assert_eq!(
            kind_of("Meistgelesene Artikel"),
            Kind::Boundary(Block::Related)
        );
        assert_eq!(kind_of("Über den Autor"), Kind::Boundary(Block::Author));
        assert_eq!(kind_of("Kommentieren"), Kind::Boundary(Block::Comments));
        for line in [
            "Siehe auch",
            "Voir aussi",
            "Diese Artikel könnten euch auch interessieren:",
        ] {
            assert_eq!(kind_of(line), Kind::Boundary(Block::Related), "{line}");
        }
        let text = "Die Fähre fährt wieder\nDie Fähre fuhr am Samstag wieder über den See.\n\
                    Die Angler kamen schon am Mittag zurück an den Steg.\n\
                    Neueste Artikel\nDer Hafen bekommt ein neues Dach\n";
        let (_, kept, _) = run(text);
        assert_eq!(
            kept,
            [
                "Die Fähre fuhr am Samstag wieder über den See.",
                "Die Angler kamen schon am Mittag zurück an den Steg."
            ]
        );
    }

    #[test]
    fn rights_and_licence_notices_in_other_languages() {
        for line in [
            "Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE.",
            "Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.",
            "Die Inhalte dieser Website sind unter einer Creative Commons-Lizenz lizenziert.",
            "Hafenzeitung. Todos los derechos reservados.",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Furniture), "{line}");
        }
    }

    #[test]
    fn calls_to_act_in_other_languages_and_post_footers() {
        for line in [
            "Möchten Sie weiterlesen?",
            "Dieses Skript als PDF herunterladen",
            "Gefällt mir Wird geladen...",
            "This entry was posted in Harbours. Bookmark the permalink.",
            "Never miss the latest news by signing up to our list today!",
            "Submit your letter to the editor via this form.",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Furniture), "{line}");
        }
    }

    #[test]
    fn timestamps_in_other_languages() {
        for line in [
            "16 marca 2021",
            "Veröffentlichung: 2. Februar 2022",
            "Publicado el 3 de marzo de 2031",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Timestamp), "{line}");
        }
        // An event's time is no timestamp.
        assert_eq!(kind_of("Termin: 21.02.2031, 19 Uhr"), Kind::Short);
    }

    #[test]
    fn short_labels_in_other_languages() {
        for line in [
            "Kategorie: News",
            "Quelle: Landesregierung",
            "Artikel teilen",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Furniture), "{line}");
        }
    }

    #[test]
    fn disclosures_and_disclaimers() {
        for line in [
            "*Werbung. Dieser Beitrag enthält Werbung für Hafenmode.",
            "ANZEIGE - Heute mal ausgehen? Wie wäre es mit:",
            "Dieser Beitrag gibt die Meinung des Autors wieder, nicht die der Redaktion.",
            "Bei diesem Beitrag handelt es sich um ein Blog aus der Community",
        ] {
            assert_eq!(kind_of(line), Kind::Drop(DropReason::Furniture), "{line}");
        }
        assert_eq!(
            kind_of("Werbung für Zigaretten ist seit 2031 verboten."),
            Kind::Prose
        );
    }

    #[test]
    fn prose_and_short_lines() {
        assert_eq!(kind_of("The ferry left at nine."), Kind::Prose);
        assert_eq!(kind_of("\"It was cold,\" he said."), Kind::Prose);
        assert_eq!(kind_of("Share prices fell sharply on Monday."), Kind::Prose);
        assert_eq!(kind_of("HARBOUR IN THE DARK"), Kind::Short);
        assert_eq!(
            kind_of("Ferry strike strands islanders as storm nears"),
            Kind::Short
        );
    }

    #[test]
    fn biographies() {
        assert!(is_bio(
            "Ida Marsh is a senior correspondent covering the islands.",
            None
        ));
        assert!(is_bio(
            "Ida Marsh has been reporting on ferries since 2020.",
            Some("Ida Marsh")
        ));
        assert!(!is_bio(
            "The mayor is a former ferry captain, residents said.",
            None
        ));
        assert!(BIO_VERBS.iter().all(|verb| verb.starts_with(' ')));
        assert!(name_like("Ida Marsh"));
        assert!(!name_like("Ida Marsh said"));
    }

    #[test]
    fn lower_case_matching_agrees_with_to_lowercase() {
        let lines = [
            "Reporting by Ida Marsh; EDITING BY Tom Quill",
            "(Writing by Ida Marsh)",
            "Zürich: ALL RIGHTS RESERVED",
            // The Kelvin sign lower-cases to `k`, `İ` to `i` and a combining dot.
            "\u{212a}eep reading at WWW.example.com",
            "Bac\u{212a} to top",
            "İ am here",
            "\u{2003}Reporting  by\u{a0}x",
            "a\u{85}b\u{3000}c\u{b}d\u{1c}e\u{2028}f\u{205f}g ü\u{e2}\u{3a3}; Editing by",
            "",
            "r",
        ];
        let needles = [
            "reporting by",
            "; editing by",
            "www.",
            "all rights reserved",
            "back",
        ];
        for line in lines {
            let lower = line.to_lowercase();
            assert_eq!(word_count(line), line.split_whitespace().count(), "{line}");
            for needle in needles.iter().chain(CREDIT_OPENINGS).chain(BIO_ROLES) {
                assert_eq!(
                    contains_lowercase(line, needle),
                    lower.contains(needle),
                    "{line} / {needle}"
                );
                assert_eq!(
                    starts_with_lowercase(line, needle),
                    lower.starts_with(needle),
                    "{line} / {needle}"
                );
            }
        }
        assert!(starts_with_lowercase("İ", "i"));
        assert!(!starts_with_lowercase("İ", "ix"));
    }

    proptest::proptest! {
        #[test]
        fn words_counted_as_split_whitespace_does(
            line in "[a-z \t\u{b}\u{c}\r\u{1c}\u{85}\u{a0}\u{1680}\u{2003}\u{2028}\u{202f}\u{3000}„“–ü東]{0,400}"
        ) {
            proptest::prop_assert_eq!(word_count(&line), line.split_whitespace().count());
        }
    }

    #[test]
    fn phrases_never_overlap_on_word_boundaries() {
        // Where a phrase ends with its own first `k` bytes, a second occurrence can start there;
        // the byte before must be a letter or digit, so that it never stands alone.
        for phrase in STRONG_PHRASES {
            let bytes = phrase.as_bytes();
            for k in 1..bytes.len() {
                if bytes[..k] == bytes[bytes.len() - k..] {
                    assert!(
                        bytes[bytes.len() - k - 1].is_ascii_alphanumeric(),
                        "{phrase}"
                    );
                }
            }
        }
        assert!(contains_any_phrase("please read more here", STRONG_PHRASES));
        assert!(!contains_any_phrase("already more", STRONG_PHRASES));
        assert!(!contains_any_phrase("share thisx", STRONG_PHRASES));
        assert!(contains_any_phrase("x share this", STRONG_PHRASES));
    }

    /// The kept paragraphs, the title and the drops of a dump, as text.
    fn run(text: &str) -> (Option<&str>, Vec<&str>, Vec<(&str, DropReason)>) {
        let dump = classify(text, Trust::Raw);
        let title = dump.main.title.map(|r| &text[r]);
        let kept = dump
            .main
            .paragraphs
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        let dropped = dump
            .dropped
            .iter()
            .map(|(r, why)| (&text[r.clone()], *why))
            .collect();
        (title, kept, dropped)
    }

    const PIER: &str = "Menu\n\
        Pier reopens after winter repairs\n\
        The town pier reopened on Saturday after four months of repairs.\n\
        Anglers were back at the far end by noon.\n\
        Comments\n\
        Great news, I will go on Sunday.\n";

    #[test]
    fn headline_body_and_comments() {
        let (title, kept, dropped) = run(PIER);
        assert_eq!(title, Some("Pier reopens after winter repairs"));
        assert_eq!(kept.len(), 2);
        assert_eq!(dropped[0], ("Menu", DropReason::Furniture));
        assert!(dropped.contains(&("Comments", DropReason::Boundary)));
        assert!(dropped.contains(&(
            "Great news, I will go on Sunday.",
            DropReason::TrailingBlock
        )));
    }

    #[test]
    fn no_headline_when_the_first_line_is_a_sentence() {
        let (title, kept, _) = run("The pier reopened on Saturday.\nAnglers came back by noon.\n");
        assert_eq!(title, None);
        assert_eq!(
            kept,
            [
                "The pier reopened on Saturday.",
                "Anglers came back by noon."
            ]
        );
    }

    #[test]
    fn an_early_boundary_does_not_end_the_article() {
        let text = "Pier reopens after winter repairs\nThe pier reopened on Saturday.\n\
                    Comments\nAnglers were back at the far end by noon.\n";
        let (_, kept, dropped) = run(text);
        assert_eq!(kept.len(), 2);
        assert_eq!(dropped, [("Comments", DropReason::Furniture)]);
    }

    #[test]
    fn subheadings_stay_between_paragraphs_and_fragments_go() {
        let text = "The pier reopened on Saturday.\nWHAT COMES NEXT\n\
                    The council will paint the railings in May.\nWeather\n";
        let (_, kept, dropped) = run(text);
        assert_eq!(kept[1], "WHAT COMES NEXT");
        assert_eq!(dropped, [("Weather", DropReason::Fragment)]);
    }

    #[test]
    fn repeated_captions_and_biographies_go() {
        let text = "The pier reopened on Saturday after four months.\n\
                    Anglers on the pier on Saturday.\nAnglers on the pier on Saturday.\n\
                    The council will paint the railings in May.\n\
                    Image\nIda Marsh\n\
                    Ida Marsh is a local reporter who has covered the harbour since 2024.\n";
        let (_, kept, dropped) = run(text);
        assert_eq!(kept.len(), 2);
        let reasons: Vec<DropReason> = dropped.iter().map(|(_, why)| *why).collect();
        assert_eq!(
            reasons,
            [
                DropReason::Caption,
                DropReason::Caption,
                DropReason::Furniture,
                DropReason::AuthorBio,
                DropReason::AuthorBio
            ]
        );
    }

    #[test]
    fn related_stories_become_embedded() {
        let text = "The pier reopened on Saturday after four months of repairs, the council said.\n\
                    Anglers were back at the far end by noon, and the cafe reopened too.\n\
                    Related Articles\n\
                    Harbour Post\n3 hours ago\n\
                    Lighthouse keeper retires after forty years\n\
                    The last keeper of the Nesodden light retired on Friday after forty years, \
                    handing the lamp over to an automatic system installed last spring.\n\
                    Ferry timetable changes\n";
        let dump = classify(text, Trust::Raw);
        assert_eq!(dump.embedded.len(), 1);
        let story = &dump.embedded[0];
        assert_eq!(
            &text[story.title.clone().unwrap()],
            "Lighthouse keeper retires after forty years"
        );
        assert_eq!(story.paragraphs.len(), 1);
    }

    #[test]
    fn readable_trust_keeps_short_lines_inside_the_body() {
        let text = "The pier reopened on Saturday.\n\nOpening hours\n\n\
                    Daily from eight\n\nThe cafe reopened too.\n\nTags\n\nharbour";
        let dump = classify(text, Trust::Readable);
        assert_eq!(dump.main.paragraphs.len(), 4);
    }

    #[test]
    fn hard_wrapped_text_becomes_blocks() {
        let text = "Storm closes the harbour\n\nThe harbour master closed the port on Monday\n\
                    after the wind rose above storm force and the last\nferry turned back \
                    halfway across the sound, with\nforty passengers on board.\n\nNobody was hurt.\n";
        let units = units(text);
        assert_eq!(units.len(), 3);
        assert!(text[units[1].range.clone()].ends_with("on board."));
    }
}
