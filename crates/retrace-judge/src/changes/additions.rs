//! What the derivative adds inside sentences it otherwise retells (issue 14, class 7):
//! `attribution_added` (see `docs/attribution_added.md`) and `detail_added` (see
//! `docs/detail_added.md`).
//!
//! These are the changes a whole-sentence view misses: the sentence aligns, most of its words
//! are reworded anyway, and one clause makes a claim the source never made.

use std::collections::HashSet;

use retrace_text::Analyzed;
use retrace_text::facts::names::{Name, NameType};
use retrace_text::facts::{AttributionFact, FactKind};

use super::{ChangeKind, Ctx, Found, Group, clip, group_range};

/// Reporting verbs that present the statement as the speaker's admission or insistence, not as
/// a neutral report: "said" → "acknowledged" makes the speaker concede a point.
const ADMISSIONS: &[&str] = &[
    "acknowledged",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "confessed",
    "confesses",
];

/// True for a reporting verb that makes the statement an admission ("acknowledged").
pub(crate) fn is_admission(cue: &str) -> bool {
    ADMISSIONS.contains(&cue)
}

/// Nouns for people and groups of people, by Snowball stem: who was hurt, who acted, who
/// spoke. A rewrite that adds "women and children" to a list of victims, or "his brother" to a
/// trip, changes the facts even when every other word is a paraphrase.
const PEOPLE: &[&str] = &[
    "man",
    "woman",
    "child",
    "boy",
    "girl",
    "babi",
    "infant",
    "teenag",
    "elder",
    "civilian",
    "soldier",
    "troop",
    "fighter",
    "militant",
    "polic",
    "student",
    "teacher",
    "doctor",
    "patient",
    "worker",
    "employe",
    "resid",
    "famili",
    "brother",
    "sister",
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "parent",
    "neighbour",
    "neighbor",
    "friend",
    "journalist",
    "victim",
    "refuge",
    "migrant",
    "passeng",
    "tourist",
    "voter",
    "firefight",
    "paramed",
    "survivor",
    "hostag",
    "boyfriend",
    "girlfriend",
    "partner",
    "cousin",
    "uncl",
    "aunt",
    "grandmoth",
    "grandfath",
    "grandchild",
    "grandson",
    "granddaught",
    "judg",
    "lawyer",
    "politician",
    "offic",
    "offici",
    "senat",
    "mayor",
    "priest",
    "imam",
    "pastor",
    "farmer",
    "driver",
    "pilot",
    "guard",
    "inmat",
    "activist",
    "volunt",
];

/// The stem of a word for people with irregular plurals folded: "men" is "man".
fn person(stem: &str) -> &str {
    match stem {
        "men" => "man",
        "women" => "woman",
        "children" => "child",
        "wive" => "wife",
        other => other,
    }
}

/// How many source sentences on each side of a group a detail may come from.
const NEAR: usize = 2;

/// Content stems of a sentence, for checking what the source says nearby.
fn stems(doc: &Analyzed, k: usize) -> impl Iterator<Item = &str> {
    doc.sentences[k]
        .tokens
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
}

/// The source sentences of a group and [`NEAR`] on each side, people folded: a rewrite merges
/// neighbours, so a detail taken from the next sentence is moved, not added.
pub(crate) fn near_stems<'d>(src: &'d Analyzed, group: &Group) -> HashSet<&'d str> {
    let (Some(&first), Some(&last)) = (group.src.iter().min(), group.src.iter().max()) else {
        return HashSet::new();
    };
    let from = first.saturating_sub(NEAR);
    let to = (last + NEAR).min(src.sentences.len().saturating_sub(1));
    (from..=to)
        .flat_map(|k| stems(src, k))
        .map(person)
        .collect()
}

fn attributions<'d>(doc: &'d Analyzed, sentences: &[usize]) -> Vec<&'d AttributionFact> {
    sentences
        .iter()
        .flat_map(|&k| &doc.sentences[k].facts)
        .filter_map(|f| match &f.kind {
            FactKind::Attribution(a) => Some(a),
            _ => None,
        })
        .collect()
}

pub(crate) fn detect(ctx: &Ctx<'_>, out: &mut Vec<Found>) {
    for group in &ctx.groups {
        if group.src.is_empty() || group.dst.is_empty() {
            continue;
        }
        attribution_added(ctx, group, out);
        detail_added(ctx, group, out);
        person_added(ctx, group, out);
    }
}

