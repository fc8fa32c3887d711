//! Attributions: who a statement comes from. "according to SNHR", "the ministry said",
//! "said Dana Idris", "he told Reuters", "citing officials", "a spokesperson for the army",
//! "sources said", "reported by Reuters".
//!
//! The source is the subject before a reporting verb (a name run, a pronoun, or a short noun
//! phrase such as "security sources"), or the words after it when the verb follows punctuation
//! (`," said Dana Idris`). "told" + a capitalized name gives a second attribution whose source
//! is the outlet ("told Reuters"). Auxiliaries and adverbs between subject and verb ("has also
//! said") are skipped; a passive ("was told") is not an attribution.
//!
//! Limits: a subject separated from its verb by an appositive ("Idris, 45, said") is taken
//! from after the verb only when the verb is followed by a name; relative clauses ("SNHR, which
//! tracks deaths, said") lose their source.

use super::words::{CAP, Words};
use super::{Fact, FactKind, range32};

/// A statement of where information came from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AttributionFact {
    /// Who or what the information is attributed to, as written ("Reuters", "he",
    /// "security sources", "Dana Idris").
    pub source: String,
    /// The cue, lowercased ("according to", "said", "told", "citing", "spokesperson for").
    pub cue: String,
}

/// Verbs that attribute a statement to their subject.
pub fn is_reporting_verb(lo: &str) -> bool {
    matches!(
        lo,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "tell"
            | "reported"
            | "reports"
            | "stated"
            | "states"
            | "added"
            | "adds"
            | "noted"
            | "notes"
            | "wrote"
            | "writes"
            | "announced"
            | "announces"
            | "explained"
            | "declared"
            | "warned"
            | "acknowledged"
            | "estimated"
            | "conceded"
            | "concedes"
            | "admitted"
            | "admits"
            | "insisted"
            | "insists"
            | "argued"
            | "argues"
            | "stressed"
            | "stresses"
            | "asserted"
            | "asserts"
            | "alleged"
            | "alleges"
            | "contended"
            | "testified"
            | "emphasized"
            | "emphasised"
            | "commented"
            | "cautioned"
            | "replied"
            | "accused"
            | "accuses"
            | "countered"
            | "counters"
            | "observed"
            | "observes"
            | "maintained"
            | "maintains"
            | "disclosed"
            | "discloses"
            | "confirmed"
            | "confirms"
            // Beyond "said": the verbs of saying that reporting-verb lexicons of news
            // attribution list (neutral, emphatic, conceding, answering, recalling).
            | "mentioned"
            | "mentions"
            | "reiterated"
            | "reiterates"
            | "recalled"
            | "recalls"
            | "recounted"
            | "recounts"
            | "complained"
            | "complains"
            | "affirmed"
            | "affirms"
            | "reaffirmed"
            | "reaffirms"
            | "assured"
            | "assures"
            | "highlighted"
            | "highlights"
            | "underscored"
            | "underscores"
            | "clarified"
            | "revealed"
            | "reveals"
            | "confessed"
            | "retorted"
            | "explains"
            | "contends"
            | "lamented"
            | "laments"
            | "remarked"
            | "responded"
            | "replies"
            | "answered"
            | "boasted"
    )
}

/// Verbs that introduce a quotation, beyond the reporting verbs.
pub(super) fn is_speech_verb(lo: &str) -> bool {
    is_reporting_verb(lo)
        || matches!(
            lo,
            "asked"
                | "continued"
                | "shouted"
                | "cried"
                | "screamed"
                | "whispered"
                | "tweeted"
                | "posted"
                | "claimed"
                | "urged"
                | "vowed"
                | "remembered"
                | "described"
                | "describing"
                | "saying"
                | "telling"
                | "adding"
                | "writing"
                | "asks"
                | "yelled"
                | "pleaded"
                | "begged"
                | "exclaimed"
                | "quipped"
                | "joked"
        )
}

