//! What several of the course's crates need to know about the book, in one place:
//!
//! - [`directive`]: the `{{#...}}` directives of a page, and `{{#listing NAME options}}` parsed
//!   (the preprocessor `mdbook-listing` expands them; `cargo xtask lint` checks them);
//! - [`summary`] (feature `summary`): the pages `src/SUMMARY.md` links to;
//! - [`quiz`] (feature `quiz`): a quiz file (`quizzes/NAME.toml`), its questions and the claims
//!   its programs make;
//! - [`procs`]: the processes a test run marked through their environment, found (and ended)
//!   even after they were re-parented, and [`procs::run_marked`], which runs a program so;
//! - [`patience`]: how long a test waits for something that must happen, stretched on a slow
//!   machine by one variable, `COURSE_TEST_TIME_SCALE`;
//! - [`index`] (feature `index`): the index of tools (`index/*.toml`), what the listings use,
//!   the links between pages; [`headings`] (feature `index`): the ids mdBook gives headings;
//! - [`layout`]: where the book's build puts the examples, their crates and the book;
//! - [`tools`]: the pinned tools (mdBook and its preprocessors), where their cache is, and a
//!   `PATH` that finds exactly those versions.

pub mod directive;
#[cfg(feature = "index")]
pub mod headings;
#[cfg(feature = "index")]
pub mod index;
pub mod layout;
pub mod procs;
#[cfg(feature = "quiz")]
pub mod quiz;
#[cfg(feature = "summary")]
pub mod summary;
pub mod tools;

/// The variable that stretches every wait of the course's tests and checkers (a factor: `3`
/// waits three times as long). The waits are generous already; a machine that is much slower,
/// or much busier, than a laptop can ask for more.
pub const TIME_SCALE_VAR: &str = "COURSE_TEST_TIME_SCALE";

/// `base`, stretched by [`TIME_SCALE_VAR`] (a positive number; unset or unreadable: 1).
///
/// Only for waits that turn a hang into a failure: a test never asserts that something took
/// *less* than a time (a busy machine can always be slower).
pub fn patience(base: std::time::Duration) -> std::time::Duration {
    let scale = std::env::var(TIME_SCALE_VAR)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(1.0);
    base.mul_f64(scale)
}
