//! `cargo xtask serve [--open] [--port N]`: the book with its local runner, and
//! `cargo xtask runner-bench`.
//!
//! The runner (`runner/`, package `course-runner`) is built in the default target folder, never
//! in `target/book` (which holds exactly one build of the crates the examples use). It listens
//! on 127.0.0.1 on a port of its own and lets in only the book's page, which learns the secret
//! and the runner's port from the address printed here.

use std::io::{BufRead, BufReader, IsTerminal};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{cargo, describe, dies_with_us, mdbook, run};
use crate::{BOOK_TARGET, tools};

/// Build the examples, then build and serve the book on http://127.0.0.1:3000 with the local
/// runner (prints the address with its secret)
#[derive(clap::Args)]
pub struct Args {
    /// Open the book in a browser
    #[arg(long)]
    open: bool,
    /// Serve on this port instead of 3000
    #[arg(long, value_name = "N", default_value_t = 3000)]
    port: u16,
    /// The runner's own options, its bounds (`-- --memory-mib 2048`; see
    /// `target/debug/course-runner --help`)
    #[arg(last = true, value_name = "RUNNER_OPTIONS")]
    runner: Vec<String>,
}

/// How quickly the local runner answers (figures, not assertions)
#[derive(clap::Args)]
pub struct BenchArgs {}

/// The runner's binary, built (debug: it only starts programs) if needed.
fn build_runner() -> Result<PathBuf> {
    run(cargo().args(["build", "--quiet", "--package", "course-runner"]))?;
    Ok(Path::new("target/debug").join(format!("course-runner{}", std::env::consts::EXE_SUFFIX)))
}

/// Starts the runner for a book served on `book_port`; returns it, its run address and secret.
fn start_runner(book_port: u16, options: &[String]) -> Result<(Child, String, String)> {
    let binary = build_runner()?;
    let mut cmd = Command::new(&binary);
    dies_with_us(&mut cmd);
    let mut child = cmd
        .args(["--root", ".", "--book-port", &book_port.to_string()])
        .args(options)
        // The runner ends when this pipe closes, that is when xtask ends, however it ends.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .context("the runner said nothing")?;
    // `runner: http://127.0.0.1:PORT2/api/run token=SECRET`
    let mut words = line.split_whitespace().skip(1);
    match (
        words.next(),
        words.next().and_then(|t| t.strip_prefix("token=")),
    ) {
        (Some(url), Some(token)) => Ok((child, url.to_string(), token.to_string())),
        _ => {
            let _ = child.kill();
            bail!("the runner did not start: {line:?}")
        }
    }
}

/// The signals that end `serve` (Unix: SIGHUP, SIGINT, SIGQUIT, SIGTERM), by name, as they come.
fn ending_signals() -> Result<mpsc::Receiver<&'static str>> {
    let (tx, rx) = mpsc::channel();
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGINT, SIGQUIT, SIGTERM])
            .context("cannot handle signals")?;
        std::thread::spawn(move || {
            for signal in signals.forever() {
                let name = match signal {
                    SIGHUP => "SIGHUP",
                    SIGINT => "SIGINT",
                    SIGQUIT => "SIGQUIT",
                    _ => "SIGTERM",
                };
                if tx.send(name).is_err() {
                    return;
                }
            }
        });
    }
    #[cfg(not(unix))]
    std::mem::forget(tx); // Ctrl-C ends xtask, and mdbook and the runner with it
    Ok(rx)
}

