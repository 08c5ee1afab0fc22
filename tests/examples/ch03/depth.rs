//! The tests of chapter 3's depth pages (issue 19): lock-free updates (ch03-05) and the pages
//! after it.

use crate::common;

/// The number after `prefix` on `line` (spaces before it skipped).
fn number_after(line: &str, prefix: &str) -> usize {
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{line:?} does not start with {prefix:?}"));
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix:?} in {line:?}"))
}

// ---- ch03-05: compare_exchange and try_update ----

#[test]
fn compare_exchange_loop_loses_no_update() {
    let run = common::run("ch03-05-compare-exchange", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(number_after(lines[0], "expected ="), 4_000);
    assert_eq!(number_after(lines[1], "count    ="), 4_000, "{lines:?}");
    // Retries depend on scheduling: only their presence is checked.
    number_after(lines[2], "retries  =");
    // A check and a store right next to each other (`if count.load(..) == seen { store }`, or a
    // store of the fresh value on `Err`) loses updates only when a thread is stopped between the
    // two, so on one core it printed 4000 in 8 of 8 runs: the count must change only through
    // `compare_exchange`, which the page is about.
    let listing = common::listing_source("ch03-05-compare-exchange");
    assert!(listing.contains("count.compare_exchange("), "{listing}");
    for other in ["count.store(", "count.swap(", "count.fetch_"] {
        assert!(!listing.contains(other), "the listing calls {other}..)");
    }
}

#[test]
fn try_update_never_sells_more_seats_than_there_are() {
    let run = common::run("ch03-05-try-update", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let got: Vec<usize> = lines[0]
        .strip_prefix("each buyer got [")
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| panic!("{lines:?}"))
        .split(", ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(got.len(), 4, "{lines:?}");
    assert!(got.iter().all(|&n| n <= 100), "{lines:?}");
    assert_eq!(got.iter().sum::<usize>(), 250, "{lines:?}");
    assert_eq!(lines[1], "seats sold: 250 of 250");
    assert_eq!(number_after(lines[2], "refused:"), 150);
}

// ---- ch03-08: one Sender shared by reference ----

#[test]
fn shared_sender_delivers_every_message() {
    // The same guarantees as the clones: six messages, each producer's in order, count last.
    let run = common::run("ch03-08-shared-sender", &[]).success();
    super::check_producers(&run.lines());
}

// ---- ch03-10: timed waits ----

/// The first wait cannot succeed (the worker waits at a barrier for main), the result is 385,
/// and between them come any number of "still waiting" lines.
fn check_wait_timeout(lines: &[&str]) {
    assert_eq!(lines.first(), Some(&"main: timed out = true"), "{lines:?}");
    assert_eq!(lines.last(), Some(&"main: the result is 385"), "{lines:?}");
    for line in &lines[1..lines.len() - 1] {
        assert_eq!(*line, "main: still waiting, something else meanwhile");
    }
}

#[test]
fn wait_timeout_times_out_then_gets_the_result() {
    let run = common::run("ch03-10-wait-timeout", &[]).success();
    check_wait_timeout(&run.lines());
}

#[test]
fn wait_timeout_python() {
    if let Some(run) = common::python("ch03-10-wait-timeout.py") {
        check_wait_timeout(&run.success().lines());
    }
}

fn check_is_finished(lines: &[&str]) {
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "before go: finished = false");
    let looks = lines[1]
        .strip_prefix("after go: finished after ")
        .and_then(|rest| rest.strip_suffix(" look(s) (varies)"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(looks.parse::<u32>().unwrap() >= 1, "{lines:?}");
    assert_eq!(lines[2], "joined: the worker returned 385");
}

#[test]
fn is_finished_is_false_until_the_worker_may_go() {
    // Checked on 100 runs: a listing with an untimed `park()` (the page's "could sleep for ever")
    // hangs only when `main` finds the worker not quite finished after the unpark, which the
    // debug build did in 22 runs of 50 on an idle machine, but in only 4 of 50 on a busy one,
    // where 10 runs passed it 1 time in 4.
    for _ in 0..100 {
        let run = common::run("ch03-10-is-finished", &[]).success();
        check_is_finished(&run.lines());
    }
}

#[test]
fn is_finished_python() {
    if let Some(run) = common::python("ch03-10-is-finished.py") {
        check_is_finished(&run.success().lines());
    }
}

// ---- ch03-19: happens-before and SeqCst ----

#[test]
fn seq_cst_never_lets_both_threads_read_false() {
    // Checked on 10 runs: a listing with its fence before the `Relaxed` store instead of between
    // the store and the load (which orders nothing between them) printed a non-zero third count
    // in 13 runs of 15 on an idle two-core machine (and in none of 15 with a hog on one of the
    // cores: the threads then rarely run at the same moment, and only Miri, in `cargo xtask
    // nightly`, still catches it).
    for _ in 0..10 {
        let run = common::run("ch03-19-store-buffer", &[]).success();
        let lines = run.lines();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[0], "2000 rounds each; rounds where both read false:");
        // Allowed, not guaranteed: only the bound holds.
        assert!(
            number_after(lines[1], "Release/Acquire:") <= 2_000,
            "{lines:?}"
        );
        // Forbidden by the single total order of SeqCst operations.
        assert_eq!(number_after(lines[2], "SeqCst:"), 0, "{lines:?}");
        assert_eq!(
            number_after(lines[3], "Relaxed + SeqCst fence:"),
            0,
            "{lines:?}"
        );
    }
}

// ---- ch03-20: false sharing ----

#[test]
fn false_sharing_counts_exactly_in_both_layouts() {
    let run = common::run("ch03-20-false-sharing", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    // Each counter, in each layout, has its own thread: 3 tries x 1,000,000 steps; the times
    // and the ratio are not checked. Counter by counter, not their sum: a listing whose two
    // threads both added to the first counter (true sharing, not false) printed the same
    // sum, 6000000, but prints [6000000, 0] here.
    let counts = |line: &str, label: &str| -> Vec<usize> {
        let list = line
            .strip_prefix(label)
            .and_then(|rest| rest.strip_prefix(" counts ["))
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_else(|| panic!("{lines:?}"));
        list.split(", ").map(|n| n.parse().unwrap()).collect()
    };
    assert_eq!(
        counts(lines[0], "side by side:"),
        [3_000_000; 2],
        "{lines:?}"
    );
    assert_eq!(
        counts(lines[1], "padded:      "),
        [3_000_000; 2],
        "{lines:?}"
    );
    // The layouts are what the page says: the counters next to each other (8 bytes apart, in
    // one line), then each in its own CachePadded (as far apart as one is long, 128 bytes on
    // x86-64). A listing that measured two unpadded layouts would print the same counts.
    let apart = |line: &str| {
        let gap = line.split("], ").nth(1).unwrap_or_default();
        let gap = gap.split(", ").next().unwrap_or_default();
        assert!(gap.ends_with(" bytes apart"), "{lines:?}");
        number_after(gap, "")
    };
    assert_eq!(apart(lines[0]), 8, "{lines:?}");
    let padded = size_of::<crossbeam_utils::CachePadded<std::sync::atomic::AtomicU64>>();
    assert_eq!(apart(lines[1]), padded, "{lines:?}");
    assert!(
        lines[2].starts_with("side by side took ") && lines[2].ends_with(" times as long (varies)"),
        "{lines:?}"
    );
}

// ---- ch03-07: UnsafeCell and unsafe impl Sync ----

#[test]
fn spin_lock_loses_no_push() {
    // Checked on 100 runs: a lock that clears `taken` before calling `f` (so that it excludes
    // nothing) lost pushes or crashed in 43 runs of 100 of the debug build on an idle machine,
    // but in only 14 of 200 on a busy one, where 10 runs passed it 3 times in 6.
    for _ in 0..100 {
        let run = common::run("ch03-07-spin-lock", &[]).success();
        assert_eq!(run.lines(), ["4000 entries, none lost"]);
    }
}

/// Compiles the listing `ch03-07-spin-lock` with `check` appended (rustc, edition 2024, metadata
/// only); returns whether it compiled and what rustc printed.
fn compile_spin_lock_with(name: &str, check: &str) -> (bool, String) {
    let listing = common::listing_source("ch03-07-spin-lock");
    common::rustc_check(
        &format!("spin-lock-{name}"),
        &format!("{listing}\n{check}\n"),
    )
}

#[test]
fn spin_lock_is_sync_only_for_send_values() {
    // The page's "the bound is part of the argument": `unsafe impl<T: Send> Sync`. Without the
    // bound the listing prints the same line, yet a `SpinLock<Rc<_>>` could be shared (the
    // quiz's data race on the count); so the bound is checked here, by the compiler.
    let (ok, err) = compile_spin_lock_with(
        "rc",
        "fn _check() { fn sync<T: Sync>() {} sync::<SpinLock<std::rc::Rc<u32>>>(); }",
    );
    assert!(
        !ok,
        "SpinLock<Rc<u32>> is Sync: the `T: Send` bound is missing"
    );
    assert!(err.contains("E0277") && err.contains("Rc<u32>"), "{err}");
    // The bound is `Send`, as `Mutex`'s: a `Cell` (Send, not Sync) may be behind the lock.
    let (ok, err) = compile_spin_lock_with(
        "cell",
        "fn _check() { fn sync<T: Sync>() {} sync::<SpinLock<std::cell::Cell<u32>>>(); }",
    );
    assert!(ok, "SpinLock<Cell<u32>> should be Sync: {err}");
    // "`Send` needed no impl": the automatic one holds only when `T: Send`. A listing that also
    // wrote `unsafe impl<T> Send` would let a `SpinLock<Rc<_>>` move to another thread while a
    // clone of the `Rc` stays behind, and print the same line.
    let (ok, err) = compile_spin_lock_with(
        "rc-send",
        "fn _check() { fn send<T: Send>() {} send::<SpinLock<std::rc::Rc<u32>>>(); }",
    );
    assert!(
        !ok,
        "SpinLock<Rc<u32>> is Send: an impl of Send is too broad"
    );
    assert!(err.contains("E0277") && err.contains("Rc<u32>"), "{err}");
    let (ok, err) = compile_spin_lock_with(
        "cell-send",
        "fn _check() { fn send<T: Send>() {} send::<SpinLock<std::cell::Cell<u32>>>(); }",
    );
    assert!(ok, "SpinLock<Cell<u32>> should be Send: {err}");
}

// ---- ch03-21: Python's other thread tools ----

/// Six jobs, two permits: never more than two inside at once (at least one, of course).
fn check_permits(lines: &[&str]) {
    assert_eq!(lines[0], "6 jobs done, 2 permits", "{lines:?}");
    let most = number_after(lines[1], "at most");
    assert!((1..=2).contains(&most), "{lines:?}");
    assert_eq!(lines[1], format!("at most {most} inside at once"));
}

#[test]
fn permits_let_at_most_two_in() {
    let run = common::run("ch03-21-permits", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    check_permits(&lines);
}

#[test]
fn permits_python() {
    if let Some(run) = common::python("ch03-21-permits.py") {
        let run = run.success();
        let lines = run.lines();
        assert_eq!(lines.len(), 3, "{lines:?}");
        check_permits(&lines);
        assert_eq!(
            lines[2],
            "BoundedSemaphore refuses an extra release: Semaphore released too many times"
        );
    }
}

/// The three results, job 1's last (it waits until main has used two), then the last line. A
/// program that waited for every job before printing, or took them in the order they started,
/// never ends (the run's timeout fails it).
fn check_as_completed(lines: &[&str]) {
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[2], "job 1 finished: 1", "{lines:?}");
    assert_eq!(lines.last(), Some(&"all jobs finished"), "{lines:?}");
    common::assert_same_lines(
        lines,
        &[
            "job 1 finished: 1",
            "job 2 finished: 4",
            "job 3 finished: 9",
            "all jobs finished",
        ],
    );
}

#[test]
fn as_completed_gets_every_result_once() {
    let run = common::run("ch03-21-as-completed", &[]).success();
    check_as_completed(&run.lines());
}

#[test]
fn as_completed_python() {
    if let Some(run) = common::python("ch03-21-as-completed.py") {
        check_as_completed(&run.success().lines());
    }
}

/// Job 1 is last because of the barrier, not because it sleeps longest: with the sleeps reversed
/// (job 1 now the quickest), it must still come last. A program without the barrier (job 1
/// first), or whose `main` meets it after one result instead of two (job 1 second), passes
/// with the page's sleeps, which make job 1 last anyway, and fails here.
#[test]
fn as_completed_job_1_waits_for_the_barrier_not_its_sleep() {
    let quickest_first = [(
        "thread::sleep(Duration::from_millis(10 * (4 - id)));",
        "thread::sleep(Duration::from_millis(10 * id));",
    )];
    let run = common::run_edited("ch03-21-as-completed", &quickest_first).success();
    check_as_completed(&run.lines());
    let quickest_first = [(
        "time.sleep(0.01 * (4 - job_id))",
        "time.sleep(0.01 * job_id)",
    )];
    if let Some(run) = common::python_edited("ch03-21-as-completed.py", &quickest_first) {
        check_as_completed(&run.success().lines());
    }
}

/// Each batch's total is complete when it is printed: the wait is over only when all its jobs are.
fn check_wait_group(lines: &[&str]) {
    assert_eq!(
        lines,
        [
            "batch 1 done, total so far 14",
            "batch 2 done, total so far 28"
        ]
    );
}

#[test]
fn wait_group_waits_for_the_whole_batch() {
    let run = common::run("ch03-21-wait-group", &[]).success();
    check_wait_group(&run.lines());
}

#[test]
fn wait_group_python() {
    if let Some(run) = common::python("ch03-21-wait-group.py") {
        check_wait_group(&run.success().lines());
    }
}

// ---- ch03-16: how many threads run at once ----

#[test]
fn at_once_counts_the_cpus_twice() {
    let run = common::run("ch03-16-at-once", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let cpus = number_after(lines[0], "CPUs this process may use:");
    assert!(cpus >= 1, "{lines:?}");
    assert_eq!(
        lines[1],
        format!("threads that can run Rust code at once: {cpus}")
    );
}

/// "The CPUs this process may use", not the machine's: run on one CPU (`taskset`, the first CPU
/// this test may use), both the listing and its twin must count 1. A listing that counts the
/// machine's CPUs (`/proc/cpuinfo`, `/sys/devices/system/cpu/online`) or a twin that calls
/// `os.cpu_count()` prints every CPU of the machine, and fails here on a machine with two or more.
#[cfg(target_os = "linux")]
#[test]
fn at_once_counts_only_the_cpus_it_may_use() {
    let taskset = std::process::Command::new("taskset")
        .arg("--version")
        .output();
    if !taskset.is_ok_and(|out| out.status.success()) {
        eprintln!("taskset not found: skipping");
        return;
    }
    // The first CPU of our own affinity list ("0-3,6" gives 0).
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let allowed = status
        .lines()
        .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
        .expect("Cpus_allowed_list");
    let first: String = allowed
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let on_one_cpu = |program: &std::process::Command| {
        let mut taskset = std::process::Command::new("taskset");
        taskset.args(["-c", &first]);
        common::under(taskset, program)
    };
    let listing = std::process::Command::new(common::example_path("ch03-16-at-once"));
    let run = common::run_command(&mut on_one_cpu(&listing), None).success();
    assert_eq!(
        run.lines(),
        [
            "CPUs this process may use: 1",
            "threads that can run Rust code at once: 1"
        ]
    );
    if let Some(twin) = common::twin_command("ch03-16-at-once.py") {
        let mut cmd = on_one_cpu(&twin);
        let run = common::run_command(&mut cmd, None).success();
        let lines = run.lines();
        check_at_once_python(&lines);
        assert_eq!(lines[2], "CPUs this process may use: 1", "{lines:?}");
    }
}

/// The twin's four lines: with the GIL, one thread at a time runs Python code; without it,
/// every CPU.
fn check_at_once_python(lines: &[&str]) {
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].starts_with("Python 3."), "{lines:?}");
    let cpus = number_after(lines[2], "CPUs this process may use:");
    let at_once = match lines[1] {
        "GIL enabled: True" => 1,
        "GIL enabled: False" => cpus,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        lines[3],
        format!("threads that can run Python code at once: {at_once}")
    );
    // A build that is not free-threaded always has the GIL.
    if lines[0].ends_with("free-threaded build: False") {
        assert_eq!(lines[1], "GIL enabled: True");
    }
}

#[test]
fn at_once_python_reports_the_gil() {
    if let Some(run) = common::python("ch03-16-at-once.py") {
        check_at_once_python(&run.success().lines());
    }
    // The twin calls `sys._is_gil_enabled()` only from 3.13 on: a twin that wrote
    // `sys._is_gil_enabled` without the call passed under 3.11. So it runs under each later
    // Python this machine has too.
    // Whether each interpreter is free-threaded, learnt apart from the twin (a free-threaded
    // build has a `t` in its ABI flags): a twin that tested `Py_GIL_DISABLED is not None` passed
    // everything else, yet called a standard 3.13 (where the value is 0) free-threaded.
    let builds = common::python_versions_code("import sys; print('t' in sys.abiflags)");
    for (minor, run) in common::python_versions("ch03-16-at-once.py") {
        let run = run.success();
        let lines = run.lines();
        assert!(
            lines[0].starts_with(&format!("Python {minor}")),
            "{lines:?}"
        );
        check_at_once_python(&lines);
        let (_, build) = builds
            .iter()
            .find(|(m, _)| *m == minor)
            .unwrap_or_else(|| panic!("no ABI flags for Python {minor}"));
        let free = build.stdout.trim();
        assert!(
            lines[0].ends_with(&format!("free-threaded build: {free}")),
            "{lines:?}, yet 't' in sys.abiflags is {free}"
        );
    }
}
