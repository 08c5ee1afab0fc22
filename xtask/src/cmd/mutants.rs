//! `cargo xtask mutants [NAME]`: `exercises/mutants.rs`.

use std::path::Path;

use anyhow::Result;

/// Mutation testing of the exercises' solutions (cargo-mutants, installed when first needed):
/// caught / missed / unviable / timeout per exercise; every missed mutant must be explained in
/// exercises/NAME/mutants.toml
#[derive(clap::Args)]
pub struct Args {
    /// One exercise (a folder of exercises/); without it, all of them
    name: Option<String>,
}

pub fn execute(args: Args) -> Result<()> {
    crate::exercises::mutants::mutants(Path::new("."), args.name.as_deref())
}
