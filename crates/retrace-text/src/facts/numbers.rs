//! Numbers with what they count: "more than 120 dead bodies", "595 civilians", "70% of the
//! population", "hundreds of thousands of Syrians", "two million residents".
//!
//! Recognized forms: digits with thousands separators and decimals ("1,000", "1.5"), digits
//! with a unit glued on ("625ft", "5bn"), a currency sign before ("$5m"), number words ("one" to
//! "ninety-nine"), scale words after either ("2 million", "two hundred"), "a dozen", ranges
//! ("10-15"), percentages ("70%", "70 percent") and vague quantities ("dozens", "hundreds of
//! thousands"), which get the magnitude as value and `vague: true`.
//!
//! Numbers inside dates, times and durations are claimed by those extractors first and are not
//! reported here. Ordinals ("7th") and decades ("1990s") are not numbers.

use std::ops::Range;

use super::words::{CAP, HAS_DIGIT, HYPHEN, NUM, Words};
use super::{Fact, FactKind, range32};

/// A number and what it counts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NumberFact {
    /// The value, with scale words applied ("2 million" is 2000000). For a vague quantity the
    /// magnitude: "dozens" 12, "hundreds" 100, "hundreds of thousands" 100000.
    pub value: f64,
    /// The upper end of a range ("10-15" has value 10 and value_end 15).
    pub value_end: Option<f64>,
    /// The number as written, without qualifier or counted noun ("1,000", "two million").
    pub text: String,
    /// A unit written with the number: "%" for "70%" and "70 percent", a currency sign, or a
    /// glued suffix such as "ft" or "km".
    pub unit: Option<String>,
    /// The noun it counts, lowercased ("bodies", "survivors", "people"), when one follows.
    pub counts: Option<String>,
    /// The qualifier before it, lowercased ("more than", "at least", "about", "nearly",
    /// "almost", "some", "up to", "over"); for a vague quantity without one, the vague word
    /// itself ("dozens", "hundreds").
    pub qualifier: Option<String>,
    /// The quantity is vague ("dozens", "hundreds of thousands"), not a count.
    pub vague: bool,
}

/// A number parsed at some word.
#[derive(Debug)]
pub(super) struct Num {
    /// The value, scale applied.
    pub(super) value: f64,
    /// The upper end of a range.
    pub(super) value_end: Option<f64>,
    /// One past the last word of the number (scale words, "percent" included).
    pub(super) end: usize,
    /// Byte range of the number, a currency sign and a "%" included.
    pub(super) bytes: Range<usize>,
    /// The vague word when the quantity is vague.
    pub(super) vague: Option<&'static str>,
    /// The unit, if any.
    pub(super) unit: Option<String>,
}

/// The value of a number word, "zero" to "ninety-nine" (hyphenated compounds included).
pub(super) fn word_value(lo: &str) -> Option<f64> {
    let simple = |s: &str| -> Option<f64> {
        Some(match s {
            "zero" => 0.0,
            "one" => 1.0,
            "two" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            "eleven" => 11.0,
            "twelve" => 12.0,
            "thirteen" => 13.0,
            "fourteen" => 14.0,
            "fifteen" => 15.0,
            "sixteen" => 16.0,
            "seventeen" => 17.0,
            "eighteen" => 18.0,
            "nineteen" => 19.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "fifty" => 50.0,
            "sixty" => 60.0,
            "seventy" => 70.0,
            "eighty" => 80.0,
            "ninety" => 90.0,
            _ => return None,
        })
    };
    // A byte scan: `split_once` sets up a searcher, which costs more than these short words.
    match lo
        .bytes()
        .position(|b| b == b'-')
        .map(|k| (&lo[..k], &lo[k + 1..]))
    {
        Some((tens, ones)) => {
            let t = simple(tens)?;
            let o = simple(ones)?;
            (t >= 20.0 && t % 10.0 == 0.0 && (1.0..10.0).contains(&o)).then_some(t + o)
        }
        None => simple(lo),
    }
}

