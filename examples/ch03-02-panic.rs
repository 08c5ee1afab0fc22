use std::thread;

fn main() {
    let divisors = [5, 0, 4];

    let handles: Vec<_> = divisors
        .into_iter()
        .map(|d| thread::spawn(move || 100 / d)) // 100 / 0 panics
        .collect();

    // A panic ends only its own thread. join() reports it as an Err
    // holding the panic's payload (usually its message).
    for (d, handle) in divisors.into_iter().zip(handles) {
        match handle.join() {
            Ok(q) => println!("main: 100 / {d} = {q}"),
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_string());
                println!("main: 100 / {d} panicked: {message}");
            }
        }
    }
    println!("Done!");
}
