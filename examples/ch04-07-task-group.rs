use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// One step of a job. Each task holds a clone of `alive`: the channel closes
/// when the last task is gone, finished or aborted.
async fn step(
    name: &str,
    ms: u64,
    fails: bool,
    _alive: mpsc::Sender<()>,
) -> Result<String, String> {
    sleep(Duration::from_millis(ms)).await;
    if fails {
        return Err(format!("{name} failed"));
    }
    println!("{name}: finished"); // the aborted step never gets here
    Ok(name.to_string())
}

#[tokio::main]
async fn main() {
    let (alive, mut all_gone) = mpsc::channel::<()>(1);
    let mut set = JoinSet::new();
    set.spawn(step("quick", 10, false, alive.clone()));
    set.spawn(step("flaky", 100, true, alive.clone()));
    set.spawn(step("slow", 5_000, false, alive));

    // Take the results as the tasks finish; stop at the first error.
    while let Some(joined) = set.join_next().await {
        match joined.expect("no task panicked") {
            Ok(name) => println!("joined {name}"),
            Err(e) => {
                println!("error: {e}; dropping the set");
                break;
            }
        }
    }
    drop(set); // aborts every task still in it

    // recv() gives None once every task's future (with its Sender) is gone.
    assert!(all_gone.recv().await.is_none());
    println!("every task is gone; main returns");
}
