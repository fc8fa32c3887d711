//! Opening an input as a byte stream: gzip undone, the first bytes kept for sniffing, every
//! consumed byte counted so that records and breaks can be given offsets.

use std::io::{self, BufRead, BufReader, Read};

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

/// Undoes gzip (every member of a multi-member file, as WARC.gz files are written).
pub(crate) fn gunzip(reader: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
        64 * 1024,
        reader,
    )))
}

/// True when an I/O error means the data stopped where it should not have: a truncated gzip
/// member or a corrupt deflate stream.
pub(crate) fn is_break(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
    )
}
