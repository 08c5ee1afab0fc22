//! Quizzes: each `quizzes/NAME.toml` is shown at the end of `src/NAME.md`, and each of its
//! questions has an id of its own. (That their programs do what they claim, `cargo xtask quiz`
//! checks: `quiz.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use course_book::{directive, quiz};

use super::Page;
use crate::report::{Report, normalize};

/// The quizzes the pages show exist and are named after their page; every quiz file is shown
/// by a page, parses, and gives each question an id unique in the book.
pub fn check(root: &Path, pages: &[Page], report: &mut Report) {
    let mut shown = BTreeSet::new();
    for page in pages {
        shown.extend(check_page(root, page, report));
    }
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in quiz::files(root) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        if !shown.contains(&rel) {
            report.add(
                &rel,
                1,
                "no page in src/SUMMARY.md shows this quiz: add {{#quiz ../quizzes/NAME.toml}} \
                 at the end of src/NAME.md",
            );
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let parsed = match quiz::parse(&rel.display().to_string(), &text) {
            Ok(parsed) => parsed,
            Err(e) => {
                report.add(&rel, 1, e);
                continue;
            }
        };
        for (n, question) in parsed.questions.iter().enumerate() {
            let Some(id) = &question.id else {
                report.add(
                    &rel,
                    1,
                    format!(
                        "question {} has no id: give it one (mdbook-quiz would write a random one \
                         into this file at every build)",
                        n + 1
                    ),
                );
                continue;
            };
            // Named after the quiz, like the listings after their page: `STEM-N`, so a question's
            // id says where it lives (and mdbook-quiz keeps a reader's answers under it).
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let numbered = id
                .strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numbered {
                report.add(
                    &rel,
                    1,
                    format!("the id {id} is not named after its quiz: use {stem}-N (N = 1, 2...)"),
                );
            }
            if let Some(other) = ids.insert(id.clone(), rel.clone()) {
                report.add(
                    &rel,
                    1,
                    format!("the id {id} is used twice (also in {})", other.display()),
                );
            }
        }
    }
}

/// The quizzes a page shows (`{{#quiz ../quizzes/NAME.toml}}`): each must exist and be named
/// after the page.
fn check_page(root: &Path, page: &Page, report: &mut Report) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let dir = page.path.parent().unwrap_or(Path::new(""));
    for (i, line) in page.text.lines().enumerate() {
        let Some(file) = directive::target(line, "quiz") else {
            continue;
        };
        let path = normalize(&dir.join(file));
        if !root.join(&path).is_file() {
            report.add(
                &page.path,
                i + 1,
                format!("shows the quiz {file}, which does not exist"),
            );
            continue;
        }
        if path.file_stem() != page.path.file_stem() {
            report.add(
                &page.path,
                i + 1,
                format!(
                    "shows the quiz {file}: a quiz is named after the page that ends with it ({}.toml)",
                    page.path.file_stem().unwrap_or_default().to_string_lossy()
                ),
            );
        }
        found.push(path);
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{EXAMPLE, GOOD_PAGE, SUMMARY, errors};

    const QUIZ: &str = "[[questions]]\nid = \"ch01-01-one-1\"\ntype = \"MultipleChoice\"\n\
                        prompt.prompt = \"Which?\"\nprompt.distractors = [\"no\"]\n\
                        answer.answer = \"yes\"\n";

    #[test]
    fn a_quiz_is_shown_by_its_page() {
        let page = format!("{GOOD_PAGE}\n{{{{#quiz ../quizzes/ch01-01-one.toml}}}}\n");
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", QUIZ),
        ]);
        assert_eq!(e, "");

        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", QUIZ),
        ]);
        assert!(
            e.contains("quizzes/ch01-01-one.toml:1: no page in src/SUMMARY.md shows this quiz"),
            "{e}"
        );
    }

    #[test]
    fn a_quiz_must_exist_and_be_named_after_its_page() {
        let page = format!(
            "{GOOD_PAGE}\n{{{{#quiz ../quizzes/nope.toml}}}}\n{{{{#quiz ../quizzes/ch02.toml}}}}\n"
        );
        let e = errors(&[
            ("src/SUMMARY.md", SUMMARY),
            ("src/ch01-01-one.md", &page),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch02.toml", QUIZ),
        ]);
        assert!(
            e.contains(
                "src/ch01-01-one.md:13: shows the quiz ../quizzes/nope.toml, which does not exist"
            ),
            "{e}"
        );
        assert!(
            e.contains("src/ch01-01-one.md:14: shows the quiz ../quizzes/ch02.toml: a quiz is named after the page"),
            "{e}"
        );
    }

    #[test]
    fn quiz_ids_are_named_after_their_quiz() {
        let page = format!("{GOOD_PAGE}\n{{{{#quiz ../quizzes/ch01-01-one.toml}}}}\n");
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n";
        let good = QUIZ;
        let files = |quiz: &str| {
            errors(&[
                ("src/SUMMARY.md", summary),
                ("src/ch01-01-one.md", &page),
                ("examples/ch01-01-hi.rs", EXAMPLE),
                ("quizzes/ch01-01-one.toml", quiz),
            ])
        };
        assert!(!files(good).contains("not named after"), "{}", files(good));
        let old = QUIZ.replace("ch01-01-one-1", "ch01-05-one-1");
        assert!(
            files(&old).contains(
                "quizzes/ch01-01-one.toml:1: the id ch01-05-one-1 is not named after its quiz: \
                 use ch01-01-one-N"
            ),
            "{}",
            files(&old)
        );
    }

    #[test]
    fn quiz_questions_need_unique_ids_and_programs_their_claims() {
        let page = format!("{GOOD_PAGE}\n{{{{#quiz ../quizzes/ch01-01-one.toml}}}}\n");
        let summary = "# Summary\n\n- [One](ch01-01-one.md)\n- [Two](ch02.md)\n";
        let two = "# Two\n\n{{#quiz ../quizzes/ch02.toml}}\n";
        let without_id = QUIZ.replace("id = \"ch01-01-one-1\"\n", "");
        let program = "[[questions]]\nid = \"ch02-2\"\ntype = \"MultipleChoice\"\n\
                       prompt.prompt = \"\"\"\nWhat?\n```rust\nfn main() {}\n```\n\"\"\"\n\
                       prompt.distractors = [\"no\"]\nanswer.answer = \"yes\"\n";
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", &page),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch01-01-one.toml", &format!("{QUIZ}\n{without_id}")),
            (
                "quizzes/ch02.toml",
                &format!("{QUIZ}\n{program}claim.doesCompile = true\n"),
            ),
        ]);
        assert!(
            e.contains("quizzes/ch01-01-one.toml:1: question 2 has no id"),
            "{e}"
        );
        assert!(
            e.contains(
                "quizzes/ch02.toml:1: the id ch01-01-one-1 is used twice (also in quizzes/ch01-01-one.toml)"
            ),
            "{e}"
        );
        let e = errors(&[
            ("src/SUMMARY.md", summary),
            ("src/ch01-01-one.md", GOOD_PAGE),
            ("src/ch02.md", two),
            ("examples/ch01-01-hi.rs", EXAMPLE),
            ("quizzes/ch02.toml", program),
        ]);
        assert!(
            e.contains("quizzes/ch02.toml:1: quizzes/ch02.toml, question 1 (ch02-2): the prompt shows a program"),
            "{e}"
        );
    }
}
