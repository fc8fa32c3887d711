//! `retrace index` and `retrace query`: add, update, remove and query an index; readers while a
//! writer adds; a writer killed in the middle of a batch.

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{demo, retrace};

/// Prose of pseudo-random words (a 400-word vocabulary), the same for the same `seed`: articles
/// that share no passage with each other.
fn prose(seed: u64, sentences: usize) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let syllables = [
        "ka", "lo", "mi", "tes", "ran", "vu", "do", "pel", "si", "nor",
    ];
    let mut paragraphs = Vec::new();
    for chunk in 0..sentences.div_ceil(3) {
        let sentences: Vec<String> = (0..3.min(sentences - 3 * chunk))
            .map(|_| {
                let words: Vec<String> = (0..14)
                    .map(|_| {
                        let n = next() % 400;
                        format!(
                            "{}{}{}",
                            syllables[(n % 10) as usize],
                            syllables[(n / 10 % 10) as usize],
                            syllables[(n / 100) as usize]
                        )
                    })
                    .collect();
                let mut sentence = words.join(" ");
                sentence[..1].make_ascii_uppercase();
                sentence + "."
            })
            .collect();
        paragraphs.push(sentences.join(" "));
    }
    paragraphs.join("\n\n")
}

/// A JSONL feed of `n` articles, `https://feed.example/{first + i}`, every fifth one a copy of
/// the one before under another URL (so that batches have pairs to judge).
fn feed(path: &Path, first: u64, n: u64) -> Vec<String> {
    let mut urls = Vec::new();
    let mut lines = String::new();
    for i in first..first + n {
        let text = if i % 5 == 4 {
            prose(i - 1, 9)
        } else {
            prose(i, 9)
        };
        let url = format!("https://feed.example/{i}");
        let line = serde_json::json!({"url": url, "title": format!("Story {i}"), "text": text});
        lines.push_str(&format!("{line}\n"));
        urls.push(url);
    }
    std::fs::write(path, lines).unwrap();
    urls
}

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let out = retrace(dir, args, None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn stats(dir: &Path) -> serde_json::Value {
    let (out, _) = ok(dir, &["index", "stats", "--index", "idx", "--json"]);
    serde_json::from_str(&out).unwrap()
}

/// The keys of the indexed documents, in the order they were added, read straight from the
/// database.
fn keys(index: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(index.join("index.sqlite")).unwrap();
    let mut statement = db.prepare("SELECT key FROM documents ORDER BY id").unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn add_query_update_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("crawl")).unwrap();
    for name in ["original.txt", "copy.html", "excerpt.txt", "unrelated.txt"] {
        std::fs::copy(demo(name), root.join("crawl").join(name)).unwrap();
    }
    let (_, stderr) = ok(root, &["index", "add", "crawl", "--index", "idx"]);
    assert!(
        stderr.contains("4 added, 0 updated, 0 unchanged"),
        "{stderr}"
    );
    assert_eq!(stats(root)["documents"], 4);

    // The rewrite is found to come from the original and its copy, with its changes: the two
    // are near-copies, so the rewrite is judged against their cluster's representative (the
    // dated copy) and the original is named with it.
    std::fs::copy(demo("rewrite.txt"), root.join("rewrite.txt")).unwrap();
    let (out, _) = ok(root, &["query", "rewrite.txt", "--index", "idx", "--json"]);
    let matches: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let original = matches
        .iter()
        .find(|m| m["b"]["origin"] == "crawl/copy.html")
        .expect("the original's cluster is found");
    let stood_for = original["stands_for"].as_array().unwrap();
    assert_eq!(stood_for.len(), 1, "{original}");
    assert!(
        stood_for[0]["key"]
            .as_str()
            .unwrap()
            .ends_with("crawl/original.txt"),
        "{original}"
    );
    assert_eq!(original["relation"], "rewrite");
    assert_eq!(
        original["source"], "b",
        "the indexed original is the source"
    );
    assert!(!original["changes"].as_array().unwrap().is_empty());
    assert!(
        !matches
            .iter()
            .any(|m| m["b"]["origin"] == "crawl/unrelated.txt"),
        "{out}"
    );
    let (text, _) = ok(root, &["query", "rewrite.txt", "--index", "idx"]);
    assert!(
        text.contains("rewrite    this article was taken from it"),
        "{text}"
    );

    // Its story: the original, the copy, the excerpt, and the article itself.
    let (out, _) = ok(
        root,
        &[
            "query",
            "rewrite.txt",
            "--index",
            "idx",
            "--story",
            "--json",
        ],
    );
    let story: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let members: Vec<&str> = story["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["origin"].as_str().unwrap())
        .collect();
    assert_eq!(members.len(), 4, "{members:?}");
    assert!(members.iter().any(|m| m.ends_with("excerpt.txt")));

    // Adding the same files again changes nothing; new words under a known URL update it.
    let (_, stderr) = ok(root, &["index", "add", "crawl", "--index", "idx"]);
    assert!(
        stderr.contains("0 added, 0 updated, 4 unchanged"),
        "{stderr}"
    );
    let urls = feed(&root.join("a.jsonl"), 100, 3);
    ok(root, &["index", "add", "a.jsonl", "--index", "idx"]);
    let line = serde_json::json!({"url": urls[1], "text": prose(999, 9)});
    std::fs::write(root.join("b.jsonl"), format!("{line}\n")).unwrap();
    let (_, stderr) = ok(root, &["index", "add", "b.jsonl", "--index", "idx"]);
    assert!(
        stderr.contains("0 added, 1 updated, 0 unchanged"),
        "{stderr}"
    );
    assert_eq!(stats(root)["documents"], 7);
    let (out, _) = ok(root, &["query", "b.jsonl", "--index", "idx", "--json"]);
    assert_eq!(
        out.lines().count(),
        0,
        "the updated document is the article itself: {out}"
    );

    // Remove by key; an unknown key is an error naming it, after the others are removed.
    ok(root, &["index", "remove", &urls[0], "--index", "idx"]);
    let out = retrace(
        root,
        &[
            "index",
            "remove",
            &urls[2],
            "https://nowhere.example/",
            "--index",
            "idx",
        ],
        None,
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not in the index: https://nowhere.example/"),
        "{stderr}"
    );
    assert_eq!(stats(root)["documents"], 5);
    let (_, stderr) = ok(root, &["index", "check", "--index", "idx"]);
    assert!(stderr.contains("is sound (5 documents)"), "{stderr}");
}

#[test]
fn errors_name_the_index_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = retrace(root, &["index", "stats", "--index", "nothing"], None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("nothing/index.sqlite: no retrace index here"),
        "{stderr}"
    );
    // The library says what is wrong; the command says what to run.
    assert!(
        stderr.contains("to fix: create it with 'retrace index add PATH... --index nothing'"),
        "{stderr}"
    );
    feed(&root.join("a.jsonl"), 0, 2);
    ok(root, &["index", "add", "a.jsonl", "--index", "idx"]);
    let db = rusqlite::Connection::open(root.join("idx/index.sqlite")).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let out = retrace(root, &["query", "a.jsonl", "--index", "idx"], None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("index written with schema version 99; this retrace reads 7: rebuild it"),
        "{stderr}"
    );
    assert!(
        stderr.contains("to fix: rebuild it with 'retrace index add"),
        "{stderr}"
    );
}

