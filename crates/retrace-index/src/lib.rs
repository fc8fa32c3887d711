//! The persistent index of retrace: documents, their sketches, the postings that find
//! candidates, and judged pairs, in one SQLite database (WAL mode), growing batch by batch.
//!
//! - Input: documents as ingest reads them ([`RawDoc`]), with what extraction found (key, title,
//!   site, date) and their [`Sketch`]; pairs as the pair engine judged them.
//! - Output: for any sketch, the indexed documents worth comparing with it ([`Read::candidates`]),
//!   found through postings (sub-linear in the size of the index) by the same rules as `retrace
//!   scan` ([`retrace_sketch::evidence`]); documents read back as [`RawDoc`]s for the pair engine;
//!   the story of a document (the documents linked to it by judged pairs).
//!
//! One writer at a time ([`Index::batch`] opens an immediate transaction; a second writer waits
//! for it); any number of readers, which see the index as of the last committed batch and never a
//! half-written one (WAL snapshots). A batch is one transaction: a writer killed in the middle
//! leaves the index as it was before the batch. [`Index::check`] verifies the database and that
//! every document's postings are exactly those of its sketch.
//!
//! The schema is versioned ([`SCHEMA_VERSION`], in `PRAGMA user_version`) and so are the sketch
//! parameters ([`retrace_sketch::SKETCH_VERSION`] and the band layout, in the `meta` table):
//! opening an index written by another version is an error that says so, never a wrong answer.

#![deny(missing_docs)]

mod batch;
mod check;
mod codec;
mod plan;
mod reader;
mod retrieve;
mod schema;
mod stories;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use retrace_ingest::{CharsetFrom, Decoding, Format, RawDoc, RecordMeta};
use retrace_sketch::{Bands, Fingerprint, Sketch};
use retrace_span::Origin;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use schema::{create_database, expected_meta, initialize, upgrade};

pub use reader::IndexReader;
pub use retrieve::{Candidate, Resettled, Retrieval};
pub use stories::{StoryFilter, StoryRow};

/// The version of the tables below; an index of another version is refused.
///
/// 2: documents without a URL are keyed by where they were read (`place`), not by their words,
/// and stored pairs follow scan's rules on both sides (issue 13).
/// 3: candidate pairs and near-copy clusters are stored, and only the pairs of scan's plan are
/// judged (issue 15).
/// 4: stories are stored, updated by each batch (issue 15).
pub const SCHEMA_VERSION: i64 = 7;

/// `PRAGMA application_id` of a retrace index ("RTRC"), so that another SQLite database is not
/// mistaken for one.
pub const APPLICATION_ID: i32 = 0x5254_5243;

/// The database's file name inside the index folder.
pub const DB_FILE: &str = "index.sqlite";

/// The LSH threshold of the stored band keys (the estimated Jaccard at which a near-copy is
/// found with probability one half).
pub const BAND_THRESHOLD: f64 = 0.5;

/// SQLite's page cache per connection, in KiB.
const CACHE_KIB: i64 = 64 * 1024;

/// How much of the database file is read through a memory map.
const MMAP_BYTES: i64 = 4 << 30;

/// How long a writer waits for another writer, or a reader for a checkpoint, in milliseconds.
const BUSY_TIMEOUT_MS: u64 = 60_000;

/// What went wrong with an index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index at that path.
    #[error("{path}: no retrace index here", path = .path.display())]
    Missing {
        /// The database file looked for.
        path: PathBuf,
    },
    /// A SQLite database that is not a retrace index.
    #[error("{path}: not a retrace index (a SQLite database of another program)", path = .path.display())]
    NotAnIndex {
        /// The database file.
        path: PathBuf,
    },
    /// An index written by another schema or sketch version.
    #[error(
        "{path}: index written with {what} {found}; this retrace reads {expected}: rebuild it \
         from its documents into a new folder",
        path = .path.display()
    )]
    Version {
        /// The database file.
        path: PathBuf,
        /// What differs: "schema version", "sketch version", "LSH bands".
        what: &'static str,
        /// What the index holds.
        found: String,
        /// What this build writes.
        expected: String,
    },
    /// A stored value that cannot be what this version wrote.
    #[error("{path}: document {id}: {what} (the index is damaged)", path = .path.display())]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// The document's row id.
        id: i64,
        /// What is wrong.
        what: String,
    },
    /// SQLite failed.
    #[error("{path}: {source}", path = .path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The folder could not be created.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// A result of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// A document's row id in the index.
pub type DocId = i64;

/// An open index.
#[derive(Debug)]
pub struct Index {
    conn: Connection,
    path: PathBuf,
    bands: Bands,
}

/// How a document was put into the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// A new key.
    Added(DocId),
    /// A known key with other words: its sketch, postings and text replaced, its pairs dropped.
    Updated(DocId),
    /// A known key with the same words: nothing changed (its origin and metadata refreshed).
    Unchanged(DocId),
}

impl Put {
    /// The document's row id.
    pub fn id(self) -> DocId {
        match self {
            Put::Added(id) | Put::Updated(id) | Put::Unchanged(id) => id,
        }
    }
}

/// What the index stores of a document besides its raw text and sketch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Its identity: the URL; without one, where it was read ([`Meta::place`]); read from
    /// standard input or a request without one, `text:` and the fingerprint of its words.
    pub key: String,
    /// Where it was read from, as shown to people (`feed.jsonl:17`).
    pub origin: String,
    /// Where it was read from, with the file's absolute path (`/data/feed.jsonl:17`), the same
    /// whatever folder the command ran in; `None` for standard input. `retrace index remove`
    /// finds documents by it.
    pub place: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The article's site.
    pub site: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The publication time, as written.
    pub published: Option<String>,
}

/// One judged pair, as stored: `a < b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// The first document.
    pub a: DocId,
    /// The second document.
    pub b: DocId,
    /// `duplicate`, `excerpt`, `rewrite` or `same_story`.
    pub relation: String,
    /// The document the other was taken from, when known.
    pub source: Option<DocId>,
    /// The judge's confidence.
    pub confidence: f64,
    /// Share of `a` aligned with `b`, and of `b` with `a`.
    pub coverage: (f64, f64),
    /// How many changes the judge typed.
    pub changes: u32,
}

