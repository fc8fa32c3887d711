//! `retrace serve`: the HTTP API and the pages over an index of the demo corpus, through a real
//! HTTP client against the real binary.

use std::path::Path;

use crate::{Server, demo, serve_demo};

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
    let matches = checked["matches"].as_array().unwrap();
    let original = matches
        .iter()
        .find(|m| m["b"]["origin"] == "crawl/original.txt")
        .expect("the original is found");
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
        (ureq::get(&url("/nowhere")).call(), 404, "no such page"),
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
