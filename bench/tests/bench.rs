//! Runs the benchmark as a reader does, in `--quick` mode, and checks that it works: the table
//! is printed, results.json holds every figure, the charts are SVG files; and that each
//! timeline is drawn from a real run, one lane per unit. No figure is judged here: the
//! benchmark checks its own figures against the course's targets (in its last table).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn bench(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_course-bench"))
        .args(args)
        .output()
        .expect("run course-bench");
    assert!(
        out.status.success(),
        "course-bench {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn has_python() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cores() -> u64 {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let mut cores: Vec<(String, String)> = cpuinfo
        .split("\n\n")
        .filter_map(|cpu| {
            let field = |name: &str| {
                cpu.lines()
                    .find_map(|l| l.strip_prefix(name)?.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            };
            Some((field("physical id").unwrap_or_default(), field("core id")?))
        })
        .collect();
    cores.sort();
    cores.dedup();
    if cores.is_empty() {
        std::thread::available_parallelism().map_or(1, |n| n.get()) as u64
    } else {
        cores.len() as u64
    }
}

#[test]
fn a_quick_run_prints_the_table_and_writes_the_results_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = bench(&["--quick", "--out", dir.to_str().unwrap()]);
    let table = String::from_utf8(out.stdout).unwrap();
    for row in [
        "**Machine:**",
        "| tokio task (Rust) |",
        "| thread (Rust) |",
        "| process (Rust) |",
        "threads |",
        "tokio tasks |",
        "| Workers | Rust threads | Rust processes | rayon |",
        "**The targets, checked by these figures**",
    ] {
        assert!(table.contains(row), "no {row:?} in the table:\n{table}");
    }

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap())
            .expect("results.json is JSON");
    for key in ["cpu", "physical_cores", "logical_cpus", "os", "date"] {
        assert!(!json["machine"][key].is_null(), "machine.{key}: {json:#}");
    }
    assert_eq!(json["command"], "cargo xtask bench --quick");
    let spawn = json["spawn_join_us"].as_array().unwrap();
    let units: Vec<&str> = spawn.iter().map(|s| s["unit"].as_str().unwrap()).collect();
    let mut expected = vec!["tokio task", "thread", "process"];
    if has_python() {
        expected.extend(["threading.Thread", "multiprocessing.Process"]);
    }
    assert_eq!(units, expected);
    for s in spawn {
        let (p10, median, p90) = (s["p10"].as_f64(), s["median"].as_f64(), s["p90"].as_f64());
        assert!(p10 > Some(0.0) && p10 <= median && median <= p90, "{s}");
    }

    for m in json["idle_memory"].as_array().unwrap() {
        let peak = m["peak_kb"].as_u64().expect("a peak, read from the OS");
        assert!(peak >= m["baseline_kb"].as_u64().unwrap(), "{m}");
    }

    // Every split finds the same primes as the sequential run (the benchmark checks it too):
    // 2262 below 20 000 for Rust, 669 below 5 000 for Python; and covers 1..=2 x cores workers.
    let cpu = json["cpu_job"].as_array().unwrap();
    assert_eq!(cpu[0]["language"], "Rust");
    assert_eq!(cpu[0]["primes"], 2262);
    let workers: Vec<u64> = (1..=2 * cores()).collect();
    for split in cpu[0]["splits"].as_array().unwrap() {
        let seen: Vec<u64> = split["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["workers"].as_u64().unwrap())
            .collect();
        assert_eq!(seen, workers, "{split}");
    }
    let splits: Vec<&str> = cpu[0]["splits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["split"].as_str().unwrap())
        .collect();
    assert_eq!(splits, ["threads", "processes", "rayon"]);
    if has_python() {
        assert_eq!(cpu[1]["language"], "Python");
        assert_eq!(cpu[1]["primes"], 669);
    }
    assert_eq!(json["targets"].as_array().unwrap().len(), 8);

    for chart in ["speedup.svg", "spawn.svg", "memory.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "{chart} is not SVG"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{chart} is cut short");
    }
}

