//! The compare JSON of every demo pair, pinned as reviewed snapshots (STYLE.md habit 20).
//!
//! Run from the demo folder with relative names, so the `origin` fields are portable. Review a
//! change with `cargo insta review`; never edit the `.snap` files by hand.

use crate::{demo, retrace};

fn snapshot(a: &str, b: &str) -> String {
    let dir = demo("");
    let out = retrace(&dir, &["compare", "--json", "--no-model", a, b], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 JSON")
}

#[test]
fn demo_copy() {
    insta::assert_snapshot!(snapshot("original.txt", "copy.html"));
}

#[test]
fn demo_excerpt() {
    insta::assert_snapshot!(snapshot("original.txt", "excerpt.txt"));
}

#[test]
fn demo_rewrite() {
    insta::assert_snapshot!(snapshot("original.txt", "rewrite.txt"));
}

#[test]
fn demo_unrelated() {
    insta::assert_snapshot!(snapshot("original.txt", "unrelated.txt"));
}