/// A named person added beside one the source names in the sentence: "trust member Robert
/// Ruano asked" retold as "trust members Robert Ruano and Peggy Bell asked". Only a full name
/// (two parts or more) joined by "and" or a comma to a name of the source's sentence, and found
/// in none of its names: someone the source credits elsewhere still did not do this.
fn person_added(ctx: &Ctx<'_>, group: &Group, out: &mut Vec<Found>) {
    let entities = |doc: &Analyzed, sentences: &[usize]| -> Vec<(Name, std::ops::Range<u32>)> {
        Ctx::facts(doc, sentences)
            .filter_map(|f| match &f.kind {
                FactKind::Entity(e) => Some((Name::new(&e.text), f.range.clone())),
                _ => None,
            })
            .collect()
    };
    let src = entities(ctx.src, &group.src);
    let dst = entities(ctx.dst, &group.dst);
    let in_source = |name: &Name| src.iter().any(|(s, _)| s.same(name));
    for pair in dst.windows(2) {
        let [(first, r1), (second, r2)] = pair else {
            continue;
        };
        let between = ctx.dst.slice(&(r1.end..r2.start.max(r1.end))).trim();
        if !matches!(between, "and" | "," | ", and") {
            continue;
        }
        for ((kept, _), (added, range)) in
            [((first, r1), (second, r2)), ((second, r2), (first, r1))]
        {
            if in_source(kept) && !in_source(added) && added.kind() == NameType::Person {
                out.push(Found {
                    kind: ChangeKind::DetailAdded,
                    src: Some(group_range(ctx.src, &group.src)),
                    dst: Some(range.clone()),
                    detail: format!(
                        "\"{}\" is added beside \"{}\": the source's \"{}\" does not name them",
                        added.text,
                        kept.text,
                        clip(ctx.src.sentence_text(group.src[0]), 70)
                    ),
                });
            }
        }
    }
}

/// The derivative frames as an admission what the source reports neutrally or narrates: "…,
/// he said" → "…, he acknowledged", or narration with ", he acknowledged" appended.
fn attribution_added(ctx: &Ctx<'_>, group: &Group, out: &mut Vec<Found>) {
    let src = attributions(ctx.src, &group.src);
    let src_admits = src.iter().any(|a| ADMISSIONS.contains(&a.cue.as_str()));
    if src_admits {
        return;
    }
    for fact in group.dst.iter().flat_map(|&k| &ctx.dst.sentences[k].facts) {
        let FactKind::Attribution(a) = &fact.kind else {
            continue;
        };
        if !ADMISSIONS.contains(&a.cue.as_str()) {
            continue;
        }
        let detail = match src.first() {
            Some(s) => format!(
                "the source reports this as {} {}; the derivative has {} {} it",
                s.source, s.cue, a.source, a.cue
            ),
            None => format!(
                "the source narrates this; the derivative has {} {} it",
                a.source, a.cue
            ),
        };
        out.push(Found {
            kind: ChangeKind::AttributionAdded,
            src: Some(group_range(ctx.src, &group.src)),
            dst: Some(fact.range.clone()),
            detail,
        });
    }
}

/// People the derivative adds beside others in a sentence it retells: "the bodies of elderly
/// men" → "the bodies of elderly men, women and children".
fn detail_added(ctx: &Ctx<'_>, group: &Group, out: &mut Vec<Found>) {
    let near = near_stems(ctx.src, group);
    let mut seen = HashSet::new();
    for &k in &group.dst {
        let tokens = &ctx.dst.sentences[k].tokens;
        for (t, token) in tokens.iter().enumerate() {
            let stem = person(&token.stem);
            // A verb of the same stem ("executing", "guarded") is no person.
            let verb = token.lower.ends_with("ing") || token.lower.ends_with("ed");
            if token.stop || verb || !PEOPLE.contains(&stem) || near.contains(stem) {
                continue;
            }
            // Added beside someone ("men, women and children", "he and his brother"), not put
            // in someone's place: "the teenage driver" retold as "the girl" is one person.
            let joined = |w: &retrace_text::Token| {
                matches!(w.lower.as_str(), "and" | "or" | "including" | "plus")
            };
            // In a list of people: "lawyers, judges, politicians".
            let listed = |other: usize| {
                tokens
                    .get(other)
                    .is_some_and(|o| PEOPLE.contains(&person(&o.stem)))
                    && {
                        let (x, y) = if other < t { (other, t) } else { (t, other) };
                        ctx.dst
                            .slice(&(tokens[x].range.end..tokens[y].range.start))
                            .contains(',')
                    }
            };
            let before =
                tokens[t.saturating_sub(3)..t].iter().any(joined) || (t > 0 && listed(t - 1));
            let after = tokens.get(t + 1).is_some_and(joined) || listed(t + 1);
            if !(before || after) || !seen.insert(stem) {
                continue;
            }
            out.push(Found {
                kind: ChangeKind::DetailAdded,
                src: Some(group_range(ctx.src, &group.src)),
                dst: Some(token.range.clone()),
                detail: format!(
                    "\"{}\" is added: the source's \"{}\" does not mention them",
                    ctx.dst.slice(&token.range),
                    clip(ctx.src.sentence_text(group.src[0]), 70)
                ),
            });
        }
    }
}
