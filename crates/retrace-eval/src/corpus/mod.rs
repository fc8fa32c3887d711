//! `retrace-eval corpus`: an evaluation corpus with known ground truth, for `retrace scan`
//! (issue 4).
//!
//! Input: the 990 pages of `trafilatura-eval/html/` in the data folder, run through
//! `retrace_ingest::read_bytes` and `retrace_extract::extract`; articles of at least
//! [`MIN_WORDS`] words (exact and near duplicates among them dropped) become the *sources*,
//! each with a stable id (a hash of its file name). Output, in `--out DIR`:
//! - the corpus: `corpus.jsonl.gz` (one record per line: `id`, `url`, `title`, `date`, `text`,
//!   where `text` holds the site's furniture lines around the body; `--plain` writes
//!   `corpus.jsonl`), or `html/XX/ID.html` (`--format html`), or `corpus.warc.gz` (`--format
//!   warc`: a warcinfo record, then one response record per document, one gzip member each);
//! - `truth.jsonl`: one line per document, in corpus order: `id`, `kind`, `source` (the id it
//!   was made from, or null), `story` (the id of the original its chain starts at),
//!   `transforms` (what was done, in order), `url`, `date`, `language`, and `page` (the file a
//!   source came from) or `borrowed_from` (the source a rewrite took a sentence from);
//! - a summary on standard output: documents per kind, mean 5-word-shingle Jaccard of each
//!   derivative kind to its source, bytes, time.
//!
//! Kinds: `source` (an original with derivatives), `unrelated` (an original nothing derives
//! from), `copy`, `excerpt`, `near_copy`, `reordered`, `rewrite` (see [`transform`]), and
//! `filler` (new text, see [`filler`]), which scales the corpus to `--docs`. A quarter of the
//! derivatives are made from an earlier derivative of the same story, so provenance is a tree.
//! Every document is published on an invented site ([`templates`]), a derivative never on its
//! parent's site, and dated after its parent. Documents appear in a random order.
//!
//! Deterministic: the same data, `--docs`, `--seed` and `--format` give byte-identical files,
//! at any number of threads (each filler has its own generator; chunks are written in order).
//! Limits: the page text never enters the repository, but it does enter DIR: keep DIR outside
//! the repository.

mod filler;
mod phrases;
mod rng;
mod shingle;
mod templates;
mod transform;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use retrace_span::Origin;
use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use self::filler::Filler;
use self::phrases::Table;
use self::rng::Rng;
use self::templates::{Page, SITES};
use self::transform::{Derived, Input, Kind};

/// Words an extracted article needs to become a source.
const MIN_WORDS: usize = 150;

/// Share of the corpus (at most) taken by real articles; the rest is derivatives and filler.
const SOURCE_SHARE: f64 = 0.3;

/// Share of the real articles that get derivatives; the others are `unrelated`.
const STORY_SHARE: f64 = 0.6;

/// Derivatives per story on average (each story gets 1 to [`MAX_DERIVATIVES`]).
const DERIVATIVES_PER_STORY: f64 = 2.5;
const MAX_DERIVATIVES: usize = 5;

/// Documents per written chunk (one gzip member of `corpus.jsonl.gz`).
const CHUNK: usize = 2048;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// 2024-01-01T00:00:00Z.
const EPOCH_2024: i64 = 1_704_067_200;

/// Arguments of `retrace-eval corpus`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder to write the corpus, `truth.jsonl` into (created; keep it outside the repository,
    /// it holds the pages' text).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Documents in the corpus, filler included [default: 10000].
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    docs: usize,
    /// Seed of every random choice: the same seed gives byte-identical output [default: 1].
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Output format [default: jsonl].
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write `corpus.jsonl` uncompressed (jsonl format only).
    #[arg(long)]
    plain: bool,
    /// The data folder that holds `trafilatura-eval/html/` [default: ../shared/data next to
    /// the repository].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Syndicated stories, the shape of wire news: each story gets N/2 to 3N/2 derivatives
    /// (about N), mostly copies under other sites' furniture and lightly edited copies, some
    /// excerpts, reordered copies and rewrites, each on a site of its own [default: 1 to 5
    /// derivatives per story, 2.5 on average, every kind alike, rewrites twice].
    #[arg(long, value_name = "N")]
    copies: Option<usize>,
    /// One story (the first) gets N derivatives of the syndicated mix, on N sites: a story of
    /// N + 1 documents.
    #[arg(long, value_name = "N")]
    big_story: Option<usize>,
}

/// The shape of the stories: how many derivatives each gets, of which kinds.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// About this many derivatives per story, syndicated ([`Args::copies`]).
    copies: Option<usize>,
    /// The first story gets this many, syndicated ([`Args::big_story`]).
    big_story: Option<usize>,
}

