//! Calendar dates: "March 6", "March 7-13", "Dec. 8, 2024", "8 December 2024", "the 7th of
//! March", "December 2024", "in December", "on Friday", "Friday, March 7", "March 7, a
//! Friday", "2024-12-08", "8/12/2024", and a bare year ("in 2011", "the 2011 uprising").
//!
//! Clock times ("9.08am", "08:08:51", "1300 GMT", "9 a.m.") and decades ("the 1990s") are
//! recognized only so that their digits are not reported as numbers; they yield no fact.
//!
//! "March" and "May" are also ordinary words, so alone they count as a month only after a word
//! such as "in", "since" or "early"; with a day or a year they always do. A four-digit number
//! from 1800 to 2100 is a year unless it looks like a count ("2000 people", "more than 1900").
//! Slashed dates are read day-first when the first part is over 12, otherwise month-first.

use super::numbers::{counted, digits_value, is_plural, qualifier_before};
use super::words::{CAP, NUM, Words};
use super::{Fact, FactKind, range32};

/// A calendar date or a range of days, with whatever parts the text gives.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DateFact {
    /// The date as written ("Dec. 8, 2024", "March 7-13").
    pub text: String,
    /// The year, when written.
    pub year: Option<i32>,
    /// The month, 1 to 12, when written.
    pub month: Option<u8>,
    /// The day of the month, when written.
    pub day: Option<u8>,
    /// The last day of a range of days ("March 7-13" has day 7 and day_end 13).
    pub day_end: Option<u8>,
    /// The day of the week, 1 (Monday) to 7 (Sunday), when written.
    pub weekday: Option<u8>,
}

/// The month of a month name or abbreviation, and whether it was an abbreviation.
fn month_of(lo: &str) -> Option<(u8, bool)> {
    Some(match lo {
        "january" => (1, false),
        "february" => (2, false),
        "march" => (3, false),
        "april" => (4, false),
        "may" => (5, false),
        "june" => (6, false),
        "july" => (7, false),
        "august" => (8, false),
        "september" => (9, false),
        "october" => (10, false),
        "november" => (11, false),
        "december" => (12, false),
        "jan" => (1, true),
        "feb" => (2, true),
        "mar" => (3, true),
        "apr" => (4, true),
        "jun" => (6, true),
        "jul" => (7, true),
        "aug" => (8, true),
        "sep" | "sept" => (9, true),
        "oct" => (10, true),
        "nov" => (11, true),
        "dec" => (12, true),
        _ => return None,
    })
}

/// The ISO weekday of a weekday name.
fn weekday_of(lo: &str) -> Option<u8> {
    // "ahead of Tuesday's debate": the possessive names the day too.
    let lo = lo
        .strip_suffix("'s")
        .or_else(|| lo.strip_suffix("\u{2019}s"))
        .unwrap_or(lo);
    Some(match lo {
        "monday" => 1,
        "tuesday" => 2,
        "wednesday" => 3,
        "thursday" => 4,
        "friday" => 5,
        "saturday" => 6,
        "sunday" => 7,
        _ => return None,
    })
}

/// Words after which a month name or a four-digit number is a date.
fn is_date_preposition(lo: &str) -> bool {
    matches!(
        lo,
        "in" | "on"
            | "since"
            | "from"
            | "until"
            | "till"
            | "by"
            | "before"
            | "after"
            | "during"
            | "of"
            | "between"
            | "early"
            | "late"
            | "mid"
            | "last"
            | "next"
            | "this"
            | "through"
            | "throughout"
            | "year"
            | "circa"
            | "to"
    )
}

/// Whether the gap before word `j` is whitespace with at most one comma.
fn comma_gap(w: &Words<'_>, j: usize) -> bool {
    j > 0 && j < w.len() && {
        let g = w.gap(j).trim();
        g.is_empty() || g == ","
    }
}

