//! `cargo xtask stress [--runs N] [--resume]`

use std::path::Path;

use anyhow::Result;

use crate::stress::{Record, stress};

/// Run every test binary (examples, runner, exercises' solutions) N times on one CPU and N
/// times on one busy CPU
#[derive(clap::Args)]
pub struct Args {
    /// Rounds (each runs every binary in both conditions)
    #[arg(long, value_name = "N", default_value_t = 100)]
    runs: usize,
    /// Continue the last stress run, when it ran on this same commit (and toolchain): its
    /// rounds and findings count towards N
    #[arg(long)]
    resume: bool,
}

pub fn execute(args: Args) -> Result<()> {
    let record = Record {
        path: Path::new("target/stress/progress.json"),
        resume: args.resume,
    };
    stress(args.runs, Some(record))
}
