//! Broken and hostile inputs (issue 13, items 8–13): every test builds its damaged input
//! itself, and checks that what is intact is still read and that what is lost is reported
//! with its offset.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use retrace_ingest::{
    CharsetFrom, Error, ErrorKind, Format, Input, Options, RawDoc, Warning, expand, open,
};
use retrace_span::Origin;

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

/// Everything one input yields.
struct Read {
    docs: Vec<RawDoc>,
    errors: Vec<Error>,
    ignored: Vec<(String, u64)>,
    warnings: Vec<Warning>,
}

fn read(path: &Path) -> Read {
    let mut records = open(&Input::Path(path.to_path_buf()), &Options::default());
    let mut out = Read {
        docs: Vec::new(),
        errors: Vec::new(),
        ignored: Vec::new(),
        warnings: Vec::new(),
    };
    for item in records.by_ref() {
        match item {
            Ok(doc) => out.docs.push(doc),
            Err(err) => out.errors.push(err),
        }
    }
    out.ignored = records.ignored().to_vec();
    out.warnings = records.warnings().to_vec();
    out
}

/// One WARC record.
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

/// A response record holding a small page that says `n`.
fn page(n: usize) -> Vec<u8> {
    let body =
        format!("<html><body><p>Story number {n}: the ferry left at nine.</p></body></html>");
    record(
        "response",
        &format!("https://news.example/{n}"),
        "application/http; msgtype=response",
        &http("200 OK", "Content-Type: text/html\r\n", body.as_bytes()),
    )
}

fn offsets(parts: &[Vec<u8>]) -> Vec<u64> {
    parts
        .iter()
        .scan(0u64, |at, part| {
            let start = *at;
            *at += part.len() as u64;
            Some(start)
        })
        .collect()
}

fn says(doc: &RawDoc, n: usize) -> bool {
    doc.text.contains(&format!("Story number {n}:"))
}

#[test]
fn issue_13_warc_content_length_two_bytes_short() {
    // Item 9: the record is read (two bytes short), the two bytes left over are reported,
    // and every record after it is read.
    let dir = tempfile::tempdir().unwrap();
    let mut records: Vec<Vec<u8>> = (0..5).map(page).collect();
    let short = String::from_utf8(records[1].clone()).unwrap();
    let length = short
        .split("Content-Length: ")
        .nth(1)
        .unwrap()
        .split('\r')
        .next()
        .unwrap();
    let wrong = (length.parse::<u64>().unwrap() - 2).to_string();
    records[1] = short
        .replacen(
            &format!("Content-Length: {length}"),
            &format!("Content-Length: {wrong}"),
            1,
        )
        .into_bytes();
    let bytes = records.concat();
    let path = write(dir.path(), "short.warc", &bytes);
    let out = read(&path);
    assert_eq!(out.docs.len(), 5, "{:?}", out.errors);
    for (n, doc) in out.docs.iter().enumerate() {
        assert!(says(doc, n));
        assert_eq!(doc.origin.offset(), Some(offsets(&records)[n]));
    }
    assert_eq!(out.errors.len(), 1);
    let error = &out.errors[0];
    assert_eq!(error.label(), "malformed WARC");
    assert!(
        matches!(&error.kind, ErrorKind::Unreadable { bytes: 6, resumed: true, reason, .. }
            if reason.contains("Content-Length may be wrong")),
        "{error}"
    );
}

#[test]
fn issue_13_junk_between_warc_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut parts: Vec<Vec<u8>> = (0..4).map(page).collect();
    parts.insert(2, b"\x00\x17garbage bytes\r\nmore of them".to_vec());
    let path = write(dir.path(), "junk.warc", &parts.concat());
    let out = read(&path);
    assert_eq!(out.docs.len(), 4, "{:?}", out.errors);
    assert!(says(&out.docs[2], 2));
    assert_eq!(out.docs[2].origin.offset(), Some(offsets(&parts)[3]));
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].origin.offset(), Some(offsets(&parts)[2]));
    assert!(
        matches!(out.errors[0].kind, ErrorKind::Unreadable { bytes, .. } if bytes == parts[2].len() as u64),
        "{}",
        out.errors[0]
    );
    assert!(
        out.errors[0]
            .to_string()
            .contains("passed over up to the next record")
    );
}

