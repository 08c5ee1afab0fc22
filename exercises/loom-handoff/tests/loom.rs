//! The model tests: loom runs each closure in every interleaving of its threads that could
//! change the outcome, with loom's atomics and cell in place of std's (`--cfg loom`, see
//! `src/sync.rs`). A read that nothing orders after the write it reads fails the model, even in
//! a run where the threads happened to take turns. `cargo xtask check loom-handoff` runs them
//! as
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test loom
//! ```
//!
//! in a target folder of its own.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;

use exercise_loom_handoff::Handoff;

/// A new handoff for the threads of one run of a model to share. It is leaked on purpose: when
/// loom stops a model (a check failed), the threads it did not finish are dropped after the
/// model has ended, and a handoff dropped then would touch loom's atomics outside a model,
/// which aborts the whole test program instead of failing one test. Dropping a handoff is
/// checked by `an_item_left_in_the_slot_is_not_leaked` here, and in `tests/handoff.rs`.
fn shared<T>() -> &'static Handoff<T> {
    Box::leak(Box::new(Handoff::new()))
}

#[test]
fn a_taker_sees_the_whole_item() {
    loom::model(|| {
        let handoff = shared();
        let putter = thread::spawn(move || handoff.try_put(String::from("the whole item")));
        if let Some(item) = handoff.try_take() {
            assert_eq!(item, "the whole item", "the taker saw another item");
        }
        assert!(
            putter.join().unwrap().is_ok(),
            "the slot was empty: the putter's item must go in"
        );
    });
}

#[test]
fn a_putter_never_writes_over_an_item_being_read() {
    loom::model(|| {
        let handoff = shared();
        assert!(
            handoff.try_put(1).is_ok(),
            "a put into an empty slot succeeds"
        );
        let taker = thread::spawn(move || handoff.try_take());
        let second = handoff.try_put(2);
        assert_eq!(
            taker.join().unwrap(),
            Some(1),
            "the taker must get the first item, put before it started"
        );
        match second {
            Ok(()) => assert_eq!(handoff.try_take(), Some(2), "the second item was lost"),
            Err(back) => {
                assert_eq!(back, 2, "a refused put gives its own item back");
                assert_eq!(
                    handoff.try_take(),
                    None,
                    "the slot must be empty at the end"
                );
            }
        }
    });
}

#[test]
fn two_putters_never_fill_the_slot_twice() {
    loom::model(|| {
        let handoff = shared();
        let other = thread::spawn(move || handoff.try_put(2));
        let mine = handoff.try_put(1);
        let theirs = other.join().unwrap();
        let taken = handoff.try_take();
        match (mine, theirs) {
            (Ok(()), Err(2)) => assert_eq!(taken, Some(1), "the item of the put that succeeded"),
            (Err(1), Ok(())) => assert_eq!(taken, Some(2), "the item of the put that succeeded"),
            _ => panic!(
                "two putters tried at once on an empty slot: exactly one must succeed, and the \
                 other get its item back (got {mine:?} and {theirs:?})"
            ),
        }
        assert_eq!(handoff.try_take(), None, "the slot held one item");
    });
}

#[test]
fn two_takers_never_take_the_same_item() {
    loom::model(|| {
        let handoff = shared();
        assert!(
            handoff.try_put(1).is_ok(),
            "a put into an empty slot succeeds"
        );
        let other = thread::spawn(move || handoff.try_take());
        let mine = handoff.try_take();
        let theirs = other.join().unwrap();
        let taken = [mine, theirs].iter().flatten().count();
        assert_eq!(
            taken, 1,
            "one item was put and two takers tried at once: exactly one of them must get it \
             (got {mine:?} and {theirs:?})"
        );
    });
}

/// A taker that lost the race for an item must not have touched it: here the slot is freed and
/// filled again while the other taker may still be at work.
#[test]
fn two_takers_and_a_putter_never_share_an_item() {
    loom::model(|| {
        let handoff = shared();
        assert!(
            handoff.try_put(1).is_ok(),
            "a put into an empty slot succeeds"
        );
        let takers = [(); 2].map(|()| thread::spawn(move || handoff.try_take()));
        let second = handoff.try_put(2);
        let mut taken: Vec<i32> = takers
            .into_iter()
            .filter_map(|taker| taker.join().unwrap())
            .collect();
        taken.extend(handoff.try_take());
        taken.sort_unstable();
        let put = if second.is_ok() { vec![1, 2] } else { vec![1] };
        assert_eq!(
            taken, put,
            "two takers, then one more take, must get each item put exactly once"
        );
    });
}

/// Two wait loops make many interleavings: this model bounds the preemptions (a thread stopped
/// so that another runs) to 3, within which loom's documentation says most bugs show. Unbounded,
/// a put written as a check and then a store (a mistake of its own) made this one model take
/// seconds instead of a fraction of one.
#[test]
fn put_and_take_wait_for_each_other() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let handoff = shared();
        let putter = thread::spawn(move || {
            handoff.put(1);
            handoff.put(2);
        });
        let first = handoff.take();
        let second = handoff.take();
        putter.join().unwrap();
        assert_eq!(
            (first, second),
            (1, 2),
            "one putter put 1 then 2; one taker must take 1 then 2"
        );
    });
}

#[test]
fn an_item_left_in_the_slot_is_not_leaked() {
    loom::model(|| {
        let handoff = Handoff::new();
        let item = Arc::new("an item");
        assert!(
            handoff.try_put(item.clone()).is_ok(),
            "a put into an empty slot succeeds"
        );
        drop(handoff);
        assert_eq!(
            Arc::strong_count(&item),
            1,
            "an item still in the slot when the handoff is dropped must be dropped with it"
        );
    });
}
