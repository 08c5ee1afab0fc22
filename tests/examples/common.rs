//! Runs the book's examples (and their Python counterparts) the way a reader does, under a
//! timeout, and checks that nothing they started outlives them.
//!
//! Each chapter's module does `use crate::common;` and checks each listing by what the program
//! guarantees: the set of lines, a total, the order that joins impose; never the luck of
//! scheduling.

use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use course_book::procs;

/// The variable that marks every process a run starts (see [`course_book::procs`]).
const MARK: &str = "COURSE_TEST_RUN";

/// No example needs more than a few seconds; this bound only turns a hang into a failure.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// What one run printed.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The lines printed on stdout.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Panics, showing everything the program printed, unless it exited with 0.
    pub fn success(self) -> Self {
        assert!(self.status.success(), "the program failed: {self:#?}");
        self
    }
}

/// The source file of the listing `name`: `examples/NAME.rs`.
pub fn listing_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{name}.rs"))
}

/// The text of the listing `name`, for a test that checks the code itself (a property no number
/// of runs can catch) or builds an edited copy of it.
pub fn listing_source(name: &str) -> String {
    let path = listing_file(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The file of the Python counterpart `file`: `examples/python/FILE`.
pub fn twin_file(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/python")
        .join(file)
}

/// The text of the Python counterpart `file`.
pub fn twin_source(file: &str) -> String {
    let path = twin_file(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The path of a built example, in `<target>/<profile>/examples/`, next to the
/// `<target>/<profile>/deps/` this test runs from.
///
/// A plain `cargo test` builds every example before running the tests, but
/// `cargo test --test examples` does not; so the first call makes sure they are all built and up
/// to date (a no-op taking a fraction of a second when they are).
pub fn example_path(name: &str) -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    let test_exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = test_exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from <target>/<profile>/deps");
    BUILT.call_once(|| {
        let target_dir = profile_dir.parent().expect("<target>/<profile>");
        let profile = profile_dir.file_name().unwrap().to_string_lossy();
        let profile = if profile == "debug" {
            "dev".into()
        } else {
            profile
        };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--examples", "--profile", &profile])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo build --examples");
        assert!(status.success(), "cargo build --examples failed");
    });
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "example {name} is not built at {}",
        path.display()
    );
    path
}

/// Runs an example with arguments and no input.
pub fn run(name: &str, args: &[&str]) -> Run {
    run_command(Command::new(example_path(name)).args(args), None)
}

/// Runs an example with arguments, writing `input` to its stdin.
pub fn run_with_input(name: &str, args: &[&str], input: &str) -> Run {
    run_command(Command::new(example_path(name)).args(args), Some(input))
}

/// Runs a Python counterpart from `examples/python/`, or returns `None` when this machine has
/// no `python3` (the Rust side is tested regardless).
pub fn python(file: &str) -> Option<Run> {
    let mut cmd = twin_command(file)?;
    Some(run_command(&mut cmd, None))
}

/// The command that runs the Python counterpart `file` of `examples/python/` as a reader would,
/// for a test that runs it its own way (traced, driven, on one CPU); `None` when this machine has
/// no `python3`.
pub fn twin_command(file: &str) -> Option<Command> {
    if !python_here(file) {
        return None;
    }
    let path = twin_file(file);
    assert!(
        path.is_file(),
        "no Python counterpart at {}",
        path.display()
    );
    // A reader's terminal does not set PYTHONUNBUFFERED (some machines do): without it, Python
    // buffers stdout when it is a pipe, which is what a twin must cope with to print in the
    // order it claims.
    let mut cmd = Command::new("python3");
    cmd.arg(path).env_remove("PYTHONUNBUFFERED");
    Some(cmd)
}

/// Runs a Python counterpart under each later Python this machine has besides `python3`
/// (3.12, 3.13, 3.14: the course's versions), for a twin whose behaviour depends on the
/// version: `python3.N` on the PATH, or the version pyenv names for it (`pyenv whence`, run
/// with `PYENV_VERSION`). Returns each version (`"3.13"`) with its run; says which are absent.
pub fn python_versions(file: &str) -> Vec<(String, Run)> {
    let path = twin_file(file);
    python_versions_with(file, &[path.as_os_str()])
}

/// Runs `python3.N -c code` under the same Pythons as [`python_versions`], for a fact about each
/// interpreter that a test must learn without the twin it checks.
pub fn python_versions_code(code: &str) -> Vec<(String, Run)> {
    python_versions_with("-c", &["-c".as_ref(), code.as_ref()])
}

fn python_versions_with(file: &str, args: &[&std::ffi::OsStr]) -> Vec<(String, Run)> {
    let mut runs = Vec::new();
    for minor in ["3.12", "3.13", "3.14"] {
        let program = format!("python{minor}");
        let pyenv = Command::new("pyenv").args(["whence", &program]).output();
        let pyenv_version = pyenv
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| {
                Some(
                    String::from_utf8(out.stdout)
                        .ok()?
                        .lines()
                        .last()?
                        .to_string(),
                )
            });
        let command = || {
            let mut cmd = Command::new(&program);
            cmd.env_remove("PYTHONUNBUFFERED");
            if let Some(version) = &pyenv_version {
                cmd.env("PYENV_VERSION", version);
            }
            cmd
        };
        let here = command().arg("--version").output().is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout).starts_with(&format!("Python {minor}."))
        });
        if !here {
            eprintln!("no Python {minor} here: {file} not run with it");
            continue;
        }
        runs.push((minor.to_string(), run_command(command().args(args), None)));
    }
    runs
}

