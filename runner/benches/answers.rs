//! `cargo xtask runner-bench` (`cargo bench -p course-runner --bench answers -- --root DIR`):
//! how quickly the runner answers, measured through its HTTP endpoint exactly as the page uses
//! it. It prints figures; it asserts nothing. A bench target of its own, beside the tests whose
//! HTTP client it shares, so that the runner's library ships neither.
//!
//! - time to the first line of output of an unedited listing (the examples as built);
//! - time for an edited std-only listing to compile and print its first line, warm (each run's
//!   code differs by a comment, so each one is compiled again);
//! - the same for an edited listing that uses tokio.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use course_runner::{Config, examples};

#[path = "../tests/common/mod.rs"]
mod common;
use common as client;

const RUNS: usize = 10;
const EDITED_RUNS: usize = 5;

/// Posts one run and returns (time to the first stdout event, time to the exit event, the
/// exit event).
async fn one_run(
    server: &course_runner::Server,
    body: Value,
) -> Result<(Duration, Duration, Value), String> {
    let start = Instant::now();
    let host = format!("127.0.0.1:{}", server.addr.port());
    let mut answer = client::send(
        server.addr,
        "POST",
        "/api/run",
        &[
            ("Host", &host),
            ("X-Course-Token", &server.token),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
    .await
    .map_err(|e| e.to_string())?;
    if answer.status != 200 {
        return Err(format!("status {}", answer.status));
    }
    let mut first = None;
    loop {
        let event = tokio::time::timeout(Duration::from_secs(120), answer.next_event())
            .await
            .map_err(|_| "no answer within 120 s".to_string())?
            .map_err(|e| e.to_string())?
            .ok_or("the answer ended without an exit line")?;
        match event["kind"].as_str() {
            Some("stdout") if first.is_none() => first = Some(start.elapsed()),
            Some("exit") => {
                let first = first.ok_or(format!("nothing printed: {event}"))?;
                return Ok((first, start.elapsed(), event));
            }
            _ => {}
        }
    }
}

fn summary(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<62} median {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms  ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

#[tokio::main]
async fn main() {
    if let Err(e) = bench().await {
        eprintln!("runner bench: {e}");
        std::process::exit(1);
    }
}

async fn bench() -> Result<(), String> {
    // `cargo bench` adds `--bench` to the arguments given after `--`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let root = match &args[..] {
        [flag, root] if flag == "--root" => PathBuf::from(root),
        _ => return Err("usage: answers --root DIR".into()),
    };
    let config = Config::for_project(&root, vec!["http://127.0.0.1:1".into()]);
    // A scratch folder of its own, so the bench never reuses the page's edited builds.
    let config = Config {
        scratch_dir: root.join("target/runner-bench"),
        ..config
    };
    let server = course_runner::start(config, 0)
        .await
        .map_err(|e| e.to_string())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "runner bench: {cores} cores, load average {}",
        load.split(' ').next().unwrap_or("?")
    );

    for name in ["ch03-01-square-and-cube", "ch02-01-continents"] {
        if examples::ExampleName::rust(&root, name).is_none() {
            continue;
        }
        let mut first = Vec::new();
        for _ in 0..RUNS {
            let (t, _, exit) = one_run(&server, json!({"example": name})).await?;
            if exit["success"] != json!(true) {
                return Err(format!("{name} failed: {exit}"));
            }
            first.push(t);
        }
        summary(&format!("first output line, unedited {name}"), &mut first);
    }

    let rust_source =
        |name: &str| std::fs::read_to_string(root.join(format!("examples/{name}.rs")));
    let edited = [
        ("ch03-01-square-and-cube", "std only"),
        ("ch04-03-spawn", "tokio"),
    ];
    for (name, what) in edited {
        // A listing renamed or gone is an error, not a case left out in silence.
        let source = rust_source(name).map_err(|e| format!("examples/{name}.rs: {e}"))?;
        let mut times = Vec::new();
        // The first compile loads rustc and the rlibs from disk: a warm-up, not counted.
        for i in 0..=EDITED_RUNS {
            let code = format!("{source}\n// bench run {i} {:?}\n", Instant::now());
            let (t, _, exit) = one_run(&server, json!({"example": name, "code": code})).await?;
            if exit["success"] != json!(true) {
                return Err(format!("edited {name} failed: {exit}"));
            }
            if i > 0 {
                times.push(t);
            }
        }
        summary(
            &format!("edited {name} ({what}): compile + first line"),
            &mut times,
        );
    }
    server.shutdown();
    let _ = std::fs::remove_dir_all(root.join("target/runner-bench"));
    Ok(())
}
