use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const SEATS: usize = 250;
const BUYERS: usize = 4;
const WANTED: usize = 100; // each buyer tries 100 times: 400 > 250

fn main() {
    let sold = AtomicUsize::new(0);

    let got: Vec<usize> = thread::scope(|s| {
        let buyers: Vec<_> = (0..BUYERS)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = 0;
                    for _ in 0..WANTED {
                        // The closure says what the new value is, or
                        // None for "don't change it"; try_update runs
                        // the compare_exchange loop around it.
                        let sale = sold.try_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                            (n < SEATS).then_some(n + 1)
                        });
                        if sale.is_ok() {
                            mine += 1;
                        }
                    }
                    mine
                })
            })
            .collect();
        buyers.into_iter().map(|b| b.join().unwrap()).collect()
    });

    println!("each buyer got {got:?} (changes from run to run)");
    println!("seats sold: {} of {SEATS}", sold.into_inner());
    println!(
        "refused:    {}",
        BUYERS * WANTED - got.iter().sum::<usize>()
    );
}
