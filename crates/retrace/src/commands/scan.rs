//! `retrace scan PATH... --out DIR`: every copy, excerpt and rewrite in a corpus, in stories.
//!
//! The scan itself is [`retrace_engine::scan`] (read → candidates → judge → stories); this
//! command reads the inputs into it, and its sink writes the output folder: `pairs.jsonl`,
//! `clusters.jsonl`, `stories.jsonl`, `skipped.jsonl`, `report.html` and the pages in
//! `report/`, with progress bars and a line per phase on standard error.
//!
//! Deterministic: documents are numbered in input order, pairs are judged in parallel but
//! written in order, so the same inputs give the same files at any thread count.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use retrace_engine::Document;
use retrace_engine::scan::{
    self, Candidates, Cluster, JudgedPair, Progress, Scan, ScanConfig, ScanSink,
};
use retrace_report::stories::Story;
use retrace_sketch::evidence::{HUBS, MAX_BUCKET};

use crate::args::{AlignmentOutput, JudgePairs, ScanArgs};
use crate::progress;
use crate::tally::{Tally, counted, expand_inputs, read_expanded};

/// Side-by-side pages take at most the input's size (its files on disk, compressed or not)
/// divided by this, or [`PAGE_BUDGET_FLOOR`] where that is more: with pairs.jsonl (spans:
/// about a third of the text on a syndicated corpus) and the story pages, the output of a
/// large scan stays smaller than its input.
const PAGE_BUDGET_SHARE: u64 = 3;

/// Pages of a small corpus are all written: its pages cannot grow with the square of a story.
const PAGE_BUDGET_FLOOR: u64 = 8 << 20;

/// The folder of story and pair pages inside the output folder (next to `report.html`).
const REPORT_DIR: &str = "report";

/// Marks an output folder as a scan's: a later scan into it may replace what it holds.
const OUTPUT_MARK: &str = ".retrace-scan";

/// Makes the output folder ready: created if missing; the pages of a scan written there before
/// removed (its `pairs.jsonl`, `stories.jsonl`, `skipped.jsonl` and `report.html` are
/// overwritten), so that the report never links pages of another run. A `report/` folder
/// that no scan wrote is left alone and the scan refused.
fn prepare_output(out: &Path) -> anyhow::Result<()> {
    let create = || format!("cannot create the output folder {}", out.display());
    let pages = out.join(REPORT_DIR);
    let mark = out.join(OUTPUT_MARK);
    if pages.exists() {
        if !mark.exists() {
            anyhow::bail!(
                "{} exists and was not written by retrace scan; choose another --out folder or \
                 remove it",
                pages.display()
            );
        }
        for entry in std::fs::read_dir(&pages).with_context(create)? {
            let path = entry.with_context(create)?.path();
            if path.extension().is_some_and(|ext| ext == "html") {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove the old page {}", path.display()))?;
            }
        }
    }
    std::fs::create_dir_all(&pages).with_context(create)?;
    std::fs::write(
        &mark,
        "This folder holds the output of `retrace scan`; a later scan into it replaces it.\n",
    )
    .with_context(create)?;
    Ok(())
}

/// The engine's settings from the command line.
fn config(args: &ScanArgs) -> ScanConfig {
    ScanConfig {
        threshold: args.threshold,
        min_coverage: args.min_coverage,
        alignment: match args.alignment {
            AlignmentOutput::Full => scan::AlignmentOutput::Full,
            AlignmentOutput::Spans => scan::AlignmentOutput::Spans,
            AlignmentOutput::None => scan::AlignmentOutput::None,
        },
        judge: match args.judge {
            JudgePairs::Representatives => scan::JudgePairs::Representatives,
            JudgePairs::All => scan::JudgePairs::All,
        },
        same_site: args.same_site,
        direction_window: args.direction_window,
    }
}

