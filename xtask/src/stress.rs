//! `cargo xtask stress [--runs N] [--resume]`: runs every test binary of the course N times on
//! one CPU and N times on one CPU shared with a busy process, and reports runs, failures and
//! leftover processes; and `cargo xtask test --soak N`: the whole test command N times with every
//! CPU kept busy.
//!
//! The test binaries: the examples' tests (`tests/examples/`), the local runner's tests
//! (`runner/tests/`), and each exercise's tests on its solution (its copy, as `cargo xtask
//! check --solution` builds it). They already run every program under a timeout, check what
//! it prints by what the program guarantees, and fail if a process it started outlives it.
//! Here they run in the conditions that shake out luck: a single CPU, so threads and processes
//! interleave as they would on the slowest machine, and that CPU kept busy by a hog, so sleeps
//! overrun and wake-ups arrive late. Each binary runs [`TEST_THREADS`] tests at a time on that
//! CPU (libtest, seeing one CPU, would run them one after the other), so the tests also share
//! it with each other, as they share the machine under `cargo test`. Each run is marked, and
//! swept right after it ends ([`course_book::procs::run_marked`]).
//!
//! On a machine with two CPUs the two conditions run side by side, each on a CPU of its own (a
//! round takes as long as its busy half, not the sum); the runner's binaries, which use fixed
//! paths, never run at the same time as each other. `--runs 100` still takes hours: after each round
//! the counts so far are printed and kept in `target/stress/progress.json`, and `--resume`
//! continues a run that was stopped, when it ran on the same commit and toolchain.
//!
//! `stress/progress.rs` keeps that record; `stress/soak.rs` is the soak, which shares the busy
//! process ([`Hog`]) and the reading of libtest's output with the stress run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use course_book::procs;
use serde_json::Value;

mod progress;
mod soak;

pub use progress::Record;
use progress::{Progress, read_progress, source, start_from, write_progress};
pub use soak::soak;

use crate::exercises;
use crate::process::{cargo, dies_with_us, found};

/// The variable that marks every process a stress run starts (see [`course_book::procs`]).
const MARK: &str = "COURSE_STRESS_RUN";

/// One run of a test binary may take this long before it counts as hung.
const BINARY_LIMIT: Duration = Duration::from_secs(600);

/// How many tests of one binary run at once on the stress CPU. Pinned to one CPU, libtest
/// would run them one at a time, each alone on its CPU (the mildest condition, and most of
/// the time spent waiting on sleeps and timeouts); four at once make every test compete for
/// the CPU with three others (and the hog). The examples' binary, mostly waiting, then takes a
/// third of the time (116 s to 35 s on one CPU here); the runner's serve test, which builds
/// the book as it serves it, does not shrink, and takes about a third of each round.
const TEST_THREADS: usize = 4;

/// A test binary, built, and how cargo would run it.
#[derive(Debug, Clone, PartialEq)]
struct TestBinary {
    /// What the report calls it: `examples`, `runner`, `event-loop-timers/timers`...
    name: String,
    path: PathBuf,
    /// The folder cargo runs it in: its package's.
    dir: PathBuf,
    /// Arguments for libtest.
    args: Vec<String>,
    /// Never run beside another exclusive binary: it uses fixed paths another copy would use too.
    exclusive: bool,
}

/// The test executables in cargo's JSON messages (one object per line): each test target's
/// binary, named `PREFIX` + its target's name, run in its package's folder.
fn test_binaries(messages: &str, prefix: &str) -> Vec<TestBinary> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| {
            let path = PathBuf::from(m["executable"].as_str()?);
            let dir = Path::new(m["manifest_path"].as_str()?)
                .parent()?
                .to_path_buf();
            let target = m["target"]["name"].as_str()?;
            Some(TestBinary {
                name: format!("{prefix}{target}"),
                path,
                dir,
                args: Vec::new(),
                exclusive: false,
            })
        })
        .collect()
}