impl Shape {
    fn syndicated(self) -> bool {
        self.copies.is_some() || self.big_story.is_some()
    }
}

/// How often each kind is drawn for a syndicated story, out of their sum (kinds that do not fit
/// the parent are left out of the draw): wire copies are mostly whole or lightly edited.
fn syndicated_weight(kind: Kind) -> usize {
    match kind {
        Kind::Copy => 8,
        Kind::NearCopy => 6,
        Kind::Excerpt => 3,
        Kind::Reordered => 1,
        Kind::Rewrite => 2,
    }
}

/// How the corpus is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `corpus.jsonl.gz`: one JSON record per document, furniture lines around the body.
    /// This is the default.
    Jsonl,
    /// `html/XX/ID.html`: one HTML page per document, in 256 subfolders.
    Html,
    /// `corpus.warc.gz`: one WARC response record (HTTP headers + HTML) per gzip member.
    Warc,
}

/// A real article that may become a source.
#[derive(Debug)]
struct Source {
    /// The page's file name.
    page: String,
    id: String,
    title: String,
    paragraphs: Vec<String>,
    language: Option<&'static str>,
}

/// A document of the corpus other than filler.
#[derive(Debug)]
struct Doc {
    id: String,
    kind: &'static str,
    source: Option<String>,
    story: String,
    transforms: Vec<&'static str>,
    title: String,
    paragraphs: Vec<String>,
    language: Option<&'static str>,
    /// Seconds since the Unix epoch.
    date: i64,
    site: usize,
    /// 0, or which of the site's namesakes (another host with the same page template) it is
    /// on: syndicated copies each get a host of their own.
    mirror: usize,
    page: Option<String>,
    borrowed_from: Option<String>,
}

/// One line of `truth.jsonl`.
#[derive(Debug, Serialize)]
struct Truth<'a> {
    id: &'a str,
    kind: &'a str,
    source: Option<&'a str>,
    story: &'a str,
    transforms: &'a [&'static str],
    url: &'a str,
    date: &'a str,
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    borrowed_from: Option<&'a str>,
}

/// One record of `corpus.jsonl`.
#[derive(Debug, Serialize)]
struct Record<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    date: &'a str,
    text: &'a str,
}

/// Runs `retrace-eval corpus`.
pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    if args.docs == 0 {
        bail!("--docs 0: a corpus needs at least one document");
    }
    if args.plain && args.format != Format::Jsonl {
        bail!("--plain applies to --format jsonl only");
    }
    let started = Instant::now();
    let html_dir = crate::mrpc::data_dir(args.data.as_deref()).join("trafilatura-eval/html");
    let sources = load_sources(&html_dir)?;
    if sources.is_empty() {
        bail!(
            "{}: no page gave an article of {MIN_WORDS} words or more",
            html_dir.display()
        );
    }
    let loaded = started.elapsed();
    eprintln!(
        "{} sources of {MIN_WORDS}+ words from {} in {:.1} s",
        sources.len(),
        html_dir.display(),
        loaded.as_secs_f64()
    );

    if args.copies == Some(0) {
        bail!("--copies 0: give at least 1 derivative per story, or leave --copies out");
    }
    let (plan, filler, written) = generate(&sources, args)?;
    let elapsed = started.elapsed();

    let summary = summarize(&sources, &plan, &filler, args.seed);
    println!("{command_line}");
    print!("{summary}");
    #[expect(clippy::cast_precision_loss, reason = "a rate for display")]
    let rate = args.docs as f64 / (elapsed - loaded).as_secs_f64().max(1e-9);
    println!(
        "wrote {} documents ({} of corpus, {} of truth) to {} in {:.1} s ({:.1} s reading sources, {:.0} docs/s after)",
        args.docs,
        human_bytes(written.corpus),
        human_bytes(written.truth),
        args.out.display(),
        elapsed.as_secs_f64(),
        loaded.as_secs_f64(),
        rate,
    );
    Ok(())
}

/// Plans and writes the corpus made from `sources`.
fn generate(sources: &[Source], args: &Args) -> anyhow::Result<(Plan, Filler, Written)> {
    let started = Instant::now();
    let shape = Shape {
        copies: args.copies,
        big_story: args.big_story,
    };
    let plan = plan(sources, args.docs, args.seed, shape);
    eprintln!(
        "planned {} derived and real documents in {:.1} s",
        plan.docs.len(),
        started.elapsed().as_secs_f64()
    );
    let filler = Filler::new(sources.iter().map(|s| (s.language, &s.paragraphs[..])))
        .context("no source text to train filler on")?;
    fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the output folder", args.out.display()))?;
    let written = write_corpus(args, &plan, &filler)?;
    Ok((plan, filler, written))
}

