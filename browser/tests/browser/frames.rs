//! A book page framed by another page shows no runner: framed, its buttons could be hidden
//! under a decoy and clicked by a reader who thinks they click something else (clickjacking).
//! The book is served without a header that forbids framing (`mdbook serve` sends none), so
//! `theme/runner.js` refuses to start inside a frame; the runner's own answers carry
//! `frame-ancestors 'none'`, so the browser does not show them in a frame at all.

use serde_json::{Value, json};

use super::{Browser, serve_book, start_runner};

/// A frame of `src` that says when it has loaded (`data-loaded`): the top page sees the
/// frame's `load` whatever the frame's origin, and whether or not it was allowed to render.
fn frame_of(src: &str) -> String {
    format!(
        "<iframe id=\"framed\" src=\"{src}\" width=\"1000\" height=\"700\" \
         onload=\"this.dataset.loaded = '1'\"></iframe>"
    )
}

/// Serves, from an origin of its own (another port of 127.0.0.1, so another origin for the
/// browser), a page whose only content is a frame of `src`. Returns the page's address.
fn serve_framing_page(src: &str) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = server.server_addr().to_ip().unwrap().port();
    let page = format!(
        "<!DOCTYPE html><html><head><title>a foreign page</title></head><body>{}</body></html>",
        frame_of(src)
    );
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = tiny_http::Response::from_data(page.clone().into_bytes()).with_header(
                tiny_http::Header::from_bytes("Content-Type", "text/html; charset=utf-8").unwrap(),
            );
            let _ = request.respond(response);
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// What the framed book page did: its runner state, its runner elements, and every address
/// it fetched (the test server's probe records each `fetch`).
const FRAMED_STATE: &str = r#"
return {runner: document.documentElement.dataset.runner || null,
        bars: document.querySelectorAll('.runner-bar, .runner-output, .runner-run').length,
        fetched: window.__fetched || null};"#;

impl Browser {
    /// Waits until the top page's frame has loaded and enters it.
    async fn enter_frame_once_loaded(&self, what: &str) {
        self.wait_until(
            &format!("for the frame to load ({what})"),
            "var f = document.getElementById('framed'); return !!f && !!f.dataset.loaded;",
        )
        .await;
        self.client().enter_frame(0).await.unwrap();
    }

    /// The state of the framed book page once its runner script has decided.
    async fn framed_book_page(&self, what: &str) -> Value {
        self.enter_frame_once_loaded(what).await;
        self.wait_for_scripts().await;
        let state = self.js(FRAMED_STATE).await;
        self.client().enter_parent_frame().await.unwrap();
        state
    }
}

fn assert_no_runner(state: &Value, runner_port: u16, which: &str) {
    assert_eq!(
        state["runner"],
        json!("off"),
        "{which}: the framed page's runner went on: {state}"
    );
    assert_eq!(state["bars"], json!(0), "{which}: runner buttons: {state}");
    let runner = format!("127.0.0.1:{runner_port}");
    let fetched = state["fetched"].as_array().expect("the probe's fetches");
    let asked: Vec<&Value> = fetched
        .iter()
        .filter(|url| url.as_str().is_some_and(|u| u.contains(&runner)))
        .collect();
    assert!(asked.is_empty(), "{which}: it asked the runner: {asked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn a_framed_page_shows_no_runner() {
    let runner = start_runner().await;
    let browser = Browser::start().await;
    let port = runner.addr.port();
    let page = format!(
        "ch02-01-continents.html?token={}&runner={port}",
        runner.token
    );
    let framed = format!("{}{page}", serve_book());

    // On its own, with the secret, the page shows its runner (and the probe sees it ask the
    // runner): the frames below change only that they are frames.
    browser
        .open_with_runner(serve_book(), "ch02-01-continents.html", &runner)
        .await;
    let alone = browser.js(FRAMED_STATE).await;
    assert!(
        alone["fetched"].to_string().contains("/api/status"),
        "the probe saw no fetch of the runner: {alone}"
    );

    // Framed by a page of the book's own origin.
    browser.open("index.html").await;
    browser
        .client()
        .execute(
            "document.body.innerHTML = arguments[0];",
            vec![json!(frame_of(&framed))],
        )
        .await
        .unwrap();
    let same_origin = browser.framed_book_page("the book's origin").await;
    assert_no_runner(&same_origin, port, "framed by the book's origin");

    // Framed by a page of another origin.
    browser
        .load(&serve_framing_page(&framed), "a foreign page")
        .await;
    let foreign = browser.framed_book_page("another origin").await;
    assert_no_runner(&foreign, port, "framed by another origin");

    // The runner's own answer, framed: `frame-ancestors 'none'` keeps it out of the frame,
    // where Chromium shows its error page instead (the answer's JSON is not there).
    let status = format!("http://127.0.0.1:{port}/api/status");
    browser
        .load(
            &serve_framing_page(&status),
            "a page that frames the runner",
        )
        .await;
    browser.enter_frame_once_loaded("the runner's answer").await;
    let shown = browser
        .js("return {href: location.href, text: document.body ? document.body.innerText : ''};")
        .await;
    browser.client().enter_parent_frame().await.unwrap();
    browser.close().await;
    eprintln!("the runner's answer, framed: {shown}");
    assert_ne!(
        shown["href"],
        json!(status),
        "the runner's answer was shown in a frame: {shown}"
    );
}
