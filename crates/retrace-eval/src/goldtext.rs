//! `retrace-eval extract --set readability|l3s-gn1|dragnet`: article extraction on public sets
//! whose gold standard is the main text of each page (not snippets, as in trafilatura-eval).
//!
//! Input: the set's folder (`--dir DIR`, default `<data>/<set>`), in the layout its publisher
//! ships, kept outside the repository (BENCHMARKS.md says where each set comes from and how to
//! lay it out):
//! - `readability`: Mozilla Readability's `test/test-pages/`: one folder per case, with
//!   `source.html` (the page), `expected.html` (Readability's article: the gold text, as
//!   HTML, turned into text block by block) and `expected-metadata.json` (its `title` is the
//!   gold title).
//! - `l3s-gn1`: the L3S Google News set (Kohlschütter et al., WSDM 2010), as HTML files:
//!   `original/ID.html` (the page) and `annotated/ID.html` (the same page with the human
//!   labels as `<span class="x-nc-selN">`). The gold text is every span labelled headline
//!   (`x-nc-sel1`), full text (`x-nc-sel2`) or supplemental (`x-nc-sel3`), as Bevendorff et
//!   al. (2023) read it; the gold title is the headline spans.
//! - `dragnet`: the Dragnet set (Moz, 2012): `input/ID.html` with `GoldStandard/ID.txt`, or
//!   the original layout `HTML/ID.html` with `Corrected/ID.html.corrected.txt`. The gold text
//!   is what comes before the `!@#$%^&*()  COMMENTS` line (the article; the comments after it
//!   are not main content). No gold title.
//!
//! Scoring (per page, then over the set): both texts are cut into word tokens (maximal runs of
//! alphanumeric characters, lowercased) and compared as bags of words with counts: the overlap
//! is the sum over words of the smaller count. Precision is overlap / extracted tokens, recall
//! overlap / gold tokens, F1 their harmonic mean. A page in which no article is found counts
//! as empty text (precision, recall and F1 0). Pages whose gold text has no token are left out
//! (and counted). Two summaries: the mean of the per-page figures, and the micro figures
//! (overlaps and token counts summed over all pages before dividing). As in `extract` on
//! trafilatura-eval, the headline text is the title, a blank line and the body; the body alone
//! is scored as well. Bevendorff et al. report ROUGE-LSum over white-space tokens: the bag of
//! words here is of the same family, not the same number.
//!
//! Titles, where the set has gold titles: exact (equal after lowercasing and collapsing white
//! space) and lenient (one contains the other after the same normalization, neither empty).
//!
//! The pages with recall under 0.5 are listed by id (file or case name, never their text), for
//! error analysis. The held-out scrapinghub benchmark is refused by path.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;

use crate::extract::{Extractor, Speed, extract_page};

/// A public set with gold main text that `extract --set` reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Set {
    /// trafilatura's gold standard of 990 pages, scored with its snippets (the default).
    #[default]
    TrafilaturaEval,
    /// Mozilla Readability's test pages (gold text and gold titles).
    Readability,
    /// The L3S Google News set, 621 news pages of 2008 (gold text and headlines).
    L3sGn1,
    /// The Dragnet set of 2012, 1,381 pages, news and blogs (gold text).
    Dragnet,
}

impl Set {
    /// Its name, as on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Set::TrafilaturaEval => "trafilatura-eval",
            Set::Readability => "readability",
            Set::L3sGn1 => "l3s-gn1",
            Set::Dragnet => "dragnet",
        }
    }
}

/// What `run` needs from the command line.
#[derive(Debug)]
pub(crate) struct Options<'a> {
    pub(crate) set: Set,
    pub(crate) dir: &'a Path,
    pub(crate) extractor: Extractor,
    pub(crate) json: Option<&'a Path>,
    pub(crate) dump: Option<&'a Path>,
    pub(crate) command_line: &'a str,
}

