//! The quizzes (`quizzes/*.toml`, shown by mdbook-quiz) and the claims their programs make.
//!
//! A question makes a claim about a program in two ways:
//! - a `Tracing` question: `prompt.program`, `answer.doesCompile` and, when it compiles,
//!   `answer.stdout`;
//! - a `MultipleChoice` question whose prompt shows a program (a ```` ```rust ```` block): its
//!   `claim.doesCompile` and, optionally, `claim.stdout` (mdbook-quiz ignores the `claim` table;
//!   the tests read it).
//!
//! A program that must not compile names the error in the question's `context` (`E0373`, say),
//! so the explanation a reader gets is the one rustc gives. [`verify`] compiles each program with
//! rustc (edition 2024) in a temporary folder, checks that it compiles exactly when the question
//! says so, runs it under a timeout, and compares what it prints with the answer. A program whose
//! output order is not guaranteed must not claim a `stdout`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use toml::{Table, Value};

/// Where the quizzes live, relative to the project root.
pub const QUIZ_DIR: &str = "quizzes";

/// How long a quiz program may run before it counts as hung.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(10);

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
}

/// A parsed quiz: its questions (as TOML tables) and the claims they make.
pub struct Quiz {
    pub questions: Vec<Table>,
    pub claims: Vec<Claim>,
}

fn str_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a str> {
    value_at(table, path).and_then(Value::as_str)
}

