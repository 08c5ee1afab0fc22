use std::thread;

fn print_square(num: u64) {
    println!("Square: {}", num * num);
}

fn print_cube(num: u64) {
    println!("Cube: {}", num * num * num);
}

fn main() {
    // thread::spawn creates a thread and starts it at once:
    // Python's Thread(target=..., args=...) and start() in one call.
    let t1 = thread::spawn(|| print_square(10));
    let t2 = thread::spawn(|| print_cube(10));

    // join() waits until that thread has finished.
    t1.join().unwrap();
    t2.join().unwrap();

    // Both threads are finished, so this line is always the last one.
    println!("Done!");
}
