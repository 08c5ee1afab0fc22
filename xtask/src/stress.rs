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

use crate::{Result, cargo};

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
        .output()?;
    if !out.status.success() {
        return Err("the example tests do not build".into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut binaries: Vec<String> = text
        .lines()
        .filter(|line| line.contains("\"kind\":[\"test\"]"))
        .filter_map(|line| {
            let start = line.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = start + line[start..].find('"')?;
            Some(line[start..end].to_string())
        })
        .collect();
    binaries.sort();
    if binaries.is_empty() {
        return Err("found no example test binaries".into());
    }
    Ok(binaries)
}

fn has_taskset() -> bool {
    Command::new("taskset")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
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
        let me = std::env::current_exe()?;
        let child = pinned(me.to_str().ok_or("non-UTF-8 path")?)
            .arg("hog")
            .stdout(Stdio::null())
            .spawn()?;
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

/// Processes (on Linux) that carry this stress run's mark in their environment: the test
/// binaries get it, and everything they start inherits it, even once re-parented. (Other test
/// runs on the machine have other marks.)
fn marked_processes(mark: &str) -> Vec<u32> {
    let needle = format!("COURSE_STRESS_RUN={mark}\0");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let environ = std::fs::read(e.path().join("environ")).ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let zombie = stat
                .rsplit(')')
                .next()
                .is_some_and(|s| s.trim_start().starts_with('Z'));
            (!zombie && String::from_utf8_lossy(&environ).contains(&needle)).then_some(pid)
        })
        .collect()
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
                    .env("COURSE_STRESS_RUN", &mark)
                    .arg("--quiet")
                    // Every example is run with its output checked by its chapter's tests; the
                    // catch-all run of each one adds time, not coverage, here.
                    .args(["--skip", "every_example_runs_and_ends_cleanly"])
                    .stdin(Stdio::null())
                    .output()?;
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
                let left = marked_processes(&mark);
                if !left.is_empty() {
                    figures.leftovers += left.len();
                    failed.push(format!(
                        "{mode}, round {round}: {name} left processes {left:?}"
                    ));
                    for pid in left {
                        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                    }
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
    if failed.is_empty() {
        Ok(figures)
    } else {
        Err(failed.join("\n").into())
    }
}
