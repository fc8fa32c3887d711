//! Sketches of the demo corpus: a lightly edited copy collides, a rewrite and an unrelated story
//! on the same subject do not.

use retrace_sketch::{Bands, Sketcher, candidate_pairs};

const ORIGINAL: &str = include_str!("../../../demo/original.txt");
const REWRITE: &str = include_str!("../../../demo/rewrite.txt");
const UNRELATED: &str = include_str!("../../../demo/unrelated.txt");

/// The original with a word changed every few sentences and its last line cut.
fn edited_copy() -> String {
    let mut text = ORIGINAL
        .replace("Sunday", "Sunday night")
        .replace("officials said", "officials told reporters")
        .replace("residents", "inhabitants");
    let cut = text.trim_end().rfind('\n').expect("lines");
    text.truncate(cut);
    text
}

#[test]
fn copies_collide_rewrites_do_not() {
    let sketcher = Sketcher::default();
    let original = sketcher.sketch(ORIGINAL);
    let copy = sketcher.sketch(&edited_copy());
    let rewrite = sketcher.sketch(REWRITE);
    let unrelated = sketcher.sketch(UNRELATED);
    assert_ne!(original.fingerprint, copy.fingerprint);
    let near = original.minhash.jaccard(&copy.minhash);
    assert!(near > 0.6, "{near}");
    let rewritten = original.minhash.jaccard(&rewrite.minhash);
    // The demo rewrite keeps some phrases: its true shingle Jaccard is 0.094.
    assert!(rewritten < 0.2, "{rewritten}");
    assert!(original.minhash.jaccard(&unrelated.minhash) < 0.05);

    let bands = Bands::for_threshold(0.5);
    let postings: Vec<(u64, u32)> = [&original, &copy, &rewrite, &unrelated]
        .iter()
        .enumerate()
        .flat_map(|(doc, sketch)| {
            bands
                .keys(&sketch.minhash)
                .map(move |key| (key, doc as u32))
        })
        .collect();
    assert_eq!(candidate_pairs(postings, 1, 100).pairs, vec![(0, 1)]);
}
