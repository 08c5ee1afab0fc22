//! `cargo xtask tools`

use anyhow::Result;

use crate::tools::{AXE_CORE, Install, TOOLS, cache_dir, ensure_all};

/// Install the pinned mdBook tools (and fetch axe-core for the browser tests) if missing, and
/// print where the pinned tools are
#[derive(clap::Args)]
pub struct Args {}

pub fn execute(_: Args) -> Result<()> {
    ensure_all()?;
    AXE_CORE.ensure()?;
    println!("(cache: {})", cache_dir().display());
    for tool in TOOLS {
        let note = if tool.is_installed() {
            ""
        } else {
            " (not installed yet: the command that uses it installs it)"
        };
        println!(
            "{} {}: {}{note}",
            tool.name,
            tool.version,
            tool.binary().display()
        );
    }
    println!(
        "{} {}: {}",
        AXE_CORE.name,
        AXE_CORE.version,
        AXE_CORE.path().display()
    );
    Ok(())
}
