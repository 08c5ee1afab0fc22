//! The processes a test run started, found through a mark in their environment.
//!
//! A test run sets `VAR=MARK` in the environment of the program it starts; every process that
//! program starts inherits it, and keeps it after it is re-parented (when its parent exits
//! first). Scanning `/proc/*/environ` for `VAR=MARK` therefore finds every straggler, and only
//! those of this run (other runs on the machine use other marks). Used by the examples' tests
//! (`tests/examples/common.rs`, `COURSE_TEST_RUN`) and by `cargo xtask stress`
//! (`COURSE_STRESS_RUN`). On a system without `/proc`, nothing is found.
//!
//! [`run_marked`] runs a program that way for every checker that runs programs (the examples'
//! tests, `cargo xtask quiz`, `check`, `stress`): it sweeps the stragglers right after the
//! program ended (or timed out), *before* it reads its output to the end, since a straggler that
//! inherited stdout would otherwise keep that read waiting for as long as it lives.

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The live (not zombie) processes whose environment holds `var=mark`.
pub fn marked(var: &str, mark: &str) -> Vec<u32> {
    let needle = format!("{var}={mark}\0");
    live_where("environ", |environ| contains(environ, needle.as_bytes()))
}

/// The live processes whose environment holds `var` with a value starting with `prefix` (the
/// runs of one program that numbers them `PREFIX<n>`).
pub fn marked_with_prefix(var: &str, prefix: &str) -> Vec<u32> {
    let needle = format!("{var}={prefix}");
    live_where("environ", |environ| contains(environ, needle.as_bytes()))
}

/// Ends every process marked `var=mark` (SIGKILL); returns the ones it found.
///
/// It scans more than once: a process killed as it was starting a child may have started it,
/// and a child still inside `exec` shows no environment for a moment (see [`wait_for_exec`]).
/// It returns once a scan a little later finds nothing it has not killed already.
pub fn kill_marked(var: &str, mark: &str) -> Vec<u32> {
    let mut killed: Vec<u32> = Vec::new();
    for pass in 0..20 {
        let new: Vec<u32> = marked(var, mark)
            .into_iter()
            .filter(|pid| !killed.contains(pid))
            .collect();
        if new.is_empty() && pass > 0 {
            break;
        }
        kill(&new);
        killed.extend(new);
        std::thread::sleep(Duration::from_millis(20));
    }
    killed.sort_unstable();
    killed
}

/// Waits until the process `pid` runs `program` (its `/proc/PID/cmdline` starts with it, as a
/// path or a bare name), for at most `patience`; true once it does.
///
/// `Command::spawn` may return while the child is still inside `exec` (a vfork-style spawn lets
/// the parent go on once the child has let go of its memory, before the new program's
/// environment is in place), and a scan of `/proc` in that moment does not see its mark. Call
/// this before scanning for a process just started. Without `/proc`, it returns false at once.
pub fn wait_for_exec(pid: u32, program: &OsStr, patience: Duration) -> bool {
    let Some(program) = program.to_str() else {
        return false;
    };
    let name = program.rsplit('/').next().unwrap_or(program);
    let deadline = Instant::now() + patience;
    let dir = format!("/proc/{pid}");
    while std::path::Path::new(&dir).is_dir() {
        let cmdline = std::fs::read(format!("{dir}/cmdline")).unwrap_or_default();
        let first = cmdline.split(|b| *b == 0).next().unwrap_or_default();
        let first = String::from_utf8_lossy(first);
        let environ = std::fs::read(format!("{dir}/environ")).unwrap_or_default();
        if !environ.is_empty() && (first == program || first.rsplit('/').next() == Some(name)) {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

/// How a program run by [`run_marked`] ended.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status; `None` when it was still running at the time limit (it was killed).
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    /// The processes it started that were still alive once it had ended: each was killed.
    pub left: Vec<u32>,
    /// True when its stdout or stderr was still open after the stragglers were killed (held by
    /// a process that dropped the mark): the output stops where it was, and nobody waits.
    pub output_held_open: bool,
}

/// Runs `cmd` with `var=mark` in its environment, `input` written to its stdin (or none), and
/// its stdout and stderr read, for at most `timeout` (then it is killed); kills every process it
/// left behind, *then* reads its output to the end.
///
/// The order is what makes the check honest: a process left behind that inherited stdout keeps
/// the pipe open, so reading to the end first would wait as long as it lives (for ever, or long
/// enough to end and pass unseen). After the sweep, the output is awaited for a few more
/// seconds at most: a process that dropped the mark could still hold it ([`Finished`] says so).
pub fn run_marked(
    cmd: &mut Command,
    var: &str,
    mark: &str,
    input: Option<Vec<u8>>,
    timeout: Duration,
) -> io::Result<Finished> {
    cmd.env(var, mark)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        // Not joined: a program that never reads its input must not keep us waiting.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
            // dropping stdin closes it: the program sees the end of its input
        });
    }
    let stdout = read_to_end(child.stdout.take().expect("piped"));
    let stderr = read_to_end(child.stderr.take().expect("piped"));

    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
        pause = (pause * 2).min(Duration::from_millis(50));
    };
    let left = kill_marked(var, mark);

    // Every process that could hold the pipes is gone (or being killed): the output ends soon.
    let patience = Instant::now() + Duration::from_secs(10);
    let (stdout, out_whole) = stdout.finish(patience);
    let (stderr, err_whole) = stderr.finish(patience);
    Ok(Finished {
        status,
        stdout,
        stderr,
        left,
        output_held_open: !(out_whole && err_whole),
    })
}

