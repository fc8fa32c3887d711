//! `retrace-eval mrpc`: sentence judgement and change detection on the Microsoft Research
//! Paraphrase Corpus.
//!
//! Every sentence goes through the real pipeline (`retrace-text`), and each pair is scored the
//! way `retrace-align` scores a sentence pair:
//! - **lexical**: [`TermVector::cosine`] of IDF-weighted stems, with IDF from the training
//!   sentences (unsupervised document frequencies) and near-spelled names aliased per pair, as
//!   the aligner does;
//! - **embedding cosine**: all-MiniLM-L6-v2 cosine alone, for reference;
//! - **combined**: [`combine`]`(lexical, Some(cosine))`, the aligner's score with the model.
//!
//! Each is turned into a decision by one threshold chosen for accuracy on the training pairs.
//! The "number penalty" variants subtract a constant, also chosen on the training pairs, when
//! both sentences state numbers and their sets of numbers differ (see [`numbers_disagree`]).
//!
//! Then logistic regressions over the [`PairFeatures`] of [`pair_features`] are fitted on the
//! training pairs ([`crate::logistic`]) for an ablation of feature sets ([`FEATURE_SETS`]), and
//! measured on the test pairs at probability 0.5 and at the probability threshold chosen on
//! train. The coefficients compiled into `retrace-align` ([`paraphrase_probability`]) are
//! measured the same way; `--fit` prints freshly fitted ones in Rust, to paste there.
//!
//! The change detector runs `Aligner::align` and `Judge::judge` on each test pair, as
//! `retrace compare` would on two one-sentence documents, and counts the typed changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use retrace_align::Aligner;
use retrace_align::similarity::{
    Coefficients, FEATURE_NAMES, FEATURES, PairFeatures, TermVector, TermWeights, Vocabulary,
    combine, embedding_cosine, pair_features, paraphrase_probability,
};
use retrace_embed::Embedder;
use retrace_judge::{ChangeKind, Judge};
use retrace_span::{OffsetMap, Origin};
use retrace_text::{Analyzed, Analyzer, Token, TokenKind};
use serde::Serialize;

use crate::metrics::{Confusion, best_threshold};
use crate::{cache, logistic, tsv};

/// Arguments of `retrace-eval mrpc`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The data folder that holds `mrpc/msr_paraphrase_{train,test}.txt`
    /// [default: ../shared/data next to the repository]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Also write every figure as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Where to keep the sentence embeddings between runs
    /// [default: target/eval-cache/mrpc-embeddings.bin in the repository]
    #[arg(long, value_name = "FILE")]
    cache: Option<PathBuf>,
    /// Score lexically only, even when a model is installed.
    #[arg(long)]
    no_model: bool,
    /// Write one JSON line of scores per pair to FILE (ids, label, scores; no sentence text),
    /// for error analysis.
    #[arg(long, value_name = "FILE")]
    scores: Option<PathBuf>,
    /// Also print the logistic-regression coefficients fitted on the training pairs, in Rust,
    /// to paste into `crates/retrace-align/src/similarity.rs`.
    #[arg(long)]
    fit: bool,
}

/// The repository root, which the default paths are relative to.
/// The data folder: `--data DIR`, else `../shared/data` next to the repository.
pub(crate) fn data_dir(data: Option<&Path>) -> PathBuf {
    data.map(Path::to_path_buf)
        .unwrap_or_else(|| match repo_root().parent() {
            Some(parent) => parent.join("shared/data"),
            None => PathBuf::from("../shared/data"),
        })
}

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The penalties tried for [`numbers_disagree`]; the one with the best training accuracy wins.
const PENALTIES: [f32; 16] = [
    0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24, 0.26, 0.28, 0.30,
];

/// Sentences per call to the embedder: small enough to show progress, large enough to batch.
const EMBED_CHUNK: usize = 512;

/// One pair after analysis and scoring.
struct Scored {
    pair: tsv::Pair,
    a: Analyzed,
    b: Analyzed,
    lexical: f32,
    cosine: Option<f32>,
    numbers_disagree: bool,
    /// The pair features of `retrace_align::similarity`; `semantic` is set once embedded.
    features: PairFeatures,
}

