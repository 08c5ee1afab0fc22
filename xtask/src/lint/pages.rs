//! The pages: SUMMARY.md names pages that exist, every page is in it, no merge conflict marker
//! is left, and links between pages reach a page (and a "previous page" or "next page" link,
//! the page next to it in SUMMARY.md's order).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use course_book::headings;
use pulldown_cmark::{Event, Parser, Tag};

use super::Page;
use super::markdown::line_of;
use crate::report::{Report, files_with_ext, normalize};

/// The pages SUMMARY.md links to (`src/NAME.md`), in order, with the line of each link; a
/// link to a file that does not exist is reported.
pub fn summary_pages(root: &Path, report: &mut Report) -> Result<Vec<(PathBuf, usize)>> {
    let summary_path = root.join("src/SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", summary_path.display()))?;
    let mut pages = Vec::new();
    for entry in course_book::summary::entries(&summary) {
        if entry.target.is_empty() {
            continue; // a draft chapter: mdBook allows `[Title]()`
        }
        let page = PathBuf::from("src").join(&entry.target);
        if !root.join(&page).is_file() {
            report.add(
                Path::new("src/SUMMARY.md"),
                entry.line,
                format!("links to {}, which does not exist", entry.target),
            );
            continue;
        }
        pages.push((page, entry.line));
    }
    Ok(pages)
}

/// No merge conflict marker on the page.
pub fn check_page(page: &Page, report: &mut Report) {
    for (i, line) in page.text.lines().enumerate() {
        if line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") {
            report.add(&page.path, i + 1, "a merge conflict marker");
        }
    }
}

/// Every Markdown file in `src/` is a page of SUMMARY.md, or is included by one (`shown`).
pub fn check_unlisted(root: &Path, pages: &[Page], shown: &BTreeSet<PathBuf>, report: &mut Report) {
    let in_summary: BTreeSet<&Path> = pages.iter().map(|p| p.path.as_path()).collect();
    for md in files_with_ext(&root.join("src"), "md") {
        let relative = md.strip_prefix(root).unwrap_or(&md);
        if md.file_name().is_some_and(|n| n == "SUMMARY.md")
            || in_summary.contains(relative)
            || shown.contains(relative)
        {
            continue;
        }
        report.add(
            relative,
            1,
            "this page is not in src/SUMMARY.md, so readers never see it",
        );
    }
}