#[test]
fn issue_13_gzip_http_body_without_its_trailer_is_kept_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let body = gzip(b"<html><body><p>Story number 7: the ferry left.</p></body></html>");
    let body = &body[..body.len() - 8];
    let response = record(
        "response",
        "https://news.example/7",
        "application/http; msgtype=response",
        &http(
            "200 OK",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            body,
        ),
    );
    let path = write(dir.path(), "trailer.warc", &response);
    let out = read(&path);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(says(&out.docs[0], 7));
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0].message.contains("trailer"),
        "{}",
        out.warnings[0]
    );
    assert_eq!(out.warnings[0].origin, out.docs[0].origin);
}

#[test]
fn issue_13_warc_gz_member_without_its_trailer() {
    // The last member lost its 8-byte trailer; one in the middle too.
    let dir = tempfile::tempdir().unwrap();
    let mut members: Vec<Vec<u8>> = (0..3).map(|n| gzip(&page(n))).collect();
    for member in [0, 2] {
        let len = members[member].len();
        members[member].truncate(len - 8);
    }
    let path = write(dir.path(), "trailer.warc.gz", &members.concat());
    let out = read(&path);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.docs.len(), 3);
    let starts = offsets(&members);
    for (n, doc) in out.docs.iter().enumerate() {
        assert!(says(doc, n));
        assert_eq!(doc.origin.offset(), Some(starts[n]));
    }
    let warned: Vec<Option<u64>> = out.warnings.iter().map(|w| w.origin.offset()).collect();
    assert_eq!(warned, [Some(starts[0]), Some(starts[2])]);
}

#[test]
fn issue_13_corrupt_gzip_member_is_dropped_and_reading_goes_on() {
    // Item 10: member 2 of 4 fails its CRC: it is dropped with its offset, 3 and 4 are read.
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (1..=4)
        .map(|n| format!("{{\"text\": \"Story number {n}: the ferry left at nine.\"}}\n"))
        .collect();
    let mut members: Vec<Vec<u8>> = lines.iter().map(|l| gzip(l.as_bytes())).collect();
    let crc = members[1].len() - 8;
    members[1][crc] ^= 0x40;
    let path = write(dir.path(), "feed.jsonl.gz", &members.concat());
    let out = read(&path);
    let texts: Vec<&str> = out.docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts.len(), 3, "{texts:?} {:?}", out.errors);
    assert!(texts.iter().all(|t| !t.contains("number 2")));
    assert!(texts[2].contains("number 4"));
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    let error = &out.errors[0];
    assert_eq!(error.origin.offset(), Some(offsets(&members)[1]));
    assert_eq!(error.label(), "corrupt gzip data");
    assert!(error.to_string().contains("CRC"), "{error}");
    assert!(!error.to_string().contains("cut short"), "{error}");

    // In a WARC.gz, a member whose deflate data is damaged costs its record only, and the
    // records after it keep their members' offsets.
    let mut members: Vec<Vec<u8>> = (0..4).map(|n| gzip(&page(n))).collect();
    let middle = members[1].len() / 2;
    for byte in &mut members[1][12..middle] {
        *byte = !*byte;
    }
    let path = write(dir.path(), "crawl.warc.gz", &members.concat());
    let out = read(&path);
    let starts = offsets(&members);
    let read_back: Vec<Option<u64>> = out.docs.iter().map(|d| d.origin.offset()).collect();
    assert_eq!(
        read_back,
        [Some(starts[0]), Some(starts[2]), Some(starts[3])],
        "{:?}",
        out.errors
    );
    assert!(says(&out.docs[1], 2));
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert_eq!(out.errors[0].origin.offset(), Some(starts[1]));
}

#[test]
fn issue_13_nul_byte_in_a_jsonl_costs_one_line() {
    // Item 11: one NUL byte near the start of a 3,000-line file.
    let dir = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    for n in 1..=3000 {
        data.extend_from_slice(format!("{{\"id\": {n}, \"text\": \"Story {n}.\"}}\n").as_bytes());
    }
    let nul = data.iter().position(|&b| b == b'S').unwrap();
    data[nul] = 0;
    let path = write(dir.path(), "feed.jsonl", &data);
    let out = read(&path);
    assert_eq!(out.docs.len(), 2999);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].origin.line(), Some(1));
    assert!(matches!(
        out.errors[0].kind,
        ErrorKind::Binary { byte: 0, .. }
    ));
    // A binary file that only carries a JSON name is still refused whole.
    let path = write(dir.path(), "image.json", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = read(&path);
    assert_eq!(out.errors.len(), 1);
    assert!(matches!(out.errors[0].kind, ErrorKind::Binary { .. }));
}

