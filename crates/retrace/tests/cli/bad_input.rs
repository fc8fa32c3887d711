//! Bad input: a one-line error naming the input and the reason, exit code 2, never a panic.

use std::path::Path;

use crate::{demo, retrace};

fn fails(dir: &Path, a: &str, b: &str, stdin: Option<&[u8]>) -> String {
    let original = demo("original.txt");
    let args = ["compare", "--no-model", a, b].map(|arg| {
        if arg == "ORIGINAL" {
            original.to_str().unwrap()
        } else {
            arg
        }
    });
    let out = retrace(dir, &args, stdin);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), "ORIGINAL", "nope.txt", None);
    assert!(err.starts_with("retrace: nope.txt: "), "{err}");
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let err = fails(dir.path(), "folder", "ORIGINAL", None);
    assert!(
        err.starts_with("retrace: folder: is a folder with no file in it"),
        "{err}"
    );
    std::fs::write(dir.path().join("folder/a.txt"), "One.").unwrap();
    std::fs::write(dir.path().join("folder/b.txt"), "Two.").unwrap();
    let err = fails(dir.path(), "folder", "ORIGINAL", None);
    assert!(err.contains("holds more than one document"), "{err}");
}

#[test]
fn container_with_several_documents() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feed.jsonl"),
        "{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n",
    )
    .unwrap();
    let err = fails(dir.path(), "feed.jsonl", "ORIGINAL", None);
    assert!(
        err.starts_with("retrace: feed.jsonl: holds more than one document"),
        "{err}"
    );
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(dir.path().join("image.bin"), bytes).unwrap();
    let err = fails(dir.path(), "ORIGINAL", "image.bin", None);
    assert!(err.contains("image.bin") && err.contains("binary"), "{err}");
}

#[test]
fn non_utf8_file_is_decoded_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"Caf\xe9 owners said the flood was the worst in memory.\n",
    )
    .unwrap();
    let original = demo("original.txt");
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--no-model",
            "latin1.txt",
            original.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        "retrace: latin1.txt: decoded from windows-1252 (detected); spans index the decoded text"
    );
}

#[test]
fn empty_article() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "\n  \n").unwrap();
    let err = fails(dir.path(), "ORIGINAL", "empty.txt", None);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
}

#[test]
fn furniture_only_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nav.html"), "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>All rights reserved</footer></body></html>").unwrap();
    let err = fails(dir.path(), "ORIGINAL", "nav.html", None);
    assert!(
        err.contains("nav.html") && err.contains("no article"),
        "{err}"
    );
}

#[test]
fn both_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), "-", "-", Some(b"text"));
    assert!(err.contains("standard input"), "{err}");
}
