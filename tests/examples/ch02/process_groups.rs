//! Process groups and killing a whole tree; exit-status conventions (Unix).
use crate::common;

/// `child.kill()` ends the shell alone: its grandchild (`sleep 30`) keeps
/// the stdout pipe open past the deadline, certainly. Killing the group
/// ends both, so the end of stdout comes at once. `common::run` fails if
/// the `sleep` (which inherits the test's mark) is left behind.
#[test]
fn process_groups_kill_only_the_shell_then_the_group() {
    let run = common::run("ch02-60-process-groups", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "child.kill(), the shell alone:",
            "  grandchild started",
            "  the shell ended: signal: 9 (SIGKILL)",
            "  stdout still open after 300 ms",
            "  killpg() then: end of stdout",
            "killpg(), the whole group:",
            "  grandchild started",
            "  the shell ended: signal: 9 (SIGKILL)",
            "  end of stdout within 300 ms",
        ]
    );
}

#[test]
fn process_groups_python() {
    let Some(run) = common::python("ch02-60-process-groups.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "proc.kill(), the shell alone:",
            "  grandchild started",
            "  the shell ended: returncode -9",
            "  stdout still open after 300 ms",
            "  killpg() then: end of stdout",
            "killpg(), the whole group:",
            "  grandchild started",
            "  the shell ended: returncode -9",
            "  end of stdout within 300 ms",
        ]
    );
}

/// Whether the kernel writes cores to files here (not to a program, as
/// systemd-coredump or apport take them), so that a limit of 0 means none.
fn cores_go_to_files() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/core_pattern")
        .is_ok_and(|pattern| !pattern.starts_with('|'))
}

/// A signal is `signal()`, never `code()`; a shell whose child was killed
/// exits with 128 + N. Whether `sh -c 'PROGRAM'` runs PROGRAM in its own
/// process (dash) or becomes it (bash execs it) depends on the shell, so
/// that line may be either.
#[test]
fn exit_status_signals_and_the_shells_128_plus_n() {
    let run = common::run("ch02-61-exit-status", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let rest = |line: &str| line[35..].to_string();
    assert_eq!(rest(lines[0]), "code None, signal Some(9)");
    assert_eq!(rest(lines[1]), "code None, signal Some(9)");
    assert_eq!(rest(lines[2]), "code Some(137), signal None");
    assert!(
        ["code Some(137), signal None", "code None, signal Some(9)"]
            .contains(&rest(lines[3]).as_str()),
        "{lines:#?}"
    );
    assert_eq!(rest(lines[4]), "code None, signal Some(6)");
    if cores_go_to_files() {
        assert_eq!(lines[5], "core dumped: false");
    }
}

#[test]
fn exit_status_python() {
    let Some(run) = common::python("ch02-61-exit-status.py") else {
        return;
    };
    let run = run.success();
    let codes: Vec<&str> = run
        .lines()
        .iter()
        .map(|line| line.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(codes.len(), 6, "{codes:?}");
    assert_eq!(codes[..3], ["-9", "-9", "137"]);
    assert!(["137", "-9"].contains(&codes[3]), "{codes:?}");
    assert_eq!(codes[4], "-6");
    if cores_go_to_files() {
        assert_eq!(codes[5], "False");
    }
}
