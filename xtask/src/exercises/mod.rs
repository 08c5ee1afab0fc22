//! The exercises: `cargo xtask check` (`cmd/check.rs`, the report below), the exercises' step
//! of `cargo xtask test` (`verify.rs`) and `cargo xtask mutants` (`mutants.rs`).
//!
//! An exercise is a package `exercise-NAME` in `exercises/NAME/`:
//!
//! | Path | What it holds |
//! | --- | --- |
//! | `src/` | the starter the reader finishes (`todo!()` bodies) |
//! | `tests/` | what "correct" means; `tests/harder.rs`: the optional harder step (`harder_*`) |
//! | `solution/` | one answer: the solved version of each file of `src/` the reader edits |
//! | `wrong/NN-slug.rs` | wrong solutions, each a whole `src/lib.rs` (`wrong.rs`) |
//! | `hints.toml` | per test, 2-4 hints from a nudge to the fix (`hints.rs`) |
//! | `mutants.toml` | the mutants cargo-mutants misses, each with why (`mutants.rs`) |
//! | `Cargo.toml`: `[package.metadata.course]` `loom-tests = ["loom"]` | test targets (`tests/loom.rs`) run apart, with `RUSTFLAGS="--cfg loom"` ([`loom_tests`]) |
//!
//! The tests named in `loom-tests` are built and run by a second cargo command, with
//! `RUSTFLAGS="--cfg loom"` (so that the exercise's code takes loom's types instead of std's),
//! in target folders of their own: `target/exercises/build-loom/` for what the copies share,
//! `target/exercises/NAME-reader/target-loom/` or the copy's `target-loom/` for the rest. The
//! other builds never see the flag, so neither the workspace nor the copies are rebuilt for it.
//! The first command runs every other test target (a loom-only file is empty there: it starts
//! with `#![cfg(loom)]`). What both commands report is one run.
//!
//! The reader's code runs in the workspace (`cargo test -p exercise-NAME`). The solution and the
//! wrong solutions run in copies of the package, `target/exercises/NAME-solution/`,
//! `NAME-wrong-NN/`, with the files of `solution/` (and then the wrong file as `src/lib.rs`) in
//! place of those of `src/`. A copy is brought up to date file by file (a file is written only
//! when it changed), so a second run rebuilds nothing.
//!
//! The copies share one build folder, `target/exercises/build/` (cargo's `build.build-dir`), so
//! the crates they use are built once; each has its own target folder (`NAME-LABEL/target/`),
//! where cargo puts its binaries: processes-fan-out's tests run the `worker` binary from there.
//! Each copy is a package of its own name (`exercise-NAME-LABEL`, its library still named
//! `exercise_NAME`): cargo names what it builds from a package's name and version, not from
//! where the package is, so two copies of one name would share their build, and one copy's
//! older files would be taken as already built from another's.

pub mod hints;
pub mod libtest;
pub mod mutants;
pub mod verify;
pub mod wrong;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use course_book::procs;

pub use libtest::Failure;

use crate::process::{cargo, describe};
use hints::{Hints, Progress, TestFn};
use wrong::Wrong;

/// Where the copies live, with their shared target folder and the readers' hint progress.
pub const EXERCISES_TARGET: &str = "target/exercises";

/// The variable that marks every process an exercise's tests start.
const MARK: &str = "COURSE_EXERCISE_RUN";

/// How long the tests of one exercise may run (each test has its own, shorter, limit).
const TEST_RUN_LIMIT: Duration = Duration::from_secs(300);

