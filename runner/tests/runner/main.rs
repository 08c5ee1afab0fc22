//! The runner from outside, over HTTP on 127.0.0.1 (port 0): the attacks it must refuse, and
//! the bounds every run is held to.
//!
//! Most tests use a small project of their own (in cargo's scratch folder for tests) whose
//! "built examples" are shell scripts: a program that loops for ever, one that prints without
//! end, one that starts children and exits. Each script marks the processes it starts with an
//! environment variable of the test's own, so a straggler is found in /proc even after it has
//! been re-parented. The last tests use the course's real examples.
#![cfg(unix)]

// The tests, by topic (the helpers below serve them all).
mod access;
mod containment;
mod limits;
mod runs;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
use common::{self as client, Answer};
use course_runner::{Config, Limits, Server};
use serde_json::{Value, json};

/// The origin of the (imaginary) book page in these tests.
const BOOK: &str = "http://127.0.0.1:3999";

/// Every test ends within this, or fails: a bound on a hang, never on how fast the runner is
/// (stretched on a slow machine by `COURSE_TEST_TIME_SCALE`).
fn limit() -> Duration {
    course_book::patience(Duration::from_secs(120))
}

/// How long to wait for something the runner must do soon (a slot freed, a process ended):
/// waiting for it turns a hang into a failure, and no test fails because it took a while.
fn patience() -> Duration {
    course_book::patience(Duration::from_secs(30))
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A small project: `examples/NAME.rs` for each script (the runner checks names against them),
/// the scripts as the "built" examples, and a Python counterpart.
struct Fixture {
    root: PathBuf,
    mark: String,
}

impl Fixture {
    fn new(test: &str) -> Fixture {
        let mark = format!("{test}-{}", std::process::id());
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("runner-tests")
            .join(&mark);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("examples/python")).unwrap();
        std::fs::create_dir_all(root.join("bin")).unwrap();
        let fixture = Fixture { root, mark };
        fixture.script("hello", "echo out; echo err >&2; exit 3");
        fixture.script("forever", "while :; do :; done");
        fixture.script("flood", "exec yes flood");
        fixture.script(
            "spawner",
            "sleep 1000 &\nsleep 1000 &\nsetsid sleep 1000 &\necho started",
        );
        fixture.script("sleeper", "echo ready\nexec sleep 1000");
        std::fs::write(
            fixture.root.join("examples/python/hello.py"),
            "import sys\nprint('from python')\nprint('oops', file=sys.stderr)\n",
        )
        .unwrap();
        std::fs::write(fixture.root.join("secret.rs"), "not an example").unwrap();
        fixture
    }

    fn script(&self, name: &str, body: &str) {
        std::fs::write(
            self.root.join(format!("examples/{name}.rs")),
            "fn main() {}\n",
        )
        .unwrap();
        let path = self.root.join("bin").join(name);
        // The script starts itself again with the test's mark in its environment, so that it
        // (not only what it starts) is found in /proc: a shell's `export` does not show there.
        let m = &self.mark;
        let again = format!(
            "if [ \"$RUNNER_TEST_MARK\" != {m} ]; then export RUNNER_TEST_MARK={m}; exec \"$0\"; fi"
        );
        std::fs::write(&path, format!("#!/bin/sh\n{again}\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn config(&self, limits: Limits) -> Config {
        Config {
            root: self.root.clone(),
            bin_dir: self.root.join("bin"),
            deps_dir: project_root().join("target/book/release/deps"),
            scratch_dir: self.root.join("target/runner"),
            book_origins: vec![BOOK.to_string()],
            token: course_runner::guard::new_token(),
            python: course_runner::run::find_python(),
            limits,
        }
    }

    async fn start(&self, limits: Limits) -> Server {
        course_runner::start(self.config(limits), 0).await.unwrap()
    }

    /// The processes still alive that a script of this fixture started.
    fn leftovers(&self) -> Vec<u32> {
        course_book::procs::marked("RUNNER_TEST_MARK", &self.mark)
    }

    /// Waits until a process of this fixture runs ([`patience`] at most): a program that just
    /// printed may be inside `exec` (the sleeper's `exec sleep`), when its environment, and so
    /// its mark, cannot be read for a moment.
    async fn assert_running(&self, what: &str) {
        let start = Instant::now();
        while self.leftovers().is_empty() {
            assert!(start.elapsed() < patience(), "{what}: nothing of it runs");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until no process of this fixture is left ([`patience`] at most).
    async fn assert_no_leftovers(&self, what: &str) {
        let start = Instant::now();
        loop {
            let left = self.leftovers();
            if left.is_empty() {
                return;
            }
            if start.elapsed() > patience() {
                for pid in &left {
                    let _ = std::process::Command::new("kill")
                        .args(["-9", &pid.to_string()])
                        .status();
                }
                panic!("{what}: processes left running: {left:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Starts the `course-runner` binary (as `cargo xtask serve` does) on the fixture, with
/// `extra` arguments: the child, its address and its secret.
async fn start_binary(
    fixture: &Fixture,
    extra: &[&str],
) -> (tokio::process::Child, SocketAddr, String) {
    // The binary reads the built examples from target/book/release/examples.
    let examples = fixture.root.join("target/book/release/examples");
    if !examples.exists() {
        std::fs::create_dir_all(fixture.root.join("target/book/release")).unwrap();
        std::os::unix::fs::symlink(fixture.root.join("bin"), examples).unwrap();
    }
    let mut runner = tokio::process::Command::new(env!("CARGO_BIN_EXE_course-runner"))
        .args(["--root"])
        .arg(&fixture.root)
        .args(["--book-port", "3999"])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut line = String::new();
    tokio::io::AsyncBufReadExt::read_line(
        &mut tokio::io::BufReader::new(runner.stdout.take().unwrap()),
        &mut line,
    )
    .await
    .unwrap();
    // `runner: http://127.0.0.1:PORT/api/run token=SECRET`
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("the runner said {line:?}"))
        .parse()
        .unwrap();
    let token = line.trim().rsplit("token=").next().unwrap().to_string();
    (runner, addr, token)
}

/// A run request to a runner started with [`start_binary`].
async fn post_to(addr: SocketAddr, token: &str, body: Value) -> Answer {
    let host = host(addr);
    let headers = [
        ("Host", host.as_str()),
        ("Origin", BOOK),
        ("X-Course-Token", token),
        ("Content-Type", "application/json"),
    ];
    post_with(addr, &headers, body.to_string().as_bytes()).await
}

/// `POST /api/run` with exactly these headers: for the tests that vary them.
async fn post_with(addr: SocketAddr, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    client::send(addr, "POST", "/api/run", headers, body)
        .await
        .unwrap()
}

fn limits() -> Limits {
    Limits {
        run_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

fn host(addr: SocketAddr) -> String {
    format!("127.0.0.1:{}", addr.port())
}

/// A run request as the book's page sends it.
async fn post_run(server: &Server, body: Value) -> Answer {
    post_to(server.addr, &server.token, body).await
}

/// Runs to the end: every event, the last being the exit.
async fn run_all(server: &Server, body: Value) -> Vec<Value> {
    let mut answer = post_run(server, body.clone()).await;
    if answer.status != 200 {
        let status = answer.status;
        panic!("{body}: {status} {}", answer.text().await.unwrap());
    }
    let events = answer.events(limit()).await.unwrap();
    assert_eq!(
        events.last().map(|e| e["kind"].clone()),
        Some(json!("exit")),
        "{events:?}"
    );
    events
}

fn text_of(events: &[Value], kind: &str) -> String {
    events
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| e["text"].as_str().unwrap())
        .collect()
}

async fn within<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(limit(), f)
        .await
        .expect("the test did not end within its limit")
}

/// The scratch folders of runs left in the fixture's target/runner.
fn run_dirs(fixture: &Fixture) -> Vec<PathBuf> {
    std::fs::read_dir(fixture.root.join("target/runner"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("run-"))
                .collect()
        })
        .unwrap_or_default()
}
