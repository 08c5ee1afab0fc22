use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::thread;

// A static lives as long as the program: every thread can reach it,
// with no Arc.
static LOOKUPS: AtomicUsize = AtomicUsize::new(0);

// Built on first use, by whichever thread gets there first; the others
// wait for it.
static CAPITALS: LazyLock<HashMap<&str, &str>> = LazyLock::new(|| {
    println!("building the table of capitals (once)");
    HashMap::from([("France", "Paris"), ("Japan", "Tokyo"), ("Peru", "Lima")])
});

// Empty at first, set once at run time.
static GREETING: OnceLock<String> = OnceLock::new();

fn capital(country: &str) -> &'static str {
    LOOKUPS.fetch_add(1, Ordering::Relaxed);
    CAPITALS.get(country).copied().unwrap_or("unknown")
}

fn main() {
    let word = if std::env::args().any(|a| a == "--fr") {
        "Bonjour"
    } else {
        "Hello"
    };
    GREETING.set(word.to_string()).unwrap();
    // A second set() is refused: the value is already there.
    println!("second set refused: {}", GREETING.set("Hi".into()).is_err());

    // Made at run time, then leaked: never freed, so it can be borrowed
    // for 'static.
    let visitors: &'static [String] =
        Box::leak(Box::new(["Ana".into(), "Bo".into(), "Chen".into()]));

    let countries = ["France", "Japan", "Peru"];
    let handles: Vec<_> = visitors
        .iter()
        .zip(countries)
        .map(|(name, country)| {
            thread::spawn(move || {
                let greeting = GREETING.get().unwrap();
                format!(
                    "{greeting} {name}: the capital of {country} is {}",
                    capital(country)
                )
            })
        })
        .collect();
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
    println!("lookups: {}", LOOKUPS.load(Ordering::Relaxed));
}
