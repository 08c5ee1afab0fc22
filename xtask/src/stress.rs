//! `cargo xtask stress [--runs N]`: runs every example test N times on one CPU, then N times on
//! one CPU shared with a busy process, and reports runs, failures and leftover processes.
//!
//! The example tests already run each example under a timeout, check its output by what the
//! program guarantees, and fail if a process it started outlives it (`tests/examples/common.rs`). Here they
//! run in the conditions that shake out luck: a single CPU, so threads and processes interleave
//! as they would on the slowest machine, and that CPU kept busy by a hog, so sleeps overrun and
//! wake-ups arrive late.

use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use course_book::procs;
use serde_json::Value;

use crate::process::{cargo, found};

/// The variable that marks every process a stress run starts (see [`course_book::procs`]).
const MARK: &str = "COURSE_STRESS_RUN";

/// The test binaries of the course's examples (`tests/examples/`, one binary, and any other
/// test target of the root package), built.
fn example_test_binaries() -> Result<Vec<String>> {
    // One build: the artifacts come as JSON on stdout, compiler messages as usual on stderr.
    let out = cargo()
        .args([
            "test",
            "--quiet",
            "--no-run",
            "--package",
            "async-rust-course",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo test --no-run")?;
    ensure!(out.status.success(), "the example tests do not build");
    let mut binaries = test_executables(&String::from_utf8_lossy(&out.stdout));
    binaries.sort();
    ensure!(!binaries.is_empty(), "found no example test binaries");
    Ok(binaries)
}

/// The executables of the test targets in cargo's JSON messages (one object per line).
fn test_executables(messages: &str) -> Vec<String> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| {
            m["reason"] == "compiler-artifact" && m["target"]["kind"] == serde_json::json!(["test"])
        })
        .filter_map(|m| m["executable"].as_str().map(str::to_string))
        .collect()
}

fn has_taskset() -> bool {
    found("taskset")
}

/// A command pinned to CPU 0 (when `taskset` exists).
fn pinned(program: &str) -> Command {
    if has_taskset() {
        let mut cmd = Command::new("taskset");
        cmd.args(["-c", "0", program]);
        cmd
    } else {
        Command::new(program)
    }
}

/// A process that keeps CPU 0 busy until it is killed: this very program, in `hog` mode.
struct Hog(Child);

impl Hog {
    fn start() -> Result<Hog> {
        let me = std::env::current_exe().context("where is xtask?")?;
        let Some(me) = me.to_str() else {
            bail!("{}: not a UTF-8 path", me.display());
        };
        let child = pinned(me)
            .arg("hog")
            .stdout(Stdio::null())
            .spawn()
            .context("cannot start the busy process")?;
        Ok(Hog(child))
    }
}

impl Drop for Hog {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The body of `xtask hog`: spin forever.
pub fn hog() -> ! {
    let mut x: u64 = 0;
    loop {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

pub struct Figures {
    pub runs: usize,
    pub failures: usize,
    pub leftovers: usize,
}

/// Runs the stress test; fails if any run failed or left a process behind.
pub fn stress(runs: usize) -> Result<Figures> {
    let binaries = example_test_binaries()?;
    if !has_taskset() {
        eprintln!("xtask: taskset not found: running unpinned");
    }
    let mut figures = Figures {
        runs: 0,
        failures: 0,
        leftovers: 0,
    };
    let mut failed = Vec::new();
    let mark = std::process::id().to_string();
    for with_hog in [false, true] {
        let _hog = if with_hog { Some(Hog::start()?) } else { None };
        let mode = if with_hog {
            "one CPU, shared with a busy process"
        } else {
            "one CPU"
        };
        let start = Instant::now();
        for round in 1..=runs {
            for binary in &binaries {
                let out = pinned(binary)
                    .env(MARK, &mark)
                    .arg("--quiet")
                    // Every example is run with its output checked by its chapter's tests; the
                    // catch-all run of each one adds time, not coverage, here.
                    .args(["--skip", "every_example_runs_and_ends_cleanly"])
                    .stdin(Stdio::null())
                    .output()
                    .with_context(|| format!("cannot run {binary}"))?;
                figures.runs += 1;
                let name = binary.rsplit('/').next().unwrap_or(binary);
                if !out.status.success() {
                    figures.failures += 1;
                    failed.push(format!(
                        "{mode}, round {round}: {name} failed:\n{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                let left = procs::kill_marked(MARK, &mark);
                if !left.is_empty() {
                    figures.leftovers += left.len();
                    failed.push(format!(
                        "{mode}, round {round}: {name} left processes {left:?}"
                    ));
                }
            }
        }
        eprintln!(
            "xtask: stress, {mode}: {runs} rounds of {} test binaries in {:.1?}",
            binaries.len(),
            start.elapsed()
        );
    }
    println!(
        "stress: {} runs, {} failures, {} leftover processes",
        figures.runs, figures.failures, figures.leftovers
    );
    if !failed.is_empty() {
        bail!("{}", failed.join("\n"));
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_executables_are_read_from_cargo_json() {
        let messages = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"executable":null}
{"reason":"compiler-artifact","target":{"kind":["test"],"name":"examples"},"executable":"/t/debug/deps/examples-1"}
{"reason":"compiler-artifact","target":{"kind":["example"],"name":"e"},"executable":"/t/debug/examples/e"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(test_executables(messages), ["/t/debug/deps/examples-1"]);
    }
}
