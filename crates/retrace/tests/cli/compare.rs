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
            assert_eq!(&input[start..end], span["text"].as_str().unwrap());
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
