//! The derivative kinds: how a copy, an excerpt, a near-copy, a reordered copy and a rewrite
//! are made from a source article.
//!
//! Input: the source's title and paragraphs, its language, a seeded [`Rng`], and for rewrites
//! a few sentences of an unrelated article that may be borrowed. Output: a [`Derived`] article
//! (title, paragraphs) and the names of the transformations that actually changed it, in the
//! order applied. Every function is deterministic for the same input and generator state.
//!
//! Transformations work on real text structure (paragraphs, sentences from
//! `retrace_text::sentences`, words, quotations, numbers), never on shuffled words. Limits:
//! the English phrase table is a few hundred entries and applies no grammar, so a rewrite may
//! read stiffly; German, French and Spanish have small tables and other languages none, so
//! their rewrites change structure, numbers and quotes but little wording.

use super::phrases::Table;
use super::rng::Rng;

/// A derivative kind (the `kind` of `truth.jsonl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// The exact article under another site's page furniture.
    Copy,
    /// A contiguous run of 20–60% of the paragraphs, maybe after an intro of its own.
    Excerpt,
    /// A copy with a few small edits.
    NearCopy,
    /// The paragraphs in another order.
    Reordered,
    /// Reworded and restructured, facts kept (unless a number or quote edit says otherwise).
    Rewrite,
}

impl Kind {
    /// All kinds, in the order the summary lists them.
    pub(crate) const ALL: [Kind; 5] = [
        Kind::Copy,
        Kind::Excerpt,
        Kind::NearCopy,
        Kind::Reordered,
        Kind::Rewrite,
    ];

    /// The name written to `truth.jsonl`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Copy => "copy",
            Kind::Excerpt => "excerpt",
            Kind::NearCopy => "near_copy",
            Kind::Reordered => "reordered",
            Kind::Rewrite => "rewrite",
        }
    }

    /// Whether an article of these paragraphs can become this kind.
    pub(crate) fn fits(self, paragraphs: &[String]) -> bool {
        match self {
            Kind::Excerpt => excerpt_bounds(paragraphs.len()).is_some_and(|(_, hi)| {
                paragraphs
                    .windows(hi)
                    .any(|run| words(run) >= MIN_EXCERPT_WORDS)
            }),
            Kind::Reordered => paragraphs.len() >= 2,
            Kind::Copy | Kind::NearCopy | Kind::Rewrite => !paragraphs.is_empty(),
        }
    }
}

/// A derivative article and how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Derived {
    /// The headline.
    pub(crate) title: String,
    /// The body's paragraphs.
    pub(crate) paragraphs: Vec<String>,
    /// The transformations that changed it, in the order applied.
    pub(crate) transforms: Vec<&'static str>,
    /// Whether a sentence of the donor article was added (rewrites only).
    pub(crate) borrowed: bool,
}

/// What a transformation starts from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    /// The headline.
    pub(crate) title: &'a str,
    /// The body's paragraphs.
    pub(crate) paragraphs: &'a [String],
    /// ISO 639-3 code of the body's language, when known.
    pub(crate) language: Option<&'a str>,
    /// Sentences of an unrelated article in the same language, which a rewrite may borrow one of.
    pub(crate) donor: &'a [String],
}

/// Makes a derivative of `kind` from `input`.
pub(crate) fn derive(kind: Kind, input: Input<'_>, table: &Table, rng: &mut Rng) -> Derived {
    match kind {
        Kind::Copy => Derived {
            title: input.title.to_owned(),
            paragraphs: input.paragraphs.to_vec(),
            transforms: Vec::new(),
            borrowed: false,
        },
        Kind::Excerpt => excerpt(input, rng),
        Kind::NearCopy => near_copy(input, table, rng),
        Kind::Reordered => reordered(input, rng),
        Kind::Rewrite => rewrite(input, table, rng),
    }
}

/// The paragraph counts an excerpt of an `n`-paragraph article may take: 20–60% of `n`,
/// at least one and fewer than all.
pub(crate) fn excerpt_bounds(n: usize) -> Option<(usize, usize)> {
    let lo = (n * 2).div_ceil(10).max(1);
    let hi = (n * 6) / 10;
    (hi >= lo && hi < n).then_some((lo, hi))
}

/// Intros an excerpt may open with: the republishing site's own sentence.
const INTROS: [&str; 6] = [
    "The following is an extract from a longer report.",
    "What follows is part of a report published earlier.",
    "Below, an excerpt from the original coverage.",
    "We reproduce part of the report here.",
    "This extract is taken from an earlier article.",
    "Part of the original article is reproduced below.",
];

