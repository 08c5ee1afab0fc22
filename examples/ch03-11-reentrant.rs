use std::sync::{Mutex, TryLockError};

fn push_item(items: &mut Vec<String>, item: &str) {
    items.push(item.to_string());
}

/// Locks once, then hands the data (not the Mutex) to the helper.
fn push_pair(list: &Mutex<Vec<String>>, a: &str, b: &str) {
    let mut items = list.lock().unwrap();
    push_item(&mut items, a);
    push_item(&mut items, b);
}

fn main() {
    let list = Mutex::new(Vec::new());

    let guard = list.lock().unwrap();
    // A second list.lock() here would never return: it may deadlock, or
    // panic. try_lock() asks without waiting:
    let answer = match list.try_lock() {
        Err(TryLockError::WouldBlock) => "WouldBlock",
        Err(TryLockError::Poisoned(_)) => "poisoned",
        Ok(_) => "acquired",
    };
    println!("second lock, same thread: {answer}");
    drop(guard);

    push_pair(&list, "first", "second");
    println!("after push_pair: {:?}", list.lock().unwrap());
}
