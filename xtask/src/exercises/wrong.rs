//! An exercise's wrong solutions: `exercises/NAME/wrong/NN-slug.rs`, each a complete
//! replacement for `src/lib.rs` that makes a mistake a learner really makes, and starts with
//!
//! ```text
//! //! Wrong: <the mistake, in one line>
//! //! Fails: test_a, test_b
//! ```
//!
//! `Fails:` names the tests it must fail (at least one). `cargo xtask test` proves that it does;
//! `cargo xtask check NAME --wrong NN` shows what a reader who made that mistake would see.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// One wrong solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrong {
    /// `wrong/03-keys-reused.rs`
    pub file: PathBuf,
    /// `03`
    pub number: String,
    /// `03-keys-reused`
    pub stem: String,
    /// What its `Wrong:` line says.
    pub mistake: String,
    /// The tests its `Fails:` line names.
    pub fails: Vec<String>,
}

/// The wrong solutions of an exercise, sorted, and the problems of their names and headers.
pub fn list(exercise: &Path) -> (Vec<Wrong>, Vec<String>) {
    let dir = exercise.join("wrong");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let shown = format!(
            "wrong/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        match read(&path) {
            Ok(wrong) => found.push(Wrong {
                file: PathBuf::from(&shown),
                ..wrong
            }),
            Err(e) => problems.push(format!("{shown}: {e}")),
        }
    }
    let mut numbers: Vec<&str> = found.iter().map(|w| w.number.as_str()).collect();
    numbers.sort_unstable();
    for pair in numbers.windows(2) {
        if pair[0] == pair[1] {
            problems.push(format!("wrong/: two files numbered {}", pair[0]));
        }
    }
    (found, problems)
}

/// The wrong solution `which` names: its number (`3` or `03`) or its file's stem.
pub fn find(exercise: &Path, which: &str) -> Result<Wrong> {
    let (all, problems) = list(exercise);
    let number = which.trim_start_matches('0');
    let found = all.into_iter().find(|w| {
        w.stem == which || (!number.is_empty() && w.number.trim_start_matches('0') == number)
    });
    match found {
        Some(wrong) => Ok(wrong),
        None if !problems.is_empty() => bail!("{}", problems.join("\n")),
        None => bail!(
            "no wrong solution `{which}` in {}/wrong/",
            exercise.display()
        ),
    }
}

fn read(path: &Path) -> Result<Wrong, String> {
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let number: String = stem.chars().take_while(char::is_ascii_digit).collect();
    if path.extension().is_none_or(|e| e != "rs")
        || number.len() != 2
        || !stem[2..].starts_with('-')
        || stem.len() < 4
    {
        return Err("a wrong solution is named `NN-slug.rs` (NN: two digits)".into());
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let (mistake, fails) = header(&text)?;
    Ok(Wrong {
        file: path.to_path_buf(),
        number,
        stem,
        mistake,
        fails,
    })
}

/// The `Wrong:` and `Fails:` lines of the file's first `//!` lines.
fn header(text: &str) -> Result<(String, Vec<String>), String> {
    let mut mistake = None;
    let mut fails = None;
    for line in text.lines().take_while(|l| l.starts_with("//!")) {
        let line = line.trim_start_matches("//!").trim();
        if let Some(rest) = line.strip_prefix("Wrong:") {
            mistake = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("Fails:") {
            fails = Some(
                rest.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>(),
            );
        }
    }
    match (mistake, fails) {
        (None, _) => Err(
            "it must start with `//! Wrong: <the mistake, in one line>` and \
                          `//! Fails: test_a, test_b`"
                .into(),
        ),
        (Some(m), _) if m.is_empty() => Err("its `//! Wrong:` line names no mistake".into()),
        (Some(m), Some(f)) if !f.is_empty() => Ok((m, f)),
        (Some(_), _) => Err(
            "it needs a `//! Fails: test_a, test_b` line naming at least one \
                             test it must fail"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_mistake_and_the_tests() {
        assert_eq!(
            header("//! Wrong: keys reused after a clear\n//! Fails: a, b_c ,\n\nuse x;\n"),
            Ok((
                "keys reused after a clear".to_string(),
                vec!["a".to_string(), "b_c".to_string()]
            ))
        );
        assert!(header("use x;\n//! Wrong: late\n//! Fails: a\n").is_err());
        assert!(header("//! Wrong: no tests\n//! Fails:\n").is_err());
        assert!(header("//! Wrong:\n//! Fails: a\n").is_err());
        assert!(header("//! Fails: a\n").is_err());
    }

    #[test]
    fn wrong_solutions_are_listed_and_found_by_number() {
        let dir = tempfile::tempdir().unwrap();
        let wrong = dir.path().join("wrong");
        std::fs::create_dir_all(&wrong).unwrap();
        let good = "//! Wrong: a mistake\n//! Fails: t\n";
        std::fs::write(wrong.join("02-second.rs"), good).unwrap();
        std::fs::write(wrong.join("01-first.rs"), good).unwrap();
        std::fs::write(wrong.join("3-badly-named.rs"), good).unwrap();
        std::fs::write(wrong.join("04-no-header.rs"), "fn main() {}\n").unwrap();
        let (found, problems) = list(dir.path());
        let stems: Vec<&str> = found.iter().map(|w| w.stem.as_str()).collect();
        assert_eq!(stems, ["01-first", "02-second"]);
        assert_eq!(found[0].file, PathBuf::from("wrong/01-first.rs"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("wrong/04-no-header.rs: it must start with"));
        assert!(problems[1].starts_with("wrong/3-badly-named.rs: a wrong solution is named"));
        assert_eq!(find(dir.path(), "2").unwrap().stem, "02-second");
        assert_eq!(find(dir.path(), "02").unwrap().stem, "02-second");
        assert_eq!(find(dir.path(), "01-first").unwrap().stem, "01-first");
        assert!(find(dir.path(), "7").is_err());
    }
}
