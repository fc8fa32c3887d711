//! Direct quotations and their speakers.
//!
//! Quote marks are paired within a paragraph. A paragraph ends at a blank line, or at a line
//! break after `.`, `!`, `?`, `:` or a quote mark (a hard-wrapped line inside a sentence does
//! not end it). Normalized text has one double mark, `"`, for both ends, so marks alternate;
//! a mark with spaces on both sides is a stray and is skipped, and an opening mark met while a
//! quotation is open (space before, word after) restarts it. A quotation left open at the end
//! of a paragraph that it began runs to the paragraph end (the convention for quotations that
//! span paragraphs); any other unclosed mark is dropped.
//!
//! Single quotes ('...', the British convention) count outside double quotes when the opening
//! `'` follows a space, a bracket or the paragraph start and precedes a letter, and the closing
//! `'` follows a non-space and precedes a space, punctuation or the end. A plural possessive
//! (`the fighters' trucks`) is not a closing mark; elisions ('90s, 'til) are not openings.
//!
//! The speaker is found near the quotation, in this order: right after it (`," said Dana
//! Idris`, `," she said`, `," Idris, a nurse, said`); right before it (`Idris said: "`,
//! `according to Idris, "`, `she told Reuters "`); in the previous sentence when it ends with a
//! colon; and, for a quotation that makes up the start of its sentence, the speaker of a
//! quotation in the sentence before. A pronoun speaker stays a pronoun ("he").
//!
//! A quotation of at most three words with no speaker and no speech verb near it (six words
//! before, three after) is a scare quote (`called for a "general mobilization"`).

use std::ops::Range;

use super::attribution::{is_speech_verb, source_after, subject_before};
use super::words::Words;
use super::{Fact, FactKind, range32};

/// A direct quotation.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuoteFact {
    /// The words inside the marks, trimmed of surrounding spaces.
    pub text: String,
    /// Who said it, as written: a name ("Dana Idris"), a pronoun ("he") or a short noun phrase
    /// ("a police spokesman").
    pub speaker: Option<String>,
    /// A short quotation with no speaker: a term held at arm's length ("general mobilization").
    pub scare: bool,
}

/// A quotation found in the text.
#[derive(Debug)]
struct Found {
    /// The byte range from the opening mark to past the closing mark.
    outer: Range<usize>,
    /// The byte range inside the marks.
    inner: Range<usize>,
}

/// Finds the quotations of `text` and adds each to the sentence of `sents` where it opens.
pub(super) fn find(text: &str, sents: &[Range<usize>], result: &mut [Vec<Fact>]) {
    let found = scan(text);
    let mut w = Words::new(text);
    // The speaker and closing sentence of the last quotation, for quotations that continue.
    let mut last: Option<(usize, Option<String>)> = None;
    for q in found {
        let Some(s_open) =
            sentence_of(sents, q.outer.start).or_else(|| sentence_of(sents, q.inner.start))
        else {
            continue;
        };
        let s_close = sentence_of(sents, q.inner.end.saturating_sub(1).max(q.inner.start))
            .unwrap_or(s_open)
            .max(s_open);
        let mut speaker = speaker_after(&mut w, &q, &sents[s_close])
            .or_else(|| speaker_before(&mut w, q.outer.start, &sents[s_open], false));
        let opens_sentence = text[sents[s_open].start..q.outer.start.max(sents[s_open].start)]
            .trim()
            .is_empty();
        if speaker.is_none() && opens_sentence && s_open > 0 {
            let prev = &sents[s_open - 1];
            if text[prev.clone()].trim_end().ends_with(':') {
                speaker = speaker_before(&mut w, prev.end, prev, true);
            }
            if speaker.is_none()
                && let Some((closed_in, who)) = &last
                && *closed_in + 1 >= s_open
            {
                speaker.clone_from(who);
            }
        }
        let inner = text[q.inner.clone()].trim();
        let words = inner.split_whitespace().count();
        let scare =
            words <= 3 && speaker.is_none() && !speech_verb_near(&mut w, &q, &sents[s_open]);
        last = Some((s_close, speaker.clone()));
        let fact = QuoteFact {
            text: inner.to_owned(),
            speaker,
            scare,
        };
        if let (Some(range), Some(out)) = (range32(q.outer.clone()), result.get_mut(s_open)) {
            out.push(Fact {
                kind: FactKind::Quote(fact),
                range,
            });
        }
    }
}

/// The index of the sentence that contains byte `pos`.
fn sentence_of(sents: &[Range<usize>], pos: usize) -> Option<usize> {
    let k = sents.partition_point(|s| s.end <= pos);
    match sents.get(k) {
        Some(s) if s.start <= pos && pos < s.end => Some(k),
        _ => sents.iter().position(|s| s.start <= pos && pos < s.end),
    }
}

