//! Opening an input as a byte stream: gzip undone, the first bytes kept for sniffing, every
//! consumed byte counted so that records and breaks can be given offsets.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

/// How many bytes of a stream's start are examined to detect its format.
pub(crate) const SNIFF_BYTES: usize = 8 * 1024;

/// A buffered reader that counts the bytes consumed through it.
pub(crate) struct Counting<R> {
    inner: R,
    position: u64,
}

impl<R: BufRead> Counting<R> {
    pub(crate) fn new(inner: R) -> Counting<R> {
        Counting { inner, position: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn position(&self) -> u64 {
        self.position
    }

    /// Consumes line breaks (`\r`, `\n`); returns an I/O error from the stream, if any.
    pub(crate) fn skip_line_breaks(&mut self) -> io::Result<()> {
        loop {
            let buffer = self.fill_buf()?;
            let breaks = buffer
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let all = breaks == buffer.len();
            let empty = buffer.is_empty();
            self.consume(breaks);
            if empty || !all {
                return Ok(());
            }
        }
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.position += amount as u64;
        self.inner.consume(amount);
    }
}

/// A stream with its first bytes read ahead.
pub(crate) struct Peeked {
    /// Up to [`SNIFF_BYTES`] bytes from the start (fewer only when the stream is shorter).
    pub(crate) head: Vec<u8>,
    /// The whole stream again, head included.
    pub(crate) reader: Box<dyn Read + Send>,
}

/// Reads the head of `reader` without losing it. An error while reading the head (a gzip
/// stream cut short within its first kilobytes) is kept and raised again after the bytes
/// before it, so the records before the break still count.
pub(crate) fn peek(mut reader: Box<dyn Read + Send>) -> io::Result<Peeked> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let result = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head);
    let rest: Box<dyn Read + Send> = match result {
        Ok(_) => reader,
        Err(err) if head.is_empty() => return Err(err),
        Err(err) => Box::new(Failing(Some(err))),
    };
    let reader = Box::new(io::Cursor::new(head.clone()).chain(rest));
    Ok(Peeked { head, reader })
}

/// A reader that fails once with a stored error, then reads as empty.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(err) => Err(err),
            None => Ok(0),
        }
    }
}

/// True when the bytes start a gzip member.
pub(crate) fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// Where each gzip member of a stream starts, in the file and in the decompressed stream, for
/// a reader that wants to give its records the offsets CDX indexes give (a WARC.gz record's
/// offset is that of the gzip member it starts, so that a reader can seek to it).
#[derive(Debug, Default)]
pub(crate) struct MemberLog {
    /// False once nobody reads the log: starts are then no longer kept.
    pub(crate) wanted: bool,
    /// `(offset in the file, offset in the decompressed stream)` of members not yet looked up.
    pub(crate) starts: VecDeque<(u64, u64)>,
}

/// The shared handle of a [`MemberLog`].
pub(crate) type Members = Arc<Mutex<MemberLog>>;

impl MemberLog {
    /// The file offset of the member that starts exactly at `decompressed`, if one does;
    /// forgets the members before it.
    pub(crate) fn member_at(members: &Members, decompressed: u64) -> Option<u64> {
        let mut log = members
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while log.starts.front().is_some_and(|&(_, d)| d < decompressed) {
            log.starts.pop_front();
        }
        log.starts
            .front()
            .filter(|&&(_, d)| d == decompressed)
            .map(|&(file, _)| file)
    }
}

/// The compressed bytes, counted.
type Compressed = Counting<BufReader<Box<dyn Read + Send>>>;

/// Undoes gzip, member after member (WARC.gz files hold one member per record), noting where
/// each member starts.
struct Gunzip {
    decoder: Option<flate2::bufread::GzDecoder<Compressed>>,
    members: Members,
    produced: u64,
}

impl Read for Gunzip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(decoder) = &mut self.decoder else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 || buf.is_empty() {
                self.produced += n as u64;
                return Ok(n);
            }
            // The member ended: another may follow.
            let mut inner = self
                .decoder
                .take()
                .map(|d| d.into_inner())
                .expect("a decoder");
            if inner.fill_buf()?.is_empty() {
                return Ok(0);
            }
            let mut log = self
                .members
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if log.wanted {
                log.starts.push_back((inner.position(), self.produced));
            }
            drop(log);
            self.decoder = Some(flate2::bufread::GzDecoder::new(inner));
        }
    }
}

/// Undoes gzip (every member of a multi-member file, as WARC.gz files are written); the log
/// says where the members start.
pub(crate) fn gunzip(reader: Box<dyn Read + Send>) -> (Box<dyn Read + Send>, Members) {
    let members = Arc::new(Mutex::new(MemberLog {
        wanted: true,
        starts: VecDeque::from([(0, 0)]),
    }));
    let inner = Counting::new(BufReader::with_capacity(64 * 1024, reader));
    let gunzip = Gunzip {
        decoder: Some(flate2::bufread::GzDecoder::new(inner)),
        members: Arc::clone(&members),
        produced: 0,
    };
    (Box::new(gunzip), members)
}

/// True when an I/O error means the data stopped where it should not have: a truncated gzip
/// member or a corrupt deflate stream.
pub(crate) fn is_break(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
    )
}
