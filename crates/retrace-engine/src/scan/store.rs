//! The spill store: a scanned document's text and what the outputs show of it, in a temporary
//! file beside the output (a million documents' texts do not fit in memory), read back by
//! offset when a pair is judged.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use retrace_ingest::RecordMeta;

use super::Error;

/// What the store holds of one document: its text and what the reports show of it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Stored {
    pub(crate) record: RecordMeta,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) text: String,
}

impl Stored {
    /// Its fields, each as a little-endian `u32` length (`u32::MAX` for none) and the bytes.
    pub(crate) fn encode(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.text.len() + 256);
        let RecordMeta {
            id,
            url,
            title,
            date,
            fetched,
        } = &self.record;
        for field in [id, url, title, date, fetched, &self.title, &self.published] {
            put(&mut out, field.as_deref())?;
        }
        put(&mut out, Some(&self.text))?;
        Ok(out)
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Stored, Error> {
        let mut rest = bytes;
        let mut fields = Vec::with_capacity(8);
        for _ in 0..8 {
            let (len, tail) = rest.split_first_chunk::<4>().ok_or(Error::Corrupt)?;
            let len = u32::from_le_bytes(*len);
            if len == u32::MAX {
                fields.push(None);
                rest = tail;
                continue;
            }
            let (field, tail) = tail.split_at_checked(len as usize).ok_or(Error::Corrupt)?;
            fields.push(Some(
                String::from_utf8(field.to_vec()).map_err(|_| Error::Corrupt)?,
            ));
            rest = tail;
        }
        let mut fields = fields.into_iter();
        let mut next = || fields.next().flatten();
        Ok(Stored {
            record: RecordMeta {
                id: next(),
                url: next(),
                title: next(),
                date: next(),
                fetched: next(),
            },
            title: next(),
            published: next(),
            text: next().unwrap_or_default(),
        })
    }
}

/// Appends one length-prefixed field.
fn put(out: &mut Vec<u8>, field: Option<&str>) -> Result<(), Error> {
    match field {
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        Some(text) => {
            let len = u32::try_from(text.len())
                .ok()
                .filter(|&len| len != u32::MAX)
                .ok_or(Error::TooLarge)?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        }
    }
    Ok(())
}

/// The documents' texts and metadata, in a temporary file that disappears with the scan.
/// Appends are gathered in memory and written a megabyte at a time.
pub(crate) struct Store {
    file: Mutex<StoreFile>,
    end: u64,
}

struct StoreFile {
    file: File,
    /// Appended bytes not yet written, which start at `written`.
    pending: Vec<u8>,
    written: u64,
}

impl StoreFile {
    fn write_pending(&mut self) -> Result<(), Error> {
        self.file
            .seek(SeekFrom::Start(self.written))
            .and_then(|_| self.file.write_all(&self.pending))
            .map_err(Error::Write)?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

/// Bytes gathered before the store writes them out.
const STORE_BUFFER: usize = 1 << 20;

impl Store {
    pub(crate) fn create(dir: &std::path::Path) -> Result<Store, Error> {
        let file =
            tempfile::tempfile_in(dir).map_err(|err| Error::Create(dir.to_path_buf(), err))?;
        Ok(Store {
            file: Mutex::new(StoreFile {
                file,
                pending: Vec::with_capacity(STORE_BUFFER),
                written: 0,
            }),
            end: 0,
        })
    }

    pub(crate) fn append(&mut self, stored: &Stored) -> Result<(u64, usize), Error> {
        let bytes = stored.encode()?;
        let file = self.file.get_mut().unwrap_or_else(|p| p.into_inner());
        file.pending.extend_from_slice(&bytes);
        if file.pending.len() >= STORE_BUFFER {
            file.write_pending()?;
        }
        let at = self.end;
        self.end += bytes.len() as u64;
        Ok((at, bytes.len()))
    }

    pub(crate) fn read(&self, (at, len): (u64, usize)) -> Result<Stored, Error> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if at + len as u64 > file.written {
            file.write_pending()?;
        }
        let mut bytes = vec![0; len];
        file.file
            .seek(SeekFrom::Start(at))
            .and_then(|_| file.file.read_exact(&mut bytes))
            .map_err(Error::Read)?;
        Stored::decode(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_gives_back_what_it_was_given() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path()).unwrap();
        let full = Stored {
            record: RecordMeta {
                id: Some("urn:1".into()),
                url: Some("https://example.org/a".into()),
                title: None,
                date: Some(String::new()),
                fetched: Some("2026-11-25".into()),
            },
            title: Some("Floods in Kestrin".into()),
            published: None,
            text: "Water rose. \u{2014} \u{1f30a}\n".into(),
        };
        let empty = Stored::default();
        let (at_full, at_empty) = (store.append(&full).unwrap(), store.append(&empty).unwrap());
        assert_eq!(store.read(at_empty).unwrap(), empty);
        assert_eq!(store.read(at_full).unwrap(), full);
        assert!(Stored::decode(&full.encode().unwrap()[..20]).is_err());
    }
}
