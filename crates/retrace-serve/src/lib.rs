//! `retrace serve --index DIR`: the web UI and HTTP API over an index (axum on hyper), as a
//! library: [`run`] serves what a [`ServeConfig`] says until the process is stopped.
//!
//! The server has no login (README, "Security model"): it is meant for a loopback address or a
//! proxy that authenticates. What it does itself against hostile web pages and clients:
//! - **Host and Origin.** A request whose `Host` names neither localhost, an IP address on the
//!   served port, nor a host given with `--allow-host` is refused (a DNS-rebinding page would
//!   send its own name); a POST whose `Origin` is not the server's own, or whose
//!   `Sec-Fetch-Site` says another site sent it, is refused. `POST /api/documents` reads JSON
//!   only, which no page of another site can send without the server's leave (CORS preflight).
//! - **Headers on every answer**: a Content-Security-Policy allowing no script, no frame
//!   ancestor and form posts to the server only, `X-Content-Type-Options: nosniff`,
//!   `X-Frame-Options: DENY`, `Referrer-Policy: same-origin` (no address leaves for another
//!   site, and the server's own form posts carry their `Origin`).
//! - **Jobs.** Work that extracts or judges articles (checks, additions, pairs, stories) runs on
//!   its own thread with a 256 MiB stack, at most `--jobs` at once, and under
//!   `catch_unwind`: a page nested deep enough to recurse far, or a bug that panics, answers a
//!   JSON error and the server goes on. Cheap routes (`/healthz`, the story lists) never wait
//!   for a job slot, so they answer while every slot is busy.
//! - **Time budget.** Each request has `--timeout` seconds: a body that has not arrived by then
//!   gets a 408, a job still waiting for a slot a 503 (with `Retry-After`), a job still working a
//!   504 (the thread finishes in the background and keeps its slot until then, so slow work
//!   never runs more than `--jobs` at once). Headers must arrive within 10 seconds (or
//!   the budget when shorter), which also closes idle keep-alive connections, and at most
//!   `--max-connections` are open at once.
//!
//! Every request that reads the index does so with a read snapshot (or the one writer, for
//! `POST /api/documents`), so a reader never sees a half-added batch and the async threads never
//! wait on SQLite. Errors answer `{"error": …, "status": …}` on the API and an HTML page on the
//! pages; nothing a client sends makes a 500 except a bug, which is caught and named.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use retrace_engine::{Document, Engine};
use retrace_index::{DocId, Index, IndexReader, Read};
use retrace_ingest::{Format, RawDoc};
use retrace_judge::{Relation, Side};
use retrace_report::PairReport;
use retrace_report::stories::{CheckMatch, Links, Story};
use retrace_sketch::Sketcher;
use retrace_span::Origin;
use serde::Deserialize;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use retrace_engine::indexing::{Added, Lookup, Unnamed, add_batch, key_of, lookup};
use retrace_judge::story::Link;

/// Stories per page, unless asked otherwise, and at most.
const PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 100;

/// The stack of a job thread and of the judging threads. Parsing and walking an HTML page
/// recurses with its nesting in places the extractor does not control; a page of tens of
/// thousands of nested elements needed more than the 2 MiB a thread gets by default (issue 13,
/// item 2), and a stack overflow cannot be caught: it ends the process. The memory is reserved,
/// not used, until a page goes that deep.
const JOB_STACK: usize = 256 << 20;

/// Headers must arrive within this long (or the request's budget when shorter).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The policy of every answer: no script, no plug-in, nothing from elsewhere, styles inline (the
/// pages are self-contained), forms post to the server only, and no page may frame these.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The server's links between its pages.
const LINKS: Links<'static> = Links {
    story_prefix: "/stories/",
    story_suffix: "",
    stories: "/",
    check: Some("/check"),
};

/// What every handler shares.
struct App {
    /// Read snapshots for every request that reads.
    reader: IndexReader,
    /// The one writer.
    writer: Mutex<Option<Index>>,
    engine: Engine,
    sketcher: Sketcher,
    pool: rayon::ThreadPool,
    jobs: Jobs,
    limits: Limits,
    hosts: Hosts,
}

/// The limits of one server, from its flags.
struct Limits {
    /// The time budget of one request (`--timeout`).
    budget: Duration,
    /// The largest body (`--max-body`).
    max_body: usize,
    /// Open connections at most (`--max-connections`).
    max_connections: usize,
    /// The slots of open connections: `max_connections` less those open (and the one the
    /// accept loop holds while it waits for the next).
    connections: Arc<Semaphore>,
    /// Connections open now.
    open: Arc<AtomicUsize>,
}

/// Slots for the work that extracts or judges articles.
struct Jobs {
    slots: Arc<Semaphore>,
    limit: usize,
    /// Requests waiting for a slot.
    waiting: AtomicUsize,
    /// A test hook (debug builds only): see [`TestJob`].
    test: Option<TestJob>,
}

