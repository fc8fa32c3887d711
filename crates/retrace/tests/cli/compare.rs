use crate::{change_kinds, compare_json, demo, retrace};

#[test]
fn copy_under_page_furniture_is_a_duplicate() {
    let json = compare_json(&demo("original.txt"), &demo("copy.html"));
    assert_eq!(json["relation"], "duplicate");
    assert!(json["coverage"]["a_by_b"].as_f64().unwrap() >= 0.85);
    assert!(json["coverage"]["b_by_a"].as_f64().unwrap() >= 0.95);
    // Spans into the HTML point at the paragraph text, not at the navigation.
    for pair in json["alignment"].as_array().unwrap() {
        assert!(!pair["b"]["text"].as_str().unwrap().contains("cookies"));
    }
}

#[test]
fn excerpt_names_the_longer_text_as_source() {
    let json = compare_json(&demo("excerpt.txt"), &demo("original.txt"));
    assert_eq!(json["relation"], "excerpt");
    assert_eq!(json["source"], "b");
    assert!(
        change_kinds(&json).is_empty(),
        "an excerpt changes nothing: {json}"
    );
}

#[test]
fn rewrite_is_found_with_its_changes() {
    let json = compare_json(&demo("original.txt"), &demo("rewrite.txt"));
    assert_eq!(json["relation"], "rewrite");
    assert_eq!(json["source"], "a");
    let kinds = change_kinds(&json);
    for kind in [
        "number_changed",
        "date_changed",
        "quote_altered",
        "quote_invented",
        "hedge_dropped",
        "attribution_dropped",
        "certainty_inflated",
        "claim_added",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
}

#[test]
fn direction_follows_the_evidence_not_the_argument_order() {
    let json = compare_json(&demo("rewrite.txt"), &demo("original.txt"));
    assert_eq!(json["relation"], "rewrite");
    assert_eq!(json["source"], "b");
    // Changes still point from the source (b) to the derivative (a).
    let number = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "number_changed")
        .unwrap();
    assert!(number["b"]["text"].as_str().unwrap().contains("3,200"));
    assert!(number["a"]["text"].as_str().unwrap().contains("4,000"));
}

#[test]
fn issue_14_the_evidence_for_the_source_is_shown_and_an_even_balance_is_said() {
    // The rewrite's source is told by the text: the evidence lists each kind once.
    let json = compare_json(&demo("original.txt"), &demo("rewrite.txt"));
    let evidence = json["evidence"].as_array().unwrap();
    let kinds: Vec<&str> = evidence
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["published", "coverage", "copy_traits", "reuse_symptoms"]
    );
    // Coverage leans slightly to B here; the symptoms of reuse outweigh it, and both show.
    let favours = |kind: &str| {
        evidence
            .iter()
            .find(|e| e["kind"] == kind)
            .map(|e| e["favours"].clone())
            .unwrap()
    };
    assert_eq!(favours("reuse_symptoms"), "a", "{json}");
    assert_eq!(favours("coverage"), "b", "{json}");
    assert_eq!(json["source"], "a");

    // Two identical texts: nothing tells which came first, and the output says so.
    let dir = tempfile::tempdir().unwrap();
    let twin = dir.path().join("twin.txt");
    std::fs::copy(demo("original.txt"), &twin).unwrap();
    let json = compare_json(&demo("original.txt"), &twin);
    assert_eq!(json["relation"], "duplicate");
    assert_eq!(json["source"], serde_json::Value::Null);
    let evidence = json["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 4);
    assert!(evidence.iter().all(|e| e["favours"].is_null()), "{json}");
    assert_eq!(
        evidence[0]["detail"],
        "neither states when it was published"
    );
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            "--brief",
            demo("original.txt").to_str().unwrap(),
            twin.to_str().unwrap(),
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("source: undecided, the evidence is even"),
        "{text}"
    );
    assert!(
        text.contains("coverage favours neither: 100% of A and 100% of B aligned"),
        "{text}"
    );

    // No derivation, no evidence.
    let json = compare_json(&demo("original.txt"), &demo("unrelated.txt"));
    assert!(json["evidence"].as_array().unwrap().is_empty());
}

