//! `cargo xtask nightly [--write]`: Miri and ThreadSanitizer on the data-race page's listing,
//! and Miri on the memory-order page's store-buffer listing (`nightly.rs`: running them,
//! normalising and comparing their output, judging the store-buffer counts).

use std::path::Path;

use anyhow::Result;

/// Run Miri and ThreadSanitizer (nightly) on the data-race listing and compare their output
/// with src/nightly/ (--write stores it), and Miri on the store-buffer listing (its SeqCst
/// and fence counts must be 0); installs the nightly when missing, and skips only where it
/// cannot
#[derive(clap::Args)]
pub struct Args {
    /// Store the normalised output in src/nightly/ instead of comparing with it
    #[arg(long)]
    write: bool,
}

pub fn execute(args: Args) -> Result<()> {
    crate::nightly::run(Path::new("."), args.write)
}
