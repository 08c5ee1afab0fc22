//! Process groups and killing a whole tree; exit-status conventions (Unix).
use crate::common;

/// The last line ("end of stdout within 300 ms") depends on time: on a
/// machine loaded enough that the killed `sleep` and the reader have not
/// run within 300 ms, it is missing. So it is optional here; a listing
/// whose second half kills the shell alone still fails, since `common::run`
/// finds the `sleep` (which inherits the test's mark) left behind, and a
/// twin that does so never ends (its reader thread waits for the `sleep`).
fn assert_lines_end_maybe(lines: &[&str], expected: &[&str]) {
    let (last, guaranteed) = expected.split_last().unwrap();
    let n = guaranteed.len();
    assert_eq!(lines[..n.min(lines.len())], guaranteed[..], "{lines:#?}");
    assert!(lines[n..].is_empty() || lines[n..] == [*last], "{lines:#?}");
}

/// `child.kill()` ends the shell alone: its grandchild (`sleep 30`) keeps
/// the stdout pipe open past the deadline, certainly. Killing the group
/// ends both, so the end of stdout comes at once (see above).
#[test]
fn process_groups_kill_only_the_shell_then_the_group() {
    let run = common::run("ch02-08-process-groups", &[]).success();
    assert_lines_end_maybe(
        &run.lines(),
        &[
            "child.kill(), the shell alone:",
            "  grandchild started",
            "  the shell ended: signal: 9 (SIGKILL)",
            "  stdout still open after 300 ms",
            "  killpg() then: end of stdout",
            "killpg(), the whole group:",
            "  grandchild started",
            "  the shell ended: signal: 9 (SIGKILL)",
            "  end of stdout within 300 ms",
        ],
    );
}

#[test]
fn process_groups_python() {
    let Some(run) = common::python("ch02-08-process-groups.py") else {
        return;
    };
    assert_lines_end_maybe(
        &run.success().lines(),
        &[
            "proc.kill(), the shell alone:",
            "  grandchild started",
            "  the shell ended: returncode -9",
            "  stdout still open after 300 ms",
            "  killpg() then: end of stdout",
            "killpg(), the whole group:",
            "  grandchild started",
            "  the shell ended: returncode -9",
            "  end of stdout within 300 ms",
        ],
    );
}

/// The first half must end the grandchild with `killpg`, not wait for it:
/// the page says reading to the end would wait "for ever behind a
/// grandchild that never ends". With `sleep 30`, a listing (or twin) that
/// drops that `killpg` prints the same lines and fails above only because
/// `sleep 30` outlasts the 30 s time limit by a few milliseconds. Here a
/// `sleep` first on `PATH` (it strips itself from `PATH`, then runs the
/// real `sleep` for an hour) makes such a program certain to hit the limit.
#[cfg(target_os = "linux")]
#[test]
fn process_groups_kill_a_grandchild_that_never_ends() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = common::Scratch::new("ch02-08-path");
    let dir = scratch.path();
    let shim = dir.join("sleep");
    std::fs::write(&shim, "#!/bin/sh\nPATH=${PATH#*:}\nexec sleep 3600\n").unwrap();
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    let path = format!("{}:{path}", dir.display());
    let listing = common::example_path("ch02-08-process-groups");
    let mut runs = vec![common::run_command(
        std::process::Command::new(listing).env("PATH", &path),
        None,
    )];
    let twin = common::twin_file("ch02-08-process-groups.py");
    let mut python = std::process::Command::new("python3");
    if python
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let mut python = std::process::Command::new("python3");
        runs.push(common::run_command(
            python.arg(twin).env("PATH", &path),
            None,
        ));
    }
    for run in runs {
        let lines = run.success().lines().join("\n");
        assert!(lines.contains("  killpg() then: end of stdout"), "{lines}");
    }
}

/// Whether the kernel writes cores to files here (not to a program, as
/// systemd-coredump or apport take them, nor to a socket, a pattern that
/// starts with `@` since Linux 6.16), so that a limit of 0 means none.
fn cores_go_to_files() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/core_pattern")
        .is_ok_and(|pattern| !pattern.starts_with(['|', '@']))
}