#[test]
fn readers_see_whole_batches_while_a_writer_adds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    feed(&root.join("first.jsonl"), 0, 20);
    feed(&root.join("more.jsonl"), 20, 300);
    ok(
        root,
        &[
            "index",
            "add",
            "first.jsonl",
            "--index",
            "idx",
            "--batch",
            "20",
        ],
    );
    let mut writer = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .args([
            "index",
            "add",
            "more.jsonl",
            "--index",
            "idx",
            "--batch",
            "20",
        ])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    while writer.try_wait().unwrap().is_none() {
        let documents = stats(root)["documents"].as_u64().unwrap();
        assert_eq!(
            documents % 20,
            0,
            "a reader saw part of a batch: {documents}"
        );
        seen.insert(documents);
        let (out, _) = ok(root, &["query", "first.jsonl", "--index", "idx", "--json"]);
        assert!(
            out.lines().count() >= 4,
            "copies in the first batch are found: {out}"
        );
    }
    assert!(writer.wait().unwrap().success());
    assert_eq!(stats(root)["documents"], 320);
    assert!(
        seen.len() >= 2,
        "the reader ran while the writer wrote: {seen:?}"
    );
}

#[test]
fn a_killed_writer_leaves_exactly_the_committed_batches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let urls = feed(&root.join("feed.jsonl"), 0, 240);
    let batch = 20;
    // Kill points: after k batches were reported committed, a pseudo-random while later
    // (printed, so that a failure can be replayed).
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    eprintln!("kill points from seed {seed}");
    for round in 0..4u64 {
        let index = root.join(format!("idx{round}"));
        let wait_for = (seed + round * 3) % 8;
        let extra_ms = (seed / 7 + round * 37) % 150;
        let mut writer = Command::new(env!("CARGO_BIN_EXE_retrace"))
            .args(["index", "add", "feed.jsonl", "--batch", "20", "--index"])
            .arg(&index)
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::io::BufReader::new(writer.stderr.take().unwrap());
        let mut reported = 0;
        let mut lines = stderr.lines();
        while reported < wait_for {
            match lines.next() {
                Some(Ok(line)) if line.contains("committed") => reported += 1,
                Some(_) => {}
                None => break,
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(extra_ms));
        writer.kill().unwrap(); // SIGKILL
        writer.wait().unwrap();
        // Batches reported before the kill, and any the writer committed but had not reported.
        for line in lines.map_while(Result::ok) {
            if line.contains("committed") {
                reported += 1;
            }
        }
        if !index.join("index.sqlite").exists() {
            assert_eq!(reported, 0);
            continue;
        }
        let check = Command::new(env!("CARGO_BIN_EXE_retrace"))
            .args(["index", "check", "--index"])
            .arg(&index)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "round {round} (seed {seed}): {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let keys = keys(&index);
        assert_eq!(
            keys.len() % batch,
            0,
            "round {round} (seed {seed}): {}",
            keys.len()
        );
        let committed = keys.len() / batch;
        assert!(
            committed == reported as usize || committed == reported as usize + 1,
            "round {round} (seed {seed}): {committed} batches in the index, {reported} reported"
        );
        assert_eq!(keys, urls[..keys.len()], "round {round} (seed {seed})");
        eprintln!(
            "round {round}: killed with {committed} of 12 batches committed, {reported} reported"
        );
    }
}