fn is_pronoun(lo: &str) -> bool {
    matches!(lo, "he" | "she" | "they" | "we" | "i" | "it" | "you")
}

/// Words that cannot end a noun-phrase source, and that stop one when walking through it.
fn stops_phrase(lo: &str) -> bool {
    matches!(
        lo,
        "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "and"
            | "but"
            | "or"
            | "while"
            | "as"
            | "when"
            | "if"
            | "because"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "being"
            | "having"
            | "not"
            | "in"
            | "on"
            | "at"
            | "to"
            | "with"
            | "by"
            | "after"
            | "before"
            | "also"
            | "has"
            | "have"
            | "had"
            | "did"
            | "does"
            | "do"
            | "would"
            | "will"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "there"
            | "this"
            | "these"
            | "those"
            | "so"
            | "then"
            | "than"
            | "where"
            | "said"
            | "says"
            | "told"
            | "added"
            | "what"
            | "how"
            | "why"
    ) || is_speech_verb(lo)
}

fn is_determiner(lo: &str) -> bool {
    matches!(
        lo,
        "the"
            | "a"
            | "an"
            | "its"
            | "his"
            | "her"
            | "their"
            | "our"
            | "two"
            | "three"
            | "several"
            | "some"
            | "many"
            | "one"
    )
}

/// A lowercase word in -ly that stands before a verb: an adverb ("simply", "openly"), not a
/// source.
fn is_adverb(w: &Words<'_>, k: usize) -> bool {
    let lo = w.lo(k);
    lo.len() > 4 && lo.ends_with("ly") && !w.is(k, CAP) && !matches!(lo, "family" | "assembly")
}

/// Whether word `k` is a title abbreviated with a dot that the name follows ("Mr. Marcus",
/// "Dr. Idris", "Sen. Cruz"): the dot ends no sentence, so the name run goes on through it.
fn abbreviated_title(w: &Words<'_>, k: usize) -> bool {
    w.is(k, CAP)
        && matches!(
            w.lo(k),
            "mr" | "mrs"
                | "ms"
                | "dr"
                | "gen"
                | "col"
                | "capt"
                | "sen"
                | "rep"
                | "gov"
                | "prof"
                | "lt"
                | "sgt"
                | "det"
                | "insp"
                | "supt"
                | "rev"
                | "st"
        )
        && w.gap(k + 1).starts_with(". ")
        && w.gap(k + 1)[1..].bytes().all(|b| b.is_ascii_whitespace())
        && name_word(w, k + 1)
}

/// Whether word `k` can be part of a name run.
fn name_word(w: &Words<'_>, k: usize) -> bool {
    k < w.len()
        && (w.is(k, CAP) || (w.lo(k).starts_with("al-") && w.raw(k).len() > 3))
        && w.raw(k).chars().count() > 1
}

fn is_name_connector(lo: &str) -> bool {
    matches!(
        lo,
        "al" | "el" | "bin" | "ibn" | "de" | "van" | "von" | "of" | "for"
    )
}

/// Strips a possessive and leading articles from a source.
fn tidy(s: &str) -> String {
    let s = s.strip_suffix("'s").unwrap_or(s);
    let s = s.strip_prefix("The ").unwrap_or(s);
    s.to_owned()
}