/// A test hook of debug builds, for the CLI tests: `RETRACE_SERVE_TEST_JOB=sleep:MS` makes every
/// job take MS milliseconds more (to hold a slot for certain), `=panic` makes every job panic.
/// Release builds never read the variable.
#[derive(Clone, Copy, Debug)]
enum TestJob {
    Sleep(u64),
    Panic,
}

impl TestJob {
    fn from_env() -> Option<TestJob> {
        if !cfg!(debug_assertions) {
            return None;
        }
        let value = std::env::var("RETRACE_SERVE_TEST_JOB").ok()?;
        match value.split_once(':') {
            Some(("sleep", ms)) => ms.parse().ok().map(TestJob::Sleep),
            _ if value == "panic" => Some(TestJob::Panic),
            _ => None,
        }
    }
}

/// When the request's time budget ends (a request extension, set before any handler runs).
#[derive(Clone, Copy, Debug)]
struct Deadline(Instant);

/// An error as the API returns it (and, on a page's address, as an HTML page).
#[derive(Clone, Debug)]
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
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        // `error_pages` turns it into an HTML page where a page was asked for.
        response.extensions_mut().insert(self);
        response
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}"))
    }
}

impl From<retrace_engine::indexing::Error> for ApiError {
    fn from(err: retrace_engine::indexing::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
    }
}

impl From<retrace_index::Error> for ApiError {
    fn from(err: retrace_index::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
    }
}

type Api<T> = Result<T, ApiError>;

/// Seconds, as the messages give them.
fn secs(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

/// A line on stderr after start-up. The terminal (or a test's pipe) may be gone by then: a
/// failed write is no reason to stop serving, where `eprintln!` would panic.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

impl App {
    /// Runs `read` on a snapshot of the index, on the calling thread.
    fn with_snapshot<T>(
        &self,
        read: impl FnOnce(&retrace_index::Snapshot<'_>) -> Api<T>,
    ) -> Api<T> {
        self.reader.read(read)
    }

    /// Runs `read` on a snapshot of the index, on a blocking thread: for cheap reads (counts,
    /// story lists), which never wait for a job slot.
    async fn read<T: Send + 'static>(
        self: &Arc<App>,
        read: impl FnOnce(&App, &retrace_index::Snapshot<'_>) -> Api<T> + Send + 'static,
    ) -> Api<T> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || app.with_snapshot(|snapshot| read(&app, snapshot)))
            .await
            .map_err(|err| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the server failed on this request (a bug): {err}"),
                )
            })?
    }

    /// Runs `work`, which extracts or judges articles, as a job: once a slot is free (503 when
    /// none frees within the request's budget), on a thread of its own with a [`JOB_STACK`]
    /// stack, under `catch_unwind` (a panic answers a 500 naming it), and answered within the
    /// budget (else 504; the thread finishes in the background and holds its slot until then).
    async fn job<T: Send + 'static>(
        self: &Arc<App>,
        Deadline(deadline): Deadline,
        work: impl FnOnce(&App) -> Api<T> + Send + 'static,
    ) -> Api<T> {
        let jobs = &self.jobs;
        let slot = {
            jobs.waiting.fetch_add(1, Ordering::SeqCst);
            let _waited = Waited(&jobs.waiting);
            tokio::time::timeout_at(deadline, Arc::clone(&jobs.slots).acquire_owned()).await
        };
        let slot = match slot {
            Ok(Ok(slot)) => slot,
            Ok(Err(_)) => {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server is shutting down",
                ));
            }
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "the server is busy: all {} job slots (checks, additions, pairs, \
                         stories) stayed taken for this request's time budget of {}; try again \
                         later (retrace serve --jobs, --timeout)",
                        jobs.limit,
                        secs(self.limits.budget)
                    ),
                ));
            }
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let app = Arc::clone(self);
        let test = jobs.test;
        std::thread::Builder::new()
            .name("retrace-job".into())
            .stack_size(JOB_STACK)
            .spawn(move || {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    match test {
                        Some(TestJob::Sleep(ms)) => {
                            std::thread::sleep(Duration::from_millis(ms));
                        }
                        Some(TestJob::Panic) => panic!("RETRACE_SERVE_TEST_JOB=panic"),
                        None => {}
                    }
                    work(&app)
                }));
                drop(slot);
                let _ = tx.send(result);
            })
            .map_err(|err| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("cannot start a job thread: {err}"),
                )
            })?;
        match tokio::time::timeout_at(deadline, rx).await {
            Ok(Ok(Ok(result))) => result,
            Ok(Ok(Err(panic))) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!(
                        "the server failed on this request (a bug; please report it with the \
                         request): {what}; the server goes on"
                    ),
                ))
            }
            Ok(Err(_)) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the job ended without an answer",
            )),
            Err(_) => Err(ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                format!(
                    "the answer was not ready within this request's time budget of {} (retrace \
                     serve --timeout); the work goes on in the background, so a document being \
                     added may still be added",
                    secs(self.limits.budget)
                ),
            )),
        }
    }
}