impl Scored {
    fn combined(&self) -> Option<f32> {
        self.cosine.map(|c| combine(self.lexical, Some(c)))
    }
}

/// Runs the evaluation and prints the table.
pub(crate) fn run(args: &Args, command_line: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let data = data_dir(args.data.as_deref());
    let dir = data.join("mrpc");
    if !dir.is_dir() {
        bail!(
            "{}: no such directory; pass --data DIR, the folder that holds mrpc/",
            dir.display()
        );
    }
    let read = |name: &str| -> anyhow::Result<Vec<tsv::Pair>> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        tsv::parse(&text).with_context(|| format!("{}", path.display()))
    };
    let train = read("msr_paraphrase_train.txt")?;
    let test = read("msr_paraphrase_test.txt")?;

    let analyzer = Analyzer::new();
    let analyze = |text: &str| -> anyhow::Result<Analyzed> {
        let len = u32::try_from(text.len()).context("a sentence over 4 GB")?;
        Ok(analyzer.analyze(Origin::Stdin, None, text, &OffsetMap::identity(len)))
    };
    let mut weights = TermWeights::new();
    for pair in &train {
        for text in [&pair.a, &pair.b] {
            weights.add(&bag(&analyze(text)?));
        }
    }

    let embedder = if args.no_model {
        None
    } else {
        Embedder::discover().context("loading the sentence model")?
    };
    let split = |pairs: Vec<tsv::Pair>| -> anyhow::Result<Vec<Scored>> {
        pairs
            .into_iter()
            .map(|pair| {
                let a = analyze(&pair.a)?;
                let b = analyze(&pair.b)?;
                let lexical = lexical(&a, &b, &weights);
                let (tokens_a, tokens_b) = (bag(&a), bag(&b));
                let features = pair_features(
                    &tokens_a.iter().collect::<Vec<_>>(),
                    &tokens_b.iter().collect::<Vec<_>>(),
                    &weights,
                    lexical,
                    None,
                );
                Ok(Scored {
                    features,
                    lexical,
                    numbers_disagree: numbers_disagree(&a, &b),
                    cosine: None,
                    pair,
                    a,
                    b,
                })
            })
            .collect()
    };
    let mut train = split(train)?;
    let mut test = split(test)?;

    let mut vectors: BTreeMap<String, Vec<f32>> = BTreeMap::new();
    if let Some(embedder) = &embedder {
        let cache_path = args
            .cache
            .clone()
            .unwrap_or_else(|| repo_root().join("target/eval-cache/mrpc-embeddings.bin"));
        vectors = embed_all(embedder, train.iter().chain(&test), &cache_path)?;
        for scored in train.iter_mut().chain(&mut test) {
            let a = doc_embedding(&scored.a, &vectors);
            let b = doc_embedding(&scored.b, &vectors);
            scored.cosine = a.zip(b).map(|(a, b)| embedding_cosine(&a, &b));
            scored.features.semantic = scored.cosine;
        }
    }

    let mut scorers = vec![
        evaluate("lexical", &train, &test, |s| Some(s.lexical), false),
        evaluate(
            "lexical, number penalty",
            &train,
            &test,
            |s| Some(s.lexical),
            true,
        ),
    ];
    if embedder.is_some() {
        scorers.extend([
            evaluate("embedding cosine", &train, &test, |s| s.cosine, false),
            evaluate("combined", &train, &test, Scored::combined, false),
            evaluate(
                "combined, number penalty",
                &train,
                &test,
                Scored::combined,
                true,
            ),
        ]);
    }
    let semantic = embedder.is_some();
    let mut models: Vec<ModelResult> = FEATURE_SETS
        .iter()
        .filter(|set| semantic || !set.semantic)
        .map(|set| fit_and_evaluate(set, &train, &test))
        .collect();
    for (name, model) in [
        ("paraphrase_probability, no model", false),
        ("paraphrase_probability, model", true),
    ] {
        if model && !semantic {
            continue;
        }
        models.push(evaluate_constants(name, model, &train, &test));
    }
    let always = Confusion {
        tp: count(&test, true),
        fp: count(&test, false),
        tn: 0,
        fn_: 0,
    };

    let mut engines = BTreeMap::new();
    engines.insert("lexical", detect_changes(&test, None));
    if embedder.is_some() {
        engines.insert("semantic", detect_changes(&test, Some(&vectors)));
    }

    let report = Report {
        command: command_line.to_owned(),
        data: dir.display().to_string(),
        model: embedder.as_ref().map(|e| e.dir().display().to_string()),
        train_pairs: train.len(),
        test_pairs: test.len(),
        test_paraphrases: count(&test, true),
        always_paraphrase: Figures::of(always),
        scorers,
        models,
        changes: engines,
    };
    print!("{}", report.table());
    if args.fit {
        print!("{}", report.rust_coefficients());
    }
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)? + "\n";
        std::fs::write(path, json).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    if let Some(path) = &args.scores {
        write_scores(path, &train, &test)?;
    }
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// All tokens of a document, as one bag: the segmenter may split one corpus sentence in two.
fn bag(doc: &Analyzed) -> Vec<Token> {
    doc.sentences
        .iter()
        .flat_map(|s| s.tokens.iter().cloned())
        .collect()
}