/// The exercises, by name, sorted.
pub fn names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("exercises"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Which code the tests run on.
#[derive(Debug, Clone)]
pub enum Code {
    /// `src/`, in the workspace: the reader's code (untouched, the starter).
    Reader,
    /// `solution/`, in a copy.
    Solution,
    /// A wrong solution as `src/lib.rs` of a copy of the solution.
    Wrong(Wrong),
}

impl Code {
    fn shown(&self, name: &str) -> String {
        match self {
            Code::Reader => format!("exercises/{name}/src/"),
            Code::Solution => format!("exercises/{name}/solution/"),
            Code::Wrong(w) => format!("exercises/{name}/{}", w.file.display()),
        }
    }
}

/// What one run of an exercise's tests found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: Vec<String>,
    pub failed: Vec<Failure>,
    /// Processes the tests left running (they were killed).
    pub left: Vec<u32>,
}

impl Outcome {
    pub fn passes(&self, test: &str) -> bool {
        self.passed.iter().any(|t| same_test(t, test))
    }

    pub fn fails(&self, test: &str) -> bool {
        self.failed.iter().any(|f| same_test(&f.test, test))
    }
}

/// libtest names a test `module::name` or `name`; the source, `name`.
fn same_test(libtest: &str, name: &str) -> bool {
    libtest.rsplit("::").next() == Some(name)
}

/// Builds `code`'s tests, then runs them once (marked, under a time limit: whatever they leave
/// running is killed before their output is read). A test of `tests/` that reported nothing
/// (its test program crashed, or was stopped) counts as failed. With `show_build`, cargo's
/// messages appear as it builds; without, only when the build fails.
pub fn run_tests(root: &Path, name: &str, code: &Code, show_build: bool) -> Result<Outcome> {
    let exercise = root.join("exercises").join(name);
    let copied = match code {
        Code::Reader => None,
        Code::Solution => Some(copy(root, name, "solution", None)?),
        Code::Wrong(w) => {
            let lib = exercise.join(&w.file);
            Some(copy(
                root,
                name,
                &format!("wrong-{}", w.number),
                Some(&lib),
            )?)
        }
    };
    let manifest = copied
        .as_deref()
        .map_or_else(|| exercise.join("Cargo.toml"), |c| c.join("Cargo.toml"));
    let loom = loom_tests(&exercise)?;
    let loom_args: Vec<&str> = loom.iter().flat_map(|t| ["--test", t.as_str()]).collect();
    // `with_loom`: the command for the `loom-tests` targets, with `--cfg loom` (see above).
    let command = |args: &[&str], with_loom: bool| {
        let mut cmd = cargo();
        cmd.args(args).arg("--manifest-path").arg(&manifest);
        if let Some(copy) = &copied {
            copy_env(&mut cmd, root, copy);
        }
        if with_loom {
            let absolute = |dir: PathBuf| std::path::absolute(&dir).unwrap_or(dir);
            let own = copied
                .clone()
                .unwrap_or_else(|| root.join(EXERCISES_TARGET).join(format!("{name}-reader")));
            cmd.args(&loom_args)
                .env("RUSTFLAGS", "--cfg loom")
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .env(
                    "CARGO_BUILD_BUILD_DIR",
                    absolute(root.join(EXERCISES_TARGET).join("build-loom")),
                )
                .env("CARGO_TARGET_DIR", absolute(own.join("target-loom")));
        } else {
            cmd.arg("--tests");
        }
        // A panic's message is what the reader needs; a backtrace would bury it.
        cmd.env("RUST_BACKTRACE", "0");
        cmd
    };
    let runs: &[bool] = if loom.is_empty() {
        &[false]
    } else {
        &[false, true]
    };

    for &with_loom in runs {
        let mut build = command(&["test", "--no-run", "--quiet"], with_loom);
        if show_build {
            let status = build
                .status()
                .with_context(|| format!("cannot run `{}`", describe(&build)))?;
            if !status.success() {
                bail!(
                    "{} does not compile (cargo's messages are above)",
                    code.shown(name)
                );
            }
        } else {
            let built = run_marked(&mut build, Duration::from_secs(3600))?;
            if built.status.is_none_or(|s| !s.success()) {
                bail!("{} does not compile:\n{}", code.shown(name), built.stderr);
            }
        }
    }

    let mut outcome = Outcome::default();
    let mut failed = Vec::new();
    let mut stopped = false;
    let mut printed = String::new();
    let mut test = command(&["test", "--no-fail-fast"], false);
    for &with_loom in runs {
        test = command(&["test", "--no-fail-fast"], with_loom);
        let run = run_marked(&mut test, course_book::patience(TEST_RUN_LIMIT))?;
        let (passed, more) = libtest::parse(&run.stdout);
        outcome.passed.extend(passed);
        failed.extend(more);
        outcome.left.extend(run.left);
        stopped |= run.status.is_none();
        printed.push_str(&run.stdout);
        printed.push_str(&run.stderr);
    }
    let why = if stopped {
        format!("the tests were stopped after {TEST_RUN_LIMIT:?}")
    } else {
        "its test program ended before it did (did it crash?)".to_string()
    };
    for test in hints::test_functions(&exercise)? {
        if !outcome.passes(&test.name) && !failed.iter().any(|f| same_test(&f.test, &test.name)) {
            failed.push(Failure {
                test: test.name,
                message: format!("this test reported nothing: {why}"),
                not_written: false,
            });
        }
    }
    outcome.failed = failed;
    if outcome.passed.is_empty() && outcome.failed.is_empty() {
        bail!(
            "the tests of {name} did not run: `{}` printed\n{printed}",
            describe(&test),
        );
    }
    Ok(outcome)
}

