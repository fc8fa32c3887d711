//! `retrace-eval extract`: article extraction on the trafilatura gold standard.
//!
//! Input: `trafilatura-eval/evaldata.json` in the data folder (990 pages keyed by URL, each with
//! an HTML file in `html/` and two lists of snippets: `with`, main content that must be
//! extracted, and `without`, page furniture that must not be). Output: precision, recall and F1
//! over the counts summed across all pages, next to the published figures of other extractors,
//! and the extraction speed.
//!
//! Scoring follows the published comparison: each `with` snippet found in the extracted text is a
//! true positive, else a false negative; each `without` snippet found is a false positive, else a
//! true negative. Snippet and text are compared after whitespace normalization only (runs of
//! white space become one space); quotes, dashes and case are compared as they are. A page in
//! which no article is found counts as empty text. The extracted text is the title, a blank line
//! and the body, because trafilatura's output, which the published figures score, holds the
//! title too; the body alone is reported as well.
//!
//! Pages go through `retrace_ingest::read_bytes`, as in `retrace extract`: pages in a legacy
//! encoding are decoded by their declared or detected charset, and counted.
//!
//! Other public sets, whose gold is the main text of each page rather than snippets, are scored
//! with `--set readability|l3s-gn1|dragnet --dir DIR` (bag-of-words token precision, recall and
//! F1 per page, and title accuracy where the set has gold titles): see [`crate::goldtext`].
//! Without `--set`, the set is trafilatura-eval, as described above.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use retrace_span::Origin;
use serde::{Deserialize, Serialize};

use crate::goldtext::{self, Set};
use crate::metrics::Confusion;

/// Arguments of `retrace-eval extract`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The data folder that holds `trafilatura-eval/evaldata.json` and `trafilatura-eval/html/`
    /// [default: ../shared/data next to the repository]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Also write every figure, and the counts of each page, as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the text extracted from each page to DIR/FILE.txt, for error analysis (keep DIR
    /// outside the repository: it holds the pages' text).
    #[arg(long, value_name = "DIR")]
    dump: Option<PathBuf>,
    /// The extractor to score: retrace's own, or a peer crate side by side on the same pages,
    /// the same decoding and the same scorer (peers need a build with `--features peers`).
    #[arg(long, value_enum, default_value_t = Extractor::Retrace)]
    extractor: Extractor,
    /// The set to score on: trafilatura-eval (snippets, in --data), or a set whose gold is the
    /// main text of each page (bag-of-words token F1, and title accuracy where it has gold
    /// titles), read from --dir.
    #[arg(long, value_enum, default_value_t = Set::TrafilaturaEval)]
    set: Set,
    /// The folder of a --set other than trafilatura-eval, in its publisher's layout (readability:
    /// test/test-pages; l3s-gn1: original/ and annotated/; dragnet: input/ and GoldStandard/, or
    /// HTML/ and Corrected/) [default: DATA/SET]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// An extractor `retrace-eval extract` can score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Extractor {
    /// retrace-extract (the default).
    #[default]
    Retrace,
    /// The `rs-trafilatura` crate, default options.
    RsTrafilatura,
    /// The `trafilatura` crate (a Rust port of go-trafilatura), default options.
    Trafilatura,
    /// retrace, falling back to `rs-trafilatura` on a page where retrace's text is under a
    /// third of the length of that crate's (the wrong block won, or a fragment): an
    /// experiment, to see what a per-page fallback would gain.
    Fallback,
}

/// One extractor's published figures on this set.
struct Published {
    name: &'static str,
    f1: f64,
    /// Precision and recall, where the comparison gives them.
    precision_recall: Option<(f64, f64)>,
}

const fn published(name: &'static str, f1: f64) -> Published {
    Published {
        name,
        f1,
        precision_recall: None,
    }
}

/// Published figures on this set (trafilatura docs/evaluation.rst, as quoted in the data's
/// README).
const PUBLISHED: [Published; 8] = [
    Published {
        name: "trafilatura 2.2",
        f1: 0.924,
        precision_recall: Some((0.906, 0.943)),
    },
    published("magic-html", 0.889),
    published("justext", 0.862),
    published("news-please", 0.836),
    published("readability-lxml", 0.826),
    published("resiliparse", 0.811),
    published("goose3", 0.810),
    published("newspaper4k", 0.801),
];

