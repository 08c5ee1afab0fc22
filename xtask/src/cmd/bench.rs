//! `cargo xtask bench [--quick] [--book] [--no-python]`: the benchmark (`bench/`), for release.

use anyhow::Result;

use crate::process::{cargo, run};

/// Where `cargo xtask bench` writes its results and charts, and where `--book` copies the
/// snapshot the book shows (chapter 6 includes `src/bench/results.md` and its charts).
const BENCH_OUT: &str = "target/bench";
const BENCH_BOOK: &str = "src/bench";

/// Measure processes, threads and tasks (and Python): print a table, write
/// target/bench/results.json and SVG charts
#[derive(clap::Args)]
pub struct Args {
    /// A smoke test: every measure, small sizes (its figures mean little)
    #[arg(long)]
    quick: bool,
    /// Also refresh the snapshot the book shows, in src/bench/
    #[arg(long)]
    book: bool,
    /// Leave out the Python side
    #[arg(long)]
    no_python: bool,
}

pub fn execute(args: Args) -> Result<()> {
    let mut cmd = cargo();
    cmd.args([
        "run",
        "--quiet",
        "--release",
        "--package",
        "course-bench",
        "--",
        "--out",
        BENCH_OUT,
    ]);
    if args.quick {
        cmd.arg("--quick");
    }
    if args.no_python {
        cmd.arg("--no-python");
    }
    if args.book {
        cmd.args(["--book", BENCH_BOOK]);
    }
    run(&mut cmd)
}
