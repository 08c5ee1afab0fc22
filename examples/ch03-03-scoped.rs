use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=1000).collect();
    let (left, right) = numbers.split_at(numbers.len() / 2);

    // Threads spawned in a scope may borrow local data: the scope joins
    // them all before it returns, so they cannot outlive `numbers`.
    let (a, b) = thread::scope(|s| {
        let first = s.spawn(|| left.iter().sum::<u64>());
        let second = s.spawn(|| right.iter().sum::<u64>());
        (first.join().unwrap(), second.join().unwrap())
    });
    println!("{a} + {b} = {}", a + b);

    // Each thread may even borrow a part of a Vec mutably, as long as the
    // parts don't overlap.
    let mut squares = vec![0u64; 8];
    thread::scope(|s| {
        for (i, chunk) in squares.chunks_mut(2).enumerate() {
            s.spawn(move || {
                for (j, slot) in chunk.iter_mut().enumerate() {
                    let n = (2 * i + j) as u64;
                    *slot = n * n;
                }
            });
        }
    }); // every thread of the scope is joined here

    // The borrows are over: main owns `numbers` and `squares` again.
    println!("{} numbers, squares: {squares:?}", numbers.len());
}