/// Counts a request out of the waiting ones however its wait ends (a slot, the budget, or the
/// client gone).
struct Waited<'a>(&'a AtomicUsize);

impl Drop for Waited<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Which `Host` and `Origin` headers the server answers (issue 13, item 5).
#[derive(Debug)]
struct Hosts {
    /// The served port.
    port: u16,
    /// `--allow-host`: a host, with the one port it may name or any.
    allowed: Vec<(String, Option<u16>)>,
    /// `--allow-host '*'`.
    any: bool,
}

/// `host[:port]` or `[v6]:port`, the host lower-cased without a final dot; `None` when the
/// port is not a number.
fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (ip, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some((host, port))
}

impl Hosts {
    fn new(port: u16, allow: &[String]) -> anyhow::Result<Hosts> {
        let mut hosts = Hosts {
            port,
            allowed: Vec::new(),
            any: false,
        };
        for entry in allow {
            if entry == "*" {
                hosts.any = true;
                continue;
            }
            let parsed = split_authority(entry)
                .filter(|(host, _)| !host.contains(['/', '@', ' ']))
                .with_context(|| {
                    format!(
                        "--allow-host {entry:?}: expected HOST or HOST:PORT (no scheme, no path)"
                    )
                })?;
            hosts.allowed.push(parsed);
        }
        Ok(hosts)
    }

    /// Whether `--allow-host` names this authority.
    fn listed(&self, host: &str, port: Option<u16>) -> bool {
        self.allowed
            .iter()
            .any(|(name, only)| name == host && only.is_none_or(|only| Some(only) == port))
    }

    /// Whether a request naming this `Host` is answered: localhost or an IP address (which no
    /// rebinding page can be reached by) on the served port, or a host of `--allow-host`.
    fn answers(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        if self.any || self.listed(&host, port) {
            return true;
        }
        let local =
            host.parse::<IpAddr>().is_ok() || host == "localhost" || host.ends_with(".localhost");
        local && port.unwrap_or(80) == self.port
    }

    /// Refuses a request whose `Host` is not the server's, and a POST sent by another site.
    fn check(&self, method: &Method, headers: &HeaderMap) -> Api<()> {
        let host = headers.get(header::HOST).map(|v| v.to_str().unwrap_or(""));
        if let Some(host) = host
            && !self.answers(host)
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "Host {host:?} is not an address of this server, which answers localhost and \
                     IP addresses on port {} and the hosts given with --allow-host (a page that \
                     reached it under another name may be a DNS-rebinding attack)",
                    self.port
                ),
            ));
        }
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return Ok(());
        }
        let refused = |what: String| {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "{what}: the server takes POSTs only from its own pages and from clients \
                     that are not browsers (README, \"Security model\")"
                ),
            ))
        };
        let same_site = headers
            .get("sec-fetch-site")
            .map(|site| site.as_bytes() == b"same-origin");
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            // An opaque origin (a sandboxed frame, a data: page, or a page whose referrer
            // policy hides it) is the server's own only when the browser says so.
            if origin == "null" {
                return match same_site {
                    Some(true) => Ok(()),
                    _ => refused("a request from an opaque origin (Origin null)".into()),
                };
            }
            let authority = origin
                .split_once("://")
                .filter(|(scheme, rest)| {
                    matches!(*scheme, "http" | "https") && !rest.contains(['/', '@'])
                })
                .map(|(_, authority)| authority);
            let own = authority.is_some_and(|authority| {
                host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
                    || split_authority(authority)
                        .is_some_and(|(name, port)| self.listed(&name, port))
            });
            if !own {
                return refused(format!("a request from another web site (Origin {origin})"));
            }
        } else if let Some(site) = headers.get("sec-fetch-site")
            && !matches!(site.as_bytes(), b"same-origin" | b"none")
        {
            return refused(format!(
                "a request from another web site (Sec-Fetch-Site {})",
                site.to_str().unwrap_or("?")
            ));
        }
        Ok(())
    }
}

/// What a server serves, where, and within which limits; the defaults are `retrace serve`'s.
#[derive(Clone, Debug, PartialEq)]
pub struct ServeConfig {
    /// The index's folder.
    pub index: PathBuf,
    /// Where to listen (`HOST:PORT`).
    pub addr: String,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// Worker threads for judging [default: one per core].
    pub threads: Option<usize>,
    /// The time budget of one request, in seconds (above 0, at most a day).
    pub timeout: f64,
    /// Jobs (checks, additions, pairs, stories) at once [default: one per core].
    pub jobs: Option<usize>,
    /// Open connections at most.
    pub max_connections: usize,
    /// Host names the server answers to besides localhost and IP addresses (a proxy's).
    pub allow_host: Vec<String>,
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            index: PathBuf::new(),
            addr: "127.0.0.1:8080".into(),
            max_body: 5 << 20,
            threads: None,
            timeout: 30.0,
            jobs: None,
            max_connections: 256,
            allow_host: Vec::new(),
        }
    }
}

