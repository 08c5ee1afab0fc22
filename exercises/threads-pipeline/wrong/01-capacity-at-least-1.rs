//! Wrong: the channel is made with `sync_channel(capacity.max(1))`, so a capacity of 0 is not a rendezvous
//! Fails: a_capacity_of_0_is_a_rendezvous
//!
//! A wrong solution, kept to prove that the tests catch this mistake:
//! `cargo xtask check threads-pipeline --wrong 01` runs them on it. The mistake is
//! marked `WRONG` below; the rest is the solution.

use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
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
    let (sender, receiver) = mpsc::sync_channel(capacity.max(1)); // WRONG: 0 is a capacity too
    // A `Receiver` has one owner; the consumers share it behind a lock, taking turns to wait.
    // Each consumer holds a clone of the `Arc`, and nobody else does: when the last consumer
    // ends, even by a panic, the `Receiver` is dropped, and a producer's `send` fails instead of
    // waiting for ever for a consumer that will never come.
    let receiver = Arc::new(Mutex::new(receiver));
    let work = &work;
    // Scoped threads may borrow `work`; the scope joins them all before it ends.
    thread::scope(|scope| {
        for items in producers {
            let sender = sender.clone(); // one Sender per producer...
            scope.spawn(move || {
                for item in items {
                    // Blocks while the channel is full. It fails only if every consumer is
                    // gone, which happens only if they all panicked: stop, their panic is
                    // passed on below.
                    if sender.send(item).is_err() {
                        return;
                    }
                }
            }); // ...dropped when the producer's closure ends.
        }
        // Drop the original too: the channel closes when the last producer is done, not never.
        drop(sender);

        let consumers: Vec<_> = (0..consumers)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                scope.spawn(move || {
                    let mut results = Vec::new();
                    loop {
                        // The lock guard is a temporary, dropped at the end of this statement:
                        // the lock is held while waiting for an item, not while working on it.
                        let next = receiver.lock().unwrap().recv();
                        let Ok(item) = next else {
                            return results; // closed and empty: every producer is done
                        };
                        results.push(work(item));
                    }
                })
            })
            .collect();
        // Only the consumers hold the receiver now.
        drop(receiver);
        let mut results = Vec::new();
        for consumer in consumers {
            match consumer.join() {
                Ok(mine) => results.extend(mine),
                // A consumer panicked (in `work`): panic with its message. The scope still
                // joins every other thread before the panic leaves `pipeline`.
                Err(panic) => panic::resume_unwind(panic),
            }
        }
        results
    })
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
    let (sender, receiver) = mpsc::sync_channel(capacity);
    let receiver = Arc::new(Mutex::new(receiver));
    // Set by the consumer whose `work` failed: the others stop at their next item. Once they
    // have all stopped, the `Receiver` is gone, and the producers' `send` fails: that stops them.
    let failed = AtomicBool::new(false);
    let first_error = Mutex::new(None);
    let (work, failed, first_error) = (&work, &failed, &first_error);
    let results = thread::scope(|scope| {
        for items in producers {
            let sender = sender.clone();
            scope.spawn(move || {
                for item in items {
                    if sender.send(item).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);

        let consumers: Vec<_> = (0..consumers)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                scope.spawn(move || {
                    let mut results = Vec::new();
                    loop {
                        let next = receiver.lock().unwrap().recv();
                        // Checked after `recv`, which may have waited a long time.
                        let Ok(item) = next else { break };
                        if failed.load(Ordering::SeqCst) {
                            break;
                        }
                        match work(item) {
                            Ok(result) => results.push(result),
                            Err(err) => {
                                first_error.lock().unwrap().get_or_insert(err);
                                failed.store(true, Ordering::SeqCst);
                                break;
                            }
                        }
                    }
                    results
                })
            })
            .collect();
        drop(receiver);
        let mut results = Vec::new();
        for consumer in consumers {
            match consumer.join() {
                Ok(mine) => results.extend(mine),
                Err(panic) => panic::resume_unwind(panic),
            }
        }
        results
    });
    match first_error.lock().unwrap().take() {
        Some(err) => Err(err),
        None => Ok(results),
    }
}
