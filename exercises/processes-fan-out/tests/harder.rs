//! The optional harder step: `fan_out_within`, the fan-out with a deadline, which stops every
//! worker as soon as the job is a lost cause. Run with `cargo xtask check processes-fan-out`,
//! like the other tests. The tests that use shell scripts as workers are Unix only, as in
//! `fan_out.rs`.

mod common;

use std::path::Path;
use std::time::Duration;
#[cfg(unix)]
use std::{io, time::Instant};

#[cfg(unix)]
use common::script;
use common::{WORKER, within};
use exercise_processes_fan_out::fan_out_within;

#[test]
fn harder_answers_in_time_give_the_total() {
    within("fan_out_within", || {
        // The deadline is far away: the workers answer long before it, and the call returns
        // as soon as they have (well within the test's time limit).
        let total = fan_out_within(Path::new(WORKER), 1..100_000, 4, Duration::from_secs(60));
        let expected = 10_753_712; // work(1..100_000)
        assert!(
            matches!(total, Ok(t) if t == expected),
            "with 4 workers over 1..100000 and a minute to spare, `fan_out_within` must return \
             Ok({expected}), not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn harder_silent_workers_run_out_of_time() {
    within("fan_out_within", || {
        // They read their job, then sleep for a minute without answering.
        let silent = script("silent", "cat > /dev/null\nexec sleep 60\n");
        let start = Instant::now();
        let total = fan_out_within(&silent, 0..4, 2, Duration::from_millis(300));
        let took = start.elapsed();
        let kind = total.as_ref().err().map(io::Error::kind);
        assert_eq!(
            kind,
            Some(io::ErrorKind::TimedOut),
            "two workers that never answer, and a limit of 300 ms: `fan_out_within` must \
             return an error of kind TimedOut, not {total:?}"
        );
        assert!(
            took >= Duration::from_millis(300),
            "with a limit of 300 ms, `fan_out_within` gave up after only {took:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn harder_one_failure_stops_the_others_at_once() {
    within("fan_out_within", || {
        // The worker whose part starts at 0 fails at once; the others would sleep a minute.
        let worker = script(
            "one-fails-others-sleep",
            "read start end\nif [ \"$start\" = 0 ]; then exit 1; fi\nexec sleep 60\n",
        );
        let total = fan_out_within(&worker, 0..4, 4, Duration::from_secs(60));
        let kind = total.as_ref().err().map(io::Error::kind);
        assert!(
            kind.is_some() && kind != Some(io::ErrorKind::TimedOut),
            "one of four workers exited with status 1 at once: `fan_out_within` must return \
             that failure, not {total:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn harder_the_deadline_is_for_the_whole_job() {
    within("fan_out_within", || {
        // Eight workers that never answer, and one deadline for all of them, 1.5 s after the
        // call: they are all stopped then. (A deadline of 1.5 s for each worker in turn would
        // take 12 s, longer than the test's time limit.)
        let silent = script("silent-eight", "cat > /dev/null\nexec sleep 60\n");
        let total = fan_out_within(&silent, 0..8, 8, Duration::from_millis(1_500));
        let kind = total.as_ref().err().map(io::Error::kind);
        assert_eq!(
            kind,
            Some(io::ErrorKind::TimedOut),
            "eight workers that never answer, and a limit of 1.5 s: `fan_out_within` must \
             return an error of kind TimedOut, not {total:?}"
        );
    });
}
