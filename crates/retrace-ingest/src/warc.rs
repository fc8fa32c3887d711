//! WARC files: `response` and `resource` records become documents, read one at a time; the
//! header block is parsed with the `warc` crate's parser, HTTP headers of responses with
//! `httparse`, and their chunked transfer coding and gzip or deflate content coding undone.
//!
//! A damaged file is read on past the damage, as warcio does: bytes that do not start a record
//! (a `Content-Length` a few bytes short, junk between records, a header block that does not
//! parse) are passed over up to the next `WARC/1.`, and reported with
//! their offset and size as one skipped region. Only the end of the stream in the middle of a
//! record stops the reader. A `Content-Length` too long swallows what follows into the
//! record's block; that cannot be told from a record holding such bytes, except that the CRLF
//! CRLF which ends every record is then not where it should be: a warning says so (as it does
//! when a length short by whitespace leaves that whitespace before the CRLF CRLF).

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use retrace_span::{Origin, RecordAt};
use warc::RecordType;

use crate::decode::Hints;
use crate::raw::{break_or_io, document, format_of};
use crate::stream::{Counting, MemberLog, Members};
use crate::{Error, ErrorKind, Options, RawDoc, RecordMeta, Warning, gzip};

/// The longest WARC header block read; a longer one is taken for junk (real ones are a few
/// kilobytes, long URLs included).
const MAX_HEADER_BLOCK: usize = 256 * 1024;

/// The line that starts every WARC record (1.0 and 1.1), looked for to resynchronise.
const RECORD_LINE: &[u8] = b"WARC/1.";

/// What ends every WARC record, after its block.
const SEPARATOR: &[u8] = b"\r\n\r\n";

/// The records of a WARC stream.
pub(crate) struct WarcRecords {
    file: Arc<Origin>,
    reader: Counting<Box<dyn Read + Send>>,
    options: Options,
    compressed: bool,
    /// Where the gzip members of a WARC.gz start, so that records get file offsets.
    members: Option<Members>,
    ignored: Vec<(String, u64)>,
    warnings: Vec<Warning>,
    /// Where the last record read starts, for a message about bytes after it.
    last: Option<u64>,
    done: bool,
}

/// A header block as read.
enum Block {
    /// Complete, its blank line included.
    Whole(Vec<u8>),
    /// The stream ended before the blank line.
    Cut,
    /// Longer than [`MAX_HEADER_BLOCK`].
    TooLong,
    /// A `WARC/1.` line came before the blank line: another record starts there.
    Interrupted,
}

/// The parts of a WARC header block that matter here.
struct Head {
    record_type: RecordType,
    length: u64,
    meta: RecordMeta,
    content_type: Option<String>,
}

impl WarcRecords {
    pub(crate) fn new(
        file: Arc<Origin>,
        reader: Box<dyn Read + Send>,
        options: Options,
        members: Option<Members>,
    ) -> WarcRecords {
        WarcRecords {
            file,
            reader: Counting::with_capacity(reader, 256 * 1024),
            options,
            compressed: members.is_some(),
            members,
            ignored: Vec::new(),
            warnings: Vec::new(),
            last: None,
            done: false,
        }
    }

    pub(crate) fn ignored(&self) -> &[(String, u64)] {
        &self.ignored
    }

