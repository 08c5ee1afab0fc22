//! `cargo xtask build`: the examples, then the book, then checks of the built HTML.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

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
    prepare_book()?;
    let start = Instant::now();
    // mdbook-cmdrun runs every listing: one that left a process behind is named.
    run_swept(
        mdbook(path).arg("build"),
        std::time::Duration::from_secs(1800),
    )?;
    eprintln!("xtask: mdbook build took {:.2?}", start.elapsed());
    html::check_built_book(Path::new("."))
}

/// What mdbook needs before it builds the book: Markdown that passes the checks, and every
/// example built (mdbook-cmdrun runs them).
pub fn prepare_book() -> Result<()> {
    lint::check_sources(Path::new("."))?;
    build_examples()
}

/// Builds every example (and the crates they use) into [`BOOK_TARGET`], the benchmark's
/// binary, which draws the timelines of chapter 6 while the book is built, and the diagrams'
/// binary, which draws chapter 1's downloads from a run of two listings, all in one cargo run
/// (so `mdbook test -L` finds one build of each crate); then removes from the deps folder the
/// libraries an earlier build left of a crate built again since.
///
/// They are built for release: the outputs in the book show timings (speedups, spawn costs)
/// that an unoptimized build would distort, and the CPU-bound listings run in a fraction of the
/// time, which keeps `mdbook build` (which runs every listing) quick.
pub fn build_examples() -> Result<()> {
    // The book's preprocessor (`{{#listing}}`), which mdBook runs through cargo: built here so
    // that a compile error stops the build, where mdBook would take it for a preprocessor that
    // declines the renderer and skip it. (Into the normal target/, not target/book.)
    run(cargo().args(["build", "--quiet", "--package", "mdbook-listing"]))?;
    // One cargo run for the three packages, so that cargo resolves their features together and
    // builds each shared crate (tokio, rayon) once: a second tokio, with other features, would
    // give `mdbook test -L` two candidates.
    let built = built_files(cargo().args([
        "build",
        "--quiet",
        "--release",
        "--package",
        "async-rust-course",
        "--package",
        "course-bench",
        "--package",
        "course-diagrams",
        "--examples",
        "--bins",
        "--target-dir",
        BOOK_TARGET,
    ]))?;
    prune_stale_libraries(Path::new(course_book::layout::DEPS_DIR), &built)
}

/// Runs a `cargo build`, its messages as JSON, and returns the files it built or found fresh
/// (its diagnostics still reach the terminal, rendered).
fn built_files(cmd: &mut Command) -> Result<BTreeSet<PathBuf>> {
    cmd.arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped());
    eprintln!("$ {cmd:?}");
    let out = cmd.output().context("cannot run cargo build")?;
    if !out.status.success() {
        bail!("`{cmd:?}` failed ({})", out.status);
    }
    let mut files = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] == "compiler-artifact"
            && let Some(names) = message["filenames"].as_array()
        {
            files.extend(names.iter().filter_map(|n| n.as_str()).map(PathBuf::from));
        }
    }
    Ok(files)
}

/// Removes from `deps` the libraries of an earlier build of a crate that this build also built
/// (`libtokio-OLD.rlib` beside `libtokio-NEW.rlib`, after a change of features or versions):
/// `mdbook test -L deps` and the runner would otherwise find two candidates for `tokio`
/// (E0464). Only such duplicates go; nothing cargo uses is touched.
fn prune_stale_libraries(deps: &Path, built: &BTreeSet<PathBuf>) -> Result<()> {
    // `libNAME-HASH.rlib` -> `libNAME-`
    let crate_prefix = |file: &str| -> Option<String> {
        let stem = file.strip_prefix("lib")?;
        let (stem, _) = stem.rsplit_once('.')?;
        let (name, _hash) = stem.rsplit_once('-')?;
        Some(format!("lib{name}-"))
    };
    let current: BTreeSet<&OsStr> = built.iter().filter_map(|p| p.file_name()).collect();
    let prefixes: BTreeSet<String> = current
        .iter()
        .filter_map(|f| f.to_str())
        .filter(|f| f.ends_with(".rlib"))
        .filter_map(crate_prefix)
        .collect();
    let Ok(entries) = std::fs::read_dir(deps) else {
        return Ok(());
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(text) = name.to_str() else { continue };
        let is_library = text.ends_with(".rlib") || text.ends_with(".rmeta");
        if is_library
            && !current.contains(name.as_os_str())
            && !current.contains(OsStr::new(&text.replace(".rmeta", ".rlib")))
            && crate_prefix(text).is_some_and(|p| prefixes.contains(&p))
        {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            removed += 1;
        }
    }
    if removed > 0 {
        eprintln!(
            "xtask: removed {removed} libraries of earlier builds from {}",
            deps.display()
        );
    }
    Ok(())
}
