//! `cargo xtask crosscheck`, also a step of `cargo xtask test`: the workspace type-checked
//! (`cargo check`, no linking, nothing run) for Windows and macOS, so that a reader there can
//! build the listings and check the exercises.
//!
//! For each target of [`TARGETS`] (rustup installs a missing one first, once per machine, as
//! the pinned tools are installed): every package of the workspace
//! with all its targets (every example of the book and their tests, the exercises' starters
//! and tests, the tooling), then every exercise's solution and wrong solutions, as `cargo xtask check` copies
//! them (`exercises::copy_to`), all members of one workspace in `target/crosscheck/exercises/`
//! so that one cargo command checks them. Everything builds into `target/crosscheck/`, kept
//! between runs: a second run only checks what changed. A target that rustup cannot install
//! (no rustup, or no network) is skipped, and the step says so and why.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::exercises::{self, Workspace};
use crate::process::{cargo, describe};

/// Where the cross-target checks build (one folder per target inside, as cargo does).
pub const CROSSCHECK_TARGET: &str = "target/crosscheck";

/// A target the workspace must type-check for, and what is left out there, each with why.
/// No example of the book is left out: one that needs Unix says what it does elsewhere
/// (`#[cfg(unix)]` and `#[cfg(windows)]`), so that a reader can run every listing.
pub struct Target {
    pub triple: &'static str,
    /// The system, as the messages name it.
    pub system: &'static str,
    /// Packages left out (all their targets).
    pub skip_packages: &'static [(&'static str, &'static str)],
}

pub const TARGETS: &[Target] = &[
    Target {
        triple: "x86_64-pc-windows-gnu",
        system: "Windows",
        skip_packages: &[(
            "browser-tests",
            "the browser tests drive Debian's Chromium, and link the book's sources with \
             Unix symlinks",
        )],
    },
    Target {
        triple: "aarch64-apple-darwin",
        system: "macOS",
        skip_packages: &[],
    },
];

/// Type-check the workspace for Windows and macOS (rustup installs the targets when missing)
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    check_all(Path::new("."))
}

/// Checks every installed target of [`TARGETS`], saying which were skipped and how long each
/// took; fails when one of them does not type-check.
pub fn check_all(root: &Path) -> Result<()> {
    let mut installed = installed_targets();
    let mut failed = Vec::new();
    for target in TARGETS {
        if skipped(target.triple, &installed).is_some() && installed.is_ok() {
            install(target.triple);
            installed = installed_targets();
        }
        if let Some(skipped) = skipped(target.triple, &installed) {
            eprintln!("xtask: {skipped}");
            continue;
        }
        let start = Instant::now();
        match check(root, target) {
            Ok(()) => eprintln!(
                "xtask: the workspace type-checks for {} ({}) in {:.1?}",
                target.system,
                target.triple,
                start.elapsed()
            ),
            Err(e) => {
                eprintln!("xtask: {}: {e:#}", target.triple);
                failed.push(target.triple);
            }
        }
    }
    if !failed.is_empty() {
        bail!(
            "the workspace does not type-check for {}",
            failed.join(", ")
        );
    }
    Ok(())
}

/// Why `triple` is skipped, if it is, given the installed targets (or why they are unknown).
fn skipped(triple: &str, installed: &Result<Vec<String>, String>) -> Option<String> {
    match installed {
        Err(why) => Some(format!("skipped: target {triple} ({why})")),
        Ok(list) if !list.iter().any(|t| t == triple) => Some(format!(
            "skipped: target {triple} not installed (rustup target add {triple})"
        )),
        Ok(_) => None,
    }
}

/// Asks rustup to install `triple` (its standard library, a few tens of MB, once per
/// machine); a failure is reported by rustup itself, and the target is then skipped.
fn install(triple: &str) {
    eprintln!("xtask: installing the target {triple} (rustup target add; once per machine)");
    let status = Command::new("rustup")
        .args(["target", "add", triple])
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("xtask: `rustup target add {triple}` failed");
    }
}

/// The targets rustup has installed, or why they cannot be known.
fn installed_targets() -> Result<Vec<String>, String> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup to know whether it is installed: {e}"))?;
    if !out.status.success() {
        return Err("`rustup target list --installed` failed".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .collect())
}

