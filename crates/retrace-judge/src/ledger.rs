//! The claim ledger of a story: the figures, dates and quotations its documents state, which
//! documents state each one, and where they disagree.
//!
//! Input: the analyzed documents of one story, each with a name. Output: [`Claim`]s, each a
//! subject (what a figure counts; what happened on a date; who is quoted) with the versions the
//! documents give of it. Figures are grouped by the noun they count ("bodies", "residents");
//! dates by the word before them that names what happened ("the attack on March 7": "attack");
//! quotations by speaker, then by wording (two quotations of one speaker that share most of
//! their words are versions of one quotation). A claim with more than one version is a
//! disagreement: a figure or a date that changed on the way, a quotation altered.
//!
//! Limits: a figure without a counted noun, a date without a month and day or without such a
//! word shortly before it, and a quotation without a speaker are left out (there is nothing to
//! group them by); speakers are compared as written, so "Sharaa" and "al-Sharaa" are two
//! speakers.

use std::collections::{BTreeMap, BTreeSet};

use retrace_text::{Analyzed, FactKind};
use serde::{Deserialize, Serialize};

/// One subject of a story, with every version the documents give of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    /// `number`, `date` or `quote`.
    pub kind: &'static str,
    /// What the figure counts, or who is quoted.
    pub subject: String,
    /// The versions, the one most documents give first.
    pub versions: Vec<Version>,
    /// True when two documents state it differently: each gives a version the other lacks.
    /// (A document that gives fewer versions, such as an excerpt, does not disagree.)
    pub disagree: bool,
}

/// One version of a claim and the documents that give it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Version {
    /// The figure with its qualifier ("more than 120"), or the quotation's words.
    pub text: String,
    /// The documents, by the names given, in the order given.
    pub documents: Vec<String>,
}

/// The versions of one claim: the text of each, and the documents (by index) that give it.
type Versions = BTreeMap<String, Vec<usize>>;

/// Quotations of one speaker that share at least this share of their words are one quotation.
const SAME_QUOTE: f64 = 0.5;

/// What one document states that a ledger reads, in the order it states it: its dated events,
/// its counted figures and its attributed quotations. It is derived from the document alone
/// ([`Statements::of`]), so a distributed scan computes each member's in parallel and
/// assembles a story's ledger ([`ledger_of`]) from these, without the members' texts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Statements(pub Vec<Statement>);

/// One statement a ledger reads (see [`Statements`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Statement {
    /// A date with a month and day, and the word before it that names what happened.
    Date {
        /// The event's word, stemmed: what dates are grouped by.
        event: String,
        /// The event's word as written (lower case).
        word: String,
        /// The version key: month, day and last day.
        key: String,
        /// The date as written.
        text: String,
    },
    /// A figure that counts a noun.
    Number {
        /// The noun it counts, lower case.
        noun: String,
        /// The stems of the content words around it in its sentence.
        context: Vec<String>,
        /// The version key: qualifier and value.
        key: String,
        /// The figure as shown, with its qualifier.
        text: String,
    },
    /// A quotation with a speaker.
    Quote {
        /// Who is quoted.
        speaker: String,
        /// The quotation's words.
        text: String,
    },
}

