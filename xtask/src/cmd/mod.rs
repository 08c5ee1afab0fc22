//! One module per `cargo xtask` command: its options (with their `--help`) and what it runs.

pub mod bench;
pub mod build;
pub mod check;
pub mod crosscheck;
pub mod lint;
pub mod mutants;
pub mod nightly;
pub mod quiz;
pub mod renumber;
pub mod serve;
pub mod stress;
pub mod test;
pub mod tools;