/// The subject that ends right before the reporting verb at `v`: its first word and text.
pub(super) fn subject_before(w: &Words<'_>, v: usize) -> Option<(usize, String)> {
    let mut k = v;
    while k > 0
        && w.joined(k)
        && matches!(
            w.lo(k - 1),
            "has"
                | "have"
                | "had"
                | "also"
                | "later"
                | "previously"
                | "earlier"
                | "then"
                | "further"
                | "separately"
                | "would"
                | "will"
                | "once"
                | "repeatedly"
                | "publicly"
                | "initially"
                | "first"
                | "subsequently"
                | "again"
                | "since"
        )
        // Any other adverb in -ly ("simply said", "openly admitted").
        || (k > 0 && w.joined(k) && is_adverb(w, k - 1))
    {
        k -= 1;
    }
    if k == 0 || !w.joined(k) {
        return None;
    }
    let e = k - 1;
    let text = w.text();
    let lo = w.lo(e);
    if is_pronoun(lo) {
        return Some((e, lo.to_owned()));
    }
    // A capital opening a sentence does not make "The" or "Having" a name.
    if stops_phrase(lo) || is_determiner(lo) {
        return None;
    }
    if name_word(w, e) {
        let mut s = e;
        while s > 0 && w.joined(s) {
            if name_word(w, s - 1) {
                s -= 1;
            } else if s > 1
                && is_name_connector(w.lo(s - 1))
                && w.joined(s - 1)
                && name_word(w, s - 2)
            {
                s -= 2;
            } else {
                break;
            }
        }
        if s < e && w.starts_clause(s) && matches!(w.lo(s), "the" | "a" | "an") {
            s += 1;
        }
        return Some((s, tidy(&text[w.tok(s).start..w.tok(e).end])));
    }
    if !lo.chars().all(|c| c.is_alphabetic() || c == '-') {
        return None;
    }
    let mut s = e;
    while s > 0 && e - s < 3 && w.joined(s) {
        let prev = w.lo(s - 1);
        if stops_phrase(prev) || !prev.chars().all(|c| c.is_alphabetic() || c == '-') {
            break;
        }
        s -= 1;
        if is_determiner(prev) {
            break;
        }
    }
    Some((s, tidy(&text[w.tok(s).start..w.tok(e).end])))
}

/// The source that starts at word `j` (after "according to", after an inverted verb): a
/// pronoun, a name run, or a noun phrase of up to six words. Returns one past its last word.
pub(super) fn source_after(w: &Words<'_>, j: usize) -> Option<(usize, String)> {
    if j >= w.len() || (j > 0 && !w.joined(j)) {
        return None;
    }
    let text = w.text();
    let mut j = j;
    if matches!(w.lo(j), "the" | "a" | "an") && w.joined(j + 1) && name_word(w, j + 1) {
        j += 1;
    }
    let lo = w.lo(j);
    if is_pronoun(lo) {
        return Some((j + 1, lo.to_owned()));
    }
    let mut e = j + 1;
    if name_word(w, j) {
        while e < w.len()
            && (w.joined(e) || abbreviated_title(w, e - 1))
            && !w.raw(e - 1).ends_with("'s")
        {
            if name_word(w, e) {
                e += 1;
            } else if is_name_connector(w.lo(e)) && w.joined(e + 1) && name_word(w, e + 1) {
                e += 2;
            } else {
                break;
            }
        }
    } else {
        if stops_phrase(lo) {
            return None;
        }
        while e < w.len() && e - j < 6 && w.joined(e) && !stops_phrase(w.lo(e)) {
            e += 1;
        }
    }
    Some((e, tidy(&text[w.tok(j).start..w.tok(e - 1).end])))
}

/// Whether the words from `j` can be the source after an inverted verb (`, said a police
/// spokesman`): a pronoun, a name, a determiner or a plural that names people. Anything else
/// is the reported clause (`- said over 1,000 people died`).
fn plausible_source(w: &Words<'_>, j: usize) -> bool {
    let lo = w.lo(j);
    is_pronoun(lo)
        || name_word(w, j)
        || matches!(
            lo,
            "the" | "a" | "an" | "one" | "another" | "two" | "three" | "several"
        )
        || matches!(
            lo,
            "police"
                | "officials"
                | "witnesses"
                | "residents"
                | "sources"
                | "activists"
                | "medics"
                | "doctors"
                | "rescuers"
                | "survivors"
                | "officers"
                | "diplomats"
                | "analysts"
                | "experts"
                | "investigators"
                | "prosecutors"
                | "authorities"
        )
}

