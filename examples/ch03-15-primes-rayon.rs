use rayon::prelude::*;
use std::time::Instant;

const N: u64 = 2_000_000;

/// Is `n` prime? Trial division, as in chapter 2: by 2, then by the odd
/// numbers up to √n.
fn is_prime(n: u64) -> bool {
    if n < 2 || n.is_multiple_of(2) {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

fn main() {
    let threads = rayon::current_num_threads();
    println!("primes below {N}, rayon uses {threads} threads");

    let start = Instant::now();
    let count = (2..N).filter(|&n| is_prime(n)).count();
    let one = start.elapsed().as_secs_f64();
    println!("into_iter:     {count} primes in {one:.3} s");

    // The same pipeline, with into_par_iter: rayon splits the range among
    // its threads.
    let start = Instant::now();
    let count = (2..N).into_par_iter().filter(|&n| is_prime(n)).count();
    let par = start.elapsed().as_secs_f64();
    let speedup = one / par;
    println!("into_par_iter: {count} primes in {par:.3} s ({speedup:.2}x)");
}
