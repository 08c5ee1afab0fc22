//! Listings: each is shown with `{{#listing NAME}}`, which names an example of the page's
//! `chNN-MM`; an example has no line the page would hide.

use std::path::{Path, PathBuf};

use course_book::directive::{self, prefix};

use super::Page;
use crate::report::Report;

/// Checks the `{{#listing}}` directives of a page and the blocks written by hand on it
/// ([`super::blocks`]); returns the files of `examples/` it shows.
pub fn check_page(root: &Path, page: &Page, report: &mut Report) -> Vec<PathBuf> {
    let page_stem = page.path.file_stem().unwrap_or_default().to_string_lossy();
    let mut shown = Vec::new();
    for found in directive::listings(&page.text) {
        let listing = match found.listing {
            Ok(listing) => listing,
            Err(message) => {
                report.add(&page.path, found.line, message);
                continue;
            }
        };
        let name = &listing.name;
        let rust = PathBuf::from(format!("examples/{name}.rs"));
        if !root.join(&rust).is_file() {
            report.add(
                &page.path,
                found.line,
                format!("unknown listing `{name}`: there is no examples/{name}.rs"),
            );
            continue;
        }
        let page_prefix = prefix(&page_stem);
        if prefix(name) != page_prefix {
            report.add(
                &page.path,
                found.line,
                format!(
                    "listing `{name}` is shown on {}: a listing is named after the page that \
                     shows it ({}-topic)",
                    page.path.display(),
                    page_prefix.unwrap_or("a chNN-MM page, so chNN-MM")
                ),
            );
        }
        if listing.output_only {
            continue;
        }
        let python = PathBuf::from(format!("examples/python/{name}.py"));
        if !listing.no_twin && root.join(&python).is_file() {
            shown.push(python);
        }
        shown.push(rust);
    }
    super::blocks::check_page(page, report);
    shown
}

/// How wide a listing's or a twin's lines may be: two columns of 78 fit side by side on the
/// page (STYLE.md); a wider line puts the twin below its listing.
const MAX_COLUMNS: usize = 78;

/// A file a page shows, read once: an example (`.rs`) must not contain lines that rustdoc and
/// mdBook hide (`# ...` or a lone `#`), since the copy button would leave them out; and every
/// line of a listing or Python twin (`examples/**`) fits in [`MAX_COLUMNS`] characters.
pub fn check_example_file(root: &Path, file: &Path, report: &mut Report) {
    let Ok(text) = std::fs::read_to_string(root.join(file)) else {
        return;
    };
    let rust = file.extension().is_some_and(|e| e == "rs");
    let listing = file.starts_with("examples");
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if rust && (trimmed == "#" || trimmed.starts_with("# ")) {
            report.add(
                file,
                i + 1,
                "this line would be hidden on the page (it starts with `# `), so a reader who \
                 copies the listing would not get it",
            );
        }
        let width = line.chars().count();
        if listing && width > MAX_COLUMNS {
            report.add(
                file,
                i + 1,
                format!(
                    "{width} columns: listings and twins keep to {MAX_COLUMNS}, so that a \
                     listing and its twin fit side by side"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, errors};

    #[test]
    fn listings_and_twins_keep_to_78_columns() {
        let fits = format!("fn main() {{\n    // {}\n}}\n", "é".repeat(71));
        let wide = format!("fn main() {{\n    // {}\n}}\n", "x".repeat(72));
        let twin = format!("# {}\nprint('hi')\n", "y".repeat(77));
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", &wide),
            ("examples/python/ch01-01-hi.py", &twin),
        ]);
        assert!(e.contains("examples/ch01-01-hi.rs:2: 79 columns"), "{e}");
        assert!(
            e.contains("examples/python/ch01-01-hi.py:1: 79 columns"),
            "{e}"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", &fits),
        ]);
        assert!(!e.contains("columns"), "{e}");
    }

    #[test]
    fn listing_rules() {
        let page = "# One\n\n{{#listing ch01-01-hi}}\n\n{{#listing ch01-01-nope}}\n\n\
                    {{#listing ch01-01-hi loud}}\n\n{{#listing ch02-01-elsewhere}}\n\n\
                    ```markdown\n{{#listing not-checked-in-code}}\n```\n\n\
                    Say `{{#listing NAME}}` inline; {{#lsting ch01-01-hi}}\n";
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/ch02-01-elsewhere.rs", EXAMPLE),
        ]);
        assert!(
            e.contains("src/ch01-01-one.md:5: unknown listing `ch01-01-nope`"),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:7: unknown option `loud`"),
            "{e}"
        );
        assert!(
            e.contains(
                "src/ch01-01-one.md:9: listing `ch02-01-elsewhere` is shown on src/ch01-01-one.md: \
                 a listing is named after the page that shows it (ch01-01-topic)"
            ),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:15: unknown directive {{#lsting"),
            "{e}"
        );
        assert_eq!(e.matches("\nsrc/ch01-01-one.md:").count(), 4, "{e}");
    }

    #[test]
    fn a_hidden_line_in_an_example_is_named() {
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            (
                "examples/ch01-01-hi.rs",
                "fn main() {\n    # println!();\n}\n",
            ),
        ]);
        assert!(
            e.contains("examples/ch01-01-hi.rs:2: this line would be hidden"),
            "{e}"
        );
    }
}
