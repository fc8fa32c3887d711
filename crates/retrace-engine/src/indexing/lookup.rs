//! An article looked up in the index: its candidates judged against it, one per near-copy
//! cluster, and the story it belongs to.

use std::collections::BTreeMap;

use rayon::prelude::*;
use retrace_index::{Candidate, DocId, Meta, Pair, Read};
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};
use retrace_report::index::{LookupView, MatchView};
use retrace_report::json::CompareJson;
use retrace_report::{PairReport, ReportDoc};
use retrace_sketch::represent;

use super::{Error, Unnamed, key_of};
use crate::{Document, Engine};
use retrace_judge::story::{Link, Member, Related, Shown, Story, stories};

/// Documents a story holds at most (a story is followed through the judged pairs).
const MAX_STORY: usize = 10_000;

/// Changes listed per match ([`Match::changes`]; all of them are in [`Match::json`]).
const TOP_CHANGES: usize = 3;

/// One related indexed document.
#[derive(Clone, Debug)]
pub struct Match {
    /// Its id in the index.
    pub id: DocId,
    /// The key it is known by in the index ([`key_of`]).
    pub key: String,
    /// How it relates to the article.
    pub relation: Relation,
    /// Which side is the source: A the article, B the indexed document.
    pub source: Option<Side>,
    /// The verdict's confidence, 0 to 1.
    pub confidence: f32,
    /// The share of the article's and of the document's text that the alignment covers.
    pub coverage: (f64, f64),
    /// The first changes, as `kind: detail`.
    pub changes: Vec<String>,
    /// The compare object, with the indexed document's id and key under `indexed`.
    pub json: serde_json::Value,
    /// Where it was read from when it was added.
    pub origin: String,
    /// Its headline.
    pub title: Option<String>,
    /// When it was published, as written.
    pub published: Option<String>,
    /// The other members of its near-copy cluster, by id with their keys: not judged against
    /// the article, they relate to it as this document does (also under `stands_for` in
    /// `json`).
    pub stands_for: Vec<(DocId, String)>,
}

/// What the index holds about one article.
#[derive(Clone, Debug)]
pub struct Lookup {
    /// The article's own entry in the index, when it is there with the same words.
    pub itself: Option<DocId>,
    /// Other indexed documents with the same words (verbatim copies), by id, with their keys.
    pub identical: Vec<(DocId, String)>,
    /// Candidates compared (one per near-copy cluster).
    pub candidates: usize,
    /// Candidates that could not be compared, by id, with the reason: none is left out
    /// without a word.
    pub not_compared: Vec<(DocId, String)>,
    /// The related ones: derivations first, most confident first.
    pub matches: Vec<Match>,
}

impl Lookup {
    /// What the text of `retrace query` shows of this lookup of the article read from `origin`
    /// under `title`: [`LookupView::text`] writes it.
    ///
    /// ```
    /// use retrace_engine::indexing::{Unnamed, add_batch, lookup};
    /// use retrace_engine::{Document, Engine};
    /// use retrace_sketch::Sketcher;
    /// use retrace_span::Origin;
    ///
    /// let text = "Storms cut power to 4,000 homes in Dunmore on Tuesday, and crews from three \
    ///             counties worked through the night to restore it before the schools reopened.";
    /// let doc = |name: &str| {
    ///     let raw = retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None);
    ///     Document::read(raw, &Sketcher::default()).unwrap()
    /// };
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
    /// let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
    /// add_batch(&mut index, &engine, &pool, vec![doc("wire.txt")], Unnamed::ByPlace).unwrap();
    /// let found = lookup(&index.snapshot().unwrap(), &engine, &pool, &doc("copy.txt")).unwrap();
    /// let text = found.view("copy.txt", None).text();
    /// assert!(text.starts_with("copy.txt\n  the same text is already indexed as #1 "), "{text}");
    /// ```
    pub fn view<'a>(&'a self, origin: &'a str, title: Option<&'a str>) -> LookupView<'a> {
        LookupView {
            origin,
            title,
            itself: self.itself,
            identical: &self.identical,
            candidates: self.candidates,
            matches: self
                .matches
                .iter()
                .map(|found| MatchView {
                    id: found.id,
                    key: &found.key,
                    relation: found.relation,
                    source: found.source,
                    confidence: found.confidence,
                    coverage: found.coverage,
                    origin: &found.origin,
                    title: found.title.as_deref(),
                    published: found.published.as_deref(),
                    changes: &found.changes,
                    stands_for: &found.stands_for,
                })
                .collect(),
        }
    }
}

/// Looks an article up: candidates from the index, each judged against it (one per near-copy
/// cluster: the others are named in [`Match::stands_for`]).
pub fn lookup(
    snapshot: &impl Read,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    found: &Document,
) -> Result<Lookup, Error> {
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
            .collect::<Result<_, Error>>()
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
    article: &crate::Prepared,
    candidate: &Candidate,
    raw: &RawDoc,
) -> Result<Outcome, Error> {
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

/// What `retrace query` asks of each article; the default is its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryConfig {
    /// Also follow the story each article belongs to ([`story_of_article`]).
    pub story: bool,
}

/// What [`query`] finds of one article.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Its related documents ([`lookup`]).
    pub lookup: Lookup,
    /// The story it belongs to, when [`QueryConfig::story`] asks for it.
    pub story: Option<Story>,
}

