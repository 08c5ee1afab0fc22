//! The book's own mdBook preprocessor: `{{#listing NAME}}` on a line of its own becomes what a
//! page would otherwise hold by hand for the listing `examples/NAME.rs`:
//!
//! - its caption, `<span class="filename">Filename: examples/NAME.rs</span>`;
//! - a Rust block with the attributes the file needs (`standalone_crate,noplayground` when it
//!   starts itself again through `std::env::current_exe`; a hidden `# extern crate tokio;` or
//!   `rayon` line when it uses the crate, since `mdbook test` passes no `--extern`), holding
//!   `{{#rustdoc_include ../examples/NAME.rs}}`, which mdBook's `links` preprocessor expands next;
//! - when `examples/python/NAME.py` exists, that Python twin beside it, captioned, in a
//!   `side-by-side` block (see `theme/course.css`);
//! - its output block: a `text` block holding `<!-- cmdrun --strict ../target/book/release/examples/NAME -->`,
//!   which mdbook-cmdrun replaces by what the prebuilt example prints.
//!
//! Options, after the name, in any order:
//!
//! | Option | Effect |
//! | --- | --- |
//! | `args="worker Oceania"` | arguments for the run that produces the output block |
//! | `stderr` | the output block shows stderr too (`2>&1`), for a panic message |
//! | `output-only` | only the output block (a second run of a listing shown above) |
//! | `no-output` | no output block |
//! | `no-twin` | no Python twin, even when one exists |
//!
//! A directive inside a fenced code block is left alone (that is how a page shows the syntax).
//! An unknown name or option, or a malformed directive, is an error naming the page and line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Where the prebuilt examples are, relative to the book's root (`cargo xtask build` puts them
/// there; the output blocks run them).
pub const EXAMPLE_BIN_DIR: &str = "target/book/release/examples";

/// One `{{#listing ...}}` directive, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// `NAME` of `examples/NAME.rs`.
    pub name: String,
    /// Arguments for the output block's run (`args="..."`).
    pub args: Option<String>,
    /// Show stderr in the output block too (`stderr`).
    pub stderr: bool,
    /// Only the output block (`output-only`).
    pub output_only: bool,
    /// No output block (`no-output`).
    pub no_output: bool,
    /// No Python twin even when it exists (`no-twin`).
    pub no_twin: bool,
}

/// What a listing's Rust file needs on the page, worked out from its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RustFacts {
    /// It starts itself again (`std::env::current_exe`): rustdoc must compile it as its own
    /// program, and the public playground cannot run it.
    pub restarts_itself: bool,
    /// The crates it uses that `mdbook test` must be told about (`tokio`, `rayon`...).
    pub crates: Vec<&'static str>,
}

/// The crates of the book's examples that a listing may use (each needs a hidden
/// `# extern crate NAME;` line under `mdbook test`): the `[dependencies]` of the root
/// `Cargo.toml`, as Rust names them (`-` becomes `_`). A test checks that the two agree.
pub const CRATES: [&str; 7] = [
    "futures",
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
    pub fn info_string(&self) -> &'static str {
        if self.restarts_itself {
            "rust,standalone_crate,noplayground"
        } else {
            "rust"
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

/// Parses the text inside `{{#listing ...}}`: a name, then options.
pub fn parse_directive(inner: &str) -> Result<Listing, String> {
    let mut words = Words(inner.trim());
    let name = words
        .next()?
        .ok_or("a listing needs a name: {{#listing NAME}}")?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(format!(
            "`{name}` is not a listing name (lower-case letters, digits, `-`: the file stem of examples/NAME.rs)"
        ));
    }
    let mut listing = Listing {
        name,
        ..Listing::default()
    };
    while let Some(word) = words.next()? {
        match word.split_once('=') {
            Some(("args", value)) => {
                if let Some(bad) = value
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || " _.,:=+-/".contains(*c)))
                {
                    return Err(format!(
                        "args=\"{value}\": `{bad}` is not allowed in arguments (they go to a shell)"
                    ));
                }
                listing.args = Some(value.to_string());
            }
            Some((key, _)) => return Err(format!("unknown option `{key}=`; {OPTIONS}")),
            None => match word.as_str() {
                "stderr" => listing.stderr = true,
                "output-only" => listing.output_only = true,
                "no-output" => listing.no_output = true,
                "no-twin" => listing.no_twin = true,
                other => return Err(format!("unknown option `{other}`; {OPTIONS}")),
            },
        }
    }
    if listing.output_only && listing.no_output {
        return Err("`output-only` and `no-output` leave nothing to show".into());
    }
    if listing.no_output && (listing.args.is_some() || listing.stderr) {
        return Err(
            "`args=` and `stderr` shape the output block, which `no-output` removes".into(),
        );
    }
    Ok(listing)
}