/// The aligner's lexical score of two sentences (`retrace_align::Aligner::align`): ids of A
/// first, near-spelled names of B aliased to A's, then the cosine of the IDF-weighted vectors.
fn lexical(a: &Analyzed, b: &Analyzed, weights: &TermWeights) -> f32 {
    let tokens_a: Vec<&Token> = a.sentences.iter().flat_map(|s| &s.tokens).collect();
    let tokens_b: Vec<&Token> = b.sentences.iter().flat_map(|s| &s.tokens).collect();
    let mut vocabulary = Vocabulary::new();
    for token in &tokens_a {
        vocabulary.id(&token.stem);
    }
    vocabulary.alias_near_names(&tokens_a, &tokens_b);
    let va = TermVector::new(tokens_a.iter().copied(), &mut vocabulary, weights);
    let vb = TermVector::new(tokens_b.iter().copied(), &mut vocabulary, weights);
    va.cosine(&vb)
}

/// True when both sentences state at least one number and their sets of numbers differ.
///
/// Numbers are number tokens after analysis (separators removed, "two" read as 2). A sentence
/// without numbers does not count as disagreeing: leaving a figure out is common in a
/// paraphrase, while stating another figure is a different claim.
fn numbers_disagree(a: &Analyzed, b: &Analyzed) -> bool {
    let numbers = |doc: &Analyzed| -> BTreeSet<String> {
        doc.sentences
            .iter()
            .flat_map(|s| &s.tokens)
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.stem.clone())
            .collect()
    };
    let (na, nb) = (numbers(a), numbers(b));
    !na.is_empty() && !nb.is_empty() && na != nb
}

/// Embeds every distinct sentence text of the pairs, from the cache when it matches.
fn embed_all<'s>(
    embedder: &Embedder,
    pairs: impl Iterator<Item = &'s Scored>,
    cache_path: &Path,
) -> anyhow::Result<BTreeMap<String, Vec<f32>>> {
    let mut texts: BTreeSet<&str> = BTreeSet::new();
    for scored in pairs {
        for doc in [&scored.a, &scored.b] {
            texts.extend((0..doc.sentences.len()).map(|k| doc.sentence_text(k)));
        }
    }
    let texts: Vec<&str> = texts.into_iter().collect();
    let key = cache::key(embedder.dir(), &texts)?;
    let vectors = if let Some(vectors) =
        cache::load(cache_path, key, texts.len(), retrace_embed::DIMENSIONS)
    {
        eprintln!(
            "embeddings of {} sentences read from {}",
            texts.len(),
            cache_path.display()
        );
        vectors
    } else {
        let started = Instant::now();
        let mut vectors = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(EMBED_CHUNK) {
            vectors.extend(embedder.embed(chunk).context("embedding sentences")?);
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "embedded {}/{} sentences ({:.0}/s)",
                vectors.len(),
                texts.len(),
                vectors.len() as f64 / seconds.max(1e-9)
            );
        }
        cache::store(cache_path, key, &vectors)?;
        vectors
    };
    Ok(texts.into_iter().map(str::to_owned).zip(vectors).collect())
}

