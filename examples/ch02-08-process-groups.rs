// Unix only: a shell whose child (our grandchild) shares its stdout.
#[cfg(unix)]
use unix::main;
#[cfg(not(unix))]
fn main() {
    println!("Unix only: on Windows, a job object holds a tree.");
}

#[cfg(unix)]
mod unix {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use std::io::{self, BufRead, BufReader, Read};
    use std::os::unix::process::CommandExt;
    use std::process::{Child, ChildStdout, Command, Stdio};
    use std::{sync::mpsc, thread, time::Duration};

    const MS: u64 = 300;
    const DEADLINE: Duration = Duration::from_millis(MS);
    const SCRIPT: &str = "sleep 30 & echo grandchild started; wait";

    /// The shell, in a new process group, once the grandchild is started.
    fn start() -> io::Result<(Child, BufReader<ChildStdout>)> {
        let mut child = Command::new("sh")
            .args(["-c", SCRIPT])
            .stdout(Stdio::piped())
            .process_group(0)
            .spawn()?;
        let mut out = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        out.read_line(&mut line)?;
        print!("  {line}");
        Ok((child, out))
    }

    /// Reads stdout to its end on a thread; the receiver hears when.
    fn read_to_end(mut out: BufReader<ChildStdout>) -> mpsc::Receiver<()> {
        let (done, end) = mpsc::channel();
        thread::spawn(move || {
            out.read_to_end(&mut Vec::new()).ok();
            done.send(()).ok();
        });
        end
    }

    /// SIGKILL to every process in the group.
    fn kill_group(child: &Child) -> io::Result<()> {
        let pgid = Pid::from_raw(child.id() as i32);
        Ok(killpg(pgid, Signal::SIGKILL)?)
    }

    pub fn main() -> io::Result<()> {
        println!("child.kill(), the shell alone:");
        let (mut child, out) = start()?;
        child.kill()?;
        println!("  the shell ended: {}", child.wait()?);
        let end = read_to_end(out);
        if end.recv_timeout(DEADLINE).is_err() {
            println!("  stdout still open after {MS} ms");
        }
        kill_group(&child)?; // the grandchild is still in the group
        end.recv().expect("the reader reports");
        println!("  killpg() then: end of stdout");
        println!("killpg(), the whole group:");
        let (mut child, out) = start()?;
        kill_group(&child)?;
        println!("  the shell ended: {}", child.wait()?);
        if read_to_end(out).recv_timeout(DEADLINE).is_ok() {
            println!("  end of stdout within {MS} ms");
        }
        Ok(())
    }
}
