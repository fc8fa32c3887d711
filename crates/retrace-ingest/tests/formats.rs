//! Every format and every bad input, on files written by the tests themselves.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use retrace_ingest::{
    CharsetFrom, Error, ErrorKind, Format, Input, JsonFields, Options, RawDoc, expand, open,
    read_one,
};
use retrace_span::{Origin, RecordAt};

const PAGE: &str = "<!DOCTYPE html><html><head><title>Ferry strike</title></head>\
                    <body><p>The last ferry to Lindholm left at nine.</p></body></html>";

fn read_all(path: &Path, options: &Options) -> (Vec<RawDoc>, Vec<Error>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for item in open(&Input::Path(path.to_path_buf()), options) {
        match item {
            Ok(doc) => docs.push(doc),
            Err(err) => errors.push(err),
        }
    }
    (docs, errors)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// One WARC record, as a crawler writes it.
fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{len}>\r\n\
         WARC-Date: 2026-11-20T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {len}\r\n\r\n",
        len = block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// A crawl: warcinfo, request, an HTML page in Latin-1 declared by HTTP, a 404, an image, a
/// plain-text resource, and a chunked, gzipped page.
fn crawl() -> Vec<Vec<u8>> {
    let latin1_page = b"<html><body><p>Caf\xe9 owners in Z\xfcrich protest.</p></body></html>";
    let chunked = {
        let gz = gzip(PAGE.as_bytes());
        let mut body = format!("{:x}\r\n", 10).into_bytes();
        body.extend_from_slice(&gz[..10]);
        body.extend_from_slice(format!("\r\n{:x}\r\n", gz.len() - 10).as_bytes());
        body.extend_from_slice(&gz[10..]);
        body.extend_from_slice(b"\r\n0\r\n\r\n");
        body
    };
    vec![
        record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            "https://news.example.ch/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\nHost: news.example.ch\r\n\r\n",
        ),
        record(
            "response",
            "https://news.example.ch/a",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=ISO-8859-1\r\n",
                latin1_page,
            ),
        ),
        record(
            "response",
            "https://news.example.ch/gone",
            "application/http; msgtype=response",
            &http(
                "404 Not Found",
                "Content-Type: text/html\r\n",
                b"<p>Not here</p>",
            ),
        ),
        record(
            "response",
            "https://news.example.ch/logo.png",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n\0\0",
            ),
        ),
        record(
            "resource",
            "file:///notes/ferry.txt",
            "text/plain",
            b"The ferry left at nine.\n",
        ),
        record(
            "response",
            "https://news.example.ch/b",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                &chunked,
            ),
        ),
    ]
}

fn check_crawl(docs: &[RawDoc], errors: &[Error], offsets: &[u64], ignored: &[(String, u64)]) {
    assert_eq!(docs.len(), 3, "{errors:?}");
    let at = |doc: &RawDoc| match &doc.origin {
        Origin::Record {
            at: RecordAt::Offset(offset) | RecordAt::Unpacked(offset),
            ..
        } => *offset,
        other => panic!("{other:?}"),
    };
    let latin1 = &docs[0];
    assert_eq!(at(latin1), offsets[2]);
    assert!(latin1.text.contains("Caf\u{e9} owners in Z\u{fc}rich"));
    assert_eq!(latin1.decoding.charset, "windows-1252");
    assert_eq!(latin1.decoding.by, CharsetFrom::Http);
    assert_eq!(latin1.format, Format::Html);
    assert_eq!(
        latin1.record.url.as_deref(),
        Some("https://news.example.ch/a")
    );
    assert_eq!(
        latin1.record.fetched.as_deref(),
        Some("2026-11-20T08:00:00Z")
    );
    assert_eq!(docs[1].text, "The ferry left at nine.\n");
    assert_eq!(docs[1].format, Format::Text);
    assert_eq!(at(&docs[1]), offsets[5]);
    assert_eq!(docs[2].text, PAGE);
    assert_eq!(at(&docs[2]), offsets[6]);

    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].kind, ErrorKind::HttpStatus { status: 404 });
    assert!(
        matches!(&errors[1].kind, ErrorKind::NotAPage { content_type } if content_type == "image/png")
    );
    assert_eq!(
        errors[1]
            .origin
            .to_string()
            .rsplit(['@', ':'])
            .next()
            .unwrap(),
        offsets[4].to_string()
    );
    assert_eq!(
        ignored,
        [("warcinfo".to_owned(), 1), ("request".to_owned(), 1)]
    );
}

fn offsets(records: &[Vec<u8>]) -> Vec<u64> {
    let mut at = 0;
    records
        .iter()
        .map(|r| {
            let start = at;
            at += r.len() as u64;
            start
        })
        .collect()
}