/// Reads, extracts and filters the pages of `dir`, in file-name order.
fn load_sources(dir: &Path) -> anyhow::Result<Vec<Source>> {
    let entries = fs::read_dir(dir).with_context(|| {
        format!(
            "{}: cannot read the page folder (pass --data DIR)",
            dir.display()
        )
    })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("{}: cannot list", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "html") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut sources: Vec<Source> = paths
        .par_iter()
        .map(|path| read_source(path))
        .collect::<anyhow::Result<Vec<Option<Source>>>>()?
        .into_iter()
        .flatten()
        .collect();
    // Drop exact and near duplicates (a site's pages can share one article): they would be
    // pairs that the truth does not list.
    let sets: Vec<Vec<u64>> = sources
        .par_iter()
        .map(|s| shingle::shingles(&s.paragraphs.join("\n\n")))
        .collect();
    let keep: Vec<bool> = (0..sources.len())
        .into_par_iter()
        .map(|i| (0..i).all(|j| shingle::jaccard_sets(&sets[i], &sets[j]) < 0.2))
        .collect();
    let mut keep = keep.into_iter();
    sources.retain(|_| keep.next().unwrap_or(false));
    Ok(sources)
}

fn read_source(path: &Path) -> anyhow::Result<Option<Source>> {
    let bytes = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let Ok(raw) = retrace_ingest::read_bytes(Origin::Path(path.to_path_buf()), bytes, Some(path))
    else {
        return Ok(None);
    };
    let Ok(article) = retrace_extract::extract(&raw) else {
        return Ok(None);
    };
    if article.text.split_whitespace().count() < MIN_WORDS {
        return Ok(None);
    }
    let paragraphs: Vec<String> = article
        .text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let page = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = article
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            paragraphs[0]
                .split(' ')
                .take(10)
                .collect::<Vec<_>>()
                .join(" ")
        });
    Ok(Some(Source {
        id: format!("{:016x}", xxh3_64(page.as_bytes())),
        page,
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        paragraphs,
        language: article.language,
    }))
}

