//! Checks of the book's Markdown (with pulldown-cmark) and of the built HTML.
//!
//! The rules, each reported as `file:line: what is wrong`:
//! - every page named in `src/SUMMARY.md` exists, and every page in `src/` is named there;
//! - a listing is shown with `{{#listing NAME}}` (expanded by `packages/mdbook-listing`, which
//!   writes its caption, Rust block and attributes, Python twin and output block, so none of
//!   those can be missing or wrong): the directive parses, `examples/NAME.rs` exists, and NAME
//!   starts with the `chNN-MM` of the page that shows it;
//! - a Rust block written by hand is a `compile_fail,EXXXX` snippet (which proves a compile
//!   error by its code), a block named in [`INLINE_ALLOWED`], or an exercise's solution shown
//!   whole: a `rust,ignore` block holding only `{{#include ../exercises/NAME/solution/FILE.rs}}`
//!   (its tests, run by `cargo xtask check NAME --solution`, stand in for `mdbook test`); a
//!   listing, its Python twin or its cmdrun output written by hand is refused;
//! - an example holds no line that rustdoc or mdBook would hide, so what the copy button copies
//!   is the example file, byte for byte;
//! - every file in `examples/` (Rust and Python), and every exercise's solution file, is shown
//!   by a page in SUMMARY.md, and every include points at a file that exists;
//! - the only cmdrun directive written by hand is a timeline drawn by the benchmark's binary,
//!   outside code blocks: `<!-- cmdrun --strict ../target/book/release/course-bench timeline NAME -->`
//!   (its output is an SVG that the page shows as it is);
//! - a `{{#...}}` directive outside code is `listing`, `include` or `quiz` (no typo shown as text);
//! - no merge conflict marker; every link between pages reaches a page and, with `#anchor`, a
//!   heading of it;
//! - a Markdown file in `src/` is a page in SUMMARY.md, or is included by one (the benchmark's
//!   snapshot, `src/bench/results.md`);
//! - every quiz in `quizzes/` is shown by the page it is named after (`{{#quiz ../quizzes/NAME.toml}}`
//!   on `src/NAME.md`), every `{{#quiz}}` points at a quiz that exists, and every question has
//!   an id, unique in the book (else mdbook-quiz writes one into the file at each build); a
//!   question that shows a program says what it claims about it (see [`crate::quiz`]);
//! - every `compile_fail,EXXXX` block fails with that code (`check_compile_fail`);
//! - in the built book: no `cmdrun error`, no directive left unprocessed (cmdrun or listing),
//!   no empty output block.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::Result;

/// The one directive allowed outside a code block: the benchmark's binary drawing a timeline
/// (`--strict ../target/book/<debug|release>/course-bench timeline NAME`), whose output is an
/// SVG image that belongs in the page itself, not in a text block.
fn is_timeline_directive(directive: &str) -> bool {
    let words: Vec<&str> = directive.split_whitespace().collect();
    let ["--strict", program, "timeline", name] = words.as_slice() else {
        return false;
    };
    let profile = program
        .strip_prefix("../target/book/")
        .and_then(|p| p.strip_suffix("/course-bench"));
    matches!(profile, Some("debug" | "release"))
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Inline Rust blocks that are not a whole example, with the page's reason.
/// Format: (page, first line of the block). Keep it short; prefer a file in `examples/`.
pub const INLINE_ALLOWED: &[(&str, &str)] = &[];

/// A problem, located in a file.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: PathBuf,
    line: usize,
    message: String,
}

#[derive(Default)]
struct Report {
    problems: Vec<Problem>,
}

