//! The index of tools: each tool the course teaches (an API such as `std::sync::Condvar`, or a
//! term such as "cancel safety") is declared once, in `index/*.toml`, with the page and heading
//! that teach it:
//!
//! ```toml
//! [[tool]]
//! name = "std::sync::Condvar"          # as the index shows it
//! page = "ch03-09-waiting.md"          # the page that teaches it (a file in src/)
//! anchor = "waiting-for-a-condition"   # the id mdBook gives that heading
//! rust = ["Condvar"]                   # optional: what a Rust listing that uses it contains
//! python = ["threading.Condition"]     # optional: the same for a Python twin
//! ```
//!
//! From that, `cargo xtask lint` checks that no listing uses a tool before the page that
//! teaches it (unless its page links there), and the book's preprocessor writes the index page
//! (`{{#tool-index}}`). Both read the book through this module:
//!
//! - [`read_dir`]/[`parse`]: the declarations, or what is wrong with them (file and line);
//! - [`listing_uses`]: which tools the listings of a page use, by their patterns;
//! - [`links`]: the links of a page to pages of the book.
//!
//! **What counts as a use.** A listing is `{{#listing NAME}}` on a page (not `output-only`,
//! which shows no code): its file `examples/NAME.rs`, and its Python twin
//! `examples/python/NAME.py` when the page shows it (not `no-twin`). Comments and the
//! insides of string and character literals are blanked out first ([`code_of_rust`],
//! [`code_of_python`]: a tool named in a comment or printed in a message is not used). A
//! pattern then matches where its text occurs exactly (case and spaces included) at identifier
//! boundaries: if it begins with a letter, digit or `_`, the character before it is none of
//! those; if it ends with one, so is the character after it. `Condvar` matches
//! `std::sync::Condvar::new()` but not `MyCondvar`; `mpsc::channel` matches
//! `mpsc::channel::<u8>()`; `threading.Condition` matches `threading.Condition()` but not
//! `Condition()` after `from threading import Condition` (give both patterns).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use crate::directive;
use crate::summary::line_of;

/// Where the declarations are, relative to the project root.
pub const INDEX_DIR: &str = "index";

/// The directive that the book's preprocessor expands into the index, on a line of its own.
pub const DIRECTIVE: &str = "{{#tool-index}}";

/// One declared tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    /// As the index shows it: `std::sync::Condvar`, `cancel safety`.
    pub name: String,
    /// The page that teaches it, a file in `src/`: `ch03-09-waiting.md`.
    pub page: String,
    /// The id of the heading that teaches it.
    pub anchor: String,
    /// What a Rust listing that uses it contains.
    pub rust: Vec<String>,
    /// What a Python twin that uses it contains.
    pub python: Vec<String>,
    /// Where it is declared: `index/ch03.toml` and the line of its `[[tool]]`.
    pub file: PathBuf,
    pub line: usize,
}

impl Tool {
    /// A term ("cancel safety") has no patterns: no listing "uses" it.
    pub fn is_term(&self) -> bool {
        self.rust.is_empty() && self.python.is_empty()
    }
}

/// What is wrong with a declaration file, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

const KEYS: &str = "name, page, anchor, rust, python";