#[test]
fn issue_14_a_changed_figure_in_the_headline_is_reported_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Storms cut power to 4,000 homes in Dunmore on Monday, the utility said. Crews \
                expect to restore it by Friday. Schools stayed open across the district.";
    let text = dir.path().join("wire.txt");
    std::fs::write(
        &text,
        format!("Storm cuts power to 4,000 homes in Dunmore\n\n{body}\n"),
    )
    .unwrap();
    let page = dir.path().join("copy.html");
    let html = format!(
        "<html><head><title>Copy</title></head><body><article>\
         <h1>Storm cuts power to 40,000 homes &amp; farms in Dunmore</h1><p>{body}</p>\
         </article></body></html>"
    );
    std::fs::write(&page, &html).unwrap();
    let json = compare_json(&text, &page);
    let changes = json["changes"].as_array().unwrap();
    let change = &changes[0];
    assert_eq!(change["place"], "title", "{json}");
    assert_eq!(change["kind"], "number_changed");
    // In the text dump the span is the figure's bytes on line 1; in the page it lies within
    // the <h1> element (the title there has a character reference, so the whole heading).
    assert_eq!(change["a"]["line"], 1);
    assert_eq!(change["a"]["text"], "4,000 homes");
    let (start, end) = (
        change["b"]["start"].as_u64().unwrap() as usize,
        change["b"]["end"].as_u64().unwrap() as usize,
    );
    let h1 = html.find("<h1>").unwrap();
    assert!(
        start >= h1 && end <= html.find("</h1>").unwrap() + 5,
        "{start}..{end}"
    );
    assert_eq!(change["b"]["text"], "40,000 homes");
    // Body changes carry no place.
    assert!(
        changes[1..].iter().all(|c| c.get("place").is_none()),
        "{json}"
    );

    let report = dir.path().join("report.html");
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            "--html",
            report.to_str().unwrap(),
            text.to_str().unwrap(),
            page.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let terminal = String::from_utf8(out.stdout).unwrap();
    assert!(terminal.contains("A:title → B:title"), "{terminal}");
    let report = std::fs::read_to_string(report).unwrap();
    assert!(report.contains("in the titles"));
    // Not marked in the body, where its ranges would point at the wrong words.
    assert!(!report.contains("id=\"c1-a\""));
}

#[test]
fn issue_14_a_date_line_in_a_text_dump_is_its_publication_time() {
    // The same text twice, each under a headline and a date line: the earlier one is the
    // source, whichever is given first, and the evidence says why.
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read_to_string(demo("original.txt")).unwrap();
    let body = body.split_once('\n').unwrap().1;
    let dated = |name: &str, line: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("Floods force thousands from Kestrin\n{line}\n{body}"),
        )
        .unwrap();
        path
    };
    let first = dated("first.txt", "Published: April 14, 2031");
    let later = dated("later.txt", "Posted on 16 April 2031");
    let json = compare_json(&later, &first);
    assert_eq!(json["relation"], "duplicate");
    assert_eq!(json["source"], "b", "{json}");
    let published = &json["evidence"][0];
    assert_eq!(published["kind"], "published");
    assert_eq!(published["favours"], "b");
    assert_eq!(
        published["detail"],
        "A was published 2031-04-16, B 2031-04-14: B came first"
    );
    // An update line is not a publication time.
    let updated = dated("updated.txt", "Updated April 16, 2031");
    let json = compare_json(&updated, &first);
    assert_eq!(json["source"], serde_json::Value::Null, "{json}");
}

#[test]
fn issue_14_titles_of_records_are_compared_without_a_place() {
    // A JSON line's title field is not in the text: its change is reported, with no span.
    let dir = tempfile::tempdir().unwrap();
    let body = "Storms cut power to 4,000 homes in Dunmore on Monday, the utility said. Crews \
                expect to restore it by Friday. Schools stayed open across the district.";
    let feed = dir.path().join("feed.jsonl");
    let line = |title: &str| serde_json::json!({"title": title, "text": body}).to_string();
    std::fs::write(
        &feed,
        format!(
            "{}\n{}\n",
            line("Storm cuts power to 4,000 homes in Dunmore"),
            line("Storm cuts power to 40,000 homes in Dunmore")
        ),
    )
    .unwrap();
    // Records are named as retrace prints their origins: the file, a colon, the line.
    let record = |line: u32| dir.path().join(format!("feed.jsonl:{line}"));
    let json = compare_json(&record(1), &record(2));
    let change = &json["changes"][0];
    assert_eq!(change["place"], "title", "{json}");
    assert_eq!(change["kind"], "number_changed");
    assert!(change["a"].is_null() && change["b"].is_null(), "{json}");
    assert!(change["detail"].as_str().unwrap().contains("40,000"));
}