/// Nouns for work that finds things out: a finding credited to one ("research shows that",
/// "the survey found") is attributed to it.
fn is_study(lo: &str) -> bool {
    matches!(
        lo,
        "research"
            | "study"
            | "studies"
            | "report"
            | "survey"
            | "analysis"
            | "poll"
            | "review"
            | "investigation"
            | "inquiry"
            | "audit"
            | "data"
            | "paper"
            | "findings"
            | "researchers"
            | "scientists"
            | "investigators"
            | "experiment"
            | "trial"
            | "census"
    )
}

/// The work that a finding verb at `v` credits ("Research on adolescent development shows
/// that", "A 2019 Pew survey found"): the first study noun of the words joined to the verb
/// (at most eight back, within the clause), with the capitalized words right before it
/// ("Pew survey"). Returns the first word of the source and its text.
fn study_before(w: &Words<'_>, v: usize) -> Option<(usize, String)> {
    let mut start = v;
    while start > 0 && v - start < 8 && w.joined(start) && !w.starts_clause(start) {
        let lo = w.lo(start - 1);
        // "and" inside a name ("the University and College Union") joins no clauses.
        let in_name = lo == "and" && start >= 2 && name_word(w, start - 2) && name_word(w, start);
        if matches!(lo, "that" | "which" | "who" | "and" | "but" | "while") && !in_name {
            break;
        }
        start -= 1;
    }
    let k = (start..v).find(|&k| is_study(w.lo(k)))?;
    let mut s = k;
    while s > start && w.joined(s) && name_word(w, s - 1) && !w.starts_clause(s - 1) {
        s -= 1;
    }
    let text = w.text();
    Some((s, text[w.tok(s).start..w.tok(k).end].to_owned()))
}

/// The subject of the clause that opens the sentence, for a participle of speech after a
/// comma ("Bloomberg apologised, saying that …", "He resigned, adding …"): a pronoun or a
/// name run at its first word (after "the").
fn opening_subject(w: &Words<'_>, before: usize) -> Option<String> {
    let mut s = 0;
    if w.lo(s) == "the" && name_word(w, s + 1) {
        s += 1;
    }
    if s >= before {
        return None;
    }
    if is_pronoun(w.lo(s)) {
        return Some(w.lo(s).to_owned());
    }
    // A capital opening the sentence does not make "But" or "In" a name.
    let lo = w.lo(s);
    if stops_phrase(lo)
        || is_determiner(lo)
        || matches!(
            lo,
            "yet"
                | "however"
                | "meanwhile"
                | "for"
                | "from"
                | "of"
                | "during"
                | "although"
                | "though"
                | "still"
                | "now"
                | "today"
                | "last"
                | "earlier"
                | "later"
                | "under"
        )
    {
        return None;
    }
    let (e, source) = source_after(w, s)?;
    (name_word(w, s) && e < before).then_some(source)
}

