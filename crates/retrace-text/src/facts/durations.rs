//! Lengths of time ("six days", "almost 14 years", "three months", "a 24-hour curfew", "two
//! decades", "half an hour", "an hour and a half", "two to three weeks") and times of day
//! ("3 a.m.", "9.08pm", "23:00hrs", "1300 GMT", "noon").
//!
//! A duration is a number (digits or words, see [`super::numbers`]) followed by a unit of time,
//! or the two glued by a hyphen; "a"/"an" stands for one ("an hour", not "once a day"), "half
//! an hour" and "a half-hour" for a half, "a couple of" for two, and "and a half" adds a half.
//! Decades, centuries and fortnights are converted to years and weeks so that "two decades" and
//! "20 years" compare equal, and [`DurationFact::seconds`] puts every unit on one scale, so that
//! "two weeks" and "14 days" do; `text` keeps the words as written. Ages ("14 years old", "a
//! 10-year-old") and vague spans ("for years", "hundreds of years", "several days") are not
//! durations.
//!
//! A time of day is a clock reading: digits with "am"/"pm"/"a.m."/"p.m.", a colon ("08:08",
//! "23:00hrs"), four digits with "hrs", a time zone or "local time" ("2300hrs", "1300 GMT"),
//! "o'clock", "noon", "midday", "midnight". [`TimeFact::minutes`] is minutes after midnight;
//! a reading without a.m./p.m. on a 12-hour clock ("at 3 o'clock", "9:30") is marked
//! `twelve_hour`, and [`TimeFact::same_time`] then accepts either half of the day. Times are
//! found before dates, so their digits are never read as a day, a year or a count.

use super::numbers::{could_start, digits_value, parse_at, qualifier_before, word_value};
use super::words::{HYPHEN, NUM, Words};
use super::{Fact, FactKind, range32};

/// A length of time.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DurationFact {
    /// How many units ("almost 14 years" is 14; "half an hour" is 0.5).
    pub value: f64,
    /// The upper end of a range ("two to three weeks" has value 2 and value_end 3).
    pub value_end: Option<f64>,
    /// The unit, singular: "second", "minute", "hour", "day", "week", "month" or "year".
    pub unit: String,
    /// The duration as written, qualifier included ("almost 14 years").
    pub text: String,
    /// The qualifier before the number, lowercased ("almost", "more than", "about").
    pub qualifier: Option<String>,
}

impl DurationFact {
    /// The length in seconds, a month being a twelfth of a year of 365.2425 days.
    pub fn seconds(&self) -> f64 {
        self.value * unit_seconds(&self.unit)
    }

    /// The upper end of a range in seconds.
    pub fn seconds_end(&self) -> Option<f64> {
        self.value_end.map(|v| v * unit_seconds(&self.unit))
    }
}

/// Seconds in one of the units [`DurationFact::unit`] names.
fn unit_seconds(unit: &str) -> f64 {
    const DAY: f64 = 86_400.0;
    match unit {
        "second" => 1.0,
        "minute" => 60.0,
        "hour" => 3_600.0,
        "day" => DAY,
        "week" => 7.0 * DAY,
        "month" => 365.2425 * DAY / 12.0,
        "year" => 365.2425 * DAY,
        _ => f64::NAN,
    }
}

/// A time of day.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TimeFact {
    /// Minutes after midnight, 0 to 1439.
    pub minutes: u32,
    /// Read on a 12-hour clock without a.m. or p.m. ("3 o'clock", "9:30"): `minutes` is the
    /// morning reading and the evening one is as likely.
    pub twelve_hour: bool,
    /// The time as written, without its qualifier ("3 a.m.", "23:00hrs").
    pub text: String,
    /// The qualifier before it, lowercased ("around", "about", "just after" is not one).
    pub qualifier: Option<String>,
}

impl TimeFact {
    /// Whether two readings can name the same time: equal minutes, or equal on a 12-hour
    /// clock when either lacks a.m./p.m.
    pub fn same_time(&self, other: &TimeFact) -> bool {
        if self.minutes == other.minutes {
            return true;
        }
        (self.twelve_hour || other.twelve_hour) && self.minutes % 720 == other.minutes % 720
    }
}