/// What the corpus holds: the non-filler documents and where they stand.
#[derive(Debug)]
struct Plan {
    /// Non-filler documents, in the order they were made (parents before children).
    docs: Vec<Doc>,
    /// Corpus position → index into `docs`; positions not listed are filler.
    at: HashMap<usize, usize>,
    /// Total documents.
    total: usize,
    /// Sum and count of shingle Jaccard to the source, per derivative kind and whether the
    /// text is English.
    jaccard: BTreeMap<(&'static str, bool), (f64, usize)>,
}

/// Decides which sources are used, which get derivatives of which kinds, their dates and
/// sites, and where every document stands in the corpus.
fn plan(sources: &[Source], total: usize, seed: u64, shape: Shape) -> Plan {
    let mut rng = Rng::for_item(seed, 1, 0);
    let mut order: Vec<usize> = (0..sources.len()).collect();
    rng.shuffle(&mut order);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "small positive counts"
    )]
    let used = (((total as f64) * SOURCE_SHARE).ceil() as usize)
        .clamp(1, sources.len())
        .min(total);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "small positive counts"
    )]
    let mut stories = ((used as f64 * STORY_SHARE).round() as usize).min(total - used);
    let per_story = if shape.syndicated() {
        // As many stories as the documents left hold at about `copies` each, the big one
        // first; the last story may get fewer.
        let copies = shape.copies.unwrap_or(1);
        let mut left = total - used;
        let mut per_story = Vec::new();
        if let Some(big) = shape.big_story {
            per_story.push(big.min(left));
            left -= per_story[0];
        }
        while per_story.len() < stories && left > 0 && shape.copies.is_some() {
            let n = rng.range((copies / 2).max(1), copies * 3 / 2).min(left);
            per_story.push(n);
            left -= n;
        }
        stories = per_story.len().min(stories);
        per_story.truncate(stories);
        per_story
    } else {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "small positive counts"
        )]
        let budget = ((stories as f64 * DERIVATIVES_PER_STORY).round() as usize).min(total - used);
        // Every story gets one derivative; the rest of the budget goes to random stories.
        let mut per_story = vec![usize::from(budget > 0); stories];
        let mut left = budget.saturating_sub(stories);
        while left > 0 && stories > 0 {
            let s = rng.below(stories);
            if per_story[s] < MAX_DERIVATIVES {
                per_story[s] += 1;
                left -= 1;
            }
        }
        per_story
    };
    let budget: usize = per_story.iter().sum();
    let tables: HashMap<Option<&'static str>, Table> = sources
        .iter()
        .map(|s| s.language)
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|l| (l, Table::for_language(l)))
        .collect();
    let unrelated: Vec<usize> = order[stories..used].to_vec();
    let empty = Table::default();

    let mut docs: Vec<Doc> = Vec::with_capacity(used + budget);
    for (rank, &s) in order[..used].iter().enumerate() {
        let source = &sources[s];
        docs.push(Doc {
            id: source.id.clone(),
            kind: if rank < stories {
                "source"
            } else {
                "unrelated"
            },
            source: None,
            story: source.id.clone(),
            transforms: Vec::new(),
            title: source.title.clone(),
            paragraphs: source.paragraphs.clone(),
            language: source.language,
            date: EPOCH_2024 + i64::try_from(rng.below(180 * 86_400)).unwrap_or(0),
            site: rng.below(SITES.len()),
            mirror: 0,
            page: Some(source.page.clone()),
            borrowed_from: None,
        });
    }
    let mut jaccard: BTreeMap<(&'static str, bool), (f64, usize)> = BTreeMap::new();
    let mut serial = 0u64;
    for (story, &count) in per_story.iter().enumerate() {
        let mut family: Vec<usize> = vec![story];
        for _ in 0..count {
            // A quarter of derivatives are made from an earlier derivative of the story.
            let parent = if family.len() > 1 && rng.chance(0.25) {
                family[rng.range(1, family.len() - 1)]
            } else {
                story
            };
            let paragraphs = &docs[parent].paragraphs;
            let kinds: Vec<Kind> = Kind::ALL
                .iter()
                .copied()
                .filter(|k| k.fits(paragraphs))
                .collect();
            let mut weighted = kinds.clone();
            if shape.syndicated() {
                weighted = kinds
                    .iter()
                    .flat_map(|&k| std::iter::repeat_n(k, syndicated_weight(k)))
                    .collect();
            } else if kinds.contains(&Kind::Rewrite) {
                // Rewrites are the hard case: twice the weight of each other kind.
                weighted.push(Kind::Rewrite);
            }
            let Some(&kind) = rng.pick(&weighted) else {
                continue;
            };
            let language = docs[parent].language;
            let donor_source = unrelated
                .iter()
                .copied()
                .filter(|&u| sources[u].language == language)
                .nth(rng.below(8));
            let donor: Vec<String> = donor_source
                .map(|u| transform::sentences(&sources[u].paragraphs[0]))
                .unwrap_or_default();
            let input = Input {
                title: &docs[parent].title,
                paragraphs: &docs[parent].paragraphs,
                language,
                donor: &donor,
            };
            let table = tables.get(&language).unwrap_or(&empty);
            let Derived {
                title,
                paragraphs,
                transforms,
                borrowed,
            } = transform::derive(kind, input, table, &mut rng);
            let j = shingle::jaccard(
                &docs[parent].paragraphs.join("\n\n"),
                &paragraphs.join("\n\n"),
            );
            let entry = jaccard
                .entry((kind.name(), language == Some("eng")))
                .or_default();
            entry.0 += j;
            entry.1 += 1;
            let mut site = rng.below(SITES.len() - 1);
            if site >= docs[parent].site {
                site += 1;
            }
            // Syndicated: a host of its own (the story's serial number keeps it unique).
            let mirror = if shape.syndicated() { family.len() } else { 0 };
            serial += 1;
            let id = format!(
                "{:016x}",
                xxh3_64_with_seed(&serial.to_le_bytes(), seed ^ 0xD0C5)
            );
            docs.push(Doc {
                id,
                kind: kind.name(),
                source: Some(docs[parent].id.clone()),
                story: docs[story].id.clone(),
                transforms,
                title,
                paragraphs,
                language,
                // An hour to ten days after its parent.
                date: docs[parent].date + 3600 + i64::try_from(rng.below(10 * 86_400)).unwrap_or(0),
                site,
                mirror,
                page: None,
                borrowed_from: if borrowed {
                    donor_source.map(|u| sources[u].id.clone())
                } else {
                    None
                },
            });
            family.push(docs.len() - 1);
        }
    }

    // Positions: a uniform sample of distinct slots (Floyd's algorithm), in a random order.
    let mut taken: HashSet<usize> = HashSet::with_capacity(docs.len());
    let mut slots: Vec<usize> = Vec::with_capacity(docs.len());
    for j in total - docs.len()..total {
        let t = rng.below(j + 1);
        let slot = if taken.contains(&t) { j } else { t };
        taken.insert(slot);
        slots.push(slot);
    }
    slots.sort_unstable();
    rng.shuffle(&mut slots);
    let at = slots.into_iter().zip(0..docs.len()).collect();
    Plan {
        docs,
        at,
        total,
        jaccard,
    }
}

