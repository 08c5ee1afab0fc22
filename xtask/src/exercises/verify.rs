//! The exercises' step of `cargo xtask test` (and `cargo xtask check --all`): for every exercise,
//!
//! - every test of `tests/` has hints, and every hint a test (read from the sources: no build);
//! - the solution passes every test, the optional harder step's too, and is formatted and
//!   clippy-clean;
//! - the starter fails every test (each checks code the reader writes), the harder step's too;
//! - every wrong solution (at least [`MIN_WRONG`]) compiles and fails every test its `Fails:`
//!   line names;
//! - the tests of the solution and of the starter leave no process behind.
//!
//! Each copy is built once and its tests run once; every problem of every exercise is reported
//! at the end.

use std::path::Path;
use std::time::Instant;

use anyhow::{Result, bail};

use super::{Code, Outcome, hints, names, run_tests, wrong};
use crate::process::{cargo, run};

/// How many wrong solutions each exercise has at least.
pub const MIN_WRONG: usize = 8;

/// What one exercise's verification found.
#[derive(Debug, Default)]
pub struct Verdict {
    pub tests: usize,
    pub wrong: usize,
    pub problems: Vec<String>,
}

pub fn verify_all(root: &Path) -> Result<()> {
    let all = names(root);
    if all.is_empty() {
        bail!("no exercises found in exercises/");
    }
    verify_these(root, &all)
}

