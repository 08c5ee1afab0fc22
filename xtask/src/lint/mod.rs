//! `cargo xtask lint`: the rules on the book's Markdown, read with pulldown-cmark. Fast, and
//! needs no build. Each problem is reported as `file:line: what is wrong`; one module per
//! concern, each with the unit tests that feed its rules a small bad book:
//!
//! - [`pages`]: every page named in `src/SUMMARY.md` exists, every Markdown file in `src/` is
//!   a page there or is included by one (the benchmark's snapshot, `src/bench/results.md`); no
//!   merge conflict marker; every link between pages reaches a page of the book (its `#anchor`
//!   is checked in the built HTML, by `cargo xtask build`: see `html.rs`);
//! - [`listings`]: a listing is shown with `{{#listing NAME}}` (`packages/mdbook-listing`
//!   writes its caption, Rust block and attributes, Python twin and output block, so none of
//!   those can be missing or wrong): the directive parses, `examples/NAME.rs` exists, NAME
//!   starts with the page's `chNN-MM`; a Rust block written by hand is a
//!   `compile_fail,EXXXX` snippet, a block named in [`listings::INLINE_ALLOWED`], or an
//!   exercise's solution shown whole (`rust,ignore`, `{{#include ../exercises/NAME/solution/FILE.rs}}`);
//!   a listing, its Python twin or its cmdrun output written by hand is refused, except a
//!   chapter 6 timeline; a `{{#...}}` directive outside code is `listing`, `include` or `quiz`;
//!   an example holds no line that rustdoc or mdBook would hide (the copy button copies the
//!   file, byte for byte);
//! - [`includes`]: every include points at a file that exists, and every file of `examples/`
//!   (Rust and Python) and every exercise's solution is shown by a page in SUMMARY.md;
//! - [`quizzes`]: every quiz in `quizzes/` is shown by the page it is named after
//!   (`{{#quiz ../quizzes/NAME.toml}}` on `src/NAME.md`), every `{{#quiz}}` points at a quiz
//!   that exists, every question has an id, unique in the book, and a question that shows a
//!   program says what it claims about it (parsed by `course_book::quiz`; `cargo xtask quiz`
//!   checks the claims);
//! - [`index`]: the index of tools, `index/*.toml` (read by `course_book::index`): known keys,
//!   each tool declared once, its page in SUMMARY.md and its anchor the id of a heading there
//!   (as mdBook computes it: `course_book::headings`); `{{#tool-index}}` alone on its line;
//! - [`order`]: no listing (or Python twin shown beside it) uses a declared tool before the
//!   page and heading that teach it, unless its page links there;
//! - [`deeper`]: a folded section is `<details class="deeper">` with a `Deeper: ...` summary,
//!   in the shape that keeps its Markdown rendered (an exercise's hints and solution: a plain
//!   `<details>`);
//! - [`numbers`]: page numbers ascend in SUMMARY.md order, chapter by chapter (`cargo xtask
//!   renumber` makes them so).
//!
//! Elsewhere: every `compile_fail,EXXXX` block fails with that code (`compile_fail.rs`, run by
//! `cargo xtask test`), and the checks of the built book (`html.rs`).

pub mod blocks;
pub mod deeper;
pub mod includes;
pub mod index;
pub mod listings;
pub mod markdown;
pub mod numbers;
pub mod order;
pub mod pages;
pub mod quizzes;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::report::Report;

/// A page of the book: its path (`src/NAME.md`, relative to the root) and its text.
pub struct Page {
    pub path: PathBuf,
    pub text: String,
}

/// Checks the Markdown sources of the book rooted at `root`; returns the number of listings.
pub fn check_sources(root: &Path) -> Result<usize> {
    let mut report = Report::default();
    if let Ok(summary) = std::fs::read_to_string(root.join("src/SUMMARY.md")) {
        numbers::check(&summary, &mut report);
    }
    let mut pages = Vec::new();
    for (path, _) in pages::summary_pages(root, &mut report)? {
        let file = root.join(&path);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        pages.push(Page { path, text });
    }

    let mut shown: BTreeSet<PathBuf> = BTreeSet::new();
    let mut listings = 0;
    for page in &pages {
        pages::check_page(page, &mut report);
        deeper::check_page(page, &mut report);
        let examples = listings::check_page(root, page, &mut report);
        listings += examples
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs"))
            .count();
        shown.extend(examples);
        shown.extend(includes::check_page(root, page, &mut report));
    }
    pages::check_unlisted(root, &pages, &shown, &mut report);
    pages::check_links(root, &pages, &mut report);
    let wanted = includes::wanted(root);
    for file in &wanted {
        listings::check_example_file(root, file, &mut report);
    }
    includes::check_shown(&wanted, &shown, &mut report);
    quizzes::check(root, &pages, &mut report);
    let tools = index::check(root, &pages, &mut report);
    order::check(root, &pages, &tools, &mut report);
    report.into_result(listings)
}

#[cfg(test)]
pub mod tests {
    //! A small book to feed the rules, shared by the tests of every module.

    use super::*;

    /// A throwaway book: `files` are (path, contents) pairs in a fresh temporary folder.
    pub fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    pub const SUMMARY: &str = "# Summary\n\n- [One](ch01-01-one.md)\n";
    pub const EXAMPLE: &str = "fn main() {\n    println!(\"hi\");\n}\n";
    /// Eleven lines, the listing on line 5.
    pub const GOOD_PAGE: &str = "# One\n\nA listing:\n\n{{#listing ch01-01-hi}}\n\nIts output\nshows\nthat it ran.\n\nThe end.\n";

    /// What `cargo xtask lint` says about a book of `files` (empty when it passes).
    pub fn errors(files: &[(&str, &str)]) -> String {
        match check_sources(book(files).path()) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_good_book_passes() {
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(check_sources(dir.path()).unwrap(), 1);
    }
}
