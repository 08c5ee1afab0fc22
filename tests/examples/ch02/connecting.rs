//! Connecting children: `a | b`, `a 2>&1 | b` and `a > file`, built with
//! `Stdio::from`, `std::io::pipe()` and `Stdio::null()`.
#[cfg(target_os = "linux")]
use super::held::{self, Sweep, signal, until_conclusive};
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

/// The warning goes to `Stdio::null()` or into the tally, never to the
/// listing's own stderr (a stage left to inherit it would print it there).
#[test]
fn connecting_pipeline_null_pipe_and_file() {
    let run = common::run("ch02-06-connecting", &[]).success();
    assert_eq!(run.lines(), expected("exit status: "));
    assert_eq!(run.stderr, "", "the warning escaped to stderr");
}

#[test]
fn connecting_python() {
    let Some(run) = common::python("ch02-06-connecting.py") else {
        return;
    };
    let mut want = expected("exit code ");
    let last = want.pop().unwrap().replace('"', "'");
    want.push(last);
    let run = run.success();
    assert_eq!(run.lines(), want);
    assert_eq!(run.stderr, "", "the warning escaped to stderr");
}

/// The bytes never pass through the parent: traced with `strace -f`, the
/// listing's own process writes no raw word list (a relay that reads
/// `words` and writes to `tally` does) and calls none of the kernel's copy
/// calls (`io::copy` between two pipes uses `splice` on Linux). Skipped
/// where `strace` cannot run (not installed, or tracing not allowed).
#[cfg(target_os = "linux")]
#[test]
fn connecting_parent_copies_nothing() {
    let listing = std::process::Command::new(common::example_path("ch02-06-connecting"));
    let trace = "trace=execve,write,splice,sendfile,copy_file_range,tee";
    let Some((run, text)) = common::traced("ch02-06", &["-f", "-s", "200", "-e", trace], &listing)
    else {
        return;
    };
    assert_eq!(run.success().lines(), expected("exit status: "));
    // The listing's own process (the first traced), not its children.
    let copies = ["splice(", "sendfile(", "copy_file_range(", "tee("];
    for call in common::first_process_calls(&text) {
        let relays = copies.iter().any(|c| call.starts_with(c))
            || (call.starts_with("write(") && call.contains(r"red\ngreen"));
        assert!(!relays, "the parent copies the bytes itself: {call}");
    }
}

/// "The parent keeps no end": the `Command` that took the `ChildStdout` is
/// a temporary, dropped once `spawn()` returns, so the parent closes the
/// reading end of the first pipe before it waits for anyone. Traced with
/// `strace` (the listing's own process only): a listing that keeps the
/// `Command` in a variable (`let mut tally = me("tally")?;` then
/// `tally.stdin(..)` and a shadowing `let tally = tally.spawn()?;`) holds
/// that end until `main` returns, and prints the same lines, since these
/// `words` write five lines only; it fails here.
///
/// "Wait for every stage", from the same trace: `wait_both` blocks in
/// `wait()` for each child, so the listing's own process reaps its five
/// children (two per pipeline, one for `status()`) with blocking `wait4`
/// calls and never polls with `WNOHANG`. A `wait_both` that waits for
/// `tally`, then asks `words` with `try_wait()`, prints the same lines
/// whenever `words` has already ended, which is nearly always; it fails
/// here too. Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn connecting_parent_closes_the_reading_end_and_waits_for_every_stage() {
    let listing = std::process::Command::new(common::example_path("ch02-06-connecting"));
    let Some((run, text)) =
        common::traced("ch02-06-fds", &["-e", "trace=pipe2,close,wait4"], &listing)
    else {
        return;
    };
    assert_eq!(run.success().lines(), expected("exit status: "));
    // `pipe2([R, W], O_CLOEXEC) = 0`: the pipe from `words` to `tally`.
    let mut lines = text.lines().skip_while(|l| !l.starts_with("pipe2(["));
    let pipe = lines.next().expect("a pipe2 call");
    let ends = &pipe["pipe2([".len()..pipe.find(']').expect("]")];
    let reader = ends.split(',').next().expect("the reading end").trim();
    let closed = format!("close({reader})");
    let mut closed_before_wait = false;
    for line in lines {
        if line.starts_with("wait4(") {
            break;
        }
        closed_before_wait |= line.starts_with(&closed);
    }
    assert!(
        closed_before_wait,
        "the parent still holds the reading end {reader} when it waits:\n{text}"
    );
    let waits: Vec<&str> = text.lines().filter(|l| l.starts_with("wait4(")).collect();
    for call in &waits {
        assert!(
            !call.contains("WNOHANG"),
            "a stage is polled, not waited for: {call}"
        );
    }
    let reaped = waits
        .iter()
        .filter(|call| call.contains("WIFEXITED"))
        .count();
    assert_eq!(reaped, 5, "one blocking wait per child:\n{text}");
}

