use std::sync::{Mutex, PoisonError};
use std::thread;

struct Accounts {
    alice: i64,
    bob: i64,
}

fn main() {
    let accounts = Mutex::new(Accounts {
        alice: 100,
        bob: 100,
    });

    let result = thread::scope(|s| {
        s.spawn(|| {
            let mut accounts = accounts.lock().unwrap();
            accounts.alice -= 50;
            // Bob never gets the 50:
            panic!("crashed in the middle of a transfer");
        })
        .join()
    });
    println!("the transfer thread panicked: {}", result.is_err());
    println!("the mutex is poisoned: {}", accounts.is_poisoned());

    match accounts.lock() {
        Ok(_) => println!("lock() returned Ok"),
        Err(poisoned) => {
            // The error holds the guard: the lock is ours, and the data.
            let mut data = poisoned.into_inner();
            let total = data.alice + data.bob;
            println!(
                "lock() returned Err; inside: alice {}, total {total}",
                data.alice
            );
            data.bob += 50; // repair: finish the transfer
        }
    }
    accounts.clear_poison();

    // The short way, when the data is fine whatever happened:
    let data = accounts.lock().unwrap_or_else(PoisonError::into_inner);
    println!("after the repair: alice {}, bob {}", data.alice, data.bob);
}