/// One page of a set: where its HTML is, its gold text and, where the set has one, its title.
struct Page {
    id: String,
    html: PathBuf,
    gold: String,
    title: Option<String>,
}

/// The held-out benchmark of issue 19, never read here (not even a copy inside another set).
const HELD_OUT: [&str; 2] = ["scrapinghub", "article-extraction-benchmark"];

/// Refuses a folder that is, or lies inside, a copy of the held-out benchmark.
fn check_not_held_out(dir: &Path) -> anyhow::Result<()> {
    let path = dir.to_string_lossy().to_lowercase();
    if let Some(name) = HELD_OUT.iter().find(|name| path.contains(*name)) {
        bail!(
            "{}: looks like the {name} benchmark, which is held out (issue 19): not read",
            dir.display()
        );
    }
    Ok(())
}

/// Runs one extractor on one set and prints the table.
pub(crate) fn run(opts: &Options<'_>) -> anyhow::Result<()> {
    check_not_held_out(opts.dir)?;
    let pages = match opts.set {
        Set::Readability => load_readability(opts.dir)?,
        Set::L3sGn1 => load_l3s(opts.dir)?,
        Set::Dragnet => load_dragnet(opts.dir)?,
        Set::TrafilaturaEval => unreachable!("trafilatura-eval is scored by its snippets"),
    };
    if pages.is_empty() {
        bail!("{}: no pages found", opts.dir.display());
    }
    if let Some(dump) = opts.dump {
        std::fs::create_dir_all(dump)
            .with_context(|| format!("{}: cannot create", dump.display()))?;
    }
    let mut report = Report {
        command: opts.command_line.to_owned(),
        set: opts.set,
        extractor: opts.extractor,
        data: opts.dir.display().to_string(),
        ..Report::default()
    };
    let mut with_title = Summary::default();
    let mut body_only = Summary::default();
    let mut titles = TitleCounts::default();
    let mut elapsed = Duration::ZERO;
    for (n, page) in pages.iter().enumerate() {
        let gold = Bag::of(&page.gold);
        if gold.total == 0 {
            report.skipped_empty_gold += 1;
            continue;
        }
        let bytes = std::fs::read(&page.html)
            .with_context(|| format!("{}: cannot read", page.html.display()))?;
        report.speed.bytes += bytes.len() as u64;
        let started = Instant::now();
        let (extracted, transcoded) = extract_page(opts.extractor, &page.html, &bytes);
        elapsed += started.elapsed();

        let found = extracted.is_some();
        let (title, body) = extracted.unwrap_or_default();
        let full = match &title {
            Some(title) if !title.trim().is_empty() => format!("{title}\n\n{body}"),
            _ => body.clone(),
        };
        let full_counts = Counts::of(&gold, &Bag::of(&full));
        let body_counts = Counts::of(&gold, &Bag::of(&body));
        with_title.add(full_counts);
        body_only.add(body_counts);
        let title_match = page
            .title
            .as_deref()
            .map(|gold| TitleMatch::of(gold, title.as_deref()));
        if let Some(m) = title_match {
            titles.add(m);
        }
        report.pages += 1;
        report.transcoded += usize::from(transcoded);
        report.no_article += usize::from(!found);
        if full_counts.recall() < LOW_RECALL {
            report.low_recall.push(page.id.clone());
        }
        if let Some(dump) = opts.dump {
            let out = dump.join(format!("{}.txt", page.id));
            std::fs::write(&out, &full)
                .with_context(|| format!("{}: cannot write", out.display()))?;
        }
        report.per_page.push(PageResult {
            id: page.id.clone(),
            transcoded,
            article: found,
            with_title: full_counts,
            body_only: body_counts,
            title: title_match,
        });
        if (n + 1) % 200 == 0 {
            eprintln!("extract: {} of {} pages", n + 1, pages.len());
        }
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    report.speed.finish(report.pages, secs);
    report.with_title = with_title.figures();
    report.body_only = body_only.figures();
    report.titles = (titles.pages > 0).then(|| titles.figures());

    print!("{}", report.table());
    if let Some(path) = opts.json {
        let json = serde_json::to_string_pretty(&report)? + "\n";
        std::fs::write(path, json).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

/// Pages under this recall (title + body) are listed for error analysis.
const LOW_RECALL: f64 = 0.5;

// ---------------------------------------------------------------------------------------------
// Loading the sets.

/// Reads a gold text file: UTF-8, or Windows-1252 where it is not valid UTF-8 (some of the
/// Dragnet files).
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => encoding_rs::WINDOWS_1252
            .decode(err.as_bytes())
            .0
            .into_owned(),
    })
}