#[test]
fn issue_13_one_bad_byte_in_utf8_stays_utf8() {
    // Item 12: a UTF-8 article with one corrupted byte is not read as windows-1252.
    let dir = tempfile::tempdir().unwrap();
    let article = "\u{201c}We will not sail,\u{201d} said the captain \u{2014} the ferry to \
                   Lindholm stays in port. Crews in Z\u{fc}rich and Malm\u{f6} walked out \
                   too; the strike\u{2019}s end is not in sight.\n";
    let mut bytes = article.as_bytes().to_vec();
    let at = article.find("port").unwrap();
    bytes[at] = 0xff;
    let path = write(dir.path(), "copy.txt", &bytes);
    let doc = &read(&path).docs[0];
    assert_eq!(doc.decoding.charset, "UTF-8");
    assert_eq!(doc.decoding.by, CharsetFrom::Utf8);
    assert_eq!(doc.decoding.replaced, 1);
    assert_eq!(doc.text, article.replacen("port", "\u{fffd}ort", 1));
}

#[cfg(unix)]
#[test]
fn issue_13_fifo_in_a_folder_is_skipped() {
    // Item 13: reading a FIFO found in a folder would block for ever.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"The ferry left at nine.");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let expanded = expand(&[dir.path().to_str().unwrap()]);
    assert_eq!(expanded.inputs, [Input::Path(dir.path().join("a.txt"))]);
    assert_eq!(expanded.errors.len(), 1);
    assert_eq!(expanded.errors[0].origin, Origin::Path(fifo.clone()));
    assert_eq!(expanded.errors[0].label(), "not a regular file");
    assert!(expanded.errors[0].to_string().contains("FIFO"));
    let expanded = expand(&[format!("{}/*", dir.path().display())]);
    assert_eq!(expanded.inputs.len(), 1);
    assert_eq!(expanded.errors.len(), 1);
}

#[cfg(unix)]
#[test]
fn issue_13_a_symbolic_link_loop_is_named_as_one() {
    // Item 20: the loop was reported as an I/O error that advised checking the disk.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("news")).unwrap();
    write(&dir.path().join("news"), "a.txt", b"The ferry left at nine.");
    let link = dir.path().join("news/back");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    let expanded = expand(&[dir.path().to_str().unwrap()]);
    assert_eq!(expanded.inputs, [Input::Path(dir.path().join("news/a.txt"))]);
    assert_eq!(expanded.errors.len(), 1, "{:?}", expanded.errors);
    let error = &expanded.errors[0];
    assert_eq!(error.origin, Origin::Path(link));
    assert_eq!(error.label(), "symbolic link loop");
    let message = error.to_string();
    assert!(message.contains("symbolic link back to a folder above it"), "{message}");
    assert!(!message.contains("disk"), "{message}");
}

#[test]
fn issue_13_crawler_logs_and_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let parts = [
        record(
            "resource",
            "metadata://gnu.org/software/wget/warc/wget.log",
            "text/plain",
            b"--2026-11-20 08:00:00--  https://news.example/\nResolving news.example... 10.0.0.1\n",
        ),
        record(
            "response",
            "https://news.example/old",
            "application/http; msgtype=response",
            &http("302 Found", "Location: https://news.example/new\r\n", b""),
        ),
        page(1),
    ];
    let path = write(dir.path(), "wget.warc", &parts.concat());
    let out = read(&path);
    assert_eq!(out.docs.len(), 1);
    assert!(says(&out.docs[0], 1));
    assert_eq!(out.ignored, [("crawler metadata".to_owned(), 1)]);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].label(), "HTTP redirect");
    assert_eq!(
        out.errors[0].kind.to_string(),
        "HTTP status 302, a redirect to https://news.example/new; not a page"
    );
}

/// An ARC v1 file: the version block, then records.
fn arc(records: &[(&str, &[u8])]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let version = b"1 0 Test Archive\nURL IP-address Archive-date Content-type Archive-length\n";
    let mut parts = vec![
        [
            format!(
                "filedesc://test.arc 0.0.0.0 19961104142103 text/plain {}\n",
                version.len()
            )
            .as_bytes(),
            version,
            b"\n",
        ]
        .concat(),
    ];
    for (url, body) in records {
        let mime = if body.starts_with(b"HTTP/") {
            "text/html"
        } else {
            "text/plain"
        };
        parts.push(
            [
                format!("{url} 10.0.0.1 19961104142103 {mime} {}\n", body.len()).as_bytes(),
                body,
                b"\n",
            ]
            .concat(),
        );
    }
    let whole = parts.concat();
    (parts, whole)
}

