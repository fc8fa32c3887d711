//! `retrace-eval dedup-bench`: the near-duplicate job of MinHash libraries, done by
//! retrace-sketch, side by side with datasketch and rensa (run by `scripts/bench-dedup`, which
//! passes their pairs and figures here).
//!
//! The job, the same for every tool: the `text` of every record of a corpus.jsonl.gz, 5-word
//! shingles (lower-cased runs of letters and digits, apostrophes inside words dropped), MinHash
//! of 128 permutations, an LSH index at a Jaccard threshold, and every document queried.
//! Figures: time of the sketch and LSH steps (reading the corpus excluded), the pairs found, and
//! the recall of the derivative–parent pairs of the corpus's truth whose exact shingle Jaccard
//! is at least the threshold.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use rayon::prelude::*;
use retrace_sketch::{Bands, MinHasher, SHINGLE_WORDS, candidate_pairs, shingles, word_hashes};
use serde::Deserialize;

/// Arguments of `retrace-eval dedup-bench`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The corpus.jsonl.gz of `retrace-eval corpus`.
    #[arg(long, value_name = "FILE")]
    corpus: PathBuf,
    /// Its truth.jsonl.
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
    /// The Jaccard threshold.
    #[arg(long, default_value_t = 0.5)]
    threshold: f64,
    /// Another tool's result: NAME=PAIRS_FILE=STATS_JSON (pairs as `i j` lines).
    #[arg(long, value_name = "NAME=PAIRS=STATS")]
    other: Vec<String>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct Truth {
    id: String,
    source: Option<String>,
}

pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.corpus)
        .with_context(|| format!("{}: cannot open", args.corpus.display()))?;
    let texts: Vec<String> = BufReader::new(flate2::read::MultiGzDecoder::new(file))
        .lines()
        .map(|line| -> anyhow::Result<String> { Ok(serde_json::from_str::<Record>(&line?)?.text) })
        .collect::<anyhow::Result<_>>()?;
    let truth: Vec<Truth> = std::fs::read_to_string(&args.truth)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    if truth.len() != texts.len() {
        bail!("{} documents but {} truth lines", texts.len(), truth.len());
    }

    // Ours, on one thread: shingles, MinHash, LSH.
    let hasher = MinHasher::new(1);
    let started = Instant::now();
    let sets: Vec<Vec<u64>> = texts
        .iter()
        .map(|t| shingles(&word_hashes(t), SHINGLE_WORDS))
        .collect();
    let shingled = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let sketches: Vec<_> = sets.iter().map(|s| hasher.minhash(s)).collect();
    let minhashed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let bands = Bands::for_threshold(args.threshold);
    let postings: Vec<(u64, u32)> = sketches
        .iter()
        .enumerate()
        .flat_map(|(n, m)| bands.keys(m).map(move |k| (k, n as u32)))
        .collect();
    let ours: HashSet<(u32, u32)> = candidate_pairs(postings, 1, usize::MAX)
        .pairs
        .into_iter()
        .collect();
    let lsh = started.elapsed().as_secs_f64();
    // And on two threads, end to end.
    let started = Instant::now();
    let parallel: Vec<_> = texts
        .par_iter()
        .map(|t| hasher.minhash(&shingles(&word_hashes(t), SHINGLE_WORDS)))
        .collect();
    let postings: Vec<(u64, u32)> = parallel
        .iter()
        .enumerate()
        .flat_map(|(n, m)| bands.keys(m).map(move |k| (k, n as u32)))
        .collect();
    let _ = candidate_pairs(postings, 1, usize::MAX);
    let two_threads = started.elapsed().as_secs_f64();
    let rss = crate::throughput::peak_rss_mb();

    // Truth pairs at or above the threshold, by exact shingle Jaccard.
    let index: std::collections::HashMap<&str, u32> = truth
        .iter()
        .enumerate()
        .map(|(n, t)| (t.id.as_str(), n as u32))
        .collect();
    let exact = |a: usize, b: usize| {
        let (x, y): (HashSet<u64>, HashSet<u64>) = (
            sets[a].iter().copied().collect(),
            sets[b].iter().copied().collect(),
        );
        let shared = x.intersection(&y).count();
        shared as f64 / (x.len() + y.len() - shared).max(1) as f64
    };
    let targets: Vec<(u32, u32)> = truth
        .iter()
        .enumerate()
        .filter_map(|(n, t)| {
            let parent = *index.get(t.source.as_deref()?)?;
            let pair = ((n as u32).min(parent), (n as u32).max(parent));
            (exact(pair.0 as usize, pair.1 as usize) >= args.threshold).then_some(pair)
        })
        .collect();
    let recall = |found: &HashSet<(u32, u32)>| {
        targets.iter().filter(|p| found.contains(p)).count() as f64 / targets.len().max(1) as f64
    };

    println!("{command_line}");
    println!(
        "{} documents; {} derivative-parent pairs with exact shingle Jaccard >= {}; 128 permutations",
        texts.len(),
        targets.len(),
        args.threshold
    );
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9}",
        "tool", "shingle s", "minhash s", "lsh s", "total s", "pairs", "recall", "peak RSS"
    );
    println!(
        "{:<34} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>9.4} {:>6.0} MB",
        format!("retrace-sketch ({}x{} bands)", bands.bands(), bands.rows()),
        shingled,
        minhashed,
        lsh,
        shingled + minhashed + lsh,
        ours.len(),
        recall(&ours),
        rss.unwrap_or(0.0)
    );
    println!("{:<34} {:>39.3}", "retrace-sketch, 2 threads", two_threads);
    for other in &args.other {
        let mut parts = other.splitn(3, '=');
        let (Some(name), Some(pairs), Some(stats)) = (parts.next(), parts.next(), parts.next())
        else {
            bail!("--other {other}: expected NAME=PAIRS=STATS");
        };
        let found: HashSet<(u32, u32)> = std::fs::read_to_string(pairs)
            .with_context(|| format!("{pairs}: cannot read"))?
            .lines()
            .filter_map(|line| {
                let (a, b) = line.split_once(' ')?;
                Some((a.parse().ok()?, b.parse().ok()?))
            })
            .collect();
        let stats: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(stats).with_context(|| format!("{stats}: cannot read"))?,
        )?;
        let f = |key: &str| stats[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{:<34} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>9.4} {:>6.0} MB",
            name,
            f("shingle_s"),
            f("minhash_s"),
            f("lsh_s"),
            f("total_s"),
            found.len(),
            recall(&found),
            f("peak_rss_mb")
        );
    }
    Ok(())
}