/// One page of `evaldata.json`.
#[derive(Debug, Deserialize)]
struct GoldPage {
    file: String,
    with: Vec<String>,
    without: Vec<String>,
}

/// Runs the evaluation and prints the table.
pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    if args.extractor != Extractor::Retrace && !cfg!(feature = "peers") {
        bail!(
            "--extractor {:?} needs the peer crates: cargo build --release -p retrace-eval \
             --features peers",
            args.extractor
        );
    }
    let data = crate::mrpc::data_dir(args.data.as_deref());
    if args.set != Set::TrafilaturaEval {
        let dir = args
            .dir
            .clone()
            .unwrap_or_else(|| data.join(args.set.name()));
        return goldtext::run(&goldtext::Options {
            set: args.set,
            dir: &dir,
            extractor: args.extractor,
            json: args.json.as_deref(),
            dump: args.dump.as_deref(),
            command_line,
        });
    }
    if args.dir.is_some() {
        bail!("--dir names the folder of a --set other than trafilatura-eval (use --data)");
    }
    let dir = data.join("trafilatura-eval");
    let gold_path = dir.join("evaldata.json");
    if !gold_path.is_file() {
        bail!(
            "{}: no such file; pass --data DIR, the folder that holds trafilatura-eval/",
            gold_path.display()
        );
    }
    let gold_text = std::fs::read_to_string(&gold_path)
        .with_context(|| format!("{}: cannot read", gold_path.display()))?;
    // A BTreeMap keeps the run in URL order, whatever the order of the file.
    let gold: BTreeMap<String, GoldPage> = serde_json::from_str(&gold_text)
        .with_context(|| format!("{}: not the expected JSON", gold_path.display()))?;
    if let Some(dump) = &args.dump {
        std::fs::create_dir_all(dump)
            .with_context(|| format!("{}: cannot create", dump.display()))?;
    }

    let mut report = Report {
        command: command_line.to_owned(),
        extractor: args.extractor,
        data: dir.display().to_string(),
        pages: gold.len(),
        with_snippets: gold.values().map(|p| p.with.len()).sum(),
        without_snippets: gold.values().map(|p| p.without.len()).sum(),
        ..Report::default()
    };
    let mut elapsed = Duration::ZERO;
    for (n, (url, page)) in gold.iter().enumerate() {
        let path = dir.join("html").join(&page.file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        report.speed.bytes += bytes.len() as u64;
        let started = Instant::now();
        let (extracted, transcoded) = extract_page(args.extractor, &path, &bytes);
        elapsed += started.elapsed();

        let found = extracted.is_some();
        let (title, body) = extracted.unwrap_or_default();
        let full = match &title {
            Some(title) if !title.trim().is_empty() => format!("{title}\n\n{body}"),
            _ => body.clone(),
        };
        let with_title = score_page(&full, &page.with, &page.without);
        let body_only = score_page(&body, &page.with, &page.without);
        add(&mut report.with_title, with_title);
        add(&mut report.body_only, body_only);
        report.transcoded += usize::from(transcoded);
        report.no_article += usize::from(!found);
        if let Some(dump) = &args.dump {
            let out = dump.join(format!("{}.txt", page.file));
            std::fs::write(&out, &full)
                .with_context(|| format!("{}: cannot write", out.display()))?;
        }
        report.per_page.push(PageResult {
            url: url.clone(),
            file: page.file.clone(),
            transcoded,
            article: found,
            chars: full.chars().count(),
            counts: with_title,
        });
        if (n + 1) % 100 == 0 {
            eprintln!("extract: {} of {} pages", n + 1, gold.len());
        }
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    report.speed.finish(report.pages, secs);
    report.figures_with_title = Figures::of(&report.with_title);
    report.figures_body_only = Figures::of(&report.body_only);

    print!("{}", report.table());
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)? + "\n";
        std::fs::write(path, json).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

/// Ingests and extracts one page; returns `(title, body)` (`None` when no article was found) and
/// whether the bytes had to be decoded lossily.
/// Every extractor reads the page as retrace decodes it (charset sniffing included), so that
/// the comparison is of extraction alone.
pub(crate) fn extract_page(
    extractor: Extractor,
    path: &Path,
    bytes: &[u8],
) -> (Option<(Option<String>, String)>, bool) {
    let origin = Origin::Path(path.to_path_buf());
    let raw = match retrace_ingest::read_bytes(origin, bytes.to_vec(), Some(path)) {
        Ok(raw) => raw,
        // Binary or empty: no article, scored as empty text.
        Err(_) => return (None, false),
    };
    let transcoded = raw.decoding.is_transcoded();
    let extracted = match extractor {
        Extractor::Retrace => retrace_extract::extract(&raw)
            .ok()
            .map(|article| (article.title, article.text)),
        Extractor::RsTrafilatura | Extractor::Trafilatura => peer(extractor, &raw.text),
        Extractor::Fallback => {
            let ours = retrace_extract::extract(&raw)
                .ok()
                .map(|article| (article.title, article.text));
            let length = |x: &Option<(Option<String>, String)>| {
                x.as_ref()
                    .map_or(0, |(_, text)| text.trim().chars().count())
            };
            let theirs = peer(Extractor::RsTrafilatura, &raw.text);
            if 3 * length(&ours) < length(&theirs) {
                theirs
            } else {
                ours
            }
        }
    };
    (extracted, transcoded)
}

impl Extractor {
    /// Its name in the table.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Extractor::Retrace => "retrace",
            Extractor::RsTrafilatura => "rs-trafilatura 0.2",
            Extractor::Trafilatura => "trafilatura (crate) 0.6",
            Extractor::Fallback => "retrace, else rs-trafilatura",
        }
    }
}

