//! The schema: creating a new index database, and bringing one of an older schema up to date.

use std::path::{Path, PathBuf};

use retrace_sketch::Bands;
use rusqlite::{Connection, OptionalExtension, params};

use crate::{
    APPLICATION_ID, BAND_THRESHOLD, Error, Result, SCHEMA_VERSION, codec, retrieve, sql_error,
};

pub(crate) const SCHEMA: &str = "
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- A document's sketch and metadata come before its raw text: SQLite reads a row's columns in
-- order, and candidates need sketches, not the text (which spills to overflow pages).
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    fingerprint BLOB NOT NULL,
    words INTEGER NOT NULL,
    minhash BLOB NOT NULL,
    anchors BLOB NOT NULL,
    terms BLOB NOT NULL,
    batch INTEGER NOT NULL,
    origin TEXT NOT NULL,
    place TEXT,
    url TEXT, site TEXT, title TEXT, published TEXT,
    format TEXT NOT NULL,
    charset TEXT NOT NULL,
    charset_from TEXT NOT NULL,
    replaced INTEGER NOT NULL,
    record_id TEXT, record_url TEXT, record_title TEXT, record_date TEXT, record_fetched TEXT,
    raw TEXT NOT NULL
);
CREATE INDEX documents_fingerprint ON documents (fingerprint);
CREATE INDEX documents_place ON documents (place);
CREATE TABLE band_postings (key INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)) WITHOUT ROWID;
-- With each anchor posting, its document's site (per-site templates) and its counts of anchors
-- and words, which decide whether a few shared anchors make a candidate without reading the
-- document's row.
CREATE TABLE anchor_postings (key INTEGER NOT NULL, doc INTEGER NOT NULL, site INTEGER,
    anchors INTEGER NOT NULL, words INTEGER NOT NULL,
    PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE term_postings (key INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)) WITHOUT ROWID;
-- How many documents hold each name or number (the rows of term_postings per key): which of a
-- document's names are its rarest is decided by these counts, one lookup each.
CREATE TABLE term_counts (key INTEGER PRIMARY KEY, holders INTEGER NOT NULL);
-- Each document's rarest names and numbers by those counts (see retrieve::resettle).
-- With each row, the document's bound: the (holders, name) of its rarest eligible name that is
-- not among its rarest (NULL: not known; a count of 2^63-1: there is none).
CREATE TABLE rare_terms (key INTEGER NOT NULL, doc INTEGER NOT NULL,
    bound_count INTEGER, bound_term INTEGER,
    PRIMARY KEY (key, doc)) WITHOUT ROWID;
-- A document's rarest and bound from the index alone (covering: no lookup per row).
CREATE INDEX rare_terms_doc ON rare_terms (doc, bound_count, bound_term);
CREATE TABLE pairs (
    a INTEGER NOT NULL, b INTEGER NOT NULL,
    relation TEXT NOT NULL,
    source INTEGER,
    confidence REAL NOT NULL,
    coverage_a REAL NOT NULL, coverage_b REAL NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX pairs_b ON pairs (b);
-- Every candidate pair, with what the two sketches share, and whether the plan judges it
-- (its judgement, when related, is in pairs): see the plan module.
CREATE TABLE candidates (
    a INTEGER NOT NULL, b INTEGER NOT NULL,
    minima INTEGER NOT NULL, anchors REAL NOT NULL, terms INTEGER NOT NULL,
    planned INTEGER NOT NULL,
    PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX candidates_b ON candidates (b);
-- Near-copy clusters: each member's representative (the representative's is itself).
CREATE TABLE clusters (doc INTEGER PRIMARY KEY, representative INTEGER NOT NULL);
CREATE INDEX clusters_representative ON clusters (representative);
-- Stories (components of the derivation pairs) by their least document id, kept up to date by
-- each batch: see the stories module.
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    members INTEGER NOT NULL,
    newest TEXT,
    duplicates INTEGER NOT NULL, excerpts INTEGER NOT NULL, rewrites INTEGER NOT NULL);
CREATE INDEX stories_newest ON stories (newest);
CREATE TABLE story_of (doc INTEGER PRIMARY KEY, story INTEGER NOT NULL);
CREATE INDEX story_of_story ON story_of (story);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    committed TEXT NOT NULL,
    added INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
    removed INTEGER NOT NULL, pairs INTEGER NOT NULL);
";

