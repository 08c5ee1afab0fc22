//! Chapter 2, "Multiple processes": each listing and its Python counterpart, checked by what
//! the program guarantees (never by which process happened to print first).
use crate::common;

mod connecting;
mod depth;
#[cfg(target_os = "linux")]
mod held;
mod pipes_deadlock;
#[cfg(unix)]
mod process_groups;

const CONTINENTS: [&str; 4] = [
    "The name of continent is :  Asia",
    "The name of continent is :  America",
    "The name of continent is :  Europe",
    "The name of continent is :  Africa",
];

#[test]
fn continents_each_worker_prints_its_line() {
    let run = common::run("ch02-01-continents", &[]).success();
    common::assert_same_lines(&run.lines(), &CONTINENTS);
}

#[test]
fn continents_worker_defaults_to_asia() {
    let run = common::run("ch02-01-continents", &["worker"]).success();
    assert_eq!(run.lines(), [CONTINENTS[0]]);
    let run = common::run("ch02-01-continents", &["worker", "Oceania"]).success();
    assert_eq!(run.lines(), ["The name of continent is :  Oceania"]);
}

#[test]
fn continents_python() {
    let Some(run) = common::python("ch02-01-continents.py") else {
        return;
    };
    common::assert_same_lines(&run.success().lines(), &CONTINENTS);
}

/// The process id printed at the start of `line`, after `prefix`.
fn pid_after<'a>(line: &'a str, prefix: &str) -> &'a str {
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{line:?}"));
    rest.split(':').next().unwrap()
}

