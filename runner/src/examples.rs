//! Which listings exist: read from the `examples/` folder at each request, never from a list
//! kept here, so renamed or added examples are found as they are.

use std::path::{Path, PathBuf};

/// Whether `name` could be an example's name at all: letters, digits, `-` and `_` only (so no
/// path separator, no `.`, no `..`), not starting with `-`, at most 100 characters.
pub fn valid_name(name: &str) -> bool {
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
pub fn rust_examples(root: &Path) -> Vec<String> {
    names_in(&root.join("examples"), ".rs")
}

/// The Python counterparts: `examples/python/*.py`.
pub fn python_examples(root: &Path) -> Vec<String> {
    names_in(&root.join("examples/python"), ".py")
}

/// The file of the Rust example `name`, if `name` is one of the course's examples.
pub fn rust_file(root: &Path, name: &str) -> Option<PathBuf> {
    (valid_name(name) && rust_examples(root).iter().any(|n| n == name))
        .then(|| root.join("examples").join(format!("{name}.rs")))
}

/// The Python counterpart of `name`, if it has one.
pub fn python_file(root: &Path, name: &str) -> Option<PathBuf> {
    (valid_name(name) && python_examples(root).iter().any(|n| n == name))
        .then(|| root.join("examples/python").join(format!("{name}.py")))
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
        assert!(rust_file(root, "ch03-01-square-and-cube").is_some());
        assert!(rust_file(root, "no-such-example").is_none());
        assert!(rust_file(root, "../examples/ch02-01-continents").is_none());
        assert!(python_file(root, "ch02-01-continents").is_some());
    }
}