impl Statements {
    /// What `analyzed` states that a ledger reads.
    pub fn of(analyzed: &Analyzed) -> Statements {
        let mut stated = Vec::new();
        for sentence in &analyzed.sentences {
            for fact in &sentence.facts {
                match &fact.kind {
                    FactKind::Date(date) => {
                        let (Some(month), Some(day)) = (date.month, date.day) else {
                            continue;
                        };
                        let Some((event, word)) =
                            date_subject(&analyzed.text, sentence, fact.range.start)
                        else {
                            continue;
                        };
                        // The year is often left out by one side: days tell versions apart.
                        let key = format!("{month}|{day}|{:?}", date.day_end);
                        stated.push(Statement::Date {
                            event,
                            word,
                            key,
                            text: date.text.clone(),
                        });
                    }
                    FactKind::Number(number) => {
                        let Some(counts) = &number.counts else {
                            continue;
                        };
                        let qualifier = number.qualifier.as_deref().map(canonical_qualifier);
                        let text = match qualifier {
                            Some(q) if !q.eq_ignore_ascii_case(&number.text) => {
                                format!("{q} {}", number.text.to_lowercase())
                            }
                            _ => number.text.to_lowercase(),
                        };
                        // Versions are told apart by value and qualifier, not by wording:
                        // "two" and "2", "over" and "more than" are one version.
                        let key = format!(
                            "{}|{}|{:?}",
                            qualifier.unwrap_or(""),
                            number.value,
                            number.value_end
                        );
                        stated.push(Statement::Number {
                            noun: counts.clone(),
                            context: context(sentence, &fact.range, counts),
                            key,
                            text,
                        });
                    }
                    FactKind::Quote(quote) if !quote.scare => {
                        let Some(speaker) = &quote.speaker else {
                            continue;
                        };
                        stated.push(Statement::Quote {
                            speaker: speaker.clone(),
                            text: quote.text.clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
        Statements(stated)
    }
}

/// The ledger of a story's documents: claims stated by at least two documents, disagreements
/// first, then the most widely stated.
pub fn ledger(documents: &[(String, &Analyzed)]) -> Vec<Claim> {
    let stated: Vec<(String, Statements)> = documents
        .iter()
        .map(|(name, analyzed)| (name.clone(), Statements::of(analyzed)))
        .collect();
    let named: Vec<(String, &Statements)> = stated
        .iter()
        .map(|(name, statements)| (name.clone(), statements))
        .collect();
    ledger_of(&named)
}

/// The ledger of a story's documents from what each states ([`Statements::of`]): the same
/// as [`ledger`] over their analyses.
pub fn ledger_of(documents: &[(String, &Statements)]) -> Vec<Claim> {
    // subject → version key → documents; the key's first wording is what is shown.
    let mut mentions: Vec<Mention> = Vec::new();
    let mut wordings: BTreeMap<String, String> = BTreeMap::new();
    let mut quotes: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    let mut dates: BTreeMap<String, Versions> = BTreeMap::new();
    let mut date_wordings: BTreeMap<String, String> = BTreeMap::new();
    // A date's subject by stem ("attack", "attacks"), shown as first written.
    let mut date_subjects: BTreeMap<String, String> = BTreeMap::new();
    for (n, (_, statements)) in documents.iter().enumerate() {
        for statement in &statements.0 {
            match statement {
                Statement::Date {
                    event,
                    word,
                    key,
                    text,
                } => {
                    date_subjects
                        .entry(event.clone())
                        .or_insert_with(|| word.clone());
                    date_wordings
                        .entry(key.clone())
                        .or_insert_with(|| text.clone());
                    let docs = dates
                        .entry(event.clone())
                        .or_default()
                        .entry(key.clone())
                        .or_default();
                    if docs.last() != Some(&n) {
                        docs.push(n);
                    }
                }
                Statement::Number {
                    noun,
                    context,
                    key,
                    text,
                } => {
                    wordings.entry(key.clone()).or_insert_with(|| text.clone());
                    mentions.push(Mention {
                        doc: n,
                        noun: noun.clone(),
                        context: context.clone(),
                        key: key.clone(),
                    });
                }
                Statement::Quote { speaker, text } => {
                    quotes
                        .entry(speaker.clone())
                        .or_default()
                        .push((text.clone(), n));
                }
            }
        }
    }
    let name = |n: usize| documents[n].0.clone();
    let mut claims = Vec::new();
    for (subject, versions) in figure_subjects(mentions) {
        claims.extend(claim(
            "number",
            subject,
            by_wording(versions, &wordings),
            &name,
        ));
    }
    for (event, versions) in dates {
        let subject = date_subjects.get(&event).cloned().unwrap_or(event);
        claims.extend(claim(
            "date",
            subject,
            by_wording(versions, &date_wordings),
            &name,
        ));
    }
    for (speaker, said) in quotes {
        for versions in group_quotes(said) {
            claims.extend(claim("quote", speaker.clone(), versions, &name));
        }
    }
    claims.sort_by(|a, b| {
        b.disagree
            .cmp(&a.disagree)
            .then(stated(b).cmp(&stated(a)))
            .then(a.kind.cmp(b.kind))
            .then(a.subject.cmp(&b.subject))
    });
    claims
}

/// Words that say when, not what: no subject for a date.
const TIME_WORDS: &[&str] = &[
    "day",
    "days",
    "week",
    "weeks",
    "weekend",
    "month",
    "months",
    "year",
    "years",
    "morning",
    "afternoon",
    "evening",
    "night",
    "today",
    "yesterday",
    "tomorrow",
    "date",
    "time",
    "period",
    "since",
    "until",
    "from",
    "between",
    "before",
    "after",
    "early",
    "late",
];

/// Words looked back over from a date for what happened on it.
const DATE_SUBJECT_REACH: usize = 4;

/// What happened on the date at `start` in `sentence`: the nearest word before it that is not a
/// stop word, within [`DATE_SUBJECT_REACH`] words, as its stem and as written (lower case);
/// none when that word is a reporting
/// verb ("said on Tuesday" tells when something was said, not what happened), a name (or an
/// `@handle`), a number or a word of time ("the week of 28 September").
fn date_subject(
    text: &str,
    sentence: &retrace_text::Sentence,
    start: u32,
) -> Option<(String, String)> {
    let word = sentence
        .tokens
        .iter()
        .rev()
        .filter(|token| token.range.end <= start)
        .take(DATE_SUBJECT_REACH)
        .find(|token| !token.stop)?;
    let handle =
        word.range.start > 0 && text.as_bytes().get(word.range.start as usize - 1) == Some(&b'@');
    let named = word.kind != retrace_text::TokenKind::Word
        || word.capitalized
        || handle
        || TIME_WORDS.contains(&word.lower.as_str())
        || retrace_text::facts::is_reporting_verb(&word.lower);
    (!named).then(|| (word.stem.clone(), word.lower.clone()))
}

/// A figure as one document states it.
struct Mention {
    doc: usize,
    /// The noun it counts, lower case.
    noun: String,
    /// The stems of the content words around it in its sentence.
    context: Vec<String>,
    /// The version key (qualifier, value).
    key: String,
}

/// Words around a figure that tell what it is about: the content words within this many
/// tokens of it in its sentence.
const FIGURE_CONTEXT: usize = 8;

/// Two figures whose contexts share this many words speak of the same thing.
const SAME_CONTEXT: usize = 2;

/// Nouns that count people alike: "3,200 residents" and "4,000 people" forced from their
/// homes are two versions of one figure.
const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "residents",
    "inhabitants",
    "civilians",
    "villagers",
    "locals",
    "citizens",
    "individuals",
    "evacuees",
];

/// The stems of the content words (not stop words, not numbers, not the counted noun) within
/// [`FIGURE_CONTEXT`] tokens of the figure at `range`.
fn context(
    sentence: &retrace_text::Sentence,
    range: &std::ops::Range<u32>,
    noun: &str,
) -> Vec<String> {
    let tokens = &sentence.tokens;
    let at = tokens
        .iter()
        .position(|token| token.range.start >= range.start)
        .unwrap_or(tokens.len());
    let end = tokens
        .iter()
        .position(|token| token.range.start >= range.end)
        .unwrap_or(tokens.len());
    let mut stems: Vec<String> = tokens[at.saturating_sub(FIGURE_CONTEXT)..at]
        .iter()
        .chain(&tokens[end..(end + FIGURE_CONTEXT).min(tokens.len())])
        .filter(|token| {
            !token.stop && token.kind == retrace_text::TokenKind::Word && token.lower != noun
        })
        .map(|token| token.stem.clone())
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// Figures grouped into subjects. A figure joins the subject of a figure that counts the same
/// noun (or people, under another word) and whose context shares [`SAME_CONTEXT`] words with
/// its own, the one sharing most; failing that, the subject of its noun, unless the same
/// document already gives that subject another value (then two figures of one noun speak of
/// two things: "40 people were injured", "4,000 people fled"). Subjects are named by their
/// nouns, as first written.
fn figure_subjects(mentions: Vec<Mention>) -> Vec<(String, Versions)> {
    struct Subject {
        nouns: Vec<String>,
        mentions: Vec<Mention>,
        /// The distinct contexts of its mentions (a story's copies repeat one context hundreds
        /// of times: each is compared once).
        contexts: BTreeSet<Vec<String>>,
        /// The version keys each document gives it.
        keys: BTreeMap<usize, BTreeSet<String>>,
    }
    let people = |noun: &str| PEOPLE.contains(&noun);
    let alike = |a: &str, b: &str| a == b || (people(a) && people(b));
    let shared =
        |a: &[String], b: &[String]| a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    let mut subjects: Vec<Subject> = Vec::new();
    for mention in mentions {
        let by_context = subjects
            .iter()
            .enumerate()
            .filter(|(_, s)| s.nouns.iter().any(|noun| alike(noun, &mention.noun)))
            .map(|(n, s)| {
                let best = s
                    .contexts
                    .iter()
                    .map(|context| shared(context, &mention.context))
                    .max()
                    .unwrap_or(0);
                (best, std::cmp::Reverse(n))
            })
            .filter(|&(best, _)| best >= SAME_CONTEXT)
            .max()
            .map(|(_, n)| n.0);
        let by_noun = || {
            subjects.iter().position(|s| {
                s.nouns[0] == mention.noun
                    && !s
                        .keys
                        .get(&mention.doc)
                        .is_some_and(|keys| keys.iter().any(|key| *key != mention.key))
            })
        };
        match by_context.or_else(by_noun) {
            Some(n) => {
                let subject = &mut subjects[n];
                if !subject.nouns.contains(&mention.noun) {
                    subject.nouns.push(mention.noun.clone());
                }
                subject.contexts.insert(mention.context.clone());
                subject
                    .keys
                    .entry(mention.doc)
                    .or_default()
                    .insert(mention.key.clone());
                subject.mentions.push(mention);
            }
            None => subjects.push(Subject {
                nouns: vec![mention.noun.clone()],
                contexts: BTreeSet::from([mention.context.clone()]),
                keys: BTreeMap::from([(mention.doc, BTreeSet::from([mention.key.clone()]))]),
                mentions: vec![mention],
            }),
        }
    }
    subjects
        .into_iter()
        .map(|subject| {
            let mut versions: Versions = BTreeMap::new();
            for mention in subject.mentions {
                let docs = versions.entry(mention.key).or_default();
                // Mentions come in document order: a document already listed is the last.
                if docs.last() != Some(&mention.doc) {
                    docs.push(mention.doc);
                }
            }
            (subject.nouns.join(" / "), versions)
        })
        .collect()
}

/// Versions keyed by value, re-keyed by their first wording (`wordings`), the documents of
/// versions shown alike merged.
fn by_wording(versions: Versions, wordings: &BTreeMap<String, String>) -> Versions {
    let mut shown: Versions = BTreeMap::new();
    for (key, docs) in versions {
        let wording = wordings.get(&key).cloned().unwrap_or(key);
        let merged = shown.entry(wording).or_default();
        for doc in docs {
            if !merged.contains(&doc) {
                merged.push(doc);
            }
        }
    }
    shown
}

/// How many documents state a claim.
fn stated(claim: &Claim) -> usize {
    claim.versions.iter().map(|v| v.documents.len()).sum()
}

/// A claim from its versions, when at least two documents state it.
fn claim(
    kind: &'static str,
    subject: String,
    versions: BTreeMap<String, Vec<usize>>,
    name: &impl Fn(usize) -> String,
) -> Option<Claim> {
    let mut all: Vec<usize> = versions.values().flatten().copied().collect();
    all.sort_unstable();
    all.dedup();
    if all.len() < 2 {
        return None;
    }
    let disagree = disagree(&versions, &all);
    let mut versions: Vec<Version> = versions
        .into_iter()
        .map(|(text, docs)| Version {
            text,
            documents: docs.into_iter().map(name).collect(),
        })
        .collect();
    versions.sort_by(|a, b| {
        b.documents
            .len()
            .cmp(&a.documents.len())
            .then(a.text.cmp(&b.text))
    });
    Some(Claim {
        kind,
        subject,
        disagree,
        versions,
    })
}

/// True when two of `documents` each state a version of the claim the other does not.
///
/// Linear in the documents' statements: each document's set of versions is built in one pass
/// over the versions, and only the distinct sets are compared (a wire story's thousands of
/// copies state one or two sets between them; comparing every two documents was quadratic).
fn disagree(versions: &Versions, documents: &[usize]) -> bool {
    let index: std::collections::HashMap<usize, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, &doc)| (doc, i))
        .collect();
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); documents.len()];
    for (v, (_, docs)) in versions.iter().enumerate() {
        for doc in docs {
            if let Some(&i) = index.get(doc)
                && sets[i].last() != Some(&v)
            {
                sets[i].push(v);
            }
        }
    }
    sets.sort_unstable();
    sets.dedup();
    // Sorted sets: `a` within `b` when every member of `a` is found walking `b` once.
    let within = |a: &[usize], b: &[usize]| {
        let mut rest = b.iter();
        a.iter().all(|x| rest.any(|y| y == x))
    };
    sets.iter()
        .enumerate()
        .any(|(i, a)| sets[i + 1..].iter().any(|b| !within(a, b) && !within(b, a)))
}

/// One word for qualifiers that say the same: "over" is "more than", "almost" is "nearly",
/// "around" and "roughly" are "about".
fn canonical_qualifier(qualifier: &str) -> &str {
    match qualifier {
        "over" | "more than" | "upwards of" => "more than",
        "almost" | "nearly" | "close to" => "nearly",
        "about" | "around" | "roughly" | "approximately" | "some" | "an estimated" => "about",
        "under" | "fewer than" | "less than" => "fewer than",
        other => other,
    }
}

/// Groups one speaker's quotations into quotations: each joins the first group whose first
/// wording shares enough words with it.
fn group_quotes(said: Vec<(String, usize)>) -> Vec<Versions> {
    let mut groups: Vec<(Vec<String>, Versions)> = Vec::new();
    for (text, n) in said {
        let words = words(&text);
        let group = groups
            .iter_mut()
            .find(|(first, _)| overlap(first, &words) >= SAME_QUOTE);
        let versions = match group {
            Some((_, versions)) => versions,
            None => {
                groups.push((words, BTreeMap::new()));
                &mut groups.last_mut().expect("just pushed").1
            }
        };
        let docs = versions.entry(text).or_default();
        // Quotations come in document order: a document already listed is the last.
        if docs.last() != Some(&n) {
            docs.push(n);
        }
    }
    groups.into_iter().map(|(_, versions)| versions).collect()
}

fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Shared words over the words of the shorter quotation.
fn overlap(a: &[String], b: &[String]) -> f64 {
    let shared = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    shared as f64 / a.len().min(b.len()).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic definition `disagree` replaced: two documents each state a version the
    /// other does not.
    fn disagree_by_pairs(versions: &Versions, documents: &[usize]) -> bool {
        let stated = |doc: usize| -> Vec<&String> {
            versions
                .iter()
                .filter(|(_, docs)| docs.contains(&doc))
                .map(|(text, _)| text)
                .collect()
        };
        let sets: Vec<Vec<&String>> = documents.iter().map(|&doc| stated(doc)).collect();
        sets.iter().enumerate().any(|(i, a)| {
            sets[i + 1..]
                .iter()
                .any(|b| a.iter().any(|v| !b.contains(v)) && b.iter().any(|v| !a.contains(v)))
        })
    }

    #[test]
    fn disagreement_by_distinct_sets_is_disagreement_by_pairs() {
        // Every way of spreading three versions over four documents (each document states
        // any subset), checked against the definition by pairs.
        let texts = ["12 dead", "14 dead", "about 12 dead"];
        for code in 0..(1u32 << 12) {
            let mut versions = Versions::new();
            for (v, text) in texts.iter().enumerate() {
                let docs: Vec<usize> = (0..4).filter(|d| code >> (v * 4 + d) & 1 == 1).collect();
                if !docs.is_empty() {
                    versions.insert((*text).to_owned(), docs);
                }
            }
            let documents = [0, 1, 2, 3];
            assert_eq!(
                disagree(&versions, &documents),
                disagree_by_pairs(&versions, &documents),
                "{versions:?}"
            );
        }
        // A wire story's copies that all agree: linear, and no disagreement.
        let many: Vec<usize> = (0..50_000).collect();
        let mut versions = Versions::new();
        versions.insert("12 dead".to_owned(), many.clone());
        assert!(!disagree(&versions, &many));
    }
    use retrace_span::{OffsetMap, Origin};
    use retrace_text::Analyzer;

    fn analyzed(text: &str) -> Analyzed {
        let len = text.len() as u32;
        Analyzer::new().analyze(Origin::Stdin, None, text, &OffsetMap::identity(len))
    }

    #[test]
    fn a_date_that_moved_is_a_disagreement_and_when_something_was_said_is_not_a_claim() {
        let a = analyzed(
            "The attack on March 7 destroyed the bridge. The minister said on March 9 that \
             repairs would start soon. A video was shared by the mayor (@riverwatch) May 2, \
             2024. Traffic was heavy in the week of May 20.",
        );
        let b = analyzed(
            "The attack on March 8, 2024 destroyed the bridge. The minister said on March 10 \
             that repairs would start soon. A video was shared by the mayor (@riverwatch) May 5, \
             2024. Traffic was heavy in the week of May 27.",
        );
        let c = analyzed("Residents recalled the attack on March 7 with anger.");
        let claims = ledger(&[("a".into(), &a), ("b".into(), &b), ("c".into(), &c)]);
        let dates: Vec<&Claim> = claims.iter().filter(|c| c.kind == "date").collect();
        assert_eq!(dates.len(), 1, "{claims:#?}");
        let date = dates[0];
        assert_eq!(date.subject, "attack");
        assert!(date.disagree);
        assert_eq!(date.versions[0].text, "March 7");
        assert_eq!(date.versions[0].documents, vec!["a", "c"]);
        assert_eq!(date.versions[1].documents, vec!["b"]);
    }

    #[test]
    fn one_figure_under_two_nouns_is_one_claim_and_two_figures_of_one_noun_are_two() {
        let wire = analyzed(
            "Floodwaters swept through the town on Sunday, forcing more than 3,200 residents \
             from their homes and cutting the main road. Crews evacuated a school, and about \
             40 people were treated for minor injuries.",
        );
        let rewrite = analyzed(
            "The town was overwhelmed by floodwaters on Sunday, with more than 4,000 people \
             driven from their homes and the main road cut. Crews evacuated a school, and \
             about 40 people were treated for minor injuries.",
        );
        let claims = ledger(&[("wire".to_owned(), &wire), ("rewrite".to_owned(), &rewrite)]);
        let displaced = claims
            .iter()
            .find(|c| c.subject == "residents / people")
            .unwrap_or_else(|| panic!("{claims:#?}"));
        assert!(displaced.disagree, "{displaced:?}");
        assert_eq!(displaced.versions.len(), 2);
        let injured = claims
            .iter()
            .find(|c| c.subject == "people")
            .unwrap_or_else(|| panic!("{claims:#?}"));
        assert!(!injured.disagree, "{injured:?}");
        assert_eq!(injured.versions[0].text, "about 40");
        assert_eq!(injured.versions[0].documents, ["wire", "rewrite"]);
    }

    #[test]
    fn figures_and_quotations_across_a_story() {
        let wire = analyzed(
            "Rescuers found 27 bodies in the village. \"We did not expect the water to rise so fast,\" said Mayor Ana Brevik. \
             About 300 residents left their homes.",
        );
        let copy = analyzed(
            "Rescuers found 27 bodies in the village. \"We did not expect the water to rise so fast,\" said Mayor Ana Brevik.",
        );
        let rewrite = analyzed(
            "Crews recovered 30 bodies. \"Nobody expected the water to rise this fast,\" said Mayor Ana Brevik. \
             Around 300 residents fled.",
        );
        let docs = vec![
            ("wire".to_owned(), &wire),
            ("copy".to_owned(), &copy),
            ("rewrite".to_owned(), &rewrite),
        ];
        let claims = ledger(&docs);
        let bodies = claims
            .iter()
            .find(|c| c.subject == "bodies")
            .expect("bodies");
        assert!(bodies.disagree);
        assert_eq!(bodies.versions[0].text, "27");
        assert_eq!(bodies.versions[0].documents, ["wire", "copy"]);
        assert_eq!(bodies.versions[1].documents, ["rewrite"]);
        let residents = claims
            .iter()
            .find(|c| c.subject == "residents")
            .expect("residents");
        assert!(!residents.disagree);
        assert_eq!(residents.versions[0].documents, ["wire", "rewrite"]);
        let quote = claims
            .iter()
            .find(|c| c.kind == "quote")
            .expect("the mayor's quotation");
        assert!(quote.disagree, "{quote:?}");
        assert_eq!(quote.versions.len(), 2);
        // Disagreements come first.
        assert!(claims[0].disagree);
        // An excerpt that states fewer figures does not disagree.
        let excerpt = analyzed("Rescuers found 27 bodies in the village.");
        let claims = ledger(&[("wire".to_owned(), &wire), ("excerpt".to_owned(), &excerpt)]);
        assert!(claims.iter().all(|c| !c.disagree), "{claims:?}");
    }
}