/// The named subject of a reporting verb set off by commas: "Dana Idris, 45, said",
/// "Gary Scott, the acting chief, added that", "SNHR, which tracks deaths, said", or a stray
/// comma ("Gary Scott, added that"). The name run must open its clause.
fn subject_before_comma(w: &Words<'_>, v: usize) -> Option<(usize, String)> {
    if v == 0 || w.gap(v).trim() != "," {
        return None;
    }
    // The name run ending at word `k`, when it opens its clause: its first word.
    let run = |k: usize| -> Option<usize> {
        if !name_word(w, k) {
            return None;
        }
        let mut s = k;
        while s > 0 && w.joined(s) && name_word(w, s - 1) {
            s -= 1;
        }
        if s > 0 && w.joined(s) && w.lo(s - 1) == "the" {
            s -= 1;
        }
        // A name set off by commas after its description ("the acting chief, Gary Scott,
        // added"): the named person speaks.
        let appositive = s > 0 && w.gap(s).trim() == ",";
        (w.starts_clause(s) || appositive).then_some(if w.lo(s) == "the" { s + 1 } else { s })
    };
    // A description that opens the clause ("The director", "The minister's spokesman"): up
    // to four words ending at word `k`, the first a determiner or a name.
    let description = |k: usize| -> Option<usize> {
        let mut s = k;
        while s > 0 && k - s < 3 && w.joined(s) && !w.starts_clause(s) {
            s -= 1;
        }
        let opener = matches!(
            w.lo(s),
            "the" | "a" | "an" | "his" | "her" | "their" | "its"
        ) || name_word(w, s);
        (w.starts_clause(s)
            && opener
            && (s..=k).all(|j| {
                w.lo(j)
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}')
            }))
        .then_some(if matches!(w.lo(s), "the" | "a" | "an") {
            s + 1
        } else {
            s
        })
    };
    let found = run(v - 1).map(|s| (s, v - 1)).or_else(|| {
        // An appositive: back to the comma that opens it, at most ten words.
        let mut k = v - 1;
        while w.gap(k).trim() != "," {
            if v - k > 10 || k == 0 || w.starts_clause(k) {
                return None;
            }
            k -= 1;
        }
        if k == 0 {
            return None;
        }
        run(k - 1)
            .or_else(|| description(k - 1))
            .map(|s| (s, k - 1))
    });
    let (s, e) = found?;
    Some((s, tidy(&w.text()[w.tok(s).start..w.tok(e).end])))
}

/// Whether word `e`, right after a noun phrase, is the verb of a clause that phrase opens: "said
/// the plan had failed" reports a statement, it does not name "the plan" as the speaker the way
/// "…, said the official." does.
fn opens_clause(w: &Words<'_>, e: usize) -> bool {
    e < w.len()
        && w.joined(e)
        && matches!(
            w.lo(e),
            "had"
                | "has"
                | "have"
                | "was"
                | "were"
                | "is"
                | "are"
                | "would"
                | "will"
                | "could"
                | "can"
                | "did"
                | "does"
                | "do"
                | "should"
                | "may"
                | "might"
                | "must"
        )
}