/// A day of the month at word `j`: "8", "8th", "7-13".
fn day_at(w: &Words<'_>, j: usize) -> Option<(u8, Option<u8>)> {
    if !w.is(j, NUM) {
        return None;
    }
    let raw = w.raw(j);
    let one = |s: &str| -> Option<u8> {
        let (v, suffix) = digits_value(s)?;
        let ok = matches!(suffix, "" | "st" | "nd" | "rd" | "th")
            && (1.0..=31.0).contains(&v)
            && v.fract() == 0.0
            && !s.contains([',', '.']);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be 1..=31"
        )]
        ok.then_some(v as u8)
    };
    match raw.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            (a < b).then_some((a, Some(b)))
        }
        None => Some((one(raw)?, None)),
    }
}

/// A year at word `j`: four plain digits from 1000 to 2999.
fn year_at(w: &Words<'_>, j: usize) -> Option<i32> {
    if j >= w.len() {
        return None;
    }
    let raw = w.raw(j);
    if raw.len() != 4 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<i32>().ok().filter(|y| (1000..3000).contains(y))
}

/// A month name at word `i`: the month, the byte end (a trailing abbreviation dot included).
fn month_at(w: &Words<'_>, i: usize) -> Option<(u8, usize)> {
    if i >= w.len() {
        return None;
    }
    let raw = w.raw(i);
    let name = raw.strip_prefix("mid-").unwrap_or(raw);
    if !name.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let lo = w.lo(i);
    let (m, abbrev) = month_of(lo.strip_prefix("mid-").unwrap_or(lo))?;
    let mut end = w.tok(i).end;
    if abbrev {
        if w.text()[end..].starts_with('.') {
            end += 1;
        } else if day_at(w, i + 1).is_none() {
            return None;
        }
    }
    Some((m, end))
}

/// A date that starts at word `i`: the fact (text left empty), the next word, the byte end.
fn date_at(w: &Words<'_>, i: usize) -> Option<(DateFact, usize, usize)> {
    let mut d = DateFact::default();
    if let Some((m, mut end)) = month_at(w, i) {
        d.month = Some(m);
        let mut j = i + 1;
        if let Some((day, day_end)) =
            day_at(w, j).filter(|_| w.gap(j).trim_start_matches('.').trim().is_empty())
        {
            d.day = Some(day);
            d.day_end = day_end;
            end = w.tok(j).end;
            j += 1;
            if let Some(y) = year_at(w, j).filter(|_| comma_gap(w, j)) {
                d.year = Some(y);
                end = w.tok(j).end;
                j += 1;
            }
        } else if let Some(y) = year_at(w, j).filter(|_| w.joined(j)) {
            d.year = Some(y);
            end = w.tok(j).end;
            j += 1;
        } else if w.lo(j) == "of" && w.joined(j) && year_at(w, j + 1).is_some() && w.joined(j + 1) {
            d.year = year_at(w, j + 1);
            end = w.tok(j + 1).end;
            j += 2;
        } else {
            let lo = w.lo(i);
            let ambiguous = matches!(lo, "march" | "may");
            if ambiguous && !(i > 0 && w.joined(i) && is_date_preposition(w.lo(i - 1))) {
                return None;
            }
        }
        return Some((d, j, end));
    }
    if let Some((day, day_end)) = day_at(w, i) {
        let mut j = i + 1;
        if w.lo(j) == "of" && w.joined(j) {
            j += 1;
        }
        if !w.joined(j) {
            return None;
        }
        let (m, mut end) = month_at(w, j)?;
        d.day = Some(day);
        d.day_end = day_end;
        d.month = Some(m);
        j += 1;
        if let Some(y) = year_at(w, j).filter(|_| comma_gap(w, j)) {
            d.year = Some(y);
            end = w.tok(j).end;
            j += 1;
        }
        return Some((d, j, end));
    }
    if w.is(i, NUM) {
        let raw = w.raw(i);
        let end = w.tok(i).end;
        let parts: Vec<&str> = raw.split(['-', '/']).collect();
        let all_digits = parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if parts.len() == 3 && all_digits {
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() != 3 {
                return None;
            }
            let (y, m, day) = if raw.contains('-') && parts[0].len() == 4 {
                (n[0], n[1], n[2])
            } else if raw.contains('/') && parts[2].len() == 4 {
                if n[0] > 12 {
                    (n[2], n[1], n[0])
                } else {
                    (n[2], n[0], n[1])
                }
            } else {
                return None;
            };
            if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
                return None;
            }
            d.year = i32::try_from(y).ok();
            d.month = u8::try_from(m).ok();
            d.day = u8::try_from(day).ok();
            return Some((d, i + 1, end));
        }
        let y = year_at(w, i).filter(|y| (1800..=2100).contains(y))?;
        let after_prep = i > 0 && w.joined(i) && is_date_preposition(w.lo(i - 1));
        let looks_counted = qualifier_before(w, i).is_some()
            || w.text()[..w.tok(i).start].ends_with(['$', '€', '£'])
            || w.text()[end..].starts_with('%')
            || matches!(w.lo(i + 1), "percent" | "million" | "billion" | "thousand")
            || counted(w, i + 1).is_some_and(|(n, lo)| n == i + 1 && is_plural(lo));
        if after_prep || !looks_counted {
            d.year = Some(y);
            return Some((d, i + 1, end));
        }
    }
    None
}

