//! `cargo xtask renumber`: page numbers made sequential in SUMMARY.md order.
//!
//! A page `chNN-MM-topic.md` takes NN from its chapter's position among the numbered chapters
//! of SUMMARY.md (the numbers mdBook shows: 1, 2, 3...) and MM from its position inside the
//! chapter (00 for the chapter's own page, then 01, 02...). What follows from a page's
//! number follows it:
//!
//! - **Files**: every file of the repository (tracked, or new and not ignored) whose path
//!   holds an old number is renamed (`git mv`): the page, its listings `examples/chNN-MM-*.rs`
//!   and their Python twins, its quiz `quizzes/<page>.toml`; and, when a chapter moves, the
//!   files named after the chapter (`tests/examples/chNN.rs`, `tests/examples/chNN/`,
//!   `index/chNN.toml`, `index/chNNa.toml`).
//! - **References**: every text file is rewritten with the same rule (SUMMARY.md, links
//!   between pages, `{{#listing}}` names, quiz ids `<page>-N`, the tests, the README...).
//!
//! The rule, exactly: a *page number* is `ch` + two digits + `-` + two digits, not preceded by
//! a letter, digit or `_` and not followed by a digit; it is replaced when it is the number of a
//! page of SUMMARY.md. A *chapter number* is `ch` + two digits with the same boundaries, not
//! followed by `-` and two digits (`ch03.rs`, `ch04a`, `mod ch03;`); it is replaced when its
//! chapter moved. Every replacement is made in one pass, so `ch03-05` -> `ch03-06` and
//! `ch03-06` -> `ch03-07` cannot run into each other; renames go through temporary names for
//! the same reason. (This file is left alone: its tests hold page numbers as data.)
//!
//! Without `--write` it only prints the plan.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use course_book::directive::prefix;

use crate::process::describe;

/// This file, which is never rewritten (its tests hold numbers that must stay as written).
const SELF: &str = "xtask/src/renumber.rs";

/// What renumbering would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Old number -> new number: page numbers (`ch03-05`) and chapter numbers (`ch04`).
    pub numbers: BTreeMap<String, String>,
    /// Files to rename (old path -> new path, relative to the root).
    pub renames: Vec<(PathBuf, PathBuf)>,
    /// Files whose text changes (by their current path), with the number of references.
    pub rewrites: Vec<(PathBuf, usize)>,
    /// Pages whose names do not follow `chNN-MM-topic.md`: left as they are.
    pub skipped: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.renames.is_empty() && self.rewrites.is_empty()
    }
}

/// Works out the plan for the repository at `root` (a git work tree).
pub fn plan(root: &Path) -> Result<Plan> {
    let summary = std::fs::read_to_string(root.join("src/SUMMARY.md"))
        .context("cannot read src/SUMMARY.md")?;
    let mut plan = Plan::default();
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut chapters: BTreeMap<String, String> = BTreeMap::new();
    let mut chapter = 0;
    let mut in_chapter = 0;
    for entry in course_book::summary::entries(&summary) {
        if entry.depth == 0 {
            continue; // the preface and the appendix are not numbered
        }
        if entry.depth == 1 {
            chapter += 1;
            in_chapter = 0;
        } else {
            in_chapter += 1;
        }
        if entry.target.is_empty() {
            continue; // a draft: it has a number, and no file
        }
        let file = Path::new(&entry.target)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(old) = prefix(&file).filter(|_| file.ends_with(".md")) else {
            plan.skipped.push(entry.target.clone());
            continue;
        };
        let new = format!("ch{chapter:02}-{in_chapter:02}");
        if let Some(other) = pages.insert(old.to_string(), new.clone()) {
            bail!(
                "src/SUMMARY.md:{}: two pages are numbered {old} (the other becomes {other}): \
                 give one an unused number first, so that its listings and quiz can be told apart",
                entry.line
            );
        }
        if entry.depth == 1 {
            let old_chapter = old[..4].to_string();
            let new_chapter = format!("ch{chapter:02}");
            if let Some(other) = chapters.insert(old_chapter.clone(), new_chapter) {
                bail!(
                    "src/SUMMARY.md:{}: two chapters are numbered {old_chapter} (the other \
                     becomes {other}): give one an unused number first",
                    entry.line
                );
            }
        }
    }
    plan.numbers = pages
        .into_iter()
        .chain(chapters)
        .filter(|(old, new)| old != new)
        .collect();
    if plan.numbers.is_empty() {
        return Ok(plan);
    }

    let files = repository_files(root)?;
    let known: BTreeSet<&PathBuf> = files.iter().map(|(f, _)| f).collect();
    let mut targets: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for (file, _) in &files {
        let path = file.to_string_lossy();
        let (renamed, n) = rewrite(&path, &plan.numbers);
        if n > 0 {
            let renamed = PathBuf::from(renamed);
            if let Some(other) = targets.insert(renamed.clone(), file.clone()) {
                bail!(
                    "{} and {} would both become {}",
                    other.display(),
                    file.display(),
                    renamed.display()
                );
            }
            plan.renames.push((file.clone(), renamed));
        }
        if file == Path::new(SELF) {
            continue;
        }
        let Some(text) = read_text(&root.join(file)) else {
            continue;
        };
        let (_, n) = rewrite(&text, &plan.numbers);
        if n > 0 {
            plan.rewrites.push((file.clone(), n));
        }
    }
    let moving: BTreeSet<&PathBuf> = plan.renames.iter().map(|(old, _)| old).collect();
    for (old, new) in &plan.renames {
        if (known.contains(new) && !moving.contains(new))
            || (!known.contains(new) && root.join(new).exists())
        {
            bail!(
                "{} would become {}, which exists and is not renamed: move it out of the way first",
                old.display(),
                new.display()
            );
        }
    }
    Ok(plan)
}

