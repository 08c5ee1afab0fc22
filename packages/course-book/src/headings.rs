//! The ids mdBook 0.4.52 gives the headings of a page, worked out the way it does, so that a
//! declaration in `index/*.toml` can be checked without building the book.
//!
//! mdBook first expands `{{#include}}` and `{{#rustdoc_include}}` (its `links` preprocessor;
//! here [`expand_includes`]), renders the page with pulldown-cmark (tables, footnotes,
//! strikethrough, task lists, heading attributes, and smart punctuation when `[output.html]
//! smart-punctuation` is on: `--` becomes a dash, which an id drops), then runs one regular
//! expression over the whole rendered page,
//! `<h(\d)(?: id="([^"]+)")?(?: class="([^"]+)")?>(.*?)</h\d>` (one line), and gives each
//! match without an id one made from its inner HTML (`utils::unique_id_from_content`):
//!
//! 1. tags (`<...>`) removed, then the entities `&lt;` `&gt;` `&amp;` `&#39;` `&quot;`;
//! 2. trimmed, leading `#` removed, trimmed again;
//! 3. each character kept if it is alphanumeric (ASCII letters lowercased, others kept as
//!    they are), `_` or `-`; whitespace becomes `-`; anything else is dropped;
//! 4. the second heading with the same id gets `-1`, the third `-2`...
//!
//! A heading written `## Title {#custom}` keeps its id and counts for nothing; one with other
//! attributes (`{data-x=1}`) is not matched by that expression and gets no id. A heading in
//! raw HTML (`<h2>...</h2>`, one line) gets one like any other.
//!
//! The same pulldown-cmark renders the page here (0.13 where mdBook has 0.10: they escape the
//! same characters, and every character that differs is dropped from an id anyway). The unit
//! tests hold real headings of the book with the ids the built book has.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{Options, Parser, html};

use crate::summary::line_of;

/// A heading of a page and the id mdBook gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Its line on the page (1-based); for a heading from an included file, the line of the
    /// `{{#include}}`.
    pub line: usize,
    /// 1 for `#`, 2 for `##`...
    pub level: u8,
    pub id: String,
}

/// mdBook's `normalize_id`.
pub fn normalize_id(content: &str) -> String {
    content
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch.to_ascii_lowercase())
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook's `id_from_content`: the id of a heading whose inner HTML is `content`.
pub fn id_from_content(content: &str) -> String {
    // Tags: `<.*?>` (the regex's `.` stops at a newline).
    let mut text = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['>', '\n']) {
            Some(close) if after.as_bytes()[close] == b'>' => rest = &after[close + 1..],
            _ => {
                text.push('<');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    for entity in ["&lt;", "&gt;", "&amp;", "&#39;", "&quot;"] {
        text = text.replace(entity, "");
    }
    normalize_id(text.trim().trim_start_matches('#').trim())
}

/// The pulldown-cmark options mdBook 0.4.52 renders pages with.
pub fn options(smart_punctuation: bool) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

/// The headings of a page's Markdown (its includes already expanded), with their ids, in order.
pub fn headings(markdown: &str, smart_punctuation: bool) -> Vec<Heading> {
    headings_mapped(markdown, smart_punctuation, &|offset| {
        line_of(markdown, offset)
    })
}

/// The headings of a page (`page`, a path relative to the book's `src`, read from `src`),
/// includes expanded, each with the line of the page where it is or is included.
pub fn page_headings(src: &Path, page: &str, smart_punctuation: bool) -> Option<Vec<Heading>> {
    let text = std::fs::read_to_string(src.join(page)).ok()?;
    let dir = src.join(page);
    let dir = dir.parent().unwrap_or(src);
    let expanded = expand_includes(&text, dir);
    Some(headings_mapped(
        &expanded.text,
        smart_punctuation,
        &|offset| expanded.line_of(&text, offset),
    ))
}

fn headings_mapped(
    markdown: &str,
    smart_punctuation: bool,
    line: &dyn Fn(usize) -> usize,
) -> Vec<Heading> {
    // Rendered event by event, remembering where in the HTML each event of the page begins.
    let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options(smart_punctuation)).into_offset_iter() {
        starts.push((rendered.len(), range.start));
        html::push_html(&mut rendered, std::iter::once(event));
    }
    let mut counter: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    for m in header_matches(&rendered) {
        if m.classes
            .split(' ')
            .any(|c| c == "menu-title" || c == "mdbook-help-title")
        {
            continue;
        }
        let id = match m.id {
            Some(id) => id.to_string(),
            None => {
                let id = id_from_content(m.content);
                let count = counter.entry(id.clone()).or_insert(0);
                let unique = match *count {
                    0 => id,
                    n => format!("{id}-{n}"),
                };
                *count += 1;
                unique
            }
        };
        let at = starts.partition_point(|&(html_at, _)| html_at <= m.start);
        let source = starts.get(at.wrapping_sub(1)).map_or(0, |&(_, src)| src);
        found.push(Heading {
            line: line(source),
            level: m.level,
            id,
        });
    }
    found
}

