//! `retrace query ARTICLE... --index DIR`: who copied, excerpted or rewrote each article, or
//! where it was taken from.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use rayon::prelude::*;
use retrace_engine::{Document, Engine};
use retrace_index::{Candidate, DocId, Index, Read};
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};
use retrace_report::json::CompareJson;
use retrace_report::{PairReport, ReportDoc};
use retrace_sketch::{Sketcher, represent};

use crate::args::QueryArgs;
use crate::commands::index::{Unnamed, key_of};
use crate::tally::{Escaped, Tally, read_inputs, warn};
use retrace_engine::stories::{Related, Shown, stories};

/// Documents a story holds at most (a story is followed through the judged pairs).
const MAX_STORY: usize = 10_000;

/// Changes shown per related document in the text output.
const TOP_CHANGES: usize = 3;

/// One related indexed document.
pub(crate) struct Match {
    pub(crate) id: DocId,
    pub(crate) key: String,
    pub(crate) relation: Relation,
    /// Which side is the source: A the article, B the indexed document.
    pub(crate) source: Option<Side>,
    pub(crate) confidence: f32,
    pub(crate) coverage: (f64, f64),
    /// The first changes, as `kind: detail`.
    pub(crate) changes: Vec<String>,
    /// The compare object, with the indexed document's id and key under `indexed`.
    pub(crate) json: serde_json::Value,
    pub(crate) origin: String,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    /// The other members of its near-copy cluster, by id with their keys: not judged against
    /// the article, they relate to it as this document does (also under `stands_for` in
    /// `json`).
    pub(crate) stands_for: Vec<(DocId, String)>,
}

/// Near-copies named with one match in the text output, at most.
const SHOWN_COPIES: usize = 5;

