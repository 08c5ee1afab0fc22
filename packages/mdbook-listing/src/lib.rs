//! The book's own mdBook preprocessor: `{{#listing NAME}}` on a line of its own becomes what a
//! page would otherwise hold by hand for the listing `examples/NAME.rs`:
//!
//! - its caption, `<span class="filename">Filename: examples/NAME.rs</span>`;
//! - a Rust block with the attributes the file needs (always `standalone_crate`, see
//!   [`RustFacts::info_string`]; `noplayground` too when it starts itself again through
//!   `std::env::current_exe`; a hidden `# extern crate tokio;` or `rayon` line when it uses the
//!   crate, since `mdbook test` passes no `--extern`), holding
//!   `{{#rustdoc_include ../examples/NAME.rs}}`, which mdBook's `links` preprocessor expands next;
//! - when `examples/python/NAME.py` exists, that Python twin beside it, captioned, in a
//!   `side-by-side` block (see `theme/course.css`);
//! - its output block: a `text` block holding `<!-- cmdrun --strict ../target/book/release/examples/NAME -->`,
//!   which mdbook-cmdrun replaces by what the prebuilt example prints.
//!
//! Options, after the name, in any order: see [`course_book::directive`], which parses the
//! directive (for `cargo xtask lint` too).
//!
//! A directive inside a fenced code block is left alone (that is how a page shows the syntax).
//! An unknown name or option, or a malformed directive, is an error naming the page and line.
//!
//! It also expands `{{#tool-index}}`, on a line of its own, into the index of tools: see
//! [`tool_index`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use course_book::directive::{self, Listing};
use serde_json::Value;

/// Where the prebuilt examples are, relative to the book's root (`cargo xtask build` puts them
/// there; the output blocks run them): `course_book::layout`, which owns the build's layout.
pub use course_book::layout::EXAMPLES_DIR as EXAMPLE_BIN_DIR;

/// What a listing's Rust file needs on the page, worked out from its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RustFacts {
    /// It starts itself again (`std::env::current_exe`): the public playground cannot run it.
    pub restarts_itself: bool,
    /// The crates it uses that `mdbook test` must be told about (`tokio`, `rayon`...).
    pub crates: Vec<&'static str>,
}

/// The crates of the book's examples that a listing may use (each needs a hidden
/// `# extern crate NAME;` line under `mdbook test`): the `[dependencies]` of the root
/// `Cargo.toml`, as Rust names them (`-` becomes `_`). A test checks that the two agree.
pub const CRATES: [&str; 11] = [
    "crossbeam_utils",
    "futures",
    "loom",
    "nix",
    "parking_lot",
    "rayon",
    "tokio",
    "tokio_stream",
    "tokio_util",
    "tracing",
    "tracing_subscriber",
];

impl RustFacts {
    /// Reads what the block needs from the example's source.
    pub fn of(source: &str) -> RustFacts {
        let code: String = source
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        RustFacts {
            restarts_itself: code.contains("current_exe"),
            crates: CRATES
                .into_iter()
                .filter(|krate| uses_crate(&code, krate))
                .collect(),
        }
    }

    /// The block's info string: `rust` and its attributes.
    ///
    /// Every listing is `standalone_crate`: rustdoc compiles it as a program of its own, the
    /// program `cargo run --example` builds, instead of merging a page's listings into modules
    /// of one test crate (edition 2024's default). Merged, a listing is not quite the file:
    /// its `extern crate` lines and paths from the crate root (`::tracing`, which
    /// `#[instrument]` writes) live in a module, so the merged build of ch04-22 failed and
    /// rustdoc fell back to building each block alone anyway. It is also quicker on an idle
    /// machine: rustdoc builds a page's standalone blocks in parallel, one per test thread, and
    /// one builds while another waits on a timer, where the merged build is one step before any
    /// of them runs (every page's `rustdoc --test`, summed, on 2 cores: 34.8 s merged, 27.3 s
    /// standalone; with one CPU kept busy the two are level, 37.6-38.3 s and 35.5-38.9 s, for
    /// the same CPU time).
    pub fn info_string(&self) -> &'static str {
        if self.restarts_itself {
            "rust,standalone_crate,noplayground"
        } else {
            "rust,standalone_crate"
        }
    }
}

