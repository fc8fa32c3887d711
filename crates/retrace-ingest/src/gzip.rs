//! One gzip member at a time (RFC 1952), so that a reader can tell a member that fails its
//! check from one cut short or one that only lacks its trailer, and go on at the next member.
//!
//! `flate2`'s `GzDecoder` hands out a member's data before it reads the trailer and reports a
//! failed CRC as an I/O error, after which the stream cannot be resumed; here the header and
//! trailer are read by hand and only the deflate data goes through `flate2::Decompress`.

use std::io::{self, BufRead, Read};

use flate2::{Crc, Decompress, FlushDecompress, Status};

use crate::stream::Counting;

/// The three bytes that start every gzip member: the magic number and the deflate method.
pub(crate) const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// The longest file name or comment accepted in a member header: longer ones are taken for
/// junk that happens to start like a member.
const MAX_HEADER_FIELD: usize = 64 * 1024;

/// Why a member could not be read.
#[derive(Debug)]
pub(crate) enum Fault {
    /// The stream ended inside the member.
    Cut,
    /// The bytes are not a gzip header.
    Header(&'static str),
    /// The deflate data is corrupt.
    Corrupt(String),
    /// The underlying stream failed.
    Io(io::Error),
}

/// How a member whose deflate data ended well ends.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    /// The trailer's CRC and size match the data.
    Verified,
    /// There is no trailer (the stream ends, or another member starts): the data is whole as
    /// far as deflate can tell, but unchecked.
    NoTrailer,
    /// The trailer does not match the data: the data is corrupt.
    Mismatch(String),
}

/// A gzip member being read: its header has been read, its deflate data is being inflated.
pub(crate) struct Member {
    inflate: Decompress,
    crc: Crc,
    ended: bool,
}

impl Member {
    /// Reads a member header at the reader's position.
    pub(crate) fn start<R: Read>(input: &mut Counting<R>) -> Result<Member, Fault> {
        let head = input.ensure(10).map_err(Fault::Io)?;
        if head.len() < 10 {
            return Err(if MAGIC.starts_with(head) || head.starts_with(&MAGIC) {
                Fault::Cut
            } else {
                Fault::Header("no gzip magic number")
            });
        }
        if !head.starts_with(&MAGIC) {
            return Err(Fault::Header("no gzip magic number"));
        }
        let flags = head[3];
        if flags & 0xe0 != 0 {
            return Err(Fault::Header("reserved header flags are set"));
        }
        input.consume(10);
        if flags & 0x04 != 0 {
            // FEXTRA: a two-byte length, then that many bytes.
            let len = input.ensure(2).map_err(Fault::Io)?;
            if len.len() < 2 {
                return Err(Fault::Cut);
            }
            let len = u16::from_le_bytes([len[0], len[1]]) as usize;
            input.consume(2);
            skip_exact(input, len)?;
        }
        for flag in [0x08, 0x10] {
            // FNAME, FCOMMENT: zero-terminated.
            if flags & flag != 0 {
                skip_zero_terminated(input)?;
            }
        }
        if flags & 0x02 != 0 {
            // FHCRC: not checked (few writers set it, and a bad one costs nothing here).
            skip_exact(input, 2)?;
        }
        Ok(Member {
            inflate: Decompress::new(false),
            crc: Crc::new(),
            ended: false,
        })
    }

    /// Inflates into `out`: the number of bytes written, 0 once the deflate data has ended
    /// (then [`Member::finish`] reads the trailer).
    pub(crate) fn inflate<R: Read>(
        &mut self,
        input: &mut Counting<R>,
        out: &mut [u8],
    ) -> Result<usize, Fault> {
        if self.ended || out.is_empty() {
            return Ok(0);
        }
        loop {
            let data = input.fill_buf().map_err(Fault::Io)?;
            let eof = data.is_empty();
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(data, out, FlushDecompress::None)
                .map_err(|err| Fault::Corrupt(err.to_string()))?;
            let consumed = (self.inflate.total_in() - before_in) as usize;
            let produced = (self.inflate.total_out() - before_out) as usize;
            input.consume(consumed);
            self.crc.update(&out[..produced]);
            match status {
                Status::StreamEnd => {
                    self.ended = true;
                    return Ok(produced);
                }
                Status::Ok | Status::BufError if produced > 0 => return Ok(produced),
                Status::Ok | Status::BufError if eof => return Err(Fault::Cut),
                Status::Ok | Status::BufError if consumed == 0 => {
                    // Input and room for output, yet no progress: never loop on it.
                    return Err(Fault::Corrupt("the deflate data makes no progress".into()));
                }
                Status::Ok | Status::BufError => {}
            }
        }
    }

    /// Bytes of output so far.
    pub(crate) fn produced(&self) -> u64 {
        self.inflate.total_out()
    }

