//! Exercise: a bounded producer/consumer pipeline, with threads and a channel.
//!
//! Finish [`pipeline`]: the first body that says `todo!()`. Check your work with
//!
//! ```text
//! cargo xtask check threads-pipeline
//! ```
//!
//! ```text
//! producer 1 ──┐                                 ┌── consumer 1 ──┐
//! producer 2 ──┼──> sync_channel(capacity) ──────┼── consumer 2 ──┼──> results
//! producer 3 ──┘     (at most `capacity` items)  └── consumer 3 ──┘
//! ```
//!
//! Each producer runs on a thread of its own and sends every item of its iterator into one
//! bounded channel. The consumers, each on a thread of its own, take items out of that channel,
//! apply `work`, and keep the results. When every producer has finished and the channel is
//! empty, the consumers stop, and [`pipeline`] returns all the results.
//!
//! When every test passes but the ones named `harder_*`, the exercise is done. The second body,
//! [`try_pipeline`], is an optional harder step: a pipeline that stops at the first error.

// While the bodies below are `todo!()`, their arguments and the imports are unused, and the
// compiler would warn about it. This line silences exactly those warnings; delete it when you
// are done (the solution has none).
#![allow(unused_variables, unused_imports)]

use std::panic;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

/// Runs `producers` and `consumers` threads joined by a channel that holds at most `capacity`
/// items, and returns `work(item)` for every item of every producer, in any order.
///
/// What must hold, whatever the timing:
///
/// - **No item is lost, none is handled twice**: the result holds exactly one `work(item)` per
///   item produced.
/// - **The channel is bounded**: a producer that is ahead waits (`send` blocks) while the
///   channel holds `capacity` items; `capacity` may be 0, in which case each `send` waits for a
///   consumer to take the item.
/// - **Everyone works at the same time**: the producers run concurrently, and so do the
///   consumers, each calling `work` on its own item while the others call it on theirs.
/// - **Waiting costs nothing**: a consumer with no item to take sleeps in `recv` until one comes
///   (or the channel closes), however slow the producers are; it neither gives up early nor spins.
/// - **It ends**: when the last producer has finished, the consumers empty the channel, see it
///   closed, and stop; then `pipeline` returns. No deadlock, whatever the number of producers
///   (even none) or consumers, and even if `work` panics (see below).
///
/// # Panics
///
/// If `consumers` is 0: nobody would empty the channel. If `work` panics: `pipeline` then
/// panics too, with the same message, once every thread has ended.
pub fn pipeline<P>(
    producers: Vec<P>,
    capacity: usize,
    consumers: usize,
    work: impl Fn(u64) -> u64 + Sync,
) -> Vec<u64>
where
    P: Iterator<Item = u64> + Send,
{
    assert!(consumers > 0, "a pipeline needs at least one consumer");
    todo!("spawn the producers and the consumers (scoped threads), join the consumers' results")
}

/// The optional harder step: [`pipeline`], for a `work` that can fail. Without a failure it
/// returns `Ok` with every result, as [`pipeline`] does. When a call of `work` fails, the
/// pipeline stops early: each consumer stops before it calls `work` again, the producers stop
/// making items (even endless ones), and `try_pipeline` returns `Err` with the first error, once
/// every thread has ended.
///
/// # Panics
///
/// As [`pipeline`].
pub fn try_pipeline<P, E>(
    producers: Vec<P>,
    capacity: usize,
    consumers: usize,
    work: impl Fn(u64) -> Result<u64, E> + Sync,
) -> Result<Vec<u64>, E>
where
    P: Iterator<Item = u64> + Send,
    E: Send,
{
    assert!(consumers > 0, "a pipeline needs at least one consumer");
    todo!("the pipeline, with a way for one consumer's failure to stop everyone")
}