fn check(root: &Path, target: &Target) -> Result<()> {
    for (package, why) in target.skip_packages {
        eprintln!("xtask: not checked for {}: {package}: {why}", target.system);
    }
    let mut workspace = command(root, target);
    workspace.arg("--workspace");
    for (package, _) in target.skip_packages {
        workspace.args(["--exclude", package]);
    }
    workspace.arg("--all-targets");
    run_check(&mut workspace, "the workspace")?;

    let manifest = exercise_copies(root)?;
    let mut copies = command(root, target);
    copies
        .args(["--workspace", "--all-targets", "--manifest-path"])
        .arg(&manifest);
    run_check(&mut copies, "the exercises' solutions and wrong solutions")
}

/// `cargo check` for `target`, quiet (only the compiler's messages), into [`CROSSCHECK_TARGET`].
fn command(root: &Path, target: &Target) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["check", "--quiet", "--target", target.triple])
        .arg("--target-dir")
        .arg(std::path::absolute(root.join(CROSSCHECK_TARGET)).unwrap_or(CROSSCHECK_TARGET.into()));
    cmd
}

fn run_check(cmd: &mut Command, what: &str) -> Result<()> {
    let shown = describe(cmd);
    eprintln!("$ {shown}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot run `{shown}`"))?;
    if !status.success() {
        bail!("{what}: cargo check failed (the compiler's messages are above)");
    }
    Ok(())
}

/// Writes `target/crosscheck/exercises/`: a workspace whose members are every exercise's
/// solution and wrong solutions, copied as `cargo xtask check` copies them (the starters are
/// members of the project's workspace already). Returns its Cargo.toml.
fn exercise_copies(root: &Path) -> Result<PathBuf> {
    let dir = root.join(CROSSCHECK_TARGET).join("exercises");
    let mut members = Vec::new();
    for name in exercises::names(root) {
        let exercise = root.join("exercises").join(&name);
        let (wrongs, problems) = exercises::wrong::list(&exercise);
        if !problems.is_empty() {
            bail!("exercises/{name}: {}", problems.join("; "));
        }
        let mut copies = vec![("solution".to_string(), None)];
        for wrong in wrongs {
            copies.push((
                format!("wrong-{}", wrong.number),
                Some(exercise.join(&wrong.file)),
            ));
        }
        for (label, lib) in copies {
            let member = format!("{name}-{label}");
            exercises::copy_to(
                root,
                &name,
                &label,
                lib.as_deref(),
                &dir.join(&member),
                Workspace::Member,
            )?;
            members.push(member);
        }
    }
    // A folder left from a wrong solution that is gone would confuse a reader of the folder.
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !members.contains(&name) {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",\n")).collect();
    let manifest = dir.join("Cargo.toml");
    write_if_changed(
        &manifest,
        &format!(
            "# Written by `cargo xtask crosscheck`: every exercise's solution and wrong \
             solutions.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
            list.concat()
        ),
    )?;
    // The project's versions of every crate; cargo adds the copies themselves to it.
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        write_if_changed(&dir.join("Cargo.lock"), &lock)?;
    }
    Ok(manifest)
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_not_installed_is_skipped_with_the_command_that_adds_it() {
        let installed = Ok(vec!["x86_64-unknown-linux-gnu".to_string()]);
        assert_eq!(
            skipped("aarch64-apple-darwin", &installed).as_deref(),
            Some(
                "skipped: target aarch64-apple-darwin not installed \
                 (rustup target add aarch64-apple-darwin)"
            )
        );
        assert_eq!(skipped("x86_64-unknown-linux-gnu", &installed), None);
        let unknown = Err("no rustup".to_string());
        assert!(skipped("aarch64-apple-darwin", &unknown).is_some());
    }

    #[test]
    fn what_a_target_leaves_out_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for target in TARGETS {
            for (package, _) in target.skip_packages {
                let manifest = std::fs::read_to_string(root.join("browser/Cargo.toml")).unwrap();
                assert!(
                    *package == "browser-tests" && manifest.contains("name = \"browser-tests\""),
                    "no package {package}"
                );
            }
        }
    }
}
