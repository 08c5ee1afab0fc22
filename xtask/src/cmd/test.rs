//! `cargo xtask test`: every check the project has, in the order that fails fastest.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{cargo, found, mdbook, run, run_swept};
use crate::{compile_fail, exercises, lint, stress, tools};

/// How many rounds of the stress test `cargo xtask test` runs (the long form is
/// `cargo xtask stress`, 100 rounds by default).
const TEST_STRESS_RUNS: usize = 3;

/// Run every test: fmt, lint, clippy, build, compile_fail, mdbook test, cargo test, Miri and
/// TSan (nightly, installed when missing), the exercises, the browser, stress
#[derive(clap::Args)]
pub struct Args {
    /// Run this whole command N times while a CPU hog per core keeps every CPU busy; print
    /// `soak: N runs, F failed` and the failing tests (logs in target/soak/)
    #[arg(long, value_name = "N")]
    soak: Option<usize>,
}

pub fn execute(args: Args) -> Result<()> {
    if let Some(runs) = args.soak {
        let me = std::env::current_exe().context("where is xtask?")?;
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let results = stress::soak(runs, cpus, Path::new("target/soak"), &|| {
            let mut cmd = Command::new(&me);
            cmd.arg("test");
            cmd
        })?;
        let failed = results.iter().filter(|r| !r.passed).count();
        if failed > 0 {
            bail!("soak: {failed} of {runs} runs failed");
        }
        return Ok(());
    }
    let total = Instant::now();
    if let Some(free) = free_space(Path::new("."))
        && free < ROOM_NEEDED
    {
        eprintln!("xtask: warning: {}", disk_warning(free));
    }
    let mut passed = 0;
    let mut step = |name: &str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        f().with_context(|| match free_space(Path::new(".")) {
            // A full disk fails a step in odd ways (the linker crashes, rustc reports a
            // missing file): say so beside the step's own error.
            Some(free) if free < ROOM_NEEDED / 8 => {
                format!(
                    "step `{name}` failed, perhaps for lack of room: {}",
                    disk_warning(free)
                )
            }
            _ => format!("step `{name}` failed"),
        })?;
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
        lint::check_sources(Path::new(".")).map(|_| ())
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
    step("type-check for Windows and macOS", &mut || {
        super::crosscheck::check_all(Path::new("."))
    })?;
    step("build the examples and the book", &mut || {
        super::build::build_book(&path)
    })?;
    let deps = Path::new(course_book::layout::DEPS_DIR);
    step(
        "compile_fail blocks fail with their error codes",
        &mut || {
            let n = compile_fail::check(Path::new("."), deps)?;
            eprintln!("xtask: {n} compile_fail blocks fail for the reason their page gives");
            Ok(())
        },
    )?;
    step("mdbook test", &mut || {
        let start = Instant::now();
        run_swept(
            mdbook(&path).arg("test").arg("-L").arg(deps),
            Duration::from_secs(3600),
        )?;
        let took = start.elapsed().as_secs_f64();
        // The same command on the preface alone, which has no Rust block: what the
        // preprocessors cost (they run over the whole book either way), so that the figure
        // per block can be given with and without them.
        let start = Instant::now();
        run_swept(
            mdbook(&path)
                .args(["test", "--chapter", "Preface", "-L"])
                .arg(deps),
            Duration::from_secs(600),
        )?;
        let preprocessors = start.elapsed().as_secs_f64();
        let blocks = crate::html::tested_rust_blocks(Path::new("."))?;
        eprintln!("{}", mdbook_test_figures(took, preprocessors, blocks));
        Ok(())
    })?;
    step("cargo test", &mut || {
        // The exercises' starters are left out: they fail their tests (`todo!()`) by design.
        // The next step runs those tests, on the solutions and on the starters.
        run_swept(
            cargo().args(["test", "--workspace", "--exclude", "exercise-*"]),
            Duration::from_secs(3600),
        )
    })?;
    step(
        "Miri and TSan on the data-race listing, Miri on the store-buffer listing (nightly)",
        &mut || {
            // Without nightly, miri and rust-src: prints that it skipped, and passes.
            crate::nightly::run(Path::new("."), false)
        },
    )?;
    step(
        "exercises: solutions pass, starters and wrong solutions fail, every test has hints",
        &mut || exercises::verify::verify_all(Path::new(".")),
    )?;
    step("the book in a real browser", &mut || {
        ensure_chromium()?;
        crate::tools::AXE_CORE.ensure()?;
        run_swept(
            cargo().args(["test", "--package", "browser-tests", "--", "--ignored"]),
            Duration::from_secs(3600),
        )
    })?;
    step("stress: every test binary on one busy CPU", &mut || {
        stress::stress(TEST_STRESS_RUNS, None)
    })?;
    println!(
        "\nxtask: all {passed} steps passed in {:.0?}",
        total.elapsed()
    );
    println!("steps: {passed} passed, 0 failed");
    Ok(())
}

