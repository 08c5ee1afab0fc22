//! Running other programs (cargo, mdbook, rustc): echoed, and failing with the command line.

use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use course_book::procs;

/// The variable that marks every process a step of `cargo xtask test` or `build` starts.
const MARK: &str = "COURSE_XTASK_RUN";

/// Runs a command, echoing it, and fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot run `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs a command like [`run`], its output going where ours goes, marked: it fails if it runs
/// past `limit` (then it is killed), and, once it has ended, whatever it started and left
/// running is killed and named (a program that `mdbook build` or `mdbook test` runs, say, and
/// whose straggler would hold their pipes open).
pub fn run_swept(cmd: &mut Command, limit: Duration) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let limit = course_book::patience(limit);
    let (status, left) = swept(cmd, limit)?;
    match status {
        None => bail!(
            "`{}` was still running after {limit:?}: killed (with {left:?})",
            describe(cmd)
        ),
        Some(status) if !status.success() => bail!("`{}` failed ({status})", describe(cmd)),
        Some(_) if !left.is_empty() => bail!(
            "`{}` left processes running (killed): {left:?}",
            describe(cmd)
        ),
        Some(_) => Ok(()),
    }
}

/// Runs `cmd` marked, with the output it was given (none of it read here, so nothing can keep
/// this waiting), for at most `limit` (then it is killed); then kills what it left running.
/// Returns its status (`None`: killed at the limit) and the processes it left.
pub fn swept(cmd: &mut Command, limit: Duration) -> Result<(Option<ExitStatus>, Vec<u32>)> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mark = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    );
    let mut child = cmd
        .env(MARK, &mark)
        .spawn()
        .with_context(|| format!("cannot run `{}`", describe(cmd)))?;
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Ok((status, procs::kill_marked(MARK, &mark)))
}

/// The command line, for messages.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cargo that runs this xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// mdbook, found first on `path` (where [`crate::tools::ensure_all`] put the pinned tools).
pub fn mdbook(path: &std::ffi::OsStr) -> Command {
    let mut cmd = Command::new("mdbook");
    cmd.env("PATH", path);
    // The output blocks that show stderr (a panic message) must not depend on the shell's
    // RUST_BACKTRACE: with it set, each panic would add a backtrace to the page.
    cmd.env("RUST_BACKTRACE", "0");
    cmd
}

/// Whether `program --version` runs and exits with 0.
pub fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Sets up `cmd` so that its process gets SIGTERM when this one ends, however it ends (Linux:
/// `PR_SET_PDEATHSIG`, set from the main thread, which lives as long as xtask; then a check
/// that xtask did not end before that).
pub fn dies_with_us(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Signal, getppid, set_parent_process_death_signal};
        let me = std::process::id();
        let setup = move || -> std::io::Result<()> {
            set_parent_process_death_signal(Some(Signal::TERM))?;
            if getppid().map(|p| p.as_raw_nonzero().get() as u32) != Some(me) {
                return Err(std::io::Error::other("xtask has ended"));
            }
            Ok(())
        };
        // SAFETY: between fork and exec, `setup` makes two system calls through rustix (no
        // allocation, no lock), which is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(cmd, setup);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_swept_run_names_what_it_left_and_what_ran_too_long() {
        let shell = |script: &str| {
            let mut cmd = Command::new("sh");
            cmd.args(["-c", script]).stdout(std::process::Stdio::null());
            cmd
        };
        run_swept(&mut shell("true"), Duration::from_secs(60)).unwrap();
        let e = run_swept(&mut shell("sleep 600 & exit 0"), Duration::from_secs(60)).unwrap_err();
        assert!(e.to_string().contains("left processes running"), "{e}");
        let e = run_swept(&mut shell("exit 3"), Duration::from_secs(60)).unwrap_err();
        assert!(e.to_string().contains("failed"), "{e}");
        let e = run_swept(&mut shell("sleep 600"), Duration::from_millis(200)).unwrap_err();
        assert!(e.to_string().contains("still running after"), "{e}");
    }
}
