//! `retrace serve`: the HTTP API and the pages over an index of the demo corpus, through a real
//! HTTP client against the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::{Server, demo, retrace, serve_demo};

/// The demo corpus less the rewrite, served.
fn serve(dir: &Path, extra: &[&str]) -> Server {
    serve_demo(
        dir,
        &["original.txt", "copy.html", "excerpt.txt", "unrelated.txt"],
        extra,
    )
}

/// Status and JSON body of a response, whatever the status.
fn json(response: Result<ureq::Response, ureq::Error>) -> (u16, serde_json::Value) {
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("{err}"),
    };
    let status = response.status();
    (status, response.into_json().unwrap())
}

fn text(response: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("{err}"),
    };
    (response.status(), response.into_string().unwrap())
}

#[test]
fn the_api_checks_adds_and_shows_stories() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &[]);
    let url = |path: &str| format!("{}{path}", server.base);

    let (status, health) = json(ureq::get(&url("/healthz")).call());
    assert_eq!((status, &health["documents"]), (200, &serde_json::json!(4)));

    // The demo rewrite, posted as JSON: its source is found, with the altered quotation.
    let rewrite = std::fs::read_to_string(demo("rewrite.txt")).unwrap();
    let (status, checked) = json(
        ureq::post(&url("/api/check"))
            .send_json(serde_json::json!({"text": rewrite, "title": "Rewrite"})),
    );
    assert_eq!(status, 200, "{checked}");
    // Every candidate was compared: none is listed as not compared.
    assert_eq!(checked["not_compared"], serde_json::json!([]), "{checked}");
    let matches = checked["matches"].as_array().unwrap();
    // The original and its dated copy are near-copies: the rewrite is judged against their
    // representative (the copy), and the original is named with it (issue 15).
    let original = matches
        .iter()
        .find(|m| m["b"]["origin"] == "crawl/copy.html")
        .expect("the original's cluster is found");
    assert!(
        original["stands_for"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["key"].as_str().unwrap().ends_with("original.txt")),
        "{original}"
    );
    assert_eq!(original["relation"], "rewrite");
    assert!(
        original["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "quote_altered"),
        "{original}"
    );
    // The same as plain text.
    let (status, plain) = json(
        ureq::post(&url("/api/check"))
            .set("Content-Type", "text/plain")
            .send_string(&rewrite),
    );
    assert_eq!(status, 200);
    assert_eq!(plain["matches"].as_array().unwrap().len(), matches.len());

    // Added to the index: then it has a story with the original.
    let (status, added) = json(
        ureq::post(&url("/api/documents"))
            .send_json(serde_json::json!({"text": rewrite, "url": "https://rewrites.example/1"})),
    );
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["status"], "added");
    let id = added["id"].as_i64().unwrap();
    let (status, again) = json(
        ureq::post(&url("/api/documents"))
            .send_json(serde_json::json!({"text": rewrite, "url": "https://rewrites.example/1"})),
    );
    assert_eq!(
        (status, &again["status"]),
        (200, &serde_json::json!("unchanged"))
    );

    let (status, stories) = json(ureq::get(&url("/api/stories?relation=rewrite")).call());
    assert_eq!(status, 200, "{stories}");
    assert_eq!(stories["total"], 1, "{stories}");
    let story = &stories["stories"][0];
    assert!(story["rewrites"].as_u64().unwrap() >= 1);
    let (_, none) = json(ureq::get(&url("/api/stories?since=2999-01-01")).call());
    assert_eq!(none["total"], 0);
    // A page far past the end is an empty page, not an overflow.
    let (status, far) = json(ureq::get(&url("/api/stories?page=18446744073709551615")).call());
    assert_eq!(status, 200, "{far}");
    assert_eq!(
        (&far["total"], &far["stories"]),
        (&serde_json::json!(1), &serde_json::json!([]))
    );
    let (status, detail) = json(ureq::get(&url(&format!("/api/stories/{id}"))).call());
    assert_eq!(status, 200, "{detail}");
    let members: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["origin"].as_str().unwrap())
        .collect();
    assert!(
        members.contains(&"https://rewrites.example/1"),
        "{members:?}"
    );
    assert!(members.contains(&"crawl/original.txt"), "{members:?}");

    // The pair, as JSON and as the side-by-side page (the template of compare --html).
    let original_id = original["indexed"]["id"].as_i64().unwrap();
    let (status, pair) = json(ureq::get(&url(&format!("/api/pairs/{original_id}/{id}"))).call());
    assert_eq!(
        (status, &pair["relation"]),
        (200, &serde_json::json!("rewrite"))
    );
    let (status, page) = text(ureq::get(&url(&format!("/pairs/{original_id}/{id}"))).call());
    assert_eq!(status, 200);
    assert!(
        page.contains("k-quote_altered"),
        "the altered quotation is marked"
    );

    // Pages: the story list links the story, which links the pair.
    let (status, list) = text(ureq::get(&url("/")).call());
    assert_eq!(status, 200);
    assert!(
        list.contains(&format!("href=\"/stories/{}\"", story["id"])),
        "{list}"
    );
    let (status, page) = text(ureq::get(&url(&format!("/stories/{}", story["id"]))).call());
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/pairs/"), "{page}");
    // The check form, and its answer without any script.
    let (status, form) = text(ureq::get(&url("/check")).call());
    assert!(status == 200 && form.contains("<textarea"));
    let (status, answer) = text(ureq::post(&url("/check")).send_form(&[("text", &rewrite)]));
    assert_eq!(status, 200);
    assert!(answer.contains("badge r-rewrite"), "{answer}");

    let (status, openapi) = json(ureq::get(&url("/api/openapi.json")).call());
    assert_eq!(status, 200);
    assert!(openapi["paths"]["/api/check"]["post"].is_object());
}

