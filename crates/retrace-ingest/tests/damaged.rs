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
    read_at_most(path, usize::MAX).0
}

/// Reads at most `limit` items of a file; also says whether an item was left.
fn read_at_most(path: &Path, limit: usize) -> (Read, bool) {
    let mut records = open(&Input::Path(path.to_path_buf()), &Options::default());
    let mut out = Read {
        docs: Vec::new(),
        errors: Vec::new(),
        ignored: Vec::new(),
        warnings: Vec::new(),
    };
    for item in records.by_ref().take(limit) {
        match item {
            Ok(doc) => out.docs.push(doc),
            Err(err) => out.errors.push(err),
        }
    }
    let more = records.next().is_some();
    out.ignored = records.ignored().to_vec();
    out.warnings = records.warnings().to_vec();
    (out, more)
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
    write(
        &dir.path().join("news"),
        "a.txt",
        b"The ferry left at nine.",
    );
    let link = dir.path().join("news/back");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    let expanded = expand(&[dir.path().to_str().unwrap()]);
    assert_eq!(
        expanded.inputs,
        [Input::Path(dir.path().join("news/a.txt"))]
    );
    assert_eq!(expanded.errors.len(), 1, "{:?}", expanded.errors);
    let error = &expanded.errors[0];
    assert_eq!(error.origin, Origin::Path(link));
    assert_eq!(error.label(), "symbolic link loop");
    let message = error.to_string();
    assert!(
        message.contains("symbolic link back to a folder above it"),
        "{message}"
    );
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

#[test]
fn issue_13_damaged_gzip_headers_cost_their_member_only() {
    // Found by the fuzz target below: one flipped bit in a member's header.
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<Vec<u8>> = (0..3).map(|n| gzip(&page(n))).collect();
    let starts = offsets(&members);
    for (flag, why) in [
        // A reserved flag: the header is refused before any of it is read, and reading once
        // looped there for ever, noting a loss of 0 bytes each time.
        (0x20, "not a valid gzip member"),
        // FEXTRA: a length read from the deflate data, running past the end of the file;
        // this once ended the file as cut short.
        (0x04, "gzip"),
    ] {
        let mut bytes = members.concat();
        bytes[starts[1] as usize + 3] ^= flag;
        let path = write(dir.path(), "flags.warc.gz", &bytes);
        let out = read(&path);
        let at: Vec<Option<u64>> = out.docs.iter().map(|d| d.origin.offset()).collect();
        assert_eq!(at, [Some(starts[0]), Some(starts[2])], "{:?}", out.errors);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert_eq!(out.errors[0].origin.offset(), Some(starts[1]));
        assert!(out.errors[0].to_string().contains(why), "{}", out.errors[0]);
    }

    // The first member's magic number damaged: the file is still read as gzip (it is named so
    // and a member starts in its first bytes), the bytes before the next member reported.
    let mut bytes = members.concat();
    bytes[0] ^= 1;
    let out = read(&write(dir.path(), "magic.warc.gz", &bytes));
    let at: Vec<Option<u64>> = out.docs.iter().map(|d| d.origin.offset()).collect();
    assert_eq!(at, [Some(starts[1]), Some(starts[2])], "{:?}", out.errors);
    assert_eq!(out.errors[0].origin.offset(), Some(0));

    // The last member's magic number damaged: what follows the last member is not padding to
    // pass over with a warning, but a member lost.
    let mut bytes = members.concat();
    bytes[starts[2] as usize + 2] ^= 1;
    let out = read(&write(dir.path(), "last.warc.gz", &bytes));
    assert_eq!(out.docs.len(), 2);
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert_eq!(out.errors[0].origin.offset(), Some(starts[2]));
    // Zeros after the last member are padding.
    let mut bytes = members.concat();
    bytes.extend([0; 100]);
    let out = read(&write(dir.path(), "padded.warc.gz", &bytes));
    assert_eq!(
        (out.docs.len(), out.errors.len()),
        (3, 0),
        "{:?}",
        out.errors
    );
    assert!(
        out.warnings[0].message.contains("zero bytes"),
        "{:?}",
        out.warnings
    );
}

#[test]
fn issue_13_a_gzip_trailer_cut_short_is_checked_as_far_as_it_goes() {
    // Junk inside the deflate data can make it end a few bytes before the end of the file:
    // those bytes are what is left of the trailer, and are checked.
    let dir = tempfile::tempdir().unwrap();
    let whole = gzip(&page(1));
    let cut = &whole[..whole.len() - 5];
    let out = read(&write(dir.path(), "cut.warc.gz", cut));
    assert_eq!(
        out.docs.len(),
        1,
        "a trailer cut short but right: {:?}",
        out.errors
    );
    assert!(out.warnings[0].message.contains("could not be checked"));
    let mut bad = cut.to_vec();
    let crc = whole.len() - 8;
    bad[crc] ^= 1;
    let out = read(&write(dir.path(), "bad.warc.gz", &bad));
    assert!(out.docs.is_empty());
    assert!(
        out.errors[0].to_string().contains("CRC"),
        "{}",
        out.errors[0]
    );
}

#[test]
fn issue_13_going_back_over_damaged_gzip_members_is_rationed() {
    // Hostile input: 5,000 member headers nested in each other's extra fields, so that every
    // one of them reads the same 4 MiB of deflate data, which fails its check at the end.
    // Going back to the second byte of each dropped member would read 20 GB; the reader goes
    // back over at most about twice what it has read, and reports the rest as lost.
    let dir = tempfile::tempdir().unwrap();
    let headers = 5_000;
    let data_at = 12 * headers;
    let mut bytes = Vec::new();
    for i in 0..headers {
        let extra = (data_at - (12 * i + 12)) as u16;
        bytes.extend([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff]);
        bytes.extend(extra.to_le_bytes());
    }
    let mut stored = flate2::write::DeflateEncoder::new(Vec::new(), Compression::none());
    let noise: Vec<u8> = (0..4u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    stored.write_all(&noise).unwrap();
    bytes.extend(stored.finish().unwrap());
    bytes.extend([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]);
    let path = write(dir.path(), "nested.txt.gz", &bytes);
    let started = std::time::Instant::now();
    let out = read(&path);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(out.docs.is_empty());
    let lost: u64 = out
        .errors
        .iter()
        .filter_map(|e| match e.kind {
            ErrorKind::CorruptGzip { bytes, .. } => Some(bytes),
            // Nothing is left of the document.
            ErrorKind::Empty => None,
            _ => panic!("{e}"),
        })
        .sum();
    assert_eq!(
        lost,
        bytes.len() as u64,
        "every byte is reported lost, once"
    );
}

#[test]
fn issue_13_a_stray_bracket_line_in_jsonl_costs_that_line() {
    // A `[` line after the first once ended the file as "a JSON array"; a `{` line read the
    // rest of the file as one pretty-printed object, reported as one bad line.
    let dir = tempfile::tempdir().unwrap();
    let line = |n: usize| format!("{{\"text\": \"Story number {n}: the ferry left.\"}}\n");
    for stray in ["[", "{", "  {  "] {
        let data = format!("{}{stray}\n{}{}", line(0), line(1), line(2));
        let out = read(&write(dir.path(), "stray.jsonl", data.as_bytes()));
        let lines: Vec<Option<u64>> = out.docs.iter().map(|d| d.origin.line()).collect();
        assert_eq!(
            lines,
            [Some(1), Some(3), Some(4)],
            "{stray:?}: {:?}",
            out.errors
        );
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].origin.line(), Some(2));
    }
    // A pretty-printed object still reads as one record, and a file that opens with `[` is
    // still told to be a JSON array.
    let data = format!(
        "{}{{\n  \"text\": \"Story number 1.\"\n}}\n{}",
        line(0),
        line(2)
    );
    let out = read(&write(dir.path(), "pretty.jsonl", data.as_bytes()));
    let lines: Vec<Option<u64>> = out.docs.iter().map(|d| d.origin.line()).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(5)], "{:?}", out.errors);
    let out = read(&write(
        dir.path(),
        "array.json",
        b"[\n{\"text\": \"x\"}\n]\n",
    ));
    assert!(out.errors[0].to_string().contains("JSON array"));
}

