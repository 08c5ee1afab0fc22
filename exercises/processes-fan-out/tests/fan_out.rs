//! What "correct" means for the fan-out. Run with `cargo xtask check processes-fan-out`.
//!
//! Every test runs under a time limit, so a parent and a worker waiting for each other fail
//! instead of hanging; and after each test, no process it started may be left, running or
//! unwaited. Every failure ends with a hint.
//!
//! Some tests use small shell scripts as workers, to make a worker slow, or make it fail.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Duration;

use exercise_processes_fan_out::{fan_out, serve, work};

const LIMIT: Duration = Duration::from_secs(10);

/// The real worker program, `src/bin/worker.rs`, as cargo built it.
const WORKER: &str = env!("CARGO_BIN_EXE_worker");

#[test]
fn serve_reads_a_job_and_writes_its_answer() {
    within(
        "`serve` reads all of its input into a String (`std::io::read_to_string`), parses the \
         two numbers, and `writeln!`s `work(start..end)` to its output.",
        || {
            for job in ["1 10\n", "1 10", "  1   10 \n"] {
                let mut answer = Vec::new();
                serve(job.as_bytes(), &mut answer).expect("a good job must succeed");
                let answer = String::from_utf8(answer).expect("the answer is text");
                assert_eq!(answer, format!("{}\n", work(1..10)), "for the job {job:?}");
            }
            for bad in ["", "1", "1 two", "1 2 3"] {
                let result = serve(bad.as_bytes(), io::sink());
                let err = result.expect_err(&format!("the job {bad:?} must be refused"));
                assert_eq!(
                    err.kind(),
                    io::ErrorKind::InvalidData,
                    "for the job {bad:?}"
                );
            }
        },
    );
}

#[test]
fn fan_out_adds_up_every_part() {
    within(
        "start one worker per part of `split(range, workers)`, write it `START END`, read its \
         answer from its stdout, and add the answers up.",
        || {
            let total = fan_out(Path::new(WORKER), 1..200_000, 4).expect("fan_out failed");
            assert_eq!(total, work(1..200_000));
        },
    );
}

#[test]
fn any_number_of_workers_gives_the_same_total() {
    within(
        "every part of `split` is a job, even an empty one (`5 5`): its worker answers 0.",
        || {
            for (range, workers) in [(1..1_000, 1), (0..1_001, 7), (5..8, 8), (9..9, 2)] {
                let total = fan_out(Path::new(WORKER), range.clone(), workers)
                    .unwrap_or_else(|e| panic!("fan_out({range:?}, {workers}) failed: {e}"));
                assert_eq!(
                    total,
                    work(range.clone()),
                    "for {range:?} with {workers} workers"
                );
            }
        },
    );
}

#[test]
fn the_workers_see_the_end_of_their_input() {
    within(
        "after writing a worker its job, drop its stdin (`child.stdin.take()`, then let it go \
         out of scope): a worker that reads to the end of its input waits until the parent \
         closes the pipe, and the parent waits for its answer.",
        || {
            // This worker reads everything it is sent (like `serve`) before it answers.
            let worker = script("reads-to-the-end", "cat > /dev/null\necho 1\n");
            assert_eq!(fan_out(&worker, 0..2, 2).expect("fan_out failed"), 2);
        },
    );
}