pub fn execute(args: Args) -> Result<()> {
    let book_port = args.port;
    let path = tools::ensure_all()?;
    // Not `build_book`: `mdbook serve` builds the book itself before it listens, and a
    // `mdbook build` first would make the reader wait for the book (every listing run) twice.
    super::build::prepare_book()?;
    // From here on, a signal ends mdbook and the runner with xtask.
    let signals = ending_signals()?;
    let (mut runner, run_url, token) = start_runner(book_port, &args.runner)?;
    let runner_port = run_url
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .unwrap_or("");
    let book_url = format!("http://127.0.0.1:{book_port}/?token={token}&runner={runner_port}");
    // The secret lets its holder run code as you: shown on a terminal only, never in a log
    // that others may read.
    let page = opener_page(Path::new("target/runner"), &book_url)?;
    println!("xtask: the book, with Run buttons that run the listings on this machine:");
    if std::io::stdout().is_terminal() {
        println!("{book_url}");
    } else {
        println!(
            "open {} (readable by you only: it holds the secret)",
            page.display()
        );
    }
    println!("runner: {run_url}");
    eprintln!(
        "xtask: after changing an example, run `cargo build --release --examples \
         --target-dir {BOOK_TARGET}` so its output on the page follows"
    );
    if args.open {
        // Not the address itself: a browser's command line is readable by every user of the
        // machine (`/proc/PID/cmdline`), and the secret lets its holder run code as you.
        open_when_listening(book_port, page);
    }
    let mut book = mdbook(&path);
    book.args([
        "serve",
        "--hostname",
        "127.0.0.1",
        "--port",
        &book_port.to_string(),
    ]);
    dies_with_us(&mut book);
    eprintln!("$ {}", describe(&book));
    let spawned = book
        .spawn()
        .with_context(|| format!("cannot run `{}`", describe(&book)));
    let result = match spawned {
        Ok(mut book) => {
            let result = watch(&mut book, &mut runner, &signals);
            stop(&mut book);
            result
        }
        Err(e) => Err(e),
    };
    // Its stdin closes with this: it ends every run, then itself.
    drop(runner.stdin.take());
    stop(&mut runner);
    result
}

/// Waits until a signal comes (then Ok), or mdbook or the runner ends (then an error that says
/// which: the other one is of no use alone).
fn watch(book: &mut Child, runner: &mut Child, signals: &mpsc::Receiver<&str>) -> Result<()> {
    let ended = |status: ExitStatus| match status.code() {
        Some(code) => format!("exit status {code}"),
        None => format!("{status}"),
    };
    loop {
        match signals.recv_timeout(Duration::from_millis(200)) {
            Ok(name) => {
                eprintln!("xtask: {name}: stopping mdbook and the runner");
                return Ok(());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("signal handling stopped"),
        }
        if let Some(status) = book.try_wait()? {
            bail!(
                "mdbook ended ({}): the runner is stopped too",
                ended(status)
            );
        }
        if let Some(status) = runner.try_wait()? {
            bail!(
                "the runner ended ({}): mdbook is stopped too, since its Run buttons would no \
                 longer work",
                ended(status)
            );
        }
    }
}

/// Ends a child: SIGTERM (Unix), then SIGKILL if it is still there 5 s later; reaps it.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Writes `dir/open.html`, readable by its owner only, which sends the browser on to `url` (the
/// book's address with its secret): the browser is started with this file's path, which names
/// no secret.
fn opener_page(dir: &Path, url: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("open.html");
    let _ = std::fs::remove_file(&path); // a new file, so that it gets the mode below
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // `url` is ours: digits, hex and fixed text, nothing to escape.
    let page = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>The book</title>\
         <script>location.replace({url:?});</script><a href={url:?}>Open the book</a>\n"
    );
    std::io::Write::write_all(&mut file, page.as_bytes())?;
    Ok(std::path::absolute(&path)?)
}

/// Opens the book (through `page`, which holds its secret) in the reader's browser once mdbook
/// listens.
fn open_when_listening(port: u16, page: PathBuf) {
    std::thread::spawn(move || {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if start.elapsed() > Duration::from_secs(60) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        if Command::new(opener).arg(&page).status().is_err() {
            eprintln!("xtask: open {} in your browser", page.display());
        }
    });
}

/// `cargo xtask runner-bench`: the runner's bench target (`runner/benches/answers.rs`), built
/// with the dev profile as `cargo xtask serve` builds the runner.
pub fn bench(_: BenchArgs) -> Result<()> {
    super::build::build_examples()?;
    let root = std::path::absolute(".").context("cannot name the project root")?;
    run(cargo()
        .args([
            "bench",
            "--quiet",
            "--profile",
            "dev",
            "--package",
            "course-runner",
        ])
        .args(["--bench", "answers", "--", "--root"])
        .arg(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_is_given_a_private_page_not_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let token = "ab".repeat(32);
        let url = format!("http://127.0.0.1:3000/?token={token}&runner=4000");
        let page = opener_page(dir.path(), &url).unwrap();
        assert!(
            !page.to_string_lossy().contains(&token),
            "{}",
            page.display()
        );
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(
            text.contains(&format!("location.replace(\"{url}\")")),
            "{text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&page).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        // Again: a new page, still private.
        let page = opener_page(dir.path(), &url).unwrap();
        assert!(std::fs::read_to_string(page).unwrap().contains(&token));
    }
}