/// The demo's articles copied into `root/crawl`.
fn demo_crawl(root: &Path) {
    std::fs::create_dir_all(root.join("crawl")).unwrap();
    for name in [
        "original.txt",
        "copy.html",
        "excerpt.txt",
        "rewrite.txt",
        "unrelated.txt",
    ] {
        std::fs::copy(demo(name), root.join("crawl").join(name)).unwrap();
    }
}

/// The stored pairs of an index, named by where their documents were read: `(a, b, relation,
/// source)` with `a < b`, sorted.
fn stored_pairs(index: &Path) -> Vec<(String, String, String, String)> {
    let db = rusqlite::Connection::open(index.join("index.sqlite")).unwrap();
    let mut statement = db
        .prepare(
            "SELECT da.origin, db.origin, p.relation, coalesce(ds.origin, '') FROM pairs p \
             JOIN documents da ON da.id = p.a JOIN documents db ON db.id = p.b \
             LEFT JOIN documents ds ON ds.id = p.source",
        )
        .unwrap();
    let mut pairs: Vec<(String, String, String, String)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .map(|row| {
            let (a, b, relation, source): (String, String, String, String) = row.unwrap();
            if a < b {
                (a, b, relation, source)
            } else {
                (b, a, relation, source)
            }
        })
        .collect();
    pairs.sort();
    pairs
}

/// The pairs of a scan's pairs.jsonl, named by where their documents were read: `(a, b,
/// relation)` with `a < b`, sorted.
fn scanned_pairs(path: &Path) -> Vec<(String, String, String)> {
    let mut pairs: Vec<(String, String, String)> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let pair: serde_json::Value = serde_json::from_str(line).unwrap();
            let (a, b) = (
                pair["a"]["origin"].as_str().unwrap().to_string(),
                pair["b"]["origin"].as_str().unwrap().to_string(),
            );
            let relation = pair["relation"].as_str().unwrap().to_string();
            (a.clone().min(b.clone()), a.max(b), relation)
        })
        .collect();
    pairs.sort();
    pairs
}