/// The twin's `words.stdout.close()` matters: with `yes` as `words` and
/// `head -1` as `tally` (the page's experiment), `yes` is killed by
/// `SIGPIPE` (-13) once `head` quits, only if the parent kept no reading
/// end; a twin without the `close()` waits for `yes` for ever (time limit).
#[cfg(target_os = "linux")]
#[test]
fn connecting_python_closes_its_end() {
    let yes_head = "def me(role):\n    \
                    return [\"yes\"] if role == \"words\" else [\"head\", \"-1\"]\n";
    let edits = [
        (
            "def me(role):\n    return [sys.executable, __file__, role]\n",
            yes_head,
        ),
        (r#"me("words"), stdout=file"#, r#"["true"], stdout=file"#),
    ];
    let Some(run) = common::python_edited("ch02-06-connecting.py", &edits) else {
        return;
    };
    let run = run.success();
    let pipelines = ["words 2>/dev/null | tally", "words 2>&1 | tally"];
    let mut want = Vec::new();
    for sh in pipelines {
        want.push("y".to_string());
        want.push(format!("({sh}) words: exit code -13; tally: exit code 0"));
    }
    want.push("(words > file 2>/dev/null) words: exit code 0; ''".into());
    assert_eq!(run.lines(), want);
}

/// `words > file` writes into the temporary directory, and the listing
/// must remove its file: run it with `TMPDIR` set to an empty directory of
/// our own (`env::temp_dir()` follows it on Unix), then check it is empty.
#[test]
fn connecting_leaves_no_file_behind() {
    let left = common::files_left_in_tmpdir("ch02-06-connecting");
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
    let run = common::run("ch02-12-completion-order", &[]).success();
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
    let Some(run) = common::python("ch02-12-completion-order.py") else {
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

/// The second block hands each result over as soon as it exists, whatever
/// the other workers do: hold its 60,000 worker stopped (`SIGSTOP`) and the
/// two other lines must still arrive, before it is let go (`SIGCONT`). A
/// listing that collects in start order (or prints once all are in) waits
/// for the held worker, and fails here. The only race is the worker ending
/// before it is stopped; then the run is inconclusive and tried again.
#[cfg(target_os = "linux")]
#[test]
fn completion_order_delivers_while_the_biggest_job_is_held() {
    until_conclusive(
        held_run,
        "the 60000 worker always ended before it could be stopped",
    );
}

/// The lines a child writes on `stdout`, each sent as soon as it is read (by a thread of its
/// own), so that a test can wait for one line with a time limit. (Only the Linux tests use it.)
#[cfg(target_os = "linux")]
fn lines_as_they_come(stdout: std::process::ChildStdout) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.expect("a line")).is_err() {
                break;
            }
        }
    });
    rx
}