#[test]
fn bad_requests_get_4xx_with_a_json_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--max-body", "1000"]);
    let url = |path: &str| format!("{}{path}", server.base);
    let cases: Vec<(Result<ureq::Response, ureq::Error>, u16, &str)> = vec![
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "application/json")
                .send_string("{\"text\": "),
            400,
            "malformed JSON",
        ),
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "application/json")
                .send_string("{\"body\": \"x\"}"),
            400,
            "unknown field `body`",
        ),
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "application/json")
                .send_string("{\"title\": \"x\"}"),
            422,
            "\"text\" or as \"html\"",
        ),
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "image/png")
                .send_bytes(b"\x89PNG"),
            415,
            "image/png is not read",
        ),
        (
            ureq::post(&url("/api/check")).send_bytes(b"no type"),
            415,
            "Content-Type",
        ),
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "text/plain")
                .send_string(&"word ".repeat(400)),
            413,
            "--max-body",
        ),
        (
            ureq::post(&url("/api/check"))
                .set("Content-Type", "text/html")
                .send_string("<html><body><nav>Home</nav></body></html>"),
            422,
            "no article",
        ),
        (
            ureq::get(&url("/api/stories/999")).call(),
            404,
            "no story 999",
        ),
        (
            ureq::get(&url("/api/stories/x")).call(),
            400,
            "not an index id",
        ),
        (
            ureq::get(&url("/api/pairs/1/999")).call(),
            404,
            "no document 999",
        ),
        (
            ureq::get(&url("/api/stories?per_page=1000")).call(),
            400,
            "per_page",
        ),
        (
            ureq::get(&url("/api/stories?relation=copy")).call(),
            400,
            "relation",
        ),
        (
            ureq::get(&url("/api/nowhere")).call(),
            404,
            "no such endpoint",
        ),
    ];
    for (n, (response, status, says)) in cases.into_iter().enumerate() {
        let (got, body) = json(response);
        assert_eq!(got, status, "case {n}: {body}");
        assert_eq!(body["status"], status, "case {n}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains(says),
            "case {n}: {body}"
        );
    }
    // Still serving.
    let (status, _) = json(ureq::get(&url("/healthz")).call());
    assert_eq!(status, 200);
}

