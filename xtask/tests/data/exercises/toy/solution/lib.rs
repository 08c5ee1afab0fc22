//! A toy exercise: the solution.

/// Twice `x`.
pub fn double(x: u32) -> u32 {
    2 * x
}

/// Half of `x`, rounded down.
pub fn halve(x: u32) -> u32 {
    x / 2
}

/// The optional harder step: three times `x`.
pub fn triple(x: u32) -> u32 {
    3 * x
}
