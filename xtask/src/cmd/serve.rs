//! `cargo xtask serve [--open] [--port N]`

use anyhow::Result;

use crate::process::{mdbook, run};
use crate::{BOOK_TARGET, tools};

/// Build the examples and the book, then serve it on http://localhost:3000
#[derive(clap::Args)]
pub struct Args {
    /// Open the book in a browser
    #[arg(long)]
    open: bool,
    /// Serve on this port instead of 3000
    #[arg(long, value_name = "N")]
    port: Option<u16>,
}

pub fn execute(args: Args) -> Result<()> {
    let path = tools::ensure_all()?;
    super::build::build_book(&path)?;
    let mut cmd = mdbook(&path);
    cmd.arg("serve");
    if args.open {
        cmd.arg("--open");
    }
    if let Some(port) = args.port {
        cmd.args(["--port", &port.to_string()]);
    }
    eprintln!(
        "xtask: serving the book; after changing an example, run `cargo build --release --examples \
         --target-dir {BOOK_TARGET}` so its output on the page follows"
    );
    run(&mut cmd)
}
