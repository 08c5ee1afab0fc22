//! `cargo xtask stress [--runs N]`

use anyhow::Result;

/// Run every test binary (examples, runner, exercises' solutions) N times on one CPU, then N
/// times on one busy CPU
#[derive(clap::Args)]
pub struct Args {
    /// Rounds in each of the two conditions
    #[arg(long, value_name = "N", default_value_t = 100)]
    runs: usize,
}

pub fn execute(args: Args) -> Result<()> {
    crate::stress::stress(args.runs).map(|_| ())
}