/// Counts for `retrace index stats`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    /// Documents.
    pub documents: u64,
    /// Bytes of their raw text.
    pub raw_bytes: u64,
    /// LSH band postings.
    pub band_postings: u64,
    /// Anchor postings.
    pub anchor_postings: u64,
    /// Name and number postings.
    pub term_postings: u64,
    /// Candidate pairs (judged or stood for by a judged pair).
    pub candidate_pairs: u64,
    /// Documents in near-copy clusters.
    pub clustered: u64,
    /// Judged pairs by relation.
    pub pairs: Vec<(String, u64)>,
    /// Committed batches.
    pub batches: u64,
    /// Size of the database files on disk (with the write-ahead log).
    pub disk_bytes: u64,
    /// The schema version.
    pub schema_version: i64,
}

impl Index {
    /// Opens the index in `dir` for writing, creating the folder and the database when they do
    /// not exist.
    ///
    /// Writers that create the same new index at once take turns: the database is created
    /// under an exclusive lock on the folder (released when it is in place), so one of them
    /// builds it and the others open it (issue 13, item 17).
    pub fn create_or_open(dir: &Path) -> Result<Index> {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let path = dir.join(DB_FILE);
        if !path.exists() {
            // A lock on the folder itself leaves no lock file behind. It is released when
            // `folder` is dropped, also when this process dies.
            let folder = std::fs::File::open(dir).map_err(io)?;
            folder.lock().map_err(io)?;
            if !path.exists() {
                create_database(&path)?;
            }
        }
        Index::open_with(dir, true)
    }

    /// Opens an existing index (for reading, or writing with [`Index::batch`]).
    pub fn open(dir: &Path) -> Result<Index> {
        Index::open_with(dir, false)
    }

    fn open_with(dir: &Path, create: bool) -> Result<Index> {
        let path = dir.join(DB_FILE);
        if !create && !path.is_file() {
            return Err(Error::Missing { path });
        }
        let sql = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | if create {
                OpenFlags::SQLITE_OPEN_CREATE
            } else {
                OpenFlags::empty()
            };
        let conn = Connection::open_with_flags(&path, flags).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(sql)?;
        // Every statement of a lookup and a batch stays prepared (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        let application_id: i32 = conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(|source| match source {
                rusqlite::Error::SqliteFailure(e, _)
                    if e.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    Error::NotAnIndex { path: path.clone() }
                }
                source => sql(source),
            })?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(sql)?;
        let bands = Bands::for_threshold(BAND_THRESHOLD);
        let expected_sketch = expected_meta(bands);
        if tables == 0 && application_id == 0 {
            // An empty database file (made by something else, or by `touch`).
            if !create {
                return Err(Error::Missing { path });
            }
            initialize(&conn).map_err(sql)?;
        } else if application_id != APPLICATION_ID {
            return Err(Error::NotAnIndex { path });
        }
        let mut version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(sql)?;
        if (4..SCHEMA_VERSION).contains(&version) {
            upgrade(&conn, version).map_err(sql)?;
            version = SCHEMA_VERSION;
        }
        if version != SCHEMA_VERSION {
            return Err(Error::Version {
                path,
                what: "schema version",
                found: version.to_string(),
                expected: SCHEMA_VERSION.to_string(),
            });
        }
        for (name, expected) in expected_sketch {
            let found: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(sql)?;
            if found.as_deref() != Some(expected.as_str()) {
                return Err(Error::Version {
                    path,
                    what: if name == "lsh_bands" {
                        "LSH bands"
                    } else {
                        "sketch version"
                    },
                    found: found.unwrap_or_else(|| "none".into()),
                    expected,
                });
            }
        }
        // A commit is on disk when `add` says so; one sync per batch costs nothing.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        // Postings are looked up key by key: SQLite's own page cache (2 MB by default) and
        // memory-mapped reads save a system call and a copy per page.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(sql)?;
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)
            .map_err(sql)?;
        Ok(Index { conn, path, bands })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a batch: one transaction, which takes the write lock now (a second writer waits
    /// for the first's batch to end). Dropped without [`Batch::commit`], it is rolled back.
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let path = self.path.clone();
        let sql = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let id: i64 = tx
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM batches", [], |row| {
                row.get(0)
            })
            .map_err(sql)?;
        Ok(Batch {
            tx,
            path,
            bands: self.bands,
            id,
            counts: BatchCounts::default(),
            terms: BTreeMap::new(),
            touched: BTreeSet::new(),
            stories_touched: BTreeSet::new(),
            holders: Default::default(),
            fresh: BTreeSet::new(),
        })
    }

    /// A read snapshot: every read through it sees the index as of one committed batch, however
    /// many batches a writer commits meanwhile. Dropped, it ends.
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)
            .map_err(|source| Error::Sqlite {
                path: path.clone(),
                source,
            })?;
        Ok(Snapshot {
            tx,
            path,
            bands: self.bands,
        })
    }

    /// Counts of what the index holds.
    pub fn stats(&mut self) -> Result<Stats> {
        let db = self.path.clone();
        let snapshot = self.snapshot()?;
        let sql = snapshot.sql();
        let count = |table: &str| -> Result<u64> {
            snapshot
                .tx
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .map_err(&sql)
        };
        let mut pairs = Vec::new();
        let mut statement = snapshot
            .tx
            .prepare("SELECT relation, count(*) FROM pairs GROUP BY relation ORDER BY relation")
            .map_err(&sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
            })
            .map_err(&sql)?;
        for row in rows {
            pairs.push(row.map_err(&sql)?);
        }
        drop(statement);
        let raw_bytes: i64 = snapshot
            .tx
            .query_row(
                "SELECT coalesce(sum(length(CAST(raw AS BLOB))), 0) FROM documents",
                [],
                |row| row.get(0),
            )
            .map_err(&sql)?;
        let disk_bytes = ["", "-wal"]
            .iter()
            .filter_map(|suffix| {
                let mut name = db.clone().into_os_string();
                name.push(suffix);
                std::fs::metadata(name).ok().map(|m| m.len())
            })
            .sum();
        Ok(Stats {
            documents: count("documents")?,
            raw_bytes: raw_bytes as u64,
            band_postings: count("band_postings")?,
            anchor_postings: count("anchor_postings")?,
            term_postings: count("term_postings")?,
            candidate_pairs: count("candidates")?,
            clustered: count("clusters")?,
            pairs,
            batches: count("batches")?,
            disk_bytes,
            schema_version: SCHEMA_VERSION,
        })
    }
}

