use std::sync::Mutex;
use std::thread;

struct Account {
    id: u32,
    balance: Mutex<i64>,
}

/// Locks the account with the smaller id first, whichever way the money
/// goes. From an account to itself, there is nothing to move, and nothing
/// to lock: taking its lock twice would never return.
fn transfer(from: &Account, to: &Account, amount: i64) {
    if from.id == to.id {
        return;
    }
    let (mut from_balance, mut to_balance);
    if from.id < to.id {
        from_balance = from.balance.lock().unwrap();
        to_balance = to.balance.lock().unwrap();
    } else {
        to_balance = to.balance.lock().unwrap();
        from_balance = from.balance.lock().unwrap();
    }
    *from_balance -= amount;
    *to_balance += amount;
}

fn main() {
    let alice = Account {
        id: 1,
        balance: Mutex::new(100),
    };
    let bob = Account {
        id: 2,
        balance: Mutex::new(100),
    };

    thread::scope(|s| {
        s.spawn(|| (0..10_000).for_each(|_| transfer(&alice, &bob, 10)));
        s.spawn(|| (0..10_000).for_each(|_| transfer(&bob, &alice, 10)));
    });
    println!("20000 transfers in opposite directions, no deadlock");

    transfer(&alice, &alice, 10);
    println!("a transfer from alice to alice returned");

    let a = *alice.balance.lock().unwrap();
    let b = *bob.balance.lock().unwrap();
    println!("alice: {a}, bob: {b}, total: {}", a + b);
}
