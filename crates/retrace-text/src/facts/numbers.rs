//! Numbers with what they count: "more than 120 dead bodies", "595 civilians", "70% of the
//! population", "hundreds of thousands of Syrians", "two million residents".
//!
//! Recognized forms: digits with thousands separators and decimals ("1,000", "1.5"), digits
//! with a unit glued on ("625ft", "5bn"), a currency sign before ("$5m"), number words ("one" to
//! "ninety-nine"), scale words after either ("2 million", "two hundred"), "a dozen", ranges
//! ("10-15"), percentages ("70%", "70 percent") and vague quantities ("dozens", "hundreds of
//! thousands"), which get the magnitude as value and `vague: true`.
//!
//! Also: decimals spelled out ("six-point-six", "six point six"), a sign ("minus 8.6", "negative
//! six", "-5"), ordinals written with digits or from "third" up ("117th Avenue", "the fourth
//! day", "twenty-first"), which get `ordinal: true` and the noun they rank as `counts`, and ages
//! ("a 14-year-old", "54 years old", "Hartley, 37,"), whose `counts` is "year-old", and shares
//! written as fractions ("half of the voters", "a third of", "two-thirds", "one in four"), read
//! as percentages.
//!
//! Numbers inside dates, times and durations are claimed by those extractors first and are not
//! reported here. Decades ("1990s") are not numbers; neither are "first" and "second", which are
//! more often order of telling than a rank.
//!
//! [`NumberFact::quantity`] puts a figure on a scale that compares across renderings: money by
//! currency ("$2m", "$2 million", "2 million dollars"), percent ("10%", "10 percent"), lengths,
//! masses, areas, volumes and speeds in SI units ("5 km", "5,000 metres"), temperatures, ages,
//! ranks, and counts keyed by the noun they count ([`noun_key`]: "survivors" and "survivor").

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
    /// A rank, not a count ("117th", "fourth"); `counts` is then the noun it ranks.
    pub ordinal: bool,
}

/// What a figure measures, for telling which figures of two documents speak of the same thing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum Measure {
    /// Money, in a currency when one is written ("$", "€", "£", "¥").
    Money(Option<String>),
    /// A percentage.
    Percent,
    /// A physical quantity in an SI unit: "m", "kg", "m2", "l", "m/s", or "deg" for degrees of
    /// temperature or angle.
    Unit(&'static str),
    /// An age in years.
    Age,
    /// A rank, with the key of the noun it ranks.
    Ordinal(Option<String>),
    /// A count, with the key of the noun it counts ([`noun_key`]); None for a bare number.
    Count(Option<String>),
}

/// A figure on a comparable scale: see [`NumberFact::quantity`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Quantity {
    /// What it measures.
    pub measure: Measure,
    /// The value in the measure's unit (metres for "5 km", dollars for "$2m").
    pub value: f64,
    /// The upper end of a range, in the same unit.
    pub value_end: Option<f64>,
}

impl NumberFact {
    /// The figure as a [`Quantity`]: its measure from the unit, the currency or the noun it
    /// counts, its value converted to that measure's unit.
    pub fn quantity(&self) -> Quantity {
        let key = self.counts.as_deref().map(noun_key);
        // Fahrenheit, converted to Celsius so that "59F" and "15C" agree.
        if matches!(self.unit.as_deref(), Some("F" | "f" | "°F")) {
            let celsius = |f: f64| (f - 32.0) * 5.0 / 9.0;
            return Quantity {
                measure: Measure::Unit("deg"),
                value: celsius(self.value),
                value_end: self.value_end.map(celsius),
            };
        }
        let (measure, factor) = if self.ordinal {
            (Measure::Ordinal(key), 1.0)
        } else if let Some(found) = self.unit.as_deref().and_then(unit_measure) {
            found
        } else if let Some(found) = self.counts.as_deref().and_then(unit_measure) {
            found
        } else if key.as_deref() == Some("year-old") {
            (Measure::Age, 1.0)
        } else {
            (Measure::Count(key), 1.0)
        };
        Quantity {
            measure,
            value: self.value * factor,
            value_end: self.value_end.map(|v| v * factor),
        }
    }
}