/// `retrace serve` over an index of `names` of the demo corpus, with `extra` flags and `env`
/// variables; what it printed up to the line saying where it listens.
fn start(dir: &Path, names: &[&str], extra: &[&str], env: &[(&str, &str)]) -> (Server, String) {
    std::fs::create_dir_all(dir.join("crawl")).unwrap();
    for name in names {
        std::fs::copy(demo(name), dir.join("crawl").join(name)).unwrap();
    }
    let out = retrace(dir, &["index", "add", "crawl", "--index", "idx"], None);
    assert!(out.status.success());
    let mut command = Command::new(env!("CARGO_BIN_EXE_retrace"));
    command
        .args(["serve", "--index", "idx"])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if !extra.contains(&"--addr") {
        command.args(["--addr", "127.0.0.1:0"]);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut printed = String::new();
    let mut line = String::new();
    while !line.contains("http://") {
        line.clear();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("retrace serve stopped: {printed}");
        }
        printed.push_str(&line);
    }
    let port = line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("http://"))
        .and_then(|addr| addr.rsplit(':').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    (server, printed)
}

const DEMO: &[&str] = &["original.txt", "copy.html", "excerpt.txt", "unrelated.txt"];

/// The `Host` of a base address.
fn host(base: &str) -> &str {
    base.trim_start_matches("http://")
}

/// The status, a header and the body of a response, whatever the status.
fn answer(response: Result<ureq::Response, ureq::Error>, name: &str) -> (u16, String, String) {
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("no answer: {err}"),
    };
    let header = response.header(name).unwrap_or_default().to_string();
    (response.status(), header, response.into_string().unwrap())
}

/// A connection that sent `bytes` and then nothing more.
fn stalled(base: &str, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(host(base)).unwrap();
    // Only a net for the old server, which never closed such connections: the server closes
    // them after its 2-second budget.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    stream
}

/// What the server sends on a connection until it closes it; `None` when it kept it open.
fn until_closed(mut stream: TcpStream) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(String::from_utf8_lossy(&got).into_owned());
            }
            Err(_) => return None,
        }
    }
}

/// A page of `depth` nested `<span>`s around a paragraph.
fn nested(depth: usize) -> String {
    format!(
        "<html><body>{}<p>{}</p>{}</body></html>",
        "<span>".repeat(depth),
        "Floodwaters forced thousands from their homes along the river on Tuesday. ".repeat(20),
        "</span>".repeat(depth)
    )
}

/// Issue 13, item 2: a page of 30,000 nested elements, form-posted to /check (any web site can
/// send that) or posted to /api/check, aborted the server with a stack overflow.
#[test]
fn issue_13_a_deeply_nested_page_does_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(dir.path(), DEMO, &[], &[]);
    let url = |path: &str| format!("{}{path}", server.base);
    let page = nested(30_000);
    assert!(page.len() > 390_000);
    let (status, _, body) = answer(
        ureq::post(&url("/check")).send_form(&[("text", &page)]),
        "content-type",
    );
    assert!(status == 200 || status >= 400, "{status}: {body}");
    let (status, _, body) = answer(
        ureq::post(&url("/api/check"))
            .set("Content-Type", "text/html")
            .send_string(&page),
        "content-type",
    );
    assert!(status == 200 || status >= 400, "{status}: {body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(body.is_object(), "{body}");
    let (status, health) = json(ureq::get(&url("/healthz")).call());
    assert_eq!((status, &health["documents"]), (200, &serde_json::json!(4)));
}

/// Issue 13, item 2: a job that panics answers a 500 naming it, and the server goes on.
#[test]
fn issue_13_a_panicking_job_answers_500_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(
        dir.path(),
        DEMO,
        &[],
        &[("RETRACE_SERVE_TEST_JOB", "panic")],
    );
    let url = |path: &str| format!("{}{path}", server.base);
    for _ in 0..3 {
        let (status, body) = json(
            ureq::post(&url("/api/check"))
                .set("Content-Type", "text/plain")
                .send_string("Floodwaters forced thousands from their homes."),
        );
        assert_eq!(status, 500, "{body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("RETRACE_SERVE_TEST_JOB=panic"),
            "{body}"
        );
    }
    // Writes too: the writer's lock, poisoned by the panic, does not stop later additions.
    let (status, body) = json(
        ureq::post(&url("/api/documents")).send_json(serde_json::json!({"text": "A short text."})),
    );
    assert_eq!(status, 500, "{body}");
    let (status, _, page) = answer(
        ureq::post(&url("/check")).send_form(&[("text", "Floodwaters forced thousands.")]),
        "content-type",
    );
    assert_eq!(status, 500);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    let (status, health) = json(ureq::get(&url("/healthz")).call());
    assert_eq!((status, &health["documents"]), (200, &serde_json::json!(4)));
}

