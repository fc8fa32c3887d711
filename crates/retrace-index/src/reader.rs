//! Read snapshots lent to many threads ([`IndexReader`]), as tantivy's `IndexReader` lends
//! searchers.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::{Error, Index, Snapshot};

/// Lends read snapshots of one index to many threads at once. Each read takes an idle handle
/// (or opens one: opening checks the schema), reads through a snapshot of it, and gives the
/// handle back, so that a server opens about as many handles as it runs reads at once, not one
/// per request. A reader never sees a half-added batch, and never waits for a writer.
///
/// ```
/// use retrace_index::{Index, Read};
/// let dir = tempfile::tempdir().unwrap();
/// let reader = Index::create_or_open(dir.path()).unwrap().reader();
/// let found = std::thread::scope(|scope| {
///     let handles: Vec<_> = (0..4)
///         .map(|_| scope.spawn(|| reader.read(|snapshot| snapshot.find("https://a.example/1"))))
///         .collect();
///     handles.into_iter().filter_map(|h| h.join().unwrap().unwrap()).count()
/// });
/// assert_eq!(found, 0);
/// // Each thread gave its handle back.
/// assert!((1..=4).contains(&reader.idle()));
/// ```
#[derive(Debug)]
pub struct IndexReader {
    dir: PathBuf,
    idle: Mutex<Vec<Index>>,
}

impl Index {
    /// A reader of this index, which keeps this handle as its first idle one.
    pub fn reader(self) -> IndexReader {
        let dir = self
            .path
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf);
        IndexReader {
            dir,
            idle: Mutex::new(vec![self]),
        }
    }
}

impl IndexReader {
    /// A reader of the index in `dir`, opened now (a missing or foreign index fails here).
    pub fn open(dir: &Path) -> Result<IndexReader, Error> {
        Ok(Index::open(dir)?.reader())
    }

    /// Runs `read` on a snapshot of the index, on the calling thread.
    pub fn read<T, E: From<Error>>(
        &self,
        read: impl FnOnce(&Snapshot<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let held = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let mut index = match held {
            Some(index) => index,
            None => Index::open(&self.dir)?,
        };
        let result = {
            let snapshot = index.snapshot()?;
            read(&snapshot)
        };
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(index);
        }
        result
    }

    /// Handles open and idle now.
    pub fn idle(&self) -> usize {
        self.idle.lock().map_or(0, |idle| idle.len())
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
