//! Running other programs (cargo, mdbook, rustc): echoed, and failing with the command line.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs a command, echoing it, and fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot run `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// The command line, for messages.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cargo that runs this xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// mdbook, found first on `path` (where [`crate::tools::ensure_all`] put the pinned tools).
pub fn mdbook(path: &std::ffi::OsStr) -> Command {
    let mut cmd = Command::new("mdbook");
    cmd.env("PATH", path);
    // The output blocks that show stderr (a panic message) must not depend on the shell's
    // RUST_BACKTRACE: with it set, each panic would add a backtrace to the page.
    cmd.env("RUST_BACKTRACE", "0");
    cmd
}

/// Whether `program --version` runs and exits with 0.
pub fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