/// Whether `code` names the crate as a path root (`tokio::`, `use tokio`, `#[tokio::main]`).
fn uses_crate(code: &str, krate: &str) -> bool {
    code.match_indices(krate).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + krate.len()..];
        let starts_word = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        starts_word
            && (after.starts_with("::") || after.starts_with(';') && code[..at].ends_with("use "))
    })
}

/// A problem found on a page, at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Where the files are: the book's root, and the path from a page's folder back to it.
pub struct Place<'a> {
    /// The book's root (where `examples/` is).
    pub root: &'a Path,
    /// The relative path from the page's folder to the root, e.g. `..` for `src/page.md`.
    pub up: &'a str,
}

/// Expands every `{{#listing ...}}` line of a page, or returns every problem found.
pub fn expand_page(text: &str, place: &Place) -> Result<String, Vec<Problem>> {
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut from = 0;
    for found in directive::listings(text) {
        out.push_str(&text[from..found.range.start]);
        from = found.range.end;
        match found.listing.and_then(|listing| render(&listing, place)) {
            Ok(markdown) => out.push_str(&markdown),
            Err(message) => problems.push(Problem {
                line: found.line,
                message,
            }),
        }
    }
    out.push_str(&text[from..]);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The Markdown of one listing.
pub fn render(listing: &Listing, place: &Place) -> Result<String, String> {
    let name = &listing.name;
    let rust_file = place.root.join("examples").join(format!("{name}.rs"));
    let source = std::fs::read_to_string(&rust_file)
        .map_err(|_| format!("unknown listing `{name}`: there is no examples/{name}.rs"))?;
    let python_file = place
        .root
        .join("examples/python")
        .join(format!("{name}.py"));
    let twin = !listing.no_twin && python_file.is_file();
    if listing.no_twin && !python_file.is_file() {
        return Err(format!(
            "`no-twin`: listing `{name}` has no Python twin (examples/python/{name}.py) to leave out"
        ));
    }
    let up = place.up;
    let mut md = String::new();
    if !listing.output_only {
        let facts = RustFacts::of(&source);
        let mut rust = format!(
            "<span class=\"filename\">Filename: examples/{name}.rs</span>\n\n```{}\n",
            facts.info_string()
        );
        for krate in &facts.crates {
            let _ = writeln!(rust, "# extern crate {krate};");
        }
        let _ = write!(
            rust,
            "{{{{#rustdoc_include {up}/examples/{name}.rs}}}}\n```\n"
        );
        if twin {
            let python = std::fs::read_to_string(&python_file)
                .map_err(|e| format!("examples/python/{name}.py: {e}"))?;
            let columns = widest_line(&source).max(widest_line(&python));
            let _ = write!(
                md,
                "<div class=\"side-by-side\" style=\"--pair-cols: {columns}\">\n\
                 <div class=\"rust-side\">\n\n{rust}\n</div>\n\
                 <div class=\"python-side\">\n\n\
                 <span class=\"filename\">Filename: examples/python/{name}.py</span>\n\n\
                 ```python\n{{{{#include {up}/examples/python/{name}.py}}}}\n```\n\n\
                 </div>\n</div>\n"
            );
        } else {
            md.push_str(&rust);
        }
    }
    if !listing.no_output {
        if !md.is_empty() {
            md.push('\n');
        }
        let mut command = format!("{up}/{EXAMPLE_BIN_DIR}/{name}");
        if let Some(args) = &listing.args {
            command.push(' ');
            command.push_str(args.trim());
        }
        if listing.stderr {
            command.push_str(" 2>&1");
        }
        let _ = write!(md, "```text\n<!-- cmdrun --strict {command} -->\n```\n");
    }
    Ok(md)
}

/// The number of characters of the longest line of a program: with it, the book's CSS
/// (theme/course.css) knows, before anything is drawn, how wide a column a pair needs, so it
/// can put the two programs side by side without measuring them in the browser.
pub fn widest_line(text: &str) -> usize {
    text.lines()
        .map(|line| line.trim_end().chars().count())
        .max()
        .unwrap_or(0)
}

/// The relative path from the folder of `page` (a path inside the book's `src`) back to the
/// book's root, where `src` itself is `src_dir` (relative to the root).
pub fn path_up(src_dir: &Path, page: &Path) -> String {
    let depth = src_dir.components().count()
        + page
            .parent()
            .map_or(0, |parent| parent.components().count());
    vec![".."; depth.max(1)].join("/")
}

/// Runs the preprocessor on mdBook's input, `[context, book]`, and returns the book, or every
/// problem as `page:line: message` lines.
pub fn run(input: &str) -> Result<Value, String> {
    let (context, mut book): (Value, Value) =
        serde_json::from_str(input).map_err(|e| format!("cannot read mdBook's input: {e}"))?;
    let root = PathBuf::from(context["root"].as_str().ok_or("no `root` in the context")?);
    let src = PathBuf::from(context["config"]["book"]["src"].as_str().unwrap_or("src"));
    let mut errors = Vec::new();
    let key = if book.get("sections").is_some() {
        "sections"
    } else {
        "items" // mdBook 0.5's name for the same list
    };
    let sections = book.get_mut(key).ok_or("no `sections` in the book")?;
    let mut pages = Vec::new();
    collect(sections, &mut pages);
    let tool_index = if pages
        .iter()
        .any(|p| !course_book::index::directive_lines(&p.content).is_empty())
    {
        match tool_index::render(&root, &pages) {
            Ok(markdown) => Some(markdown),
            Err(problems) => {
                errors.extend(problems);
                None
            }
        }
    } else {
        None
    };
    visit(sections, &root, &src, tool_index.as_deref(), &mut errors);
    if errors.is_empty() {
        Ok(book)
    } else {
        Err(errors.join("\n"))
    }
}

/// The pages of the book, in order (the order of SUMMARY.md), with their numbered titles.
fn collect(items: &Value, pages: &mut Vec<tool_index::BookPage>) {
    let Some(items) = items.as_array() else {
        return;
    };
    for item in items {
        let Some(chapter) = item.get("Chapter") else {
            continue;
        };
        let path = chapter["source_path"].as_str().or(chapter["path"].as_str());
        if let (Some(path), Some(content)) = (path, chapter["content"].as_str()) {
            let name = chapter["name"].as_str().unwrap_or_default();
            let number: Vec<String> = chapter["number"]
                .as_array()
                .map(|n| n.iter().map(|d| d.to_string()).collect())
                .unwrap_or_default();
            let title = if number.is_empty() {
                name.to_string()
            } else {
                format!("{}. {name}", number.join("."))
            };
            pages.push(tool_index::BookPage {
                path: path.replace('\\', "/"),
                title,
                content: content.to_string(),
            });
        }
        collect(&chapter["sub_items"], pages);
    }
}

fn visit(
    items: &mut Value,
    root: &Path,
    src: &Path,
    tool_index: Option<&str>,
    errors: &mut Vec<String>,
) {
    let Some(items) = items.as_array_mut() else {
        return;
    };
    for item in items {
        let Some(chapter) = item.get_mut("Chapter") else {
            continue;
        };
        let page = chapter["source_path"]
            .as_str()
            .or(chapter["path"].as_str())
            .map(PathBuf::from);
        if let (Some(page), Some(content)) = (page, chapter["content"].as_str()) {
            let up = path_up(src, &page);
            match expand_page(content, &Place { root, up: &up }) {
                Ok(expanded) => {
                    let expanded = match tool_index {
                        Some(index) => tool_index::expand(&expanded, index),
                        None => expanded,
                    };
                    chapter["content"] = Value::String(expanded)
                }
                Err(problems) => {
                    errors.extend(problems.into_iter().map(|p| {
                        format!("{}:{}: {}", src.join(&page).display(), p.line, p.message)
                    }))
                }
            }
        }
        visit(&mut chapter["sub_items"], root, src, tool_index, errors);
    }
}

pub mod tool_index;

#[cfg(test)]
mod tests;
