//! Installing the pinned tools the book is built with, once, into the per-user cache. Which
//! tools, which versions and where the cache is: `course_book::tools` (the browser tests find
//! them there too).

use std::process::Command;

use anyhow::{Result, bail};

pub use course_book::tools::{TOOLS, Tool, cache_dir, tool};

use crate::process::run;

/// What `cargo xtask` does with a pinned tool besides finding it.
pub trait Install {
    /// True when cargo's install record names the pinned version and the binary runs.
    fn is_installed(&self) -> bool;
    /// Installs the tool into its cache folder unless it is already there.
    fn ensure(&self) -> Result<()>;
}

impl Install for Tool {
    /// (Not every tool has `--version`: mdbook-cmdrun 0.7.3 has none, so the record that
    /// `cargo install` keeps in the tool's root is what says which version is there.)
    fn is_installed(&self) -> bool {
        let record = std::fs::read_to_string(self.root().join(".crates.toml")).unwrap_or_default();
        if !record.contains(&format!("\"{} {} (", self.name, self.version)) {
            return false;
        }
        Command::new(self.binary())
            .arg("--help")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn ensure(&self) -> Result<()> {
        if self.is_installed() {
            return Ok(());
        }
        eprintln!(
            "xtask: installing {} {} into {} (once per machine; a few minutes)",
            self.name,
            self.version,
            self.root().display()
        );
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(["install", "--locked", "--version", self.version, self.name])
            .arg("--root")
            .arg(self.root())
            // One build folder for all the tools: they share many crates (mdbook-cmdrun and
            // mdbook-quiz each build their own copy of the mdbook library), and a crate built
            // once with the same version and features is reused by the next install.
            .env("CARGO_TARGET_DIR", cache_dir().join("build"));
        run(&mut cmd)?;
        if !self.is_installed() {
            bail!(
                "{} {} was installed but does not run",
                self.name,
                self.version
            );
        }
        Ok(())
    }
}

/// Installs every missing tool the book needs, and returns a `PATH` that finds exactly their
/// pinned versions first (`course_book::tools::book_path`).
pub fn ensure_all() -> Result<std::ffi::OsString> {
    for tool in TOOLS.iter().filter(|t| t.book) {
        tool.ensure()?;
    }
    Ok(course_book::tools::book_path())
}
