//! `cargo xtask test --soak N`: the whole test command N times with every CPU kept busy, each
//! run marked and swept, and what failed in each.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::{Hog, failed_tests};
use crate::process::dies_with_us;

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
        // Stopped by a signal, the soak takes the run with it.
        dies_with_us(&mut cmd);
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
    use std::sync::atomic::Ordering;

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
