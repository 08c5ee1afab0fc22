//! course-diagrams downloads
//!
//! Runs the two download listings of chapter 1, prebuilt beside this binary (in
//! `target/book/release/examples/`, where `cargo xtask build` puts them), and prints, as SVG,
//! the timeline drawn from the times they printed. A page shows it with
//! `<!-- cmdrun --strict ../target/book/release/course-diagrams downloads -->`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use course_diagrams::downloads;

fn run_example(name: &str) -> Result<downloads::Run, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().map(PathBuf::from).unwrap_or_default();
    let path = dir.join("examples").join(name);
    let out = Command::new(&path)
        .output()
        .map_err(|e| format!("{}: {e} (build the examples first)", path.display()))?;
    if !out.status.success() {
        return Err(format!("{name} failed: {}", out.status));
    }
    downloads::parse(&String::from_utf8_lossy(&out.stdout)).map_err(|e| format!("{name}: {e}"))
}

fn main() -> ExitCode {
    let what = std::env::args().nth(1);
    if what.as_deref() != Some("downloads") {
        eprintln!("usage: course-diagrams downloads");
        return ExitCode::from(2);
    }
    match (
        run_example("ch01-01-blocking"),
        run_example("ch01-03-event-loop"),
    ) {
        (Ok(blocking), Ok(event_loop)) => {
            print!("{}", downloads::draw(&blocking, &event_loop));
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("course-diagrams: {e}");
            ExitCode::FAILURE
        }
    }
}
