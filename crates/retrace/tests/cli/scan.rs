//! `retrace scan`: pairs and stories over a small corpus (a copy under page furniture, a mirror
//! in a JSON feed, an excerpt, a heavy rewrite found through shared names and numbers, and an
//! unrelated story from the same town), the same at any thread count.

use std::path::Path;

use crate::{demo, retrace};

/// The demo corpus, plus a binary file and a JSONL feed repeating the original.
fn corpus(dir: &Path) {
    let root = dir.join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    for name in [
        "original.txt",
        "copy.html",
        "excerpt.txt",
        "rewrite.txt",
        "unrelated.txt",
    ] {
        std::fs::copy(demo(name), root.join(name)).unwrap();
    }
    std::fs::write(root.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    let line = serde_json::json!({"url": "https://mirror.example/floods", "text": original});
    std::fs::write(root.join("mirror.jsonl"), format!("{line}\n")).unwrap();
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// (a, b, relation) of each line of pairs.jsonl.
fn found(pairs: &[serde_json::Value]) -> Vec<(String, String, String)> {
    pairs
        .iter()
        .map(|p| {
            (
                p["a"]["origin"].as_str().unwrap().to_owned(),
                p["b"]["origin"].as_str().unwrap().to_owned(),
                p["relation"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn finds_copies_and_excerpts_and_groups_them() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let out = retrace(
        dir.path(),
        &["scan", "corpus", "--out", "out", "--threads", "2"],
        None,
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let pairs = lines(&dir.path().join("out/pairs.jsonl"));
    let found = found(&pairs);
    // The three copies are one cluster, judged against its representative: the dated copy
    // (the others have no date), which also stands for the cluster against the excerpt and
    // the rewrite.
    let clusters = lines(&dir.path().join("out/clusters.jsonl"));
    assert_eq!(
        clusters,
        vec![serde_json::json!({
            "cluster": 1,
            "representative": "corpus/copy.html",
            "members": ["corpus/copy.html", "corpus/mirror.jsonl:1", "corpus/original.txt"]
        })]
    );
    for (a, b, relation) in [
        ("corpus/copy.html", "corpus/mirror.jsonl:1", "duplicate"),
        ("corpus/copy.html", "corpus/original.txt", "duplicate"),
        ("corpus/copy.html", "corpus/excerpt.txt", "excerpt"),
        ("corpus/copy.html", "corpus/rewrite.txt", "rewrite"),
    ] {
        let expected = (a.to_owned(), b.to_owned(), relation.to_owned());
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        stderr.contains(
            "9 share enough to align; 4 to judge, standing for 5 more (1 near-copy clusters)"
        ),
        "{stderr}"
    );
    assert!(
        !found
            .iter()
            .any(|(a, b, _)| a.contains("unrelated") || b.contains("unrelated")),
        "{found:?}"
    );
    let stories = lines(&dir.path().join("out/stories.jsonl"));
    assert_eq!(stories.len(), 1);
    let members: Vec<&str> = stories[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["origin"].as_str().unwrap())
        .collect();
    assert!(members.contains(&"corpus/excerpt.txt") && members.contains(&"corpus/mirror.jsonl:1"));
    let skipped = lines(&dir.path().join("out/skipped.jsonl"));
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["kind"], "binary");
    // The report: an index linking each story's page, which links each pair's page.
    let index = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(index.contains(r#"href="report/story-1.html""#), "{index}");
    let story = std::fs::read_to_string(dir.path().join("out/report/story-1.html")).unwrap();
    let pages: Vec<&str> = story
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .filter(|href| href.starts_with("pair-"))
        .collect();
    // A page for the excerpt and the rewrite; the copies changed nothing, so their edges give
    // the command that draws them instead.
    assert_eq!(pages, vec!["pair-1-2.html", "pair-1-5.html"], "{story}");
    assert!(
        story.contains("retrace compare corpus/copy.html corpus/original.txt --html pair.html"),
        "{story}"
    );
    for page in pages {
        let html = std::fs::read_to_string(dir.path().join("out/report").join(page)).unwrap();
        assert!(html.contains("retrace · pair report"), "{page}");
        assert!(
            html.contains(r#"<a href="../report.html">all stories</a>"#),
            "{page}"
        );
    }
    assert!(stderr.contains("skipped 1 (1 binary)"), "{stderr}");
}

#[test]
fn judge_all_judges_every_candidate_pair_and_finds_the_same_story() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for (judge, out) in [("all", "all"), ("representatives", "rep")] {
        let run = retrace(
            dir.path(),
            &["scan", "corpus", "--out", out, "--judge", judge],
            None,
        );
        assert_eq!(run.status.code(), Some(0));
    }
    let all = found(&lines(&dir.path().join("all/pairs.jsonl")));
    for expected in [
        ("corpus/copy.html", "corpus/original.txt", "duplicate"),
        ("corpus/mirror.jsonl:1", "corpus/original.txt", "duplicate"),
        ("corpus/excerpt.txt", "corpus/original.txt", "excerpt"),
        ("corpus/original.txt", "corpus/rewrite.txt", "rewrite"),
    ] {
        let expected = (
            expected.0.to_owned(),
            expected.1.to_owned(),
            expected.2.to_owned(),
        );
        assert!(all.contains(&expected), "{expected:?} not in {all:?}");
    }
    assert!(all.len() > 4, "{all:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("all/clusters.jsonl")).unwrap(),
        ""
    );
    // The same story, with the same members and original, either way.
    let story = |out: &str| {
        let mut story = lines(&dir.path().join(out).join("stories.jsonl")).remove(0);
        story.as_object_mut().unwrap().remove("provenance");
        story.as_object_mut().unwrap().remove("undirected");
        story.as_object_mut().unwrap().remove("ledger");
        story
    };
    assert_eq!(story("all"), story("rep"));
}

#[test]
fn outputs_are_byte_identical_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for (threads, out) in [("1", "one"), ("2", "two")] {
        let run = retrace(
            dir.path(),
            &["scan", "corpus", "--out", out, "--threads", threads],
            None,
        );
        assert_eq!(run.status.code(), Some(0));
    }
    for file in [
        "pairs.jsonl",
        "clusters.jsonl",
        "stories.jsonl",
        "skipped.jsonl",
        "report.html",
        "report/story-1.html",
    ] {
        let one = std::fs::read(dir.path().join("one").join(file)).unwrap();
        let two = std::fs::read(dir.path().join("two").join(file)).unwrap();
        assert_eq!(one, two, "{file}");
    }
}

#[test]
fn alignment_none_is_a_sketch_only_dedup_pass() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let out = retrace(
        dir.path(),
        &["scan", "corpus", "--out", "out", "--alignment", "none"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let pairs = lines(&dir.path().join("out/pairs.jsonl"));
    let exact = pairs
        .iter()
        .find(|p| p["b"]["origin"] == "corpus/mirror.jsonl:1")
        .expect("the mirror pairs with its cluster's representative");
    assert_eq!(exact["relation"], "duplicate");
    assert_eq!(exact["jaccard"], 1.0);
    assert!(pairs.iter().all(|p| p.get("alignment").is_none()));
    // The excerpt is found by its anchors, the longer text named as its source.
    let excerpt = pairs
        .iter()
        .find(|p| p["b"]["origin"] == "corpus/excerpt.txt")
        .expect("the excerpt pairs with a copy");
    assert_eq!(excerpt["relation"], "excerpt");
    assert_eq!(excerpt["source"], "a");
    assert!(excerpt["containment"].as_f64().unwrap() >= 0.8, "{excerpt}");
    assert!(
        !pairs.iter().any(|p| p.to_string().contains("unrelated")),
        "{pairs:?}"
    );
    let stories = lines(&dir.path().join("out/stories.jsonl"));
    assert_eq!(stories.len(), 1);
    // Three texts hold the excerpt's words, copies of each other with no known direction: the
    // story names no original but each candidate, the dated one first (issue 13, item 19).
    assert_eq!(stories[0]["original"], serde_json::Value::Null);
    assert_eq!(
        stories[0]["undecided_original"],
        serde_json::json!([
            "corpus/copy.html",
            "corpus/mirror.jsonl:1",
            "corpus/original.txt"
        ])
    );
}

#[test]
fn a_salted_corpus_loses_nothing_but_the_bad_inputs() {
    use crate::extract::{gzip, warc_response};
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let root = dir.path().join("corpus");
    // A WARC.gz holding the HTML copy, then a second record cut short.
    let page = std::fs::read_to_string(demo("copy.html")).unwrap();
    let mut warc = gzip(&warc_response("https://aggregator.example/a", &page));
    let second = gzip(&warc_response("https://aggregator.example/b", &page));
    warc.extend_from_slice(&second[..second.len() / 2]);
    std::fs::write(root.join("crawl.warc.gz"), warc).unwrap();
    // A feed with a broken line between two good ones.
    let excerpt = std::fs::read_to_string(demo("excerpt.txt")).unwrap();
    let feed = format!(
        "{}\n{{\"text\": oops}}\n{}\n",
        serde_json::json!({"text": excerpt}),
        serde_json::json!({"text": "A short note about something else entirely, with no source."}),
    );
    std::fs::write(root.join("feed.jsonl"), feed).unwrap();
    // A 100 MB page (sparse: no disk space), over the 20 MB default limit.
    let huge = std::fs::File::create(root.join("huge.html")).unwrap();
    huge.set_len(100_000_000).unwrap();

    let out = retrace(dir.path(), &["scan", "corpus", "--out", "out"], None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let skipped = lines(&dir.path().join("out/skipped.jsonl"));
    let kinds: Vec<&str> = skipped
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    for kind in ["binary", "truncated", "malformed JSON", "too large"] {
        assert!(kinds.contains(&kind), "{kind} not in {kinds:?}");
    }
    // Everything else was read: the demo's five texts, the mirror, the WARC's first record and
    // the feed's two good lines.
    assert!(stderr.contains("9 articles"), "{stderr}");
    let pairs = lines(&dir.path().join("out/pairs.jsonl"));
    let touches = |name: &str| {
        pairs.iter().any(|p| {
            p["a"]["origin"].as_str().unwrap().contains(name)
                || p["b"]["origin"].as_str().unwrap().contains(name)
        })
    };
    assert!(
        touches("crawl.warc.gz@0"),
        "the WARC's good record is matched"
    );
    assert!(touches("feed.jsonl:1"), "the feed's excerpt is matched");
}

/// Issue 13, item 14: a scan (or index add) over nothing but missing paths fails, names every
/// one of them, and writes nothing.
#[test]
fn nothing_but_missing_paths_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = retrace(
        dir.path(),
        &["scan", "gone.html", "lost/", "*.nope", "--out", "out"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for name in ["gone.html", "lost/", "*.nope"] {
        assert!(
            stderr.contains(&format!("retrace: {name}: ")),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("none of the 3 inputs"), "{stderr}");
    assert!(
        !dir.path().join("out").exists(),
        "a failed scan wrote its output folder"
    );
    let out = retrace(
        dir.path(),
        &["index", "add", "gone.html", "--index", "idx"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("retrace: gone.html: no such file"),
        "{stderr}"
    );
}

/// Issue 13, item 20: a second scan into the same folder leaves no page of the first run, and
/// a `report/` folder that no scan wrote is never emptied.
#[test]
fn a_second_scan_replaces_the_pages_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let out = retrace(dir.path(), &["scan", "corpus", "--out", "out"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join("out/report"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let first = pages(dir.path());
    assert!(!first.is_empty());
    // The second run sees only the unrelated story: none of the first run's pages belong to it.
    std::fs::create_dir(dir.path().join("small")).unwrap();
    std::fs::copy(
        demo("unrelated.txt"),
        dir.path().join("small/unrelated.txt"),
    )
    .unwrap();
    let out = retrace(dir.path(), &["scan", "small", "--out", "out"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = pages(dir.path());
    assert!(
        second
            .iter()
            .all(|page| !first.contains(page) || page == "style.css"),
        "first {first:?}, second {second:?}"
    );

    let foreign = dir.path().join("mine");
    std::fs::create_dir_all(foreign.join("report")).unwrap();
    std::fs::write(foreign.join("report/notes.html"), "mine").unwrap();
    let out = retrace(dir.path(), &["scan", "small", "--out", "mine"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(foreign.join("report/notes.html").exists());
}

/// Issue 13, item 20: scan counts the articles pasted into pages as extract does.
#[test]
fn scan_counts_embedded_articles_as_extract_does() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    let unrelated = std::fs::read_to_string(demo("unrelated.txt")).unwrap();
    let page = format!("{original}\n\nRelated Articles\n\n{unrelated}\n");
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/page.txt"), page).unwrap();
    let extract = retrace(dir.path(), &["extract", "in"], None);
    let scan = retrace(dir.path(), &["scan", "in", "--out", "out"], None);
    let embedded = |stderr: &[u8]| -> Option<String> {
        let stderr = String::from_utf8_lossy(stderr);
        stderr
            .split("; ")
            .find(|part| part.contains("embedded article"))
            .and_then(|part| part.lines().next())
            .map(str::to_owned)
    };
    let from_extract = embedded(&extract.stderr);
    assert!(
        from_extract.is_some(),
        "{}",
        String::from_utf8_lossy(&extract.stderr)
    );
    assert_eq!(from_extract, embedded(&scan.stderr));
}

/// Issue 13, item 1: one page of 30,000 nested spans (or 100,000 nested divs) in a folder
/// overflowed a worker thread's stack and aborted `extract`, `scan`, `index add` and `query`
/// (exit 134, nothing written). Each page is now skipped with its reason, and the rest is read.
#[test]
fn issue_13_deeply_nested_pages_are_skipped_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("in")).unwrap();
    for name in ["original.txt", "excerpt.txt"] {
        std::fs::copy(demo(name), root.join("in").join(name)).unwrap();
    }
    let text = std::fs::read_to_string(demo("original.txt")).unwrap();
    let spans = format!(
        "<html><body>{}<p>{text}</p>{}</body></html>",
        "<span>".repeat(30_000),
        "</span>".repeat(30_000)
    );
    std::fs::write(root.join("in/spans.html"), spans).unwrap();
    std::fs::write(
        root.join("in/divs.html"),
        format!("<body>{}<p>{text}</p>", "<div>".repeat(100_000)),
    )
    .unwrap();
    let says_skipped = |stderr: &str| {
        for page in ["spans.html", "divs.html"] {
            assert!(
                stderr
                    .lines()
                    .any(|l| l.contains(page) && l.contains("nesting deeper than")),
                "{page}: {stderr}"
            );
        }
    };
    for args in [
        &["extract", "in"][..],
        &["scan", "in", "--out", "out"],
        &["index", "add", "in", "--index", "idx"],
        &["query", "in", "--index", "idx"],
    ] {
        let out = retrace(root, args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        // extract and query name each skip; scan and index add count them by reason (scan
        // lists them in skipped.jsonl).
        if matches!(args[0], "extract" | "query") {
            says_skipped(&stderr);
        } else {
            assert!(
                stderr.contains("skipped 2 (2 nested too deeply)"),
                "{args:?}: {stderr}"
            );
        }
    }
    let skipped = std::fs::read_to_string(root.join("out/skipped.jsonl")).unwrap();
    says_skipped(&skipped);
    let pairs = lines(&root.join("out/pairs.jsonl"));
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(pairs[0]["relation"], "excerpt");
}
