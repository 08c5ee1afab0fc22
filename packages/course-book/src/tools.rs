//! The pinned tools the book is built with, and the per-user cache that holds them: the one
//! place that knows where they are (`cargo xtask` installs them, the browser tests run them).
//!
//! Each tool lives in its own folder, keyed by name and version
//! (`~/.cache/async-rust-course/tools/mdbook-0.4.52/bin/mdbook`), so every clone of the
//! course on a machine, and CI, reuse one install, and bumping a version installs beside
//! the old one instead of over it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A tool installed with `cargo install --locked`.
#[derive(Debug)]
pub struct Tool {
    /// The crate, which is also the name of its binary.
    pub name: &'static str,
    pub version: &'static str,
    /// Needed to build the book: on the PATH of [`book_path`], and installed by
    /// `cargo xtask tools` (the others by the one command that uses them, when it first runs).
    pub book: bool,
}

/// Every tool the project uses, pinned. Read `../shared/GUIDE.md` before changing a version:
/// mdbook 0.5 breaks mdbook-cmdrun 0.7.3.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "mdbook",
        version: "0.4.52",
        book: true,
    },
    Tool {
        name: "mdbook-cmdrun",
        version: "0.7.3",
        book: true,
    },
    Tool {
        name: "mdbook-quiz",
        version: "0.4.0",
        book: true,
    },
    // Mutation testing of the exercises' solutions: `cargo xtask mutants` only.
    Tool {
        name: "cargo-mutants",
        version: "27.1.0",
        book: false,
    },
];

/// The pinned tool named `name`.
pub fn tool(name: &str) -> &'static Tool {
    TOOLS
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no pinned tool named {name}"))
}

/// The variable that puts the cache elsewhere (handy to try a cold install in a temporary
/// folder).
pub const CACHE_VAR: &str = "COURSE_TOOLS_DIR";

/// The cache that holds one folder per tool and version: `$COURSE_TOOLS_DIR`, else
/// `$XDG_CACHE_HOME/async-rust-course/tools`, else `~/.cache/async-rust-course/tools`.
pub fn cache_dir() -> PathBuf {
    cache_dir_from(&|name| std::env::var_os(name))
}

fn cache_dir_from(var: &dyn Fn(&str) -> Option<OsString>) -> PathBuf {
    if let Some(dir) = var(CACHE_VAR) {
        return PathBuf::from(dir);
    }
    let base = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("async-rust-course").join("tools")
}

impl Tool {
    /// Its folder in the cache (what `cargo install --root` is given).
    pub fn root(&self) -> PathBuf {
        cache_dir().join(format!("{}-{}", self.name, self.version))
    }

    pub fn bin_dir(&self) -> PathBuf {
        self.root().join("bin")
    }

    /// Where its binary is (installed or not).
    pub fn binary(&self) -> PathBuf {
        self.bin_dir()
            .join(format!("{}{}", self.name, std::env::consts::EXE_SUFFIX))
    }
}

/// A `PATH` that finds the pinned versions of the book's tools first (their folders, and no
/// other version's), then what `$PATH` finds.
pub fn book_path() -> OsString {
    path_with(
        TOOLS.iter().filter(|t| t.book).map(Tool::bin_dir),
        std::env::var_os("PATH"),
    )
}

fn path_with(first: impl Iterator<Item = PathBuf>, path: Option<OsString>) -> OsString {
    let mut dirs: Vec<PathBuf> = first.collect();
    if let Some(path) = path {
        dirs.extend(std::env::split_paths(&path));
    }
    // A folder with the separator in its name cannot be on a PATH: leave it out (its tool is
    // then not found, and the command that needs it says so).
    dirs.retain(|d| std::env::join_paths([d]).is_ok());
    std::env::join_paths(dirs).expect("every folder was checked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_found_in_order_of_precedence() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let all = env(&[
            ("COURSE_TOOLS_DIR", "/c"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ]);
        assert_eq!(cache_dir_from(&all), PathBuf::from("/c"));
        let xdg = env(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")]);
        assert_eq!(
            cache_dir_from(&xdg),
            PathBuf::from("/x/async-rust-course/tools")
        );
        let home = env(&[("HOME", "/h")]);
        assert_eq!(
            cache_dir_from(&home),
            PathBuf::from("/h/.cache/async-rust-course/tools")
        );
    }

    #[test]
    fn the_path_starts_with_exactly_the_pinned_folders() {
        let path = book_path();
        let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        let cache = cache_dir();
        let expected: Vec<PathBuf> = TOOLS
            .iter()
            .filter(|t| t.book)
            .map(|t| cache.join(format!("{}-{}", t.name, t.version)).join("bin"))
            .collect();
        assert_eq!(expected.len(), 3, "mdbook, mdbook-cmdrun, mdbook-quiz");
        assert_eq!(dirs[..3], expected[..], "the pinned tools come first");
        assert!(
            !dirs.contains(&tool("cargo-mutants").bin_dir()),
            "only the book's tools"
        );
    }

    #[test]
    fn path_keeps_the_order_and_then_the_old_path() {
        let old = std::env::join_paths(["/usr/bin", "/bin"]).unwrap();
        let path = path_with(
            ["/t/a-1/bin", "/t/b-2/bin"].iter().map(PathBuf::from),
            Some(old),
        );
        let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        assert_eq!(
            dirs,
            ["/t/a-1/bin", "/t/b-2/bin", "/usr/bin", "/bin"]
                .map(PathBuf::from)
                .to_vec()
        );
    }
}
