//! Opening an input as a byte stream: gzip undone, the first bytes kept for sniffing, every
//! consumed byte counted so that records and breaks can be given offsets.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

use crate::gzip::{self, Ending, Fault, Member};

/// How many bytes of a stream's start are examined to detect its format.
pub(crate) const SNIFF_BYTES: usize = 8 * 1024;

/// A buffered reader that counts the bytes consumed through it and can look ahead
/// ([`Counting::ensure`]) across its buffer's end, so that readers can test what comes next
/// (a `WARC/1.` line, a gzip magic number) without consuming it.
///
/// An error from the inner reader is held back while bytes read before it are still buffered:
/// what came before a break is always handed out first.
pub(crate) struct Counting<R> {
    inner: R,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    position: u64,
    error: Option<io::Error>,
    /// Where [`Counting::mark`] was called, in `buffer`: bytes from there on are kept so that
    /// [`Counting::rewind`] can return to them.
    mark: Option<usize>,
}

/// The most bytes kept behind a mark; past it the mark is given up.
const MARK_LIMIT: usize = 16 << 20;

impl<R: Read> Counting<R> {
    /// A reader with a buffer of `capacity` bytes (grown only when asked to look further).
    pub(crate) fn with_capacity(inner: R, capacity: usize) -> Counting<R> {
        Counting {
            inner,
            buffer: vec![0; capacity.max(64)],
            start: 0,
            end: 0,
            position: 0,
            error: None,
            mark: None,
        }
    }

    /// Bytes consumed so far.
    pub(crate) fn position(&self) -> u64 {
        self.position
    }

    /// Keeps the bytes from here on (up to 16 MiB) so that reading can return here.
    pub(crate) fn mark(&mut self) {
        self.mark = Some(self.start);
    }

    /// Forgets the mark.
    pub(crate) fn unmark(&mut self) {
        self.mark = None;
    }

    /// Returns to the mark, `skip` bytes past it, unconsuming what was read since; false (and
    /// nothing changed) when there is no mark or fewer than `skip` bytes were read since.
    pub(crate) fn rewind(&mut self, skip: usize) -> bool {
        match self.mark.take() {
            Some(mark) if mark + skip <= self.start => {
                self.position -= (self.start - mark - skip) as u64;
                self.start = mark + skip;
                true
            }
            _ => false,
        }
    }

    /// The buffered bytes, after reading until at least `n` are buffered or the stream ends
    /// (fewer then). An error is returned only when nothing is buffered before it.
    pub(crate) fn ensure(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.end - self.start < n && self.error.is_none() {
            let keep = self.mark.unwrap_or(self.start);
            if keep > 0 {
                self.buffer.copy_within(keep..self.end, 0);
                self.end -= keep;
                self.start -= keep;
                self.mark = self.mark.map(|_| 0);
            }
            let wanted = self.start + n.max(4096);
            if self.buffer.len() < wanted.max(n) || self.end == self.buffer.len() {
                if self.mark.is_some() && self.end >= MARK_LIMIT {
                    self.mark = None;
                    continue;
                }
                let grown = wanted.max(self.buffer.len() * 2);
                self.buffer.resize(grown, 0);
            }
            match self.inner.read(&mut self.buffer[self.end..]) {
                Ok(0) => break,
                Ok(read) => self.end += read,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => self.error = Some(err),
            }
        }
        if self.start == self.end
            && let Some(err) = self.error.take()
        {
            return Err(err);
        }
        Ok(&self.buffer[self.start..self.end])
    }

    /// Consumes line breaks and other ASCII whitespace; returns an I/O error from the stream,
    /// if any.
    pub(crate) fn skip_whitespace(&mut self) -> io::Result<()> {
        loop {
            let buffer = self.fill_buf()?;
            if buffer.is_empty() {
                return Ok(());
            }
            let blank = buffer
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let all = blank == buffer.len();
            self.consume(blank);
            if !all {
                return Ok(());
            }
        }
    }