impl ServeConfig {
    /// Whether each setting is within its range; the error names the field.
    ///
    /// ```
    /// use retrace_serve::ServeConfig;
    /// let bad = ServeConfig { jobs: Some(0), ..ServeConfig::default() }.check().unwrap_err();
    /// assert_eq!(bad.to_string(), "jobs must be at least 1");
    /// assert!(ServeConfig::default().check().is_ok());
    /// ```
    pub fn check(&self) -> Result<(), retrace_ingest::BadOption> {
        let bad = |field, rule: &str| {
            Err(retrace_ingest::BadOption {
                field,
                rule: rule.to_string(),
            })
        };
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 86_400.0) {
            return bad(
                "timeout",
                "must be a number of seconds above 0 and at most 86400",
            );
        }
        for (field, value) in [
            ("max_connections", Some(self.max_connections)),
            ("jobs", self.jobs),
            ("max_body", Some(self.max_body)),
        ] {
            if value == Some(0) {
                return bad(field, "must be at least 1");
            }
        }
        Ok(())
    }
}

/// Serves the index `config` names until the process is stopped. Fails before listening on a
/// setting out of range, an index that cannot be opened, or an address taken.
///
/// ```no_run
/// let config = retrace_serve::ServeConfig {
///     index: "news-index".into(),
///     addr: "127.0.0.1:8080".into(),
///     ..retrace_serve::ServeConfig::default()
/// };
/// retrace_serve::run(config)?;
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn run(config: ServeConfig) -> anyhow::Result<()> {
    config.check()?;
    let args = config;
    let budget = Duration::from_secs_f64(args.timeout);
    // Open once before listening: a missing or foreign index fails here, with its message.
    let index = Index::open(&args.index)?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App {
            reader: IndexReader::open(&args.index)?,
            writer: Mutex::new(Some(index)),
            engine: Engine::lexical(),
            sketcher: Sketcher::default(),
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(args.threads.unwrap_or(0))
                .stack_size(JOB_STACK)
                .build()
                .context("cannot start the worker threads")?,
            jobs: Jobs {
                slots: Arc::new(Semaphore::new(jobs)),
                limit: jobs,
                waiting: AtomicUsize::new(0),
                test: TestJob::from_env(),
            },
            limits: Limits {
                budget,
                max_body: args.max_body,
                max_connections: args.max_connections,
                connections: Arc::new(Semaphore::new(args.max_connections)),
                open: Arc::new(AtomicUsize::new(0)),
            },
            hosts: Hosts::new(addr.port(), &args.allow_host)?,
        });
        // The warning first: whoever reads only the first lines (a service manager's log
        // view, a test) sees it before the address.
        if !addr.ip().is_loopback() {
            say(&exposed_warning(addr));
        }
        say(&format!(
            "retrace serve: listening on http://{addr} (index {})",
            args.index.display()
        ));
        accept(listener, Arc::clone(&app), router(app)).await
    })
}

/// What `retrace serve` says when it listens beyond this machine.
fn exposed_warning(addr: SocketAddr) -> String {
    format!(
        "retrace serve: WARNING: {ip} is not a loopback address: anyone who can reach \
         {addr} can read the whole index and add documents to it, without any login. Serve on \
         127.0.0.1 (the default), or put an authenticating proxy in front and name its host \
         with --allow-host (README, \"Security model\").",
        ip = addr.ip()
    )
}

/// Accepts connections until Ctrl-C: at most `--max-connections` open at once (further ones
/// wait in the listen queue), each with a header read timeout. On Ctrl-C, stops accepting and
/// lets the open requests finish within their budget.
async fn accept(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    router: Router,
) -> anyhow::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT.min(app.limits.budget));
    let connections = Arc::clone(&app.limits.connections);
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&connections).acquire_owned() => slot.context("connection slots closed")?,
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // the listener itself is fine; wait a moment rather than spin.
                    say(&format!("retrace serve: cannot accept a connection: {err}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let open = Arc::clone(&app.limits.open);
        open.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let _ = connection.await;
            open.fetch_sub(1, Ordering::SeqCst);
            drop(slot);
        });
    }
    let all = u32::try_from(app.limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(app.limits.budget, connections.acquire_many(all)).await;
    Ok(())
}

