//! Includes: every `{{#include FILE}}` points at a file that exists, and every file a reader
//! must see (each example, each Python twin, each exercise's solution) is shown by a page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use course_book::directive;

use super::Page;
use crate::report::{Report, files_with_ext, normalize};

/// The files a page includes with `{{#include FILE}}` (a solution, a snippet of the benchmark,
/// Markdown): each must exist; returns them. An example is never included by hand: it is
/// shown with `{{#listing NAME}}`.
pub fn check_page(root: &Path, page: &Page, report: &mut Report) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let dir = page.path.parent().unwrap_or(Path::new(""));
    for (i, line) in page.text.lines().enumerate() {
        let Some(target) = directive::target(line, "include") else {
            continue;
        };
        let file = target.split(':').next().unwrap_or(target);
        let path = normalize(&dir.join(file));
        if path.starts_with("examples") {
            report.add(
                &page.path,
                i + 1,
                format!(
                    "includes {file} by hand: show a listing and its twin with {{{{#listing NAME}}}}"
                ),
            );
        }
        if root.join(&path).is_file() {
            found.push(path);
        } else {
            report.add(
                &page.path,
                i + 1,
                format!("includes {file}, which does not exist"),
            );
        }
    }
    found
}

/// Every file a page must show: `examples/**.rs`, `examples/python/**.py`, and each
/// exercise's solution (`exercises/NAME/solution/FILE.rs`), relative to the root.
pub fn wanted(root: &Path) -> BTreeSet<PathBuf> {
    let relative = |file: PathBuf| file.strip_prefix(root).unwrap_or(&file).to_path_buf();
    let mut wanted = BTreeSet::new();
    for ext in ["rs", "py"] {
        wanted.extend(
            files_with_ext(&root.join("examples"), ext)
                .into_iter()
                .map(relative),
        );
    }
    wanted.extend(
        files_with_ext(&root.join("exercises"), "rs")
            .into_iter()
            .map(relative)
            .filter(|file| is_solution_file(file)),
    );
    wanted
}

/// Each wanted file is among those the pages show.
pub fn check_shown(wanted: &BTreeSet<PathBuf>, shown: &BTreeSet<PathBuf>, report: &mut Report) {
    for file in wanted.difference(shown) {
        let what = if is_solution_file(file) {
            "no page in src/SUMMARY.md shows this solution: include it on its exercise's page"
        } else {
            "no page in src/SUMMARY.md includes this example: add it to a chapter"
        };
        report.add(file, 1, what);
    }
}

/// `exercises/NAME/solution/FILE.rs`
pub fn is_solution_file(path: &Path) -> bool {
    let parts: Vec<_> = path.components().map(|c| c.as_os_str()).collect();
    matches!(&parts[..], [exercises, _, solution, file]
        if *exercises == "exercises" && *solution == "solution"
            && Path::new(file).extension().is_some_and(|e| e == "rs"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, errors};

    #[test]
    fn an_example_no_page_includes_is_named() {
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/ch01-02-forgotten.rs", EXAMPLE),
            ("examples/python/ch01-03-lonely.py", "print('hi')\n"),
        ]);
        assert!(
            e.contains("examples/ch01-02-forgotten.rs:1: no page"),
            "{e}"
        );
        assert!(
            e.contains("examples/python/ch01-03-lonely.py:1: no page"),
            "{e}"
        );
    }

    #[test]
    fn a_twin_left_out_is_shown_by_no_page() {
        let page = GOOD_PAGE.replace("ch01-01-hi}}", "ch01-01-hi no-twin}}");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/python/ch01-01-hi.py", "print('hi')\n"),
        ]);
        assert!(
            e.contains("examples/python/ch01-01-hi.py:1: no page"),
            "{e}"
        );
        assert_eq!(e.matches("\n").count(), 1, "{e}");
    }

    #[test]
    fn a_missing_include_is_named() {
        let page =
            format!("{GOOD_PAGE}\n```python\n{{{{#include ../examples/python/nope.py}}}}\n```\n");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains(
                "src/ch01-01-one.md:14: includes ../examples/python/nope.py, which does not exist"
            ),
            "{e}"
        );
    }

    #[test]
    fn solutions_are_told_apart() {
        assert!(is_solution_file(Path::new("exercises/ex/solution/lib.rs")));
        assert!(!is_solution_file(Path::new("exercises/ex/src/lib.rs")));
        assert!(!is_solution_file(Path::new("exercises/ex/solution/a/b.rs")));
    }
}