/// Looks an article up ([`lookup`]) and, when `config` asks, follows its story
/// ([`story_of_article`]), both in the one `snapshot`.
///
/// ```
/// use retrace_engine::indexing::{QueryConfig, Unnamed, add_batch, query};
/// use retrace_engine::{Document, Engine};
/// use retrace_sketch::Sketcher;
/// use retrace_span::Origin;
///
/// let text = "Storms cut power to 4,000 homes in Dunmore on Tuesday, and crews from three \
///             counties worked through the night to restore it before the schools reopened.";
/// let doc = |name: &str| {
///     let raw = retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None);
///     Document::read(raw, &Sketcher::default()).unwrap()
/// };
/// let dir = tempfile::tempdir().unwrap();
/// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
/// let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
/// add_batch(&mut index, &engine, &pool, vec![doc("wire.txt")], Unnamed::ByPlace).unwrap();
/// let config = QueryConfig { story: true };
/// let answer = query(&index.snapshot().unwrap(), &engine, &pool, &doc("copy.txt"), &config)
///     .unwrap();
/// assert_eq!(answer.lookup.matches.len(), 1);
/// assert_eq!(answer.story.unwrap().members.len(), 2);
/// ```
pub fn query(
    snapshot: &impl Read,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    found: &Document,
    config: &QueryConfig,
) -> Result<Answer, Error> {
    let lookup = lookup(snapshot, engine, pool, found)?;
    let story = if config.story {
        Some(story_of_article(
            snapshot,
            found,
            lookup.itself,
            &lookup.matches,
        )?)
    } else {
        None
    };
    Ok(Answer { lookup, story })
}

/// The story the article belongs to: its related documents ([`Lookup::matches`]) and
/// everything linked to them by judged copies, excerpts and rewrites in the index; `itself` is
/// the article's own entry in the index ([`Lookup::itself`]).
pub fn story_of_article(
    snapshot: &impl Read,
    found: &Document,
    itself: Option<DocId>,
    matches: &[Match],
) -> Result<Story, Error> {
    let origin = found.raw.origin.to_string();
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
            origin: origin.clone(),
            title: found.title.clone(),
            published: found.published.clone(),
        },
    );
    for (&id, &n) in &local {
        if n == 0 {
            continue;
        }
        if let Some((_, meta)) = snapshot.sketch(id)? {
            shown.insert(n, shown_of(meta));
        }
    }
    let mut judged: Vec<Related> = derived
        .iter()
        .map(|m| Related {
            a: 0,
            b: local[&m.id],
            relation: Link::Judged(m.relation),
            direction: m.source.map(|side| match side {
                Side::A => (0, local[&m.id]),
                Side::B => (local[&m.id], 0),
            }),
            page: None,
        })
        .collect();
    for pair in &pairs {
        let mut related = related_of(pair, &local, None)?;
        // The article's own pairs are judged afresh above.
        if related.a == 0 || related.b == 0 {
            continue;
        }
        if related.a > related.b {
            std::mem::swap(&mut related.a, &mut related.b);
        }
        judged.push(related);
    }
    let related: Vec<&Related> = judged.iter().collect();
    let mut all = stories(&shown, &related);
    Ok(match all.len() {
        0 => Story {
            id: 1,
            original: None,
            undecided_original: Vec::new(),
            members: vec![Member {
                origin,
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

/// A story of the index: the documents joined by stored derivation pairs.
#[derive(Clone, Debug)]
pub struct IndexedStory {
    /// The least id of its members, which numbers it (stable while that member stays).
    pub id: DocId,
    /// Its members' ids, in order.
    pub members: Vec<DocId>,
    /// The story, numbered by `id`.
    pub story: Story,
    /// The latest publication time of its members.
    pub newest: Option<String>,
}

/// The story holding the indexed document `id`, or `None` when it is in none; each edge's page
/// is `page(a, b)` of its pair (`None`: no page).
pub fn story_of_document(
    snapshot: &impl Read,
    id: DocId,
    page: impl Fn(DocId, DocId) -> Option<String>,
) -> Result<Option<IndexedStory>, Error> {
    let (members, pairs) = snapshot.story(&[id], usize::MAX)?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let local: BTreeMap<DocId, u32> = members
        .iter()
        .enumerate()
        .map(|(n, &id)| (id, n as u32))
        .collect();
    let mut shown = BTreeMap::new();
    let mut newest: Option<String> = None;
    for (&doc, &n) in &local {
        let meta = snapshot.meta(doc)?.unwrap_or_default();
        if meta.published > newest {
            newest.clone_from(&meta.published);
        }
        shown.insert(n, shown_of(meta));
    }
    let judged: Vec<Related> = pairs
        .iter()
        .map(|pair| related_of(pair, &local, page(pair.a, pair.b)))
        .collect::<Result<_, Error>>()?;
    let related: Vec<&Related> = judged.iter().collect();
    let least = members[0];
    Ok(stories(&shown, &related)
        .into_iter()
        .next()
        .map(|(mut story, _)| {
            story.id = least as usize;
            IndexedStory {
                id: least,
                members,
                story,
                newest,
            }
        }))
}

/// How an indexed document is named in a story: by its page's address where known, else by
/// where it was read from.
fn shown_of(meta: Meta) -> Shown {
    Shown {
        origin: meta.url.unwrap_or(meta.origin),
        title: meta.title,
        published: meta.published,
    }
}

/// A stored pair as stories are built from it, its documents numbered as `local` numbers
/// them; a relation this version does not know is an error, never taken for another.
fn related_of(
    pair: &Pair,
    local: &BTreeMap<DocId, u32>,
    page: Option<String>,
) -> Result<Related, Error> {
    let (a, b) = (local[&pair.a], local[&pair.b]);
    let relation: Relation = pair
        .relation
        .parse()
        .map_err(|unknown| Error::StoredRelation(pair.a, pair.b, unknown))?;
    Ok(Related {
        a,
        b,
        relation: Link::Judged(relation),
        direction: pair
            .source
            .map(|source| if source == pair.a { (a, b) } else { (b, a) }),
        page,
    })
}
