//! `cargo xtask serve` as the reader runs it: whatever ends it, mdbook, the runner and the runs
//! end with it. mdbook builds the book before it serves, so this needs the book's tools and
//! examples: without the examples built (`cargo xtask build`), it says so and checks nothing.
#![cfg(target_os = "linux")]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common as client;
use serde_json::json;

/// How long to wait for what must happen (the book built and served, processes ended).
fn patience() -> Duration {
    course_book::patience(Duration::from_secs(300))
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Waits until `ready` gives a value, for [`patience`] at most.
fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(start.elapsed() < patience(), "{what}: still waiting");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The children of `parent`, from `/proc/*/stat`.
fn children_of(parent: u32) -> Vec<u32> {
    let entries = std::fs::read_dir("/proc").unwrap();
    entries
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let ppid: u32 = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == parent).then_some(pid)
        })
        .collect()
}

fn command_line(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .unwrap_or_default()
}

/// Serves the book with `cargo xtask serve`, starts a run (a program that starts a child and
/// runs on), sends xtask `signal`, and checks that nothing of it is left: mdbook, the runner,
/// the run and its child all carry the test's mark (the runs also the runner's own).
fn serve_then(signal: &str) {
    let start = Instant::now();
    let root = project_root();
    let mark = format!("serve-{signal}-{}", std::process::id());
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--package", "xtask"])
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(built.success());
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut xtask = Command::new(root.join("target/debug/xtask"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(&root)
        .env("RUNNER_TEST_MARK", &mark)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let xtask_pid = xtask.id();
    // Whatever happens below, a failed assertion included, nothing of this test stays.
    let _sweep = Sweep(mark.clone());
    let mut out = std::io::BufReader::new(xtask.stdout.take().unwrap());
    // Not a terminal: the address with its secret is in the private page it names.
    let runner_url = wait_for("the runner's address", || {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).ok()?;
        assert!(!line.contains("token="), "the secret in a pipe: {line}");
        line.strip_prefix("runner: ").map(str::to_string)
    });
    let addr: SocketAddr = runner_url
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches("/api/run")
        .parse()
        .unwrap();
    let page = std::fs::read_to_string(root.join("target/runner/open.html")).unwrap();
    let token = page.split("token=").nth(1).unwrap()[..64].to_string();
    wait_for("mdbook serving", || {
        TcpStream::connect(("127.0.0.1", port)).ok()
    });
    let runner_pid = wait_for("the runner", || {
        children_of(xtask_pid)
            .into_iter()
            .find(|pid| command_line(*pid).contains("course-runner"))
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let code = "fn main() {\n    std::process::Command::new(\"sleep\").arg(\"1000\")\n        \
                .spawn().unwrap();\n    println!(\"go\");\n    loop {\n        \
                std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n";
    let answer = runtime.block_on(async {
        let host = format!("127.0.0.1:{}", addr.port());
        let origin = format!("http://127.0.0.1:{port}");
        let body = json!({"example": "ch02-07-orphan", "code": code}).to_string();
        let mut answer = client::send(
            addr,
            "POST",
            "/api/run",
            &[
                ("Host", &host),
                ("Origin", &origin),
                ("X-Course-Token", &token),
                ("Content-Type", "application/json"),
            ],
            body.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 200);
        loop {
            let event = answer.next_event().await.unwrap().unwrap();
            if event["kind"] == "stdout" {
                assert_eq!(event["text"], "go\n");
                break answer;
            }
            assert_ne!(event["kind"], "exit", "{event}");
        }
    });
    let prefix = format!("{runner_pid}-");
    // "go" comes after `spawn` returned, but the child may still be inside `exec`, its new
    // environment (and so its mark) not yet readable: wait until both are seen.
    wait_for("the run and its child", || {
        let runs = course_book::procs::marked_with_prefix(course_runner::run::MARK_VAR, &prefix);
        (runs.len() >= 2).then_some(())
    });

    eprintln!("serving and running took {:.1?}", start.elapsed());
    let sent = Command::new("kill")
        .args(["-s", signal, &xtask_pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = xtask.wait().unwrap();
    drop(answer);
    drop(runtime); // and the task that drove the answer's connection: it closes
    let left = wait_for_nothing(&mark, &prefix);
    // Whatever the outcome, nothing of this test stays.
    let _ = Command::new("kill")
        .args(["-9", "--", &format!("-{xtask_pid}")])
        .stderr(Stdio::null())
        .status();
    assert!(
        left.is_empty(),
        "after SIG{signal} to xtask ({status}): {left:?} left"
    );
    // The last of mdbook may still be closing its socket.
    wait_for("mdbook's port closed", || {
        TcpStream::connect(("127.0.0.1", port))
            .is_err()
            .then_some(())
    });
}

/// Kills every process that carries the test's mark when dropped: after a failed assertion,
/// no mdbook, runner or run of this test is left to the next test.
struct Sweep(String);

impl Drop for Sweep {
    fn drop(&mut self) {
        course_book::procs::kill_marked("RUNNER_TEST_MARK", &self.0);
    }
}

/// Waits until no process carries the test's mark or a run's; returns those left after
/// [`patience`], with their command lines.
fn wait_for_nothing(mark: &str, prefix: &str) -> Vec<String> {
    let left = || {
        let mut pids = course_book::procs::marked("RUNNER_TEST_MARK", mark);
        pids.extend(course_book::procs::marked_with_prefix(
            course_runner::run::MARK_VAR,
            prefix,
        ));
        pids
    };
    let start = Instant::now();
    while start.elapsed() < patience() {
        if left().is_empty() {
            return Vec::new();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    left()
        .into_iter()
        .map(|pid| format!("{pid} {}", command_line(pid)))
        .collect()
}

/// SIGTERM (or SIGINT, SIGHUP, SIGQUIT: the same handler) and SIGKILL to `cargo xtask serve`
/// leave no mdbook, no runner and no run behind.
#[test]
fn whatever_ends_serve_ends_mdbook_the_runner_and_the_runs() {
    let examples = project_root().join("target/book/release/examples");
    if !examples.join("ch02-07-orphan").is_file() {
        eprintln!("the book's examples are not built (cargo xtask build): serve was not tried");
        return;
    }
    serve_then("TERM");
    serve_then("KILL");
}