/// The unit of a time word and the factor that converts to it.
fn unit_of(lo: &str) -> Option<(&'static str, f64)> {
    Some(match lo {
        "second" | "seconds" | "sec" | "secs" => ("second", 1.0),
        "minute" | "minutes" | "min" | "mins" => ("minute", 1.0),
        "hour" | "hours" | "hr" | "hrs" => ("hour", 1.0),
        "day" | "days" => ("day", 1.0),
        "week" | "weeks" | "wk" | "wks" => ("week", 1.0),
        "fortnight" | "fortnights" => ("week", 2.0),
        "month" | "months" => ("month", 1.0),
        "year" | "years" | "yr" | "yrs" => ("year", 1.0),
        "decade" | "decades" => ("year", 10.0),
        "century" | "centuries" => ("year", 100.0),
        _ => return None,
    })
}

/// A duration found at a word: value, upper end, unit, one past its last word.
type Found = (f64, Option<f64>, &'static str, usize);

/// "and a half" at word `j`: one past it.
fn and_a_half(w: &Words<'_>, j: usize) -> Option<usize> {
    (w.lo(j) == "and" && w.lo(j + 1) == "a" && w.lo(j + 2) == "half" && w.run_joined(j, j + 3))
        .then_some(j + 3)
}

/// Whether the words from `j` on say "old" (an age, not a duration).
fn is_age(w: &Words<'_>, j: usize) -> bool {
    w.lo(j) == "old" && w.joined(j)
}

/// A unit word at `j`, joined to the word before it; "a second" is an ordinal, not a unit.
fn unit_at(w: &Words<'_>, j: usize) -> Option<(&'static str, f64)> {
    unit_of(w.lo(j)).filter(|_| w.joined(j))
}

/// "half an hour", "a couple of days", "an hour and a half", "a decade": durations without a
/// numeral, starting at word `i`.
fn without_numeral(w: &Words<'_>, i: usize) -> Option<Found> {
    let lo = w.lo(i);
    if lo == "half" && matches!(w.lo(i + 1), "a" | "an") && w.joined(i + 1) {
        let (unit, factor) = unit_at(w, i + 2)?;
        return (!is_age(w, i + 3)).then_some((0.5 * factor, None, unit, i + 3));
    }
    if !matches!(lo, "a" | "an") {
        return None;
    }
    if w.lo(i + 1) == "couple" && w.lo(i + 2) == "of" && w.run_joined(i, i + 3) {
        let (unit, factor) = unit_at(w, i + 3)?;
        return (!is_age(w, i + 4)).then_some((2.0 * factor, None, unit, i + 4));
    }
    // "once a day", "twice a week", "three times a year", "per day", "every day": rates.
    let rate = i > 0
        && matches!(
            w.lo(i - 1),
            "once" | "twice" | "times" | "per" | "every" | "each" | "a" | "an"
        );
    if rate || w.lo(i + 1) == "second" {
        return None;
    }
    if w.lo(i + 1) == "half-hour" && w.joined(i + 1) {
        return Some((0.5, None, "hour", i + 2));
    }
    let (unit, factor) = unit_at(w, i + 1)?;
    if is_age(w, i + 2) {
        return None;
    }
    let (value, next) = match and_a_half(w, i + 2) {
        Some(next) => (1.5, next),
        None => (1.0, i + 2),
    };
    Some((value * factor, None, unit, next))
}

/// A number, an optional "and a half" or a range ("two to three", "10-15"), then a unit.
fn with_numeral(w: &Words<'_>, i: usize, claimed: &[bool]) -> Option<Found> {
    let num = parse_at(w, i).filter(|n| n.vague.is_none() && n.unit.is_none())?;
    let mut value = num.value;
    let mut value_end = num.value_end;
    let mut j = num.end;
    if let Some(next) = and_a_half(w, j) {
        value += 0.5;
        j = next;
    } else if matches!(w.lo(j), "to" | "or")
        && w.run_joined(j, j + 2)
        && let Some(end) = parse_at(w, j + 1).filter(|n| {
            n.vague.is_none() && n.unit.is_none() && n.value_end.is_none() && n.value > value
        })
        && unit_at(w, end.end).is_some()
    {
        value_end = Some(end.value);
        j = end.end;
    }
    let (unit, factor) = unit_at(w, j)?;
    if is_age(w, j + 1) || claimed[i..=j].iter().any(|&c| c) {
        return None;
    }
    let mut next = j + 1;
    if let Some(after) = and_a_half(w, next) {
        value += 0.5;
        next = after;
    }
    Some((value * factor, value_end.map(|v| v * factor), unit, next))
}

/// Finds the durations of the scanned sentence that no earlier extractor claimed.
pub(super) fn find(w: &Words<'_>, claimed: &mut [bool], out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        let lo = w.lo(i);
        if claimed[i]
            || !(could_start(w, i) || w.is(i, HYPHEN) || matches!(lo, "a" | "an" | "half"))
        {
            i += 1;
            continue;
        }
        let found = glued(w, i)
            .map(|(v, u)| (v, None, u, i + 1))
            .or_else(|| without_numeral(w, i))
            .or_else(|| with_numeral(w, i, claimed))
            .filter(|&(_, _, _, next)| !claimed[i..next].iter().any(|&c| c));
        let Some((value, value_end, unit, next)) = found else {
            i += 1;
            continue;
        };
        let qual = qualifier_before(w, i);
        let start = w.tok(qual.map_or(i, |(q, _)| q)).start;
        let end = w.tok(next - 1).end;
        let fact = DurationFact {
            value,
            value_end,
            unit: unit.to_owned(),
            text: w.text()[start..end].to_owned(),
            qualifier: qual.map(|(_, q)| q.to_owned()),
        };
        if let Some(range) = range32(start..end) {
            out.push(Fact {
                kind: FactKind::Duration(fact),
                range,
            });
        }
        claimed[i..next].fill(true);
        i = next;
    }
}

