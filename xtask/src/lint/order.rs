//! Teaching order: a concept is taught before a listing uses it, or the page links to where
//! it is taught.
//!
//! A listing uses a declared tool when its file, or the Python twin its page shows, contains
//! one of the tool's patterns (`course_book::index` says exactly what counts: code only, at
//! identifier boundaries). It is too early when its page comes before the page that teaches
//! the tool in SUMMARY.md, or is that page with the `{{#listing}}` above the teaching
//! heading. That is allowed when the page links to the teaching page (any Markdown link to
//! that file, with or without an anchor; on the teaching page itself, a link to the teaching
//! heading, `#anchor`): the reader is told where to look.

use std::collections::BTreeSet;
use std::path::Path;

use course_book::index;

use super::Page;
use super::index::{Index, in_src};
use crate::report::Report;

/// Reports every listing that uses a tool before it is taught.
pub fn check(root: &Path, pages: &[Page], index: &Index, report: &mut Report) {
    for (at, page) in pages.iter().enumerate() {
        let name = in_src(&page.path);
        let links = index::links(&name, &page.text);
        let mut reported = BTreeSet::new();
        for used in index::listing_uses(root, &page.text, &index.tools) {
            let Some((taught_at, heading_line)) = index.taught[used.tool] else {
                continue;
            };
            let too_early = at < taught_at || (at == taught_at && used.line < heading_line);
            if !too_early || !reported.insert((used.line, used.tool)) {
                continue;
            }
            let tool = &index.tools[used.tool];
            let linked = links.iter().any(|link| {
                link.page == tool.page
                    && (at != taught_at || link.anchor.as_deref() == Some(tool.anchor.as_str()))
            });
            if linked {
                continue;
            }
            let place = if at == taught_at {
                format!("further down this page, at #{}", tool.anchor)
            } else {
                format!("later, in {}#{}", tool.page, tool.anchor)
            };
            report.add(
                &page.path,
                used.line,
                format!(
                    "listing `{}` uses `{}` ({}:{} has `{}`), which is taught {place} \
                     ({}:{}): teach it before, or link to where it is taught from this page",
                    used.listing,
                    tool.name,
                    used.file,
                    used.file_line,
                    used.pattern,
                    tool.file.display(),
                    tool.line,
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::errors;

    const SUMMARY: &str = "# Summary\n\n- [One](ch01-01-one.md)\n    - [Two](ch01-02-two.md)\n    - [Three](ch01-03-three.md)\n";
    const INDEX: &str = "[[tool]]\nname = \"std::sync::Condvar\"\npage = \"ch01-02-two.md\"\n\
                         anchor = \"waiting\"\nrust = [\"Condvar\"]\npython = [\"threading.Condition\"]\n\n\
                         [[tool]]\nname = \"happens-before\"\npage = \"ch01-01-one.md\"\nanchor = \"one\"\n";
    /// Uses Condvar on line 3 of its file.
    const USES: &str =
        "use std::sync::Mutex;\nfn main() {\n    let _c = std::sync::Condvar::new();\n}\n";
    const PLAIN: &str = "// a Condvar, in a comment\nfn main() {\n    println!(\"Condvar\");\n}\n";

    fn book(one: &str, two: &str, one_rs: &str, one_py: Option<&str>) -> String {
        let mut files = vec![
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", one),
            ("src/ch01-02-two.md", two),
            (
                "src/ch01-03-three.md",
                "# Three\n\n{{#listing ch01-03-late}}\n",
            ),
            ("examples/ch01-01-a.rs", one_rs),
            ("examples/ch01-02-b.rs", USES),
            ("examples/ch01-03-late.rs", USES),
            ("index/ch01.toml", INDEX),
        ];
        if let Some(py) = one_py {
            files.push(("examples/python/ch01-01-a.py", py));
        }
        errors(&files)
    }

    const ONE: &str = "# One\n\nFirst.\n\n{{#listing ch01-01-a}}\n";
    const TWO: &str = "# Two\n\n## Waiting\n\n{{#listing ch01-02-b}}\n";

    #[test]
    fn a_listing_after_the_teaching_page_passes() {
        assert_eq!(book(ONE, TWO, PLAIN, None), "");
    }

    #[test]
    fn a_listing_before_the_teaching_page_is_named() {
        let e = book(ONE, TWO, USES, None);
        assert!(
            e.contains(
                "src/ch01-01-one.md:5: listing `ch01-01-a` uses `std::sync::Condvar` \
                 (examples/ch01-01-a.rs:3 has `Condvar`), which is taught later, in \
                 ch01-02-two.md#waiting (index/ch01.toml:1): teach it before, or link to where \
                 it is taught from this page"
            ),
            "{e}"
        );
        assert_eq!(e.matches("\nsrc/").count(), 1, "{e}");
    }

    #[test]
    fn its_python_twin_counts_too() {
        let e = book(
            ONE,
            TWO,
            PLAIN,
            Some("import threading\n# threading.Condition\nc = threading.Condition()\n"),
        );
        assert!(
            e.contains(
                "src/ch01-01-one.md:5: listing `ch01-01-a` uses `std::sync::Condvar` \
                 (examples/python/ch01-01-a.py:3 has `threading.Condition`)"
            ),
            "{e}"
        );
        // Not when the page does not show the twin.
        let one = ONE.replace("ch01-01-a}}", "ch01-01-a no-twin}}");
        let py = "import threading\nc = threading.Condition()\n";
        let e = book(&one, TWO, PLAIN, Some(py));
        assert!(!e.contains("uses `"), "{e}");
    }

    #[test]
    fn a_link_to_the_teaching_page_allows_it() {
        for link in [
            "[Two](ch01-02-two.md)",
            "[waiting](ch01-02-two.md#waiting)",
            "[x](./ch01-02-two.md#two)",
        ] {
            let one = format!("{ONE}\nWaiting is explained in {link}.\n");
            assert_eq!(book(&one, TWO, USES, None), "", "{link}");
        }
        let one = format!("{ONE}\nSee [Three](ch01-03-three.md).\n");
        assert!(book(&one, TWO, USES, None).contains("src/ch01-01-one.md:5:"));
    }

    #[test]
    fn on_the_teaching_page_the_listing_comes_after_the_heading() {
        let two = "# Two\n\n{{#listing ch01-02-b}}\n\n## Waiting\n\nText.\n";
        let e = book(ONE, two, PLAIN, None);
        assert!(
            e.contains(
                "src/ch01-02-two.md:3: listing `ch01-02-b` uses `std::sync::Condvar` \
                 (examples/ch01-02-b.rs:3 has `Condvar`), which is taught further down this \
                 page, at #waiting"
            ),
            "{e}"
        );
        // A link to the heading, on that page, allows it; a link to another heading does not.
        let linked = format!("{two}\n[below](#waiting)\n");
        assert_eq!(book(ONE, &linked, PLAIN, None), "");
        let elsewhere = format!("{two}\n[top](#two)\n");
        assert!(book(ONE, &elsewhere, PLAIN, None).contains("src/ch01-02-two.md:3:"));
    }

    #[test]
    fn terms_have_no_patterns_and_output_only_shows_no_code() {
        let one = "# One\n\nFirst.\n\n{{#listing ch01-01-a output-only}}\n";
        // The page shows only the output of ch01-01-a, which uses Condvar: that is no use.
        let e = book(one, TWO, USES, None);
        assert!(!e.contains("uses `std::sync::Condvar`"), "{e}");
    }
}
