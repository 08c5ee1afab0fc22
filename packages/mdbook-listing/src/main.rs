//! `mdbook-listing`: the book's preprocessor (see the library's documentation). mdBook runs it
//! through cargo (`book.toml`), asks `mdbook-listing supports RENDERER` first (yes for all: the
//! `html` book and `mdbook test` must see the same code), then pipes `[context, book]` as JSON
//! through it.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("supports") => return ExitCode::SUCCESS,
        Some(other) => {
            eprintln!("mdbook-listing: unknown command `{other}` (mdBook runs this program)");
            return ExitCode::FAILURE;
        }
        None => {}
    }
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("mdbook-listing: cannot read mdBook's input: {e}");
        return ExitCode::FAILURE;
    }
    match mdbook_listing::run(&input) {
        Ok(book) => {
            println!("{book}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("mdbook-listing: the book's listings are wrong:\n{errors}");
            ExitCode::FAILURE
        }
    }
}