/// Finds the listing's 60,000 worker among the processes marked `mark` (the first one alive,
/// whichever block it belongs to) and stops it (`held::stop`). `None` when the listing or the
/// worker ended first: such a run is inconclusive.
#[cfg(target_os = "linux")]
fn stop_the_60000_worker(mark: &str, child: &mut std::process::Child) -> Option<u32> {
    use course_book::procs;
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    let worker = loop {
        let ours = procs::marked("COURSE_TEST_RUN", mark);
        let big = procs::with_argument("\0worker\x0060000\0");
        if let Some(&pid) = ours.iter().find(|pid| big.contains(pid)) {
            break pid;
        }
        if child.try_wait().expect("try_wait").is_some() {
            return None;
        }
        assert!(std::time::Instant::now() < deadline, "no 60000 worker");
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    held::stop(worker).then_some(worker)
}

/// Starts ch02-12 with its stdout and stderr piped, its processes marked for
/// this attempt of test `what`: the mark, the sweep that ends them, the child.
#[cfg(target_os = "linux")]
fn start_marked(what: &str, attempt: u32) -> (String, Sweep, std::process::Child) {
    let mark = format!("ch02-12-{what}-{}-{attempt}", std::process::id());
    let sweep = Sweep(mark.clone(), None);
    let child = std::process::Command::new(common::example_path("ch02-12-completion-order"))
        .env("COURSE_TEST_RUN", &mark)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the listing");
    (mark, sweep, child)
}

/// One run; false when the worker could not be stopped in time.
#[cfg(target_os = "linux")]
fn held_run(attempt: u32) -> bool {
    let (mark, mut sweep, mut child) = start_marked("held", attempt);
    let stdout = child.stdout.take().expect("piped");
    let rx = lines_as_they_come(stdout);
    let next = || rx.recv_timeout(common::TIMEOUT);
    let header = "as they complete, over one channel:";
    while next().expect("the listing's lines") != header {}
    // Find the second block's 60,000 worker (of this run only) and stop it.
    let Some(worker) = stop_the_60000_worker(&mark, &mut child) else {
        drop(sweep);
        let _ = child.wait();
        return false; // it ended before we could stop it: nothing to learn
    };
    sweep.1 = Some(worker);
    let early: Vec<String> = (0..2)
        .map(|_| {
            next().expect(
                "no result while the 60000 worker is held: \
                 the listing waits for it (start order?)",
            )
        })
        .collect();
    let early: Vec<&str> = early.iter().map(String::as_str).collect();
    common::assert_same_lines(&early, &PRIMES[1..]);
    signal("CONT", worker);
    sweep.1 = None;
    assert_eq!(next().expect("the last line"), PRIMES[0]);
    assert!(child.wait().expect("wait").success());
    true
}

/// A worker that fails is an error, never an empty answer: stop the first
/// block's 60,000 worker, then kill it (stopped first, so that it cannot
/// have ended on its own just before). The listing must fail, naming the
/// signal, and print no count for 60,000. An `answer` without the status
/// check prints "  primes below 60000: " with nothing after it, and the
/// listing ends with success. Retried, like the test above, when the
/// worker ended before it could be stopped, or before it was even found
/// (then the one found is the second block's).
#[cfg(target_os = "linux")]
#[test]
fn completion_order_a_killed_worker_is_an_error() {
    until_conclusive(
        killed_run,
        "the 60000 worker always ended before it could be stopped",
    );
}

/// One run; false when the worker could not be stopped in time.
#[cfg(target_os = "linux")]
fn killed_run(attempt: u32) -> bool {
    use std::io::Read;
    let (mark, _sweep, mut child) = start_marked("killed", attempt);
    let rx = lines_as_they_come(child.stdout.take().expect("piped"));
    let header = "in start order, one wait after the other:";
    let first = rx.recv_timeout(common::TIMEOUT).expect("the first line");
    assert_eq!(first, header);
    let Some(worker) = stop_the_60000_worker(&mark, &mut child) else {
        let _ = child.wait();
        return false;
    };
    signal("KILL", worker);
    let mut lines = Vec::new();
    loop {
        match rx.recv_timeout(common::TIMEOUT) {
            Ok(line) => lines.push(line),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the listing hung after its worker was killed: {lines:#?}");
            }
        }
    }
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    let mut err = child.stderr.take().expect("piped");
    err.read_to_string(&mut stderr).expect("stderr");
    if lines.first().map(String::as_str) == Some(PRIMES[0]) {
        // The first block's worker ended on its own before it was found, and the one
        // killed was the second block's: inconclusive.
        return false;
    }
    let counted = lines.iter().any(|l| l.starts_with("  primes below 60000:"));
    assert!(!counted, "an answer from a killed worker: {lines:#?}");
    assert!(!status.success(), "the listing ignored the failed worker");
    assert!(stderr.contains("SIGKILL"), "stderr: {stderr:?}");
    true
}

/// The first block starts all three workers before it waits for any: hold
/// its 60,000 worker stopped, and the two others must still be started
/// (they end, and stay zombies until the loop reaches them). A first block
/// that starts each worker after the previous answer (`for n in SIZES`,
/// `answer(start(n)?)?`) prints the same lines in the same order, and fails
/// here. The listing has one thread only in its first block (the second
/// starts a thread per worker, and the held worker's thread lasts): a run
/// that stopped the second block's worker is inconclusive, and tried again.
#[cfg(target_os = "linux")]
#[test]
fn completion_order_starts_all_three_before_waiting() {
    until_conclusive(
        started_run,
        "the first block's 60000 worker always ended before it was stopped",
    );
}

/// How many children process `pid` has, zombies included (a zombie keeps
/// its parent until it is waited for), and how many threads it runs.
#[cfg(target_os = "linux")]
fn children_and_threads(pid: u32) -> (usize, usize) {
    let ppid = |stat: String| {
        let after = stat.rsplit(')').next()?.to_string();
        after.split_whitespace().nth(1)?.parse::<u32>().ok()
    };
    let procs = std::fs::read_dir("/proc").expect("/proc").flatten();
    let children = procs
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| ppid(stat.clone()) == Some(pid))
        .count();
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"));
    (children, tasks.map(|dir| dir.count()).unwrap_or(0))
}

