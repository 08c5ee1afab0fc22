use std::{io, process::ExitCode, time::Duration};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
#[cfg(unix)]
use tokio::signal::unix::{SignalKind, signal};
use tokio::time::{Instant, sleep, sleep_until, timeout};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

/// Echoes each line back, until the client leaves or the server says stop.
async fn connection(
    stream: TcpStream,
    stop: CancellationToken,
) -> io::Result<()> {
    let mut lines = BufReader::new(stream).lines();
    loop {
        let line = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            line = lines.next_line() => line?,
        };
        let Some(line) = line else { return Ok(()) };
        let reply = format!("echo: {line}\n");
        lines.get_mut().write_all(reply.as_bytes()).await?;
    }
    lines.get_mut().write_all(b"bye: shutting down\n").await
}

#[tokio::main]
async fn main() -> ExitCode {
    // From here on, Ctrl-C (SIGINT) and SIGTERM no longer end the process:
    // each is an event that these two receivers report.
    #[cfg(unix)]
    let (mut ctrl_c, mut sigterm) = (
        signal(SignalKind::interrupt()).unwrap(),
        signal(SignalKind::terminate()).unwrap(),
    );
    // Windows has no SIGTERM: there, `sigterm` reports the console window
    // closing, and Windows ends the process a few seconds later anyway.
    #[cfg(windows)]
    let (mut ctrl_c, mut sigterm) = {
        use tokio::signal::windows::{ctrl_c, ctrl_close};
        (ctrl_c().unwrap(), ctrl_close().unwrap())
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
    // `serve` waits for a signal; without it, the demo stops after 1 s.
    let serve = std::env::args().any(|arg| arg == "serve");
    let demo_end = Instant::now() + Duration::from_secs(1);
    let (stop, tasks) = (CancellationToken::new(), TaskTracker::new());
    let why = loop {
        let accepted = tokio::select! {
            _ = ctrl_c.recv() => break "Ctrl-C",
            _ = sigterm.recv() => break "SIGTERM",
            () = sleep_until(demo_end), if !serve => break "1 s passed",
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                tasks.spawn(connection(stream, stop.clone()));
            }
            Err(e) => {
                eprintln!("accept: {e}; trying again in 100 ms");
                sleep(Duration::from_millis(100)).await;
            }
        }
    };
    drop(listener); // new clients are refused from here on
    println!("{why}: stopping {} open connection(s)", tasks.len());
    stop.cancel();
    tasks.close();
    println!("(press Ctrl-C to stop at once)");
    tokio::select! {
        done = timeout(Duration::from_secs(10), tasks.wait()) => {
            println!("every connection closed in time: {}", done.is_ok());
            ExitCode::SUCCESS
        }
        _ = ctrl_c.recv() => {
            println!("Ctrl-C again: exiting now");
            ExitCode::from(130) // what a shell shows for a Ctrl-C
        }
    }
}
