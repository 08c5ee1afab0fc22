//! Wrong: rounds up, which no test sees (a fixture for a wrong solution that is not caught)
//! Fails: halving_halves

pub fn double(x: u32) -> u32 {
    2 * x
}

pub fn halve(x: u32) -> u32 {
    x.div_ceil(2)
}

pub fn triple(x: u32) -> u32 {
    3 * x
}