/// One match of mdBook's `<h(\d)(?: id="([^"]+)")?(?: class="([^"]+)")?>(.*?)</h\d>`.
struct HeaderMatch<'a> {
    start: usize,
    level: u8,
    id: Option<&'a str>,
    classes: &'a str,
    content: &'a str,
}

/// The matches of that expression, leftmost first and not overlapping, as `Regex::replace_all`
/// finds them.
fn header_matches(html: &str) -> Vec<HeaderMatch<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("<h") {
        let start = from + at;
        match header_at(html, start) {
            Some((m, end)) => {
                found.push(m);
                from = end;
            }
            None => from = start + 2,
        }
    }
    found
}

/// The match starting at `start` (where `<h` is), and where it ends.
fn header_at(html: &str, start: usize) -> Option<(HeaderMatch<'_>, usize)> {
    let digit = |at: usize| {
        html[at..]
            .chars()
            .next()
            .filter(|c| c.is_numeric())
            .map(|c| (c, c.len_utf8()))
    };
    let (level, len) = digit(start + 2)?;
    let mut at = start + 2 + len;
    // An optional attribute is taken when it matches: leaving it out could not let `>` match.
    let mut attribute = |name: &str| -> Option<&str> {
        let rest = html[at..].strip_prefix(name)?;
        let value_len = rest.find('"')?;
        if value_len == 0 {
            return None;
        }
        at += name.len() + value_len + 1;
        Some(&rest[..value_len])
    };
    let id = attribute(" id=\"");
    let classes = attribute(" class=\"").unwrap_or("");
    let content_start = at + html[at..].strip_prefix('>').map(|_| 1)?;
    // The shortest content up to `</hN>`, on one line.
    let mut search = content_start;
    loop {
        let rest = &html[search..];
        let close = rest.find("</h")?;
        if rest[..close].contains('\n') {
            return None;
        }
        let after = search + close + 3;
        if let Some((_, len)) = digit(after)
            && html[after + len..].starts_with('>')
        {
            let m = HeaderMatch {
                start,
                level: level.to_digit(10).map_or(0, |d| d as u8),
                id,
                classes,
                content: &html[content_start..search + close],
            };
            return Some((m, after + len + 1));
        }
        search = search + close + 1;
    }
}

/// A page with its includes expanded, and where each part came from.
pub struct Expanded {
    pub text: String,
    /// (offset in `text`, offset in the page, included): a part of the page from that offset
    /// on, or an included text (whose lines are all the line of its directive).
    parts: Vec<(usize, usize, bool)>,
}

impl Expanded {
    /// The line of the page (`page`, its text before expansion) that holds an offset of
    /// `self.text`.
    pub fn line_of(&self, page: &str, offset: usize) -> usize {
        let at = self.parts.partition_point(|&(start, _, _)| start <= offset);
        match self.parts.get(at.wrapping_sub(1)) {
            Some(&(start, source, false)) => line_of(page, source + (offset - start)),
            Some(&(_, source, true)) => line_of(page, source),
            None => 1,
        }
    }
}