/// The sorted entries of a folder, as (file name, path).
fn entries(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))?
    {
        let entry = entry?;
        out.push((
            entry.file_name().to_string_lossy().into_owned(),
            entry.path(),
        ));
    }
    out.sort();
    Ok(out)
}

/// The text of an HTML document, a line break between blocks (so that words of two paragraphs
/// are not glued together).
fn html_text(html: &str) -> String {
    let doc = dom_query::Document::from(html);
    let root = doc.body().unwrap_or_else(|| doc.root());
    root.formatted_text().to_string()
}

/// Mozilla Readability's test pages: DIR holds one folder per case (or DIR/test/test-pages
/// does).
fn load_readability(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let nested = dir.join("test").join("test-pages");
    let dir = if nested.is_dir() {
        nested
    } else {
        dir.to_owned()
    };
    let mut pages = Vec::new();
    for (name, path) in entries(&dir)? {
        let (source, expected) = (path.join("source.html"), path.join("expected.html"));
        if !source.is_file() || !expected.is_file() {
            continue;
        }
        let gold = html_text(&read_text(&expected)?);
        let metadata = path.join("expected-metadata.json");
        let title = if metadata.is_file() {
            let value: serde_json::Value = serde_json::from_str(&read_text(&metadata)?)
                .with_context(|| format!("{}: not JSON", metadata.display()))?;
            value["title"]
                .as_str()
                .map(str::to_owned)
                .filter(|t| !t.trim().is_empty())
        } else {
            None
        };
        pages.push(Page {
            id: name,
            html: source,
            gold,
            title,
        });
    }
    if pages.is_empty() {
        bail!(
            "{}: no case folders with source.html and expected.html (pass the readability \
             repository's test/test-pages)",
            dir.display()
        );
    }
    Ok(pages)
}

/// The L3S-GN1 set: DIR/original/ID.html and DIR/annotated/ID.html.
fn load_l3s(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let (original, annotated) = (dir.join("original"), dir.join("annotated"));
    if !original.is_dir() || !annotated.is_dir() {
        bail!(
            "{}: expected original/ and annotated/ (the HTML files of L3S-GN1)",
            dir.display()
        );
    }
    let mut pages = Vec::new();
    for (name, path) in entries(&annotated)? {
        let Some(id) = name.strip_suffix(".html") else {
            continue;
        };
        let html = original.join(&name);
        if !html.is_file() {
            bail!("{}: no original page for {name}", original.display());
        }
        let (gold, title) = l3s_gold(&read_text(&path)?);
        pages.push(Page {
            id: id.to_owned(),
            html,
            gold,
            title,
        });
    }
    Ok(pages)
}

/// The gold text of an L3S-GN1 annotated page (headline, full text and supplemental spans, one
/// line each) and its headline (the headline spans, joined by a space; `None` where there is
/// none). Elements marked invisible are left out; a labelled span inside another is read once.
fn l3s_gold(annotated: &str) -> (String, Option<String>) {
    let doc = dom_query::Document::from(annotated);
    doc.select(".x-nc-invisible").remove();
    let labelled = ".x-nc-sel1, .x-nc-sel2, .x-nc-sel3";
    let Ok(matcher) = dom_query::Matcher::new(labelled) else {
        unreachable!("a valid selector")
    };
    let mut lines = Vec::new();
    let mut headline = Vec::new();
    for node in doc.select_matcher(&matcher).nodes() {
        if node.ancestors_it(None).any(|a| a.is_match(&matcher)) {
            continue;
        }
        let text = normalize_space(&node.text());
        if text.is_empty() {
            continue;
        }
        if node.has_class("x-nc-sel1") {
            headline.push(text.clone());
        }
        lines.push(text);
    }
    let title = (!headline.is_empty()).then(|| headline.join(" "));
    (lines.join("\n"), title)
}

