//! `course-runner`: the runner as a program, started by `cargo xtask serve`.
//!
//! ```text
//! course-runner --root DIR --book-port PORT [--port PORT2] [limits: see --help]
//! ```
//!
//! It prints one line, `runner: http://127.0.0.1:PORT2/api/run token=SECRET`, then serves
//! until its standard input closes (the xtask that started it has ended) or a signal tells it
//! to stop (SIGHUP, SIGINT, SIGQUIT, SIGTERM); then it ends every run going on. Killed
//! outright (SIGKILL), its watchdog ends the runs.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// The local runner behind the Run buttons of the book served by `cargo xtask serve`.
#[derive(Parser)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Sub {
    /// (internal) Ends the runs of the runner whose marks start with PREFIX once that runner
    /// has ended (its standard input closes)
    #[command(hide = true)]
    Watchdog { prefix: String },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The project root (examples/ and target/book/ below it)
    #[arg(long)]
    root: Option<PathBuf>,
    /// The port of the book's pages (the only origin let in)
    #[arg(long)]
    book_port: Option<u16>,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Wall-clock seconds a run may take
    #[arg(long, default_value_t = course_runner::Limits::default().run_timeout.as_secs())]
    timeout_secs: u64,
    /// Seconds a client may take to send a request's headers (or stay idle between requests)
    #[arg(long, default_value_t = course_runner::Limits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Connections open at once (one more is closed at once)
    #[arg(long, default_value_t = course_runner::Limits::default().max_connections)]
    max_connections: usize,
    /// Memory each process of a run may use, in MiB (heap and private mappings: RLIMIT_DATA)
    #[arg(long, default_value_t = course_runner::Limits::default().memory_mib)]
    memory_mib: u64,
    /// Memory rustc may use compiling edited code, in MiB
    #[arg(long, default_value_t = course_runner::Limits::default().compile_memory_mib)]
    compile_memory_mib: u64,
    /// The largest file a run or rustc may write, in MiB
    #[arg(long, default_value_t = course_runner::Limits::default().file_mib)]
    file_mib: u64,
    /// Processes and threads a run may start (beyond those you have when it starts)
    #[arg(long, default_value_t = course_runner::Limits::default().processes)]
    processes: u64,
    /// CPU seconds each process of a run may use
    #[arg(long, default_value_t = course_runner::Limits::default().cpu_secs)]
    cpu_secs: u64,
    /// CPU seconds rustc may use
    #[arg(long, default_value_t = course_runner::Limits::default().compile_cpu_secs)]
    compile_cpu_secs: u64,
}

impl ServeArgs {
    fn limits(&self) -> course_runner::Limits {
        course_runner::Limits {
            run_timeout: Duration::from_secs(self.timeout_secs),
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            max_connections: self.max_connections,
            memory_mib: self.memory_mib,
            compile_memory_mib: self.compile_memory_mib,
            file_mib: self.file_mib,
            processes: self.processes,
            cpu_secs: self.cpu_secs,
            compile_cpu_secs: self.compile_cpu_secs,
            ..course_runner::Limits::default()
        }
    }
}

fn main() {
    let cli = Cli::parse();
    if let Some(Sub::Watchdog { prefix }) = &cli.command {
        course_runner::contain::watchdog_main(prefix);
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(serve(cli.serve)) {
        // Nothing left to wait for (a thread may still be blocked reading stdin).
        Ok(()) => std::process::exit(0),
        Err(err) => {
            eprintln!("course-runner: {err}");
            std::process::exit(2);
        }
    }
}

/// Resolves when one of the signals that end the runner comes (Unix), or Ctrl-C (elsewhere).
async fn ending_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            (SignalKind::hangup(), "SIGHUP"),
            (SignalKind::interrupt(), "SIGINT"),
            (SignalKind::quit(), "SIGQUIT"),
            (SignalKind::terminate(), "SIGTERM"),
        ];
        let mut streams = Vec::new();
        for (kind, name) in kinds {
            match signal(kind) {
                Ok(stream) => streams.push((stream, name)),
                Err(e) => eprintln!("course-runner: cannot handle {name}: {e}"),
            }
        }
        let waits = streams.iter_mut().map(|(stream, name)| {
            Box::pin(async move {
                stream.recv().await;
                *name
            })
        });
        futures_util::future::select_all(waits).await.0
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// Refuses a standard output that others may read (Unix): a file readable by its group or by
/// everyone. A terminal, a pipe (`cargo xtask serve` reads the line) or a private file is fine.
fn private_stdout() -> Result<(), String> {
    #[cfg(unix)]
    {
        use rustix::fs::{FileType, fstat};
        if let Ok(stat) = fstat(std::io::stdout())
            && FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile
            && stat.st_mode & 0o077 != 0
        {
            return Err(format!(
                "standard output is a file that others may read (mode {:o}), and the secret \
                 lets its holder run code as you: write to a pipe, or a file only you can read",
                stat.st_mode & 0o777
            ));
        }
    }
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    const USAGE: &str = "--root DIR and --book-port PORT are needed (see --help)";
    let (Some(root), Some(book_port)) = (args.root.clone(), args.book_port) else {
        return Err(USAGE.into());
    };
    private_stdout()?;
    // Handled from now on: a signal that comes while the runner starts waits for it to end.
    let signal = tokio::spawn(ending_signal());
    let root = std::fs::canonicalize(&root)
        .map_err(|e| format!("cannot find the project root {}: {e}", root.display()))?;
    let origins = vec![
        format!("http://127.0.0.1:{book_port}"),
        format!("http://localhost:{book_port}"),
    ];
    let mut config = course_runner::Config::for_project(&root, origins);
    config.limits = args.limits();
    course_runner::contain::raise_open_files();
    // Killed outright, the runner leaves its runs to the watchdog.
    if let Err(e) = course_runner::contain::start_watchdog() {
        eprintln!("course-runner: no watchdog ({e}): killed outright, runs would outlive it");
    }
    // Every child of this process is a run: the orphans of ended runs come here to be ended,
    // even those that left their process group and dropped their mark.
    course_runner::orphans::adopt();
    // What runs of a runner killed outright left.
    let scratch = config.scratch_dir.clone();
    course_runner::contain::remove_runs(&scratch, false);
    let port = args.port;
    let server = course_runner::start(config, port)
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("runner: {} token={}", server.run_url(), server.token);

    // Serve until stdin closes or a signal comes, then end every run going on.
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    tokio::select! {
        _ = stdin_closed => {}
        name = signal => {
            if let Ok(name) = name {
                eprintln!("course-runner: {name}: ending every run");
            }
        }
    }
    server.shutdown();
    course_runner::contain::remove_runs(&scratch, true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_option_means_the_default_limits() {
        let cli = Cli::parse_from(["course-runner", "--root", ".", "--book-port", "3000"]);
        let limits = cli.serve.limits();
        let default = course_runner::Limits::default();
        assert_eq!(format!("{limits:?}"), format!("{default:?}"));
    }
}
