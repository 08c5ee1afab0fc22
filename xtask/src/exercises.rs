//! The exercises, for `cargo xtask check` (`cmd/check.rs`): runs one exercise's tests and tells the reader, test by test, what passes
//! and what fails (with the test's hint).
//!
//! An exercise is a package `exercise-NAME` in `exercises/NAME/`: `src/` is the starter the
//! reader finishes, `tests/` defines "correct", and `solution/` holds one answer: the solved
//! version of each file of `src/` that the reader edits. `--solution` runs the very same tests on
//! a copy of the package whose `src/` files are replaced by those of `solution/`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::process::{cargo, describe, run};

/// Where `--solution` builds its copies, one folder per exercise, with one target folder for all.
const SOLUTION_DIR: &str = "target/exercises";

/// The exercises, by name, sorted.
pub fn names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("exercises"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What one run of an exercise's tests found.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub passed: Vec<String>,
    /// (test, what it said when it failed: its message and hint)
    pub failed: Vec<(String, String)>,
}

/// Runs the tests of exercise `name`, on the reader's `src/` or on `solution/`; with `verbose`,
/// prints a PASS or FAIL line per test (and what a failing test said).
pub fn check(root: &Path, name: &str, solution: bool, verbose: bool) -> Result<Outcome> {
    let mut cmd = cargo();
    cmd.args(["test", "--tests", "--no-fail-fast"]);
    let what = if solution {
        let copy = solution_copy(root, name)?;
        cmd.arg("--manifest-path")
            .arg(copy.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join(SOLUTION_DIR).join("target"));
        format!("exercises/{name}/solution/")
    } else {
        cmd.args(["--package", &format!("exercise-{name}")]);
        format!("exercises/{name}/src/")
    };
    // A panic's message is what the reader needs; a backtrace would bury it.
    cmd.env("RUST_BACKTRACE", "0");
    if verbose {
        println!("Checking {what} with the tests in exercises/{name}/tests/ ...");
    }
    let output = cmd
        .output()
        .with_context(|| format!("cannot run `{}`", describe(&cmd)))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcome = parse(&stdout);
    if outcome.passed.is_empty() && outcome.failed.is_empty() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        bail!("the tests of {name} did not run: does {what} compile? (cargo's messages are above)");
    }
    if !output.status.success() && outcome.failed.is_empty() {
        eprint!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
        bail!("`{}` failed", describe(&cmd));
    }
    if verbose {
        for test in &outcome.passed {
            println!("PASS  {test}");
        }
        for (test, message) in &outcome.failed {
            println!("FAIL  {test}");
            for line in message.lines() {
                println!("      {line}");
            }
        }
    }
    Ok(outcome)
}