/// "14-year", "six-day", "24-hour-long", "half-hour": a number glued to a unit; not
/// "10-year-old".
fn glued(w: &Words<'_>, i: usize) -> Option<(f64, &'static str)> {
    let lo = w.lo(i);
    let mut parts = lo.split('-');
    let head = parts.next()?;
    let unit = parts.next()?;
    if let Some(tail) = parts.next()
        && (tail != "long" || parts.next().is_some())
    {
        return None;
    }
    let value = match digits_value(head) {
        Some((v, "")) => v,
        Some(_) => return None,
        None if head == "half" => 0.5,
        None => word_value(head)?,
    };
    let (unit, factor) = unit_of(unit)?;
    Some((value * factor, unit))
}

/// Time-zone words that make a bare number a clock reading ("1300 GMT").
fn is_zone(lo: &str) -> bool {
    matches!(
        lo,
        "gmt"
            | "bst"
            | "utc"
            | "cet"
            | "cest"
            | "est"
            | "edt"
            | "cst"
            | "cdt"
            | "mst"
            | "mdt"
            | "pst"
            | "pdt"
            | "et"
            | "pt"
            | "ist"
            | "kst"
            | "jst"
            | "hkt"
            | "sgt"
            | "aest"
            | "wib"
    )
}

/// Hours and minutes of "9", "9.08", "9:08", "08:08:51"; with `military`, also "2300".
fn clock(body: &str, military: bool) -> Option<(u32, u32)> {
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return None;
    }
    let parts: Vec<&str> = body.split([':', '.']).collect();
    let (h, m) = match parts.as_slice() {
        [h] if military && h.len() == 4 => (&h[..2], &h[2..]),
        [h] if h.len() <= 2 => (*h, "0"),
        [h, m] | [h, m, _] if h.len() <= 2 && m.len() == 2 => (*h, *m),
        _ => return None,
    };
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h <= 24 && m < 60).then_some((h % 24, m))
}

