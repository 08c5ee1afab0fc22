//! `cargo xtask check [NAME [--hint | --solution | --wrong NN] | --all [NAME]]`: the exercises
//! (`exercises/`).

use std::path::Path;

use anyhow::{Result, bail};

use crate::exercises::{self, Code, Hinting};

/// Run an exercise's tests: PASS or FAIL per test, with a hint for each failure
#[derive(clap::Args)]
pub struct Args {
    /// The exercise (a folder of exercises/); without it, list the exercises
    name: Option<String>,
    /// Show every hint of each failing test, from the nudge to the fix
    #[arg(long, requires = "name")]
    hint: bool,
    /// Run the tests on the exercise's solution instead of your code
    #[arg(long, requires = "name", conflicts_with = "hint")]
    solution: bool,
    /// (for maintainers) Run the tests on wrong solution NN (exercises/NAME/wrong/NN-*.rs),
    /// with every hint of each failing test
    #[arg(long, value_name = "NN", requires = "name", conflicts_with_all = ["hint", "solution"])]
    wrong: Option<String>,
    /// Every solution passes its tests, every starter and wrong solution fails them (with
    /// NAME: that exercise's only)
    #[arg(long, conflicts_with_all = ["hint", "solution", "wrong"])]
    all: bool,
}

pub fn execute(args: Args) -> Result<()> {
    let root = Path::new(".");
    let all = exercises::names(root);
    if args.all {
        return match args.name {
            Some(name) if !all.contains(&name) => bail!(
                "no exercise named `{name}`; the exercises are: {}",
                all.join(", ")
            ),
            Some(name) => exercises::verify::verify_these(root, &[name]),
            None => exercises::verify::verify_all(root),
        };
    }
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
    let (code, hinting) = if args.solution {
        (Code::Solution, Hinting::None)
    } else if let Some(which) = &args.wrong {
        let exercise = root.join("exercises").join(&name);
        (
            Code::Wrong(exercises::wrong::find(&exercise, which)?),
            Hinting::All,
        )
    } else if args.hint {
        (Code::Reader, Hinting::All)
    } else {
        (Code::Reader, Hinting::Progressive)
    };
    if !exercises::check(root, &name, &code, hinting)? {
        match code {
            Code::Reader => bail!("{name}: some tests fail"),
            Code::Solution => bail!("the solution of {name} fails some tests"),
            Code::Wrong(w) => bail!("{name}: {} is not caught", w.file.display()),
        }
    }
    Ok(())
}
