//! `cargo xtask build`: the examples, then the book, then checks of the built HTML.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Instant;

use anyhow::Result;

use crate::process::{cargo, mdbook, run, run_swept};
use crate::{BOOK_TARGET, html, lint, tools};

/// Build the examples and the book, then check the built HTML (links, anchors, outputs)
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    let path = tools::ensure_all()?;
    build_book(&path)
}

/// Checks the Markdown, builds the examples and the book (with the pinned tools first on
/// `path`), then checks the built HTML.
pub fn build_book(path: &OsStr) -> Result<()> {
    lint::check_sources(Path::new("."))?;
    build_examples()?;
    let start = Instant::now();
    // mdbook-cmdrun runs every listing: one that left a process behind is named.
    run_swept(
        mdbook(path).arg("build"),
        std::time::Duration::from_secs(1800),
    )?;
    eprintln!("xtask: mdbook build took {:.2?}", start.elapsed());
    html::check_built_book(Path::new("."))
}

/// Builds every example (and the crates they use) into [`BOOK_TARGET`], the benchmark's
/// binary, which draws the timelines of chapter 6 while the book is built, and the diagrams'
/// binary, which draws chapter 1's downloads from a run of two listings (the first shares
/// tokio and rayon with the examples, the second is std only, so `mdbook test -L` still finds
/// one build of each crate).
///
/// They are built for release: the outputs in the book show timings (speedups, spawn costs)
/// that an unoptimized build would distort, and the CPU-bound listings run in a fraction of the
/// time, which keeps `mdbook build` (which runs every listing) quick.
pub fn build_examples() -> Result<()> {
    // The book's preprocessor (`{{#listing}}`), which mdBook runs through cargo: built here so
    // that a compile error stops the build, where mdBook would take it for a preprocessor that
    // declines the renderer and skip it. (Into the normal target/, not target/book.)
    run(cargo().args(["build", "--quiet", "--package", "mdbook-listing"]))?;
    run(cargo().args([
        "build",
        "--quiet",
        "--release",
        "--examples",
        "--target-dir",
        BOOK_TARGET,
    ]))?;
    run(cargo().args([
        "build",
        "--quiet",
        "--release",
        "--package",
        "course-bench",
        "--package",
        "course-diagrams",
        "--target-dir",
        BOOK_TARGET,
    ]))
}