/// Issue 13, item 3: four large checks made /healthz wait 12 s. Work that reads or judges
/// articles runs in job slots (`--jobs`); cheap routes never wait for one, and a request that
/// finds no slot within its budget answers 503, one whose answer is late 504.
#[test]
fn issue_13_cheap_routes_answer_while_every_job_slot_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    // Every job takes 20 s more, so the one slot is certainly taken while the test looks.
    let (server, _) = start(
        dir.path(),
        DEMO,
        &["--jobs", "1", "--timeout", "2"],
        &[("RETRACE_SERVE_TEST_JOB", "sleep:20000")],
    );
    let url = |path: &str| format!("{}{path}", server.base);
    let first = {
        let url = url("/api/check");
        std::thread::spawn(move || {
            json(
                ureq::post(&url)
                    .set("Content-Type", "text/plain")
                    .send_string("Floodwaters forced thousands from their homes."),
            )
        })
    };
    let mut busy = None;
    for _ in 0..400 {
        let (status, health) = json(ureq::get(&url("/healthz")).call());
        assert_eq!(status, 200);
        if health["jobs"]["running"] == 1 {
            busy = Some(health);
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let busy = busy.expect("the first check takes the one job slot");
    assert_eq!(busy["jobs"]["limit"], 1, "{busy}");
    // The slot is taken: the story list still answers...
    let (status, stories) = json(ureq::get(&url("/api/stories")).call());
    assert_eq!((status, &stories["total"]), (200, &serde_json::json!(1)));
    // ... and another check waits for its budget, then hears that the server is busy.
    let (status, retry, body) = answer(
        ureq::post(&url("/api/check"))
            .set("Content-Type", "text/plain")
            .send_string("Floodwaters forced thousands from their homes."),
        "retry-after",
    );
    assert_eq!(status, 503, "{body}");
    assert!(!retry.is_empty(), "a 503 says when to retry");
    assert!(body.contains("busy") && body.contains("--jobs"), "{body}");
    // The first check outlived its budget: a 504 that says so.
    let (status, body) = first.join().unwrap();
    assert_eq!(status, 504, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("time budget"),
        "{body}"
    );
}

/// Issue 13, item 4: uploads that stalled were never timed out (300 still open after 35 s).
/// Headers and bodies must now arrive within the budget, and at most `--max-connections` are
/// open at once.
#[test]
fn issue_13_stalled_requests_are_closed_and_connections_capped() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(
        dir.path(),
        DEMO,
        &["--timeout", "2", "--max-connections", "3"],
        &[],
    );
    let host = host(&server.base).to_string();
    // Headers that never end, a body that never comes, an idle keep-alive connection.
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push((
            "headers",
            stalled(
                &server.base,
                format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n").as_bytes(),
            ),
        ));
        open.push((
            "body",
            stalled(
                &server.base,
                format!(
                    "POST /api/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\n\
                     Content-Length: 100000\r\n\r\nFloodwaters"
                )
                .as_bytes(),
            ),
        ));
    }
    // Six stalled connections and a limit of three: when /healthz is answered, at most three
    // are open, its own included.
    let (status, health) = json(ureq::get(&format!("{}/healthz", server.base)).call());
    assert_eq!(status, 200);
    assert_eq!(health["connections"]["limit"], 3, "{health}");
    assert!(
        health["connections"]["open"].as_u64().unwrap() <= 3,
        "{health}"
    );
    for (what, stream) in open {
        let said = until_closed(stream)
            .unwrap_or_else(|| panic!("a stalled {what} connection was left open"));
        if what == "body" {
            assert!(said.starts_with("HTTP/1.1 408"), "{said}");
        }
    }
}

