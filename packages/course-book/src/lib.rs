//! What several of the course's crates need to know about the book, in one place:
//!
//! - [`directive`]: the `{{#...}}` directives of a page, and `{{#listing NAME options}}` parsed
//!   (the preprocessor `mdbook-listing` expands them; `cargo xtask lint` checks them);
//! - [`summary`] (feature `summary`): the pages `src/SUMMARY.md` links to;
//! - [`quiz`] (feature `quiz`): a quiz file (`quizzes/NAME.toml`), its questions and the claims
//!   its programs make;
//! - [`procs`]: the processes a test run marked through their environment, found (and ended)
//!   even after they were re-parented;
//! - [`index`] (feature `index`): the index of tools (`index/*.toml`), what the listings use,
//!   the links between pages; [`headings`] (feature `index`): the ids mdBook gives headings.

pub mod directive;
#[cfg(feature = "index")]
pub mod headings;
#[cfg(feature = "index")]
pub mod index;
pub mod procs;
#[cfg(feature = "quiz")]
pub mod quiz;
#[cfg(feature = "summary")]
pub mod summary;
