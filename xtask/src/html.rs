//! Checks of the book that `mdbook build` wrote to `book/`, read with an HTML parser
//! (scraper): what only the built pages can tell.
//!
//! - no `cmdrun error` (an example failed while the book was built: mdbook-cmdrun pastes the
//!   error and the build still succeeds);
//! - no directive left unprocessed: a `<!-- cmdrun ... -->` comment, or a `{{#listing` in the
//!   text outside code;
//! - no empty output block (`<code class="language-text">` holding nothing);
//! - every link of a page's content (`<main>`) to another file of the book reaches a file that
//!   exists and, with `#anchor`, an element with that id: the ids mdBook gave the headings,
//!   so the check needs no copy of mdBook's heading-id rules. (`print.html`, which repeats
//!   every page, is left out of the link check.) That covers the index of tools too: each of
//!   its entries links to the heading that teaches the tool;
//! - the index of tools (`<div class="tool-index">`, written by the book's preprocessor for
//!   `{{#tool-index}}`) is on one page and has exactly one entry per declaration of
//!   `index/*.toml`, named as declared.

use course_book::layout::BUILT_BOOK;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use crate::report::{Report, files_with_ext, normalize};

/// Checks the HTML that `mdbook build` wrote to `root/book/`.
pub fn check_built_book(root: &Path) -> Result<()> {
    let book = root.join(BUILT_BOOK);
    let mut report = Report::default();
    let mut pages = BTreeMap::new();
    for file in files_with_ext(&book, "html") {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let relative = file.strip_prefix(&book).unwrap_or(&file).to_path_buf();
        pages.insert(relative, Html::parse_document(&text));
    }
    if pages.is_empty() {
        report.add(Path::new(BUILT_BOOK), 0, "the built book has no pages");
    }
    for (file, html) in &pages {
        check_page(&Path::new(BUILT_BOOK).join(file), html, &mut report);
    }
    check_links(&book, &pages, &mut report);
    check_tool_index(root, &pages, &mut report);
    report.into_result(())
}

/// The index of tools has one entry (`li`) per declared tool, its first link naming it.
fn check_tool_index(root: &Path, pages: &BTreeMap<PathBuf, Html>, report: &mut Report) {
    let (tools, _) = course_book::index::read_dir(root); // (`cargo xtask lint` names problems)
    let entries = selector("div.tool-index li");
    let first_link = selector("a");
    let shown: Vec<(&PathBuf, Vec<String>)> = pages
        .iter()
        .filter(|(file, _)| *file != Path::new("print.html"))
        .filter_map(|(file, html)| {
            let names: Vec<String> = html
                .select(&entries)
                .map(|li| {
                    li.select(&first_link)
                        .next()
                        .map(|a| a.text().collect::<String>())
                        .unwrap_or_default()
                })
                .collect();
            html.select(&selector("div.tool-index"))
                .next()
                .map(|_| (file, names))
        })
        .collect();
    if tools.is_empty() && shown.is_empty() {
        return;
    }
    let [(file, names)] = shown.as_slice() else {
        let files: Vec<String> = shown.iter().map(|(f, _)| f.display().to_string()).collect();
        report.add(
            Path::new(BUILT_BOOK),
            0,
            format!(
                "the index of tools ({{{{#tool-index}}}}) must be on exactly one page; it is on: [{}]",
                files.join(", ")
            ),
        );
        return;
    };
    let shown_in = Path::new(BUILT_BOOK).join(file);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    for tool in &tools {
        match counts.remove(tool.name.as_str()) {
            Some(1) => {}
            None => report.add(
                &shown_in,
                0,
                format!(
                    "the index of tools has no entry for `{}` ({}:{})",
                    tool.name,
                    tool.file.display(),
                    tool.line
                ),
            ),
            Some(n) => report.add(
                &shown_in,
                0,
                format!("the index of tools has {n} entries for `{}`", tool.name),
            ),
        }
    }
    for (name, _) in counts {
        report.add(
            &shown_in,
            0,
            format!("the index of tools has an entry `{name}` that no index/*.toml declares"),
        );
    }
}