/// Parses one declaration file (`file` is how problems name it).
pub fn parse(file: &Path, text: &str) -> (Vec<Tool>, Vec<Problem>) {
    let mut tools = Vec::new();
    let mut problems = Vec::new();
    let mut problem = |offset: usize, message: String| {
        problems.push(Problem {
            file: file.to_path_buf(),
            line: line_of(text, offset),
            message,
        })
    };
    let doc = match toml_edit::ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            problem(at, format!("not valid TOML: {message}"));
            return (tools, problems);
        }
    };
    for (key, item) in doc.iter() {
        let at = doc
            .key(key)
            .and_then(|k| k.span())
            .or(item.span())
            .map_or(0, |s| s.start);
        let Some(array) = item.as_array_of_tables().filter(|_| key == "tool") else {
            problem(
                at,
                format!(
                    "unknown key `{key}`: a declaration file holds only [[tool]] tables \
                     ({KEYS})"
                ),
            );
            continue;
        };
        for table in array.iter() {
            let at = table.span().map_or(0, |s| s.start);
            let mut tool = Tool {
                name: String::new(),
                page: String::new(),
                anchor: String::new(),
                rust: Vec::new(),
                python: Vec::new(),
                file: file.to_path_buf(),
                line: line_of(text, at),
            };
            let mut ok = true;
            for (key, value) in table.iter() {
                let key_at = table
                    .key(key)
                    .and_then(|k| k.span())
                    .or(value.span())
                    .map_or(at, |s| s.start);
                match key {
                    "name" | "page" | "anchor" => {
                        let Some(text) = value.as_str().filter(|s| !s.trim().is_empty()) else {
                            problem(key_at, format!("`{key}` must be a string, not empty"));
                            ok = false;
                            continue;
                        };
                        let text = text.to_string();
                        match key {
                            "name" => tool.name = text,
                            "page" => tool.page = text,
                            _ => tool.anchor = text,
                        }
                    }
                    "rust" | "python" => {
                        let patterns: Option<Vec<String>> = value.as_array().and_then(|a| {
                            a.iter()
                                .map(|v| {
                                    v.as_str()
                                        .filter(|s| !s.is_empty() && s.trim() == *s)
                                        .map(str::to_string)
                                })
                                .collect()
                        });
                        let Some(patterns) = patterns else {
                            problem(
                                key_at,
                                format!(
                                    "`{key}` must be a list of strings (not empty, no spaces at \
                                     either end): [\"Condvar\"]"
                                ),
                            );
                            ok = false;
                            continue;
                        };
                        if key == "rust" {
                            tool.rust = patterns;
                        } else {
                            tool.python = patterns;
                        }
                    }
                    other => {
                        problem(key_at, format!("unknown key `{other}` (the keys: {KEYS})"));
                        ok = false;
                    }
                }
            }
            for (key, value) in [
                ("name", &tool.name),
                ("page", &tool.page),
                ("anchor", &tool.anchor),
            ] {
                if value.is_empty() && table.get(key).is_none() {
                    problem(at, format!("this [[tool]] has no `{key}`"));
                    ok = false;
                }
            }
            if ok {
                tools.push(tool);
            }
        }
    }
    (tools, problems)
}

/// The declarations of every `index/*.toml` under `root` (in file name order), a tool declared
/// twice reported where it is declared again.
pub fn read_dir(root: &Path) -> (Vec<Tool>, Vec<Problem>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(INDEX_DIR))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut tools: Vec<Tool> = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    for path in files {
        let file = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem {
                    file,
                    line: 0,
                    message: format!("cannot read it: {e}"),
                });
                continue;
            }
        };
        let (found, wrong) = parse(&file, &text);
        problems.extend(wrong);
        for tool in found {
            if let Some((other, line)) = seen.get(&tool.name) {
                problems.push(Problem {
                    file: tool.file.clone(),
                    line: tool.line,
                    message: format!(
                        "`{}` is declared twice (also at {}:{line}): declare a tool once, where \
                         it is taught",
                        tool.name,
                        other.display()
                    ),
                });
                continue;
            }
            seen.insert(tool.name.clone(), (tool.file.clone(), tool.line));
            tools.push(tool);
        }
    }
    (tools, problems)
}

/// A listing's use of a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// Its index in the tools given to [`listing_uses`].
    pub tool: usize,
    /// The listing's name (`examples/NAME.rs`) and the line of its `{{#listing}}` on the page.
    pub listing: String,
    pub line: usize,
    /// The file that uses it (`examples/NAME.rs` or `examples/python/NAME.py`), the line there
    /// and the pattern found.
    pub file: String,
    pub file_line: usize,
    pub pattern: String,
}

