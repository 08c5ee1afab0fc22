//! This crate holds only its tests (`tests/browser.rs`); see there.
