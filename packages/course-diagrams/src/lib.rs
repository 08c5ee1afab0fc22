//! The diagrams of chapters 1-4.
//!
//! Most are SVG files written by hand in `src/diagrams/`, which a page shows inline with
//! `{{#include diagrams/NAME.svg}}` (inline, so that their colours follow the reader's theme
//! through `theme/diagrams.css`). One is drawn from a real run, while the book is built, the way
//! chapter 6's timelines are: `course-diagrams downloads` runs the two download listings of
//! chapter 1 (prebuilt, beside it in `target/book/release/examples/`) and draws, from the
//! times they print, the downloads one after another and the downloads overlapping.
//!
//! The package's tests check every diagram (`tests/diagrams.rs`).

pub mod downloads;
