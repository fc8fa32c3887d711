//! A file of sentence embeddings, so that a second run skips the model.
//!
//! The file is valid for one model and one list of sentences: its key is an xxh3 hash of the
//! model's three files and of every sentence in order. A file with another key, or one that
//! cannot be read, is recomputed and replaced; it is never trusted partly.
//!
//! Layout, little-endian: the magic `RTEMB1\0\0`, the key (u64), the number of vectors (u64),
//! the dimensions (u64), then the vectors' f32 values in order.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 8] = b"RTEMB1\0\0";

/// The files of a model directory that decide its output.
const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// The cache key of `sentences` embedded by the model in `model_dir`.
pub(crate) fn key(model_dir: &Path, sentences: &[&str]) -> anyhow::Result<u64> {
    let mut hasher = Xxh3::new();
    for file in MODEL_FILES {
        let path = model_dir.join(file);
        let bytes = fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        hasher.update(file.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    for sentence in sentences {
        // The length prefix keeps ["ab", "c"] and ["a", "bc"] apart.
        hasher.update(&(sentence.len() as u64).to_le_bytes());
        hasher.update(sentence.as_bytes());
    }
    Ok(hasher.digest())
}

/// The vectors stored under `key` at `path`, or `None` when the file is absent, unreadable or
/// for another key.
pub(crate) fn load(
    path: &Path,
    key: u64,
    count: usize,
    dimensions: usize,
) -> Option<Vec<Vec<f32>>> {
    let bytes = fs::read(path).ok()?;
    let (header, body) = bytes.split_at_checked(32)?;
    let word = |k: usize| u64::from_le_bytes(header[k * 8..][..8].try_into().expect("8 bytes"));
    if &header[..8] != MAGIC
        || word(1) != key
        || word(2) != count as u64
        || word(3) != dimensions as u64
        || body.len() != count * dimensions * 4
    {
        return None;
    }
    let values: Vec<f32> = body
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    Some(
        values
            .chunks_exact(dimensions)
            .map(<[f32]>::to_vec)
            .collect(),
    )
}

/// Writes `vectors` under `key` to `path`, through a temporary file renamed into place so that
/// an interrupted run leaves no truncated cache.
pub(crate) fn store(path: &Path, key: u64, vectors: &[Vec<f32>]) -> anyhow::Result<()> {
    let dimensions = vectors.first().map_or(0, Vec::len);
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let mut bytes = Vec::with_capacity(32 + vectors.len() * dimensions * 4);
    bytes.extend_from_slice(MAGIC);
    for word in [key, vectors.len() as u64, dimensions as u64] {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    for value in vectors.iter().flatten() {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    let tmp = path.with_extension("tmp");
    let mut file =
        fs::File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("{}: cannot write", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("{}: cannot rename into place", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_key_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cache.bin");
        let vectors = vec![vec![0.5, -1.0, 2.0], vec![0.0, 1.5, -0.25]];
        store(&path, 7, &vectors).unwrap();
        assert_eq!(load(&path, 7, 2, 3), Some(vectors));
        assert_eq!(load(&path, 8, 2, 3), None);
        assert_eq!(load(&path, 7, 3, 3), None);
        assert_eq!(load(&dir.path().join("absent.bin"), 7, 2, 3), None);
    }
}
