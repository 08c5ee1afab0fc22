//! The code blocks of a page, read with pulldown-cmark.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

pub use course_book::summary::line_of;

/// A fenced or indented code block of a page.
pub struct Block {
    /// The info string (`rust,compile_fail,E0277`); empty for an indented block.
    pub info: String,
    pub body: String,
    /// The line of its opening fence (1-based).
    pub line: usize,
}

impl Block {
    /// The attributes of its info string (`rust`, `ignore`, `E0277`...).
    pub fn attributes(&self) -> Vec<&str> {
        self.info
            .split([',', ' '])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect()
    }
}

/// Every code block of `text`, in order.
pub fn code_blocks(text: &str) -> Vec<Block> {
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
                    line: line_of(text, range.start),
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
pub fn is_rust(attrs: &[&str]) -> bool {
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
        Some(first) => RUSTDOC.contains(first) || crate::compile_fail::is_error_code(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_with_line_and_attributes() {
        let text = "# T\n\n```rust,ignore\nfn a() {}\n```\n\n    indented\n\n```text\nout\n```\n";
        let blocks = code_blocks(text);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[0].attributes(), ["rust", "ignore"]);
        assert_eq!(blocks[0].body, "fn a() {}\n");
        assert!(is_rust(&blocks[0].attributes()));
        assert!(
            is_rust(&blocks[1].attributes()),
            "no language: Rust for rustdoc"
        );
        assert!(!is_rust(&blocks[2].attributes()));
        assert!(is_rust(&["compile_fail", "E0277"]));
        assert!(is_rust(&["E0277"]));
    }
}
