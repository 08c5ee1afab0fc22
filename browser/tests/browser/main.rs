//! The built book, in a real browser: headless Chromium driven over WebDriver.
//!
//! These tests need the built book (`book/`) and Debian's `chromium` + `chromium-driver`;
//! `cargo xtask test` provides both and runs them with `--ignored`. By hand:
//!
//! ```text
//! cargo xtask build && cargo test -p browser-tests -- --ignored
//! ```
//!
//! The book is served from 127.0.0.1 by a small static server that adds one script to each
//! page: it records JavaScript errors and failed loads, what the copy button copies and every
//! address the page fetches, and answers the public playground's crate list (out of reach from
//! test machines) the way the playground does, so the play buttons behave as they do for a
//! reader.
//!
//! No test sleeps and then asserts: each waits for a positive sign (the page loaded, its runner
//! script decided, a result appeared), and every wait is generous, stretched on a slow machine
//! by `COURSE_TEST_TIME_SCALE` (`course_book::patience`); a wait that runs out names the page
//! and what it waited for.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use course_book::directive;

// The harness shared with a11y.rs: paths, the book's server, the browser, the runner.
#[path = "../common/mod.rs"]
mod common;
use common::{Browser, book_dir, end_marked, pages, patience, project_root, wait_limit};

// The tests, by topic (the probe, the server and the helpers below serve them all).
mod charts;
mod diagrams;
mod frames;
mod pages;
mod pairs;
mod quizzes;
mod runner;
use fantoccini::Locator;
use serde_json::{Value, json};

/// [`PROBE`], answering the playground's crate list with every crate the listings may use
/// (`mdbook_listing::CRATES`, which get their `# extern crate` lines): the test machines cannot
/// ask the public playground, whose list changes; so the play buttons are checked against
/// mdBook's own rule (hidden for a crate the list lacks) with the book's crates all offered.
fn probe() -> String {
    let crates: Vec<Value> = mdbook_listing::CRATES
        .iter()
        .map(|id| json!({ "id": id }))
        .collect();
    PROBE.replace("PLAYGROUND_CRATES", &Value::from(crates).to_string())
}

/// Runs before anything else on every page the test server sends.
///
/// The crate list is answered within the very task that asks for it (promises only, no
/// network, no body to stream), so mdBook has set its play buttons before the page's scripts
/// have finished running: before the page's load, which [`Browser::open`] waits for.
const PROBE: &str = r#"<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  var what = e.message || ('failed to load ' + ((t && (t.src || t.href)) || 'a resource'));
  window.__errors.push(what);
}, true);
window.addEventListener('unhandledrejection', function (e) {
  window.__errors.push('unhandled promise rejection: ' + e.reason);
});
window.__fetched = [];
var realFetch = window.fetch;
window.fetch = function (url) {
  window.__fetched.push(String(url));
  if (String(url).indexOf('play.rust-lang.org/meta/crates') >= 0) {
    var crates = {crates: PLAYGROUND_CRATES};
    return Promise.resolve({ok: true, json: function () { return Promise.resolve(crates); }});
  }
  return realFetch.apply(this, arguments);
};
window.__copied = [];
document.addEventListener('copy', function () {
  var el = document.activeElement;
  var text = (el && typeof el.value === 'string')
    ? el.value.substring(el.selectionStart, el.selectionEnd)
    : String(window.getSelection());
  window.__copied.push(text);
}, true);
</script>"#;

/// Serves `book/` on 127.0.0.1 for the whole test run, with [`probe`] in each page; returns its
/// base URL.
fn serve_book() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| common::serve(book_dir(), probe()))
}

impl Browser {
    /// Opens a page of the book and waits until it has loaded.
    async fn open(&self, page: &str) {
        self.load(&format!("{}{page}", serve_book()), page).await;
    }

    /// Waits until the page's last script, the runner's, has decided whether to add its
    /// buttons (`<html data-runner>`): every script of the page has run by then.
    async fn wait_for_scripts(&self) {
        self.wait_until(
            "for the page's scripts (the runner's sets <html data-runner>)",
            "return !!document.documentElement.dataset.runner;",
        )
        .await;
    }
}

/// The local runner (`runner/`), started for this test server's book; its edited builds go to
/// `target/browser/runner`.
async fn start_runner() -> course_runner::Server {
    common::start_runner(serve_book(), "target/browser/runner").await
}