pub(crate) fn run(args: QueryArgs) -> anyhow::Result<()> {
    let options = args.input.options()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut index = Index::open(&args.index)?;
    let engine = Engine::lexical();
    let sketcher = Sketcher::default();
    let mut tally = Tally::new(None)?;
    let stdout = std::io::BufWriter::new(std::io::stdout());
    // JSON escapes control characters itself; the text for a terminal is escaped here.
    let mut out: Box<dyn Write + Send> = if args.json {
        Box::new(stdout)
    } else {
        Box::new(Escaped(stdout))
    };
    // Milliseconds per article: reading it (extraction, sketch) and looking it up.
    let mut latencies: Vec<f64> = Vec::new();
    read_inputs(
        &args.articles,
        &options,
        &pool,
        &mut tally,
        |item| {
            let started = std::time::Instant::now();
            (Document::read(item, &sketcher), started.elapsed())
        },
        |tally, (item, reading)| {
            match item {
                Ok(found) => {
                    tally.counts.article(found.embedded);
                    let started = std::time::Instant::now();
                    query_one(&mut index, &engine, &pool, &found, &args, &mut out)?;
                    latencies.push((reading + started.elapsed()).as_secs_f64() * 1e3);
                }
                Err(skip) => {
                    warn(format_args!(
                        "retrace query: {}: {}",
                        skip.origin, skip.reason
                    ));
                    tally.skip(&skip)?;
                }
            }
            Ok(())
        },
    )?;
    out.flush()?;
    tally.finish()?;
    if latencies.len() > 1 {
        latencies.sort_unstable_by(f64::total_cmp);
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        eprintln!(
            "retrace query: {} articles looked up; per article {:.1} ms median, {:.1} ms at the \
             99th percentile, {:.1} ms at most",
            latencies.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    if latencies.is_empty() {
        anyhow::bail!(
            "no article to look up ({}); give files, folders or - holding articles",
            tally.summary()
        );
    }
    Ok(())
}

/// What the index holds about one article.
pub(crate) struct Lookup {
    /// The article's own entry in the index, when it is there with the same words.
    pub(crate) itself: Option<DocId>,
    /// Other indexed documents with the same words (verbatim copies), by id, with their keys.
    pub(crate) identical: Vec<(DocId, String)>,
    /// Candidates compared (one per near-copy cluster).
    pub(crate) candidates: usize,
    /// Candidates that could not be compared, by id, with the reason: none is left out
    /// without a word.
    pub(crate) not_compared: Vec<(DocId, String)>,
    /// The related ones: derivations first, most confident first.
    pub(crate) matches: Vec<Match>,
}

/// Looks an article up: candidates from the index, each judged against it.
pub(crate) fn lookup(
    snapshot: &impl Read,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    found: &Document,
) -> anyhow::Result<Lookup> {
    // The article itself, when it is in the index with these words, is not its own copy.
    let itself = snapshot
        .find(&key_of(found, Unnamed::ByPlace))?
        .filter(|(_, fingerprint)| *fingerprint == found.sketch.fingerprint)
        .map(|(id, _)| id);
    let retrieval = snapshot.candidates(&found.sketch, found.site.as_deref(), itself)?;
    let identical = retrieval
        .candidates
        .iter()
        .filter(|c| found.sketch.words > 0 && c.sketch.fingerprint == found.sketch.fingerprint)
        .map(|c| (c.id, c.meta.key.clone()))
        .collect();
    // Near-copies of one another are judged once (a story of 500 copies is not 500
    // comparisons): against their cluster's representative where it is a candidate, else
    // against the member whose sketch shares the most with the article; the cluster's other
    // members are named with that match.
    let mut by_cluster: BTreeMap<DocId, Vec<&Candidate>> = BTreeMap::new();
    for candidate in &retrieval.candidates {
        let representative = snapshot
            .representative(candidate.id)?
            .unwrap_or(candidate.id);
        by_cluster
            .entry(representative)
            .or_default()
            .push(candidate);
    }
    let mut chosen: Vec<&Candidate> = Vec::with_capacity(by_cluster.len());
    let mut stands_for: BTreeMap<DocId, Vec<(DocId, String)>> = BTreeMap::new();
    for (representative, group) in &by_cluster {
        let pick = group
            .iter()
            .copied()
            .find(|c| c.id == *representative)
            .or_else(|| {
                group.iter().copied().max_by(|x, y| {
                    represent::closeness(&x.shared)
                        .total_cmp(&represent::closeness(&y.shared))
                        .then(y.id.cmp(&x.id))
                })
            });
        let Some(pick) = pick else { continue };
        chosen.push(pick);
        let mut others = Vec::new();
        for (member, key) in snapshot.cluster(*representative)? {
            if member != pick.id && Some(member) != itself {
                others.push((member, key));
            }
        }
        stands_for.insert(pick.id, others);
    }
    let mut raws = Vec::new();
    let mut not_compared = Vec::new();
    for candidate in chosen {
        match snapshot.raw(candidate.id)? {
            Some(raw) => raws.push((candidate, raw)),
            None => not_compared.push((candidate.id, "its text is not in the index".to_owned())),
        }
    }
    let compared = raws.len() + not_compared.len();
    let article = engine.prepare(&found.raw)?;
    let judged: Vec<Outcome> = pool.install(|| {
        raws.par_iter()
            .map(|(candidate, raw)| judge_candidate(engine, found, &article, candidate, raw))
            .collect::<anyhow::Result<_>>()
    })?;
    let mut matches = Vec::with_capacity(judged.len());
    for (judged, (candidate, _)) in judged.into_iter().zip(&raws) {
        match judged {
            Outcome::Match(mut m) => {
                m.stands_for = stands_for.remove(&m.id).unwrap_or_default();
                m.json["stands_for"] = m
                    .stands_for
                    .iter()
                    .map(|(id, key)| serde_json::json!({"id": id, "key": key}))
                    .collect();
                matches.push(*m);
            }
            Outcome::NotCompared(reason) => not_compared.push((candidate.id, reason)),
            Outcome::Unrelated => {}
        }
    }
    not_compared.sort();
    // Derivations first, most confident first; ties by id, so output is deterministic.
    matches.sort_by(|x, y| {
        (x.relation == Relation::SameStory)
            .cmp(&(y.relation == Relation::SameStory))
            .then(y.confidence.total_cmp(&x.confidence))
            .then(x.id.cmp(&y.id))
    });
    Ok(Lookup {
        itself,
        identical,
        candidates: compared,
        not_compared,
        matches,
    })
}

/// What comparing the article with one candidate gave.
enum Outcome {
    Match(Box<Match>),
    Unrelated,
    /// The candidate could not be compared, and why.
    NotCompared(String),
}

/// Compares the looked-up article with one indexed candidate. Fails only when the pair engine
/// fails; a stored page that no longer extracts is [`Outcome::NotCompared`].
fn judge_candidate(
    engine: &Engine,
    found: &Document,
    article: &retrace_engine::Prepared,
    candidate: &Candidate,
    raw: &RawDoc,
) -> anyhow::Result<Outcome> {
    let other = match engine.prepare(raw) {
        Ok(other) => other,
        // Extracted when it was added, so this takes a change of extractor.
        Err(err) => return Ok(Outcome::NotCompared(err.to_string())),
    };
    let (alignment, verdict) = engine.align_and_judge(&article.analyzed, &other.analyzed)?;
    if verdict.relation == Relation::Unrelated {
        return Ok(Outcome::Unrelated);
    }
    let report = PairReport {
        a: ReportDoc::new(&found.raw.text, &article.analyzed),
        b: ReportDoc::new(&raw.text, &other.analyzed),
        alignment: &alignment,
        verdict: &verdict,
    };
    let mut json = serde_json::to_value(CompareJson::new(&report))?;
    json["indexed"] = serde_json::json!({
        "id": candidate.id,
        "key": candidate.meta.key,
        "url": candidate.meta.url,
        "published": candidate.meta.published,
    });
    Ok(Outcome::Match(Box::new(Match {
        id: candidate.id,
        key: candidate.meta.key.clone(),
        relation: verdict.relation,
        source: verdict.source,
        confidence: verdict.confidence,
        coverage: (alignment.coverage_a, alignment.coverage_b),
        changes: verdict
            .changes
            .iter()
            .take(TOP_CHANGES)
            .map(|change| format!("{}: {}", change.kind.as_str(), change.detail))
            .collect(),
        json,
        origin: candidate.meta.origin.clone(),
        title: candidate.meta.title.clone(),
        published: candidate.meta.published.clone(),
        stands_for: Vec::new(),
    })))
}

fn query_one(
    index: &mut Index,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    found: &Document,
    args: &QueryArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let snapshot = index.snapshot()?;
    let Lookup {
        itself,
        identical,
        candidates,
        not_compared,
        matches,
    } = lookup(&snapshot, engine, pool, found)?;
    let origin = found.raw.origin.to_string();
    // Said on standard error whatever the output format, so that JSON stays one match a line.
    for (id, reason) in &not_compared {
        let _ = writeln!(
            std::io::stderr(),
            "retrace: {origin}: indexed document #{id} not compared: {reason}"
        );
    }
    if args.story {
        let story = story_of(&snapshot, found, itself, &origin, &matches)?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&story)?)?;
        } else {
            write_story(out, &origin, &story)?;
        }
        return Ok(());
    }
    if args.json {
        for found in &matches {
            writeln!(out, "{}", serde_json::to_string(&found.json)?)?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{origin}{}",
        found
            .title
            .as_deref()
            .map(|t| format!("  \"{t}\""))
            .unwrap_or_default()
    )?;
    if let Some(id) = itself {
        writeln!(out, "  in the index itself as #{id}")?;
    }
    // Verbatim copies first: the same words are already indexed under another key.
    for (id, key) in &identical {
        writeln!(out, "  the same text is already indexed as #{id} {key}")?;
    }
    if matches.is_empty() {
        writeln!(
            out,
            "  nothing related in the index ({candidates} candidates compared)"
        )?;
    }
    for found in &matches {
        let direction = match found.source {
            Some(Side::A) => "taken from this article",
            Some(Side::B) => "this article was taken from it",
            None => "direction unknown",
        };
        writeln!(
            out,
            "  {:<10} {direction} · confidence {:.2} · aligned: {:.0}% of this article, {:.0}% \
             of #{}",
            found.relation.as_str(),
            found.confidence,
            100.0 * found.coverage.0,
            100.0 * found.coverage.1,
            found.id
        )?;
        writeln!(
            out,
            "             #{} {}{}{}",
            found.id,
            found.key,
            found
                .title
                .as_deref()
                .map(|t| format!("  \"{t}\""))
                .unwrap_or_default(),
            found
                .published
                .as_deref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        )?;
        if found.origin != found.key {
            writeln!(out, "             read from {}", found.origin)?;
        }
        for change in &found.changes {
            writeln!(out, "             {change}")?;
        }
        if !found.stands_for.is_empty() {
            let shown: Vec<String> = found
                .stands_for
                .iter()
                .take(SHOWN_COPIES)
                .map(|(id, key)| format!("#{id} {key}"))
                .collect();
            let more = found.stands_for.len().saturating_sub(SHOWN_COPIES);
            writeln!(
                out,
                "             and {} near-copies of #{}, related as it is: {}{}",
                found.stands_for.len(),
                found.id,
                shown.join(", "),
                if more > 0 {
                    format!(", and {more} more (--json lists them)")
                } else {
                    String::new()
                }
            )?;
        }
    }
    Ok(())
}

