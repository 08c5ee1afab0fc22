//! Folded sections (`<details>`): a "Deeper" section, off the main line, is exactly
//!
//! ```markdown
//! <details class="deeper">
//! <summary>Deeper: the title</summary>
//!
//! Markdown content (listings allowed).
//!
//! </details>
//! ```
//!
//! The blank lines matter: without them, mdBook (CommonMark) takes the Markdown inside for
//! part of the HTML block and shows it as raw text. An exercise's page also folds its hints
//! and its solution in a plain `<details>` (any summary), in the same shape; any other
//! `<details>` is refused, so every optional section looks the same to the reader
//! (`theme/course.css`, `.deeper`).

use pulldown_cmark::{Event, Parser};

use super::Page;
use super::markdown::line_of;
use crate::report::Report;

const OPENER: &str = "<details class=\"deeper\">";

/// Checks the `<details>` blocks of a page.
pub fn check_page(page: &Page, report: &mut Report) {
    let text = &page.text;
    let lines: Vec<&str> = text.lines().collect();
    let line = |n: usize| lines.get(n.wrapping_sub(1)).map_or("", |l| l.trim());
    let exercise = page
        .path
        .file_stem()
        .is_some_and(|s| s.to_string_lossy().contains("exercise"));
    // Openers and closers outside code, in order (line numbers, 1-based).
    let mut tags: Vec<(usize, bool)> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            let lower = html.to_ascii_lowercase();
            let start = line_of(text, range.start);
            for (at, _) in lower.match_indices("details") {
                let before = &lower[..at];
                let opening = before.ends_with('<');
                let closing = before.ends_with("</");
                let whole = lower[at + 7..].starts_with(['>', ' ', '\n', '\t']);
                if (opening || closing) && whole {
                    tags.push((start + before.matches('\n').count(), opening));
                }
            }
        }
    }
    let mut add = |n: usize, message: String| report.add(&page.path, n, message);
    let mut open: Option<usize> = None;
    for (n, opening) in tags {
        if opening {
            if let Some(outer) = open {
                add(
                    n,
                    format!("a <details> inside another (opened on line {outer}): close it first"),
                );
            }
            open = Some(n);
            let plain = exercise && line(n) == "<details>";
            if line(n) != OPENER && !plain {
                add(
                    n,
                    format!(
                        "a folded section is a Deeper section: write `{OPENER}` alone on its \
                         line (an exercise's hints and solution may use a plain `<details>`)"
                    ),
                );
                continue;
            }
            let summary = line(n + 1)
                .strip_prefix("<summary>")
                .and_then(|s| s.strip_suffix("</summary>"));
            let title_ok = match summary {
                Some(title) if plain => !title.trim().is_empty(),
                Some(title) => title
                    .strip_prefix("Deeper: ")
                    .is_some_and(|t| !t.trim().is_empty()),
                None => false,
            };
            if !title_ok {
                let want = if plain {
                    "<summary>What it holds</summary>"
                } else {
                    "<summary>Deeper: the title</summary>"
                };
                add(
                    n + 1,
                    format!("the line after `{}` is `{want}`, alone", line(n)),
                );
            } else if !line(n + 2).is_empty() {
                add(
                    n + 2,
                    "leave a blank line after </summary>: without it, the Markdown that follows \
                     is shown as raw text"
                        .into(),
                );
            }
        } else {
            let Some(opened) = open.take() else {
                add(n, "a </details> that closes nothing".into());
                continue;
            };
            if line(n) != "</details>" {
                add(
                    n,
                    format!(
                        "write </details> alone on its line (the section opens on line {opened})"
                    ),
                );
            } else if !line(n - 1).is_empty() {
                add(
                    n,
                    "leave a blank line before </details>: without it, the Markdown above is \
                     shown as raw text"
                        .into(),
                );
            } else if n < lines.len() && !line(n + 1).is_empty() {
                add(n, "leave a blank line after </details>".into());
            }
        }
    }
    if let Some(opened) = open {
        add(
            opened,
            "this <details> is never closed: end it with </details>".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, errors};

    fn page_errors(extra: &str) -> String {
        let page = format!("{GOOD_PAGE}{extra}");
        errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ])
    }

    /// Line 12 is the first line of `extra`.
    const GOOD: &str = "\n<details class=\"deeper\">\n<summary>Deeper: start methods</summary>\n\n\
                        Some **Markdown**, and `<details>` in code.\n\n</details>\n\nAfter.\n";

    #[test]
    fn a_deeper_section_in_its_exact_shape_passes() {
        assert_eq!(page_errors(GOOD), "");
        assert_eq!(page_errors(&format!("{GOOD}{GOOD}")), "");
        assert_eq!(page_errors("\n```html\n<details>\n```\n"), "");
    }

    #[test]
    fn each_departure_from_the_shape_is_named() {
        for (bad, line, message) in [
            (
                GOOD.replace(" class=\"deeper\"", ""),
                13,
                "a folded section is a Deeper section",
            ),
            (
                GOOD.replace("deeper\"", "deep\""),
                13,
                "a folded section is a Deeper section",
            ),
            (
                GOOD.replace("Deeper: start", "Start"),
                14,
                "the line after `<details class=\"deeper\">` is `<summary>Deeper: the title</summary>`",
            ),
            (
                GOOD.replace("</summary>\n\n", "</summary>\n"),
                15,
                "leave a blank line after </summary>",
            ),
            (
                GOOD.replace("code.\n\n</details>", "code.\n</details>"),
                17,
                "leave a blank line before </details>",
            ),
            (
                GOOD.replace("</details>\n\n", "</details>\n"),
                18,
                "leave a blank line after </details>",
            ),
            (
                GOOD.replace("\n</details>\n", "\n"),
                13,
                "this <details> is never closed",
            ),
            (
                format!("{GOOD}\n</details>\n"),
                22,
                "a </details> that closes nothing",
            ),
            (
                GOOD.replace(
                    "Some **",
                    "<details class=\"deeper\">\n<summary>Deeper: x</summary>\n\nSome **",
                ),
                16,
                "a <details> inside another (opened on line 13)",
            ),
            (
                "\nText <details class=\"deeper\"> inline.\n".to_string(),
                13,
                "a folded section is a Deeper section",
            ),
        ] {
            let e = page_errors(&bad);
            assert!(
                e.contains(&format!("src/ch01-01-one.md:{line}: {message}")),
                "{bad}\n{e}"
            );
        }
    }

    #[test]
    fn an_exercise_folds_its_hints_in_a_plain_details() {
        let summary =
            "# Summary\n\n- [One](ch01-01-one.md)\n    - [Exercise](ch01-02-exercise.md)\n";
        let hint =
            "# Exercise\n\n<details>\n<summary>Hint 1: the key</summary>\n\nText.\n\n</details>\n";
        let files = |exercise: &str| {
            errors(&[
                ("src/SUMMARY.md", summary),
                ("src/ch01-01-one.md", GOOD_PAGE),
                ("src/ch01-02-exercise.md", exercise),
                ("examples/ch01-01-hi.rs", EXAMPLE),
            ])
        };
        assert_eq!(files(hint), "");
        let e = files(&hint.replace("Hint 1: the key", ""));
        assert!(
            e.contains("src/ch01-02-exercise.md:4: the line after `<details>`"),
            "{e}"
        );
        // Not on another page.
        let e = page_errors(&format!("\n{}", &hint[12..]));
        assert!(
            e.contains("src/ch01-01-one.md:13: a folded section is a Deeper"),
            "{e}"
        );
    }
}