    /// Reads the trailer after the deflate data and checks it against the data.
    pub(crate) fn finish<R: Read>(&self, input: &mut Counting<R>) -> Result<Ending, Fault> {
        let trailer = input.ensure(8).map_err(Fault::Io)?;
        let mut expected = [0; 8];
        expected[..4].copy_from_slice(&self.crc.sum().to_le_bytes());
        expected[4..].copy_from_slice(&(self.produced() as u32).to_le_bytes());
        if trailer.len() < 8 {
            // The stream ends within the trailer: what there is of it is checked.
            let rest = trailer.len();
            let crc_part = rest.min(4);
            let crc_ok = trailer[..crc_part] == expected[..crc_part];
            let size_ok = trailer[crc_part..] == expected[crc_part..rest];
            input.consume(rest);
            return Ok(match (crc_ok, size_ok) {
                (true, true) => Ending::NoTrailer,
                (false, _) => {
                    Ending::Mismatch("its data fails the CRC check (in a cut trailer)".into())
                }
                (true, false) => Ending::Mismatch(format!(
                    "its cut trailer disagrees with the {} bytes of its data",
                    self.produced()
                )),
            });
        }
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        let crc_ok = crc == self.crc.sum();
        let size_ok = size == self.produced() as u32;
        if crc_ok && size_ok {
            input.consume(8);
            return Ok(Ending::Verified);
        }
        if trailer.starts_with(&MAGIC) {
            // The next member follows right after the deflate data: this one lost its trailer.
            return Ok(Ending::NoTrailer);
        }
        input.consume(8);
        Ok(Ending::Mismatch(if crc_ok {
            format!(
                "its trailer gives {size} bytes, its data holds {}",
                self.produced()
            )
        } else {
            "its data fails the CRC check".to_owned()
        }))
    }
}

fn skip_exact<R: Read>(input: &mut Counting<R>, mut len: usize) -> Result<(), Fault> {
    while len > 0 {
        let data = input.fill_buf().map_err(Fault::Io)?;
        if data.is_empty() {
            return Err(Fault::Cut);
        }
        let take = data.len().min(len);
        input.consume(take);
        len -= take;
    }
    Ok(())
}

fn skip_zero_terminated<R: Read>(input: &mut Counting<R>) -> Result<(), Fault> {
    let mut seen = 0;
    loop {
        let data = input.fill_buf().map_err(Fault::Io)?;
        if data.is_empty() {
            return Err(Fault::Cut);
        }
        match data.iter().position(|&b| b == 0) {
            Some(at) => {
                input.consume(at + 1);
                return Ok(());
            }
            None => {
                seen += data.len();
                let all = data.len();
                input.consume(all);
                if seen > MAX_HEADER_FIELD {
                    return Err(Fault::Header("a header field runs past 64 KiB"));
                }
            }
        }
    }
}

/// A gzip body held in memory (an HTTP `Content-Encoding: gzip` payload), undone.
#[derive(Debug)]
pub(crate) struct Gunzipped {
    /// The data, up to `limit + 1` bytes.
    pub(crate) data: Vec<u8>,
    /// True when a member lacks its trailer: the data is whole as far as deflate can tell.
    pub(crate) unchecked: bool,
}

/// Undoes every member of an in-memory gzip body, keeping at most `limit + 1` bytes (so that a
/// gzip bomb is told by its size, not decompressed in full). A member that lacks only its
/// trailer is kept and flagged; anything else wrong is an error in words.
pub(crate) fn gunzip_all(bytes: &[u8], limit: u64) -> Result<Gunzipped, String> {
    let mut input = Counting::with_capacity(bytes, 64 * 1024);
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut out = Gunzipped {
        data: Vec::new(),
        unchecked: false,
    };
    let mut first = true;
    loop {
        let rest = input.ensure(1).map_err(|err| err.to_string())?;
        if rest.is_empty() || (!first && rest.iter().all(|&b| b == 0)) {
            return Ok(out);
        }
        first = false;
        let mut member = match Member::start(&mut input) {
            Ok(member) => member,
            Err(Fault::Cut) => return Err("its gzip header is cut short".into()),
            Err(Fault::Header(reason)) => return Err(format!("not gzip data ({reason})")),
            Err(Fault::Corrupt(reason)) => return Err(reason),
            Err(Fault::Io(err)) => return Err(err.to_string()),
        };
        let mut chunk = vec![0; 64 * 1024];
        loop {
            if out.data.len() >= cap {
                out.data.truncate(cap);
                return Ok(out);
            }
            match member.inflate(&mut input, &mut chunk) {
                Ok(0) => break,
                Ok(n) => out.data.extend_from_slice(&chunk[..n]),
                Err(Fault::Cut) => return Err("its gzip data is cut short".into()),
                Err(Fault::Corrupt(reason)) => {
                    return Err(format!("corrupt deflate data ({reason})"));
                }
                Err(Fault::Header(reason)) => return Err(reason.into()),
                Err(Fault::Io(err)) => return Err(err.to_string()),
            }
        }
        match member.finish(&mut input) {
            Ok(Ending::Verified) => {}
            Ok(Ending::NoTrailer) => out.unchecked = true,
            Ok(Ending::Mismatch(reason)) => return Err(reason),
            Err(_) => return Err("its gzip trailer cannot be read".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn members_trailers_and_bombs() {
        let text = b"The last ferry to Lindholm left at nine.".repeat(20);
        let mut two = gzip(&text);
        two.extend(gzip(b" Crews walked out."));
        let out = gunzip_all(&two, 1 << 20).unwrap();
        assert_eq!(out.data.len(), text.len() + 18);
        assert!(!out.unchecked);

        let whole = gzip(&text);
        let out = gunzip_all(&whole[..whole.len() - 8], 1 << 20).unwrap();
        assert_eq!(
            out.data, text,
            "only the trailer is missing: all the data is there"
        );
        assert!(out.unchecked);

        let mut bad = whole.clone();
        let crc_at = bad.len() - 8;
        bad[crc_at] ^= 1;
        assert!(gunzip_all(&bad, 1 << 20).unwrap_err().contains("CRC"));
        assert!(gunzip_all(&whole[..whole.len() / 2], 1 << 20).is_err());

        let bomb = gzip(&vec![0; 1 << 20]);
        assert_eq!(gunzip_all(&bomb, 1000).unwrap().data.len(), 1001);
    }
}
