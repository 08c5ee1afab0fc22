//! The course's local runner: runs the book's listings on the reader's own machine, for the
//! book served by `cargo xtask serve`.
//!
//! One HTTP endpoint, on the loopback interface only:
//!
//! ```text
//! POST /api/run      X-Course-Token: <secret>
//!   {"example": "NAME"}                  runs target/book/release/examples/NAME as built
//!   {"example": "NAME", "code": "..."}   compiles the edited code in target/runner/, runs it
//!   {"example": "NAME", "python": true}  runs examples/python/NAME.py with python3
//! GET  /api/status   X-Course-Token: <secret>   {"python": true|false}
//! ```
//!
//! The answer to a run is a stream of JSON lines (NDJSON), sent as the program produces them:
//! `{"kind":"stdout","text":...}`, `{"kind":"stderr",...}`, `{"kind":"compiler",...}` (rustc's
//! messages), `{"kind":"status",...}`, `{"kind":"note",...}`, and last
//! `{"kind":"exit","success":..,"code":..,"signal":..,"millis":..,"reason":..,"message":..}`.
//!
//! Any web page the reader visits can send requests to 127.0.0.1, so the runner lets only the
//! book in: see [`guard`] (secret, `Origin`, `Host`), [`examples`] (names) and [`run`] (limits,
//! process groups). What holds a run in, seen from the operating system (resource limits, death
//! with the runner, its watchdog: the one module with `unsafe`), is [`contain`]; the orphans of
//! runs, [`orphans`].

mod compile;
mod config;
pub mod contain;
mod events;
pub mod examples;
pub mod guard;
pub mod orphans;
pub mod run;
mod supervise;

pub use config::{Config, Limits};
use examples::ExampleName;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::{Semaphore, mpsc};

/// What the handlers share.
struct Shared {
    config: Config,
    /// The listings running now (`NAME` or `NAME.py`): one run per listing at a time.
    busy: Mutex<HashSet<String>>,
    /// The cap on runs going on at once.
    slots: Arc<Semaphore>,
    /// The process groups of the runs going on, so that a shutdown can end them.
    groups: run::Groups,
    /// The port this runner listens on, for the `Host` check.
    port: u16,
}

/// A runner listening on 127.0.0.1.
pub struct Server {
    pub addr: SocketAddr,
    pub token: String,
    groups: run::Groups,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// The address the page posts runs to.
    pub fn run_url(&self) -> String {
        format!("http://{}/api/run", self.addr)
    }

    /// Ends every run going on (their whole process groups) and stops listening.
    pub fn shutdown(&self) {
        self.task.abort();
        self.groups.kill_all();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) and serves the runner on the current tokio
/// runtime.
pub async fn start(config: Config, port: u16) -> std::io::Result<Server> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let groups = run::Groups::default();
    let token = config.token.clone();
    let shared = Arc::new(Shared {
        busy: Mutex::new(HashSet::new()),
        slots: Arc::new(Semaphore::new(config.limits.max_runs)),
        groups: groups.clone(),
        port: addr.port(),
        config,
    });
    let app = router(shared.clone());
    let task = tokio::spawn(serve(listener, app, shared.config.limits.clone()));
    Ok(Server {
        addr,
        token,
        groups,
        task,
    })
}

/// Accepts connections, at most `limits.max_connections` open at once (one more is closed at
/// once), each of which must send its request headers within `limits.header_timeout`: a page
/// or program that opens connections and sends nothing holds them for that long at most.
async fn serve(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let timer = hyper_util::rt::TokioTimer::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of descriptors, most likely: let some connections end first.
                eprintln!("runner: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            continue; // dropped: closed
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(timer.clone())
            .header_read_timeout(limits.header_timeout);
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = builder.serve_connection(io, service).await;
            drop(permit);
        });
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let max_body = shared.config.limits.max_body;
    Router::new()
        .route("/api/run", post(run_handler))
        .route("/api/status", get(status_handler))
        .layer(DefaultBodyLimit::max(max_body))
        // Checked before anything else, before the body is read; answers CORS preflights.
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            guard::check_request,
        ))
        // Outermost: on every answer, refusals included.
        .layer(axum::middleware::map_response(private_headers))
        .with_state(shared)
}

/// No page may frame an answer of the runner, and no address (nor its secret) is sent on as
/// a referrer.
async fn private_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn plain(status: StatusCode, text: impl Into<String>) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain")], text.into()).into_response()
}

async fn status_handler(State(shared): State<Arc<Shared>>) -> Response {
    let body = serde_json::json!({
        "python": shared.config.python.is_some(),
        "timeout_secs": shared.config.limits.run_timeout.as_secs_f64(),
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The body of `POST /api/run`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    example: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    python: bool,
}

/// Frees a listing's place when its run ends, however it ends.
struct Busy {
    shared: Arc<Shared>,
    key: String,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.shared.busy.lock().unwrap().remove(&self.key);
    }
}

async fn run_handler(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: RunRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return plain(StatusCode::BAD_REQUEST, format!("bad request: {e}")),
    };
    let config = &shared.config;
    if request.python && request.code.is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "bad request: edited code is Rust only",
        );
    }
    // One run per listing (its Python counterpart apart): `key` says which.
    let (job, key) = if request.python {
        let Some(python) = config.python.clone() else {
            return plain(StatusCode::NOT_FOUND, "python3 is not installed here");
        };
        let Some(name) = ExampleName::python(&config.root, &request.example) else {
            return plain(StatusCode::NOT_FOUND, "no such Python counterpart");
        };
        let file = name.python_file(&config.root);
        (
            run::Job::Python { python, file },
            format!("{}.py", name.as_str()),
        )
    } else {
        let Some(name) = ExampleName::rust(&config.root, &request.example) else {
            return plain(StatusCode::NOT_FOUND, "no such example");
        };
        let key = name.as_str().to_string();
        let job = match request.code {
            Some(code) => run::Job::Edited { name, code },
            None => run::Job::Built {
                source: name.rust_file(&config.root),
                binary: name.program_in(&config.bin_dir),
            },
        };
        (job, key)
    };
    if !shared.busy.lock().unwrap().insert(key.clone()) {
        return plain(
            StatusCode::CONFLICT,
            "this listing is already running: stop it first",
        );
    }
    let busy = Busy {
        shared: shared.clone(),
        key,
    };
    let Ok(slot) = shared.slots.clone().try_acquire_owned() else {
        return plain(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} runs are going on already: wait for one to end",
                config.limits.max_runs
            ),
        );
    };

    // Unbounded: the output cap bounds what a run can send.
    let (tx, rx) = mpsc::unbounded_channel::<Bytes>();
    let ctx = run::Context {
        root: config.root.clone(),
        deps_dir: config.deps_dir.clone(),
        scratch_dir: config.scratch_dir.clone(),
        limits: config.limits.clone(),
        groups: shared.groups.clone(),
    };
    tokio::spawn(async move {
        run::execute(job, ctx, run::Events(tx)).await;
        drop(slot);
        drop(busy);
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|line| (Ok::<_, std::convert::Infallible>(line), rx))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
