//! The runner from outside, over HTTP on 127.0.0.1 (port 0): the attacks it must refuse, and
//! the bounds every run is held to.
//!
//! Most tests use a small project of their own (in cargo's scratch folder for tests) whose
//! "built examples" are shell scripts: a program that loops for ever, one that prints without
//! end, one that starts children and exits. Each script marks the processes it starts with an
//! environment variable of the test's own, so a straggler is found in /proc even after it has
//! been re-parented. The last tests use the course's real examples.
#![cfg(unix)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    client::send(
        addr,
        "POST",
        "/api/run",
        &[
            ("Host", &host),
            ("Origin", BOOK),
            ("X-Course-Token", token),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
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
    let host = host(server.addr);
    client::send(
        server.addr,
        "POST",
        "/api/run",
        &[
            ("Host", &host),
            ("Origin", BOOK),
            ("X-Course-Token", &server.token),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
    .await
    .unwrap()
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

#[tokio::test]
async fn listens_on_loopback_only() {
    within(async {
        let fixture = Fixture::new("loopback");
        let server = fixture.start(limits()).await;
        assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
        assert_eq!(server.run_url(), format!("http://{}/api/run", server.addr));
    })
    .await;
}

#[tokio::test]
async fn refuses_requests_without_the_right_secret() {
    within(async {
        let fixture = Fixture::new("token");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let body = json!({"example": "hello"}).to_string();
        let mut same_length = server.token.clone().into_bytes();
        same_length[10] = if same_length[10] == b'0' { b'1' } else { b'0' };
        let same_length = String::from_utf8(same_length).unwrap();
        let tokens: [Option<&str>; 4] = [None, Some(""), Some("wrong"), Some(&same_length)];
        for token in tokens {
            let mut headers = vec![("Host", host.as_str()), ("Origin", BOOK)];
            if let Some(token) = token {
                headers.push(("X-Course-Token", token));
            }
            for (method, path) in [("POST", "/api/run"), ("GET", "/api/status")] {
                let answer = client::send(server.addr, method, path, &headers, body.as_bytes())
                    .await
                    .unwrap();
                assert_eq!(answer.status, 403, "{method} {path} with token {token:?}");
                assert_eq!(answer.header("access-control-allow-origin"), None);
            }
        }
        // The secret in the query string instead of the header is no secret either.
        let path = format!("/api/run?token={}", server.token);
        let answer = client::send(
            server.addr,
            "POST",
            &path,
            &[("Host", &host), ("Origin", BOOK)],
            body.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 403);
        assert!(fixture.leftovers().is_empty());
    })
    .await;
}

#[tokio::test]
async fn refuses_other_origins() {
    within(async {
        let fixture = Fixture::new("origin");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let body = json!({"example": "hello"}).to_string();
        for origin in [
            "http://evil.example",
            "null",
            "http://127.0.0.1:3998",
            "http://127.0.0.1:3999.evil.example",
            "https://127.0.0.1:3999",
        ] {
            let answer = client::send(
                server.addr,
                "POST",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", origin),
                    ("X-Course-Token", &server.token),
                ],
                body.as_bytes(),
            )
            .await
            .unwrap();
            assert_eq!(answer.status, 403, "origin {origin}");
            // Nor does a preflight from there get a CORS answer.
            let answer = client::send(
                server.addr,
                "OPTIONS",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", origin),
                    ("Access-Control-Request-Method", "POST"),
                    (
                        "Access-Control-Request-Headers",
                        "content-type, x-course-token",
                    ),
                ],
                b"",
            )
            .await
            .unwrap();
            assert_eq!(answer.status, 403, "preflight from {origin}");
            assert_eq!(answer.header("access-control-allow-origin"), None);
        }
        // Two Origin headers, one of them the book's.
        let answer = client::send(
            server.addr,
            "POST",
            "/api/run",
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("Origin", "http://evil.example"),
                ("X-Course-Token", &server.token),
            ],
            body.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 403, "two origins");
    })
    .await;
}

#[tokio::test]
async fn answers_the_books_preflight_and_names_it_in_cors_headers() {
    within(async {
        let fixture = Fixture::new("preflight");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let answer = client::send(
            server.addr,
            "OPTIONS",
            "/api/run",
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type, x-course-token",
                ),
            ],
            b"",
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 204);
        assert_eq!(answer.header("access-control-allow-origin"), Some(BOOK));
        let allowed = answer.header("access-control-allow-headers").unwrap();
        assert!(allowed.contains("x-course-token"), "{allowed}");
        // A preflight without Origin is no preflight.
        let answer = client::send(server.addr, "OPTIONS", "/api/run", &[("Host", &host)], b"")
            .await
            .unwrap();
        assert_eq!(answer.status, 403);

        let answer = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("access-control-allow-origin"), Some(BOOK));
        let answer = client::send(
            server.addr,
            "GET",
            "/api/status",
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("X-Course-Token", &server.token),
            ],
            b"",
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 200);
        let status: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        assert_eq!(
            status["python"],
            json!(course_runner::run::find_python().is_some())
        );
    })
    .await;
}

