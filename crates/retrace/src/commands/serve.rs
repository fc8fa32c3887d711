//! `retrace serve --index DIR`: the web UI and HTTP API over an index (axum).
//!
//! Every request that touches the index runs on a blocking thread with a read snapshot (or the
//! one writer, for `POST /api/documents`), so a reader never sees a half-added batch and the
//! async threads never wait on SQLite. Bad requests get a 4xx and a JSON body `{"error": …,
//! "status": …}` saying what was wrong; nothing a client sends makes a 500.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use retrace::Engine;
use retrace_index::{DocId, Index, Read};
use retrace_ingest::{Format, RawDoc};
use retrace_judge::Side;
use retrace_report::stories::{CheckMatch, Links, Story};
use retrace_report::{PairReport, ReportDoc};
use retrace_sketch::Sketcher;
use retrace_span::Origin;
use serde::Deserialize;

use crate::args::ServeArgs;
use crate::commands::index::{Unnamed, add_batch, key_of};
use crate::commands::query::{Lookup, lookup};
use crate::commands::scan::{
    Found, Judged, Read1, Shown, components, read1, relation_name, stories,
};

/// Stories per page, unless asked otherwise, and at most.
const PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 100;

/// The server's links between its pages.
const LINKS: Links<'static> = Links {
    story_prefix: "/stories/",
    story_suffix: "",
    stories: "/",
};

/// What every handler shares.
struct App {
    dir: PathBuf,
    /// Open read handles, reused (opening one checks the schema).
    readers: Mutex<Vec<Index>>,
    /// The one writer.
    writer: Mutex<Option<Index>>,
    engine: Engine,
    sketcher: Sketcher,
    pool: rayon::ThreadPool,
}

/// An error as the API returns it.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.message, "status": self.status.as_u16()});
        (self.status, Json(body)).into_response()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}"))
    }
}

impl From<retrace_index::Error> for ApiError {
    fn from(err: retrace_index::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
    }
}

type Api<T> = Result<T, ApiError>;

impl App {
    /// Runs `read` on a snapshot of the index, on a blocking thread.
    async fn read<T: Send + 'static>(
        self: &Arc<App>,
        read: impl FnOnce(&App, &retrace_index::Snapshot<'_>) -> Api<T> + Send + 'static,
    ) -> Api<T> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let held = app.readers.lock().map(|mut r| r.pop()).unwrap_or(None);
            let mut index = match held {
                Some(index) => index,
                None => Index::open(&app.dir)?,
            };
            let result = {
                let snapshot = index.snapshot()?;
                read(&app, &snapshot)
            };
            if let Ok(mut readers) = app.readers.lock() {
                readers.push(index);
            }
            result
        })
        .await
        .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))?
    }
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    // Open once before listening: a missing or foreign index fails here, with its message.
    let index = Index::open(&args.index)?;
    let app = Arc::new(App {
        dir: args.index.clone(),
        readers: Mutex::new(Vec::new()),
        writer: Mutex::new(Some(index)),
        engine: Engine::lexical(),
        sketcher: Sketcher::default(),
        pool: rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads.unwrap_or(0))
            .build()
            .context("cannot start the worker threads")?,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "retrace serve: listening on http://{addr} (index {})",
            args.index.display()
        );
        axum::serve(listener, router(app, args.max_body))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server stopped")
    })
}

fn router(app: Arc<App>, max_body: usize) -> Router {
    Router::new()
        .route("/", get(story_list_page))
        .route("/stories/{id}", get(story_page))
        .route("/pairs/{a}/{b}", get(pair_page))
        .route("/check", get(check_form).post(check_page))
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .route("/api/check", post(api_check))
        .route("/api/documents", post(api_documents))
        .route("/api/stories", get(api_stories))
        .route("/api/stories/{id}", get(api_story))
        .route("/api/pairs/{a}/{b}", get(api_pair))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such page or endpoint (see /api/openapi.json)",
    )
}

async fn healthz(State(app): State<Arc<App>>) -> Api<Json<serde_json::Value>> {
    let documents = app.read(|_, snapshot| Ok(snapshot.documents()?)).await?;
    Ok(Json(serde_json::json!({
        "ok": true,
        "documents": documents,
        "schema_version": retrace_index::SCHEMA_VERSION,
    })))
}

