//! `retrace scan PATH... --out DIR`: every copy, excerpt and rewrite in a corpus, in stories.
//!
//! The scan itself is [`retrace_engine::scan`] (read → candidates → judge → stories); this
//! command reads the inputs into it, and its sink writes the output folder: `pairs.jsonl`,
//! `clusters.jsonl`, `stories.jsonl`, `skipped.jsonl`, `report.html` and the pages in
//! `report/`, with progress bars and a line per phase on standard error.
//!
//! Deterministic: documents are numbered in input order, pairs are judged in parallel but
//! written in order, so the same inputs give the same files at any thread count.

use anyhow::Context;
use retrace_engine::Document;
use retrace_engine::scan::{
    self, Candidates, Folder, JudgedPair, Progress, SKIPPED_FILE, Scan, ScanConfig, ScanSink,
};
use retrace_judge::story::Story;

use crate::args::{AlignmentOutput, JudgePairs, ScanArgs, flag};
use crate::progress;
use crate::tally::{Tally, expand_inputs, read_expanded};

impl ScanArgs {
    /// The engine's settings from the command line, checked.
    fn config(&self) -> anyhow::Result<ScanConfig> {
        let config = ScanConfig {
            threshold: self.threshold,
            min_coverage: self.min_coverage,
            alignment: match self.alignment {
                AlignmentOutput::Full => scan::AlignmentOutput::Full,
                AlignmentOutput::Spans => scan::AlignmentOutput::Spans,
                AlignmentOutput::None => scan::AlignmentOutput::None,
            },
            judge: match self.judge {
                JudgePairs::Representatives => scan::JudgePairs::Representatives,
                JudgePairs::All => scan::JudgePairs::All,
            },
            same_site: self.same_site,
            direction_window: self.direction_window,
        };
        config.check().map_err(flag)?;
        Ok(config)
    }
}

pub(crate) fn run(args: ScanArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let clock = move || format!("{:.1} s", started.elapsed().as_secs_f64());
    let options = args.input.options()?;
    let config = args.config()?;
    // Before anything is written: a run over nothing readable leaves the output as it was.
    let expanded = expand_inputs(&args.paths)?;
    let mut folder = Folder::create(&args.out, 0)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut tally = Tally::new(Some(&args.out.join(SKIPPED_FILE)))?;
    let mut scan = Scan::new(config.clone(), &args.out)?;

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

    // Side-by-side pages are kept within a third of the input's size (its files on disk,
    // compressed or not; with standard input among them, the bytes read): the report is a
    // view of the input, not larger than it. The others are drawn on demand by `retrace
    // compare`, as each story page says.
    folder.set_input_bytes(retrace_engine::corpus::input_bytes(&expanded).unwrap_or(bytes_read));

    // Phases 2 to 4: candidates, judging, stories, each written to the folder as it comes.
    let mut sink = Shown {
        folder,
        config,
        clock: Box::new(clock),
        finding: progress::steps("pairs"),
        aligning: None,
        judging: 0,
    };
    let found = scan.run(&pool, &mut sink)?;
    let summary = found.line(&tally.counts);
    sink.folder.write_report(&summary)?;
    eprintln!(
        "retrace scan: [{}] {summary}; written to {} (open report.html)",
        clock(),
        args.out.display()
    );
    Ok(())
}

/// The scan's sink: the output folder ([`Folder`]), with progress bars and a line per phase.
struct Shown {
    folder: Folder,
    config: ScanConfig,
    clock: Box<dyn Fn() -> String + Sync>,
    finding: indicatif::ProgressBar,
    aligning: Option<indicatif::ProgressBar>,
    /// Pairs to judge.
    judging: u64,
}

impl ScanSink for Shown {
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
        eprintln!(
            "retrace scan: [{}] {}",
            (self.clock)(),
            found.line(&self.config)
        );
        self.folder.candidates(found)?;
        self.judging = found.pairs.len() as u64;
        self.aligning = Some(progress::bar("align", found.pairs.len() as u64));
        Ok(())
    }

    fn wants_pages(&self) -> bool {
        self.folder.wants_pages()
    }

    fn pair(&mut self, pair: &JudgedPair) -> anyhow::Result<Option<String>> {
        Ok(self.folder.pair(pair)?)
    }

    fn judged(&mut self) -> anyhow::Result<()> {
        self.folder.judged()?;
        if let Some(bar) = self.aligning.take() {
            bar.finish_and_clear();
        }
        eprintln!(
            "retrace scan: [{}] {}",
            (self.clock)(),
            self.folder.judged_line(self.judging)
        );
        Ok(())
    }

    fn stories(&mut self, stories: &[Story]) -> anyhow::Result<()> {
        Ok(self.folder.stories(stories)?)
    }
}
