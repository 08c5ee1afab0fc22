//! Unit tests of the expansion, on small books in temporary folders.

use super::*;

/// A book root in a temporary folder holding `files`, removed on drop.
struct Root(tempfile::TempDir);

impl Root {
    fn new(files: &[(&str, &str)]) -> Root {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Root(dir)
    }

    fn expand(&self, page: &str) -> Result<String, Vec<Problem>> {
        expand_page(
            page,
            &Place {
                root: self.0.path(),
                up: "..",
            },
        )
    }
}

fn messages(result: Result<String, Vec<Problem>>) -> String {
    result
        .expect_err("expected problems")
        .iter()
        .map(|p| format!("{}: {}", p.line, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

const PLAIN: &str = "fn main() {\n    println!(\"hi\");\n}\n";

#[test]
fn a_plain_listing_gets_caption_block_and_output() {
    let root = Root::new(&[("examples/ch01-01-hi.rs", PLAIN)]);
    let page = root
        .expand("Before.\n\n{{#listing ch01-01-hi}}\n\nAfter.\n")
        .unwrap();
    assert_eq!(
        page,
        "Before.\n\n\
         <span class=\"filename\">Filename: examples/ch01-01-hi.rs</span>\n\n\
         ```rust,standalone_crate\n{{#rustdoc_include ../examples/ch01-01-hi.rs}}\n```\n\n\
         ```text\n<!-- cmdrun --strict ../target/book/release/examples/ch01-01-hi -->\n```\n\
         \nAfter.\n"
    );
}

#[test]
fn a_listing_that_restarts_itself_is_standalone_and_not_for_the_playground() {
    let root = Root::new(&[(
        "examples/ch02-01-w.rs",
        "fn main() {\n    let me = std::env::current_exe().unwrap();\n}\n",
    )]);
    let page = root.expand("{{#listing ch02-01-w}}\n").unwrap();
    assert!(page.contains("```rust,standalone_crate,noplayground\n{{#rustdoc_include"));
}

#[test]
fn a_listing_that_uses_tokio_or_rayon_gets_its_hidden_extern_crate_line() {
    let root = Root::new(&[
        (
            "examples/ch04-01-t.rs",
            "// tokio's runtime, rayon:: in a comment is no use\n#[tokio::main]\nasync fn main() {}\n",
        ),
        (
            "examples/ch03-01-r.rs",
            "use rayon::prelude::*;\nfn main() { let my_tokio = 1; }\n",
        ),
    ]);
    let page = root.expand("{{#listing ch04-01-t}}\n").unwrap();
    assert!(
        page.contains("```rust,standalone_crate\n# extern crate tokio;\n{{#rustdoc_include"),
        "{page}"
    );
    assert!(!page.contains("rayon"));
    let page = root.expand("{{#listing ch03-01-r}}\n").unwrap();
    assert!(
        page.contains("```rust,standalone_crate\n# extern crate rayon;\n{{#rustdoc_include"),
        "{page}"
    );
    assert!(!page.contains("tokio"));
}

#[test]
fn a_python_twin_sits_beside_its_listing_and_the_output_follows_the_pair() {
    let root = Root::new(&[
        ("examples/ch01-01-hi.rs", PLAIN),
        ("examples/python/ch01-01-hi.py", "print('hi')\n"),
    ]);
    let page = root.expand("{{#listing ch01-01-hi}}\n").unwrap();
    assert_eq!(
        page,
        "<div class=\"side-by-side\" style=\"--pair-cols: 19\">\n<div class=\"rust-side\">\n\n\
         <span class=\"filename\">Filename: examples/ch01-01-hi.rs</span>\n\n\
         ```rust,standalone_crate\n{{#rustdoc_include ../examples/ch01-01-hi.rs}}\n```\n\n\
         </div>\n<div class=\"python-side\">\n\n\
         <span class=\"filename\">Filename: examples/python/ch01-01-hi.py</span>\n\n\
         ```python\n{{#include ../examples/python/ch01-01-hi.py}}\n```\n\n\
         </div>\n</div>\n\n\
         ```text\n<!-- cmdrun --strict ../target/book/release/examples/ch01-01-hi -->\n```\n"
    );
    let page = root.expand("{{#listing ch01-01-hi no-twin}}\n").unwrap();
    assert!(!page.contains("python"), "{page}");
}

#[test]
fn a_pair_tells_the_css_its_widest_line_in_characters() {
    assert_eq!(widest_line("fn main() {}\n    é\n"), 12);
    assert_eq!(widest_line("ab  \n"), 2, "trailing spaces take no room");
    assert_eq!(widest_line(""), 0);
    let root = Root::new(&[
        ("examples/ch01-01-hi.rs", PLAIN),
        (
            "examples/python/ch01-01-hi.py",
            format!("print({:?})\n", "x".repeat(40)).as_str(),
        ),
    ]);
    let page = root.expand("{{#listing ch01-01-hi}}\n").unwrap();
    assert!(
        page.contains("style=\"--pair-cols: 49\""),
        "the Python twin is wider: {page}"
    );
}

#[test]
fn options_shape_the_output_block() {
    let root = Root::new(&[("examples/ch02-01-c.rs", PLAIN)]);
    let page = root
        .expand("{{#listing ch02-01-c output-only args=\"worker Oceania\"}}\n")
        .unwrap();
    assert_eq!(
        page,
        "```text\n<!-- cmdrun --strict ../target/book/release/examples/ch02-01-c worker Oceania -->\n```\n"
    );
    let page = root.expand("{{#listing ch02-01-c stderr}}\n").unwrap();
    assert!(page.contains("examples/ch02-01-c 2>&1 -->"), "{page}");
    let page = root.expand("{{#listing ch02-01-c no-output}}\n").unwrap();
    assert!(!page.contains("cmdrun"), "{page}");
    assert!(page.contains("Filename: examples/ch02-01-c.rs"));
}

#[test]
fn unknown_names_and_options_are_errors_with_their_line() {
    let root = Root::new(&[("examples/ch02-01-c.rs", PLAIN)]);
    let text = "# Page\n\n{{#listing ch02-01-nope}}\n\n{{#listing ch02-01-c loud}}\n\
                {{#listing ch02-01-c args=\"a; rm -rf /\"}}\n{{#listing}}\n\
                {{#listing ch02-01-c no-twin}}\n{{#listing ch02-01-c output-only no-output}}\n\
                {{#listing ch02-01-c\n  {{#listing ch02-01-c}}\n";
    let errors = messages(root.expand(text));
    let expected = [
        "3: unknown listing `ch02-01-nope`: there is no examples/ch02-01-nope.rs",
        "5: unknown option `loud`",
        "6: args=\"a; rm -rf /\": `;` is not allowed",
        "7: a listing needs a name",
        "8: `no-twin`: listing `ch02-01-c` has no Python twin",
        "9: `output-only` and `no-output` leave nothing to show",
        "10: a `{{#listing ...}}` directive must end with `}}`",
        "11: a `{{#listing ...}}` directive starts at the beginning of its line",
    ];
    for (line, want) in errors.lines().zip(expected) {
        assert!(
            line.starts_with(want),
            "{line:?} should start with {want:?}"
        );
    }
    assert_eq!(errors.lines().count(), expected.len(), "{errors}");
}

#[test]
fn directives_in_code_are_left_alone() {
    let root = Root::new(&[]);
    let text = "Write `{{#listing NAME}}` on a line.\n\n````markdown\n{{#listing NAME}}\n```\n\
                still inside\n````\n\n~~~\n{{#listing x}}\n~~~\n\n    {{#listing indented-code}}\n";
    // The indented one is code for Markdown, but it is refused rather than silently kept,
    // so a directive is never half-rendered.
    let errors = messages(root.expand(text));
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.starts_with("13: "), "{errors}");
    let text = "Write `{{#listing NAME}}` on a line.\n\n````markdown\n{{#listing NAME}}\n```\n\
                still inside\n````\n\n~~~\n{{#listing x}}\n~~~\n";
    assert_eq!(root.expand(text).unwrap(), text);
}

#[test]
fn the_path_back_to_the_root_depends_on_the_page_folder() {
    assert_eq!(path_up(Path::new("src"), Path::new("ch01-01-a.md")), "..");
    assert_eq!(path_up(Path::new("src"), Path::new("bench/x.md")), "../..");
}

#[test]
fn the_protocol_round_trips_the_book_and_reports_page_and_line() {
    let root = Root::new(&[("examples/ch01-01-hi.rs", PLAIN)]);
    let book = |content: &str| {
        serde_json::json!([
            {"root": root.0.path(), "config": {"book": {"src": "src"}}, "renderer": "test",
             "mdbook_version": "0.4.52"},
            {"sections": [
                {"PartTitle": "Part"},
                {"Chapter": {"name": "One", "content": "x\n", "number": [1],
                    "sub_items": [{"Chapter": {"name": "Sub", "content": content,
                        "number": [1, 1], "sub_items": [], "path": "ch01-01-a.md",
                        "source_path": "ch01-01-a.md", "parent_names": ["One"]}}],
                    "path": "ch01-00-a.md", "source_path": "ch01-00-a.md", "parent_names": []}},
                "Separator"
             ], "__non_exhaustive": null}
        ])
        .to_string()
    };
    let out = run(&book("{{#listing ch01-01-hi}}\n")).unwrap();
    let content = out["sections"][1]["Chapter"]["sub_items"][0]["Chapter"]["content"]
        .as_str()
        .unwrap();
    assert!(content.contains("{{#rustdoc_include ../examples/ch01-01-hi.rs}}"));
    assert_eq!(out["sections"][2], "Separator");
    let err = run(&book("a\n{{#listing ch01-01-x}}\n")).unwrap_err();
    assert!(
        err.starts_with("src/ch01-01-a.md:2: unknown listing `ch01-01-x`"),
        "{err}"
    );
}

#[test]
fn the_known_crates_are_the_examples_dependencies() {
    // The root Cargo.toml's [dependencies] table, read line by line: `name = ...` (or
    // `name.workspace = true`) until the next table.
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml"))
            .expect("read the root Cargo.toml");
    let mut in_deps = false;
    let mut deps = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
        } else if in_deps && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            let name = name.strip_suffix(".workspace").unwrap_or(name).trim_end();
            deps.push(name.replace('-', "_"));
        }
    }
    deps.sort();
    let mut known: Vec<String> = CRATES.iter().map(|c| c.to_string()).collect();
    known.sort();
    assert_eq!(
        known, deps,
        "CRATES must list the root package's [dependencies], so that every listing using one \
         gets its hidden `# extern crate` line"
    );
}

#[test]
fn a_crate_whose_name_starts_like_another_is_told_apart() {
    let facts = RustFacts::of("use tokio_util::sync::CancellationToken;\nfn main() {}\n");
    assert_eq!(facts.crates, ["tokio_util"]);
    let facts =
        RustFacts::of("fn main() { tracing_subscriber::fmt().init(); tracing::info!(\"x\"); }\n");
    assert_eq!(facts.crates, ["tracing", "tracing_subscriber"]);
}
