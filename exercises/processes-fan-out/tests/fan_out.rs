//! What "correct" means for the fan-out. Run with `cargo xtask check processes-fan-out`.
//!
//! Every test runs under a time limit, so a parent and a worker waiting for each other fail
//! instead of hanging; and after each test, no process it started may be left, running or
//! unwaited (checked on Linux, where `/proc` lists a process's children).
//!
//! Many tests use small shell scripts as workers, to make a worker slow, or make it fail. Those
//! are Unix only (`#[cfg(unix)]`): a script needs `/bin/sh`, and Unix permissions to be run.

mod common;

use std::io;
use std::path::Path;

use common::{WORKER, within};
#[cfg(unix)]
use common::{scratch, script};
use exercise_processes_fan_out::{fan_out, serve};

#[test]
fn serve_answers_a_job() {
    within("serve", || {
        for job in ["1 10\n", "1 10", "  1   10 \n"] {
            let mut answer = Vec::new();
            let outcome = serve(job.as_bytes(), &mut answer);
            assert!(
                outcome.is_ok(),
                "the job {job:?} is good, yet `serve` returned {outcome:?}"
            );
            let answer = String::from_utf8_lossy(&answer);
            assert_eq!(
                answer, "61\n",
                "for the job {job:?}, `serve` must write `work(1..10)`, 61, and a newline"
            );
        }
    });
}

#[test]
fn serve_refuses_a_bad_job() {
    within("serve", || {
        for bad in ["", "1", "1 two", "1 2 3", "-1 5", "5 1"] {
            let outcome = serve(bad.as_bytes(), io::sink());
            let kind = outcome.as_ref().err().map(io::Error::kind);
            assert_eq!(
                kind,
                Some(io::ErrorKind::InvalidData),
                "the job {bad:?} is not two numbers START <= END: `serve` must refuse it with an \
                 error of kind InvalidData, but it returned {outcome:?}"
            );
        }
    });
}

#[test]
fn fan_out_adds_up_every_part() {
    within("fan_out", || {
        let total = fan_out(Path::new(WORKER), 1..200_000, 4);
        let expected = 22_938_473; // work(1..200_000)
        assert!(
            matches!(total, Ok(t) if t == expected),
            "with 4 workers over 1..200000, `fan_out` must return Ok({expected}), not {total:?}"
        );
    });
}

#[test]
fn any_number_of_workers_gives_the_same_total() {
    within("fan_out", || {
        // (range, workers, work(range))
        let cases = [
            (1..1_000, 1, 59_431),
            (0..1_001, 7, 59_542),
            (5..8, 8, 29),
            (9..9, 2, 0),
        ];
        for (range, workers, expected) in cases {
            let total = fan_out(Path::new(WORKER), range.clone(), workers);
            assert!(
                matches!(total, Ok(t) if t == expected),
                "with {workers} workers over {range:?}, `fan_out` must return Ok({expected}), \
                 not {total:?}"
            );
        }
    });
}

