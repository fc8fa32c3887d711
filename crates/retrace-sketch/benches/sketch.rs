//! Sketching speed: one 1,000-word article (MinHash of 128 permutations over 5-word shingles).

use criterion::{Criterion, criterion_group, criterion_main};
use retrace_sketch::{Bands, MinHasher, SHINGLE_WORDS, Sketcher, shingles, word_hashes};
use std::hint::black_box;

fn article(words: usize) -> String {
    // Invented, varied words: the cost depends on the number of words, not on what they say.
    (0..words)
        .map(|i| format!("word{}", (i * 7919) % 2003))
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench(c: &mut Criterion) {
    let sketcher = Sketcher::default();
    let text = article(1000);
    let bands = Bands::new(32, 4);
    c.bench_function("sketch 1000 words", |b| {
        b.iter(|| {
            let sketch = sketcher.sketch(black_box(&text));
            black_box(bands.keys(&sketch.minhash).fold(0u64, |a, k| a ^ k))
        })
    });
}

fn parts(c: &mut Criterion) {
    let text = article(1000);
    c.bench_function("words and shingles of 1000 words", |b| {
        b.iter(|| shingles(&word_hashes(black_box(&text)), SHINGLE_WORDS).len())
    });
    c.bench_function("word hashes of 1000 words", |b| {
        b.iter(|| word_hashes(black_box(&text)).len())
    });
    let words = word_hashes(&text);
    c.bench_function("shingles of 1000 word hashes", |b| {
        b.iter(|| shingles(black_box(&words), SHINGLE_WORDS).len())
    });
    let members = shingles(&word_hashes(&text), SHINGLE_WORDS);
    c.bench_function("anchors of 996 shingles", |b| {
        b.iter(|| retrace_sketch::anchors(black_box(&members)).len())
    });
    let hasher = MinHasher::new(1);
    c.bench_function("minhash of 996 shingles", |b| {
        b.iter(|| hasher.minhash(black_box(&members)))
    });
}

criterion_group!(benches, bench, parts);
criterion_main!(benches);
