//! `cargo xtask check [NAME [--solution] | --all]`: the exercises (`exercises.rs`).

use std::path::Path;

use anyhow::{Result, bail};

use crate::exercises;

/// Run an exercise's tests: PASS or FAIL per test, with a hint for each failure
#[derive(clap::Args)]
pub struct Args {
    /// The exercise (a folder of exercises/); without it, list the exercises
    name: Option<String>,
    /// Run the tests on the exercise's solution instead of your code
    #[arg(long, requires = "name")]
    solution: bool,
    /// Every solution passes its tests, every starter fails them
    #[arg(long, conflicts_with_all = ["name", "solution"])]
    all: bool,
}

pub fn execute(args: Args) -> Result<()> {
    let root = Path::new(".");
    if args.all {
        return exercises::verify_all(root);
    }
    let all = exercises::names(root);
    let Some(name) = args.name else {
        println!("The exercises (check one with `cargo xtask check NAME`):");
        for name in &all {
            println!("  {name:<22} exercises/{name}/src/");
        }
        return Ok(());
    };
    if !all.contains(&name) {
        bail!(
            "no exercise named `{name}`; the exercises are: {}",
            all.join(", ")
        );
    }
    let outcome = exercises::check(root, &name, args.solution, true)?;
    let total = outcome.passed.len() + outcome.failed.len();
    if outcome.failed.is_empty() {
        println!("\n{name}: all {total} tests pass.");
        return Ok(());
    }
    println!(
        "\n{name}: {} of {total} tests pass, {} fail. Read the hints above, then run this \
         command again.",
        outcome.passed.len(),
        outcome.failed.len()
    );
    bail!("{name}: {} test(s) fail", outcome.failed.len())
}