#[cfg(unix)]
#[test]
fn the_workers_see_the_end_of_their_input() {
    within("fan_out", || {
        // This worker reads everything it is sent (like `serve`) before it answers.
        let worker = script("reads-to-the-end", "cat > /dev/null\necho 1\n");
        let total = fan_out(&worker, 0..2, 2);
        assert!(
            matches!(total, Ok(2)),
            "two workers that each read to the end of their input, then print 1: `fan_out` must \
             return Ok(2), not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn the_workers_run_at_the_same_time() {
    within("fan_out", || {
        // Each worker reads its whole job, says so with a file of its own, then waits until all
        // four have. A worker started only after another has answered waits for ever (well, for
        // 60 s, and then fails: long after the test's time limit).
        let here = scratch().join("together-meeting");
        let _ = std::fs::remove_dir_all(&here);
        std::fs::create_dir_all(&here).expect("create a temporary folder");
        let body = format!(
            "cat > /dev/null\ntouch '{dir}'/$$\ni=0\n\
             while [ $(ls '{dir}' | wc -l) -lt 4 ]; do\n\
             i=$((i + 1)); if [ $i -gt 6000 ]; then exit 1; fi; sleep 0.01\ndone\necho 1\n",
            dir = here.display()
        );
        let worker = script("together", &body);
        let total = fan_out(&worker, 0..4, 4);
        let _ = std::fs::remove_dir_all(&here);
        assert!(
            matches!(total, Ok(4)),
            "four workers that each answer only once all four are running: `fan_out` must \
             return Ok(4), not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn a_worker_that_exits_with_an_error_fails_the_job() {
    within("fan_out", || {
        // It even prints a number first: only its exit status says it failed.
        let fails = script("prints-then-fails", "cat > /dev/null\necho 1\nexit 3\n");
        let total = fan_out(&fails, 0..10, 2);
        assert!(
            total.is_err(),
            "workers that print 1 and then exit with status 3 have failed: `fan_out` must \
             return an error, not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn a_worker_that_answers_no_number_fails_the_job() {
    within("fan_out", || {
        let babbles = script("babbles", "cat > /dev/null\necho forty-two\n");
        let total = fan_out(&babbles, 0..10, 2);
        assert!(
            total.is_err(),
            "workers that answer `forty-two` (and exit with status 0) gave no number: \
             `fan_out` must return an error, not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn one_failure_still_leaves_no_worker_behind() {
    within("fan_out", || {
        // Every worker reads the first line of its job; the one whose part starts at 0 then
        // fails at once, and the others take their time.
        let worker = script(
            "one-fails",
            "read start end\nif [ \"$start\" = 0 ]; then exit 1; fi\nsleep 0.3\necho 1\n",
        );
        let total = fan_out(&worker, 0..4, 4);
        assert!(
            total.is_err(),
            "one of four workers exited with status 1: `fan_out` must return an error, not \
             {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn a_broken_pipe_leaves_no_worker_behind() {
    within("fan_out", || {
        // Workers that exit at once, without reading their job: writing a job to one that has
        // already exited fails (its stdin is a broken pipe). Whether a worker has exited
        // before its job is written depends on timing, so the test tries until a write has
        // failed (the error is then of kind BrokenPipe), or 200 times.
        let quitter = script("quits-at-once", "exit 0\n");
        let before = common::children().len();
        for _ in 0..200 {
            let total = fan_out(&quitter, 0..16, 16);
            let kind = total.as_ref().err().map(io::Error::kind);
            assert!(
                kind.is_some(),
                "workers that exit without answering have failed: `fan_out` must return an \
                 error, not {total:?}"
            );
            if common::children().len() > before || kind == Some(io::ErrorKind::BrokenPipe) {
                return; // the leftover check comes next
            }
        }
    });
}

#[test]
fn a_missing_worker_program_is_an_error() {
    within("fan_out", || {
        let missing = Path::new("/nonexistent/worker");
        let outcome = fan_out(missing, 0..10, 3);
        let kind = outcome.as_ref().err().map(io::Error::kind);
        assert_eq!(
            kind,
            Some(io::ErrorKind::NotFound),
            "the program /nonexistent/worker does not exist: `fan_out` must return the error \
             of `spawn` (of kind NotFound), not {outcome:?}"
        );
    });
}

#[test]
fn zero_workers_is_a_mistake_not_a_zero() {
    within("fan_out", || {
        let outcome = std::panic::catch_unwind(|| fan_out(Path::new(WORKER), 0..10, 0));
        match outcome {
            Ok(result) => panic!(
                "`fan_out` with 0 workers has nobody to do the work: it must panic, not return \
                 {result:?}"
            ),
            // A `todo!()` panics too, but it is not the answer.
            Err(payload) if message(&*payload).starts_with("not yet implemented") => {
                std::panic::resume_unwind(payload)
            }
            Err(_) => {}
        }
    });
}

#[cfg(unix)]
#[test]
fn a_worker_that_cannot_start_midway_leaves_no_worker_behind() {
    within("fan_out", || {
        // Leave this process only a few free file descriptors: each worker takes a pipe for
        // its stdin and one for its stdout, so the first one or two workers start and a later
        // `spawn` fails (with "too many open files").
        let limit = FdLimit::free_slots(7);
        let result = fan_out(Path::new(WORKER), 0..80, 8);
        drop(limit);
        assert!(
            result.is_err(),
            "the system refused the pipes of a later worker (too many open files), yet \
             `fan_out` returned {result:?}"
        );
    });
}

/// The message of a panic, from its payload.
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("")
}

/// Leaves this process exactly `free` more file descriptors: lowers its limit on open files
/// (`RLIMIT_NOFILE`) to `free` above the highest descriptor open now, fills every free slot below
/// the limit with `/dev/null`, then closes `free` of those. Dropping it closes the rest and puts
/// the old limit back. (The limit is not simply the highest descriptor plus one: a process that
/// inherited only 0, 1 and 2 would then have no gap to free, and the very first worker would fail
/// to start, leaving nothing behind to check.) Unix only: `setrlimit` is a Unix call, which
/// Windows does not have.
#[cfg(unix)]
struct FdLimit {
    old: libc::rlimit,
    _filler: Vec<std::fs::File>,
}

#[cfg(unix)]
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
                rlim_cur: (highest + 1 + free as u64) as libc::rlim_t,
                rlim_max: old.rlim_max,
            };
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &new), 0);
        }
        let mut filler = Vec::new();
        while let Ok(file) = std::fs::File::open("/dev/null") {
            filler.push(file);
        }
        assert!(
            filler.len() >= free,
            "could not fill {free} file descriptor slots (only {})",
            filler.len()
        );
        filler.truncate(filler.len() - free);
        FdLimit {
            old,
            _filler: filler,
        }
    }
}

#[cfg(unix)]
impl Drop for FdLimit {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &self.old) };
    }
}
