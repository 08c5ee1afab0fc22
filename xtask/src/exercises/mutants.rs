//! `cargo xtask mutants [NAME]`: mutation testing of the exercises' solutions with cargo-mutants
//! (pinned in `tools.rs`, installed into the tools cache when this command first runs).
//!
//! cargo-mutants changes the solution's `src/lib.rs` one small edit at a time (an operator
//! flipped, a body replaced by a default value...) and runs the exercise's tests on each
//! change: a *caught* mutant fails a test, a *missed* one passes them all (a gap in the tests,
//! or a change that cannot change behaviour), an *unviable* one does not build, a *timeout* one
//! made the tests hang. Every missed mutant must be listed, with the reason it cannot change
//! behaviour, in `exercises/NAME/mutants.toml`:
//!
//! ```toml
//! [[explained]]
//! mutant = "src/lib.rs:42:5: replace < with <= in EventLoop::run"   # as cargo-mutants names it
//! reason = "why this change cannot change behaviour"
//! ```
//!
//! and every mutant listed there must still be missed (a test that now catches it makes the
//! entry stale).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use course_book::procs;

use super::{EXERCISES_TARGET, copy, copy_env, names};
use crate::process::describe;
use crate::tools::{self, Install};

/// The file, in `exercises/NAME/`.
pub const FILE: &str = "mutants.toml";

/// The variable that marks every process a cargo-mutants run starts.
const MARK: &str = "COURSE_MUTANTS_RUN";

/// A missed mutant and why it cannot change behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub mutant: String,
    pub reason: String,
}

/// Reads `exercises/NAME/mutants.toml` (no file: nothing explained).
pub fn explained(exercise: &Path) -> Result<Vec<Explained>> {
    let path = exercise.join(FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text).map_err(|problems| anyhow::anyhow!("{}: {}", path.display(), problems.join("; ")))
}

