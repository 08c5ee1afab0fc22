//! `cargo xtask lint`

use std::path::Path;

use anyhow::Result;

/// Check the book's Markdown: fast, needs no build (the rules: `xtask/src/lint/`)
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    let n = crate::lint::check_sources(Path::new("."))?;
    println!("xtask: the book's Markdown is sound ({n} listings checked)");
    Ok(())
}
