use std::thread;

fn main() {
    // The CPUs this process may use (on Linux, its affinity mask and
    // cgroup quota included). Each runs one thread's code at a time.
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!("CPUs this process may use: {cpus}");
    // No interpreter, no global lock: every one of them can run Rust.
    println!("threads that can run Rust code at once: {cpus}");
}