const OPTIONS: &str =
    "the options are args=\"...\", stderr, output-only, no-output, no-twin (see STYLE.md)";

/// Splits on spaces, keeping `key="a b"` together (without its quotes).
struct Words<'a>(&'a str);

impl Words<'_> {
    fn next(&mut self) -> Result<Option<String>, String> {
        let rest = self.0.trim_start();
        if rest.is_empty() {
            return Ok(None);
        }
        let mut word = String::new();
        let mut chars = rest.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                ' ' | '\t' => {
                    self.0 = &rest[at..];
                    return Ok(Some(word));
                }
                '"' => loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, c)) => word.push(c),
                        None => return Err(format!("unclosed quote in `{rest}`")),
                    }
                },
                c => word.push(c),
            }
        }
        self.0 = "";
        Ok(Some(word))
    }
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

/// A `{{#listing ...}}` line found on a page: its line (1-based), its byte range (the whole
/// line, newline included) and the directive, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub line: usize,
    pub range: std::ops::Range<usize>,
    pub listing: Result<Listing, String>,
}

/// Finds every `{{#listing ...}}` directive of a page: a line that starts with `{{#listing`,
/// outside fenced code blocks (which is how a page can show the syntax). Also used by
/// `cargo xtask lint`.
pub fn find_directives(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let range = offset..offset + line.len();
        offset += line.len();
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if indent < 4
            && let Some(ch @ ('`' | '~')) = trimmed.chars().next()
        {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= 3 {
                fence = Some((ch, run));
                continue;
            }
        }
        let Some(inner) = trimmed
            .strip_prefix("{{#listing")
            .filter(|rest| rest.is_empty() || rest.starts_with([' ', '}']))
        else {
            continue;
        };
        let listing = match inner.strip_suffix("}}") {
            None => Err("a `{{#listing ...}}` directive must end with `}}` on its own line".into()),
            Some(_) if indent > 0 => {
                Err("a `{{#listing ...}}` directive starts at the beginning of its line".into())
            }
            Some(inner) => parse_directive(inner),
        };
        found.push(Found {
            line: index + 1,
            range,
            listing,
        });
    }
    found
}

/// Expands every `{{#listing ...}}` line of a page, or returns every problem found.
pub fn expand_page(text: &str, place: &Place) -> Result<String, Vec<Problem>> {
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut from = 0;
    for found in find_directives(text) {
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

/// The `chNN-MM` prefix of a listing or page name (`ch03-03-scoped` -> `ch03-03`), if it
/// follows the book's naming scheme.
pub fn prefix(name: &str) -> Option<&str> {
    let bytes = name.as_bytes();
    let ok = bytes.len() > 7
        && name.starts_with("ch")
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && (bytes[7] == b'-' || bytes[7] == b'.');
    ok.then(|| &name[..7])
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
            let _ = write!(
                md,
                "<div class=\"side-by-side\">\n<div class=\"rust-side\">\n\n{rust}\n</div>\n\
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
    visit(sections, &root, &src, &mut errors);
    if errors.is_empty() {
        Ok(book)
    } else {
        Err(errors.join("\n"))
    }
}

fn visit(items: &mut Value, root: &Path, src: &Path, errors: &mut Vec<String>) {
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
                Ok(expanded) => chapter["content"] = Value::String(expanded),
                Err(problems) => {
                    errors.extend(problems.into_iter().map(|p| {
                        format!("{}:{}: {}", src.join(&page).display(), p.line, p.message)
                    }))
                }
            }
        }
        visit(&mut chapter["sub_items"], root, src, errors);
    }
}

#[cfg(test)]
mod tests;