/// A document's embedding: its sentences' vectors summed and scaled to unit length, as the
/// aligner scores a group of two sentences.
fn doc_embedding(doc: &Analyzed, vectors: &BTreeMap<String, Vec<f32>>) -> Option<Vec<f32>> {
    let mut sum: Option<Vec<f32>> = None;
    for k in 0..doc.sentences.len() {
        let v = vectors.get(doc.sentence_text(k))?;
        match &mut sum {
            None => sum = Some(v.clone()),
            Some(s) => s.iter_mut().zip(v).for_each(|(x, y)| *x += y),
        }
    }
    let mut sum = sum?;
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        sum.iter_mut().for_each(|x| *x /= norm);
    }
    Some(sum)
}

fn count(pairs: &[Scored], paraphrase: bool) -> u32 {
    let n = pairs
        .iter()
        .filter(|s| s.pair.paraphrase == paraphrase)
        .count();
    u32::try_from(n).expect("fewer than 4 billion pairs")
}

/// Accuracy, F1, precision and recall of the paraphrase class, with the counts.
#[derive(Debug, Serialize)]
struct Figures {
    accuracy: f64,
    f1: f64,
    precision: f64,
    recall: f64,
    confusion: Confusion,
}

impl Figures {
    fn of(confusion: Confusion) -> Figures {
        Figures {
            accuracy: confusion.accuracy(),
            f1: confusion.f1(),
            precision: confusion.precision(),
            recall: confusion.recall(),
            confusion,
        }
    }
}

/// One scorer's decision rule and how it did.
#[derive(Debug, Serialize)]
struct ScorerResult {
    name: &'static str,
    /// The decision, in words.
    decision: String,
    threshold: f32,
    /// Subtracted from the score when the two sentences state different numbers.
    number_penalty: f32,
    train_accuracy: f64,
    test: Figures,
}

/// Chooses the penalty and threshold on `train` and measures them on `test`.
fn evaluate(
    name: &'static str,
    train: &[Scored],
    test: &[Scored],
    score: impl Fn(&Scored) -> Option<f32>,
    with_penalty: bool,
) -> ScorerResult {
    let decide = |pairs: &[Scored], penalty: f32| -> (Vec<f32>, Vec<bool>) {
        pairs
            .iter()
            .map(|s| {
                let penalty = if s.numbers_disagree { penalty } else { 0.0 };
                // A pair without a score (no embedding) cannot be a paraphrase.
                (
                    score(s).map_or(f32::NEG_INFINITY, |x| x - penalty),
                    s.pair.paraphrase,
                )
            })
            .unzip()
    };
    let penalties: &[f32] = if with_penalty { &PENALTIES } else { &[0.0] };
    let mut best: Option<(f64, f32, f32)> = None;
    for &penalty in penalties {
        let (scores, labels) = decide(train, penalty);
        let threshold = best_threshold(&scores, &labels);
        let accuracy = Confusion::at(&scores, &labels, threshold).accuracy();
        if best.is_none_or(|(a, _, _)| accuracy > a) {
            best = Some((accuracy, penalty, threshold));
        }
    }
    let (train_accuracy, penalty, threshold) = best.expect("at least one penalty");
    let (scores, labels) = decide(test, penalty);
    let decision = if with_penalty {
        format!(
            "paraphrase when score - {penalty:.2} x [both state numbers and they differ] >= {threshold:.4}"
        )
    } else {
        format!("paraphrase when score >= {threshold:.4}")
    };
    ScorerResult {
        name,
        decision,
        threshold,
        number_penalty: penalty,
        train_accuracy,
        test: Figures::of(Confusion::at(&scores, &labels, threshold)),
    }
}