impl Report {
    fn add(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    fn into_result<T>(mut self, ok: T) -> Result<T> {
        if self.problems.is_empty() {
            return Ok(ok);
        }
        self.problems.sort();
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| format!("{}:{}: {}", p.file.display(), p.line, p.message))
            .collect();
        Err(format!(
            "{} problem(s) in the book:\n{}",
            lines.len(),
            lines.join("\n")
        )
        .into())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The pages SUMMARY.md links to, in order, with the line of each link.
fn summary_pages(root: &Path, report: &mut Report) -> Result<Vec<(PathBuf, usize)>> {
    let summary_path = root.join("src/SUMMARY.md");
    let summary = fs::read_to_string(&summary_path)
        .map_err(|e| format!("{}: {e}", summary_path.display()))?;
    let mut pages = Vec::new();
    for (event, range) in Parser::new(&summary).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            let line = line_of(&summary, range.start);
            if dest_url.is_empty() {
                continue; // a draft chapter: mdBook allows `[Title]()`
            }
            let page = root.join("src").join(dest_url.as_ref());
            if !page.is_file() {
                report.add(
                    Path::new("src/SUMMARY.md"),
                    line,
                    format!("links to {dest_url}, which does not exist"),
                );
                continue;
            }
            pages.push((PathBuf::from("src").join(dest_url.as_ref()), line));
        }
    }
    Ok(pages)
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_with_ext(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Checks the Markdown sources of the book rooted at `root`; returns the number of listings.
pub fn check_sources(root: &Path) -> Result<usize> {
    let mut report = Report::default();
    let pages = summary_pages(root, &mut report)?;

    let in_summary: BTreeSet<PathBuf> = pages.iter().map(|(p, _)| root.join(p)).collect();
    let mut parts: BTreeSet<PathBuf> = BTreeSet::new(); // Markdown that pages include
    for (page, _) in &pages {
        let text = fs::read_to_string(root.join(page))?;
        let mut quiet = Report::default(); // reported below, with the rest of the page
        parts.extend(other_includes(root, page, &text, &mut quiet));
    }
    for md in files_with_ext(&root.join("src"), "md") {
        if md.file_name().is_some_and(|n| n == "SUMMARY.md") {
            continue;
        }
        let relative = md.strip_prefix(root).unwrap_or(&md);
        if !in_summary.contains(&md) && !parts.contains(relative) {
            report.add(
                relative,
                1,
                "this page is not in src/SUMMARY.md, so readers never see it",
            );
        }
    }

    // Every file under examples/ that a page must include.
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    for ext in ["rs", "py"] {
        for file in files_with_ext(&root.join("examples"), ext) {
            wanted.insert(file.strip_prefix(root).unwrap_or(&file).to_path_buf());
        }
    }
    for file in files_with_ext(&root.join("exercises"), "rs") {
        let file = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        if is_solution_file(&file) {
            wanted.insert(file);
        }
    }
    for file in wanted
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        check_example_file(root, file, &mut report);
    }

    let mut included: BTreeSet<PathBuf> = BTreeSet::new();
    let mut quizzes: BTreeSet<PathBuf> = BTreeSet::new();
    let mut listings = 0;
    for (page, _) in &pages {
        let text = fs::read_to_string(root.join(page))?;
        for (i, line) in text.lines().enumerate() {
            if line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") {
                report.add(page, i + 1, "a merge conflict marker");
            }
        }
        let found = check_page(root, page, &text, &mut report);
        listings += found
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs"))
            .count();
        included.extend(found);
        included.extend(other_includes(root, page, &text, &mut report));
        quizzes.extend(quiz_includes(root, page, &text, &mut report));
    }
    check_quizzes(root, &quizzes, &mut report);
    check_links(root, &pages, &mut report)?;
    for file in wanted.difference(&included) {
        let what = if is_solution_file(file) {
            "no page in src/SUMMARY.md shows this solution: include it on its exercise's page"
        } else {
            "no page in src/SUMMARY.md includes this example: add it to a chapter"
        };
        report.add(file, 1, what);
    }
    report.into_result(listings)
}

/// The ids mdBook gives a page's headings: the heading's text, lower-cased, spaces turned to
/// `-`, anything but letters, digits, `_` and `-` dropped; a repeated id gets `-1`, `-2`...
/// (as mdBook 0.4's `normalize_id` and `unique_id_from_content`).
fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let content = heading.take().unwrap_or_default();
                let base: String = content
                    .chars()
                    .filter_map(|c| {
                        if c.is_alphanumeric() || c == '_' || c == '-' {
                            Some(c.to_ascii_lowercase())
                        } else if c.is_whitespace() {
                            Some('-')
                        } else {
                            None
                        }
                    })
                    .collect();
                let seen = counts.entry(base.clone()).or_insert(0);
                let id = if *seen == 0 {
                    base.clone()
                } else {
                    format!("{base}-{seen}")
                };
                *seen += 1;
                ids.insert(id);
            }
            _ => {}
        }
    }
    ids
}