/// The Dragnet set: DIR/input/ID.html with DIR/GoldStandard/ID.txt, or DIR/HTML/ID.html with
/// DIR/Corrected/ID.html.corrected.txt.
fn load_dragnet(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let layouts = [
        ("input", "GoldStandard", ".txt"),
        ("HTML", "Corrected", ".html.corrected.txt"),
    ];
    let Some((html_dir, gold_dir, suffix)) = layouts
        .iter()
        .map(|(h, g, s)| (dir.join(h), dir.join(g), *s))
        .find(|(h, g, _)| h.is_dir() && g.is_dir())
    else {
        bail!(
            "{}: expected input/ and GoldStandard/, or HTML/ and Corrected/ (the Dragnet set)",
            dir.display()
        );
    };
    let mut pages = Vec::new();
    for (name, path) in entries(&gold_dir)? {
        let Some(id) = name.strip_suffix(suffix) else {
            continue;
        };
        let html = html_dir.join(format!("{id}.html"));
        if !html.is_file() {
            bail!("{}: no page for {name}", html_dir.display());
        }
        pages.push(Page {
            id: id.to_owned(),
            html,
            gold: dragnet_article(&read_text(&path)?).to_owned(),
            title: None,
        });
    }
    Ok(pages)
}

/// The article part of a Dragnet gold file: what comes before the comments marker.
fn dragnet_article(gold: &str) -> &str {
    const MARKER: &str = "!@#$%^&*()";
    let mut from = 0;
    while let Some(at) = gold[from..].find(MARKER) {
        let at = from + at;
        if gold[at + MARKER.len()..]
            .trim_start()
            .starts_with("COMMENTS")
        {
            return &gold[..at];
        }
        from = at + MARKER.len();
    }
    gold
}

// ---------------------------------------------------------------------------------------------
// Scoring.

/// A text as a bag of word tokens: maximal runs of alphanumeric characters, lowercased.
#[derive(Debug, Default)]
struct Bag {
    counts: HashMap<String, u32>,
    total: u64,
}

impl Bag {
    fn of(text: &str) -> Bag {
        let mut bag = Bag::default();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            *bag.counts.entry(word.to_lowercase()).or_default() += 1;
            bag.total += 1;
        }
        bag
    }
}

/// Token counts of one page: gold, extracted, and their overlap (bag of words with counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
struct Counts {
    gold: u64,
    extracted: u64,
    overlap: u64,
}

impl Counts {
    fn of(gold: &Bag, extracted: &Bag) -> Counts {
        let (small, large) = if gold.counts.len() <= extracted.counts.len() {
            (gold, extracted)
        } else {
            (extracted, gold)
        };
        let overlap = small
            .counts
            .iter()
            .map(|(word, &n)| u64::from(n.min(large.counts.get(word).copied().unwrap_or(0))))
            .sum();
        Counts {
            gold: gold.total,
            extracted: extracted.total,
            overlap,
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.overlap, self.extracted)
    }

    fn recall(&self) -> f64 {
        ratio(self.overlap, self.gold)
    }

    fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }
}

/// `a / b`, 0 where `b` is 0 (an empty extraction has precision 0).
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Running sums over the pages of a set.
#[derive(Debug, Default)]
struct Summary {
    pages: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    total: Counts,
}

