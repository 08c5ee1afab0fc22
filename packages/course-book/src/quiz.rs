//! The quizzes (`quizzes/*.toml`, shown by mdbook-quiz) and the claims their programs make.
//!
//! A question makes a claim about a program in two ways:
//! - a `Tracing` question: `prompt.program`, `answer.doesCompile` and, when it compiles,
//!   `answer.stdout`;
//! - a `MultipleChoice` question whose prompt shows a program (a ```` ```rust ```` block): its
//!   `claim.doesCompile` and, optionally, `claim.stdout` (mdbook-quiz ignores the `claim` table;
//!   `cargo xtask quiz` reads it).
//!
//! A program that must not compile names the error in the question's `context` (`E0373`, say),
//! so the explanation a reader gets is the one rustc gives.

use std::path::{Path, PathBuf};

pub use toml::Table;
use toml::Value;

/// Where the quizzes live, relative to the project root.
pub const QUIZ_DIR: &str = "quizzes";

/// What one question claims about one program.
#[derive(Debug, Clone)]
pub struct Claim {
    /// `quizzes/NAME.toml`, question N (1-based) and its id, for messages.
    pub place: String,
    pub program: String,
    pub does_compile: bool,
    /// What the program prints, when the question says.
    pub stdout: Option<String>,
    /// The rustc error code the context names, for a program that must not compile.
    pub error_code: Option<String>,
    /// It is a `Tracing` question's program, which mdbook-quiz itself also compiles and runs
    /// when the book is built: with rustc's default edition (2015), and with no time limit.
    pub tracing: bool,
}

/// One question, as far as the tooling cares.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Its `id` (mdbook-quiz writes a random one into the file when it is missing).
    pub id: Option<String>,
    /// Its `type`: `Tracing`, `MultipleChoice`, `ShortAnswer`.
    pub kind: String,
    /// The whole question, as mdbook-quiz reads it (the browser tests answer it).
    pub table: Table,
}

/// A parsed quiz: its questions and the claims they make.
#[derive(Debug, Clone)]
pub struct Quiz {
    pub questions: Vec<Question>,
    pub claims: Vec<Claim>,
}

fn str_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last()?;
    let mut table = table;
    for key in parents {
        table = table.get(*key)?.as_table()?;
    }
    table.get(*last)?.as_str()
}

/// The first ```` ```rust ```` block of a Markdown text.
fn rust_block(markdown: &str) -> Option<String> {
    let start = markdown.find("```rust")?;
    let body = &markdown[start..];
    let body = &body[body.find('\n')? + 1..];
    let end = body.find("```")?;
    Some(body[..end].to_string())
}