/// Whether `python3` runs here (if not, says that `file` is skipped).
fn python_here(file: &str) -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("python3 not found: skipping {file}");
    }
    ok
}

/// Runs a Python counterpart with some of its text replaced (each `(old, new)`: `old` must occur
/// exactly once), for a test that needs other constants than the page's (a longer deadline, a
/// slower read). The file is compiled under its own name, with `__file__` set, so a twin that
/// starts itself again as a worker starts the unchanged file. `None` without `python3`.
pub fn python_edited(file: &str, edits: &[(&str, &str)]) -> Option<Run> {
    if !python_here(file) {
        return None;
    }
    let path = twin_file(file);
    let mut source = twin_source(file);
    for (old, new) in edits {
        assert_eq!(source.matches(old).count(), 1, "{old:?} in {file}");
        source = source.replace(old, new);
    }
    let run = "import sys\n\
               path, src = sys.argv[1], sys.argv[2]\n\
               sys.argv = [path]\n\
               exec(compile(src, path, 'exec'), {'__name__': '__main__', '__file__': path})\n";
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(run)
        .arg(&path)
        .arg(source)
        .env_remove("PYTHONUNBUFFERED");
    Some(run_command(&mut cmd, None))
}

/// A folder of this test process's own under the temporary directory, removed when dropped
/// (whatever happened). The examples' dev-dependencies stay std-only (see `Cargo.toml`), so this
/// stands in for the `tempfile` crate.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty folder named after `what`, this process and a counter.
    pub fn new(what: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        Scratch(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Builds a copy of the std-only example `name` with some of its text replaced (each
/// `(old, new)`: `old` must occur exactly once), with rustc (edition 2024) in a temporary folder,
/// and runs it like [`run`]: the Rust side of [`python_edited`], for a test that needs other
/// constants than the page's.
pub fn run_edited(name: &str, edits: &[(&str, &str)]) -> Run {
    let mut source = listing_source(name);
    for (old, new) in edits {
        assert_eq!(source.matches(old).count(), 1, "{old:?} in {name}");
        source = source.replace(old, new);
    }
    let scratch = Scratch::new(&format!("run-edited-{name}"));
    let dir = scratch.path();
    let file = dir.join("main.rs");
    let exe = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    std::fs::write(&file, source).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args(["--edition", "2024", "-A", "warnings", "-o"])
        .arg(&exe)
        .arg(&file)
        .output()
        .expect("run rustc");
    assert!(
        out.status.success(),
        "the edited {name} does not compile: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    run_command(&mut Command::new(&exe), None)
}

/// Runs the example `name` with `TMPDIR` set to an empty directory of our own (`env::temp_dir()`
/// follows it on Unix), checks that it succeeds, and returns what it left in that directory
/// (removed before returning).
pub fn files_left_in_tmpdir(name: &str) -> Vec<std::ffi::OsString> {
    let dir = Scratch::new(&format!("{name}-tmpdir"));
    let mut cmd = Command::new(example_path(name));
    cmd.env("TMPDIR", dir.path());
    run_command(&mut cmd, None).success();
    std::fs::read_dir(dir.path())
        .expect("the directory")
        .map(|entry| entry.expect("an entry").file_name())
        .collect()
}

/// Runs `cmd` under [`TIMEOUT`], then checks that no process it started is still alive.
///
/// The processes it left are found and killed right after it ended, before its output is read
/// to the end ([`procs::run_marked`]): one that inherited stdout would otherwise keep that read
/// waiting, and be gone, unseen, by the time anyone looked for it.
pub fn run_command(cmd: &mut Command, input: Option<&str>) -> Run {
    // Every process the program starts inherits this mark, so we can find stragglers even
    // after they have been re-parented.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mark = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    );
    let input = input.map(|s| s.as_bytes().to_vec());
    let finished = procs::run_marked(cmd, MARK, &mark, input, TIMEOUT)
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let Some(status) = finished.status else {
        panic!(
            "{cmd:?} did not finish within {TIMEOUT:?} (killed, with {:?})\n{finished:#?}",
            finished.left
        );
    };
    let run = Run {
        status,
        stdout: finished.stdout,
        stderr: finished.stderr,
    };
    if !finished.left.is_empty() {
        panic!(
            "{cmd:?} left processes running: {:?}\n{run:#?}",
            finished.left
        );
    }
    if finished.output_held_open {
        panic!("{cmd:?} ended, but something it started still holds its output open\n{run:#?}");
    }
    run
}

/// Asserts that `actual` holds exactly the `expected` lines, in any order.
pub fn assert_same_lines(actual: &[&str], expected: &[&str]) {
    let mut a: Vec<&str> = actual.to_vec();
    let mut e: Vec<&str> = expected.to_vec();
    a.sort_unstable();
    e.sort_unstable();
    assert_eq!(
        a, e,
        "expected these lines in any order: {expected:#?}\ngot: {actual:#?}"
    );
}

/// The harness checked on itself: a straggler that inherited the program's stdout (and would
/// keep it open for ten minutes) is named, and the run does not wait for it.
#[cfg(target_os = "linux")]
#[test]
fn harness_names_a_straggler_that_holds_stdout_open() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let run = std::thread::spawn(|| {
            let mut shell = Command::new("sh");
            shell.args(["-c", "sleep 600 & echo started"]);
            run_command(&mut shell, None)
        });
        let _ = tx.send(run.join().err().map(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default()
        }));
    });
    // Only a hang is caught by this bound: a harness that waits for the straggler's output.
    let outcome = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the harness still waits for the output that the straggler holds open");
    let message = outcome.expect("the straggler passed unseen");
    assert!(message.contains("left processes running"), "{message}");
    assert!(message.contains("stdout: \"started\\n\""), "{message}");
}

