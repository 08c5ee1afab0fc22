//! What the tests of the fan-out share: the time limit, the worker programs, and the check that
//! no worker process is left behind.

#![allow(dead_code)] // each test file uses its own share of these

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Duration;

pub const LIMIT: Duration = Duration::from_secs(10);

/// The real worker program, `src/bin/worker.rs`, as cargo built it.
pub const WORKER: &str = env!("CARGO_BIN_EXE_worker");

/// The folder of this test program's script workers, and of the files they leave; [`within`]
/// removes it after each test.
pub fn scratch() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| std::env::temp_dir().join(format!("fan-out-test-{}", std::process::id())))
        .clone()
}

/// A worker that is a shell script: `body` after a `#!/bin/sh` line. Unix only: it needs a
/// shell, and Unix permissions to make the file executable.
#[cfg(unix)]
pub fn script(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("write a script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A child process of this test program: its id, and whether it has exited (a zombie, never
/// waited for) or is still running.
pub struct Child {
    pub pid: u32,
    pub zombie: bool,
}

/// The processes whose parent is this test program (Linux; elsewhere, none are seen), zombies
/// included: a child that exited but was never waited for is one.
pub fn children() -> Vec<Child> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `PID (NAME) STATE PPID ...`: the name may hold spaces, so split after its `)`.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(1) == Some(&me.as_str()) {
            let zombie = fields[0] == "Z";
            found.push(Child { pid, zombie });
        }
    }
    found
}

/// Runs `test` on a thread of its own, one test at a time (they count this program's child
/// processes), and fails if it panics, has not finished within [`LIMIT`] (then `function`, the
/// function under test, had not returned), or left a child process behind.
pub fn within(function: &str, test: impl FnOnce() + Send + 'static) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // Children from an earlier test that hung (killed, but never waited for) do not count.
    let before: Vec<u32> = children().into_iter().map(|child| child.pid).collect();
    let new_children = || -> Vec<Child> {
        let mut now = children();
        now.retain(|child| !before.contains(&child.pid));
        now
    };
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    let outcome = finished.recv_timeout(LIMIT);
    if outcome == Err(RecvTimeoutError::Timeout) {
        // The test's thread goes on: take its scripts away, so that it cannot start more
        // workers while the next tests run.
        let _ = std::fs::remove_dir_all(scratch());
    }
    let left = new_children();
    for child in &left {
        let _ = std::process::Command::new("kill")
            .args(["-9", &child.pid.to_string()])
            .status();
    }
    // Each test writes its own scripts: leave nothing in the temporary folder.
    let _ = std::fs::remove_dir_all(scratch());
    match outcome {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("after {LIMIT:?}, `{function}` had not returned"),
        Err(RecvTimeoutError::Disconnected) => {
            // The test's own panic message has already been printed; pass its payload on.
            std::panic::resume_unwind(runner.join().expect_err("the test thread panicked"))
        }
    }
    if !left.is_empty() {
        let zombies = left.iter().filter(|child| child.zombie).count();
        panic!(
            "`{function}` returned, but left {} worker processes behind: {} still running, and \
             {zombies} exited but never waited for (zombies)",
            left.len(),
            left.len() - zombies,
        );
    }
}