fn router(app: Arc<App>) -> Router {
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
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(app.limits.max_body))
        // Outermost last: every answer gets the headers, every error on a page's address is a
        // page, and nothing is read before Host and Origin are checked.
        .layer(middleware::from_fn_with_state(Arc::clone(&app), budget))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .layer(middleware::from_fn(error_pages))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// Whether a path is the API's (JSON errors) rather than a page's (HTML errors).
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/healthz"
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Not `no-referrer`: under it a browser sends `Origin: null` with the server's own form
        // posts, which the Origin check could not tell from a sandboxed page of another site.
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// An error on a page's address becomes an HTML page with the same status; the API's stay JSON.
async fn error_pages(request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let mut response = next.run(request).await;
    if api {
        return response;
    }
    let Some(error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    let status = error.status;
    let html = retrace_report::stories::error(
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error"),
        &error.message,
        LINKS,
    );
    let mut page = (status, Html(html)).into_response();
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    page
}

async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match app.hosts.check(request.method(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

/// Sets the request's deadline, reads its body within it (408 when it does not arrive, 413
/// when it is too large), and answers 504 when the handler has not answered by then.
async fn budget(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let deadline = Instant::now() + app.limits.budget;
    let work = async {
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(Deadline(deadline));
        let body =
            match tokio::time::timeout_at(deadline, read_body(body, app.limits.max_body)).await {
                Ok(Ok(body)) => body,
                Ok(Err(err)) => return err.into_response(),
                Err(_) => {
                    return ApiError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        format!(
                            "the request body did not arrive within the time budget of {} (retrace \
                         serve --timeout)",
                            secs(app.limits.budget)
                        ),
                    )
                    .into_response();
                }
            };
        next.run(Request::from_parts(parts, Body::from(body))).await
    };
    match tokio::time::timeout_at(deadline, work).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "the answer was not ready within this request's time budget of {} (retrace \
                 serve --timeout)",
                secs(app.limits.budget)
            ),
        )
        .into_response(),
    }
}

/// The whole body, at most `max` bytes.
async fn read_body(mut body: Body, max: usize) -> Api<Bytes> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than the server's limit of {max} bytes (retrace serve --max-body)"
            ),
        )
    };
    if usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX) > max {
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|err| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the request body could not be read: {err}"),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out.into())
}

async fn not_found(uri: Uri) -> ApiError {
    let message = if is_api(uri.path()) {
        "no such endpoint (see /api/openapi.json)".to_string()
    } else {
        format!("no such page: {}", uri.path())
    };
    ApiError::new(StatusCode::NOT_FOUND, message)
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} does not take {method} (see /api/openapi.json)",
            uri.path()
        ),
    )
}

async fn healthz(State(app): State<Arc<App>>) -> Api<Json<serde_json::Value>> {
    let documents = app.read(|_, snapshot| Ok(snapshot.documents()?)).await?;
    let jobs = &app.jobs;
    let limits = &app.limits;
    Ok(Json(serde_json::json!({
        "ok": true,
        "documents": documents,
        "schema_version": retrace_index::SCHEMA_VERSION,
        "jobs": {
            "running": jobs.limit - jobs.slots.available_permits(),
            "waiting": jobs.waiting.load(Ordering::SeqCst),
            "limit": jobs.limit,
        },
        "connections": {
            "open": limits.open.load(Ordering::SeqCst),
            "limit": limits.max_connections,
        },
        "timeout_s": limits.budget.as_secs_f64(),
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

/// The media type of a request, lower-cased, without parameters.
fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// A web address the index may store: `http:` or `https:`, with a host (issue 13, item 6).
fn check_url(url: &str) -> Api<()> {
    if retrace_report::stories::web_link(url).is_some() {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("\"url\" must be an http:// or https:// address with a host, not {url:?}"),
    ))
}

/// Whether `text` is an ISO 8601 date, `YYYY-MM-DD`, with a real month and day.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Whether `text` is an ISO 8601 date, or a date and time (`T` or a space, `HH:MM`, optional
/// seconds and fraction, optional `Z` or offset): what `published` may be.
fn is_date_time(text: &str) -> bool {
    let (date, time) = match text.get(10..) {
        Some("") | None => (text, None),
        Some(rest) => match rest.strip_prefix(['T', 't', ' ']) {
            Some(time) => (&text[..10], Some(time)),
            None => return false,
        },
    };
    if !is_date(date) {
        return false;
    }
    let Some(time) = time else {
        return true;
    };
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|c| c.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => (time, ""),
    };
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        _ => {
            let offset = zone[1..].replace(':', "");
            offset.len() == 4 && two(&offset[..2], 23) && two(&offset[2..], 59)
        }
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    let clock_ok = matches!(parts.len(), 2 | 3)
        && two(parts[0], 23)
        && two(parts[1], 59)
        && parts.get(2).is_none_or(|s| two(s, 60))
        && !fraction.is_empty()
        && fraction.bytes().all(|c| c.is_ascii_digit());
    zone_ok && clock_ok
}

/// The body of a request as a document to read: JSON `{title, text | html, url, published}`,
/// an HTML page or plain text, by its `Content-Type` (`json_only`: JSON and nothing else).
fn raw_of(content_type: &str, body: &[u8], json_only: bool) -> Api<RawDoc> {
    let origin = Origin::Path(PathBuf::from("request"));
    match content_type {
        "application/json" => {
            let article: ArticleJson = serde_json::from_slice(body).map_err(|err| {
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
            if let Some(url) = &article.url {
                check_url(url)?;
            }
            if let Some(published) = &article.published
                && !is_date_time(published)
            {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "\"published\" must be an ISO 8601 date (2026-03-14) or date and time \
                         (2026-03-14T09:30:00Z), not {published:?}"
                    ),
                ));
            }
            let mut raw = RawDoc::new(origin, text, format);
            raw.record.title = article.title;
            raw.record.url = article.url;
            raw.record.date = article.published;
            Ok(raw)
        }
        "text/html" | "text/plain" if !json_only => {
            let mut raw = retrace_ingest::read_bytes(origin, body.to_vec(), None)
                .map_err(|err| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, err.to_string()))?;
            raw.format = if content_type == "text/html" {
                Format::Html
            } else {
                Format::Text
            };
            Ok(raw)
        }
        "" if !json_only => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "say what the body is: Content-Type application/json, text/html or text/plain",
        )),
        _ if json_only => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type {:?} is not read here: send application/json (a page of another \
                 web site cannot, which keeps it from adding to the index)",
                content_type
            ),
        )),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type {other} is not read: send application/json, text/html or text/plain"
            ),
        )),
    }
}