/// Every link between pages points at a page in SUMMARY.md and, with `#anchor`, at a heading
/// that page has.
fn check_links(root: &Path, pages: &[(PathBuf, usize)], report: &mut Report) -> Result<()> {
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut texts = Vec::new();
    for (page, _) in pages {
        let text = fs::read_to_string(root.join(page))?;
        ids.insert(page.clone(), heading_ids(&text));
        texts.push((page, text));
    }
    for (page, text) in &texts {
        for (event, range) in Parser::new(text).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let line = line_of(text, range.start);
            let url = dest_url.as_ref();
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = match url.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (url, None),
            };
            let target = if file.is_empty() {
                page.to_path_buf()
            } else {
                normalize(&page.parent().unwrap_or(Path::new("")).join(file))
            };
            let Some(target_ids) = ids.get(&target) else {
                report.add(
                    page,
                    line,
                    format!("the link {url} points to no page of the book"),
                );
                continue;
            };
            if let Some(anchor) = anchor
                && !target_ids.contains(anchor)
            {
                report.add(
                    page,
                    line,
                    format!(
                        "the link {url} points to no heading: {} has {:?}",
                        target.display(),
                        target_ids
                    ),
                );
            }
        }
    }
    Ok(())
}

/// An example must not contain lines that rustdoc and mdBook hide (`# ...` or a lone `#`):
/// the copy button would leave them out.
fn check_example_file(root: &Path, file: &Path, report: &mut Report) {
    let Ok(text) = fs::read_to_string(root.join(file)) else {
        return;
    };
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed == "#" || trimmed.starts_with("# ") {
            report.add(
                file,
                i + 1,
                "this line would be hidden on the page (it starts with `# `), so a reader who \
                 copies the listing would not get it",
            );
        }
    }
}

/// Paths in `{{#include ...}}` outside Rust blocks (Python counterparts, for example):
/// they must exist; they count as included.
fn other_includes(root: &Path, page: &Path, text: &str, report: &mut Report) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let dir = page.parent().unwrap_or(Path::new(""));
    for (i, line) in text.lines().enumerate() {
        let Some(target) = include_target(line, "include") else {
            continue;
        };
        let file = target.split(':').next().unwrap_or(target);
        let path = normalize(&dir.join(file));
        if path.starts_with("examples") {
            report.add(
                page,
                i + 1,
                format!("includes {file} by hand: show a listing and its twin with {{{{#listing NAME}}}}"),
            );
        }
        if !root.join(&path).is_file() {
            report.add(
                page,
                i + 1,
                format!("includes {file}, which does not exist"),
            );
        } else {
            found.push(path);
        }
    }
    found
}

/// The quizzes a page shows (`{{#quiz ../quizzes/NAME.toml}}`): each must exist and be named
/// after the page.
fn quiz_includes(root: &Path, page: &Path, text: &str, report: &mut Report) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let dir = page.parent().unwrap_or(Path::new(""));
    for (i, line) in text.lines().enumerate() {
        let Some(file) = include_target(line, "quiz") else {
            continue;
        };
        let path = normalize(&dir.join(file));
        if !root.join(&path).is_file() {
            report.add(
                page,
                i + 1,
                format!("shows the quiz {file}, which does not exist"),
            );
            continue;
        }
        if path.file_stem() != page.file_stem() {
            report.add(
                page,
                i + 1,
                format!(
                    "shows the quiz {file}: a quiz is named after the page that ends with it ({}.toml)",
                    page.file_stem().unwrap_or_default().to_string_lossy()
                ),
            );
        }
        found.push(path);
    }
    found
}

/// Every quiz file is shown by a page, parses, and gives each question an id of its own.
fn check_quizzes(root: &Path, shown: &BTreeSet<PathBuf>, report: &mut Report) {
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in crate::quiz::files(root) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        if !shown.contains(&rel) {
            report.add(
                &rel,
                1,
                "no page in src/SUMMARY.md shows this quiz: add {{#quiz ../quizzes/NAME.toml}} \
                 at the end of src/NAME.md",
            );
        }
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let quiz = match crate::quiz::parse(&rel.display().to_string(), &text) {
            Ok(quiz) => quiz,
            Err(e) => {
                report.add(&rel, 1, e);
                continue;
            }
        };
        for (n, q) in quiz.questions.iter().enumerate() {
            let Some(id) = q.get("id").and_then(|v| v.as_str()) else {
                report.add(
                    &rel,
                    1,
                    format!(
                        "question {} has no id: give it one (mdbook-quiz would write a random one \
                         into this file at every build)",
                        n + 1
                    ),
                );
                continue;
            };
            if let Some(other) = ids.insert(id.to_string(), rel.clone()) {
                report.add(
                    &rel,
                    1,
                    format!("the id {id} is used twice (also in {})", other.display()),
                );
            }
        }
    }
}