/// Builds the tests of `cmd` (a `cargo test` command line) and returns their binaries.
fn build_tests(mut cmd: Command, prefix: &str) -> Result<Vec<TestBinary>> {
    let out = cmd
        .args([
            "--quiet",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo test --no-run")?;
    ensure!(out.status.success(), "the tests do not build ({prefix})");
    Ok(test_binaries(&String::from_utf8_lossy(&out.stdout), prefix))
}

/// Every test binary the stress test runs: the examples', the runner's, the exercises'
/// (solutions).
fn all_test_binaries(root: &Path) -> Result<Vec<TestBinary>> {
    let mut binaries = Vec::new();
    let mut examples = cargo();
    examples.args(["test", "--package", "async-rust-course"]);
    for mut binary in build_tests(examples, "")? {
        // Every example is run with its output checked by its chapter's tests; the catch-all
        // run of each one adds time, not coverage, here.
        binary.args = vec![
            "--skip".into(),
            "every_example_runs_and_ends_cleanly".into(),
        ];
        binaries.push(binary);
    }
    let mut runner = cargo();
    runner.args(["test", "--package", "course-runner"]);
    // The runner's tests use fixed paths in the project (`target/runner/`: the serve test's
    // private page and the runs' scratch folders; the served book): two at once would read
    // each other's.
    for mut binary in build_tests(runner, "runner/")? {
        binary.exclusive = true;
        binaries.push(binary);
    }
    for name in exercises::names(root) {
        let copy = exercises::copy(root, &name, "solution", None)?;
        let mut cmd = cargo();
        cmd.args(["test", "--tests", "--manifest-path"])
            .arg(copy.join("Cargo.toml"));
        exercises::copy_env(&mut cmd, root, &copy);
        binaries.extend(build_tests(cmd, &format!("{name}/"))?);
    }
    binaries.sort_by(|a, b| a.name.cmp(&b.name));
    ensure!(!binaries.is_empty(), "found no test binaries");
    Ok(binaries)
}

fn has_taskset() -> bool {
    found("taskset")
}

/// A command pinned to CPU `cpu` (when `taskset` exists).
fn pinned(program: &Path, cpu: usize) -> Command {
    if has_taskset() {
        let mut cmd = Command::new("taskset");
        cmd.args(["-c", &cpu.to_string()]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// A process that keeps one CPU busy until it is dropped: this very program, in `hog` mode.
pub struct Hog(Child);

impl Hog {
    /// Starts the busy process on `cpu`. Call it from the main thread: the hog is told to end
    /// when the thread that started it ends.
    pub fn start(cpu: usize) -> Result<Hog> {
        let me = std::env::current_exe().context("where is xtask?")?;
        let mut cmd = pinned(&me, cpu);
        // `taskset` execs the hog in its own process: a stress run stopped by a signal, which
        // skips `Drop`, still takes its hog with it.
        dies_with_us(&mut cmd);
        let child = cmd
            .arg("hog")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .context("cannot start the busy process")?;
        Ok(Hog(child))
    }

    /// Fails if the busy process has ended (it never does by itself: it could not start, or
    /// something killed it), since the runs it was meant to slow down were then not slowed.
    pub fn still_running(&mut self) -> Result<()> {
        match self.0.try_wait()? {
            None => Ok(()),
            Some(status) => bail!(
                "the busy process ended ({status}): the runs beside it did not share their CPU"
            ),
        }
    }
}

impl Drop for Hog {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The body of `xtask hog`: spin forever.
pub fn hog() -> ! {
    let mut x: u64 = 0;
    loop {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

/// The tests libtest reports `FAILED` in `stdout`, and a note when it ran none.
fn failed_tests(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(str::to_string)
        .collect()
}

/// One of the two conditions every binary runs in, each round: alone on CPU `cpu`, or on it
/// with a busy process.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Condition {
    cpu: usize,
    busy: bool,
}

impl Condition {
    fn name(self) -> &'static str {
        if self.busy {
            "one CPU, shared with a busy process"
        } else {
            "one CPU"
        }
    }
}

/// The CPUs this process may use (Linux; elsewhere none is known, and the runs are not pinned).
fn allowed_cpus() -> Vec<usize> {
    #[cfg(target_os = "linux")]
    if let Ok(set) = rustix::thread::sched_getaffinity(None) {
        return (0..rustix::thread::CpuSet::MAX_CPU)
            .filter(|&cpu| set.is_set(cpu))
            .collect();
    }
    Vec::new()
}

/// The two conditions, and whether they run at the same time: on two CPUs of their own when
/// the machine has two and `taskset` can pin them (each round then takes as long as its
/// slower half), else one after the other on the same CPU.
fn conditions(cpus: &[usize], taskset: bool) -> ([Condition; 2], bool) {
    match cpus {
        [a, b, ..] if taskset => (
            [
                Condition {
                    cpu: *a,
                    busy: false,
                },
                Condition {
                    cpu: *b,
                    busy: true,
                },
            ],
            true,
        ),
        _ => {
            let cpu = cpus.first().copied().unwrap_or(0);
            (
                [
                    Condition { cpu, busy: false },
                    Condition { cpu, busy: true },
                ],
                false,
            )
        }
    }
}

/// What one run of one binary found.
#[derive(Debug)]
struct Outcome {
    binary: usize,
    took: Duration,
    /// What failed, when it failed.
    failure: Option<String>,
    /// The processes it left behind (killed), named.
    left: Option<String>,
    leftovers: usize,
}

/// Runs every binary once in `condition`, in the order `first_exclusive` says; a binary marked
/// `exclusive` runs only while it holds `exclusive_lock`, so the two conditions never run two
/// of them at once.
fn run_condition(
    binaries: &[TestBinary],
    condition: Condition,
    first_exclusive: bool,
    exclusive_lock: &Mutex<()>,
    round: usize,
) -> Result<Vec<Outcome>> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mut order: Vec<usize> = (0..binaries.len()).collect();
    order.sort_by_key(|&i| binaries[i].exclusive != first_exclusive);
    let mut outcomes = Vec::new();
    for i in order {
        let binary = &binaries[i];
        let _alone = binary
            .exclusive
            .then(|| exclusive_lock.lock().unwrap_or_else(|e| e.into_inner()));
        let mark = format!(
            "{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::SeqCst)
        );
        let mut cmd = pinned(&binary.path, condition.cpu);
        cmd.args(&binary.args)
            .arg(format!("--test-threads={TEST_THREADS}"))
            .current_dir(&binary.dir);
        let began = Instant::now();
        let out = procs::run_marked(
            &mut cmd,
            MARK,
            &mark,
            None,
            course_book::patience(BINARY_LIMIT),
        )
        .with_context(|| format!("cannot run {}", binary.path.display()))?;
        let mode = condition.name();
        let failure = (!out.status.is_some_and(|s| s.success())).then(|| {
            let tests = failed_tests(&out.stdout);
            let what = match out.status {
                None => format!("still running after {BINARY_LIMIT:?} (killed)"),
                Some(_) if tests.is_empty() => "failed".to_string(),
                Some(_) => format!("failed: {}", tests.join(", ")),
            };
            format!(
                "{mode}, round {round}: {} {what}\n{}{}",
                binary.name, out.stdout, out.stderr
            )
        });
        let left = (!out.left.is_empty()).then(|| {
            format!(
                "{mode}, round {round}: {} left processes {:?}",
                binary.name, out.left
            )
        });
        // Printed now, not only at the end: a round stopped before it ends (an error, a
        // signal) keeps no record, and is run again by `--resume`.
        for found in failure.iter().chain(&left) {
            eprintln!("xtask: stress: {found}");
        }
        outcomes.push(Outcome {
            binary: i,
            took: began.elapsed(),
            failure,
            left,
            leftovers: out.left.len(),
        });
    }
    Ok(outcomes)
}

/// One round of both conditions at the same time, each in a thread of its own. The quiet
/// condition runs the exclusive binaries first and the busy one last, so they rarely wait for
/// each other.
fn side_by_side(
    binaries: &[TestBinary],
    conditions: [Condition; 2],
    exclusive_lock: &Mutex<()>,
    round: usize,
) -> Result<[Vec<Outcome>; 2]> {
    std::thread::scope(|s| {
        let quiet = s.spawn(|| run_condition(binaries, conditions[0], true, exclusive_lock, round));
        let busy = run_condition(binaries, conditions[1], false, exclusive_lock, round);
        let quiet = quiet.join().expect("the quiet condition panicked");
        Ok([quiet?, busy?])
    })
}

/// Runs the stress test (and keeps its progress in `record`, when given); fails if any run,
/// continued ones included, failed or left a process behind.
pub fn stress(runs: usize, record: Option<Record>) -> Result<()> {
    let root = Path::new(".");
    let recorded = record.as_ref().and_then(|r| read_progress(r.path));
    let resume = record.as_ref().is_some_and(|r| r.resume);
    let (mut progress, not_continued) = start_from(recorded, source(), resume);
    if let Some(why) = not_continued {
        eprintln!("xtask: stress: starting from round 1: {why}");
    } else if progress.rounds >= runs {
        eprintln!(
            "xtask: stress: the recorded run is already complete ({} of {runs})",
            rounds(progress.rounds)
        );
    } else if progress.rounds > 0 {
        eprintln!(
            "xtask: stress: continuing after round {} ({} runs, {}, {} so far)",
            progress.rounds,
            progress.runs,
            plural(progress.failures, "failure"),
            plural(progress.leftovers, "leftover process")
        );
    }
    let done_before = progress.rounds;
    if done_before < runs {
        let binaries = all_test_binaries(root)?;
        if !has_taskset() {
            eprintln!("xtask: taskset not found: running unpinned");
        }
        let (conditions, at_once) = conditions(&allowed_cpus(), has_taskset());
        eprintln!(
            "xtask: stress: {} test binaries in each round, {}",
            binaries.len(),
            if at_once {
                format!(
                    "one CPU (CPU {}) and one shared with a busy process (CPU {}) at the same \
                     time",
                    conditions[0].cpu, conditions[1].cpu
                )
            } else {
                format!(
                    "on CPU {}, alone, then shared with a busy process",
                    conditions[0].cpu
                )
            }
        );
        let plan = Plan {
            binaries: &binaries,
            conditions,
            at_once,
            start_hog: &Hog::start,
            source: &source,
        };
        let took = plan.run(runs, &mut progress, record.as_ref().map(|r| r.path))?;
        for (condition, took) in conditions.iter().zip(&took) {
            eprintln!(
                "xtask: stress, {}: {} in this run; {}",
                condition.name(),
                rounds(runs - done_before),
                slowest(&binaries, took, 5)
            );
        }
    }
    let pieces = if progress.pieces > 1 {
        format!(
            " (in {} pieces, {} before the last)",
            progress.pieces,
            rounds(done_before)
        )
    } else {
        String::new()
    };
    println!(
        "stress: {}, {} runs, {}, {} in {:.0?}{pieces}",
        rounds(progress.rounds),
        progress.runs,
        plural(progress.failures, "failure"),
        plural(progress.leftovers, "leftover process"),
        Duration::from_secs_f64(progress.seconds)
    );
    if !progress.failed.is_empty() {
        bail!("{}", progress.failed.join("\n"));
    }
    Ok(())
}

/// What the rounds run: the binaries, the two conditions (side by side or not), how the busy
/// process starts, and how to tell the source the rounds run on.
struct Plan<'a> {
    binaries: &'a [TestBinary],
    conditions: [Condition; 2],
    at_once: bool,
    start_hog: &'a dyn Fn(usize) -> Result<Hog>,
    source: &'a dyn Fn() -> Option<String>,
}

impl Plan<'_> {
    /// Runs the rounds after `progress.rounds` up to `runs`, adding what each finds to
    /// `progress` and writing it to `record` (when given) after each round; returns each
    /// condition's time per binary. Stops with an error when the source changes under it: the
    /// rounds since the last check may have run on either, so the record is no longer one of a
    /// commit (and is not continued).
    fn run(
        &self,
        runs: usize,
        progress: &mut Progress,
        record: Option<&Path>,
    ) -> Result<[Vec<Duration>; 2]> {
        let Plan {
            binaries,
            conditions,
            at_once,
            ..
        } = *self;
        progress.pieces += 1;
        let first_round = progress.rounds + 1;
        let before = progress.seconds;
        let start = Instant::now();
        // Side by side, the busy process runs for the whole run; one after the other, only
        // while the busy condition runs.
        let mut hog = if at_once {
            Some((self.start_hog)(conditions[1].cpu)?)
        } else {
            None
        };
        let exclusive_lock = Mutex::new(());
        let mut took = [
            vec![Duration::ZERO; binaries.len()],
            vec![Duration::ZERO; binaries.len()],
        ];
        for round in first_round..=runs {
            let outcomes: [Vec<Outcome>; 2] = if at_once {
                side_by_side(binaries, conditions, &exclusive_lock, round)?
            } else {
                let quiet = run_condition(binaries, conditions[0], true, &exclusive_lock, round)?;
                let mut busy_hog = (self.start_hog)(conditions[1].cpu)?;
                let busy = run_condition(binaries, conditions[1], true, &exclusive_lock, round)?;
                busy_hog.still_running()?;
                [quiet, busy]
            };
            if let Some(hog) = &mut hog {
                hog.still_running()?;
            }
            for (outcomes, took) in outcomes.into_iter().zip(&mut took) {
                for outcome in outcomes {
                    took[outcome.binary] += outcome.took;
                    progress.runs += 1;
                    progress.leftovers += outcome.leftovers;
                    if let Some(failure) = outcome.failure {
                        progress.failures += 1;
                        progress.failed.push(failure);
                    }
                    progress.failed.extend(outcome.left);
                }
            }
            progress.rounds = round;
            progress.seconds = before + start.elapsed().as_secs_f64();
            let changed = progress.source.is_some() && (self.source)() != progress.source;
            if changed {
                progress.source = None;
            }
            if let Some(record) = record {
                write_progress(record, progress)?;
            }
            // `--runs 100` takes hours: each round says so, and a run cut short still tells
            // how far it got and what it found.
            eprintln!(
                "xtask: stress: round {round} of {runs} after {:.0?}: {} runs so far, {}, {}",
                Duration::from_secs_f64(progress.seconds),
                progress.runs,
                plural(progress.failures, "failure"),
                plural(progress.leftovers, "leftover process")
            );
            ensure!(
                !changed,
                "the source changed during round {round} (a commit, an edit, or the toolchain): \
                 these rounds are no longer of one commit; start again"
            );
        }
        Ok(took)
    }
}

/// `1 round`, `3 rounds`.
fn rounds(n: usize) -> String {
    plural(n, "round")
}

/// `1 failure`, `0 failures`, `2 leftover processes`.
fn plural(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        _ if what.ends_with('s') => format!("{n} {what}es"),
        _ => format!("{n} {what}s"),
    }
}

/// The `n` binaries that took longest, with their time over all rounds: where a long stress
/// run spends its hours.
fn slowest(binaries: &[TestBinary], took: &[Duration], n: usize) -> String {
    let mut by_time: Vec<(&str, Duration)> = binaries
        .iter()
        .map(|b| b.name.as_str())
        .zip(took.iter().copied())
        .collect();
    by_time.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let listed: Vec<String> = by_time
        .iter()
        .take(n)
        .map(|(name, took)| format!("{name} {:.1}s", took.as_secs_f64()))
        .collect();
    format!("slowest: {}", listed.join(", "))
}

#[cfg(test)]
mod tests {
    use super::progress::tests::progress;
    use super::*;

    #[test]
    fn a_busy_process_that_ended_is_noticed() {
        // A stand-in that runs until killed (`Hog::start` would run this test binary).
        let mut hog = Hog(Command::new("sleep").arg("600").spawn().unwrap());
        hog.still_running().unwrap();
        hog.0.kill().unwrap();
        hog.0.wait().unwrap();
        let e = hog.still_running().unwrap_err();
        assert!(e.to_string().contains("busy process ended"), "{e}");
    }

    #[test]
    fn the_slowest_binaries_come_first() {
        let binary = |name: &str| TestBinary {
            name: name.to_string(),
            path: PathBuf::from(name),
            dir: PathBuf::from("."),
            args: Vec::new(),
            exclusive: false,
        };
        let binaries = [binary("a"), binary("b"), binary("c")];
        let took = [
            Duration::from_millis(1500),
            Duration::from_secs(40),
            Duration::from_millis(250),
        ];
        assert_eq!(slowest(&binaries, &took, 2), "slowest: b 40.0s, a 1.5s");
    }

    #[test]
    fn test_binaries_are_read_from_cargo_json() {
        let messages = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"profile":{"test":false},"executable":null,"manifest_path":"/p/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["test"],"name":"examples"},"profile":{"test":true},"executable":"/t/debug/deps/examples-1","manifest_path":"/p/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"r"},"profile":{"test":true},"executable":"/t/debug/deps/r-2","manifest_path":"/p/runner/Cargo.toml"}
{"reason":"compiler-artifact","target":{"kind":["example"],"name":"e"},"profile":{"test":false},"executable":"/t/debug/examples/e","manifest_path":"/p/Cargo.toml"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            test_binaries(messages, "x/"),
            [
                TestBinary {
                    name: "x/examples".into(),
                    path: "/t/debug/deps/examples-1".into(),
                    dir: "/p".into(),
                    args: vec![],
                    exclusive: false,
                },
                TestBinary {
                    name: "x/r".into(),
                    path: "/t/debug/deps/r-2".into(),
                    dir: "/p/runner".into(),
                    args: vec![],
                    exclusive: false,
                }
            ]
        );
    }

    /// A stand-in test binary: `sh -c script` in `dir` (libtest's `--test-threads` lands in
    /// `$0`).
    #[cfg(unix)]
    fn script(name: &str, dir: &Path, script: &str, exclusive: bool) -> TestBinary {
        TestBinary {
            name: name.to_string(),
            path: PathBuf::from("/bin/sh"),
            dir: dir.to_path_buf(),
            args: vec!["-c".into(), script.into()],
            exclusive,
        }
    }

    #[cfg(unix)]
    fn both_conditions() -> [Condition; 2] {
        let cpu = allowed_cpus().first().copied().unwrap_or(0);
        [
            Condition { cpu, busy: false },
            Condition { cpu, busy: true },
        ]
    }

    /// The two conditions run side by side: each run of the same binary waits until it sees
    /// the other's file (run one after the other, the first gives up after 10 s and fails).
    #[cfg(unix)]
    #[test]
    fn both_conditions_run_at_the_same_time() {
        let dir = tempfile::tempdir().unwrap();
        let meet = "touch here.$$; i=0; while [ \"$(ls | grep -c '^here')\" -lt 2 ]; do \
                    i=$((i+1)); [ $i -gt 200 ] && { echo 'test meet ... FAILED'; exit 1; }; \
                    sleep 0.05; done";
        let binaries = [
            script("meet", dir.path(), meet, false),
            script(
                "name",
                dir.path(),
                "echo 'test name ... FAILED'; exit 1",
                false,
            ),
        ];
        let [quiet, busy] = side_by_side(&binaries, both_conditions(), &Mutex::new(()), 1).unwrap();
        assert_eq!((quiet.len(), busy.len()), (2, 2));
        for (outcomes, name) in [(quiet, "one CPU, round 1"), (busy, "one CPU, shared")] {
            for outcome in outcomes {
                let failure = outcome.failure.unwrap_or_default();
                // Each condition's own runs, named by it.
                assert_eq!(outcome.binary == 1, failure.starts_with(name), "{failure}");
            }
        }
    }

    #[test]
    fn two_cpus_and_taskset_put_the_conditions_side_by_side() {
        let quiet = |cpu| Condition { cpu, busy: false };
        let busy = |cpu| Condition { cpu, busy: true };
        assert_eq!(conditions(&[2, 5, 7], true), ([quiet(2), busy(5)], true));
        assert_eq!(conditions(&[3], true), ([quiet(3), busy(3)], false));
        assert_eq!(conditions(&[2, 5], false), ([quiet(2), busy(2)], false));
        assert_eq!(conditions(&[], false), ([quiet(0), busy(0)], false));
    }

    /// A stand-in hog: a `sleep` (the real one is this program in `hog` mode).
    #[cfg(unix)]
    fn sleeper(_cpu: usize) -> Result<Hog> {
        Ok(Hog(Command::new("sleep").arg("600").spawn()?))
    }

    /// A continued run runs only the rounds left, adds to the recorded counts and failures,
    /// and records the new total: two rounds recorded, one failure among them, three asked
    /// for: one round more (one run per condition), 3 rounds, 1 failure.
    #[cfg(unix)]
    #[test]
    fn a_continued_run_adds_only_the_rounds_left() {
        let dir = tempfile::tempdir().unwrap();
        let binaries = [script("count", dir.path(), "echo run >> runs", false)];
        let here = || Some("commit abc".to_string());
        let plan = Plan {
            binaries: &binaries,
            conditions: both_conditions(),
            at_once: false,
            start_hog: &sleeper,
            source: &here,
        };
        let record = dir.path().join("progress.json");
        let mut progress = progress(Some("commit abc"), 2, &["one CPU, round 2: x failed"]);
        plan.run(3, &mut progress, Some(&record)).unwrap();
        let runs = std::fs::read_to_string(dir.path().join("runs")).unwrap();
        assert_eq!(runs.lines().count(), 2);
        assert_eq!(
            (
                progress.rounds,
                progress.runs,
                progress.failures,
                progress.pieces
            ),
            (3, 2 * 52 + 2, 1, 2)
        );
        assert_eq!(read_progress(&record), Some(progress.clone()));
        // Nothing left: no round runs.
        plan.run(3, &mut progress, None).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("runs")).unwrap(),
            runs
        );
    }

    /// When the source changes during a run, it stops after that round, and the record is no
    /// longer continued.
    #[cfg(unix)]
    #[test]
    fn a_run_stops_when_its_source_changes() {
        let dir = tempfile::tempdir().unwrap();
        let binaries = [script("quick", dir.path(), "true", false)];
        let edited = || Some("commit abc, edited".to_string());
        let plan = Plan {
            binaries: &binaries,
            conditions: both_conditions(),
            at_once: false,
            start_hog: &sleeper,
            source: &edited,
        };
        let record = dir.path().join("progress.json");
        let mut progress = progress(Some("commit abc"), 0, &[]);
        let e = plan.run(5, &mut progress, Some(&record)).unwrap_err();
        assert!(
            e.to_string().contains("source changed during round 1"),
            "{e}"
        );
        let recorded = read_progress(&record).unwrap();
        assert_eq!((recorded.rounds, recorded.source.clone()), (1, None));
        let (_, why) = start_from(Some(recorded), Some("commit abc".into()), true);
        assert!(why.is_some());
    }

    /// Exclusive binaries never run at once, whatever order the conditions take them in: each
    /// holds a folder for a second and fails if the other holds it (without the lock, the busy
    /// condition's `hold`, second in its order, would start while the quiet one's holds it).
    #[cfg(unix)]
    #[test]
    fn exclusive_binaries_never_run_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let hold = "mkdir held 2>/dev/null || { echo 'test clash ... FAILED'; exit 1; }; \
                    sleep 1; rmdir held";
        let binaries = [
            script("hold", dir.path(), hold, true),
            script("quick", dir.path(), "true", false),
        ];
        let outcomes = side_by_side(&binaries, both_conditions(), &Mutex::new(()), 1).unwrap();
        assert_eq!(outcomes.iter().flatten().count(), 4);
        for outcome in outcomes.iter().flatten() {
            assert_eq!(outcome.failure, None);
        }
    }
}