/// A read snapshot of the index ([`Index::snapshot`]).
#[derive(Debug)]
pub struct Snapshot<'a> {
    tx: rusqlite::Transaction<'a>,
    path: PathBuf,
    bands: Bands,
}

/// A batch of writes ([`Index::batch`]): one transaction.
#[derive(Debug)]
pub struct Batch<'a> {
    tx: rusqlite::Transaction<'a>,
    path: PathBuf,
    bands: Bands,
    id: i64,
    counts: BatchCounts,
    /// How many more (or fewer) documents hold each name and number than before the batch:
    /// what [`Batch::resettle`] looks at.
    terms: BTreeMap<u64, i64>,
    /// Documents whose candidate pairs changed: their components are planned again
    /// ([`Batch::replan`]).
    touched: BTreeSet<DocId>,
    /// Documents whose judged pairs changed: their stories are computed again on commit.
    stories_touched: BTreeSet<DocId>,
    /// Holders of names and numbers looked up since the batch last put or removed a document
    /// (a batch looks up the candidates of all its documents after putting them all).
    holders: std::cell::RefCell<std::collections::HashMap<u64, u64>>,
    /// Documents put in this batch (added or updated) and not removed since.
    fresh: BTreeSet<DocId>,
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchCounts {
    /// Documents added.
    pub added: u64,
    /// Documents updated (a known key with other words).
    pub updated: u64,
    /// Documents put again unchanged.
    pub unchanged: u64,
    /// Documents removed.
    pub removed: u64,
    /// Judged pairs stored.
    pub pairs: u64,
}

impl Snapshot<'_> {
    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + use<> {
        sql_error(&self.path)
    }
}

impl Batch<'_> {
    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + use<> {
        sql_error(&self.path)
    }

    /// Runs one write statement (kept prepared); returns the rows it changed.
    fn execute(&self, statement: &str, params: impl rusqlite::Params) -> Result<usize> {
        self.tx
            .prepare_cached(statement)
            .and_then(|mut s| s.execute(params))
            .map_err(self.sql())
    }
}

/// Turns SQLite's errors into ours, naming the database.
pub(crate) fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + use<> {
    let path = path.to_path_buf();
    move |source| Error::Sqlite {
        path: path.clone(),
        source,
    }
}

/// The first column of the one row `sql` gives for `key`, if any.
pub(crate) fn value_of<R: Read + ?Sized, T: rusqlite::types::FromSql>(
    index: &R,
    sql: &str,
    key: DocId,
) -> Result<Option<T>> {
    let (conn, path, _) = index.parts();
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row([key], |row| row.get(0)).optional())
        .map_err(sql_error(path))
}

/// The rows `sql` gives for `key`, each made by `row`.
pub(crate) fn rows_of<R: Read + ?Sized, T>(
    index: &R,
    sql: &str,
    key: DocId,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let (conn, path, _) = index.parts();
    let sql_err = sql_error(path);
    let mut statement = conn.prepare_cached(sql).map_err(&sql_err)?;
    let rows = statement.query_map([key], row).map_err(&sql_err)?;
    rows.collect::<std::result::Result<_, _>>()
        .map_err(&sql_err)
}

/// The stored count of a term's holders.
fn count_holders<R: Read + ?Sized>(index: &R, term: u64) -> Result<u64> {
    let n: Option<i64> = value_of(
        index,
        "SELECT holders FROM term_counts WHERE key = ?1",
        codec::key(term),
    )?;
    Ok(n.map_or(0, |n| n.max(0) as u64))
}

pub(crate) fn corrupt<R: Read + ?Sized>(index: &R, id: DocId, what: &str) -> Error {
    Error::Corrupt {
        path: index.parts().1.to_path_buf(),
        id,
        what: what.to_string(),
    }
}

/// The reads of an index, on a [`Snapshot`] or inside a [`Batch`] (which sees its own writes).
pub trait Read {
    /// The connection (inside the snapshot's or batch's transaction), the database file and the
    /// band layout.
    #[doc(hidden)]
    fn parts(&self) -> (&Connection, &Path, Bands);

    /// The indexed documents worth comparing with `sketch`, a document of `site`; `exclude` is
    /// the document itself when it is in the index. See [`Retrieval`].
    fn candidates(
        &self,
        sketch: &Sketch,
        site: Option<&str>,
        exclude: Option<DocId>,
    ) -> Result<Retrieval> {
        retrieve::candidates(self, sketch, site, exclude)
    }

    /// How many documents hold a name or number ([`retrace_sketch::Sketch::terms`]).
    fn holders(&self, term: u64) -> Result<u64> {
        count_holders(self, term)
    }