/// One run; false when it stopped the second block's worker, or none.
#[cfg(target_os = "linux")]
fn started_run(attempt: u32) -> bool {
    let (mark, mut sweep, mut child) = start_marked("started", attempt);
    let listing = child.id();
    let rx = lines_as_they_come(child.stdout.take().expect("piped"));
    let Some(worker) = stop_the_60000_worker(&mark, &mut child) else {
        drop(sweep);
        let _ = child.wait();
        return false;
    };
    sweep.1 = Some(worker);
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    let mut children = 0;
    while std::time::Instant::now() < deadline {
        let threads;
        (children, threads) = children_and_threads(listing);
        if threads > 1 {
            drop(sweep);
            let _ = child.wait();
            return false; // the second block's worker: nothing to learn
        }
        if children == 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(
        children, 3,
        "workers started while the first is held: \
         the first block waits for each before it starts the next"
    );
    signal("CONT", worker);
    sweep.1 = None;
    let lines: Vec<String> = rx.iter().collect();
    assert_eq!(lines.len(), 8, "{lines:#?}");
    assert!(child.wait().expect("wait").success());
    true
}

/// The twin's two "as they complete" blocks hand over each result as soon
/// as it exists: an edited copy's 60,000 job, in those blocks, waits for a
/// file that the test creates only once the two other results are printed.
/// A twin that waits in submission order there (`executor.map`, a loop over
/// the futures, `pool.imap`) never prints them, and hits the time limit.
/// The copy is a file of its own, so that workers started by `spawn` or
/// `forkserver` (Python 3.14's default) import the edited text too.
#[cfg(target_os = "linux")]
#[test]
fn completion_order_python_delivers_while_the_biggest_job_is_held() {
    use course_book::procs;
    use std::process::{Command, Stdio};

    /// Releases any held job and sweeps the run, whatever happens.
    struct Sweep(String, common::Scratch);
    impl Drop for Sweep {
        fn drop(&mut self) {
            let _ = std::fs::write(self.1.path().join("go"), "");
            procs::kill_marked("COURSE_TEST_RUN", &self.0);
        }
    }
    let here = Command::new("python3").arg("--version").output();
    if !here.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 not found: skipping");
        return;
    }
    let mark = format!("ch02-12-held-py-{}", std::process::id());
    let sweep = Sweep(mark.clone(), common::Scratch::new(&mark));
    let dir = sweep.1.path();
    let file = "ch02-12-completion-order.py";
    let mut source = common::twin_source(file);
    let tools = format!(
        "import os, time\nDIR = {dir:?}\n\n\ndef arm():\n    \
         open(os.path.join(DIR, 'armed'), 'w').close()\n    \
         if os.path.exists(os.path.join(DIR, 'go')):\n        \
         os.remove(os.path.join(DIR, 'go'))\n\n\ndef hold(n):\n    \
         while n == 60_000 and os.path.exists(os.path.join(DIR, 'armed')) \
         and not os.path.exists(os.path.join(DIR, 'go')):\n        \
         time.sleep(0.005)\n\n\n"
    );
    let doc = "    \"\"\"How many primes are below n: the work grows with n.\"\"\"\n";
    let edits = [
        (
            "import multiprocessing\n",
            format!("import multiprocessing\n{tools}"),
        ),
        (doc, format!("{doc}    hold(n)\n")),
    ];
    for (old, new) in edits {
        assert_eq!(source.matches(old).count(), 1, "{old:?} in {file}");
        source = source.replace(old, &new);
    }
    let headers = [
        "as they complete, as_completed:",
        "as they complete, Pool.imap_unordered:",
    ];
    for header in headers {
        let old = format!("print(\"{header}\")\n");
        assert_eq!(source.matches(&old).count(), 1, "{header:?} in {file}");
        source = source.replace(&old, &format!("{old}        arm()\n"));
    }
    let copy = dir.join(file);
    std::fs::write(&copy, source).expect("write the copy");
    let mut child = Command::new("python3")
        .arg(&copy)
        .env("PYTHONUNBUFFERED", "1") // each line as it is printed
        .env("COURSE_TEST_RUN", &mark)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the copy");
    let stdout = child.stdout.take().expect("piped");
    let rx = lines_as_they_come(stdout);
    let next = |what: &str| {
        rx.recv_timeout(common::TIMEOUT)
            .unwrap_or_else(|_| panic!("no {what} in time"))
    };
    for header in headers {
        while next("header") != header {}
        let early = [next("result"), next("result")];
        let early: Vec<&str> = early.iter().map(String::as_str).collect();
        common::assert_same_lines(&early, &PRIMES[1..]);
        std::fs::write(dir.join("go"), "").expect("release the big job");
        assert_eq!(next("last result"), PRIMES[0], "{header}");
    }
    assert!(child.wait().expect("wait").success());
}
