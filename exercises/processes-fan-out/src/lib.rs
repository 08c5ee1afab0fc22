//! Exercise: fan a CPU-bound job out to worker processes, and collect the results over pipes.
//!
//! Finish [`serve`] (what a worker does) and [`fan_out`] (what the parent does): the first two
//! bodies that say `todo!()`. Everything else is given. Check your work with
//!
//! ```text
//! cargo xtask check processes-fan-out
//! ```
//!
//! The job is to add up the Collatz stopping times of every number in a range ([`work`]). The
//! parent splits the range into one part per worker ([`split`]), starts one worker process per
//! part (the program `src/bin/worker.rs`, which calls [`serve`]), writes each worker its part on
//! its stdin, reads each answer from its stdout, and adds them up. The protocol, one line each
//! way:
//!
//! ```text
//! parent -> worker (stdin):   "START END\n"     then end of input
//! worker -> parent (stdout):  "TOTAL\n"         then the worker exits with status 0
//! ```
//!
//! When every test passes but the ones named `harder_*`, the exercise is done. The third body,
//! [`fan_out_within`], is an optional harder step: the same job, with a deadline.

// While the bodies below are `todo!()`, their arguments and some imports are unused, and the
// compiler would warn about it. This line silences exactly those warnings; delete it when you
// are done (the solution has none).
#![allow(unused_variables, unused_imports)]

use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How many steps of the Collatz rule (halve an even number, triple an odd one and add one)
/// take `n` down to 1. Nobody has proved it always gets there; computers have checked that every
/// number below 2^68 does. (For an odd `n` above `u64::MAX / 3`, `3 * n + 1` would overflow; the
/// numbers reached from the ranges here stay far below that.)
pub fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

/// The CPU-bound job: the sum of the Collatz stopping times of the numbers in `range`.
pub fn work(range: Range<u64>) -> u64 {
    range.map(collatz_steps).sum()
}

/// Splits `range` into `parts` consecutive ranges that cover it exactly, with lengths that
/// differ by at most one (some are empty when `parts` is larger than the range).
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    let (start, len, parts) = (range.start, range.end - range.start, parts as u64);
    (0..parts)
        .map(|i| start + len * i / parts..start + len * (i + 1) / parts)
        .collect()
}

/// What a worker does: reads its whole input (until the end of input) as a job `START END`,
/// computes [`work`] over `START..END`, and writes the total and a newline to `output`.
///
/// # Errors
///
/// Reading or writing fails, or the input is not two numbers `START END` with `START <= END`
/// (then use an error of kind [`io::ErrorKind::InvalidData`]).
pub fn serve(input: impl Read, output: impl Write) -> io::Result<()> {
    todo!("read the job, do the work, write the total")
}

/// Computes [`work`]`(range)` with `workers` worker processes running at the same time: starts
/// the program `worker` once per part of [`split`]`(range, workers)`, sends each its part and
/// adds up their answers.
///
/// Every worker process has been waited for when this function returns, whether it succeeds or
/// not: no worker is left behind, neither running nor as a zombie.
///
/// # Errors
///
/// A worker cannot be started, a pipe fails, or a worker fails: it exits with a status other
/// than 0, or does not print a number. (`io::Error::other(message)` makes an error of your own.)
///
/// # Panics
///
/// When `workers` is 0: with nobody to do the work, there is no right total to return.
pub fn fan_out(worker: &Path, range: Range<u64>, workers: usize) -> io::Result<u64> {
    todo!("start every worker, send each its part, then collect and add up the answers")
}

/// The optional harder step: [`fan_out`], with a deadline `limit` after the call for the whole
/// job, and no waiting for a lost cause. As soon as one worker fails, or when the deadline
/// passes before every worker has answered, the workers still running are killed (and waited
/// for), and the error returned: the failure, or an error of kind [`io::ErrorKind::TimedOut`].
/// An answer is one line: it fits in the pipe, so a worker can exit before it is read.
///
/// # Errors
///
/// As [`fan_out`]; and [`io::ErrorKind::TimedOut`] when the deadline passes.
///
/// # Panics
///
/// As [`fan_out`].
pub fn fan_out_within(
    worker: &Path,
    range: Range<u64>,
    workers: usize,
    limit: Duration,
) -> io::Result<u64> {
    todo!("start, feed, then watch every worker until all are done, one fails, or time is up")
}