#[test]
fn another_story_on_the_same_subject_is_not_a_copy() {
    let json = compare_json(&demo("original.txt"), &demo("unrelated.txt"));
    let relation = json["relation"].as_str().unwrap();
    assert!(
        relation == "same_story" || relation == "unrelated",
        "{relation}"
    );
    assert_eq!(json["source"], serde_json::Value::Null);
    assert!(json["changes"].as_array().unwrap().is_empty());
}

#[test]
fn spans_are_byte_offsets_into_the_inputs_as_given() {
    // Side A is plain text: a span's text is exactly its bytes. Side B is plain text, then HTML.
    for (a, b) in [
        ("original.txt", "rewrite.txt"),
        ("original.txt", "copy.html"),
    ] {
        let (a, b) = (demo(a), demo(b));
        let json = compare_json(&a, &b);
        let inputs = [
            std::fs::read_to_string(&a).unwrap(),
            std::fs::read_to_string(&b).unwrap(),
        ];
        let mut spans = Vec::new();
        for pair in json["alignment"].as_array().unwrap() {
            spans.push((0, &pair["a"]));
            spans.push((1, &pair["b"]));
        }
        for change in json["changes"].as_array().unwrap() {
            spans.push((0, &change["a"]));
            spans.push((1, &change["b"]));
        }
        for (side, span) in spans {
            if span.is_null() {
                continue;
            }
            let input = &inputs[side];
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            let text = span["text"].as_str().unwrap();
            if side == 0 {
                assert_eq!(&input[start..end], text);
            } else {
                // HTML: the text a reader sees (issue 13, item 18), its words in that order in
                // the span of the source, no markup or character reference left.
                assert!(!text.contains('<') && !text.contains("&ldquo;"), "{text}");
                let mut rest = &input[start..end];
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    let at = rest
                        .find(word)
                        .unwrap_or_else(|| panic!("{word:?} in {rest:?}"));
                    rest = &rest[at + word.len()..];
                }
            }
            let line = input[..start].matches('\n').count() + 1;
            assert_eq!(span["line"].as_u64().unwrap() as usize, line);
        }
    }
}

#[test]
fn json_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (demo("original.txt"), demo("rewrite.txt"));
    let args = [
        "compare",
        "--json",
        "--no-model",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ];
    let first = retrace(dir.path(), &args, None);
    let second = retrace(dir.path(), &args, None);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn stdin_is_read_for_dash() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(demo("original.txt")).unwrap();
    let copy = demo("copy.html");
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--json",
            "--no-model",
            "-",
            copy.to_str().unwrap(),
        ],
        Some(&original),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["a"]["origin"], "<stdin>");
    assert_eq!(json["relation"], "duplicate");
}

#[test]
fn terminal_summary_names_relation_source_and_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (demo("original.txt"), demo("rewrite.txt"));
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("relation rewrite · source: A"), "{text}");
    assert!(text.contains("hedge_dropped"), "{text}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.is_empty(),
        "--no-model says nothing about the model: {err}"
    );
}

#[test]
fn missing_model_is_reported_once_and_compare_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (demo("original.txt"), demo("excerpt.txt"));
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--brief",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    if cfg!(feature = "embed") {
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("semantic model not installed"), "{err}");
    }
}

#[test]
fn html_report_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (demo("original.txt"), demo("rewrite.txt"));
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            "--html",
            "report.html",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("hedge_dropped"));
    assert!(!html.contains("src=\"http"), "no network assets");
}

