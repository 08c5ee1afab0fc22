//! The pages of the book: the links of `src/SUMMARY.md`, read with pulldown-cmark (as mdBook
//! reads it).

use pulldown_cmark::{Event, Parser, Tag};

/// One link of SUMMARY.md: its target (relative to `src/`; empty for a draft chapter, which
/// mdBook allows as `[Title]()`) and its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub target: String,
    pub line: usize,
}

/// The links of a SUMMARY.md text, in order.
pub fn entries(summary: &str) -> Vec<Entry> {
    Parser::new(summary)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(Entry {
                target: dest_url.to_string(),
                line: line_of(summary, range.start),
            }),
            _ => None,
        })
        .collect()
}

/// The line (1-based) of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_in_order_with_their_lines() {
        let summary = "# Summary\n\n[Preface](preface.md)\n\n- [One](ch01.md)\n  - [Draft]()\n";
        let targets: Vec<(String, usize)> = entries(summary)
            .into_iter()
            .map(|e| (e.target, e.line))
            .collect();
        assert_eq!(
            targets,
            [
                ("preface.md".to_string(), 3),
                ("ch01.md".to_string(), 5),
                (String::new(), 6)
            ]
        );
    }
}