/// Bytes written.
#[derive(Debug, Default)]
struct Written {
    corpus: u64,
    truth: u64,
}

/// A document ready to write, filler or not.
struct Ready {
    id: String,
    title: String,
    paragraphs: Vec<String>,
    language: Option<&'static str>,
    date: i64,
    site: usize,
    mirror: usize,
    author: String,
    section: usize,
    teasers: Vec<String>,
}

/// Filler ids are drawn from this stream; plan choices from stream 1.
const FILLER_STREAM: u64 = 2;
/// Page furniture choices of every document come from this stream.
const PAGE_STREAM: u64 = 3;

fn ready<'p>(
    plan: &'p Plan,
    filler: &Filler,
    seed: u64,
    position: usize,
) -> (Ready, Option<&'p Doc>) {
    let mut page_rng = Rng::for_item(seed, PAGE_STREAM, position as u64);
    let author = templates::author(&mut page_rng);
    let section = page_rng.below(5);
    let teasers = templates::teasers(&mut page_rng);
    if let Some(&d) = plan.at.get(&position) {
        let doc = &plan.docs[d];
        let ready = Ready {
            id: doc.id.clone(),
            title: doc.title.clone(),
            paragraphs: doc.paragraphs.clone(),
            language: doc.language,
            date: doc.date,
            site: doc.site,
            mirror: doc.mirror,
            author,
            section,
            teasers,
        };
        return (ready, Some(doc));
    }
    let mut rng = Rng::for_item(seed, FILLER_STREAM, position as u64);
    let article = filler.article(&mut rng);
    let ready = Ready {
        id: format!("{:016x}", rng.next_u64()),
        title: article.title,
        paragraphs: article.paragraphs,
        language: article.language,
        date: EPOCH_2024 + i64::try_from(rng.below(366 * 86_400)).unwrap_or(0),
        site: rng.below(SITES.len()),
        mirror: 0,
        author,
        section,
        teasers,
    };
    (ready, None)
}

/// Renders position `position`: the bytes of its corpus entry and its truth line.
fn render(
    args: &Args,
    plan: &Plan,
    filler: &Filler,
    position: usize,
) -> anyhow::Result<(Vec<u8>, String, String)> {
    let (doc, planned) = ready(plan, filler, args.seed, position);
    let site = &SITES[doc.site];
    let date = iso_date(doc.date);
    let url = templates::url(site, doc.mirror, doc.section, &date, &doc.title, &doc.id);
    let page = Page {
        id: &doc.id,
        url: &url,
        title: &doc.title,
        date: &date,
        author: &doc.author,
        paragraphs: &doc.paragraphs,
        language: doc.language,
    };
    let body = match args.format {
        Format::Jsonl => {
            let text = templates::text(site, &page, &doc.teasers);
            let mut line = serde_json::to_vec(&Record {
                id: &doc.id,
                url: &url,
                title: &doc.title,
                date: &date,
                text: &text,
            })?;
            line.push(b'\n');
            line
        }
        Format::Html => templates::html(site, &page, &doc.teasers).into_bytes(),
        Format::Warc => warc_record(
            &doc.id,
            &url,
            &date,
            &templates::html(site, &page, &doc.teasers),
        ),
    };
    let truth = match planned {
        Some(d) => Truth {
            id: &d.id,
            kind: d.kind,
            source: d.source.as_deref(),
            story: &d.story,
            transforms: &d.transforms,
            url: &url,
            date: &date,
            language: d.language,
            page: d.page.as_deref(),
            borrowed_from: d.borrowed_from.as_deref(),
        },
        None => Truth {
            id: &doc.id,
            kind: "filler",
            source: None,
            story: &doc.id,
            transforms: &[],
            url: &url,
            date: &date,
            language: doc.language,
            page: None,
            borrowed_from: None,
        },
    };
    let mut truth = serde_json::to_string(&truth)?;
    truth.push('\n');
    Ok((body, truth, doc.id))
}

/// A WARC/1.0 response record holding an HTTP response with `html`.
fn warc_record(id: &str, url: &str, date: &str, html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let uuid = uuid_of(id);
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid}>\r\nWARC-Date: {date}\r\n\
         WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A UUID-shaped name derived from `key` (not an RFC 4122 UUID: deterministic by design).
