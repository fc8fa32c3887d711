//! Lengths of time: "six days", "almost 14 years", "three months", "a 24-hour curfew",
//! "two decades".
//!
//! A duration is a number (digits or words, see [`super::numbers`]) followed by a unit of time,
//! or the two glued by a hyphen. Decades, centuries and fortnights are converted to years and
//! weeks so that "two decades" and "20 years" compare equal; `text` keeps the words as written.
//! Ages ("14 years old", "a 10-year-old") and vague spans ("for years", "hundreds of years") are
//! not durations.

use super::numbers::{could_start, digits_value, parse_at, qualifier_before, word_value};
use super::words::{HYPHEN, Words};
use super::{Fact, FactKind, range32};

/// A length of time.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DurationFact {
    /// How many units ("almost 14 years" is 14).
    pub value: f64,
    /// The unit, singular: "second", "minute", "hour", "day", "week", "month" or "year".
    pub unit: String,
    /// The duration as written, qualifier included ("almost 14 years").
    pub text: String,
    /// The qualifier before the number, lowercased ("almost", "more than", "about").
    pub qualifier: Option<String>,
}

/// The unit of a time word and the factor that converts to it.
fn unit_of(lo: &str) -> Option<(&'static str, f64)> {
    Some(match lo {
        "second" | "seconds" => ("second", 1.0),
        "minute" | "minutes" => ("minute", 1.0),
        "hour" | "hours" => ("hour", 1.0),
        "day" | "days" => ("day", 1.0),
        "week" | "weeks" => ("week", 1.0),
        "fortnight" | "fortnights" => ("week", 2.0),
        "month" | "months" => ("month", 1.0),
        "year" | "years" => ("year", 1.0),
        "decade" | "decades" => ("year", 10.0),
        "century" | "centuries" => ("year", 100.0),
        _ => return None,
    })
}

/// Finds the durations of the scanned sentence that no earlier extractor claimed.
pub(super) fn find(w: &Words<'_>, claimed: &mut [bool], out: &mut Vec<Fact>) {
    let mut i = 0;
    while i < w.len() {
        if claimed[i] || !(could_start(w, i) || w.is(i, HYPHEN)) {
            i += 1;
            continue;
        }
        let found = glued(w, i).map(|(v, u)| (v, u, i + 1)).or_else(|| {
            let num = parse_at(w, i).filter(|n| n.vague.is_none() && n.unit.is_none())?;
            let (unit, factor) = unit_of(w.lo(num.end)).filter(|_| w.joined(num.end))?;
            let age = w.lo(num.end + 1) == "old" && w.joined(num.end + 1);
            if age || claimed[i..=num.end].iter().any(|&c| c) {
                return None;
            }
            Some((num.value * factor, unit, num.end + 1))
        });
        let Some((value, unit, next)) = found else {
            i += 1;
            continue;
        };
        let qual = qualifier_before(w, i);
        let start = w.tok(qual.map_or(i, |(q, _)| q)).start;
        let end = w.tok(next - 1).end;
        let fact = DurationFact {
            value,
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

/// "14-year", "six-day", "24-hour-long": a number glued to a unit; not "10-year-old".
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
        None => word_value(head)?,
    };
    let (unit, factor) = unit_of(unit)?;
    Some((value * factor, unit))
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
