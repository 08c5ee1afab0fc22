//! `cargo xtask renumber [--write]`: page numbers made sequential in SUMMARY.md order
//! (`renumber.rs`: the rule, the renames and the rewrites).

use std::path::Path;

use anyhow::Result;

use crate::{process, renumber};

/// Number the pages by their place in src/SUMMARY.md: rename pages, listings, twins, quizzes
/// (git mv) and rewrite every reference (prints the plan; --write applies it)
#[derive(clap::Args)]
pub struct Args {
    /// Rename and rewrite (without it, only print what would change)
    #[arg(long)]
    write: bool,
}

pub fn execute(args: Args) -> Result<()> {
    let root = Path::new(".");
    let plan = renumber::plan(root)?;
    renumber::print(&plan);
    if plan.is_empty() {
        return Ok(());
    }
    if args.write {
        renumber::apply(root, &plan)?;
        // A rewritten name can change a line's length, so Rust files are formatted again.
        process::run(process::cargo().args(["fmt", "--all"]))?;
        println!(
            "renumber: done; check with `cargo xtask lint` and `cargo test`, then commit \
             (`git add -A`: the renames are staged, the rewrites are not)"
        );
    } else {
        println!("renumber: dry run, nothing changed: `cargo xtask renumber --write` applies it");
    }
    Ok(())
}