    /// Records kept despite a flaw, not yet handed over.
    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    fn stream(&self) -> &'static str {
        if self.compressed {
            "decompressed"
        } else {
            "raw"
        }
    }

    /// The I/O error that ends the stream: a break in gzip data, or a read failure.
    fn broke(&mut self, err: io::Error) -> Option<Result<RawDoc, Error>> {
        self.done = true;
        let offset = self.reader.position();
        let file = Origin::clone(&self.file);
        Some(Err(break_or_io(file, err, offset, self.compressed)))
    }

    /// The error that ends the stream.
    fn fail(&mut self, kind: ErrorKind) -> Option<Result<RawDoc, Error>> {
        self.done = true;
        Some(Err(Error::new(Origin::clone(&self.file), kind)))
    }

    fn ignore(&mut self, record_type: String) {
        match self.ignored.iter_mut().find(|(t, _)| *t == record_type) {
            Some((_, count)) => *count += 1,
            None => self.ignored.push((record_type, 1)),
        }
    }

    /// The origin of what starts at `start` in the (decompressed) stream.
    fn origin_at(&self, start: u64) -> Origin {
        record_origin(&self.file, self.members.as_ref(), start)
    }

    /// Passes over the bytes from `start` up to the next `WARC/1.` (or the end), and
    /// reports them as one region that is not a record.
    fn resync(&mut self, start: u64, reason: String) -> Option<Result<RawDoc, Error>> {
        let origin = self.origin_at(start);
        let found = match skip_to_record_line(&mut self.reader) {
            Ok(found) => found,
            Err(err) => return self.broke(err),
        };
        let bytes = self.reader.position() - start;
        let kind = ErrorKind::Unreadable {
            format: "WARC",
            reason,
            bytes,
            resumed: found,
        };
        Some(Err(Error::new(origin, kind)))
    }

    /// Checks that the record read last, which starts at `record`, is followed by the CRLF CRLF
    /// that ends a record, and warns when it is not. Bytes that start no record are reported
    /// by the next call as a region passed over; here are the cases that lose nothing but
    /// whitespace: a `Content-Length` short by bytes that are whitespace (the end of an HTTP
    /// request's headers, a page's last line break) leaves them before the CRLF CRLF, where
    /// they cannot be told from the separator itself, and one too long by up to four bytes
    /// swallows the separator. So any other whitespace, blank lines after the separator
    /// included, is warned of (writers put exactly one separator).
    fn check_end(&mut self, record: u64) -> io::Result<()> {
        let ahead = self.reader.ensure(RECORD_LINE.len())?;
        let more = ahead.get(SEPARATOR.len());
        if ahead.starts_with(SEPARATOR) && !more.is_some_and(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let message = match ahead.first() {
            None => "the stream ends after it without the CRLF CRLF that ends a WARC record; \
                     the file may be cut short"
                .to_owned(),
            Some(_) if ahead.starts_with(RECORD_LINE) => "another record follows it without \
                 the CRLF CRLF that ends a WARC record; its Content-Length may be too long"
                .to_owned(),
            Some(byte) if byte.is_ascii_whitespace() => "whitespace other than the one CRLF CRLF \
                 that ends a WARC record follows it; its Content-Length may be short, by \
                 whitespace at the end of its block, passed over with the separator"
                .to_owned(),
            // Junk: reported by the next call as a region passed over, naming this record.
            Some(_) => return Ok(()),
        };
        self.warnings.push(Warning {
            origin: self.origin_at(record),
            message,
        });
        Ok(())
    }

    /// Reads a header block, stopping early at another record's first line.
    fn header_block(&mut self) -> io::Result<Block> {
        let mut block = Vec::new();
        loop {
            if !block.is_empty()
                && self
                    .reader
                    .ensure(RECORD_LINE.len())?
                    .starts_with(RECORD_LINE)
            {
                return Ok(Block::Interrupted);
            }
            let line_start = block.len();
            loop {
                let buffer = self.reader.fill_buf()?;
                if buffer.is_empty() {
                    return Ok(Block::Cut);
                }
                let (take, end) = match buffer.iter().position(|&b| b == b'\n') {
                    Some(at) => (at + 1, true),
                    None => (buffer.len(), false),
                };
                block.extend_from_slice(&buffer[..take]);
                self.reader.consume(take);
                if block.len() > MAX_HEADER_BLOCK {
                    return Ok(Block::TooLong);
                }
                if end {
                    break;
                }
            }
            if block[line_start..].trim_ascii().is_empty() {
                return Ok(Block::Whole(block));
            }
        }
    }
}

