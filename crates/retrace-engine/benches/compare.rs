//! The pair engine end to end (extract → analyze → align → judge) on two news articles.
//!
//! Data: the seed pair of ../shared/examples (a ~3,000-word wire report under aggregator
//! furniture and its ~1,300-word rewrite) when that folder exists, else the bundled demo pair.
//! The lexical engine is timed; the semantic scorer's cost is the model's (see retrace-embed's
//! bench). Correctness is asserted inside the timed loop.
//!
//! Run: `cargo bench -p retrace-engine --bench compare`
#![allow(clippy::print_stderr, reason = "bench notes which data it used")]

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use retrace_judge::Relation;
use retrace_span::Origin;

fn inputs() -> (String, String, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let examples = root.join("../shared/examples");
    let find = |prefix: &str| -> Option<PathBuf> {
        std::fs::read_dir(&examples)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
            })
    };
    if let (Some(a), Some(b)) = (find("000_"), find("001_")) {
        let read = |p: PathBuf| std::fs::read_to_string(p).expect("readable example");
        return (read(a), read(b), "shared/examples 000 vs 001");
    }
    let read =
        |name: &str| std::fs::read_to_string(root.join("demo").join(name)).expect("demo file");
    (
        read("original.txt"),
        read("rewrite.txt"),
        "demo original vs rewrite",
    )
}

fn compare(c: &mut Criterion) {
    let (a, b, label) = inputs();
    eprintln!("compare bench on {label}: {} + {} bytes", a.len(), b.len());
    let raw_a = retrace_ingest::read_bytes(Origin::Stdin, a.clone().into_bytes(), None)
        .expect("valid input");
    let raw_b = retrace_ingest::read_bytes(Origin::Stdin, b.clone().into_bytes(), None)
        .expect("valid input");
    let engine = retrace_engine::Engine::lexical();
    let mut group = c.benchmark_group("compare");
    group.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
    group.bench_function("lexical", |bench| {
        bench.iter(|| {
            let compared = engine.compare(&raw_a, &raw_b).expect("comparable");
            assert_eq!(compared.verdict.relation, Relation::Rewrite);
            compared
        })
    });
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