#[test]
fn the_book_snapshot_needs_a_full_run() {
    let out = Command::new(env!("CARGO_BIN_EXE_course-bench"))
        .args(["--quick", "--book", "/nonexistent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!PathBuf::from("/nonexistent").exists());
}

/// One span of a timeline: lane, kind, start and end in milliseconds.
type Span = (usize, String, f64, f64);

/// The lanes and spans of a timeline's real run.
fn spans(name: &str) -> (Vec<String>, Vec<Span>) {
    let json: Value = serde_json::from_slice(&bench(&["timeline", name, "--json"]).stdout).unwrap();
    let lanes = json["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let spans = json["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["lane"].as_u64().unwrap() as usize,
                s["kind"].as_str().unwrap().to_string(),
                s["start_ms"].as_f64().unwrap(),
                s["end_ms"].as_f64().unwrap(),
            )
        })
        .collect();
    (lanes, spans)
}

#[test]
fn each_timeline_is_an_svg_with_one_lane_per_unit() {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let mut pool = vec!["main".to_string()];
    pool.extend((1..=workers).map(|i| format!("worker process {i}")));
    let cases: [(&str, Vec<String>); 4] = [
        (
            "threads",
            vec![
                "main".into(),
                "thread: square".into(),
                "thread: cube".into(),
            ],
        ),
        ("pool", pool),
        (
            "tasks",
            vec!["task 1".into(), "task 2".into(), "task 3".into()],
        ),
        (
            "blocked",
            vec![
                "task: ticker 1".into(),
                "task: ticker 2".into(),
                "task: blocker".into(),
            ],
        ),
    ];
    for (name, lanes) in cases {
        let svg = String::from_utf8(bench(&["timeline", name]).stdout).unwrap();
        assert!(svg.starts_with("<svg "), "{name}: not SVG");
        assert!(svg.trim_end().ends_with("</svg>"), "{name}: cut short");
        assert!(
            !svg.contains("\n\n"),
            "{name}: a blank line would end the page's HTML block"
        );
        // plotters writes each label's text on a line of its own
        let labels: Vec<&str> = svg
            .lines()
            .filter(|l| lanes.iter().any(|lane| lane == l.trim()))
            .collect();
        assert_eq!(
            labels.len(),
            lanes.len(),
            "{name}: {labels:?} for {lanes:?}"
        );

        let (recorded, spans) = spans(name);
        assert_eq!(recorded, lanes, "{name}");
        for (i, lane) in lanes.iter().enumerate() {
            assert!(
                spans.iter().any(|s| s.0 == i),
                "{name}: lane {lane} has no span"
            );
        }
        for s in &spans {
            assert!(s.2 >= 0.0 && s.3 >= s.2, "{name}: {s:?}");
        }
    }
}

/// What runs (or blocks) on a current_thread runtime never overlaps: there is one thread.
fn assert_one_at_a_time(name: &str, spans: &[Span]) {
    let mut busy: Vec<_> = spans
        .iter()
        .filter(|s| s.1 == "run" || s.1 == "blocked")
        .collect();
    busy.sort_by(|a, b| a.2.total_cmp(&b.2));
    for pair in busy.windows(2) {
        assert!(
            pair[1].2 >= pair[0].3 - 0.05,
            "{name}: two tasks ran at once on one thread: {pair:?}"
        );
    }
}

#[test]
fn tasks_on_one_thread_take_turns_and_a_blocking_task_stops_the_others() {
    let (_, tasks) = spans("tasks");
    assert_one_at_a_time("tasks", &tasks);
    // three tasks of 4 ms of work each, on one thread: the first one's 6 ms sleep is over
    // before the third has finished, so it waits its turn, ready
    assert!(tasks.iter().any(|s| s.1 == "ready"), "{tasks:?}");

    let (_, blocked) = spans("blocked");
    assert_one_at_a_time("blocked", &blocked);
    let block = blocked
        .iter()
        .find(|s| s.1 == "blocked")
        .expect("the blocker's span");
    assert!(
        block.3 - block.2 >= 60.0,
        "std::thread::sleep(60 ms): {block:?}"
    );
    // both tickers were due during the block, and ready until it ended
    for ticker in 0..2 {
        assert!(
            blocked
                .iter()
                .any(|s| s.0 == ticker && s.1 == "ready" && s.3 >= block.3 - 0.5),
            "ticker {ticker} did not wait for the blocker: {blocked:?}"
        );
    }
}