/// A copy of the exercise in `target/exercises/NAME-solution/`, with the files of `solution/`
/// in place of those of `src/`, and the project's Cargo.lock, so it builds with the same
/// versions of every crate.
fn solution_copy(root: &Path, name: &str) -> Result<PathBuf> {
    let from = root.join("exercises").join(name);
    let to = root.join(SOLUTION_DIR).join(format!("{name}-solution"));
    let _ = fs::remove_dir_all(&to);
    copy_dir(&from.join("src"), &to.join("src"))?;
    copy_dir(&from.join("tests"), &to.join("tests"))?;
    copy_dir(&from.join("solution"), &to.join("src"))?;
    // The copy lies inside this workspace's folder without being one of its members: a
    // `[workspace]` table of its own makes it a project on its own.
    let manifest = from.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    fs::write(to.join("Cargo.toml"), format!("{text}\n[workspace]\n"))
        .with_context(|| format!("cannot write into {}", to.display()))?;
    fs::copy(root.join("Cargo.lock"), to.join("Cargo.lock")).context("cannot copy Cargo.lock")?;
    Ok(to)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries = fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).with_context(|| {
                format!(
                    "cannot copy {} to {}",
                    entry.path().display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Reads libtest's report: `test NAME ... ok` or `... FAILED` per test, and for each failure a
/// `---- NAME stdout ----` section holding its panic message(s). The last message of a section
/// is the test's own (earlier ones come from threads it started).
fn parse(stdout: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let mut failed = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(test) = rest.strip_suffix(" ... ok") {
            outcome.passed.push(test.to_string());
        } else if let Some(test) = rest.strip_suffix(" ... FAILED") {
            failed.push(test.to_string());
        }
    }
    for test in failed {
        let header = format!("---- {test} stdout ----");
        let section = stdout
            .split_once(&header)
            .map(|(_, after)| {
                let end = after
                    .find("\n---- ")
                    .or_else(|| after.find("\nfailures:"))
                    .unwrap_or(after.len());
                &after[..end]
            })
            .unwrap_or("");
        outcome.failed.push((test, last_panic(section)));
    }
    outcome
}

/// The message of the last panic in a test's output, without the `thread ... panicked at`
/// line and the notes after it.
fn last_panic(section: &str) -> String {
    let Some(at) = section.rfind("panicked at ") else {
        let text = section.trim();
        return if text.is_empty() {
            "(the test printed nothing)".into()
        } else {
            text.into()
        };
    };
    let after = &section[at..];
    let message = after.split_once('\n').map_or("", |(_, m)| m);
    message
        .lines()
        .take_while(|l| !l.starts_with("note: "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// For `cargo xtask test`: every solution passes all its tests (and clippy), and every starter
/// passes none (each test exercises code the reader writes, so a starter full of `todo!()` fails
/// them all). That the starters compile without warnings, clippy's run on the workspace checks.
pub fn verify_all(root: &Path) -> Result<()> {
    let all = names(root);
    if all.is_empty() {
        bail!("no exercises found in exercises/");
    }
    for name in &all {
        let solved = check(root, name, true, false)?;
        if let Some((test, message)) = solved.failed.first() {
            bail!(
                "the solution of {name} fails {test}: {message}\n(run `cargo xtask check \
                 {name} --solution`)"
            );
        }
        // The solution is held to the same standard as the starters: formatted, no warning.
        let copy = root.join(SOLUTION_DIR).join(format!("{name}-solution"));
        run(cargo()
            .args(["fmt", "--check", "--manifest-path"])
            .arg(copy.join("Cargo.toml")))?;
        run(cargo()
            .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
            .arg(copy.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join(SOLUTION_DIR).join("target"))
            .args(["--", "-D", "warnings"]))?;
        let starter = check(root, name, false, false)?;
        if let Some(test) = starter.passed.first() {
            bail!(
                "the starter of {name} passes {test}: that test checks nothing the reader writes"
            );
        }
        println!(
            "xtask: {name}: the solution passes all {} tests, the starter none",
            solved.passed.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output_is_read_test_by_test() {
        let stdout = "\nrunning 3 tests\ntest a_good_one ... ok\ntest a_bad_one ... FAILED\n\
            test a_hung_one ... FAILED\n\nfailures:\n\n---- a_bad_one stdout ----\n\n\
            thread '<unnamed>' (7) panicked at src/lib.rs:1:1:\nnot yet implemented\n\n\
            thread 'a_bad_one' (6) panicked at tests/t.rs:9:9:\nnot yet implemented\n\
            hint: do it\nnote: run with `RUST_BACKTRACE=1`\n\n---- a_hung_one stdout ----\n\n\
            thread 'a_hung_one' (8) panicked at tests/t.rs:20:9:\nnot finished\nhint: drop it\n\n\
            \nfailures:\n    a_bad_one\n    a_hung_one\n\ntest result: FAILED. 1 passed; 2 failed\n";
        assert_eq!(
            parse(stdout),
            Outcome {
                passed: vec!["a_good_one".into()],
                failed: vec![
                    (
                        "a_bad_one".into(),
                        "not yet implemented\nhint: do it".into()
                    ),
                    ("a_hung_one".into(), "not finished\nhint: drop it".into()),
                ],
            }
        );
    }
}
