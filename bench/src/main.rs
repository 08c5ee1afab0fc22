//! `course-bench`: measures what the course claims about processes, threads and tasks, against
//! Python, and draws the timelines the book shows.
//!
//! ```text
//! course-bench [--quick] [--out DIR] [--book DIR] [--no-python]
//!                                   measure; print a table; write DIR/results.json and charts
//! course-bench finish DIR          give the charts in DIR the book's finish (no measuring)
//! course-bench timeline NAME [--json]
//!                                   draw the timeline of a real run as SVG, on stdout
//!                                   (NAME: threads, pool, tasks, blocked)
//! course-bench mem <threads|tasks> N
//!                                   (internal) keep N idle units alive, print the peak memory
//! course-bench worker ...           (internal) the worker process: this program, started again
//! ```
//!
//! `course-bench --help` says the same (clap). The internal modes are dispatched before clap
//! runs: a worker is started hundreds of times while its start-up is being timed.
//!
//! Run it with `cargo xtask bench` (a release build), which writes into `target/bench/`;
//! `cargo xtask bench --book` also refreshes the snapshot the book shows, in `src/bench/`.

mod charts;
mod machine;
mod measure;
mod report;
mod timeline;

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use clap::{Parser, Subcommand};

use machine::Machine;
use measure::Spread;

