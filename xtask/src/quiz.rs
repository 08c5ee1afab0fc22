//! `cargo xtask quiz`: the claims the quizzes' programs make, checked (the quizzes are parsed
//! by [`course_book::quiz`]).
//!
//! [`verify`] compiles each program with rustc (edition 2024) in a temporary folder, checks
//! that it compiles exactly when the question says so (and, when it must not, fails with the
//! error code its context names), runs it under a timeout, and compares what it prints with
//! the answer. A program whose output order is not guaranteed must not claim a `stdout`.
//!
//! A `Tracing` program is also checked the way mdbook-quiz 0.4 checks it while the book is
//! built (its `mdbook-quiz-validate` crate): `rustc main.rs`, with rustc's default edition, 2015,
//! then the program run with no time limit. There it must behave exactly as the question says:
//! fail with the same error code, or compile and print the same. (mdbook-quiz itself asks only
//! whether it compiles: a program claimed not to compile, with E0277, that does not even parse
//! under 2015 would pass its check for the wrong reason.) A program that hangs under 2015 (an
//! edition-2024 drop rule it relies on, say) would hang `mdbook build` for ever, so here it
//! fails under the timeout instead.
//!
//! Each program runs marked ([`course_book::procs::run_marked`]): whatever it leaves running is
//! found, killed and named.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use course_book::procs;
use course_book::quiz::{Claim, files, parse};

/// How long a quiz program may run before it counts as hung.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(10);

/// Compiles and runs one claimed program in a temporary folder; the error says how the
/// program disagrees with its claim.
pub fn verify(claim: &Claim, timeout: Duration) -> Result<(), String> {
    let dir = tempfile::Builder::new()
        .prefix("course-quiz-")
        .tempdir()
        .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    verify_in(claim, dir.path(), timeout).map_err(|e| format!("{}: {e}", claim.place))
}

fn verify_in(claim: &Claim, dir: &Path, timeout: Duration) -> Result<(), String> {
    verify_edition(claim, dir, timeout, "2024")?;
    if claim.tracing {
        verify_edition(claim, dir, timeout, "2015").map_err(|e| {
            format!(
                "as mdbook-quiz builds it when the book is built (rustc's default edition, 2015): \
                 {e}"
            )
        })?;
    }
    Ok(())
}

