use tokio::runtime::{Builder, Handle};
use tokio::task::block_in_place;

fn main() {
    // Quiet the default panic report: we print each message ourselves.
    std::panic::set_hook(Box::new(|_| {}));

    let one_thread = Builder::new_current_thread().build().unwrap();
    one_thread.block_on(async {
        let joined = tokio::spawn(async { block_in_place(|| 7) }).await;
        report("block_in_place on current_thread", joined);
        let joined = tokio::spawn(async {
            Handle::current().block_on(async { 7 }) // inside async code
        })
        .await;
        report("block_on inside a task", joined);
    });

    let workers = Builder::new_multi_thread().worker_threads(2).build();
    workers.unwrap().block_on(async {
        let joined = tokio::spawn(async {
            // This worker's core (its other tasks) goes to a new
            // thread first, then this thread blocks right here.
            block_in_place(|| {
                std::thread::sleep(std::time::Duration::from_millis(10));
                7
            })
        })
        .await;
        report("block_in_place on multi_thread", joined);
    });
}

fn report(what: &str, joined: Result<i32, tokio::task::JoinError>) {
    match joined {
        Ok(n) => println!("{what}: returned {n}"),
        Err(e) => println!("{what}: panicked:\n {}", wrap(message(e))),
    }
}

fn message(e: tokio::task::JoinError) -> String {
    match e.into_panic().downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast_ref::<&str>().unwrap().to_string(),
    }
}

fn wrap(text: String) -> String {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        if lines.last().unwrap().len() + word.len() > 70 {
            lines.push(String::new());
        }
        *lines.last_mut().unwrap() += &format!(" {word}");
    }
    lines.join("\n ")
}
