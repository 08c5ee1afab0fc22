//! Two pipes read one after the other: the deadlock, bounded, and its fixes.
#[cfg(target_os = "linux")]
use super::held;
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

/// Checked on 10 runs: a twin that reads stderr first, then stdout, cannot
/// deadlock, yet on a busy machine its Python worker may not reach its
/// answer within 300 ms, and then it prints the same lines (it did once, at
/// a load of 13 on two CPUs). The deadlock prints them on every run.
#[test]
fn pipes_deadlock_python() {
    for _ in 0..10 {
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
}

/// Fix 3 sends stderr to a file in the temporary directory, which the
/// listing must remove: run it with `TMPDIR` set to an empty directory of
/// our own (`env::temp_dir()` follows it on Unix), then check it is empty.
#[test]
fn pipes_deadlock_leaves_no_file_behind() {
    let left = common::files_left_in_tmpdir("ch02-05-pipes-deadlock");
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}

/// "then kills the child and reaps it": traced with `strace -f`, the
/// process that sends `SIGKILL` waits for that same child (`wait4`) before
/// it prints its "deadlocked" line. A listing (or twin) that forgets the
/// wait prints the same lines, and leaves a zombie for the rest of its run.
/// Skipped where `strace` cannot run (not installed, or tracing not allowed).
#[cfg(target_os = "linux")]
#[test]
fn pipes_deadlock_reaps_the_killed_child() {
    use std::process::Command;
    let check = |program: &mut Command, what: &str| {
        program.env("PYTHONUNBUFFERED", "1"); // each line written as printed
        let options = ["-f", "-e", "trace=kill,wait4,write"];
        let Some((run, text)) = common::traced(&format!("ch02-05-{what}"), &options, program)
        else {
            return;
        };
        run.success();
        // `kill(PID, SIGKILL` (the line may be cut by another process's
        // event); Python's `kill()` polls first, so look for the wait after.
        let (at, killed) = text
            .match_indices(" kill(")
            .find_map(|(at, _)| {
                let rest = &text[at + " kill(".len()..];
                let (pid, _) = rest.split_once(", SIGKILL")?;
                pid.parse::<u32>().ok().map(|pid| (at, pid))
            })
            .unwrap_or_else(|| panic!("{what}: no kill(PID, SIGKILL) in\n{text}"));
        let after = &text[at..];
        let reaped = after.find(&format!("wait4({killed},"));
        let printed = after.find(r#""deadlocked"#).expect("the deadlocked line");
        assert!(
            reaped.is_some_and(|wait| wait < printed),
            "{what}: the killed child {killed} is not waited for before the report\n{text}"
        );
    };
    let listing = common::example_path("ch02-05-pipes-deadlock");
    check(&mut Command::new(listing), "rust");
    if let Some(mut cmd) = common::twin_command("ch02-05-pipes-deadlock.py") {
        check(&mut cmd, "python");
    }
}

/// "Fix 2, a thread per pipe: one thread drains stderr while `main` reads
/// stdout." The workers print one short line on stdout, so a fix 2 that
/// reads stderr to the end, then stdout, on `main` alone, prints the same
/// lines: traced with `strace -f`, it starts no thread between its "fix 1"
/// and "fix 2" lines, and fails here. Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn pipes_deadlock_fix_2_reads_stderr_on_a_thread() {
    use std::process::Command;
    let listing = Command::new(common::example_path("ch02-05-pipes-deadlock"));
    let options = ["-f", "-e", "trace=clone,clone3,write"];
    let Some((run, text)) = common::traced("ch02-05-threads", &options, &listing) else {
        return;
    };
    run.success();
    let line_of = |n: u32| {
        let mark = format!(r#" write(1, "fix {n}, "#);
        let at = text.find(&mark);
        at.unwrap_or_else(|| panic!("no fix {n} line in the trace"))
    };
    let (from, to) = (line_of(1), line_of(2));
    // The listing's own process is the one that writes the "fix" lines.
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let main = text[start..from].trim();
    let between = &text[from..to];
    let threads = between
        .lines()
        .filter(|l| l.split_whitespace().next() == Some(main))
        .filter(|l| l.contains("CLONE_THREAD"))
        .count();
    assert!(threads >= 1, "fix 2 starts no thread:\n{between}");
}

/// "Fix 2, a thread per pipe: one thread drains stderr while `main` reads stdout." A fix 2 that
/// joins its stderr thread before it reads stdout prints the same lines (the worker's one line
/// fits in the stdout pipe), and passes the trace above. Here fix 2's worker is held stopped
/// (`SIGSTOP`, see [`held`]), so that its stderr cannot end: `main` must still be seen blocked
/// in a `read` of that worker's stdout (`/proc/PID/syscall`), where such a listing sits in
/// `join` for good. Skipped where `/proc` lacks a process's `children` or `syscall`.
#[cfg(target_os = "linux")]
#[test]
fn pipes_deadlock_fix_2_reads_stdout_while_stderr_is_open() {
    held::until_conclusive(
        held_fix_2,
        "fix 2's worker always ended before it could be stopped",
    );
}

/// One run; false when fix 2's worker could not be stopped alive.
#[cfg(target_os = "linux")]
fn held_fix_2(attempt: u32) -> bool {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let mark = format!("ch02-05-fix-2-{}-{attempt}", std::process::id());
    let mut sweep = held::Sweep(mark.clone(), None);
    let mut child = Command::new(common::example_path("ch02-05-pipes-deadlock"))
        .env("COURSE_TEST_RUN", &mark)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the listing");
    let listing = child.id();
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut next = || lines.next().expect("a line").expect("a line");
    while !next().starts_with("fix 1,") {}
    // The next worker the listing starts is fix 2's (fix 1's was waited for before its line).
    // Looked for among the listing's own children, which is quick: the worker lives for a few
    // milliseconds only (a scan of every process's environment would often miss it).
    let children = format!("/proc/{listing}/task/{listing}/children");
    let is_worker = |pid: &u32| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        cmdline.ends_with(b"\0worker\0")
    };
    if std::fs::metadata(&children).is_err() {
        eprintln!("{children} cannot be read: skipping");
        drop(sweep);
        let _ = child.wait();
        return true;
    }
    let deadline = Instant::now() + common::TIMEOUT;
    let worker = loop {
        let pids = std::fs::read_to_string(&children).unwrap_or_default();
        let mut pids = pids.split_whitespace().filter_map(|pid| pid.parse().ok());
        if let Some(pid) = pids.find(is_worker) {
            break pid;
        }
        if child.try_wait().expect("try_wait").is_some() {
            return false; // every worker ended unseen
        }
        assert!(Instant::now() < deadline, "no worker after fix 1");
        std::thread::sleep(Duration::from_millis(1));
    };
    if !held::stop(worker) {
        drop(sweep);
        let _ = child.wait();
        return false; // it ended first: nothing to learn
    }
    sweep.1 = Some(worker);
    // What the process `pid`'s descriptor `n` is, as /proc names it (`pipe:[INODE]`).
    let fd = |pid: u32, n: u64| std::fs::read_link(format!("/proc/{pid}/fd/{n}")).ok();
    // Fix 3's worker writes its stderr to a file: then fix 2's ended first.
    let piped = |n| fd(worker, n).is_some_and(|p| p.to_string_lossy().starts_with("pipe:"));
    if !piped(2) {
        drop(sweep);
        let _ = child.wait();
        return false;
    }
    let stdout = fd(worker, 1);
    // `main`'s thread: "NUMBER ARG1 ..." while in a system call ("running" otherwise).
    let syscall = format!("/proc/{listing}/syscall");
    if std::fs::read_to_string(&syscall).is_err() {
        eprintln!("{syscall} cannot be read: skipping");
        drop(sweep);
        let _ = child.wait();
        return true;
    }
    let reads_stdout = || {
        let call = std::fs::read_to_string(&syscall).ok()?;
        let mut fields = call.split_whitespace();
        let number: i64 = fields.next()?.parse().ok()?;
        let arg = fields.next()?.trim_start_matches("0x");
        let n = u64::from_str_radix(arg, 16).ok()?;
        Some(number == nix::libc::SYS_read && fd(listing, n) == stdout)
    };
    while reads_stdout() != Some(true) {
        assert!(
            Instant::now() < deadline,
            "fix 2: main does not read stdout while stderr is open (waits for stderr first?)"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    held::signal("CONT", worker);
    sweep.1 = None;
    assert!(next().starts_with("fix 2,"));
    assert!(child.wait().expect("wait").success());
    true
}