/// A set of pair features that a logistic regression is fitted on.
struct FeatureSet {
    name: &'static str,
    /// Indexes into [`PairFeatures::values`].
    lexical: &'static [usize],
    /// Whether the embedding cosine is a feature too.
    semantic: bool,
}

/// The ablation, from the lexical cosine alone to every feature (indexes into
/// [`FEATURE_NAMES`]). The sets with every lexical feature (without and with the model) are
/// the ones [`Report::rust_coefficients`] prints.
const FEATURE_SETS: [FeatureSet; 7] = [
    FeatureSet {
        name: "LR lexical",
        lexical: &[0],
        semantic: false,
    },
    FeatureSet {
        name: "LR + unmatched mass",
        lexical: &[0, 1, 2, 9],
        semantic: false,
    },
    FeatureSet {
        name: "LR + numbers, names",
        lexical: &[0, 1, 2, 9, 3, 4, 5],
        semantic: false,
    },
    FeatureSet {
        name: "LR + length, order, trigrams",
        lexical: &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        semantic: false,
    },
    FeatureSet {
        name: "LR cosine + lexical",
        lexical: &[0],
        semantic: true,
    },
    FeatureSet {
        name: "LR cosine + unmatched, numbers",
        lexical: &[0, 1, 2, 9, 3, 4, 5],
        semantic: true,
    },
    FeatureSet {
        name: "LR all + embeddings",
        lexical: &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        semantic: true,
    },
];

impl FeatureSet {
    fn row(&self, features: &PairFeatures) -> Vec<f64> {
        let values = features.values();
        let mut row: Vec<f64> = self.lexical.iter().map(|&k| f64::from(values[k])).collect();
        if self.semantic {
            row.push(f64::from(features.semantic.unwrap_or(0.0)));
        }
        row
    }
}

/// One logistic regression and how it did.
#[derive(Debug, Serialize)]
struct ModelResult {
    name: &'static str,
    /// Whether the embedding cosine took part.
    semantic: bool,
    /// The log-odds at all-zero features.
    intercept: f64,
    /// Weight per feature name, on raw feature values.
    weights: BTreeMap<&'static str, f64>,
    /// Accuracy on train at probability 0.5.
    train_accuracy: f64,
    /// Figures on test at probability 0.5.
    test: Figures,
    /// The probability threshold that maximizes training accuracy.
    tuned_threshold: f32,
    /// Figures on test at `tuned_threshold`.
    test_tuned: Figures,
}

