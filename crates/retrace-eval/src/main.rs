//! `retrace-eval`: measures retrace's stages against public data sets, at run time.
//!
//! Input: the data sets in `../shared/data` next to the repository (or `--data DIR`), read when
//! a command runs, never copied into the repository. Output: a table on standard output, and
//! with `--json FILE` every figure as JSON; both are deterministic for the same data and model.
//! The command line that reproduces a run is printed with it.
//!
//! Commands:
//! - `mrpc`: the sentence scorer of `retrace-align` (lexical, embedding, combined) as a
//!   paraphrase classifier on the Microsoft Research Paraphrase Corpus, and the change detector
//!   of `retrace-judge` on its pairs (see [`mrpc`]).
//! - `extract`: the article extraction of `retrace-extract` on the trafilatura gold standard
//!   of 990 web pages, next to the published figures of other extractors (see [`extract`]);
//!   with `--set readability|l3s-gn1|dragnet --dir DIR`, on public sets whose gold is the main
//!   text of each page, with bag-of-words token F1 and title accuracy (see [`goldtext`]).
//! - `throughput`: reading WARC and WARC.gz files and extracting articles, on one core, on
//!   those same pages (see [`throughput`]).
//! - `changes`: the whole pair engine (extract, analyze, align, judge, as `retrace compare`)
//!   on derivatives the team wrote by hand from real articles, each a recipe with an answer key
//!   in `cases/changes/{tune,report}/` (the source is named, never copied): relation and
//!   direction accuracy, recall per change kind, false alarms per derivation, harmless
//!   renderings flagged. Tune on `--split tune`; `--split report` is held out (see [`changes`]).
//!
//! This crate is not shipped and nothing depends on it; it only calls the public APIs of the
//! stage crates, the way `retrace` does, so that what it measures is what users get.
//!
//! ```text
//! cargo run --release -p retrace-eval -- mrpc --json target/eval-mrpc.json
//! ```
//!
//! Exit codes: 0 when the evaluation ran, 2 when something failed (a missing data folder, an
//! unreadable or malformed file, a broken model).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "evaluation front end: the table goes to stdout, progress to stderr"
)]

mod cache;
mod changes;
mod corpus;
mod dedupbench;
mod extract;
mod goldtext;
mod logistic;
mod metrics;
mod mrpc;
mod scanscore;
mod throughput;
mod tsv;

use std::process::ExitCode;

use clap::Parser;

/// Measures retrace against public data sets (read from ../shared/data at run time).
///
/// Exit status: 0 when the evaluation ran, 2 when something failed (bad flag, missing data
/// folder, unreadable input, broken model).
#[derive(Debug, Parser)]
#[command(name = "retrace-eval", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Sentence judgement and change detection on the MRPC paraphrase corpus.
    Mrpc(mrpc::Args),
    /// Article extraction on the trafilatura gold standard (990 web pages), or with --set on
    /// other public sets with gold main text (Readability's test pages, L3S-GN1, Dragnet).
    Extract(extract::Args),
    /// Ingest (WARC, WARC.gz) and extraction speed on one core, on the 990 real pages.
    Throughput(throughput::Args),
    /// An evaluation corpus for `retrace scan`: real articles, derivatives with known
    /// sources (copies, excerpts, near-copies, reordered copies, rewrites) and filler, with
    /// the ground truth in truth.jsonl.
    Corpus(corpus::Args),
    /// Scores a `retrace scan` run on a generated corpus: pair recall per derivative kind,
    /// precision, adjusted Rand index of stories.
    ScanScore(scanscore::Args),
    /// Relation, direction and typed changes on hand-written derivatives of real articles
    /// (cases/changes/tune and cases/changes/report), with recall per kind and false alarms.
    Changes(changes::Args),
    /// The MinHash LSH dedup job, timed, next to datasketch and rensa (scripts/bench-dedup).
    DedupBench(dedupbench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Mrpc(args) => mrpc::run(args, &command_line()),
        Command::Extract(args) => extract::run(args, &command_line()),
        Command::Throughput(args) => throughput::run(args, &command_line()),
        Command::Corpus(args) => corpus::run(args, &command_line()),
        Command::ScanScore(args) => scanscore::run(args, &command_line()),
        Command::DedupBench(args) => dedupbench::run(args, &command_line()),
        Command::Changes(args) => changes::run(args, &command_line()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("retrace-eval: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The command that reproduces this run, with the model directory when it was set.
fn command_line() -> String {
    let mut line = String::new();
    if let Some(model) = std::env::var_os("RETRACE_MODEL").filter(|m| !m.is_empty()) {
        line.push_str(&format!(
            "RETRACE_MODEL={} ",
            quote(&model.to_string_lossy())
        ));
    }
    line.push_str("cargo run --release -p retrace-eval --");
    for arg in std::env::args_os().skip(1) {
        line.push(' ');
        line.push_str(&quote(&arg.to_string_lossy()));
    }
    line
}

/// Single-quotes an argument for a POSIX shell when it holds anything but safe characters.
fn quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_the_shell_would_split() {
        assert_eq!(quote("--json"), "--json");
        assert_eq!(quote("out dir/x.json"), "'out dir/x.json'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