/// The page with its `{{#include FILE}}` and `{{#rustdoc_include FILE}}` expanded as mdBook's
/// `links` preprocessor does: anywhere on the page (code too), `\{{#...}}` left as written
/// (less its backslash), a path relative to `dir`, `FILE:NAME` the lines between
/// `ANCHOR: NAME` and `ANCHOR_END: NAME`, `FILE:A:B` lines A to B, and includes in included
/// files expanded in turn (10 deep). A file that cannot be read is left as the directive.
/// (`rustdoc_include` keeps the lines outside its range as hidden `# ` lines; in a code block,
/// where it belongs, that makes no heading, so it is expanded whole here.)
pub fn expand_includes(page: &str, dir: &Path) -> Expanded {
    let mut out = Expanded {
        text: String::with_capacity(page.len()),
        parts: vec![(0, 0, false)],
    };
    let mut from = 0;
    for (start, end, replacement) in includes(page, dir, 0) {
        out.text.push_str(&page[from..start]);
        out.parts.push((out.text.len(), start, true));
        out.text.push_str(&replacement);
        out.parts.push((out.text.len(), end, false));
        from = end;
    }
    out.text.push_str(&page[from..]);
    out
}

/// The includes of `text`: (start, end, what replaces it).
fn includes(text: &str, dir: &Path, depth: usize) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{{") {
        let start = from + at;
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let end = start + close + 2;
        from = end;
        if text[..start].ends_with('\\') {
            // mdBook's escape, `\{{#include x}}`: shown as written, without its backslash.
            found.push((start - 1, end, text[start..end].to_string()));
            continue;
        }
        let inner = text[start + 2..end - 2].trim_start();
        let Some(inner) = inner.strip_prefix('#') else {
            continue;
        };
        let (kind, target) = inner.split_at(inner.find(char::is_whitespace).unwrap_or(0));
        if !matches!(kind, "include" | "rustdoc_include") || target.trim().is_empty() {
            continue;
        }
        let target = target.split_whitespace().next().unwrap_or("");
        let (path, selector) = target.split_once(':').unwrap_or((target, ""));
        let file = dir.join(path);
        let Ok(content) = std::fs::read_to_string(&file) else {
            continue;
        };
        let content = if kind == "include" {
            select_lines(&content, selector)
        } else {
            content
        };
        let content = if depth + 1 < 10 {
            let nested_dir = file.parent().unwrap_or(dir);
            let mut expanded = String::new();
            let mut last = 0;
            for (s, e, r) in includes(&content, nested_dir, depth + 1) {
                expanded.push_str(&content[last..s]);
                expanded.push_str(&r);
                last = e;
            }
            expanded.push_str(&content[last..]);
            expanded
        } else {
            content
        };
        found.push((start, end, content));
    }
    found
}

