//! WARC files: `response` and `resource` records become documents, read one at a time through
//! the `warc` crate; HTTP headers of responses are parsed with `httparse`, and their chunked
//! transfer coding and gzip or deflate content coding undone.

use std::io::{self, BufReader, Read};
use std::sync::Arc;

use retrace_span::{Origin, RecordAt};
use warc::{RecordType, WarcHeader, WarcReader};

use crate::decode::Hints;
use crate::records::{break_or_io, document, format_of};
use crate::stream::{Counting, MemberLog, Members};
use crate::{Error, ErrorKind, Options, RawDoc, RecordMeta};

/// The records of a WARC stream.
pub(crate) struct WarcRecords {
    file: Arc<Origin>,
    reader: Counting<BufReader<Box<dyn Read + Send>>>,
    options: Options,
    compressed: bool,
    /// Where the gzip members of a WARC.gz start, so that records get file offsets.
    members: Option<Members>,
    ignored: Vec<(String, u64)>,
    done: bool,
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
            reader: Counting::new(BufReader::with_capacity(256 * 1024, reader)),
            options,
            compressed: members.is_some(),
            members,
            ignored: Vec::new(),
            done: false,
        }
    }

    pub(crate) fn ignored(&self) -> &[(String, u64)] {
        &self.ignored
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
}

impl Iterator for WarcRecords {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            if let Err(err) = self.reader.skip_line_breaks() {
                return self.broke(err);
            }
            let start = self.reader.position();
            // A fresh streaming iterator per record over our own counting reader: the body is
            // read (or drained) here, so the next record starts where this one ends.
            let mut warc = WarcReader::new(&mut self.reader);
            let mut iter = warc.stream_records();
            let record = match iter.next_item() {
                None => {
                    let end = self.reader.position();
                    if end > start {
                        // The header block began but the stream ended before its blank line.
                        let stream = self.stream();
                        return self.fail(ErrorKind::Truncated {
                            what: "a WARC record's headers",
                            stream,
                            offset: start,
                        });
                    }
                    return None;
                }
                Some(Ok(record)) => record,
                Some(Err(warc::Error::ReadData(err))) => return self.broke(err),
                Some(Err(err)) => {
                    let reason = format!("at byte {start}: {}", describe(&err));
                    return self.fail(ErrorKind::MalformedWarc { reason });
                }
            };
            let at = match &self.members {
                None => RecordAt::Offset(start),
                Some(members) => match MemberLog::member_at(members, start) {
                    Some(file_offset) => RecordAt::Offset(file_offset),
                    None => RecordAt::Unpacked(start),
                },
            };
            let origin = Origin::Record {
                container: Arc::clone(&self.file),
                at,
            };
            let declared = record.content_length();
            let record_type = record.warc_type().clone();
            let meta = RecordMeta {
                id: Some(record.warc_id().trim_matches(['<', '>']).to_owned()),
                url: record
                    .header(WarcHeader::TargetURI)
                    .map(|uri| uri.trim_matches(['<', '>', ' ']).to_owned()),
                title: None,
                date: None,
                fetched: record.header(WarcHeader::Date).map(|d| d.into_owned()),
            };
            let content_type = record
                .header(WarcHeader::ContentType)
                .map(|t| t.into_owned());
            let wanted = matches!(record_type, RecordType::Response | RecordType::Resource);
            let too_large = declared > self.options.max_bytes;
            let keep = wanted && !too_large;
            let mut body = Vec::new();
            let mut stream = record;
            let read = if keep {
                (&mut stream)
                    .take(declared)
                    .read_to_end(&mut body)
                    .map(|n| n as u64)
            } else {
                io::copy(&mut (&mut stream).take(declared), &mut io::sink())
            };
            drop(stream);
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
            if !wanted {
                self.ignore(record_type.to_string());
                continue;
            }
            if too_large {
                let kind = ErrorKind::TooLarge {
                    bytes: declared,
                    limit: self.options.max_bytes,
                };
                return Some(Err(Error::new(origin, kind)));
            }
            let result = match record_type {
                RecordType::Response => response(origin, body, meta, &self.options),
                _ => page(
                    origin,
                    body,
                    meta,
                    content_type.as_deref(),
                    None,
                    &self.options,
                ),
            };
            return Some(result);
        }
        None
    }
}

/// A `response` record: HTTP status and headers, then the payload.
fn response(
    origin: Origin,
    body: Vec<u8>,
    meta: RecordMeta,
    options: &Options,
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
    if !(200..300).contains(&status) {
        return Err(Error::new(origin, ErrorKind::HttpStatus { status }));
    }
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_owned())
    };
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
        "gzip" | "x-gzip" | "deflate" => {
            let mut out = Vec::new();
            let limit = options.max_bytes + 1;
            let result = if coding == "deflate" {
                flate2::read::ZlibDecoder::new(&payload[..])
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                flate2::read::MultiGzDecoder::new(&payload[..])
                    .take(limit)
                    .read_to_end(&mut out)
            };
            if let Err(err) = result {
                let reason = format!("its {coding} HTTP body does not decompress ({err})");
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
fn page(
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

/// A WARC parse error in words.
fn describe(err: &warc::Error) -> String {
    match err {
        warc::Error::ParseHeaders(_) => "its header block does not parse".to_owned(),
        warc::Error::MissingHeader(header) => format!("the required header {header} is missing"),
        warc::Error::MalformedHeader(header, value) => {
            format!("the header {header} is malformed ({value})")
        }
        other => other.to_string(),
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