/// A pipe read to its end on a thread of its own.
struct Reader {
    bytes: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Reader {
    /// What was read, waiting until `deadline` at most for the end; true if the end came.
    fn finish(self, deadline: Instant) -> (String, bool) {
        let whole = self
            .done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_ok();
        let bytes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        (String::from_utf8_lossy(&bytes).into_owned(), whole)
    }
}

/// Starts reading `pipe` to its end (not joined: a pipe held open must not keep us waiting).
fn read_to_end(mut pipe: impl Read + Send + 'static) -> Reader {
    let bytes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, done) = mpsc::channel();
    let sink = std::sync::Arc::clone(&bytes);
    std::thread::spawn(move || {
        let mut chunk = [0; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => sink.lock().unwrap().extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(());
    });
    Reader { bytes, done }
}

/// The live processes whose command line holds `text` (a temporary folder of their own, say:
/// the browser tests end the Chromium that uses their profile folder this way).
pub fn with_argument(text: &str) -> Vec<u32> {
    live_where("cmdline", |cmdline| {
        cmdline.windows(text.len()).any(|w| w == text.as_bytes())
    })
}

/// Ends these processes (SIGKILL), ignoring those that are gone already.
pub fn kill(pids: &[u32]) {
    for pid in pids {
        let _ = Command::new("kill")
            .args(["-9", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// The live processes whose `/proc/PID/<file>` satisfies `test`, sorted.
fn live_where(file: &str, test: impl Fn(&[u8]) -> bool) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new(); // not Linux: nothing to look at
    };
    let mut found: Vec<u32> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let content = std::fs::read(entry.path().join(file)).ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            (!is_zombie(&stat) && test(&content)).then_some(pid)
        })
        .collect();
    found.sort_unstable();
    found
}

/// The state in `/proc/PID/stat` (after the command's name in parentheses) is `Z`.
fn is_zombie(stat: &str) -> bool {
    stat.rsplit(')')
        .next()
        .is_some_and(|rest| rest.trim_start().starts_with('Z'))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    // `environ` starts with a variable too: look for the needle after a NUL or at the start.
    haystack.starts_with(needle)
        || haystack
            .windows(needle.len() + 1)
            .any(|w| w[0] == 0 && &w[1..] == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zombies_are_told_apart() {
        assert!(is_zombie("42 (sleep) Z 1 42"));
        assert!(is_zombie("42 (a) b) Z 1"));
        assert!(!is_zombie("42 (sleep) S 1 42"));
    }

    #[test]
    fn the_mark_is_a_whole_variable() {
        assert!(contains(b"A=1\0RUN=7\0", b"RUN=7\0"));
        assert!(contains(b"RUN=7\0A=1\0", b"RUN=7\0"));
        assert!(!contains(b"A=1\0RUN=77\0", b"RUN=7\0"));
        assert!(!contains(b"XRUN=7\0", b"RUN=7\0"));
    }

    #[test]
    fn a_marked_child_is_found_and_killed() {
        let mark = format!("{}-procs-test", std::process::id());
        let mut child = Command::new("sleep")
            .arg("30")
            .env("COURSE_BOOK_TEST", &mark)
            .spawn()
            .expect("sleep");
        if std::path::Path::new("/proc").is_dir() {
            // `spawn` may return before the child has finished `exec`: its environment, and so
            // its mark, can be read only once it runs `sleep`.
            assert!(
                wait_for_exec(child.id(), OsStr::new("sleep"), Duration::from_secs(30)),
                "the child never ran `sleep`"
            );
            assert_eq!(marked("COURSE_BOOK_TEST", &mark), vec![child.id()]);
            let prefix = format!("{}-procs", std::process::id());
            assert_eq!(
                marked_with_prefix("COURSE_BOOK_TEST", &prefix),
                vec![child.id()]
            );
            assert!(with_argument("sleep").contains(&child.id()));
            assert_eq!(kill_marked("COURSE_BOOK_TEST", &mark), vec![child.id()]);
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(marked("COURSE_BOOK_TEST", &mark), Vec::<u32>::new());
    }

    #[test]
    fn waiting_for_exec_tells_the_new_program_from_the_old() {
        if !std::path::Path::new("/proc").is_dir() {
            return;
        }
        let me = std::process::id();
        assert!(!wait_for_exec(me, OsStr::new("sleep"), Duration::ZERO));
        let exe = std::env::current_exe().unwrap();
        assert!(wait_for_exec(me, exe.as_os_str(), Duration::ZERO));
        // A process that is gone never runs anything.
        let mut child = Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!wait_for_exec(
            pid,
            OsStr::new("true"),
            Duration::from_secs(1)
        ));
    }

    fn shell(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        cmd
    }

    #[test]
    fn a_program_that_ends_cleanly_gives_its_output() {
        let mark = format!("{}-clean", std::process::id());
        let run = run_marked(
            &mut shell("read line; echo \"out $line\"; echo err >&2; exit 3"),
            "COURSE_BOOK_TEST",
            &mark,
            Some(b"in\n".to_vec()),
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(run.status.and_then(|s| s.code()), Some(3));
        assert_eq!(run.stdout, "out in\n");
        assert_eq!(run.stderr, "err\n");
        assert!(run.left.is_empty(), "{run:?}");
        assert!(!run.output_held_open, "{run:?}");
    }

    /// The straggler keeps the program's stdout open for ten minutes: reading that output to
    /// its end before sweeping would wait that long. The sweep comes first, so the run ends as
    /// soon as the shell has, and names the straggler.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_straggler_holding_stdout_is_reported_and_not_waited_for() {
        let mark = format!("{}-holder", std::process::id());
        let (tx, rx) = mpsc::channel();
        let m = mark.clone();
        std::thread::spawn(move || {
            let run = run_marked(
                &mut shell("sleep 600 & echo started"),
                "COURSE_BOOK_TEST",
                &m,
                None,
                Duration::from_secs(60),
            );
            let _ = tx.send(run);
        });
        let Ok(run) = rx.recv_timeout(Duration::from_secs(120)) else {
            kill_marked("COURSE_BOOK_TEST", &mark);
            panic!("run_marked still waits for the output the straggler holds open");
        };
        let run = run.unwrap();
        assert!(run.status.is_some_and(|s| s.success()), "{run:?}");
        assert_eq!(run.stdout, "started\n");
        assert_eq!(run.left.len(), 1, "the straggler is named: {run:?}");
        assert!(!run.output_held_open, "{run:?}");
        assert!(marked("COURSE_BOOK_TEST", &mark).is_empty());
    }

    #[test]
    fn a_program_past_its_time_is_killed_with_what_it_started() {
        let mark = format!("{}-late", std::process::id());
        let run = run_marked(
            &mut shell("sleep 600 & echo started; sleep 600"),
            "COURSE_BOOK_TEST",
            &mark,
            None,
            Duration::from_millis(300),
        )
        .unwrap();
        assert!(run.status.is_none(), "{run:?}");
        if std::path::Path::new("/proc").is_dir() {
            // Both sleeps: the shell was killed, the one it waits for was not.
            assert_eq!(run.left.len(), 2, "both sleeps are swept: {run:?}");
            assert!(marked("COURSE_BOOK_TEST", &mark).is_empty());
        }
    }
}
