//! The data-race page: the racy counter and its fix. What is checked is what each program
//! guarantees in practice: the fixed one counts exactly; the racy one can only lose
//! increments (never invent one), so its total is at most the expected one and above zero.
//! Whether the race shows on a given run is luck, and is never checked.
use crate::common;

/// Reads `expected E, counted C` into `(E, C)`.
fn counts(name: &str) -> (u64, u64) {
    let run = common::run(name, &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "{name} prints one line: {lines:?}");
    let rest = lines[0]
        .strip_prefix("expected ")
        .unwrap_or_else(|| panic!("{name}: unexpected line {:?}", lines[0]));
    let (expected, counted) = rest
        .split_once(", counted ")
        .unwrap_or_else(|| panic!("{name}: unexpected line {:?}", lines[0]));
    (expected.parse().unwrap(), counted.parse().unwrap())
}

#[test]
fn the_atomic_counter_is_exact() {
    assert_eq!(counts("ch05-05-atomic"), (2_000_000, 2_000_000));
}

#[test]
fn the_racy_counter_loses_increments_at_worst() {
    // A data race is undefined behaviour, so the language promises nothing here; what this
    // checks is what a read-add-write race does on real hardware: lost updates, no crash.
    for _ in 0..3 {
        let (expected, counted) = counts("ch05-05-race");
        assert_eq!(expected, 2_000_000);
        assert!(
            counted > 0 && counted <= expected,
            "the racy counter counted {counted} of {expected}"
        );
    }
}