impl Summary {
    fn add(&mut self, page: Counts) {
        self.pages += 1;
        self.precision += page.precision();
        self.recall += page.recall();
        self.f1 += page.f1();
        self.total.gold += page.gold;
        self.total.extracted += page.extracted;
        self.total.overlap += page.overlap;
    }

    fn figures(&self) -> Figures {
        let n = self.pages.max(1) as f64;
        Figures {
            mean_precision: self.precision / n,
            mean_recall: self.recall / n,
            mean_f1: self.f1 / n,
            micro_precision: self.total.precision(),
            micro_recall: self.total.recall(),
            micro_f1: self.total.f1(),
            tokens: self.total,
        }
    }
}

/// The figures of one set: the mean of the per-page figures, and the micro figures.
#[derive(Debug, Default, Serialize)]
struct Figures {
    mean_precision: f64,
    mean_recall: f64,
    mean_f1: f64,
    micro_precision: f64,
    micro_recall: f64,
    micro_f1: f64,
    tokens: Counts,
}

/// Collapses every run of white space into one space and trims the ends.
fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title as compared: white space collapsed, lowercased.
fn normalize_title(title: &str) -> String {
    normalize_space(title).to_lowercase()
}

/// How an extracted title compares with the gold title.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum TitleMatch {
    /// Equal after normalization.
    Exact,
    /// One contains the other after normalization (not equal).
    Contains,
    /// Neither.
    Wrong,
    /// No title extracted.
    Missing,
}

impl TitleMatch {
    fn of(gold: &str, extracted: Option<&str>) -> TitleMatch {
        let gold = normalize_title(gold);
        let Some(extracted) = extracted.map(normalize_title).filter(|t| !t.is_empty()) else {
            return TitleMatch::Missing;
        };
        if gold == extracted {
            TitleMatch::Exact
        } else if !gold.is_empty() && (extracted.contains(&gold) || gold.contains(&extracted)) {
            TitleMatch::Contains
        } else {
            TitleMatch::Wrong
        }
    }
}

#[derive(Debug, Default)]
struct TitleCounts {
    pages: usize,
    exact: usize,
    contains: usize,
    missing: usize,
}

impl TitleCounts {
    fn add(&mut self, m: TitleMatch) {
        self.pages += 1;
        match m {
            TitleMatch::Exact => self.exact += 1,
            TitleMatch::Contains => self.contains += 1,
            TitleMatch::Missing => self.missing += 1,
            TitleMatch::Wrong => {}
        }
    }

    fn figures(&self) -> TitleFigures {
        let n = self.pages.max(1) as f64;
        TitleFigures {
            pages: self.pages,
            exact: self.exact,
            lenient: self.exact + self.contains,
            missing: self.missing,
            exact_accuracy: self.exact as f64 / n,
            lenient_accuracy: (self.exact + self.contains) as f64 / n,
        }
    }
}

/// Title accuracy over the pages with a gold title.
#[derive(Debug, Default, Serialize)]
struct TitleFigures {
    pages: usize,
    exact: usize,
    /// Exact, or one contains the other.
    lenient: usize,
    /// No title extracted.
    missing: usize,
    exact_accuracy: f64,
    lenient_accuracy: f64,
}

// ---------------------------------------------------------------------------------------------
// The report.

#[derive(Debug, Serialize)]
struct PageResult {
    id: String,
    transcoded: bool,
    article: bool,
    with_title: Counts,
    body_only: Counts,
    /// Against the gold title, where the set has one.
    title: Option<TitleMatch>,
}

#[derive(Debug, Default, Serialize)]
struct Report {
    command: String,
    set: Set,
    extractor: Extractor,
    data: String,
    /// Pages scored.
    pages: usize,
    /// Pages left out: their gold text has no word.
    skipped_empty_gold: usize,
    transcoded: usize,
    /// Pages in which no article was found, scored as empty text.
    no_article: usize,
    /// Title + "\n\n" + body (the headline figures).
    with_title: Figures,
    body_only: Figures,
    titles: Option<TitleFigures>,
    /// Ids of the pages with recall (title + body) under 0.5.
    low_recall: Vec<String>,
    #[serde(flatten)]
    speed: Speed,
    per_page: Vec<PageResult>,
}

