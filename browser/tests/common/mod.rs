//! What the browser tests share (`browser.rs` and `a11y.rs` each include this module): the
//! project's paths and the book's pages, a static server for `book/` that adds a probe script
//! to each page, a chromedriver + Chromium session, and the local runner started for the book.
#![allow(dead_code, reason = "each test binary uses a part of it")]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use course_book::procs;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn book_dir() -> PathBuf {
    let dir = project_root().join("book");
    assert!(
        dir.join("index.html").is_file(),
        "no built book in {}: run `cargo xtask build` first",
        dir.display()
    );
    dir
}

/// The pages of the book, in SUMMARY.md order, as `.html` paths.
pub fn pages() -> Vec<String> {
    let summary = std::fs::read_to_string(project_root().join("src/SUMMARY.md")).unwrap();
    course_book::summary::entries(&summary)
        .into_iter()
        .filter_map(|entry| Some(format!("{}.html", entry.target.strip_suffix(".md")?)))
        .collect()
}

/// Serves `root` on 127.0.0.1 from a thread of its own, for the rest of the test run, with
/// `probe` (a `<script>`) first in each page's `<head>`; returns the base URL.
pub fn serve(root: PathBuf, probe: String) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split(['?', '#']).next().unwrap_or("/");
            let path = path.trim_start_matches('/');
            let path = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            let response = match std::fs::read(root.join(&path)) {
                Ok(mut body) if !path.contains("..") => {
                    let kind = content_type(&path);
                    if kind.starts_with("text/html") {
                        let html = String::from_utf8_lossy(&body);
                        body = html
                            .replacen("<head>", &format!("<head>{probe}"), 1)
                            .into_bytes();
                    }
                    tiny_http::Response::from_data(body)
                        .with_header(tiny_http::Header::from_bytes("Content-Type", kind).unwrap())
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// `base`, stretched by `COURSE_TEST_TIME_SCALE`: how long a test waits for something that
/// must happen (a bound on a hang, never on speed).
pub fn patience(base: Duration) -> Duration {
    course_book::patience(base)
}

/// How long [`Browser::wait_until`] waits.
pub fn wait_limit() -> Duration {
    patience(Duration::from_secs(60))
}

/// The local runner (`runner/`), started for the book served at `book` (its base URL), as
/// `cargo xtask serve` starts it for mdbook's; its edited builds go to `scratch` (below the
/// project root).
pub async fn start_runner(book: &str, scratch: &str) -> course_runner::Server {
    let origin = book.trim_end_matches('/').to_string();
    let config = course_runner::Config::for_project(&project_root(), vec![origin]);
    let config = course_runner::Config {
        scratch_dir: project_root().join(scratch),
        ..config
    };
    course_runner::start(config, 0).await.unwrap()
}

/// The environment variable that marks every process of one [`Browser`]: chromedriver, and
/// Chromium with every process it starts (they inherit the environment), whatever their
/// arguments say. Its value is the name of the browser's profile folder, unique to it.
const BROWSER_MARK: &str = "COURSE_BROWSER";

/// A chromedriver process and a browser session; both end when dropped.
pub struct Browser {
    client: Option<Client>,
    driver: Child,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session; a page gets 30 s to load.
    pub async fn start() -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let profile = tempfile::Builder::new()
            .prefix("course-chromium-")
            .tempdir()
            .unwrap();
        // Chromium's configuration and crash folders go inside the profile folder, which
        // ends with the browser. Its two `chrome_crashpad_handler` daemons (parent: process 1)
        // outlive it by a moment: they carry the mark, and `Drop` ends them.
        // (`--disable-crashpad-for-testing` would not start them, but with it Chromium 156
        // never finishes loading a page.)
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .env("XDG_CONFIG_HOME", profile.path())
            // Chromium's own temporary folders (`org.chromium.Chromium.scoped_dir.*`) too:
            // a killed Chromium would leave them in /tmp.
            .env("TMPDIR", profile.path())
            .env(BROWSER_MARK, mark_of(&profile))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if start.elapsed() > patience(Duration::from_secs(60)) => {
                    panic!("no WebDriver session from {chromedriver}: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let browser = Browser {
            client: Some(client),
            driver,
            profile,
        };
        browser.set_timeouts(None).await;
        browser
    }

    /// Sets how long a script may run (`None`: WebDriver's default) and a page load's 30 s.
    pub async fn set_timeouts(&self, script: Option<Duration>) {
        self.client()
            .update_timeouts(TimeoutConfiguration::new(
                script,
                Some(patience(Duration::from_secs(30))),
                None,
            ))
            .await
            .unwrap();
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// Opens `url`, named `page` in messages, and waits until it has loaded.
    ///
    /// On a busy machine, Chromium's renderer now and then never answers a navigation (WebDriver
    /// then waits 300 s before giving up); so a load gets 30 s, and one more try.
    pub async fn load(&self, url: &str, page: &str) {
        if let Err(first) = self.client().goto(url).await {
            eprintln!("loading {page} failed ({first}); trying again");
            self.client()
                .goto(url)
                .await
                .unwrap_or_else(|e| panic!("loading {page}: {e}"));
        }
        self.wait_until(
            &format!("loading {page}"),
            "return document.readyState === 'complete';",
        )
        .await;
    }

    /// Opens `page` of the book served at `book` by the address `cargo xtask serve` prints
    /// (the runner's secret and port), and waits until its Run buttons are there.
    pub async fn open_with_runner(&self, book: &str, page: &str, runner: &course_runner::Server) {
        let (token, port) = (&runner.token, runner.addr.port());
        self.load(&format!("{book}{page}?token={token}&runner={port}"), page)
            .await;
        self.wait_until(
            &format!("for the Run buttons of {page}"),
            "return document.querySelector('.runner-run') !== null;",
        )
        .await;
    }

    /// Clicks, for real (WebDriver moves the focus as a mouse does), the element `locator`
    /// finds, once it is there (within [`wait_limit`]).
    pub async fn click(&self, locator: Locator<'_>) {
        let what = format!("{locator:?}");
        self.client()
            .wait()
            .at_most(wait_limit())
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("no {what}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {what}: {e}"));
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client().execute(script, vec![]).await.unwrap()
    }

    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.client().execute(script, args).await.unwrap()
    }

    /// Polls a script until it returns `true` (for up to [`wait_limit`]); a timeout names the
    /// page and what was awaited.
    pub async fn wait_until(&self, what: &str, script: &str) {
        self.wait_until_with(what, script, vec![]).await
    }

    /// [`Browser::wait_until`], with arguments for the script.
    pub async fn wait_until_with(&self, what: &str, script: &str, args: Vec<Value>) {
        let start = Instant::now();
        while self.js_with(script, args.clone()).await != json!(true) {
            if start.elapsed() > wait_limit() {
                let page = self
                    .client()
                    .current_url()
                    .await
                    .map_or_else(|e| format!("(no page: {e})"), |u| u.path().to_string());
                panic!(
                    "timed out after {:?} on {page} waiting {what}",
                    wait_limit()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // A test that failed never closed its session, and Chromium outlives a killed
        // chromedriver: end every process of this browser. Chromium and its crash handlers
        // carry the mark (its own helpers, the zygotes and renderers, get a clean
        // environment, and end with it).
        end_marked(BROWSER_MARK, &mark_of(&self.profile));
    }
}

/// Ends every process marked `var=mark` in its environment, and waits (10 s at most) until
/// none is left running, so that the sweep after the tests finds nothing of ours. (A process
/// killed here stays a zombie until it is reaped, which the scan does not count.)
pub fn end_marked(var: &str, mark: &str) {
    let start = Instant::now();
    loop {
        procs::kill_marked(var, mark);
        if procs::marked(var, mark).is_empty() || start.elapsed() > Duration::from_secs(10) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The mark of the browser whose profile folder is `profile`: the folder's name.
fn mark_of(profile: &tempfile::TempDir) -> String {
    let name = profile.path().file_name().unwrap_or_default();
    name.to_string_lossy().into_owned()
}
