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
//!
//! The corpus is streamed (issue 4: a 1M-document corpus is 3.8 GB of text): it is read
//! [`CHUNK`] texts at a time, and of each document only its MinHash is kept; its shingle set is
//! dropped, except for the few thousand documents of the truth's derivative–parent pairs, whose
//! exact Jaccard the recall needs. Each chunk is sketched twice: document by document on one
//! thread (timed per stage), then mapped with rayon (the two-thread figure), and the two must
//! agree.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rayon::prelude::*;
use retrace_sketch::{
    Bands, MinHash, MinHasher, SHINGLE_WORDS, candidate_pairs, shingles, word_hashes,
};
use serde::Deserialize;

/// Texts read and sketched at a time: enough to keep two threads busy between reads, few
/// enough (about 60 MB of news text) to leave the MinHashes as the only thing that grows.
const CHUNK: usize = 16_384;

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
    /// Another tool's result: NAME=PAIRS_FILE=STATS_JSON (pairs as `i j`, line numbers from 0).
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
    let truth = TruthPairs::read(&args.truth)?;
    let wanted: HashSet<u32> = truth.pairs.iter().flat_map(|&(a, b)| [a, b]).collect();

    // Ours: each chunk document by document on one thread, then again on two.
    let hasher = MinHasher::new(1);
    let bands = Bands::for_threshold(args.threshold);
    let mut corpus = Corpus::open(&args.corpus)?;
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut sketches: Vec<MinHash> = Vec::new();
    let mut kept: HashMap<u32, Vec<u64>> = HashMap::with_capacity(wanted.len());
    let (mut shingling, mut minhashing, mut mapping) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    while corpus.next_chunk(&mut chunk, CHUNK)? {
        let first = sketches.len();
        for text in &chunk {
            let started = Instant::now();
            let set = shingles(&word_hashes(text), SHINGLE_WORDS);
            let shingled = Instant::now();
            let sketch = hasher.minhash(&set);
            minhashing += shingled.elapsed();
            shingling += shingled - started;
            let n = u32::try_from(sketches.len()).context("more than 2^32 documents")?;
            if wanted.contains(&n) {
                kept.insert(n, set);
            }
            sketches.push(sketch);
        }
        let started = Instant::now();
        let parallel: Vec<MinHash> = chunk
            .par_iter()
            .map(|t| hasher.minhash(&shingles(&word_hashes(t), SHINGLE_WORDS)))
            .collect();
        mapping += started.elapsed();
        if parallel[..] != sketches[first..] {
            bail!("documents {first}..: the two-thread sketches differ from the one-thread ones");
        }
    }
    if truth.docs != sketches.len() {
        bail!(
            "{} documents but {} truth lines",
            sketches.len(),
            truth.docs
        );
    }
    let started = Instant::now();
    let ours: HashSet<(u32, u32)> = candidate_pairs(postings(&sketches, bands), 1, usize::MAX)
        .pairs
        .into_iter()
        .collect();
    let lsh = started.elapsed().as_secs_f64();
    // Two threads end to end: the rayon maps, then the LSH step (one thread) on their sketches,
    // which are the same.
    let started = Instant::now();
    let _ = candidate_pairs(postings(&sketches, bands), 1, usize::MAX);
    let two_threads = (mapping + started.elapsed()).as_secs_f64();
    let (shingled, minhashed) = (shingling.as_secs_f64(), minhashing.as_secs_f64());
    let rss = crate::throughput::peak_rss_mb();

    // Truth pairs at or above the threshold, by exact shingle Jaccard.
    let mut targets = Vec::with_capacity(truth.pairs.len());
    for &(a, b) in &truth.pairs {
        let (Some(x), Some(y)) = (kept.get(&a), kept.get(&b)) else {
            bail!("documents {a} and {b}: shingle sets missing");
        };
        if exact_jaccard(x, y) >= args.threshold {
            targets.push((a, b));
        }
    }
    let recall = |found: &HashSet<(u32, u32)>| {
        targets.iter().filter(|p| found.contains(p)).count() as f64 / targets.len().max(1) as f64
    };

    println!("{command_line}");
    println!(
        "{} documents; {} derivative-parent pairs with exact shingle Jaccard >= {}; 128 permutations",
        sketches.len(),
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

/// The `(key, document)` postings of every sketch's LSH bands.
fn postings(sketches: &[MinHash], bands: Bands) -> Vec<(u64, u32)> {
    sketches
        .iter()
        .zip(0u32..)
        .flat_map(|(m, n)| bands.keys(m).map(move |k| (k, n)))
        .collect()
}

/// The Jaccard similarity of two shingle sets given as hashes (repeats count once).
fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (x, y): (HashSet<u64>, HashSet<u64>) =
        (a.iter().copied().collect(), b.iter().copied().collect());
    let shared = x.intersection(&y).count();
    shared as f64 / (x.len() + y.len() - shared).max(1) as f64
}

