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
#[path = "common/mod.rs"]
mod common;
use common::{Browser, book_dir, pages, patience, project_root, wait_limit};

// Tests kept in files of their own, beside this one (tests/browser/).
#[path = "browser/charts.rs"]
mod charts;
#[path = "browser/frames.rs"]
mod frames;
#[path = "browser/pairs.rs"]
mod pairs;
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

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn every_page_loads_without_javascript_errors() {
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    let pages = pages();
    assert!(
        pages.len() >= 4,
        "SUMMARY.md lists too few pages: {pages:?}"
    );
    for page in &pages {
        browser.open(page).await;
        browser.wait_for_scripts().await;
        let errors = browser.js("return window.__errors;").await;
        if errors != json!([]) {
            problems.push(format!("{page}: {errors}"));
        }
        let h1 = browser
            .js("return document.querySelector('main h1') !== null;")
            .await;
        if h1 != json!(true) {
            problems.push(format!("{page}: no <h1> in <main>"));
        }
    }
    browser.close().await;
    assert!(
        problems.is_empty(),
        "JavaScript errors:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn searching_for_thread_finds_the_threads_chapter() {
    let browser = Browser::start().await;
    browser.open("index.html").await;
    let c = browser.client();
    c.find(Locator::Id("search-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let bar = c
        .wait()
        .at_most(wait_limit())
        .for_element(Locator::Id("searchbar"))
        .await
        .unwrap();
    bar.send_keys("thread").await.unwrap();
    browser
        .wait_until(
            "for search results",
            "return document.querySelectorAll('#searchresults a').length > 0;",
        )
        .await;
    let links = browser
        .js("return Array.from(document.querySelectorAll('#searchresults a')).map(a => a.getAttribute('href'));")
        .await;
    browser.close().await;
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert!(
        links.iter().any(|l| l.starts_with("ch03-")),
        "no result in the threads chapter: {links:?}"
    );
}

/// What a page shows about each listing: its caption, whether it has a play button, and its
/// output: the first text block after it (after its `.side-by-side` container, when the listing
/// sits beside its Python counterpart), with no other Rust block in between.
const LISTINGS: &str = r#"
var blocks = Array.from(document.querySelectorAll(
  'main pre > code.language-rust, main pre > code.language-text'));
return Array.from(document.querySelectorAll('main pre > code.language-rust')).map(function (code) {
  // mdBook wraps a playground block in a second <pre>: the outer one sits among the page's blocks.
  var pre = code.parentElement;
  while (pre.parentElement && pre.parentElement.tagName === 'PRE') pre = pre.parentElement;
  var caption = pre.previousElementSibling && pre.previousElementSibling.querySelector('.filename');
  var anchor = pre.closest('.side-by-side') || pre;
  var after = blocks.filter(function (b) {
    return !anchor.contains(b)
      && (anchor.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  var output = after.length > 0 && after[0].classList.contains('language-text') ? after[0] : null;
  var play = code.parentElement.querySelector('.play-button');
  return {
    file: caption ? caption.textContent.replace('Filename: ', '') : null,
    compile_fail: code.classList.contains('compile_fail'),
    ignore: code.classList.contains('ignore'),
    play_shown: !!play && getComputedStyle(play).display !== 'none',
    output: output ? output.textContent : null,
  };
});"#;

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn every_listing_has_its_output_and_the_right_play_button() {
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    let mut listings = 0;
    for page in pages() {
        browser.open(&page).await;
        // The crate list was answered before the page loaded (see PROBE).
        browser.wait_for_scripts().await;
        let found: Vec<Value> = serde_json::from_value(browser.js(LISTINGS).await).unwrap();
        for listing in found {
            if listing["compile_fail"] == json!(true) {
                continue;
            }
            listings += 1;
            let Some(file) = listing["file"].as_str() else {
                problems.push(format!("{page}: a listing without its file name"));
                continue;
            };
            if listing["ignore"] == json!(true) {
                // An exercise's solution: shown, not run (its tests run it), so no output.
                if !(file.starts_with("exercises/") && file.contains("/solution/")) {
                    problems.push(format!("{page}: {file}: only a solution may be `ignore`"));
                }
                if listing["play_shown"] == json!(true) {
                    problems.push(format!("{page}: {file}: a solution has no play button"));
                }
                continue;
            }
            let output = listing["output"].as_str().unwrap_or("");
            if output.trim().is_empty() {
                problems.push(format!("{page}: {file} has no output block after it"));
            }
            let source = std::fs::read_to_string(project_root().join(file)).unwrap();
            // The public playground runs one file with std and its top crates; it cannot run
            // a program that starts itself again as a worker process.
            let playable = !source.contains("current_exe");
            if listing["play_shown"] != json!(playable) {
                problems.push(format!(
                    "{page}: {file}: play button shown = {}, expected {playable}",
                    listing["play_shown"]
                ));
            }
        }
    }
    browser.close().await;
    assert!(listings > 0, "no listings found in the book");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn the_copy_button_copies_the_example_file() {
    let browser = Browser::start().await;
    let c = browser.client();
    let mut checked = 0;
    let mut problems = Vec::new();
    for page in pages() {
        browser.open(&page).await;
        // The buttons appear on hover; show them so that a real (trusted) click can reach them,
        // and open the folded sections (an exercise's solution) for the same reason.
        browser
            .js("var s = document.createElement('style'); s.textContent = 'pre > .buttons { visibility: visible !important; opacity: 1 !important; transition: none !important; }'; document.head.appendChild(s); document.querySelectorAll('details').forEach(function (d) { d.open = true; }); return true;")
            .await;
        let found: Vec<Value> = serde_json::from_value(browser.js(LISTINGS).await).unwrap();
        let buttons = c
            .find_all(Locator::Css(
                "main pre:has(> code.language-rust) .clip-button",
            ))
            .await
            .unwrap();
        assert_eq!(
            found.len(),
            buttons.len(),
            "{page}: one copy button per listing"
        );
        for (listing, button) in found.iter().zip(buttons) {
            let Some(file) = listing["file"].as_str() else {
                continue; // compile_fail snippets have no file
            };
            browser.js("window.__copied = []; return true;").await;
            button
                .click()
                .await
                .unwrap_or_else(|e| panic!("{page}: {file}: {e}"));
            browser
                .wait_until("for the copy", "return window.__copied.length > 0;")
                .await;
            let copied = browser.js("return window.__copied[0];").await;
            let copied = copied.as_str().unwrap_or("");
            let mut source = String::new();
            std::fs::File::open(project_root().join(file))
                .unwrap()
                .read_to_string(&mut source)
                .unwrap();
            // mdBook trims the block's final newline; everything else must be the file.
            if copied != source.trim_end_matches('\n') {
                problems.push(format!(
                    "{page}: the copy button of {file} copied:\n{copied}\n--- instead of the file"
                ));
            }
            checked += 1;
        }
    }
    browser.close().await;
    assert!(checked > 0, "no copy button was checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn the_theme_switch_works_and_a_screenshot_is_saved() {
    let browser = Browser::start().await;
    let page = "ch03-01-square-and-cube.html";
    browser.open(page).await;
    let c = browser.client();
    c.find(Locator::Id("theme-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(wait_limit())
        .for_element(Locator::Id("navy"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_until(
            "for the navy theme",
            "return document.documentElement.classList.contains('navy');",
        )
        .await;
    let background = browser
        .js("return getComputedStyle(document.body).backgroundColor;")
        .await;
    assert_ne!(background, json!("rgb(255, 255, 255)"), "navy is not white");

    // Close the theme menu, so the screenshot shows the page as a reader sees it.
    c.find(Locator::Id("theme-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let png = c.screenshot().await.unwrap();
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(page.replace(".html", ".png"));
    std::fs::write(&shot, &png).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
    eprintln!("screenshot: {}", shot.display());
    browser.close().await;
}

/// The pages that end with a quiz, with the quiz file each shows (`{{#quiz ../quizzes/NAME.toml}}`).
fn quiz_pages() -> Vec<(String, PathBuf)> {
    pages()
        .into_iter()
        .filter_map(|page| {
            let md = project_root()
                .join("src")
                .join(page.replace(".html", ".md"));
            let text = std::fs::read_to_string(md).ok()?;
            let quiz = text
                .lines()
                .find_map(|line| directive::target(line, "quiz"))?;
            let quiz = project_root().join("src").join(quiz);
            Some((page, quiz))
        })
        .collect()
}

fn quiz_questions(quiz: &Path) -> Vec<course_book::quiz::Table> {
    let text = std::fs::read_to_string(quiz).unwrap();
    course_book::quiz::parse(&quiz.display().to_string(), &text)
        .unwrap()
        .questions
        .into_iter()
        .map(|q| q.table)
        .collect()
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn every_quiz_renders_with_its_questions() {
    let browser = Browser::start().await;
    let c = browser.client();
    let quizzes = quiz_pages();
    assert!(
        quizzes.len() >= 20,
        "too few pages show a quiz: {quizzes:?}"
    );
    let mut problems = Vec::new();
    for (page, quiz) in &quizzes {
        browser.open(page).await;
        browser
            .wait_until(
                &format!("for the quiz of {page}"),
                "return document.querySelector('.mdbook-quiz .start') !== null;",
            )
            .await;
        let n = quiz_questions(quiz).len();
        let counter = browser
            .js("return document.querySelector('.mdbook-quiz .counter').textContent;")
            .await;
        if counter != json!(format!("{n} questions")) {
            problems.push(format!(
                "{page}: the quiz says {counter}, its file has {n} questions"
            ));
        }
        c.find(Locator::Css(".mdbook-quiz .start"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .wait_until(
                &format!("for the first question of {page}"),
                "var h = document.querySelector('.mdbook-quiz .prompt h4'); \
                 return h !== null && h.textContent === 'Question 1';",
            )
            .await;
        let errors = browser.js("return window.__errors;").await;
        if errors != json!([]) {
            problems.push(format!("{page}: {errors}"));
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Clicks the radio button of the quiz whose value is `value` (found in JavaScript, so that
/// there is no CSS escaping to get wrong, then clicked for real).
async fn pick(browser: &Browser, value: &str) {
    let found = browser
        .client()
        .execute(
            "var want = arguments[0]; var input = Array.from(document.querySelectorAll('.mdbook-quiz input[type=radio]')) \
               .find(function (i) { return i.value === want; }); \
             document.querySelectorAll('[data-pick]').forEach(function (e) { e.removeAttribute('data-pick'); }); \
             if (input) { input.setAttribute('data-pick', '1'); } \
             return !!input;",
            vec![json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(found, json!(true), "no choice {value:?}");
    browser
        .client()
        .find(Locator::Css(".mdbook-quiz input[data-pick]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Answers a whole quiz as a reader would: every question right but the last, which is
/// answered wrong; the review must count them so.
#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn answering_a_quiz_is_checked() {
    let browser = Browser::start().await;
    let c = browser.client();
    let (page, quiz) = quiz_pages()
        .into_iter()
        .find(|(page, _)| page == "ch01-01-blocking.html")
        .expect("ch01-01-blocking ends with a quiz");
    let questions = quiz_questions(&quiz);
    browser.open(&page).await;
    browser
        .wait_until(
            "for the quiz",
            "return document.querySelector('.mdbook-quiz .start') !== null;",
        )
        .await;
    c.find(Locator::Css(".mdbook-quiz .start"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for (i, q) in questions.iter().enumerate() {
        browser
            .wait_until(
                &format!("for question {}", i + 1),
                &format!(
                    "var h = document.querySelector('.mdbook-quiz .prompt h4'); \
                     return h !== null && h.textContent === 'Question {}';",
                    i + 1
                ),
            )
            .await;
        let right = i + 1 < questions.len();
        let answer = q["answer"].as_table().unwrap();
        match q["type"].as_str().unwrap() {
            "Tracing" => {
                let compiles = answer["doesCompile"].as_bool().unwrap();
                pick(&browser, &(compiles == right).to_string()).await;
                if compiles == right {
                    let stdout = answer.get("stdout").and_then(|s| s.as_str()).unwrap_or("");
                    c.find(Locator::Css(".mdbook-quiz textarea"))
                        .await
                        .unwrap()
                        .send_keys(stdout.trim())
                        .await
                        .unwrap();
                }
            }
            "MultipleChoice" => {
                let value = if right {
                    answer["answer"].as_str().unwrap().to_string()
                } else {
                    q["prompt"]["distractors"][0].as_str().unwrap().to_string()
                };
                pick(&browser, &value).await;
            }
            other => panic!("no way to answer a {other} question"),
        }
        c.find(Locator::Css(".mdbook-quiz [type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    browser
        .wait_until(
            "for the answer review",
            "return document.querySelector('.mdbook-quiz section strong') !== null;",
        )
        .await;
    let score = browser
        .js("return document.querySelector('.mdbook-quiz section strong').textContent;")
        .await;
    let n = questions.len();
    assert_eq!(score, json!(format!("{}/{n}", n - 1)), "the review's score");
    let marks = browser
        .js(
            "return [document.querySelectorAll('.mdbook-quiz .correct').length, \
                     document.querySelectorAll('.mdbook-quiz .incorrect').length];",
        )
        .await;
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    assert!(
        marks[0].as_u64().unwrap() >= 1 && marks[1].as_u64().unwrap() >= 1,
        "{marks}"
    );
    assert_eq!(errors, json!([]), "JavaScript errors");
}

/// Where the two columns of each side-by-side block of a page are, how its code fits (a code
/// block scrolls sideways when its `scrollWidth` exceeds its `clientWidth`: part of a line is
/// hidden), and whether anything on the page is wider than the page.
const COLUMNS: &str = r#"
var content = document.querySelector('.content');
return {
  overflow: content.scrollWidth - content.clientWidth,
  pairs: Array.from(document.querySelectorAll('main .side-by-side')).map(function (pair) {
    function rect(selector) {
      var el = pair.querySelector(':scope > ' + selector);
      if (!el) return null;
      var r = el.getBoundingClientRect();
      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
    }
    var caption = pair.querySelector('.python-side .filename');
    return {
      python_file: caption ? caption.textContent.replace('Filename: ', '') : null,
      rust: rect('.rust-side'),
      python: rect('.python-side'),
      clipped: Array.from(pair.querySelectorAll('pre > code'))
        .filter(function (c) { return c.scrollWidth > c.clientWidth + 1; })
        .map(function (c) { return c.scrollWidth + ' > ' + c.clientWidth; }),
    };
  }),
};"#;

/// The widths a reader's window may have: laptops (1280, 1440), a desktop (1920), with
/// mdBook's sidebar open as it is by default there, and a phone (390).
const WIDTHS: [u32; 4] = [1280, 1440, 1920, 390];

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn side_by_side_blocks_never_clip_a_line() {
    let browser = Browser::start().await;
    let c = browser.client();
    let mut problems = Vec::new();
    let mut pairs_seen = 0;
    let mut beside = [0; WIDTHS.len()];
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    for (w, width) in WIDTHS.into_iter().enumerate() {
        c.set_window_size(width, 900).await.unwrap();
        for page in pages() {
            browser.open(&page).await;
            browser
                .wait_until(
                    &format!("the side-by-side layout of {page}"),
                    "return document.documentElement.dataset.sideBySide === 'ready';",
                )
                .await;
            let found = browser.js(COLUMNS).await;
            let overflow = found["overflow"].as_f64().unwrap_or(0.0);
            if overflow > 1.0 {
                problems.push(format!(
                    "{page} at {width}px: the page is {overflow}px wider than the window"
                ));
            }
            let pairs = found["pairs"].as_array().cloned().unwrap_or_default();
            for pair in &pairs {
                let file = pair["python_file"]
                    .as_str()
                    .unwrap_or("a Python counterpart");
                let (Some(rust), Some(python)) =
                    (pair["rust"].as_object(), pair["python"].as_object())
                else {
                    problems.push(format!(
                        "{page}: {file}: a side-by-side block without both columns"
                    ));
                    continue;
                };
                if pair["clipped"].as_array().is_some_and(|c| !c.is_empty()) {
                    problems.push(format!(
                        "{page} at {width}px: a line of {file} or its Rust twin is clipped \
                         (scrollWidth > clientWidth): {}",
                        pair["clipped"]
                    ));
                }
                let at =
                    |side: &serde_json::Map<String, Value>, key: &str| side[key].as_f64().unwrap();
                let side_by_side = (at(rust, "top") - at(python, "top")).abs() < 1.0
                    && at(python, "left") >= at(rust, "right") - 1.0;
                let stacked = at(python, "top") >= at(rust, "bottom") - 1.0
                    && (at(python, "left") - at(rust, "left")).abs() < 1.0;
                if side_by_side {
                    beside[w] += 1;
                } else if !stacked {
                    problems.push(format!(
                        "{page} at {width}px: {file} is neither beside nor below its Rust \
                         listing: {pair}"
                    ));
                }
                if width < 600 && !stacked {
                    problems.push(format!(
                        "{page} at {width}px: {file} is not below its Rust listing: {pair}"
                    ));
                }
            }
            pairs_seen += pairs.len();
        }
        // A picture of the first tutorial program at this width, for a human to look at.
        browser.open("ch02-01-continents.html").await;
        let png = c.screenshot().await.unwrap();
        let shot = dir.join(format!("side-by-side-{width}.png"));
        std::fs::write(&shot, &png).unwrap();
        eprintln!("screenshot: {}", shot.display());
    }
    eprintln!("pairs shown in two columns at {WIDTHS:?} px: {beside:?}");
    browser.close().await;
    assert!(pairs_seen > 0, "no side-by-side block in the book");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The local runner (`runner/`), started for this test server's book; its edited builds go to
/// `target/browser/runner`.
async fn start_runner() -> course_runner::Server {
    common::start_runner(serve_book(), "target/browser/runner").await
}

/// What a listing's runner output shows: `[stdout, stderr + compiler, status line]`.
const RUNNER_OUTPUT: &str = r#"
var example = arguments[0], python = arguments[1];
var out = Array.from(document.querySelectorAll('.runner-output')).find(function (o) {
  return o.dataset.example === example && o.dataset.python === python;
});
if (!out) return null;
function text(selector) {
  return Array.from(out.querySelectorAll(selector)).map(function (s) { return s.textContent; }).join('');
}
return {state: out.dataset.state || '', stdout: text('.runner-stdout'),
        stderr: text('.runner-stderr, .runner-compiler'), status: text('.runner-status')};"#;

impl Browser {
    /// Clicks one of a listing's runner buttons (`run`, `edit`, `reset`, `stop`).
    async fn runner_click(&self, example: &str, python: bool, which: &str) {
        let css = format!(
            ".runner-bar[data-example='{example}'][data-python='{python}'] .runner-{which}"
        );
        self.client()
            .wait()
            .at_most(wait_limit())
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    async fn runner_output(&self, example: &str, python: bool) -> Value {
        self.client()
            .execute(
                RUNNER_OUTPUT,
                vec![json!(example), json!(python.to_string())],
            )
            .await
            .unwrap()
    }

    /// Waits (up to 120 s: an edited listing is compiled first) until a run has ended.
    async fn runner_wait_done(&self, example: &str, python: bool) -> Value {
        let start = Instant::now();
        loop {
            let output = self.runner_output(example, python).await;
            if output["state"] == json!("done") {
                return output;
            }
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "{example}: the run did not end: {output}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn sorted_lines(text: &Value) -> Vec<String> {
    let mut lines: Vec<String> = text
        .as_str()
        .unwrap_or("")
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

/// The processes of this test's runner that are still alive (the runner marks each process
/// of a run with `COURSE_RUNNER_RUN=<its process id>-<run>`).
fn runner_processes() -> Vec<u32> {
    let prefix = format!("{}-", std::process::id());
    course_book::procs::marked_with_prefix(course_runner::run::MARK_VAR, &prefix)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn the_runner_runs_edits_and_stops_listings_from_the_page() {
    let runner = start_runner().await;
    let browser = Browser::start().await;
    let continents = [
        "The name of continent is :  Africa",
        "The name of continent is :  America",
        "The name of continent is :  Asia",
        "The name of continent is :  Europe",
    ];

    // The address `cargo xtask serve` prints: the secret and the runner's port.
    browser
        .open_with_runner(serve_book(), "ch02-01-continents.html", &runner)
        .await;
    let search = browser.js("return window.location.search;").await;
    assert_eq!(search, json!(""), "the secret stays in the address bar");

    // A process listing: four workers, four lines in some order.
    browser
        .runner_click("ch02-01-continents", false, "run")
        .await;
    let output = browser.runner_wait_done("ch02-01-continents", false).await;
    assert_eq!(sorted_lines(&output["stdout"]), continents, "{output}");
    assert!(
        output["status"]
            .as_str()
            .unwrap()
            .starts_with("exit status 0"),
        "{output}"
    );

    // Its Python twin, when this machine has python3.
    if course_runner::run::find_python().is_some() {
        browser
            .runner_click("ch02-01-continents", true, "run")
            .await;
        let output = browser.runner_wait_done("ch02-01-continents", true).await;
        assert_eq!(sorted_lines(&output["stdout"]), continents, "{output}");
    }

    // Another page: the secret was kept for this tab. Edit square-and-cube to use 3.
    browser.open("ch03-01-square-and-cube.html").await;
    let listing = "ch03-01-square-and-cube";
    browser.runner_click(listing, false, "edit").await;
    // Keys typed in the editor are the editor's: an arrow moves the caret (it does not turn
    // the page), `?` is typed (it does not open mdBook's help).
    let editor = browser
        .client()
        // (Ace's input: a textarea inside the editor.)
        .find(Locator::Css(
            ".runner-editor textarea, textarea.runner-editor",
        ))
        .await
        .unwrap();
    editor.send_keys("\u{E014}?").await.unwrap(); // ArrowRight, then `?`
    // The keys have arrived once the `?` is in the editor (a page turned by the arrow would
    // have no editor: the wait would name it).
    browser
        .wait_until(
            "for the `?` typed into the editor",
            "var t = document.querySelector('.runner-editor'); \
             return t !== null && t.value.indexOf('?') >= 0;",
        )
        .await;
    let state = browser
        .js("var h = document.getElementById('mdbook-help-container'); \
             var t = document.querySelector('.runner-editor'); \
             return [location.pathname, h ? getComputedStyle(h).display : 'none', \
                     t ? t.value.indexOf('?') >= 0 : false];")
        .await;
    assert!(
        state[0]
            .as_str()
            .unwrap()
            .ends_with("/ch03-01-square-and-cube.html")
            && state[1] == json!("none")
            && state[2] == json!(true),
        "keys typed in the editor reached the page: {state}"
    );
    browser
        .js("var t = document.querySelector('.runner-editor'); t.value = t.value.replace('?', ''); return true;")
        .await;
    let edited = browser
        .js("var t = document.querySelector('.runner-editor'); \
             t.value = t.value.split('(10)').join('(3)'); return t.value;")
        .await;
    assert!(
        edited.as_str().unwrap().contains("print_square(3)"),
        "{edited}"
    );
    browser.runner_click(listing, false, "run").await;
    let output = browser.runner_wait_done(listing, false).await;
    let stdout = output["stdout"].as_str().unwrap();
    assert!(stdout.lines().any(|l| l == "Square: 9"), "{output}");
    assert!(stdout.lines().any(|l| l == "Cube: 27"), "{output}");
    let png = browser.client().screenshot().await.unwrap();
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("runner-edited.png"), &png).unwrap();
    eprintln!("screenshot: {}", dir.join("runner-edited.png").display());

    // A compile error, as rustc prints it.
    browser
        .js("var t = document.querySelector('.runner-editor'); \
             t.value = t.value.replace('fn main() {', 'fn main() {\\n    let n: u64 = \"three\";'); return true;")
        .await;
    browser.runner_click(listing, false, "run").await;
    let output = browser.runner_wait_done(listing, false).await;
    assert!(
        output["stderr"].as_str().unwrap().contains("error[E0308]"),
        "{output}"
    );
    assert!(
        output["status"].as_str().unwrap().contains("not run"),
        "{output}"
    );

    // A program that never ends, stopped from the page: nothing of it is left.
    browser
        .js("document.querySelector('.runner-editor').value = \
             'fn main() {\\n    println!(\"started\");\\n    loop {\\n        std::thread::sleep(std::time::Duration::from_millis(10));\\n    }\\n}\\n'; return true;")
        .await;
    browser.runner_click(listing, false, "run").await;
    browser
        .wait_until(
            "for the endless program to start",
            "return Array.from(document.querySelectorAll('.runner-stdout')).some(function (s) { return s.textContent.indexOf('started') >= 0; });",
        )
        .await;
    assert!(!runner_processes().is_empty(), "the program runs");
    browser.runner_click(listing, false, "stop").await;
    let output = browser.runner_wait_done(listing, false).await;
    assert_eq!(output["status"], json!("stopped"), "{output}");
    let start = Instant::now();
    while !runner_processes().is_empty() {
        assert!(
            start.elapsed() < patience(Duration::from_secs(30)),
            "left running after Stop: {:?}",
            runner_processes()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Reset: the listing as the file has it.
    browser.runner_click(listing, false, "reset").await;
    let editors = browser
        .js("return document.querySelectorAll('.runner-editor').length;")
        .await;
    assert_eq!(editors, json!(0));
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    runner.shutdown();
    assert_eq!(errors, json!([]), "JavaScript errors");
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn without_a_runner_the_book_shows_no_runner_buttons() {
    let browser = Browser::start().await;
    // The book as built for static hosting: no secret.
    browser.open("ch02-01-continents.html").await;
    browser.wait_for_scripts().await;
    let state = browser
        .js("return document.documentElement.dataset.runner;")
        .await;
    assert_eq!(
        state,
        json!("off"),
        "no secret, yet the runner script went on"
    );
    let bars = browser
        .js("return document.querySelectorAll('.runner-bar, .runner-output').length;")
        .await;
    assert_eq!(bars, json!(0), "runner buttons on the static book");
    // A secret, but no runner answering on that port (an old address, say).
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let token = "0".repeat(64);
    browser
        .open(&format!(
            "ch03-01-square-and-cube.html?token={token}&runner={closed}"
        ))
        .await;
    // The runner script asked that port and heard nothing: then, and only then, it decides.
    browser.wait_for_scripts().await;
    let state = browser
        .js("return document.documentElement.dataset.runner;")
        .await;
    assert_eq!(
        state,
        json!("off"),
        "no runner answers, yet the script went on"
    );
    let bars = browser
        .js("return document.querySelectorAll('.runner-bar, .runner-output').length;")
        .await;
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    assert_eq!(bars, json!(0), "runner buttons with no runner");
    assert_eq!(errors, json!([]), "JavaScript errors");
}

/// `mdbook serve` on a copy of the book's sources in `target/browser/live/` (so that the test
/// can change a page), ended when dropped.
struct MdbookServe {
    child: Child,
    dir: PathBuf,
}

impl MdbookServe {
    fn start(port: u16) -> MdbookServe {
        let root = project_root();
        let dir = root.join("target/browser/live");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The pages and their configuration are copied; what they include is linked. The
        // .gitignore keeps mdbook's watcher out of target/.
        let status = Command::new("cp")
            .args(["-r", "src", "theme", "book.toml", ".gitignore"])
            .arg(&dir)
            .current_dir(&root)
            .status()
            .unwrap();
        assert!(status.success(), "copying the book's sources");
        // The book's own preprocessor is run through cargo from the project's workspace: the
        // copy's book.toml names its manifest by its full path (a relative one would not exist
        // in the copy, and mdBook would skip the preprocessor, leaving `{{#listing}}` unexpanded).
        let book_toml = dir.join("book.toml");
        let config = std::fs::read_to_string(&book_toml).unwrap();
        let manifest = root.join("packages/mdbook-listing/Cargo.toml");
        let rewritten = config.replace(
            "--manifest-path packages/mdbook-listing/Cargo.toml",
            &format!("--manifest-path {}", manifest.display()),
        );
        assert_ne!(
            rewritten, config,
            "book.toml no longer runs packages/mdbook-listing"
        );
        std::fs::write(&book_toml, rewritten).unwrap();
        for linked in ["examples", "exercises", "quizzes", "bench", "target"] {
            std::os::unix::fs::symlink(root.join(linked), dir.join(linked)).unwrap();
        }
        let log = std::fs::File::create(root.join("target/browser/live-mdbook.log")).unwrap();
        // The native watcher (inotify) logs "Listening for changes" once it watches; the
        // default poller logs its "Watching" line before its first scan, so a change made just
        // then could be taken for the starting point and never reload the page.
        let child = Command::new("mdbook")
            .env("PATH", course_book::tools::book_path())
            .args([
                "serve",
                "--watcher",
                "native",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mdbook serve (the pinned tools: `cargo xtask tools`)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "mdbook serve did not start: see target/browser/live-mdbook.log"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        MdbookServe { child, dir }
    }

    /// Waits until mdbook's watcher watches the sources (it says so in its log).
    fn wait_for_watcher(&self) {
        let log = project_root().join("target/browser/live-mdbook.log");
        let start = Instant::now();
        while !std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("Listening for changes")
        {
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "mdbook serve never said it watches the sources: see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for MdbookServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The book as `cargo xtask serve` serves it (mdbook serve and the runner): a change to a page
/// reloads it, and the reloaded page still has its Run buttons (the secret was kept for the
/// tab), which still run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built examples, the pinned tools and chromium: run by `cargo xtask test`"]
async fn live_reload_keeps_the_run_buttons() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let serve = MdbookServe::start(port);
    let config = course_runner::Config::for_project(
        &project_root(),
        vec![format!("http://127.0.0.1:{port}")],
    );
    let config = course_runner::Config {
        scratch_dir: project_root().join("target/browser/runner"),
        ..config
    };
    let runner = course_runner::start(config, 0).await.unwrap();
    let browser = Browser::start().await;
    let c = browser.client();
    let url = format!(
        "http://127.0.0.1:{port}/ch02-01-continents.html?token={}&runner={}",
        runner.token,
        runner.addr.port()
    );
    c.goto(&url).await.unwrap();
    browser
        .wait_until(
            "for the Run buttons",
            "return document.querySelector('.runner-run') !== null;",
        )
        .await;
    browser
        .js("window.__before_reload = true; return true;")
        .await;
    serve.wait_for_watcher();
    let page = serve.dir.join("src/ch02-01-continents.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n\nA sentence added while the book is served.\n");
    std::fs::write(&page, text).unwrap();
    let start = Instant::now();
    loop {
        let reloaded = browser
            .js(
                "return window.__before_reload !== true && document.readyState === 'complete' \
                 && document.body.textContent.indexOf('A sentence added while') >= 0;",
            )
            .await;
        if reloaded == json!(true) {
            break;
        }
        assert!(
            start.elapsed() < patience(Duration::from_secs(90)),
            "the page was not reloaded: see target/browser/live-mdbook.log"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .wait_until(
            "for the Run buttons after the reload",
            "return document.querySelector('.runner-run') !== null;",
        )
        .await;
    browser
        .runner_click("ch02-01-continents", false, "run")
        .await;
    let output = browser.runner_wait_done("ch02-01-continents", false).await;
    browser.close().await;
    runner.shutdown();
    drop(serve);
    assert_eq!(sorted_lines(&output["stdout"]).len(), 4, "{output}");
}

/// What a page's diagrams look like in the browser (`src/diagrams/`, `theme/diagrams.css`):
/// for each `<figure class="diagram">`, whether it holds an `<svg>` whose `aria-labelledby`
/// finds its own `<title>` and `<desc>` (ids unique on the page), how wide it is drawn, its
/// smallest text in CSS pixels once scaled, the lowest contrast of its text against the page,
/// and whether it fits the window or scrolls.
const DIAGRAMS: &str = r#"
function lum(rgb) {
  const m = rgb.match(/[\d.]+/g);
  if (!m) return null;
  const c = m.slice(0, 3).map(v => {
    v = Number(v) / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const bg = lum(getComputedStyle(document.querySelector('.page-wrapper')).backgroundColor);
return [...document.querySelectorAll('figure.diagram')].map(fig => {
  const svg = fig.querySelector('svg');
  if (!svg) return {svg: false};
  const named = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(el => el && svg.contains(el));
  const r = svg.getBoundingClientRect();
  const scale = r.width / svg.viewBox.baseVal.width;
  let minText = Infinity, minContrast = Infinity;
  for (const t of svg.querySelectorAll('text')) {
    minText = Math.min(minText, parseFloat(getComputedStyle(t).fontSize) * scale);
    const l = lum(getComputedStyle(t).fill);
    if (l !== null) {
      minContrast = Math.min(minContrast, (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05));
    }
  }
  return {
    svg: true,
    title: svg.querySelector('title') ? svg.querySelector('title').textContent : '',
    named: named.length,
    width: r.width,
    height: r.height,
    minText: minText,
    minContrast: minContrast,
    scrolls: fig.scrollWidth > fig.clientWidth + 1,
    outside: fig.getBoundingClientRect().left < -1
      || fig.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
    column: fig.getBoundingClientRect().width,
  };
});
"#;

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn every_diagram_renders_in_light_and_navy_on_a_phone_and_a_desktop() {
    let pages: Vec<String> = pages()
        .into_iter()
        .filter(|page| {
            let md = project_root()
                .join("src")
                .join(page.replace(".html", ".md"));
            std::fs::read_to_string(md)
                .is_ok_and(|text| text.contains("<figure class=\"diagram\">"))
        })
        .collect();
    let browser = Browser::start().await;
    let c = browser.client();
    let dir = project_root().join("target/browser/diagrams");
    std::fs::create_dir_all(&dir).unwrap();
    let mut problems = Vec::new();
    let mut titles = std::collections::BTreeSet::new();
    let mut rendered = 0;
    let mut smallest_text = f64::MAX; // at 390 px, in CSS pixels
    let mut lowest_contrast = [f64::MAX; 2]; // light, navy
    for width in [1280, 390] {
        c.set_window_size(width, 900).await.unwrap();
        for (t, theme) in ["light", "navy"].into_iter().enumerate() {
            for page in &pages {
                browser.open(page).await;
                browser
                    .js(&format!("localStorage.setItem('mdbook-theme', '{theme}');"))
                    .await;
                browser.open(page).await;
                browser
                    .wait_until(
                        &format!("for the {theme} theme"),
                        &format!("return document.documentElement.classList.contains('{theme}');"),
                    )
                    .await;
                let found = browser.js(DIAGRAMS).await;
                let figures = found.as_array().cloned().unwrap_or_default();
                let where_ = format!("{page}, {theme}, {width}px");
                for (i, fig) in figures.iter().enumerate() {
                    let at = format!("{where_}, diagram {}", i + 1);
                    if fig["svg"] != json!(true) {
                        problems.push(format!("{at}: no <svg> in the figure"));
                        continue;
                    }
                    let num = |key: &str| fig[key].as_f64().unwrap_or(0.0);
                    if num("named") < 2.0 {
                        problems.push(format!(
                            "{at}: aria-labelledby does not find this SVG's own <title> and <desc>"
                        ));
                    }
                    if num("width") < 100.0 || num("height") < 50.0 {
                        problems.push(format!("{at}: drawn {}x{} px", num("width"), num("height")));
                    }
                    if num("minText") < 10.9 && fig["scrolls"] != json!(true) {
                        problems.push(format!("{at}: text {:.1} px", num("minText")));
                    }
                    if num("minContrast") < 4.5 {
                        problems.push(format!("{at}: text contrast {:.2}:1", num("minContrast")));
                    }
                    if fig["outside"] == json!(true) {
                        problems.push(format!(
                            "{at}: the figure ({} px wide) reaches outside the window",
                            num("column")
                        ));
                    }
                    titles.insert(fig["title"].as_str().unwrap_or_default().to_string());
                    rendered += 1;
                    if width == 390 {
                        smallest_text = smallest_text.min(num("minText"));
                    }
                    lowest_contrast[t] = lowest_contrast[t].min(num("minContrast"));
                    // A picture of each, for a human to look at.
                    let element = c
                        .find_all(Locator::Css("figure.diagram"))
                        .await
                        .unwrap()
                        .into_iter()
                        .nth(i)
                        .unwrap();
                    if let Ok(png) = element.screenshot().await {
                        let name = format!(
                            "{}-{}-{theme}-{width}.png",
                            page.replace(".html", ""),
                            i + 1
                        );
                        std::fs::write(dir.join(name), png).unwrap();
                    }
                }
            }
        }
    }
    browser.js("localStorage.removeItem('mdbook-theme');").await;
    eprintln!(
        "diagrams: {} different, rendered {rendered} times (light and navy, 1280 and 390 px); \
         smallest text at 390 px: {smallest_text:.1} px; lowest text contrast: light \
         {:.1}:1, navy {:.1}:1; pictures in {}",
        titles.len(),
        lowest_contrast[0],
        lowest_contrast[1],
        dir.display()
    );
    browser.close().await;
    assert!(
        titles.len() >= 8,
        "only {} diagrams: {titles:?}",
        titles.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
