//! An exercise's hints (`hints.toml`), the test functions they belong to, and how far each
//! reader has gone in them (`target/exercises/hints/NAME.json`).
//!
//! ```toml
//! [tests.timers_fire_in_due_order_not_in_set_order]
//! hints = ["a nudge: where to look", "closer", "the precise fix"]
//! ```
//!
//! One table per test function of `tests/`, with 2 to 4 levels, from a nudge to the precise fix.
//! `cargo xtask check` shows level 1 the first time a test fails with the reader's own code, the
//! next level each time that test fails again in a later check, and starts over for a test once
//! it passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The file, in `exercises/NAME/`.
pub const FILE: &str = "hints.toml";
/// The prefix of the optional harder step's tests, which live in `tests/harder.rs`.
pub const HARDER_PREFIX: &str = "harder_";
pub const HARDER_FILE: &str = "tests/harder.rs";
/// How many levels each test has.
pub const LEVELS: std::ops::RangeInclusive<usize> = 2..=4;

/// The hints of one exercise, by test function.
#[derive(Debug, Default, PartialEq)]
pub struct Hints(pub BTreeMap<String, Vec<String>>);

impl Hints {
    /// Reads `exercises/NAME/hints.toml` (no file: no hints).
    pub fn load(exercise: &Path) -> Result<Hints> {
        let path = exercise.join(FILE);
        if !path.is_file() {
            return Ok(Hints::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        parse(&text)
            .map_err(|problems| anyhow::anyhow!("{}: {}", path.display(), problems.join("; ")))
    }

    /// The levels for a test as libtest names it (`module::name` or `name`).
    pub fn for_test(&self, test: &str) -> Option<&[String]> {
        let name = test.rsplit("::").next().unwrap_or(test);
        self.0.get(name).map(Vec::as_slice)
    }
}

/// Parses hints.toml; every problem at once.
pub fn parse(text: &str) -> Result<Hints, Vec<String>> {
    let doc: toml::Table = text
        .parse()
        .map_err(|e| vec![format!("not valid TOML: {e}")])?;
    let mut problems = Vec::new();
    let mut hints = BTreeMap::new();
    for key in doc.keys() {
        if key != "tests" {
            problems.push(format!("unknown key `{key}` (only [tests.NAME] tables)"));
        }
    }
    let tests = doc.get("tests").and_then(toml::Value::as_table);
    for (test, entry) in tests.into_iter().flatten() {
        let Some(entry) = entry.as_table() else {
            problems.push(format!("tests.{test}: not a table"));
            continue;
        };
        for key in entry.keys().filter(|k| *k != "hints") {
            problems.push(format!("tests.{test}: unknown key `{key}`"));
        }
        let levels: Option<Vec<String>> = entry
            .get("hints")
            .and_then(toml::Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect()
            });
        match levels {
            None => problems.push(format!("tests.{test}: `hints` must be a list of strings")),
            Some(levels) if !LEVELS.contains(&levels.len()) => problems.push(format!(
                "tests.{test}: {} hint level(s); give {} to {}, from a nudge to the fix",
                levels.len(),
                LEVELS.start(),
                LEVELS.end()
            )),
            Some(levels) if levels.iter().any(String::is_empty) => {
                problems.push(format!("tests.{test}: an empty hint"));
            }
            Some(levels) => {
                hints.insert(test.clone(), levels);
            }
        }
    }
    if problems.is_empty() {
        Ok(Hints(hints))
    } else {
        Err(problems)
    }
}

/// A test function found in a test file.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFn {
    /// `tests/harder.rs`
    pub file: String,
    pub line: usize,
    pub name: String,
}

impl TestFn {
    pub fn is_harder(&self) -> bool {
        self.name.starts_with(HARDER_PREFIX)
    }
}

/// The test functions of the files in `exercises/NAME/tests/` (`#[test]` or `#[tokio::test]`,
/// other attributes between it and the `fn` allowed), in file order, then source order.
pub fn test_functions(exercise: &Path) -> Result<Vec<TestFn>> {
    let dir = exercise.join("tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file = format!(
            "tests/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        found.extend(test_functions_in(&file, &text));
    }
    Ok(found)
}

fn test_functions_in(file: &str, text: &str) -> Vec<TestFn> {
    let mut found = Vec::new();
    let mut pending = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line == "#[test]" || line.starts_with("#[tokio::test") {
            pending = true;
            continue;
        }
        if !pending || line.starts_with("#[") || line.starts_with("//") || line.is_empty() {
            continue;
        }
        pending = false;
        let mut words = line
            .split_whitespace()
            .skip_while(|w| matches!(*w, "pub" | "async" | "unsafe") || w.starts_with("pub("));
        if words.next() == Some("fn")
            && let Some(rest) = words.next()
        {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(TestFn {
                file: file.to_string(),
                line: i + 1,
                name,
            });
        }
    }
    found
}