fn read_with_ignored(path: &Path) -> (Vec<RawDoc>, Vec<Error>, Vec<(String, u64)>) {
    let mut records = open(&Input::Path(path.to_path_buf()), &Options::default());
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for item in records.by_ref() {
        match item {
            Ok(doc) => docs.push(doc),
            Err(err) => errors.push(err),
        }
    }
    (docs, errors, records.ignored().to_vec())
}

#[test]
fn warc_records() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let path = write(dir.path(), "crawl.warc", &records.concat());
    let (docs, errors, ignored) = read_with_ignored(&path);
    check_crawl(&docs, &errors, &offsets(&records), &ignored);
    // Detected by content too, under any name.
    let path = write(dir.path(), "crawl.dat", &records.concat());
    assert_eq!(read_with_ignored(&path).0.len(), 3);
}

#[test]
fn warc_gz_one_member_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    let path = write(dir.path(), "crawl.warc.gz", &members.concat());
    let (docs, errors, ignored) = read_with_ignored(&path);
    // Offsets are those of the gzip members in the file, as CDX indexes give them.
    check_crawl(&docs, &errors, &offsets(&members), &ignored);
    assert!(docs.iter().all(|d| matches!(
        d.origin,
        Origin::Record {
            at: RecordAt::Offset(_),
            ..
        }
    )));
    assert!(
        docs[2]
            .origin
            .to_string()
            .ends_with(&format!("crawl.warc.gz@{}", offsets(&members)[6]))
    );
}

#[test]
fn warc_gzipped_whole_gives_offsets_in_the_decompressed_stream() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let path = write(dir.path(), "whole.warc.gz", &gzip(&records.concat()));
    let (docs, errors, ignored) = read_with_ignored(&path);
    check_crawl(&docs, &errors, &offsets(&records), &ignored);
    assert!(
        docs[0]
            .origin
            .to_string()
            .ends_with(&format!("whole.warc.gz@gunzip:{}", offsets(&records)[2]))
    );
}

#[test]
fn warc_with_a_truncated_last_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let whole = records.concat();
    let cut = whole.len() - 30;
    let path = write(dir.path(), "cut.warc", &whole[..cut]);
    let (docs, errors) = read_all(&path, &Options::default());
    assert_eq!(docs.len(), 2, "the records before the break are kept");
    let last = errors.last().unwrap();
    assert_eq!(
        last.kind,
        ErrorKind::Truncated {
            what: "a WARC record",
            stream: "raw",
            offset: cut as u64
        }
    );
    assert_eq!(last.origin, Origin::Path(path.clone()));
    assert!(last.to_string().contains("breaks off at byte"), "{last}");

    // Cut inside the headers of a record.
    let cut = offsets(&records)[6] as usize + 20;
    let path = write(dir.path(), "cut-headers.warc", &whole[..cut]);
    let (docs, errors) = read_all(&path, &Options::default());
    assert_eq!(docs.len(), 2);
    assert!(matches!(
        errors.last().unwrap().kind,
        ErrorKind::Truncated {
            what: "a WARC record's headers",
            ..
        }
    ));
}