/// Issue 13, item 18: links, bold and italics inside a paragraph showed as raw markup
/// (`<a href=…>`) in the span texts and the pair page. The text a reader sees is shown; the
/// offsets still point into the HTML.
#[test]
fn issue_13_inline_markup_shows_as_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    let paragraphs: Vec<&str> = original.lines().filter(|l| !l.trim().is_empty()).collect();
    // Every paragraph of the original, with its second word linked, its third bold, its
    // fourth in italics, and an ampersand written as a character reference.
    let body: String = paragraphs[1..]
        .iter()
        .map(|p| {
            let mut words: Vec<String> = p.split(' ').map(str::to_owned).collect();
            if words.len() > 4 {
                words[1] = format!("<a href=\"/tag/{0}\">{0}</a>", words[1]);
                words[2] = format!("<b>{}</b>", words[2]);
                words[3] = format!("<i>{}</i>", words[3]);
            }
            format!("<p>{}</p>\n", words.join(" ").replace('&', "&amp;"))
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html><html><head><title>{}</title></head><body><article><h1>{}</h1>\n{body}</article></body></html>",
        paragraphs[0], paragraphs[0]
    );
    std::fs::write(dir.path().join("page.html"), &page).unwrap();
    let json = compare_json(&demo("original.txt"), &dir.path().join("page.html"));
    assert_eq!(json["relation"], "duplicate", "{json}");
    let spans: Vec<&serde_json::Value> = json["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| &pair["b"])
        .collect();
    assert!(spans.len() > 5);
    for span in spans {
        let text = span["text"].as_str().unwrap();
        assert!(!text.contains('<') && !text.contains("&amp;"), "{text}");
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        // The offsets are the HTML's: the span covers the markup the text came from.
        let source = &page[start..end];
        let first = text.split(' ').next().unwrap();
        assert!(source.starts_with(first), "{source:?} / {text:?}");
    }
    // The pair page shows the words, never the escaped tags.
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            "--html",
            "pair.html",
            demo("original.txt").to_str().unwrap(),
            "page.html",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(dir.path().join("pair.html")).unwrap();
    assert!(!html.contains("&lt;a href"), "markup shown as text");
    assert!(!html.contains("&lt;b&gt;"), "markup shown as text");
}

/// Issue 13, item 20: retrace prints a record's origin as `FILE@OFFSET` or `FILE:LINE`, and
/// `compare` now takes one as an argument; a place where no record starts is a clear error.
#[test]
fn issue_13_compare_takes_a_record_by_its_origin() {
    use crate::extract::warc_response;
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(demo("original.txt")).unwrap();
    let unrelated = std::fs::read_to_string(demo("unrelated.txt")).unwrap();
    let first = warc_response(
        "https://a.example/unrelated",
        &format!("<p>{}</p>", unrelated.replace("\n\n", "</p><p>")),
    );
    let second = warc_response(
        "https://b.example/floods",
        &format!("<p>{}</p>", original.replace("\n\n", "</p><p>")),
    );
    let mut warc = first.clone();
    warc.extend_from_slice(&second);
    std::fs::write(dir.path().join("crawl.warc"), &warc).unwrap();
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"url": "https://c.example/other", "text": unrelated}),
        serde_json::json!({"url": "https://c.example/floods", "text": original})
    );
    std::fs::write(dir.path().join("feed.jsonl"), lines).unwrap();
    let record = format!("crawl.warc@{}", first.len());
    let out = retrace(
        dir.path(),
        &["compare", "--json", "--no-model", &record, "feed.jsonl:2"],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["relation"], "duplicate", "{json}");
    assert_eq!(json["a"]["origin"], record.as_str(), "{json}");

    // A place where no record starts, and a whole container: each says what to name.
    let out = retrace(
        dir.path(),
        &["compare", "--no-model", "crawl.warc@7", "feed.jsonl:9"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("crawl.warc") && stderr.contains("@7"),
        "{stderr}"
    );
    let out = retrace(
        dir.path(),
        &["compare", "--no-model", "crawl.warc", "feed.jsonl:2"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("FILE@OFFSET"), "{stderr}");
}

/// Issue 13, item 20: `compare --help` pointed to a DESIGN.md that does not ship.
#[test]
fn issue_13_compare_help_points_to_what_ships() {
    let dir = tempfile::tempdir().unwrap();
    let out = retrace(dir.path(), &["compare", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("DESIGN.md"), "{help}");
    assert!(help.contains("README.md, \"The compare JSON\""), "{help}");
    assert!(help.contains("feed.jsonl:17"), "{help}");
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .unwrap();
    assert!(readme.contains("\n## The compare JSON\n"));
}
