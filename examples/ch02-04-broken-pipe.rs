use std::env;
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::process::{Command, Stdio};

const LINES: u64 = 100_000; // many times what a pipe holds

/// Prints numbered lines with `println!`, which panics once nobody reads.
fn careless() {
    for n in 1..=LINES {
        println!("line {n}");
    }
}

/// Writes the same lines, and stops quietly when the reader has gone.
fn careful() -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    for n in 1..=LINES {
        match writeln!(stdout, "line {n}") {
            Ok(()) => {}
            // Nobody reads any more: done.
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(e), // any other error is a real one
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    match env::args().nth(1).as_deref() {
        Some("careless") => {
            careless();
            return Ok(());
        }
        Some("careful") => return careful(),
        _ => {}
    }

    let me = env::current_exe()?;
    for role in ["careless", "careful"] {
        let mut worker = Command::new(&me)
            .arg(role)
            .env("RUST_BACKTRACE", "0") // keep a panic's report short
            .stdout(Stdio::piped())
            .spawn()?;
        let reader = BufReader::new(worker.stdout.take().expect("piped"));
        let first = reader.lines().take(3).collect::<io::Result<Vec<_>>>()?;
        // `reader` is gone now: the pipe has no reading end left.
        let status = worker.wait()?;
        let read = format!("read {first:?}, then stopped reading");
        println!("{role:<8}: {read}; the worker ended: {status}");
    }
    Ok(())
}