#[tokio::test]
async fn refuses_other_hosts_against_dns_rebinding() {
    within(async {
        let fixture = Fixture::new("host");
        let server = fixture.start(limits()).await;
        let port = server.addr.port();
        let body = json!({"example": "hello"}).to_string();
        let wrong = [
            Some(format!("evil.example:{port}")),
            Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
            Some("127.0.0.1".to_string()),
            Some(format!("127.0.0.1.nip.io:{port}")),
            Some(format!("[::1]:{port}")),
            None,
        ];
        for host in &wrong {
            let mut headers = vec![("Origin", BOOK), ("X-Course-Token", server.token.as_str())];
            if let Some(host) = host {
                headers.push(("Host", host));
            }
            let answer = client::send(server.addr, "POST", "/api/run", &headers, body.as_bytes())
                .await
                .unwrap();
            assert_eq!(answer.status, 403, "Host {host:?}");
        }
        // The right ones.
        for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
            let headers = [
                ("Host", host.as_str()),
                ("Origin", BOOK),
                ("X-Course-Token", server.token.as_str()),
            ];
            let mut answer =
                client::send(server.addr, "POST", "/api/run", &headers, body.as_bytes())
                    .await
                    .unwrap();
            assert_eq!(answer.status, 200, "Host {host}");
            answer.events(limit()).await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn example_names_are_checked_against_the_examples_folder() {
    within(async {
        let fixture = Fixture::new("names");
        let server = fixture.start(limits()).await;
        for name in [
            "../secret",
            "..",
            "/bin/sh",
            "bin/hello",
            "hello/../hello",
            "hello.rs",
            "secret",
            "-h",
            "",
            "no-such-example",
        ] {
            for python in [false, true] {
                let answer = post_run(&server, json!({"example": name, "python": python})).await;
                assert_eq!(answer.status, 404, "{name:?} (python: {python})");
            }
            let answer = post_run(&server, json!({"example": name, "code": "fn main() {}"})).await;
            assert_eq!(answer.status, 404, "edited {name:?}");
        }
        // Nothing was compiled or written outside the scratch folder.
        assert!(
            !fixture
                .root
                .join("target/runner/..")
                .join("secret")
                .exists()
        );
        // Malformed requests.
        for body in [
            "{}".to_string(),
            "not json".to_string(),
            json!({"example": "hello", "extra": 1}).to_string(),
            json!({"example": "hello", "python": true, "code": "x"}).to_string(),
        ] {
            let host = host(server.addr);
            let answer = client::send(
                server.addr,
                "POST",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", BOOK),
                    ("X-Course-Token", &server.token),
                ],
                body.as_bytes(),
            )
            .await
            .unwrap();
            assert_eq!(answer.status, 400, "{body}");
        }
    })
    .await;
}

#[tokio::test]
async fn refuses_a_body_over_the_size_cap() {
    within(async {
        let fixture = Fixture::new("body");
        let server = fixture.start(limits()).await;
        let code = "x".repeat(Limits::default().max_body + 1);
        let answer = post_run(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(answer.status, 413);
        assert!(!fixture.root.join("target/runner/hello").exists());
    })
    .await;
}

#[tokio::test]
async fn streams_stdout_and_stderr_apart_then_the_exit_status() {
    within(async {
        let fixture = Fixture::new("streams");
        let server = fixture.start(limits()).await;
        let events = run_all(&server, json!({"example": "hello"})).await;
        assert_eq!(text_of(&events, "stdout"), "out\n");
        assert_eq!(text_of(&events, "stderr"), "err\n");
        let exit = events.last().unwrap();
        assert_eq!(exit["code"], json!(3));
        assert_eq!(exit["success"], json!(false));
        assert_eq!(exit["message"], json!("exit status 3"));
        assert!(exit["millis"].as_u64().is_some());
        assert_eq!(text_of(&events, "note"), "");

        // The example's file changed after it was built: the run says so.
        let later = std::time::SystemTime::now() + Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(fixture.root.join("examples/hello.rs"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        let events = run_all(&server, json!({"example": "hello"})).await;
        assert!(text_of(&events, "note").contains("changed after it was built"));
        assert_eq!(text_of(&events, "stdout"), "out\n");
    })
    .await;
}

#[tokio::test]
async fn a_program_that_loops_for_ever_is_stopped_at_the_time_limit() {
    within(async {
        let fixture = Fixture::new("forever");
        let server = fixture.start(limits()).await;
        let start = Instant::now();
        let events = run_all(&server, json!({"example": "forever"})).await;
        let exit = events.last().unwrap();
        assert_eq!(exit["reason"], json!("timeout"), "{exit}");
        assert_eq!(exit["message"], json!("stopped after 2 s"));
        // Not before its time (how long after, a busy machine decides).
        assert!(start.elapsed() >= limits().run_timeout);
        fixture.assert_no_leftovers("forever").await;
    })
    .await;
}

#[tokio::test]
async fn a_program_that_prints_without_end_is_cut_at_the_output_cap() {
    within(async {
        let fixture = Fixture::new("flood");
        let cap = 16 * 1024;
        let server = fixture
            .start(Limits {
                output_cap: cap,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "flood"})).await;
        let printed = text_of(&events, "stdout");
        assert_eq!(printed.len(), cap);
        assert!(printed.starts_with("flood\nflood\n"));
        assert_eq!(text_of(&events, "note"), "output truncated at 16 KiB");
        let exit = events.last().unwrap();
        assert_eq!(exit["reason"], json!("output_cap"), "{exit}");
        fixture.assert_no_leftovers("flood").await;
    })
    .await;
}

#[tokio::test]
async fn a_program_that_starts_children_and_exits_leaves_nothing_behind() {
    within(async {
        let fixture = Fixture::new("spawner");
        // A time limit far beyond what the script needs, even on a busy machine.
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "spawner"})).await;
        assert_eq!(text_of(&events, "stdout"), "started\n");
        let exit = events.last().unwrap();
        // It ended when the script did ("exit"), though its children (one of them in a session
        // of its own) still held its output open: a runner that waited for that output to
        // close would have been stopped by the time limit ("timeout").
        assert_eq!(exit["reason"], json!("exit"), "{exit}");
        assert_eq!(exit["success"], json!(true), "{exit}");
        fixture.assert_no_leftovers("spawner").await;
    })
    .await;
}

#[tokio::test]
async fn when_the_page_goes_away_the_run_is_killed() {
    within(async {
        let fixture = Fixture::new("disconnect");
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        // A silent program, so that only the closed connection can tell the runner.
        let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(answer.status, 200);
        let first = answer.next_event().await.unwrap().unwrap();
        assert_eq!(first["text"], json!("ready\n"));
        fixture.assert_running("the sleeper").await;
        drop(answer); // the Stop button, or the page closed
        fixture.assert_no_leftovers("disconnect").await;
        // And the listing is free to run again.
        let start = Instant::now();
        loop {
            let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
            if answer.status == 200 {
                answer.next_event().await.unwrap();
                break;
            }
            assert!(start.elapsed() < patience(), "still busy");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        fixture.assert_no_leftovers("disconnect, second run").await;
    })
    .await;
}

#[tokio::test]
async fn one_run_per_listing_and_a_cap_on_runs_at_once() {
    within(async {
        let fixture = Fixture::new("caps");
        let server = fixture
            .start(Limits {
                max_runs: 2,
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let mut first = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(first.status, 200);
        first.next_event().await.unwrap();
        let again = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(again.status, 409, "the same listing twice");
        let second = post_run(&server, json!({"example": "forever"})).await;
        assert_eq!(second.status, 200);
        let third = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(third.status, 429, "a third run at once");
        let python = post_run(&server, json!({"example": "hello", "python": true})).await;
        assert_eq!(python.status, 429, "a third run at once");
        drop(first);
        drop(second);
        fixture.assert_no_leftovers("caps").await;
        let start = Instant::now();
        loop {
            let mut answer = post_run(&server, json!({"example": "hello"})).await;
            if answer.status == 200 {
                answer.events(limit()).await.unwrap();
                break;
            }
            assert!(start.elapsed() < patience(), "the slots were not freed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn shutting_down_ends_every_run() {
    within(async {
        let fixture = Fixture::new("shutdown");
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
        answer.next_event().await.unwrap();
        fixture.assert_running("the sleeper").await;
        server.shutdown();
        fixture.assert_no_leftovers("shutdown").await;
    })
    .await;
}

#[tokio::test]
async fn edited_code_is_compiled_in_the_scratch_folder_and_errors_shown_as_rustc_prints_them() {
    within(async {
        let fixture = Fixture::new("edited");
        let server = fixture.start(limits()).await;
        let original = std::fs::read_to_string(fixture.root.join("examples/hello.rs")).unwrap();
        let code = "fn main() {\n    let n: u64 = 3;\n    println!(\"Square: {}\", n * n);\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "status"), "compilingrunning");
        assert_eq!(text_of(&events, "stdout"), "Square: 9\n");
        assert_eq!(events.last().unwrap()["success"], json!(true));
        // Built in the scratch folder; the source tree is untouched.
        assert!(fixture.root.join("target/runner/hello/hello.rs").is_file());
        assert_eq!(
            std::fs::read_to_string(fixture.root.join("examples/hello.rs")).unwrap(),
            original
        );
        // The same code again runs without compiling.
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "status"), "running");
        assert_eq!(text_of(&events, "stdout"), "Square: 9\n");

        let broken = "fn main() {\n    let n: u64 = \"three\";\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": broken})).await;
        let compiler = text_of(&events, "compiler");
        assert!(
            compiler.contains("error[E0308]: mismatched types"),
            "{compiler}"
        );
        assert!(
            compiler.contains("--> examples/hello.rs:2:18"),
            "{compiler}"
        );
        let exit = events.last().unwrap();
        assert_eq!(exit["phase"], json!("compile"));
        assert_eq!(exit["success"], json!(false));
        assert_eq!(text_of(&events, "stdout"), "");
    })
    .await;
}

#[tokio::test]
async fn edited_code_that_loops_for_ever_is_stopped_too() {
    within(async {
        let fixture = Fixture::new("edited-forever");
        let server = fixture.start(limits()).await;
        let m = &fixture.mark;
        let code = format!(
            "fn main() {{\n    let _child = std::process::Command::new(\"sleep\").arg(\"1000\")\
             .env(\"RUNNER_TEST_MARK\", \"{m}\").spawn().unwrap();\n    println!(\"looping\");\n    \
             loop {{ std::hint::spin_loop(); }}\n}}\n"
        );
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "stdout"), "looping\n");
        assert_eq!(events.last().unwrap()["reason"], json!("timeout"));
        fixture.assert_no_leftovers("edited loop").await;
    })
    .await;
}

#[tokio::test]
async fn python_counterparts_run_when_python3_is_here() {
    within(async {
        let fixture = Fixture::new("python");
        let server = fixture.start(limits()).await;
        if course_runner::run::find_python().is_none() {
            let answer = post_run(&server, json!({"example": "hello", "python": true})).await;
            assert_eq!(answer.status, 404);
            eprintln!("python3 not found: only its absence was checked");
            return;
        }
        let events = run_all(&server, json!({"example": "hello", "python": true})).await;
        assert_eq!(text_of(&events, "stdout"), "from python\n");
        assert_eq!(text_of(&events, "stderr"), "oops\n");
        assert_eq!(events.last().unwrap()["success"], json!(true));
        // No bytecode cache written into the source tree.
        assert!(!fixture.root.join("examples/python/__pycache__").exists());
    })
    .await;
}

/// The course's own listings, through the runner: the continents (processes), the square and
/// cube edited to use 3, and a Python twin.
#[tokio::test]
async fn the_course_listings_run() {
    within(async {
        let root = project_root();
        let config = Config::for_project(&root, vec![BOOK.to_string()]);
        let config = Config {
            scratch_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("runner-course"),
            ..config
        };
        let python = config.python.is_some();
        let built = config.bin_dir.join("ch02-01-continents").is_file();
        let server = course_runner::start(config, 0).await.unwrap();
        let continents = [
            "The name of continent is :  Africa",
            "The name of continent is :  America",
            "The name of continent is :  Asia",
            "The name of continent is :  Europe",
        ];
        let sorted = |text: String| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        if built {
            let events = run_all(&server, json!({"example": "ch02-01-continents"})).await;
            assert_eq!(sorted(text_of(&events, "stdout")), continents);
        } else {
            eprintln!("the book's examples are not built: the built continents were not run");
        }
        let source =
            std::fs::read_to_string(root.join("examples/ch03-01-square-and-cube.rs")).unwrap();
        let edited = source.replace("(10)", "(3)");
        assert_ne!(edited, source, "the listing passes 10 to both functions");
        let events = run_all(
            &server,
            json!({"example": "ch03-01-square-and-cube", "code": edited}),
        )
        .await;
        let stdout = text_of(&events, "stdout");
        assert!(stdout.lines().any(|l| l == "Square: 9"), "{stdout}");
        assert!(stdout.lines().any(|l| l == "Cube: 27"), "{stdout}");
        if python {
            let events = run_all(
                &server,
                json!({"example": "ch02-01-continents", "python": true}),
            )
            .await;
            assert_eq!(sorted(text_of(&events, "stdout")), continents);
        }
    })
    .await;
}

/// A program may start a child that leaves the process group (`setsid`) and drops the run's
/// mark from its environment (`env -u`): neither the group kill nor the sweep of marked
/// processes finds it. The runner as `cargo xtask serve` starts it (the binary, which adopts
/// orphans as a child subreaper) must still end it when the run ends, and must not end a
/// child that a program still running handed over to itself.
#[tokio::test]
async fn a_child_that_leaves_the_group_and_drops_the_mark_is_ended_too() {
    within(async {
        let fixture = Fixture::new("escaper");
        // It ends only once its child has left the group and dropped the mark (`env` and
        // `setsid` each exec the next program in the same process: the child has done both
        // once it runs `sleep`), so only the subreaper can find it.
        fixture.script(
            "escaper",
            &format!(
                "env -u {} setsid sleep 1000 >/dev/null 2>&1 </dev/null &\nchild=$!\n\
                 until read -r comm < /proc/$child/comm && [ \"$comm\" = sleep ]; do :; done\n\
                 echo started",
                course_runner::run::MARK_VAR
            ),
        );
        // Its orphan (the subshell ends at once) must live as long as the program does, though
        // another run ends meanwhile: it checks its orphan once the test says that the other
        // run is over (the file `escaper.done` in the project's root).
        fixture.script(
            "keeper",
            &format!(
                "( env -u {} setsid sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > kept.pid )\n\
                 echo started\nuntil [ -e '{}' ]; do sleep 0.05; done\n\
                 kill -0 \"$(cat kept.pid)\" && echo kept",
                course_runner::run::MARK_VAR,
                fixture.root.join("escaper.done").display(),
            ),
        );
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let host = host(addr);
        let post = |example: &'static str| {
            let (host, token) = (host.clone(), token.clone());
            async move {
                let answer = client::send(
                    addr,
                    "POST",
                    "/api/run",
                    &[
                        ("Host", &host),
                        ("Origin", BOOK),
                        ("X-Course-Token", &token),
                        ("Content-Type", "application/json"),
                    ],
                    json!({ "example": example }).to_string().as_bytes(),
                )
                .await
                .unwrap();
                assert_eq!(answer.status, 200);
                answer
            }
        };
        let mut keeper = post("keeper").await;
        assert_eq!(
            keeper.next_event().await.unwrap().unwrap()["text"],
            "started\n"
        );
        let events = post("escaper").await.events(limit()).await.unwrap();
        assert_eq!(text_of(&events, "stdout"), "started\n", "{events:?}");
        // The escaper's run is over (the runner sends its exit after it ended the orphans).
        std::fs::write(fixture.root.join("escaper.done"), "").unwrap();
        let events = keeper.events(limit()).await.unwrap();
        assert_eq!(text_of(&events, "stdout"), "kept\n", "{events:?}");
        let leftovers = {
            let start = Instant::now();
            loop {
                let left = fixture.leftovers();
                if left.is_empty() || start.elapsed() > patience() {
                    break left;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        drop(runner.stdin.take()); // the runner ends
        let _ = tokio::time::timeout(Duration::from_secs(5), runner.wait()).await;
        for pid in fixture.leftovers() {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        assert!(
            leftovers.is_empty(),
            "left running after the run: {leftovers:?}"
        );
    })
    .await;
}

/// A request that names its host or carries its secret twice, or whose target names another
/// host (absolute form, which RFC 9112 says overrides `Host`), is ambiguous: refused, whichever
/// copy comes first.
#[tokio::test]
async fn refuses_ambiguous_hosts_and_secrets() {
    within(async {
        let fixture = Fixture::new("ambiguous");
        let server = fixture.start(limits()).await;
        let port = server.addr.port();
        let (good, evil) = (host(server.addr), format!("evil.example:{port}"));
        let token = server.token.as_str();
        let body = json!({"example": "hello"}).to_string();
        type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);
        let cases: [Case; 5] = [
            (
                "Host twice",
                "/api/run".into(),
                vec![("Host", &good), ("Host", &evil)],
            ),
            (
                "Host twice",
                "/api/run".into(),
                vec![("Host", &good), ("Host", &good)],
            ),
            (
                "secret twice",
                "/api/run".into(),
                vec![("Host", &good), ("X-Course-Token", "bad")],
            ),
            (
                "absolute target",
                format!("http://{evil}/api/run"),
                vec![("Host", &good)],
            ),
            (
                "absolute target",
                format!("http://127.0.0.1:{}/api/run", port.wrapping_add(1)),
                vec![("Host", &good)],
            ),
        ];
        for (what, path, extra) in cases {
            let mut headers = vec![("Origin", BOOK), ("X-Course-Token", token)];
            headers.extend(extra);
            let answer = client::send(server.addr, "POST", &path, &headers, body.as_bytes())
                .await
                .unwrap();
            assert_eq!(answer.status, 403, "{what}: {path} {headers:?}");
        }
        // The absolute form that names this runner is fine.
        let path = format!("http://{good}/api/run");
        let headers = [
            ("Host", good.as_str()),
            ("Origin", BOOK),
            ("X-Course-Token", token),
        ];
        let mut answer = client::send(server.addr, "POST", &path, &headers, body.as_bytes())
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        answer.events(limit()).await.unwrap();
    })
    .await;
}

/// Whatever ends the runner (closing the terminal: SIGHUP; Ctrl-\\: SIGQUIT; SIGTERM; Ctrl-C:
/// SIGINT; or SIGKILL, which it cannot handle: then its watchdog acts), its runs end too: the
/// run's first process, a child in its group, and one that left the group (`setsid`).
#[tokio::test]
async fn whatever_ends_the_runner_ends_its_runs() {
    within(async {
        for signal in ["HUP", "QUIT", "TERM", "INT", "KILL"] {
            let fixture = Fixture::new(&format!("signal-{signal}"));
            fixture.script(
                "family",
                "sleep 1000 &\nsetsid sleep 1000 &\necho ready\nwhile :; do sleep 1; done",
            );
            let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
            let mut answer = post_to(addr, &token, json!({"example": "family"})).await;
            assert_eq!(answer.status, 200);
            let first = answer.next_event().await.unwrap().unwrap();
            assert_eq!(first["text"], "ready\n", "{first}");
            fixture.assert_running(signal).await;
            let pid = runner.id().unwrap().to_string();
            let killed = std::process::Command::new("kill")
                .args(["-s", signal, &pid])
                .status()
                .unwrap();
            assert!(killed.success());
            let status = runner.wait().await.unwrap();
            assert!(
                status.code().is_some() || signal == "KILL",
                "{signal}: {status}"
            );
            fixture
                .assert_no_leftovers(&format!("after SIG{signal} to the runner"))
                .await;
            let left = run_dirs(&fixture);
            if signal == "KILL" {
                // Killed outright, it could not remove the run's folder: the next one does.
                assert_eq!(left.len(), 1, "{left:?}");
                let (mut runner, _, _) = start_binary(&fixture, &[]).await;
                assert!(run_dirs(&fixture).is_empty(), "{:?}", run_dirs(&fixture));
                drop(runner.stdin.take());
                runner.wait().await.unwrap();
            } else {
                assert!(left.is_empty(), "after SIG{signal}: {left:?}");
            }
        }
    })
    .await;
}

/// The `exit` event of a run.
fn exit_of(events: &[Value]) -> &Value {
    events.last().unwrap()
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

/// Each run works in a folder of its own under target/runner, removed once it has ended; a
/// file larger than the bound is refused (SIGXFSZ), with a message that names the bound.
#[tokio::test]
async fn a_run_writes_in_its_own_folder_and_a_large_file_is_refused() {
    within(async {
        let fixture = Fixture::new("filesize");
        fixture.script("whereami", "pwd; echo here > here.txt");
        fixture.script(
            "big",
            "exec dd if=/dev/zero of=big.bin bs=1048576 count=64 2>/dev/null",
        );
        let server = fixture
            .start(Limits {
                file_mib: 8,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "whereami"})).await;
        let dir = PathBuf::from(text_of(&events, "stdout").trim());
        let scratch = std::fs::canonicalize(fixture.root.join("target/runner")).unwrap();
        assert_eq!(dir.parent(), Some(scratch.as_path()), "{events:?}");
        assert!(!dir.exists(), "{} is left", dir.display());
        assert!(!fixture.root.join("here.txt").exists());

        let events = run_all(&server, json!({"example": "big"})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "file_size", "{events:?}");
        assert_eq!(
            exit["message"], "stopped: it wrote a file of 8 MiB, the most it may",
            "{exit}"
        );
        assert!(run_dirs(&fixture).is_empty(), "{:?}", run_dirs(&fixture));
        assert!(!fixture.root.join("big.bin").exists());
    })
    .await;
}

/// A program that uses CPU without end is stopped at its CPU bound (SIGXCPU), with a message.
#[tokio::test]
async fn a_program_over_its_cpu_time_is_stopped_with_a_message() {
    within(async {
        let fixture = Fixture::new("cpu");
        let server = fixture
            .start(Limits {
                cpu_secs: 1,
                run_timeout: limit(),
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "forever"})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "cpu", "{events:?}");
        assert_eq!(exit["message"], "stopped: over 1 s of CPU time", "{exit}");
    })
    .await;
}

/// Edited code that allocates without end is stopped at the memory bound, with a message that
/// names it, not a bare signal.
#[tokio::test]
async fn a_program_allocating_without_end_is_stopped_at_the_memory_bound() {
    within(async {
        let fixture = Fixture::new("memory");
        let server = fixture
            .start(Limits {
                memory_mib: 64,
                run_timeout: limit(),
                ..limits()
            })
            .await;
        let code = "fn main() {\n    let mut all = Vec::new();\n    \
                    loop {\n        all.push(vec![1u8; 1 << 20]);\n    }\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "memory", "{events:?}");
        assert_eq!(exit["message"], "stopped: over 64 MiB of memory", "{exit}");
    })
    .await;
}

/// The descriptors a process has open (Linux).
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// 2 000 connections that send part of a request's headers and then nothing: the runner
/// keeps at most its cap of them open (closing the rest at once, and those it kept after the
/// header timeout), so it never runs out of descriptors, and a real run still succeeds (at
/// worst once the header timeout has freed room).
#[tokio::test]
async fn idle_connections_do_not_exhaust_the_runner() {
    within(async {
        course_runner::contain::raise_open_files();
        let fixture = Fixture::new("idle");
        let args = ["--header-timeout-secs", "2", "--max-connections", "64"];
        let (runner, addr, token) = start_binary(&fixture, &args).await;
        let pid = runner.id().unwrap();
        let before = open_descriptors(pid);
        let mut idle = Vec::new();
        for _ in 0..2000 {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            // A closed one may refuse the write: it is kept all the same.
            let _ = tokio::io::AsyncWriteExt::write_all(
                &mut stream,
                b"POST /api/run HTTP/1.1\r\nHost: 127",
            )
            .await;
            idle.push(stream);
        }
        let most = open_descriptors(pid);
        assert!(
            most < before + 64 + 16,
            "the runner has {most} descriptors open (it had {before})"
        );
        // A real run, tried again while the cap is full (then its connection is closed).
        let start = Instant::now();
        let events = loop {
            let host = host(addr);
            let sent = client::send(
                addr,
                "POST",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", BOOK),
                    ("X-Course-Token", &token),
                    ("Content-Type", "application/json"),
                ],
                json!({"example": "hello"}).to_string().as_bytes(),
            )
            .await;
            if let Ok(mut answer) = sent {
                assert_eq!(answer.status, 200);
                if let Ok(events) = answer.events(limit()).await {
                    break events;
                }
            }
            assert!(start.elapsed() < patience(), "no run got through");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(text_of(&events, "stdout"), "out\n", "{events:?}");
        assert!(open_descriptors(pid) < before + 64 + 16);
        drop(idle);
    })
    .await;
}

/// Every answer, a refusal too, forbids framing and referrers.
#[tokio::test]
async fn answers_may_not_be_framed() {
    within(async {
        let fixture = Fixture::new("frames");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let refused = client::send(
            server.addr,
            "POST",
            "/api/run",
            &[("Host", &host), ("Origin", BOOK)],
            b"{}",
        )
        .await
        .unwrap();
        assert_eq!(refused.status, 403);
        let mut answer = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(answer.status, 200);
        for answer in [&refused, &answer] {
            let csp = answer.header("content-security-policy");
            assert_eq!(csp, Some("frame-ancestors 'none'"), "{:?}", answer.headers);
            assert_eq!(answer.header("x-frame-options"), Some("DENY"));
            assert_eq!(answer.header("referrer-policy"), Some("no-referrer"));
        }
        answer.events(limit()).await.unwrap();
    })
    .await;
}

/// The runner writes its secret to no file that others may read: started with its output
/// redirected to one, it refuses to start, and the file holds no secret.
#[tokio::test]
async fn the_secret_goes_to_no_file_others_can_read() {
    within(async {
        use std::os::unix::fs::PermissionsExt;
        let fixture = Fixture::new("secret-file");
        let log = fixture.root.join("runner.log");
        let file = std::fs::File::create(&log).unwrap();
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_course-runner"))
            .args(["--root"])
            .arg(&fixture.root)
            .args(["--book-port", "3999"])
            .stdin(std::process::Stdio::null())
            .stdout(file)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
            .wait_with_output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("others may read"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "");
        // A private file is fine: it gets the line with the secret.
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&log).unwrap();
        let mut runner = tokio::process::Command::new(env!("CARGO_BIN_EXE_course-runner"))
            .args(["--root"])
            .arg(&fixture.root)
            .args(["--book-port", "3999"])
            .stdin(std::process::Stdio::piped())
            .stdout(file)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !std::fs::read_to_string(&log).unwrap().contains("token=") {
            assert!(start.elapsed() < patience(), "the runner said nothing");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}

/// A run's processes are not subreapers: the orphan of a process the program started does not
/// become the program's child (as it does not under `cargo run`), so the program's `wait()`
/// sees only its own children.
#[tokio::test]
async fn an_orphan_is_not_adopted_by_the_program() {
    within(async {
        let fixture = Fixture::new("adoption");
        fixture.script(
            "adopter",
            "( sleep 1000 >/dev/null & echo $! > orphan.pid )\n\
             ppid=$(awk '{print $4}' /proc/$(cat orphan.pid)/stat)\n\
             if [ \"$ppid\" = $$ ]; then echo mine; else echo not mine; fi\n\
             kill $(cat orphan.pid)",
        );
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let events = post_to(addr, &token, json!({"example": "adopter"}))
            .await
            .events(limit())
            .await
            .unwrap();
        assert_eq!(text_of(&events, "stdout"), "not mine\n", "{events:?}");
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}

/// The orphan listing prints from the page what it prints under `cargo run --example`: its
/// orphan outlives its parent, the watchful worker does not (the lines of the workers in
/// either order).
#[tokio::test]
async fn the_orphan_listing_prints_the_same_from_the_page() {
    within(async {
        let root = project_root();
        let binary = root.join("target/book/release/examples/ch02-05-orphan");
        if !binary.is_file() {
            eprintln!("the book's examples are not built: the orphan listing was not run");
            return;
        }
        let direct = tokio::process::Command::new(&binary)
            .current_dir(&root)
            .output()
            .await
            .unwrap();
        assert!(direct.status.success());
        let sorted = |text: &str| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let fixture = Fixture::new("orphan-listing");
        std::fs::copy(
            root.join("examples/ch02-05-orphan.rs"),
            fixture.root.join("examples/ch02-05-orphan.rs"),
        )
        .unwrap();
        std::fs::copy(&binary, fixture.root.join("bin/ch02-05-orphan")).unwrap();
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let events = post_to(addr, &token, json!({"example": "ch02-05-orphan"}))
            .await
            .events(limit())
            .await
            .unwrap();
        let from_page = text_of(&events, "stdout");
        assert_eq!(
            sorted(&from_page),
            sorted(&String::from_utf8_lossy(&direct.stdout)),
            "{events:?}"
        );
        assert_eq!(events.last().unwrap()["success"], true, "{events:?}");
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}

/// A run's processes start with their bounds as resource limits, and are the kernel's first
/// choice when memory runs out.
#[tokio::test]
async fn a_runs_processes_start_with_their_bounds() {
    within(async {
        let fixture = Fixture::new("bounds");
        fixture.script(
            "limits",
            "cat /proc/self/oom_score_adj\n\
             grep -E '^Max (cpu time|file size|data size) ' /proc/self/limits",
        );
        let server = fixture
            .start(Limits {
                memory_mib: 100,
                file_mib: 3,
                cpu_secs: 7,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "limits"})).await;
        let stdout = text_of(&events, "stdout");
        let lines: Vec<Vec<&str>> = stdout
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines[0], ["1000"], "{stdout}");
        let limit = |name: &str| {
            let words: Vec<&str> = name.split(' ').collect();
            let line = lines.iter().find(|l| l.starts_with(&words)).unwrap();
            (line[words.len()], line[words.len() + 1])
        };
        assert_eq!(limit("Max cpu time"), ("7", "8"), "{stdout}");
        assert_eq!(limit("Max file size"), ("3145728", "3145728"), "{stdout}");
        assert_eq!(
            limit("Max data size"),
            ("104857600", "104857600"),
            "{stdout}"
        );
    })
    .await;
}

/// A run may start only so many processes: a program that tries to start 200 gets far fewer
/// (its forks fail), and nothing of it is left after its run.
#[tokio::test]
async fn a_run_starts_processes_up_to_its_bound() {
    within(async {
        let fixture = Fixture::new("nproc");
        fixture.script(
            "forker",
            "for i in $(seq 200); do sleep 1000 2>/dev/null & done 2>/dev/null\necho started\n\
             exec sleep 1000",
        );
        let server = fixture
            .start(Limits {
                processes: 10,
                ..limits()
            })
            .await;
        let mut answer = post_run(&server, json!({"example": "forker"})).await;
        let first = loop {
            let event = answer.next_event().await.unwrap().unwrap();
            if event["kind"] != "stderr" {
                break event;
            }
        };
        assert_eq!(first["text"], "started\n", "{first}");
        let running = fixture.leftovers().len();
        // The bound counts all of this user's processes and threads, and others come and go
        // meanwhile: far fewer than 200, not exactly 10. The kernel does not hold root to it.
        if rustix::process::getuid().is_root() {
            eprintln!("run as root, whom RLIMIT_NPROC does not bound: {running} processes ran");
        } else {
            assert!((1..100).contains(&running), "{running} processes run");
        }
        drop(answer);
        fixture.assert_no_leftovers("the forker's run").await;
    })
    .await;
}