#[test]
fn the_workers_run_at_the_same_time() {
    within(
        "start every worker, write each its job and close its stdin, all before waiting for \
         any answer: then all four workers are running at once. (`wait_with_output` closes a \
         worker's stdin, but only when you get to it.)",
        || {
            // Each worker reads its whole job, says so with a file of its own, then waits (about
            // 2 s at most) until all four have: it answers only if the four ran at the same time.
            let here =
                std::env::temp_dir().join(format!("fan-out-together-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&here);
            std::fs::create_dir_all(&here).expect("create a temporary folder");
            let body = format!(
                "cat > /dev/null\ntouch '{dir}'/$$\ni=0\n\
                 while [ $(ls '{dir}' | wc -l) -lt 4 ]; do\n\
                 i=$((i + 1)); if [ $i -gt 200 ]; then exit 1; fi; sleep 0.01\ndone\necho 1\n",
                dir = here.display()
            );
            let worker = script("together", &body);
            let total = fan_out(&worker, 0..4, 4);
            let _ = std::fs::remove_dir_all(&here);
            assert_eq!(
                total.expect("the four workers were never all running at once"),
                4
            );
        },
    );
}

#[test]
fn a_failing_worker_fails_the_job() {
    within(
        "check each worker's exit status (`output.status.success()`) and that it printed a \
         number: a worker that failed must not count as 0.",
        || {
            let crashes = script("crashes", "cat > /dev/null\nexit 3\n");
            assert!(
                fan_out(&crashes, 0..10, 2).is_err(),
                "exit status 3 is a failure"
            );
            let babbles = script("babbles", "cat > /dev/null\necho forty-two\n");
            assert!(
                fan_out(&babbles, 0..10, 2).is_err(),
                "`forty-two` is not a number"
            );
        },
    );
}

#[test]
fn one_failure_still_leaves_no_worker_behind() {
    within(
        "when one worker fails, do not return at once: keep the first error, wait for every \
         other worker too, then return the error. (A dropped `Child` is not waited for: the \
         process goes on running, then lingers as a zombie.)",
        || {
            // Every worker reads the first line of its job; the one whose part starts at 0
            // then fails at once, and the others take their time.
            let worker = script(
                "one-fails",
                "read start end\nif [ \"$start\" = 0 ]; then exit 1; fi\nsleep 0.3\necho 1\n",
            );
            assert!(fan_out(&worker, 0..4, 4).is_err(), "a worker failed");
        },
    );
}

#[test]
fn a_missing_worker_program_is_an_error() {
    within(
        "`spawn` fails when the program does not exist: return that error (no panic).",
        || {
            let missing = Path::new("/nonexistent/worker");
            let err = fan_out(missing, 0..10, 3).expect_err("there is no such program");
            assert_eq!(err.kind(), io::ErrorKind::NotFound);
        },
    );
}

#[test]
fn zero_workers_is_a_mistake_not_a_zero() {
    within(
        "`fan_out(worker, range, 0)` has nobody to do the work: it must not quietly return \
         `Ok(0)` (a total that is wrong for every non-empty range). Start `fan_out` with \
         `assert!(workers > 0, \"...\")`, as the pipeline of chapter 3 does for its consumers.",
        || {
            let outcome = std::panic::catch_unwind(|| fan_out(Path::new(WORKER), 0..10, 0));
            let payload = match outcome {
                Ok(result) => panic!("fan_out with 0 workers returned {result:?}"),
                Err(payload) => payload,
            };
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            assert!(
                !message.starts_with("not yet implemented"),
                "fan_out is not written yet: {message}"
            );
        },
    );
}

#[test]
fn a_worker_that_cannot_start_midway_leaves_no_worker_behind() {
    within(
        "when `spawn` fails for a later worker, the ones already started are waiting for a job \
         that will never come: `kill()` each, then `wait()` for it, before returning the error.",
        || {
            // Leave this process only a few free file descriptors: each worker takes a pipe
            // for its stdin and one for its stdout, so the first one or two workers start and
            // a later `spawn` fails (with "too many open files").
            let limit = FdLimit::free_slots(7);
            let result = fan_out(Path::new(WORKER), 0..80, 8);
            drop(limit);
            assert!(
                result.is_err(),
                "the OS refused a worker's pipes, yet fan_out returned {result:?}"
            );
        },
    );
}

/// Leaves this process exactly `free` more file descriptors: lowers its limit on open files
/// (`RLIMIT_NOFILE`) to just above the highest descriptor open now, fills every free slot below
/// it with `/dev/null`, then closes `free` of those. Dropping it closes the rest and puts the
/// old limit back.
struct FdLimit {
    old: libc::rlimit,
    _filler: Vec<std::fs::File>,
}

impl FdLimit {
    fn free_slots(free: usize) -> FdLimit {
        let highest: u64 = std::fs::read_dir("/proc/self/fd")
            .or_else(|_| std::fs::read_dir("/dev/fd")) // macOS
            .expect("list the open file descriptors")
            .flatten()
            .filter_map(|e| e.file_name().to_string_lossy().parse().ok())
            .max()
            .unwrap_or(2);
        let mut old = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain system calls, on structs we own.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut old), 0);
            let new = libc::rlimit {
                rlim_cur: (highest + 1) as libc::rlim_t,
                rlim_max: old.rlim_max,
            };
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &new), 0);
        }
        let mut filler = Vec::new();
        while let Ok(file) = std::fs::File::open("/dev/null") {
            filler.push(file);
        }
        filler.truncate(filler.len().saturating_sub(free));
        FdLimit {
            old,
            _filler: filler,
        }
    }
}

impl Drop for FdLimit {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &self.old) };
    }
}

/// A shell script worker in a temporary folder, written once per test run.
fn script(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("fan-out-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        dir
    });
    let path = dir.join(name);
    if !path.exists() {
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("write a script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// The processes whose parent is this test program (Linux; elsewhere, none are seen), zombies
/// included: a child that exited but was never waited for is one.
fn children() -> Vec<(u32, String)> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `PID (NAME) STATE PPID ...`: the name may hold spaces, so split after its `)`.
        let Some((name, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(1) == Some(&me.as_str()) {
            let name = name.split_once('(').map_or("", |(_, n)| n);
            found.push((pid, format!("{name} ({})", fields[0])));
        }
    }
    found
}

/// Runs `test` on a thread of its own, one test at a time (they count this program's child
/// processes), and fails with `hint` if it panics, has not finished within [`LIMIT`], or left a
/// child process behind.
fn within(hint: &str, test: impl FnOnce() + Send + 'static) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // Children from an earlier test that hung (killed, but never waited for) do not count.
    let before: Vec<u32> = children().into_iter().map(|(pid, _)| pid).collect();
    let new_children = || -> Vec<(u32, String)> {
        let mut now = children();
        now.retain(|(pid, _)| !before.contains(pid));
        now
    };
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    let failure = match finished.recv_timeout(LIMIT) {
        Ok(()) => None,
        Err(RecvTimeoutError::Timeout) => Some(format!(
            "not finished after {LIMIT:?}: are the parent and a worker waiting for each other?"
        )),
        Err(RecvTimeoutError::Disconnected) => {
            let payload = runner.join().expect_err("the test thread panicked");
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Some(message.to_string())
        }
    };
    let left = new_children();
    for (pid, _) in &left {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
    }
    if let Some(message) = failure {
        panic!("{message}\nhint: {hint}");
    }
    if !left.is_empty() {
        panic!(
            "worker processes were left behind (running, or exited but never waited for): \
             {left:?}\nhint: wait for every child you start, on every path, errors included \
             (`wait`, or `wait_with_output`)."
        );
    }
}
