//! `retrace-eval scan-score`: how well a `retrace scan` run found the derivatives of a corpus made
//! by `retrace-eval corpus`.
//!
//! Input: the corpus's `truth.jsonl` (one line per document, in corpus order) and the scan's
//! output folder (`pairs.jsonl`, `stories.jsonl`). Documents are matched by position: a scan
//! origin `corpus.jsonl.gz:N` is the N-th truth line (the corpus must have been scanned as one
//! JSONL file). Output, per derivative kind:
//! - recall: the derivative and its parent (the document it was made from) are reported as a
//!   related pair (any relation but `unrelated`), directly or through what stands for them
//!   (`clusters.jsonl`, from `retrace scan --judge representatives`): two members of one
//!   near-copy cluster are related as the member that is not the representative is to it, and
//!   two documents of different clusters (a document in none is a cluster of its own) as the
//!   pair judged between their clusters;
//! - label: the share of found pairs whose relation is the expected one (copy, near-copy and
//!   reordered copy → `duplicate`; excerpt → `excerpt`; rewrite → `rewrite`);
//! - precision: both documents of a reported pair belong to the same true story (pairs of
//!   siblings, two derivatives of one source, count as right), over the derivation pairs
//!   (duplicate, excerpt, rewrite) and over all related pairs (same_story too);
//! - the adjusted Rand index of the scan's stories against the true stories, over all documents
//!   (a document in no story is a story of its own).

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;

/// Arguments of `retrace-eval scan-score`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The corpus's truth.jsonl.
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
    /// The folder `retrace scan --out` wrote.
    #[arg(long, value_name = "DIR")]
    scan: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Truth {
    id: String,
    kind: String,
    source: Option<String>,
    story: String,
}

/// Reads a JSON-lines file.
fn read_lines<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> anyhow::Result<Vec<T>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not the expected JSON", path.display(), n + 1))
        })
        .collect()
}

/// The corpus line a scan origin points at (`…:N` → N - 1).
fn line_of(origin: &str) -> anyhow::Result<usize> {
    let (_, line) = origin.rsplit_once(':').with_context(|| {
        format!("{origin}: not a JSON-lines origin (scan the corpus as one JSONL file)")
    })?;
    let line: usize = line
        .parse()
        .with_context(|| format!("{origin}: no line number"))?;
    line.checked_sub(1)
        .with_context(|| format!("{origin}: line 0"))
}

/// The relation a derivative kind should get.
fn expected(kind: &str) -> Option<&'static str> {
    match kind {
        "copy" | "near_copy" | "reordered" => Some("duplicate"),
        "excerpt" => Some("excerpt"),
        "rewrite" => Some("rewrite"),
        _ => None,
    }
}

pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    let truth: Vec<Truth> = read_lines(&args.truth)?;
    if truth.is_empty() {
        bail!("{}: no documents", args.truth.display());
    }
    let index: HashMap<&str, usize> = truth
        .iter()
        .enumerate()
        .map(|(n, t)| (t.id.as_str(), n))
        .collect();

    #[derive(Deserialize)]
    struct Side {
        origin: String,
    }
    #[derive(Deserialize)]
    struct Pair {
        a: Side,
        b: Side,
        relation: String,
    }
    let pairs: Vec<Pair> = read_lines(&args.scan.join("pairs.jsonl"))?;
    // Near-copy clusters: each member's cluster and representative (none without the file).
    #[derive(Deserialize)]
    struct ClusterLine {
        representative: String,
        members: Vec<String>,
    }
    let clusters_path = args.scan.join("clusters.jsonl");
    let clusters: Vec<ClusterLine> = if clusters_path.exists() {
        read_lines(&clusters_path)?
    } else {
        Vec::new()
    };
    let mut cluster_of: HashMap<usize, (usize, usize)> = HashMap::new();
    for (c, cluster) in clusters.iter().enumerate() {
        let representative = line_of(&cluster.representative)?;
        for member in &cluster.members {
            cluster_of.insert(line_of(member)?, (c, representative));
        }
    }
    // A document's cluster: its near-copy cluster, or itself (numbered after the clusters).
    let cluster = |n: usize| cluster_of.get(&n).map_or(clusters.len() + n, |&(c, _)| c);
    let mut found: HashMap<(usize, usize), String> = HashMap::new();
    let mut right = 0usize;
    let mut reported = 0usize;
    // The same over derivation pairs only (duplicate, excerpt, rewrite), without same_story.
    let mut right_derived = 0usize;
    let mut derived = 0usize;
    for pair in &pairs {
        if pair.relation == "unrelated" {
            continue;
        }
        let (a, b) = (line_of(&pair.a.origin)?, line_of(&pair.b.origin)?);
        if a >= truth.len() || b >= truth.len() {
            bail!(
                "{} or {}: beyond the truth file",
                pair.a.origin,
                pair.b.origin
            );
        }
        reported += 1;
        let same = truth[a].story == truth[b].story;
        right += usize::from(same);
        if pair.relation != "same_story" {
            derived += 1;
            right_derived += usize::from(same);
        }
        found.insert((a.min(b), a.max(b)), pair.relation.clone());
    }
    // The relation of two clusters: that of the pair judged between them.
    let mut between: HashMap<(usize, usize), String> = HashMap::new();
    for (&(a, b), relation) in &found {
        let (ca, cb) = (cluster(a), cluster(b));
        if ca != cb {
            between
                .entry((ca.min(cb), ca.max(cb)))
                .or_insert_with(|| relation.clone());
        }
    }
    let stood_for = |n: usize, parent: usize| -> Option<&String> {
        let key = (n.min(parent), n.max(parent));
        if let Some(relation) = found.get(&key) {
            return Some(relation);
        }
        match (cluster_of.get(&n), cluster_of.get(&parent)) {
            (Some(&(c, representative)), Some(&(d, _))) if c == d => {
                let member = if n == representative { parent } else { n };
                found.get(&(member.min(representative), member.max(representative)))
            }
            _ => {
                let (c, d) = (cluster(n), cluster(parent));
                between.get(&(c.min(d), c.max(d)))
            }
        }
    };

    // Recall and labels per kind.
    let mut kinds: Vec<(&str, usize, usize, usize)> = Vec::new(); // kind, total, found, labelled
    for (n, doc) in truth.iter().enumerate() {
        let Some(expect) = expected(&doc.kind) else {
            continue;
        };
        let Some(parent) = doc.source.as_deref().and_then(|s| index.get(s)) else {
            continue;
        };
        let key = (n.min(*parent), n.max(*parent));
        let slot = match kinds.iter().position(|k| k.0 == doc.kind) {
            Some(slot) => slot,
            None => {
                kinds.push((doc.kind.as_str(), 0, 0, 0));
                kinds.len() - 1
            }
        };
        kinds[slot].1 += 1;
        if let Some(relation) = stood_for(key.0, key.1) {
            kinds[slot].2 += 1;
            if relation == expect {
                kinds[slot].3 += 1;
            }
        }
    }
    kinds.sort();

    // Stories: adjusted Rand index.
    #[derive(Deserialize)]
    struct Member {
        origin: String,
    }
    #[derive(Deserialize)]
    struct Story {
        members: Vec<Member>,
    }
    let stories: Vec<Story> = read_lines(&args.scan.join("stories.jsonl"))?;
    let mut predicted: Vec<usize> = (0..truth.len()).collect();
    for (s, story) in stories.iter().enumerate() {
        for member in &story.members {
            predicted[line_of(&member.origin)?] = truth.len() + s;
        }
    }
    let mut labels: HashMap<&str, usize> = HashMap::new();
    let actual: Vec<usize> = truth
        .iter()
        .map(|t| {
            let next = labels.len();
            *labels.entry(t.story.as_str()).or_insert(next)
        })
        .collect();
    let ari = adjusted_rand_index(&actual, &predicted);

    println!("{command_line}");
    println!(
        "{} documents, {} reported pairs, {} stories",
        truth.len(),
        reported,
        stories.len()
    );
    println!(
        "{:<12} {:>7} {:>7} {:>8} {:>8}",
        "kind", "pairs", "found", "recall", "label"
    );
    for (kind, total, hit, labelled) in &kinds {
        println!(
            "{kind:<12} {total:>7} {hit:>7} {:>8.3} {:>8.3}",
            *hit as f64 / (*total).max(1) as f64,
            *labelled as f64 / (*hit).max(1) as f64
        );
    }
    println!(
        "precision of duplicate/excerpt/rewrite pairs (both documents in one true story): {:.4} ({right_derived} of {derived})",
        right_derived as f64 / derived.max(1) as f64
    );
    println!(
        "precision of all related pairs, same_story included: {:.3} ({right} of {reported})",
        right as f64 / reported.max(1) as f64
    );
    println!("adjusted Rand index of stories: {ari:.3}");
    Ok(())
}

/// The adjusted Rand index of two labelings of the same items (Hubert and Arabie 1985).
fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let choose2 = |n: usize| (n as f64) * (n as f64 - 1.0) / 2.0;
    let mut cells: HashMap<(usize, usize), usize> = HashMap::new();
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let mut cols: HashMap<usize, usize> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    let index: f64 = cells.values().map(|&n| choose2(n)).sum();
    let sum_rows: f64 = rows.values().map(|&n| choose2(n)).sum();
    let sum_cols: f64 = cols.values().map(|&n| choose2(n)).sum();
    let total = choose2(a.len());
    let expected = sum_rows * sum_cols / total.max(1.0);
    let max = (sum_rows + sum_cols) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rand_index() {
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]) - 1.0).abs() < 1e-12);
        let shuffled = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 1, 2, 0, 1, 2]);
        assert!(shuffled < 0.0, "{shuffled}");
        // Textbook example: ARI 0.24242…
        let ari = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
        assert!((ari - 0.242_424).abs() < 1e-5, "{ari}");
        assert_eq!(line_of("x/corpus.jsonl.gz:12").unwrap(), 11);
    }
}