/// Issue 13, item 5: any web site could add documents (`POST /api/documents` from
/// `Origin: https://evil.example` got a 201), and any `Host` was answered, so a DNS-rebinding
/// page could read the index.
#[test]
fn issue_13_other_sites_and_other_hosts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(dir.path(), DEMO, &[], &[]);
    let url = |path: &str| format!("{}{path}", server.base);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let article = serde_json::json!({"text": "Floodwaters forced thousands from their homes."});

    let (status, body) = json(
        ureq::post(&url("/api/documents"))
            .set("Origin", "https://evil.example")
            .send_json(article.clone()),
    );
    assert_eq!(status, 403, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("evil.example"),
        "{body}"
    );
    for origin in [
        "null",
        "http://127.0.0.2:1",
        &format!("http://evil.example:{port}"),
    ] {
        let (status, _) = json(
            ureq::post(&url("/api/check"))
                .set("Origin", origin)
                .set("Content-Type", "text/plain")
                .send_string("Floodwaters forced thousands."),
        );
        assert_eq!(status, 403, "{origin}");
    }
    // A browser that sends no Origin still says where the request came from.
    let (status, _) = json(
        ureq::post(&url("/api/check"))
            .set("Sec-Fetch-Site", "cross-site")
            .set("Content-Type", "text/plain")
            .send_string("Floodwaters forced thousands."),
    );
    assert_eq!(status, 403);
    // The check form, posted from another site: refused, with a page.
    let (status, kind, page) = answer(
        ureq::post(&url("/check"))
            .set("Origin", "https://evil.example")
            .send_form(&[("text", "Floodwaters forced thousands.")]),
        "content-type",
    );
    assert_eq!(status, 403);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(page.contains("evil.example"), "{page}");
    // ... and from its own page: answered.
    let (status, _, page) = answer(
        ureq::post(&url("/check"))
            .set("Origin", &server.base)
            .set("Sec-Fetch-Site", "same-origin")
            .send_form(&[("text", "Floodwaters forced thousands from their homes.")]),
        "content-type",
    );
    assert_eq!(status, 200, "{page}");
    // A browser hides the Origin of a page whose referrer policy is `no-referrer` (`Origin:
    // null`), as it does for a sandboxed page of another site: only Sec-Fetch-Site tells them
    // apart.
    for (site, expected) in [("same-origin", 200), ("cross-site", 403)] {
        let (status, _, page) = answer(
            ureq::post(&url("/check"))
                .set("Origin", "null")
                .set("Sec-Fetch-Site", site)
                .send_form(&[("text", "Floodwaters forced thousands from their homes.")]),
            "content-type",
        );
        assert_eq!(status, expected, "{site}: {page}");
    }
    // The API adds JSON only: a text/plain or form body is what another site's page can send.
    let (status, body) = json(
        ureq::post(&url("/api/documents"))
            .set("Content-Type", "text/plain")
            .send_string("Floodwaters forced thousands."),
    );
    assert_eq!(status, 415, "{body}");
    let (_, health) = json(ureq::get(&url("/healthz")).call());
    assert_eq!(health["documents"], 4, "nothing was added");

    // DNS rebinding: the page's own name in Host.
    for host in [format!("rebind.example:{port}"), "evil.example".to_string()] {
        for path in ["/api/stories", "/"] {
            let (status, _, _) = answer(
                ureq::get(&url(path)).set("Host", &host).call(),
                "content-type",
            );
            assert_eq!(status, 403, "{host} {path}");
        }
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, _, _) = answer(
            ureq::get(&url("/api/stories")).set("Host", &host).call(),
            "content-type",
        );
        assert_eq!(status, 200, "{host}");
    }
    // Another port of localhost is another origin.
    let (status, _, _) = answer(
        ureq::get(&url("/api/stories"))
            .set("Host", "localhost:1")
            .call(),
        "content-type",
    );
    assert_eq!(status, 403);

    // Every answer says: no framing, no sniffing, no script.
    for path in ["/", "/api/stories", "/nowhere"] {
        let response = match ureq::get(&url(path)).call() {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(err) => panic!("{err}"),
        };
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        // Under `no-referrer` the server's own form posts would carry `Origin: null`.
        assert_eq!(
            response.header("referrer-policy"),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(response.header("x-frame-options"), Some("DENY"));
    }
}

