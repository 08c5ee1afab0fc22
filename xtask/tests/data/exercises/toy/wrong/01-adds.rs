//! Wrong: adds one instead of doubling
//! Fails: doubling_doubles

pub fn double(x: u32) -> u32 {
    x + 1
}

pub fn halve(x: u32) -> u32 {
    x / 2
}

pub fn triple(x: u32) -> u32 {
    3 * x
}
