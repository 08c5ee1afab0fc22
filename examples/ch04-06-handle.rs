use tokio::runtime::{Builder, Handle};
use tokio::task::JoinHandle;

/// Plain sync code (no `async`), called from async code (here, inside
/// `block_on`): it finds the runtime it runs on with `Handle::current()`.
fn start_audit(what: &'static str) -> JoinHandle<String> {
    Handle::current().spawn(async move { format!("audited {what}") })
}

fn main() {
    // No runtime yet: try_current says so instead of panicking.
    let err = Handle::try_current().unwrap_err();
    println!("before the runtime: {err}");

    let runtime = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();

    // Inside block_on, sync code reaches its runtime through the context.
    let audit = runtime.block_on(async {
        let task = start_audit("the books");
        task.await.unwrap()
    });
    println!("from a task: {audit}");

    // A thread of our own is outside the runtime: it needs a Handle
    // passed in. With it, it can spawn and wait (block_on).
    let handle = runtime.handle().clone();
    let thread = std::thread::spawn(move || {
        let inside = Handle::try_current().is_ok();
        println!("own thread, in a runtime context? {inside}");
        let task = handle.spawn(async { 6 * 7 });
        let answer = handle.block_on(task).unwrap();
        println!("own thread: block_on(spawned task) = {answer}");
    });
    thread.join().unwrap();

    // Handle::current() outside any runtime panics.
    let caught = std::thread::spawn(|| drop(Handle::current())).join();
    println!(
        "own thread, Handle::current(): panicked? {}",
        caught.is_err()
    );
}
