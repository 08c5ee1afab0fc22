//! Chapter 2 in depth: a deadline for a child, the parent that dies, broken pipes, a pool of
//! worker processes. Each listing and its Python twin, checked by what the program guarantees.
use crate::common;

#[test]
fn deadline_each_child_ends_one_way() {
    let run = common::run("ch02-07-deadline", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    // On a machine loaded enough that the quick worker has not even run within the deadline, it
    // is asked to stop, and still ends by itself: either line is right.
    assert!(
        [
            "quick   : finished in time (exit status: 0)",
            "quick   : stopped when asked (exit status: 0)",
        ]
        .contains(&lines[0]),
        "{lines:#?}"
    );
    // Each report comes after the `wait` that saw its worker end, so the order is fixed; the
    // polite worker's own line comes before the parent's report on it.
    assert_eq!(
        lines[1..3],
        [
            "polite  : my stdin is closed, so I stop",
            "polite  : stopped when asked (exit status: 0)",
        ]
    );
    if cfg!(unix) {
        assert_eq!(lines[3], "stubborn: killed (signal: 9 (SIGKILL))");
    } else {
        assert!(lines[3].starts_with("stubborn: killed ("), "{lines:#?}");
    }
}

#[test]
fn deadline_polite_worker_stops_at_the_end_of_its_input() {
    // Alone, with an empty stdin: it ends at once, although its job would take ten seconds.
    let run = common::run_with_input("ch02-07-deadline", &["polite"], "").success();
    assert_eq!(run.lines(), ["polite  : my stdin is closed, so I stop"]);
}

/// The twin with the page's constants (a 1 s deadline, 0.5 s of grace) depends on how fast
/// Python starts: on a loaded machine even the quick worker may not have run in 1.5 s, and is
/// killed. So it runs here with 4 s and 3 s, which any worker needs far less than to start,
/// and every line is then what the program guarantees. (The stubborn one sleeps 10 s.)
#[test]
fn deadline_python() {
    let Some(run) = common::python_edited(
        "ch02-07-deadline.py",
        &[
            ("DEADLINE = 1.0", "DEADLINE = 4.0"),
            ("GRACE = 0.5", "GRACE = 3.0"),
        ],
    ) else {
        return;
    };
    let run = run.success();
    assert_eq!(
        run.lines()[..3],
        [
            "quick   : finished in time (exit code 0)",
            "polite  : my stdin is closed, so I stop",
            "polite  : stopped when asked (exit code 0)",
        ]
    );
    if cfg!(unix) {
        assert_eq!(run.lines()[3..], ["stubborn: killed (exit code -9)"]);
    }
}

/// Whether `python3` runs here (the Python side is skipped without it).
fn has_python() -> bool {
    let version = std::process::Command::new("python3")
        .arg("--version")
        .output();
    version.is_ok_and(|out| out.status.success())
}

const ORPHAN_WORKERS: [&str; 2] = [
    "watchful: my stdin is closed, so my parent is gone: I stop",
    "stubborn: my parent is gone, and I am still running",
];

/// The workers' two lines come in either order (both react to the parent's death); the
/// main program prints the others itself, in a fixed order. `common::run` then checks that
/// no process of this run is left, re-parented or not.
fn check_orphan_lines(lines: &[&str], killed: &str) {
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert_eq!(lines[0], "parent  : two workers started");
    assert_eq!(lines[1], killed);
    common::assert_same_lines(&lines[2..4], &ORPHAN_WORKERS);
    assert_eq!(
        lines[4],
        "main    : end of the pipe: every worker has ended"
    );
}

#[test]
fn orphan_outlives_its_parent_and_the_watchful_worker_does_not() {
    let run = common::run("ch02-07-orphan", &[]).success();
    let lines = run.lines();
    if cfg!(unix) {
        check_orphan_lines(&lines, "parent  : killed (signal: 9 (SIGKILL))");
    } else {
        check_orphan_lines(&lines, lines[1]);
    }
}

#[test]
fn orphan_python() {
    let Some(run) = common::python("ch02-07-orphan.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    if cfg!(unix) {
        check_orphan_lines(&lines, "parent  : killed (exit code -9)");
    } else {
        check_orphan_lines(&lines, lines[1]);
    }
}

/// What CONTRIBUTING.md says of the helper, checked on the helper itself: a process left
/// running, and re-parented once its parent (a shell) has exited, is found by its mark,
/// killed, and fails the run.
#[cfg(target_os = "linux")]
#[test]
#[should_panic(expected = "left processes running")]
fn the_helper_finds_a_reparented_straggler() {
    let mut shell = std::process::Command::new("sh");
    shell.args(["-c", "sleep 5 >/dev/null 2>&1 & echo started"]);
    common::run_command(&mut shell, None);
}

/// The twin keeps its workers' `Popen` objects, as the Rust parent keeps its `Child`ren: the
/// watchful worker's stdin stays open by design (on Windows too, where CPython would not
/// resurrect a dropped `Popen`), and a dropped running `Popen` would warn in its destructor.
#[test]
fn orphan_python_keeps_its_workers() {
    if !has_python() {
        return;
    }
    let path = common::twin_file("ch02-07-orphan.py");
    let mut cmd = std::process::Command::new("python3");
    // Inherited by the parent and the workers: every ResourceWarning is shown.
    cmd.arg(path)
        .env_remove("PYTHONUNBUFFERED")
        .env("PYTHONWARNINGS", "always::ResourceWarning");
    let run = common::run_command(&mut cmd, None).success();
    assert_eq!(run.lines().len(), 5, "{run:#?}");
    assert!(!run.stderr.contains("ResourceWarning"), "{}", run.stderr);
}

/// Under the fork start method, `parent_process().is_alive()` stays true after the parent's
/// death for as long as a sibling forked later lives: it holds a copy of the parent's end of
/// the watcher's pipe. The order of the two lines is guaranteed, not timed: the watcher's pipe
/// cannot reach its end before the sibling has exited. (Python only; fork is Unix only.)
#[cfg(target_os = "linux")]
#[test]
fn parent_process_under_fork_waits_for_every_sibling() {
    if !has_python() {
        return;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/examples/ch02/parent_sentinel.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(script).arg("fork");
    let run = common::run_command(&mut cmd, None).success();
    let lines = run.lines();
    let at = |line: &str| lines.iter().position(|l| *l == line);
    let sibling = at("sibling: exits").expect("the sibling's line");
    let watcher = at("watcher: parent gone").expect("the watcher's line");
    assert!(sibling < watcher, "{lines:#?}");
    assert!(lines.contains(&"parent: exit code -9"), "{lines:#?}");
}

/// `careless: read [...], then stopped reading; the worker ended: STATUS`
fn broken_pipe_line(role: &str, status: &str) -> String {
    let first = r#"["line 1", "line 2", "line 3"]"#;
    format!("{role:<8}: read {first}, then stopped reading; the worker ended: {status}")
}

#[test]
fn broken_pipe_println_panics_and_writeln_can_stop() {
    let run = common::run("ch02-04-broken-pipe", &[]).success();
    assert_eq!(
        run.lines(),
        [
            broken_pipe_line("careless", "exit status: 101"),
            broken_pipe_line("careful", "exit status: 0"),
        ]
    );
    // The careless worker's panic went to the stderr it shares with the parent.
    assert!(
        run.stderr.contains("failed printing to stdout: "),
        "{}",
        run.stderr
    );
    if cfg!(unix) {
        assert!(
            run.stderr.contains("Broken pipe (os error 32)"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(run.stderr.matches("panicked").count(), 1, "{}", run.stderr);
}

/// Runs one worker role of the broken-pipe listing (`program` is the built example, or
/// `python3 FILE`) through `sh`, with its stdout redirected by `redirect`.
#[cfg(unix)]
fn worker_with_stdout(program: &str, role: &str, redirect: &str) -> common::Run {
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("exec {program} {role} {redirect}"))
        .env("RUST_BACKTRACE", "0");
    common::run_command(&mut sh, None)
}

#[cfg(unix)]
fn broken_pipe_example() -> String {
    let path = common::example_path("ch02-04-broken-pipe");
    format!("'{}'", path.display())
}

/// Started with its stdout closed (`>&-`), a Rust program gets `/dev/null` in its place
/// before `main`, so `println!` never fails: all the lines go nowhere, and it exits with 0.
/// The careful worker, which stops only at a broken pipe, writes them all too.
#[cfg(unix)]
#[test]
fn broken_pipe_a_closed_stdout_is_no_error() {
    for role in ["careless", "careful"] {
        let run = worker_with_stdout(&broken_pipe_example(), role, ">&-");
        assert!(run.status.success(), "{role}: {run:#?}");
        assert!(run.stderr.is_empty(), "{role}: {run:#?}");
    }
}

/// Any other failure to write is an error: on a full device, `println!` panics (101) and the
/// careful worker's `main` returns the error (1).
#[cfg(target_os = "linux")]
#[test]
fn broken_pipe_a_full_device_is_an_error() {
    let run = worker_with_stdout(&broken_pipe_example(), "careless", ">/dev/full");
    assert_eq!(run.status.code(), Some(101), "{run:#?}");
    let message = "failed printing to stdout: No space left on device";
    assert!(run.stderr.contains(message), "{}", run.stderr);
    let run = worker_with_stdout(&broken_pipe_example(), "careful", ">/dev/full");
    assert_eq!(run.status.code(), Some(1), "{run:#?}");
    assert!(run.stderr.contains("StorageFull"), "{}", run.stderr);
}

/// The twin's careless worker: `print` does nothing when stdout was closed at the start
/// (`sys.stdout` is `None`), and raises `OSError` on a full device.
#[cfg(target_os = "linux")]
#[test]
fn broken_pipe_python_closed_and_full_stdout() {
    if !has_python() {
        return;
    }
    let path = common::twin_file("ch02-04-broken-pipe.py");
    let program = format!("python3 '{}'", path.display());
    let run = worker_with_stdout(&program, "careless", ">&-");
    assert!(run.status.success(), "{run:#?}");
    let run = worker_with_stdout(&program, "careless", ">/dev/full");
    assert_eq!(run.status.code(), Some(1), "{run:#?}");
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_pipe_python() {
    let Some(run) = common::python("ch02-04-broken-pipe.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let first = "['line 1', 'line 2', 'line 3']";
    let careless = format!("careless: read {first}, then stopped reading; the worker ended: ");
    assert!(lines[0].starts_with(&careless), "{lines:#?}");
    assert!(!lines[0].ends_with("exit code 0"), "{lines:#?}");
    let careful = format!("careful : read {first}, then stopped reading; the worker ended: ");
    assert_eq!(lines[1], format!("{careful}exit code 0"));
    assert!(run.stderr.contains("BrokenPipeError"), "{}", run.stderr);
}

const POOL_RESULTS: [(u64, u64); 7] = [
    (10, 100),
    (11, 121),
    (12, 144),
    (13, 0), // crashes its worker
    (14, 196),
    (15, 225),
    (16, 256),
];

#[test]
fn pool_results_in_order_and_the_crashed_worker_replaced() {
    let run = common::run("ch02-11-pool", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 7 + 3, "{lines:#?}");
    for (line, (item, square)) in lines.iter().zip(POOL_RESULTS) {
        if item == 13 {
            // The first of the three workers got 13, in the second round.
            let crashed = if cfg!(unix) {
                "exit status: 101"
            } else {
                "exit code: 101"
            };
            let expected = format!(r#"13 -> Err("worker 0 crashed ({crashed}); replaced")"#);
            assert_eq!(*line, expected);
        } else {
            assert_eq!(*line, format!("{item} -> Ok({square})"));
        }
    }
    // Every worker, the replacement too, ends cleanly once its stdin is closed.
    for line in &lines[7..] {
        assert!(line.starts_with("a worker ended: "), "{line}");
        assert!(line.ends_with(": 0"), "{line}");
    }
    // One crash, and its panic message on the stderr the workers share with the parent.
    assert_eq!(
        run.stderr.matches("13 is unlucky").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn pool_worker_alone_answers_each_line() {
    let run = common::run_with_input("ch02-11-pool", &["worker"], "2\n3\n12\n").success();
    assert_eq!(run.lines(), ["4", "9", "144"]);
}

#[test]
fn pool_python() {
    let Some(run) = common::python("ch02-11-pool.py") else {
        return;
    };
    let run = run.success();
    let mut expected: Vec<String> = POOL_RESULTS
        .iter()
        .map(|&(item, square)| match item {
            13 => "13 -> ValueError: 13 is unlucky".to_string(),
            _ => format!("{item} -> {square}"),
        })
        .collect();
    expected.push("a worker died: the whole pool is broken (BrokenProcessPool)".into());
    assert_eq!(run.lines(), expected);
}