impl Iterator for WarcRecords {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            if let Some(record) = self.last
                && let Err(err) = self.check_end(record)
            {
                return self.broke(err);
            }
            if let Err(err) = self.reader.skip_whitespace() {
                return self.broke(err);
            }
            let start = self.reader.position();
            let ahead = match self.reader.ensure(RECORD_LINE.len()) {
                Ok(ahead) => ahead,
                Err(err) => return self.broke(err),
            };
            if ahead.is_empty() {
                self.done = true;
                return None;
            }
            if !ahead.starts_with(RECORD_LINE) {
                let reason = match self.last.take() {
                    Some(record) => format!(
                        "bytes after the record at {record} that start no record; its Content-Length may be wrong"
                    ),
                    None => "bytes that start no record".to_owned(),
                };
                return self.resync(start, reason);
            }
            self.last = None;
            let block = match self.header_block() {
                Ok(Block::Whole(block)) => block,
                Ok(Block::Cut) => {
                    let stream = self.stream();
                    return self.fail(ErrorKind::Truncated {
                        what: "a WARC record's headers",
                        stream,
                        offset: start,
                    });
                }
                Ok(Block::TooLong) => {
                    let reason =
                        format!("a header block longer than {} KiB", MAX_HEADER_BLOCK / 1024);
                    return self.resync(start, reason);
                }
                Ok(Block::Interrupted) => {
                    return self
                        .resync(start, "a header block cut short by the next record".into());
                }
                Err(err) => return self.broke(err),
            };
            let head = match parse_head(&block) {
                Ok(head) => head,
                Err(reason) => return self.resync(start, reason),
            };
            let origin = self.origin_at(start);
            let declared = head.length;
            let wanted = matches!(
                head.record_type,
                RecordType::Response | RecordType::Resource
            );
            let too_large = declared > self.options.max_bytes;
            let keep = wanted && !too_large;
            let mut body = Vec::new();
            let read = if keep {
                (&mut self.reader)
                    .take(declared)
                    .read_to_end(&mut body)
                    .map(|n| n as u64)
            } else {
                io::copy(&mut (&mut self.reader).take(declared), &mut io::sink())
            };
            let body_end = self.reader.position();
            match read {
                Err(err) => return self.broke(err),
                Ok(n) if n < declared => {
                    let stream = self.stream();
                    return self.fail(ErrorKind::Truncated {
                        what: "a WARC record",
                        stream,
                        offset: body_end,
                    });
                }
                Ok(_) => {}
            }
            // A record ends in two CRLFs; anything else after it is found as junk by the next
            // call, which then names this record.
            self.last = Some(start);
            if !wanted {
                self.ignore(head.record_type.to_string());
                continue;
            }
            if head.record_type == RecordType::Resource && is_crawler_metadata(&head) {
                self.ignore("crawler metadata".to_owned());
                continue;
            }
            if too_large {
                let kind = ErrorKind::TooLarge {
                    bytes: declared,
                    limit: self.options.max_bytes,
                };
                return Some(Err(Error::new(origin, kind)));
            }
            let result = match head.record_type {
                RecordType::Response => {
                    response(origin, body, head.meta, &self.options, &mut self.warnings)
                }
                _ => page(
                    origin,
                    body,
                    head.meta,
                    head.content_type.as_deref(),
                    None,
                    &self.options,
                ),
            };
            return Some(result);
        }
        None
    }
}

/// The origin of a record (or a skipped region) that starts at `start` in the stream: its
/// offset in the file, which for a gzip file is that of the member it starts (as CDX indexes
/// give it), or else its offset in the decompressed stream.
pub(crate) fn record_origin(file: &Arc<Origin>, members: Option<&Members>, start: u64) -> Origin {
    let at = match members {
        None => RecordAt::Offset(start),
        Some(members) => match MemberLog::member_at(members, start) {
            Some(file_offset) => RecordAt::Offset(file_offset),
            None => RecordAt::Unpacked(start),
        },
    };
    Origin::Record {
        container: Arc::clone(file),
        at,
    }
}

/// Consumes bytes up to the next `WARC/1.`; false when the stream ends first. It is looked
/// for anywhere, not only at the start of a line: junk without a line break of its own often
/// runs straight into the next record, and a false find inside junk only costs one more
/// header block that does not parse.
pub(crate) fn skip_to_record_line<R: Read>(reader: &mut Counting<R>) -> io::Result<bool> {
    reader.skip_to(RECORD_LINE)
}

/// The header block of a record, parsed.
fn parse_head(block: &[u8]) -> Result<Head, String> {
    let (rest, (_, headers, _)) =
        warc::parser::headers(block).map_err(|_| "its header block does not parse".to_owned())?;
    if !rest.trim_ascii().is_empty() {
        // The parser stops at the first line that is not a header, leaving it and every line
        // after it unread: a damaged line, or a blank line lost so that the block runs on into
        // the record's content. Either way its fields cannot be trusted.
        let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(&line[..line.len().min(40)]);
        return Err(format!(
            "a line of its header block is not a header: {:?}",
            line.trim_end()
        ));
    }
    let field = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| String::from_utf8_lossy(value).trim().to_owned())
    };
    let length = field("Content-Length")
        .ok_or("the required header Content-Length is missing")?
        .parse::<u64>()
        .map_err(|_| "the header Content-Length is not a number".to_owned())?;
    let record_type =
        RecordType::from(field("WARC-Type").ok_or("the required header WARC-Type is missing")?);
    let meta = RecordMeta {
        id: field("WARC-Record-ID").map(|id| id.trim_matches(['<', '>']).to_owned()),
        url: field("WARC-Target-URI").map(|uri| uri.trim_matches(['<', '>', ' ']).to_owned()),
        title: None,
        date: None,
        fetched: field("WARC-Date"),
    };
    Ok(Head {
        record_type,
        length,
        meta,
        content_type: field("Content-Type"),
    })
}

/// A `resource` record that a crawler wrote about its own crawl (wget's `metadata://…/wget.log`
/// and manifest, DNS lookups), not a page it fetched.
fn is_crawler_metadata(head: &Head) -> bool {
    let uri = head.meta.url.as_deref().unwrap_or("").to_ascii_lowercase();
    let scheme = uri.split_once(':').map_or("", |(scheme, _)| scheme);
    let content_type = head
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(scheme, "metadata" | "dns" | "filedesc")
        || content_type.starts_with("application/warc-fields")
        || content_type.starts_with("text/dns")
}

