//! What "correct" means for the handoff, on real threads. Run with
//! `cargo xtask check loom-handoff`, which also runs the model tests of `tests/loom.rs`.
//!
//! These tests check what the handoff guarantees (which items come out, how many times, in
//! which order one putter and one taker imply), never how fast a thread runs. Each runs under a
//! time limit, so a handoff that waits for ever fails instead of hanging. Real threads on this
//! machine cannot show a missing memory ordering: that is what `tests/loom.rs` is for.
#![cfg(not(loom))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use exercise_loom_handoff::Handoff;

const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn an_item_put_is_taken_once() {
    within(|| {
        let handoff = Handoff::new();
        assert_eq!(handoff.try_take(), None, "a new handoff holds no item");
        assert_eq!(
            handoff.try_put(7),
            Ok(()),
            "a put into an empty slot succeeds"
        );
        assert_eq!(handoff.try_take(), Some(7), "the item put comes out");
        assert_eq!(
            handoff.try_take(),
            None,
            "after the item was taken, the slot is empty: the item came out twice"
        );
        assert_eq!(
            handoff.try_put(8),
            Ok(()),
            "an emptied slot takes a new item"
        );
        assert_eq!(handoff.try_take(), Some(8), "the second item put comes out");
    });
}

#[test]
fn a_full_slot_refuses_a_put() {
    within(|| {
        let handoff = Handoff::new();
        assert_eq!(
            handoff.try_put(1),
            Ok(()),
            "a put into an empty slot succeeds"
        );
        assert_eq!(
            handoff.try_put(2),
            Err(2),
            "a put into a full slot must give its item back, and leave the slot as it is"
        );
        assert_eq!(
            handoff.try_take(),
            Some(1),
            "the first item must still be in the slot: a later put overwrote it"
        );
    });
}

#[test]
fn an_item_left_in_the_slot_is_dropped_once() {
    within(|| {
        // Leaked, so that a handoff that drops an item twice makes this count wrong instead of
        // freeing the counter under the test's feet (a crash that would hide every result).
        let drops: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        let handoff = Handoff::new();
        assert!(handoff.try_put(Counted(drops)).is_ok());
        drop(handoff);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "an item still in the slot when the handoff is dropped must be dropped with it, once"
        );

        let handoff = Handoff::new();
        assert!(handoff.try_put(Counted(drops)).is_ok());
        let taken = handoff.try_take();
        assert!(taken.is_some(), "the item put comes out");
        drop(handoff);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "an item that was taken belongs to the taker: dropping the handoff must not drop it"
        );
        drop(taken);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            2,
            "the taken item is dropped once"
        );
    });
}

#[test]
fn one_putter_and_one_taker_hand_over_every_item_in_order() {
    within(|| {
        const N: u64 = 2_000;
        let handoff = Handoff::new();
        let taken = thread::scope(|s| {
            s.spawn(|| (0..N).for_each(|i| handoff.put(i)));
            let taker = s.spawn(|| (0..N).map(|_| handoff.take()).collect::<Vec<u64>>());
            taker.join().unwrap()
        });
        let first_wrong = taken.iter().zip(0..).find(|(got, i)| *got != i);
        assert!(
            first_wrong.is_none(),
            "one putter put 0, 1, 2, ... one at a time, so one taker must get them in that \
             order; item {} came out as {}",
            first_wrong.map_or(0, |(_, i)| i),
            first_wrong.map_or(0, |(got, _)| *got),
        );
        assert_eq!(handoff.try_take(), None, "every item was taken once");
    });
}

#[test]
fn many_putters_and_takers_share_every_item_once() {
    within(|| {
        const PER_PUTTER: u64 = 1_000;
        let handoff = Handoff::new();
        let mut taken = thread::scope(|s| {
            for p in 0..3 {
                let handoff = &handoff;
                s.spawn(move || {
                    for i in p * PER_PUTTER..(p + 1) * PER_PUTTER {
                        handoff.put(i);
                    }
                });
            }
            let takers: Vec<_> = (0..3)
                .map(|_| s.spawn(|| (0..PER_PUTTER).map(|_| handoff.take()).collect::<Vec<_>>()))
                .collect();
            takers
                .into_iter()
                .flat_map(|t| t.join().unwrap())
                .collect::<Vec<u64>>()
        });
        taken.sort_unstable();
        let mut duplicated: Vec<u64> = taken
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        duplicated.truncate(10);
        assert!(
            taken.iter().copied().eq(0..3 * PER_PUTTER),
            "3 putters put 3000 distinct items and 3 takers took 3000, so each must come out \
             exactly once; taken twice (or more), at most 10 shown: {duplicated:?}"
        );
    });
}

/// Counts its drops.
#[derive(Debug)]
struct Counted(&'static AtomicUsize);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Runs `test` on a thread of its own, and fails if it has not ended within [`LIMIT`] (a
/// handoff that waits for ever). Its panic, if it panics, is passed on with its message.
fn within(test: impl FnOnce() + Send + 'static) {
    let (done, ended) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match ended.recv_timeout(LIMIT) {
        Ok(()) => runner.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(RecvTimeoutError::Timeout) => panic!(
            "the test did not end within {LIMIT:?}: a put or a take waits for ever (an item \
             lost, or a slot never freed)"
        ),
    }
}