/// How many Rust blocks of the built book `mdbook test` tests: every `language-rust` block of
/// a page (not `print.html`, which repeats them all) whose classes do not include `ignore`.
/// mdBook writes a block's info string as its classes (`rust,compile_fail,E0277` gives
/// `language-rust compile_fail E0277`), and rustdoc skips only `ignore` blocks.
pub fn tested_rust_blocks(root: &Path) -> Result<usize> {
    let book = root.join(BUILT_BOOK);
    let blocks = selector("code[class~=language-rust]");
    let mut n = 0;
    for file in files_with_ext(&book, "html") {
        if file.file_name().is_some_and(|f| f == "print.html") {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        n += Html::parse_document(&text)
            .select(&blocks)
            .filter(|code| !code.value().classes().any(|c| c == "ignore"))
            .count();
    }
    Ok(n)
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// The id of the last heading before each node, to say where on the page a problem is.
fn section(of: ElementRef) -> String {
    let heading = of
        .ancestors()
        .chain(
            std::iter::successors(Some(*of), |n| n.prev_sibling().or_else(|| n.parent())).skip(1),
        )
        .filter_map(ElementRef::wrap)
        .find(|e| matches!(e.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"));
    match heading.and_then(|h| h.value().id()) {
        Some(id) => format!("in #{id}: "),
        None => String::new(),
    }
}

/// What can be wrong inside one page.
fn check_page(shown: &Path, html: &Html, report: &mut Report) {
    for node in html.tree.nodes() {
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        let in_code = parent
            .ancestors()
            .chain(std::iter::once(*parent))
            .filter_map(ElementRef::wrap)
            .any(|e| matches!(e.value().name(), "code" | "pre"));
        let problem = match node.value() {
            Node::Comment(c) if c.trim_start().starts_with("cmdrun") => {
                Some("a cmdrun directive was not run (is mdbook-cmdrun on PATH?)")
            }
            Node::Text(t) if t.contains("cmdrun error") => {
                Some("an example failed while the book was built")
            }
            Node::Text(t) if t.contains("<!-- cmdrun") => {
                Some("a cmdrun directive was not run (is mdbook-cmdrun on PATH?)")
            }
            Node::Text(t) if t.contains("{{#listing") && !in_code => {
                Some("a listing directive was not expanded (did the listing preprocessor run?)")
            }
            Node::Text(t) if t.contains("{{#tool-index") && !in_code => {
                Some("the index directive was not expanded (did the listing preprocessor run?)")
            }
            _ => None,
        };
        if let Some(why) = problem {
            report.add(shown, 0, format!("{}{why}", section(parent)));
        }
    }
    for code in html.select(&selector("code.language-text")) {
        if code.text().collect::<String>().trim().is_empty() {
            report.add(
                shown,
                0,
                format!("{}an output block is empty", section(code)),
            );
        }
    }
}

/// Every link in a page's `<main>` to a file of the book reaches it, and its `#anchor` an id.
fn check_links(book: &Path, pages: &BTreeMap<PathBuf, Html>, report: &mut Report) {
    let any_id = selector("[id]");
    let ids: BTreeMap<&PathBuf, BTreeSet<&str>> = pages
        .iter()
        .map(|(file, html)| {
            let ids = html
                .select(&any_id)
                .filter_map(|e| e.value().id())
                .collect();
            (file, ids)
        })
        .collect();
    let links = selector("main a[href]");
    for (file, html) in pages {
        if file == Path::new("print.html") {
            continue;
        }
        let shown = Path::new(BUILT_BOOK).join(file);
        for a in html.select(&links) {
            let href = a.value().attr("href").unwrap_or("");
            if href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("javascript:")
            {
                continue;
            }
            let (target, anchor) = match href.split_once('#') {
                Some((target, anchor)) => (target, Some(percent_decode(anchor))),
                None => (href, None),
            };
            let target = target.split('?').next().unwrap_or("");
            let target_file = if target.is_empty() {
                file.clone()
            } else {
                normalize(&file.parent().unwrap_or(Path::new("")).join(target))
            };
            let where_ = section(a);
            if !book.join(&target_file).is_file() {
                report.add(
                    &shown,
                    0,
                    format!("{where_}the link {href} points to no file of the book"),
                );
                continue;
            }
            if let (Some(anchor), Some(target_ids)) = (anchor, ids.get(&target_file))
                && !anchor.is_empty()
                && !target_ids.contains(anchor.as_str())
            {
                report.add(
                    &shown,
                    0,
                    format!(
                        "{where_}the link {href} points to no heading: {} has no id `{anchor}`",
                        target_file.display()
                    ),
                );
            }
        }
    }
}

/// `%20` and the like, decoded (an id with other characters than ASCII letters and digits
/// may be percent-encoded in a link).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::tests::book;

    fn errors(files: &[(&str, &str)]) -> String {
        match check_built_book(book(files).path()) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_tested_blocks_are_the_rust_ones_not_ignored_outside_print_html() {
        let rust = "<pre><code class=\"language-rust edition2024\">fn main() {}</code></pre>";
        let page = format!(
            "<main>{rust}<pre><code class=\"language-rust compile_fail E0277\">x</code></pre>\
             <pre><code class=\"language-rust ignore\">y</code></pre>\
             <pre><code class=\"language-python\">z</code></pre>\
             <pre><code class=\"language-rustacean\">w</code></pre></main>"
        );
        let dir = book(&[
            ("book/ch01.html", &page),
            ("book/ch02.html", &format!("<main>{rust}</main>")),
            ("book/print.html", &format!("<main>{page}{rust}</main>")),
        ]);
        assert_eq!(tested_rust_blocks(dir.path()).unwrap(), 3);
    }

    #[test]
    fn the_built_book_must_not_hold_cmdrun_errors() {
        let e = errors(&[(
            "book/ch01.html",
            "<main><h1 id=\"one\">One</h1><p>ok</p>\n<code>**cmdrun error**: boom</code></main>",
        )]);
        assert!(
            e.contains("book/ch01.html: in #one: an example failed"),
            "{e}"
        );
    }

    #[test]
    fn an_empty_output_block_or_an_unprocessed_directive_is_named() {
        let e = errors(&[(
            "book/ch02.html",
            "<main><h2 id=\"a\">A</h2><pre><code class=\"language-text\">ok\n</code></pre>\n\
             <h2 id=\"b\">B</h2><pre><code class=\"language-text\">\n</code></pre>\n\
             <!-- cmdrun --strict ../x -->\n<pre><code>&lt;!-- cmdrun y --&gt;</code></pre>\n\
             <p>{{#listing ch02-01-x}}</p><p><code>{{#listing NAME}}</code></p>\
             <p>{{#tool-index}}</p><pre><code>{{#tool-index}}</code></pre></main>",
        )]);
        assert!(
            e.contains("book/ch02.html: in #b: an output block is empty"),
            "{e}"
        );
        assert_eq!(
            e.matches("a cmdrun directive was not run").count(),
            2,
            "{e}"
        );
        assert_eq!(
            e.matches("a listing directive was not expanded").count(),
            1,
            "{e}"
        );
        assert_eq!(
            e.matches("the index directive was not expanded").count(),
            1,
            "{e}"
        );
        assert!(!e.contains("in #a: an output"), "{e}");
    }

    #[test]
    fn links_must_reach_a_file_and_an_id() {
        let e = errors(&[
            (
                "book/ch01.html",
                "<main><h1 id=\"one\">One</h1><h2 id=\"caf\u{e9}\">Café</h2>\n\
                 <a href=\"ch02.html\">ok</a> <a href=\"ch02.html#two\">ok</a> <a href=\"#one\">ok</a>\n\
                 <a href=\"#caf%C3%A9\">ok</a> <a href=\"https://example.org/#x\">ok</a>\n\
                 <a href=\"ch05.html\">bad</a> <a href=\"ch02.html#nope\">bad</a> <a href=\"#none\">bad</a>\n\
                 </main><nav><a href=\"#outside-main\">not checked</a></nav>",
            ),
            ("book/ch02.html", "<main><h1 id=\"two\">Two</h1></main>"),
            (
                "book/print.html",
                "<main><a href=\"#anything\">print</a></main>",
            ),
        ]);
        assert_eq!(e.matches("\nbook/").count(), 3, "{e}");
        assert!(
            e.contains("book/ch01.html: in #café: the link ch05.html points to no file"),
            "{e}"
        );
        assert!(
            e.contains("the link ch02.html#nope points to no heading: ch02.html has no id `nope`"),
            "{e}"
        );
        assert!(e.contains("the link #none points to no heading"), "{e}");
    }

    const DECLARED: &str = "[[tool]]\nname = \"std::sync::Condvar\"\npage = \"a.md\"\nanchor = \"x\"\n\n\
                            [[tool]]\nname = \"Amdahl's law\"\npage = \"a.md\"\nanchor = \"y\"\n";

    #[test]
    fn the_index_page_has_one_entry_per_declaration() {
        let entry = |name: &str| {
            format!("<li><a href=\"a.html#x\">{name}</a>: taught in <a href=\"a.html\">A</a></li>")
        };
        let page = |entries: &[String]| {
            format!(
                "<main><h1 id=\"i\">Index</h1><div class=\"tool-index\"><ul>{}</ul></div></main>",
                entries.concat()
            )
        };
        let target = "<main><h1 id=\"x\">X</h1><h2 id=\"y\">Y</h2></main>";
        let good = page(&[
            entry("<code>std::sync::Condvar</code>"),
            entry("Amdahl's law"),
        ]);
        let e = errors(&[
            ("index/ch01.toml", DECLARED),
            ("book/a.html", target),
            ("book/tool-index.html", &good),
        ]);
        assert_eq!(e, "");

        let bad = page(&[
            entry("Amdahl\u{2019}s law"),
            entry("Condvar"),
            entry("Condvar"),
        ]);
        let e = errors(&[
            ("index/ch01.toml", DECLARED),
            ("book/a.html", target),
            ("book/tool-index.html", &bad),
        ]);
        for want in [
            "book/tool-index.html: the index of tools has no entry for `std::sync::Condvar` (index/ch01.toml:1)",
            "book/tool-index.html: the index of tools has no entry for `Amdahl's law`",
            "book/tool-index.html: the index of tools has an entry `Condvar` that no",
            "book/tool-index.html: the index of tools has an entry `Amdahl\u{2019}s law` that no",
        ] {
            assert!(e.contains(want), "{want}\n{e}");
        }

        // Declarations and no index page (or two).
        let e = errors(&[("index/ch01.toml", DECLARED), ("book/a.html", target)]);
        assert!(
            e.contains("must be on exactly one page; it is on: []"),
            "{e}"
        );
        let e = errors(&[
            ("index/ch01.toml", DECLARED),
            ("book/a.html", &good),
            ("book/tool-index.html", &good),
        ]);
        assert!(e.contains("it is on: [a.html, tool-index.html]"), "{e}");
    }

    #[test]
    fn an_empty_book_is_named() {
        let e = errors(&[("book/.keep", "")]);
        assert!(e.contains("book: the built book has no pages"), "{e}");
    }
}
