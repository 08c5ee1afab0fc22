/// The function every task runs; `None` means the default continent.
async fn print_func(continent: Option<&str>) {
    let name = continent.unwrap_or("Asia");
    println!("The name of continent is :  {name}");
}

#[tokio::main]
async fn main() {
    let names = [None, Some("America"), Some("Europe"), Some("Africa")];

    let mut tasks = Vec::new();
    for name in names {
        tasks.push(tokio::spawn(print_func(name))); // like Process.start()
    }
    for task in tasks {
        task.await.unwrap(); // like Process.join()
    }
}
