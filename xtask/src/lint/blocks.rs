//! What a page writes by hand: its Rust blocks, cmdrun directives and `{{#...}}` directives.
//! A listing, its Python twin and its output come from `{{#listing NAME}}`; what is left to
//! write by hand is a `compile_fail,EXXXX` snippet, an exercise's solution shown whole, a
//! chapter 6 timeline, a diagram drawn from a run, `{{#include}}` and `{{#quiz}}`.

use std::path::Path;

use course_book::directive;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::Page;
use super::includes::is_solution_file;
use super::markdown::{Block, code_blocks, is_rust, line_of};
use crate::compile_fail::is_error_code;
use crate::report::{Report, normalize};

/// Inline Rust blocks that are not a whole example, with the page's reason.
/// Format: (page, first line of the block). Keep it short; prefer a file in `examples/`.
pub const INLINE_ALLOWED: &[(&str, &str)] = &[];

/// Checks the code blocks, the cmdrun directives and the `{{#...}}` directives of a page.
pub fn check_page(page: &Page, report: &mut Report) {
    let text = &page.text;
    for block in code_blocks(text) {
        let attrs = block.attributes();
        if is_rust(&attrs) {
            check_rust_block(page, &attrs, &block, report);
        }
        for (offset, directive) in cmdrun_directives(&block.body) {
            let at = block.line + 1 + block.body[..offset].matches('\n').count();
            report.add(&page.path, at, hand_written_cmdrun(directive));
        }
    }
    // Outside code blocks, the one directive written by hand: a timeline, whose SVG the page
    // shows as an image.
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            for (_, directive) in cmdrun_directives(&html) {
                if !is_timeline_directive(directive) {
                    report.add(
                        &page.path,
                        line_of(text, range.start),
                        hand_written_cmdrun(directive),
                    );
                }
            }
        }
    }
    check_directive_names(page, report);
}