/// Issue 13, item 15: a verbatim copy without a URL in another file is another document (it
/// was merged into the first, keeping the last file's origin), paired with it as a duplicate;
/// querying it says the same text is already indexed.
#[test]
fn issue_13_copies_without_a_url_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("crawl")).unwrap();
    let text = prose(7, 12);
    std::fs::write(root.join("crawl/a.txt"), &text).unwrap();
    std::fs::write(root.join("crawl/b.txt"), &text).unwrap();
    std::fs::write(root.join("crawl/other.txt"), prose(8, 12)).unwrap();
    let (_, stderr) = ok(root, &["index", "add", "crawl", "--index", "idx"]);
    assert!(stderr.contains("3 added"), "{stderr}");
    let stats = stats(root);
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["pairs"], serde_json::json!([["duplicate", 1]]));
    // Adding the same files again from another folder changes nothing.
    let (_, stderr) = ok(
        &root.join("crawl"),
        &["index", "add", ".", "--index", "../idx"],
    );
    assert!(
        stderr.contains("0 added, 0 updated, 3 unchanged"),
        "{stderr}"
    );

    let (out, _) = ok(root, &["query", "crawl/b.txt", "--index", "idx"]);
    assert!(out.contains("in the index itself as #2"), "{out}");
    assert!(
        out.contains("the same text is already indexed as #1 "),
        "{out}"
    );
    assert!(out.contains("a.txt"), "{out}");
    assert!(out.contains("duplicate "), "{out}");
    assert!(!out.contains("nothing related"), "{out}");
    // An article not in the index with the same words as one that is.
    std::fs::write(root.join("c.txt"), &text).unwrap();
    let (out, _) = ok(root, &["query", "c.txt", "--index", "idx"]);
    assert!(!out.contains("in the index itself"), "{out}");
    assert_eq!(
        out.matches("the same text is already indexed as").count(),
        2,
        "{out}"
    );
}

/// Issue 13, item 16: the index pairs what scan pairs. The excerpt and the rewrite of the
/// demo share a few of the original's names and nothing else; scan never compares them, and
/// the index judged the excerpt taken from the rewrite. And the pairs stored do not depend on
/// the order the documents were added in.
#[test]
fn issue_13_the_index_pairs_what_scan_pairs_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    demo_crawl(root);
    ok(root, &["index", "add", "crawl", "--index", "idx"]);
    let (out, _) = ok(root, &["query", "crawl/excerpt.txt", "--index", "idx"]);
    assert!(!out.contains("rewrite"), "{out}");
    // From the original and its copy: one comparison, the other named with it.
    assert_eq!(
        out.matches("excerpt    this article was taken from it")
            .count(),
        1,
        "{out}"
    );
    assert!(out.contains("and 1 near-copies of #"), "{out}");

    // Scan's pairs of the same files.
    ok(root, &["scan", "crawl", "--out", "scan"]);
    let scanned = scanned_pairs(&root.join("scan/pairs.jsonl"));
    let indexed: Vec<(String, String, String)> = stored_pairs(&root.join("idx"))
        .into_iter()
        .map(|(a, b, relation, _)| (a, b, relation))
        .collect();
    assert_eq!(indexed, scanned);

    // One file at a time, in three orders: the same pairs, with the same sources.
    let orders = [
        [
            "original.txt",
            "copy.html",
            "excerpt.txt",
            "unrelated.txt",
            "rewrite.txt",
        ],
        [
            "rewrite.txt",
            "unrelated.txt",
            "excerpt.txt",
            "copy.html",
            "original.txt",
        ],
        [
            "excerpt.txt",
            "rewrite.txt",
            "original.txt",
            "copy.html",
            "unrelated.txt",
        ],
    ];
    let mut found = Vec::new();
    for (n, order) in orders.iter().enumerate() {
        let index = format!("idx{n}");
        for name in order {
            ok(
                root,
                &["index", "add", &format!("crawl/{name}"), "--index", &index],
            );
        }
        found.push(stored_pairs(&root.join(&index)));
    }
    assert_eq!(
        found[0],
        stored_pairs(&root.join("idx")),
        "one batch or five"
    );
    assert_eq!(found[0], found[1]);
    assert_eq!(found[0], found[2]);
}

/// Issue 13, item 20: the coverage figures say which side is which.
#[test]
fn issue_13_coverage_names_its_sides() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    demo_crawl(root);
    ok(
        root,
        &["index", "add", "crawl/original.txt", "--index", "idx"],
    );
    let (out, _) = ok(root, &["query", "crawl/excerpt.txt", "--index", "idx"]);
    assert!(
        out.contains("aligned: 100% of this article, 29% of #1"),
        "{out}"
    );
}