/// An article as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleJson {
    text: Option<String>,
    html: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
}

/// The article a request carries: JSON `{title, text | html, url, published}`, an HTML page
/// or plain text, by its `Content-Type`.
fn article_of(app: &App, headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Api<Found> {
    let body = body.map_err(|rejection| {
        let status = rejection.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "the body is larger than the server's limit (retrace serve --max-body)".to_string()
        } else {
            rejection.body_text()
        };
        ApiError::new(status, message)
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let origin = Origin::Path(PathBuf::from("request"));
    let raw = match content_type.as_str() {
        "application/json" => {
            let article: ArticleJson = serde_json::from_slice(&body).map_err(|err| {
                ApiError::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {err}"))
            })?;
            let (text, format) = match (article.text, article.html) {
                (Some(text), None) => (text, Format::Text),
                (None, Some(html)) => (html, Format::Html),
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "give the article as \"text\" or as \"html\" (one of them)",
                    ));
                }
            };
            let mut raw = RawDoc::new(origin, text, format);
            raw.record.title = article.title;
            raw.record.url = article.url;
            raw.record.date = article.published;
            raw
        }
        "text/html" | "text/plain" => {
            let mut raw = retrace_ingest::read_bytes(origin, body.to_vec(), None)
                .map_err(|err| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, err.to_string()))?;
            raw.format = if content_type == "text/html" {
                Format::Html
            } else {
                Format::Text
            };
            raw
        }
        "" => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "say what the body is: Content-Type application/json, text/html or text/plain",
            ));
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "Content-Type {other} is not read: send application/json, text/html or \
                     text/plain"
                ),
            ));
        }
    };
    match read1(Ok(raw), &app.sketcher) {
        Read1::Doc(found) => Ok(*found),
        Read1::Skipped(skip) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("no article in the body: {}", skip.reason),
        )),
    }
}

async fn api_check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Api<Json<serde_json::Value>> {
    let found = article_of(&app, &headers, body)?;
    let json = app
        .read(move |app, snapshot| {
            let Lookup {
                candidates,
                matches,
                ..
            } = lookup(snapshot, &app.engine, &app.pool, &found)?;
            Ok(serde_json::json!({
                "article": {
                    "title": found.title,
                    "url": found.url.clone().or_else(|| found.raw.record.url.clone()),
                    "published": found.published,
                },
                "candidates": candidates,
                "matches": matches.into_iter().map(|m| m.json).collect::<Vec<_>>(),
            }))
        })
        .await?;
    Ok(Json(json))
}

async fn api_documents(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Api<(StatusCode, Json<serde_json::Value>)> {
    let found = article_of(&app, &headers, body)?;
    let key = key_of(&found, Unnamed::ByText);
    let worker = Arc::clone(&app);
    tokio::task::spawn_blocking(move || -> Api<(StatusCode, Json<serde_json::Value>)> {
        let mut writer = worker
            .writer
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "writer poisoned"))?;
        let index = match writer.as_mut() {
            Some(index) => index,
            None => writer.insert(Index::open(&worker.dir)?),
        };
        let (_, counts) = add_batch(
            index,
            &worker.engine,
            &worker.pool,
            vec![found],
            Unnamed::ByText,
        )?;
        let snapshot = index.snapshot()?;
        let id = snapshot.find(&key)?.map(|(id, _)| id);
        let (status, state) = if counts.added > 0 {
            (StatusCode::CREATED, "added")
        } else if counts.updated > 0 {
            (StatusCode::OK, "updated")
        } else {
            (StatusCode::OK, "unchanged")
        };
        Ok((
            status,
            Json(serde_json::json!({
                "id": id,
                "key": key,
                "status": state,
                "pairs": counts.pairs,
            })),
        ))
    })
    .await
    .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))?
}

/// Filters and page of the story list.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct StoryQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<usize>,
    /// Only stories holding a pair of this relation.
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<String>,
    /// Only stories whose newest member was published on or after this date (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    /// … and on or before this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

/// One story of the index: its members (index ids) and the judged pairs among them.
struct IndexStory {
    /// The least id of its members: stable while that member stays.
    id: DocId,
    /// Its members' ids, in order.
    members: Vec<DocId>,
    story: Story,
    /// The latest publication time of its members.
    newest: Option<String>,
}

