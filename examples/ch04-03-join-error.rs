use tokio::task::JoinError;

async fn parse(text: &'static str) -> i32 {
    match text.parse() {
        Ok(n) => n,
        Err(_) => panic!("{text:?} is not a number"),
    }
}

#[tokio::main]
async fn main() {
    let good = tokio::spawn(parse("42"));
    let bad = tokio::spawn(parse("forty-two"));

    println!("good task: {:?}", good.await);

    // The panic stayed inside its task: main runs on, and gets it as a value.
    let outcome: Result<i32, JoinError> = bad.await;
    match outcome {
        Ok(n) => println!("bad task returned {n}"),
        Err(e) if e.is_panic() => {
            let message = e.into_panic(); // the value given to panic!
            let text = message.downcast_ref::<String>().unwrap();
            println!("bad task panicked ({text}); main carries on");
        }
        Err(e) => println!("bad task was cancelled: {e}"),
    }
    println!("main is done");
}