/// What follows a number that makes it a time: a.m./p.m., a time zone, "hrs", "o'clock",
/// "local time". Returns the marker and one past it.
fn marker(w: &Words<'_>, j: usize) -> Option<(&'static str, usize)> {
    let lo = w.lo(j);
    // "1.p.m.", a slip seen in print, reads as "1 p.m.".
    let dotted = matches!(lo, "a" | "p") && w.gap(j) == ".";
    if !w.joined(j) && !dotted {
        return None;
    }
    Some(match lo {
        "am" => ("am", j + 1),
        "pm" => ("pm", j + 1),
        "a" | "p" if w.lo(j + 1) == "m" && w.gap(j + 1) == "." => {
            (if lo == "a" { "am" } else { "pm" }, j + 2)
        }
        "hrs" | "hr" | "h" => ("hrs", j + 1),
        "o'clock" => ("o'clock", j + 1),
        "local" if w.lo(j + 1) == "time" && w.joined(j + 1) => ("zone", j + 2),
        // Zones are written in capitals: "1300 GMT", not German "2017 ist".
        _ if is_zone(lo) && w.raw(j).bytes().all(|b| b.is_ascii_uppercase()) => ("zone", j + 1),
        _ => return None,
    })
}

/// A time of day that starts at word `i`: minutes after midnight, 12-hour clock, one past it.
fn time_at(w: &Words<'_>, i: usize) -> Option<(u32, bool, usize)> {
    let lo = w.lo(i);
    match lo {
        "noon" | "midday" => return Some((720, false, i + 1)),
        "midnight" => return Some((0, false, i + 1)),
        _ => {}
    }
    if !w.is(i, NUM) {
        return None;
    }
    // A glued suffix: "9am", "9.08pm", "23:00hrs", "2300h".
    let cut = lo
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(lo.len());
    let (body, suffix) = lo.split_at(cut);
    let (mark, next) = match suffix {
        "" => match marker(w, i + 1) {
            Some(found) => found,
            None if body.contains(':') => ("", i + 1),
            None => return None,
        },
        "am" | "pm" => (if suffix == "am" { "am" } else { "pm" }, i + 1),
        "hrs" | "hr" | "h" => ("hrs", i + 1),
        _ => return None,
    };
    let military = matches!(mark, "hrs" | "zone");
    let (mut h, m) = clock(body, military)?;
    if military && !body.contains([':', '.']) && body.len() != 4 && mark == "hrs" {
        return None;
    }
    match mark {
        "am" | "pm" if !(1..=12).contains(&h) => return None,
        "am" if h == 12 => h = 0,
        "pm" if h < 12 => h += 12,
        "o'clock" if !(1..=12).contains(&h) || body.contains([':', '.']) => return None,
        _ => {}
    }
    let twelve_hour =
        matches!(mark, "" | "o'clock") && (1..=12).contains(&h) && !body.starts_with('0');
    Some((h * 60 + m, twelve_hour, next))
}

