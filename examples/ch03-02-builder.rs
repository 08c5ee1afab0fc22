use std::thread;

fn main() {
    // A name, and a smaller stack than the default 2 MiB.
    let parser = thread::Builder::new()
        .name("parser".to_string())
        .stack_size(64 * 1024)
        .spawn(|| {
            let me = thread::current();
            println!("{:?} starts", me.name());
            // Not a number: unwrap() panics, naming the thread.
            let _: u32 = "forty-two".parse().unwrap();
        })
        .expect("the OS refused to start the thread");
    let result = parser.join();
    println!("main: the parser panicked: {}", result.is_err());

    // A stack larger than this machine's address space: the OS refuses.
    // Builder::spawn returns the error; thread::spawn would panic.
    match thread::Builder::new().stack_size(1 << 50).spawn(|| ()) {
        Ok(handle) => handle.join().unwrap(),
        Err(error) => println!("main: no thread with a 1 PiB stack: {error}"),
    }
    println!("main ({:?}) carries on", thread::current().name());
}
