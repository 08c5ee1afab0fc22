//! `cargo xtask stress [--runs N]`: runs every test binary of the course N times on one CPU, then
//! N times on one CPU shared with a busy process, and reports runs, failures and leftover
//! processes; and `cargo xtask test --soak N`: the whole test command N times with every CPU
//! kept busy.
//!
//! The test binaries: the examples' tests (`tests/examples/`), the local runner's tests
//! (`runner/tests/`), and each exercise's tests on its solution (its copy, as `cargo xtask
//! check --solution` builds it). They already run every program under a timeout, check what
//! it prints by what the program guarantees, and fail if a process it started outlives it.
//! Here they run in the conditions that shake out luck: a single CPU, so threads and processes
//! interleave as they would on the slowest machine, and that CPU kept busy by a hog, so sleeps
//! overrun and wake-ups arrive late. Each binary runs [`TEST_THREADS`] tests at a time on that
//! CPU (libtest, seeing one CPU, would run them one after the other), so the tests also share
//! it with each other, as they share the machine under `cargo test`. Each run is marked, and
//! swept right after it ends ([`course_book::procs::run_marked`]).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use course_book::procs;
use serde_json::Value;

use crate::exercises;
use crate::process::{cargo, found};

/// The variable that marks every process a stress run starts (see [`course_book::procs`]).
const MARK: &str = "COURSE_STRESS_RUN";

/// One run of a test binary may take this long before it counts as hung.
const BINARY_LIMIT: Duration = Duration::from_secs(600);

/// How many tests of one binary run at once on the stress CPU. Pinned to one CPU, libtest
/// would run them one at a time, each alone on its CPU (the mildest condition, and most of
/// the time spent waiting on sleeps and timeouts); four at once make every test compete for
/// the CPU with three others (and the hog). The examples' binary, mostly waiting, then takes a
/// third of the time (116 s to 35 s on one CPU here); the runner's serve test, which builds
/// and serves the book twice, does not shrink, and takes about a third of each round.
const TEST_THREADS: usize = 4;

/// A test binary, built, and how cargo would run it.
#[derive(Debug, Clone, PartialEq)]
struct TestBinary {
    /// What the report calls it: `examples`, `runner`, `event-loop-timers/timers`...
    name: String,
    path: PathBuf,
    /// The folder cargo runs it in: its package's.
    dir: PathBuf,
    /// Arguments for libtest.
    args: Vec<String>,
}

/// The test executables in cargo's JSON messages (one object per line): each test target's
/// binary, named `PREFIX` + its target's name, run in its package's folder.
fn test_binaries(messages: &str, prefix: &str) -> Vec<TestBinary> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| {
            let path = PathBuf::from(m["executable"].as_str()?);
            let dir = Path::new(m["manifest_path"].as_str()?)
                .parent()?
                .to_path_buf();
            let target = m["target"]["name"].as_str()?;
            Some(TestBinary {
                name: format!("{prefix}{target}"),
                path,
                dir,
                args: Vec::new(),
            })
        })
        .collect()
}