/// Whether word `i` starts a clock time; returns one past its last word.
fn time_at(w: &Words<'_>, i: usize) -> Option<usize> {
    if !w.is(i, NUM) {
        return None;
    }
    let raw = w.raw(i);
    let lo = w.lo(i);
    let (body, ampm) = match lo.strip_suffix("am").or_else(|| lo.strip_suffix("pm")) {
        Some(b) => (b, true),
        None => (lo, false),
    };
    let marker = |j: usize| -> Option<usize> {
        if !w.joined(j) {
            return None;
        }
        match w.lo(j) {
            "am" | "pm" | "gmt" | "bst" | "utc" | "cet" | "est" | "edt" | "pst" | "pdt" | "et"
            | "ist" => Some(j + 1),
            "a" | "p" if w.lo(j + 1) == "m" && w.gap(j + 1) == "." => Some(j + 2),
            "local" if w.lo(j + 1) == "time" => Some(j + 2),
            _ => None,
        }
    };
    let clock = body.contains(':')
        && body
            .split(':')
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && body.split(':').count() <= 3;
    if clock {
        return Some(marker(i + 1).unwrap_or(i + 1));
    }
    let digits_dot =
        !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.') && raw.len() <= 7;
    if ampm && digits_dot {
        return Some(i + 1);
    }
    if digits_dot && body.len() <= 5 {
        return marker(i + 1);
    }
    None
}

/// A weekday name at word `i`.
fn weekday_at(w: &Words<'_>, i: usize) -> Option<u8> {
    if !w.is(i, CAP) {
        return None;
    }
    weekday_of(w.lo(i))
}