    /// Consumes bytes up to the next occurrence of `needle` (left unconsumed), or to the end
    /// of the stream; true when the needle was found.
    pub(crate) fn skip_to(&mut self, needle: &[u8]) -> io::Result<bool> {
        loop {
            let window = self.ensure(needle.len().max(4096))?;
            if window.len() < needle.len() {
                let rest = window.len();
                self.consume(rest);
                return Ok(false);
            }
            if let Some(at) = window.windows(needle.len()).position(|w| w == needle) {
                self.consume(at);
                return Ok(true);
            }
            let keep = needle.len() - 1;
            let passed = window.len() - keep;
            self.consume(passed);
        }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end && self.mark.is_none() {
            self.start = 0;
            self.end = 0;
        }
        self.ensure(1)
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.start);
        self.start += amount;
        self.position += amount as u64;
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

/// What the gzip layer tells the reader above it: where each member starts, in the file and
/// in the decompressed stream (a WARC.gz record's offset is that of the gzip member it starts,
/// as CDX indexes give it, so that a reader can seek to it), and which members were dropped or
/// read unchecked.
#[derive(Debug, Default)]
pub(crate) struct MemberLog {
    /// False once nobody reads the starts: they are then no longer kept.
    pub(crate) wanted: bool,
    /// `(offset in the file, offset in the decompressed stream)` of members not yet looked up.
    pub(crate) starts: VecDeque<(u64, u64)>,
    /// Compressed bytes dropped (a member that fails its check, junk between members), not yet
    /// reported: `(offset in the file, bytes, why)`.
    pub(crate) lost: VecDeque<(u64, u64, String)>,
    /// Members read but not checked (no trailer), not yet reported: `(offset in the file, why)`.
    pub(crate) warnings: VecDeque<(u64, String)>,
}

/// The shared handle of a [`MemberLog`].
pub(crate) type Members = Arc<Mutex<MemberLog>>;

impl MemberLog {
    /// The log, locked (a panic elsewhere cannot leave it inconsistent: every change is one
    /// push or pop).
    pub(crate) fn lock(members: &Members) -> std::sync::MutexGuard<'_, MemberLog> {
        members
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The file offset of the member that starts exactly at `decompressed`, if one does;
    /// forgets the members before it.
    pub(crate) fn member_at(members: &Members, decompressed: u64) -> Option<u64> {
        let mut log = MemberLog::lock(members);
        while log.starts.front().is_some_and(|&(_, d)| d < decompressed) {
            log.starts.pop_front();
        }
        log.starts
            .front()
            .filter(|&&(_, d)| d == decompressed)
            .map(|&(file, _)| file)
    }
}

/// Decompressed bytes of one member held back until its trailer has been checked: a member
/// that fails its CRC is then dropped whole instead of being read as text. A larger member is
/// handed on as it is inflated, and a failure at its end can only be reported.
const MEMBER_BUFFER: usize = 32 << 20;

/// How many compressed bytes reading may go back over after dropping a member, in all, per
/// byte of the file read ([`REWIND_FREE`] more): a damaged file is read at most that many
/// times over, whatever it holds.
const REWIND_ALLOWANCE: u64 = 2;
/// See [`REWIND_ALLOWANCE`].
const REWIND_FREE: u64 = 1 << 20;

/// Undoes gzip, member by member (WARC.gz files hold one member per record), noting where each
/// member starts; a member that fails its check is dropped and noted, and reading goes on at
/// the next one.
struct Gunzip {
    input: Counting<Box<dyn Read + Send>>,
    log: Members,
    /// The member being handed on as it is inflated (larger than [`MEMBER_BUFFER`]), with its
    /// offset in the file.
    streaming: Option<(Member, u64)>,
    /// Checked data not yet handed on, and how much of it has been.
    pending: Vec<u8>,
    taken: usize,
    /// Bytes handed on.
    produced: u64,
    /// The error to raise once `pending` is handed on (the stream ends inside a member).
    failed: Option<io::Error>,
    /// The furthest compressed byte read, and how many bytes reading has gone back over in
    /// all ([`Gunzip::resume_after`]).
    reach: u64,
    rewound: u64,
}

impl Gunzip {
    /// Notes `bytes` lost from `at`; a member dropped there no longer starts anything.
    fn lose(&self, at: u64, bytes: u64, why: String) {
        let mut log = MemberLog::lock(&self.log);
        if log.starts.back().is_some_and(|&(file, _)| file == at) {
            log.starts.pop_back();
        }
        log.lost.push_back((at, bytes, why));
    }

    fn warn(&self, at: u64, why: String) {
        MemberLog::lock(&self.log).warnings.push_back((at, why));
    }