/// What `meta` says of the sketches this build makes.
pub(crate) fn expected_meta(bands: Bands) -> [(&'static str, String); 2] {
    [
        ("sketch_version", retrace_sketch::SKETCH_VERSION.to_string()),
        ("lsh_bands", format!("{}x{}", bands.bands(), bands.rows())),
    ]
}

/// Writes the schema into an empty database, in WAL mode.
pub(crate) fn initialize(conn: &Connection) -> rusqlite::Result<()> {
    // WAL first: it is a property of the file, kept by every later connection.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; \
         PRAGMA user_version = {SCHEMA_VERSION};"
    ))?;
    for (name, value) in &expected_meta(Bands::for_threshold(BAND_THRESHOLD)) {
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)",
            params![name, value],
        )?;
    }
    conn.execute_batch("COMMIT")
}

/// Brings an index of schema 4, 5 or 6 to 7, in one transaction. From 4: the counts of holders
/// of each name and number (from the postings) and each document's rarest by them, with their
/// bounds (every later batch keeps both up to date). From 5: the rarest's bounds, not known (the first batch that
/// changes one of a document's rarest looks at it and stores its bound). From 6: the index of
/// each document's rarest covers their bounds.
pub(crate) fn upgrade(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    let covering = "DROP INDEX rare_terms_doc;
         CREATE INDEX rare_terms_doc ON rare_terms (doc, bound_count, bound_term);";
    if from == 6 {
        return conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {covering} PRAGMA user_version = 7; COMMIT;"
        ));
    }
    if from == 5 {
        return conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;
             ALTER TABLE rare_terms ADD COLUMN bound_count INTEGER;
             ALTER TABLE rare_terms ADD COLUMN bound_term INTEGER;
             {covering}
             PRAGMA user_version = 7;
             COMMIT;"
        ));
    }
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         CREATE TABLE term_counts (key INTEGER PRIMARY KEY, holders INTEGER NOT NULL);
         INSERT INTO term_counts (key, holders)
             SELECT key, count(*) FROM term_postings GROUP BY key;
         CREATE TABLE rare_terms (key INTEGER NOT NULL, doc INTEGER NOT NULL,
             bound_count INTEGER, bound_term INTEGER,
             PRIMARY KEY (key, doc)) WITHOUT ROWID;
         CREATE INDEX rare_terms_doc ON rare_terms (doc, bound_count, bound_term);",
    )?;
    let filled = (|| {
        let mut documents = conn.prepare("SELECT id, terms FROM documents")?;
        let mut count = conn.prepare("SELECT holders FROM term_counts WHERE key = ?1")?;
        let mut insert = conn.prepare(
            "INSERT INTO rare_terms (key, doc, bound_count, bound_term) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut rows = documents.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let terms = codec::from_u64s(&row.get::<_, Vec<u8>>(1)?).unwrap_or_default();
            let (rarest, bound) = retrieve::rarest_by(&terms, |term| {
                let n: Option<i64> = count
                    .query_row([codec::key(term)], |row| row.get(0))
                    .optional()?;
                Ok::<_, rusqlite::Error>(n.unwrap_or(0).max(0) as u64)
            })?;
            let (bound_count, bound_term) = retrieve::bound_columns(bound);
            for term in rarest {
                insert.execute(params![codec::key(term), id, bound_count, bound_term])?;
            }
        }
        Ok(())
    })();
    match filled {
        Ok(()) => conn.execute_batch("PRAGMA user_version = 7; COMMIT;"),
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(err)
        }
    }
}

/// Creates a new index database at `path` all at once: built under another name and renamed
/// into place, so that a writer killed while creating it leaves no index rather than an empty
/// file that is not one. The caller holds the folder's lock ([`Index::create_or_open`]): the
/// files of a build that was killed are removed, never those of one under way.
pub(crate) fn create_database(path: &Path) -> Result<()> {
    let mut building = path.as_os_str().to_owned();
    building.push(".new");
    let building = PathBuf::from(building);
    let io = |source| Error::Io {
        path: building.clone(),
        source,
    };
    for suffix in ["", "-wal", "-shm"] {
        let mut stale = building.as_os_str().to_owned();
        stale.push(suffix);
        match std::fs::remove_file(&stale) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(io(err)),
            _ => {}
        }
    }
    {
        let conn = Connection::open(&building).map_err(sql_error(&building))?;
        initialize(&conn).map_err(sql_error(&building))?;
        // Closing checkpoints the log into the file and removes it.
        conn.close().map_err(|(_, err)| sql_error(&building)(err))?;
    }
    std::fs::rename(&building, path).map_err(io)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)
            .and_then(|dir| dir.sync_all())
            .map_err(io)?;
    }
    Ok(())
}