/// The article a request carries (runs in a job: reading it extracts the article).
fn article_of(app: &App, content_type: &str, body: &[u8], json_only: bool) -> Api<Document> {
    let raw = raw_of(content_type, body, json_only)?;
    match Document::read(Ok(raw), &app.sketcher) {
        Ok(found) => Ok(found),
        Err(skip) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("no article in the body: {}", skip.reason),
        )),
    }
}

async fn api_check(
    State(app): State<Arc<App>>,
    Extension(deadline): Extension<Deadline>,
    headers: HeaderMap,
    body: Bytes,
) -> Api<Json<serde_json::Value>> {
    let content_type = content_type(&headers);
    let json = app
        .job(deadline, move |app| {
            let found = article_of(app, &content_type, &body, false)?;
            app.with_snapshot(|snapshot| {
                let Lookup {
                    candidates,
                    not_compared,
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
                    "not_compared": not_compared
                        .iter()
                        .map(|(id, reason)| serde_json::json!({"id": id, "reason": reason}))
                        .collect::<Vec<_>>(),
                    "matches": matches.into_iter().map(|m| m.json).collect::<Vec<_>>(),
                }))
            })
        })
        .await?;
    Ok(Json(json))
}

async fn api_documents(
    State(app): State<Arc<App>>,
    Extension(deadline): Extension<Deadline>,
    headers: HeaderMap,
    body: Bytes,
) -> Api<(StatusCode, Json<serde_json::Value>)> {
    let content_type = content_type(&headers);
    app.job(deadline, move |app| {
        let found = article_of(app, &content_type, &body, true)?;
        let key = key_of(&found, Unnamed::ByText);
        // A job that panicked while writing left the handle in an unknown state: drop it and
        // open the index again.
        let mut writer = app.writer.lock().unwrap_or_else(|poisoned| {
            let mut writer = poisoned.into_inner();
            *writer = None;
            writer
        });
        app.writer.clear_poison();
        let index = match writer.as_mut() {
            Some(index) => index,
            None => writer.insert(Index::open(app.reader.dir())?),
        };
        let Added {
            counts,
            not_compared,
            ..
        } = add_batch(index, &app.engine, &app.pool, vec![found], Unnamed::ByText)?;
        for (doc, reason) in not_compared {
            say(&format!(
                "retrace serve: document {doc}: {reason}; not compared"
            ));
        }
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

/// One page of the story list, newest first, and how many stories pass the query's filters:
/// the page's stories are read from the index's stories table (kept up to date by each batch)
/// and only they are assembled, so a request costs the page, not the index.
fn story_page_of(
    snapshot: &impl Read,
    query: &StoryQuery,
    page: usize,
    per_page: usize,
) -> Api<(usize, Vec<IndexStory>)> {
    if let Some(relation) = &query.relation
        && !["duplicate", "excerpt", "rewrite"].contains(&relation.as_str())
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("relation must be duplicate, excerpt or rewrite, not {relation:?}"),
        ));
    }
    let filter = retrace_index::StoryFilter {
        relation: query.relation.as_deref(),
        since: query.since.as_deref(),
        until: query.until.as_deref(),
    };
    // A page past the end is empty, however far (`page` is any u64 a client sends).
    let offset = ((page - 1) as u64).saturating_mul(per_page as u64);
    let (total, rows) = snapshot.story_list(&filter, offset, per_page as u64)?;
    let stories = rows
        .iter()
        .map(|row| story_holding(snapshot, row.id))
        .collect::<Api<Vec<_>>>()?;
    Ok((total as usize, stories))
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
    for (name, value) in [("since", &query.since), ("until", &query.until)] {
        if let Some(value) = value
            && !is_date(value)
        {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("{name} must be a date, YYYY-MM-DD, not {value:?}"),
            ));
        }
    }
    Ok((query, page, per_page))
}