/// Every story of the index: connected components of its derivation pairs, newest first.
fn all_stories(snapshot: &impl Read) -> Api<Vec<IndexStory>> {
    let pairs = snapshot.derivation_pairs()?;
    let groups = components(pairs.iter().map(|pair| (pair.a, pair.b)));
    let mut out = Vec::new();
    for members in groups {
        let id = members[0];
        let inside: Vec<&retrace_index::Pair> = pairs
            .iter()
            .filter(|p| members.binary_search(&p.a).is_ok())
            .collect();
        out.push(story_of(snapshot, id, &members, &inside)?);
    }
    out.sort_by(|x, y| y.newest.cmp(&x.newest).then(x.id.cmp(&y.id)));
    Ok(out)
}

/// A story as the report shows it, from its members and pairs.
fn story_of(
    snapshot: &impl Read,
    id: DocId,
    members: &[DocId],
    pairs: &[&retrace_index::Pair],
) -> Api<IndexStory> {
    let local: BTreeMap<DocId, u32> = members
        .iter()
        .enumerate()
        .map(|(n, &id)| (id, n as u32))
        .collect();
    let mut shown = BTreeMap::new();
    let mut newest: Option<String> = None;
    for (&doc, &n) in &local {
        let meta = snapshot.meta(doc)?.unwrap_or_default();
        if meta.published > newest {
            newest.clone_from(&meta.published);
        }
        shown.insert(
            n,
            Shown {
                origin: meta.url.unwrap_or(meta.origin),
                title: meta.title,
                published: meta.published,
            },
        );
    }
    let judged: Vec<Judged> = pairs
        .iter()
        .map(|pair| {
            let (a, b) = (local[&pair.a], local[&pair.b]);
            Judged {
                a,
                b,
                relation: match pair.relation.as_str() {
                    "duplicate" => "duplicate",
                    "excerpt" => "excerpt",
                    _ => "rewrite",
                },
                direction: pair
                    .source
                    .map(|s| if s == pair.a { (a, b) } else { (b, a) }),
                line: String::new(),
                page: Some(format!("/pairs/{}/{}", pair.a, pair.b)),
            }
        })
        .collect();
    let related: Vec<&Judged> = judged.iter().collect();
    let mut story = stories(&shown, &related)
        .into_iter()
        .next()
        .map(|(story, _)| story)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no story {id}")))?;
    story.id = id as usize;
    Ok(IndexStory {
        id,
        members: members.to_vec(),
        story,
        newest,
    })
}

fn filtered(all: Vec<IndexStory>, query: &StoryQuery) -> Api<Vec<IndexStory>> {
    if let Some(relation) = &query.relation
        && !["duplicate", "excerpt", "rewrite"].contains(&relation.as_str())
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("relation must be duplicate, excerpt or rewrite, not {relation:?}"),
        ));
    }
    Ok(all
        .into_iter()
        .filter(|s| {
            query.relation.as_ref().is_none_or(|relation| {
                s.story
                    .provenance
                    .iter()
                    .chain(&s.story.undirected)
                    .any(|e| e.relation == relation)
            })
        })
        .filter(|s| {
            let newest = s.newest.as_deref().unwrap_or("");
            query.since.as_deref().is_none_or(|since| newest >= since)
                && query
                    .until
                    .as_deref()
                    .is_none_or(|until| newest <= until || newest.starts_with(until))
        })
        .collect())
}

/// The story-list query (a 400 when its parameters do not parse), with its page and page size.
fn page_of(
    query: Result<Query<StoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Api<(StoryQuery, usize, usize)> {
    let Query(query) =
        query.map_err(|err| ApiError::new(StatusCode::BAD_REQUEST, err.body_text()))?;
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(PER_PAGE);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("page starts at 1; per_page is 1 to {MAX_PER_PAGE}"),
        ));
    }
    Ok((query, page, per_page))
}