    /// Passes over bytes that are not gzip data up to the next member (or the end), noting
    /// them: a loss, unless they are zeros after the last member (padding, which some writers
    /// add), a warning then. Other bytes after the last member may be a member whose magic
    /// number was damaged: not a flaw to pass over with a warning.
    fn skip_junk(&mut self, at: u64) -> io::Result<()> {
        let mut zeros = true;
        let found = loop {
            let window = self.input.ensure(4096)?;
            if window.is_empty() {
                break false;
            }
            let magic = window
                .windows(gzip::MAGIC.len())
                .position(|w| w == gzip::MAGIC);
            // Without a magic number in the window, its last bytes may start one.
            let passed = match magic {
                Some(magic) => magic,
                None if window.len() < gzip::MAGIC.len() => window.len(),
                None => window.len() - (gzip::MAGIC.len() - 1),
            };
            zeros &= window[..passed].iter().all(|&b| b == 0);
            self.input.consume(passed);
            if magic.is_some() {
                break true;
            }
        };
        let bytes = self.input.position() - at;
        let first = at == 0;
        if !found && zeros && !first {
            self.warn(
                at,
                format!("{bytes} zero bytes after the last gzip member (padding); ignored"),
            );
        } else {
            let why = match (first, found) {
                (true, _) => "bytes before the first gzip member that are not gzip data",
                (false, true) => "bytes between gzip members that are not gzip data",
                (false, false) => {
                    "bytes after the last gzip member that are not gzip data (a damaged member?)"
                }
            };
            self.lose(at, bytes, why.into());
        }
        Ok(())
    }

    /// Drops the member that starts at `at`: see [`Gunzip::resume_after`]. False when no
    /// member follows.
    fn drop_member(&mut self, at: u64, why: String) -> io::Result<bool> {
        let found = self.resume_after(at)?;
        self.lose(at, self.input.position() - at, why);
        Ok(found)
    }

    /// Passes over a member that starts at `at` and could not be read, up to the next gzip
    /// magic number: true when one follows. Reading goes back to the member's second byte, not
    /// on from where it failed: a damaged header or deflate stream may have been read past the
    /// member's end, into the next member, which would be lost with it. Going back costs
    /// reading those bytes again, so it is rationed ([`REWIND_ALLOWANCE`]): hostile input
    /// (member headers nested in each other's extra fields, each failing only at the end of
    /// the same long stream) cannot make the work more than linear. Past the ration, reading
    /// goes on from where the member failed. At least one byte is always passed over.
    fn resume_after(&mut self, at: u64) -> io::Result<bool> {
        self.pending.clear();
        self.taken = 0;
        let reached = self.input.position();
        self.reach = self.reach.max(reached);
        let back = reached.saturating_sub(at + 1);
        let allowed = REWIND_ALLOWANCE.saturating_mul(self.reach) + REWIND_FREE;
        if back > 0 && self.rewound.saturating_add(back) <= allowed && self.input.rewind(1) {
            self.rewound += back;
        }
        self.input.unmark();
        if self.input.position() == at && !self.input.ensure(1)?.is_empty() {
            // The header was refused before any of it was read: step over its first byte.
            self.input.consume(1);
        }
        self.input.skip_to(&gzip::MAGIC)
    }

