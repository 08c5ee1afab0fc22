//! `{{#tool-index}}`, on a line of its own: the index of tools, from the declarations in
//! `index/*.toml` (read by [`course_book::index`]).
//!
//! The tools are sorted by the last part of their name, case ignored
//! ([`course_book::index::sort_key`]: `std::sync::Condvar` under C, `tokio::select!` under S),
//! and grouped under a heading per letter. Each entry is one list item: the tool's name (an API
//! in code type, a term in plain type, marked "term"), linking to the heading that teaches it;
//! the page that teaches it; then the pages that use it, in the book's order, as links: a page
//! uses a tool when one of its listings (or the Python twin it shows) matches the tool's
//! patterns, or when it links to the tool's teaching heading. The whole index is in a
//! `<div class="tool-index">` (`theme/course.css`); `cargo xtask build` checks that the built
//! page has one entry per declaration and that every link reaches a heading.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use course_book::index::{self, Tool};

/// A page of the book as the preprocessor sees it.
pub struct BookPage {
    /// Its file, relative to `src/`: `ch03-09-waiting.md`.
    pub path: String,
    /// Its number and title, as the table of contents shows them: `3.6. Waiting for a condition`.
    pub title: String,
    /// Its Markdown, before any preprocessor ran.
    pub content: String,
}