/// A peer crate's `(title, text)` for a page, `None` where it finds no content.
#[cfg(feature = "peers")]
fn peer(extractor: Extractor, html: &str) -> Option<(Option<String>, String)> {
    let (title, text) = match extractor {
        Extractor::RsTrafilatura => {
            let result = rs_trafilatura::extract(html).ok()?;
            (result.metadata.title, result.content_text)
        }
        Extractor::Trafilatura => {
            let result = trafilatura::extract(html, &trafilatura::Options::default()).ok()?;
            let title = Some(result.metadata.title).filter(|t| !t.is_empty());
            (title, result.content_text)
        }
        Extractor::Retrace | Extractor::Fallback => unreachable!("retrace is not a peer"),
    };
    (!text.trim().is_empty()).then_some((title, text))
}

#[cfg(not(feature = "peers"))]
fn peer(_: Extractor, _: &str) -> Option<(Option<String>, String)> {
    None
}

/// Collapses every run of white space into one space and trims the ends.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores one page's extracted text against its snippets: `with` snippets found are true
/// positives, missing ones false negatives; `without` snippets found are false positives, missing
/// ones true negatives. Matching is substring search after whitespace normalization.
fn score_page(text: &str, with: &[String], without: &[String]) -> Confusion {
    let text = normalize(text);
    let found = |snippet: &String| {
        let snippet = normalize(snippet);
        !snippet.is_empty() && text.contains(&snippet)
    };
    let mut c = Confusion::default();
    for snippet in with {
        if found(snippet) {
            c.tp += 1;
        } else {
            c.fn_ += 1;
        }
    }
    for snippet in without {
        if found(snippet) {
            c.fp += 1;
        } else {
            c.tn += 1;
        }
    }
    c
}

fn add(total: &mut Confusion, page: Confusion) {
    total.tp += page.tp;
    total.fp += page.fp;
    total.tn += page.tn;
    total.fn_ += page.fn_;
}

/// Precision, recall and F1 of the `with` class.
#[derive(Debug, Default, Serialize)]
struct Figures {
    precision: f64,
    recall: f64,
    f1: f64,
}

impl Figures {
    fn of(c: &Confusion) -> Figures {
        Figures {
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
        }
    }
}

/// The counts of one page (title and body).
#[derive(Debug, Serialize)]
struct PageResult {
    url: String,
    file: String,
    /// Decoded from a charset other than UTF-8, or with invalid bytes replaced.
    transcoded: bool,
    /// Whether an article was found (if not, the text scored is empty).
    article: bool,
    /// Characters of the text scored.
    chars: usize,
    counts: Confusion,
}