/// The test targets of `exercises/NAME` that run with `--cfg loom`: `loom-tests` in the
/// `[package.metadata.course]` table of its Cargo.toml (none without it).
pub fn loom_tests(exercise: &Path) -> Result<Vec<String>> {
    let path = exercise.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let Some(list) = manifest
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("course"))
        .and_then(|c| c.get("loom-tests"))
    else {
        return Ok(Vec::new());
    };
    list.as_array()
        .and_then(|a| a.iter().map(|t| t.as_str().map(String::from)).collect())
        .with_context(|| format!("{}: `loom-tests` is a list of test targets", path.display()))
}

fn run_marked(cmd: &mut Command, limit: Duration) -> Result<procs::Finished> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mark = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    );
    procs::run_marked(cmd, MARK, &mark, None, limit)
        .with_context(|| format!("cannot run `{}`", describe(cmd)))
}

/// Where cargo builds a copy: the shared build folder, and the copy's own target folder (both
/// absolute: cargo-mutants runs cargo in a folder of its own).
pub fn copy_env(cmd: &mut Command, root: &Path, copy: &Path) {
    let absolute = |dir: PathBuf| std::path::absolute(&dir).unwrap_or(dir);
    cmd.env(
        "CARGO_BUILD_BUILD_DIR",
        absolute(root.join(EXERCISES_TARGET).join("build")),
    )
    .env("CARGO_TARGET_DIR", absolute(copy.join("target")));
}

/// `target/exercises/NAME-LABEL/`: the exercise's `src/` and `tests/`, the files of
/// `solution/` over those of `src/`, then `lib` (if any) as `src/lib.rs`; its Cargo.toml made a
/// workspace of its own, and the project's Cargo.lock, so it builds with the same versions of
/// every crate. Only the files that changed are written; files no longer there are removed.
pub fn copy(root: &Path, name: &str, label: &str, lib: Option<&Path>) -> Result<PathBuf> {
    let to = root.join(EXERCISES_TARGET).join(format!("{name}-{label}"));
    copy_to(root, name, label, lib, &to, Workspace::Own)?;
    Ok(to)
}

/// Whether a copy is a workspace of its own, or a member of one that the caller writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Workspace {
    Own,
    Member,
}