pub(crate) fn run(args: ScanArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let clock = move || format!("{:.1} s", started.elapsed().as_secs_f64());
    let options = args.input.options()?;
    if !(0.0..=1.0).contains(&args.threshold) || args.threshold == 0.0 {
        anyhow::bail!("--threshold must be above 0 and at most 1");
    }
    if !(0.0..=1.0).contains(&args.min_coverage) {
        anyhow::bail!("--min-coverage must be between 0 and 1");
    }
    // Before anything is written: a run over nothing readable leaves the output as it was.
    let expanded = expand_inputs(&args.paths)?;
    prepare_output(&args.out)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut tally = Tally::new(Some(&args.out.join("skipped.jsonl")))?;
    let mut scan = Scan::new(config(&args), &args.out)?;

    // Phase 1: read, extract, sketch.
    let reading = progress::spinner("read");
    let mut bytes_read = 0u64;
    let sketcher = scan.sketcher().clone();
    read_expanded(
        &expanded,
        &options,
        &pool,
        &mut tally,
        |item| Document::read(item, &sketcher),
        |tally, item| {
            match item {
                Ok(doc) => {
                    tally.counts.article(doc.embedded);
                    bytes_read += doc.raw.text.len() as u64;
                    scan.add(doc)?;
                }
                Err(skip) => tally.skip(&skip)?,
            }
            reading.set_position(tally.counts.documents);
            reading.set_message(format!(
                "{} articles, {:.1} MB, {} skipped",
                tally.counts.articles,
                bytes_read as f64 / 1e6,
                tally.counts.skipped()
            ));
            Ok(())
        },
    )?;
    reading.finish_and_clear();
    tally.finish()?;
    eprintln!("retrace scan: [{}] read {}", clock(), tally.summary());

    // Phases 2 to 4: candidates, judging, stories, each written by the sink as it comes.
    // Side-by-side pages, in pair order, until the first that would pass a third of the
    // input's size (its files on disk, compressed or not; with standard input among them, the
    // bytes read): the report is a view of the input, not larger than it (a story of 500
    // copies would otherwise write 500 pages of the article). The others are drawn on demand
    // by `retrace compare`, as each story page says.
    let on_disk: Option<u64> = expanded
        .inputs
        .iter()
        .map(|input| match input {
            retrace_ingest::Input::Path(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            retrace_ingest::Input::Stdin => None,
        })
        .sum();
    let input_bytes = on_disk.unwrap_or(bytes_read);
    let mut sink = Files {
        out: args.out.clone(),
        alignment: args.alignment,
        judge: args.judge,
        clock: Box::new(clock),
        finding: progress::steps("pairs"),
        aligning: None,
        pairs: None,
        page_budget: (input_bytes / PAGE_BUDGET_SHARE).max(PAGE_BUDGET_FLOOR),
        pages_open: true,
        pages: 0,
        pages_over_budget: 0,
        judging: 0,
        stories: Vec::new(),
    };
    let found = scan.run(&pool, &mut sink)?;
    let relations = found
        .by_relation
        .iter()
        .map(|(relation, n)| format!("{n} {relation}"))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} read, {} skipped; {}, {} checked; {} ({}); {}",
        counted(tally.counts.articles, "document", "documents"),
        tally.counts.skipped(),
        counted(found.candidates as u64, "candidate pair", "candidate pairs"),
        found.judged,
        counted(found.related as u64, "related pair", "related pairs"),
        if relations.is_empty() {
            "none"
        } else {
            &relations
        },
        counted(found.stories as u64, "story", "stories")
    );
    write_report(&args.out, &sink.stories, &summary)?;
    eprintln!(
        "retrace scan: [{}] {summary}; written to {} (open report.html)",
        clock(),
        args.out.display()
    );
    Ok(())
}

/// The scan's sink: the output folder's files, the progress bars and a line per phase.
struct Files {
    out: PathBuf,
    alignment: AlignmentOutput,
    judge: JudgePairs,
    clock: Box<dyn Fn() -> String + Sync>,
    finding: indicatif::ProgressBar,
    aligning: Option<indicatif::ProgressBar>,
    /// pairs.jsonl, open while pairs come.
    pairs: Option<BufWriter<File>>,
    /// Bytes of side-by-side pages still to write.
    page_budget: u64,
    /// Whether pages are still rendered: the first page past the budget closes it.
    pages_open: bool,
    pages: u64,
    pages_over_budget: u64,
    /// Pairs to judge.
    judging: u64,
    stories: Vec<Story>,
}

impl ScanSink for Files {
    type Error = anyhow::Error;

    fn progress(&self, progress: Progress) {
        match progress {
            Progress::Keys { what, part, parts } => self
                .finding
                .set_message(format!("{what}, part {part} of {parts}")),
            Progress::Checking(candidates) => self
                .finding
                .set_message(format!("checking {candidates} candidate pairs")),
            Progress::Judged => {
                if let Some(bar) = &self.aligning {
                    bar.inc(1);
                }
            }
        }
    }