/// Everything the run measured; printed as a table and written as JSON.
#[derive(Debug, Default, Serialize)]
struct Report {
    command: String,
    /// Which extractor was scored.
    extractor: Extractor,
    data: String,
    pages: usize,
    with_snippets: usize,
    without_snippets: usize,
    /// Pages decoded from a charset other than UTF-8, or with invalid bytes replaced.
    transcoded: usize,
    /// Pages in which no article was found, scored as empty text.
    no_article: usize,
    /// Counts over title + "\n\n" + body (the headline figure).
    with_title: Confusion,
    figures_with_title: Figures,
    /// Counts over the body alone.
    body_only: Confusion,
    figures_body_only: Figures,
    /// Bytes read and seconds spent in ingest and extraction.
    #[serde(flatten)]
    speed: Speed,
    per_page: Vec<PageResult>,
}

impl Report {
    fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "trafilatura gold standard: {} pages, {} `with` snippets, {} `without` snippets",
            self.pages, self.with_snippets, self.without_snippets
        );
        let _ = writeln!(out, "data: {}", self.data);
        let _ = writeln!(
            out,
            "pages not in clean UTF-8 (decoded by their charset): {}; no article found (scored empty): {}",
            self.transcoded, self.no_article
        );
        let _ = writeln!(
            out,
            "\n{:<40} {:>6} {:>6} {:>6}   {:>5} {:>5} {:>5} {:>5}",
            "extractor", "F1", "P", "R", "TP", "FN", "FP", "TN"
        );
        let ours = |out: &mut String, name: &str, c: &Confusion| {
            let _ = writeln!(
                out,
                "{:<40} {:>6.3} {:>6.3} {:>6.3}   {:>5} {:>5} {:>5} {:>5}",
                name,
                c.f1(),
                c.precision(),
                c.recall(),
                c.tp,
                c.fn_,
                c.fp,
                c.tn
            );
        };
        let name = self.extractor.name();
        ours(
            &mut out,
            &format!("{name} (title + body)"),
            &self.with_title,
        );
        ours(&mut out, &format!("{name} (body only)"), &self.body_only);
        for Published {
            name,
            f1,
            precision_recall,
        } in PUBLISHED
        {
            let (p, r) = precision_recall.map_or_else(
                || ("-".to_owned(), "-".to_owned()),
                |(p, r)| (format!("{p:.3}"), format!("{r:.3}")),
            );
            let _ = writeln!(
                out,
                "{:<40} {:>6.3} {:>6} {:>6}   (published)",
                name, f1, p, r
            );
        }
        self.speed.lines(&mut out, &self.command);
        out
    }
}

/// How fast an extraction run went: bytes of HTML read and seconds spent in ingest and
/// extraction, single thread (file reads not included), and the rates from them.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Speed {
    pub(crate) bytes: u64,
    seconds: f64,
    pages_per_second: f64,
    mb_per_second: f64,
}

impl Speed {
    /// Sets the time and the rates once `pages` pages took `secs` seconds.
    pub(crate) fn finish(&mut self, pages: usize, secs: f64) {
        self.seconds = secs;
        self.pages_per_second = pages as f64 / secs;
        self.mb_per_second = self.bytes as f64 / 1e6 / secs;
    }

    /// The speed line and the command line that close an extraction report.
    pub(crate) fn lines(&self, out: &mut String, command: &str) {
        let _ = writeln!(
            out,
            "\nspeed: {:.1} pages/s, {:.2} MB/s ({:.1} MB in {:.2} s; ingest + extract, one thread)",
            self.pages_per_second,
            self.mb_per_second,
            self.bytes as f64 / 1e6,
            self.seconds,
        );
        let _ = writeln!(out, "command: {command}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn scores_snippets_after_whitespace_normalization() {
        let text = "The Harbour Gazette\n\nThe ferry   left at nine.\nIt came back\tat noon.";
        let with = strings(&["ferry left at nine.", "came back at  noon", "sank at dawn"]);
        let without = strings(&["Subscribe now", "The Harbour Gazette", ""]);
        let c = score_page(text, &with, &without);
        assert_eq!((c.tp, c.fn_, c.fp, c.tn), (2, 1, 1, 2));
    }

    #[test]
    fn empty_text_misses_every_snippet() {
        let c = score_page("", &strings(&["a b"]), &strings(&["c"]));
        assert_eq!((c.tp, c.fn_, c.fp, c.tn), (0, 1, 0, 1));
    }

    #[test]
    fn normalize_collapses_runs_of_white_space() {
        assert_eq!(normalize("  a\n\n b\u{a0}c  "), "a b c");
    }
}
