//! `cargo xtask`: the course's tooling, in Rust so it runs wherever cargo does.
//!
//! ```text
//! cargo xtask serve [--open] [--port N]  build the examples, then serve the book on 127.0.0.1:3000
//!                                        with the local runner (prints the address with its secret)
//! cargo xtask test                       every check: fmt, clippy, the book, mdbook test, cargo test
//! cargo xtask build                      build the examples and the book, then check the built HTML
//! cargo xtask lint                       check the book's Markdown (fast, no build)
//! cargo xtask quiz                       compile and run every quiz program, check its claims
//! cargo xtask check [NAME [--solution]]  run an exercise's tests: PASS/FAIL per test, with hints
//! cargo xtask check --all                every solution passes its tests, every starter fails them
//! cargo xtask tools                      install the pinned tools if missing and print where they are
//! cargo xtask stress [--runs N]          run every example test N times on one busy CPU (default 100)
//! cargo xtask bench [--quick] [--book]   measure processes, threads and tasks (and Python): print a
//!                                        table, write target/bench/results.json and SVG charts;
//!                                        --book also refreshes the book's snapshot in src/bench/
//! cargo xtask runner-bench               how quickly the local runner answers (figures)
//! ```

mod check;
mod exercises;
mod quiz;
mod serve;
mod stress;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where the book's examples and their dependencies are built: one build of each crate,
/// used both by mdbook-cmdrun (the example binaries) and by `mdbook test -L` (the rlibs).
pub const BOOK_TARGET: &str = "target/book";

pub const USAGE: &str = "usage: cargo xtask <serve [--open] [--port N] | runner-bench | test | build | lint | quiz | check [NAME [--solution] | --all] | tools | stress [--runs N] | bench [--quick] [--book] [--no-python]>";

/// Where `cargo xtask bench` writes its results and charts, and where `--book` copies the
/// snapshot the book shows (chapter 5 includes `src/bench/results.md` and its charts).
const BENCH_OUT: &str = "target/bench";
const BENCH_BOOK: &str = "src/bench";

/// How many rounds of the stress test `cargo xtask test` runs (the long form is
/// `cargo xtask stress`, 100 rounds by default).
const TEST_STRESS_RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(err) = std::env::set_current_dir(project_root()) {
        eprintln!("xtask: cannot enter the project root: {err}");
        std::process::exit(2);
    }
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&args[1..]),
        Some("runner-bench") => serve::bench(),
        Some("test") => test_all(),
        Some("build") => tools::ensure_all().and_then(|path| build_book(&path)),
        Some("lint") => check::check_sources(Path::new(".")).map(|n| {
            println!("xtask: the book's Markdown is sound ({n} listings checked)");
        }),
        Some("quiz") => quiz::verify_all(Path::new("."))
            .map(|n| println!("xtask: every quiz claim holds ({n} programs checked)"))
            .map_err(Into::into),
        Some("check") => exercises::command(&args[1..]),
        Some("stress") => stress_args(&args[1..]).and_then(stress::stress).map(|_| ()),
        Some("bench") => bench(&args[1..]),
        Some("hog") => stress::hog(),
        Some("tools") => tools::ensure_all().map(|_| {
            for tool in tools::TOOLS {
                println!(
                    "{} {}: {}",
                    tool.name,
                    tool.version,
                    tools::cache_dir()
                        .join(format!("{}-{}/bin/{}", tool.name, tool.version, tool.name))
                        .display()
                );
            }
        }),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(err) = result {
        eprintln!("xtask: error: {err}");
        std::process::exit(1);
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the project root")
        .to_path_buf()
}

/// Runs a command, echoing it, and fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if !status.success() {
        return Err(format!("`{}` failed ({status})", describe(cmd)).into());
    }
    Ok(())
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn mdbook(path: &std::ffi::OsStr) -> Command {
    let mut cmd = Command::new("mdbook");
    cmd.env("PATH", path);
    cmd
}

/// Builds every example (and the crates they use) into [`BOOK_TARGET`], and the benchmark's
/// binary, which draws the timelines of chapter 5 while the book is built (a debug build: it
/// shares tokio and rayon with the examples, so `mdbook test -L` still finds one of each).
///
/// They are built for release: the outputs in the book show timings (speedups, spawn costs)
/// that an unoptimized build would distort, and the CPU-bound listings run in a fraction of the
/// time, which keeps `mdbook build` (which runs every listing) quick.
pub fn build_examples() -> Result<()> {
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
        "--target-dir",
        BOOK_TARGET,
    ]))
}

