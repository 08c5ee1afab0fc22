//! A toy exercise: the starter.

/// Twice `x`.
pub fn double(x: u32) -> u32 {
    todo!("double {x}")
}

/// Half of `x`, rounded down.
pub fn halve(x: u32) -> u32 {
    todo!("halve {x}")
}

/// The optional harder step: three times `x`.
pub fn triple(x: u32) -> u32 {
    todo!("triple {x}")
}
