//! The `{{#...}}` directives of a page.
//!
//! mdBook's own are `{{#include FILE}}` and `{{#rustdoc_include FILE}}`; mdbook-quiz adds
//! `{{#quiz FILE}}`; the book's preprocessor (`packages/mdbook-listing`) adds
//! `{{#listing NAME options}}`, on a line of its own, outside fenced code:
//!
//! | Option | Effect |
//! | --- | --- |
//! | `args="worker Oceania"` | arguments for the run that produces the output block |
//! | `stderr` | the output block shows stderr too (`2>&1`), for a panic message |
//! | `output-only` | only the output block (a second run of a listing shown above) |
//! | `no-output` | no output block |
//! | `no-twin` | no Python twin, even when one exists |

use std::ops::Range;

/// One `{{#NAME ARGS}}` in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive<'a> {
    /// Its byte range, from `{{#` to `}}` included (to the end of the text when unclosed).
    pub range: Range<usize>,
    /// `include`, `quiz`, `listing`, `tool-index`... (letters, digits, `_`, `-`)
    pub name: &'a str,
    /// What follows the name, trimmed: a path, or a listing's name and options.
    pub args: &'a str,
}

/// Every `{{#...}}` in `text`, wherever it is (code or not: callers that care know where the
/// text comes from).
pub fn scan(text: &str) -> Vec<Directive<'_>> {
    text.match_indices("{{#")
        .map(|(start, _)| {
            let rest = &text[start + 3..];
            let (inner, end) = match rest.find("}}") {
                Some(e) => (&rest[..e], start + 3 + e + 2),
                None => (rest, text.len()),
            };
            let name_len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(inner.len());
            Directive {
                range: start..end,
                name: &inner[..name_len],
                args: inner[name_len..].trim(),
            }
        })
        .collect()
}

/// The path of the first `{{#NAME PATH}}` on a line (`include`, `quiz`), if any.
pub fn target<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    scan(line)
        .into_iter()
        .find(|d| d.name == name && line[d.range.clone()].ends_with("}}"))
        .map(|d| d.args)
}

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

/// A `{{#listing ...}}` line found on a page: its line (1-based), its byte range (the whole
/// line, newline included) and the directive, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundListing {
    pub line: usize,
    pub range: Range<usize>,
    pub listing: Result<Listing, String>,
}

/// Every `{{#listing ...}}` directive of a page: a line that starts with `{{#listing`,
/// outside fenced code blocks (which is how a page can show the syntax).
pub fn listings(text: &str) -> Vec<FoundListing> {
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
            Some(inner) => parse_listing(inner),
        };
        found.push(FoundListing {
            line: index + 1,
            range,
            listing,
        });
    }
    found
}

/// Parses the text inside `{{#listing ...}}`: a name, then options.
pub fn parse_listing(inner: &str) -> Result<Listing, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_found_with_name_and_args() {
        let text = "a {{#include ../x.md}} b {{#quiz  ../quizzes/q.toml }}\n{{#lsting x}} {{#tool-index}} {{#open";
        let found = scan(text);
        let names: Vec<_> = found.iter().map(|d| (d.name, d.args)).collect();
        assert_eq!(
            names,
            [
                ("include", "../x.md"),
                ("quiz", "../quizzes/q.toml"),
                ("lsting", "x"),
                ("tool-index", ""),
                ("open", "")
            ]
        );
        assert_eq!(&text[found[0].range.clone()], "{{#include ../x.md}}");
        assert_eq!(
            target("see {{#include ../a.rs:here}}", "include"),
            Some("../a.rs:here")
        );
        assert_eq!(target("{{#quiz ../q.toml}}", "include"), None);
        assert_eq!(target("{{#include ../a.rs", "include"), None);
    }

    #[test]
    fn a_listing_parses_its_options() {
        let listing = parse_listing(" ch02-01-c stderr args=\"worker Oceania\" no-twin").unwrap();
        assert_eq!(
            listing,
            Listing {
                name: "ch02-01-c".into(),
                args: Some("worker Oceania".into()),
                stderr: true,
                no_twin: true,
                ..Listing::default()
            }
        );
        assert!(parse_listing("Bad-Name").is_err());
        assert!(
            parse_listing("x args=\"a")
                .unwrap_err()
                .contains("unclosed quote")
        );
        assert!(parse_listing("x no-output stderr").is_err());
    }

    #[test]
    fn listings_in_fenced_code_are_not_directives() {
        let text = "{{#listing a}}\n```markdown\n{{#listing b}}\n```\n {{#listing c}}\n";
        let found = listings(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 1);
        assert_eq!(found[0].listing.as_ref().unwrap().name, "a");
        assert_eq!(found[1].line, 5);
        assert!(found[1].listing.is_err());
    }

    #[test]
    fn a_name_prefix_is_chapter_and_page() {
        assert_eq!(prefix("ch03-03-scoped"), Some("ch03-03"));
        assert_eq!(prefix("ch03-03-scoped.md"), Some("ch03-03"));
        assert_eq!(prefix("ch3-03-x"), None);
        assert_eq!(prefix("appendix-python-to-rust"), None);
    }
}