/// The Markdown of the index, or every problem (`file:line: message`).
pub fn render(root: &Path, pages: &[BookPage]) -> Result<String, Vec<String>> {
    let (tools, problems) = index::read_dir(root);
    let mut errors: Vec<String> = problems
        .into_iter()
        .map(|p| format!("{}:{}: {}", p.file.display(), p.line, p.message))
        .collect();
    let position: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    for tool in &tools {
        if !position.contains_key(tool.page.as_str()) {
            errors.push(format!(
                "{}:{}: `{}`: its page {} is not in the book",
                tool.file.display(),
                tool.line,
                tool.name,
                tool.page
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let used_in = uses(root, pages, &tools);

    let mut order: Vec<usize> = (0..tools.len()).collect();
    order.sort_by_cached_key(|&t| {
        let name = &tools[t].name;
        (index::sort_key(name), name.to_lowercase(), name.clone())
    });
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for t in order {
        let label = group_label(&tools[t].name);
        match groups.last_mut() {
            Some((last, members)) if *last == label => members.push(t),
            _ => groups.push((label, vec![t])),
        }
    }

    let mut md = String::from("<div class=\"tool-index\">\n\n");
    if tools.is_empty() {
        md.push_str("*No tool is declared yet (see `index/README.md`).*\n\n</div>\n");
        return Ok(md);
    }
    let letters: Vec<String> = groups
        .iter()
        .map(|(label, _)| format!("[{label}](#{})", label.to_lowercase()))
        .collect();
    let _ = writeln!(md, "{}\n", letters.join(" · "));
    for (label, members) in &groups {
        let _ = writeln!(md, "## {label}\n");
        for &t in members {
            let tool = &tools[t];
            let taught = &pages[position[tool.page.as_str()]];
            let name = if tool.is_term() {
                format!(
                    "[{}]({}#{}) <span class=\"tool-term\">term</span>",
                    escape_text(&tool.name),
                    tool.page,
                    tool.anchor
                )
            } else {
                format!("[{}]({}#{})", code_span(&tool.name), tool.page, tool.anchor)
            };
            let _ = write!(md, "- {name}: taught in {}", escape_text(&taught.title));
            let users: Vec<String> = used_in[t]
                .iter()
                .map(|&p| format!("[{}]({})", escape_text(&pages[p].title), pages[p].path))
                .collect();
            if !users.is_empty() {
                let _ = write!(md, "; used in {}", users.join(", "));
            }
            md.push('\n');
        }
        md.push('\n');
    }
    md.push_str("</div>\n");
    Ok(md)
}

/// For each tool, the pages that use it (in the book's order), its teaching page left out, and
/// pages that show the index too.
fn uses(root: &Path, pages: &[BookPage], tools: &[Tool]) -> Vec<BTreeSet<usize>> {
    let mut used_in = vec![BTreeSet::new(); tools.len()];
    for (p, page) in pages.iter().enumerate() {
        if !index::directive_lines(&page.content).is_empty() {
            continue;
        }
        for used in index::listing_uses(root, &page.content, tools) {
            used_in[used.tool].insert(p);
        }
        for link in index::links(&page.path, &page.content) {
            for (t, tool) in tools.iter().enumerate() {
                if link.page == tool.page && link.anchor.as_deref() == Some(tool.anchor.as_str()) {
                    used_in[t].insert(p);
                }
            }
        }
    }
    for (t, tool) in tools.iter().enumerate() {
        if let Some(p) = pages.iter().position(|page| page.path == tool.page) {
            used_in[t].remove(&p);
        }
    }
    used_in
}

/// The heading a tool is listed under: the first letter of its sort key, or `Other`.
fn group_label(name: &str) -> String {
    match index::sort_key(name).chars().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "Other".to_string(),
    }
}

/// `name` as Markdown code, whatever backticks it holds.
fn code_span(name: &str) -> String {
    let longest = name.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{name}{fence}")
    } else {
        format!("{fence} {name} {fence}")
    }
}

/// `text` as Markdown text that shows exactly it: every ASCII punctuation character escaped,
/// so no emphasis, link or HTML starts, and smart punctuation leaves quotes and dashes alone.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Replaces each `{{#tool-index}}` line of `text` by `index`.
pub fn expand(text: &str, index: &str) -> String {
    let lines = index::directive_lines(text);
    let mut out = String::with_capacity(text.len() + index.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if lines.contains(&(n + 1)) {
            out.push_str(index);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn page(path: &str, title: &str, content: &str) -> BookPage {
        BookPage {
            path: path.into(),
            title: title.into(),
            content: content.into(),
        }
    }

    const INDEX: &str = "[[tool]]\nname = \"std::sync::Condvar\"\npage = \"ch03-09-waiting.md\"\n\
        anchor = \"waiting\"\nrust = [\"Condvar\"]\n\n\
        [[tool]]\nname = \"tokio::select!\"\npage = \"ch04-04-join-select.md\"\nanchor = \"select\"\n\
        rust = [\"select!\"]\n\n\
        [[tool]]\nname = \"cancel safety\"\npage = \"ch04-09-cancellation.md\"\nanchor = \"safe\"\n\n\
        [[tool]]\nname = \"multiprocessing.Pool\"\npage = \"ch02-11-pool.md\"\nanchor = \"pool\"\n\
        python = [\"Pool\"]\n\n\
        [[tool]]\nname = \"Amdahl's law -- *really*\"\npage = \"ch02-11-pool.md\"\nanchor = \"amdahl\"\n";

    fn book() -> Vec<BookPage> {
        vec![
            page(
                "ch02-11-pool.md",
                "2.6. A pool",
                "# Pool\n\n{{#listing ch02-11-pool}}\n",
            ),
            page(
                "ch03-09-waiting.md",
                "3.6. Waiting for a condition",
                "# Waiting\n\nSee [safety](ch04-09-cancellation.md#safe).\n",
            ),
            page(
                "ch03-08-channels.md",
                "3.8. Channels",
                "# Channels\n\n{{#listing ch03-08-c}}\n\n[Pool](ch02-11-pool.md) [law](ch02-11-pool.md#amdahl)\n",
            ),
            page(
                "ch04-04-join-select.md",
                "4.4. Waiting on several things",
                "# J\n",
            ),
            page(
                "ch04-09-cancellation.md",
                "4.7. Cancellation safety",
                "# C\n\n{{#listing ch04-09-c}}\n",
            ),
            page(
                "tool-index.md",
                "Index of tools",
                "# Index\n\n{{#tool-index}}\n",
            ),
        ]
    }

    #[test]
    fn the_index_lists_each_tool_once_sorted_with_its_pages() {
        let dir = root(&[
            ("index/chapters.toml", INDEX),
            ("examples/ch02-11-pool.rs", "fn main() {}\n"),
            (
                "examples/python/ch02-11-pool.py",
                "from multiprocessing import Pool\n",
            ),
            (
                "examples/ch03-08-c.rs",
                "// select! in a comment\nfn main() { Condvar::new(); }\n",
            ),
            (
                "examples/ch04-09-c.rs",
                "fn main() { tokio::select! {} Condvar::new(); }\n",
            ),
        ]);
        let md = render(dir.path(), &book()).unwrap();
        assert_eq!(
            md,
            "<div class=\"tool-index\">\n\n\
             [A](#a) · [C](#c) · [P](#p) · [S](#s)\n\n\
             ## A\n\n\
             - [Amdahl\\'s law \\-\\- \\*really\\*](ch02-11-pool.md#amdahl) <span class=\"tool-term\">term</span>: \
             taught in 2\\.6\\. A pool; used in [3\\.8\\. Channels](ch03-08-channels.md)\n\n\
             ## C\n\n\
             - [cancel safety](ch04-09-cancellation.md#safe) <span class=\"tool-term\">term</span>: \
             taught in 4\\.7\\. Cancellation safety; used in [3\\.6\\. Waiting for a condition](ch03-09-waiting.md)\n\
             - [`std::sync::Condvar`](ch03-09-waiting.md#waiting): taught in 3\\.6\\. Waiting for a \
             condition; used in [3\\.8\\. Channels](ch03-08-channels.md), [4\\.7\\. Cancellation safety](ch04-09-cancellation.md)\n\n\
             ## P\n\n\
             - [`multiprocessing.Pool`](ch02-11-pool.md#pool): taught in 2\\.6\\. A pool\n\n\
             ## S\n\n\
             - [`tokio::select!`](ch04-04-join-select.md#select): taught in 4\\.4\\. Waiting on \
             several things; used in [4\\.7\\. Cancellation safety](ch04-09-cancellation.md)\n\n\
             </div>\n"
        );
    }

    #[test]
    fn bad_declarations_stop_the_build_with_file_and_line() {
        let bad = format!(
            "{INDEX}\n[[tool]]\nname = \"x\"\npage = \"ch05-01-nope.md\"\nanchor = \"a\"\n"
        );
        let dir = root(&[("index/ch01.toml", &bad)]);
        let errors = render(dir.path(), &book()).unwrap_err();
        assert_eq!(
            errors,
            ["index/ch01.toml:29: `x`: its page ch05-01-nope.md is not in the book"]
        );
    }

    #[test]
    fn no_declaration_is_said() {
        let dir = root(&[]);
        let md = render(dir.path(), &book()).unwrap();
        assert!(md.contains("No tool is declared yet"), "{md}");
    }

    #[test]
    fn the_directive_line_is_replaced() {
        let text = "# Index\n\nIntro.\n\n{{#tool-index}}\n\n```md\n{{#tool-index}}\n```\n";
        assert_eq!(
            expand(text, "INDEX\n"),
            "# Index\n\nIntro.\n\nINDEX\n\n```md\n{{#tool-index}}\n```\n"
        );
    }

    #[test]
    fn names_are_shown_exactly() {
        assert_eq!(code_span("a`b"), "`` a`b ``");
        assert_eq!(code_span("Condvar"), "`Condvar`");
        // Rendered as mdBook renders the book (smart punctuation on), the text is the name.
        let md = format!(
            "{} {}",
            escape_text("Amdahl's \"law\" -- [x] <b> *y* ..."),
            code_span("#[tokio::main]")
        );
        let mut html = String::new();
        let parser =
            pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION);
        pulldown_cmark::html::push_html(&mut html, parser);
        assert_eq!(
            html,
            "<p>Amdahl's \"law\" -- [x] &lt;b&gt; *y* ... <code>#[tokio::main]</code></p>\n"
        );
    }
}