/// A signal is `signal()`, never `code()`; a shell whose child was killed
/// exits with 128 + N. Whether `sh -c 'PROGRAM'` runs PROGRAM in its own
/// process (Debian's dash) or becomes it (bash, and dash as released,
/// exec it) depends on the shell, so that line may be either.
#[test]
fn exit_status_signals_and_the_shells_128_plus_n() {
    let run = common::run("ch02-09-exit-status", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let rest = |line: &str| line[35..].to_string();
    assert_eq!(rest(lines[0]), "code None, signal Some(9)");
    assert_eq!(rest(lines[1]), "code None, signal Some(9)");
    assert_eq!(rest(lines[2]), "code Some(137), signal None");
    assert!(
        ["code Some(137), signal None", "code None, signal Some(9)"]
            .contains(&rest(lines[3]).as_str()),
        "{lines:#?}"
    );
    assert_eq!(rest(lines[4]), "code None, signal Some(6)");
    if cores_go_to_files() {
        assert_eq!(lines[5], "core dumped: false");
    }
}

/// Runs `program ARGS` in `dir` with its soft core limit raised to the hard
/// one, as `ulimit -c unlimited` would for a reader: the aborting child
/// must then lower its own limit to 0, or it dumps a core (and
/// `core_dumped()` turns true). `None` where no core could be written
/// anyway (a hard limit of 0, or cores that go to a program).
fn cores_allowed(dir: &str, program: &str, args: &[&str]) -> Option<Vec<String>> {
    use nix::sys::resource::{Resource, getrlimit};
    let (_, hard) = getrlimit(Resource::RLIMIT_CORE).ok()?;
    if hard == 0 || !cores_go_to_files() {
        return None;
    }
    let scratch = common::Scratch::new(dir);
    let dir = scratch.path();
    let script = r#"ulimit -c "$(ulimit -H -c)" && exec "$@""#;
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", script, "sh", program]).args(args);
    let run = common::run_command(cmd.current_dir(dir), None).success();
    let files = std::fs::read_dir(dir).unwrap().flatten();
    let files: Vec<_> = files.map(|file| file.file_name()).collect();
    assert!(files.is_empty(), "the abort left {files:?}");
    Some(run.lines().iter().map(|line| line.to_string()).collect())
}

/// With cores allowed, the child that aborts still writes none: it set its
/// own `RLIMIT_CORE` to 0 (the test above cannot tell, where `ulimit -c`
/// is 0 already).
#[test]
fn exit_status_the_abort_writes_no_core() {
    let path = common::example_path("ch02-09-exit-status");
    let path = path.to_str().unwrap();
    if let Some(lines) = cores_allowed("ch02-09-cores", path, &[]) {
        assert_eq!(lines.last().unwrap(), "core dumped: false");
    }
    let mut python = std::process::Command::new("python3");
    if !python
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return;
    }
    let twin = common::twin_file("ch02-09-exit-status.py");
    let twin = twin.to_str().unwrap();
    if let Some(lines) = cores_allowed("ch02-09-cores-py", "python3", &[twin]) {
        assert_eq!(lines.last().unwrap(), "core dumped: False");
    }
}