/// What the recall needs from a truth.jsonl: how many documents it describes, and each
/// derivative with its parent as a pair of line numbers `(a, b)`, `a < b`, in file order.
#[derive(Debug, PartialEq)]
struct TruthPairs {
    docs: usize,
    pairs: Vec<(u32, u32)>,
}

impl TruthPairs {
    /// Reads the file twice, so as to hold only the derivatives' parent ids rather than every
    /// id of a million-line file (a parent may come after its derivative). A derivative whose
    /// parent is not in the file has no pair.
    fn read(path: &Path) -> anyhow::Result<TruthPairs> {
        let mut derivatives: Vec<(u32, String)> = Vec::new();
        let mut docs = 0;
        for_each_truth(path, |n, truth| {
            if let Some(source) = truth.source {
                derivatives.push((n, source));
            }
            docs += 1;
        })?;
        let mut parents: HashMap<String, Option<u32>> = derivatives
            .iter()
            .map(|(_, source)| (source.clone(), None))
            .collect();
        for_each_truth(path, |n, truth| {
            if let Some(slot) = parents.get_mut(&truth.id) {
                *slot = Some(n);
            }
        })?;
        let pairs = derivatives
            .iter()
            .filter_map(|(n, source)| {
                let parent = parents.get(source).copied().flatten()?;
                Some(((*n).min(parent), (*n).max(parent)))
            })
            .collect();
        Ok(TruthPairs { docs, pairs })
    }
}

/// Calls `f` with the line number (from 0) and contents of every line of a truth.jsonl.
fn for_each_truth(path: &Path, mut f: impl FnMut(u32, Truth)) -> anyhow::Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let mut line = String::new();
    for n in 0u32.. {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .with_context(|| format!("{}:{}: cannot read", path.display(), n + 1))?;
        if read == 0 {
            break;
        }
        let truth = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a truth record", path.display(), n + 1))?;
        f(n, truth);
    }
    Ok(())
}

/// The texts of a corpus.jsonl.gz, read a chunk at a time.
struct Corpus {
    path: PathBuf,
    reader: std::io::BufReader<flate2::read::MultiGzDecoder<std::fs::File>>,
    line: String,
    lines: u64,
}

impl Corpus {
    fn open(path: &Path) -> anyhow::Result<Corpus> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        Ok(Corpus {
            path: path.to_path_buf(),
            reader: std::io::BufReader::with_capacity(
                1 << 20,
                flate2::read::MultiGzDecoder::new(file),
            ),
            line: String::new(),
            lines: 0,
        })
    }

    /// Replaces the contents of `chunk` with the next `size` texts (fewer at the end); false
    /// when none was left.
    fn next_chunk(&mut self, chunk: &mut Vec<String>, size: usize) -> anyhow::Result<bool> {
        chunk.clear();
        while chunk.len() < size {
            self.line.clear();
            let read = self.reader.read_line(&mut self.line).with_context(|| {
                format!("{}:{}: cannot read", self.path.display(), self.lines + 1)
            })?;
            if read == 0 {
                break;
            }
            self.lines += 1;
            let record: Record = serde_json::from_str(&self.line).with_context(|| {
                format!(
                    "{}:{}: not a corpus record",
                    self.path.display(),
                    self.lines
                )
            })?;
            chunk.push(record.text);
        }
        Ok(!chunk.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_jaccard_counts_repeats_once() {
        assert_eq!(exact_jaccard(&[1, 2, 2, 3], &[2, 3, 4, 4]), 0.5);
        assert_eq!(exact_jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn truth_pairs_find_parents_after_their_derivatives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("truth.jsonl");
        std::fs::write(
            &path,
            concat!(
                "{\"id\":\"d1\",\"source\":\"p\"}\n",
                "{\"id\":\"x\",\"source\":null}\n",
                "{\"id\":\"p\",\"source\":null}\n",
                "{\"id\":\"d2\",\"source\":\"p\"}\n",
                "{\"id\":\"d3\",\"source\":\"gone\"}\n",
            ),
        )
        .unwrap();
        assert_eq!(
            TruthPairs::read(&path).unwrap(),
            TruthPairs {
                docs: 5,
                pairs: vec![(0, 2), (2, 3)]
            }
        );
    }

    #[test]
    fn corpus_chunks_keep_line_order() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        for text in ["a", "b", "c"] {
            writeln!(gz, "{{\"id\":\"{text}\",\"text\":\"{text}\"}}").unwrap();
        }
        writeln!(gz, "{{\"id\":\"none\"}}").unwrap();
        gz.finish().unwrap();
        let mut corpus = Corpus::open(&path).unwrap();
        let mut chunk = Vec::new();
        assert!(corpus.next_chunk(&mut chunk, 3).unwrap());
        assert_eq!(chunk, ["a", "b", "c"]);
        assert!(corpus.next_chunk(&mut chunk, 3).unwrap());
        assert_eq!(chunk, [""]);
        assert!(!corpus.next_chunk(&mut chunk, 3).unwrap());
    }
}
