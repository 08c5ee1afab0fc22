//! Reading libtest's report (what `cargo test` prints on stdout): which tests passed, which
//! failed, and what each failing test said, cleaned into the sentences a reader needs.

/// A failing test, as the reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub test: String,
    /// The test's own failure message, without debug residue.
    pub message: String,
    /// The code under test is still `todo!()` (in the test's thread or one it started).
    pub not_written: bool,
}

/// `test NAME ... ok` or `... FAILED` per test, and for each failure its captured output (the
/// `---- NAME stdout ----` section).
pub fn parse(stdout: &str) -> (Vec<String>, Vec<Failure>) {
    let mut passed = Vec::new();
    let mut failed_names = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        // A `#[should_panic]` test is reported as `test NAME - should panic ... ok`.
        let name = |test: &str| test.trim_end_matches(" - should panic").to_string();
        if let Some(test) = rest.strip_suffix(" ... ok") {
            passed.push(name(test));
        } else if let Some(test) = rest.strip_suffix(" ... FAILED") {
            failed_names.push(name(test));
        }
    }
    let failed = failed_names
        .into_iter()
        .map(|test| {
            let section = section(stdout, &test);
            Failure {
                message: message(section),
                not_written: not_written(section),
                test,
            }
        })
        .collect();
    (passed, failed)
}

/// The output libtest captured for a failing test.
fn section<'a>(stdout: &'a str, test: &str) -> &'a str {
    let header = format!("---- {test} stdout ----");
    stdout
        .split_once(&header)
        .map(|(_, after)| {
            let end = after
                .find("\n---- ")
                .or_else(|| after.find("\nfailures:"))
                .unwrap_or(after.len());
            &after[..end]
        })
        .unwrap_or("")
}

/// Whether a panic in this output is `todo!()`'s: its message starts a line with
/// `not yet implemented`. The panic may come from a thread the test started (the exercises'
/// tests run their body on a thread, under a time limit, and pass its message on).
pub fn not_written(section: &str) -> bool {
    section
        .lines()
        .any(|line| line.starts_with("not yet implemented"))
}

/// The message of the last panic in a test's output (earlier ones come from threads it
/// started), cleaned: no `thread ... panicked at` line, no notes, no `hint:` lines (the hints
/// live in hints.toml), no assertion boilerplate before a sentence, no bare debug value at the
/// end of a line (`...: Timeout`, `...: Elapsed(())`).
pub fn message(section: &str) -> String {
    let Some(at) = section.rfind("panicked at ") else {
        let text = section.trim();
        return if text.is_empty() {
            "(the test printed nothing)".into()
        } else {
            text.into()
        };
    };
    let after = &section[at..];
    let raw = after.split_once('\n').map_or("", |(_, m)| m);
    let mut lines = Vec::new();
    for line in raw.lines() {
        if line.starts_with("note: ") || line.starts_with("hint: ") || line == "hint:" {
            break;
        }
        lines.push(clean_line(line));
    }
    lines.join("\n").trim().to_string()
}

fn clean_line(line: &str) -> String {
    let mut line = line;
    for boilerplate in [
        "assertion `left == right` failed: ",
        "assertion `left != right` failed: ",
    ] {
        if let Some(rest) = line.strip_prefix(boilerplate) {
            line = rest;
        }
    }
    if let Some((before, tail)) = line.rsplit_once(": ")
        && before.trim().contains(' ')
        && is_bare_debug(tail)
    {
        return before.to_string();
    }
    line.to_string()
}

/// A Debug value that says nothing a sentence before it did not: `Timeout`, `Elapsed(())`,
/// `RecvError`, `()`, `Any { .. }` (what `expect` appends for an error or a panic payload).
fn is_bare_debug(tail: &str) -> bool {
    let tail = tail.trim();
    if tail == "()" || tail == "Any { .. }" {
        return true;
    }
    let name = tail
        .strip_suffix("(())")
        .or_else(|| tail.strip_suffix("()"))
        .unwrap_or(tail);
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\nrunning 5 tests\ntest a_good_one ... ok\ntest a_bad_one ... FAILED\n\
        test a_panicking_one - should panic ... ok\n\
        test a_hung_one ... FAILED\ntest an_unwritten_one ... FAILED\n\nfailures:\n\n\
        ---- a_bad_one stdout ----\n\n\
        thread '<unnamed>' (7) panicked at tests/t.rs:3:1:\nsomething inner\n\n\
        thread 'a_bad_one' (6) panicked at tests/t.rs:9:9:\n\
        assertion `left == right` failed: timer C never ran\n  left: [\"B\"]\n right: [\"C\"]\n\
        hint: do it\nnote: run with `RUST_BACKTRACE=1`\n\n---- a_hung_one stdout ----\n\n\
        thread 'a_hung_one' (8) panicked at tests/t.rs:20:9:\nthe fetch was not cancelled: \
        Elapsed(())\n\n---- an_unwritten_one stdout ----\n\n\
        thread '<unnamed>' (9) panicked at src/lib.rs:30:5:\nnot yet implemented: fetch\n\n\
        thread 'an_unwritten_one' (10) panicked at tests/t.rs:40:9:\nnot yet implemented: fetch\n\
        hint: the answer\n\n\
        failures:\n    a_bad_one\n    a_hung_one\n    an_unwritten_one\n\n\
        test result: FAILED. 1 passed; 3 failed\n";

    #[test]
    fn libtest_output_is_read_test_by_test() {
        let (passed, failed) = parse(REPORT);
        assert_eq!(passed, ["a_good_one", "a_panicking_one"]);
        assert_eq!(
            failed,
            [
                Failure {
                    test: "a_bad_one".into(),
                    message: "timer C never ran\n  left: [\"B\"]\n right: [\"C\"]".into(),
                    not_written: false,
                },
                Failure {
                    test: "a_hung_one".into(),
                    message: "the fetch was not cancelled".into(),
                    not_written: false,
                },
                Failure {
                    test: "an_unwritten_one".into(),
                    message: "not yet implemented: fetch".into(),
                    not_written: true,
                },
            ]
        );
    }

    #[test]
    fn only_bare_debug_values_are_cut() {
        assert_eq!(
            clean_line("no answer in time: Timeout"),
            "no answer in time"
        );
        assert_eq!(clean_line("the join failed: Any { .. }"), "the join failed");
        assert_eq!(
            clean_line("the channel closed: RecvError"),
            "the channel closed"
        );
        // A value that carries information stays, and so does a line that is not a sentence.
        assert_eq!(
            clean_line("fan_out failed: Custom { kind: Other, error: \"exit 3\" }"),
            "fan_out failed: Custom { kind: Other, error: \"exit 3\" }"
        );
        assert_eq!(clean_line("left: Timeout"), "left: Timeout");
        // assert_eq!'s values are indented: `  left: None` is a value, not a sentence's end.
        assert_eq!(clean_line("  left: None"), "  left: None");
        assert_eq!(clean_line(" right: None"), " right: None");
        assert_eq!(clean_line("expected 3, got: 4"), "expected 3, got: 4");
    }

    #[test]
    fn a_failure_without_a_panic_shows_what_it_printed() {
        assert_eq!(message("\n  some text \n"), "some text");
        assert_eq!(message(""), "(the test printed nothing)");
    }
}