fn uuid_of(key: &str) -> String {
    let a = xxh3_64(key.as_bytes());
    let b = xxh3_64_with_seed(key.as_bytes(), 0x5EED);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::fast());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Makes chunk `chunk`: the bytes to append to the corpus file (the HTML format writes its
/// files here and appends nothing), the corpus bytes it stands for, and its truth lines.
fn write_chunk(
    args: &Args,
    plan: &Plan,
    filler: &Filler,
    html_root: &Path,
    chunk: usize,
) -> anyhow::Result<(Vec<u8>, u64, String)> {
    let mut corpus = Vec::new();
    let mut bytes = 0u64;
    let mut truth = String::new();
    for position in chunk * CHUNK..((chunk + 1) * CHUNK).min(plan.total) {
        let (body, line, id) = render(args, plan, filler, position)?;
        truth.push_str(&line);
        match args.format {
            Format::Jsonl => corpus.extend_from_slice(&body),
            Format::Warc => corpus.extend_from_slice(&gzip(&body)?),
            Format::Html => {
                let dir = html_root.join(&id[..2]);
                fs::create_dir_all(&dir)
                    .with_context(|| format!("{}: cannot create", dir.display()))?;
                let path = dir.join(format!("{id}.html"));
                fs::write(&path, &body)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                bytes += body.len() as u64;
            }
        }
    }
    if args.format == Format::Jsonl && !args.plain {
        corpus = gzip(&corpus)?;
    }
    bytes += corpus.len() as u64;
    Ok((corpus, bytes, truth))
}

/// Writes the corpus and `truth.jsonl` in chunks made in parallel and written in order.
fn write_corpus(args: &Args, plan: &Plan, filler: &Filler) -> anyhow::Result<Written> {
    let out = &args.out;
    let truth_path = out.join("truth.jsonl");
    let mut truth_file = BufWriter::new(
        File::create(&truth_path)
            .with_context(|| format!("{}: cannot create", truth_path.display()))?,
    );
    let corpus_path = match (args.format, args.plain) {
        (Format::Jsonl, false) => Some(out.join("corpus.jsonl.gz")),
        (Format::Jsonl, true) => Some(out.join("corpus.jsonl")),
        (Format::Warc, _) => Some(out.join("corpus.warc.gz")),
        (Format::Html, _) => None,
    };
    let mut corpus_file = match &corpus_path {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("{}: cannot create", path.display())
            })?))
        }
        None => None,
    };
    let mut written = Written::default();
    if let (Format::Warc, Some(file)) = (args.format, corpus_file.as_mut()) {
        let info = format!(
            "software: retrace-eval corpus\r\nformat: WARC File Format 1.0\r\nseed: {}\r\ndocuments: {}\r\n",
            args.seed, plan.total
        );
        let head = format!(
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n{info}\r\n\r\n",
            uuid_of(&format!("warcinfo-{}", args.seed)),
            info.len()
        );
        let member = gzip(head.as_bytes())?;
        file.write_all(&member)?;
        written.corpus += member.len() as u64;
    }
    let html_root = out.join("html");
    let chunks: Vec<usize> = (0..plan.total.div_ceil(CHUNK)).collect();
    // A few chunks per round keeps memory bounded while both cores work.
    for round in chunks.chunks(rayon::current_num_threads().max(1) * 2) {
        let made: Vec<(Vec<u8>, u64, String)> = round
            .par_iter()
            .map(|&chunk| write_chunk(args, plan, filler, &html_root, chunk))
            .collect::<anyhow::Result<_>>()?;
        for (corpus, bytes, truth) in made {
            if let Some(file) = corpus_file.as_mut() {
                file.write_all(&corpus).with_context(|| {
                    let path = corpus_path.as_deref().unwrap_or(out);
                    format!("{}: cannot write", path.display())
                })?;
            }
            written.corpus += bytes;
            truth_file
                .write_all(truth.as_bytes())
                .with_context(|| format!("{}: cannot write", truth_path.display()))?;
            written.truth += truth.len() as u64;
        }
    }
    if let (Some(file), Some(path)) = (corpus_file, &corpus_path) {
        file.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    truth_file
        .flush()
        .with_context(|| format!("{}: cannot write", truth_path.display()))?;
    Ok(written)
}