/// Issue 13, item 20: `index remove` takes where a document was read (a file as it was
/// added, however spelled, or a JSON line as FILE:LINE), and names what matched nothing.
#[test]
fn issue_13_remove_by_origin() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    demo_crawl(root);
    let lines: String = (0..3)
        .map(|i| format!("{}\n", serde_json::json!({"text": prose(60 + i, 9)})))
        .collect();
    std::fs::write(root.join("feed.jsonl"), lines).unwrap();
    ok(
        root,
        &["index", "add", "crawl", "feed.jsonl", "--index", "idx"],
    );
    assert_eq!(stats(root)["documents"], 8);
    let (_, stderr) = ok(
        root,
        &[
            "index",
            "remove",
            "crawl/excerpt.txt",
            "./crawl/../crawl/rewrite.txt",
            "feed.jsonl:2",
            "--index",
            "idx",
        ],
    );
    assert!(stderr.contains("removed 3 documents"), "{stderr}");
    let left: Vec<String> = keys(&root.join("idx"));
    assert_eq!(left.len(), 5, "{left:?}");
    assert!(
        !left
            .iter()
            .any(|k| k.ends_with("excerpt.txt") || k.ends_with("rewrite.txt"))
    );
    assert!(left.iter().any(|k| k.ends_with("feed.jsonl:1")), "{left:?}");
    assert!(
        !left.iter().any(|k| k.ends_with("feed.jsonl:2")),
        "{left:?}"
    );
    // The copy is keyed by its URL, and found by its file as well.
    ok(
        root,
        &["index", "remove", "crawl/copy.html", "--index", "idx"],
    );
    let out = retrace(
        root,
        &[
            "index",
            "remove",
            "crawl/nothing.txt",
            "feed.jsonl:9",
            "--index",
            "idx",
        ],
        None,
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not in the index: crawl/nothing.txt, feed.jsonl:9"),
        "{stderr}"
    );
    assert_eq!(stats(root)["documents"], 4);
}

/// Issue 13, item 7: control sequences in an indexed title (an OSC that retitles the
/// terminal, an ESC colour code, a bidi override) reach the terminal escaped in `query`'s
/// text output, and stay data in its JSON.
#[test]
fn issue_13_query_escapes_control_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    demo_crawl(root);
    let original = std::fs::read_to_string(root.join("crawl/original.txt")).unwrap();
    let title = "Floods \u{1b}]0;owned\u{7}\u{1b}[31mred\u{202e}txt";
    let line =
        serde_json::json!({"url": "https://wire.example/f", "title": title, "text": original});
    std::fs::write(root.join("feed.jsonl"), format!("{line}\n")).unwrap();
    ok(root, &["index", "add", "feed.jsonl", "--index", "idx"]);
    let (out, _) = ok(root, &["query", "crawl/original.txt", "--index", "idx"]);
    assert!(out.contains("wire.example/f"), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
        "{out:?}"
    );
    assert!(out.contains(r"\x1b]0;owned"), "{out}");
    let (json, _) = ok(
        root,
        &["query", "crawl/original.txt", "--index", "idx", "--json"],
    );
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["b"]["title"], title, "{first}");
}

#[test]
fn issue_14_a_candidate_that_cannot_be_compared_is_named() {
    // The original is indexed; then its stored page is replaced (as a later, stricter
    // extractor would see it) by one nested past the extraction limit. A query still finds it
    // as a candidate by its sketch, and says it could not be compared instead of dropping it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("crawl")).unwrap();
    std::fs::copy(demo("original.txt"), root.join("crawl/original.txt")).unwrap();
    ok(root, &["index", "add", "crawl", "--index", "idx"]);
    let nested = format!("<html><body>{}x</body></html>", "<div>".repeat(2_000));
    let db = rusqlite::Connection::open(root.join("idx/index.sqlite")).unwrap();
    db.execute("UPDATE documents SET raw = ?1, format = 'html'", [&nested])
        .unwrap();
    drop(db);
    std::fs::copy(demo("rewrite.txt"), root.join("rewrite.txt")).unwrap();
    let (out, stderr) = ok(root, &["query", "rewrite.txt", "--index", "idx", "--json"]);
    assert!(out.trim().is_empty(), "{out}");
    assert!(
        stderr.contains("indexed document #1 not compared") && stderr.contains("512"),
        "{stderr}"
    );
}

