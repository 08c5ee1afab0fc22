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
