//! Compiling edited code: rustc with the book's own rlibs, no cargo, no network.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;
use tokio::process::Command;

use crate::events::Events;
use crate::examples::ExampleName;
use crate::run::{Context, finish, seconds};
use crate::supervise::{Ending, supervise};

/// Compiles edited code in `scratch_dir/NAME/` with rustc and the book's own rlibs (no
/// network, no cargo): returns the binary, or `None` after sending rustc's messages.
pub(crate) async fn compile(
    name: &ExampleName,
    code: &str,
    ctx: &Context,
    events: &Events,
) -> Option<PathBuf> {
    let start = Instant::now();
    let fail = |message: String| {
        finish(events, "compile", Ending::NotStarted(message), start, ctx);
        None
    };
    let dir = name.folder_in(&ctx.scratch_dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(format!("cannot create {}: {e}", dir.display()));
    }
    let source = name.source_in(&dir);
    let binary = name.program_in(&dir);
    let built = dir.join("built-from.rs");
    // The same code as last time, still built: run it again without compiling.
    if binary.is_file() && std::fs::read_to_string(&built).is_ok_and(|b| b == code) {
        return Some(binary);
    }
    let _ = std::fs::remove_file(&built);
    if let Err(e) = std::fs::write(&source, code) {
        return fail(format!("cannot write {}: {e}", source.display()));
    }
    events.send(json!({"kind": "status", "text": "compiling"}));
    let mut cmd = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()));
    // The project root's toolchain, the same rustc that built the rlibs.
    cmd.current_dir(&ctx.root)
        .args(["--edition", "2024", "--crate-type", "bin", "--crate-name"])
        .arg(name.as_str().replace('-', "_"))
        // Optimized like the book's release build, so timings compare with the page's output.
        .args(["-C", "opt-level=3", "-C", "debuginfo=0", "--color", "never"])
        .arg(format!(
            "--remap-path-prefix={}=examples",
            dir.to_string_lossy()
        ))
        .arg("-L")
        .arg(format!("dependency={}", ctx.deps_dir.display()));
    for (krate, rlib) in externs(&ctx.deps_dir) {
        cmd.arg("--extern")
            .arg(format!("{krate}={}", rlib.display()));
    }
    cmd.arg("-o").arg(&binary).arg(&source);
    let ending = supervise(
        cmd,
        events,
        ctx.limits.compile_timeout,
        ctx.limits.output_cap,
        ("compiler", "compiler"),
        &ctx.groups,
        ctx.limits.compile_bounds(),
    )
    .await;
    match ending {
        Ending::Exited(status) if status.success() => {
            let _ = std::fs::write(&built, code);
            Some(binary)
        }
        Ending::Exited(status) => {
            let message = match status.code() {
                Some(1) => "it does not compile".to_string(),
                _ => format!("rustc failed ({status})"),
            };
            fail(message)
        }
        Ending::OverBound(status, reason, message) => {
            let message = format!("rustc {message}");
            finish(
                events,
                "compile",
                Ending::OverBound(status, reason, message),
                start,
                ctx,
            );
            None
        }
        Ending::TimedOut => fail(format!(
            "rustc stopped after {}",
            seconds(ctx.limits.compile_timeout)
        )),
        other => {
            finish(events, "compile", other, start, ctx);
            None
        }
    }
}

/// The crates the examples may use (`mdbook_listing::CRATES`, which a test keeps equal to the
/// course package's `[dependencies]`), each with its rlib in `deps_dir` (the newest, should
/// there be several).
pub fn externs(deps_dir: &Path) -> Vec<(String, PathBuf)> {
    let files: Vec<PathBuf> = std::fs::read_dir(deps_dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    mdbook_listing::CRATES
        .into_iter()
        .filter_map(|krate| {
            let prefix = format!("lib{krate}-");
            let rlib = files
                .iter()
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".rlib"))
                })
                .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())?
                .clone();
            Some((krate.to_string(), rlib))
        })
        .collect()
}