/// The fewest words of the source an excerpt holds: a line or two shared by two pages (a
/// table row, a date line, one quoted sentence) is a quotation, not an excerpt, and a page of
/// fragments (a recipe's timings, a product table) gives no excerpt at all.
pub(crate) const MIN_EXCERPT_WORDS: usize = 40;

/// Words in a run of paragraphs.
fn words(run: &[String]) -> usize {
    run.iter().map(|p| p.split_whitespace().count()).sum()
}

fn excerpt(input: Input<'_>, rng: &mut Rng) -> Derived {
    let n = input.paragraphs.len();
    let mut transforms = vec!["excerpt"];
    let (lo, hi) = excerpt_bounds(n).unwrap_or((n, n));
    // A run of at least MIN_EXCERPT_WORDS words: drawn again when too short, else the wordiest
    // run of the most paragraphs allowed.
    let mut run = None;
    for _ in 0..16 {
        let take = rng.range(lo, hi);
        let start = rng.below(n - take + 1);
        if words(&input.paragraphs[start..start + take]) >= MIN_EXCERPT_WORDS {
            run = Some(start..start + take);
            break;
        }
    }
    let run = run.unwrap_or_else(|| {
        let start = (0..=n - hi)
            .max_by_key(|&start| (words(&input.paragraphs[start..start + hi]), n - start))
            .unwrap_or(0);
        start..start + hi
    });
    let mut paragraphs = input.paragraphs[run].to_vec();
    if rng.chance(0.4)
        && let Some(intro) = rng.pick(&INTROS)
    {
        paragraphs.insert(0, (*intro).to_owned());
        transforms.push("intro_added");
    }
    Derived {
        title: input.title.to_owned(),
        paragraphs,
        transforms,
        borrowed: false,
    }
}

fn reordered(input: Input<'_>, rng: &mut Rng) -> Derived {
    let mut order: Vec<usize> = (0..input.paragraphs.len()).collect();
    let identity = order.clone();
    // A shuffle of two or more paragraphs is the identity with probability 1/n!; try again.
    for _ in 0..8 {
        rng.shuffle(&mut order);
        if order != identity {
            break;
        }
    }
    if order == identity && order.len() >= 2 {
        order.swap(0, 1);
    }
    Derived {
        title: input.title.to_owned(),
        paragraphs: order.iter().map(|&i| input.paragraphs[i].clone()).collect(),
        transforms: vec!["paragraphs_reordered"],
        borrowed: false,
    }
}

/// Sentences of one paragraph, trimmed.
pub(crate) fn sentences(paragraph: &str) -> Vec<String> {
    let bounds = retrace_text::sentences::split(paragraph);
    let mut out: Vec<String> = bounds
        .iter()
        .filter_map(|b| paragraph.get(b.range.start as usize..b.range.end as usize))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if out.is_empty() && !paragraph.trim().is_empty() {
        out.push(paragraph.trim().to_owned());
    }
    out
}

fn near_copy(input: Input<'_>, table: &Table, rng: &mut Rng) -> Derived {
    let mut paragraphs: Vec<Vec<String>> = input.paragraphs.iter().map(|p| sentences(p)).collect();
    let mut transforms = Vec::new();
    let edits = rng.range(2, 5);
    for _ in 0..edits {
        let done = match rng.below(5) {
            0 => edit_one_sentence(&mut paragraphs, rng, |s, rng| {
                substitute(s, table, 1.0, Some(1), rng) > 0
            })
            .then_some("word_substituted"),
            // One deleted sentence at most: more would make an excerpt.
            1 if !transforms.contains(&"sentence_deleted") => {
                delete_sentence(&mut paragraphs, rng).then_some("sentence_deleted")
            }
            1 => edit_one_sentence(&mut paragraphs, rng, typo).then_some("typo"),
            2 => edit_one_sentence(&mut paragraphs, rng, change_punctuation)
                .then_some("punctuation_changed"),
            3 => edit_one_sentence(&mut paragraphs, rng, typo).then_some("typo"),
            _ => edit_one_sentence(&mut paragraphs, rng, change_number).then_some("number_changed"),
        };
        if let Some(name) = done {
            transforms.push(name);
        }
    }
    if transforms.is_empty() && edit_one_sentence(&mut paragraphs, rng, typo) {
        transforms.push("typo");
    }
    Derived {
        title: input.title.to_owned(),
        paragraphs: join_paragraphs(paragraphs),
        transforms,
        borrowed: false,
    }
}

/// Applies `edit` to sentences picked at random until one changes (a few tries).
fn edit_one_sentence(
    paragraphs: &mut [Vec<String>],
    rng: &mut Rng,
    mut edit: impl FnMut(&mut String, &mut Rng) -> bool,
) -> bool {
    let total: usize = paragraphs.iter().map(Vec::len).sum();
    for _ in 0..12 {
        let mut pick = rng.below(total);
        for sentences in paragraphs.iter_mut() {
            if pick < sentences.len() {
                if edit(&mut sentences[pick], rng) {
                    return true;
                }
                break;
            }
            pick -= sentences.len();
        }
    }
    false
}

