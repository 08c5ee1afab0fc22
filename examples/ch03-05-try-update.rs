use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const SEATS: usize = 250;
const BUYERS: usize = 4;
const WANTED: usize = 100; // each buyer tries 100 times: 400 > 250

/// One buyer: tries WANTED times to take a seat, returns how many it got.
fn buy(sold: &AtomicUsize) -> usize {
    let mut mine = 0;
    for _ in 0..WANTED {
        // The closure gives the new value, or None for "leave it":
        // try_update runs a compare_exchange_weak loop around it.
        let sale =
            sold.try_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < SEATS).then_some(n + 1)
            });
        if sale.is_ok() {
            mine += 1;
        }
    }
    mine
}

fn main() {
    let sold = AtomicUsize::new(0);

    let got: Vec<usize> = thread::scope(|s| {
        let mut buyers = Vec::new();
        for _ in 0..BUYERS {
            buyers.push(s.spawn(|| buy(&sold)));
        }
        buyers.into_iter().map(|b| b.join().unwrap()).collect()
    });

    let refused = BUYERS * WANTED - got.iter().sum::<usize>();
    println!("each buyer got {got:?} (changes from run to run)");
    println!("seats sold: {} of {SEATS}", sold.into_inner());
    println!("refused:    {refused}");
}