#[test]
fn issue_13_arc_files() {
    // Item 8: ARC records, not one merged page.
    let dir = tempfile::tempdir().unwrap();
    let one = http(
        "200 OK",
        "Content-Type: text/html; charset=ISO-8859-1\r\n",
        b"<html><body><p>Caf\xe9 owners protest.</p></body></html>",
    );
    let (parts, whole) = arc(&[
        ("http://www.example.com:80/a.html", &one),
        (
            "http://www.example.com:80/gone",
            &http("404 Not Found", "", b"no"),
        ),
        (
            "ftp://ftp.example.com/notes.txt",
            b"The ferry left at nine.\n",
        ),
    ]);
    let starts = offsets(&parts);
    let path = write(dir.path(), "crawl.arc", &whole);
    let out = read(&path);
    assert_eq!(out.docs.len(), 2, "{:?}", out.errors);
    let page = &out.docs[0];
    assert_eq!(page.format, Format::Html);
    assert!(page.text.contains("Caf\u{e9} owners"));
    assert!(
        !page.text.contains("HTTP/1.1"),
        "the HTTP headers are not text"
    );
    assert_eq!(
        page.record.url.as_deref(),
        Some("http://www.example.com:80/a.html")
    );
    assert_eq!(page.record.fetched.as_deref(), Some("1996-11-04T14:21:03Z"));
    assert_eq!(
        page.origin.to_string(),
        format!("{}@{}", path.display(), starts[1])
    );
    assert_eq!(out.docs[1].text, "The ferry left at nine.\n");
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].kind, ErrorKind::HttpStatus { status: 404 });
    assert_eq!(out.ignored, [("filedesc".to_owned(), 1)]);

    // ARC.gz, one member a record: offsets are the members'.
    let members: Vec<Vec<u8>> = parts.iter().map(|p| gzip(p)).collect();
    let path = write(dir.path(), "crawl.arc.gz", &members.concat());
    let out = read(&path);
    assert_eq!(out.docs.len(), 2, "{:?}", out.errors);
    assert_eq!(out.docs[1].origin.offset(), Some(offsets(&members)[3]));

    // A wrong length: the record is read short, the rest reported, the next record read.
    let mut damaged = whole.clone();
    let header = "ftp://ftp.example.com/notes.txt 10.0.0.1 19961104142103 text/plain 24";
    let at = damaged
        .windows(header.len())
        .position(|w| w == header.as_bytes())
        .unwrap();
    damaged.splice(
        at + header.len() - 2..at + header.len(),
        b"20".iter().copied(),
    );
    let (more, _) = arc(&[("http://www.example.com/b", b"Crews walked out.\n")]);
    damaged.extend_from_slice(&more[1]);
    let path = write(dir.path(), "damaged.arc", &damaged);
    let out = read(&path);
    let texts: Vec<&str> = out.docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts.len(), 3, "{:?}", out.errors);
    assert_eq!(texts[2], "Crews walked out.\n");
    assert!(
        out.errors.iter().any(|e| e.label() == "malformed ARC"),
        "{:?}",
        out.errors
    );
}

#[test]
fn issue_13_deep_json_and_huge_headers_are_named_skips() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "{{\"text\": {}1{}}}\n{{\"text\": \"Crews walked out.\"}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let path = write(dir.path(), "deep.jsonl", deep.as_bytes());
    let out = read(&path);
    assert_eq!(out.docs.len(), 1);
    assert!(
        matches!(&out.errors[0].kind, ErrorKind::MalformedJson { reason } if reason.contains("nested more than 128")),
        "{}",
        out.errors[0]
    );

    // A WARC header block that never ends is junk, not a record to hold in memory.
    let mut bytes = b"WARC/1.1\r\nWARC-Type: response\r\nX-Long: ".to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 600_000));
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(&page(1));
    let path = write(dir.path(), "huge.warc", &bytes);
    let out = read(&path);
    assert_eq!(out.docs.len(), 1, "{:?}", out.errors);
    assert!(
        matches!(&out.errors[0].kind, ErrorKind::Unreadable { reason, .. } if reason.contains("256 KiB")),
        "{}",
        out.errors[0]
    );
}