/// [`copy`], into the folder `to`: `Workspace::Own` as `copy` does, or `Workspace::Member` of
/// a workspace the caller writes (`cargo xtask crosscheck` puts every copy in one workspace,
/// to check them all with one cargo command).
pub fn copy_to(
    root: &Path,
    name: &str,
    label: &str,
    lib: Option<&Path>,
    to: &Path,
    workspace: Workspace,
) -> Result<()> {
    let from = root.join("exercises").join(name);
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    read_tree(&from.join("src"), Path::new("src"), &mut files)?;
    read_tree(&from.join("tests"), Path::new("tests"), &mut files)?;
    read_tree(&from.join("solution"), Path::new("src"), &mut files)?;
    if let Some(lib) = lib {
        let text = std::fs::read(lib).with_context(|| format!("cannot read {}", lib.display()))?;
        files.insert(PathBuf::from("src/lib.rs"), text);
    }
    let manifest = from.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let text = copy_manifest(&text, label, workspace)
        .with_context(|| format!("{}: cannot make a copy of it", manifest.display()))?;
    files.insert(PathBuf::from("Cargo.toml"), text.into_bytes());
    if workspace == Workspace::Own
        && let Ok(lock) = std::fs::read(root.join("Cargo.lock"))
    {
        files.insert(PathBuf::from("Cargo.lock"), lock);
    }
    sync_tree(to, &files)
}

/// The copy's Cargo.toml: the package renamed `NAME-LABEL`, its library keeping its name (the
/// tests `use` it), and a `[workspace]` table of its own (the copy lies inside this workspace's
/// folder without being one of its members).
fn copy_manifest(text: &str, label: &str, workspace: Workspace) -> Result<String> {
    if text.lines().any(|l| l.trim() == "[lib]") {
        bail!("a [lib] table is not expected in an exercise's Cargo.toml");
    }
    let mut out = String::new();
    let mut section = String::new();
    let mut lib = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
        }
        if section == "[package]"
            && lib.is_none()
            && let Some(value) = trimmed.strip_prefix("name")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            let name = value.trim().trim_matches('"');
            lib = Some(name.replace('-', "_"));
            out.push_str(&format!("name = \"{name}-{label}\"\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    let Some(lib) = lib else {
        bail!("no package name");
    };
    out.push_str(&format!(
        "\n[lib]\nname = \"{lib}\"\npath = \"src/lib.rs\"\n"
    ));
    match workspace {
        Workspace::Own if !text.lines().any(|l| l.trim() == "[workspace]") => {
            out.push_str("\n[workspace]\n");
        }
        // Checked with the others for another target, its warnings are no news: a wrong
        // solution leaves code unused on purpose, and clippy checks the rest on Linux.
        Workspace::Member if !text.lines().any(|l| l.trim().starts_with("[lints")) => {
            out.push_str("\n[lints.rust]\nwarnings = \"allow\"\n");
        }
        _ => {}
    }
    Ok(out)
}

fn read_tree(dir: &Path, at: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        let at = at.join(entry.file_name());
        if path.is_dir() {
            read_tree(&path, &at, files)?;
        } else {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            files.insert(at, bytes);
        }
    }
    Ok(())
}

