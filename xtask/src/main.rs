//! `cargo xtask`: the course's tooling, in Rust so it runs wherever cargo does.
//! `cargo xtask --help` lists the commands, `cargo xtask COMMAND --help` explains one.
//!
//! Where things are (each command is a small module of `cmd/`, which calls the modules that do
//! the work):
//!
//! | Command | Module | Does the work |
//! | --- | --- | --- |
//! | `serve` | `cmd/serve.rs` | `cmd/build.rs`, then the local runner (`runner/`) and `mdbook serve` |
//! | `runner-bench` | `cmd/serve.rs` | how quickly the local runner answers |
//! | `build` | `cmd/build.rs` | builds examples and book; `html.rs` checks the built HTML |
//! | `test` | `cmd/test.rs` | every step, in order; `compile_fail.rs` is one of them |
//! | `crosscheck` | `cmd/crosscheck.rs` | type-checks the workspace for Windows and macOS |
//! | `lint` | `cmd/lint.rs` | `lint/`: the rules on the book's Markdown, one file per concern |
//! | `quiz` | `cmd/quiz.rs` | `quiz.rs`: compiles and runs the quizzes' programs |
//! | `check` | `cmd/check.rs` | `exercises/`: the exercises' tests, PASS/FAIL per test, hints |
//! | `mutants` | `cmd/mutants.rs` | `exercises/mutants.rs`: cargo-mutants on the solutions |
//! | `tools` | `cmd/tools.rs` | `tools.rs`: the pinned mdBook tools, installed once |
//! | `stress` | `cmd/stress.rs` | `stress.rs`: every test binary on one busy CPU; `stress/progress.rs` its record, `stress/soak.rs` the soak |
//! | `bench` | `cmd/bench.rs` | the `course-bench` package (`bench/`) |
//! | `renumber` | `cmd/renumber.rs` | `renumber.rs`: page numbers in SUMMARY.md order |
//! | `nightly` | `cmd/nightly.rs` | `nightly.rs`: Miri and ThreadSanitizer output, stored and re-checked |
//!
//! `report.rs` collects the problems the checkers find (`file:line: what`), `process.rs` runs
//! other programs; what other crates need too is in `packages/course-book`. `workflows.rs` tests
//! the GitHub workflows (`.github/workflows/`): the commands they run exist.

mod cmd;
mod compile_fail;
mod exercises;
mod html;
mod lint;
mod nightly;
mod process;
mod quiz;
mod renumber;
mod report;
mod stress;
mod tools;
#[cfg(test)]
mod workflows;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Where the book's examples and their dependencies are built: one build of each crate,
/// used both by mdbook-cmdrun (the example binaries) and by `mdbook test -L` (the rlibs).
pub use course_book::layout::BOOK_TARGET;

/// The course's tooling: build, serve, check and test the book.
#[derive(Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Serve(cmd::serve::Args),
    RunnerBench(cmd::serve::BenchArgs),
    Build(cmd::build::Args),
    Test(cmd::test::Args),
    Crosscheck(cmd::crosscheck::Args),
    Lint(cmd::lint::Args),
    Quiz(cmd::quiz::Args),
    Check(cmd::check::Args),
    Mutants(cmd::mutants::Args),
    Tools(cmd::tools::Args),
    Stress(cmd::stress::Args),
    Bench(cmd::bench::Args),
    Renumber(cmd::renumber::Args),
    Nightly(cmd::nightly::Args),
    /// (internal) keep one CPU busy until killed: the busy process of `stress`
    #[command(hide = true)]
    Hog,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(root) = project_root() else {
        eprintln!("xtask: no project root: run it with `cargo xtask` inside the project");
        return ExitCode::from(2);
    };
    if let Err(err) = std::env::set_current_dir(&root) {
        eprintln!(
            "xtask: cannot enter the project root {}: {err}",
            root.display()
        );
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::execute(args),
        Command::RunnerBench(args) => cmd::serve::bench(args),
        Command::Build(args) => cmd::build::execute(args),
        Command::Test(args) => cmd::test::execute(args),
        Command::Crosscheck(args) => cmd::crosscheck::execute(args),
        Command::Lint(args) => cmd::lint::execute(args),
        Command::Quiz(args) => cmd::quiz::execute(args),
        Command::Check(args) => cmd::check::execute(args),
        Command::Mutants(args) => cmd::mutants::execute(args),
        Command::Tools(args) => cmd::tools::execute(args),
        Command::Stress(args) => cmd::stress::execute(args),
        Command::Bench(args) => cmd::bench::execute(args),
        Command::Renumber(args) => cmd::renumber::execute(args),
        Command::Nightly(args) => cmd::nightly::execute(args),
        Command::Hog => stress::hog(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The project root, found where this command runs, never where it was compiled (a copy of
/// the project, with its `target/` copied along, must work on the copy): the parent of xtask's
/// folder as `cargo run` (`cargo xtask`) names it, else the first folder up from the current
/// one with a `Cargo.toml` and an `xtask/` folder.
fn project_root() -> Option<PathBuf> {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        return Path::new(&manifest_dir).parent().map(Path::to_path_buf);
    }
    let here = std::env::current_dir().ok()?;
    here.ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_documented_form_parses() {
        for line in [
            "serve",
            "serve --open --port 3001",
            "serve -- --memory-mib 2048 --timeout-secs 30",
            "runner-bench",
            "test",
            "test --soak 5",
            "build",
            "crosscheck",
            "lint",
            "quiz",
            "check",
            "check threads-pipeline",
            "check threads-pipeline --solution",
            "check threads-pipeline --hint",
            "check threads-pipeline --wrong 03",
            "check --all",
            "check loom-handoff --all",
            "mutants",
            "mutants event-loop-timers",
            "tools",
            "stress",
            "stress --runs 3",
            "stress --runs 100 --resume",
            "bench --quick --book --no-python",
            "renumber",
            "renumber --write",
            "nightly",
            "nightly --write",
            "hog",
        ] {
            let args = std::iter::once("xtask").chain(line.split_whitespace());
            if let Err(e) = Cli::try_parse_from(args) {
                panic!("`cargo xtask {line}`: {e}");
            }
        }
        for bad in [
            "serve --port",
            "check --solution",
            "check a --all --hint",
            "check a --wrong",
            "check a --wrong 1 --solution",
            "check a --hint --solution",
            "check --hint",
            "stress --runs x",
            "test --soak",
        ] {
            let args = std::iter::once("xtask").chain(bad.split_whitespace());
            assert!(
                Cli::try_parse_from(args).is_err(),
                "`{bad}` should not parse"
            );
        }
    }
}
