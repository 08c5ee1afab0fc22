//! Where the book's build puts things, for every crate that needs to find them (xtask builds
//! there, the preprocessor's output blocks run the examples from there, `mdbook test -L` and
//! the local runner take the crates' rlibs from there).
//!
//! The examples, and the crates they use, are built once for release into [`BOOK_TARGET`]
//! (`cargo build --release --examples --target-dir target/book`): one build of each crate, so
//! that `mdbook test -L` finds exactly one of each.

/// The target folder of the book's build, from the project's root.
pub const BOOK_TARGET: &str = "target/book";

/// The profile the examples are built with.
pub const BOOK_PROFILE: &str = "release";

/// The example binaries: `target/book/release/examples/NAME`.
pub const EXAMPLES_DIR: &str = "target/book/release/examples";

/// The rlibs of the crates the examples use: `target/book/release/deps`.
pub const DEPS_DIR: &str = "target/book/release/deps";

/// Where `mdbook build` writes the book (mdBook's default `build-dir`).
pub const BUILT_BOOK: &str = "book";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folders_are_in_the_book_target() {
        assert_eq!(
            EXAMPLES_DIR,
            format!("{BOOK_TARGET}/{BOOK_PROFILE}/examples")
        );
        assert_eq!(DEPS_DIR, format!("{BOOK_TARGET}/{BOOK_PROFILE}/deps"));
    }
}