/// Finds the dates of the scanned sentence and claims the words of dates, times and decades.
pub(super) fn find(w: &Words<'_>, claimed: &mut [bool], out: &mut Vec<Fact>) {
    let text = w.text();
    let mut i = 0;
    while i < w.len() {
        if claimed[i] {
            i += 1;
            continue;
        }
        if let Some(end) = time_at(w, i) {
            claimed[i..end].fill(true);
            i = end;
            continue;
        }
        let raw = w.raw(i);
        if w.is(i, NUM)
            && raw.ends_with('s')
            && matches!(raw.len(), 3 | 5)
            && raw[..raw.len() - 1].bytes().all(|b| b.is_ascii_digit())
        {
            claimed[i] = true;
            i += 1;
            continue;
        }
        let start = w.tok(i).start;
        let (mut d, mut next, mut end) = if let Some(wd) = weekday_at(w, i) {
            // "Friday, March 7": one date with its weekday.
            match date_at(w, i + 1).filter(|(d, _, _)| d.day.is_some() && comma_gap(w, i + 1)) {
                Some((mut d, next, end)) => {
                    d.weekday = Some(wd);
                    (d, next, end)
                }
                None => (
                    DateFact {
                        weekday: Some(wd),
                        ..DateFact::default()
                    },
                    i + 1,
                    w.tok(i).end,
                ),
            }
        } else if let Some(found) = date_at(w, i) {
            found
        } else {
            i += 1;
            continue;
        };
        // "March 7, a Friday".
        if d.weekday.is_none()
            && d.day.is_some()
            && w.lo(next) == "a"
            && comma_gap(w, next)
            && w.joined(next + 1)
            && let Some(wd) = weekday_at(w, next + 1)
        {
            d.weekday = Some(wd);
            end = w.tok(next + 1).end;
            next += 2;
        }
        d.text = text[start..end].to_owned();
        if let Some(range) = range32(start..end) {
            out.push(Fact {
                kind: FactKind::Date(d),
                range,
            });
        }
        claimed[i..next.min(w.len())].fill(true);
        i = next.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str) -> (Vec<DateFact>, Vec<bool>) {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut claimed = vec![false; w.len()];
        let mut out = Vec::new();
        find(&w, &mut claimed, &mut out);
        let d = out
            .into_iter()
            .map(|f| match f.kind {
                FactKind::Date(d) => d,
                _ => unreachable!(),
            })
            .collect();
        (d, claimed)
    }

    type Parts = (Option<i32>, Option<u8>, Option<u8>, Option<u8>, Option<u8>);

    fn ymd(d: &DateFact) -> Parts {
        (d.year, d.month, d.day, d.day_end, d.weekday)
    }

    #[test]
    fn month_forms() {
        let (d, _) =
            dates("Rain fell on March 6, then March 7-13 and Dec. 8, 2024, and in December.");
        assert_eq!(d.len(), 4);
        assert_eq!(ymd(&d[0]), (None, Some(3), Some(6), None, None));
        assert_eq!(ymd(&d[1]), (None, Some(3), Some(7), Some(13), None));
        assert_eq!(
            (d[2].text.as_str(), ymd(&d[2])),
            ("Dec. 8, 2024", (Some(2024), Some(12), Some(8), None, None))
        );
        assert_eq!(ymd(&d[3]), (None, Some(12), None, None, None));
    }

    #[test]
    fn day_first_iso_and_years() {
        let (d, _) =
            dates("Signed 8 December 2024 and the 3rd of May, filed 2024-12-08, open since 2011.");
        assert_eq!(ymd(&d[0]), (Some(2024), Some(12), Some(8), None, None));
        assert_eq!(ymd(&d[1]), (None, Some(5), Some(3), None, None));
        assert_eq!(ymd(&d[2]), (Some(2024), Some(12), Some(8), None, None));
        assert_eq!(ymd(&d[3]), (Some(2011), None, None, None, None));
    }

    #[test]
    fn weekdays() {
        let (d, _) = dates("It began on Friday. Then Friday, March 7 came, or March 7, a Friday.");
        assert_eq!(ymd(&d[0]), (None, None, None, None, Some(5)));
        assert_eq!(ymd(&d[1]), (None, Some(3), Some(7), None, Some(5)));
        assert_eq!(
            (d[2].text.as_str(), d[2].weekday),
            ("March 7, a Friday", Some(5))
        );
    }

    #[test]
    fn a_possessive_weekday_is_a_date() {
        let (d, _) = dates("Voters met ahead of Tuesday's debate and Friday\u{2019}s rally.");
        assert_eq!(ymd(&d[0]), (None, None, None, None, Some(2)));
        assert_eq!(ymd(&d[1]), (None, None, None, None, Some(5)));
    }

    #[test]
    fn ambiguous_months_and_counts() {
        let (d, _) = dates("May we march? March on. 2000 people came in May.");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].month, Some(5));
        let (d, _) = dates("More than 1900 troops left.");
        assert!(d.is_empty());
    }

    #[test]
    fn times_and_decades_are_claimed_without_facts() {
        let (d, claimed) = dates("At 9.08am and 08:08:51 and 1300 GMT and 9 a.m. in the 1990s");
        assert!(d.is_empty());
        let s = "At 9.08am and 08:08:51 and 1300 GMT and 9 a.m. in the 1990s";
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let claimed_words: Vec<&str> = (0..w.len())
            .filter(|&k| claimed[k])
            .map(|k| w.raw(k))
            .collect();
        assert_eq!(
            claimed_words,
            ["9.08am", "08:08:51", "1300", "GMT", "9", "a", "m", "1990s"]
        );
    }
}
