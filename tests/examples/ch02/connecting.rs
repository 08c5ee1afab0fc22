//! Connecting children: `a | b`, `a 2>&1 | b` and `a > file`, built with
//! `Stdio::from`, `std::io::pipe()` and `Stdio::null()`.
use crate::common;

const TALLY: [&str; 3] = ["  1 blue", "  2 green", "  2 red"];

/// Each `tally` ends (it would not if the parent kept a writing end) and
/// prints before `main` reports, since `main` waits for it; the warning is
/// in the second tally only (stderr to null, then `2>&1`); both statuses
/// are reported, the first stage's failure included.
fn expected(status: &str) -> Vec<String> {
    let mut lines: Vec<String> = TALLY.iter().map(|s| s.to_string()).collect();
    lines.push(format!(
        "(words 2>/dev/null | tally) words: {status}3; tally: {status}0"
    ));
    lines.extend(TALLY.iter().map(|s| s.to_string()));
    lines.push("  1 words: warning, no yellow".into());
    lines.push(format!(
        "(words 2>&1 | tally) words: {status}3; tally: {status}0"
    ));
    lines.push(format!(
        r#"(words > file 2>/dev/null) words: {status}3; {}"#,
        r#""red\ngreen\nblue\ngreen\nred\n""#
    ));
    lines
}

#[test]
fn connecting_pipeline_null_pipe_and_file() {
    let run = common::run("ch02-62-connecting", &[]).success();
    assert_eq!(run.lines(), expected("exit status: "));
}

#[test]
fn connecting_python() {
    let Some(run) = common::python("ch02-62-connecting.py") else {
        return;
    };
    let mut want = expected("exit code ");
    let last = want.pop().unwrap().replace('"', "'");
    want.push(last);
    assert_eq!(run.success().lines(), want);
}

/// `words > file` writes into the temporary directory, and the listing
/// must remove its file: run it with `TMPDIR` set to an empty directory of
/// our own (`env::temp_dir()` follows it on Unix), then check it is empty.
#[test]
fn connecting_leaves_no_file_behind() {
    let name = format!("ch02-62-tmpdir-{}", std::process::id());
    let dir = std::env::temp_dir().join(name);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = common::example_path("ch02-62-connecting");
    let mut cmd = std::process::Command::new(path);
    cmd.env("TMPDIR", &dir);
    common::run_command(&mut cmd, None).success();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("the directory")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    std::fs::remove_dir_all(&dir).expect("remove the directory");
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}

/// The one claim of "On Windows, each program splits its own command line"
/// (ch02-02) that Linux can check: what Python's `list2cmdline` builds.
/// The page shows the call and its result; both must match the real one.
#[test]
fn windows_command_line_list2cmdline_as_the_page_says() {
    let call = r#"list2cmdline(["notes.txt", "my file.txt", 'say "hi"', ""])"#;
    let result = r#"notes.txt "my file.txt" "say \"hi\"" """#;
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ch02-02-commands.md"),
    )
    .expect("the page");
    let page = page.replace('\n', " ");
    assert!(page.contains(&format!("`{call}` is `{result}`")), "{call}");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg("-c").arg(format!(
        "from subprocess import list2cmdline; print({call})"
    ));
    if cmd.output().is_err() {
        eprintln!("python3 not found: skipping list2cmdline");
        return;
    }
    let run = common::run_command(&mut cmd, None).success();
    assert_eq!(run.lines(), [result]);
}

const PRIMES: [&str; 3] = [
    "  primes below 60000: 6057",
    "  primes below 5000: 669",
    "  primes below 20000: 2262",
];

/// Checks one block of `lines`: its header, then the three results, in
/// start order if `ordered` (the waits impose it), else as a set (the
/// order the workers finish in is the machine's business).
fn check_block(lines: &[&str], header: &str, ordered: bool) {
    assert_eq!(lines[0], header, "{lines:#?}");
    if ordered {
        assert_eq!(lines[1..4], PRIMES, "{lines:#?}");
    } else {
        common::assert_same_lines(&lines[1..4], &PRIMES);
    }
}

#[test]
fn completion_order_start_order_then_as_they_complete() {
    let run = common::run("ch02-63-completion-order", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 8, "{lines:#?}");
    check_block(
        &lines[..4],
        "in start order, one wait after the other:",
        true,
    );
    check_block(&lines[4..], "as they complete, over one channel:", false);
}

#[test]
fn completion_order_python() {
    let Some(run) = common::python("ch02-63-completion-order.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 12, "{lines:#?}");
    check_block(&lines[..4], "in start order, executor.map:", true);
    check_block(&lines[4..8], "as they complete, as_completed:", false);
    let header = "as they complete, Pool.imap_unordered:";
    check_block(&lines[8..], header, false);
}
