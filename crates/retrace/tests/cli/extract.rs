//! `retrace extract`: every format in one folder, bad inputs skipped and counted.

use std::io::Write;
use std::path::Path;

use crate::{demo, retrace};

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub(crate) fn warc_response(uri: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
         WARC-Date: 2031-04-15T06:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

/// A crawl folder: the demo's HTML copy, a JSONL feed, a gzipped WARC whose last record is cut
/// short, a binary file and a page of furniture only.
fn crawl(dir: &Path) {
    let root = dir.join("crawl");
    std::fs::create_dir_all(root.join("feeds")).unwrap();
    std::fs::copy(demo("copy.html"), root.join("copy.html")).unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    let feed = format!(
        "{}\n{{not json\n{}\n",
        serde_json::json!({"id": "n1", "url": "https://northline.example/floods", "date": "2031-04-14", "text": original}),
        serde_json::json!({"id": "n2", "summary": "no body"}),
    );
    std::fs::write(root.join("feeds/northline.jsonl"), feed).unwrap();
    let page = std::fs::read_to_string(demo("copy.html")).unwrap();
    let mut warc: Vec<u8> = gzip(&warc_response("https://riverside.example/a", &page));
    let second = gzip(&warc_response("https://riverside.example/b", &page));
    warc.extend_from_slice(&second[..second.len() - 40]);
    std::fs::write(root.join("crawl.warc.gz"), warc).unwrap();
    std::fs::write(root.join("image.bin"), [0u8, 1, 2, 3, 0, 0, 0, 9]).unwrap();
    std::fs::write(
        root.join("nav.html"),
        "<html><body><nav><a href='/'>Home</a></nav><footer>All rights reserved</footer></body></html>",
    )
    .unwrap();
}

#[test]
fn a_mixed_folder_is_read_and_every_skip_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    crawl(dir.path());
    let out = retrace(
        dir.path(),
        &[
            "extract",
            "crawl",
            "--skipped",
            "skipped.jsonl",
            "--threads",
            "2",
        ],
        None,
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let articles: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let origins: Vec<&str> = articles
        .iter()
        .map(|a| a["origin"].as_str().unwrap())
        .collect();
    assert_eq!(
        origins,
        [
            "crawl/copy.html",
            "crawl/crawl.warc.gz@0",
            "crawl/feeds/northline.jsonl:1"
        ]
    );
    let warc = &articles[1];
    assert_eq!(warc["offset"], 0);
    assert_eq!(warc["id"], "urn:uuid:https://riverside.example/a");
    assert_eq!(warc["title"], articles[0]["title"]);
    assert_eq!(
        warc["published"]["from"], "meta",
        "the page's own date wins over WARC-Date"
    );
    let feed = &articles[2];
    assert_eq!(feed["line"], 1);
    assert_eq!(feed["url"], "https://northline.example/floods");
    assert_eq!(feed["site"], "northline.example");
    assert_eq!(
        feed["published"],
        serde_json::json!({"value": "2031-04-14", "from": "record"})
    );
    assert_eq!(feed["language"], "eng");
    // Paragraph spans index the input: the HTML file as given.
    let html = std::fs::read_to_string(dir.path().join("crawl/copy.html")).unwrap();
    for paragraph in articles[0]["paragraphs"].as_array().unwrap() {
        let (start, end) = (
            paragraph["start"].as_u64().unwrap() as usize,
            paragraph["end"].as_u64().unwrap() as usize,
        );
        let words: Vec<&str> = paragraph["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .filter(|w| w.chars().all(char::is_alphabetic))
            .collect();
        let slice = &html[start..end];
        assert!(
            slice.contains(words[0]) && slice.contains(words[words.len() - 1]),
            "{slice}"
        );
    }

    let summary = stderr.lines().last().unwrap();
    assert!(
        summary
            .starts_with("retrace extract: 3 articles from 4 documents in 5 inputs; skipped 5 ("),
        "{summary}"
    );
    for kind in [
        "1 binary",
        "1 malformed JSON",
        "1 no text field",
        "1 truncated",
        "1 no article found",
    ] {
        assert!(summary.contains(kind), "{kind}: {summary}");
    }
    let skipped: Vec<serde_json::Value> = std::fs::read_to_string(dir.path().join("skipped.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(skipped.len(), 5);
    let truncated = skipped.iter().find(|s| s["kind"] == "truncated").unwrap();
    assert_eq!(truncated["file"], "crawl/crawl.warc.gz");
    assert!(
        truncated["reason"]
            .as_str()
            .unwrap()
            .contains("breaks off at byte"),
        "{truncated}"
    );
    let malformed = skipped
        .iter()
        .find(|s| s["kind"] == "malformed JSON")
        .unwrap();
    assert_eq!(malformed["origin"], "crawl/feeds/northline.jsonl:2");
    assert_eq!(malformed["line"], 2);
}

#[test]
fn text_format_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read(demo("copy.html")).unwrap();
    let out = retrace(
        dir.path(),
        &["extract", "--format", "text", "-"],
        Some(&gzip(&page)),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("=== <stdin>\ntitle:     Floodwaters force thousands"),
        "{text}"
    );
    assert!(
        text.contains("\npublished: 2031-04-14T09:30:00Z (from meta)\n"),
        "{text}"
    );
}

#[test]
fn nothing_extracted_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "  \n").unwrap();
    let out = retrace(
        dir.path(),
        &["extract", "empty.txt", "missing.html", "*.nope"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("retrace: *.nope: no file matches this pattern"),
        "{stderr}"
    );
    assert!(
        stderr.contains("retrace: missing.html: no such file"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 3 ("), "{stderr}");
    assert!(
        stderr
            .trim_end()
            .ends_with("retrace: no article extracted; see the reasons above"),
        "{stderr}"
    );
}

/// Issue 13, item 20: an empty WARC or JSONL file holds no record; the failure says so instead
/// of pointing at reasons that were never printed.
#[test]
fn an_empty_container_says_it_holds_no_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.warc"), "").unwrap();
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    for name in ["empty.warc", "empty.jsonl"] {
        let out = retrace(dir.path(), &["extract", name], None);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        let named = stderr.contains(&format!("retrace: {name}: "));
        if stderr.contains("see the reasons above") {
            assert!(named, "{name}: no reason was printed: {stderr}");
        } else {
            assert!(stderr.contains("hold no document"), "{name}: {stderr}");
        }
    }
}

/// Issue 13, item 20: counts read as English: one article, one input.
#[test]
fn the_summary_counts_in_the_singular_for_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(demo("original.txt"), dir.path().join("a.txt")).unwrap();
    let out = retrace(dir.path(), &["extract", "a.txt"], None);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("retrace extract: 1 article from 1 document in 1 input"),
        "{stderr}"
    );
}

/// Issue 13, item 7: a title with ESC/OSC sequences is escaped in the text output (it would
/// otherwise set the terminal's title or clear the screen); the JSON keeps it as it is.
#[test]
fn control_sequences_from_inputs_are_escaped_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<html><head><title>Flood \u{1b}]0;owned\u{7}\u{1b}[2J report</title></head><body>\
                <article><p>The river rose two metres overnight and forced 300 families from \
                their homes, officials said on Monday.</p><p>Crews worked through the night to \
                shore up the banks of the river near the old mill.</p></article></body></html>";
    std::fs::write(dir.path().join("page.html"), page).unwrap();
    let out = retrace(
        dir.path(),
        &["extract", "--format", "text", "page.html"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("\\x1b]0;owned\\x07"), "{text}");
    // A file name with an escape sequence in an error message is escaped too.
    let out = retrace(dir.path(), &["extract", "missing\u{1b}[31m.html"], None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("missing\\x1b[31m.html"), "{stderr}");
}