fn summary_json(s: &IndexStory) -> serde_json::Value {
    let count = |relation: &str| {
        s.story
            .provenance
            .iter()
            .chain(&s.story.undirected)
            .filter(|e| e.relation == relation)
            .count()
    };
    serde_json::json!({
        "id": s.id,
        "title": s.story.members.iter().find(|m| Some(&m.origin) == s.story.original.as_ref())
            .or(s.story.members.first()).and_then(|m| m.title.clone()),
        "original": s.story.original,
        "members": s.story.members.len(),
        "duplicates": count("duplicate"),
        "excerpts": count("excerpt"),
        "rewrites": count("rewrite"),
        "newest": s.newest,
    })
}

async fn api_stories(
    State(app): State<Arc<App>>,
    query: Result<Query<StoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Api<Json<serde_json::Value>> {
    let (query, page, per_page) = page_of(query)?;
    let json = app
        .read(move |_, snapshot| {
            let all = filtered(all_stories(snapshot)?, &query)?;
            let total = all.len();
            let stories: Vec<serde_json::Value> = all
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(summary_json)
                .collect();
            Ok(serde_json::json!({
                "total": total, "page": page, "per_page": per_page, "stories": stories,
            }))
        })
        .await?;
    Ok(Json(json))
}

/// The story holding document `id`, or 404.
fn story_holding(snapshot: &impl Read, id: DocId) -> Api<IndexStory> {
    let (members, pairs) = snapshot.story(&[id], usize::MAX)?;
    if pairs.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no story {id} (stories are numbered by their least document id)"),
        ));
    }
    let least = members[0];
    let pairs: Vec<&retrace_index::Pair> = pairs.iter().collect();
    story_of(snapshot, least, &members, &pairs)
}

fn id_of(text: &str) -> Api<DocId> {
    text.parse::<DocId>().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{text:?} is not an index id (a whole number)"),
        )
    })
}

async fn api_story(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Api<Json<serde_json::Value>> {
    let id = id_of(&id)?;
    let json = app
        .read(move |app, snapshot| {
            let mut story = story_holding(snapshot, id)?;
            story.story.ledger = ledger(app, snapshot, &story.members)?;
            let mut json = serde_json::to_value(&story.story)
                .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))?;
            json["id"] = story.id.into();
            json["newest"] = story.newest.into();
            Ok(json)
        })
        .await?;
    Ok(Json(json))
}

/// Judges two indexed documents; the caller renders the result.
fn compare_pair<T>(
    app: &App,
    snapshot: &impl Read,
    (a, b): (DocId, DocId),
    show: impl FnOnce(&PairReport<'_>) -> T,
) -> Api<T> {
    let raw = |id: DocId| -> Api<RawDoc> {
        snapshot.raw(id)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no document {id} in the index"),
            )
        })
    };
    let (raw_a, raw_b) = (raw(a)?, raw(b)?);
    let compared = app.engine.compare(&raw_a, &raw_b).map_err(|err| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("cannot compare {a} and {b}: {err}"),
        )
    })?;
    let report = PairReport {
        a: ReportDoc::new(&raw_a.text, &compared.a.analyzed),
        b: ReportDoc::new(&raw_b.text, &compared.b.analyzed),
        alignment: &compared.alignment,
        verdict: &compared.verdict,
    };
    Ok(show(&report))
}

async fn api_pair(
    State(app): State<Arc<App>>,
    Path((a, b)): Path<(String, String)>,
) -> Api<Json<serde_json::Value>> {
    let (a, b) = (id_of(&a)?, id_of(&b)?);
    let json = app
        .read(move |app, snapshot| {
            let json = compare_pair(app, snapshot, (a, b), |report| {
                serde_json::to_value(retrace_report::json::CompareJson::new(report))
            })?
            .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))?;
            Ok(json)
        })
        .await?;
    Ok(Json(json))
}

async fn story_list_page(
    State(app): State<Arc<App>>,
    query: Result<Query<StoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Api<Html<String>> {
    let (query, page, per_page) = page_of(query)?;
    let html = app
        .read(move |_, snapshot| {
            let all = filtered(all_stories(snapshot)?, &query)?;
            let documents = snapshot.documents()?;
            let pages = all.len().div_ceil(per_page).max(1);
            let shown: Vec<Story> = all
                .into_iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|s| s.story)
                .collect();
            let summary = format!(
                "{documents} documents indexed; newest stories first; page {page} of {pages}"
            );
            // The other pages keep the filters of this one.
            let href = |page: usize| {
                let mut query = query.clone();
                query.page = Some(page);
                format!(
                    "/?{}",
                    serde_urlencoded::to_string(&query).unwrap_or_default()
                )
            };
            let prev = (page > 1).then(|| href(page - 1));
            let next = (page < pages).then(|| href(page + 1));
            Ok(retrace_report::stories::index_linked(
                &shown,
                &summary,
                LINKS,
                (prev.as_deref(), next.as_deref()),
            ))
        })
        .await?;
    Ok(Html(html))
}

