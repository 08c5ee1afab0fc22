use tokio::sync::watch;

#[tokio::main]
async fn main() {
    // A watch channel holds one value, the latest; sending replaces it.
    let (status, mut seen) = watch::channel("starting");
    status.send("loading").unwrap();
    status.send("ready").unwrap(); // nobody looked at "loading": it is gone
    println!("the receiver reads: {}", *seen.borrow_and_update());

    // wait_for: wait until the value passes a test (at once if it does).
    let (open, gate) = watch::channel(false);
    let mut waiters = Vec::new();
    for id in 1..=3 {
        let mut gate = gate.clone(); // each task gets its own receiver
        waiters.push(tokio::spawn(async move {
            gate.wait_for(|&is_open| is_open).await.unwrap();
            println!("waiter {id}: the gate is open");
        }));
    }
    open.send(true).unwrap(); // one send lets every waiter through
    for waiter in waiters {
        waiter.await.unwrap();
    }

    // changed(): wait for a value not yet seen; Err once the senders are
    // gone and the latest value has been seen.
    status.send("stopping").unwrap();
    drop(status);
    while seen.changed().await.is_ok() {
        println!("changed to: {}", *seen.borrow_and_update());
    }
    println!("the sender is gone: changed() gives Err");
}