/// A `response` record (or an ARC record of an HTTP fetch): HTTP status and headers, then the
/// payload. A gzip payload that lacks only its trailer is kept, with a warning in `warnings`.
pub(crate) fn response(
    origin: Origin,
    body: Vec<u8>,
    meta: RecordMeta,
    options: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<RawDoc, Error> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut parsed = httparse::Response::new(&mut headers);
    let header_len = match parsed.parse(&body) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            let reason = "its HTTP headers are cut short".to_owned();
            return Err(Error::new(origin, ErrorKind::MalformedWarc { reason }));
        }
        Err(err) => {
            let reason = format!("its HTTP response does not parse: {err}");
            return Err(Error::new(origin, ErrorKind::MalformedWarc { reason }));
        }
    };
    let status = parsed.code.unwrap_or(0);
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_owned())
    };
    if (300..400).contains(&status) {
        let location = header("location").filter(|l| !l.is_empty());
        return Err(Error::new(origin, ErrorKind::Redirect { status, location }));
    }
    if !(200..300).contains(&status) {
        return Err(Error::new(origin, ErrorKind::HttpStatus { status }));
    }
    let content_type = header("content-type");
    let transfer = header("transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let coding = header("content-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut payload = body[header_len..].to_vec();
    if transfer.contains("chunked") {
        payload = dechunk(&payload).ok_or_else(|| {
            let reason = "its chunked HTTP body is malformed".to_owned();
            Error::new(origin.clone(), ErrorKind::MalformedWarc { reason })
        })?;
    }
    let payload = match coding.as_str() {
        "" | "identity" => payload,
        "gzip" | "x-gzip" => match gzip::gunzip_all(&payload, options.max_bytes) {
            Ok(gunzipped) => {
                if gunzipped.unchecked {
                    warnings.push(Warning {
                        origin: origin.clone(),
                        message: "its gzip HTTP body lacks its trailer: read whole, unchecked"
                            .to_owned(),
                    });
                }
                gunzipped.data
            }
            Err(err) => {
                let reason = format!("its gzip HTTP body does not decompress ({err})");
                return Err(Error::new(origin, ErrorKind::MalformedWarc { reason }));
            }
        },
        "deflate" => {
            let mut out = Vec::new();
            let limit = options.max_bytes + 1;
            let result = flate2::read::ZlibDecoder::new(&payload[..])
                .take(limit)
                .read_to_end(&mut out);
            if let Err(err) = result {
                let reason = format!("its deflate HTTP body does not decompress ({err})");
                return Err(Error::new(origin, ErrorKind::MalformedWarc { reason }));
            }
            out
        }
        other => {
            let content_type = format!(
                "{} in {other} content coding",
                content_type.as_deref().unwrap_or("unknown")
            );
            return Err(Error::new(origin, ErrorKind::NotAPage { content_type }));
        }
    };
    let charset = content_type.as_deref().and_then(charset_of);
    page(
        origin,
        payload,
        meta,
        content_type.as_deref(),
        charset.as_deref(),
        options,
    )
}

/// A payload of a declared content type; only text and HTML pages are documents.
pub(crate) fn page(
    origin: Origin,
    payload: Vec<u8>,
    meta: RecordMeta,
    content_type: Option<&str>,
    charset: Option<&str>,
    options: &Options,
) -> Result<RawDoc, Error> {
    if let Some(content_type) = content_type {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let textual = essence.is_empty()
            || essence.starts_with("text/html")
            || essence.starts_with("text/plain")
            || essence.starts_with("application/xhtml")
            || essence == "application/octet-stream";
        if !textual {
            let content_type = content_type.to_owned();
            return Err(Error::new(origin, ErrorKind::NotAPage { content_type }));
        }
    }
    let url = meta.url.clone();
    let hints = Hints {
        http_charset: charset,
        url: url.as_deref(),
    };
    let mut doc = document(origin, payload, None, options.max_bytes, hints, meta)?;
    doc.format = format_of(&doc.text, content_type);
    Ok(doc)
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// Undoes HTTP/1.1 chunked transfer coding; `None` when the chunks do not add up.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_field = std::str::from_utf8(&body[..line_end]).ok()?;
        let size_field = size_field.split(';').next()?.trim();
        let size = usize::from_str_radix(size_field, 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").unwrap(),
            b"Hello, world"
        );
        assert_eq!(dechunk(b"ZZ\r\nHello"), None);
        assert_eq!(dechunk(b"9\r\nHello"), None);
    }

    #[test]
    fn charset_parameters() {
        assert_eq!(
            charset_of("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_of("text/html;Charset=utf-8 ").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_of("text/html"), None);
    }
}