fn main() -> ExitCode {
    // The internal modes first, without parsing: their start-up is part of what is measured.
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("worker") => measure::worker(&args[1..]),
        Some("mem") => measure::mem_child(&args[1..]),
        Some("timeline-worker") => timeline::pool_worker(),
        _ => {
            let cli = Cli::parse();
            match cli.command {
                Some(Public::Timeline { name, json }) => timeline::main(&name, json),
                Some(Public::Finish { dir }) => {
                    if let Err(e) = charts::finish_all(&dir) {
                        eprintln!("course-bench: error: {e:#}");
                        return ExitCode::FAILURE;
                    }
                }
                None => {
                    if let Err(e) = run(&cli.measure) {
                        eprintln!("course-bench: error: {e:#}");
                        return ExitCode::FAILURE;
                    }
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Measures what the course claims about processes, threads and tasks, against Python
#[derive(Parser)]
#[command(name = "course-bench", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Public>,
    #[command(flatten)]
    measure: Config,
}

#[derive(Subcommand)]
enum Public {
    /// Draw the timeline of a real run as SVG, on stdout
    Timeline {
        #[arg(value_parser = timeline::NAMES)]
        name: String,
        /// Print the recorded spans as JSON instead
        #[arg(long)]
        json: bool,
    },
    /// Give the charts of a snapshot (DIR: src/bench) the finish the book needs (theme
    /// colours, text size, names, the ideal line on top), without measuring again
    Finish { dir: PathBuf },
}

/// Measure: print a table, write results.json and the charts
#[derive(clap::Args)]
struct Config {
    /// A smoke test: every measure, small sizes (its figures mean little)
    #[arg(long)]
    quick: bool,
    /// Where to write results.json and the charts
    #[arg(long, value_name = "DIR", default_value = "target/bench")]
    out: PathBuf,
    /// Also write the snapshot the book shows (results.md and the charts) into DIR; it keeps
    /// the figures of a full run, so not with --quick
    #[arg(long, value_name = "DIR", conflicts_with = "quick")]
    book: Option<PathBuf>,
    /// Leave out the Python side
    #[arg(long = "no-python", action = clap::ArgAction::SetFalse)]
    python: bool,
}

/// How much to measure: the full run, or `--quick` (for the tests: checks that everything
/// works, its figures mean little).
pub struct Sizes {
    pub task_reps: usize,
    pub thread_reps: usize,
    pub process_reps: usize,
    pub py_thread_reps: usize,
    pub py_process_reps: usize,
    pub idle_processes: usize,
    pub idle_threads: Vec<usize>,
    pub idle_tasks: Vec<usize>,
    pub limit: u64,
    pub py_limit: u64,
    pub reps: usize,
    pub py_reps: usize,
}

impl Sizes {
    fn new(quick: bool) -> Sizes {
        if quick {
            Sizes {
                task_reps: 200,
                thread_reps: 50,
                process_reps: 10,
                py_thread_reps: 50,
                py_process_reps: 5,
                idle_processes: 10,
                idle_threads: vec![100],
                idle_tasks: vec![1000],
                limit: 20_000,
                py_limit: 5_000,
                reps: 1,
                py_reps: 1,
            }
        } else {
            Sizes {
                task_reps: 20_000,
                thread_reps: 2_000,
                process_reps: 300,
                py_thread_reps: 2_000,
                py_process_reps: 100,
                idle_processes: 100,
                idle_threads: vec![1_000, 10_000],
                idle_tasks: vec![10_000, 100_000, 1_000_000],
                limit: 2_000_000,
                py_limit: 250_000,
                reps: 7,
                py_reps: 3,
            }
        }
    }
}

/// Spawn + join of one unit that does nothing.
pub struct SpawnRow {
    pub unit: &'static str,
    pub python: bool,
    pub spread: Spread,
    pub reps: usize,
}

/// N idle units alive at once. Threads and tasks: in a fresh process, whose peak resident
/// memory (VmHWM) is read, and compared with the same process with no unit at all. Processes:
/// N worker processes, the sum of their PSS (`baseline_kb` 0).
pub struct MemRow {
    pub kind: &'static str,
    pub units: usize,
    /// VmHWM of that process (or the PSS of the N processes), and of the same process with no
    /// unit at all.
    pub peak_kb: Option<u64>,
    pub baseline_kb: u64,
    pub note: Option<String>,
}

impl MemRow {
    pub fn peak_mb(&self) -> Option<f64> {
        self.peak_kb.map(|kb| kb as f64 * 1024.0 / 1e6)
    }
    pub fn per_unit_kib(&self) -> Option<f64> {
        self.peak_kb
            .map(|kb| kb.saturating_sub(self.baseline_kb) as f64 / self.units as f64)
    }
}

/// The job split over `workers`: its fastest run, and the speedup over the sequential run
/// (fastest alone / fastest split; each split run follows a run alone, back to back).
#[derive(Clone, Copy, Debug)]
pub struct Point {
    pub workers: u64,
    pub seconds: f64,
    pub speedup: f64,
}

/// The CPU-bound job, alone and split over 1..=max workers in several ways.
pub struct CpuRun {
    pub language: &'static str,
    pub limit: u64,
    pub count: u64,
    pub sequential_s: f64,
    /// (way of splitting, one point per number of workers)
    pub series: Vec<(&'static str, Vec<Point>)>,
    pub note: Option<String>,
    /// How many times each way of running the job was timed.
    pub runs: usize,
    /// Python only: whether its threads ran under the global interpreter lock (`false` on a
    /// free-threaded build running without it).
    pub gil: Option<bool>,
}

impl CpuRun {
    pub fn speedup(&self, series: &str, workers: u64) -> Option<f64> {
        let (_, points) = self.series.iter().find(|(name, _)| *name == series)?;
        Some(points.iter().find(|p| p.workers == workers)?.speedup)
    }
}

pub struct Results {
    pub machine: Machine,
    pub command: String,
    pub quick: bool,
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
    pub elapsed_s: f64,
    pub max_workers: u64,
    pub spawn: Vec<SpawnRow>,
    pub memory: Vec<MemRow>,
    pub cpu: Vec<CpuRun>,
}

fn run(config: &Config) -> Result<()> {
    let start = Instant::now();
    let sizes = Sizes::new(config.quick);
    let machine = Machine::detect();
    let load_before = machine::load_average();
    let python = config.python && machine.python.is_some();
    let cores = machine.physical_cores as u64;
    let max_workers = 2 * cores;
    eprintln!("course-bench: measuring on {}", machine.describe());

    eprintln!("course-bench: spawn + join");
    let mut spawn = vec![
        spawn_row("tokio task", false, measure::spawn_tasks(sizes.task_reps)),
        spawn_row("thread", false, measure::spawn_threads(sizes.thread_reps)),
        spawn_row(
            "process",
            false,
            measure::spawn_processes(sizes.process_reps),
        ),
    ];
    if python {
        let out = python_json(
            "spawn_cost.py",
            &[sizes.py_thread_reps, sizes.py_process_reps],
        )?;
        for (unit, key) in [
            ("threading.Thread", "thread_us"),
            ("multiprocessing.Process", "process_us"),
        ] {
            let mut us: Vec<f64> = out[key]
                .as_array()
                .context("spawn_cost.py: no durations")?
                .iter()
                .filter_map(|v| v.as_f64())
                .collect();
            spawn.push(SpawnRow {
                unit,
                python: true,
                reps: us.len(),
                spread: measure::spread(&mut us),
            });
        }
    }

    eprintln!("course-bench: peak memory of idle units");
    let mut memory = Vec::new();
    for (kind, sizes) in [
        ("threads", &sizes.idle_threads),
        ("tasks", &sizes.idle_tasks),
    ] {
        let baseline = mem_child(kind, 0)?.unwrap_or(0);
        for &units in sizes {
            memory.push(mem_row(kind, units, baseline)?);
        }
    }

    // Idle processes, measured so that the figure per process compares with the figures per
    // thread and per task: the memory N of them really take (PSS), divided by N.
    let pss = measure::idle_processes_pss_kb(sizes.idle_processes);
    memory.insert(
        0,
        MemRow {
            kind: "processes",
            units: sizes.idle_processes,
            peak_kb: pss,
            baseline_kb: 0,
            note: pss
                .is_none()
                .then(|| "not measured (no /proc here)".to_string()),
        },
    );

    eprintln!("course-bench: the CPU-bound job in Rust");
    let mut cpu = vec![rust_cpu(sizes.limit, max_workers, sizes.reps)];
    if python {
        eprintln!("course-bench: the CPU-bound job in Python");
        cpu.push(python_cpu(sizes.py_limit, max_workers, sizes.py_reps)?);
    }

    let results = Results {
        machine,
        command: format!(
            "cargo xtask bench{}",
            if config.quick { " --quick" } else { "" }
        ),
        quick: config.quick,
        load_before,
        load_after: machine::load_average(),
        elapsed_s: start.elapsed().as_secs_f64(),
        max_workers,
        spawn,
        memory,
        cpu,
    };

    let markdown = report::markdown(&results);
    println!("{markdown}");
    let json = serde_json::to_string_pretty(&report::json(&results))?;
    write(&config.out.join("results.json"), json + "\n")?;
    charts::draw_all(&results, &config.out).context("cannot draw the charts")?;
    eprintln!(
        "course-bench: wrote {} and charts ({}) in {}",
        config.out.join("results.json").display(),
        charts::FILES.join(", "),
        config.out.display()
    );
    if let Some(book) = &config.book {
        write(&book.join("results.md"), report::book_snapshot(&results))?;
        for file in charts::FILES {
            let (from, to) = (config.out.join(file), book.join(file));
            std::fs::copy(&from, &to)
                .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
        }
        eprintln!(
            "course-bench: refreshed the book's snapshot in {}",
            book.display()
        );
    }
    Ok(())
}

/// Writes a file, creating its folder; the error names the file.
fn write(path: &std::path::Path, text: String) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn spawn_row(unit: &'static str, python: bool, samples: Vec<std::time::Duration>) -> SpawnRow {
    SpawnRow {
        unit,
        python,
        reps: samples.len(),
        spread: measure::spread_us(&samples),
    }
}

/// Runs `course-bench mem KIND UNITS` in a fresh process; its peak memory in KiB, or `None`
/// when it could not keep that many units alive.
fn mem_child(kind: &str, units: usize) -> Result<Option<u64>> {
    let me = std::env::current_exe().context("where is course-bench?")?;
    let out = Command::new(me)
        .args(["mem", kind, &units.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot start course-bench mem")?;
    if !out.status.success() {
        return Ok(None);
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("course-bench mem printed no JSON")?;
    Ok(v["peak_kb"].as_u64())
}

fn mem_row(kind: &'static str, units: usize, baseline_kb: u64) -> Result<MemRow> {
    // Skip what would not fit: a generous 2 KiB per task, 64 KiB per thread, and half the
    // memory available now.
    let need_kb = units as u64 * if kind == "tasks" { 2 } else { 64 };
    let available_kb = machine::meminfo_kb("MemAvailable").unwrap_or(u64::MAX);
    if need_kb > available_kb / 2 {
        return Ok(MemRow {
            kind,
            units,
            peak_kb: None,
            baseline_kb,
            note: Some(format!(
                "skipped: {} MB available",
                available_kb * 1024 / 1_000_000
            )),
        });
    }
    let peak_kb = mem_child(kind, units)?;
    Ok(MemRow {
        kind,
        units,
        peak_kb,
        baseline_kb,
        note: peak_kb
            .is_none()
            .then(|| "the OS refused that many".to_string()),
    })
}

fn rust_cpu(limit: u64, max_workers: u64, reps: usize) -> CpuRun {
    let count = measure::sequential(limit);
    let mut alone = Vec::new();
    type Split = fn(u64, u64) -> u64;
    let ways: [(&'static str, Split); 3] = [
        ("threads", measure::with_threads),
        ("processes", measure::with_processes),
        ("rayon", measure::with_rayon),
    ];
    let series = ways
        .iter()
        .map(|&(name, split)| {
            let points = (1..=max_workers)
                .map(|w| {
                    let (seq, secs, speedup) = measure::paired(
                        reps,
                        count,
                        || measure::sequential(limit),
                        || split(limit, w),
                    );
                    alone.extend(seq);
                    Point {
                        workers: w,
                        seconds: secs,
                        speedup,
                    }
                })
                .collect();
            (name, points)
        })
        .collect();
    let sequential_s = alone.iter().copied().fold(f64::INFINITY, f64::min);
    CpuRun {
        language: "Rust",
        limit,
        count,
        sequential_s,
        series,
        note: None,
        runs: reps,
        gil: None,
    }
}

fn python_cpu(limit: u64, max_workers: u64, reps: usize) -> Result<CpuRun> {
    let v = python_json("cpu_job.py", &[limit as usize, max_workers as usize, reps])?;
    let points = |key: &str| -> Vec<Point> {
        v[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        Some(Point {
                            workers: p["workers"].as_u64()?,
                            seconds: p["seconds"].as_f64()?,
                            speedup: p["speedup"].as_f64()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let count = v["count"].as_u64().context("cpu_job.py: no count")?;
    let gil = v["gil"].as_bool().unwrap_or(true);
    let build = match (v["free_threaded"].as_bool().unwrap_or(false), gil) {
        (false, _) => "with the GIL",
        (true, false) => "free-threaded build, GIL disabled",
        (true, true) => "free-threaded build, GIL enabled",
    };
    ensure!(
        count == measure::sequential(limit),
        "cpu_job.py found {count} primes below {limit}, Rust another count"
    );
    Ok(CpuRun {
        language: "Python",
        limit,
        count,
        sequential_s: v["sequential_s"]
            .as_f64()
            .context("cpu_job.py: no sequential time")?,
        series: vec![
            ("threads", points("threads")),
            ("processes", points("processes")),
        ],
        runs: reps,
        gil: Some(gil),
        note: Some(format!(
            "Python {} ({build}), multiprocessing start method \"{}\"",
            v["python"].as_str().unwrap_or("?"),
            v["start_method"].as_str().unwrap_or("?")
        )),
    })
}

/// Runs one of the Python counterparts in bench/python/ and parses the JSON it prints.
fn python_json(script: &str, args: &[usize]) -> Result<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let out = Command::new("python3")
        .arg(&path)
        .args(args.iter().map(usize::to_string))
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run python3 {}", path.display()))?;
    if !out.status.success() {
        bail!("python3 {} failed ({})", path.display(), out.status);
    }
    serde_json::from_slice(&out.stdout)
        .with_context(|| format!("python3 {} printed no JSON", path.display()))
}
