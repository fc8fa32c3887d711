use crate::retrace;

#[test]
fn explain_prints_the_doc_of_a_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = retrace(dir.path(), &["explain", "hedge_dropped"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for section in [
        "## What it detects",
        "## Why it matters",
        "## Example",
        "## Known limits",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
}

#[test]
fn explain_lists_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = retrace(dir.path(), &["explain"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), retrace_judge::ChangeKind::ALL.len());
    assert!(text.contains("detail_dropped"), "{text}");
}

#[test]
fn explain_unknown_kind_fails_with_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let out = retrace(dir.path(), &["explain", "typo_fixed"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown change kind 'typo_fixed'") && err.contains("quote_altered"),
        "{err}"
    );
}