/// Issue 13, item 5: behind a proxy, `--allow-host` names the host it is reached by.
#[test]
fn issue_13_allow_host_names_a_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(
        dir.path(),
        DEMO,
        &["--allow-host", "retrace.proxy.example"],
        &[],
    );
    let url = |path: &str| format!("{}{path}", server.base);
    let (status, _) = json(
        ureq::get(&url("/api/stories"))
            .set("Host", "retrace.proxy.example")
            .call(),
    );
    assert_eq!(status, 200);
    let (status, body) = json(
        ureq::post(&url("/api/documents"))
            .set("Origin", "https://retrace.proxy.example")
            .send_json(
                serde_json::json!({"text": "Floodwaters forced thousands from their homes."}),
            ),
    );
    assert_eq!(status, 201, "{body}");
    let (status, _) = json(
        ureq::get(&url("/api/stories"))
            .set("Host", "other.proxy.example")
            .call(),
    );
    assert_eq!(status, 403);
}

/// Issue 13, item 5: listening beyond this machine is warned about, loudly.
#[test]
fn issue_13_a_public_address_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, printed) = start(dir.path(), DEMO, &["--addr", "0.0.0.0:0"], &[]);
    assert!(
        printed.contains("WARNING") && printed.contains("not a loopback address"),
        "{printed}"
    );
    let (_server, printed) = start(dir.path(), &[], &[], &[]);
    assert!(!printed.contains("WARNING"), "{printed}");
}

/// Issue 13, item 6: what is stored is checked: `published` a date, `url` a web address (else
/// 422); the story filters take dates (else 400); a pair is two documents.
#[test]
fn issue_13_stored_fields_and_filters_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(dir.path(), DEMO, &[], &[]);
    let url = |path: &str| format!("{}{path}", server.base);
    let text = "Floodwaters forced thousands from their homes.";
    for (field, value) in [
        ("published", "yesterday"),
        ("published", "2026-02-30"),
        ("published", "2026-03-14T25:00"),
        ("url", "javascript:alert(1)"),
        ("url", "ftp://files.example/a"),
        ("url", "/relative/path"),
    ] {
        let (status, body) = json(
            ureq::post(&url("/api/documents"))
                .send_json(serde_json::json!({"text": text, field: value})),
        );
        assert_eq!(status, 422, "{field} {value}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains(field),
            "{field}: {body}"
        );
    }
    let (status, body) = json(
        ureq::post(&url("/api/documents")).send_json(serde_json::json!({
            "text": text,
            "url": "https://wire.example/floods",
            "published": "2026-03-14T09:30:00+01:00",
        })),
    );
    assert_eq!(status, 201, "{body}");
    for query in [
        "since=yesterday",
        "until=2026-13-01",
        "since=2026-01-01T00:00",
    ] {
        let (status, body) = json(ureq::get(&url(&format!("/api/stories?{query}"))).call());
        assert_eq!(status, 400, "{query}: {body}");
    }
    let (status, body) = json(ureq::get(&url("/api/stories?since=2026-01-01")).call());
    assert_eq!(status, 200, "{body}");
    let (status, body) = json(ureq::get(&url("/api/pairs/1/1")).call());
    assert_eq!(status, 400, "{body}");
    let (status, _, page) = answer(ureq::get(&url("/pairs/2/2")).call(), "content-type");
    assert_eq!(status, 400);
    assert!(page.contains("two different documents"), "{page}");
}

/// Issue 13, item 20: the home page links "Check an article" and the sources' web addresses;
/// pages answer errors with a page, the API with JSON.
#[test]
fn issue_13_pages_link_check_and_sources_and_answer_html_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start(dir.path(), DEMO, &[], &[]);
    let url = |path: &str| format!("{}{path}", server.base);
    let (status, home) = text(ureq::get(&url("/")).call());
    assert_eq!(status, 200);
    assert!(
        home.contains(r#"<a href="/check">Check an article</a>"#),
        "{home}"
    );
    assert!(
        home.contains(
            r#"<a href="https://riverside.example/news/varenne-floods" rel="noopener noreferrer">"#
        ),
        "{home}"
    );
    for (path, says) in [
        ("/nowhere", "no such page"),
        ("/stories/999", "no story 999"),
    ] {
        let (status, kind, page) = answer(ureq::get(&url(path)).call(), "content-type");
        assert_eq!(status, 404, "{path}");
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        assert!(
            page.starts_with("<!DOCTYPE html>") && page.contains(says),
            "{page}"
        );
        assert!(page.contains(r#"<a href="/">"#), "{page}");
    }
    let (status, body) = json(ureq::get(&url("/api/stories/999")).call());
    assert_eq!((status, body["status"].as_u64()), (404, Some(404)));
}
