use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=9).collect();
    let sums = Mutex::new(vec![0; 3]);
    // Opens when 3 threads have called wait().
    let all_summed = Barrier::new(3);

    thread::scope(|s| {
        for (i, part) in numbers.chunks(3).enumerate() {
            // The closure moves `i` and `part` in, and borrows the rest:
            let (sums, all_summed) = (&sums, &all_summed);
            s.spawn(move || {
                // Phase 1: each thread sums its own part.
                let mine: u64 = part.iter().sum();
                sums.lock().unwrap()[i] = mine;
                println!("part {i}: my sum is {mine}");

                // Nobody passes until every part is summed.
                if all_summed.wait().is_leader() {
                    println!("(one thread, the leader: all parts summed)");
                }

                // Phase 2: needs every thread's phase 1.
                let total: u64 = sums.lock().unwrap().iter().sum();
                let share = mine * 100 / total;
                println!("part {i}: {mine} of {total} is {share}%");
            });
        }
    });
}