    /// Reads the next member into `pending` (or starts streaming it); false at the end.
    fn next_member(&mut self) -> io::Result<bool> {
        self.pending.clear();
        self.taken = 0;
        loop {
            self.input.unmark();
            let at = self.input.position();
            let head = self.input.ensure(gzip::MAGIC.len())?;
            if head.is_empty() {
                return Ok(false);
            }
            if !head.starts_with(&gzip::MAGIC) {
                self.skip_junk(at)?;
                continue;
            }
            self.input.mark();
            let mut member = match Member::start(&mut self.input) {
                Ok(member) => member,
                Err(Fault::Cut) => {
                    // A damaged flag can make a header field of the rest of the file: when a
                    // member starts further on, only this one is lost.
                    if self.resume_after(at)? {
                        let bytes = self.input.position() - at;
                        self.lose(
                            at,
                            bytes,
                            "a gzip header that runs on to the end of the file".into(),
                        );
                        continue;
                    }
                    return Err(cut("a gzip header"));
                }
                Err(Fault::Io(err)) => return Err(err),
                Err(Fault::Header(reason)) => {
                    self.drop_member(at, format!("not a valid gzip member ({reason})"))?;
                    continue;
                }
                Err(Fault::Corrupt(reason)) => {
                    self.drop_member(at, format!("not a valid gzip member ({reason})"))?;
                    continue;
                }
            };
            {
                let mut log = MemberLog::lock(&self.log);
                if log.wanted {
                    log.starts.push_back((at, self.produced));
                }
            }
            let fault = loop {
                if self.pending.len() >= MEMBER_BUFFER {
                    self.streaming = Some((member, at));
                    return Ok(true);
                }
                let filled = self.pending.len();
                self.pending.resize(filled + 64 * 1024, 0);
                let result = member.inflate(&mut self.input, &mut self.pending[filled..]);
                self.pending
                    .truncate(filled + *result.as_ref().unwrap_or(&0));
                match result {
                    Ok(0) => break None,
                    Ok(_) => {}
                    Err(fault) => break Some(fault),
                }
            };
            match fault {
                None => {}
                Some(Fault::Io(err)) => return Err(err),
                Some(Fault::Cut) => {
                    // The stream ends inside this member. When another member starts inside
                    // what was read for it, this one was cut short and is dropped; otherwise the
                    // file itself is cut: what the member held is handed on, then the break.
                    let partial = std::mem::take(&mut self.pending);
                    if self.resume_after(at)? {
                        let bytes = self.input.position() - at;
                        self.lose(at, bytes, "a gzip member cut short by the next one".into());
                        continue;
                    }
                    self.pending = partial;
                    self.failed = Some(cut("a gzip member"));
                    return Ok(true);
                }
                Some(Fault::Corrupt(reason)) => {
                    self.drop_member(at, format!("a corrupt gzip member ({reason}), dropped"))?;
                    continue;
                }
                Some(Fault::Header(reason)) => {
                    self.drop_member(at, format!("a corrupt gzip member ({reason}), dropped"))?;
                    continue;
                }
            }
            match member.finish(&mut self.input) {
                Ok(Ending::Verified) => return Ok(true),
                Ok(Ending::NoTrailer) => {
                    self.warn(
                        at,
                        "a gzip member without its trailer: its data was read whole but could not be checked".into(),
                    );
                    return Ok(true);
                }
                Ok(Ending::Mismatch(reason)) => {
                    // Not read on from the trailer: damaged deflate data can end inside the
                    // next member, whose start is then found again by going back.
                    self.drop_member(at, format!("a corrupt gzip member ({reason}), dropped"))?;
                }
                Err(Fault::Io(err)) => return Err(err),
                Err(_) => return Err(cut("a gzip trailer")),
            }
        }
    }
}

fn cut(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, format!("{what} is cut short"))
}

impl Read for Gunzip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.taken < self.pending.len() {
                let n = (self.pending.len() - self.taken).min(buf.len());
                buf[..n].copy_from_slice(&self.pending[self.taken..self.taken + n]);
                self.taken += n;
                self.produced += n as u64;
                return Ok(n);
            }
            if let Some(err) = self.failed.take() {
                return Err(err);
            }
            if let Some((member, at)) = &mut self.streaming {
                let at = *at;
                let read = member.produced();
                let fault = match member.inflate(&mut self.input, buf) {
                    Ok(0) => None,
                    Ok(n) => {
                        self.produced += n as u64;
                        return Ok(n);
                    }
                    Err(Fault::Cut) => return Err(cut("a gzip member")),
                    Err(Fault::Io(err)) => return Err(err),
                    Err(Fault::Corrupt(reason)) => Some(reason),
                    Err(Fault::Header(reason)) => Some(reason.to_owned()),
                };
                if let Some(reason) = fault {
                    self.streaming = None;
                    let why = format!(
                        "a corrupt gzip member ({reason}) after {read} bytes of it were read"
                    );
                    self.drop_member(at, why)?;
                    continue;
                }
                let ending = member.finish(&mut self.input);
                self.streaming = None;
                match ending {
                    Ok(Ending::Verified) => {}
                    Ok(Ending::NoTrailer) => self.warn(
                        at,
                        "a gzip member without its trailer: its data could not be checked".into(),
                    ),
                    Ok(Ending::Mismatch(reason)) => {
                        let why = format!(
                            "a corrupt gzip member ({reason}); its {read} bytes were read before the check"
                        );
                        self.drop_member(at, why)?;
                    }
                    Err(Fault::Io(err)) => return Err(err),
                    Err(_) => return Err(cut("a gzip trailer")),
                }
                continue;
            }
            if !self.next_member()? {
                return Ok(0);
            }
        }
    }
}

/// Undoes gzip (every member of a multi-member file, as WARC.gz files are written); the log
/// says where the members start and which were dropped.
pub(crate) fn gunzip(reader: Box<dyn Read + Send>) -> (Box<dyn Read + Send>, Members) {
    let members = Arc::new(Mutex::new(MemberLog {
        wanted: true,
        ..MemberLog::default()
    }));
    let gunzip = Gunzip {
        input: Counting::with_capacity(reader, 64 * 1024),
        log: Arc::clone(&members),
        streaming: None,
        pending: Vec::new(),
        taken: 0,
        produced: 0,
        failed: None,
        reach: 0,
        rewound: 0,
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
