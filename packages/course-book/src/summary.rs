//! The pages of the book: the links of `src/SUMMARY.md`, read with pulldown-cmark (as mdBook
//! reads it).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// One link of SUMMARY.md: its target (relative to `src/`; empty for a draft chapter, which
/// mdBook allows as `[Title]()`), its line (1-based) and its depth: 0 outside the numbered
/// list (the preface, the appendix), 1 for a numbered chapter (`- [..](..)`), 2 for a page of
/// that chapter, and so on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub target: String,
    pub line: usize,
    pub depth: usize,
}

/// The links of a SUMMARY.md text, in order.
pub fn entries(summary: &str) -> Vec<Entry> {
    let mut depth = 0;
    let mut found = Vec::new();
    for (event, range) in Parser::new(summary).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => found.push(Entry {
                target: dest_url.to_string(),
                line: line_of(summary, range.start),
                depth,
            }),
            _ => {}
        }
    }
    found
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
        let summary = "# Summary\n\n[Preface](preface.md)\n\n- [One](ch01.md)\n  - [Draft]()\n\
                       - [Two](ch02.md)\n\n[Appendix](appendix.md)\n";
        let targets: Vec<(String, usize, usize)> = entries(summary)
            .into_iter()
            .map(|e| (e.target, e.line, e.depth))
            .collect();
        assert_eq!(
            targets,
            [
                ("preface.md".to_string(), 3, 0),
                ("ch01.md".to_string(), 5, 1),
                (String::new(), 6, 2),
                ("ch02.md".to_string(), 7, 1),
                ("appendix.md".to_string(), 9, 0)
            ]
        );
    }
}
