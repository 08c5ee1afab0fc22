//! The tests of the book's listings, one binary: `cargo test --test examples`.
//!
//! Every example is run by [`every_example_runs_and_ends_cleanly`] as soon as its file exists;
//! each chapter's module then checks what its programs guarantee (the set of lines, a total, the
//! order that joins impose; never the luck of scheduling).

mod common;

mod ch01;
mod ch02;
mod ch03;
mod ch04;
mod ch05;
mod ch05_hangs;
mod ch05_races;

use std::path::Path;

/// Each `examples/NAME.rs` runs without arguments, exits with 0 within [`common::TIMEOUT`] and
/// leaves no process behind (`common::run` checks all three), so a new listing is covered
/// before anyone writes its own test.
#[test]
fn every_example_runs_and_ends_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read examples/")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no example in {}", dir.display());
    for name in &names {
        let run = common::run(name, &[]);
        assert!(
            run.status.success(),
            "examples/{name}.rs failed when run without arguments: {run:#?}"
        );
    }
}
