use rayon::prelude::*;

fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

fn main() {
    // A pool of our own: two named threads, apart from rayon's global pool.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|i| format!("collatz-{i}"))
        .build()
        .unwrap();

    // install: run this closure in the pool; the parallel iterator inside it
    // splits its work among the pool's two threads, and no others.
    let (threads, (steps, n)) = pool.install(|| {
        let longest = (1..100_000u64)
            .into_par_iter()
            .map(|n| (collatz_steps(n), n))
            .max()
            .unwrap();
        (rayon::current_num_threads(), longest)
    });
    let longest = format!("{n} takes the most steps ({steps})");
    println!("install, {threads} threads: below 100000, {longest}");

    // scope: tasks that borrow local data (here, one slot of `steps`
    // each), run by the global pool's threads; all of them have finished
    // when scope returns.
    let numbers = [27, 97, 871, 6171];
    let mut steps = [0; 4];
    rayon::scope(|s| {
        for (n, slot) in numbers.iter().zip(&mut steps) {
            s.spawn(move |_| *slot = collatz_steps(*n));
        }
    });
    println!("scope: {numbers:?} take {steps:?} steps");
}
