//! Every `compile_fail,EXXXX` block of the book fails to compile with that very error code.
//!
//! Stable rustdoc (`mdbook test`) only checks that such a block fails to compile, not why: a
//! block that fails for a typo would pass. Here each one is compiled with rustc, as rustdoc
//! would: hidden `# ` lines included, wrapped in `fn main` when it has none.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::lint::markdown::code_blocks;
use crate::lint::pages::summary_pages;
use crate::report::Report;

/// Checks every `compile_fail` block of the pages in SUMMARY.md; returns how many. `deps`
/// holds the compiled crates that snippets may use (`# extern crate tokio;`), as for
/// `mdbook test -L`.
pub fn check(root: &Path, deps: &Path) -> Result<usize> {
    let mut report = Report::default();
    let pages = summary_pages(root, &mut report)?;
    let dir = tempfile::Builder::new()
        .prefix("xtask-compile-fail-")
        .tempdir()
        .context("cannot make a temporary folder")?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut checked = 0;
    for (page, _) in &pages {
        let path = root.join(page);
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        for block in code_blocks(&text) {
            let attrs = block.attributes();
            if !attrs.contains(&"compile_fail") {
                continue;
            }
            let Some(code) = attrs.iter().find(|a| is_error_code(a)) else {
                report.add(
                    page,
                    block.line,
                    "a compile_fail block must name its error code (E0277...)",
                );
                continue;
            };
            let file = dir.path().join(format!("snippet{checked}.rs"));
            fs::write(&file, as_rustdoc_compiles(&block.body))
                .with_context(|| format!("cannot write {}", file.display()))?;
            let out = Command::new(&rustc)
                .args(["--edition", "2024", "--emit", "metadata", "--out-dir"])
                .arg(dir.path())
                .arg("-L")
                .arg(root.join(deps))
                .arg(&file)
                .output()
                .with_context(|| format!("cannot run {rustc}"))?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                report.add(
                    page,
                    block.line,
                    format!("this compile_fail block compiles (expected {code})"),
                );
            } else if !stderr.contains(&format!("error[{code}]")) {
                let first = stderr
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("");
                report.add(
                    page,
                    block.line,
                    format!("this block fails to compile, but not with {code}: {first}"),
                );
            }
            checked += 1;
        }
    }
    report.into_result(checked)
}

/// `E` and digits: a rustc error code, as a block attribute (`compile_fail,E0277`).
pub fn is_error_code(attr: &str) -> bool {
    attr.strip_prefix('E')
        .is_some_and(|digits| !digits.is_empty() && digits.parse::<u32>().is_ok())
}

/// The program rustdoc compiles for a block: hidden `# ` lines shown, and wrapped in
/// `fn main` when it has none.
fn as_rustdoc_compiles(body: &str) -> String {
    let source = body
        .lines()
        .map(|l| match l.trim_start().strip_prefix("# ") {
            Some(rest) => rest.to_string(),
            None if l.trim() == "#" => String::new(),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if source.contains("fn main") {
        source
    } else {
        format!("fn main() {{\n{source}\n}}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::tests::{GOOD_PAGE, SUMMARY, book};

    #[test]
    fn a_compile_fail_block_must_fail_with_its_code() {
        let page = format!(
            "{GOOD_PAGE}\n```rust,compile_fail,E0382\nlet s = String::new();\nlet t = s;\nprintln!(\"{{s}}\");\n```\n\n\
             ```rust,compile_fail,E0277\nlet s = String::new();\nlet t = s;\nprintln!(\"{{s}}\");\n```\n\n\
             ```rust,compile_fail,E0308\nfn main() {{}}\n```\n\n```rust,compile_fail\nfn main() {{}}\n```\n"
        );
        let dir = book(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", "fn main() {}\n"),
        ]);
        let e = check(dir.path(), Path::new("deps"))
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
        assert!(
            e.contains("src/ch01-01-one.md:29: a compile_fail block must name its error code"),
            "{e}"
        );
    }

    #[test]
    fn a_snippet_is_compiled_as_rustdoc_would() {
        assert_eq!(
            as_rustdoc_compiles("# use std::rc::Rc;\n#\nlet x = 1;"),
            "fn main() {\nuse std::rc::Rc;\n\nlet x = 1\n}\n".replace("1\n}", "1;\n}")
        );
        assert_eq!(as_rustdoc_compiles("fn main() {}"), "fn main() {}");
        assert!(is_error_code("E0277"));
        assert!(!is_error_code("E"));
        assert!(!is_error_code("Edition"));
    }
}
