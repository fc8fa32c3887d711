//! Embedding throughput on news-like sentences.
//!
//! `cargo bench -p retrace-embed --bench embed` embeds 200 invented sentences of 22 to 28 words
//! (about 35 tokens each) in one call and reports sentences per second. It needs the model
//! (`scripts/install-model`); without one it measures nothing, unless `RETRACE_REQUIRE_MODEL=1`
//! makes that a failure.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use retrace_embed::{DIMENSIONS, Embedder};

const SENTENCES: usize = 200;

const WHO: &[&str] = &[
    "The regional health ministry",
    "A spokesperson for the harbour authority",
    "Police in the northern district",
    "The opposition leader",
    "Officials at the city water board",
    "A senior diplomat who asked not to be named",
    "The company's chief executive",
    "Residents of the flooded valley",
];
const DID: &[&str] = &[
    "said on Thursday that at least 40 people had been moved to temporary shelters",
    "told reporters the new rail line would not open before the end of next year",
    "confirmed that talks over the disputed fishing rights had been suspended",
    "denied claims that the budget for school repairs had been cut by a third",
    "warned that the price of bread could rise again if the drought continued",
    "announced an inquiry into how the warehouse fire spread so quickly overnight",
    "could not independently confirm reports of clashes near the border crossing",
];
const TAIL: &[&str] = &[
    "after a week of heavy rain.",
    "according to a statement released late in the evening.",
    "despite earlier promises from the transport minister.",
    "as aid convoys waited on the main road.",
    "in a move that surprised local business owners.",
];

/// 200 distinct sentences built from the parts above, in a fixed order.
fn sentences() -> Vec<String> {
    (0..SENTENCES)
        .map(|i| {
            let who = WHO[i % WHO.len()];
            let did = DID[(i / WHO.len()) % DID.len()];
            let tail = TAIL[(i / (WHO.len() * DID.len())) % TAIL.len()];
            format!("{who} {did} {tail}")
        })
        .collect()
}

fn embed(c: &mut Criterion) {
    let model = match Embedder::discover() {
        Ok(Some(model)) => model,
        Ok(None) if std::env::var_os("RETRACE_REQUIRE_MODEL").is_some_and(|v| v == "1") => {
            panic!("RETRACE_REQUIRE_MODEL=1 but no model is installed; run scripts/install-model")
        }
        Ok(None) => {
            #[expect(
                clippy::print_stderr,
                reason = "a bench that measures nothing must say so"
            )]
            {
                eprintln!("embed bench skipped: no model installed; run scripts/install-model");
            }
            return;
        }
        Err(err) => panic!("{err}"),
    };
    let owned = sentences();
    let input: Vec<&str> = owned.iter().map(String::as_str).collect();

    let mut group = c.benchmark_group("embed");
    group.throughput(Throughput::Elements(SENTENCES as u64));
    // One iteration takes over a second on two cores: flat sampling with ten samples keeps a
    // run under half a minute.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("news_sentences_200", |b| {
        b.iter(|| {
            let vectors = model.embed(black_box(&input)).unwrap();
            assert_eq!(vectors.len(), SENTENCES);
            assert!(vectors.iter().all(|v| v.len() == DIMENSIONS));
            vectors
        });
    });
    group.finish();
}

criterion_group!(benches, embed);
criterion_main!(benches);