/// The measure of a unit, a currency sign or a counted noun, and the factor to its SI unit.
fn unit_measure(unit: &str) -> Option<(Measure, f64)> {
    let money = |c: &str| Some((Measure::Money(Some(c.to_owned())), 1.0));
    let si = |u: &'static str, f: f64| Some((Measure::Unit(u), f));
    // One letter glued to digits is a unit only in its SI case: "100m" and "200g" are metres
    // and grams, "5G" a network, "10M" a count in millions.
    match unit {
        "m" => return si("m", 1.0),
        "g" => return si("kg", 1e-3),
        "t" => return si("kg", 1e3),
        "c" | "C" => return si("deg", 1.0),
        _ if unit.chars().count() == 1 && unit.chars().all(char::is_alphabetic) => return None,
        _ => {}
    }
    let lo = unit.to_lowercase();
    match lo.as_str() {
        "%" => Some((Measure::Percent, 1.0)),
        "$" | "dollar" | "dollars" | "usd" => money("$"),
        "€" | "euro" | "euros" | "eur" => money("€"),
        "£" | "gbp" | "sterling" => money("£"),
        "¥" | "yen" | "jpy" => money("¥"),
        "yuan" | "renminbi" | "rmb" | "cny" => money("yuan"),
        "₹" | "rupee" | "rupees" | "inr" => money("₹"),
        "₦" | "naira" | "ngn" => money("₦"),
        "₱" | "peso" | "pesos" => money("₱"),
        "₩" => money("₩"),
        "rouble" | "roubles" | "ruble" | "rubles" => money("rouble"),
        "shilling" | "shillings" => money("shilling"),
        "metre" | "metres" | "meter" | "meters" => si("m", 1.0),
        "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => si("m", 1e3),
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => si("m", 1e-2),
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => si("m", 1e-3),
        "mile" | "miles" => si("m", 1609.344),
        "ft" | "foot" | "feet" => si("m", 0.3048),
        "inch" | "inches" => si("m", 0.0254),
        "yard" | "yards" | "yd" | "yds" => si("m", 0.9144),
        "kg" | "kilo" | "kilos" | "kilogram" | "kilograms" => si("kg", 1.0),
        "gram" | "grams" => si("kg", 1e-3),
        "tonne" | "tonnes" | "ton" | "tons" => si("kg", 1e3),
        "lb" | "lbs" => si("kg", 0.453_592_37),
        "hectare" | "hectares" | "ha" => si("m2", 1e4),
        "acre" | "acres" => si("m2", 4_046.856_422_4),
        "litre" | "litres" | "liter" | "liters" => si("l", 1.0),
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => si("l", 1e-3),
        "gallon" | "gallons" => si("l", 3.785_411_784),
        "barrel" | "barrels" => si("l", 158.987_294_928),
        "mph" => si("m/s", 0.447_04),
        "kph" | "kmh" => si("m/s", 1.0 / 3.6),
        "knot" | "knots" => si("m/s", 0.514_444),
        "degree" | "degrees" | "°" | "°c" | "celsius" | "centigrade" => si("deg", 1.0),
        _ => None,
    }
}