fn summary_json(s: &IndexStory) -> serde_json::Value {
    let count = |relation: Relation| {
        s.story
            .provenance
            .iter()
            .chain(&s.story.undirected)
            .filter(|e| e.relation == Link::Judged(relation))
            .count()
    };
    serde_json::json!({
        "id": s.id,
        "title": s.story.members.iter().find(|m| Some(&m.origin) == s.story.original.as_ref())
            .or(s.story.members.first()).and_then(|m| m.title.clone()),
        "original": s.story.original,
        "undecided_original": s.story.undecided_original,
        "members": s.story.members.len(),
        "duplicates": count(Relation::Duplicate),
        "excerpts": count(Relation::Excerpt),
        "rewrites": count(Relation::Rewrite),
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
            let (total, shown) = story_page_of(snapshot, &query, page, per_page)?;
            let stories: Vec<serde_json::Value> = shown.iter().map(summary_json).collect();
            Ok(serde_json::json!({
                "total": total, "page": page, "per_page": per_page, "stories": stories,
            }))
        })
        .await?;
    Ok(Json(json))
}

/// The story holding document `id`, or 404.
fn story_holding(snapshot: &impl Read, id: DocId) -> Api<IndexStory> {
    let page = |a: DocId, b: DocId| Some(format!("/pairs/{a}/{b}"));
    let found = retrace_engine::indexing::story_of_document(snapshot, id, page)?;
    let Some(found) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no story {id} (stories are numbered by their least document id)"),
        ));
    };
    Ok(IndexStory {
        id: found.id,
        members: found.members,
        story: found.story,
        newest: found.newest,
    })
}

fn id_of(text: &str) -> Api<DocId> {
    text.parse::<DocId>().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{text:?} is not an index id (a whole number)"),
        )
    })
}

/// The two ids of a pair's address; a document is no pair with itself (issue 13, item 6).
fn pair_of(a: &str, b: &str) -> Api<(DocId, DocId)> {
    let (a, b) = (id_of(a)?, id_of(b)?);
    if a == b {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("a pair is two different documents, not {a} and {a}"),
        ));
    }
    Ok((a, b))
}

