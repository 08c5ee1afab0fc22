async fn print_square(num: u64) {
    println!("Square: {}", num * num);
}

async fn print_cube(num: u64) {
    println!("Cube: {}", num * num * num);
}

#[tokio::main]
async fn main() {
    // Like Thread(target=..., args=(10,)).start()
    let t1 = tokio::spawn(print_square(10));
    let t2 = tokio::spawn(print_cube(10));

    t1.await.unwrap(); // like t1.join()
    t2.await.unwrap();

    println!("Done!"); // both tasks have finished: always the last line
}
