//! The index of tools (`index/*.toml`, read by `course_book::index`): every declaration
//! parses, with known keys only; no tool is declared twice; its page is in SUMMARY.md; its
//! anchor is the id mdBook gives a heading of that page (computed as mdBook does:
//! `course_book::headings`, so no build is needed). The `{{#tool-index}}` directive, which
//! the book's preprocessor expands into the index page, stands alone on its line.

use std::collections::BTreeMap;
use std::path::Path;

use course_book::headings::{self, Heading};
use course_book::index::{self, Tool};

use super::Page;
use crate::report::Report;

/// The declared tools, and where each is taught: the page's position in SUMMARY.md order and
/// the line of the heading (`None` when the declaration is wrong, which is reported).
pub struct Index {
    pub tools: Vec<Tool>,
    pub taught: Vec<Option<(usize, usize)>>,
}

/// Reads and checks the declarations against the pages (in SUMMARY.md order).
pub fn check(root: &Path, pages: &[Page], report: &mut Report) -> Index {
    let (tools, problems) = index::read_dir(root);
    for p in problems {
        report.add(&p.file, p.line, p.message);
    }
    let smart = std::fs::read_to_string(root.join("book.toml"))
        .is_ok_and(|text| headings::smart_punctuation(&text));
    let position: BTreeMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (in_src(&p.path), i))
        .collect();
    let mut ids: BTreeMap<usize, Vec<Heading>> = BTreeMap::new();
    let mut taught = Vec::new();
    for tool in &tools {
        let Some(&at) = position.get(&tool.page) else {
            report.add(
                &tool.file,
                tool.line,
                format!(
                    "`{}`: its page {} is not in src/SUMMARY.md (`page` is a file in src/, \
                     like ch03-09-waiting.md)",
                    tool.name, tool.page
                ),
            );
            taught.push(None);
            continue;
        };
        let found = ids.entry(at).or_insert_with(|| {
            headings::page_headings(&root.join("src"), &tool.page, smart).unwrap_or_default()
        });
        match found.iter().find(|h| h.id == tool.anchor) {
            Some(heading) => taught.push(Some((at, heading.line))),
            None => {
                let known: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
                report.add(
                    &tool.file,
                    tool.line,
                    format!(
                        "`{}`: {} has no heading with the id `{}` (its headings' ids: {})",
                        tool.name,
                        tool.page,
                        tool.anchor,
                        known.join(", ")
                    ),
                );
                taught.push(None);
            }
        }
    }
    for page in pages {
        check_directive(page, report);
    }
    Index { tools, taught }
}

/// `src/ch03-09-waiting.md` -> `ch03-09-waiting.md`
pub fn in_src(path: &Path) -> String {
    path.strip_prefix("src")
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `{{#tool-index}}` is expanded only on a line of its own, outside code.
fn check_directive(page: &Page, report: &mut Report) {
    let alone = index::directive_lines(&page.text);
    let mut fence = false;
    for (i, line) in page.text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && line.contains("{{#tool-index") && !alone.contains(&(i + 1)) {
            report.add(
                &page.path,
                i + 1,
                format!(
                    "write {} alone on its line: the preprocessor expands it only there",
                    index::DIRECTIVE
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, errors};

    const SUMMARY: &str = "# Summary\n\n- [One](ch01-01-one.md)\n    - [Two](ch01-02-two.md)\n";
    const TWO: &str = "# Two\n\n## Waiting for a condition\n\n## Send, Sync and the compiler\n\n\
                       ## Output\n\n## Output\n\nSee [one](ch01-01-one.md).\n";

    fn book_with(index: &str) -> String {
        errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch01-02-two.md", TWO),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("book.toml", "[output.html]\nsmart-punctuation = true\n"),
            ("index/ch01.toml", index),
        ])
    }

    fn tool(name: &str, page: &str, anchor: &str) -> String {
        format!("[[tool]]\nname = \"{name}\"\npage = \"{page}\"\nanchor = \"{anchor}\"\n\n")
    }

    #[test]
    fn good_declarations_pass() {
        let index = [
            tool("Condvar", "ch01-02-two.md", "waiting-for-a-condition"),
            tool("Send", "ch01-02-two.md", "send-sync-and-the-compiler"),
            tool("output twice", "ch01-02-two.md", "output-1"),
            tool("the page", "ch01-01-one.md", "one"),
        ]
        .concat();
        assert_eq!(book_with(&index), "");
    }

    #[test]
    fn a_page_outside_summary_or_a_missing_anchor_is_named() {
        let index = [
            tool("Condvar", "ch01-03-three.md", "waiting-for-a-condition"),
            tool("Send", "ch01-02-two.md", "send-sync-and-the-compiler-"),
            tool("output thrice", "ch01-02-two.md", "output-2"),
        ]
        .concat();
        let e = book_with(&index);
        assert!(
            e.contains(
                "index/ch01.toml:1: `Condvar`: its page ch01-03-three.md is not in src/SUMMARY.md"
            ),
            "{e}"
        );
        assert!(
            e.contains(
                "index/ch01.toml:6: `Send`: ch01-02-two.md has no heading with the id \
                 `send-sync-and-the-compiler-` (its headings' ids: two, waiting-for-a-condition, \
                 send-sync-and-the-compiler, output, output-1)"
            ),
            "{e}"
        );
        assert!(
            e.contains("index/ch01.toml:11: `output thrice`: ch01-02-two.md has no heading"),
            "{e}"
        );
        assert_eq!(e.matches("\nindex/").count(), 3, "{e}");
    }

    #[test]
    fn declaration_errors_are_reported_with_file_and_line() {
        let index = format!(
            "{}{}[[tool]]\nname = \"x\"\npage = \"ch01-02-two.md\"\nanchor = \"two\"\nrusst = [\"x\"]\n",
            tool("Condvar", "ch01-02-two.md", "waiting-for-a-condition"),
            tool("Condvar", "ch01-02-two.md", "two"),
        );
        let e = book_with(&index);
        assert!(
            e.contains(
                "index/ch01.toml:6: `Condvar` is declared twice (also at index/ch01.toml:1)"
            ),
            "{e}"
        );
        assert!(e.contains("index/ch01.toml:15: unknown key `russt`"), "{e}");
    }

    #[test]
    fn the_directive_stands_alone() {
        let summary = format!("{SUMMARY}\n[Index](tool-index.md)\n");
        let e = errors(&[
            ("src/SUMMARY.md", &summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch01-02-two.md", TWO),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            (
                "src/tool-index.md",
                "# Index of tools\n\n{{#tool-index}}\n\nAlso {{#tool-index}} here.\n\n\
                 ```md\n{{#tool-index}} in code is an example\n```\n",
            ),
        ]);
        assert!(
            e.contains("src/tool-index.md:5: write {{#tool-index}} alone on its line"),
            "{e}"
        );
        assert_eq!(e.matches("\nsrc/").count(), 1, "{e}");
    }
}