/// What is wrong with an exercise's hints and the names of its tests: a test without hints,
/// hints for no test, a `harder_` test outside `tests/harder.rs` or a test there without the
/// prefix. Needs no build.
pub fn problems(exercise: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let tests = match test_functions(exercise) {
        Ok(tests) => tests,
        Err(e) => return vec![format!("{e:#}")],
    };
    let hints = match Hints::load(exercise) {
        Ok(hints) => hints,
        Err(e) => return vec![format!("{e:#}")],
    };
    for test in &tests {
        if !hints.0.contains_key(&test.name) {
            problems.push(format!(
                "{}:{}: test `{}` has no hints: add [tests.{}] to {FILE}",
                test.file, test.line, test.name, test.name
            ));
        }
        match (test.file == HARDER_FILE, test.is_harder()) {
            (true, false) => problems.push(format!(
                "{}:{}: `{}`: the tests of the harder step are named `{HARDER_PREFIX}*`",
                test.file, test.line, test.name
            )),
            (false, true) => problems.push(format!(
                "{}:{}: `{}` belongs in {HARDER_FILE}",
                test.file, test.line, test.name
            )),
            _ => {}
        }
    }
    for name in hints.0.keys() {
        if !tests.iter().any(|t| &t.name == name) {
            problems.push(format!("{FILE}: [tests.{name}] names no test of tests/"));
        }
    }
    if tests.is_empty() {
        problems.push("tests/: no test function found".into());
    }
    problems
}

/// How many hint levels the reader has seen, per failing test: `target/exercises/hints/NAME.json`.
pub struct Progress {
    path: PathBuf,
    seen: BTreeMap<String, usize>,
}

impl Progress {
    pub fn load(root: &Path, name: &str) -> Progress {
        let path = root
            .join(super::EXERCISES_TARGET)
            .join("hints")
            .join(format!("{name}.json"));
        let seen = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Progress { path, seen }
    }

    /// The test failed again: the level (1-based) to show now, one more than last time, at most
    /// `levels`.
    pub fn next(&mut self, test: &str, levels: usize) -> usize {
        let level = self.seen.get(test).map_or(1, |seen| seen + 1).min(levels);
        self.seen.insert(test.to_string(), level);
        level
    }

    /// The last level shown for `test`.
    #[cfg(test)]
    pub fn seen(&self, test: &str) -> Option<usize> {
        self.seen.get(test).copied()
    }

    /// The test passes: its hints start over.
    pub fn reset(&mut self, test: &str) {
        self.seen.remove(test);
    }

    pub fn save(&self) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(&self.seen)?;
        std::fs::write(&self.path, text)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_read_and_checked() {
        let hints = parse(
            "[tests.a]\nhints = [\"nudge\", \"fix\"]\n[tests.b]\nhints = [\" one \", \"two\", \"three\"]\n",
        )
        .unwrap();
        assert_eq!(hints.for_test("a").unwrap(), ["nudge", "fix"]);
        assert_eq!(
            hints.for_test("harder::b").unwrap(),
            ["one", "two", "three"]
        );
        assert_eq!(hints.for_test("c"), None);
        let problems = parse(
            "title = 1\n[tests.a]\nhints = [\"only one\"]\n[tests.b]\nhint = [\"x\", \"y\"]\n\
             [tests.c]\nhints = [\"1\", \"2\", \"3\", \"4\", \"5\"]\n[tests.d]\nhints = [\"\", \"x\"]\n",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "unknown key `title` (only [tests.NAME] tables)",
                "tests.a: 1 hint level(s); give 2 to 4, from a nudge to the fix",
                "tests.b: unknown key `hint`",
                "tests.b: `hints` must be a list of strings",
                "tests.c: 5 hint level(s); give 2 to 4, from a nudge to the fix",
                "tests.d: an empty hint",
            ]
        );
    }

    #[test]
    fn test_functions_are_found_with_their_attributes() {
        let text = "use x;\n\n#[test]\nfn plain() {}\n\n#[tokio::test(flavor = \"multi_thread\")]\n\
                    async fn on_tokio() {}\n#[test]\n#[cfg(unix)]\n// why\n#[should_panic]\n\
                    pub fn with_attributes() {}\nfn helper() {}\n#[cfg(test)]\nfn not_a_test() {}\n";
        let names: Vec<(String, usize)> = test_functions_in("tests/t.rs", text)
            .into_iter()
            .map(|t| (t.name, t.line))
            .collect();
        assert_eq!(
            names,
            [
                ("plain".to_string(), 4),
                ("on_tokio".to_string(), 7),
                ("with_attributes".to_string(), 12)
            ]
        );
    }

    #[test]
    fn every_test_needs_hints_and_every_hint_a_test() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tests")).unwrap();
        std::fs::write(
            dir.path().join("tests/t.rs"),
            "#[test]\nfn a() {}\n#[test]\nfn harder_misplaced() {}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join(HARDER_FILE), "#[test]\nfn b() {}\n").unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "[tests.a]\nhints = [\"x\", \"y\"]\n[tests.gone]\nhints = [\"x\", \"y\"]\n",
        )
        .unwrap();
        assert_eq!(
            problems(dir.path()),
            [
                "tests/harder.rs:2: test `b` has no hints: add [tests.b] to hints.toml",
                "tests/harder.rs:2: `b`: the tests of the harder step are named `harder_*`",
                "tests/t.rs:4: test `harder_misplaced` has no hints: add [tests.harder_misplaced] \
                 to hints.toml",
                "tests/t.rs:4: `harder_misplaced` belongs in tests/harder.rs",
                "hints.toml: [tests.gone] names no test of tests/",
            ]
        );
    }

    #[test]
    fn hints_go_one_level_further_each_time_and_start_over_after_a_pass() {
        let root = tempfile::tempdir().unwrap();
        let mut progress = Progress::load(root.path(), "ex");
        assert_eq!(progress.next("t", 3), 1);
        progress.save().unwrap();
        let mut progress = Progress::load(root.path(), "ex");
        assert_eq!(progress.next("t", 3), 2);
        assert_eq!(progress.next("t", 3), 3);
        assert_eq!(progress.next("t", 3), 3, "the last level stays");
        progress.reset("t");
        assert_eq!(progress.next("t", 3), 1);
    }
}
