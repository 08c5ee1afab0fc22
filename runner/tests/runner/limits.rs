//! The bounds every run is held to: time, output, its own folder and file size, CPU time,
//! memory, processes, and connections that never finish their request.

use super::*;

#[tokio::test]
async fn a_program_that_loops_for_ever_is_stopped_at_the_time_limit() {
    within(async {
        let fixture = Fixture::new("forever");
        let server = fixture.start(limits()).await;
        let start = Instant::now();
        let events = run_all(&server, json!({"example": "forever"})).await;
        let exit = events.last().unwrap();
        assert_eq!(exit["reason"], json!("timeout"), "{exit}");
        assert_eq!(exit["message"], json!("stopped after 2 s"));
        // Not before its time (how long after, a busy machine decides).
        assert!(start.elapsed() >= limits().run_timeout);
        fixture.assert_no_leftovers("forever").await;
    })
    .await;
}

#[tokio::test]
async fn a_program_that_prints_without_end_is_cut_at_the_output_cap() {
    within(async {
        let fixture = Fixture::new("flood");
        let cap = 16 * 1024;
        let server = fixture
            .start(Limits {
                output_cap: cap,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "flood"})).await;
        let printed = text_of(&events, "stdout");
        assert_eq!(printed.len(), cap);
        assert!(printed.starts_with("flood\nflood\n"));
        assert_eq!(text_of(&events, "note"), "output truncated at 16 KiB");
        let exit = events.last().unwrap();
        assert_eq!(exit["reason"], json!("output_cap"), "{exit}");
        fixture.assert_no_leftovers("flood").await;
    })
    .await;
}

#[tokio::test]
async fn edited_code_that_loops_for_ever_is_stopped_too() {
    within(async {
        let fixture = Fixture::new("edited-forever");
        let server = fixture.start(limits()).await;
        let m = &fixture.mark;
        let code = format!(
            "fn main() {{\n    let _child = std::process::Command::new(\"sleep\").arg(\"1000\")\
             .env(\"RUNNER_TEST_MARK\", \"{m}\").spawn().unwrap();\n    println!(\"looping\");\n    \
             loop {{ std::hint::spin_loop(); }}\n}}\n"
        );
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "stdout"), "looping\n");
        assert_eq!(events.last().unwrap()["reason"], json!("timeout"));
        fixture.assert_no_leftovers("edited loop").await;
    })
    .await;
}

/// The `exit` event of a run.
fn exit_of(events: &[Value]) -> &Value {
    events.last().unwrap()
}

/// Each run works in a folder of its own under target/runner, removed once it has ended; a
/// file larger than the bound is refused (SIGXFSZ), with a message that names the bound.
#[tokio::test]
async fn a_run_writes_in_its_own_folder_and_a_large_file_is_refused() {
    within(async {
        let fixture = Fixture::new("filesize");
        fixture.script("whereami", "pwd; echo here > here.txt");
        fixture.script(
            "big",
            "exec dd if=/dev/zero of=big.bin bs=1048576 count=64 2>/dev/null",
        );
        let server = fixture
            .start(Limits {
                file_mib: 8,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "whereami"})).await;
        let dir = PathBuf::from(text_of(&events, "stdout").trim());
        let scratch = std::fs::canonicalize(fixture.root.join("target/runner")).unwrap();
        assert_eq!(dir.parent(), Some(scratch.as_path()), "{events:?}");
        assert!(!dir.exists(), "{} is left", dir.display());
        assert!(!fixture.root.join("here.txt").exists());

        let events = run_all(&server, json!({"example": "big"})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "file_size", "{events:?}");
        assert_eq!(
            exit["message"], "stopped: it wrote a file of 8 MiB, the most it may",
            "{exit}"
        );
        assert!(run_dirs(&fixture).is_empty(), "{:?}", run_dirs(&fixture));
        assert!(!fixture.root.join("big.bin").exists());
    })
    .await;
}

/// A program that uses CPU without end is stopped at its CPU bound (SIGXCPU), with a message.
#[tokio::test]
async fn a_program_over_its_cpu_time_is_stopped_with_a_message() {
    within(async {
        let fixture = Fixture::new("cpu");
        let server = fixture
            .start(Limits {
                cpu_secs: 1,
                run_timeout: limit(),
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "forever"})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "cpu", "{events:?}");
        assert_eq!(exit["message"], "stopped: over 1 s of CPU time", "{exit}");
    })
    .await;
}

/// Edited code that allocates without end is stopped at the memory bound, with a message that
/// names it, not a bare signal.
#[tokio::test]
async fn a_program_allocating_without_end_is_stopped_at_the_memory_bound() {
    within(async {
        let fixture = Fixture::new("memory");
        let server = fixture
            .start(Limits {
                memory_mib: 64,
                run_timeout: limit(),
                ..limits()
            })
            .await;
        let code = "fn main() {\n    let mut all = Vec::new();\n    \
                    loop {\n        all.push(vec![1u8; 1 << 20]);\n    }\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        let exit = exit_of(&events);
        assert_eq!(exit["reason"], "memory", "{events:?}");
        assert_eq!(exit["message"], "stopped: over 64 MiB of memory", "{exit}");
    })
    .await;
}