/// Builds the tests of `cmd` (a `cargo test` command line) and returns their binaries.
fn build_tests(mut cmd: Command, prefix: &str) -> Result<Vec<TestBinary>> {
    let out = cmd
        .args([
            "--quiet",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo test --no-run")?;
    ensure!(out.status.success(), "the tests do not build ({prefix})");
    Ok(test_binaries(&String::from_utf8_lossy(&out.stdout), prefix))
}

/// Every test binary the stress test runs: the examples', the runner's, the exercises'
/// (solutions).
fn all_test_binaries(root: &Path) -> Result<Vec<TestBinary>> {
    let mut binaries = Vec::new();
    let mut examples = cargo();
    examples.args(["test", "--package", "async-rust-course"]);
    for mut binary in build_tests(examples, "")? {
        // Every example is run with its output checked by its chapter's tests; the catch-all
        // run of each one adds time, not coverage, here.
        binary.args = vec![
            "--skip".into(),
            "every_example_runs_and_ends_cleanly".into(),
        ];
        binaries.push(binary);
    }
    let mut runner = cargo();
    runner.args(["test", "--package", "course-runner"]);
    binaries.extend(build_tests(runner, "runner/")?);
    for name in exercises::names(root) {
        let copy = exercises::copy(root, &name, "solution", None)?;
        let mut cmd = cargo();
        cmd.args(["test", "--tests", "--manifest-path"])
            .arg(copy.join("Cargo.toml"));
        exercises::copy_env(&mut cmd, root, &copy);
        binaries.extend(build_tests(cmd, &format!("{name}/"))?);
    }
    binaries.sort_by(|a, b| a.name.cmp(&b.name));
    ensure!(!binaries.is_empty(), "found no test binaries");
    Ok(binaries)
}

fn has_taskset() -> bool {
    found("taskset")
}

/// A command pinned to CPU `cpu` (when `taskset` exists).
fn pinned(program: &Path, cpu: usize) -> Command {
    if has_taskset() {
        let mut cmd = Command::new("taskset");
        cmd.args(["-c", &cpu.to_string()]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// A process that keeps one CPU busy until it is dropped: this very program, in `hog` mode.
pub struct Hog(Child);

impl Hog {
    pub fn start(cpu: usize) -> Result<Hog> {
        let me = std::env::current_exe().context("where is xtask?")?;
        let child = pinned(&me, cpu)
            .arg("hog")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .context("cannot start the busy process")?;
        Ok(Hog(child))
    }

    /// Fails if the busy process has ended (it never does by itself: it could not start, or
    /// something killed it), since the runs it was meant to slow down were then not slowed.
    pub fn still_running(&mut self) -> Result<()> {
        match self.0.try_wait()? {
            None => Ok(()),
            Some(status) => bail!(
                "the busy process ended ({status}): the runs beside it did not share their CPU"
            ),
        }
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

/// The tests libtest reports `FAILED` in `stdout`, and a note when it ran none.
fn failed_tests(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(str::to_string)
        .collect()
}

/// Runs the stress test; fails if any run failed or left a process behind.
pub fn stress(runs: usize) -> Result<Figures> {
    let root = Path::new(".");
    let binaries = all_test_binaries(root)?;
    if !has_taskset() {
        eprintln!("xtask: taskset not found: running unpinned");
    }
    let mut figures = Figures {
        runs: 0,
        failures: 0,
        leftovers: 0,
    };
    let mut failed = Vec::new();
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    for with_hog in [false, true] {
        let mut hog = if with_hog { Some(Hog::start(0)?) } else { None };
        let mode = if with_hog {
            "one CPU, shared with a busy process"
        } else {
            "one CPU"
        };
        let start = Instant::now();
        let mut took = vec![Duration::ZERO; binaries.len()];
        for round in 1..=runs {
            for (binary, took) in binaries.iter().zip(&mut took) {
                let mark = format!(
                    "{}-{}",
                    std::process::id(),
                    RUNS.fetch_add(1, Ordering::SeqCst)
                );
                let mut cmd = pinned(&binary.path, 0);
                cmd.args(&binary.args)
                    .arg(format!("--test-threads={TEST_THREADS}"))
                    .current_dir(&binary.dir);
                let began = Instant::now();
                let out = procs::run_marked(
                    &mut cmd,
                    MARK,
                    &mark,
                    None,
                    course_book::patience(BINARY_LIMIT),
                )
                .with_context(|| format!("cannot run {}", binary.path.display()))?;
                *took += began.elapsed();
                figures.runs += 1;
                let success = out.status.is_some_and(|s| s.success());
                if !success {
                    figures.failures += 1;
                    let tests = failed_tests(&out.stdout);
                    let what = match out.status {
                        None => format!("still running after {BINARY_LIMIT:?} (killed)"),
                        Some(_) if tests.is_empty() => "failed".to_string(),
                        Some(_) => format!("failed: {}", tests.join(", ")),
                    };
                    failed.push(format!(
                        "{mode}, round {round}: {} {what}\n{}{}",
                        binary.name, out.stdout, out.stderr
                    ));
                }
                if !out.left.is_empty() {
                    figures.leftovers += out.left.len();
                    failed.push(format!(
                        "{mode}, round {round}: {} left processes {:?}",
                        binary.name, out.left
                    ));
                }
            }
            // `--runs 100` takes hours: each round says so, and a run cut short still tells
            // how far it got and what it found.
            eprintln!(
                "xtask: stress, {mode}: round {round} of {runs} after {:.0?}: {} runs so far, \
                 {} failures, {} leftover processes",
                start.elapsed(),
                figures.runs,
                figures.failures,
                figures.leftovers
            );
        }
        eprintln!(
            "xtask: stress, {mode}: {runs} rounds of {} test binaries in {:.1?}",
            binaries.len(),
            start.elapsed()
        );
        eprintln!("xtask: stress, {mode}: {}", slowest(&binaries, &took, 5));
        if let Some(hog) = &mut hog {
            hog.still_running()?;
        }
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

/// The `n` binaries that took longest, with their time over all rounds: where a long stress
/// run spends its hours.
fn slowest(binaries: &[TestBinary], took: &[Duration], n: usize) -> String {
    let mut by_time: Vec<(&str, Duration)> = binaries
        .iter()
        .map(|b| b.name.as_str())
        .zip(took.iter().copied())
        .collect();
    by_time.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let listed: Vec<String> = by_time
        .iter()
        .take(n)
        .map(|(name, took)| format!("{name} {:.1}s", took.as_secs_f64()))
        .collect();
    format!("slowest: {}", listed.join(", "))
}

/// What one soak run found: whether the test command passed, and the tests (or the step) that
/// failed.
#[derive(Debug, PartialEq)]
pub struct SoakRun {
    pub passed: bool,
    pub failed: Vec<String>,
}

/// What failed in the output of `cargo xtask test`: the tests libtest reports `FAILED`, or,
/// when none, the step that failed.
fn soak_failures(output: &str) -> Vec<String> {
    let mut failed = failed_tests(output);
    if failed.is_empty()
        && let Some(line) = output.lines().find(|l| l.contains("step `"))
        && let Some(step) = line.split('`').nth(1)
    {
        failed.push(format!("step `{step}`"));
    }
    failed.sort();
    failed.dedup();
    failed
}

/// `cargo xtask test --soak N`: runs `command` (the test command) `runs` times while `hogs` CPU
/// hogs (one per CPU, each pinned to its own) keep every CPU busy, each run marked and swept;
/// prints `soak: N runs, F failed` and what failed. Each run writes its output straight into
/// `logs/run-K.log` (follow it with `tail -f`), read once the run is over.
pub fn soak(
    runs: usize,
    hogs: usize,
    logs: &Path,
    command: &dyn Fn() -> Command,
) -> Result<Vec<SoakRun>> {
    std::fs::create_dir_all(logs).with_context(|| format!("cannot create {}", logs.display()))?;
    let mut hogs: Vec<Hog> = (0..hogs).map(Hog::start).collect::<Result<_>>()?;
    eprintln!(
        "xtask: soak: {runs} runs of the test command, {} CPU hog(s)",
        hogs.len()
    );
    let mut results = Vec::new();
    for run in 1..=runs {
        let start = Instant::now();
        let log = logs.join(format!("run-{run}.log"));
        let file = std::fs::File::create(&log)
            .with_context(|| format!("cannot write {}", log.display()))?;
        let mut cmd = command();
        cmd.stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file);
        eprintln!("xtask: soak run {run}: output in {}", log.display());
        let (status, left) = crate::process::swept(
            &mut cmd,
            course_book::patience(Duration::from_secs(4 * 3600)),
        )?;
        let output = std::fs::read_to_string(&log).unwrap_or_default();
        let passed = status.is_some_and(|s| s.success()) && left.is_empty();
        let mut failed = soak_failures(&output);
        if status.is_none() {
            failed.push("(still running at the time limit: killed)".into());
        }
        if !left.is_empty() {
            failed.push(format!("(left processes running: {left:?})"));
        }
        eprintln!(
            "xtask: soak run {run}: {} in {:.0?}",
            if passed { "passed" } else { "FAILED" },
            start.elapsed(),
        );
        results.push(SoakRun { passed, failed });
    }
    for hog in &mut hogs {
        hog.still_running()?;
    }
    drop(hogs);
    let failures: Vec<&SoakRun> = results.iter().filter(|r| !r.passed).collect();
    println!("soak: {runs} runs, {} failed", failures.len());
    for (i, r) in results.iter().enumerate() {
        if !r.passed {
            println!("  run {}: {}", i + 1, r.failed.join(", "));
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_process_that_ended_is_noticed() {
        // A stand-in that runs until killed (`Hog::start` would run this test binary).
        let mut hog = Hog(Command::new("sleep").arg("600").spawn().unwrap());
        hog.still_running().unwrap();
        hog.0.kill().unwrap();
        hog.0.wait().unwrap();
        let e = hog.still_running().unwrap_err();
        assert!(e.to_string().contains("busy process ended"), "{e}");
    }

    #[test]
    fn the_slowest_binaries_come_first() {
        let binary = |name: &str| TestBinary {
            name: name.to_string(),
            path: PathBuf::from(name),
            dir: PathBuf::from("."),
            args: Vec::new(),
        };
        let binaries = [binary("a"), binary("b"), binary("c")];
        let took = [
            Duration::from_millis(1500),
            Duration::from_secs(40),
            Duration::from_millis(250),
        ];
        assert_eq!(slowest(&binaries, &took, 2), "slowest: b 40.0s, a 1.5s");
    }

    #[test]
    fn test_binaries_are_read_from_cargo_json() {
        let messages = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"profile":{"test":false},"executable":null,"manifest_path":"/p/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["test"],"name":"examples"},"profile":{"test":true},"executable":"/t/debug/deps/examples-1","manifest_path":"/p/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"r"},"profile":{"test":true},"executable":"/t/debug/deps/r-2","manifest_path":"/p/runner/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["example"],"name":"e"},"profile":{"test":false},"executable":"/t/debug/examples/e","manifest_path":"/p/Cargo.toml"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            test_binaries(messages, "x/"),
            [
                TestBinary {
                    name: "x/examples".into(),
                    path: "/t/debug/deps/examples-1".into(),
                    dir: "/p".into(),
                    args: vec![],
                },
                TestBinary {
                    name: "x/r".into(),
                    path: "/t/debug/deps/r-2".into(),
                    dir: "/p/runner".into(),
                    args: vec![],
                }
            ]
        );
    }

    #[test]
    fn a_soak_run_names_the_failing_tests_or_step() {
        let output = "test a ... ok\ntest b::c ... FAILED\ntest d ... FAILED\n\
                      xtask: error: step `cargo test` failed\n";
        assert_eq!(soak_failures(output), ["b::c", "d"]);
        assert_eq!(
            soak_failures("xtask: error: step `cargo clippy` failed: ...\n"),
            ["step `cargo clippy`"]
        );
    }

    /// The soak itself, on a stand-in for the test command: one run passes, one fails a test.
    #[cfg(unix)]
    #[test]
    fn the_soak_counts_failed_runs_and_names_their_tests() {
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let command = || {
            let n = runs.fetch_add(1, Ordering::SeqCst);
            let mut cmd = Command::new("sh");
            if n == 0 {
                cmd.args(["-c", "echo 'test fine ... ok'"]);
            } else {
                cmd.args(["-c", "echo 'test flaky_one ... FAILED'; exit 101"]);
            }
            cmd
        };
        let logs = tempfile::tempdir().unwrap();
        // No hog here: a test binary started as `hog` would run tests, not spin.
        let results = soak(2, 0, logs.path(), &command).unwrap();
        assert!(logs.path().join("run-2.log").is_file());
        assert_eq!(
            results,
            [
                SoakRun {
                    passed: true,
                    failed: vec![]
                },
                SoakRun {
                    passed: false,
                    failed: vec!["flaky_one".into()]
                }
            ]
        );
    }
}
