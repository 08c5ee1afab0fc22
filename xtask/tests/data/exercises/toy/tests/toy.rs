use std::thread;

use exercise_toy::{double, halve};

#[test]
fn doubling_doubles() {
    // The body runs on a thread of its own, as the course's exercises run theirs.
    let result = thread::spawn(|| double(21)).join();
    let Ok(value) = result else {
        panic!("double(21) panicked");
    };
    assert_eq!(value, 42, "double(21) gave {value}");
}

#[test]
fn halving_halves() {
    assert_eq!(halve(8), 4, "half of 8 is 4");
}