async fn story_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Api<Html<String>> {
    let id = id_of(&id)?;
    let html = app
        .read(move |app, snapshot| {
            let mut story = story_holding(snapshot, id)?;
            story.story.ledger = ledger(app, snapshot, &story.members)?;
            Ok(retrace_report::stories::story_linked(&story.story, LINKS))
        })
        .await?;
    Ok(Html(html))
}

/// The claim ledger of a story's members (each analyzed again; a story page is one request).
fn ledger(app: &App, snapshot: &impl Read, members: &[DocId]) -> Api<Vec<retrace_judge::Claim>> {
    let mut prepared = Vec::with_capacity(members.len());
    for &id in members {
        let (Some(raw), Some(meta)) = (snapshot.raw(id)?, snapshot.meta(id)?) else {
            continue;
        };
        if let Ok(doc) = app.engine.prepare(&raw) {
            prepared.push((meta.url.unwrap_or(meta.origin), doc));
        }
    }
    let named: Vec<(String, &retrace_text::Analyzed)> = prepared
        .iter()
        .map(|(name, doc)| (name.clone(), &doc.analyzed))
        .collect();
    Ok(retrace_judge::ledger(&named))
}

async fn pair_page(
    State(app): State<Arc<App>>,
    Path((a, b)): Path<(String, String)>,
) -> Api<Html<String>> {
    let (a, b) = (id_of(&a)?, id_of(&b)?);
    let html = app
        .read(move |app, snapshot| {
            compare_pair(app, snapshot, (a, b), |report| {
                retrace_report::html::render_linked(report, "/", "all stories")
            })
        })
        .await?;
    Ok(Html(html))
}

async fn check_form() -> Html<String> {
    Html(retrace_report::stories::check(
        &retrace_report::stories::Check {
            action: "/check",
            stories: "/",
            ..Default::default()
        },
    ))
}

/// The check form's fields.
#[derive(Debug, Deserialize)]
struct CheckForm {
    text: String,
    #[serde(default)]
    url: String,
}