/// `{{#include FILE:SELECTOR}}`'s lines, as mdBook takes them.
fn select_lines(content: &str, selector: &str) -> String {
    if selector.is_empty() {
        return content.to_string();
    }
    let mut parts = selector.splitn(2, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let start = match first.parse::<usize>() {
        Ok(n) => n.saturating_sub(1),
        Err(_) if first.is_empty() => 0,
        Err(_) => return anchored_lines(content, first),
    };
    let lines: Vec<&str> = content.lines().collect();
    let end = match second.map(str::parse::<usize>) {
        None if first.is_empty() => lines.len(),
        None => start + 1,
        Some(Ok(end)) => end,
        Some(Err(_)) => lines.len(),
    };
    lines
        .get(start.min(lines.len())..end.clamp(start.min(lines.len()), lines.len()))
        .unwrap_or(&[])
        .join("\n")
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other anchor lines.
fn anchored_lines(content: &str, name: &str) -> String {
    let marker = |line: &str, tag: &str| -> Option<String> {
        let at = line.find(tag)?;
        let rest = line[at + tag.len()..].trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (len > 0).then(|| rest[..len].to_string())
    };
    let mut kept = Vec::new();
    let mut inside = false;
    for line in content.lines() {
        if inside {
            match marker(line, "ANCHOR_END:") {
                Some(end) if end == name => break,
                Some(_) => {}
                None if marker(line, "ANCHOR:").is_none() => kept.push(line),
                None => {}
            }
        } else if marker(line, "ANCHOR:").as_deref() == Some(name) {
            inside = true;
        }
    }
    kept.join("\n")
}

/// Whether the book's `book.toml` turns smart punctuation on (`[output.html]
/// smart-punctuation`, or its old name `curly-quotes`): it changes the ids of headings with
/// `--` in them.
pub fn smart_punctuation(book_toml: &str) -> bool {
    let Ok(doc) = book_toml.parse::<toml_edit::ImDocument<String>>() else {
        return false;
    };
    let html = doc
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.as_table_like());
    let Some(html) = html else {
        return false;
    };
    ["smart-punctuation", "curly-quotes"]
        .iter()
        .any(|key| html.get(key).and_then(|v| v.as_bool()) == Some(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(markdown: &str) -> Vec<String> {
        headings(markdown, true).into_iter().map(|h| h.id).collect()
    }

    /// Headings of the book, with the id each has in the book built by mdBook 0.4.52.
    #[test]
    fn real_headings_get_the_ids_mdbook_gave_them() {
        for (heading, id) in [
            (
                "# Send, Sync and the compiler",
                "send-sync-and-the-compiler",
            ),
            ("# Tasks that are not `Send`", "tasks-that-are-not-send"),
            ("# Don't block the executor", "dont-block-the-executor"),
            (
                "## `Arc<Mutex<T>>`: shared, mutable state",
                "arcmutext-shared-mutable-state",
            ),
            (
                "## `select!`: the first to finish wins",
                "select-the-first-to-finish-wins",
            ),
            ("## What `.await` does", "what-await-does"),
            (
                "# Backpressure: at most N at once",
                "backpressure-at-most-n-at-once",
            ),
            (
                "## Python: `multiprocessing.Pool`",
                "python-multiprocessingpool",
            ),
            ("## Rust 1.85+: async closures", "rust-185-async-closures"),
        ] {
            assert_eq!(ids(heading), [id], "{heading}");
        }
    }

    #[test]
    fn ids_follow_mdbooks_rules() {
        // Smart punctuation: `--` is a dash, which is dropped; without it, two hyphens stay.
        assert_eq!(ids("# a -- b"), ["a--b"]);
        assert_eq!(
            headings("# a -- b", false)
                .into_iter()
                .map(|h| h.id)
                .collect::<Vec<_>>(),
            ["a----b"]
        );
        // Entities and tags go; non-ASCII letters keep their case; `#` at the start goes.
        assert_eq!(ids("# Fish & <chips> \"x\""), ["fish---x"]);
        assert_eq!(ids("# Émile _et_ **Zoé**"), ["Émile-et-zoé"]);
        assert_eq!(ids("# \\#1 hit"), ["1-hit"]);
        // Duplicates are numbered from 1; an explicit id neither counts nor is numbered.
        assert_eq!(
            ids("# Output\n\n## Output\n\n## Output {#mine}\n\n## Output\n"),
            ["output", "output-1", "mine", "output-2"]
        );
        // Headings in code are not headings; raw HTML headings are, as in mdBook.
        assert_eq!(
            ids("```\n# not\n```\n\n<h3>Raw one</h3>\n\n    # indented\n"),
            ["raw-one"]
        );
        // Other attributes: mdBook's expression does not match, no id.
        assert_eq!(ids("## Tagged {data-x=1}\n"), Vec::<String>::new());
        // Setext headings, a heading in a list or a quote.
        assert_eq!(
            ids("Title\n=====\n\n- ## In a list\n\n> ## Quoted\n"),
            ["title", "in-a-list", "quoted"]
        );
    }

    #[test]
    fn headings_come_with_their_lines() {
        let found = headings("# One\n\ntext\n\n## Two\n", true);
        assert_eq!(
            found,
            [
                Heading {
                    line: 1,
                    level: 1,
                    id: "one".into()
                },
                Heading {
                    line: 5,
                    level: 2,
                    id: "two".into()
                }
            ]
        );
    }

    #[test]
    fn included_markdown_counts_at_the_line_of_its_include() {
        let dir = std::env::temp_dir().join(format!("course-book-headings-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/part")).unwrap();
        std::fs::write(
            dir.join("src/part/a.md"),
            "## Results\n\n<!-- ANCHOR: x -->\n## Anchored\n<!-- ANCHOR_END: x -->\n## After\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("src/page.md"),
            "# Page\n\n{{#include part/a.md}}\n\n{{#include part/a.md:x}}\n\n\\{{#include part/a.md}}\n\n## Results\n",
        )
        .unwrap();
        let found = page_headings(&dir.join("src"), "page.md", true).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let got: Vec<(usize, &str)> = found.iter().map(|h| (h.line, h.id.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "page"),
                (3, "results"),
                (3, "anchored"),
                (3, "after"),
                (5, "anchored-1"),
                (9, "results-1")
            ]
        );
        assert_eq!(select_lines("a\nb\nc\nd", "2:3"), "b\nc");
        assert_eq!(select_lines("a\nb\nc\nd", "2"), "b");
        assert_eq!(select_lines("a\nb\nc\nd", "3:"), "c\nd");
        assert_eq!(select_lines("a\nb\nc\nd", ":2"), "a\nb");
    }

    /// Every heading of a built book has the id computed here: run with
    /// `BUILT_BOOK=/path/to/project cargo test -p course-book --features index -- --ignored`
    /// after `cargo xtask build` there (it compares `src/*.md` with `book/*.html`).
    #[test]
    #[ignore]
    fn ids_match_a_built_book() {
        let root = std::path::PathBuf::from(std::env::var("BUILT_BOOK").expect("BUILT_BOOK"));
        let smart = smart_punctuation(&std::fs::read_to_string(root.join("book.toml")).unwrap());
        let mut checked = 0;
        for entry in std::fs::read_dir(root.join("src")).unwrap() {
            let page = entry.unwrap().file_name().to_string_lossy().into_owned();
            let Some(stem) = page.strip_suffix(".md").filter(|s| *s != "SUMMARY") else {
                continue;
            };
            let built = std::fs::read_to_string(root.join(format!("book/{stem}.html"))).unwrap();
            let main = &built[built.find("<main>").unwrap()..built.find("</main>").unwrap()];
            let mut want = Vec::new();
            for (at, _) in main.match_indices("<h") {
                let rest = &main[at + 2..];
                if rest.starts_with(|c: char| c.is_ascii_digit())
                    && let Some(id) = rest[1..].strip_prefix(" id=\"")
                {
                    want.push(id[..id.find('"').unwrap()].to_string());
                }
            }
            let got: Vec<String> = page_headings(&root.join("src"), &page, smart)
                .unwrap()
                .into_iter()
                .map(|h| h.id)
                .collect();
            assert_eq!(got, want, "{page}");
            checked += want.len();
        }
        eprintln!("{checked} headings checked");
        assert!(checked > 0);
    }

    #[test]
    fn book_toml_says_whether_punctuation_is_smart() {
        assert!(smart_punctuation(
            "[book]\ntitle = \"x\"\n\n[output.html]\nsmart-punctuation = true\n"
        ));
        assert!(smart_punctuation("[output.html]\ncurly-quotes = true\n"));
        assert!(!smart_punctuation(
            "[output.html]\ndefault-theme = \"light\"\n"
        ));
        assert!(!smart_punctuation("not toml ["));
    }
}