/// Makes the folder `to` hold exactly `files` (paths relative to it), writing only what
/// differs, so that cargo sees unchanged files as unchanged (and `target/` of a copy, if any,
/// is left alone).
fn sync_tree(to: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    for (path, bytes) in files {
        let target = to.join(path);
        if std::fs::read(&target).is_ok_and(|old| &old == bytes) {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&target, bytes)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    for top in ["src", "tests"] {
        remove_extra(to, Path::new(top), files)?;
    }
    Ok(())
}

fn remove_extra(to: &Path, at: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(to.join(at)) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let rel = at.join(entry.file_name());
        if entry.path().is_dir() {
            remove_extra(to, &rel, files)?;
        } else if !files.contains_key(&rel) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// How `cargo xtask check` shows a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hinting {
    /// The reader's code: one hint per failing test, one level further each time.
    Progressive,
    /// Every level of every failing test's hints (`--hint`, `--wrong`).
    All,
    /// No hints (`--solution`).
    None,
}

/// `cargo xtask check NAME`: runs the tests on `code` and reports test by test, with hints as
/// `hinting` says. Returns whether the run is a success: for the reader's code, every test
/// but the optional harder step's passes; for the solution, every test passes; for a wrong
/// solution, every test its `Fails:` line names fails.
pub fn check(root: &Path, name: &str, code: &Code, hinting: Hinting) -> Result<bool> {
    let exercise = root.join("exercises").join(name);
    let hints = Hints::load(&exercise)?;
    let tests = hints::test_functions(&exercise)?;
    if let Code::Wrong(w) = code {
        println!("Wrong solution {}:", code.shown(name));
        println!("  the mistake: {}", w.mistake);
        println!("  it must fail: {}", w.fails.join(", "));
    }
    println!(
        "Checking {} with the tests in exercises/{name}/tests/ ...",
        code.shown(name)
    );
    let outcome = run_tests(root, name, code, true)?;
    let mut progress = (hinting == Hinting::Progressive).then(|| Progress::load(root, name));

    let (harder, main): (Vec<String>, Vec<String>) =
        ordered(&outcome, &tests).into_iter().partition(|t| {
            t.rsplit("::")
                .next()
                .unwrap_or(t)
                .starts_with(hints::HARDER_PREFIX)
        });
    println!();
    for test in &main {
        report(name, test, &outcome, &hints, hinting, progress.as_mut());
    }
    if !harder.is_empty() {
        println!("\nOptional harder step ({}):", hints::HARDER_FILE);
        for test in &harder {
            report(name, test, &outcome, &hints, hinting, progress.as_mut());
        }
    }
    if let Some(progress) = &progress {
        progress.save()?;
    }
    if !outcome.left.is_empty() {
        println!(
            "\nThe tests left processes running (they were killed): {:?}",
            outcome.left
        );
    }

    let count = |tests: &[String]| tests.iter().filter(|t| outcome.passes(t)).count();
    let (main_passed, harder_passed) = (count(&main), count(&harder));
    println!();
    let success = match code {
        Code::Reader => {
            let not_written = outcome
                .failed
                .iter()
                .filter(|f| f.not_written && main.contains(&f.test))
                .count();
            if main_passed < main.len() {
                let unwritten = match not_written {
                    0 => String::new(),
                    n => format!(" ({n} of them not written yet)"),
                };
                println!(
                    "{name}: {main_passed} of {} tests pass; {} fail{unwritten}. Work on one \
                     failing test at a time, then run this command again.",
                    main.len(),
                    main.len() - main_passed
                );
            } else if harder.is_empty() {
                println!("{name}: all {} tests pass. Well done!", main.len());
            } else if harder_passed < harder.len() {
                println!(
                    "{name}: the exercise is done: all {} tests pass. The optional harder step: \
                     {harder_passed} of {} tests pass.",
                    main.len(),
                    harder.len()
                );
            } else {
                println!(
                    "{name}: all {} tests pass, and the {} of the optional harder step too. \
                     Well done!",
                    main.len(),
                    harder.len()
                );
            }
            main_passed == main.len()
        }
        Code::Solution => {
            let all = main.len() + harder.len();
            println!(
                "{name}: the solution passes {} of {all} tests.",
                main_passed + harder_passed
            );
            main_passed + harder_passed == all && outcome.left.is_empty()
        }
        Code::Wrong(w) => {
            let escaped: Vec<&String> = w.fails.iter().filter(|t| !outcome.fails(t)).collect();
            if escaped.is_empty() {
                println!(
                    "{name}: caught: {} fails {}, as its `Fails:` line says.",
                    w.file.display(),
                    w.fails.join(", ")
                );
            } else {
                println!(
                    "{name}: NOT caught: {} passes {}, which its `Fails:` line says it fails.",
                    w.file.display(),
                    escaped
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            escaped.is_empty()
        }
    };
    Ok(success)
}

/// The tests of a run in the order of the source (the order the exercise teaches), then any
/// the source parse did not see.
fn ordered(outcome: &Outcome, tests: &[TestFn]) -> Vec<String> {
    let ran: Vec<&String> = outcome
        .passed
        .iter()
        .chain(outcome.failed.iter().map(|f| &f.test))
        .collect();
    let mut order: Vec<String> = Vec::new();
    for test in tests {
        if let Some(found) = ran.iter().find(|t| same_test(t, &test.name)) {
            order.push((*found).clone());
        }
    }
    for test in ran {
        if !order.contains(test) {
            order.push(test.clone());
        }
    }
    order
}

/// One test's lines: PASS, or FAIL with its message and the hint(s) `hinting` asks for.
fn report(
    name: &str,
    test: &str,
    outcome: &Outcome,
    hints: &Hints,
    hinting: Hinting,
    progress: Option<&mut Progress>,
) {
    let Some(failure) = outcome.failed.iter().find(|f| f.test == test) else {
        println!("PASS  {test}");
        if let Some(progress) = progress {
            progress.reset(test);
        }
        return;
    };
    let levels = hints.for_test(test).unwrap_or_default();
    if failure.not_written && hinting != Hinting::All {
        println!("FAIL  {test}: not written yet");
        return;
    }
    println!("FAIL  {test}");
    let indent = |text: &str| {
        for line in text.lines() {
            println!("      {line}");
        }
    };
    if failure.not_written {
        indent("not written yet");
    } else {
        indent(&failure.message);
    }
    if levels.is_empty() {
        if hinting != Hinting::None {
            indent(&format!(
                "(no hint for this test in exercises/{name}/hints.toml)"
            ));
        }
        return;
    }
    match (hinting, progress) {
        (Hinting::Progressive, Some(progress)) => {
            let level = progress.next(test, levels.len());
            indent(&format!(
                "hint {level} of {}: {}",
                levels.len(),
                levels[level - 1]
            ));
            if level < levels.len() {
                indent(&format!(
                    "(if this test still fails at your next check, you get hint {}; `cargo \
                     xtask check {name} --hint` shows them all)",
                    level + 1
                ));
            }
        }
        (Hinting::None, _) => {}
        _ => {
            for (i, hint) in levels.iter().enumerate() {
                indent(&format!("hint {} of {}: {hint}", i + 1, levels.len()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dependency's version, features and whether it keeps the default features.
    fn spec(value: &toml::Value) -> (String, Vec<String>, bool) {
        match value {
            toml::Value::String(v) => (v.clone(), Vec::new(), true),
            toml::Value::Table(t) => (
                t.get("version")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .into(),
                t.get("features")
                    .and_then(|f| f.as_array())
                    .map(|f| f.iter().filter_map(|f| f.as_str()).map(String::from))
                    .into_iter()
                    .flatten()
                    .collect(),
                t.get("default-features").and_then(|d| d.as_bool()) != Some(false),
            ),
            other => panic!("a dependency written as {other:?}"),
        }
    }

    #[test]
    fn the_exercises_dependencies_agree_with_the_workspace() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let read =
            |p: &Path| -> toml::Table { std::fs::read_to_string(p).unwrap().parse().unwrap() };
        let workspace = read(&root.join("Cargo.toml"));
        let shared = workspace["workspace"]["dependencies"].as_table().unwrap();
        let mut checked = 0;
        for name in names(root) {
            let manifest = read(&root.join("exercises").join(&name).join("Cargo.toml"));
            let mut tables = Vec::new();
            for kind in ["dependencies", "dev-dependencies"] {
                tables.extend(manifest.get(kind).and_then(|t| t.as_table()));
                for target in manifest.get("target").and_then(|t| t.as_table()).iter() {
                    for (_, cfg) in target.iter() {
                        tables.extend(cfg.get(kind).and_then(|t| t.as_table()));
                    }
                }
            }
            for (dep, value) in tables.iter().flat_map(|t| t.iter()) {
                let Some(expected) = shared.get(dep) else {
                    continue;
                };
                let (version, features, defaults) = spec(value);
                let (want_version, want_features, want_defaults) = spec(expected);
                assert_eq!(version, want_version, "exercises/{name}: {dep}'s version");
                assert_eq!(
                    defaults, want_defaults,
                    "exercises/{name}: {dep}'s defaults"
                );
                for f in want_features {
                    assert!(features.contains(&f), "exercises/{name}: {dep} without {f}");
                }
                checked += 1;
            }
        }
        assert!(checked >= 5, "tokio, tracing, libc...: {checked}");
    }

    #[test]
    fn loom_tests_are_read_from_the_package_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let loom = |manifest: &str| {
            std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
            loom_tests(dir.path())
        };
        let package = "[package]\nname = \"exercise-toy\"\n";
        assert!(loom(package).unwrap().is_empty());
        assert_eq!(
            loom(&format!(
                "{package}\n[package.metadata.course]\nloom-tests = [\"loom\", \"model\"]\n"
            ))
            .unwrap(),
            ["loom", "model"]
        );
        assert!(
            loom(&format!(
                "{package}\n[package.metadata.course]\nloom-tests = \"loom\"\n"
            ))
            .is_err()
        );
        // The real exercise names its model file.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(
            loom_tests(&root.join("exercises/loom-handoff")).unwrap(),
            ["loom"]
        );
    }

    #[test]
    fn a_copy_is_written_only_where_it_changed() {
        let root = tempfile::tempdir().unwrap();
        let ex = root.path().join("exercises/toy");
        for dir in ["src/bin", "tests", "solution"] {
            std::fs::create_dir_all(ex.join(dir)).unwrap();
        }
        std::fs::write(
            ex.join("Cargo.toml"),
            "[package]\nname = \"exercise-toy\"\n",
        )
        .unwrap();
        std::fs::write(ex.join("src/lib.rs"), "starter").unwrap();
        std::fs::write(ex.join("src/bin/w.rs"), "worker").unwrap();
        std::fs::write(ex.join("tests/t.rs"), "tests").unwrap();
        std::fs::write(ex.join("solution/lib.rs"), "solved").unwrap();
        let wrong = root.path().join("w.rs");
        std::fs::write(&wrong, "wrong").unwrap();

        let to = copy(root.path(), "toy", "solution", None).unwrap();
        let read = |p: &str| std::fs::read_to_string(to.join(p)).unwrap();
        assert_eq!(read("src/lib.rs"), "solved");
        assert_eq!(read("src/bin/w.rs"), "worker");
        assert_eq!(read("tests/t.rs"), "tests");
        assert_eq!(
            read("Cargo.toml"),
            "[package]\nname = \"exercise-toy-solution\"\n\n[lib]\nname = \"exercise_toy\"\n\
             path = \"src/lib.rs\"\n\n[workspace]\n"
        );
        let modified = |p: &str| std::fs::metadata(to.join(p)).unwrap().modified().unwrap();
        let before = modified("tests/t.rs");
        std::fs::write(to.join("tests/stale.rs"), "old").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        copy(root.path(), "toy", "solution", None).unwrap();
        assert_eq!(
            modified("tests/t.rs"),
            before,
            "an unchanged file is not rewritten"
        );
        assert!(
            !to.join("tests/stale.rs").exists(),
            "a file gone from tests/ goes"
        );

        let to = copy(root.path(), "toy", "wrong-01", Some(&wrong)).unwrap();
        assert_eq!(
            std::fs::read_to_string(to.join("src/lib.rs")).unwrap(),
            "wrong"
        );
        assert_eq!(
            std::fs::read_to_string(to.join("src/bin/w.rs")).unwrap(),
            "worker"
        );
    }
}
