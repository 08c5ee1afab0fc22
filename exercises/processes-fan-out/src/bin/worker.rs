//! The worker program (given): reads its job on stdin, writes its answer on stdout.
//!
//! The work itself is [`serve`], in `src/lib.rs`. The tests start this program as
//! `env!("CARGO_BIN_EXE_worker")`, the path where cargo built it.

use exercise_processes_fan_out::serve;

fn main() -> std::io::Result<()> {
    serve(std::io::stdin().lock(), std::io::stdout().lock())
}