#[test]
fn warc_gz_cut_inside_a_member() {
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let mut members: Vec<u8> = records[..6].iter().flat_map(|r| gzip(r)).collect();
    let last = gzip(&records[6]);
    members.extend_from_slice(&last[..last.len() / 2]);
    let path = write(dir.path(), "cut.warc.gz", &members);
    let (docs, errors) = read_all(&path, &Options::default());
    assert_eq!(docs.len(), 2);
    let error = errors.last().unwrap();
    assert!(
        matches!(
            error.kind,
            ErrorKind::Truncated {
                what: "the gzip data",
                stream: "decompressed",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn garbage_in_a_warc_is_passed_over_with_its_offset() {
    // Issue 13 item 9: a header block that does not parse no longer stops the file.
    let dir = tempfile::tempdir().unwrap();
    let records = crawl();
    let mut bytes = records[..3].concat();
    let at = bytes.len();
    let junk = b"WARC/1.1\r\nthis is not a header\r\n\r\n";
    bytes.extend_from_slice(junk);
    bytes.extend_from_slice(&records[5]);
    let path = write(dir.path(), "bad.warc", &bytes);
    let (docs, errors) = read_all(&path, &Options::default());
    assert_eq!(docs.len(), 2, "{errors:?}");
    assert_eq!(docs[1].text, "The ferry left at nine.\n");
    assert_eq!(docs[1].origin.offset(), Some((at + junk.len()) as u64));
    let error = errors.last().unwrap();
    assert_eq!(error.origin.offset(), Some(at as u64));
    assert!(
        matches!(&error.kind, ErrorKind::Unreadable { reason, bytes, resumed: true, .. }
            if reason.contains("does not parse") && *bytes == junk.len() as u64),
        "{error}"
    );
}

#[test]
fn jsonl_with_default_and_named_fields() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id": 7, "url": "https://a.example/1", "title": "Ferry strike", "date": "2026-11-20", "text": "The ferry left at nine."}"#,
        "",
        r#"{"id": "8", "html": "<html><body><p>Crews walked out.</p></body></html>"}"#,
        r#"{"id": 9, "text": "unterminated"#,
        r#"["not", "an", "object"]"#,
        r#"{"id": 10, "summary": "no article field"}"#,
        r#"{"id": 11, "text": 42}"#,
        r#"{"id": 12, "content": "  "}"#,
        r#"{"id": 13, "content": "Last line, no newline."}"#,
    ];
    let path = write(dir.path(), "feed.jsonl", lines.join("\n").as_bytes());
    let (docs, errors) = read_all(&path, &Options::default());
    let line = |origin: &Origin| match origin {
        Origin::Record {
            at: RecordAt::Line(line),
            ..
        } => *line,
        other => panic!("{other:?}"),
    };
    assert_eq!(docs.len(), 3);
    assert_eq!(line(&docs[0].origin), 1);
    assert_eq!(docs[0].text, "The ferry left at nine.");
    assert_eq!(docs[0].record.id.as_deref(), Some("7"));
    assert_eq!(docs[0].record.url.as_deref(), Some("https://a.example/1"));
    assert_eq!(docs[0].record.title.as_deref(), Some("Ferry strike"));
    assert_eq!(docs[0].record.date.as_deref(), Some("2026-11-20"));
    assert_eq!(docs[0].format, Format::Text);
    assert_eq!(line(&docs[1].origin), 3);
    assert_eq!(docs[1].format, Format::Html);
    assert_eq!(line(&docs[2].origin), 9);

    let reasons: Vec<(u64, String)> = errors
        .iter()
        .map(|e| (line(&e.origin), e.kind.to_string()))
        .collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert_eq!(reasons[0].0, 4);
    assert!(
        reasons[0]
            .1
            .starts_with("not a valid JSON object (EOF while parsing"),
        "{reasons:?}"
    );
    assert_eq!(
        reasons[1],
        (
            5,
            "not a valid JSON object (a JSON array); fix or remove this line".into()
        )
    );
    assert_eq!(reasons[2].0, 6);
    assert!(reasons[2].1.contains("--text-field"));
    assert_eq!(reasons[3].0, 7);
    assert_eq!(errors[4].kind, ErrorKind::Empty);
    assert!(
        errors[0]
            .to_string()
            .starts_with(&format!("{}:4: ", path.display()))
    );

    let options = Options {
        fields: JsonFields {
            text: Some("story.body".into()),
            url: Some("link".into()),
            ..JsonFields::default()
        },
        ..Options::default()
    };
    let path = write(
        dir.path(),
        "nested.jsonl",
        br#"{"story": {"body": "Crews walked out."}, "link": "https://b.example/2", "text": "ignored"}"#,
    );
    let (docs, errors) = read_all(&path, &options);
    assert!(errors.is_empty());
    assert_eq!(docs[0].text, "Crews walked out.");
    assert_eq!(docs[0].record.url.as_deref(), Some("https://b.example/2"));
}

#[test]
fn jsonl_gz_with_a_member_boundary_inside_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        "{\"text\": \"The ferry left at nine.\"}\n{\"text\": \"Crews walked out at noon.\"}\n";
    let split = data.len() - 15;
    let mut bytes = gzip(&data.as_bytes()[..split]);
    bytes.extend(gzip(&data.as_bytes()[split..]));
    let path = write(dir.path(), "feed.jsonl.gz", &bytes);
    let (docs, errors) = read_all(&path, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].text, "Crews walked out at noon.");
}

#[test]
fn pretty_json_object_and_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "one.json",
        b"{\n  \"title\": \"T\",\n  \"text\": \"The ferry left.\"\n}\n",
    );
    let (docs, errors) = read_all(&path, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs[0].text, "The ferry left.");
    let path = write(dir.path(), "many.json", b"[\n {\"text\": \"a\"}\n]\n");
    let (_, errors) = read_all(&path, &Options::default());
    assert!(errors[0].to_string().contains("jq -c"), "{}", errors[0]);
}

