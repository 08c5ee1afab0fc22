//! The listings of ch03-13-rwlock, ch03-14-globals and ch03-18-pools.

use crate::common;

// --- ch03-13-rwlock and ch03-14-globals ---

#[test]
fn rwlock_readers_share_and_the_writer_waits() {
    let run = common::run("ch03-13-rwlock", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{lines:?}");
    // The barriers hold all three readers inside together, so try_write is refused;
    // the order of these four lines is up to the scheduler.
    common::assert_same_lines(
        &lines[..4],
        &[
            "reader 1: an apple costs 3",
            "reader 2: an apple costs 3",
            "reader 3: an apple costs 3",
            "main: try_write while they read: refused",
        ],
    );
    // The second barrier puts every reader's line before the write.
    assert_eq!(
        lines[4..],
        ["main: wrote a new price", "an apple now costs 5"]
    );
}

fn check_statics(lines: &[&str], greeting: &str) {
    let mut expected = vec!["building the table of capitals (once)".to_string()];
    for (name, country, capital) in [
        ("Ana", "France", "Paris"),
        ("Bo", "Japan", "Tokyo"),
        ("Chen", "Peru", "Lima"),
    ] {
        expected.push(format!(
            "{greeting} {name}: the capital of {country} is {capital}"
        ));
    }
    expected.push("lookups: 3".into());
    // Joined in order, and the table is built before any lookup returns.
    assert_eq!(lines, expected);
}

#[test]
fn statics_build_once_and_set_once() {
    for (args, greeting) in [(&[][..], "Hello"), (&["--fr"][..], "Bonjour")] {
        let run = common::run("ch03-14-statics", args).success();
        let lines = run.lines();
        assert_eq!(lines[0], "second set refused: true", "{lines:?}");
        check_statics(&lines[1..], greeting);
    }
}

#[test]
fn statics_python() {
    if let Some(run) = common::python("ch03-14-statics.py") {
        check_statics(&run.success().lines(), "Hello");
    }
}

fn check_thread_local(lines: &[&str]) {
    assert_eq!(
        lines,
        [
            "thread 1: calls = 1, seen = [11]",
            "thread 2: calls = 2, seen = [21, 22]",
            "thread 3: calls = 3, seen = [31, 32, 33]",
            "main:     calls = 1, seen = [0]",
        ]
    );
}

#[test]
fn thread_local_gives_each_thread_its_own() {
    let run = common::run("ch03-14-thread-local", &[]).success();
    check_thread_local(&run.lines());
}

#[test]
fn thread_local_python() {
    if let Some(run) = common::python("ch03-14-thread-local.py") {
        check_thread_local(&run.success().lines());
    }
}

// --- ch03-18-pools ---

fn is_prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

/// The published first answer is exact; the worker stops wherever the request found it,
/// but the count it reports must match the numbers it says it checked.
fn check_stop_flag(lines: &[&str]) {
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "first answer: 1229 primes below 10000");
    let rest = lines[1]
        .strip_prefix("worker stopped at ")
        .and_then(|r| r.strip_suffix(" more primes"))
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[1]));
    let (last, more) = rest.split_once(", having found ").unwrap();
    let (last, more): (u64, usize) = (last.parse().unwrap(), more.parse().unwrap());
    assert!(last >= 10_000, "{lines:?}");
    let expected = (10_001..=last).filter(|&n| is_prime(n)).count();
    assert_eq!(more, expected, "{lines:?}");
}

#[test]
fn stop_flag_publishes_then_stops() {
    let run = common::run("ch03-18-stop-flag", &[]).success();
    check_stop_flag(&run.lines());
}

#[test]
fn stop_flag_python() {
    if let Some(run) = common::python("ch03-18-stop-flag.py") {
        check_stop_flag(&run.success().lines());
    }
}

/// Every job's result, sorted by job; the per-worker split varies, the total does not.
/// Returns how many workers the last line lists.
fn check_pool(lines: &[&str]) -> usize {
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(
        lines[..6],
        [
            "    27 takes 111 steps",
            "    97 takes 118 steps",
            "   871 takes 178 steps",
            "  6171 takes 261 steps",
            " 77031 takes 350 steps",
            "837799 takes 524 steps",
        ]
    );
    let split = lines[6]
        .strip_prefix("jobs per worker: [")
        .and_then(|r| r.strip_suffix("], 6 in all"))
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[6]));
    let jobs: Vec<u32> = split.split(", ").map(|n| n.parse().unwrap()).collect();
    assert_eq!(jobs.iter().sum::<u32>(), 6, "{lines:?}");
    jobs.len()
}

#[test]
fn pool_does_every_job_and_shuts_down() {
    let run = common::run("ch03-18-pool", &[]).success();
    // Our pool always has three workers (a ThreadPoolExecutor may start fewer).
    assert_eq!(check_pool(&run.lines()), 3);
}

#[test]
fn pool_python() {
    if let Some(run) = common::python("ch03-18-pool.py") {
        let workers = check_pool(&run.success().lines());
        assert!((1..=3).contains(&workers));
    }
}

#[test]
fn rayon_pool_install_and_scope() {
    let run = common::run("ch03-18-rayon-pool", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "install, 2 threads: below 100000, 77031 takes the most steps (350)",
            "scope: [27, 97, 871, 6171] take [111, 118, 178, 261] steps",
        ]
    );
}