/// Whether `strace` can trace here (installed, and tracing allowed); when it cannot, says so,
/// and the test that asked skips itself.
#[cfg(target_os = "linux")]
pub fn strace_works() -> bool {
    let works = Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!("strace cannot run here: skipping");
    }
    works
}

/// Runs `program` (with its arguments and environment) under `strace -qq -e signal=none` and
/// `options` (`-f`, `-e trace=...`), the trace written to a file of its own, named after `name`:
/// the run and the trace; `None`, and the test skips itself, where [`strace_works`] says no.
#[cfg(target_os = "linux")]
pub fn traced(name: &str, options: &[&str], program: &Command) -> Option<(Run, String)> {
    if !strace_works() {
        return None;
    }
    let scratch = Scratch::new(&format!("{name}-strace"));
    let trace = scratch.path().join("trace");
    let mut strace = Command::new("strace");
    strace
        .args(["-qq", "-e", "signal=none"])
        .args(options)
        .arg("-o")
        .arg(&trace);
    let run = run_command(&mut under(strace, program), None);
    let text = std::fs::read_to_string(&trace).expect("the trace");
    Some((run, text))
}

/// `wrapper` running `program`: its program and arguments appended to the wrapper's, its
/// environment changes made on the wrapper (which passes them on), as for `strace` or `taskset`.
#[cfg(target_os = "linux")]
pub fn under(mut wrapper: Command, program: &Command) -> Command {
    wrapper.arg(program.get_program()).args(program.get_args());
    for (key, value) in program.get_envs() {
        match value {
            Some(value) => wrapper.env(key, value),
            None => wrapper.env_remove(key),
        };
    }
    wrapper
}