/// The tools the listings of a page use (`root` is the project root, where `examples/` is),
/// each listing and file at most once per tool, in the order of the page.
pub fn listing_uses(root: &Path, page_text: &str, tools: &[Tool]) -> Vec<Use> {
    let mut uses = Vec::new();
    for found in directive::listings(page_text) {
        let Ok(listing) = found.listing else {
            continue;
        };
        if listing.output_only {
            continue;
        }
        let name = &listing.name;
        let mut files = vec![(format!("examples/{name}.rs"), true)];
        if !listing.no_twin {
            files.push((format!("examples/python/{name}.py"), false));
        }
        for (file, rust) in files {
            let Ok(source) = std::fs::read_to_string(root.join(&file)) else {
                continue;
            };
            let code = if rust {
                code_of_rust(&source)
            } else {
                code_of_python(&source)
            };
            for (t, tool) in tools.iter().enumerate() {
                let patterns = if rust { &tool.rust } else { &tool.python };
                let first = patterns
                    .iter()
                    .filter_map(|p| find(&code, p).map(|at| (at, p)))
                    .min();
                if let Some((at, pattern)) = first {
                    uses.push(Use {
                        tool: t,
                        listing: name.clone(),
                        line: found.line,
                        file: file.clone(),
                        file_line: line_of(&code, at),
                        pattern: pattern.clone(),
                    });
                }
            }
        }
    }
    uses
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `pattern` first occurs in `code` at identifier boundaries (see the module's
/// documentation), as a byte offset.
pub fn find(code: &str, pattern: &str) -> Option<usize> {
    if pattern.is_empty() {
        return None;
    }
    let check_before = pattern.starts_with(is_ident);
    let check_after = pattern.ends_with(is_ident);
    code.match_indices(pattern).map(|(at, _)| at).find(|&at| {
        let before_ok = !check_before || !code[..at].ends_with(is_ident);
        let after_ok = !check_after || !code[at + pattern.len()..].starts_with(is_ident);
        before_ok && after_ok
    })
}

/// A Rust source with its comments (`//...`, nested `/* */`) and the insides of its string
/// literals (`"..."`, `b"..."`, `r#"..."#`...) and character literals (`'x'`, `'\n'`) replaced
/// by spaces, newlines kept: the same length, so offsets and lines still match the file.
/// Lifetimes (`'a`) are code.
pub fn code_of_rust(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut blank = vec![false; bytes.len()];
    let mut i = 0;
    let ident_before =
        |i: usize| i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + p);
            blank[i..end].fill(true);
            i = end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < bytes.len() {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank[i..j].fill(true);
            i = j;
        } else if let Some(hashes) = raw_string_start(bytes, i).filter(|_| !ident_before(i)) {
            // r"..." r#"..."# br"..." cr"...": from the quote to the same number of `#`s.
            let open = i + bytes[i..].iter().position(|&b| b == b'"').unwrap_or(0);
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            let end = bytes[open + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(bytes.len(), |p| open + 1 + p);
            blank[open + 1..end].fill(true);
            i = (end + close.len()).min(bytes.len());
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(bytes.len());
            blank[i + 1..end].fill(true);
            i = end + 1;
        } else if bytes[i] == b'\'' {
            // A character literal, or a lifetime or label (code).
            let after = &source[i + 1..];
            let mut chars = after.char_indices();
            let len = match chars.next() {
                Some((_, '\\')) => after[1..].find('\'').map(|p| p + 1),
                Some((_, c)) if after[c.len_utf8()..].starts_with('\'') => Some(c.len_utf8()),
                _ => None,
            };
            match len {
                Some(len) => {
                    blank[i + 1..i + 1 + len].fill(true);
                    i += len + 2;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    blanked(source, &blank)
}

/// `r`, `br` or `cr` then `#`s and `"` at `i`: the number of `#`s.
fn raw_string_start(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = &bytes[i..];
    let rest = rest
        .strip_prefix(b"br")
        .or_else(|| rest.strip_prefix(b"cr"))
        .or_else(|| rest.strip_prefix(b"r"))?;
    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// A Python source with its comments (`# ...`) and the insides of its string literals
/// (`'...'`, `"..."`, triple-quoted, with any prefix: `f"..."`, `rb'...'`) replaced by spaces,
/// newlines kept. (An f-string's `{expressions}` are blanked too.)
pub fn code_of_python(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut blank = vec![false; bytes.len()];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p);
                blank[i..end].fill(true);
                i = end;
            }
            quote @ (b'\'' | b'"') => {
                let triple = bytes[i..].starts_with(&[quote; 3]);
                let open = if triple { 3 } else { 1 };
                let closes = |j: usize| {
                    if triple {
                        bytes[j..].starts_with(&[quote; 3])
                    } else {
                        bytes[j] == quote || bytes[j] == b'\n'
                    }
                };
                let mut j = i + open;
                while j < bytes.len() && !closes(j) {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                blank[i + open..end].fill(true);
                i = end + open;
            }
            _ => i += 1,
        }
    }
    blanked(source, &blank)
}

/// `source` with the bytes marked in `blank` replaced by spaces (a newline stays a newline; a
/// character is blanked whole, so the text stays UTF-8 and the same length).
fn blanked(source: &str, blank: &[bool]) -> String {
    let mut out = String::with_capacity(source.len());
    for (at, c) in source.char_indices() {
        if blank.get(at).copied().unwrap_or(false) && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// A link of a page to a page of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Its line on the page.
    pub line: usize,
    /// The page it points to, relative to `src/` (`ch03-09-waiting.md`); a link to an anchor
    /// of the same page (`#x`) points to that page.
    pub page: String,
    /// Its `#anchor`, if any.
    pub anchor: Option<String>,
}

/// The links of a page (`page`, its path relative to `src/`) to Markdown files of the book;
/// links to other sites are left out.
pub fn links(page: &str, text: &str) -> Vec<Link> {
    let dir = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let url = dest_url.as_ref();
        if url.contains("://") || url.starts_with("mailto:") {
            continue;
        }
        let (file, anchor) = match url.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor.to_string())),
            None => (url, None),
        };
        let target = if file.is_empty() {
            page.to_string()
        } else if file.ends_with(".md") {
            normalize(&dir.join(file))
        } else {
            continue;
        };
        found.push(Link {
            line: line_of(text, range.start),
            page: target,
            anchor,
        });
    }
    found
}