/// Whether a speech verb stands within six words before the quotation or three after it, in
/// the sentence where it opens.
fn speech_verb_near(w: &mut Words<'_>, q: &Found, sent: &Range<usize>) -> bool {
    let is_verb = |w: &Words<'_>, k: usize| {
        is_speech_verb(w.lo(k)) || (w.lo(k) == "according" && w.lo(k + 1) == "to")
    };
    w.scan(sent.start..q.outer.start.clamp(sent.start, sent.end));
    if (w.len().saturating_sub(6)..w.len()).any(|k| is_verb(w, k)) {
        return true;
    }
    w.scan(q.outer.end.clamp(sent.start, sent.end)..sent.end);
    (0..w.len().min(3)).any(|k| is_verb(w, k))
}

/// A speaker named right after the closing mark, within its sentence.
fn speaker_after(w: &mut Words<'_>, q: &Found, sent: &Range<usize>) -> Option<String> {
    let text = w.text();
    let from = q.outer.end;
    let mut to = sent
        .end
        .max(from)
        .min(from.saturating_add(240))
        .min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let window = text.get(from..to)?;
    let to = from + window.find('"').unwrap_or(window.len());
    w.scan(from..to);
    if w.len() == 0 || w.gap(0).contains(['.', '?', '!']) {
        return None;
    }
    // `," said Dana Idris`
    if is_speech_verb(w.lo(0)) {
        return source_after(w, 1).map(|(_, s)| s);
    }
    // `," she said`, `," Idris added`, `," the ministry has said`
    for v in 1..w.len().min(6) {
        if is_speech_verb(w.lo(v))
            && let Some((0, s)) = subject_before(w, v)
        {
            return Some(s);
        }
    }
    // `," Idris, a nurse, said`
    let (e, name) = source_after(w, 0)?;
    if !w.gap(e).contains(',') {
        return None;
    }
    (e..w.len().min(e + 8))
        .find(|&v| is_speech_verb(w.lo(v)) && w.gap(v).contains(','))
        .map(|_| name)
}

/// A speaker named before the opening mark at `open`, within `sent`. With `anywhere` (or when
/// a colon introduces the quotation) the speech verb may be anywhere before it; otherwise it
/// must be among the last five words.
fn speaker_before(
    w: &mut Words<'_>,
    open: usize,
    sent: &Range<usize>,
    anywhere: bool,
) -> Option<String> {
    let text = w.text();
    let end = open.clamp(sent.start, sent.end);
    w.scan(sent.start..end);
    let n = w.len();
    if n == 0 {
        return None;
    }
    let colon = text[sent.start..end].trim_end().ends_with([':', ',']);
    let reach = if anywhere || colon { n } else { 5 };
    let v = (n.saturating_sub(reach)..n)
        .rev()
        .find(|&k| is_speech_verb(w.lo(k)) || (w.lo(k) == "according" && w.lo(k + 1) == "to"))?;
    if w.lo(v) == "according" {
        return source_after(w, v + 2).map(|(_, s)| s);
    }
    if let Some((_, s)) = subject_before(w, v) {
        return Some(s);
    }
    source_after(w, v + 1).map(|(_, s)| s)
}

/// Paragraph ranges: split at blank lines and at line breaks that end a sentence.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let before = text[start..i].trim_end_matches([' ', '\r']);
        let ends = before.ends_with(['.', '!', '?', ':', '"', '\''])
            || bytes.get(i + 1) == Some(&b'\n')
            || before.trim().is_empty();
        if ends {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// All quotations of `text`, in order.
fn scan(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for para in paragraphs(text) {
        let first = out.len();
        scan_double(text, para.clone(), &mut out);
        let doubles: Vec<Range<usize>> = out[first..].iter().map(|q| q.outer.clone()).collect();
        scan_single(text, para, &doubles, &mut out);
        out[first..].sort_by_key(|q| q.outer.start);
    }
    out
}

fn space_or_none(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace())
}

fn scan_double(text: &str, para: Range<usize>, out: &mut Vec<Found>) {
    let p = &text[para.clone()];
    let mut open: Option<usize> = None;
    for (i, _) in p.match_indices('"') {
        let before = p[..i].chars().next_back();
        let after = p[i + 1..].chars().next();
        let opener_like = space_or_none(before)
            || before.is_some_and(|c| matches!(c, '(' | '[' | '-' | '/' | '\''));
        match open {
            None => {
                if !space_or_none(after) {
                    open = Some(i);
                }
            }
            Some(o) => {
                if !space_or_none(before) || i == o + 1 {
                    if i > o + 1 {
                        out.push(Found {
                            outer: para.start + o..para.start + i + 1,
                            inner: para.start + o + 1..para.start + i,
                        });
                    }
                    open = None;
                } else if opener_like && !space_or_none(after) {
                    open = Some(i);
                }
            }
        }
    }
    if let Some(o) = open
        && p[..o].trim().is_empty()
        && p.len() > o + 1
    {
        out.push(Found {
            outer: para.start + o..para.end,
            inner: para.start + o + 1..para.end,
        });
    }
}

