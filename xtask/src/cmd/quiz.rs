//! `cargo xtask quiz`

use std::path::Path;

use anyhow::Result;

/// Compile and run every quiz program, and check what its question claims about it
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    let n = crate::quiz::verify_all(Path::new("."))?;
    println!("xtask: every quiz claim holds ({n} programs checked)");
    Ok(())
}