/// Bounded property tests over the WARC, ARC, gzip and JSONL readers (issue 13's fuzz target):
/// random truncations, junk insertions, flipped bytes and wrong lengths. Whatever the damage,
/// reading never panics, ends after at most one item per input byte, gives every item an
/// offset inside the file, and reads every record the damage did not touch, at its offset;
/// the record hit is read, or reported (an error at an offset within it, a count of records of
/// an unknown type, a warning where only whitespace or unchecked data is at stake). Also run
/// by hand with 20,000 and 50,000 cases a property (`FUZZ_CASES`, below).
mod fuzz {
    use proptest::prelude::*;

    use super::*;

    /// Cases per property: 64, or `FUZZ_CASES` (a longer run by hand:
    /// `FUZZ_CASES=5000 cargo test -p retrace-ingest --release --test damaged fuzz`).
    fn cases() -> u32 {
        std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(64)
    }

    /// Damage done to a file's bytes; positions are fractions of its length (per mille).
    #[derive(Clone, Debug)]
    enum Damage {
        Truncate(u32),
        /// Junk without digits (which could make a length) and without the bytes that start a
        /// WARC record or a gzip member.
        Insert(u32, Vec<u8>),
        Flip(u32, u8),
    }

    fn junk() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(any::<u8>(), 1..40).prop_map(|bytes| {
            bytes
                .into_iter()
                .filter(|b| !b.is_ascii_digit() && *b != b'W' && *b != 0x1f)
                .chain([b'#'])
                .collect()
        })
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            (0u32..1000).prop_map(Damage::Truncate),
            (0u32..1000, junk()).prop_map(|(at, junk)| Damage::Insert(at, junk)),
            (0u32..1000, 1u8..=255).prop_map(|(at, mask)| Damage::Flip(at, mask)),
        ]
    }

    /// Applies the damage; returns the bytes, where it struck, and how far what follows moved.
    fn apply(bytes: &[u8], damage: &Damage) -> (Vec<u8>, usize, i64) {
        let mut out = bytes.to_vec();
        let at = |per_mille: u32| bytes.len() * per_mille as usize / 1000;
        match damage {
            Damage::Truncate(p) => {
                out.truncate(at(*p));
                (out, at(*p), 0)
            }
            Damage::Insert(p, junk) => {
                let at = at(*p);
                out.splice(at..at, junk.iter().copied());
                (out, at, junk.len() as i64)
            }
            Damage::Flip(p, mask) => {
                let at = at(*p).min(bytes.len() - 1);
                out[at] ^= mask;
                (out, at, 0)
            }
        }
    }

    /// Reads a file with a bound on the items; checks the invariants every reader keeps.
    fn read_bounded(path: &Path, len: usize) -> Read {
        let (out, more) = read_at_most(path, len + 16);
        assert!(!more, "more items than bytes: a loop");
        for origin in out
            .docs
            .iter()
            .map(|d| &d.origin)
            .chain(out.errors.iter().map(|e| &e.origin))
        {
            assert_eq!(origin.file(), &Origin::Path(path.to_path_buf()));
            if let Origin::Record {
                at: retrace_span::RecordAt::Offset(offset),
                ..
            } = origin
            {
                assert!(*offset <= len as u64, "{origin} past the end ({len})");
            }
        }
        out
    }

    /// The records `0..n`, each a page or (every third) a request that carries none.
    fn crawl(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| {
                if i % 3 == 2 {
                    record(
                        "request",
                        "https://news.example/",
                        "application/http; msgtype=request",
                        b"GET / HTTP/1.1\r\n\r\n",
                    )
                } else {
                    page(i)
                }
            })
            .collect()
    }

    /// Checks that every page record but the one hit is read at its (moved) offset, and that
    /// the one hit, when not read, is reported.
    fn check_untouched(
        out: &Read,
        parts: &[Vec<u8>],
        hit: usize,
        shift: i64,
        truncated: bool,
    ) -> Result<(), TestCaseError> {
        let starts = offsets(parts);
        let found = |n: usize, offset: u64| {
            out.docs
                .iter()
                .any(|d| says(d, n) && d.origin.offset() == Some(offset))
        };
        let mut end = 0;
        for (n, part) in parts.iter().enumerate() {
            let (start, stop) = (starts[n], starts[n] + part.len() as u64);
            end = stop;
            if n % 3 == 2 {
                continue;
            }
            let before = stop <= hit as u64;
            let after = start > hit as u64 || (start == hit as u64 && shift > 0);
            if before {
                prop_assert!(
                    found(n, start),
                    "record {n} before the damage: {:?}",
                    out.errors
                );
            } else if after && !truncated {
                let moved = (start as i64 + shift) as u64;
                prop_assert!(
                    found(n, moved),
                    "record {n} after the damage: {:?}",
                    out.errors
                );
            } else if !truncated && !found(n, start) {
                let reported = out.errors.iter().any(|e| {
                    e.origin
                        .offset()
                        .is_some_and(|o| o >= start && o <= (stop as i64 + shift) as u64)
                });
                // A damaged `WARC-Type` makes a record of an unknown type: passed over by
                // design (the WARC standard says so), and counted under that type.
                let unknown_type = out
                    .ignored
                    .iter()
                    .any(|(kind, _)| !["request", "response"].contains(&kind.as_str()));
                prop_assert!(
                    reported || unknown_type,
                    "record {n} hit, neither read nor reported: {:?} {:?}",
                    out.errors,
                    out.ignored
                );
            }
        }
        let _ = end;
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn warc(n in 1usize..6, damage in damage()) {
            let dir = tempfile::tempdir().unwrap();
            let parts = crawl(n);
            let (bytes, hit, shift) = apply(&parts.concat(), &damage);
            let path = write(dir.path(), "crawl.warc", &bytes);
            let out = read_bounded(&path, bytes.len());
            let truncated = matches!(damage, Damage::Truncate(_));
            if matches!(damage, Damage::Flip(..)) {
                // A flipped digit can lengthen a record over the next ones: only what came
                // before is sure.
                check_untouched(&out, &parts, hit, 0, true)?;
            } else {
                check_untouched(&out, &parts, hit, shift, truncated)?;
            }
        }

        #[test]
        fn warc_gz_one_member_a_record(n in 1usize..6, damage in damage()) {
            let dir = tempfile::tempdir().unwrap();
            let parts = crawl(n);
            let members: Vec<Vec<u8>> = parts.iter().map(|p| gzip(p)).collect();
            let (bytes, hit, shift) = apply(&members.concat(), &damage);
            let path = write(dir.path(), "crawl.warc.gz", &bytes);
            let out = read_bounded(&path, bytes.len());
            // Each member stands alone: whatever the damage, only the member hit suffers.
            let truncated = matches!(damage, Damage::Truncate(_));
            let starts = offsets(&members);
            for (i, member) in members.iter().enumerate() {
                if i % 3 == 2 {
                    continue;
                }
                let (start, stop) = (starts[i], starts[i] + member.len() as u64);
                let found = |offset: u64| out.docs.iter().any(|d| says(d, i) && d.origin.offset() == Some(offset));
                if stop <= hit as u64 {
                    prop_assert!(found(start), "member {} before the damage: {:?}", i, out.errors);
                } else if start > hit as u64 && !truncated {
                    prop_assert!(found((start as i64 + shift) as u64), "member {} after: {:?}", i, out.errors);
                } else if !truncated && !found(start) {
                    // Reported at the member's offset, or as the whole file (its first member
                    // lost its magic number, and no other member starts in its first bytes:
                    // then it is not taken for gzip, and read as what it looks like).
                    let whole_file = Origin::Path(path.clone());
                    prop_assert!(
                        out.errors.iter().any(|e| e.origin.offset() == Some(start) || e.origin == whole_file),
                        "member {} hit, neither read nor reported: {:?} {:?}", i, out.errors, out.ignored
                    );
                }
            }
        }

        #[test]
        fn warc_gzipped_whole(n in 1usize..6, damage in damage()) {
            let dir = tempfile::tempdir().unwrap();
            let (bytes, _, _) = apply(&gzip(&crawl(n).concat()), &damage);
            let path = write(dir.path(), "whole.warc.gz", &bytes);
            let out = read_bounded(&path, bytes.len());
            if !matches!(damage, Damage::Truncate(_)) {
                // One member: either it checks out and every page is read, or it is reported.
                let pages = (0..n).filter(|i| i % 3 != 2).count();
                prop_assert!(out.docs.len() == pages || !out.errors.is_empty(), "{:?}", out.errors);
            }
        }

        #[test]
        fn warc_wrong_length(n in 2usize..6, which in 0usize..6, delta in -60i64..60) {
            prop_assume!(delta != 0);
            let dir = tempfile::tempdir().unwrap();
            let mut parts = crawl(n);
            let which = which % n;
            let text = String::from_utf8(parts[which].clone()).unwrap();
            let length: i64 = text.split("Content-Length: ").nth(1).unwrap()
                .split('\r').next().unwrap().parse().unwrap();
            let wrong = (length + delta).max(0);
            parts[which] = text
                .replacen(&format!("Content-Length: {length}\r"), &format!("Content-Length: {wrong}\r"), 1)
                .into_bytes();
            let path = write(dir.path(), "lengths.warc", &parts.concat());
            let out = read_bounded(&path, parts.concat().len());
            let starts = offsets(&parts);
            for i in (0..n).filter(|i| i % 3 != 2 && *i != which) {
                let found = out.docs.iter().any(|d| says(d, i) && d.origin.offset() == Some(starts[i]));
                // Too short: everything else is read. Too long: what comes before is.
                if delta < 0 || i < which {
                    prop_assert!(found, "record {} ({} by {}): {:?}", i, which, delta, out.errors);
                }
            }
            if delta < 0 {
                // The left-over bytes are reported: as a region passed over, or, when they are
                // only whitespace (they cannot be told from the CRLF CRLF after the block then),
                // by a warning on the record that the separator is not as it should be.
                let block_end = text.len() - 4;
                let left_over = &text.as_bytes()[block_end - (length - wrong) as usize..block_end];
                let warned = out.warnings.iter().any(|w| w.origin.offset() == Some(starts[which]));
                prop_assert!(
                    !out.errors.is_empty() || (warned && left_over.trim_ascii().is_empty()),
                    "the left-over bytes {:?} are reported: {:?} {:?}", left_over, out.errors, out.warnings
                );
            }
        }

        #[test]
        fn arc(n in 1usize..6, damage in damage()) {
            let dir = tempfile::tempdir().unwrap();
            let bodies: Vec<Vec<u8>> = (0..n)
                .map(|i| format!("Story number {i}: the ferry left at nine.\n").into_bytes())
                .collect();
            let urls: Vec<String> = (0..n).map(|i| format!("http://news.example/{i}")).collect();
            let records: Vec<(&str, &[u8])> =
                urls.iter().map(String::as_str).zip(bodies.iter().map(Vec::as_slice)).collect();
            let (mut parts, whole) = super::arc(&records);
            let (bytes, hit, shift) = apply(&whole, &damage);
            let path = write(dir.path(), "crawl.arc", &bytes);
            let out = read_bounded(&path, bytes.len());
            // Index the parts like a crawl whose every record is a page (the version block
            // becomes "record 2", which is skipped by the every-third rule: move it there).
            let filedesc = parts.remove(0);
            let starts = offsets(&[vec![filedesc.clone()], parts.clone()].concat());
            let truncated = matches!(damage, Damage::Truncate(_));
            let flipped = matches!(damage, Damage::Flip(..));
            for (i, part) in parts.iter().enumerate() {
                let (start, stop) = (starts[i + 1], starts[i + 1] + part.len() as u64);
                let found = |offset: u64| out.docs.iter().any(|d| says(d, i) && d.origin.offset() == Some(offset));
                if stop <= hit as u64 {
                    prop_assert!(found(start), "record {} before: {:?}", i, out.errors);
                } else if start > hit as u64 && !truncated && !flipped
                    && filedesc.len() as u64 <= hit as u64
                {
                    prop_assert!(found((start as i64 + shift) as u64), "record {} after: {:?}", i, out.errors);
                } else if !truncated && start <= hit as u64 && !found(start) {
                    // The record hit: read, or reported
                    // at an offset within it, or counted under a damaged URL scheme.
                    let end = (stop as i64 + shift) as u64;
                    // A flipped digit can make its length run past the end: the file is then
                    // reported cut short inside it.
                    let reported = out.errors.iter().any(|e| {
                        e.origin.offset().is_some_and(|o| o >= start && o <= end)
                            || matches!(e.kind, ErrorKind::Truncated { offset, .. } if offset >= start)
                    });
                    let scheme = out.ignored.iter().any(|(kind, _)| kind != "filedesc");
                    // A flipped byte in its text leaves a record read that says something else.
                    let read = out.docs.iter().any(|d| d.origin.offset() == Some(start));
                    prop_assert!(
                        reported || scheme || read,
                        "record {} hit, neither read nor reported: {:?} {:?}", i, out.errors, out.ignored
                    );
                }
            }
        }

        #[test]
        fn jsonl(lines in prop::collection::vec(0usize..3, 1..30), damage in damage(), depth in 0usize..4000, gz in any::<bool>()) {
            // Each line: an article, or one nested `depth` levels deep, or a blank line.
            let dir = tempfile::tempdir().unwrap();
            let mut data = Vec::new();
            let mut starts = Vec::new();
            for (i, kind) in lines.iter().enumerate() {
                starts.push(data.len());
                match kind {
                    0 => data.extend_from_slice(format!("{{\"text\": \"Story number {i}: the ferry.\"}}\n").as_bytes()),
                    1 => data.extend_from_slice(format!("{{\"text\": \"x\", \"deep\": {}1{}}}\n", "[".repeat(depth), "]".repeat(depth)).as_bytes()),
                    _ => data.push(b'\n'),
                }
            }
            let (damaged, hit, shift) = apply(&data, &damage);
            let bytes = if gz { gzip(&damaged) } else { damaged.clone() };
            let path = write(dir.path(), if gz { "feed.jsonl.gz" } else { "feed.jsonl" }, &bytes);
            let out = read_bounded(&path, bytes.len().max(damaged.len()));
            let truncated = matches!(damage, Damage::Truncate(_));
            let flipped = matches!(damage, Damage::Flip(..));
            for (i, kind) in lines.iter().enumerate() {
                let line_end = starts.get(i + 1).copied().unwrap_or(data.len());
                let before = line_end <= hit;
                // After the damage, and not joined to it: a flipped line break joins the next
                // line to the one it ends.
                let after = !truncated && starts[i] > hit && !(flipped && starts[i] == hit + 1);
                if *kind == 0 && (before || after) {
                    // Its line number in the damaged file: junk or a flip can add line breaks
                    // or take one away.
                    let moved = if before { starts[i] } else { (starts[i] as i64 + shift) as usize };
                    let line = damaged[..moved].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                    prop_assert!(
                        out.docs.iter().any(|d| says(d, i) && d.origin.line() == Some(line)),
                        "line {} untouched: {:?}", line, out.errors
                    );
                }
            }
        }

        #[test]
        fn gzip_members(texts in prop::collection::vec(1usize..3000, 1..5), damage in damage()) {
            // A document in several members (gzip bombs aside: their size is checked below).
            let dir = tempfile::tempdir().unwrap();
            let members: Vec<Vec<u8>> = texts.iter().enumerate()
                .map(|(i, len)| gzip(format!("Part {i}. {}\n", "a".repeat(*len)).as_bytes()))
                .collect();
            let (bytes, _, _) = apply(&members.concat(), &damage);
            let path = write(dir.path(), "note.txt.gz", &bytes);
            let out = read_bounded(&path, bytes.len());
            prop_assert!(out.docs.len() <= 1);
            // Data that fails its check is dropped, so what is read is at most what was
            // written; unless a member lost its trailer whole (then nothing checks its data,
            // and a warning says so).
            let unchecked = out.warnings.iter().any(|w| w.message.contains("could not be checked"));
            for doc in &out.docs {
                prop_assert!(
                    unchecked || doc.text.len() <= texts.iter().sum::<usize>() + 20 * texts.len(),
                    "{} bytes read: {:?} {:?}", doc.text.len(), out.errors, out.warnings
                );
            }
        }
    }

    #[test]
    fn gzip_bomb_is_too_large_by_its_decompressed_size() {
        let dir = tempfile::tempdir().unwrap();
        let small = Options {
            max_bytes: 10_000,
            ..Options::default()
        };
        let bomb = gzip(&vec![b'a'; 50_000_000]);
        assert!(bomb.len() < 100_000);
        let path = write(dir.path(), "bomb.txt.gz", &bomb);
        let errors: Vec<Error> = open(&Input::Path(path), &small)
            .filter_map(Result::err)
            .collect();
        assert!(matches!(
            errors[0].kind,
            ErrorKind::TooLarge {
                bytes: 10_001,
                limit: 10_000
            }
        ));
        // In an HTTP body inside a WARC record too.
        let response = record(
            "response",
            "https://news.example/bomb",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                &bomb,
            ),
        );
        let path = write(dir.path(), "bomb.warc", &response);
        let big = Options {
            max_bytes: 200_000,
            ..Options::default()
        };
        let errors: Vec<Error> = open(&Input::Path(path), &big)
            .filter_map(Result::err)
            .collect();
        assert!(
            matches!(errors[0].kind, ErrorKind::TooLarge { bytes: 200_001, .. }),
            "{}",
            errors[0]
        );
    }
}