/// Carries out the plan: rewrites, then renames (through temporary names).
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    let tracked: BTreeSet<PathBuf> = repository_files(root)?
        .into_iter()
        .filter(|(_, tracked)| *tracked)
        .map(|(f, _)| f)
        .collect();
    for (file, _) in &plan.rewrites {
        let path = root.join(file);
        let text = read_text(&path).with_context(|| format!("cannot read {}", file.display()))?;
        let (text, _) = rewrite(&text, &plan.numbers);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", file.display()))?;
    }
    let temporary = |i: usize, path: &Path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        path.with_file_name(format!(".renumber-{i}-{name}"))
    };
    for (i, (old, _)) in plan.renames.iter().enumerate() {
        move_file(root, old, &temporary(i, old), tracked.contains(old))?;
    }
    for (i, (old, new)) in plan.renames.iter().enumerate() {
        if let Some(parent) = root.join(new).parent() {
            std::fs::create_dir_all(parent)?;
        }
        move_file(root, &temporary(i, old), new, tracked.contains(old))?;
    }
    // Folders left empty (tests/examples/ch03/ after a chapter moved).
    for (old, _) in &plan.renames {
        let mut dir = root.join(old);
        while dir.pop() && dir != root {
            if std::fs::remove_dir(&dir).is_err() {
                break;
            }
        }
    }
    Ok(())
}