fn scan_single(text: &str, para: Range<usize>, doubles: &[Range<usize>], out: &mut Vec<Found>) {
    let p = &text[para.clone()];
    let inside = |pos: usize| doubles.iter().any(|d| d.start <= pos && pos < d.end);
    let mut from = 0;
    while let Some(rel) = p[from..].find('\'') {
        let o = from + rel;
        from = o + 1;
        if inside(para.start + o) {
            continue;
        }
        let before = p[..o].chars().next_back();
        let after = p[o + 1..].chars().next();
        let opens = (space_or_none(before)
            || before.is_some_and(|c| matches!(c, '(' | '[' | '-' | ':')))
            && after.is_some_and(char::is_alphabetic)
            && !["til ", "em ", "cause ", "n ", "tis "]
                .iter()
                .any(|e| p[o + 1..].starts_with(e));
        if !opens {
            continue;
        }
        let limit = (o + 600).min(p.len());
        let mut close = None;
        let mut k = o + 1;
        while let Some(rel) = p.get(k..limit).and_then(|s| s.find('\'')) {
            let c = k + rel;
            k = c + 1;
            let before = p[..c].chars().next_back();
            let after = p[c + 1..].chars().next();
            if space_or_none(before) || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            // `the fighters' trucks`: a plural possessive, not a closing mark.
            let rest = &p[c + 1..];
            let possessive = before == Some('s')
                && rest.starts_with(' ')
                && rest[1..].starts_with(|ch: char| ch.is_lowercase());
            if possessive {
                continue;
            }
            close = Some(c);
            break;
        }
        let Some(c) = close else { continue };
        if inside(para.start + c) {
            continue;
        }
        out.push(Found {
            outer: para.start + o..para.start + c + 1,
            inner: para.start + o + 1..para.start + c,
        });
        from = c + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotations of a text whose sentences end at `.`, `?`, `!` (plus a closing mark).
    fn quotes(text: &str) -> Vec<(String, Option<String>, bool)> {
        let mut sents = Vec::new();
        let mut start = 0;
        let b = text.as_bytes();
        for i in 0..b.len() {
            if matches!(b[i], b'.' | b'?' | b'!' | b'\n') {
                let mut end = i + 1;
                while end < b.len() && matches!(b[end], b'"' | b'\'') {
                    end += 1;
                }
                if end < b.len() && b[end] != b' ' && b[end] != b'\n' {
                    continue;
                }
                if end > start {
                    sents.push(start..end);
                }
                start = end;
            }
        }
        if start < text.len() {
            sents.push(start..text.len());
        }
        let mut result = vec![Vec::new(); sents.len()];
        find(text, &sents, &mut result);
        result
            .into_iter()
            .flatten()
            .map(|f| match f.kind {
                FactKind::Quote(q) => (q.text, q.speaker, q.scare),
                _ => unreachable!(),
            })
            .collect()
    }

    fn q(text: &str, speaker: Option<&str>, scare: bool) -> (String, Option<String>, bool) {
        (text.to_owned(), speaker.map(str::to_owned), scare)
    }

    #[test]
    fn speakers_after_and_before() {
        assert_eq!(
            quotes("\"The water came at night,\" said Dana Idris, a teacher in Marwa."),
            [q("The water came at night,", Some("Dana Idris"), false)]
        );
        assert_eq!(
            quotes("\"We stayed,\" she said."),
            [q("We stayed,", Some("she"), false)]
        );
        assert_eq!(
            quotes("\"We stayed,\" Idris, a nurse, said."),
            [q("We stayed,", Some("Idris"), false)]
        );
        assert_eq!(
            quotes("Omar Rifai told Reuters: \"Nobody came to help us.\""),
            [q("Nobody came to help us.", Some("Omar Rifai"), false)]
        );
        assert_eq!(
            quotes("The mayor conceded that in truth \"many things went wrong\" that week."),
            [q("many things went wrong", Some("mayor"), false)]
        );
    }

    #[test]
    fn continued_and_multi_sentence_quotes() {
        let got = quotes(
            "\"Run,\" recounted Omar Rifai. \"My brother was shouting: Run now. They are here.\"",
        );
        assert_eq!(
            got[1],
            q(
                "My brother was shouting: Run now. They are here.",
                Some("Omar Rifai"),
                false
            )
        );
    }

    #[test]
    fn scare_quotes() {
        assert_eq!(
            quotes("Posts called for a \"general rising\" - or \"al hamla\" - against them."),
            [q("general rising", None, true), q("al hamla", None, true)]
        );
    }

    #[test]
    fn single_quotes_and_apostrophes() {
        assert_eq!(
            quotes(
                "'Pray for us. They've come': how the town fell in the fighters' trucks in the '90s."
            ),
            [q("Pray for us. They've come", None, false)]
        );
        assert_eq!(quotes("Rifai's sons don't know the 90s' songs."), []);
        assert_eq!(
            quotes("He called it 'heartbreaking', she said."),
            [q("heartbreaking", Some("she"), false)]
        );
        assert_eq!(
            quotes("\"My father said: 'Pray for us.'\""),
            [q("My father said: 'Pray for us.'", None, false)]
        );
    }

    #[test]
    fn unbalanced_and_stray_marks() {
        assert_eq!(
            quotes("A 12\" pipe \"burst\" twice."),
            [q("burst", None, true)]
        );
        assert_eq!(
            quotes("\"It went on and on\n\nNext paragraph."),
            [q("It went on and on", None, false)]
        );
        assert_eq!(quotes("She said \"no"), []);
    }
}