async fn check_page(
    State(app): State<Arc<App>>,
    form: Result<axum::Form<CheckForm>, axum::extract::rejection::FormRejection>,
) -> Api<Html<String>> {
    let axum::Form(form) = form.map_err(|err| ApiError::new(err.status(), err.body_text()))?;
    let html = app
        .read(move |app, snapshot| {
            let looks_html = form.text.trim_start().starts_with('<');
            let mut raw = RawDoc::new(
                Origin::Path(PathBuf::from("pasted")),
                form.text.clone(),
                if looks_html {
                    Format::Html
                } else {
                    Format::Text
                },
            );
            raw.record.url = Some(form.url.clone()).filter(|u| !u.is_empty());
            let mut page = retrace_report::stories::Check {
                action: "/check",
                stories: "/",
                text: &form.text,
                url: &form.url,
                ..Default::default()
            };
            match read1(Ok(raw), &app.sketcher) {
                Read1::Skipped(skip) => {
                    page.error = Some(format!(
                        "No article found in what was pasted: {}",
                        skip.reason
                    ));
                }
                Read1::Doc(found) => {
                    let Lookup {
                        candidates,
                        matches,
                        ..
                    } = lookup(snapshot, &app.engine, &app.pool, &found)?;
                    page.candidates = candidates;
                    page.found = Some(
                        matches
                            .iter()
                            .map(|m| CheckMatch {
                                relation: relation_name(m.relation),
                                direction: match m.source {
                                    Some(Side::A) => "taken from the pasted article".into(),
                                    Some(Side::B) => "the pasted article was taken from it".into(),
                                    None => "direction unknown".into(),
                                },
                                confidence: format!("{:.2}", m.confidence),
                                // The page's address where known, else where it was read.
                                name: m.json["indexed"]["url"]
                                    .as_str()
                                    .unwrap_or(&m.origin)
                                    .to_string(),
                                title: m.title.clone(),
                                href: Some(format!("/stories/{}", m.id)),
                                changes: m.json["changes"]
                                    .as_array()
                                    .map(|changes| {
                                        changes
                                            .iter()
                                            .take(5)
                                            .filter_map(|c| {
                                                let kind =
                                                    retrace_judge::ChangeKind::ALL.iter().find(
                                                        |k| Some(k.as_str()) == c["kind"].as_str(),
                                                    )?;
                                                Some((
                                                    kind.as_str(),
                                                    c["detail"].as_str()?.to_string(),
                                                ))
                                            })
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                            })
                            .collect(),
                    );
                }
            }
            Ok(retrace_report::stories::check(&page))
        })
        .await?;
    Ok(Html(html))
}

async fn openapi() -> Json<serde_json::Value> {
    Json(openapi_document())
}

/// The OpenAPI document of the API: the routes of [`router`] (a test checks that they agree).
fn openapi_document() -> serde_json::Value {
    let error = serde_json::json!({"$ref": "#/components/schemas/Error"});
    let article_body = serde_json::json!({
        "required": true,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Article"}},
            "text/html": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        }
    });
    let errors = |codes: &[u16]| -> serde_json::Value {
        codes
            .iter()
            .map(|code| {
                (
                    code.to_string(),
                    serde_json::json!({"description": "what was wrong", "content": {"application/json": {"schema": error}}}),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let with = |mut ok: serde_json::Value, codes: &[u16]| {
        if let (Some(map), serde_json::Value::Object(extra)) = (ok.as_object_mut(), errors(codes)) {
            map.extend(extra);
        }
        ok
    };
    let json_ok = |description: &str| serde_json::json!({"200": {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}});
    let id = |name: &str| serde_json::json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}});
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "retrace", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Who copied, excerpted or rewrote an article: the API of `retrace serve` over an index."},
        "paths": {
            "/healthz": {"get": {"summary": "Liveness and the number of indexed documents", "responses": json_ok("ok")}},
            "/api/check": {"post": {"summary": "The indexed documents related to an article (compare objects)",
                "requestBody": article_body,
                "responses": with(json_ok("the article, candidates compared, and matches"), &[400, 413, 415, 422])}},
            "/api/documents": {"post": {"summary": "Adds an article to the index (or updates it by URL)",
                "requestBody": article_body,
                "responses": with(serde_json::json!({
                    "201": {"description": "added", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "200": {"description": "updated or unchanged", "content": {"application/json": {"schema": {"type": "object"}}}}
                }), &[400, 413, 415, 422])}},
            "/api/stories": {"get": {"summary": "Stories, newest first, paginated",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
                    {"name": "relation", "in": "query", "schema": {"enum": ["duplicate", "excerpt", "rewrite"]}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}}
                ],
                "responses": with(json_ok("total, page, per_page, stories"), &[400])}},
            "/api/stories/{id}": {"get": {"summary": "A story: members, original, provenance",
                "parameters": [id("id")], "responses": with(json_ok("the story"), &[400, 404])}},
            "/api/pairs/{a}/{b}": {"get": {"summary": "Two indexed documents compared (compare object)",
                "parameters": [id("a"), id("b")], "responses": with(json_ok("the compare object"), &[400, 404, 422])}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": json_ok("OpenAPI 3.1")}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "Article": {"type": "object", "additionalProperties": false,
                        "properties": {"title": {"type": "string"}, "text": {"type": "string"}, "html": {"type": "string"},
                                       "url": {"type": "string"}, "published": {"type": "string"}}}
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every API route of the router is in the OpenAPI document, and nothing else.
    #[test]
    fn the_openapi_document_lists_the_api_routes() {
        let source = include_str!("serve.rs");
        let mut routes: Vec<String> = source
            .lines()
            .filter_map(|line| line.trim().strip_prefix(".route(\""))
            .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
            .filter(|path| path.starts_with("/api/") || path == "/healthz")
            .collect();
        routes.sort();
        let document = openapi_document();
        let mut paths: Vec<String> = document["paths"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        paths.sort();
        assert_eq!(routes, paths);
    }
}