impl Report {
    fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} pages scored ({} left out: no gold text); bag-of-words token scores",
            self.set.name(),
            self.pages,
            self.skipped_empty_gold
        );
        let _ = writeln!(out, "data: {}", self.data);
        let _ = writeln!(
            out,
            "pages not in clean UTF-8 (decoded by their charset): {}; no article found (scored empty): {}",
            self.transcoded, self.no_article
        );
        let _ = writeln!(
            out,
            "\n{:<44} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}",
            "extractor", "F1", "P", "R", "µF1", "µP", "µR"
        );
        let name = self.extractor.name();
        for (label, f) in [
            ("title + body", &self.with_title),
            ("body only", &self.body_only),
        ] {
            let _ = writeln!(
                out,
                "{:<44} {:>7.3} {:>7.3} {:>7.3}   {:>7.3} {:>7.3} {:>7.3}",
                format!("{name} ({label})"),
                f.mean_f1,
                f.mean_precision,
                f.mean_recall,
                f.micro_f1,
                f.micro_precision,
                f.micro_recall
            );
        }
        let _ = writeln!(
            out,
            "(F1, P, R: mean over pages; µ: token counts summed over pages)"
        );
        if let Some(t) = &self.titles {
            let _ = writeln!(
                out,
                "\ntitles: {} pages with a gold title: exact {} ({:.3}), lenient {} ({:.3}), none extracted {}",
                t.pages, t.exact, t.exact_accuracy, t.lenient, t.lenient_accuracy, t.missing
            );
        }
        let _ = writeln!(
            out,
            "\npages with recall < {LOW_RECALL} (title + body): {}",
            self.low_recall.len()
        );
        if !self.low_recall.is_empty() {
            let _ = writeln!(out, "  {}", self.low_recall.join(" "));
        }
        self.speed.lines(&mut out, &self.command);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(gold: &str, extracted: &str) -> Counts {
        Counts::of(&Bag::of(gold), &Bag::of(extracted))
    }

    #[test]
    fn bag_of_words_counts_repeated_words_once_per_occurrence() {
        // gold: the ×2, ferry, left, at, nine, harbour; extracted: the ×3, ferry, left, share, tweet
        let c = counts(
            "The ferry left at nine; the harbour",
            "the THE the ferry left. Share! Tweet",
        );
        assert_eq!((c.gold, c.extracted), (7, 7));
        // the: min(2, 3) = 2, ferry 1, left 1 → 4
        assert_eq!(c.overlap, 4);
        assert!((c.precision() - 4.0 / 7.0).abs() < 1e-12);
        assert!((c.recall() - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn tokens_are_runs_of_alphanumerics_lowercased() {
        let bag = Bag::of("Ünïcode-Wörter, 2024's\tcafé CAFÉ");
        assert_eq!(bag.total, 6);
        assert_eq!(bag.counts.get("café"), Some(&2));
        assert_eq!(bag.counts.get("ünïcode"), Some(&1));
        assert_eq!(bag.counts.get("2024"), Some(&1));
        assert_eq!(bag.counts.get("s"), Some(&1));
    }

    #[test]
    fn empty_extraction_scores_zero_and_perfect_scores_one() {
        let empty = counts("a b c", "");
        assert_eq!(
            (empty.precision(), empty.recall(), empty.f1()),
            (0.0, 0.0, 0.0)
        );
        let same = counts("a b c", "C b a");
        assert_eq!(
            (same.precision(), same.recall(), same.f1()),
            (1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn mean_and_micro_differ_as_they_should() {
        let mut s = Summary::default();
        // A short page extracted perfectly, a long one half recalled, all precise.
        s.add(counts("a b", "a b"));
        s.add(counts("a b c d e f g h", "a b c d"));
        let f = s.figures();
        assert!((f.mean_recall - 0.75).abs() < 1e-12);
        assert!((f.micro_recall - 6.0 / 10.0).abs() < 1e-12);
        assert!((f.mean_precision - 1.0).abs() < 1e-12);
        assert_eq!(f.tokens.overlap, 6);
    }

    #[test]
    fn titles_match_exactly_leniently_or_not() {
        assert_eq!(
            TitleMatch::of("Ferry  Sinks", Some("ferry sinks")),
            TitleMatch::Exact
        );
        assert_eq!(
            TitleMatch::of("Ferry sinks", Some("Ferry sinks | The Gazette")),
            TitleMatch::Contains
        );
        assert_eq!(
            TitleMatch::of("Ferry sinks at dawn", Some("Ferry sinks")),
            TitleMatch::Contains
        );
        assert_eq!(
            TitleMatch::of("Ferry sinks", Some("f Share t Tweet")),
            TitleMatch::Wrong
        );
        assert_eq!(
            TitleMatch::of("Ferry sinks", Some("  ")),
            TitleMatch::Missing
        );
        assert_eq!(TitleMatch::of("Ferry sinks", None), TitleMatch::Missing);
        let mut t = TitleCounts::default();
        for m in [
            TitleMatch::Exact,
            TitleMatch::Contains,
            TitleMatch::Wrong,
            TitleMatch::Missing,
        ] {
            t.add(m);
        }
        let f = t.figures();
        assert_eq!((f.pages, f.exact, f.lenient, f.missing), (4, 1, 2, 1));
    }

    #[test]
    fn l3s_gold_reads_labelled_spans_once_and_skips_invisible() {
        let html = r#"<html><body>
            <span class="x-nc-sel0">Home News</span>
            <h1><span class="x-nc-sel1">Ferry sinks</span></h1>
            <p><span class="x-nc-sel2">The ferry <a href="/x">left</a> at nine.
              <span class="x-nc-sel2">Nested once.</span></span></p>
            <span class="x-nc-sel3">Photo: the harbour</span>
            <span class="x-nc-sel4">Related story</span>
            <span class="x-nc-sel5">A comment</span>
            <div class="x-nc-invisible"><span class="x-nc-sel2">hidden</span></div>
            </body></html>"#;
        let (gold, title) = l3s_gold(html);
        assert_eq!(
            gold,
            "Ferry sinks\nThe ferry left at nine. Nested once.\nPhoto: the harbour"
        );
        assert_eq!(title.as_deref(), Some("Ferry sinks"));
        let (_, none) = l3s_gold(r#"<p><span class="x-nc-sel2">Body</span></p>"#);
        assert_eq!(none, None);
    }

    #[test]
    fn dragnet_gold_stops_at_the_comments_marker() {
        assert_eq!(
            dragnet_article("Title\nBody text.\n!@#$%^&*()  COMMENTS\nFirst!"),
            "Title\nBody text.\n"
        );
        assert_eq!(dragnet_article("No comments here."), "No comments here.");
        // The marker without COMMENTS after it is text.
        assert_eq!(dragnet_article("a !@#$%^&*() b"), "a !@#$%^&*() b");
    }

    #[test]
    fn html_gold_keeps_blocks_apart() {
        let text = html_text("<div><p>One</p><p>two<b>three</b></p><ul><li>four</li></ul></div>");
        let bag = Bag::of(&text);
        assert_eq!(bag.total, 3, "{text:?}");
        assert_eq!(bag.counts.get("twothree"), Some(&1));
        assert_eq!(bag.counts.get("one"), Some(&1));
    }

    #[test]
    fn held_out_benchmark_is_refused() {
        assert!(check_not_held_out(Path::new("/data/scrapinghub/html")).is_err());
        assert!(check_not_held_out(Path::new("/x/Article-Extraction-Benchmark")).is_err());
        assert!(check_not_held_out(Path::new("/work/shared-extra/l3s-gn1")).is_ok());
    }
}