#[test]
fn commands_run_capture_spawn_and_fail_to_start() {
    let run = common::run("ch02-02-commands", &[]).success();
    let lines = run.lines();
    let parent = pid_after(lines[0], "parent ");
    let children: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("child "))
        .copied()
        .collect();
    // "one" and "three" print straight to our stdout; "two" was captured by the parent.
    assert_eq!(children.len(), 2, "{lines:#?}");
    assert!(children[0].ends_with(r#"args ["one"], GREETING=hello"#));
    assert!(children[1].ends_with(r#"args ["three"], GREETING=hello"#));
    for child in &children {
        assert_ne!(
            pid_after(child, "child "),
            parent,
            "a child is another process"
        );
    }
    assert!(lines.contains(&"status() returned exit status: 0"));
    let captured = lines
        .iter()
        .find(|l| l.starts_with("output() captured"))
        .unwrap();
    assert!(
        captured.ends_with(r#"args ["two"], GREETING=bonjour"#),
        "{captured}"
    );
    assert!(lines.contains(&"output() returned exit status: 0"));
    let spawned = lines
        .iter()
        .find(|l| l.starts_with("spawn() started process "))
        .unwrap();
    assert_eq!(
        spawned.trim_start_matches("spawn() started process "),
        pid_after(children[1], "child "),
        "spawn() reports the id of the child it started"
    );
    assert!(lines.contains(&"wait() returned exit status: 0"));
    assert!(lines.last().unwrap().contains("(NotFound)"), "{lines:#?}");
}

/// "`.env(key, value)` adds to the inherited environment", and Python's `env=` "*replaces* the
/// whole environment, hence `dict(os.environ, ...)`": traced with `strace -f -v`, each program's
/// `child two` gets `GREETING=bonjour` *and* a variable that only the test sets, which only
/// inheritance can give it, while `child one` and `child three` get that variable and no
/// `GREETING`. A twin with `env={"GREETING": "bonjour"}` prints the same lines (its child prints
/// only `GREETING`), and fails here; so does a listing with `.env_clear()`. Skipped where
/// `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn commands_child_two_inherits_the_environment() {
    use std::process::Command;
    const INHERITED: &str = r#""CH02_02_INHERITED=yes""#;
    let check = |program: &mut Command, what: &str| {
        program
            .env("CH02_02_INHERITED", "yes")
            .env_remove("GREETING");
        let options = ["-f", "-v", "-s", "300", "-e", "trace=execve"];
        let Some((run, text)) = common::traced(&format!("ch02-02-{what}"), &options, program)
        else {
            return;
        };
        run.success();
        let child = |n: &str| {
            let argv = format!(r#""child", "{n}"], ["#);
            let found = text
                .lines()
                .find(|l| l.contains("execve(") && l.contains(&argv));
            found.unwrap_or_else(|| panic!("{what}: no execve of child {n} in\n{text}"))
        };
        let two = child("two");
        assert!(two.contains(r#""GREETING=bonjour""#), "{what}: {two}");
        assert!(
            two.contains(INHERITED),
            "{what}: child two did not inherit the parent's environment: {two}"
        );
        for n in ["one", "three"] {
            let line = child(n);
            assert!(line.contains(INHERITED), "{what}: {line}");
            assert!(!line.contains(r#""GREETING="#), "{what}: {line}");
        }
    };
    check(
        &mut Command::new(common::example_path("ch02-02-commands")),
        "rust",
    );
    if let Some(mut cmd) = common::twin_command("ch02-02-commands.py") {
        check(&mut cmd, "python");
    }
}

#[test]
fn commands_python() {
    let Some(run) = common::python("ch02-02-commands.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("args ['one'], GREETING=hello"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("captured") && l.ends_with("args ['two'], GREETING=bonjour"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("args ['three'], GREETING=hello"))
    );
    assert_eq!(
        lines.iter().filter(|l| l.ends_with("returned 0")).count(),
        2
    );
    assert!(lines.last().unwrap().ends_with("(FileNotFoundError)"));

    // Into a pipe, Python's stdout is block-buffered: unless the parent flushes before it starts
    // the next child, its earlier lines come out after that child's. Run it buffered, as a
    // reader's `| less` would, and check the order the parent's waits impose.
    let path = common::twin_file("ch02-02-commands.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(path).env_remove("PYTHONUNBUFFERED");
    let run = common::run_command(&mut cmd, None).success();
    let lines = run.lines();
    let at = |pred: &dyn Fn(&str) -> bool| lines.iter().position(|l| pred(l)).unwrap();
    let parent = at(&|l| l.starts_with("parent "));
    let one = at(&|l| l.ends_with("args ['one'], GREETING=hello"));
    let returned = at(&|l| l == "run() returned 0");
    let captured = at(&|l| l.starts_with("captured"));
    let three = at(&|l| l.ends_with("args ['three'], GREETING=hello"));
    assert!(
        parent < one && one < returned && returned < captured && captured < three,
        "{lines:#?}"
    );
}

#[test]
fn failure_parent_reports_each_exit_status() {
    let run = common::run("ch02-03-failure", &[]).success();
    let lines = run.lines();
    assert_eq!(lines[0], "worker ok   : exit code 0, success() = true");
    assert_eq!(lines[1], "worker exit : exit code 3, success() = false");
    assert_eq!(lines[2], "worker panic: exit code 101, success() = false");
    if cfg!(unix) {
        assert_eq!(lines[3], "worker hang : no exit code: stopped by signal 9");
    } else {
        assert!(lines[3].starts_with("worker hang : exit code"));
    }
    assert_eq!(lines[4], "The parent is still running.");
    assert_eq!(lines.len(), 5);
    // The panicking worker's message went to the stderr it shares with the parent.
    assert!(run.stderr.contains("this worker gave up"), "{}", run.stderr);
}

#[test]
fn failure_python() {
    let Some(run) = common::python("ch02-03-failure.py") else {
        return;
    };
    let run = run.success();
    let mut expected = vec![
        "worker ok  : exitcode 0",
        "worker exit: exitcode 3",
        "worker boom: exitcode 1",
    ];
    if cfg!(unix) {
        expected.push("worker hang: exitcode -9");
    }
    assert_eq!(run.lines()[..expected.len()], expected[..]);
    assert_eq!(run.lines().last(), Some(&"The parent is still running."));
    assert!(run.stderr.contains("RuntimeError: this worker gave up"));
}

const PIPE_ANSWERS: [&str; 4] = [
    "ASIA has 4 letters",
    "AMERICA has 7 letters",
    "EUROPE has 6 letters",
    "AFRICA has 6 letters",
];

#[test]
fn pipes_round_trip() {
    let run = common::run("ch02-04-pipes", &[]).success();
    let mut expected: Vec<String> = PIPE_ANSWERS
        .iter()
        .map(|a| format!("parent got: {a}"))
        .collect();
    expected.push("worker finished: exit status: 0".into());
    assert_eq!(run.lines(), expected);
}

#[test]
fn pipes_worker_alone_answers_its_stdin() {
    let run = common::run_with_input("ch02-04-pipes", &["worker"], "Asia\nOceania\n").success();
    assert_eq!(run.lines(), ["ASIA has 4 letters", "OCEANIA has 7 letters"]);
}

#[test]
fn pipes_python() {
    let Some(run) = common::python("ch02-04-pipes.py") else {
        return;
    };
    let run = run.success();
    let mut expected: Vec<String> = PIPE_ANSWERS
        .iter()
        .map(|a| format!("parent got: {a}"))
        .collect();
    expected.push("worker finished: exit code 0".into());
    assert_eq!(run.lines(), expected);
}

/// The primes below `n`, by the plainest sieve: independent of the listing's trial division.
fn primes_below(n: usize) -> Vec<usize> {
    let mut composite = vec![false; n];
    let mut primes = Vec::new();
    for i in 2..n {
        if !composite[i] {
            primes.push(i);
            (i * i..n).step_by(i).for_each(|m| composite[m] = true);
        }
    }
    primes
}

/// Checks "  worker for A..B: C primes" lines and "N worker(s): T primes below LIMIT" totals.
fn check_prime_counts(lines: &[&str], limit: usize, pi: usize) {
    let primes = primes_below(limit);
    assert_eq!(primes.len(), pi, "the primes below {limit}");
    let mut parts_seen = 0;
    let mut totals = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("  worker for ") {
            let (range, count) = rest.split_once(": ").unwrap();
            let (start, end) = range.split_once("..").unwrap();
            let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
            let count: usize = count.strip_suffix(" primes").unwrap().parse().unwrap();
            let expected = primes.iter().filter(|&&p| start <= p && p < end).count();
            assert_eq!(count, expected, "{line}");
            parts_seen += 1;
        } else {
            let (workers, rest) = line.split_once(" worker(s): ").expect(line);
            let expected = format!("{} primes below {limit} in ", primes.len());
            assert!(rest.starts_with(&expected), "{line}");
            totals.push(workers.parse::<u32>().unwrap());
        }
    }
    assert_eq!(totals, [1, 4]);
    assert_eq!(parts_seen, 1 + 4);
}

#[test]
fn cpu_work_total_is_pi_of_two_million() {
    let run = common::run("ch02-10-cpu-work", &[]).success();
    check_prime_counts(&run.lines(), 2_000_000, 148_933);
}

#[test]
fn cpu_work_python() {
    let Some(run) = common::python("ch02-10-cpu-work.py") else {
        return;
    };
    // The same job, on a smaller range: pure Python is slower at it.
    check_prime_counts(&run.success().lines(), 250_000, 22_044);
}

/// The number in "a process costs about N times as much as a thread".
fn ratio(lines: &[&str]) -> f64 {
    let last = lines.last().expect("some output");
    let n = last.strip_prefix("a process costs about ").expect(last);
    n.split_whitespace().next().unwrap().parse().expect(last)
}

/// Runs `measure` up to three times, until a process costs at least twice a thread: typically
/// it is 10 to 30 times, but on a machine busy with other work one measurement can be swamped.
fn check_process_costs_more(mut measure: impl FnMut() -> common::Run) {
    let mut seen = Vec::new();
    for _ in 0..3 {
        let run = measure().success();
        if ratio(&run.lines()) >= 2.0 {
            return;
        }
        seen.push(run.stdout);
    }
    panic!("a process never cost twice as much as a thread: {seen:#?}");
}

#[test]
fn when_a_process_costs_more_than_a_thread() {
    let run = common::run("ch02-13-when", &[]).success();
    let lines = run.lines();
    assert!(lines[0].starts_with("start and wait for a process:"));
    assert!(lines[1].starts_with("spawn and join a thread:"));
    assert_eq!(lines.len(), 3);
    check_process_costs_more(|| common::run("ch02-13-when", &[]));
}

#[test]
fn when_python() {
    if common::python("ch02-13-when.py").is_none() {
        return;
    }
    check_process_costs_more(|| common::python("ch02-13-when.py").unwrap());
}