#[test]
fn exit_status_python() {
    let Some(run) = common::python("ch02-09-exit-status.py") else {
        return;
    };
    let run = run.success();
    let codes: Vec<&str> = run
        .lines()
        .iter()
        .map(|line| line.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(codes.len(), 6, "{codes:?}");
    assert_eq!(codes[..3], ["-9", "-9", "137"]);
    assert!(["137", "-9"].contains(&codes[3]), "{codes:?}");
    assert_eq!(codes[4], "-6");
    if cores_go_to_files() {
        assert_eq!(codes[5], "False");
    }
}

/// "killpg() then: end of stdout": the line is printed once the reading
/// thread has seen the end (its `read` returns 0), not merely after the
/// `killpg`. Traced with `strace -f`: between the `kill(-PGID, SIGKILL)`
/// and the write of that line, a `read` returns 0 bytes. A listing that
/// drops `end.recv()` prints the same lines, and passes the tests above.
/// Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn process_groups_reports_the_end_only_once_seen() {
    let listing = std::process::Command::new(common::example_path("ch02-08-process-groups"));
    let options = ["-f", "-e", "trace=kill,read,write"];
    let Some((run, text)) = common::traced("ch02-08-end", &options, &listing) else {
        return;
    };
    run.success();
    let killpg = text
        .find(" kill(-")
        .expect("a kill(-PGID, SIGKILL) in the trace");
    let line = text[killpg..]
        .find(r#""  killpg() then: end of stdout\n""#)
        .expect("the killpg() then line");
    let between = &text[killpg..killpg + line];
    let eof = between.lines().any(|l| {
        (l.contains(" read(") || l.contains("<... read resumed>"))
            && l.contains(r#""", "#)
            && l.trim_end().ends_with("= 0")
    });
    assert!(
        eof,
        "the line comes before the reader saw the end:\n{between}"
    );
}

/// "killpg() then: end of stdout" must wait for the end of stdout, not
/// come right after the `killpg`; in the Python twin as in the listing
/// (the trace above checks the listing only, and a twin that prints the
/// line right after its `os.killpg`, with no `reader.join()` nor
/// `proc.stdout.close()`, which waits for the reader too, prints the same
/// lines and passes the tests above). Here the first `sleep` on the
/// `PATH` leaves a helper in a session of its own (out of `killpg`'s
/// reach) that holds stdout open until the test writes to a FIFO: once
/// the grandchild has died, the line cannot come before that write.
#[cfg(target_os = "linux")]
#[test]
fn process_groups_end_of_stdout_waits_for_every_writer() {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    use std::time::Duration;
    let available = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !available("setsid") || !available("mkfifo") {
        eprintln!("no setsid or mkfifo here: skipping");
        return;
    }
    let mut programs = vec![std::process::Command::new(common::example_path(
        "ch02-08-process-groups",
    ))];
    if let Some(mut python) = common::twin_command("ch02-08-process-groups.py") {
        python.env("PYTHONUNBUFFERED", "1"); // its lines are awaited one by one
        programs.push(python);
    }
    for (n, mut program) in programs.into_iter().enumerate() {
        let scratch = common::Scratch::new(&format!("ch02-08-hold-{n}"));
        let dir = scratch.path();
        let fifo = dir.join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // The helper inherits the run's mark, so dropping the `Live` ends it, released or not.
        let shim = dir.join("sleep");
        let script = r#"#!/bin/sh
PATH=${PATH#*:}
if mkdir "$HOLD/taken" 2>/dev/null; then
  setsid sh -c 'echo $$ > "$0/helper.new" && mv "$0/helper.new" "$0/helper"
    read x < "$0/fifo"' "$HOLD" &
  echo $$ > "$HOLD/grandchild.new" && mv "$HOLD/grandchild.new" "$HOLD/grandchild"
fi
exec sleep 3600
"#;
        std::fs::write(&shim, script).unwrap();
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = std::env::var("PATH").unwrap_or_default();
        program
            .env("PATH", format!("{}:{path}", dir.display()))
            .env("HOLD", dir);
        let live = common::Live::start_command(program);
        let mut seen = Vec::new();
        while !seen.iter().any(|l: &String| l.contains("still open after")) {
            seen.push(live.line());
        }
        // Files the shim writes: a process id each, once it is known.
        let start = std::time::Instant::now();
        let pid_in = |file: &str| loop {
            if let Ok(pid) = std::fs::read_to_string(dir.join(file)) {
                return pid;
            }
            assert!(start.elapsed() < common::TIMEOUT, "no {file} file");
            std::thread::sleep(Duration::from_millis(10));
        };
        // The grandchild dies by the `killpg`; the line would follow it at once.
        let stat = format!("/proc/{}/stat", pid_in("grandchild").trim());
        while std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z ")) {
            assert!(start.elapsed() < common::TIMEOUT, "the grandchild lives on");
            std::thread::sleep(Duration::from_millis(10));
        }
        let early = live.line_within(Duration::from_millis(500));
        // Now the helper lets go of stdout: the reader sees the end.
        pid_in("helper");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .and_then(|mut f| f.write_all(b"go\n"))
            .expect("release the helper");
        let (status, rest) = live.finish();
        seen.extend(early.clone());
        seen.extend(rest);
        assert!(status.success(), "{status:?} {seen:#?}");
        assert_eq!(
            early, None,
            "the line came while a helper still held stdout open: {seen:#?}"
        );
        assert!(
            seen.iter().any(|l| l == "  killpg() then: end of stdout"),
            "{seen:#?}"
        );
    }
}