/// The key of a counted noun: lowercase, singular ("survivors" and "survivor", "people" and
/// "person", "injuries" and "injury"), ages folded to "year-old".
pub fn noun_key(noun: &str) -> String {
    let lo = noun.to_lowercase();
    let irregular = match lo.as_str() {
        "people" | "persons" => Some("person"),
        "men" => Some("man"),
        "women" => Some("woman"),
        "children" => Some("child"),
        "feet" => Some("foot"),
        "teeth" => Some("tooth"),
        "lives" => Some("life"),
        "wives" => Some("wife"),
        "year-old" | "years-old" | "year-olds" => Some("year-old"),
        _ => None,
    };
    if let Some(k) = irregular {
        return k.to_owned();
    }
    if lo.len() > 4 && lo.ends_with("ies") {
        return format!("{}y", &lo[..lo.len() - 3]);
    }
    if lo.len() > 4
        && ["sses", "xes", "ches", "shes", "zzes"]
            .iter()
            .any(|e| lo.ends_with(e))
    {
        return lo[..lo.len() - 2].to_owned();
    }
    if lo.len() > 3 && lo.ends_with('s') && !lo.ends_with("ss") && !lo.ends_with("us") {
        return lo[..lo.len() - 1].to_owned();
    }
    lo
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

/// A decimal spelled out in one word: "six-point-six" is 6.6, "zero-point-five" 0.5.
fn spelled_decimal(lo: &str) -> Option<f64> {
    let (whole, decimals) = lo.split_once("-point-")?;
    let whole = word_value(whole)?;
    Some(whole + decimal_digits(decimals.split('-'))?)
}

/// The fraction that spelled-out digits after "point" make: "six" is 0.6, "two five" 0.25.
fn decimal_digits<'a>(digits: impl Iterator<Item = &'a str>) -> Option<f64> {
    let mut value = 0.0;
    let mut place = 0.1;
    let mut any = false;
    for d in digits {
        let v = word_value(d).filter(|v| *v < 10.0)?;
        value += v * place;
        place /= 10.0;
        any = true;
    }
    any.then_some(value)
}

/// The rank of an ordinal from "third" up, spelled out ("fourth", "twenty-first"); "first" and
/// "second" only inside a compound.
fn ordinal_word(lo: &str) -> Option<f64> {
    let simple = |s: &str| -> Option<f64> {
        Some(match s {
            "first" => 1.0,
            "second" => 2.0,
            "third" => 3.0,
            "fourth" => 4.0,
            "fifth" => 5.0,
            "sixth" => 6.0,
            "seventh" => 7.0,
            "eighth" => 8.0,
            "ninth" => 9.0,
            "tenth" => 10.0,
            "eleventh" => 11.0,
            "twelfth" => 12.0,
            "thirteenth" => 13.0,
            "fourteenth" => 14.0,
            "fifteenth" => 15.0,
            "sixteenth" => 16.0,
            "seventeenth" => 17.0,
            "eighteenth" => 18.0,
            "nineteenth" => 19.0,
            "twentieth" => 20.0,
            "thirtieth" => 30.0,
            "fortieth" => 40.0,
            "fiftieth" => 50.0,
            "sixtieth" => 60.0,
            "seventieth" => 70.0,
            "eightieth" => 80.0,
            "ninetieth" => 90.0,
            "hundredth" => 100.0,
            _ => return None,
        })
    };
    match lo.split_once('-') {
        Some((tens, ones)) => {
            let t = word_value(tens).filter(|t| *t >= 20.0 && t % 10.0 == 0.0)?;
            let o = simple(ones).filter(|o| *o < 10.0)?;
            Some(t + o)
        }
        None => simple(lo).filter(|v| *v >= 3.0),
    }
}

/// The rank of an ordinal at word `i`: "117th", "21st", "fourth", "twenty-first".
fn ordinal_at(w: &Words<'_>, i: usize) -> Option<f64> {
    if w.is(i, NUM) {
        let raw = w.raw(i);
        let (v, suffix) = digits_value(raw)?;
        let ok = matches!(suffix, "st" | "nd" | "rd" | "th")
            && v.fract() == 0.0
            && !raw.contains(['.', ',']);
        return ok.then_some(v);
    }
    ordinal_word(w.lo(i))
}

