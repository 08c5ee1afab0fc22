use std::collections::BTreeSet;
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Three workers: each waits at `go`, then puts its number in `list`
/// and sends it on `tx`. Until `main` also waits at `go`, they are
/// held back, as on a machine too busy to give them the CPU.
fn workers(
    list: &Arc<Mutex<Vec<u32>>>,
    go: &Arc<Barrier>,
    tx: &mpsc::Sender<u32>,
) -> Vec<JoinHandle<()>> {
    let start = |n| {
        let (list, go, tx) = (list.clone(), go.clone(), tx.clone());
        thread::spawn(move || {
            go.wait();
            list.lock().unwrap().push(n);
            tx.send(n).unwrap();
        })
    };
    (1..=3).map(start).collect()
}

/// The flaky test: sleep, then look. Here the workers are late.
fn sleep_then_look() -> String {
    let (list, go) = (Arc::default(), Arc::new(Barrier::new(4)));
    let (tx, _rx) = mpsc::channel();
    let handles = workers(&list, &go, &tx);
    thread::sleep(Duration::from_millis(50));
    let seen = list.lock().unwrap().len();
    go.wait(); // only now do the workers get going
    handles.into_iter().for_each(|h| h.join().unwrap());
    let verdict = if seen == 3 { "passed" } else { "FAILED" };
    format!("{verdict}, saw {seen} of 3")
}

/// The sound test: receive three numbers (a rendezvous), check the set.
fn wait_then_check(late: bool) -> String {
    let (list, go) = (Arc::default(), Arc::new(Barrier::new(4)));
    let (tx, rx) = mpsc::channel();
    let handles = workers(&list, &go, &tx);
    if late {
        thread::sleep(Duration::from_millis(50));
    }
    go.wait();
    let got: BTreeSet<u32> = rx.iter().take(3).collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let held = got == BTreeSet::from([1, 2, 3]);
    format!("{}, saw {got:?}", if held { "held" } else { "FAILED" })
}

fn main() {
    println!(
        "workers on time, wait then check: {}",
        wait_then_check(false)
    );
    println!("workers late, sleep then look: {}", sleep_then_look());
    println!("workers late, wait then check: {}", wait_then_check(true));
}