/// The calls that the first process of a `strace -f` trace made (the program traced, whose
/// `execve` is the trace's first line), without the lines that resume an interrupted call.
#[cfg(target_os = "linux")]
pub fn first_process_calls(trace: &str) -> Vec<&str> {
    let first = trace.split_whitespace().next().expect("a traced call");
    trace
        .lines()
        .filter_map(|line| line.split_once(' ').filter(|(pid, _)| *pid == first))
        .map(|(_, call)| call.trim_start())
        .filter(|call| !call.starts_with("<..."))
        .collect()
}

/// Type-checks `source` as a crate of its own with rustc (edition 2024, metadata only, warnings
/// allowed), in a temporary folder named after `name`; returns whether it compiled and what
/// rustc printed. For claims that only the compiler can check (a bound, a `Send` error).
pub fn rustc_check(name: &str, source: &str) -> (bool, String) {
    let scratch = Scratch::new(&format!("rustc-check-{name}"));
    let dir = scratch.path();
    let file = dir.join("main.rs");
    std::fs::write(&file, source).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args(["--edition", "2024", "--emit", "metadata", "-A", "warnings"])
        .arg("--out-dir")
        .arg(dir)
        .arg(&file)
        .output()
        .expect("run rustc");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A program a test talks to while it runs, where [`run_command`] waits for the end first: its
/// lines are read as they come, clients connect to it, signals are sent to it (with `kill`,
/// hence Unix only, like everything that uses it). Its processes are marked like every run's,
/// and dropping the `Live`, whatever happened, kills every one of them.
#[cfg(unix)]
pub struct Live {
    pub child: std::process::Child,
    mark: String,
    stdout: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::mpsc::Receiver<String>,
}

#[cfg(unix)]
impl Live {
    /// Starts the example `name`, or its Python twin when `python` is true (then `None` when
    /// this machine has no `python3`, as [`python`] does; the twin runs without
    /// `PYTHONUNBUFFERED`: it must flush what it prints).
    pub fn start(name: &str, python: bool, args: &[&str]) -> Option<Live> {
        let mut command = if python {
            twin_command(&format!("{name}.py"))?
        } else {
            Command::new(example_path(name))
        };
        command.args(args);
        Some(Live::start_command(command))
    }

    /// Starts `command` (its stdin empty, its stdout and stderr read line by line), marked.
    pub fn start_command(mut command: Command) -> Live {
        use std::io::BufRead;
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let n = RUNS.fetch_add(1, Ordering::SeqCst);
        let mark = format!("{}-live-{n}", std::process::id());
        let mut child = command
            .env(MARK, &mark)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let lines = |pipe: Box<dyn std::io::Read + Send>| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let stdout = lines(Box::new(child.stdout.take().unwrap()));
        let stderr = lines(Box::new(child.stderr.take().unwrap()));
        Live {
            child,
            mark,
            stdout,
            stderr,
        }
    }

    /// The next line on stdout (within the tests' timeout).
    pub fn line(&self) -> String {
        self.stdout
            .recv_timeout(TIMEOUT)
            .expect("the program printed no further line in time")
    }

    /// The next line on stdout if one comes within `patience`.
    #[allow(dead_code)] // used by a Linux-only test
    pub fn line_within(&self, patience: Duration) -> Option<String> {
        self.stdout.recv_timeout(patience).ok()
    }

    /// Skips stderr lines until one contains `text`.
    #[allow(dead_code)] // used by the Linux-only accept tests
    pub fn stderr_until(&self, text: &str) -> String {
        loop {
            let line = self
                .stderr
                .recv_timeout(TIMEOUT)
                .unwrap_or_else(|_| panic!("nothing with {text:?} on stderr in time"));
            if line.contains(text) {
                return line;
            }
        }
    }

    /// The address the server printed first ("listening on ADDR"): it prints it once its
    /// signal handlers are in place.
    pub fn address(&self) -> std::net::SocketAddr {
        let line = self.line();
        let addr = line.strip_prefix("listening on ").expect("the first line");
        addr.parse().unwrap()
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {name} failed");
    }

    /// Waits for the end: its exit status and the rest of its stdout, each within the tests'
    /// timeout (past it, the test fails and the drop kills the program).
    pub fn finish(mut self) -> (ExitStatus, Vec<String>) {
        let mut rest = Vec::new();
        while let Ok(line) = self.stdout.recv_timeout(TIMEOUT) {
            rest.push(line); // ends when the program closes its stdout, at its exit
        }
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the program") {
                return (status, rest);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the program did not end in time: {rest:#?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[cfg(unix)]
impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        procs::kill_marked(MARK, &self.mark);
    }
}