/// The factor of a scale word ("million").
fn scale(lo: &str) -> Option<f64> {
    Some(match lo {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mn" => 1e6,
        "billion" | "bn" => 1e9,
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
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
        || spelled_decimal(lo).is_some()
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
        .filter(|c| matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₦' | '₱' | '₩'));
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
                "k" | "K" => value *= 1e3,
                "m" if currency.is_some() => value *= 1e6,
                "M" | "mn" | "Mn" => value *= 1e6,
                "bn" | "b" | "B" | "Bn" | "BN" => value *= 1e9,
                other => unit = Some(other.to_owned()),
            }
        }
    } else if let Some(v) = word_value(lo).or_else(|| spelled_decimal(lo)) {
        value = v;
        // "six point six".
        if v.fract() == 0.0 && w.lo(j) == "point" && w.joined(j) {
            let mut k = j + 1;
            while k < w.len() && w.joined(k) && word_value(w.lo(k)).is_some_and(|d| d < 10.0) {
                k += 1;
            }
            if let Some(f) = decimal_digits((j + 1..k).map(|x| w.lo(x))) {
                value += f;
                j = k;
            }
        }
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
    } else if text[end_byte..].starts_with('°') {
        // "15°C", "59°F", "45°".
        end_byte += '°'.len_utf8();
        let scale = match w.lo(j) {
            "c" | "f" if j < w.len() && w.tok(j).start == end_byte => Some(w.lo(j)),
            _ => None,
        };
        unit = Some(match scale {
            Some("f") => "°F".to_owned(),
            Some(_) => "°C".to_owned(),
            None => "°".to_owned(),
        });
        if scale.is_some() {
            end_byte = w.tok(j).end;
            j += 1;
        }
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
        if claimed[i]
            || !(could_start(w, i)
                || w.is(i, HYPHEN)
                || ordinal_word(w.lo(i)).is_some()
                || w.lo(i) == "half"
                || (w.lo(i) == "a"
                    && matches!(w.lo(i + 1), "third" | "quarter" | "fifth" | "tenth")))
        {
            i += 1;
            continue;
        }
        if let Some((fact, end)) =
            fraction(w, i).filter(|&(_, end)| !claimed[i..end].contains(&true))
        {
            out.push(fact);
            claimed[i..end].fill(true);
            i = end;
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
            if let Some(f) = ordinal(w, i) {
                out.push(f);
                claimed[i] = true;
            } else if let Some(f) = hyphen_count(w, i) {
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
        // "minus 8.6", "negative six", "-5".
        let worded_sign = i > 0 && matches!(w.lo(i - 1), "minus" | "negative") && w.joined(i);
        let dash_sign = w.gap(i).ends_with('-')
            && num.unit.as_deref().is_none_or(|u| u != "$")
            && w.gap(i)[..w.gap(i).len() - 1]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '['));
        let first = if worded_sign { i - 1 } else { i };
        let qual = qualifier_before(w, first);
        let noun = counted(w, num.end);
        let mut num_start = num.bytes.start;
        if worded_sign {
            num_start = w.tok(i - 1).start;
        } else if dash_sign {
            num_start -= 1;
        }
        let sign = if worded_sign || dash_sign { -1.0 } else { 1.0 };
        let start = qual.map_or(num_start, |(q, _)| w.tok(q).start.min(num_start));
        let end = noun.map_or(num.bytes.end, |(n, lo)| {
            (w.tok(n).start + lo.len().min(w.tok(n).end - w.tok(n).start)).max(num.bytes.end)
        });
        let qualifier = qual
            .map(|(_, q)| q.to_owned())
            .or_else(|| num.vague.map(str::to_owned));
        // "54 years old", "aged 54": ages.
        let aged = matches!(w.lo(first.wrapping_sub(1)), "aged" | "age") && w.joined(first);
        let counts = match noun {
            Some((n, "years" | "year")) if w.lo(n + 1) == "old" && w.joined(n + 1) => {
                Some("year-old".to_owned())
            }
            None if aged || apposed_age(w, first, num.end, num.value) => {
                Some("year-old".to_owned())
            }
            _ => noun.map(|(_, lo)| lo.to_owned()),
        };
        // "15 degrees Celsius", "59 degrees Fahrenheit": the scale is the unit.
        let mut unit = num.unit;
        if let Some((n, "degrees" | "degree")) = noun
            && w.joined(n + 1)
        {
            match w.lo(n + 1) {
                "fahrenheit" | "f" => unit = Some("°F".to_owned()),
                "celsius" | "centigrade" | "c" => unit = Some("°C".to_owned()),
                _ => {}
            }
        }
        let fact = NumberFact {
            value: sign * num.value,
            value_end: num.value_end.map(|v| sign * v),
            text: w.text()[num_start..num.bytes.end].to_owned(),
            unit,
            counts,
            qualifier,
            vague: num.vague.is_some(),
            ordinal: false,
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
        || spelled_decimal(lo).is_some()
        || vague_value(lo).is_some()
        || (matches!(lo, "a" | "an") && scale(w.lo(i + 1)).is_some())
}

/// "Hartley, 37, of Radstock", "Fahie, 51.": a whole number from 1 to 120 set off by commas
/// right after a name is the age of the person named.
fn apposed_age(w: &Words<'_>, i: usize, end: usize, value: f64) -> bool {
    let after = w.gap(end);
    i > 1
        && end == i + 1
        && w.is(i, NUM)
        && !w.raw(i).contains([',', '.'])
        && value.fract() == 0.0
        && (1.0..=120.0).contains(&value)
        && w.gap(i) == ", "
        && w.is(i - 1, CAP)
        && !w.starts_clause(i - 1)
        && !super::entities::is_month_or_weekday(w.lo(i - 1))
        && (after.starts_with([',', ')', ';']) || (end >= w.len() && after.trim() == "."))
}

/// The share a fraction word names, in percent: "third" 33.3, "two-thirds" 66.7.
fn fraction_value(lo: &str) -> Option<f64> {
    let (count, part) = match lo.split_once('-') {
        Some((count, part)) => (word_value(count)?, part),
        None => (1.0, lo),
    };
    let whole = match part {
        "half" | "halves" => 2.0,
        "third" | "thirds" => 3.0,
        "quarter" | "quarters" | "fourth" | "fourths" => 4.0,
        "fifth" | "fifths" => 5.0,
        "tenth" | "tenths" => 10.0,
        _ => return None,
    };
    (count < whole).then_some(100.0 * count / whole)
}

/// A share written as a fraction, read as a percentage: "half of the voters", "a third of",
/// "one-third of", "two-thirds of", "three-quarters", "one in four residents". Returns the fact
/// and one past its last word.
fn fraction(w: &Words<'_>, i: usize) -> Option<(Fact, usize)> {
    let lo = w.lo(i);
    let of_like = |j: usize| {
        w.joined(j)
            && matches!(
                w.lo(j),
                "of" | "the" | "its" | "their" | "his" | "her" | "our" | "all"
            )
    };
    let (value, end) = if lo == "half" {
        (50.0, i + 1)
    } else if matches!(lo, "a" | "one")
        && w.joined(i + 1)
        && matches!(w.lo(i + 1), "third" | "quarter" | "fifth" | "tenth")
    {
        (fraction_value(w.lo(i + 1))?, i + 2)
    } else if lo.contains('-') {
        (fraction_value(lo)?, i + 1)
    } else if w.lo(i + 1) == "in" && w.run_joined(i, i + 3) {
        // "one in four", "1 in 5".
        let part = |k: usize| match digits_value(w.raw(k)) {
            Some((v, "")) => Some(v),
            Some(_) => None,
            None => word_value(w.lo(k)),
        };
        let (x, y) = (part(i)?, part(i + 2)?);
        if !(x >= 1.0 && x < y && y <= 100.0 && x.fract() == 0.0 && y.fract() == 0.0) {
            return None;
        }
        (100.0 * x / y, i + 3)
    } else {
        return None;
    };
    // "half" and "a third" must be a share of something: "half of the", "a third of".
    let needs_of = end - i == 2 || lo == "half";
    if needs_of && !of_like(end) {
        return None;
    }
    let noun = counted(w, end);
    let qual = qualifier_before(w, i);
    let start = qual.map_or(w.tok(i).start, |(q, _)| w.tok(q).start);
    let num_end = w.tok(end - 1).end;
    let stop = noun.map_or(num_end, |(n, lo)| {
        (w.tok(n).start + lo.len().min(w.tok(n).end - w.tok(n).start)).max(num_end)
    });
    let fact = NumberFact {
        value,
        value_end: None,
        text: w.text()[w.tok(i).start..num_end].to_owned(),
        unit: Some("%".to_owned()),
        counts: noun.map(|(_, lo)| lo.to_owned()),
        qualifier: qual.map(|(_, q)| q.to_owned()),
        vague: false,
        ordinal: false,
    };
    let fact = Fact {
        kind: FactKind::Number(fact),
        range: range32(start..stop)?,
    };
    Some((fact, end))
}

/// "117th Avenue", "the fourth day": a rank and the word it ranks ("on the 7th," ranks nothing
/// and is left alone: a day of the month, most often).
fn ordinal(w: &Words<'_>, i: usize) -> Option<Fact> {
    let t = w.tok(i);
    let (value, text, ranks) = match ordinal_at(w, i) {
        Some(value) => {
            let next = i + 1;
            let ranks = (w.joined(next)
                && !w.is(next, HAS_DIGIT)
                && !is_function_word(w.lo(next))
                && w.lo(next).chars().all(|c| c.is_alphabetic() || c == '-'))
            .then(|| w.lo(next).to_owned())?;
            (value, w.raw(i), ranks)
        }
        None => {
            let (value, head, tail) = ranked_compound(w.raw(i))?;
            (value, head, tail)
        }
    };
    let fact = NumberFact {
        value,
        value_end: None,
        text: text.to_owned(),
        unit: None,
        counts: Some(ranks),
        qualifier: None,
        vague: false,
        ordinal: true,
    };
    Some(Fact {
        kind: FactKind::Number(fact),
        range: range32(t.start..t.end)?,
    })
}

/// "first-degree", "second-largest", "3rd-ranked": a rank glued to what it ranks. Only degrees,
/// places, seeds and superlatives: "third-party" is no rank. Returns the rank, the ordinal as
/// written and the ranked word.
fn ranked_compound(raw: &str) -> Option<(f64, &str, String)> {
    let (head, tail) = raw.split_once('-')?;
    let tail_lo = tail.to_lowercase();
    let ranked = matches!(
        tail_lo.as_str(),
        "degree" | "place" | "placed" | "ranked" | "seeded" | "seed"
    ) || (tail_lo.ends_with("est")
        && tail_lo.len() > 4
        && tail_lo.chars().all(char::is_alphabetic));
    if !ranked {
        return None;
    }
    let value = match digits_value(head) {
        Some((v, "st" | "nd" | "rd" | "th")) if v.fract() == 0.0 => v,
        Some(_) => return None,
        None => match head.to_lowercase().as_str() {
            "first" => 1.0,
            "second" => 2.0,
            other => ordinal_word(other)?,
        },
    };
    Some((value, head, tail_lo))
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
        ordinal: false,
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

    fn quantity(s: &str) -> Quantity {
        let n = numbers(s);
        assert_eq!(n.len(), 1, "{s}: {n:#?}");
        n[0].quantity()
    }

    #[test]
    fn ordinals_rank_a_noun() {
        let n =
            numbers("Southwest 117th Avenue, the fourth floor, the twenty-first day, on the 7th.");
        let got: Vec<(f64, bool, Option<&str>)> = n
            .iter()
            .map(|n| (n.value, n.ordinal, n.counts.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (117.0, true, Some("avenue")),
                (4.0, true, Some("floor")),
                (21.0, true, Some("day")),
            ]
        );
        assert!(numbers("The first time and the second half.").is_empty());
        assert_eq!(
            quantity("on 117th Avenue").measure,
            Measure::Ordinal(Some("avenue".into()))
        );
    }

    #[test]
    fn ranked_compounds() {
        let n = numbers("A first-degree charge at the world's second-largest port, 3rd-ranked.");
        let got: Vec<(f64, &str, Option<&str>)> = n
            .iter()
            .map(|n| (n.value, n.text.as_str(), n.counts.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (1.0, "first", Some("degree")),
                (2.0, "second", Some("largest")),
                (3.0, "3rd", Some("ranked"))
            ]
        );
        assert!(numbers("A third-party vendor").iter().all(|n| !n.ordinal));
    }

    #[test]
    fn fractions_are_shares() {
        let n = numbers("A third of the voters, two-thirds of members and one in five residents.");
        let got: Vec<(i64, Option<&str>)> = n
            .iter()
            .map(|n| ((n.value * 10.0).round() as i64, n.counts.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (333, Some("voters")),
                (667, Some("members")),
                (200, Some("residents"))
            ]
        );
        let n = numbers("In the second half, a third time, half-time.");
        assert!(n.iter().all(|n| n.unit.is_none()), "{n:#?}");
    }

    #[test]
    fn signs_and_spelled_decimals() {
        let n =
            numbers("It fell to negative six-point-six degrees, minus 8.6 degrees, -5 degrees.");
        let got: Vec<(f64, &str)> = n.iter().map(|n| (n.value, n.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (-6.6, "negative six-point-six"),
                (-8.6, "minus 8.6"),
                (-5.0, "-5")
            ]
        );
        assert!((numbers("a six point two five rise")[0].value - 6.25).abs() < 1e-9);
        assert_eq!(n[0].quantity().measure, Measure::Unit("deg"));
    }

    #[test]
    fn ages() {
        for s in [
            "Andrew Hartley, 37, of Radstock",
            "a 37-year-old",
            "He is 37 years old",
            "Hartley, aged 37",
            "The fitter was Andrew Hartley, 37.",
        ] {
            assert_eq!(
                quantity(s),
                Quantity {
                    measure: Measure::Age,
                    value: 37.0,
                    value_end: None
                },
                "{s}"
            );
        }
        assert_ne!(
            quantity("The teams meet on Thursday, 10.").measure,
            Measure::Age
        );
        assert_eq!(
            quantity("In Paris, 37 people").measure,
            Measure::Count(Some("person".into()))
        );
    }

    #[test]
    fn renderings_share_a_quantity() {
        let same = |a: &str, b: &str| {
            let (x, y) = (quantity(a), quantity(b));
            assert_eq!(x.measure, y.measure, "{a} / {b}");
            assert!(
                (x.value - y.value).abs() <= 1e-6 * x.value.abs(),
                "{a} {x:?} / {b} {y:?}"
            );
        };
        same("$2m", "$2 million");
        same("$2 million", "2 million dollars");
        same("10 percent", "10%");
        same("10 per cent", "10%");
        same("1,500 survivors", "1500 survivor");
        same("three people", "3 persons");
        same("5 km", "5,000 metres");
        same("625ft", "625 feet");
        same("12 injuries", "12 injury");
        same("$5M", "$5 million");
        same("₹5 crore", "50 million rupees");
        same("half of the voters", "50% of the voters");
        same("one in four voters", "25 percent of voters");
        same("three-quarters of voters", "75% of voters");
        same("10M users", "10 million users");
        same("100m", "100 metres");
        same("200g", "0.2 kg");
        same("15C", "59F");
        same("15°C", "59°F");
        same("15 degrees Celsius", "59 degrees Fahrenheit");
        same("15 degrees", "15°C");
        assert_eq!(numbers("It was 15°C at noon")[0].text, "15°C");
        assert_ne!(quantity("$20").measure, quantity("€20").measure);
        assert_eq!(
            quantity("a 5G network").measure,
            Measure::Count(Some("network".into()))
        );
        assert_eq!(noun_key("churches"), "church");
        assert_eq!(noun_key("houses"), "house");
        assert_eq!(noun_key("children"), "child");
    }
}