/// Deletes one sentence that is not the first, holds no digit and leaves its paragraph
/// non-empty; false when the article has fewer than four sentences or none qualifies.
fn delete_sentence(paragraphs: &mut [Vec<String>], rng: &mut Rng) -> bool {
    let total: usize = paragraphs.iter().map(Vec::len).sum();
    if total < 4 {
        return false;
    }
    let mut spots = Vec::new();
    for (p, sentences) in paragraphs.iter().enumerate() {
        if sentences.len() < 2 {
            continue;
        }
        for (s, sentence) in sentences.iter().enumerate() {
            if (p, s) != (0, 0) && !has_digit(sentence) {
                spots.push((p, s));
            }
        }
    }
    match rng.pick(&spots) {
        Some(&(p, s)) => {
            paragraphs[p].remove(s);
            true
        }
        None => false,
    }
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

fn join_paragraphs(paragraphs: Vec<Vec<String>>) -> Vec<String> {
    paragraphs
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join(" "))
        .collect()
}

/// Removes one comma, or turns one spaced hyphen into a dash, or one full stop into a
/// semicolon-free exclamation; false when the sentence has none of these.
fn change_punctuation(sentence: &mut String, rng: &mut Rng) -> bool {
    let commas: Vec<usize> = sentence.match_indices(", ").map(|(i, _)| i).collect();
    if let Some(&at) = rng.pick(&commas) {
        sentence.replace_range(at..at + 1, "");
        return true;
    }
    if let Some(at) = sentence.find(" - ") {
        sentence.replace_range(at..at + 3, " – ");
        return true;
    }
    if sentence.ends_with('.') && sentence.len() > 1 {
        sentence.pop();
        sentence.push('!');
        return true;
    }
    false
}

