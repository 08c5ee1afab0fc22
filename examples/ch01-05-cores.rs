use std::thread;

fn main() {
    // About how many threads this program can run at the same instant: the
    // bound on parallelism. (An estimate: it counts the CPUs this process
    // may use, hardware threads included, which can be fewer than the
    // machine has.)
    match thread::available_parallelism() {
        Ok(n) => println!("Up to {n} threads can run in parallel here."),
        Err(e) => println!("The number of cores is unknown here ({e})."),
    }
}
