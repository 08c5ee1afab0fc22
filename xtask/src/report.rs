//! The problems a checker finds, each `file:line: what is wrong`, sorted, all at once.

use std::path::{Path, PathBuf};

/// A problem, located in a file (line 0: the file as a whole).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: PathBuf,
    line: usize,
    message: String,
}

#[derive(Default)]
pub struct Report {
    problems: Vec<Problem>,
}

impl Report {
    pub fn add(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    /// `Ok(ok)` when nothing was found, else an error listing every problem.
    pub fn into_result<T>(mut self, ok: T) -> anyhow::Result<T> {
        if self.problems.is_empty() {
            return Ok(ok);
        }
        self.problems.sort();
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| match p.line {
                0 => format!("{}: {}", p.file.display(), p.message),
                n => format!("{}:{n}: {}", p.file.display(), p.message),
            })
            .collect();
        anyhow::bail!(
            "{} problem(s) in the book:\n{}",
            lines.len(),
            lines.join("\n")
        )
    }
}

/// The files under `dir` (recursively) whose extension is `ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_with_ext(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// `src/../examples/x.rs` -> `examples/x.rs`
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_come_sorted_with_file_and_line() {
        let mut report = Report::default();
        report.add(Path::new("b.md"), 3, "late");
        report.add(Path::new("a.md"), 10, "first");
        report.add(Path::new("book/x.html"), 0, "whole file");
        let e = report.into_result(()).unwrap_err().to_string();
        assert_eq!(
            e,
            "3 problem(s) in the book:\na.md:10: first\nb.md:3: late\nbook/x.html: whole file"
        );
        assert_eq!(Report::default().into_result(7).unwrap(), 7);
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(
            normalize(Path::new("src/../examples/./x.rs")),
            PathBuf::from("examples/x.rs")
        );
    }
}