/// Finds the attributions of the scanned sentence.
pub(super) fn find(w: &Words<'_>, out: &mut Vec<Fact>) {
    let mut covered = 0usize;
    let push = |out: &mut Vec<Fact>, source: String, cue: &str, start: usize, end: usize| {
        if let Some(range) = range32(start..end) {
            out.push(Fact {
                kind: FactKind::Attribution(AttributionFact {
                    source,
                    cue: cue.to_owned(),
                }),
                range,
            });
        }
    };
    for i in 0..w.len() {
        let lo = w.lo(i);
        let two = |second: &str| w.lo(i + 1) == second && w.joined(i + 1);
        let lead = match lo {
            "according" if two("to") => Some((i + 2, "according to")),
            "citing" => Some((i + 1, "citing")),
            // "Information reaching the Observer is that …": the outlet's own sourcing.
            "information" if two("reaching") => Some((i + 2, "information reaching")),
            "reported" | "reporting" if two("by") => Some((i + 2, "reported by")),
            "spokesperson" | "spokesman" | "spokeswoman" | "representative"
                if two("for") || two("of") =>
            {
                Some((i + 2, "spokesperson for"))
            }
            _ => None,
        };
        if let Some((j, cue)) = lead {
            if let Some((e, source)) = source_after(w, j) {
                push(out, source, cue, w.tok(i).start, w.tok(e - 1).end);
                covered = w.tok(e - 1).end;
            }
            continue;
        }
        // "claimed" reports speech only before a clause ("the loggers claimed that he was
        // alive"), not in "claimed responsibility" or "claimed the lives of"; a forecast or a
        // prediction only before a clause or closing the sentence ("…, the weather agency
        // forecasts."), not in "the forecasts show".
        let clause = w.lo(i + 1) == "that";
        let closing = w.lo(i + 1).is_empty();
        // After a determiner or a modifier, "forecasts" is a noun ("the latest forecasts").
        let noun = i > 0
            && matches!(
                w.lo(i - 1),
                "the"
                    | "a"
                    | "an"
                    | "these"
                    | "those"
                    | "its"
                    | "their"
                    | "our"
                    | "latest"
                    | "new"
                    | "weather"
                    | "official"
                    | "early"
            );
        // "researchers found that …", "the report finds that …": a finding credited to its
        // finder; "experts pointed out that …".
        let finding = matches!(lo, "found" | "finds" | "concluded" | "concludes") && clause;
        // "Research on adolescent development shows that …", "researchers found the links
        // being spread …", "a survey suggested …": a finding credited to the work.
        if matches!(
            lo,
            "shows"
                | "showed"
                | "suggests"
                | "suggested"
                | "found"
                | "finds"
                | "concluded"
                | "concludes"
                | "indicates"
                | "indicated"
                | "claims"
                | "claimed"
        ) && (w.starts_clause(i) || !w.is(i, CAP))
            && let Some((s, source)) = study_before(w, i)
        {
            let object = matches!(
                w.lo(i + 1),
                "responsibility" | "credit" | "victory" | "his" | "her" | "its" | "their"
            );
            if !object && w.tok(s).start >= covered {
                push(out, source, lo, w.tok(s).start, w.tok(i).end);
                covered = w.tok(i).end;
            }
            continue;
        }
        // "…, saying that …", "…, adding …": the participle reports the opening subject.
        if matches!(
            lo,
            "saying" | "adding" | "noting" | "insisting" | "arguing" | "stressing" | "explaining"
        ) && w.gap(i).trim() == ","
            && let Some(source) = opening_subject(w, i)
        {
            push(out, source, lo, w.tok(i).start, w.tok(i).end);
            continue;
        }
        let pointed = matches!(lo, "pointed" | "points") && w.lo(i + 1) == "out";
        // "Family members related that …": "related" reports only before a clause.
        let related = lo == "related" && clause;
        let claim = finding
            || pointed
            || related
            || (matches!(lo, "claimed" | "claims") && clause)
            || (matches!(
                lo,
                "forecasts" | "forecast" | "predicted" | "predicts" | "projects"
            ) && (clause || closing || (i > 0 && !noun)));
        if !(is_reporting_verb(lo) || claim) || lo == "estimated" {
            continue;
        }
        // Capitalized inside a clause, it is a name's word ("the United States"), not a verb.
        if w.is(i, CAP) && !w.starts_clause(i) {
            continue;
        }
        let verb = w.tok(i);
        if matches!(lo, "told" | "tells" | "tell")
            && name_word(w, i + 1)
            && let Some((e, outlet)) = source_after(w, i + 1)
        {
            push(out, outlet, lo, verb.start, w.tok(e - 1).end);
        }
        if let Some((s, source)) = subject_before(w, i) {
            if w.tok(s).start >= covered {
                push(out, source, lo, w.tok(s).start, verb.end);
            }
        } else if is_reporting_verb(lo)
            && let Some((s, source)) = subject_before_comma(w, i)
        {
            if w.tok(s).start >= covered {
                push(out, source, lo, w.tok(s).start, verb.end);
            }
        } else if (i == 0 || !w.joined(i))
            && plausible_source(w, i + 1)
            && let Some((e, source)) = source_after(w, i + 1)
            && !opens_clause(w, e)
        {
            push(out, source, lo, verb.start, w.tok(e - 1).end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributions(s: &str) -> Vec<(String, String)> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        let mut out = Vec::new();
        find(&w, &mut out);
        out.into_iter()
            .map(|f| match f.kind {
                FactKind::Attribution(a) => (a.source, a.cue),
                _ => unreachable!(),
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn findings_are_credited_to_the_work_that_found_them() {
        assert_eq!(
            attributions("Research on adolescent development shows that old models fail."),
            pairs(&[("Research", "shows")])
        );
        assert_eq!(
            attributions("A 2019 Pew survey found that most adults agree."),
            pairs(&[("Pew survey", "found")])
        );
        assert_eq!(
            attributions("Researchers found the links being spread by text message."),
            pairs(&[("Researchers", "found")])
        );
        assert_eq!(
            attributions("The report by the Brill and Hale Union claims staff were underpaid."),
            pairs(&[("report", "claims")])
        );
        assert!(attributions("Police found a body in the river.").is_empty());
        assert!(attributions("The study claims its share of attention.").is_empty());
    }

    #[test]
    fn a_subject_set_off_by_commas_still_speaks() {
        assert_eq!(
            attributions("Dana Idris, 45, said the market burned."),
            pairs(&[("Dana Idris", "said")])
        );
        assert_eq!(
            attributions("Gary Hale, the acting chief, added that two events are planned."),
            pairs(&[("Gary Hale", "added")])
        );
        assert_eq!(
            attributions("Gary Hale, added that two events are planned."),
            pairs(&[("Gary Hale", "added")])
        );
        // A comma after an opening phrase leaves the subject where it is.
        assert_eq!(
            attributions("In Paris, officials said the strike ended."),
            pairs(&[("officials", "said")])
        );
    }

    #[test]
    fn a_participle_of_speech_reports_the_opening_subject() {
        assert_eq!(
            attributions("Bloomberg apologised, saying that he had failed to see the harm."),
            pairs(&[("Bloomberg", "saying")])
        );
        assert_eq!(
            attributions("He resigned on Monday, adding that he would not run again."),
            pairs(&[("he", "adding")])
        );
        assert!(attributions("But the judges ruled, noting the law was clear.").is_empty());
    }

    #[test]
    fn claimed_that_attributes_and_claimed_responsibility_does_not() {
        assert_eq!(
            attributions("The loggers claimed that he was still alive."),
            pairs(&[("loggers", "claimed")])
        );
        assert!(attributions("The group claimed responsibility for the attack.").is_empty());
        assert!(attributions("The storm claimed the lives of 10 people.").is_empty());
        assert_eq!(
            attributions("The loggers have since claimed that he was alive."),
            pairs(&[("loggers", "claimed")])
        );
        assert_eq!(
            attributions("Snow will return on Sunday, the weather agency forecasts."),
            pairs(&[("the weather agency", "forecasts")])
        );
        assert_eq!(
            attributions("Economists predicted that prices would fall."),
            pairs(&[("Economists", "predicted")])
        );
        assert!(attributions("The forecasts show snow on Sunday.").is_empty());
        assert!(attributions("Weather forecasts show snow on Sunday.").is_empty());
        assert_eq!(
            attributions("Information reaching the Daily Observer is that the man was shot."),
            pairs(&[("Daily Observer", "information reaching")])
        );
        assert_eq!(
            attributions(
                "But the Korea Meteorological Administration forecasts the cold to return."
            ),
            pairs(&[("Korea Meteorological Administration", "forecasts")])
        );
    }

    #[test]
    fn subjects_and_inversions() {
        assert_eq!(
            attributions("The Danube Monitor said 40 died."),
            pairs(&[("Danube Monitor", "said")])
        );
        assert_eq!(
            attributions("\"Go,\" said Dana Idris, a nurse."),
            pairs(&[("Dana Idris", "said")])
        );
        assert_eq!(
            attributions("Security sources have also said it."),
            pairs(&[("Security sources", "said")])
        );
        assert_eq!(attributions("He was told to leave."), pairs(&[]));
    }

    #[test]
    fn outlets_and_leads() {
        assert_eq!(
            attributions("It grew, she told Reuters on Monday."),
            pairs(&[("Reuters", "told"), ("she", "told")])
        );
        assert_eq!(
            attributions("At least 40 died, according to the Danube Monitor, citing medics."),
            pairs(&[("Danube Monitor", "according to"), ("medics", "citing")])
        );
        assert_eq!(
            attributions("A spokesperson for the Harbour Authority said nothing."),
            pairs(&[("Harbour Authority", "spokesperson for")])
        );
    }

    #[test]
    fn an_abbreviated_title_keeps_its_name() {
        assert_eq!(
            attributions("Demand peaked on Friday, according to Mr. Marcus."),
            pairs(&[("Mr. Marcus", "according to")])
        );
        assert_eq!(
            attributions("\"It held,\" said Dr. Dana Idris."),
            pairs(&[("Dr. Dana Idris", "said")])
        );
    }

    #[test]
    fn an_inverted_verb_needs_a_plausible_source() {
        assert_eq!(
            attributions("The Danube Monitor - a local group - said over 40 people died."),
            pairs(&[])
        );
        assert_eq!(
            attributions("It was over, said a police spokesman."),
            pairs(&[("a police spokesman", "said")])
        );
    }

    #[test]
    fn a_participle_is_not_a_speaker() {
        // Issue 14, class 8: "That being said" once gave a speaker called "being".
        assert_eq!(
            attributions("That being said, the port will reopen, he said."),
            pairs(&[("he", "said")])
        );
        assert_eq!(attributions("Having said that, it reopened."), pairs(&[]));
        // Nor is an adverb, and a verb's spelling inside a name is no verb.
        assert_eq!(
            attributions("Tegnell simply said the tattoo was fine."),
            pairs(&[("Tegnell", "said")])
        );
        assert_eq!(
            attributions("The cocaine was bound for the United States by sea."),
            pairs(&[])
        );
    }

    #[test]
    fn appositives_and_descriptions_speak_and_a_clause_is_no_inverted_speaker() {
        // A name set off by commas after its description speaks.
        assert_eq!(
            attributions(
                "The acting chief of the zone, Gary Scott, added that two events are planned."
            ),
            pairs(&[("Gary Scott", "added")])
        );
        assert_eq!(
            attributions("The minister's spokesman, John Smith, said the plan had failed."),
            pairs(&[("John Smith", "said")])
        );
        // A description opening the clause speaks across an aside.
        assert_eq!(
            attributions("The director, speaking on Monday, conceded the plan had failed."),
            pairs(&[("director", "conceded")])
        );
        // "said the plan had failed": "the plan" opens the reported clause, it says nothing.
        assert_eq!(attributions("Said the plan had failed."), pairs(&[]));
        // Still an inversion where the phrase closes the sentence.
        assert_eq!(
            attributions("The plan had failed, said the minister."),
            pairs(&[("the minister", "said")])
        );
        // More verbs of saying, and "related" only before a clause.
        assert_eq!(
            attributions("Officials mentioned that the bridge was closed."),
            pairs(&[("Officials", "mentioned")])
        );
        assert_eq!(
            attributions("Family members related that the loggers did make it out."),
            pairs(&[("Family members", "related")])
        );
        assert_eq!(attributions("Drug related deaths rose."), pairs(&[]));
    }

    #[test]
    fn the_reporting_verbs_beyond_said() {
        for verb in [
            "conceded",
            "admitted",
            "insisted",
            "argued",
            "testified",
            "cautioned",
        ] {
            assert_eq!(
                attributions(&format!("The harbour master {verb} the ferry was late.")),
                pairs(&[("harbour master", verb)]),
                "{verb}"
            );
        }
        assert_eq!(
            attributions("Specialists pointed out that demand was lower."),
            pairs(&[("Specialists", "pointed")])
        );
        assert_eq!(
            attributions("The report found that reserves stayed above 3%."),
            pairs(&[("report", "found")])
        );
        assert!(attributions("Police found the car on Monday.").is_empty());
        // Passive and adjectival uses are not attributions.
        assert_eq!(attributions("She was admitted to hospital."), pairs(&[]));
        assert_eq!(attributions("The alleged thief fled."), pairs(&[]));
    }
}
