use std::cell::RefCell;
use std::rc::Rc;

use tokio::task::{self, LocalSet};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Rc and RefCell are not Send: tokio::spawn would refuse these tasks.
    let visits = Rc::new(RefCell::new(Vec::new()));

    // A LocalSet runs its tasks on the thread that drives it, so they never
    // move.
    let local = LocalSet::new();
    local
        .run_until(async {
            let mut handles = Vec::new();
            for city in ["Lagos", "Lima", "Lyon"] {
                let visits = Rc::clone(&visits);
                handles.push(task::spawn_local(async move {
                    // The Rc is alive across this .await: fine here
                    task::yield_now().await;
                    visits.borrow_mut().push(city);
                }));
            }
            for handle in handles {
                handle.await.unwrap();
            }
        })
        .await;

    let mut visits = visits.borrow().clone();
    visits.sort();
    println!("visited: {visits:?}");
    println!(
        "tasks ran on one thread, sharing an Rc<RefCell<Vec<_>>>: \
         no Arc, no Mutex"
    );
}