/// `a/../b.md` -> `b.md`, with `/` between parts.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                if parts.last().is_none_or(|p| p == "..") {
                    parts.push("..".into());
                } else {
                    parts.pop();
                }
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// The lines holding the directive `{{#tool-index}}` alone, outside fenced code.
pub fn directive_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if let Some(ch @ ('`' | '~')) = trimmed.chars().next() {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= 3 {
                fence = Some((ch, run));
                continue;
            }
        }
        if trimmed == DIRECTIVE {
            lines.push(index + 1);
        }
    }
    lines
}

/// The key a tool is sorted by in the index, lower-case: for a name that starts with a path
/// (with `::` or `.` in its first word), the last part of that path, up to a `<` or `(`
/// (`std::sync::Condvar` -> `condvar`, `tokio::select!` -> `select!`, `#[tokio::main]` ->
/// `main`, `multiprocessing.Pool` -> `pool`, `.await` -> `await`,
/// `tokio::io::AsyncWriteExt (write_all)` -> `asyncwriteext`); anything else as written
/// (`cancel safety`, `Arc<T>`).
pub fn sort_key(name: &str) -> String {
    let trimmed = name.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '_');
    let first = trimmed.split(' ').next().unwrap_or(trimmed);
    if !(first.contains("::") || first.contains('.')) {
        return trimmed.to_lowercase();
    }
    let head = first.split(['<', '(']).next().unwrap_or(first);
    let last = head
        .rsplit("::")
        .next()
        .unwrap_or(head)
        .rsplit('.')
        .find(|part| !part.is_empty())
        .unwrap_or(head);
    let key: String = last
        .chars()
        .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '!')
        .collect();
    if key.is_empty() {
        trimmed.to_lowercase()
    } else {
        key.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Vec<Tool>, Vec<String>) {
        let (tools, problems) = parse(Path::new("index/ch03.toml"), text);
        let problems = problems
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.file.display(), p.line, p.message))
            .collect();
        (tools, problems)
    }

    #[test]
    fn a_declaration_is_read_with_its_line() {
        let (tools, problems) = parsed(
            "# chapter 3\n\n[[tool]]\nname = \"std::sync::Condvar\"\npage = \"ch03-09-waiting.md\"\n\
             anchor = \"waiting\"\nrust = [\"Condvar\"]\npython = [\"threading.Condition\"]\n\n\
             [[tool]]\nname = \"happens-before\"\npage = \"ch03-04-shared-state.md\"\nanchor = \"x\"\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(tools.len(), 2);
        assert_eq!(tools[0].name, "std::sync::Condvar");
        assert_eq!(tools[0].line, 3);
        assert_eq!(tools[0].rust, ["Condvar"]);
        assert_eq!(tools[0].python, ["threading.Condition"]);
        assert!(!tools[0].is_term());
        assert_eq!(tools[1].line, 10);
        assert!(tools[1].is_term());
    }

    #[test]
    fn what_is_wrong_is_named_with_its_line() {
        let (tools, problems) = parsed(
            "[[tool]]\nname = \"a\"\npage = \"p.md\"\nanchor = \"x\"\nrusty = [\"A\"]\n\n\
             [[tool]]\nname = \"b\"\npage = \"p.md\"\n\n\
             [[tool]]\nname = \"c\"\npage = \"p.md\"\nanchor = \"\"\nrust = \"C\"\n\n\
             [tools]\nx = 1\n",
        );
        assert!(tools.is_empty(), "{tools:?}");
        assert_eq!(
            problems,
            [
                "index/ch03.toml:5: unknown key `rusty` (the keys: name, page, anchor, rust, python)",
                "index/ch03.toml:7: this [[tool]] has no `anchor`",
                "index/ch03.toml:14: `anchor` must be a string, not empty",
                "index/ch03.toml:15: `rust` must be a list of strings (not empty, no spaces at \
                 either end): [\"Condvar\"]",
                "index/ch03.toml:17: unknown key `tools`: a declaration file holds only [[tool]] \
                 tables (name, page, anchor, rust, python)",
            ]
        );
        let (_, problems) = parsed("[[tool]]\nname = \"a\npage = 1\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("index/ch03.toml:2: not valid TOML"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_tool_declared_twice_is_named_where_it_comes_again() {
        let dir = tempfile_dir("twice");
        std::fs::create_dir_all(dir.join("index")).unwrap();
        let tool = "[[tool]]\nname = \"Barrier\"\npage = \"p.md\"\nanchor = \"x\"\n";
        std::fs::write(dir.join("index/ch03.toml"), tool).unwrap();
        std::fs::write(dir.join("index/ch04a.toml"), format!("\n{tool}")).unwrap();
        std::fs::write(dir.join("index/README.md"), "not read").unwrap();
        let (tools, problems) = read_dir(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(tools.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, Path::new("index/ch04a.toml"));
        assert_eq!(problems[0].line, 2);
        assert!(
            problems[0]
                .message
                .contains("`Barrier` is declared twice (also at index/ch03.toml:1)"),
            "{problems:?}"
        );
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("course-book-index-{name}-{}", std::process::id()))
    }

    #[test]
    fn patterns_match_at_identifier_boundaries() {
        assert_eq!(find("let c = Condvar::new();", "Condvar"), Some(8));
        assert_eq!(find("std::sync::Condvar", "Condvar"), Some(11));
        assert_eq!(find("MyCondvar::new(); Condvars", "Condvar"), None);
        assert_eq!(find("a.await; b.awaited", ".await"), Some(1));
        assert_eq!(find("x.awaited", ".await"), None);
        assert_eq!(find("tokio::select! {", "select!"), Some(7));
        assert_eq!(find("mpsc::channel::<u8>()", "mpsc::channel"), Some(0));
        assert_eq!(
            find("threading.Condition()", "threading.Condition"),
            Some(0)
        );
        assert_eq!(find("mythreading.Condition()", "threading.Condition"), None);
        assert_eq!(find("x", ""), None);
    }

    #[test]
    fn comments_and_literals_are_not_code() {
        let rust = "// Condvar here\nlet s = \"Condvar\"; /* a /* nested */ Condvar */ let c = 'C';\n\
                    let r = r#\"Condvar \"quoted\"\"#; fn f<'a>(x: &'a str) {}\n/// Barrier\nBarrier::new(2);\n";
        let code = code_of_rust(rust);
        assert_eq!(code.len(), rust.len());
        assert_eq!(code.lines().count(), rust.lines().count());
        assert_eq!(find(&code, "Condvar"), None, "{code}");
        assert!(code.contains("fn f<'a>(x: &'a str)"), "{code}");
        assert_eq!(line_of(&code, find(&code, "Barrier").unwrap()), 5);
        let escaped = code_of_rust("let q = '\\''; let s = \"a\\\"Condvar\"; Mutex");
        assert_eq!(find(&escaped, "Condvar"), None, "{escaped}");
        assert!(find(&escaped, "Mutex").is_some(), "{escaped}");

        let python = "# threading.Condition\nx = 'threading.Condition'\ny = f\"{threading.Condition}\"\n\
                      \"\"\"Docs: threading.Condition\n\"\"\"\nc = threading.Condition()  # here\n";
        let code = code_of_python(python);
        assert_eq!(code.len(), python.len());
        assert_eq!(
            line_of(&code, find(&code, "threading.Condition").unwrap()),
            6,
            "{code}"
        );
        // Non-ASCII text in a comment keeps the length.
        let code = code_of_rust("// café\nMutex");
        assert_eq!(code.len(), "// café\nMutex".len());
    }

    #[test]
    fn a_page_uses_what_its_listings_and_shown_twins_contain() {
        let dir = tempfile_dir("uses");
        std::fs::create_dir_all(dir.join("examples/python")).unwrap();
        std::fs::write(
            dir.join("examples/ch01-01-a.rs"),
            "// Barrier\nfn main() {\n    Condvar::new();\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("examples/python/ch01-01-a.py"),
            "import threading\nthreading.Barrier(2)\n",
        )
        .unwrap();
        std::fs::write(dir.join("examples/ch01-01-b.rs"), "fn main() {}\n").unwrap();
        std::fs::write(
            dir.join("examples/python/ch01-01-b.py"),
            "threading.Barrier(2)\n",
        )
        .unwrap();
        let tools = [
            Tool {
                name: "Condvar".into(),
                page: "p.md".into(),
                anchor: "x".into(),
                rust: vec!["Condvar".into()],
                python: vec![],
                file: PathBuf::from("index/x.toml"),
                line: 1,
            },
            Tool {
                name: "Barrier".into(),
                page: "p.md".into(),
                anchor: "y".into(),
                rust: vec!["Barrier".into()],
                python: vec!["threading.Barrier".into()],
                file: PathBuf::from("index/x.toml"),
                line: 6,
            },
        ];
        let page = "# P\n\n{{#listing ch01-01-a}}\n\n{{#listing ch01-01-b no-twin}}\n\n\
                    {{#listing ch01-01-b output-only}}\n\n```\n{{#listing ch01-01-a}}\n```\n";
        let uses = listing_uses(&dir, page, &tools);
        std::fs::remove_dir_all(&dir).unwrap();
        let got: Vec<(usize, &str, usize, &str, usize)> = uses
            .iter()
            .map(|u| {
                (
                    u.tool,
                    u.listing.as_str(),
                    u.line,
                    u.file.as_str(),
                    u.file_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (0, "ch01-01-a", 3, "examples/ch01-01-a.rs", 3),
                (1, "ch01-01-a", 3, "examples/python/ch01-01-a.py", 2),
            ]
        );
    }

    #[test]
    fn links_name_the_page_they_reach() {
        let text = "[a](ch01-01-a.md) [b](ch02-00-b.md#why)\n[c](#here) [d](https://x.org/y.md)\n\
                    [e](../README.md) [f](sub/../ch03-01-c.md) ![img](bench/x.svg)\n";
        let got: Vec<(usize, String, Option<String>)> = links("ch01-00-x.md", text)
            .into_iter()
            .map(|l| (l.line, l.page, l.anchor))
            .collect();
        assert_eq!(
            got,
            [
                (1, "ch01-01-a.md".into(), None),
                (1, "ch02-00-b.md".into(), Some("why".into())),
                (2, "ch01-00-x.md".into(), Some("here".into())),
                (3, "../README.md".into(), None),
                (3, "ch03-01-c.md".into(), None),
            ]
        );
    }

    #[test]
    fn the_directive_is_a_line_of_its_own_outside_code() {
        let text = "# Index\n\n{{#tool-index}}\n\n```md\n{{#tool-index}}\n```\nSay {{#tool-index}} here.\n";
        assert_eq!(directive_lines(text), [3]);
    }

    #[test]
    fn tools_sort_by_their_last_name() {
        for (name, key) in [
            ("std::sync::Condvar", "condvar"),
            ("tokio::select!", "select!"),
            ("#[tokio::main]", "main"),
            ("multiprocessing.Pool", "pool"),
            ("Arc<Mutex<T>>", "arc<mutex<t>>"),
            (".await", "await"),
            ("cancel safety", "cancel safety"),
            ("happens-before", "happens-before"),
            ("Pin<&mut Self>", "pin<&mut self>"),
            ("asyncio.Queue.get", "get"),
            ("tokio::io::AsyncWriteExt (write_all)", "asyncwriteext"),
            ("asyncio.Server.close, wait_closed", "close"),
            ("Pin<&mut Self>::poll", "pin<&mut self>::poll"),
        ] {
            assert_eq!(sort_key(name), key, "{name}");
        }
    }
}
