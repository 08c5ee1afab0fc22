//! `cargo xtask tools`

use anyhow::Result;

use crate::tools::{TOOLS, cache_dir, ensure_all};

/// Install the pinned mdBook tools if missing, and print where they are
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    ensure_all()?;
    for tool in TOOLS {
        println!(
            "{} {}: {}",
            tool.name,
            tool.version,
            cache_dir()
                .join(format!("{}-{}/bin/{}", tool.name, tool.version, tool.name))
                .display()
        );
    }
    Ok(())
}