/// [`verify_all`] for the exercises `all` names only (`cargo xtask check --all NAME`).
pub fn verify_these(root: &Path, all: &[String]) -> Result<()> {
    // What needs no build, for every exercise first: a missing hint fails in a second.
    let mut problems = Vec::new();
    for name in all {
        let (_, wrongs, found) = read(root, name)?;
        problems.extend(found.into_iter().map(|p| format!("{name}: {p}")));
        if wrongs.len() < MIN_WRONG {
            problems.push(format!(
                "{name}: {} wrong solution(s) in wrong/; at least {MIN_WRONG}, each a mistake a \
                 learner really makes",
                wrongs.len()
            ));
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} problem(s) in the exercises' files:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    for name in all {
        let start = Instant::now();
        let verdict = verify(root, name, true)?;
        if verdict.problems.is_empty() {
            println!(
                "xtask: {name}: solution passes {n}, starter fails {n}, {} wrong solutions each \
                 caught ({:.0?})",
                verdict.wrong,
                start.elapsed(),
                n = verdict.tests,
            );
        } else {
            println!("xtask: {name}: {} problem(s)", verdict.problems.len());
        }
        problems.extend(verdict.problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    if !problems.is_empty() {
        bail!(
            "{} problem(s) in the exercises:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok(())
}

/// An exercise's tests and wrong solutions, read from its files, and what is wrong with them
/// (hints, the wrong solutions' headers): no build.
fn read(root: &Path, name: &str) -> Result<(Vec<hints::TestFn>, Vec<wrong::Wrong>, Vec<String>)> {
    let exercise = root.join("exercises").join(name);
    let mut problems = hints::problems(&exercise);
    let tests = hints::test_functions(&exercise)?;
    let (wrongs, wrong_problems) = wrong::list(&exercise);
    problems.extend(wrong_problems);
    for w in &wrongs {
        for test in &w.fails {
            if !tests.iter().any(|t| &t.name == test) {
                problems.push(format!(
                    "{}: `Fails:` names `{test}`, which is no test of tests/",
                    w.file.display()
                ));
            }
        }
    }
    Ok((tests, wrongs, problems))
}

/// Verifies one exercise; `lint` adds fmt and clippy on the solution's copy.
pub fn verify(root: &Path, name: &str, lint: bool) -> Result<Verdict> {
    let (tests, wrongs, found) = read(root, name)?;
    let mut verdict = Verdict {
        tests: tests.len(),
        wrong: wrongs.len(),
        problems: found,
    };
    let problems = &mut verdict.problems;

    let solved = run_tests(root, name, &Code::Solution, false);
    match &solved {
        Ok(outcome) => {
            for failure in &outcome.failed {
                problems.push(format!(
                    "the solution fails {}: {} (run `cargo xtask check {name} --solution`)",
                    failure.test, failure.message
                ));
            }
            left_behind(problems, "the solution's tests", outcome);
        }
        Err(e) => problems.push(format!("the solution: {e:#}")),
    }
    if lint && solved.is_ok() {
        // The solution is held to the same standard as the starters: formatted, no warning.
        let copy = super::copy(root, name, "solution", None)?;
        let manifest = copy.join("Cargo.toml");
        if let Err(e) = run(cargo()
            .args(["fmt", "--check", "--manifest-path"])
            .arg(&manifest))
        {
            problems.push(format!("the solution is not formatted: {e:#}"));
        }
        let mut clippy = cargo();
        clippy
            .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
            .arg(&manifest)
            .args(["--", "-D", "warnings"]);
        super::copy_env(&mut clippy, root, &copy);
        let clippy = run(&mut clippy);
        if let Err(e) = clippy {
            problems.push(format!("clippy on the solution: {e:#}"));
        }
    }

    match run_tests(root, name, &Code::Reader, false) {
        Ok(starter) => {
            for test in &starter.passed {
                problems.push(format!(
                    "the starter passes {test}: that test checks nothing the reader writes"
                ));
            }
            left_behind(problems, "the starter's tests", &starter);
        }
        Err(e) => problems.push(format!("the starter: {e:#}")),
    }

    for w in &wrongs {
        match run_tests(root, name, &Code::Wrong(w.clone()), false) {
            Ok(outcome) => {
                let passed: Vec<&str> = w
                    .fails
                    .iter()
                    .filter(|t| !outcome.fails(t))
                    .map(String::as_str)
                    .collect();
                if !passed.is_empty() {
                    problems.push(format!(
                        "{} ({}) passes {}, which it must fail (run `cargo xtask check {name} \
                         --wrong {}`)",
                        w.file.display(),
                        w.mistake,
                        passed.join(", "),
                        w.number
                    ));
                }
                // What a wrong solution leaves running is its own mistake (and was killed).
            }
            Err(e) => problems.push(format!("{}: {e:#}", w.file.display())),
        }
    }
    Ok(verdict)
}

fn left_behind(problems: &mut Vec<String>, what: &str, outcome: &Outcome) {
    if !outcome.left.is_empty() {
        problems.push(format!(
            "{what} left processes running (killed): {:?}",
            outcome.left
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::{Hinting, check, hints::Progress};

    /// A project root holding only the toy exercise of `xtask/tests/data/exercises/toy`.
    fn toy_root() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let mut files = std::collections::BTreeMap::new();
        super::super::read_tree(&data, Path::new(""), &mut files).unwrap();
        super::super::sync_tree(root.path(), &files).unwrap();
        root
    }

    /// The whole mechanism on a toy exercise (each copy is a small build): the solution passes
    /// every test, the starter fails them all, the wrong solution that doubles wrong is caught,
    /// and the one that rounds up, which no test sees, is named.
    #[test]
    fn a_wrong_solution_that_passes_its_tests_is_named() {
        let root = toy_root();
        let verdict = verify(root.path(), "toy", false).unwrap();
        assert_eq!((verdict.tests, verdict.wrong), (3, 2));
        assert_eq!(
            verdict.problems,
            [
                "wrong/02-rounds-up.rs (rounds up, which no test sees (a fixture for a wrong \
              solution that is not caught)) passes halving_halves, which it must fail (run \
              `cargo xtask check toy --wrong 02`)"
            ]
        );
    }

    /// Copies built one after another never take one another's build: the solution run again
    /// after a wrong solution (whose build is newer than the solution copy's files) is the
    /// solution still.
    #[test]
    fn copies_never_share_their_build() {
        let root = toy_root();
        let exercise = root.path().join("exercises/toy");
        let wrong = wrong::find(&exercise, "01").unwrap();
        let doubling = |code: &Code| {
            run_tests(root.path(), "toy", code, false)
                .unwrap()
                .passes("doubling_doubles")
        };
        assert!(doubling(&Code::Solution));
        assert!(!doubling(&Code::Wrong(wrong.clone())));
        assert!(
            doubling(&Code::Solution),
            "the solution ran the wrong build"
        );
        assert!(
            !doubling(&Code::Wrong(wrong)),
            "the wrong solution ran the solution's build"
        );
    }

    /// The reader's side: a test still `todo!()` gets no hint; a test the reader's own code
    /// fails gets hint 1, then hint 2 at the next check; once it passes, its hints start over.
    #[test]
    fn hints_come_one_level_at_a_time_and_only_for_the_readers_own_code() {
        let root = toy_root();
        let lib = root.path().join("exercises/toy/src/lib.rs");
        let starter = std::fs::read_to_string(&lib).unwrap();
        let written = starter.replace("todo!(\"double {x}\")", "x + 1");
        std::fs::write(&lib, &written).unwrap();
        let levels = || {
            let progress = Progress::load(root.path(), "toy");
            (
                progress.seen("doubling_doubles"),
                progress.seen("halving_halves"),
            )
        };
        assert!(!check(root.path(), "toy", &Code::Reader, Hinting::Progressive).unwrap());
        assert_eq!(levels(), (Some(1), None));
        assert!(!check(root.path(), "toy", &Code::Reader, Hinting::Progressive).unwrap());
        assert_eq!(levels(), (Some(2), None));
        // --hint shows them all and moves nothing.
        assert!(!check(root.path(), "toy", &Code::Reader, Hinting::All).unwrap());
        assert_eq!(levels(), (Some(2), None));
        std::fs::write(&lib, written.replace("x + 1", "2 * x")).unwrap();
        assert!(!check(root.path(), "toy", &Code::Reader, Hinting::Progressive).unwrap());
        assert_eq!(levels(), (None, None));
    }
}
