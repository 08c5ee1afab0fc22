use std::env;
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::process::{Command, Stdio};

/// Prints numbered lines for ever with `println!`, which panics once nobody reads them.
fn careless() -> io::Result<()> {
    for n in 1u64.. {
        println!("line {n}");
    }
    Ok(())
}

/// Writes the same lines, and stops quietly when the reader has gone.
fn careful() -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    for n in 1u64.. {
        match writeln!(stdout, "line {n}") {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()), // nobody reads: done
            Err(e) => return Err(e), // any other error is a real one
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    match env::args().nth(1).as_deref() {
        Some("careless") => return careless(),
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
        let first: Vec<String> = reader.lines().take(3).collect::<io::Result<_>>()?;
        // `reader` is gone now: the pipe has no reading end left.
        let status = worker.wait()?;
        println!("{role:<8}: read {first:?}, then stopped reading; the worker ended: {status}");
    }
    Ok(())
}
