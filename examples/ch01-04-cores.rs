use std::thread;

fn main() {
    // How many threads this program can run at the same instant: the bound on parallelism.
    // (It counts the cores this process may use, which can be fewer than the machine has.)
    match thread::available_parallelism() {
        Ok(cores) => println!("This program can run {cores} threads in parallel here."),
        Err(e) => println!("The number of cores is unknown here ({e})."),
    }
}
