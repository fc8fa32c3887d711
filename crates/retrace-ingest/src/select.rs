//! One record of a container, named as retrace prints origins: `FILE@OFFSET`,
//! `FILE@gunzip:OFFSET`, `FILE:LINE`.

use std::path::{Path, PathBuf};

use retrace_span::{Origin, RecordAt};

use crate::{Error, ErrorKind, Input, Options, RawDoc, open};

/// A record asked for by its place in a file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Wanted {
    file: PathBuf,
    at: RecordAt,
    /// The place as written, for messages.
    written: String,
}

impl Wanted {
    /// `arg` as a record's origin, when it names no existing path itself and the part before
    /// its last `@` or `:` is an existing file.
    pub(crate) fn parse(arg: &str) -> Option<Wanted> {
        if arg == "-" || Path::new(arg).exists() {
            return None;
        }
        if let Some((file, place)) = arg.rsplit_once('@') {
            let at = match place.strip_prefix("gunzip:") {
                Some(offset) => RecordAt::Unpacked(number(offset)?),
                None => RecordAt::Offset(number(place)?),
            };
            return Wanted::new(file, at, format!("@{place}"));
        }
        let (file, line) = arg.rsplit_once(':')?;
        Wanted::new(file, RecordAt::Line(number(line)?), format!(":{line}"))
    }

    fn new(file: &str, at: RecordAt, written: String) -> Option<Wanted> {
        let file = PathBuf::from(file);
        file.is_file().then_some(Wanted { file, at, written })
    }
}

/// Digits only, with or without thousands separators as retrace prints them.
fn number(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(|&c| c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Reads the records of the file until the wanted one (a record that cannot be read is that
/// record's error; the others are passed over).
pub(crate) fn read(wanted: &Wanted, options: &Options) -> Result<RawDoc, Error> {
    let input = Input::Path(wanted.file.clone());
    for item in open(&input, options) {
        let origin = match &item {
            Ok(doc) => &doc.origin,
            Err(err) => &err.origin,
        };
        if let Origin::Record { at, .. } = origin
            && *at == wanted.at
        {
            return item;
        }
    }
    Err(Error::new(
        input.origin(),
        ErrorKind::NoRecordAt {
            at: wanted.written.clone(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_parse_only_after_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("feed.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let name = file.display().to_string();
        let wanted = Wanted::parse(&format!("{name}:12")).unwrap();
        assert_eq!(wanted.at, RecordAt::Line(12));
        let wanted = Wanted::parse(&format!("{name}@1,204")).unwrap();
        assert_eq!(wanted.at, RecordAt::Offset(1204));
        let wanted = Wanted::parse(&format!("{name}@gunzip:77")).unwrap();
        assert_eq!(wanted.at, RecordAt::Unpacked(77));
        assert_eq!(Wanted::parse(&name), None, "an existing file is itself");
        assert_eq!(Wanted::parse(&format!("{name}:x")), None);
        assert_eq!(Wanted::parse("missing.jsonl:3"), None, "no such file");
        assert_eq!(Wanted::parse("-"), None);
    }
}