/// The factor of a scale word ("million").
fn scale(lo: &str) -> Option<f64> {
    Some(match lo {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mn" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" => 1e12,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// The magnitude of a vague quantity word ("dozens").
fn vague_value(lo: &str) -> Option<(f64, &'static str)> {
    Some(match lo {
        "tens" => (10.0, "tens"),
        "dozens" => (12.0, "dozens"),
        "scores" => (20.0, "scores"),
        "hundreds" => (1e2, "hundreds"),
        "thousands" => (1e3, "thousands"),
        "millions" => (1e6, "millions"),
        "billions" => (1e9, "billions"),
        _ => return None,
    })
}

/// Digits with separators and decimals, then an alphabetic suffix: `("1,000", "")`,
/// `(625, "ft")`. None when anything else is in the word.
pub(super) fn digits_value(raw: &str) -> Option<(f64, &str)> {
    let cut = raw
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(raw.len());
    let (num, suffix) = raw.split_at(cut);
    if num.is_empty() || !suffix.chars().all(char::is_alphabetic) || num.ends_with(['.', ',']) {
        return None;
    }
    if num.matches('.').count() > 1 {
        return None;
    }
    let cleaned: String = num.chars().filter(|&c| c != ',').collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, suffix))
}

/// Whether word `i` starts a number or quantity ("40", "forty", "dozens", "a dozen").
pub(super) fn is_numberish(w: &Words<'_>, i: usize) -> bool {
    let lo = w.lo(i);
    if w.is(i, NUM) {
        return digits_value(w.raw(i)).is_some();
    }
    word_value(lo).is_some()
        || vague_value(lo).is_some_and(|(_, v)| v != "tens" || w.lo(i + 1) == "of")
        || (matches!(lo, "a" | "an") && scale(w.lo(i + 1)).is_some())
}

/// Parses the number that starts at word `i`.
pub(super) fn parse_at(w: &Words<'_>, i: usize) -> Option<Num> {
    let raw = w.raw(i);
    let lo = w.lo(i);
    let mut vague = None;
    let mut value_end = None;
    let mut unit = None;
    let mut j = i + 1;
    let text = w.text();
    let mut start = w.tok(i).start;
    let currency = text[..start]
        .chars()
        .next_back()
        .filter(|c| matches!(c, '$' | '€' | '£' | '¥'));
    let mut value;
    if w.is(i, NUM) {
        if raw.contains([':', '/']) {
            return None;
        }
        if let Some((a, b)) = raw.split_once('-') {
            let (a, sa) = digits_value(a)?;
            let (b, sb) = digits_value(b)?;
            if !sa.is_empty() || !sb.is_empty() || b <= a {
                return None;
            }
            value = a;
            value_end = Some(b);
        } else {
            let (v, suffix) = digits_value(raw)?;
            value = v;
            match suffix {
                "" => {}
                "st" | "nd" | "rd" | "th" | "am" | "pm" | "s" => return None,
                "k" => value *= 1e3,
                "m" | "mn" if currency.is_some() => value *= 1e6,
                "mn" => value *= 1e6,
                "bn" | "b" => value *= 1e9,
                other => unit = Some(other.to_owned()),
            }
        }
    } else if let Some(v) = word_value(lo) {
        value = v;
    } else if matches!(lo, "a" | "an") && scale(w.lo(i + 1)).is_some() && w.joined(i + 1) {
        value = 1.0;
    } else if let Some((v, name)) = vague_value(lo) {
        value = v;
        vague = Some(name);
        // "hundreds of thousands of": each further vague word multiplies.
        while w.lo(j) == "of" && w.joined(j) && w.joined(j + 1) {
            match vague_value(w.lo(j + 1)) {
                Some((m, _)) if m > value => {
                    value *= m;
                    j += 2;
                }
                _ => break,
            }
        }
        if name == "tens" && j == i + 1 {
            return None;
        }
    } else {
        return None;
    }
    if vague.is_none() {
        while j < w.len() && w.joined(j) {
            if let Some(s) = scale(w.lo(j)) {
                value *= s;
                j += 1;
                if s == 1e2
                    && w.lo(j) == "and"
                    && let Some(v) = word_value(w.lo(j + 1)).filter(|_| w.joined(j + 1))
                {
                    value += v;
                    j += 2;
                }
            } else {
                break;
            }
        }
    }
    let mut end_byte = w.tok(j - 1).end;
    if text[end_byte..].starts_with('%') {
        unit = Some("%".to_owned());
        end_byte += 1;
    } else if w.lo(j) == "percent" && w.joined(j) {
        unit = Some("%".to_owned());
        end_byte = w.tok(j).end;
        j += 1;
    } else if w.lo(j) == "per" && w.lo(j + 1) == "cent" && w.run_joined(j, j + 2) {
        unit = Some("%".to_owned());
        end_byte = w.tok(j + 1).end;
        j += 2;
    }
    if let Some(c) = currency
        && unit.is_none()
    {
        unit = Some(c.to_string());
        start -= c.len_utf8();
    }
    Some(Num {
        value,
        value_end,
        end: j,
        bytes: start..end_byte,
        vague,
        unit,
    })
}

/// Qualifiers of a number, longest first within each first word.
const QUALIFIERS: &[&str] = &[
    "no more than",
    "no fewer than",
    "no less than",
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "as many as",
    "as much as",
    "as few as",
    "close to",
    "upwards of",
    "in excess of",
    "just over",
    "just under",
    "well over",
    "an estimated",
    "estimated",
    "over",
    "under",
    "about",
    "around",
    "roughly",
    "approximately",
    "nearly",
    "almost",
    "some",
    "only",
    "exactly",
    "just",
];

/// The qualifier that ends right before word `i`: its first word and its text.
pub(super) fn qualifier_before(w: &Words<'_>, i: usize) -> Option<(usize, &'static str)> {
    let last = w.lo(i.wrapping_sub(1));
    if i == 0
        || !QUALIFIERS
            .iter()
            .any(|q| q.rsplit(' ').next() == Some(last))
    {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for q in QUALIFIERS {
        let n = q.split(' ').count();
        if n > i || best.is_some_and(|(b, _)| i - b >= n) {
            continue;
        }
        let from = i - n;
        if !w.run_joined(from, i + 1) {
            continue;
        }
        if q.split(' ')
            .enumerate()
            .all(|(k, part)| w.lo(from + k) == part)
        {
            best = Some((from, q));
        }
    }
    best
}

/// Words that end the search for a counted noun.
fn is_function_word(lo: &str) -> bool {
    matches!(
        lo,
        "and"
            | "or"
            | "but"
            | "in"
            | "on"
            | "at"
            | "to"
            | "of"
            | "for"
            | "from"
            | "with"
            | "by"
            | "were"
            | "was"
            | "is"
            | "are"
            | "had"
            | "have"
            | "has"
            | "been"
            | "be"
            | "will"
            | "would"
            | "who"
            | "which"
            | "that"
            | "the"
            | "a"
            | "an"
            | "as"
            | "than"
            | "when"
            | "after"
            | "before"
            | "per"
            | "said"
            | "says"
            | "more"
            | "over"
            | "during"
            | "each"
            | "across"
            | "into"
            | "this"
            | "these"
            | "those"
            | "them"
            | "us"
            | "you"
            | "it"
            | "they"
            | "we"
            | "he"
            | "she"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "not"
            | "no"
            | "so"
            | "if"
            | "while"
            | "since"
            | "until"
            | "about"
            | "under"
            | "out"
            | "up"
            | "down"
            | "off"
            | "all"
            | "others"
            | "first"
            | "last"
            | "such"
            | "is'nt"
            | "can"
            | "could"
            | "may"
            | "might"
            | "did"
            | "do"
            | "does"
            | "also"
    )
}

/// Plural-looking nouns, including the irregular ones news counts most.
pub(super) fn is_plural(lo: &str) -> bool {
    matches!(
        lo,
        "people"
            | "children"
            | "men"
            | "women"
            | "police"
            | "personnel"
            | "staff"
            | "feet"
            | "teeth"
            | "cattle"
            | "sheep"
            | "livestock"
            | "aircraft"
            | "militia"
            | "youth"
    ) || (lo.len() > 3
        && lo.ends_with('s')
        && !lo.ends_with("ss")
        && !lo.ends_with("us")
        && !lo.ends_with("is")
        && !lo.ends_with("'s")
        && lo.chars().all(|c| c.is_alphabetic() || c == '-'))
}

/// The noun a number counts, searched in the words from `k`: the first plural within four
/// words, otherwise the first lowercase word among them. Returns its index and the noun,
/// lowercased. A dash glued between words by normalization ("vehicles-including") is read as
/// a break, so the part before it can be the noun.
pub(super) fn counted<'w>(w: &'w Words<'_>, k: usize) -> Option<(usize, &'w str)> {
    // The gap after the number may hold its "%" sign.
    let near = |j: usize| {
        j > 0
            && j < w.len()
            && w.gap(j)
                .trim_start_matches('%')
                .bytes()
                .all(|b| b.is_ascii_whitespace())
    };
    let mut k = k;
    if w.lo(k) == "of" && near(k) {
        k += 1;
        if matches!(w.lo(k), "the" | "its" | "their" | "his" | "her" | "our") && w.joined(k) {
            k += 1;
        }
    }
    let first = k;
    let mut fallback = None;
    for j in first..first + 4 {
        if j >= w.len() || !near(j) || w.is(j, HAS_DIGIT) {
            break;
        }
        let lo = w.lo(j);
        if is_function_word(lo) || super::attribution::is_reporting_verb(lo) {
            break;
        }
        if lo.contains('\'') && !lo.ends_with("'s") {
            break;
        }
        let cap = w.is(j, CAP);
        let head = lo.split('-').next().unwrap_or(lo);
        if head.len() < lo.len() && is_plural(head) && !cap {
            return Some((j, head));
        }
        if is_plural(lo) && (!cap || j == first) {
            return Some((j, lo));
        }
        if fallback.is_none() && !cap && lo.chars().all(char::is_alphabetic) {
            fallback = Some((j, lo));
        }
        if head.len() < lo.len() {
            break;
        }
    }
    fallback
}

/// Finds the numbers of the scanned sentence that no earlier extractor claimed.
pub(super) fn find(w: &Words<'_>, claimed: &mut [bool], out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        if claimed[i] || !(could_start(w, i) || w.is(i, HYPHEN)) {
            i += 1;
            continue;
        }
        let lo = w.lo(i);
        if lo == "one"
            && (matches!(
                w.lo(i.wrapping_sub(1)),
                "no" | "any" | "every" | "each" | "the" | "this" | "that"
            ) || matches!(w.lo(i + 1), "another" | "day"))
        {
            i += 1;
            continue;
        }
        let Some(num) = parse_at(w, i) else {
            if let Some(f) = hyphen_count(w, i) {
                out.push(f);
                claimed[i] = true;
            }
            i += 1;
            continue;
        };
        if claimed[i..num.end].iter().any(|&c| c) {
            i += 1;
            continue;
        }
        let qual = qualifier_before(w, i);
        let noun = counted(w, num.end);
        let start = qual.map_or(num.bytes.start, |(q, _)| {
            w.tok(q).start.min(num.bytes.start)
        });
        let end = noun.map_or(num.bytes.end, |(n, lo)| {
            (w.tok(n).start + lo.len().min(w.tok(n).end - w.tok(n).start)).max(num.bytes.end)
        });
        let qualifier = qual
            .map(|(_, q)| q.to_owned())
            .or_else(|| num.vague.map(str::to_owned));
        let fact = NumberFact {
            value: num.value,
            value_end: num.value_end,
            text: w.text()[num.bytes.clone()].to_owned(),
            unit: num.unit,
            counts: noun.map(|(_, lo)| lo.to_owned()),
            qualifier,
            vague: num.vague.is_some(),
        };
        if let Some(range) = range32(start..end) {
            out.push(Fact {
                kind: FactKind::Number(fact),
                range,
            });
        }
        claimed[i..num.end].fill(true);
        i = num.end;
    }
}

