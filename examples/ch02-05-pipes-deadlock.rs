use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use std::{env, thread};

// 2 MiB: more than a pipe holds (16 pages by default on Linux: 64 KiB
// with 4 KiB pages, 256 KiB with 16 KiB pages, 1 MiB with 64 KiB ones).
const STDERR_BYTES: usize = 2 << 20;
const DEADLINE: Duration = Duration::from_millis(300);

/// The worker: a lot on stderr first, then one line on stdout.
fn worker() -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    for _ in 0..STDERR_BYTES / 1024 {
        stderr.write_all(&[b'.'; 1024])?;
    }
    println!("the answer is 42");
    Ok(())
}

fn worker_command() -> io::Result<Command> {
    let mut command = Command::new(env::current_exe()?);
    command.arg("worker");
    Ok(command)
}

fn start(stderr: Stdio) -> io::Result<Child> {
    worker_command()?
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
}

fn report(how: &str, stdout: &[u8], stderr_bytes: usize) {
    let text = String::from_utf8_lossy(stdout);
    println!("{how}: {:?}, stderr {stderr_bytes} bytes", text.trim_end());
}

fn main() -> io::Result<()> {
    if env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    // 1. stdout to the end, then stderr: a reading thread, so that
    // main can give up after DEADLINE.
    let mut child = start(Stdio::piped())?;
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let (done, finished) = mpsc::channel();
    let reader = thread::spawn(move || {
        let (mut o, mut e) = (Vec::new(), Vec::new());
        out.read_to_end(&mut o).and(err.read_to_end(&mut e))?;
        done.send(()).ok(); // if main gave up waiting, nobody reads it
        io::Result::Ok(o)
    });
    match finished.recv_timeout(DEADLINE) {
        Err(RecvTimeoutError::Timeout) => {
            child.kill()?;
            child.wait()?;
            let ms = DEADLINE.as_millis();
            println!("deadlocked: killed the child after {ms} ms");
        }
        Ok(()) => println!("no deadlock: the pipe held it all"),
        // The reader failed: join passes its error on, below.
        Err(RecvTimeoutError::Disconnected) => {}
    }
    // The kill closed the child's ends: the reader sees the end.
    let o = reader.join().expect("reader panicked")?;
    println!("  stdout read before the kill: {} bytes", o.len());

    // 2. output() pipes both, and std reads both at once.
    let output = worker_command()?.output()?;
    report("fix 1, output()", &output.stdout, output.stderr.len());

    // 3. One thread per pipe: stderr on a thread, stdout here.
    let mut child = start(Stdio::piped())?;
    let mut err = child.stderr.take().expect("piped");
    let errors = thread::spawn(move || {
        let mut e = Vec::new();
        err.read_to_end(&mut e).map(|_| e)
    });
    let mut o = Vec::new();
    child.stdout.take().expect("piped").read_to_end(&mut o)?;
    let e = errors.join().expect("stderr reader panicked")?;
    child.wait()?;
    report("fix 2, a thread per pipe", &o, e.len());

    // 4. stderr into a file: only one pipe is left to read.
    let name = format!("ch02-05-stderr-{}", std::process::id());
    let path = env::temp_dir().join(name);
    let mut child = start(Stdio::from(File::create(&path)?))?;
    let mut o = Vec::new();
    child.stdout.take().expect("piped").read_to_end(&mut o)?;
    child.wait()?;
    let size = fs::metadata(&path)?.len() as usize;
    fs::remove_file(&path)?;
    report("fix 3, stderr to a file", &o, size);
    Ok(())
}