/// `cargo xtask bench [--quick] [--book] [--no-python]`: the benchmark, built for release.
fn bench(args: &[String]) -> Result<()> {
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
    for arg in args {
        match arg.as_str() {
            "--quick" | "--no-python" => {
                cmd.arg(arg);
            }
            "--book" => {
                cmd.args(["--book", BENCH_BOOK]);
            }
            other => return Err(format!("unknown option {other}\n{USAGE}").into()),
        }
    }
    run(&mut cmd)
}

/// Builds the examples and the book, then checks the built HTML.
pub fn build_book(path: &std::ffi::OsStr) -> Result<()> {
    check::check_sources(Path::new("."))?;
    build_examples()?;
    let start = Instant::now();
    run(mdbook(path).arg("build"))?;
    eprintln!("xtask: mdbook build took {:.2?}", start.elapsed());
    check::check_built_book(Path::new("."))
}

fn stress_args(args: &[String]) -> Result<usize> {
    match args {
        [] => Ok(100),
        [flag, n] if flag == "--runs" => Ok(n.parse()?),
        _ => Err(USAGE.into()),
    }
}

/// Debian's Chromium and its WebDriver, for the browser tests: installed with apt-get when
/// missing (CI and the course's machines run as root; elsewhere, say what to install).
fn ensure_chromium() -> Result<()> {
    let found = |program: &str| {
        Command::new(program)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if found("chromium") && found("chromedriver") {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        return Err(
            "the browser tests need Chromium and its WebDriver: install them \
                    (Debian/Ubuntu: `sudo apt-get install chromium chromium-driver`)"
                .into(),
        );
    }
    eprintln!("xtask: installing chromium and chromium-driver with apt-get (once per machine)");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Every check the project has, in the order that fails fastest.
fn test_all() -> Result<()> {
    let total = Instant::now();
    let mut passed = 0;
    let mut step = |name: &str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        f().map_err(|e| format!("step `{name}` failed: {e}"))?;
        eprintln!("==> {name}: ok in {:.1?}", start.elapsed());
        passed += 1;
        Ok(())
    };
    let mut path = std::ffi::OsString::new();
    step("install the pinned tools", &mut || {
        path = tools::ensure_all()?;
        Ok(())
    })?;
    step("cargo fmt --check", &mut || {
        run(cargo().args(["fmt", "--all", "--check"]))
    })?;
    step("check the book's Markdown", &mut || {
        check::check_sources(Path::new(".")).map(|_| ())
    })?;
    step("cargo clippy", &mut || {
        run(cargo().args([
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("build the examples and the book", &mut || build_book(&path))?;
    let deps = Path::new(BOOK_TARGET).join("release").join("deps");
    step(
        "compile_fail blocks fail with their error codes",
        &mut || {
            let n = check::check_compile_fail(Path::new("."), &deps)?;
            eprintln!("xtask: {n} compile_fail blocks fail for the reason their page gives");
            Ok(())
        },
    )?;
    step("mdbook test", &mut || {
        let start = Instant::now();
        run(mdbook(&path).arg("test").arg("-L").arg(&deps))?;
        eprintln!("xtask: mdbook test took {:.2?}", start.elapsed());
        Ok(())
    })?;
    step("cargo test", &mut || {
        // The exercises' starters are left out: they fail their tests (`todo!()`) by design.
        // The next step runs those tests, on the solutions and on the starters.
        run(cargo().args(["test", "--workspace", "--exclude", "exercise-*"]))
    })?;
    step(
        "exercises: every solution passes its tests, every starter fails them",
        &mut || exercises::verify_all(Path::new(".")),
    )?;
    step("the book in a real browser", &mut || {
        ensure_chromium()?;
        run(cargo().args(["test", "--package", "browser-tests", "--", "--ignored"]))
    })?;
    step("stress: every example test on one busy CPU", &mut || {
        stress::stress(TEST_STRESS_RUNS).map(|_| ())
    })?;
    println!(
        "\nxtask: all {passed} steps passed in {:.0?}",
        total.elapsed()
    );
    println!("steps: {passed} passed, 0 failed");
    Ok(())
}