/// A wire story and `n` copies of it, each a file of its own under its own site's furniture
/// (a line above and below), dated a day apart from the original's, plus the demo's excerpt.
fn syndicated_crawl(root: &Path, n: usize) {
    let dir = root.join("wire");
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    std::fs::write(dir.join("original.txt"), &original).unwrap();
    for k in 1..=n {
        std::fs::write(
            dir.join(format!("copy-{k:02}.txt")),
            format!("Site number {k} news desk\n\n{original}\n\nMore from site number {k}\n"),
        )
        .unwrap();
    }
    std::fs::copy(demo("excerpt.txt"), dir.join("excerpt.txt")).unwrap();
}

/// Issue 15: a story's copies are judged against their cluster's representative, as scan
/// judges them, whatever order they are added in; a new copy is judged once, against the
/// representative, and named with the cluster's other members.
#[test]
fn issue_15_copies_are_judged_against_the_representative_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    syndicated_crawl(root, 12);
    ok(root, &["index", "add", "wire", "--index", "idx"]);
    let stored = stored_pairs(&root.join("idx"));
    // 13 near-copies: 12 judged against their representative, and the excerpt against it:
    // 13 pairs, where judging every pair would be 14 · 13 / 2 = 91.
    assert_eq!(stored.len(), 13, "{stored:?}");
    let (out, _) = ok(root, &["index", "stats", "--index", "idx"]);
    assert!(out.contains("13 in near-copy clusters"), "{out}");

    // Scan of the same files judges the same pairs.
    ok(root, &["scan", "wire", "--out", "scan"]);
    let scanned = scanned_pairs(&root.join("scan/pairs.jsonl"));
    let indexed: Vec<(String, String, String)> = stored
        .iter()
        .map(|(a, b, relation, _)| (a.clone(), b.clone(), relation.clone()))
        .collect();
    assert_eq!(indexed, scanned);

    // File by file, forwards and backwards: the same pairs.
    let mut names: Vec<String> = std::fs::read_dir(root.join("wire"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for (n, order) in [names.clone(), names.iter().rev().cloned().collect()]
        .iter()
        .enumerate()
    {
        let index = format!("idx{n}");
        for name in order {
            ok(
                root,
                &["index", "add", &format!("wire/{name}"), "--index", &index],
            );
        }
        assert_eq!(stored_pairs(&root.join(&index)), stored, "order {n}");
    }

    // A new copy is compared once, and the cluster's other members are named with it.
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    std::fs::write(
        root.join("new-copy.txt"),
        format!("Another desk\n\n{original}\n"),
    )
    .unwrap();
    let (out, _) = ok(root, &["query", "new-copy.txt", "--index", "idx"]);
    assert_eq!(out.matches("duplicate").count(), 1, "{out}");
    assert!(out.contains("and 12 near-copies of #"), "{out}");
    let (json, _) = ok(root, &["query", "new-copy.txt", "--index", "idx", "--json"]);
    let matches: Vec<serde_json::Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let copies = matches
        .iter()
        .find(|m| m["relation"] == "duplicate")
        .unwrap();
    assert_eq!(copies["stands_for"].as_array().unwrap().len(), 12, "{json}");

    // The plan's tables hold together; a story row out of step is found.
    let (_, stderr) = ok(root, &["index", "check", "--index", "idx"]);
    assert!(stderr.contains("is sound"), "{stderr}");
    let db = rusqlite::Connection::open(root.join("idx/index.sqlite")).unwrap();
    db.execute(
        "DELETE FROM story_of WHERE doc = (SELECT max(doc) FROM story_of)",
        [],
    )
    .unwrap();
    drop(db);
    let out = retrace(root, &["index", "check", "--index", "idx"], None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("1 stories disagree with their members"),
        "{stderr}"
    );
    // A later batch that touches the story writes it again.
    std::fs::write(
        root.join("late-copy.txt"),
        format!("Late desk\n\n{original}\n"),
    )
    .unwrap();
    ok(root, &["index", "add", "late-copy.txt", "--index", "idx"]);
    let (_, stderr) = ok(root, &["index", "check", "--index", "idx"]);
    assert!(stderr.contains("is sound"), "{stderr}");

    // Removing the representative plans the story again: another member stands for it.
    let representative = copies["indexed"]["key"].as_str().unwrap().to_owned();
    ok(
        root,
        &["index", "remove", &representative, "--index", "idx"],
    );
    let after = stored_pairs(&root.join("idx"));
    assert_eq!(after.len(), 13, "{after:?}");
    assert!(
        after
            .iter()
            .all(|(a, b, _, _)| !a.ends_with(&representative) && !b.ends_with(&representative))
    );
}