    /// The document with this key, and the fingerprint of its words.
    fn find(&self, key: &str) -> Result<Option<(DocId, Fingerprint)>> {
        let found: Option<(i64, Vec<u8>)> = self
            .parts()
            .0
            .prepare_cached("SELECT id, fingerprint FROM documents WHERE key = ?1")
            .and_then(|mut s| {
                s.query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .map_err(sql_error(self.parts().1))?;
        match found {
            None => Ok(None),
            Some((id, blob)) => {
                let fingerprint = codec::from_fingerprint(&blob)
                    .ok_or_else(|| corrupt(self, id, "its fingerprint is not 16 bytes"))?;
                Ok(Some((id, fingerprint)))
            }
        }
    }

    /// A document's sketch and metadata.
    fn sketch(&self, id: DocId) -> Result<Option<(Sketch, Meta)>> {
        type Row = (Vec<u8>, i64, Vec<u8>, Vec<u8>, Vec<u8>, Meta);
        let row: Option<Row> = self
            .parts()
            .0
            .prepare_cached(
                "SELECT fingerprint, words, minhash, anchors, terms, key, origin, url, site, \
                 title, published, place FROM documents WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        meta_of_row(row, 5)?,
                    ))
                })
                .optional()
            })
            .map_err(sql_error(self.parts().1))?;
        let Some((fingerprint, words, minhash, anchors, terms, meta)) = row else {
            return Ok(None);
        };
        let sketch = Sketch {
            fingerprint: codec::from_fingerprint(&fingerprint)
                .ok_or_else(|| corrupt(self, id, "its fingerprint is not 16 bytes"))?,
            minhash: codec::from_minhash(&minhash)
                .ok_or_else(|| corrupt(self, id, "its MinHash is not 512 bytes"))?,
            anchors: codec::from_u64s(&anchors)
                .ok_or_else(|| corrupt(self, id, "its anchors are not 8-byte keys"))?,
            terms: codec::from_u64s(&terms)
                .ok_or_else(|| corrupt(self, id, "its names are not 8-byte keys"))?,
            words: u32::try_from(words).unwrap_or(u32::MAX),
        };
        Ok(Some((sketch, meta)))
    }

    /// A document as ingest read it, for the pair engine.
    fn raw(&self, id: DocId) -> Result<Option<RawDoc>> {
        type Row = (
            String,
            String,
            String,
            String,
            i64,
            [Option<String>; 5],
            String,
        );
        let row: Option<Row> = self
            .parts()
            .0
            .prepare_cached(
                "SELECT origin, format, charset, charset_from, replaced, record_id, record_url, \
                 record_title, record_date, record_fetched, raw FROM documents WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        [
                            row.get(5)?,
                            row.get(6)?,
                            row.get(7)?,
                            row.get(8)?,
                            row.get(9)?,
                        ],
                        row.get(10)?,
                    ))
                })
                .optional()
            })
            .map_err(sql_error(self.parts().1))?;
        let Some((
            origin,
            format,
            charset,
            charset_from,
            replaced,
            [rid, url, title, date, fetched],
            text,
        )) = row
        else {
            return Ok(None);
        };
        let format = match format.as_str() {
            "html" => Format::Html,
            "text" => Format::Text,
            other => return Err(corrupt(self, id, &format!("unknown format {other:?}"))),
        };
        Ok(Some(RawDoc {
            origin: Origin::Path(PathBuf::from(origin)),
            text,
            format,
            decoding: Decoding {
                charset: encoding_rs::Encoding::for_label(charset.as_bytes())
                    .map_or("UTF-8", |e| e.name()),
                by: charset_from_name(&charset_from),
                replaced: replaced as u64,
            },
            record: RecordMeta {
                id: rid,
                url,
                title,
                date,
                fetched,
            },
        }))
    }

    /// The postings a sketch should have, by table, keys in order.
    #[doc(hidden)]
    fn expected_postings(&self, sketch: &Sketch) -> [(&'static str, Vec<i64>); 3] {
        let sorted = |keys: &mut dyn Iterator<Item = u64>| {
            let mut keys: Vec<i64> = keys.map(codec::key).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        [
            (
                "band_postings",
                sorted(&mut self.parts().2.keys(&sketch.minhash)),
            ),
            (
                "anchor_postings",
                sorted(&mut sketch.anchors.iter().copied()),
            ),
            ("term_postings", sorted(&mut sketch.terms.iter().copied())),
        ]
    }

    /// The judged pairs a document is in.
    fn pairs_of(&self, id: DocId) -> Result<Vec<Pair>> {
        let mut statement = self
            .parts()
            .0
            .prepare_cached(
                "SELECT a, b, relation, source, confidence, coverage_a, coverage_b, changes \
                 FROM pairs WHERE a = ?1 UNION ALL \
                 SELECT a, b, relation, source, confidence, coverage_a, coverage_b, changes \
                 FROM pairs WHERE b = ?1 ORDER BY a, b",
            )
            .map_err(sql_error(self.parts().1))?;
        let rows = statement
            .query_map([id], pair_of_row)
            .map_err(sql_error(self.parts().1))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(sql_error(self.parts().1))
    }

    /// The story of documents: every document linked to them by judged pairs where one is
    /// taken from the other (duplicate, excerpt, rewrite), transitively, and those pairs.
    /// `same_story` pairs do not join stories (see `retrace scan`). At most `limit` documents.
    fn story(&self, start: &[DocId], limit: usize) -> Result<(Vec<DocId>, Vec<Pair>)> {
        let mut seen: std::collections::BTreeSet<DocId> = start.iter().copied().collect();
        let mut queue: Vec<DocId> = seen.iter().copied().collect();
        let mut pairs: std::collections::BTreeMap<(DocId, DocId), Pair> = Default::default();
        while let Some(id) = queue.pop() {
            for pair in self.pairs_of(id)? {
                if pair.relation == "same_story" {
                    continue;
                }
                for other in [pair.a, pair.b] {
                    if seen.len() < limit && seen.insert(other) {
                        queue.push(other);
                    }
                }
                if seen.contains(&pair.a) && seen.contains(&pair.b) {
                    pairs.insert((pair.a, pair.b), pair);
                }
            }
        }
        Ok((seen.into_iter().collect(), pairs.into_values().collect()))
    }

    /// Every judged pair where one document is taken from the other (duplicate, excerpt,
    /// rewrite), in order: what stories are made of.
    fn derivation_pairs(&self) -> Result<Vec<Pair>> {
        let mut statement = self
            .parts()
            .0
            .prepare_cached(
                "SELECT a, b, relation, source, confidence, coverage_a, coverage_b, changes \
                 FROM pairs WHERE relation != 'same_story' ORDER BY a, b",
            )
            .map_err(sql_error(self.parts().1))?;
        let rows = statement
            .query_map([], pair_of_row)
            .map_err(sql_error(self.parts().1))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(sql_error(self.parts().1))
    }

    /// The representative of a document's near-copy cluster (itself when it is the
    /// representative), or `None` when it is in no cluster.
    fn representative(&self, id: DocId) -> Result<Option<DocId>> {
        plan::representative(self, id)
    }

    /// The members of the near-copy cluster a representative stands for, itself included, in
    /// order, with their keys; empty when it stands for none.
    fn cluster(&self, representative: DocId) -> Result<Vec<(DocId, String)>> {
        plan::cluster(self, representative)
    }

    /// One page of the stories that pass `filter`, newest first (undated last, then by id),
    /// and how many pass it in all: read from the stories table, not assembled.
    fn story_list(
        &self,
        filter: &StoryFilter<'_>,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<StoryRow>)> {
        stories::story_list(self, filter, offset, limit)
    }

    /// The story a document is in, by its least document id; `None` when it is in none.
    fn story_id_of(&self, id: DocId) -> Result<Option<DocId>> {
        stories::story_id_of(self, id)
    }

    /// A document's metadata, without its sketch.
    fn meta(&self, id: DocId) -> Result<Option<Meta>> {
        self.parts()
            .0
            .prepare_cached(
                "SELECT key, origin, url, site, title, published, place FROM documents \
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.query_row([id], |row| meta_of_row(row, 0)).optional())
            .map_err(sql_error(self.parts().1))
    }

    /// How many documents the index holds.
    fn documents(&self) -> Result<u64> {
        self.parts()
            .0
            .query_row("SELECT count(*) FROM documents", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(sql_error(self.parts().1))
    }
}

impl Read for Snapshot<'_> {
    fn parts(&self) -> (&Connection, &Path, Bands) {
        (&self.tx, &self.path, self.bands)
    }
}

impl Read for Batch<'_> {
    fn parts(&self) -> (&Connection, &Path, Bands) {
        (&self.tx, &self.path, self.bands)
    }

    fn holders(&self, term: u64) -> Result<u64> {
        if let Some(&n) = self.holders.borrow().get(&term) {
            return Ok(n);
        }
        let n = count_holders(self, term)?;
        self.holders.borrow_mut().insert(term, n);
        Ok(n)
    }
}

/// A document's metadata from the columns `key, origin, url, site, title, published, place` of
/// a row, starting at column `at`.
fn meta_of_row(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Meta> {
    Ok(Meta {
        key: row.get(at)?,
        origin: row.get(at + 1)?,
        url: row.get(at + 2)?,
        site: row.get(at + 3)?,
        title: row.get(at + 4)?,
        published: row.get(at + 5)?,
        place: row.get(at + 6)?,
    })
}

/// A pair from a row of `SELECT a, b, relation, source, confidence, coverage_a, coverage_b,
/// changes`.
fn pair_of_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Pair> {
    Ok(Pair {
        a: row.get(0)?,
        b: row.get(1)?,
        relation: row.get(2)?,
        source: row.get(3)?,
        confidence: row.get(4)?,
        coverage: (row.get(5)?, row.get(6)?),
        changes: row.get::<_, i64>(7)? as u32,
    })
}

fn charset_from_name(name: &str) -> CharsetFrom {
    match name {
        "bom" => CharsetFrom::Bom,
        "http" => CharsetFrom::Http,
        "meta" => CharsetFrom::Meta,
        "detected" => CharsetFrom::Detected,
        _ => CharsetFrom::Utf8,
    }
}

/// The key of a site's name stored with anchor postings
/// ([`retrace_sketch::evidence::site_key`]).
pub fn site_hash(site: &str) -> i64 {
    codec::key(retrace_sketch::evidence::site_key(site))
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_sketch::Sketcher;

    /// Prose of `sentences` sentences of pseudo-random words from a 400-word vocabulary, the
    /// same for the same `seed`.
    fn prose(seed: u64, sentences: usize) -> String {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let syllables = [
            "ka", "lo", "mi", "tes", "ran", "vu", "do", "pel", "si", "nor",
        ];
        (0..sentences)
            .map(|_| {
                let words: Vec<String> = (0..12)
                    .map(|_| {
                        let n = next() % 400;
                        format!(
                            "{}{}{}",
                            syllables[(n % 10) as usize],
                            syllables[(n / 10 % 10) as usize],
                            syllables[(n / 100) as usize]
                        )
                    })
                    .collect();
                format!("{}.", words.join(" "))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn doc(key: &str, text: &str) -> (RawDoc, Meta, Sketch) {
        let raw = RawDoc::new(
            Origin::Path(PathBuf::from(format!("{key}.txt"))),
            text.to_string(),
            Format::Text,
        );
        let meta = Meta {
            key: key.to_string(),
            origin: format!("{key}.txt"),
            site: Some("example.org".into()),
            ..Meta::default()
        };
        (raw, meta, Sketcher::default().sketch(text))
    }

    fn put(index: &mut Index, docs: &[(RawDoc, Meta, Sketch)]) -> Vec<Put> {
        let mut batch = index.batch().unwrap();
        let puts = docs
            .iter()
            .map(|(raw, meta, sketch)| batch.put(raw, meta, sketch).unwrap())
            .collect();
        batch.commit().unwrap();
        puts
    }

    /// Documents that share one sentence, each naming ten of twenty people, so that pairs by
    /// names come and go as the counts of names change (a document's rarest are eight).
    fn named_docs() -> Vec<(RawDoc, Meta, Sketch)> {
        let names = [
            "Arvel", "Brisco", "Calder", "Dunmore", "Ellery", "Fenwick", "Garrow", "Halvard",
            "Ingram", "Jessop", "Kenward", "Lathom", "Merrow", "Norland", "Orrin", "Pellew",
            "Quarles", "Redvers", "Stanmer", "Tolland",
        ];
        (0..18u64)
            .map(|i| {
                let step = 1 + i % 3;
                let who: Vec<&str> = (0..10)
                    .map(|k| names[((i + k * step) % 20) as usize])
                    .collect();
                let text = format!(
                    "The council met in the old hall to hear the report on the harbour. {} \
                     The report said {} met {}.",
                    prose(100 + i, 8),
                    who[..9].join(", "),
                    who[9]
                );
                doc(&format!("n{i}"), &text)
            })
            .collect()
    }

    /// Adds documents as `retrace index add` does, without judging: put, candidates, resettle,
    /// plan.
    fn add_unjudged(index: &mut Index, docs: &[&(RawDoc, Meta, Sketch)]) {
        let mut batch = index.batch().unwrap();
        let ids: Vec<DocId> = docs
            .iter()
            .map(|(raw, meta, sketch)| batch.put(raw, meta, sketch).unwrap().id())
            .collect();
        for (id, (_, meta, sketch)) in ids.iter().zip(docs) {
            let found = batch
                .candidates(sketch, meta.site.as_deref(), Some(*id))
                .unwrap();
            batch.put_candidates(*id, &found.candidates).unwrap();
        }
        batch.resettle().unwrap();
        batch.replan().unwrap();
        batch.commit().unwrap();
    }

    /// The candidate pairs by key, with whether each is planned.
    fn candidate_keys(index: &mut Index) -> Vec<(String, String, bool)> {
        let snapshot = index.snapshot().unwrap();
        let mut statement = snapshot
            .tx
            .prepare(
                "SELECT da.key, db.key, c.planned FROM candidates c \
                 JOIN documents da ON da.id = c.a JOIN documents db ON db.id = c.b",
            )
            .unwrap();
        let mut pairs: Vec<(String, String, bool)> = statement
            .query_map([], |row| {
                let (a, b): (String, String) = (row.get(0)?, row.get(1)?);
                Ok((a.clone().min(b.clone()), a.max(b), row.get(2)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        pairs.sort();
        pairs
    }

    #[test]
    fn pairs_by_names_do_not_depend_on_order_or_batches() {
        let docs = named_docs();
        let build = |order: Vec<usize>, batch: usize| {
            let dir = tempfile::tempdir().unwrap();
            let mut index = Index::create_or_open(dir.path()).unwrap();
            let docs: Vec<_> = order.iter().map(|&n| &docs[n]).collect();
            for chunk in docs.chunks(batch) {
                add_unjudged(&mut index, chunk);
            }
            assert_eq!(index.check().unwrap(), Vec::<String>::new());
            (candidate_keys(&mut index), dir, index)
        };
        let n = docs.len();
        let (all, _, _) = build((0..n).collect(), n);
        assert!(
            all.len() >= 5,
            "the documents pair by shared sentences and names: {all:?}"
        );
        for (order, batch) in [
            ((0..n).rev().collect::<Vec<_>>(), 1),
            ((0..n).map(|i| (i * 7) % n).collect(), 4),
            ((0..n).map(|i| (i * 5 + 3) % n).collect(), 3),
        ] {
            assert_eq!(build(order.clone(), batch).0, all, "{order:?} by {batch}");
        }

        // Removing documents leaves the pairs of an index that never had them.
        let (_, _dir, mut index) = build((0..n).collect(), 5);
        let mut batch = index.batch().unwrap();
        for key in ["n3", "n8", "n11"] {
            assert!(batch.remove(key).unwrap());
        }
        batch.resettle().unwrap();
        batch.replan().unwrap();
        batch.commit().unwrap();
        assert_eq!(index.check().unwrap(), Vec::<String>::new());
        let kept: Vec<usize> = (0..n).filter(|i| ![3, 8, 11].contains(i)).collect();
        assert_eq!(candidate_keys(&mut index), build(kept, n).0);
    }

    #[test]
    fn an_index_of_schema_4_or_5_is_brought_up_to_date_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let docs = named_docs();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        add_unjudged(&mut index, &docs.iter().collect::<Vec<_>>());
        let current = candidate_keys(&mut index);
        index
            .conn
            .execute_batch(
                "DROP TABLE term_counts; DROP TABLE rare_terms; PRAGMA user_version = 4;",
            )
            .unwrap();
        drop(index);
        let mut index = Index::open(dir.path()).unwrap();
        assert_eq!(index.stats().unwrap().schema_version, SCHEMA_VERSION);
        assert_eq!(index.check().unwrap(), Vec::<String>::new());
        assert_eq!(candidate_keys(&mut index), current);

        // Schema 5: the rarest without their bounds. More documents after the upgrade pair as
        // in an index built by this version.
        let half = docs.len() / 2;
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        add_unjudged(&mut index, &docs[..half].iter().collect::<Vec<_>>());
        index
            .conn
            .execute_batch(
                "CREATE TABLE r5 AS SELECT key, doc FROM rare_terms; DROP TABLE rare_terms;
                 CREATE TABLE rare_terms (key INTEGER NOT NULL, doc INTEGER NOT NULL,
                     PRIMARY KEY (key, doc)) WITHOUT ROWID;
                 INSERT INTO rare_terms SELECT key, doc FROM r5; DROP TABLE r5;
                 CREATE INDEX rare_terms_doc ON rare_terms (doc); PRAGMA user_version = 5;",
            )
            .unwrap();
        drop(index);
        let mut index = Index::open(dir.path()).unwrap();
        assert_eq!(index.check().unwrap(), Vec::<String>::new());
        add_unjudged(&mut index, &docs[half..].iter().collect::<Vec<_>>());
        assert_eq!(index.check().unwrap(), Vec::<String>::new());
        assert_eq!(candidate_keys(&mut index), current);
    }

    #[test]
    fn check_finds_counts_and_rarest_names_out_of_step() {
        let dir = tempfile::tempdir().unwrap();
        let docs = named_docs();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        add_unjudged(&mut index, &docs.iter().collect::<Vec<_>>());
        assert_eq!(index.check().unwrap(), Vec::<String>::new());
        index
            .conn
            .execute(
                "DELETE FROM rare_terms WHERE doc = (SELECT min(doc) FROM rare_terms)",
                [],
            )
            .unwrap();
        let problems = index.check().unwrap();
        assert!(
            problems.iter().any(|p| p.contains("rarest names stored")),
            "{problems:?}"
        );
        index
            .conn
            .execute(
                "UPDATE term_counts SET holders = holders + 1 WHERE key = (SELECT max(key) FROM term_counts)",
                [],
            )
            .unwrap();
        let problems = index.check().unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("counted with another number")),
            "{problems:?}"
        );
    }

    #[test]
    fn documents_are_added_updated_left_alone_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        let (a, b) = (prose(1, 20), prose(2, 20));
        let puts = put(&mut index, &[doc("a", &a), doc("b", &b)]);
        assert!(matches!(puts[..], [Put::Added(1), Put::Added(2)]));
        // The same words again: unchanged; other words under a known key: updated in place.
        let c = prose(3, 20);
        let puts = put(&mut index, &[doc("a", &a), doc("b", &c)]);
        assert_eq!(puts, vec![Put::Unchanged(1), Put::Updated(2)]);
        let stats = index.stats().unwrap();
        assert_eq!((stats.documents, stats.batches), (2, 2));
        let snapshot = index.snapshot().unwrap();
        assert_eq!(snapshot.raw(2).unwrap().unwrap().text, c);
        let (sketch, meta) = snapshot.sketch(2).unwrap().unwrap();
        assert_eq!(sketch, Sketcher::default().sketch(&c));
        assert_eq!(meta.key, "b");
        drop(snapshot);
        assert!(index.check().unwrap().is_empty());
        let mut batch = index.batch().unwrap();
        assert!(batch.remove("b").unwrap());
        assert!(batch.remove("1").unwrap(), "an index id removes too");
        assert!(!batch.remove("zzz").unwrap());
        batch.commit().unwrap();
        let stats = index.stats().unwrap();
        assert_eq!(stats.documents, 0);
        assert_eq!(stats.band_postings + stats.anchor_postings, 0);
        assert!(index.check().unwrap().is_empty());
    }

    #[test]
    fn an_excerpt_is_a_candidate_and_another_text_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        let source = prose(10, 40);
        let other = prose(11, 40);
        put(&mut index, &[doc("source", &source), doc("other", &other)]);
        let excerpt: String = source
            .split(". ")
            .skip(10)
            .take(6)
            .collect::<Vec<_>>()
            .join(". ");
        let sketch = Sketcher::default().sketch(&excerpt);
        let snapshot = index.snapshot().unwrap();
        let found = snapshot.candidates(&sketch, None, None).unwrap();
        let ids: Vec<DocId> = found.candidates.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![1]);
        assert_eq!(found.candidates[0].meta.key, "source");
        // Itself left out when it is in the index.
        let own = Sketcher::default().sketch(&source);
        let found = snapshot.candidates(&own, None, Some(1)).unwrap();
        assert!(found.candidates.is_empty());
    }

    #[test]
    fn a_story_pair_of_an_unknown_relation_is_an_error_not_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        let docs: Vec<_> = (0..2)
            .map(|n| doc(&format!("d{n}"), &prose(40 + n, 10)))
            .collect();
        put(&mut index, &docs);
        let mut batch = index.batch().unwrap();
        batch
            .put_pair(&Pair {
                a: 1,
                b: 2,
                relation: "paraphrase".into(),
                source: Some(1),
                confidence: 0.9,
                coverage: (1.0, 1.0),
                changes: 0,
            })
            .unwrap();
        let err = batch.commit().unwrap_err().to_string();
        assert!(err.contains("relation \"paraphrase\""), "{err}");
        // Nothing of the batch was kept.
        assert_eq!(index.stats().unwrap().pairs, Vec::new());
    }

    #[test]
    fn pairs_make_stories_and_go_with_their_documents() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        let docs: Vec<_> = (0..4)
            .map(|n| doc(&format!("d{n}"), &prose(20 + n, 10)))
            .collect();
        put(&mut index, &docs);
        let mut batch = index.batch().unwrap();
        let pair = |a, b, relation: &str| Pair {
            a,
            b,
            relation: relation.into(),
            source: Some(a),
            confidence: 0.9,
            coverage: (1.0, 0.5),
            changes: 0,
        };
        batch.put_pair(&pair(1, 2, "excerpt")).unwrap();
        batch.put_pair(&pair(3, 2, "rewrite")).unwrap();
        batch.put_pair(&pair(3, 4, "same_story")).unwrap();
        batch.commit().unwrap();
        let snapshot = index.snapshot().unwrap();
        let (ids, pairs) = snapshot.story(&[1], 100).unwrap();
        assert_eq!(ids, vec![1, 2, 3], "same_story does not join a story");
        assert_eq!(pairs.len(), 2);
        // Stored with a < b, coverage following the swap.
        let swapped = &pairs[1];
        assert_eq!((swapped.a, swapped.b, swapped.source), (2, 3, Some(3)));
        assert_eq!(swapped.coverage, (0.5, 1.0));
        // The stories table holds it, as committed.
        let all = StoryFilter::default();
        let (total, rows) = snapshot.story_list(&all, 0, 10).unwrap();
        assert_eq!(total, 1);
        assert_eq!(
            (
                rows[0].id,
                rows[0].members,
                rows[0].excerpts,
                rows[0].rewrites
            ),
            (1, 3, 1, 1)
        );
        assert_eq!(snapshot.story_id_of(3).unwrap(), Some(1));
        assert_eq!(snapshot.story_id_of(4).unwrap(), None);
        let rewrites = StoryFilter {
            relation: Some("duplicate"),
            ..StoryFilter::default()
        };
        assert_eq!(snapshot.story_list(&rewrites, 0, 10).unwrap().0, 0);
        drop(snapshot);
        // The source of the excerpt (key d0, id 1) goes: the story goes on without it, named
        // by its least member now.
        let mut batch = index.batch().unwrap();
        batch.remove("d0").unwrap();
        batch.commit().unwrap();
        let snapshot = index.snapshot().unwrap();
        assert_eq!(snapshot.story(&[1], 100).unwrap().0, vec![1]);
        let (total, rows) = snapshot.story_list(&all, 0, 10).unwrap();
        assert_eq!(total, 1);
        assert_eq!((rows[0].id, rows[0].members, rows[0].excerpts), (2, 2, 0));
        drop(snapshot);
        // Then the excerpt (d1, id 2): nothing derives from anything any more.
        let mut batch = index.batch().unwrap();
        batch.remove("d1").unwrap();
        batch.commit().unwrap();
        let snapshot = index.snapshot().unwrap();
        assert_eq!(snapshot.story(&[3], 100).unwrap().0, vec![3]);
        assert_eq!(snapshot.story_list(&all, 0, 10).unwrap(), (0, Vec::new()));
        assert_eq!(snapshot.story_id_of(3).unwrap(), None);
    }

    #[test]
    fn a_snapshot_sees_one_committed_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = Index::create_or_open(dir.path()).unwrap();
        put(&mut writer, &[doc("a", &prose(30, 10))]);
        let mut reader = Index::open(dir.path()).unwrap();
        let snapshot = reader.snapshot().unwrap();
        assert_eq!(snapshot.documents().unwrap(), 1);
        // A batch committed meanwhile, and one in progress.
        put(&mut writer, &[doc("b", &prose(31, 10))]);
        let mut batch = writer.batch().unwrap();
        let (raw, meta, sketch) = doc("c", &prose(32, 10));
        batch.put(&raw, &meta, &sketch).unwrap();
        assert_eq!(snapshot.documents().unwrap(), 1);
        drop(snapshot);
        assert_eq!(reader.snapshot().unwrap().documents().unwrap(), 2);
        drop(batch);
        assert_eq!(
            reader.stats().unwrap().documents,
            2,
            "a dropped batch rolls back"
        );
    }

    #[test]
    fn check_finds_postings_that_do_not_match_the_sketch() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        put(&mut index, &[doc("a", &prose(40, 10))]);
        index
            .conn
            .execute(
                "DELETE FROM anchor_postings WHERE key = (SELECT min(key) FROM anchor_postings)",
                [],
            )
            .unwrap();
        let problems = index.check().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("anchor_postings"), "{problems:?}");
    }

    /// Issue 13, item 17: writers creating the same new index at once all get it, and leave
    /// no files of the build behind.
    #[test]
    fn writers_creating_one_new_index_at_once_all_succeed() {
        for round in 0..10 {
            let dir = tempfile::tempdir().unwrap();
            let idx = dir.path().join("idx");
            let start = std::sync::Barrier::new(8);
            let results: Vec<Result<u64>> = std::thread::scope(|scope| {
                let writers: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            let mut index = Index::create_or_open(&idx)?;
                            index.stats().map(|stats| stats.documents)
                        })
                    })
                    .collect();
                writers.into_iter().map(|w| w.join().unwrap()).collect()
            });
            for result in results {
                assert_eq!(result.map_err(|e| e.to_string()), Ok(0), "round {round}");
            }
            // The live index's own WAL files may remain when the last two connections close
            // at the same moment (SQLite then leaves them for the next opener); nothing of the
            // build (`.new`, its WAL files) may.
            let (wal, shm) = (format!("{DB_FILE}-wal"), format!("{DB_FILE}-shm"));
            let mut files: Vec<String> = std::fs::read_dir(&idx)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                .filter(|name| *name != wal && *name != shm)
                .collect();
            files.sort();
            assert_eq!(files, vec![DB_FILE.to_string()], "round {round}");
            let mut index = Index::open(&idx).unwrap();
            assert!(index.check().unwrap().is_empty());
        }
    }

    #[test]
    fn documents_are_removed_by_where_they_were_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create_or_open(dir.path()).unwrap();
        let mut docs = vec![doc("a", &prose(50, 10)), doc("b", &prose(51, 10))];
        docs[0].1.place = Some("/data/feed.jsonl:1".into());
        docs[1].1.place = Some("/data/feed.jsonl:2".into());
        put(&mut index, &docs);
        let mut batch = index.batch().unwrap();
        assert_eq!(batch.remove_at("/data/feed.jsonl:2").unwrap(), 1);
        assert_eq!(batch.remove_at("/data/feed.jsonl:3").unwrap(), 0);
        batch.commit().unwrap();
        let snapshot = index.snapshot().unwrap();
        assert_eq!(snapshot.documents().unwrap(), 1);
        assert_eq!(
            snapshot.meta(1).unwrap().unwrap().place.as_deref(),
            Some("/data/feed.jsonl:1")
        );
    }

    #[test]
    fn other_versions_and_other_databases_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Index::open(dir.path()).unwrap_err(),
            Error::Missing { .. }
        ));
        let index = Index::create_or_open(dir.path()).unwrap();
        index.conn.pragma_update(None, "user_version", 99).unwrap();
        drop(index);
        let err = Index::open(dir.path()).unwrap_err();
        assert!(
            err.to_string().contains(&format!(
                "schema version 99; this retrace reads {SCHEMA_VERSION}"
            )),
            "{err}"
        );
        let index = Connection::open(dir.path().join(DB_FILE)).unwrap();
        index
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .unwrap();
        index
            .execute(
                "UPDATE meta SET value = '1' WHERE name = 'sketch_version'",
                [],
            )
            .unwrap();
        drop(index);
        let err = Index::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("sketch version 1"), "{err}");

        let other = tempfile::tempdir().unwrap();
        let db = Connection::open(other.path().join(DB_FILE)).unwrap();
        db.execute_batch("CREATE TABLE notes (text TEXT)").unwrap();
        drop(db);
        assert!(matches!(
            Index::open(other.path()).unwrap_err(),
            Error::NotAnIndex { .. }
        ));
        let garbage = tempfile::tempdir().unwrap();
        std::fs::write(garbage.path().join(DB_FILE), vec![7u8; 8192]).unwrap();
        assert!(matches!(
            Index::open(garbage.path()).unwrap_err(),
            Error::NotAnIndex { .. }
        ));
    }
}