/// A run's processes start with their bounds as resource limits, and are the kernel's first
/// choice when memory runs out.
#[tokio::test]
async fn a_runs_processes_start_with_their_bounds() {
    within(async {
        let fixture = Fixture::new("bounds");
        fixture.script(
            "limits",
            "cat /proc/self/oom_score_adj\n\
             grep -E '^Max (cpu time|file size|data size) ' /proc/self/limits",
        );
        let server = fixture
            .start(Limits {
                memory_mib: 100,
                file_mib: 3,
                cpu_secs: 7,
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "limits"})).await;
        let stdout = text_of(&events, "stdout");
        let lines: Vec<Vec<&str>> = stdout
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines[0], ["1000"], "{stdout}");
        let limit = |name: &str| {
            let words: Vec<&str> = name.split(' ').collect();
            let line = lines.iter().find(|l| l.starts_with(&words)).unwrap();
            (line[words.len()], line[words.len() + 1])
        };
        assert_eq!(limit("Max cpu time"), ("7", "8"), "{stdout}");
        assert_eq!(limit("Max file size"), ("3145728", "3145728"), "{stdout}");
        assert_eq!(
            limit("Max data size"),
            ("104857600", "104857600"),
            "{stdout}"
        );
    })
    .await;
}

/// A run may start only so many processes: a program that tries to start 200 gets far fewer
/// (its forks fail), and nothing of it is left after its run.
#[tokio::test]
async fn a_run_starts_processes_up_to_its_bound() {
    within(async {
        let fixture = Fixture::new("nproc");
        fixture.script(
            "forker",
            "for i in $(seq 200); do sleep 1000 2>/dev/null & done 2>/dev/null\necho started\n\
             exec sleep 1000",
        );
        let server = fixture
            .start(Limits {
                processes: 10,
                ..limits()
            })
            .await;
        let mut answer = post_run(&server, json!({"example": "forker"})).await;
        let first = loop {
            let event = answer.next_event().await.unwrap().unwrap();
            if event["kind"] != "stderr" {
                break event;
            }
        };
        assert_eq!(first["text"], "started\n", "{first}");
        let running = fixture.leftovers().len();
        // The bound counts all of this user's processes and threads, and others come and go
        // meanwhile: far fewer than 200, not exactly 10. The kernel does not hold root to it.
        if rustix::process::getuid().is_root() {
            eprintln!("run as root, whom RLIMIT_NPROC does not bound: {running} processes ran");
        } else {
            assert!((1..100).contains(&running), "{running} processes run");
        }
        drop(answer);
        fixture.assert_no_leftovers("the forker's run").await;
    })
    .await;
}

/// The descriptors a process has open (Linux).
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// 2 000 connections that send part of a request's headers and then nothing: the runner
/// keeps at most its cap of them open (closing the rest at once, and those it kept after the
/// header timeout), so it never runs out of descriptors, and a real run still succeeds (at
/// worst once the header timeout has freed room).
#[tokio::test]
async fn idle_connections_do_not_exhaust_the_runner() {
    within(async {
        course_runner::contain::raise_open_files();
        let fixture = Fixture::new("idle");
        let args = ["--header-timeout-secs", "2", "--max-connections", "64"];
        let (runner, addr, token) = start_binary(&fixture, &args).await;
        let pid = runner.id().unwrap();
        let before = open_descriptors(pid);
        let mut idle = Vec::new();
        for _ in 0..2000 {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            // A closed one may refuse the write: it is kept all the same.
            let _ = tokio::io::AsyncWriteExt::write_all(
                &mut stream,
                b"POST /api/run HTTP/1.1\r\nHost: 127",
            )
            .await;
            idle.push(stream);
        }
        let most = open_descriptors(pid);
        assert!(
            most < before + 64 + 16,
            "the runner has {most} descriptors open (it had {before})"
        );
        // A real run, tried again while the cap is full (then its connection is closed).
        let start = Instant::now();
        let events = loop {
            let host = host(addr);
            let sent = client::send(
                addr,
                "POST",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", BOOK),
                    ("X-Course-Token", &token),
                    ("Content-Type", "application/json"),
                ],
                json!({"example": "hello"}).to_string().as_bytes(),
            )
            .await;
            if let Ok(mut answer) = sent {
                assert_eq!(answer.status, 200);
                if let Ok(events) = answer.events(limit()).await {
                    break events;
                }
            }
            assert!(start.elapsed() < patience(), "no run got through");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(text_of(&events, "stdout"), "out\n", "{events:?}");
        assert!(open_descriptors(pid) < before + 64 + 16);
        drop(idle);
    })
    .await;
}