fn parse(text: &str) -> Result<Vec<Explained>, Vec<String>> {
    let doc: toml::Table = text
        .parse()
        .map_err(|e| vec![format!("not valid TOML: {e}")])?;
    let mut problems = Vec::new();
    for key in doc.keys().filter(|k| *k != "explained") {
        problems.push(format!("unknown key `{key}` (only [[explained]] tables)"));
    }
    let mut found = Vec::new();
    let entries = doc.get("explained").and_then(toml::Value::as_array);
    for (i, entry) in entries.into_iter().flatten().enumerate() {
        let field = |key: &str| {
            entry
                .get(key)
                .and_then(toml::Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match (field("mutant"), field("reason")) {
            (Some(mutant), Some(reason)) => found.push(Explained { mutant, reason }),
            _ => problems.push(format!(
                "explained entry {}: needs a `mutant` (as cargo-mutants names it) and a `reason`",
                i + 1
            )),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// What one exercise's run found.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    pub caught: usize,
    pub missed: Vec<String>,
    pub unviable: usize,
    pub timeout: usize,
    pub explained: usize,
    /// Missed and not explained; explained and no longer missed.
    pub problems: Vec<String>,
}

/// Compares cargo-mutants' lists (`mutants.out/*.txt`) with what mutants.toml explains.
fn tally(lists: &dyn Fn(&str) -> Vec<String>, explained: &[Explained]) -> Tally {
    let missed = lists("missed.txt");
    let mut tally = Tally {
        caught: lists("caught.txt").len(),
        unviable: lists("unviable.txt").len(),
        timeout: lists("timeout.txt").len(),
        ..Tally::default()
    };
    for mutant in &missed {
        if explained.iter().any(|e| &e.mutant == mutant) {
            tally.explained += 1;
        } else {
            tally.problems.push(format!(
                "missed, and not explained in {FILE}: {mutant} (add a test that catches it, or \
                 explain why it cannot change behaviour)"
            ));
        }
    }
    for e in explained {
        if !missed.contains(&e.mutant) {
            tally.problems.push(format!(
                "{FILE} explains `{}`, which is no longer missed: remove the entry",
                e.mutant
            ));
        }
    }
    tally.missed = missed;
    tally
}

/// Runs cargo-mutants on every exercise (or `only` one), prints what it found, and fails on a
/// missed mutant nobody explained or an explanation of a mutant no longer missed.
pub fn mutants(root: &Path, only: Option<&str>) -> Result<()> {
    let tool = tools::tool("cargo-mutants");
    tool.ensure()?;
    let all = names(root);
    let chosen: Vec<&String> = match only {
        Some(name) if !all.iter().any(|n| n == name) => {
            bail!(
                "no exercise named `{name}`; the exercises are: {}",
                all.join(", ")
            )
        }
        Some(name) => all.iter().filter(|n| *n == name).collect(),
        None => all.iter().collect(),
    };
    let start = Instant::now();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for name in chosen {
        let exercise = root.join("exercises").join(name);
        let explained = explained(&exercise)?;
        let began = Instant::now();
        // An exercise with `loom-tests` is run twice: its other tests, then its loom tests
        // under `--cfg loom` (see `super::loom_tests`); a mutant is caught if either run
        // catches it.
        let loom = super::loom_tests(&exercise)?;
        let mut outs = vec![run(root, name, &tool.binary(), &[])?];
        if !loom.is_empty() {
            outs.push(run(root, name, &tool.binary(), &loom)?);
        }
        let read_one = |out: &Path, file: &str| -> Vec<String> {
            std::fs::read_to_string(out.join("mutants.out").join(file))
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        let read = |file: &str| merged(outs.len(), |run, list| read_one(&outs[run], list), file);
        let tally = tally(&read, &explained);
        let line = format!(
            "{name}: {} caught, {} missed ({} explained), {} unviable, {} timeout, in {}",
            tally.caught,
            tally.missed.len(),
            tally.explained,
            tally.unviable,
            tally.timeout,
            minutes(began.elapsed())
        );
        println!("xtask: mutants: {line}");
        lines.push(line);
        problems.extend(tally.problems.iter().map(|p| format!("{name}: {p}")));
    }
    println!("\nmutants, in {}:", minutes(start.elapsed()));
    for line in &lines {
        println!("  {line}");
    }
    if !problems.is_empty() {
        bail!(
            "{} mutant problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok(())
}

/// cargo-mutants' lists (`caught.txt`, `missed.txt`...) of several runs over the same source, as
/// one run's: each mutant in the list of the best outcome any run gave it (caught, then timeout,
/// then missed, then unviable: a mutant one run could not build and another did not catch is
/// missed).
/// `list(run, file)` reads one run's list.
fn merged(runs: usize, list: impl Fn(usize, &str) -> Vec<String>, file: &str) -> Vec<String> {
    const RANK: [&str; 4] = ["unviable.txt", "missed.txt", "timeout.txt", "caught.txt"];
    let mut best: std::collections::BTreeMap<String, usize> = Default::default();
    for run in 0..runs {
        for (rank, name) in RANK.iter().enumerate() {
            for mutant in list(run, name) {
                let entry = best.entry(mutant).or_insert(rank);
                *entry = (*entry).max(rank);
            }
        }
    }
    let Some(wanted) = RANK.iter().position(|f| *f == file) else {
        return Vec::new();
    };
    best.into_iter()
        .filter(|(_, rank)| *rank == wanted)
        .map(|(mutant, _)| mutant)
        .collect()
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}m{:02}s", s / 60, s % 60)
}

/// Runs cargo-mutants on a copy of `name`'s solution (`NAME-mutants`: a package of its own
/// name, so that no mutant's build is ever taken for the solution's), mutating only
/// `src/lib.rs`, in the copies' shared build folder (one job at a time, so the crates the tests
/// need are built once). Its output goes to the terminal as it runs; its lists, to
/// `target/exercises/mutants/NAME/mutants.out/`. Whatever it leaves running is killed.
///
/// With `loom` (test targets), only those run, with `RUSTFLAGS="--cfg loom"`, in a copy and
/// target folders of their own (`NAME-mutants-loom`, `build-loom/`), reported in
/// `target/exercises/mutants/NAME-loom/`.
fn run(root: &Path, name: &str, binary: &Path, loom: &[String]) -> Result<std::path::PathBuf> {
    let label = if loom.is_empty() {
        "mutants"
    } else {
        "mutants-loom"
    };
    let copy = copy(root, name, label, None)?;
    let out = root
        .join(EXERCISES_TARGET)
        .join("mutants")
        .join(if loom.is_empty() {
            name.to_string()
        } else {
            format!("{name}-loom")
        });
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let _ = std::fs::remove_dir_all(out.join("mutants.out"));
    let mut cmd = Command::new(binary);
    cmd.arg("mutants")
        .arg("--dir")
        .arg(&copy)
        .args(["--file", "src/lib.rs", "--jobs", "1", "--no-shuffle"])
        .arg("--output")
        .arg(&out)
        .env("RUST_BACKTRACE", "0");
    copy_env(&mut cmd, root, &copy);
    if !loom.is_empty() {
        let absolute = |dir: std::path::PathBuf| std::path::absolute(&dir).unwrap_or(dir);
        for test in loom {
            cmd.args([
                "--cargo-test-arg=--test",
                &format!("--cargo-test-arg={test}"),
            ]);
        }
        cmd.env("RUSTFLAGS", "--cfg loom")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env(
                "CARGO_BUILD_BUILD_DIR",
                absolute(root.join(EXERCISES_TARGET).join("build-loom")),
            )
            .env("CARGO_TARGET_DIR", absolute(copy.join("target-loom")));
    }
    eprintln!("$ {}", describe(&cmd));
    let mark = std::process::id().to_string();
    let mut child = cmd
        .env(MARK, &mark)
        .spawn()
        .with_context(|| format!("cannot run `{}`", describe(&cmd)))?;
    let status = child.wait()?;
    // No output of its own is read here (it goes to the terminal), so nothing can keep this
    // waiting; what it left running is swept right away.
    let left = procs::kill_marked(MARK, &mark);
    if !left.is_empty() {
        bail!("cargo-mutants on {name} left processes running (killed): {left:?}");
    }
    // 0: every mutant caught; 2: some missed; 3: some timed out; anything else is a failure
    // of the run itself (4: the tests fail on the unmutated solution).
    if !matches!(status.code(), Some(0 | 2 | 3)) {
        bail!(
            "cargo-mutants on {name} failed ({status}); its logs are in {}",
            out.join("mutants.out/log").display()
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutant_is_caught_if_any_run_catches_it() {
        // a: caught, then missed; b: missed, then caught; c: missed, then unviable; d: missed.
        let runs = |run: usize, file: &str| -> Vec<String> {
            let names: &[&str] = match (run, file) {
                (0, "caught.txt") => &["a"],
                (0, "missed.txt") => &["b", "c", "d"],
                (1, "missed.txt") => &["a", "d"],
                (1, "caught.txt") => &["b"],
                (1, "unviable.txt") => &["c"],
                _ => &[],
            };
            names.iter().map(|m| m.to_string()).collect()
        };
        assert_eq!(merged(2, runs, "caught.txt"), ["a", "b"]);
        assert_eq!(merged(2, runs, "missed.txt"), ["c", "d"]);
        assert!(merged(2, runs, "unviable.txt").is_empty());
    }

    #[test]
    fn explanations_are_read_and_checked() {
        let found = parse(
            "[[explained]]\nmutant = \"src/lib.rs:1:1: replace a with b\"\nreason = \"same\"\n",
        )
        .unwrap();
        assert_eq!(
            found,
            [Explained {
                mutant: "src/lib.rs:1:1: replace a with b".into(),
                reason: "same".into()
            }]
        );
        let problems =
            parse("note = 1\n[[explained]]\nmutant = \"m\"\n[[explained]]\nreason = \"r\"\n")
                .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn a_missed_mutant_needs_an_explanation_and_an_explanation_a_missed_mutant() {
        let lists = |file: &str| -> Vec<String> {
            match file {
                "caught.txt" => vec!["c1".into(), "c2".into()],
                "missed.txt" => vec!["explained one".into(), "new gap".into()],
                "unviable.txt" => vec!["u".into()],
                _ => vec![],
            }
        };
        let explained = [
            Explained {
                mutant: "explained one".into(),
                reason: "r".into(),
            },
            Explained {
                mutant: "now caught".into(),
                reason: "r".into(),
            },
        ];
        let tally = tally(&lists, &explained);
        assert_eq!(
            (tally.caught, tally.missed.len(), tally.explained),
            (2, 2, 1)
        );
        assert_eq!((tally.unviable, tally.timeout), (1, 0));
        assert_eq!(tally.problems.len(), 2, "{:?}", tally.problems);
        assert!(
            tally.problems[0].starts_with("missed, and not explained in mutants.toml: new gap")
        );
        assert!(tally.problems[1].contains("`now caught`, which is no longer missed"));
    }
}