fn value_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (last, parents) = path.split_last()?;
    let mut table = table;
    for key in parents {
        table = table.get(*key)?.as_table()?;
    }
    table.get(*last)
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
fn error_code(text: &str) -> Option<String> {
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

/// Parses a quiz file; the error names what is wrong with it.
pub fn parse(name: &str, text: &str) -> Result<Quiz, String> {
    let doc: Table = text.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let questions: Vec<Table> = doc
        .get("questions")
        .and_then(Value::as_array)
        .ok_or("no [[questions]]")?
        .iter()
        .map(|q| q.as_table().cloned().ok_or("a question is not a table"))
        .collect::<Result<_, _>>()?;
    let mut claims = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let id = str_at(q, &["id"]).unwrap_or("?");
        let place = format!("{name}, question {} ({id})", i + 1);
        let kind = str_at(q, &["type"]).unwrap_or("");
        let context = str_at(q, &["context"]).unwrap_or("");
        let (program, answer) = match kind {
            "Tracing" => {
                let program = str_at(q, &["prompt", "program"])
                    .ok_or(format!("{place}: a Tracing question needs prompt.program"))?;
                (program.to_string(), q.get("answer"))
            }
            "MultipleChoice" => {
                let prompt = str_at(q, &["prompt", "prompt"]).unwrap_or("");
                match (rust_block(prompt), q.get("claim")) {
                    (None, None) => continue,
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
            "ShortAnswer" => continue,
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
        let error_code = error_code(context);
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
        claims.push(Claim {
            place,
            program,
            does_compile,
            stdout,
            error_code: error_code.filter(|_| !does_compile),
        });
    }
    Ok(Quiz { questions, claims })
}

/// The quiz files, sorted.
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

/// Compiles and runs one claimed program in `dir` (created, then removed); the error says
/// how the program disagrees with its claim.
pub fn verify(claim: &Claim, dir: &Path, timeout: Duration) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = verify_in(claim, dir, timeout);
    let _ = std::fs::remove_dir_all(dir);
    result.map_err(|e| format!("{}: {e}", claim.place))
}

fn verify_in(claim: &Claim, dir: &Path, timeout: Duration) -> Result<(), String> {
    std::fs::write(dir.join("main.rs"), &claim.program).map_err(|e| e.to_string())?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .args([
            "--edition",
            "2024",
            "-A",
            "warnings",
            "-o",
            "main",
            "main.rs",
        ])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {rustc}: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match (claim.does_compile, out.status.success()) {
        (true, false) => return Err(format!("claims to compile, but rustc says:\n{stderr}")),
        (false, true) => return Err("claims not to compile, but it compiles".into()),
        (false, false) => {
            let code = claim.error_code.as_deref().unwrap_or("E????");
            if !stderr.contains(&format!("error[{code}]")) {
                return Err(format!(
                    "does not compile, but not with the {code} its context names:\n{stderr}"
                ));
            }
            return Ok(());
        }
        (true, true) => {}
    }
    // Twice: an answer that holds on one run only is not an answer.
    for _ in 0..2 {
        let stdout = run_with_timeout(&dir.join("main"), dir, timeout)?;
        if let Some(expected) = &claim.stdout
            && stdout.trim() != expected.trim()
        {
            return Err(format!(
                "prints\n{}\ninstead of the answer\n{}",
                stdout.trim(),
                expected.trim()
            ));
        }
    }
    Ok(())
}

/// Runs a program with no stdin; returns its stdout if it exits with 0 within `timeout`.
fn run_with_timeout(program: &Path, dir: &Path, timeout: Duration) -> Result<String, String> {
    let mut child = Command::new(program)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the program: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).map(|_| s)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {timeout:?}: killed"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out.join().unwrap().map_err(|e| e.to_string())?;
    let stderr = err.join().unwrap().unwrap_or_default();
    if !status.success() {
        return Err(format!("the program failed ({status}):\n{stderr}"));
    }
    Ok(stdout)
}

/// Verifies every claim of every quiz under `root`, on a few threads; returns how many.
pub fn verify_all(root: &Path) -> Result<usize, String> {
    let mut claims = Vec::new();
    for file in files(root) {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let name = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        claims.extend(parse(&name, &text)?.claims);
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let base = std::env::temp_dir().join(format!("course-quiz-{}", std::process::id()));
    let mut failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (claims, next, base) = (&claims, &next, &base);
                s.spawn(move || {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(claim) = claims.get(i) else { break };
                        let dir = base.join(format!("{w}-{i}"));
                        if let Err(e) = verify(claim, &dir, RUN_TIMEOUT) {
                            failed.push(e);
                        }
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let _ = std::fs::remove_dir_all(&base);
    failures.sort();
    if failures.is_empty() {
        Ok(claims.len())
    } else {
        Err(format!(
            "{} quiz claim(s) do not hold:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    /// The real thing: every program of every quiz compiles (or not), and prints, as claimed.
    #[test]
    fn every_quiz_claim_holds() {
        match verify_all(&project_root()) {
            Ok(n) => assert!(n > 0, "no quiz program was checked"),
            Err(e) => panic!("{e}"),
        }
    }

    fn check(quiz: &str) -> Result<(), String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let parsed = parse("q.toml", quiz)?;
        assert_eq!(parsed.claims.len(), 1);
        let dir = std::env::temp_dir().join(format!(
            "xtask-quiz-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        verify(&parsed.claims[0], &dir, Duration::from_secs(2))
    }

    const HELLO: &str = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\n\
                         prompt.program = \"fn main() { println!(\\\"hi\\\"); }\"\n";

    #[test]
    fn a_true_claim_passes() {
        check(&format!(
            "{HELLO}answer.doesCompile = true\nanswer.stdout = \"hi\"\n"
        ))
        .unwrap();
    }

    #[test]
    fn a_wrong_output_is_named() {
        let e = check(&format!(
            "{HELLO}answer.doesCompile = true\nanswer.stdout = \"bye\"\n"
        ))
        .unwrap_err();
        assert!(
            e.contains("q.toml, question 1 (q-1): prints\nhi\ninstead of the answer\nbye"),
            "{e}"
        );
    }

    #[test]
    fn a_wrong_compile_claim_is_named() {
        let e = check(&format!(
            "{HELLO}answer.doesCompile = false\ncontext = \"E0382\"\n"
        ))
        .unwrap_err();
        assert!(e.contains("claims not to compile, but it compiles"), "{e}");

        let moved = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n\
                     fn main() {\n    let s = String::new();\n    let t = s;\n    \
                     println!(\\\"{s}{t}\\\");\n}\n\"\"\"\n";
        let e = check(&format!(
            "{moved}answer.doesCompile = true\nanswer.stdout = \"\"\n"
        ))
        .unwrap_err();
        assert!(e.contains("claims to compile, but rustc says"), "{e}");
        assert!(e.contains("error[E0382]"), "{e}");

        // It does not compile, as claimed, but for another reason than the context gives.
        let e = check(&format!(
            "{moved}answer.doesCompile = false\ncontext = \"It is E0499.\"\n"
        ))
        .unwrap_err();
        assert!(
            e.contains("does not compile, but not with the E0499 its context names"),
            "{e}"
        );
        check(&format!(
            "{moved}answer.doesCompile = false\ncontext = \"Use after move (E0382).\"\n"
        ))
        .unwrap();
    }

    #[test]
    fn a_program_in_a_multiple_choice_prompt_is_checked() {
        let quiz = "[[questions]]\nid = \"q-1\"\ntype = \"MultipleChoice\"\n\
                    prompt.prompt = \"\"\"\nWhat does it print?\n```rust\n\
                    fn main() { print!(\\\"{}\\\", 1 + 1); }\n```\n\"\"\"\n\
                    prompt.distractors = [\"3\"]\nanswer.answer = \"2\"\n";
        let e = parse("q.toml", quiz).err().unwrap();
        assert!(
            e.contains("q.toml, question 1 (q-1): the prompt shows a program"),
            "{e}"
        );
        check(&format!(
            "{quiz}claim.doesCompile = true\nclaim.stdout = \"2\"\n"
        ))
        .unwrap();
        let e = check(&format!(
            "{quiz}claim.doesCompile = true\nclaim.stdout = \"3\"\n"
        ))
        .unwrap_err();
        assert!(e.contains("prints\n2\ninstead of the answer\n3"), "{e}");
    }

    #[test]
    fn a_program_that_hangs_or_fails_is_named() {
        let e = check(
            "[[questions]]\nid = \"q\"\ntype = \"Tracing\"\n\
             prompt.program = \"fn main() { loop { std::thread::yield_now(); } }\"\n\
             answer.doesCompile = true\nanswer.stdout = \"\"\n",
        )
        .unwrap_err();
        assert!(e.contains("still running after 2s: killed"), "{e}");
        let e = check(
            "[[questions]]\nid = \"q\"\ntype = \"Tracing\"\n\
             prompt.program = \"fn main() { panic!(\\\"boom\\\") }\"\n\
             answer.doesCompile = true\nanswer.stdout = \"\"\n",
        )
        .unwrap_err();
        assert!(e.contains("the program failed"), "{e}");
        assert!(e.contains("boom"), "{e}");
    }

    #[test]
    fn error_codes_are_found_whole() {
        assert_eq!(error_code("see E0373: ..."), Some("E0373".into()));
        assert_eq!(error_code("(error[E0499])"), Some("E0499".into()));
        assert_eq!(error_code("E03734 or XE0373"), None);
        assert_eq!(error_code("Every Error"), None);
    }
}