/// Cheap test before parsing: a digit, a number word or a vague quantity, or "a"/"an" before
/// a scale word.
pub(super) fn could_start(w: &Words<'_>, i: usize) -> bool {
    let lo = w.lo(i);
    w.is(i, NUM)
        || word_value(lo).is_some()
        || vague_value(lo).is_some()
        || (matches!(lo, "a" | "an") && scale(w.lo(i + 1)).is_some())
}

/// "10-year-old", "three-storey": a number glued to a word by a hyphen counts that word.
fn hyphen_count(w: &Words<'_>, i: usize) -> Option<Fact> {
    let raw = w.raw(i);
    let (head, rest) = raw.split_once('-')?;
    let value = match digits_value(head) {
        Some((v, "")) => v,
        _ => word_value(&head.to_lowercase())?,
    };
    if rest.is_empty()
        || !rest.chars().all(|c| c.is_alphabetic() || c == '-')
        || word_value(&rest.to_lowercase()).is_some()
    {
        return None;
    }
    let fact = NumberFact {
        value,
        value_end: None,
        text: head.to_owned(),
        unit: None,
        counts: Some(rest.to_lowercase()),
        qualifier: qualifier_before(w, i).map(|(_, q)| q.to_owned()),
        vague: false,
    };
    let t = w.tok(i);
    Some(Fact {
        kind: FactKind::Number(fact),
        range: range32(t.start..t.end)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(s: &str) -> Vec<NumberFact> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut claimed = vec![false; w.len()];
        let mut out = Vec::new();
        find(&w, &mut claimed, &mut out);
        out.into_iter()
            .map(|f| match f.kind {
                FactKind::Number(n) => n,
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn wire_sentence() {
        let n = numbers("Medics found more than 120 dead bodies and 4,500 people fled.");
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].value, 120.0);
        assert_eq!(n[0].qualifier.as_deref(), Some("more than"));
        assert_eq!(n[0].counts.as_deref(), Some("bodies"));
        assert_eq!(n[1].value, 4500.0);
        assert_eq!(n[1].text, "4,500");
        assert_eq!(n[1].counts.as_deref(), Some("people"));
    }

    #[test]
    fn words_scales_and_vague() {
        let n = numbers(
            "Some 2 million residents, two hundred goats and hundreds of thousands of Danes.",
        );
        assert_eq!(n[0].value, 2e6);
        assert_eq!(n[0].qualifier.as_deref(), Some("some"));
        assert_eq!(n[0].counts.as_deref(), Some("residents"));
        assert_eq!(n[1].value, 200.0);
        assert_eq!(n[1].counts.as_deref(), Some("goats"));
        assert_eq!(n[2].value, 1e5);
        assert!(n[2].vague);
        assert_eq!(n[2].qualifier.as_deref(), Some("hundreds"));
        assert_eq!(n[2].counts.as_deref(), Some("danes"));
        assert_eq!(n[2].text, "hundreds of thousands");
    }

    #[test]
    fn percent_currency_units_ranges() {
        let n = numbers(
            "Nearly 70% of the voters paid $5m for 625ft of wire, 10-15 each, 12.5 percent.",
        );
        assert_eq!((n[0].value, n[0].unit.as_deref()), (70.0, Some("%")));
        assert_eq!(n[0].qualifier.as_deref(), Some("nearly"));
        assert_eq!(n[0].counts.as_deref(), Some("voters"));
        assert_eq!(
            (n[1].value, n[1].unit.as_deref(), n[1].text.as_str()),
            (5e6, Some("$"), "$5m")
        );
        assert_eq!(n[2].unit.as_deref(), Some("ft"));
        assert_eq!((n[3].value, n[3].value_end), (10.0, Some(15.0)));
        assert_eq!((n[4].value, n[4].unit.as_deref()), (12.5, Some("%")));
    }

    #[test]
    fn not_numbers() {
        assert!(numbers("No one came on the 7th, at 9am, in the 1990s or at 08:08.").is_empty());
        let n = numbers("She had one of us and a dozen eggs and a 10-year-old");
        assert_eq!(n.len(), 3);
        assert_eq!(n[0].counts, None);
        assert_eq!(n[1].value, 12.0);
        assert_eq!(n[2].counts.as_deref(), Some("year-old"));
    }

    #[test]
    fn counted_nouns_skip_names_and_verbs() {
        let n = numbers(
            "One medic told Reuters and one Telegram channel and dozens of cars-including vans left.",
        );
        assert_eq!(n[0].counts.as_deref(), Some("medic"));
        assert_eq!(n[1].counts.as_deref(), Some("channel"));
        assert_eq!(n[2].counts.as_deref(), Some("cars"));
        let n = numbers("Two other Marwa residents and more than 40% of Marwa's voters.");
        assert_eq!(n[0].counts.as_deref(), Some("residents"));
        assert_eq!(n[1].counts.as_deref(), Some("voters"));
    }
}
