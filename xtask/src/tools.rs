//! Installing the pinned tools the book is built with, once, into the per-user cache. Which
//! tools, which versions and where the cache is: `course_book::tools` (the browser tests find
//! them there too).

use std::path::{Path, PathBuf};
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

/// A pinned file from the npm registry, used by the browser tests (not by the book):
/// fetched with `npm pack`, checked against the pinned integrity, unpacked into the cache.
pub struct NpmPackage {
    pub name: &'static str,
    pub version: &'static str,
    /// The registry's `dist.integrity` for that version (`npm view NAME@VERSION dist.integrity`).
    pub integrity: &'static str,
    /// The file the tests use, inside the package.
    pub file: &'static str,
}

/// axe-core, the accessibility checker the browser tests run on every page. The browser tests
/// look for [`NpmPackage::path`] (`axe-core-4.14.1/package/axe.min.js` in the cache): change
/// the version in `browser/tests/a11y.rs` too.
pub const AXE_CORE: NpmPackage = NpmPackage {
    name: "axe-core",
    version: "4.14.1",
    integrity: "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    file: "axe.min.js",
};

impl NpmPackage {
    fn root(&self) -> PathBuf {
        cache_dir().join(format!("{}-{}", self.name, self.version))
    }

    /// Where the file is (fetched or not).
    pub fn path(&self) -> PathBuf {
        self.root().join("package").join(self.file)
    }

    /// `npm pack` into `dir`, the integrity checked; `None` when npm is not here.
    fn pack_with_npm(&self, dir: &Path) -> Result<Option<PathBuf>> {
        let out = match Command::new("npm")
            .args(["pack", "--json", "--silent"])
            .arg(format!("{}@{}", self.name, self.version))
            .arg("--pack-destination")
            .arg(dir)
            .current_dir(dir)
            .output()
        {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => bail!("cannot run npm: {e}"),
        };
        if !out.status.success() {
            bail!(
                "npm pack {}@{} failed: {}",
                self.name,
                self.version,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let packed: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let (Some(integrity), Some(tarball)) = (
            packed[0]["integrity"].as_str(),
            packed[0]["filename"].as_str(),
        ) else {
            bail!("npm pack said nothing of its tarball: {packed}");
        };
        self.check_integrity(integrity)?;
        Ok(Some(dir.join(tarball)))
    }

    /// Without npm (a machine with only the Rust toolchain): the registry's tarball with curl,
    /// its SHA-512 computed by `sha512sum` and compared with the pinned integrity.
    fn download_with_curl(&self, dir: &Path) -> Result<PathBuf> {
        let tarball = dir.join(format!("{}-{}.tgz", self.name, self.version));
        let url = format!(
            "https://registry.npmjs.org/{0}/-/{0}-{1}.tgz",
            self.name, self.version
        );
        run(Command::new("curl")
            .args([
                "--fail",
                "--silent",
                "--show-error",
                "--location",
                "--output",
            ])
            .arg(&tarball)
            .arg(&url))?;
        let out = Command::new("sha512sum")
            .arg(&tarball)
            .output()
            .map_err(|e| anyhow::anyhow!("cannot run sha512sum: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let hex = text.split_whitespace().next().unwrap_or("");
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        if bytes.len() != 64 {
            bail!(
                "sha512sum {}: unexpected output {text:?}",
                tarball.display()
            );
        }
        use base64::Engine as _;
        let integrity = format!(
            "sha512-{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
        self.check_integrity(&integrity)?;
        Ok(tarball)
    }

    fn check_integrity(&self, integrity: &str) -> Result<()> {
        if integrity != self.integrity {
            bail!(
                "{}@{}: integrity {integrity}, pinned {}",
                self.name,
                self.version,
                self.integrity
            );
        }
        Ok(())
    }

    /// Fetches and unpacks the package unless it is already there.
    pub fn ensure(&self) -> Result<()> {
        if self.path().is_file() {
            return Ok(());
        }
        eprintln!(
            "xtask: fetching {}@{} into {} (once per machine)",
            self.name,
            self.version,
            self.root().display()
        );
        std::fs::create_dir_all(cache_dir())?;
        let work = tempfile::Builder::new()
            .prefix(&format!("{}-", self.name))
            .tempdir_in(cache_dir())?;
        let tarball = match self.pack_with_npm(work.path())? {
            Some(tarball) => tarball,
            None => self.download_with_curl(work.path())?,
        };
        let unpacked = work.path().join("unpacked");
        std::fs::create_dir_all(&unpacked)?;
        run(Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&unpacked))?;
        if !unpacked.join("package").join(self.file).is_file() {
            bail!("{}@{} has no {}", self.name, self.version, self.file);
        }
        // Into place in one step: a half-unpacked package is never taken for a fetched one.
        let _ = std::fs::remove_dir_all(self.root());
        std::fs::rename(&unpacked, self.root())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way without npm gives the same, checked, tarball (it needs the npm registry:
    /// `cargo test -p xtask -- --ignored download`).
    #[test]
    #[ignore = "fetches from registry.npmjs.org"]
    fn download_without_npm_checks_the_integrity() {
        let dir = tempfile::tempdir().unwrap();
        let tarball = AXE_CORE.download_with_curl(dir.path()).unwrap();
        assert!(tarball.is_file());
        let wrong = NpmPackage {
            integrity: "sha512-wrong",
            ..AXE_CORE
        };
        let e = wrong.download_with_curl(dir.path()).unwrap_err();
        assert!(e.to_string().contains("pinned sha512-wrong"), "{e}");
    }
}
