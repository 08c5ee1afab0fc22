//! The runner's configuration: where things are, who may ask, and the limits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{contain, guard, run};

/// The bounds every run is held to.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Wall-clock limit of a program's run; it is stopped (its whole process group) after it.
    pub run_timeout: Duration,
    /// Wall-clock limit of compiling edited code.
    pub compile_timeout: Duration,
    /// The most a run may print (stdout and stderr together), in bytes; then it is stopped.
    pub output_cap: usize,
    /// How many runs (compiles included) may go on at once.
    pub max_runs: usize,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// The memory a run may use (its heap and private writable mappings: `RLIMIT_DATA`), in
    /// MiB; each process of the run is held to it.
    pub memory_mib: u64,
    /// The same for rustc compiling edited code.
    pub compile_memory_mib: u64,
    /// The largest file a run (or rustc) may write, in MiB.
    pub file_mib: u64,
    /// How many processes and threads a run (or rustc) may start, beyond those this user has
    /// when it starts (`RLIMIT_NPROC` counts all of the user's).
    pub processes: u64,
    /// How long a client may take to send a request's headers (or stay idle between two
    /// requests) before its connection is closed.
    pub header_timeout: Duration,
    /// How many connections may be open at once: one more is closed at once.
    pub max_connections: usize,
    /// The CPU time each process of a run may use, in seconds.
    pub cpu_secs: u64,
    /// The same for rustc.
    pub compile_cpu_secs: u64,
}

impl Limits {
    /// The resource limits of a run's processes.
    pub fn run_bounds(&self) -> contain::Bounds {
        contain::Bounds {
            data: Some(self.memory_mib << 20),
            file_size: Some(self.file_mib << 20),
            processes: Some(self.processes),
            cpu_secs: Some(self.cpu_secs),
        }
    }

    /// The resource limits of rustc compiling edited code.
    pub fn compile_bounds(&self) -> contain::Bounds {
        contain::Bounds {
            data: Some(self.compile_memory_mib << 20),
            cpu_secs: Some(self.compile_cpu_secs),
            ..self.run_bounds()
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            run_timeout: Duration::from_secs(10),
            compile_timeout: Duration::from_secs(60),
            output_cap: 128 * 1024,
            max_runs: 3,
            max_body: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            max_connections: 64,
            memory_mib: 1024,
            compile_memory_mib: 2048,
            file_mib: 64,
            processes: 256,
            cpu_secs: 20,
            compile_cpu_secs: 120,
        }
    }
}

/// Where things are, who may ask, and the limits.
#[derive(Clone, Debug)]
pub struct Config {
    /// The project root: `examples/*.rs` and `examples/python/*.py` live below it, and the
    /// programs run in it.
    pub root: PathBuf,
    /// The examples as built for the book (`target/book/release/examples`).
    pub bin_dir: PathBuf,
    /// Their dependencies' rlibs (`target/book/release/deps`), for compiling edited code.
    pub deps_dir: PathBuf,
    /// Where edited code is compiled (`target/runner`): never the source tree.
    pub scratch_dir: PathBuf,
    /// The origins of the book's pages (`http://127.0.0.1:3000`): the only ones let in.
    pub book_origins: Vec<String>,
    /// The per-run secret the page sends in `X-Course-Token`.
    pub token: String,
    /// The Python interpreter for the twins, or `None` when there is none.
    pub python: Option<String>,
    pub limits: Limits,
}

impl Config {
    /// The configuration for a project root, with the book's folders under `target/`, a fresh
    /// secret, and `python3` when this machine has it.
    pub fn for_project(root: &Path, book_origins: Vec<String>) -> Config {
        Config {
            root: root.to_path_buf(),
            bin_dir: root.join(course_book::layout::EXAMPLES_DIR),
            deps_dir: root.join(course_book::layout::DEPS_DIR),
            scratch_dir: root.join("target/runner"),
            book_origins,
            token: guard::new_token(),
            python: run::find_python(),
            limits: Limits::default(),
        }
    }
}
