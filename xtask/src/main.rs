//! `cargo xtask`: the course's tooling, in Rust so it runs wherever cargo does.
//!
//! ```text
//! cargo xtask serve [--open] [--port N]  build the examples, then serve the book on localhost:3000
//! cargo xtask test                       every check: fmt, clippy, the book, mdbook test, cargo test
//! cargo xtask build                      build the examples and the book, then check the built HTML
//! cargo xtask check                      check the book's Markdown (fast, no build)
//! cargo xtask tools                      install the pinned tools if missing and print where they are
//! ```

mod check;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where the book's examples and their dependencies are built: one build of each crate,
/// used both by mdbook-cmdrun (the example binaries) and by `mdbook test -L` (the rlibs).
pub const BOOK_TARGET: &str = "target/book";

const USAGE: &str = "usage: cargo xtask <serve [--open] [--port N] | test | build | check | tools>";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(err) = std::env::set_current_dir(project_root()) {
        eprintln!("xtask: cannot enter the project root: {err}");
        std::process::exit(2);
    }
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test_all(),
        Some("build") => tools::ensure_all().and_then(|path| build_book(&path)),
        Some("check") => check::check_sources(Path::new(".")).map(|n| {
            println!("xtask: the book's Markdown is sound ({n} listings checked)");
        }),
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

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn mdbook(path: &std::ffi::OsStr) -> Command {
    let mut cmd = Command::new("mdbook");
    cmd.env("PATH", path);
    cmd
}

/// Builds every example (and the crates they use) into [`BOOK_TARGET`].
fn build_examples() -> Result<()> {
    run(cargo().args([
        "build",
        "--quiet",
        "--examples",
        "--target-dir",
        BOOK_TARGET,
    ]))
}

/// Builds the examples and the book, then checks the built HTML.
fn build_book(path: &std::ffi::OsStr) -> Result<()> {
    check::check_sources(Path::new("."))?;
    build_examples()?;
    let start = Instant::now();
    run(mdbook(path).arg("build"))?;
    eprintln!("xtask: mdbook build took {:.2?}", start.elapsed());
    check::check_built_book(Path::new("."))
}

fn serve(args: &[String]) -> Result<()> {
    let path = tools::ensure_all()?;
    build_book(&path)?;
    let mut cmd = mdbook(&path);
    cmd.arg("serve");
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--open" => {
                cmd.arg("--open");
            }
            "--port" => {
                let port = rest.next().ok_or("--port needs a number")?;
                cmd.args(["--port", port]);
            }
            other => return Err(format!("unknown option {other}\n{USAGE}").into()),
        }
    }
    eprintln!(
        "xtask: serving the book; after changing an example, run `cargo build --examples \
         --target-dir {BOOK_TARGET}` so its output on the page follows"
    );
    run(&mut cmd)
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
    step("mdbook test", &mut || {
        let deps = Path::new(BOOK_TARGET).join("debug").join("deps");
        let start = Instant::now();
        run(mdbook(&path).arg("test").arg("-L").arg(&deps))?;
        eprintln!("xtask: mdbook test took {:.2?}", start.elapsed());
        Ok(())
    })?;
    step("cargo test", &mut || {
        run(cargo().args(["test", "--workspace"]))
    })?;
    println!(
        "\nxtask: all {passed} steps passed in {:.0?}",
        total.elapsed()
    );
    println!("steps: {passed} passed, 0 failed");
    Ok(())
}