fn move_file(root: &Path, from: &Path, to: &Path, tracked: bool) -> Result<()> {
    if tracked {
        let mut git = Command::new("git");
        git.arg("-C").arg(root).args(["mv", "--"]).arg(from).arg(to);
        let status = git
            .status()
            .with_context(|| format!("cannot run {}", describe(&git)))?;
        if !status.success() {
            bail!("`{}` failed ({status})", describe(&git));
        }
    } else {
        std::fs::rename(root.join(from), root.join(to))
            .with_context(|| format!("cannot rename {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

/// The repository's files, relative to `root`: tracked (true) and new, not ignored (false).
fn repository_files(root: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let list = |args: &[&str]| -> Result<Vec<PathBuf>> {
        let mut git = Command::new("git");
        git.arg("-C").arg(root).args(args);
        let out = git
            .output()
            .with_context(|| format!("cannot run {}", describe(&git)))?;
        if !out.status.success() {
            bail!(
                "`{}` failed: {}",
                describe(&git),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
            .collect())
    };
    let mut files: Vec<(PathBuf, bool)> = list(&["ls-files", "-z"])?
        .into_iter()
        .map(|f| (f, true))
        .collect();
    files.extend(
        list(&["ls-files", "-z", "--others", "--exclude-standard"])?
            .into_iter()
            .map(|f| (f, false)),
    );
    // A tracked file deleted from the work tree is not there to rename or rewrite.
    files.retain(|(f, _)| root.join(f).is_file());
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}

/// A text file's contents (`None` for a binary file: not UTF-8, or holding a NUL byte).
fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// `text` with every page and chapter number of `numbers` replaced (the rule is in the
/// module's documentation), and the number of replacements.
pub fn rewrite(text: &str, numbers: &BTreeMap<String, String>) -> (String, usize) {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut from = 0;
    let mut i = 0;
    while let Some(at) = text[i..].find("ch") {
        let start = i + at;
        i = start + 2;
        let boundary = start == 0 || {
            let b = bytes[start - 1];
            !(b.is_ascii_alphanumeric() || b == b'_')
        };
        if !boundary || !digit(start + 2) || !digit(start + 3) {
            continue;
        }
        let page = bytes.get(start + 4) == Some(&b'-') && digit(start + 5) && digit(start + 6);
        let len = if page {
            if digit(start + 7) {
                continue;
            }
            7
        } else {
            if digit(start + 4) {
                continue;
            }
            4
        };
        let Some(new) = numbers.get(&text[start..start + len]) else {
            i = start + len;
            continue;
        };
        out.push_str(&text[from..start]);
        out.push_str(new);
        from = start + len;
        i = from;
        count += 1;
    }
    out.push_str(&text[from..]);
    (out, count)
}

/// Prints the plan.
pub fn print(plan: &Plan) {
    for page in &plan.skipped {
        println!("note: {page} is not named chNN-MM-topic.md: left as it is");
    }
    if plan.is_empty() {
        println!("renumber: the page numbers already follow SUMMARY.md: nothing to do");
        return;
    }
    println!("renumber: new numbers");
    for (old, new) in &plan.numbers {
        println!("  {old} -> {new}");
    }
    println!("renumber: {} files renamed (git mv)", plan.renames.len());
    for (old, new) in &plan.renames {
        println!("  {} -> {}", old.display(), new.display());
    }
    let total: usize = plan.rewrites.iter().map(|(_, n)| n).sum();
    println!(
        "renumber: {total} references rewritten in {} files",
        plan.rewrites.len()
    );
    for (file, n) in &plan.rewrites {
        println!("  {} ({n})", file.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn numbers_are_replaced_at_their_boundaries_in_one_pass() {
        let map = numbers(&[
            ("ch03-05", "ch03-06"),
            ("ch03-06", "ch03-07"),
            ("ch04", "ch05"),
        ]);
        let text = "src/ch03-05-deadlock.md [x](ch03-06-waiting.md#a) ch03-05:12 (ch03-06)\n\
                    mod ch04; index/ch04a.toml ch04-01-futures ch044 xch03-05 my_ch04 ch03-055\n\
                    quiz id ch03-05-deadlock-2, ch03-04-shared-state";
        let (out, n) = rewrite(text, &map);
        assert_eq!(
            out,
            "src/ch03-06-deadlock.md [x](ch03-07-waiting.md#a) ch03-06:12 (ch03-07)\n\
             mod ch05; index/ch05a.toml ch04-01-futures ch044 xch03-05 my_ch04 ch03-055\n\
             quiz id ch03-06-deadlock-2, ch03-04-shared-state"
        );
        assert_eq!(n, 7);
        // A page number whose page is not in the map keeps its chapter too: `ch04-01` above.
    }

    /// A repository in a temporary folder, its files added to git's index.
    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = crate::lint::tests::book(files);
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "--quiet"]);
        git(&["add", "-A"]);
        git(&[
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "-m",
            "book",
        ]);
        dir
    }

    fn read(dir: &Path, file: &str) -> String {
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// A page moved from chapter 2 into chapter 1 (between two pages), and a new page numbered
    /// 50 at the end of chapter 2.
    const SUMMARY: &str = "# Summary\n\n[Preface](preface.md)\n\n\
        - [A](ch01-00-a.md)\n    - [One](ch01-01-one.md)\n    - [Moved](ch02-01-moved.md)\n\
        \x20   - [Two](ch01-02-two.md)\n\
        - [B](ch02-00-b.md)\n    - [Three](ch02-02-three.md)\n    - [New](ch02-50-new.md)\n\n\
        [Appendix](appendix.md)\n";

    fn book() -> tempfile::TempDir {
        repo(&[
            ("src/SUMMARY.md", SUMMARY),
            (
                "src/preface.md",
                "# Preface\n\nSee [two](ch01-02-two.md).\n",
            ),
            (
                "src/appendix.md",
                "# Appendix\n\nSee [m](ch02-01-moved.md#x).\n",
            ),
            ("src/ch01-00-a.md", "# A\n"),
            ("src/ch01-01-one.md", "# One\n\n{{#listing ch01-01-one}}\n"),
            (
                "src/ch02-01-moved.md",
                "# Moved\n\n{{#listing ch02-01-moved}}\n\n{{#quiz ../quizzes/ch02-01-moved.toml}}\n",
            ),
            ("src/ch01-02-two.md", "# Two\n\n{{#listing ch01-02-two}}\n"),
            ("src/ch02-00-b.md", "# B\n"),
            (
                "src/ch02-02-three.md",
                "# Three\n\n{{#listing ch02-02-three}}\n",
            ),
            ("src/ch02-50-new.md", "# New\n\n{{#listing ch02-50-new}}\n"),
            ("examples/ch01-01-one.rs", "fn main() {}\n"),
            ("examples/ch02-01-moved.rs", "fn main() {}\n"),
            ("examples/python/ch02-01-moved.py", "print()\n"),
            ("examples/ch01-02-two.rs", "fn main() {}\n"),
            ("examples/ch02-02-three.rs", "fn main() {}\n"),
            ("examples/ch02-50-new.rs", "fn main() {}\n"),
            (
                "quizzes/ch02-01-moved.toml",
                "[[questions]]\nid = \"ch02-01-moved-1\"\n",
            ),
            (
                "tests/examples/ch02.rs",
                "// ch02-01: moved\nrun(\"ch02-01-moved\"); run(\"ch02-50-new\");\n",
            ),
            (
                "README.md",
                "[Moved](src/ch02-01-moved.md), chapter file ch02.rs\n",
            ),
            ("bench/logo.bin", "ch02-01-moved\0binary"),
        ])
    }

    #[test]
    fn pages_are_numbered_by_their_place_in_summary() {
        let dir = book();
        let plan = plan(dir.path()).unwrap();
        assert_eq!(
            plan.numbers,
            numbers(&[
                ("ch01-02", "ch01-03"),
                ("ch02-01", "ch01-02"),
                ("ch02-02", "ch02-01"),
                ("ch02-50", "ch02-02"),
            ])
        );
        let renames: Vec<String> = plan
            .renames
            .iter()
            .map(|(a, b)| format!("{} -> {}", a.display(), b.display()))
            .collect();
        assert_eq!(
            renames,
            [
                "examples/ch01-02-two.rs -> examples/ch01-03-two.rs",
                "examples/ch02-01-moved.rs -> examples/ch01-02-moved.rs",
                "examples/ch02-02-three.rs -> examples/ch02-01-three.rs",
                "examples/ch02-50-new.rs -> examples/ch02-02-new.rs",
                "examples/python/ch02-01-moved.py -> examples/python/ch01-02-moved.py",
                "quizzes/ch02-01-moved.toml -> quizzes/ch01-02-moved.toml",
                "src/ch01-02-two.md -> src/ch01-03-two.md",
                "src/ch02-01-moved.md -> src/ch01-02-moved.md",
                "src/ch02-02-three.md -> src/ch02-01-three.md",
                "src/ch02-50-new.md -> src/ch02-02-new.md",
            ]
        );
        // The binary file is neither renamed nor rewritten; ch02.rs keeps its name (chapter 2
        // did not move).
        assert!(!plan.rewrites.iter().any(|(f, _)| f.ends_with("logo.bin")));
        assert!(
            plan.rewrites
                .iter()
                .any(|(f, n)| f == Path::new("tests/examples/ch02.rs") && *n == 3)
        );
    }

    #[test]
    fn write_renames_with_git_and_rewrites_every_reference() {
        let dir = book();
        let root = dir.path();
        apply(root, &plan(root).unwrap()).unwrap();
        assert_eq!(
            read(root, "src/SUMMARY.md"),
            SUMMARY
                .replace("ch01-02-two", "ch01-03-two")
                .replace("ch02-01-moved", "ch01-02-moved")
                .replace("ch02-02-three", "ch02-01-three")
                .replace("ch02-50-new", "ch02-02-new")
        );
        assert_eq!(
            read(root, "src/ch01-02-moved.md"),
            "# Moved\n\n{{#listing ch01-02-moved}}\n\n{{#quiz ../quizzes/ch01-02-moved.toml}}\n"
        );
        assert_eq!(
            read(root, "src/ch01-03-two.md"),
            "# Two\n\n{{#listing ch01-03-two}}\n"
        );
        assert_eq!(
            read(root, "quizzes/ch01-02-moved.toml"),
            "[[questions]]\nid = \"ch01-02-moved-1\"\n"
        );
        assert_eq!(
            read(root, "tests/examples/ch02.rs"),
            "// ch01-02: moved\nrun(\"ch01-02-moved\"); run(\"ch02-02-new\");\n"
        );
        assert_eq!(
            read(root, "README.md"),
            "[Moved](src/ch01-02-moved.md), chapter file ch02.rs\n"
        );
        assert_eq!(
            read(root, "src/preface.md"),
            "# Preface\n\nSee [two](ch01-03-two.md).\n"
        );
        for gone in [
            "src/ch02-01-moved.md",
            "examples/ch02-50-new.rs",
            "examples/ch01-02-two.rs",
        ] {
            assert!(!root.join(gone).exists(), "{gone}");
        }
        // git knows the moves, and the temporary names are gone.
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["status", "--porcelain"])
            .output()
            .unwrap();
        let status = String::from_utf8(out.stdout).unwrap();
        assert!(
            status.contains("RM src/ch02-01-moved.md -> src/ch01-02-moved.md"),
            "{status}"
        );
        assert!(
            status.contains("R  examples/ch02-50-new.rs -> examples/ch02-02-new.rs"),
            "{status}"
        );
        assert!(!status.contains(".renumber-"), "{status}");
        // Done twice, nothing is left to do.
        assert!(plan(root).unwrap().is_empty());
    }

    #[test]
    fn a_chapter_that_moves_takes_its_files_along() {
        let summary = "# Summary\n\n- [B](ch02-00-b.md)\n    - [Two](ch02-01-two.md)\n\
                       - [A](ch01-00-a.md)\n    - [One](ch01-01-one.md)\n";
        let dir = repo(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-00-a.md", "# A\n"),
            ("src/ch01-01-one.md", "# One\n\n{{#listing ch01-01-one}}\n"),
            ("src/ch02-00-b.md", "# B\n"),
            ("src/ch02-01-two.md", "# Two\n"),
            ("examples/ch01-01-one.rs", "fn main() {}\n"),
            ("tests/examples/main.rs", "mod ch01;\nmod ch02;\n"),
            ("tests/examples/ch01.rs", "mod depth;\n// ch01 tests\n"),
            ("tests/examples/ch01/depth.rs", "run(\"ch01-01-one\");\n"),
            ("tests/examples/ch02.rs", "\n"),
            ("index/ch01.toml", "page = \"ch01-01-one.md\"\n"),
            ("index/ch02a.toml", "\n"),
            ("notes.md", "untracked: ch01-01-one\n"),
        ]);
        let root = dir.path();
        // A new file, not yet added: renamed and rewritten too.
        std::fs::write(root.join("examples/ch01-01-extra.rs"), "// ch01-01\n").unwrap();
        apply(root, &plan(root).unwrap()).unwrap();
        assert_eq!(
            read(root, "tests/examples/main.rs"),
            "mod ch02;\nmod ch01;\n"
        );
        assert_eq!(
            read(root, "tests/examples/ch02.rs"),
            "mod depth;\n// ch02 tests\n"
        );
        assert_eq!(
            read(root, "tests/examples/ch02/depth.rs"),
            "run(\"ch02-01-one\");\n"
        );
        assert_eq!(read(root, "tests/examples/ch01.rs"), "\n");
        assert_eq!(read(root, "index/ch02.toml"), "page = \"ch02-01-one.md\"\n");
        assert!(root.join("index/ch01a.toml").is_file());
        assert_eq!(read(root, "examples/ch02-01-extra.rs"), "// ch02-01\n");
        assert!(root.join("src/ch01-00-b.md").is_file());
        assert!(!root.join("tests/examples/ch01/depth.rs").exists());
    }

    #[test]
    fn ambiguous_numbers_are_refused() {
        let summary =
            "- [A](ch01-00-a.md)\n    - [One](ch01-01-one.md)\n    - [Other](ch01-01-other.md)\n";
        let dir = repo(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-00-a.md", "# A\n"),
            ("src/ch01-01-one.md", "# One\n"),
            ("src/ch01-01-other.md", "# Other\n"),
        ]);
        let e = plan(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("src/SUMMARY.md:3: two pages are numbered ch01-01"),
            "{e}"
        );

        // A file in the way of a rename.
        let summary = "- [A](ch01-00-a.md)\n    - [Two](ch01-02-two.md)\n";
        let dir = repo(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-00-a.md", "# A\n"),
            ("src/ch01-02-two.md", "# Two\n"),
            ("examples/ch01-02-two.rs", "fn main() {}\n"),
            ("examples/ch01-01-two.rs", "fn main() {}\n"),
        ]);
        let e = plan(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains(
                "examples/ch01-02-two.rs would become examples/ch01-01-two.rs, which exists"
            ),
            "{e}"
        );
    }
}
