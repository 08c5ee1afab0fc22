//! This crate holds only its tests (`tests/browser/main.rs` and `tests/a11y.rs`); see there.