/// The path inside `{{#KEYWORD PATH}}` on a line, if any.
fn include_target<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let open = format!("{{{{#{keyword} ");
    let start = line.find(&open)? + open.len();
    let end = start + line[start..].find("}}")?;
    Some(line[start..end].trim())
}

/// `src/../examples/x.rs` -> `examples/x.rs`
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A fenced or indented code block of a page.
struct Block<'a> {
    info: String,
    body: String,
    range: Range<usize>,
    _text: &'a str,
}

fn code_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                current = Some(Block {
                    info,
                    body: String::new(),
                    range,
                    _text: text,
                });
            }
            Event::Text(t) => {
                if let Some(block) = current.as_mut() {
                    block.body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// rustdoc and mdBook treat a block as Rust when its first attribute is `rust`, or when it has
/// no language at all, or only rustdoc attributes.
fn is_rust(attrs: &[&str]) -> bool {
    const RUSTDOC: &[&str] = &[
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
        "standalone_crate",
        "noplayground",
        "mdbook-runnable",
        "editable",
    ];
    match attrs.first() {
        None => true,
        Some(&"rust") => true,
        Some(first) => {
            RUSTDOC.contains(first) || (first.starts_with('E') && first[1..].parse::<u32>().is_ok())
        }
    }
}

/// Checks one page; returns the files of `examples/` it shows (through `{{#listing}}`).
fn check_page(root: &Path, page: &Path, text: &str, report: &mut Report) -> Vec<PathBuf> {
    let page_dir = page.parent().unwrap_or(Path::new(""));
    let page_stem = page.file_stem().unwrap_or_default().to_string_lossy();
    let mut shown = Vec::new();
    for found in mdbook_listing::find_directives(text) {
        let listing = match found.listing {
            Ok(listing) => listing,
            Err(message) => {
                report.add(page, found.line, message);
                continue;
            }
        };
        let name = &listing.name;
        let rust = PathBuf::from(format!("examples/{name}.rs"));
        if !root.join(&rust).is_file() {
            report.add(
                page,
                found.line,
                format!("unknown listing `{name}`: there is no examples/{name}.rs"),
            );
            continue;
        }
        let page_prefix = mdbook_listing::prefix(&page_stem);
        if mdbook_listing::prefix(name) != page_prefix {
            report.add(
                page,
                found.line,
                format!(
                    "listing `{name}` is shown on {}: a listing is named after the page that \
                     shows it ({}-topic)",
                    page.display(),
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

    for block in code_blocks(text) {
        let line = line_of(text, block.range.start);
        let attrs: Vec<&str> = block
            .info
            .split([',', ' '])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        if is_rust(&attrs) {
            check_rust_block(page, page_dir, line, &attrs, &block, report);
        }
        for (offset, directive) in directives(&block.body) {
            let at = line + 1 + block.body[..offset].matches('\n').count();
            report.add(page, at, hand_written_cmdrun(directive));
        }
    }
    // Outside code blocks, the one directive written by hand: a timeline, whose SVG the page
    // shows as an image.
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            for (_, directive) in directives(&html) {
                if !is_timeline_directive(directive) {
                    report.add(
                        page,
                        line_of(text, range.start),
                        hand_written_cmdrun(directive),
                    );
                }
            }
        }
    }
    check_directive_names(page, text, report);
    shown
}

/// What to say about a cmdrun directive written by hand.
fn hand_written_cmdrun(directive: &str) -> String {
    format!(
        "`<!-- cmdrun {directive} -->` written by hand: a listing's output comes from \
         {{{{#listing NAME}}}} (or {{{{#listing NAME output-only args=\"...\"}}}}); only a \
         timeline, `<!-- cmdrun --strict ../target/book/release/course-bench timeline NAME -->`, \
         stands alone outside a code block"
    )
}

/// The `{{#...}}` directives a page may use, outside code: `listing`, `include` (a solution,
/// a snippet of the benchmark, Markdown) and `quiz`. Anything else is a typo mdBook would show
/// as text.
fn check_directive_names(page: &Path, text: &str, report: &mut Report) {
    let mut in_code = false;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Code(_) => {}
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) if !in_code => {
                for (at, _) in t.match_indices("{{#") {
                    let word: String = t[at + 3..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !matches!(word.as_str(), "listing" | "include" | "quiz") {
                        report.add(
                            page,
                            line_of(text, range.start),
                            format!(
                                "unknown directive {{{{#{word}: a page uses {{{{#listing NAME}}}}, \
                                 {{{{#include FILE}}}} or {{{{#quiz FILE}}}}"
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
fn check_rust_block(
    page: &Path,
    page_dir: &Path,
    line: usize,
    attrs: &[&str],
    block: &Block,
    report: &mut Report,
) {
    let has_code = attrs.contains(&"compile_fail")
        && attrs
            .iter()
            .any(|a| a.starts_with('E') && a[1..].parse::<u32>().is_ok());
    if check_solution_block(page, page_dir, line, attrs, block, report) {
        return;
    }
    let first_line = block.body.lines().next().unwrap_or("");
    let page_name = page.to_string_lossy();
    let allowed = INLINE_ALLOWED
        .iter()
        .any(|(p, first)| page_name.ends_with(p) && first_line.trim() == first.trim());
    if block.body.contains("{{#rustdoc_include") || block.body.contains("{{#include") {
        report.add(
            page,
            line,
            "a listing written by hand: show examples/NAME.rs with {{#listing NAME}}, which \
             writes its caption, block, Python twin and output",
        );
    } else if !(has_code || allowed) {
        report.add(
            page,
            line,
            "a Rust block must be a listing ({{#listing NAME}}) or a `compile_fail,EXXXX` snippet",
        );
    }
}

/// `exercises/NAME/solution/FILE.rs`
fn is_solution_file(path: &Path) -> bool {
    let parts: Vec<_> = path.components().map(|c| c.as_os_str()).collect();
    matches!(&parts[..], [exercises, _, solution, file]
        if *exercises == "exercises" && *solution == "solution"
            && Path::new(file).extension().is_some_and(|e| e == "rs"))
}

/// An exercise's solution shown on its page: a `rust,ignore` block whose only line is
/// `{{#include ../exercises/NAME/solution/FILE.rs}}`. (`mdbook test` cannot compile a library
/// file without its package; `cargo xtask check NAME --solution` tests it.) Returns whether the
/// block is one; that the file exists is checked with the page's other includes.
fn check_solution_block(
    page: &Path,
    page_dir: &Path,
    line: usize,
    attrs: &[&str],
    block: &Block,
    report: &mut Report,
) -> bool {
    let lines: Vec<&str> = block
        .body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let [only] = lines[..] else {
        return false;
    };
    let Some(target) = only
        .strip_prefix("{{#include ")
        .and_then(|t| t.strip_suffix("}}"))
        .map(str::trim)
    else {
        return false;
    };
    let path = normalize(&page_dir.join(target));
    if target.contains(':') || !is_solution_file(&path) {
        report.add(
            page,
            line,
            format!(
                "{target}: a Rust block may `#include` only an exercise's solution, whole \
                 (../exercises/NAME/solution/FILE.rs, no anchor)"
            ),
        );
    } else if attrs != ["rust", "ignore"] {
        report.add(
            page,
            line,
            "an exercise's solution goes in a ```rust,ignore block: `mdbook test` cannot \
             compile it outside its package (`cargo xtask check NAME --solution` tests it)",
        );
    }
    true
}

/// The cmdrun directives in a block's text, with their byte offsets.
fn directives(body: &str) -> Vec<(usize, &str)> {
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

/// Compiles every `compile_fail,EXXXX` block of the book with rustc and checks that it fails
/// with that very error code. (Stable rustdoc only checks that such a block fails to compile,
/// not why: a block that fails for a typo would pass `mdbook test`.) Returns how many it checked.
/// `deps` holds the compiled crates that snippets may use (`# extern crate tokio;`), as for
/// `mdbook test -L`.
pub fn check_compile_fail(root: &Path, deps: &Path) -> Result<usize> {
    let mut report = Report::default();
    let pages = summary_pages(root, &mut report)?;
    let dir = std::env::temp_dir().join(format!("xtask-compile-fail-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut checked = 0;
    for (page, _) in &pages {
        let text = fs::read_to_string(root.join(page))?;
        for block in code_blocks(&text) {
            let attrs: Vec<&str> = block.info.split([',', ' ']).map(str::trim).collect();
            if !attrs.contains(&"compile_fail") {
                continue;
            }
            let line = line_of(&text, block.range.start);
            let Some(code) = attrs
                .iter()
                .find(|a| a.starts_with('E') && a[1..].parse::<u32>().is_ok())
            else {
                report.add(
                    page,
                    line,
                    "a compile_fail block must name its error code (E0277...)",
                );
                continue;
            };
            // As rustdoc does: hidden `# ` lines are compiled, and a snippet without `fn main`
            // is wrapped in one.
            let mut source: String = block
                .body
                .lines()
                .map(|l| match l.trim_start().strip_prefix("# ") {
                    Some(rest) => rest.to_string(),
                    None if l.trim() == "#" => String::new(),
                    None => l.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            if !source.contains("fn main") {
                source = format!("fn main() {{\n{source}\n}}\n");
            }
            let file = dir.join(format!("snippet{checked}.rs"));
            fs::write(&file, source)?;
            let out = std::process::Command::new(&rustc)
                .args(["--edition", "2024", "--emit", "metadata", "--out-dir"])
                .arg(&dir)
                .arg("-L")
                .arg(root.join(deps))
                .arg(&file)
                .output()?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                report.add(
                    page,
                    line,
                    format!("this compile_fail block compiles (expected {code})"),
                );
            } else if !stderr.contains(&format!("error[{code}]")) {
                let first = stderr
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("");
                report.add(
                    page,
                    line,
                    format!("this block fails to compile, but not with {code}: {first}"),
                );
            }
            checked += 1;
        }
    }
    let _ = fs::remove_dir_all(&dir);
    report.into_result(checked)
}

/// Checks the HTML that `mdbook build` wrote to `book/`.
pub fn check_built_book(root: &Path) -> Result<()> {
    let mut report = Report::default();
    let html = files_with_ext(&root.join("book"), "html");
    if html.is_empty() {
        report.add(Path::new("book"), 1, "the built book has no pages");
    }
    for file in html {
        let text = fs::read_to_string(&file)?;
        let shown = file.strip_prefix(root).unwrap_or(&file);
        for (needle, why) in [
            ("cmdrun error", "an example failed while the book was built"),
            (
                "&lt;!-- cmdrun",
                "a cmdrun directive was not run (is mdbook-cmdrun on PATH?)",
            ),
            (
                "<!-- cmdrun",
                "a cmdrun directive was not run (is mdbook-cmdrun on PATH?)",
            ),
            (
                "{{#listing",
                "a listing directive was not expanded (did the listing preprocessor run?)",
            ),
        ] {
            if let Some(at) = text.find(needle) {
                report.add(shown, line_of(&text, at), why);
            }
        }
        // An output block whose example printed nothing, or whose directive vanished.
        for (at, _) in text.match_indices("<code class=\"language-text\">") {
            let rest = &text[at + "<code class=\"language-text\">".len()..];
            let body = &rest[..rest.find("</code>").unwrap_or(rest.len())];
            if body.trim().is_empty() {
                report.add(shown, line_of(&text, at), "an output block is empty");
            }
        }
    }
    report.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway book: `files` are (path, contents) pairs under a fresh folder.
    fn book(files: &[(&str, &str)]) -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-check-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    const SUMMARY: &str = "# Summary\n\n- [One](ch01-01-one.md)\n";
    const EXAMPLE: &str = "fn main() {\n    println!(\"hi\");\n}\n";
    /// Eleven lines, the listing on line 5.
    const GOOD_PAGE: &str = "# One\n\nA listing:\n\n{{#listing ch01-01-hi}}\n\nIts output\nshows\nthat it ran.\n\nThe end.\n";

    fn errors(files: &[(&str, &str)]) -> String {
        match check_sources(&book(files)) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_good_book_passes() {
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(check_sources(&dir).unwrap(), 1);
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
    fn an_example_no_page_includes_is_named() {
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/ch01-02-forgotten.rs", EXAMPLE),
            ("examples/python/ch01-03-lonely.py", "print('hi')\n"),
        ]);
        assert!(
            e.contains("examples/ch01-02-forgotten.rs:1: no page"),
            "{e}"
        );
        assert!(
            e.contains("examples/python/ch01-03-lonely.py:1: no page"),
            "{e}"
        );
    }

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
    fn a_twin_left_out_is_shown_by_no_page() {
        let page = GOOD_PAGE.replace("ch01-01-hi}}", "ch01-01-hi no-twin}}");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("examples/python/ch01-01-hi.py", "print('hi')\n"),
        ]);
        assert!(
            e.contains("examples/python/ch01-01-hi.py:1: no page"),
            "{e}"
        );
        assert_eq!(e.matches("\n").count(), 1, "{e}");
    }

    #[test]
    fn a_timeline_may_stand_alone_and_nothing_else() {
        let page = format!(
            "{GOOD_PAGE}\n<!-- cmdrun --strict ../target/book/release/course-bench timeline threads -->\n\n\
             <!-- cmdrun --strict ../target/book/release/course-bench timeline a|sh -->\n\n\
             <!-- cmdrun --strict ../target/book/release/course-bench mem threads 10 -->\n\n\
             <!-- cmdrun ../target/book/release/course-bench timeline pool -->\n\n\
             <!-- cmdrun --strict ../target/book/other/course-bench timeline pool -->\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e.matches("written by hand").count(), 4, "{e}");
        assert!(
            !e.contains("src/ch01-01-one.md:13:"),
            "a timeline is allowed: {e}"
        );
        for line in [15, 17, 19, 21] {
            assert!(
                e.contains(&format!("src/ch01-01-one.md:{line}: `<!-- cmdrun")),
                "{e}"
            );
        }
    }

    #[test]
    fn markdown_a_page_includes_needs_no_summary_entry() {
        let page = format!("{GOOD_PAGE}\n{{{{#include bench/results.md}}}}\n");
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("src/bench/results.md", "| a | b |\n"),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(check_sources(&dir).unwrap(), 1);
    }

    #[test]
    fn a_missing_include_is_named() {
        let page =
            format!("{GOOD_PAGE}\n```python\n{{{{#include ../examples/python/nope.py}}}}\n```\n");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert!(
            e.contains(
                "src/ch01-01-one.md:14: includes ../examples/python/nope.py, which does not exist"
            ),
            "{e}"
        );
    }

    #[test]
    fn links_must_reach_a_page_and_a_heading() {
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](ch02.md)\n";
        let two = "# Two\n\n## Square and `cube`!\n\n## Repeated\n\n## Repeated\n\n\
                   [ok](ch01-01-one.md) [ok](ch01-01-one.md#one) [ok](#square-and-cube) [ok](#repeated-1)\n\
                   [ok](https://example.org/x.md)\n\
                   [bad](ch09.md) [bad](ch01-01-one.md#nope) [bad](#repeated-2)\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        assert_eq!(e.matches("\nsrc/ch02.md:").count(), 3, "{e}");
        assert!(
            e.contains("src/ch02.md:11: the link ch09.md points to no page"),
            "{e}"
        );
        assert!(
            e.contains("src/ch02.md:11: the link ch01-01-one.md#nope points to no heading"),
            "{e}"
        );
        assert!(
            e.contains("src/ch02.md:11: the link #repeated-2 points to no heading"),
            "{e}"
        );
    }

    const QUIZ: &str = "[[questions]]\nid = \"ch01-1\"\ntype = \"MultipleChoice\"\n\
                        prompt.prompt = \"Which?\"\nprompt.distractors = [\"no\"]\n\
                        answer.answer = \"yes\"\n";

    #[test]
    fn a_quiz_is_shown_by_its_page() {
        let page = format!("{GOOD_PAGE}\n{{{{#quiz ../quizzes/ch01-01-one.toml}}}}\n");
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", QUIZ),
        ]);
        assert_eq!(check_sources(&dir).unwrap(), 1);

        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", QUIZ),
        ]);
        assert!(
            e.contains("quizzes/ch01-01-one.toml:1: no page in src/SUMMARY.md shows this quiz"),
            "{e}"
        );
    }

    #[test]
    fn a_quiz_must_exist_and_be_named_after_its_page() {
        let page = format!(
            "{GOOD_PAGE}\n{{{{#quiz ../quizzes/nope.toml}}}}\n{{{{#quiz ../quizzes/ch02.toml}}}}\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch02.toml", QUIZ),
        ]);
        assert!(
            e.contains(
                "src/ch01-01-one.md:13: shows the quiz ../quizzes/nope.toml, which does not exist"
            ),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:14: shows the quiz ../quizzes/ch02.toml: a quiz is named after the page"),
            "{e}"
        );
    }

    #[test]
    fn quiz_questions_need_unique_ids_and_programs_their_claims() {
        let page = format!(
            "{GOOD_PAGE}\n{{{{#quiz ../quizzes/ch01-01-one.toml}}}}\n\n{{{{#quiz ../quizzes/ch02.toml}}}}\n"
        );
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](ch02.md)\n";
        let two = "# Two\n\n{{#quiz ../quizzes/ch02.toml}}\n";
        let without_id = QUIZ.replace("id = \"ch01-1\"\n", "");
        let program = "[[questions]]\nid = \"ch02-2\"\ntype = \"MultipleChoice\"\n\
                       prompt.prompt = \"\"\"\nWhat?\n```rust\nfn main() {}\n```\n\"\"\"\n\
                       prompt.distractors = [\"no\"]\nanswer.answer = \"yes\"\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            (
                "src/ch01-01-one.md",
                &page.replace("\n\n{{#quiz ../quizzes/ch02.toml}}", ""),
            ),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", &format!("{QUIZ}\n{without_id}")),
            (
                "quizzes/ch02.toml",
                &format!("{QUIZ}\n{program}claim.doesCompile = true\n"),
            ),
        ]);
        assert!(
            e.contains("quizzes/ch01-01-one.toml:1: question 2 has no id"),
            "{e}"
        );
        assert!(
            e.contains(
                "quizzes/ch02.toml:1: the id ch01-1 is used twice (also in quizzes/ch01-01-one.toml)"
            ),
            "{e}"
        );
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch02.toml", program),
        ]);
        assert!(
            e.contains("quizzes/ch02.toml:1: quizzes/ch02.toml, question 1 (ch02-2): the prompt shows a program"),
            "{e}"
        );
    }

    #[test]
    fn a_compile_fail_block_must_fail_with_its_code() {
        let page = format!(
            "{GOOD_PAGE}\n```rust,compile_fail,E0382\nlet s = String::new();\nlet t = s;\nprintln!(\"{{s}}\");\n```\n\n\
             ```rust,compile_fail,E0277\nlet s = String::new();\nlet t = s;\nprintln!(\"{{s}}\");\n```\n\n\
             ```rust,compile_fail,E0308\nfn main() {{}}\n```\n"
        );
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
        ]);
        let e = check_compile_fail(&dir, Path::new("deps"))
            .unwrap_err()
            .to_string();
        assert!(!e.contains("src/ch01-01-one.md:13:"), "E0382 is right: {e}");
        assert!(
            e.contains(
                "src/ch01-01-one.md:19: this block fails to compile, but not with E0277: error[E0382]"
            ),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:25: this compile_fail block compiles (expected E0308)"),
            "{e}"
        );
    }

    /// A page showing examples/`rust`.rs beside examples/python/`python`.py, then its output.
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
        assert_eq!(check_sources(&book(&files)).unwrap(), 1);

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

    #[test]
    fn the_built_book_must_not_hold_cmdrun_errors() {
        let dir = book(&[(
            "book/ch01.html",
            "<p>ok</p>\n<code>**cmdrun error**: boom</code>",
        )]);
        let e = check_built_book(&dir).unwrap_err().to_string();
        assert!(e.contains("book/ch01.html:2: an example failed"), "{e}");
        let dir = book(&[(
            "book/ch02.html",
            "<pre><code class=\"language-text\">ok\n</code></pre>\n<pre><code class=\"language-text\">\n</code></pre>",
        )]);
        let e = check_built_book(&dir).unwrap_err().to_string();
        assert!(
            e.contains("book/ch02.html:3: an output block is empty"),
            "{e}"
        );
        assert!(!e.contains("book/ch02.html:1:"), "{e}");
    }
}
