//! Two pipes read one after the other: the deadlock, bounded, and its fixes.
use crate::common;

/// The deadlock is certain (2 MiB of stderr cannot fit in the pipe while
/// the parent waits on stdout), so its line is fixed; each fix reads all
/// of both streams. `common::run` fails if a process is left behind.
#[test]
fn pipes_deadlock_then_three_fixes() {
    let run = common::run("ch02-05-pipes-deadlock", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "deadlocked: killed the child after 300 ms",
            "  stdout read before the kill: 0 bytes",
            r#"fix 1, output(): "the answer is 42", stderr 2097152 bytes"#,
            r#"fix 2, a thread per pipe: "the answer is 42", stderr 2097152 bytes"#,
            r#"fix 3, stderr to a file: "the answer is 42", stderr 2097152 bytes"#,
        ]
    );
}

#[test]
fn pipes_deadlock_python() {
    let Some(run) = common::python("ch02-05-pipes-deadlock.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "deadlocked: killed the child after 300 ms",
            "  stdout read before the kill: 0 bytes",
            "fix 1, communicate(): 'the answer is 42', stderr 2097152 bytes",
            "fix 3, stderr to a file: 'the answer is 42', stderr 2097152 bytes",
        ]
    );
}

/// Fix 3 sends stderr to a file in the temporary directory, which the
/// listing must remove: run it with `TMPDIR` set to an empty directory of
/// our own (`env::temp_dir()` follows it on Unix), then check it is empty.
#[test]
fn pipes_deadlock_leaves_no_file_behind() {
    let left = common::files_left_in_tmpdir("ch02-05-pipes-deadlock");
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}
