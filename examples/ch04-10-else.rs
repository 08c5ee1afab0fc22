use tokio::sync::mpsc;

/// A channel that already holds `items`, its sender gone: once they are
/// read, `recv()` returns `None`.
fn filled(items: &[u32]) -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(items.len());
    for &item in items {
        tx.try_send(item).unwrap();
    }
    rx
}

#[tokio::main]
async fn main() {
    let (mut a, mut b) = (filled(&[1, 2, 3]), filled(&[10, 20]));
    let mut taken_from_a = 0;
    loop {
        tokio::select! {
            biased;
            // Disabled by its precondition once two came from `a`.
            Some(n) = a.recv(), if taken_from_a < 2 => {
                taken_from_a += 1;
                println!("a: {n}");
            }
            // Disabled when `recv()` gives `None`: the pattern fails.
            Some(n) = b.recv() => println!("b: {n}"),
            else => {
                println!("else: every branch is disabled");
                break;
            }
        }
    }
    println!("left in a: {:?}", a.try_recv().ok());

    // The same loop without `else`, in a task, so that we see its panic.
    let mut b = filled(&[10]);
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(n) = b.recv() => println!("b: {n}"),
            }
        }
    });
    let err = task.await.unwrap_err();
    println!("the task panicked: {}", err.is_panic());
    let payload = err.into_panic();
    let message = payload.downcast_ref::<&str>().unwrap();
    println!("its message: {message}");
}