/// The story the article belongs to: its related documents and everything linked to them by
/// judged copies, excerpts and rewrites in the index.
fn story_of(
    snapshot: &impl Read,
    found: &Document,
    itself: Option<DocId>,
    origin: &str,
    matches: &[Match],
) -> anyhow::Result<retrace_report::stories::Story> {
    let derived: Vec<&Match> = matches
        .iter()
        .filter(|m| m.relation != Relation::SameStory)
        .collect();
    let start: Vec<DocId> = derived.iter().map(|m| m.id).chain(itself).collect();
    let (ids, pairs) = snapshot.story(&start, MAX_STORY)?;
    // Local numbers: 0 for the article (and its own entry in the index, when it has one), then
    // the indexed documents in id order.
    let mut local: BTreeMap<DocId, u32> = ids
        .iter()
        .filter(|&&id| Some(id) != itself)
        .enumerate()
        .map(|(n, &id)| (id, n as u32 + 1))
        .collect();
    if let Some(id) = itself {
        local.insert(id, 0);
    }
    let mut shown: BTreeMap<u32, Shown> = BTreeMap::new();
    shown.insert(
        0,
        Shown {
            origin: origin.to_string(),
            title: found.title.clone(),
            published: found.published.clone(),
        },
    );
    for (&id, &n) in &local {
        if n == 0 {
            continue;
        }
        if let Some((_, meta)) = snapshot.sketch(id)? {
            shown.insert(
                n,
                Shown {
                    // The page's address where known, else where it was read from.
                    origin: meta.url.unwrap_or(meta.origin),
                    title: meta.title,
                    published: meta.published,
                },
            );
        }
    }
    let mut judged: Vec<Related> = derived
        .iter()
        .map(|m| Related {
            a: 0,
            b: local[&m.id],
            relation: m.relation.as_str(),
            direction: m.source.map(|side| match side {
                Side::A => (0, local[&m.id]),
                Side::B => (local[&m.id], 0),
            }),
            page: None,
        })
        .collect();
    for pair in pairs {
        let (a, b) = (local[&pair.a], local[&pair.b]);
        // The article's own pairs are judged afresh above.
        if a == 0 || b == 0 {
            continue;
        }
        let relation: Relation = pair.relation.parse().with_context(|| {
            format!(
                "stored pair {}-{} (run 'retrace index check')",
                pair.a, pair.b
            )
        })?;
        judged.push(Related {
            a: a.min(b),
            b: a.max(b),
            relation: relation.as_str(),
            direction: pair
                .source
                .map(|source| if source == pair.a { (a, b) } else { (b, a) }),
            page: None,
        });
    }
    let related: Vec<&Related> = judged.iter().collect();
    let mut all = stories(&shown, &related);
    Ok(match all.len() {
        0 => retrace_report::stories::Story {
            id: 1,
            original: None,
            undecided_original: Vec::new(),
            members: vec![retrace_report::stories::Member {
                origin: origin.to_string(),
                title: found.title.clone(),
                published: found.published.clone(),
            }],
            provenance: Vec::new(),
            undirected: Vec::new(),
            ledger: Vec::new(),
        },
        _ => all.swap_remove(0).0,
    })
}

fn write_story(
    out: &mut impl Write,
    origin: &str,
    story: &retrace_report::stories::Story,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{origin}: a story of {} documents{}",
        story.members.len(),
        story
            .original
            .as_deref()
            .map(|o| format!(", original {o}"))
            .unwrap_or_default()
    )?;
    for member in &story.members {
        writeln!(
            out,
            "  {}{}{}",
            member.origin,
            member
                .title
                .as_deref()
                .map(|t| format!("  \"{t}\""))
                .unwrap_or_default(),
            member
                .published
                .as_deref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        )?;
    }
    for edge in &story.provenance {
        writeln!(out, "  {} → {}  {}", edge.from, edge.to, edge.relation)?;
    }
    for edge in &story.undirected {
        writeln!(out, "  {} — {}  {}", edge.from, edge.to, edge.relation)?;
    }
    Ok(())
}