/// Swaps two neighbouring inner letters of a word of six letters or more.
fn typo(sentence: &mut String, rng: &mut Rng) -> bool {
    let words: Vec<(usize, &str)> = word_spans(sentence)
        .into_iter()
        .filter(|&(_, w)| w.len() >= 6 && w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    let Some(&(at, word)) = rng.pick(&words) else {
        return false;
    };
    let bytes = word.as_bytes();
    let i = rng.range(1, bytes.len() - 3);
    if bytes[i] == bytes[i + 1] {
        return false;
    }
    let mut swapped = bytes.to_vec();
    swapped.swap(i, i + 1);
    let Ok(swapped) = String::from_utf8(swapped) else {
        return false;
    };
    sentence.replace_range(at..at + word.len(), &swapped);
    true
}

/// Byte offset and text of each word (letters, digits and inner apostrophes or hyphens).
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inner = start.is_some() && (c == '\'' || c == '’' || c == '-');
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Byte ranges of the numbers in `text`: digit runs with inner `,` or `.` between digits.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if bytes[i].is_ascii_digit() && starts_word {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || ((bytes[i] == b',' || bytes[i] == b'.')
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            let ends_word = i == bytes.len() || !bytes[i].is_ascii_alphabetic();
            if ends_word {
                out.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The numbers written in `text`, in order (for tests).
#[cfg(test)]
fn numbers(text: &str) -> Vec<String> {
    number_spans(text)
        .into_iter()
        .map(|(s, e)| text[s..e].to_owned())
        .collect()
}

/// Changes the value of one number that is not a year: an integer by 5–25% (at least 1),
/// a decimal in its last digit. False when there is none.
fn change_number(sentence: &mut String, rng: &mut Rng) -> bool {
    let spans: Vec<(usize, usize)> = number_spans(sentence)
        .into_iter()
        .filter(|&(s, e)| {
            let n = &sentence[s..e];
            !(n.len() == 4 && (n.starts_with("19") || n.starts_with("20")))
        })
        .collect();
    let Some(&(start, end)) = rng.pick(&spans) else {
        return false;
    };
    let old = sentence[start..end].to_owned();
    let new = if old.contains('.') || (old.contains(',') && !is_grouped(&old)) {
        let mut bytes = old.into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'9' {
            b'7'
        } else {
            bytes[last] + 1
        };
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        let digits: String = old.chars().filter(char::is_ascii_digit).collect();
        let Ok(value) = digits.parse::<u64>() else {
            return false;
        };
        let percent = rng.range(5, 25) as u64;
        let delta = (value * percent / 100).max(1);
        let value = if rng.chance(0.5) && value > delta {
            value - delta
        } else {
            value + delta
        };
        if old.contains(',') {
            group_thousands(value)
        } else {
            value.to_string()
        }
    };
    sentence.replace_range(start..end, &new);
    true
}

/// True for `1,234,567`: commas every three digits.
fn is_grouped(number: &str) -> bool {
    let groups: Vec<&str> = number.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether a quotation mark opens (`Some(true)`), closes (`Some(false)`) or toggles (`None`
/// inside `Option<Option<bool>>`'s `Some(None)`); `None` for any other character.
fn quote_role(c: char) -> Option<Option<bool>> {
    match c {
        '"' => Some(None),
        '“' | '«' | '„' => Some(Some(true)),
        '”' | '»' => Some(Some(false)),
        _ => None,
    }
}

/// Splits `text` into runs outside and inside quotation marks (the marks stay outside).
fn quote_segments(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let Some(role) = quote_role(c) else { continue };
        let opens = role.unwrap_or(!inside);
        if opens && !inside {
            out.push((false, &text[start..i + c.len_utf8()]));
            start = i + c.len_utf8();
            inside = true;
        } else if !opens && inside {
            out.push((true, &text[start..i]));
            start = i;
            inside = false;
        }
    }
    out.push((inside, &text[start..]));
    out.retain(|(_, s)| !s.is_empty());
    out
}

/// Replaces table phrases outside quotations, each with probability `p`, at most `limit`
/// times; a capitalized word is left alone unless it opens the text (names stay). Returns the
/// new text and the number of replacements.
fn substitute(
    text: &mut String,
    table: &Table,
    p: f64,
    limit: Option<usize>,
    rng: &mut Rng,
) -> usize {
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = 0;
    let mut first_word = true;
    for (inside, segment) in quote_segments(text) {
        if inside {
            out.push_str(segment);
            first_word = false;
            continue;
        }
        let (replaced, n) = substitute_plain(
            segment,
            table,
            p,
            limit.map(|l| l.saturating_sub(changed)),
            first_word,
            rng,
        );
        changed += n;
        out.push_str(&replaced);
        first_word = false;
    }
    if changed > 0 {
        *text = out;
    }
    changed
}

fn substitute_plain(
    text: &str,
    table: &Table,
    p: f64,
    limit: Option<usize>,
    mut at_start: bool,
    rng: &mut Rng,
) -> (String, usize) {
    let spans = word_spans(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    let mut changed = 0;
    let mut i = 0;
    while i < spans.len() {
        let (at, word) = spans[i];
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let open = at_start;
        at_start = false;
        // A word joined to another by a hyphen or slash ("6-month") is part of a compound.
        let joined = |c: Option<char>| c.is_some_and(|c| matches!(c, '-' | '‐' | '‑' | '/'));
        if limit.is_some_and(|l| changed >= l)
            || joined(text[..at].chars().next_back())
            || joined(text[at + word.len()..].chars().next())
        {
            i += 1;
            continue;
        }
        // The words that follow, while they are separated by one space each.
        let mut words = vec![word.to_lowercase()];
        let mut j = i;
        while words.len() < 6 && j + 1 < spans.len() {
            let (next_at, next) = spans[j + 1];
            let (prev_at, prev) = spans[j];
            if &text[prev_at + prev.len()..next_at] != " " {
                break;
            }
            words.push(next.to_lowercase());
            j += 1;
        }
        // A capitalized word inside a sentence is a name, unless the entry is a noun of a
        // language that capitalizes nouns.
        let Some(entry) = table
            .longest_match(&words)
            .filter(|e| !capital || open || e.capitalized)
        else {
            i += 1;
            continue;
        };
        if !rng.chance(p) {
            i += 1;
            continue;
        }
        let Some(replacement) = rng.pick(&entry.replacements) else {
            i += 1;
            continue;
        };
        let (last_at, last) = spans[i + entry.words.len() - 1];
        out.push_str(&text[copied..at]);
        if capital && !entry.capitalized {
            out.push_str(&capitalize(replacement));
        } else {
            out.push_str(replacement);
        }
        copied = last_at + last.len();
        changed += 1;
        i += entry.words.len();
    }
    out.push_str(&text[copied..]);
    (out, changed)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lower-cases the first word when it is a common word that is capitalized only because it
/// opens the sentence (never a name).
fn decapitalize(sentence: &str) -> String {
    const COMMON: [&str; 24] = [
        "The", "A", "An", "He", "She", "It", "They", "We", "This", "That", "These", "Those",
        "There", "In", "On", "At", "But", "And", "His", "Her", "Their", "Its", "Some", "Many",
    ];
    let first = sentence.split(' ').next().unwrap_or("");
    if COMMON.contains(&first) {
        let mut chars = sentence.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        sentence.to_owned()
    }
}

/// Sentences that hedge: dropped whole by a rewrite that removes hedges.
const HEDGE_SENTENCES: [&str; 6] = [
    "could not independently confirm",
    "could not independently verify",
    "could not be independently verified",
    "could not be independently confirmed",
    "has not been independently verified",
    "were not immediately available",
];

/// Hedge words: removed from their sentence.
const HEDGE_WORDS: [&str; 5] = [
    "allegedly",
    "reportedly",
    "apparently",
    "purportedly",
    "supposedly",
];

/// Drops hedge sentences and hedge words; returns whether anything changed.
fn remove_hedges(sentences: &mut Vec<String>) -> bool {
    let before = sentences.len();
    sentences.retain(|s| {
        let lower = s.to_lowercase();
        !HEDGE_SENTENCES.iter().any(|h| lower.contains(h))
    });
    let mut changed = sentences.len() != before;
    for sentence in sentences.iter_mut() {
        for word in HEDGE_WORDS {
            for pattern in [format!(", {word},"), format!(" {word}")] {
                if let Some(at) = sentence.find(&pattern) {
                    sentence.replace_range(at..at + pattern.len(), "");
                    changed = true;
                }
            }
        }
    }
    changed
}

/// `"Y, he said."` → `"He said that y."`: the attribution moved to the front.
fn move_attribution(sentence: &str) -> Option<String> {
    let body = sentence.strip_suffix('.')?;
    let (claim, attribution) = body.rsplit_once(", ")?;
    let words: Vec<&str> = attribution.split(' ').collect();
    let verb = *words.last()?;
    if !(2..=5).contains(&words.len()) || !["said", "says", "added"].contains(&verb) {
        return None;
    }
    if claim.split(' ').count() < 5 || claim.ends_with(['"', '”', '»']) || claim.contains('"') {
        return None;
    }
    Some(format!(
        "{} that {}.",
        capitalize(attribution),
        decapitalize(claim)
    ))
}

/// Time phrases a sentence may end with, which a rewrite moves to its front.
const TIME_PHRASES: [&str; 14] = [
    " on Monday",
    " on Tuesday",
    " on Wednesday",
    " on Thursday",
    " on Friday",
    " on Saturday",
    " on Sunday",
    " last week",
    " last month",
    " last year",
    " this week",
    " this month",
    " this year",
    " earlier this year",
];

/// `"The council voted on Monday."` → `"On Monday, the council voted."`.
fn front_time_phrase(sentence: &str) -> Option<String> {
    let body = sentence.strip_suffix('.')?;
    let phrase = TIME_PHRASES.iter().find(|p| body.ends_with(*p))?;
    let rest = &body[..body.len() - phrase.len()];
    if rest.split(' ').count() < 4 || rest.contains(['"', '“', '”']) {
        return None;
    }
    Some(format!(
        "{}, {}.",
        capitalize(phrase.trim_start()),
        decapitalize(rest)
    ))
}

/// Splits at `", and "`, `"; "` or `", which "` when both sides keep four words or more.
fn split_sentence(sentence: &str, english: bool) -> Option<(String, String)> {
    let cuts: &[(&str, &str)] = if english {
        &[(", and ", ""), ("; ", ""), (", which ", "This ")]
    } else {
        &[("; ", "")]
    };
    for &(cut, lead) in cuts {
        let Some(at) = sentence.find(cut) else {
            continue;
        };
        let (left, right) = (&sentence[..at], &sentence[at + cut.len()..]);
        if left.split(' ').count() < 4 || right.split(' ').count() < 4 || left.contains('"') {
            continue;
        }
        let right = if lead.is_empty() {
            capitalize(right)
        } else {
            format!("{lead}{right}")
        };
        return Some((format!("{left}."), right));
    }
    None
}

/// Joins two short sentences: `"A. B."` → `"A, and b."` (English) or `"A; B."`.
fn merge_sentences(a: &str, b: &str, english: bool) -> Option<String> {
    let a_body = a.strip_suffix('.')?;
    if a.split(' ').count() > 22 || b.split(' ').count() > 22 || a_body.ends_with(['.', '"', '”'])
    {
        return None;
    }
    Some(if english {
        format!("{a_body}, and {}", decapitalize(b))
    } else {
        format!("{a_body}; {b}")
    })
}

/// Templated sentences a rewrite may add, with slots.
const ADDED_SUBJECTS: [&str; 6] = [
    "Officials",
    "Observers",
    "Analysts",
    "Local commentators",
    "People familiar with the matter",
    "Critics",
];
const ADDED_VERBS: [&str; 5] = [
    "expect further details",
    "say more information is likely",
    "anticipate new developments",
    "are watching for a formal response",
    "expect the debate to continue",
];
const ADDED_TIMES: [&str; 5] = [
    "in the coming days",
    "later this week",
    "before the end of the month",
    "as the situation develops",
    "once the review is complete",
];

fn templated_sentence(rng: &mut Rng) -> String {
    let subject = rng.pick(&ADDED_SUBJECTS).copied().unwrap_or("Officials");
    let verb = rng
        .pick(&ADDED_VERBS)
        .copied()
        .unwrap_or("expect further details");
    let time = rng.pick(&ADDED_TIMES).copied().unwrap_or("soon");
    format!("{subject} {verb} {time}.")
}

/// A rewrite: hedges removed, attributions moved, sentences dropped, phrases substituted,
/// quotations and numbers edited, sentences split, merged, reordered and regrouped into new
/// paragraphs, and sentences added.
fn rewrite(input: Input<'_>, table: &Table, rng: &mut Rng) -> Derived {
    let english = input.language == Some("eng");
    let mut transforms: Vec<&'static str> = Vec::new();
    let mut note = |name: &'static str, did: bool| {
        if did && !transforms.contains(&name) {
            transforms.push(name);
        }
    };
    let mut paragraphs: Vec<Vec<String>> = input.paragraphs.iter().map(|p| sentences(p)).collect();

    if english {
        let mut hedged = false;
        for sentences in &mut paragraphs {
            hedged |= remove_hedges(sentences);
        }
        note("hedges_removed", hedged);
        let mut moved = false;
        let mut fronted = false;
        for sentence in paragraphs.iter_mut().flatten() {
            if rng.chance(0.7)
                && let Some(new) = move_attribution(sentence)
            {
                *sentence = new;
                moved = true;
            } else if rng.chance(0.7)
                && let Some(new) = front_time_phrase(sentence)
            {
                *sentence = new;
                fronted = true;
            }
        }
        note("attribution_moved", moved);
        note("time_phrase_fronted", fronted);
    }

    // Condense: drop about one sentence in five that carries no number and does not open
    // the article, so that the facts a scan tracks survive.
    let mut dropped = false;
    let total: usize = paragraphs.iter().map(Vec::len).sum();
    if total >= 4 {
        for (p, sentences) in paragraphs.iter_mut().enumerate() {
            let mut index = 0;
            sentences.retain(|s| {
                let keep = (p == 0 && index == 0) || has_digit(s) || !rng.chance(0.2);
                index += 1;
                dropped |= !keep;
                keep
            });
        }
    }
    note("sentences_dropped", dropped);

    let mut substituted = 0;
    for sentence in paragraphs.iter_mut().flatten() {
        substituted += substitute(sentence, table, 1.0, None, rng);
    }
    note("phrases_substituted", substituted > 0);

    let quoted = rng.chance(0.5)
        && edit_one_sentence(&mut paragraphs, rng, |s, rng| alter_quote(s, table, rng));
    note("quote_altered", quoted);
    let numbered = rng.chance(0.4) && edit_one_sentence(&mut paragraphs, rng, change_number);
    note("number_changed", numbered);

    let mut split = false;
    let mut merged = false;
    for sentences in &mut paragraphs {
        let mut out: Vec<String> = Vec::with_capacity(sentences.len() + 2);
        for sentence in sentences.drain(..) {
            if rng.chance(0.7)
                && let Some((a, b)) = split_sentence(&sentence, english)
            {
                out.push(a);
                out.push(b);
                split = true;
                continue;
            }
            if rng.chance(if english { 0.3 } else { 0.5 })
                && let Some(merge) = out
                    .last()
                    .and_then(|a| merge_sentences(a, &sentence, english))
                && let Some(last) = out.last_mut()
            {
                *last = merge;
                merged = true;
                continue;
            }
            out.push(sentence);
        }
        *sentences = out;
    }
    note("sentence_split", split);
    note("sentences_merged", merged);

    let mut reordered = false;
    for sentences in &mut paragraphs {
        if sentences.len() >= 2 && rng.chance(0.6) {
            let i = rng.below(sentences.len() - 1);
            sentences.swap(i, i + 1);
            reordered = true;
        }
    }
    if paragraphs.len() >= 3 && rng.chance(0.7) {
        // A sentence moves to another paragraph (never the opening paragraph's first).
        let from = rng.range(1, paragraphs.len() - 1);
        let to = rng.below(paragraphs.len());
        if from != to && !paragraphs[from].is_empty() {
            let s = rng.below(paragraphs[from].len());
            let moved = paragraphs[from].remove(s);
            let at = rng.range(usize::from(to == 0), paragraphs[to].len());
            let at = at.min(paragraphs[to].len());
            paragraphs[to].insert(at, moved);
            reordered = true;
        }
    }
    note("sentences_reordered", reordered);

    // New paragraphing: another site breaks the same text differently.
    let flat: Vec<String> = paragraphs.into_iter().flatten().collect();
    let mut regrouped: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i < flat.len() {
        let take = rng.range(1, 3).min(flat.len() - i);
        regrouped.push(flat[i..i + take].to_vec());
        i += take;
    }
    note("paragraphs_regrouped", true);

    let mut borrowed = false;
    if !regrouped.is_empty() {
        let additions = rng.range(1, 2);
        for _ in 0..additions {
            let sentence = if rng.chance(0.5) && !input.donor.is_empty() {
                borrowed = true;
                rng.pick(input.donor).cloned().unwrap_or_default()
            } else if english {
                templated_sentence(rng)
            } else {
                continue;
            };
            let p = rng.range(usize::from(regrouped.len() > 1), regrouped.len() - 1);
            let at = rng.range(0, regrouped[p].len());
            regrouped[p].insert(at, sentence);
            note(
                if borrowed {
                    "sentence_borrowed"
                } else {
                    "sentence_added"
                },
                true,
            );
        }
    }

    let mut title = input.title.to_owned();
    substitute(&mut title, table, 0.9, None, rng);
    Derived {
        title,
        paragraphs: join_paragraphs(regrouped),
        transforms,
        borrowed,
    }
}

/// Changes one word inside a quotation of four words or more: a phrase-table replacement
/// where one fits, else the word is dropped.
fn alter_quote(sentence: &mut String, table: &Table, rng: &mut Rng) -> bool {
    let segments = quote_segments(sentence);
    let quotes: Vec<usize> = segments
        .iter()
        .enumerate()
        .filter(|(_, (inside, s))| *inside && s.split(' ').count() >= 4)
        .map(|(i, _)| i)
        .collect();
    let Some(&pick) = rng.pick(&quotes) else {
        return false;
    };
    let quote = segments[pick].1;
    let (mut new, n) = substitute_plain(quote, table, 1.0, Some(1), false, rng);
    if n == 0 {
        let words = word_spans(quote);
        let Some(&(at, word)) = words.get(rng.range(1, words.len().saturating_sub(1))) else {
            return false;
        };
        new = format!("{}{}", &quote[..at], quote[at + word.len()..].trim_start());
    }
    let mut out = String::with_capacity(sentence.len());
    for (i, (_, s)) in segments.iter().enumerate() {
        out.push_str(if i == pick { &new } else { s });
    }
    let changed = out != *sentence;
    *sentence = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "City council approves new budget after long debate";

    /// An invented news article: five paragraphs, numbers, a quote, a hedge.
    const ARTICLE: [&str; 5] = [
        "The city council approved a new budget of 48 million euros on Tuesday, according to officials who attended the meeting.",
        "The plan includes more than 120 new jobs in public transport, and it also raises spending on schools by 7 percent. Critics said the increase was too small.",
        "\"We have made difficult choices, but this budget protects the services people need most,\" the mayor told reporters after the vote. The opposition reportedly plans to challenge the decision in court.",
        "Local businesses were divided over the proposal. Some owners said the new parking fees would hurt their customers, while others welcomed the investment in the historic centre, which has struggled since 2019.",
        "The council will meet again in March to discuss the details. Reporters could not independently confirm the final vote count. Residents can read the full plan on the city website.",
    ];

    fn input<'a>(paragraphs: &'a [String], donor: &'a [String]) -> Input<'a> {
        Input {
            title: TITLE,
            paragraphs,
            language: Some("eng"),
            donor,
        }
    }

    fn paragraphs() -> Vec<String> {
        ARTICLE.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn excerpt_is_a_contiguous_run_of_20_to_60_percent() {
        let source = paragraphs();
        let table = Table::for_language(Some("eng"));
        for seed in 0..50 {
            let mut rng = Rng::new(seed);
            let derived = derive(Kind::Excerpt, input(&source, &[]), &table, &mut rng);
            let body: &[String] = if derived.transforms.contains(&"intro_added") {
                &derived.paragraphs[1..]
            } else {
                &derived.paragraphs
            };
            assert!((1..=3).contains(&body.len()), "{} paragraphs", body.len());
            let start = source
                .iter()
                .position(|p| *p == body[0])
                .expect("first paragraph");
            assert_eq!(&source[start..start + body.len()], body);
            assert!(words(body) >= MIN_EXCERPT_WORDS, "{body:?}");
        }
        assert_eq!(excerpt_bounds(1), None);
        assert_eq!(excerpt_bounds(2), Some((1, 1)));
        assert_eq!(excerpt_bounds(10), Some((2, 6)));
    }

    #[test]
    fn a_page_of_fragments_gives_no_excerpt() {
        let fragments: Vec<String> = [
            "25 Min.",
            "Preparation",
            "Baking 3 hrs.",
            "10 Min.",
            "Cooling",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
        assert!(!Kind::Excerpt.fits(&fragments));
        assert!(Kind::Copy.fits(&fragments));
        assert!(Kind::Excerpt.fits(&paragraphs()));
    }

    #[test]
    fn reordered_keeps_every_paragraph_in_another_order() {
        let source = paragraphs();
        let table = Table::for_language(Some("eng"));
        let derived = derive(
            Kind::Reordered,
            input(&source, &[]),
            &table,
            &mut Rng::new(3),
        );
        assert_ne!(derived.paragraphs, source);
        let mut a = derived.paragraphs.clone();
        let mut b = source.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn copy_is_exact() {
        let source = paragraphs();
        let table = Table::for_language(Some("eng"));
        let derived = derive(Kind::Copy, input(&source, &[]), &table, &mut Rng::new(3));
        assert_eq!(derived.paragraphs, source);
        assert_eq!(derived.title, TITLE);
    }

    #[test]
    fn near_copy_edits_a_little() {
        let source = paragraphs();
        let table = Table::for_language(Some("eng"));
        for seed in 0..20 {
            let derived = derive(
                Kind::NearCopy,
                input(&source, &[]),
                &table,
                &mut Rng::new(seed),
            );
            assert!(!derived.transforms.is_empty());
            assert_ne!(derived.paragraphs, source, "seed {seed}");
            let j = super::super::shingle::jaccard(
                &source.join("\n\n"),
                &derived.paragraphs.join("\n\n"),
            );
            assert!(j > 0.6, "seed {seed}: jaccard {j} {:?}", derived.transforms);
        }
    }

    #[test]
    fn rewrite_shares_few_shingles_and_keeps_its_numbers() {
        let source = paragraphs();
        let donor = vec!["A storm closed the mountain pass for two days.".to_owned()];
        let table = Table::for_language(Some("eng"));
        let mut total = 0.0;
        for seed in 0..20 {
            let derived = derive(
                Kind::Rewrite,
                input(&source, &donor),
                &table,
                &mut Rng::new(seed),
            );
            let text = derived.paragraphs.join("\n\n");
            let j = super::super::shingle::jaccard(&source.join("\n\n"), &text);
            total += j;
            assert!(j < 0.35, "seed {seed}: jaccard {j}\n{text}");
            assert!(derived.transforms.contains(&"phrases_substituted"));
            assert!(derived.transforms.contains(&"hedges_removed"));
            assert!(!text.contains("reportedly") && !text.contains("independently confirm"));
            if !derived.transforms.contains(&"number_changed") {
                for number in ["48", "120", "7", "2019"] {
                    assert!(
                        numbers(&text).iter().any(|n| n == number),
                        "seed {seed}: {number} lost\n{text}"
                    );
                }
            }
        }
        assert!(total / 20.0 < 0.2, "mean jaccard {}", total / 20.0);
    }

    #[test]
    fn number_and_quote_edits_change_what_they_say() {
        let mut rng = Rng::new(1);
        let mut s = "The plan adds 1,200 jobs in 2024.".to_owned();
        assert!(change_number(&mut s, &mut rng));
        assert!(s.contains("2024") && !s.contains("1,200 "), "{s}");
        let table = Table::for_language(Some("eng"));
        let mut q = "\"We have made difficult choices today,\" she said.".to_owned();
        assert!(alter_quote(&mut q, &table, &mut rng));
        assert!(q.ends_with(",\" she said."), "{q}");
        assert_ne!(q, "\"We have made difficult choices today,\" she said.");
    }

    #[test]
    fn sentences_split_merge_and_attributions_move() {
        assert_eq!(
            split_sentence(
                "The council met on Monday, and the mayor spoke for an hour.",
                true
            ),
            Some((
                "The council met on Monday.".to_owned(),
                "The mayor spoke for an hour.".to_owned()
            ))
        );
        assert_eq!(
            merge_sentences("The vote was close.", "The mayor was pleased.", true).as_deref(),
            Some("The vote was close, and the mayor was pleased.")
        );
        assert_eq!(
            front_time_phrase("The council voted for the new budget on Monday.").as_deref(),
            Some("On Monday, the council voted for the new budget.")
        );
        assert_eq!(
            move_attribution("The budget protects the most needed services, the mayor said.")
                .as_deref(),
            Some("The mayor said that the budget protects the most needed services.")
        );
    }
}