/// The summary table: documents per kind, mean Jaccard per derivative kind, languages, and a
/// sampled check that filler shares nothing with the sources.
fn summarize(sources: &[Source], plan: &Plan, filler: &Filler, seed: u64) -> String {
    use std::fmt::Write as _;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in &plan.docs {
        *counts.entry(doc.kind).or_default() += 1;
    }
    let fillers = plan.total - plan.docs.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<11} {:>9}  {:>12} {:>18} {:>18}",
        "kind", "documents", "Jaccard(5)", "English", "other languages"
    );
    for kind in ["source", "unrelated"] {
        let n = counts.get(kind).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "{kind:<11} {n:>9}  {:>12} {:>18} {:>18}",
            "-", "-", "-"
        );
    }
    let mean = |parts: &[(f64, usize)]| {
        let (sum, n) = parts
            .iter()
            .fold((0.0, 0), |(s, c), &(x, k)| (s + x, c + k));
        #[expect(clippy::cast_precision_loss, reason = "a mean for display")]
        let shown = if n == 0 {
            "-".to_owned()
        } else {
            format!("{:.3}", sum / n as f64)
        };
        (shown, n)
    };
    for kind in Kind::ALL {
        let eng = plan
            .jaccard
            .get(&(kind.name(), true))
            .copied()
            .unwrap_or((0.0, 0));
        let other = plan
            .jaccard
            .get(&(kind.name(), false))
            .copied()
            .unwrap_or((0.0, 0));
        let (all, n) = mean(&[eng, other]);
        let (e, en) = mean(&[eng]);
        let (o, on) = mean(&[other]);
        let _ = writeln!(
            out,
            "{:<11} {n:>9}  {all:>12} {:>18} {:>18}",
            kind.name(),
            format!("{e} (n={en})"),
            format!("{o} (n={on})"),
        );
    }
    // Filler: the highest Jaccard of 200 sampled fillers to any source (0 means unrelated).
    let sets: Vec<Vec<u64>> = sources
        .iter()
        .map(|s| shingle::shingles(&s.paragraphs.join("\n\n")))
        .collect();
    let sample: Vec<f64> = (0..200u64)
        .into_par_iter()
        .map(|i| {
            let article = filler.article(&mut Rng::for_item(seed, 99, i));
            let set = shingle::shingles(&article.paragraphs.join("\n\n"));
            sets.iter()
                .map(|s| shingle::jaccard_sets(&set, s))
                .fold(0.0, f64::max)
        })
        .collect();
    #[expect(clippy::cast_precision_loss, reason = "a mean for display")]
    let sampled = sample.iter().sum::<f64>() / sample.len().max(1) as f64;
    let max = sample.iter().copied().fold(0.0, f64::max);
    let _ = writeln!(
        out,
        "{:<11} {fillers:>9}  nearest source over a sample of 200: mean {sampled:.3}, max {max:.3}",
        "filler"
    );
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in plan.docs.iter().filter(|d| d.page.is_some()) {
        *languages
            .entry(doc.language.unwrap_or("unknown"))
            .or_default() += 1;
    }
    let mut languages: Vec<(&str, usize)> = languages.into_iter().collect();
    languages.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = languages
        .iter()
        .take(8)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "real articles used: {} of {} ({})",
        counts.get("source").copied().unwrap_or(0) + counts.get("unrelated").copied().unwrap_or(0),
        sources.len(),
        shown.join(", ")
    );
    let mut transforms: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in plan.docs.iter().filter(|d| d.kind == "rewrite") {
        for t in &doc.transforms {
            *transforms.entry(t).or_default() += 1;
        }
    }
    let shown: Vec<String> = transforms.iter().map(|(t, n)| format!("{t} {n}")).collect();
    let _ = writeln!(out, "rewrite transforms: {}", shown.join(", "));
    out
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
fn iso_date(seconds: i64) -> String {
    let days = seconds.div_euclid(DAY);
    let rest = seconds.rem_euclid(DAY);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn human_bytes(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size for display")]
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.1} kB", b / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOWNS: [&str; 8] = [
        "Aldermoor",
        "Brackenfield",
        "Corrowick",
        "Dunmere",
        "Elsworth",
        "Fallowdene",
        "Greyhaven",
        "Hollinsby",
    ];
    const TOPICS: [&str; 4] = [
        "a new bridge",
        "the school budget",
        "flood defences",
        "a bus route",
    ];

    /// Eight invented articles of four paragraphs each, in English, about invented towns.
    fn invented_sources() -> Vec<Source> {
        TOWNS
            .iter()
            .enumerate()
            .map(|(i, town)| {
                let paragraphs = (0..4)
                    .map(|p| {
                        let topic = TOPICS[(i + p) % TOPICS.len()];
                        format!(
                            "In {town}, the council said on Monday that {topic} would cost {} thousand euros, and residents were asked for their views. \
                             Officials reportedly expect a decision in {} weeks. \
                             \"We need more time to look at the plans,\" said a spokeswoman for the {town} residents' group.",
                            12 + i * 7 + p,
                            2 + p
                        )
                    })
                    .collect();
                Source {
                    page: format!("{town}.html"),
                    id: format!("{:016x}", xxh3_64(town.as_bytes())),
                    title: format!("{town} council weighs plans for {}", TOPICS[i % 4]),
                    paragraphs,
                    language: Some("eng"),
                }
            })
            .collect()
    }

    fn args(out: &Path, seed: u64, format: Format) -> Args {
        Args {
            out: out.to_path_buf(),
            docs: 40,
            seed,
            format,
            plain: false,
            data: None,
            copies: None,
            big_story: None,
        }
    }

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).expect("a folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let name = path
                        .strip_prefix(dir)
                        .expect("inside")
                        .display()
                        .to_string();
                    out.insert(name, fs::read(&path).expect("a file"));
                }
            }
        }
        out
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let sources = invented_sources();
        let tmp = tempfile::tempdir().expect("a temporary folder");
        for format in [Format::Jsonl, Format::Html, Format::Warc] {
            let run = |name: &str, seed: u64| {
                let out = tmp.path().join(format!("{format:?}-{name}"));
                generate(&sources, &args(&out, seed, format)).expect("a corpus");
                files(&out)
            };
            let a = run("a", 7);
            let b = run("b", 7);
            let c = run("c", 8);
            assert_eq!(a, b, "{format:?}");
            assert_ne!(a, c, "{format:?}");
        }
    }

    #[test]
    fn truth_lists_every_document_with_earlier_sources() {
        let sources = invented_sources();
        let tmp = tempfile::tempdir().expect("a temporary folder");
        generate(&sources, &args(tmp.path(), 3, Format::Jsonl)).expect("a corpus");
        let truth = fs::read_to_string(tmp.path().join("truth.jsonl")).expect("truth");
        let lines: Vec<serde_json::Value> = truth
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 40);
        let by_id: HashMap<&str, &serde_json::Value> = lines
            .iter()
            .map(|l| (l["id"].as_str().expect("id"), l))
            .collect();
        assert_eq!(by_id.len(), 40, "ids are distinct");
        let mut kinds: HashSet<&str> = HashSet::new();
        for line in &lines {
            kinds.insert(line["kind"].as_str().expect("kind"));
            if let Some(source) = line["source"].as_str() {
                let parent = by_id[source];
                assert!(parent["date"].as_str() < line["date"].as_str(), "{line}");
                let story = by_id[line["story"].as_str().expect("story")];
                assert_eq!(story["kind"], "source");
            }
        }
        assert!(
            kinds.contains("source") && kinds.contains("filler"),
            "{kinds:?}"
        );
        let mut corpus = String::new();
        let file = File::open(tmp.path().join("corpus.jsonl.gz")).expect("corpus");
        std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(file), &mut corpus)
            .expect("gzip");
        let ids: Vec<String> = corpus
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["id"].to_string())
            .collect();
        let truth_ids: Vec<String> = lines.iter().map(|l| l["id"].to_string()).collect();
        assert_eq!(ids, truth_ids, "corpus and truth in the same order");
    }

    #[test]
    fn a_big_story_has_its_copies_each_on_a_host_of_its_own() {
        let sources = invented_sources();
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let mut args = args(tmp.path(), 5, Format::Jsonl);
        args.docs = 60;
        args.big_story = Some(30);
        args.plain = true;
        generate(&sources, &args).expect("a corpus");
        let truth: Vec<serde_json::Value> = fs::read_to_string(tmp.path().join("truth.jsonl"))
            .expect("truth")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        let mut stories: HashMap<&str, Vec<&serde_json::Value>> = HashMap::new();
        for line in &truth {
            if line["kind"] != "filler" && line["kind"] != "unrelated" {
                stories
                    .entry(line["story"].as_str().expect("story"))
                    .or_default()
                    .push(line);
            }
        }
        // One story: the original and its 30 derivatives, mostly copies.
        assert_eq!(stories.len(), 1, "{stories:?}");
        let members = stories.values().next().expect("a story");
        assert_eq!(members.len(), 31);
        let copies = members
            .iter()
            .filter(|m| matches!(m["kind"].as_str(), Some("copy" | "near_copy")))
            .count();
        assert!(copies >= 15, "{copies} copies of 30");
        // Each on a host of its own.
        let hosts: HashSet<&str> = members
            .iter()
            .map(|m| {
                let url = m["url"].as_str().expect("url");
                url.split('/').nth(2).expect("a host")
            })
            .collect();
        assert_eq!(hosts.len(), 31, "{hosts:?}");
    }

    #[test]
    fn iso_dates_are_utc_calendar_dates() {
        assert_eq!(iso_date(EPOCH_2024), "2024-01-01T00:00:00Z");
        assert_eq!(
            iso_date(EPOCH_2024 + 59 * DAY + 3661),
            "2024-02-29T01:01:01Z"
        );
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
    }
}
