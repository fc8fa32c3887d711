//! `retrace-eval throughput`: how fast ingest and extraction run on one core, on real pages.
//!
//! Input: the 990 HTML pages of `trafilatura-eval/html/` (real pages, 139 MB). The command
//! writes them, `--copies` times over, into a WARC file (one `response` record per page, with
//! HTTP headers, as a crawler writes it) and into a WARC.gz (one gzip member per record), under
//! `--work DIR` (outside the repository; they hold the pages). Then, on one thread:
//! 1. reads both WARC files through `retrace_ingest::open` (records, decoding, sniffing), and
//!    reports records/s, MB/s of file and of payload, and the peak resident memory, which stays
//!    flat however large the file: records are streamed;
//! 2. extracts the article of every page (`retrace_ingest::read_bytes` then
//!    `retrace_extract::extract`), and reports pages/s and MB/s of HTML.
//!
//! Timings depend on the machine and its load; the table says what ran and how long.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use retrace_ingest::{Input, Options};
use retrace_span::Origin;
use serde::Serialize;

/// Arguments of `retrace-eval throughput`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The data folder that holds `trafilatura-eval/html/` [default: ../shared/data next to the
    /// repository]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// How many times the pages are written into the WARC files (4 copies ≈ 560 MB).
    #[arg(long, default_value_t = 4)]
    copies: usize,
    /// Where the WARC files are written [default: target/eval-throughput].
    #[arg(long, value_name = "DIR")]
    work: Option<PathBuf>,
    /// Also write the figures as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// Figures of one reading pass.
#[derive(Debug, Serialize)]
struct Pass {
    what: String,
    records: u64,
    file_mb: f64,
    payload_mb: f64,
    seconds: f64,
    records_per_second: f64,
    file_mb_per_second: f64,
    payload_mb_per_second: f64,
    peak_rss_mb: Option<f64>,
}

/// All figures.
#[derive(Debug, Serialize)]
struct Report {
    pages: usize,
    copies: usize,
    warc: Pass,
    warc_gz: Pass,
    extract: Pass,
    no_article: u64,
}

pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    let data = crate::mrpc::data_dir(args.data.as_deref());
    let html = data.join("trafilatura-eval/html");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&html)
        .with_context(|| format!("{}: cannot read; pass --data DIR", html.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    pages.sort();
    if pages.is_empty() {
        bail!("{}: no pages", html.display());
    }
    let work = args
        .work
        .clone()
        .unwrap_or_else(|| crate::mrpc::repo_root().join("target/eval-throughput"));
    std::fs::create_dir_all(&work).with_context(|| format!("{}: cannot create", work.display()))?;
    let warc = work.join("pages.warc");
    let warc_gz = work.join("pages.warc.gz");
    eprintln!(
        "throughput: writing {} copies of {} pages to {}",
        args.copies,
        pages.len(),
        work.display()
    );
    write_warc(&pages, args.copies, &warc, false)?;
    write_warc(&pages, args.copies, &warc_gz, true)?;

    let warc_pass = read_pass("WARC", &warc)?;
    let gz_pass = read_pass("WARC.gz", &warc_gz)?;
    let (extract_pass, no_article) = extract_pass(&pages)?;
    let report = Report {
        pages: pages.len(),
        copies: args.copies,
        warc: warc_pass,
        warc_gz: gz_pass,
        extract: extract_pass,
        no_article,
    };
    println!("{command_line}");
    println!(
        "one thread; {} pages, {} copies in the WARC files",
        report.pages, report.copies
    );
    println!(
        "{:<34} {:>9} {:>9} {:>8} {:>10} {:>11} {:>10}",
        "pass", "records", "MB", "s", "records/s", "MB/s", "peak RSS"
    );
    for pass in [&report.warc, &report.warc_gz, &report.extract] {
        let rss = pass
            .peak_rss_mb
            .map_or_else(|| "-".to_owned(), |mb| format!("{mb:.0} MB"));
        println!(
            "{:<34} {:>9} {:>9.1} {:>8.2} {:>10.0} {:>11.1} {:>10}",
            pass.what,
            pass.records,
            pass.file_mb,
            pass.seconds,
            pass.records_per_second,
            pass.file_mb_per_second,
            rss
        );
    }
    println!(
        "(WARC.gz: {:.1} MB/s of decompressed WARC; extraction: {} pages without an article)",
        report.warc_gz.payload_mb_per_second, report.no_article
    );
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

/// Writes every page as a WARC `response` record, `copies` times, one gzip member per record
/// when `gzip`. Pages are read from disk one at a time.
fn write_warc(pages: &[PathBuf], copies: usize, path: &Path, gzip: bool) -> anyhow::Result<()> {
    let mut out = BufWriter::new(
        File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
    );
    for copy in 0..copies {
        for (n, page) in pages.iter().enumerate() {
            let html =
                std::fs::read(page).with_context(|| format!("{}: cannot read", page.display()))?;
            let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
            block.extend_from_slice(&html);
            let mut record = format!(
                "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-{copy:04x}-{n:012x}>\r\n\
                 WARC-Date: 2026-11-25T00:00:00Z\r\nWARC-Target-URI: https://eval.example/{copy}/{n}\r\n\
                 Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
                block.len()
            )
            .into_bytes();
            record.extend_from_slice(&block);
            record.extend_from_slice(b"\r\n\r\n");
            if gzip {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                encoder.write_all(&record)?;
                out.write_all(&encoder.finish()?)?;
            } else {
                out.write_all(&record)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Reads every record of a WARC file on this thread.
fn read_pass(what: &str, path: &Path) -> anyhow::Result<Pass> {
    let file_bytes = std::fs::metadata(path)?.len();
    let started = Instant::now();
    let mut records = 0u64;
    let mut payload = 0u64;
    for item in retrace_ingest::open(&Input::Path(path.to_path_buf()), &Options::default()) {
        match item {
            Ok(doc) => {
                records += 1;
                payload += doc.text.len() as u64;
            }
            Err(err) => bail!("{err}"),
        }
    }
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    let file_mb = file_bytes as f64 / 1e6;
    let payload_mb = payload as f64 / 1e6;
    Ok(Pass {
        what: format!("read {what} (ingest only)"),
        records,
        file_mb,
        payload_mb,
        seconds,
        records_per_second: records as f64 / seconds,
        file_mb_per_second: file_mb / seconds,
        payload_mb_per_second: payload_mb / seconds,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Ingests and extracts every page on this thread.
fn extract_pass(pages: &[PathBuf]) -> anyhow::Result<(Pass, u64)> {
    let loaded: Vec<(PathBuf, Vec<u8>)> = pages
        .iter()
        .map(|page| std::fs::read(page).map(|bytes| (page.clone(), bytes)))
        .collect::<Result<_, _>>()?;
    let bytes: u64 = loaded.iter().map(|(_, b)| b.len() as u64).sum();
    let started = Instant::now();
    let mut no_article = 0;
    for (path, html) in &loaded {
        let origin = Origin::Path(path.clone());
        let raw = retrace_ingest::read_bytes(origin, html.clone(), Some(path))?;
        if retrace_extract::extract(&raw).is_err() {
            no_article += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    let mb = bytes as f64 / 1e6;
    let pass = Pass {
        what: "extract HTML (ingest + extract)".to_owned(),
        records: loaded.len() as u64,
        file_mb: mb,
        payload_mb: mb,
        seconds,
        records_per_second: loaded.len() as f64 / seconds,
        file_mb_per_second: mb / seconds,
        payload_mb_per_second: mb / seconds,
        peak_rss_mb: None,
    };
    Ok((pass, no_article))
}

/// The process's peak resident memory so far (Linux), in MB.
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1e3)
}