async fn api_story(
    State(app): State<Arc<App>>,
    Extension(deadline): Extension<Deadline>,
    Path(id): Path<String>,
) -> Api<Json<serde_json::Value>> {
    let id = id_of(&id)?;
    let json = app
        .job(deadline, move |app| {
            app.with_snapshot(|snapshot| {
                let mut story = story_holding(snapshot, id)?;
                story.story.ledger = ledger(app, snapshot, &story.members)?;
                let mut json = serde_json::to_value(&story.story).map_err(|err| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
                })?;
                json["id"] = story.id.into();
                json["newest"] = story.newest.into();
                Ok(json)
            })
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
    Ok(show(&compared.report(&raw_a.text, &raw_b.text)))
}

async fn api_pair(
    State(app): State<Arc<App>>,
    Extension(deadline): Extension<Deadline>,
    Path((a, b)): Path<(String, String)>,
) -> Api<Json<serde_json::Value>> {
    let pair = pair_of(&a, &b)?;
    let json = app
        .job(deadline, move |app| {
            app.with_snapshot(|snapshot| {
                compare_pair(app, snapshot, pair, |report| {
                    serde_json::to_value(retrace_report::json::CompareJson::new(report))
                })?
                .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))
            })
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
            let (total, page_stories) = story_page_of(snapshot, &query, page, per_page)?;
            let documents = snapshot.documents()?;
            let pages = total.div_ceil(per_page).max(1);
            let shown: Vec<Story> = page_stories.into_iter().map(|s| s.story).collect();
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

async fn story_page(
    State(app): State<Arc<App>>,
    Extension(deadline): Extension<Deadline>,
    Path(id): Path<String>,
) -> Api<Html<String>> {
    let id = id_of(&id)?;
    let html = app
        .job(deadline, move |app| {
            app.with_snapshot(|snapshot| {
                let mut story = story_holding(snapshot, id)?;
                story.story.ledger = ledger(app, snapshot, &story.members)?;
                Ok(retrace_report::stories::story_linked(&story.story, LINKS))
            })
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
    Extension(deadline): Extension<Deadline>,
    Path((a, b)): Path<(String, String)>,
) -> Api<Html<String>> {
    let pair = pair_of(&a, &b)?;
    let html = app
        .job(deadline, move |app| {
            app.with_snapshot(|snapshot| {
                compare_pair(app, snapshot, pair, |report| {
                    retrace_report::html::render_linked(report, "/", "all stories")
                })
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
    Extension(deadline): Extension<Deadline>,
    form: Result<axum::Form<CheckForm>, axum::extract::rejection::FormRejection>,
) -> Api<Html<String>> {
    let axum::Form(form) = form.map_err(|err| ApiError::new(err.status(), err.body_text()))?;
    let html = app
        .job(deadline, move |app| {
            app.with_snapshot(|snapshot| check_answer(app, snapshot, &form))
        })
        .await?;
    Ok(Html(html))
}

/// The check page after a check: the form filled again, and what the index holds about the
/// article (or why it could not be read).
fn check_answer(
    app: &App,
    snapshot: &retrace_index::Snapshot<'_>,
    form: &CheckForm,
) -> Api<String> {
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
    if !form.url.is_empty() && check_url(&form.url).is_err() {
        page.error = Some(format!(
            "The address must be an http:// or https:// address, not {:?}.",
            form.url
        ));
        return Ok(retrace_report::stories::check(&page));
    }
    match Document::read(Ok(raw), &app.sketcher) {
        Err(skip) => {
            page.error = Some(format!(
                "No article found in what was pasted: {}",
                skip.reason
            ));
        }
        Ok(found) => {
            let Lookup {
                candidates,
                not_compared,
                matches,
                ..
            } = lookup(snapshot, &app.engine, &app.pool, &found)?;
            page.candidates = candidates;
            page.not_compared = not_compared
                .iter()
                .map(|(id, reason)| format!("#{id}: {reason}"))
                .collect();
            page.found = Some(
                matches
                    .iter()
                    .map(|m| CheckMatch {
                        relation: m.relation.as_str(),
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
                        copies: m.stands_for.len(),
                        changes: m.json["changes"]
                            .as_array()
                            .map(|changes| {
                                changes
                                    .iter()
                                    .take(5)
                                    .filter_map(|c| {
                                        let kind = retrace_judge::ChangeKind::ALL
                                            .iter()
                                            .find(|k| Some(k.as_str()) == c["kind"].as_str())?;
                                        Some((kind.as_str(), c["detail"].as_str()?.to_string()))
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
    let json_body = serde_json::json!({
        "required": true,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Article"}}}
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
                 "description": "Who copied, excerpted or rewrote an article: the API of `retrace serve` over an index. \
                     No login: a request naming a Host other than localhost, an IP address on the served port or an \
                     --allow-host name gets a 403, and so does a POST whose Origin is another site's. Each request has \
                     a time budget (--timeout): a body not received in time gets a 408, a request still waiting for \
                     a job slot (--jobs) a 503 with Retry-After, one still working a 504."},
        "paths": {
            "/healthz": {"get": {"summary": "Liveness, the number of indexed documents, jobs running and waiting, connections open (never waits for a job slot)",
                "responses": with(json_ok("ok"), &[403])}},
            "/api/check": {"post": {"summary": "The indexed documents related to an article (compare objects)",
                "requestBody": article_body,
                "responses": with(json_ok("the article, candidates compared, those that could not be (not_compared: id and reason), and matches"), &[400, 403, 408, 413, 415, 422, 500, 503, 504])}},
            "/api/documents": {"post": {"summary": "Adds an article to the index (or updates it by URL); JSON only, url http(s), published an ISO 8601 date",
                "requestBody": json_body,
                "responses": with(serde_json::json!({
                    "201": {"description": "added", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "200": {"description": "updated or unchanged", "content": {"application/json": {"schema": {"type": "object"}}}}
                }), &[400, 403, 408, 413, 415, 422, 500, 503, 504])}},
            "/api/stories": {"get": {"summary": "Stories, newest first, paginated",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
                    {"name": "relation", "in": "query", "schema": {"enum": ["duplicate", "excerpt", "rewrite"]}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}}
                ],
                "responses": with(json_ok("total, page, per_page, stories"), &[400, 403, 504])}},
            "/api/stories/{id}": {"get": {"summary": "A story: members, original, provenance, claims",
                "parameters": [id("id")], "responses": with(json_ok("the story"), &[400, 403, 404, 503, 504])}},
            "/api/pairs/{a}/{b}": {"get": {"summary": "Two different indexed documents compared (compare object); the same id twice is a 400",
                "parameters": [id("a"), id("b")], "responses": with(json_ok("the compare object"), &[400, 403, 404, 422, 503, 504])}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": with(json_ok("OpenAPI 3.1"), &[403])}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "Article": {"type": "object", "additionalProperties": false,
                        "properties": {"title": {"type": "string"}, "text": {"type": "string"}, "html": {"type": "string"},
                                       "url": {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
                                       "published": {"type": "string", "description": "ISO 8601: 2026-03-14 or 2026-03-14T09:30:00Z"}}}
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every API route of the router is in the OpenAPI document, and nothing else.
    #[test]
    fn the_openapi_document_lists_the_api_routes() {
        let source = include_str!("lib.rs");
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