/// Figures of `probability >= 0.5` and of the threshold tuned on train.
fn decide(
    name: &'static str,
    semantic: bool,
    coefficients: (f64, BTreeMap<&'static str, f64>),
    probability: impl Fn(&Scored) -> f32,
    train: &[Scored],
    test: &[Scored],
) -> ModelResult {
    let scores = |pairs: &[Scored]| -> (Vec<f32>, Vec<bool>) {
        pairs
            .iter()
            .map(|s| (probability(s), s.pair.paraphrase))
            .unzip()
    };
    let (train_scores, train_labels) = scores(train);
    let (test_scores, test_labels) = scores(test);
    let tuned = best_threshold(&train_scores, &train_labels);
    ModelResult {
        name,
        semantic,
        intercept: coefficients.0,
        weights: coefficients.1,
        train_accuracy: Confusion::at(&train_scores, &train_labels, 0.5).accuracy(),
        test: Figures::of(Confusion::at(&test_scores, &test_labels, 0.5)),
        tuned_threshold: tuned,
        test_tuned: Figures::of(Confusion::at(&test_scores, &test_labels, tuned)),
    }
}

/// Fits a logistic regression on the training pairs and measures it on the test pairs.
fn fit_and_evaluate(set: &FeatureSet, train: &[Scored], test: &[Scored]) -> ModelResult {
    let rows: Vec<Vec<f64>> = train.iter().map(|s| set.row(&s.features)).collect();
    let labels: Vec<bool> = train.iter().map(|s| s.pair.paraphrase).collect();
    let model = logistic::fit(&rows, &labels, logistic::L2, logistic::ITERATIONS);
    let mut weights: BTreeMap<&'static str, f64> = set
        .lexical
        .iter()
        .zip(&model.weights)
        .map(|(&k, &w)| (FEATURE_NAMES[k], w))
        .collect();
    if set.semantic {
        weights.insert("semantic", model.weights[set.lexical.len()]);
    }
    #[allow(clippy::cast_possible_truncation, reason = "a probability")]
    let probability = |s: &Scored| model.probability(&set.row(&s.features)) as f32;
    decide(
        set.name,
        set.semantic,
        (model.intercept, weights),
        probability,
        train,
        test,
    )
}

/// Measures the coefficients compiled into `retrace-align` ([`paraphrase_probability`]),
/// with the embedding cosine when `model` is true and without it otherwise.
fn evaluate_constants(
    name: &'static str,
    model: bool,
    train: &[Scored],
    test: &[Scored],
) -> ModelResult {
    let coefficients: Coefficients = if model {
        retrace_align::similarity::SEMANTIC_COEFFICIENTS
    } else {
        retrace_align::similarity::LEXICAL_COEFFICIENTS
    };
    let mut weights: BTreeMap<&'static str, f64> = FEATURE_NAMES
        .iter()
        .zip(coefficients.weights)
        .map(|(&n, w)| (n, f64::from(w)))
        .collect();
    weights.insert("semantic", f64::from(coefficients.semantic));
    let probability = |s: &Scored| {
        let mut features = s.features;
        if !model {
            features.semantic = None;
        }
        paraphrase_probability(&features)
    };
    decide(
        name,
        model,
        (f64::from(coefficients.intercept), weights),
        probability,
        train,
        test,
    )
}

/// What the pair engine made of the test pairs of one label.
#[derive(Debug, Default, Serialize)]
struct ChangeCounts {
    pairs: u32,
    /// Pairs with at least one aligned sentence pair.
    aligned: u32,
    /// Pairs per relation.
    relations: BTreeMap<&'static str, u32>,
    /// Pairs with at least one change of any kind.
    any_change: u32,
    /// Pairs with at least one number_changed, date_changed or name_changed.
    typed_change: u32,
    /// Pairs with at least one change of each kind.
    kinds: BTreeMap<&'static str, u32>,
}

/// The engine's figures on the non-paraphrase and the paraphrase test pairs.
#[derive(Debug, Serialize)]
struct EngineCounts {
    non_paraphrase: ChangeCounts,
    paraphrase: ChangeCounts,
}

/// Aligns and judges every test pair, with sentence embeddings attached when `vectors` is given.
fn detect_changes(test: &[Scored], vectors: Option<&BTreeMap<String, Vec<f32>>>) -> EngineCounts {
    let aligner = Aligner::default();
    let judge = Judge::default();
    let attach = |doc: &Analyzed| -> Analyzed {
        let mut doc = doc.clone();
        if let Some(vectors) = vectors {
            for k in 0..doc.sentences.len() {
                let v = vectors.get(doc.sentence_text(k)).cloned();
                doc.sentences[k].embedding = v;
            }
        }
        doc
    };
    let mut counts = EngineCounts {
        non_paraphrase: ChangeCounts::default(),
        paraphrase: ChangeCounts::default(),
    };
    for scored in test {
        let (a, b) = (attach(&scored.a), attach(&scored.b));
        let alignment = aligner.align(&a, &b);
        let verdict = judge.judge(&a, &b, &alignment);
        let c = if scored.pair.paraphrase {
            &mut counts.paraphrase
        } else {
            &mut counts.non_paraphrase
        };
        c.pairs += 1;
        c.aligned += u32::from(!alignment.pairs.is_empty());
        *c.relations.entry(verdict.relation.as_str()).or_default() += 1;
        let kinds: BTreeSet<ChangeKind> = verdict.changes.iter().map(|ch| ch.kind).collect();
        c.any_change += u32::from(!kinds.is_empty());
        c.typed_change += u32::from(kinds.iter().any(|k| {
            matches!(
                k,
                ChangeKind::NumberChanged | ChangeKind::DateChanged | ChangeKind::NameChanged
            )
        }));
        for kind in kinds {
            *c.kinds.entry(kind.as_str()).or_default() += 1;
        }
    }
    counts
}

/// Everything the run measured; printed as a table and written as JSON.
#[derive(Debug, Serialize)]
struct Report {
    command: String,
    data: String,
    model: Option<String>,
    train_pairs: usize,
    test_pairs: usize,
    test_paraphrases: u32,
    always_paraphrase: Figures,
    scorers: Vec<ScorerResult>,
    /// Logistic regressions over pair features, fitted on train.
    models: Vec<ModelResult>,
    /// Change detection per engine ("lexical", and "semantic" with the model).
    changes: BTreeMap<&'static str, EngineCounts>,
}

impl Report {
    fn table(&self) -> String {
        let mut out = String::new();
        let pct = |x: f64| format!("{:.1}", 100.0 * x);
        let _ = writeln!(
            out,
            "MRPC: {} train pairs, {} test pairs ({} paraphrases, {}%)",
            self.train_pairs,
            self.test_pairs,
            self.test_paraphrases,
            pct(f64::from(self.test_paraphrases) / self.test_pairs.max(1) as f64)
        );
        let _ = writeln!(out, "data:  {}", self.data);
        let _ = writeln!(
            out,
            "model: {}",
            self.model.as_deref().unwrap_or("none (lexical only)")
        );
        let _ = writeln!(
            out,
            "\nThreshold (and number penalty) chosen for accuracy on train; figures on test, paraphrase class."
        );
        let _ = writeln!(
            out,
            "{:<28} {:>9} {:>7} {:>9} {:>8} {:>6} {:>6} {:>6}",
            "scorer", "threshold", "penalty", "train acc", "test acc", "F1", "P", "R"
        );
        let row = |out: &mut String, name: &str, t: &str, p: &str, train: &str, f: &Figures| {
            let _ = writeln!(
                out,
                "{:<28} {:>9} {:>7} {:>9} {:>8} {:>6} {:>6} {:>6}",
                name,
                t,
                p,
                train,
                pct(f.accuracy),
                pct(f.f1),
                pct(f.precision),
                pct(f.recall)
            );
        };
        row(
            &mut out,
            "always paraphrase",
            "-",
            "-",
            "-",
            &self.always_paraphrase,
        );
        for s in &self.scorers {
            row(
                &mut out,
                s.name,
                &format!("{:.4}", s.threshold),
                &format!("{:.2}", s.number_penalty),
                &pct(s.train_accuracy),
                &s.test,
            );
        }
        let _ = writeln!(
            out,
            "\nLogistic regression on pair features, fitted on train; test figures at p >= 0.5 and at the p chosen on train."
        );
        let _ = writeln!(
            out,
            "{:<34} {:>9} {:>8} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8} {:>6}",
            "model", "train acc", "test acc", "F1", "P", "R", "tuned p", "test acc", "F1", ""
        );
        for m in &self.models {
            let _ = writeln!(
                out,
                "{:<34} {:>9} {:>8} {:>6} {:>6} {:>6} {:>6.3} {:>8} {:>8}",
                m.name,
                pct(m.train_accuracy),
                pct(m.test.accuracy),
                pct(m.test.f1),
                pct(m.test.precision),
                pct(m.test.recall),
                m.tuned_threshold,
                pct(m.test_tuned.accuracy),
                pct(m.test_tuned.f1),
            );
        }
        for (engine, counts) in &self.changes {
            let _ = writeln!(
                out,
                "\nPair engine ({engine}): Aligner::default + Judge::default on each test pair"
            );
            let _ = writeln!(
                out,
                "{:<28} {:>14} {:>14}",
                "", "non-paraphrase", "paraphrase"
            );
            let line = |out: &mut String, name: &str, f: &dyn Fn(&ChangeCounts) -> u32| {
                let _ = writeln!(
                    out,
                    "{:<28} {:>14} {:>14}",
                    name,
                    f(&counts.non_paraphrase),
                    f(&counts.paraphrase)
                );
            };
            line(&mut out, "pairs", &|c| c.pairs);
            line(&mut out, "aligned (>= 1 pair)", &|c| c.aligned);
            for relation in ["duplicate", "excerpt", "rewrite", "same_story", "unrelated"] {
                line(&mut out, &format!("  relation {relation}"), &|c| {
                    c.relations.get(relation).copied().unwrap_or(0)
                });
            }
            line(&mut out, "any change", &|c| c.any_change);
            line(&mut out, "number/date/name change", &|c| c.typed_change);
            for kind in ChangeKind::ALL {
                let name = kind.as_str();
                line(&mut out, &format!("  {name}"), &|c| {
                    c.kinds.get(name).copied().unwrap_or(0)
                });
            }
        }
        let _ = writeln!(out, "\nreproduce: {}", self.command);
        out
    }
}

impl Report {
    /// The constants of `retrace_align::similarity` for the full feature sets, in Rust.
    fn rust_coefficients(&self) -> String {
        let mut out = String::from("\n// FITTED COEFFICIENTS BEGIN\n");
        let full = FEATURE_SETS
            .iter()
            .filter(|set| set.lexical.len() == FEATURES);
        for set in full {
            let Some(m) = self.models.iter().find(|m| m.name == set.name) else {
                continue;
            };
            let (constant, what) = if set.semantic {
                (
                    "SEMANTIC_COEFFICIENTS",
                    "Coefficients for sentences scored with all-MiniLM-L6-v2 embeddings.",
                )
            } else {
                (
                    "LEXICAL_COEFFICIENTS",
                    "Coefficients for sentences scored without a model.",
                )
            };
            let _ = writeln!(out, "/// {what}");
            let _ = writeln!(out, "///");
            let _ = writeln!(
                out,
                "/// Fitted on the MRPC training split ({}): {} Newton steps, L2 {} on",
                set.name,
                logistic::ITERATIONS,
                logistic::L2
            );
            let _ = writeln!(
                out,
                "/// standardized features. Train accuracy {:.1}%; test accuracy {:.1}%, F1 {:.1}%",
                100.0 * m.train_accuracy,
                100.0 * m.test.accuracy,
                100.0 * m.test.f1
            );
            let _ = writeln!(
                out,
                "/// at p >= 0.5. Refit and print with `cargo run --release -p retrace-eval -- mrpc --fit`."
            );
            let _ = writeln!(out, "pub const {constant}: Coefficients = Coefficients {{");
            let _ = writeln!(out, "    intercept: {:?},", m.intercept as f32);
            let _ = writeln!(out, "    weights: [");
            for name in FEATURE_NAMES {
                let w = m.weights.get(name).copied().unwrap_or(0.0);
                let _ = writeln!(out, "        {:?}, // {name}", w as f32);
            }
            let _ = writeln!(out, "    ],");
            let semantic = m.weights.get("semantic").copied().unwrap_or(0.0);
            let _ = writeln!(out, "    semantic: {:?},", semantic as f32);
            let _ = writeln!(out, "}};\n");
        }
        out.push_str("// FITTED COEFFICIENTS END\n");
        out
    }
}

/// Writes one JSON object per pair: split, ids, label and scores.
fn write_scores(path: &Path, train: &[Scored], test: &[Scored]) -> anyhow::Result<()> {
    let mut out = String::new();
    for (split, pairs) in [("train", train), ("test", test)] {
        for s in pairs {
            let numbers = |doc: &Analyzed| -> Vec<String> {
                bag(doc)
                    .into_iter()
                    .filter(|t| t.kind == TokenKind::Number)
                    .map(|t| t.stem)
                    .collect()
            };
            let line = serde_json::json!({
                "split": split,
                "ids": [s.pair.ids.0, s.pair.ids.1],
                "paraphrase": s.pair.paraphrase,
                "lexical": s.lexical,
                "cosine": s.cosine,
                "combined": s.combined(),
                "numbers_disagree": s.numbers_disagree,
                "numbers": [numbers(&s.a), numbers(&s.b)],
                "sentences": [s.a.sentences.len(), s.b.sentences.len()],
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    std::fs::write(path, out).with_context(|| format!("{}: cannot write", path.display()))
}
