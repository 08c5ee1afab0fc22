use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

/// Adds to the total under a std Mutex: the guard ends with this call.
fn add(total: &Mutex<u64>, n: u64) {
    *total.lock().unwrap() += n;
}

async fn job(id: u64, total: Arc<Mutex<u64>>) {
    // An Rc (not Send) in a block of its own: gone before the .await.
    let label = {
        let name: Rc<str> = Rc::from(format!("job {id}"));
        let copy = Rc::clone(&name);
        format!("{copy} ({} Rc handles)", Rc::strong_count(&name))
    };
    sleep(Duration::from_millis(10)).await;
    add(&total, id); // a lock inside a plain fn
    {
        let mut guard = total.lock().unwrap(); // or inside a block
        *guard += 10;
    } // the guard is gone here, before the next .await
    sleep(Duration::from_millis(10)).await;
    println!("{label}: done");
}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0));
    let mut handles = Vec::new();
    for id in 1..=3 {
        handles.push(tokio::spawn(job(id, Arc::clone(&total))));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    println!("total: {}", total.lock().unwrap()); // 1 + 2 + 3 + 3 * 10
}