    fn candidates(&mut self, found: &Candidates) -> anyhow::Result<()> {
        self.finding.finish_and_clear();
        let oversized = found.oversized_keys;
        let templated = found.templated;
        let related_candidates = found.related;
        let stood_for = found.stood_for;
        eprintln!(
            "retrace scan: [{}] {} ({} same text, {} MinHash LSH, {} shared anchors, {} shared rare \
             names and numbers; {oversized} keys held by over {MAX_BUCKET} documents, paired \
             through their {HUBS} first-ranked; {templated} anchors of site templates); {related_candidates} share enough to {}{}",
            (self.clock)(),
            counted(found.found as u64, "candidate pair", "candidate pairs"),
            found.by_kind[0],
            found.by_kind[1],
            found.by_kind[2],
            found.by_kind[3],
            if self.alignment == AlignmentOutput::None {
                "be near-copies or excerpts by their sketches"
            } else {
                "align"
            },
            match self.judge {
                JudgePairs::All => String::new(),
                JudgePairs::Representatives => format!(
                    "; {} to judge, standing for {stood_for} more ({} near-copy clusters)",
                    found.pairs.len(),
                    found.clusters.len()
                ),
            }
        );
        write_clusters(&self.out, &found.clusters)?;
        self.judging = found.pairs.len() as u64;
        self.aligning = Some(progress::bar("align", found.pairs.len() as u64));
        self.pairs = Some(BufWriter::new(
            File::create(self.out.join("pairs.jsonl")).context("cannot create pairs.jsonl")?,
        ));
        Ok(())
    }

    fn wants_pages(&self) -> bool {
        self.pages_open
    }

    fn pair(&mut self, pair: &JudgedPair) -> anyhow::Result<Option<String>> {
        let Some(out) = &mut self.pairs else {
            anyhow::bail!("a pair came before the candidates (a bug)");
        };
        out.write_all(pair.line.as_bytes())
            .context("cannot write pairs.jsonl")?;
        Ok(match &pair.rendered {
            Some((name, html)) if self.pages_open && html.len() as u64 <= self.page_budget => {
                self.page_budget -= html.len() as u64;
                let path = self.out.join(REPORT_DIR).join(name);
                std::fs::write(&path, html)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                self.pages += 1;
                Some(name.clone())
            }
            Some(_) => {
                // The first page past the budget closes it: later chunks render none.
                self.pages_open = false;
                self.pages_over_budget += 1;
                None
            }
            None if pair.wants_page => {
                self.pages_over_budget += 1;
                None
            }
            None => None,
        })
    }

    fn judged(&mut self) -> anyhow::Result<()> {
        if let Some(mut out) = self.pairs.take() {
            out.flush().context("cannot write pairs.jsonl")?;
        }
        if let Some(bar) = self.aligning.take() {
            bar.finish_and_clear();
        }
        eprintln!(
            "retrace scan: [{}] {} judged; {} written{}",
            (self.clock)(),
            counted(self.judging, "pair", "pairs"),
            counted(self.pages, "side-by-side page", "side-by-side pages"),
            if self.pages_over_budget > 0 {
                format!(
                    ", {} more left out to keep them within a third of the \
                     input's size (each story page gives the `retrace compare` command that draws them)",
                    self.pages_over_budget
                )
            } else {
                String::new()
            }
        );
        Ok(())
    }

    fn stories(&mut self, stories: &[Story]) -> anyhow::Result<()> {
        let mut out = BufWriter::new(
            File::create(self.out.join("stories.jsonl")).context("cannot create stories.jsonl")?,
        );
        for story in stories {
            serde_json::to_writer(&mut out, story)?;
            out.write_all(b"\n")?;
        }
        out.flush().context("cannot write stories.jsonl")?;
        self.stories = stories.to_vec();
        Ok(())
    }
}

/// clusters.jsonl: one line per near-copy cluster (none with `--judge all`).
fn write_clusters(out: &Path, clusters: &[Cluster]) -> anyhow::Result<()> {
    let path = out.join("clusters.jsonl");
    let mut file = BufWriter::new(
        File::create(&path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for cluster in clusters {
        serde_json::to_writer(&mut file, cluster)?;
        file.write_all(b"\n")?;
    }
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `report.html` and a page per story in `report/`.
fn write_report(out: &std::path::Path, stories: &[Story], summary: &str) -> anyhow::Result<()> {
    let index = out.join("report.html");
    std::fs::write(&index, retrace_report::stories::index(stories, summary))
        .with_context(|| format!("cannot write {}", index.display()))?;
    for story in stories {
        let page = out
            .join(REPORT_DIR)
            .join(retrace_report::stories::story_page(story.id));
        std::fs::write(&page, retrace_report::stories::story(story))
            .with_context(|| format!("cannot write {}", page.display()))?;
    }
    Ok(())
}