/// The directives allowed outside a code block: the benchmark's binary drawing a timeline
/// (`--strict ../target/book/<debug|release>/course-bench timeline NAME`), and the diagrams'
/// binary drawing a diagram from a real run (`... /course-diagrams NAME`), whose output is an
/// SVG image that belongs in the page itself, not in a text block.
fn is_timeline_directive(directive: &str) -> bool {
    let words: Vec<&str> = directive.split_whitespace().collect();
    let (program, name) = match words.as_slice() {
        ["--strict", program, "timeline", name] => (program.strip_suffix("/course-bench"), name),
        ["--strict", program, name] => (program.strip_suffix("/course-diagrams"), name),
        _ => return false,
    };
    let profile = program.and_then(|p| p.strip_prefix("../target/book/"));
    matches!(profile, Some("debug" | "release"))
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What to say about a cmdrun directive written by hand.
fn hand_written_cmdrun(directive: &str) -> String {
    format!(
        "`<!-- cmdrun {directive} -->` written by hand: a listing's output comes from \
         {{{{#listing NAME}}}} (or {{{{#listing NAME output-only args=\"...\"}}}}); only a \
         timeline, `<!-- cmdrun --strict ../target/book/release/course-bench timeline NAME -->`, \
         or a diagram drawn from a run, `<!-- cmdrun --strict \
         ../target/book/release/course-diagrams NAME -->`, stands alone outside a code block"
    )
}

/// The cmdrun directives in a text, with their byte offsets.
fn cmdrun_directives(body: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("<!--") {
        let start = from + start;
        let Some(end) = body[start..].find("-->") else {
            break;
        };
        let inner = body[start + 4..start + end].trim();
        if let Some(cmd) = inner.strip_prefix("cmdrun") {
            found.push((start, cmd.trim()));
        }
        from = start + end + 3;
    }
    found
}

/// The `{{#...}}` directives a page may use, outside code: `listing`, `include` (a solution,
/// a snippet of the benchmark, Markdown), `quiz` and `tool-index` (the index of tools, which the
/// book's preprocessor writes). Anything else is a typo mdBook would show as text.
fn check_directive_names(page: &Page, report: &mut Report) {
    let mut in_code = false;
    for (event, range) in Parser::new(&page.text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) if !in_code => {
                for found in directive::scan(&t) {
                    if !matches!(found.name, "listing" | "include" | "quiz" | "tool-index") {
                        report.add(
                            &page.path,
                            line_of(&page.text, range.start),
                            format!(
                                "unknown directive {{{{#{}: a page uses {{{{#listing NAME}}}}, \
                                 {{{{#include FILE}}}}, {{{{#quiz FILE}}}} or {{{{#tool-index}}}} \
                                 (the index page)",
                                found.name
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// A Rust block written on a page: a `compile_fail,EXXXX` snippet (which proves a compile
/// error by its code), a block named in [`INLINE_ALLOWED`], or an exercise's solution. A
/// listing is never written by hand: `{{#listing NAME}}` writes its block.
fn check_rust_block(page: &Page, attrs: &[&str], block: &Block, report: &mut Report) {
    let has_code = attrs.contains(&"compile_fail") && attrs.iter().any(|a| is_error_code(a));
    if check_solution_block(page, attrs, block, report) {
        return;
    }
    let first_line = block.body.lines().next().unwrap_or("");
    let page_name = page.path.to_string_lossy();
    let allowed = INLINE_ALLOWED
        .iter()
        .any(|(p, first)| page_name.ends_with(p) && first_line.trim() == first.trim());
    if block.body.contains("{{#rustdoc_include") || block.body.contains("{{#include") {
        report.add(
            &page.path,
            block.line,
            "a listing written by hand: show examples/NAME.rs with {{#listing NAME}}, which \
             writes its caption, block, Python twin and output",
        );
    } else if !(has_code || allowed) {
        report.add(
            &page.path,
            block.line,
            "a Rust block must be a listing ({{#listing NAME}}) or a `compile_fail,EXXXX` snippet",
        );
    }
}

/// An exercise's solution shown on its page: a `rust,ignore` block whose only line is
/// `{{#include ../exercises/NAME/solution/FILE.rs}}`. (`mdbook test` cannot compile a library
/// file without its package; `cargo xtask check NAME --solution` tests it.) Returns whether the
/// block is one; that the file exists is checked with the page's other includes.
fn check_solution_block(page: &Page, attrs: &[&str], block: &Block, report: &mut Report) -> bool {
    let lines: Vec<&str> = block
        .body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let [only] = lines[..] else {
        return false;
    };
    let whole_line = only.starts_with("{{#include ") && only.ends_with("}}");
    let Some(target) = directive::target(only, "include").filter(|_| whole_line) else {
        return false;
    };
    let page_dir = page.path.parent().unwrap_or(Path::new(""));
    let path = normalize(&page_dir.join(target));
    if target.contains(':') || !is_solution_file(&path) {
        report.add(
            &page.path,
            block.line,
            format!(
                "{target}: a Rust block may `#include` only an exercise's solution, whole \
                 (../exercises/NAME/solution/FILE.rs, no anchor)"
            ),
        );
    } else if attrs != ["rust", "ignore"] {
        report.add(
            &page.path,
            block.line,
            "an exercise's solution goes in a ```rust,ignore block: `mdbook test` cannot \
             compile it outside its package (`cargo xtask check NAME --solution` tests it)",
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, book, errors};

    #[test]
    fn an_inline_rust_block_is_refused_unless_compile_fail_with_a_code() {
        let page = format!(
            "{GOOD_PAGE}\n```rust\nfn main() {{}}\n```\n\n```rust,compile_fail,E0382\nfn main() {{}}\n```\n\n```\nlet x = 1;\n```\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains("src/ch01-01-one.md:13: a Rust block must be a listing"),
            "{e}"
        );
        assert!(
            !e.contains("src/ch01-01-one.md:17:"),
            "compile_fail,E0382 is allowed: {e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:21: a Rust block must be a listing"),
            "{e}"
        );
    }

    #[test]
    fn a_listing_or_its_output_written_by_hand_is_refused() {
        let page = "# One\n\n```rust\n{{#rustdoc_include ../examples/ch01-01-hi.rs}}\n```\n\n\
                    ```text\n<!-- cmdrun --strict ../target/book/release/examples/ch01-01-hi -->\n```\n\n\
                    ```python\n{{#include ../examples/python/ch01-01-hi.py}}\n```\n\n\
                    <!-- cmdrun --strict ../target/book/release/examples/ch01-01-hi -->\n";
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/python/ch01-01-hi.py", "print('hi')\n"),
        ]);
        assert!(
            e.contains("src/ch01-01-one.md:3: a listing written by hand"),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:8: `<!-- cmdrun --strict ../target/book/release/examples/ch01-01-hi -->` written by hand"),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:12: includes ../examples/python/ch01-01-hi.py by hand"),
            "{e}"
        );
        assert!(e.contains("src/ch01-01-one.md:15: `<!-- cmdrun"), "{e}");
    }

    #[test]
    fn a_timeline_or_a_diagram_may_stand_alone_and_nothing_else() {
        let page = format!(
            "{GOOD_PAGE}\n<!-- cmdrun --strict ../target/book/release/course-bench timeline threads -->\n\n\
             <!-- cmdrun --strict ../target/book/release/course-bench timeline a|sh -->\n\n\
             <!-- cmdrun --strict ../target/book/release/course-bench mem threads 10 -->\n\n\
             <!-- cmdrun ../target/book/release/course-bench timeline pool -->\n\n\
             <!-- cmdrun --strict ../target/book/other/course-bench timeline pool -->\n\n\
             <figure class=\"diagram\"><!-- cmdrun --strict ../target/book/release/course-diagrams downloads --></figure>\n\n\
             <!-- cmdrun --strict ../target/book/release/course-diagrams a|sh -->\n\n\
             <!-- cmdrun --strict ../target/book/release/course-bench downloads -->\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e.matches("written by hand").count(), 6, "{e}");
        for allowed in [13, 23] {
            assert!(
                !e.contains(&format!("src/ch01-01-one.md:{allowed}:")),
                "a timeline and a diagram are allowed: {e}"
            );
        }
        for line in [15, 17, 19, 21, 25, 27] {
            assert!(
                e.contains(&format!("src/ch01-01-one.md:{line}: `<!-- cmdrun")),
                "{e}"
            );
        }
    }

    /// A page showing an exercise's solution.
    const SOLUTION_PAGE: &str =
        "# Exercise\n\n```rust,ignore\n{{#include ../exercises/ex/solution/lib.rs}}\n```\n";

    #[test]
    fn an_exercise_solution_is_shown_whole_in_a_rust_ignore_block() {
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Exercise](ch01-ex.md)\n";
        let files = [
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch01-ex.md", SOLUTION_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("exercises/ex/src/lib.rs", "pub fn f() {\n    todo!()\n}\n"),
            ("exercises/ex/solution/lib.rs", "pub fn f() {}\n"),
        ];
        assert_eq!(crate::lint::check_sources(book(&files).path()).unwrap(), 1);

        let page = SOLUTION_PAGE.replace("rust,ignore", "rust");
        let mut bad = files;
        bad[2].1 = &page;
        let e = errors(&bad);
        assert!(
            e.contains("src/ch01-ex.md:3: an exercise's solution goes in a ```rust,ignore"),
            "{e}"
        );

        // A solution that no page shows.
        let mut unshown = files;
        unshown[2].1 = "# Exercise\n";
        let e = errors(&unshown);
        assert!(
            e.contains("exercises/ex/solution/lib.rs:1: no page in src/SUMMARY.md shows this"),
            "{e}"
        );
    }

    #[test]
    fn rust_ignore_is_no_way_around_the_rules() {
        let page = format!(
            "{GOOD_PAGE}\n```rust,ignore\nfn main() {{}}\n```\n\n\
             ```rust,ignore\n{{{{#include ../exercises/ex/src/lib.rs}}}}\n```\n\n\
             ```rust,ignore\n{{{{#include ../exercises/ex/solution/lib.rs:here}}}}\n```\n\n\
             ```rust,ignore\n{{{{#include ../exercises/ex/solution/nope.rs}}}}\n```\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("exercises/ex/src/lib.rs", "pub fn f() {}\n"),
        ]);
        assert!(
            e.contains("src/ch01-01-one.md:13: a Rust block must be a listing"),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:17: ../exercises/ex/src/lib.rs: a Rust block may `#include` only an exercise's solution"),
            "{e}"
        );
        assert!(
            e.contains(
                "src/ch01-01-one.md:21: ../exercises/ex/solution/lib.rs:here: a Rust block may"
            ),
            "{e}"
        );
        assert!(
            e.contains(
                "src/ch01-01-one.md:26: includes ../exercises/ex/solution/nope.rs, which does not exist"
            ),
            "{e}"
        );
    }
}