/// Every link between pages points at a page in SUMMARY.md, and its `#anchor` (if any) at a
/// heading of that page: the ids computed as mdBook 0.4.52 computes them
/// (`course_book::headings`), or an `id="..."` written in the page's HTML. (The built book is
/// checked again in `html.rs`, where mdBook has given the headings their ids.) A page whose
/// content is generated (`{{#tool-index}}`) is trusted for its anchors.
pub fn check_links(root: &Path, pages: &[Page], report: &mut Report) {
    let known: BTreeSet<&Path> = pages.iter().map(|p| p.path.as_path()).collect();
    let smart = std::fs::read_to_string(root.join("book.toml"))
        .is_ok_and(|text| headings::smart_punctuation(&text));
    let mut ids: BTreeMap<PathBuf, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut ids_of = |path: &Path| -> Option<BTreeSet<String>> {
        ids.entry(path.to_path_buf())
            .or_insert_with(|| {
                let relative = path.strip_prefix("src").ok()?;
                let text = std::fs::read_to_string(root.join(path)).ok()?;
                if text.contains("{{#tool-index}}") {
                    return None;
                }
                let mut found: BTreeSet<String> =
                    headings::page_headings(&root.join("src"), &relative.to_string_lossy(), smart)?
                        .into_iter()
                        .map(|h| h.id)
                        .collect();
                for part in text.split("id=\"").skip(1) {
                    if let Some((id, _)) = part.split_once('"') {
                        found.insert(id.to_string());
                    }
                }
                Some(found)
            })
            .clone()
    };
    let position: BTreeMap<&Path, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_path(), i))
        .collect();
    for (here, page) in pages.iter().enumerate() {
        for (event, range) in Parser::new(&page.text).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let url = dest_url.as_ref();
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = url
                .split_once('#')
                .map_or((url, None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() {
                page.path.clone() // an anchor on the same page
            } else {
                normalize(&page.path.parent().unwrap_or(Path::new("")).join(file))
            };
            if !known.contains(target.as_path()) {
                report.add(
                    &page.path,
                    line_of(&page.text, range.start),
                    format!("the link {url} points to no page of the book"),
                );
                continue;
            }
            let there = position.get(target.as_path()).copied();
            if let Some(problem) = neighbour_link(&page.text[range.clone()], here, there) {
                report.add(&page.path, line_of(&page.text, range.start), problem);
            }
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            if let Some(ids) = ids_of(&target)
                && !ids.contains(anchor)
            {
                report.add(
                    &page.path,
                    line_of(&page.text, range.start),
                    format!(
                        "the link {url} points to no heading: {} has no id `{anchor}` (its \
                         headings' ids: {})",
                        target.display(),
                        ids.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
    }
}

/// A link written `[previous page](..)` or `[next page](..)` (any case, with or without "the")
/// must point at the page just before or after its own in SUMMARY.md's order (`here` and
/// `there` are positions in it): a page added in between makes the words false.
fn neighbour_link(link: &str, here: usize, there: Option<usize>) -> Option<String> {
    let text = link.strip_prefix('[')?.split_once("](")?.0.to_lowercase();
    let (want, words) = if text.ends_with("previous page") {
        (here.checked_sub(1), "previous page")
    } else if text.ends_with("next page") {
        (Some(here + 1), "next page")
    } else {
        return None;
    };
    (there != want).then(|| {
        format!(
            "a \"{words}\" link that does not point at the {words} in SUMMARY.md: name the \
             page it points at"
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, errors};

    #[test]
    fn a_previous_or_next_page_link_must_point_next_door() {
        use super::neighbour_link;
        assert_eq!(neighbour_link("[previous page](a.md)", 3, Some(2)), None);
        assert_eq!(neighbour_link("[The next page](a.md)", 3, Some(4)), None);
        assert!(neighbour_link("[previous page](a.md)", 3, Some(1)).is_some());
        assert!(neighbour_link("[the next page](a.md#x)", 3, Some(5)).is_some());
        assert!(neighbour_link("[previous page](a.md)", 0, Some(0)).is_some());
        assert_eq!(neighbour_link("[Deadlocks](a.md)", 3, Some(9)), None);
    }

    #[test]
    fn a_stale_previous_page_link_is_named() {
        let summary =
            "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](two.md)\n- [Three](three.md)\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            (
                "src/two.md",
                "# Two\n\nBack to the [previous page](ch01-01-one.md).\n",
            ),
            (
                "src/three.md",
                "# Three\n\nAs the [previous page](ch01-01-one.md) said.\n",
            ),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains("src/three.md:3: a \"previous page\" link"),
            "{e}"
        );
        assert!(!e.contains("src/two.md"), "{e}");
    }

    #[test]
    fn a_merge_conflict_marker_is_named() {
        let page = format!("<<<<<<< HEAD\n{GOOD_PAGE}>>>>>>> branch\n");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains("src/ch01-01-one.md:1: a merge conflict marker"),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:13: a merge conflict marker"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_page_is_named() {
        let e = errors(&[("src/SUMMARY.md", "- [Two](ch02.md)\n")]);
        assert!(
            e.contains("src/SUMMARY.md:1: links to ch02.md, which does not exist"),
            "{e}"
        );
    }

    #[test]
    fn a_page_outside_summary_is_named() {
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/lost.md", "# Lost\n"),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains("src/lost.md:1: this page is not in src/SUMMARY.md"),
            "{e}"
        );
    }

    #[test]
    fn markdown_a_page_includes_needs_no_summary_entry() {
        let page = format!("{GOOD_PAGE}\n{{{{#include bench/results.md}}}}\n");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("src/bench/results.md", "| a | b |\n"),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e, "");
    }

    #[test]
    fn links_must_reach_a_page() {
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](ch02.md)\n";
        let two = "# Two\n\n## Square and `cube`!\n\n\
                   [ok](ch01-01-one.md) [ok](ch01-01-one.md#one) [ok](#square-and-cube)\n\
                   [ok](https://example.org/x.md) [ok](mailto:a@example.org)\n\
                   [bad](ch05.md) [bad](ch05.md#x) [bad](../README.md)\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e.matches("\nsrc/ch02.md:").count(), 3, "{e}");
        for bad in ["ch05.md", "ch05.md#x", "../README.md"] {
            assert!(
                e.contains(&format!("src/ch02.md:7: the link {bad} points to no page")),
                "{e}"
            );
        }
    }

    #[test]
    fn links_must_reach_a_heading() {
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](ch02.md)\n";
        let two = "# Two\n\n## Square and `cube`!\n\n<span id=\"by-hand\"></span>\n\n\
                   [ok](ch01-01-one.md#one) [ok](#square-and-cube) [ok](#by-hand)\n\
                   [bad](ch01-01-one.md#two) [bad](#square-and-cube-1)\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e.matches("\nsrc/ch02.md:").count(), 2, "{e}");
        assert!(
            e.contains("src/ch02.md:8: the link ch01-01-one.md#two points to no heading"),
            "{e}"
        );
        assert!(
            e.contains("src/ch02.md:8: the link #square-and-cube-1 points to no heading"),
            "{e}"
        );
    }
}
