// Unix only: how a signal shows in an exit status, with and without
// a shell in between.
#[cfg(unix)]
use unix::main;
#[cfg(not(unix))]
fn main() {
    println!("Unix only: Windows has exit codes, no signals.");
}

#[cfg(unix)]
mod unix {
    use nix::sys::resource::{Resource, setrlimit};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, ExitStatus, Stdio};
    use std::{env, io};

    fn show(what: &str, status: ExitStatus) {
        let (code, signal) = (status.code(), status.signal());
        println!("{what:<34} code {code:?}, signal {signal:?}");
    }

    /// `sh -c SCRIPT`, without the shell's "Killed" on stderr.
    fn sh(script: &str) -> io::Result<ExitStatus> {
        let mut sh = Command::new("sh");
        sh.args(["-c", script]).stderr(Stdio::null()).status()
    }

    pub fn main() -> io::Result<()> {
        if env::args().nth(1).as_deref() == Some("abort") {
            // No core file for this process (see the page).
            setrlimit(Resource::RLIMIT_CORE, 0, 0)?;
            std::process::abort(); // raises SIGABRT, signal 6
        }
        let mut sleep = Command::new("sleep").arg("5").spawn()?;
        sleep.kill()?;
        show("sleep 5, then kill()", sleep.wait()?);
        show("sh -c 'kill -9 $$'", sh("kill -9 $$")?);
        let script = "sleep 5 & kill -9 $!; wait $!";
        show("sh -c 'sleep 5 & kill -9 $!; ...'", sh(script)?);
        let script = r#"sh -c "kill -9 \$\$""#;
        show(r#"sh -c 'sh -c "kill -9 \$\$"'"#, sh(script)?);

        let me = env::current_exe()?;
        let aborted = Command::new(me).arg("abort").status()?;
        show("abort()", aborted);
        println!("core dumped: {}", aborted.core_dumped());
        Ok(())
    }
}
