//! Wrong: the answer is parsed with its newline, so no answer is ever a number
//! Fails: fan_out_adds_up_every_part, any_number_of_workers_gives_the_same_total, the_workers_see_the_end_of_their_input, the_workers_run_at_the_same_time, harder_answers_in_time_give_the_total
//!
//! A wrong solution, kept to prove that the tests catch this mistake:
//! `cargo xtask check processes-fan-out --wrong 11` runs them on it. The mistake is
//! marked `WRONG` below; the rest is the solution.

use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

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
    let job = io::read_to_string(input)?; // until the end of input: the parent closed the pipe
    let numbers: Result<Vec<u64>, _> = job.split_whitespace().map(str::parse).collect();
    let (start, end) = match numbers.as_deref() {
        Ok(&[start, end]) if start <= end => (start, end),
        _ => {
            let message = format!("expected a job `START END`, got {job:?}");
            return Err(io::Error::new(io::ErrorKind::InvalidData, message));
        }
    };
    let mut output = output;
    writeln!(output, "{}", work(start..end))?;
    output.flush()
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
    assert!(workers > 0, "fan_out needs at least one worker");
    let mut started = start_all(worker, split(range, workers))?;
    let mut first_error = send_jobs(&mut started);

    // Collect every answer, in order, waiting for every worker.
    let mut total = 0;
    for (_, child) in started {
        match answer(child) {
            Ok(part_total) => total += part_total,
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(total),
    }
}

/// Starts one worker per part, every one before waiting for any: they compute at the same
/// time. If one cannot be started, the ones already running are killed and waited for.
fn start_all(worker: &Path, parts: Vec<Range<u64>>) -> io::Result<Vec<(Range<u64>, Child)>> {
    let mut started: Vec<(Range<u64>, Child)> = Vec::new();
    for part in parts {
        let spawned = Command::new(worker)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => started.push((part, child)),
            Err(err) => {
                // The ones already running wait for a job that will never come: stop them.
                for (_, mut child) in started {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(err);
            }
        }
    }
    Ok(started)
}

/// Sends each worker its part. Taking `stdin` out of the `Child` and dropping it closes our end
/// of the pipe: the worker sees the end of its input. An error is returned, not passed on at
/// once with `?`: every worker must still be waited for.
fn send_jobs(started: &mut [(Range<u64>, Child)]) -> Option<io::Error> {
    let mut first_error = None;
    for (part, child) in started {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        if let Err(err) = writeln!(stdin, "{} {}", part.start, part.end) {
            first_error.get_or_insert(err);
        }
    }
    first_error
}

/// Reads a worker's answer to the end of its output, waits for it, and checks both.
fn answer(child: Child) -> io::Result<u64> {
    let output = child.wait_with_output()?;
    check(output.status, &output.stdout)
}

/// The answer of a worker that has ended with `status`: what it left in its stdout pipe.
fn read_answer(child: &mut Child, status: ExitStatus) -> io::Result<u64> {
    let mut stdout = Vec::new();
    let mut pipe = child.stdout.take().expect("stdout is piped");
    pipe.read_to_end(&mut stdout)?;
    check(status, &stdout)
}

/// A worker's answer, if it succeeded (exit status 0) and printed a number.
fn check(status: ExitStatus, stdout: &[u8]) -> io::Result<u64> {
    if !status.success() {
        return Err(io::Error::other(format!("a worker failed: {status}")));
    }
    let text = String::from_utf8_lossy(stdout);
    // WRONG: "123\n" is not a number; "123" is.
    text.parse().map_err(|_| {
        let message = format!("a worker answered {text:?}, not a number");
        io::Error::new(io::ErrorKind::InvalidData, message)
    })
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
    assert!(workers > 0, "fan_out_within needs at least one worker");
    let deadline = Instant::now() + limit; // one deadline for the whole job, from the start
    let mut started = start_all(worker, split(range, workers))?;
    let mut first_error = send_jobs(&mut started);
    let mut running: Vec<Child> = started.into_iter().map(|(_, child)| child).collect();

    // `try_wait` never blocks: ask every worker still running whether it has ended, until all
    // have, one has failed, or the deadline has passed.
    let mut total = 0;
    loop {
        running.retain_mut(|child| match child.try_wait() {
            Ok(None) => true,
            Ok(Some(status)) => {
                match read_answer(child, status) {
                    Ok(part_total) => total += part_total,
                    Err(err) => {
                        first_error.get_or_insert(err);
                    }
                }
                false
            }
            Err(err) => {
                first_error.get_or_insert(err);
                true
            }
        });
        if first_error.is_some() || running.is_empty() {
            break;
        }
        if Instant::now() >= deadline {
            let message = format!("the workers were not done within {limit:?}");
            first_error = Some(io::Error::new(io::ErrorKind::TimedOut, message));
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // A lost cause: stop whoever is still at work, and wait for them.
    for mut child in running {
        let _ = child.kill();
        let _ = child.wait();
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(total),
    }
}
