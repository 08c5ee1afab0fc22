use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// An `async fn` returns a future: a value that describes this work.
async fn print_func(continent: &str) -> usize {
    println!("The name of continent is :  {continent}");
    continent.len()
}

fn main() {
    // 1. Create a future and drop it without polling: its body never runs.
    let never = print_func("Atlantis");
    println!("created a future for Atlantis");
    drop(never);
    println!("dropped it: nothing was printed for Atlantis");

    // 2. Create a future from an `async` block that awaits two others.
    let future = async {
        let a = print_func("Asia").await;
        let b = print_func("Europe").await;
        a + b
    };
    println!("created a future for Asia and Europe");

    // 3. Poll it by hand. A future must be pinned (kept in place) before it
    //    is polled, and polling needs a Context holding a Waker;
    //    Waker::noop() wakes nobody.
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    println!("polling it once...");
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(letters) => println!("Ready: {letters} letters"),
        Poll::Pending => println!("Pending: it is waiting for something"),
    }
}
