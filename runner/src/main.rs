//! `course-runner`: the runner as a program, started by `cargo xtask serve`.
//!
//! ```text
//! course-runner --root DIR --book-port PORT [--port PORT2]
//! course-runner bench --root DIR
//! ```
//!
//! It prints one line, `runner: http://127.0.0.1:PORT2/api/run token=SECRET`, then serves
//! until its standard input closes (the xtask that started it has ended) or it is told to
//! stop; then it ends every run going on.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let result = if args.first().map(String::as_str) == Some("bench") {
        runtime.block_on(course_runner::bench::main(&args[1..]))
    } else {
        runtime.block_on(serve(&args))
    };
    match result {
        // Nothing left to wait for (a thread may still be blocked reading stdin).
        Ok(()) => std::process::exit(0),
        Err(err) => {
            eprintln!("course-runner: {err}");
            std::process::exit(2);
        }
    }
}

const USAGE: &str =
    "usage: course-runner --root DIR --book-port PORT [--port PORT2] | bench --root DIR";

async fn serve(args: &[String]) -> Result<(), String> {
    let mut root = None;
    let mut book_port = None;
    let mut port = 0u16;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or(USAGE.to_string());
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value()?)),
            "--book-port" => book_port = Some(value()?.parse::<u16>().map_err(|e| e.to_string())?),
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|e: std::num::ParseIntError| e.to_string())?
            }
            _ => return Err(USAGE.into()),
        }
    }
    let (Some(root), Some(book_port)) = (root, book_port) else {
        return Err(USAGE.into());
    };
    let origins = vec![
        format!("http://127.0.0.1:{book_port}"),
        format!("http://localhost:{book_port}"),
    ];
    let config = course_runner::Config::for_project(&root, origins);
    // Every child of this process is a run: the orphans of ended runs come here to be ended,
    // even those that left their process group and dropped their mark.
    course_runner::run::adopt_orphans();
    let server = course_runner::start(config, port)
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("runner: {} token={}", server.run_url(), server.token);

    // Serve until stdin closes or a signal comes, then end every run going on.
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = stdin_closed => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    server.shutdown();
    Ok(())
}
