//! Which listings exist: read from the `examples/` folder at each request, never from a list
//! kept here, so renamed or added examples are found as they are. A name from a request becomes
//! an [`ExampleName`] here, once checked, and every path of a listing is built from that.

use std::path::{Path, PathBuf};

/// The name of one of the course's listings, checked: plain characters ([`valid_name`]) and a
/// file of `examples/` by that name. Only this module makes one (its field is private), and
/// the runner builds every path of a listing from it, never from the name a request gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExampleName(String);

impl ExampleName {
    /// `name`, if it is one of the course's Rust examples (`examples/NAME.rs`).
    pub fn rust(root: &Path, name: &str) -> Option<ExampleName> {
        (valid_name(name) && rust_examples(root).iter().any(|n| n == name))
            .then(|| ExampleName(name.to_string()))
    }

    /// `name`, if it has a Python counterpart (`examples/python/NAME.py`).
    pub fn python(root: &Path, name: &str) -> Option<ExampleName> {
        (valid_name(name) && python_examples(root).iter().any(|n| n == name))
            .then(|| ExampleName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The listing's Rust file, `examples/NAME.rs`.
    pub fn rust_file(&self, root: &Path) -> PathBuf {
        root.join("examples").join(format!("{}.rs", self.0))
    }

    /// Its Python counterpart, `examples/python/NAME.py`.
    pub fn python_file(&self, root: &Path) -> PathBuf {
        root.join("examples/python").join(format!("{}.py", self.0))
    }

    /// `DIR/NAME`: the listing's program in `dir` (with `.exe` on Windows).
    pub fn program_in(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}{}", self.0, std::env::consts::EXE_SUFFIX))
    }

    /// `DIR/NAME.rs`: a copy of the listing's source in `dir`.
    pub fn source_in(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.rs", self.0))
    }

    /// `DIR/NAME/`: the listing's own folder in `dir`.
    pub fn folder_in(&self, dir: &Path) -> PathBuf {
        dir.join(&self.0)
    }
}

/// Whether `name` could be an example's name at all: letters, digits, `-` and `_` only (so no
/// path separator, no `.`, no `..`), not starting with `-`, at most 100 characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The names of the files with extension `ext` in `dir` (sorted).
fn names_in(dir: &Path, ext: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(ext).map(str::to_string)
        })
        .filter(|n| valid_name(n))
        .collect();
    names.sort();
    names
}

/// The Rust examples of the course: `examples/*.rs`.
fn rust_examples(root: &Path) -> Vec<String> {
    names_in(&root.join("examples"), ".rs")
}

/// The Python counterparts: `examples/python/*.py`.
fn python_examples(root: &Path) -> Vec<String> {
    names_in(&root.join("examples/python"), ".py")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain() {
        assert!(valid_name("ch02-01-continents"));
        assert!(valid_name("a_b"));
        for bad in [
            "",
            "..",
            "../Cargo",
            "a/b",
            "a\\b",
            "a.rs",
            "-rf",
            "a b",
            "é",
            "a\0b",
            &"x".repeat(101),
        ] {
            assert!(!valid_name(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn the_course_examples_are_found() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let rust = rust_examples(root);
        assert!(rust.iter().any(|n| n == "ch02-01-continents"), "{rust:?}");
        let name = ExampleName::rust(root, "ch03-01-square-and-cube").unwrap();
        assert_eq!(
            name.rust_file(root),
            root.join("examples/ch03-01-square-and-cube.rs")
        );
        assert!(ExampleName::rust(root, "no-such-example").is_none());
        assert!(ExampleName::rust(root, "../examples/ch02-01-continents").is_none());
        let twin = ExampleName::python(root, "ch02-01-continents").unwrap();
        assert!(twin.python_file(root).is_file());
    }
}