/// The first rustc error code (`E` and four digits) a text names.
pub fn error_code(text: &str) -> Option<String> {
    text.match_indices('E').find_map(|(at, _)| {
        let code = text.get(at..at + 5)?;
        let digits = code[1..].chars().all(|c| c.is_ascii_digit());
        let before_ok = text[..at]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[at + 5..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        (digits && before_ok && after_ok).then(|| code.to_string())
    })
}

/// Parses a quiz file (`name` is how messages call it); the error names what is wrong.
pub fn parse(name: &str, text: &str) -> Result<Quiz, String> {
    let doc: Table = text.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let tables: Vec<&Table> = doc
        .get("questions")
        .and_then(Value::as_array)
        .ok_or("no [[questions]]")?
        .iter()
        .map(|q| q.as_table().ok_or("a question is not a table"))
        .collect::<Result<_, _>>()?;
    let mut questions = Vec::new();
    let mut claims = Vec::new();
    for (i, q) in tables.into_iter().enumerate() {
        let id = str_at(q, &["id"]);
        let kind = str_at(q, &["type"]).unwrap_or("");
        questions.push(Question {
            id: id.map(str::to_string),
            kind: kind.to_string(),
            table: q.clone(),
        });
        let place = format!("{name}, question {} ({})", i + 1, id.unwrap_or("?"));
        if let Some(claim) = claim(q, kind, place)? {
            claims.push(claim);
        }
    }
    Ok(Quiz { questions, claims })
}

/// What question `q` claims about a program, if it shows one.
fn claim(q: &Table, kind: &str, place: String) -> Result<Option<Claim>, String> {
    let (program, answer) = match kind {
        "Tracing" => {
            let program = str_at(q, &["prompt", "program"])
                .ok_or(format!("{place}: a Tracing question needs prompt.program"))?;
            (program.to_string(), q.get("answer"))
        }
        "MultipleChoice" => {
            let prompt = str_at(q, &["prompt", "prompt"]).unwrap_or("");
            match (rust_block(prompt), q.get("claim")) {
                (None, None) => return Ok(None),
                (Some(program), Some(claim)) => (program, Some(claim)),
                (Some(_), None) => {
                    return Err(format!(
                        "{place}: the prompt shows a program, so the question needs a \
                         `claim.doesCompile` (and `claim.stdout` if the output is certain) \
                         for the tests to check"
                    ));
                }
                (None, Some(_)) => {
                    return Err(format!(
                        "{place}: a `claim` but no ```rust block in the prompt"
                    ));
                }
            }
        }
        "ShortAnswer" => return Ok(None),
        other => return Err(format!("{place}: unknown question type `{other}`")),
    };
    let answer = answer
        .and_then(Value::as_table)
        .ok_or(format!("{place}: no answer/claim table"))?;
    let does_compile = answer
        .get("doesCompile")
        .and_then(Value::as_bool)
        .ok_or(format!("{place}: doesCompile (true or false) is missing"))?;
    let stdout = answer
        .get("stdout")
        .and_then(Value::as_str)
        .map(str::to_string);
    let error_code = error_code(str_at(q, &["context"]).unwrap_or(""));
    if does_compile && kind == "Tracing" && stdout.is_none() {
        return Err(format!("{place}: a program that compiles needs its stdout"));
    }
    if !does_compile && stdout.is_some() {
        return Err(format!(
            "{place}: a program that does not compile has no stdout"
        ));
    }
    if !does_compile && error_code.is_none() {
        return Err(format!(
            "{place}: the context must name the compiler's error code (E0XXX)"
        ));
    }
    Ok(Some(Claim {
        place,
        program,
        does_compile,
        stdout,
        error_code: error_code.filter(|_| !does_compile),
        tracing: kind == "Tracing",
    }))
}

/// The quiz files of the project rooted at `root`, sorted.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(QUIZ_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO: &str = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\n\
                         prompt.program = \"fn main() { println!(\\\"hi\\\"); }\"\n";

    #[test]
    fn a_tracing_question_claims_its_output() {
        let quiz = parse(
            "q.toml",
            &format!("{HELLO}answer.doesCompile = true\nanswer.stdout = \"hi\"\n"),
        )
        .unwrap();
        assert_eq!(quiz.questions.len(), 1);
        assert_eq!(quiz.questions[0].id.as_deref(), Some("q-1"));
        assert_eq!(quiz.questions[0].kind, "Tracing");
        assert_eq!(
            quiz.questions[0].table["answer"]["stdout"].as_str(),
            Some("hi")
        );
        assert_eq!(quiz.claims[0].stdout.as_deref(), Some("hi"));
        assert_eq!(quiz.claims[0].place, "q.toml, question 1 (q-1)");
        let e = parse("q.toml", &format!("{HELLO}answer.doesCompile = true\n")).unwrap_err();
        assert!(
            e.contains("a program that compiles needs its stdout"),
            "{e}"
        );
        let e = parse("q.toml", &format!("{HELLO}answer.doesCompile = false\n")).unwrap_err();
        assert!(e.contains("must name the compiler's error code"), "{e}");
    }

    #[test]
    fn a_program_in_a_multiple_choice_prompt_needs_a_claim() {
        let quiz = "[[questions]]\nid = \"q-1\"\ntype = \"MultipleChoice\"\n\
                    prompt.prompt = \"\"\"\nWhat does it print?\n```rust\n\
                    fn main() { print!(\\\"{}\\\", 1 + 1); }\n```\n\"\"\"\n\
                    prompt.distractors = [\"3\"]\nanswer.answer = \"2\"\n";
        let e = parse("q.toml", quiz).unwrap_err();
        assert!(
            e.contains("q.toml, question 1 (q-1): the prompt shows a program"),
            "{e}"
        );
        let parsed = parse("q.toml", &format!("{quiz}claim.doesCompile = true\n")).unwrap();
        assert!(parsed.claims[0].program.contains("1 + 1"));
    }

    #[test]
    fn error_codes_are_found_whole() {
        assert_eq!(error_code("see E0373: ..."), Some("E0373".into()));
        assert_eq!(error_code("(error[E0499])"), Some("E0499".into()));
        assert_eq!(error_code("E03734 or XE0373"), None);
        assert_eq!(error_code("Every Error"), None);
    }
}