/// Finds the times of day of the scanned sentence and claims their words.
pub(super) fn find_times(w: &Words<'_>, claimed: &mut [bool], out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        let Some((minutes, twelve_hour, next)) = time_at(w, i).filter(|_| !claimed[i]) else {
            i += 1;
            continue;
        };
        let qual = qualifier_before(w, i);
        let start = w.tok(qual.map_or(i, |(q, _)| q)).start;
        let mut end = w.tok(next - 1).end;
        // "a.m.": the closing dot belongs to the time.
        if w.lo(next - 1) == "m" && w.text()[end..].starts_with('.') {
            end += 1;
        }
        let fact = TimeFact {
            minutes,
            twelve_hour,
            text: w.text()[w.tok(i).start..end].to_owned(),
            qualifier: qual.map(|(_, q)| q.to_owned()),
        };
        if let Some(range) = range32(start..end) {
            out.push(Fact {
                kind: FactKind::Time(fact),
                range,
            });
        }
        claimed[i..next].fill(true);
        i = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn durations(s: &str) -> Vec<DurationFact> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut claimed = vec![false; w.len()];
        let mut out = Vec::new();
        find(&w, &mut claimed, &mut out);
        out.into_iter()
            .map(|f| match f.kind {
                FactKind::Duration(d) => d,
                _ => unreachable!(),
            })
            .collect()
    }

    fn times(s: &str) -> Vec<TimeFact> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut claimed = vec![false; w.len()];
        let mut out = Vec::new();
        find_times(&w, &mut claimed, &mut out);
        find(&w, &mut claimed, &mut out);
        out.into_iter()
            .filter_map(|f| match f.kind {
                FactKind::Time(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn seconds(s: &str) -> Vec<f64> {
        durations(s).iter().map(DurationFact::seconds).collect()
    }

    #[test]
    fn renderings_share_a_length() {
        let same = |a: &str, b: &str| {
            let (x, y) = (seconds(a), seconds(b));
            assert_eq!(x.len(), 1, "{a}: {x:?}");
            assert_eq!(y.len(), 1, "{b}: {y:?}");
            assert!((x[0] - y[0]).abs() <= 1e-6 * x[0], "{a} {x:?} / {b} {y:?}");
        };
        same("two weeks", "14 days");
        same("half an hour", "30 minutes");
        same("a half-hour", "30 minutes");
        same("an hour and a half", "90 minutes");
        same("one and a half years", "18 months");
        same("a couple of days", "48 hours");
        same("a fortnight", "two weeks");
        same("a year", "12 months");
        same("three years", "36 months");
        same("5 hrs", "five hours");
        assert!(seconds("sentenced to 50 weeks")[0] < seconds("52 weeks")[0]);
    }

    #[test]
    fn ranges_and_rates() {
        let d = durations("It took two to three weeks, then 10-15 minutes.");
        assert_eq!((d[0].value, d[0].value_end), (2.0, Some(3.0)));
        assert_eq!((d[1].value, d[1].value_end), (10.0, Some(15.0)));
        assert!(durations("Twice a day, once a week, a second attack, per year.").is_empty());
        let d = durations("He died in less than 10 minutes.");
        assert_eq!(d[0].qualifier.as_deref(), Some("less than"));
    }

    #[test]
    fn times_of_day() {
        let t = times(
            "At 3 a.m., around 23:00hrs, at 2300hrs, 1300 GMT, 9.08pm, noon, about 1.p.m., 12am \
             and at 3 o'clock or 9:30, after 5 hrs.",
        );
        let got: Vec<(u32, bool, &str, Option<&str>)> = t
            .iter()
            .map(|t| {
                (
                    t.minutes,
                    t.twelve_hour,
                    t.text.as_str(),
                    t.qualifier.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (180, false, "3 a.m.", None),
                (1380, false, "23:00hrs", Some("around")),
                (1380, false, "2300hrs", None),
                (780, false, "1300 GMT", None),
                (1268, false, "9.08pm", None),
                (720, false, "noon", None),
                (780, false, "1.p.m.", Some("about")),
                (0, false, "12am", None),
                (180, true, "3 o'clock", None),
                (570, true, "9:30", None),
            ]
        );
        assert!(times("Seit 2017 ist er hier, at 2000 est.").is_empty());
        assert!(t[8].same_time(&TimeFact {
            minutes: 900,
            ..t[0].clone()
        }));
        assert!(!t[0].same_time(&TimeFact {
            minutes: 900,
            ..t[0].clone()
        }));
    }

    #[test]
    fn spans_of_time() {
        let d = durations(
            "Within about six days, after almost 14 years and a 24-hour curfew, two decades on.",
        );
        let got: Vec<(f64, &str, &str, Option<&str>)> = d
            .iter()
            .map(|d| {
                (
                    d.value,
                    d.unit.as_str(),
                    d.text.as_str(),
                    d.qualifier.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (6.0, "day", "about six days", Some("about")),
                (14.0, "year", "almost 14 years", Some("almost")),
                (24.0, "hour", "24-hour", None),
                (20.0, "year", "two decades", None),
            ]
        );
    }

    #[test]
    fn ages_and_vague_spans_are_not_durations() {
        assert!(
            durations("She is 14 years old, a 10-year-old, after hundreds of years, for years.")
                .is_empty()
        );
    }
}