fn verify_edition(
    claim: &Claim,
    dir: &Path,
    timeout: Duration,
    edition: &str,
) -> Result<(), String> {
    std::fs::write(dir.join("main.rs"), &claim.program).map_err(|e| e.to_string())?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .args([
            "--edition",
            edition,
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
            // Under every edition checked: failing for another reason is not what the question
            // says (under 2015, a parse error would stand in for the page's E0277).
            let code = claim.error_code.as_deref().unwrap_or("E????");
            if !stderr.contains(&format!("error[{code}]")) {
                return Err(format!(
                    "does not compile, but not with the {code} its context names:\n{stderr}"
                ));
            }
            // And with no other error beside it (under 2015, `async fn` in a trait adds E0670
            // to the E0658 a question is about).
            if let Some(other) = other_errors(&stderr, code).first() {
                return Err(format!(
                    "does not compile with {code}, but also with `{other}`, which its context \
                     does not name:\n{stderr}"
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

/// The errors in rustc's `stderr` other than `error[{code}]` (and rustc's closing "aborting"
/// line): each as its first line.
fn other_errors<'a>(stderr: &'a str, code: &str) -> Vec<&'a str> {
    let ours = format!("error[{code}]");
    stderr
        .lines()
        .filter(|line| line.starts_with("error"))
        .filter(|line| !line.starts_with(&ours) && !line.starts_with("error: aborting due to"))
        .collect()
}

/// The variable that marks the processes a quiz program starts.
const MARK: &str = "COURSE_QUIZ_RUN";

/// Runs a program with no stdin; returns its stdout if it exits with 0 within `timeout`,
/// leaving nothing behind.
fn run_with_timeout(program: &Path, dir: &Path, timeout: Duration) -> Result<String, String> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mark = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    );
    let run = procs::run_marked(
        Command::new(program).current_dir(dir),
        MARK,
        &mark,
        None,
        timeout,
    )
    .map_err(|e| format!("cannot run the program: {e}"))?;
    let Some(status) = run.status else {
        return Err(format!("still running after {timeout:?}: killed"));
    };
    if !run.left.is_empty() {
        return Err(format!(
            "the program left processes running: {:?} (killed)",
            run.left
        ));
    }
    if !status.success() {
        return Err(format!("the program failed ({status}):\n{}", run.stderr));
    }
    Ok(run.stdout)
}

/// Verifies every claim of every quiz under `root`, on a few threads; returns how many.
pub fn verify_all(root: &Path) -> Result<usize> {
    let mut claims = Vec::new();
    for file in files(root) {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let name = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        claims.extend(parse(&name, &text).map_err(anyhow::Error::msg)?.claims);
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let next = AtomicUsize::new(0);
    let mut failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (claims, next) = (&claims, &next);
                s.spawn(move || {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(claim) = claims.get(i) else { break };
                        if let Err(e) = verify(claim, RUN_TIMEOUT) {
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
    failures.sort();
    if !failures.is_empty() {
        bail!(
            "{} quiz claim(s) do not hold:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
    Ok(claims.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_root() -> std::path::PathBuf {
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
            Err(e) => panic!("{e:#}"),
        }
    }

    fn check(quiz: &str) -> Result<(), String> {
        let parsed = parse("q.toml", quiz)?;
        assert_eq!(parsed.claims.len(), 1);
        verify(&parsed.claims[0], Duration::from_secs(2))
    }

    const HELLO: &str = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\n\
                         prompt.program = \"fn main() { println!(\\\"hi\\\"); }\"\n";

    /// A Tracing program that is right under edition 2024 but hangs under 2015, where the
    /// `if let` scrutinee's guard still holds the lock in the `else` block: mdbook-quiz would
    /// hang the book's build on it, so the check names it.
    #[test]
    fn a_tracing_program_must_also_hold_under_mdbook_quizs_edition() {
        let program = "use std::sync::Mutex;\n\
                       fn main() {\n\
                       let m = Mutex::new(None::<u32>);\n\
                       if let Some(v) = *m.lock().unwrap() { println!(\"{v}\"); } \
                       else { *m.lock().unwrap() = Some(1); println!(\"set\"); };\n}\n";
        let quiz = format!(
            "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n{program}\"\"\"\n\
             answer.doesCompile = true\nanswer.stdout = \"set\"\n"
        );
        let e = check(&quiz).unwrap_err();
        assert!(
            e.contains("as mdbook-quiz builds it") && e.contains("still running after"),
            "{e}"
        );
        // The same program in a multiple-choice prompt is not run by mdbook-quiz: 2024 only.
        let mc = format!(
            "[[questions]]\nid = \"q-1\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"\"\"\n\
             ```rust\n{program}```\n\"\"\"\nprompt.distractors = [\"no\"]\n\
             answer.answer = \"yes\"\nclaim.doesCompile = true\nclaim.stdout = \"set\"\n"
        );
        check(&mc).unwrap();
    }

    /// The class of ch04-08-pin-1 (before its fix): the claimed E0277 under 2024, but under
    /// 2015, where `async` is no keyword, a parse error. mdbook-quiz would see "does not
    /// compile" and pass it; the question says why it does not compile, so the check does not.
    #[test]
    fn a_tracing_program_must_fail_for_the_same_reason_under_2015() {
        let quiz = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n\
                    use std::future::Future;\nuse std::pin::Pin;\nuse std::task::{Context, Waker};\n\
                    fn main() {\n    let mut fut = async { 42 };\n    \
                    let mut cx = Context::from_waker(Waker::noop());\n    \
                    let _ = Pin::new(&mut fut).poll(&mut cx);\n}\n\"\"\"\n\
                    answer.doesCompile = false\ncontext = \"E0277: not Unpin.\"\n";
        let e = check(quiz).unwrap_err();
        assert!(
            e.contains("as mdbook-quiz builds it")
                && e.contains("does not compile, but not with the E0277"),
            "{e}"
        );
        // The same error under both editions passes.
        let both = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n\
                    fn main() {\n    let s = String::new();\n    let t = s;\n    \
                    println!(\\\"{}{}\\\", s, t);\n}\n\"\"\"\n\
                    answer.doesCompile = false\ncontext = \"E0382\"\n";
        check(both).unwrap();
    }

    /// The class of ch04-24-language-2 (before its fix): the claimed error is there, but under
    /// 2015 another one stands beside it, so the program does not compile partly for a reason
    /// the question does not give. Here: mismatched types (E0308) and no such method (E0599).
    #[test]
    fn a_failing_program_must_fail_with_the_claimed_error_only() {
        let quiz = "[[questions]]\nid = \"q-1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n\
                    fn main() {\n    let x: u32 = \\\"a\\\";\n    let y = 1u32.nowhere();\n}\n\
                    \"\"\"\nanswer.doesCompile = false\ncontext = \"E0308\"\n";
        let e = check(quiz).unwrap_err();
        assert!(
            e.contains("does not compile with E0308, but also with `error[E0599]"),
            "{e}"
        );
    }

    /// A Tracing program that leaves a process running is named, and the process is ended.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_program_that_leaves_a_process_is_named() {
        let e = check(
            "[[questions]]\nid = \"q\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\n\
             fn main() {\n    let _ = std::process::Command::new(\\\"sleep\\\").arg(\\\"600\\\")\
             .spawn().unwrap();\n    println!(\\\"hi\\\");\n}\n\"\"\"\n\
             answer.doesCompile = true\nanswer.stdout = \"hi\"\n",
        )
        .unwrap_err();
        assert!(e.contains("left processes running"), "{e}");
    }

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
}