#[test]
fn gzip_of_a_page_and_a_cut_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "page.html.gz", &gzip(PAGE.as_bytes()));
    let (docs, _) = read_all(&path, &Options::default());
    assert_eq!(docs[0].text, PAGE);
    assert_eq!(docs[0].format, Format::Html);
    let gz = gzip(&PAGE.repeat(50).into_bytes());
    let path = write(dir.path(), "cut.html.gz", &gz[..gz.len() / 2]);
    let (docs, errors) = read_all(&path, &Options::default());
    assert!(docs.is_empty());
    assert!(
        matches!(
            errors[0].kind,
            ErrorKind::Truncated {
                what: "the gzip data",
                ..
            }
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn single_documents_and_their_failures() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(
        dir.path(),
        "note.txt",
        "\u{feff}The ferry left at nine.\n".as_bytes(),
    );
    let (docs, _) = read_all(&text, &Options::default());
    assert_eq!(docs[0].origin, Origin::Path(text.clone()));
    assert!(
        docs[0].text.starts_with('\u{feff}'),
        "the byte-order mark is kept"
    );
    assert_eq!(docs[0].format, Format::Text);

    let html = write(
        dir.path(),
        "page.txt",
        b"\n  <html><body><p>Hi</p></body></html>",
    );
    assert_eq!(
        read_all(&html, &Options::default()).0[0].format,
        Format::Html
    );

    let latin1 = write(
        dir.path(),
        "latin1.txt",
        b"Die Stra\xdfenbahn f\xe4hrt \xfcber die Br\xfccke nach S\xfcden.",
    );
    let doc = &read_all(&latin1, &Options::default()).0[0];
    assert!(doc.text.contains("Stra\u{df}enbahn"));
    assert_eq!(doc.decoding.by, CharsetFrom::Detected);

    let broken = write(
        dir.path(),
        "broken.html",
        b"<meta charset=utf-8><p>caf\xe9 and cr\xe8me</p>",
    );
    let doc = &read_all(&broken, &Options::default()).0[0];
    assert_eq!(doc.decoding.replaced, 2);
    assert!(doc.decoding.is_transcoded());

    let cases: Vec<(PathBuf, ErrorKind)> = vec![
        (dir.path().join("missing.txt"), ErrorKind::NotFound),
        (write(dir.path(), "empty.txt", b" \n\t"), ErrorKind::Empty),
        (
            write(dir.path(), "image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            ErrorKind::Binary { offset: 8, byte: 0 },
        ),
        (
            write(dir.path(), "big.txt", &[b'a'; 101]),
            ErrorKind::TooLarge {
                bytes: 101,
                limit: 100,
            },
        ),
    ];
    let small = Options {
        max_bytes: 100,
        ..Options::default()
    };
    for (path, kind) in cases {
        let (docs, errors) = read_all(&path, &small);
        assert!(docs.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, kind, "{}", errors[0]);
    }
    // Over the limit inside gzip and inside a JSON line, without reading it all into memory.
    let path = write(dir.path(), "big.txt.gz", &gzip(&[b'a'; 5000]));
    assert!(matches!(
        read_all(&path, &small).1[0].kind,
        ErrorKind::TooLarge {
            bytes: 101,
            limit: 100
        }
    ));
    let line = format!(
        "{{\"text\": \"{}\"}}\n{{\"text\": \"ok\"}}\n",
        "a".repeat(5000)
    );
    let path = write(dir.path(), "big.jsonl", line.as_bytes());
    let (docs, errors) = read_all(&path, &small);
    assert_eq!(docs.len(), 1);
    assert!(
        matches!(
            errors[0].kind,
            ErrorKind::TooLarge {
                bytes: 5013,
                limit: 100
            }
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn read_one_wants_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "feed.jsonl",
        b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n",
    );
    let err = read_one(path.to_str().unwrap(), &Options::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::SeveralDocuments);
    let err = read_one(dir.path().to_str().unwrap(), &Options::default()).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::SeveralDocuments,
        "a folder with one file reads as that file: {err}"
    );
    let page = write(dir.path(), "page.html", PAGE.as_bytes());
    assert_eq!(
        read_one(page.to_str().unwrap(), &Options::default())
            .unwrap()
            .text,
        PAGE
    );
}

#[test]
fn expand_then_open_reads_a_mixed_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.html", PAGE.as_bytes());
    write(
        dir.path(),
        "b.jsonl",
        b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n",
    );
    write(
        dir.path(),
        "c.warc.gz",
        &crawl().iter().flat_map(|r| gzip(r)).collect::<Vec<u8>>(),
    );
    let expanded = expand(&[dir.path().to_str().unwrap()]);
    let docs: usize = expanded
        .inputs
        .iter()
        .map(|input| {
            open(input, &Options::default())
                .filter(Result::is_ok)
                .count()
        })
        .sum();
    assert_eq!(docs, 1 + 2 + 3);
}