/// What one run of `cargo xtask test` from a clean clone leaves under target/ (22 GB measured on
/// Linux, 2026-12-04), with some margin.
const ROOM_NEEDED: u64 = 24 << 30;

/// The free space, in bytes, on the disk that holds `dir` (None where it cannot be asked).
fn free_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let stats = rustix::fs::statvfs(dir).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// What to tell when the disk has less room than a run needs.
fn disk_warning(free: u64) -> String {
    let gb = |bytes: u64| bytes as f64 / (1u64 << 30) as f64;
    format!(
        "{:.1} GB free on this disk; a run from a clean clone writes about {:.0} GB under \
         target/. A full disk makes rustc and the linker fail in odd ways (lld crashes)",
        gb(free),
        gb(ROOM_NEEDED)
    )
}

/// Debian's Chromium and its WebDriver, for the browser tests: installed with apt-get when
/// missing (CI and the course's machines run as root; elsewhere, say what to install).
fn ensure_chromium() -> Result<()> {
    if found("chromium") && found("chromedriver") {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        bail!(
            "the browser tests need Chromium and its WebDriver: install them \
             (Debian/Ubuntu: `sudo apt-get install chromium chromium-driver`)"
        );
    }
    eprintln!("xtask: installing chromium and chromium-driver with apt-get (once per machine)");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The figures of the `mdbook test` step: its time per tested block, whole and without the
/// preprocessors' share.
fn mdbook_test_figures(took: f64, preprocessors: f64, blocks: usize) -> String {
    let per = |secs: f64| secs / blocks.max(1) as f64;
    format!(
        "xtask: mdbook test took {took:.1}s for {blocks} tested blocks: {:.3}s per block; \
         its preprocessors alone (`mdbook test --chapter Preface`) take {preprocessors:.1}s, \
         so the tests take {:.3}s per block",
        per(took),
        per((took - preprocessors).max(0.0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mdbook_test_figures_split_off_the_preprocessors() {
        assert_eq!(
            mdbook_test_figures(40.0, 4.0, 144),
            "xtask: mdbook test took 40.0s for 144 tested blocks: 0.278s per block; its \
             preprocessors alone (`mdbook test --chapter Preface`) take 4.0s, so the tests \
             take 0.250s per block"
        );
        // No block (a book being written): no division by zero.
        assert!(mdbook_test_figures(3.0, 4.0, 0).ends_with("take 0.000s per block"));
    }

    #[test]
    #[cfg(unix)]
    fn the_free_space_is_asked_of_the_os_and_told_in_gigabytes() {
        // statvfs answers for any folder; a disk this test runs on has some room left.
        let free = free_space(Path::new(".")).expect("statvfs on the current folder");
        assert!(free > 0);
        // In bytes, as `df` counts them (its "Available" column, in KiB with -Pk): a count of
        // blocks, or the free bytes counting those kept for root (`f_bfree`), is far off.
        // Others write meanwhile, so within 1% or 100 MiB.
        if let Ok(df) = std::process::Command::new("df").args(["-Pk", "."]).output() {
            let text = String::from_utf8_lossy(&df.stdout);
            let available = text
                .lines()
                .nth(1)
                .and_then(|l| l.split_whitespace().nth(3));
            if let Some(kib) = available.and_then(|a| a.parse::<u64>().ok()) {
                let (ours, theirs) = (free / 1024, kib);
                let slack = (theirs / 100).max(100 << 10);
                assert!(
                    ours.abs_diff(theirs) <= slack,
                    "statvfs {ours} KiB, df {theirs} KiB"
                );
            }
        }
        assert!(free_space(Path::new("/no/such/folder")).is_none());
        assert!(disk_warning(3 << 29).starts_with("1.5 GB free on this disk"));
    }
}
