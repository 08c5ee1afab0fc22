//! Accessibility and the runner's side of the page, in headless Chromium (as `browser.rs`):
//! axe-core on every page in the light and navy themes, and the runner's buttons, output and
//! editor as a keyboard or screen-reader user meets them.
//!
//! These tests need the built book (`book/`), Debian's `chromium` + `chromium-driver` and the
//! pinned axe-core (`cargo xtask tools` fetches it); `cargo xtask test` provides all three and
//! runs them with `--ignored`. By hand:
//!
//! ```text
//! cargo xtask build && cargo xtask tools && cargo test -p browser-tests --test a11y -- --ignored
//! ```
//!
//! As in `browser.rs`, no test sleeps and then asserts: each waits for a positive sign, within
//! a generous limit stretched by `COURSE_TEST_TIME_SCALE` (`course_book::patience`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};

// The harness shared with browser.rs: paths, the book's server, the browser, the runner.
#[path = "common/mod.rs"]
mod common;
use common::{Browser, book_dir, pages, patience, project_root};

/// The pinned axe-core, as `xtask/src/tools.rs` (`AXE_CORE`) fetches it into the tools' cache.
const AXE_CORE: &str = "axe-core-4.14.1";

/// The tools' cache, found as `cargo xtask tools` finds it.
fn tools_cache() -> PathBuf {
    std::env::var_os("COURSE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
                .unwrap_or_else(std::env::temp_dir)
                .join("async-rust-course/tools")
        })
}

/// The source of the pinned axe-core.
fn axe_source() -> String {
    let file = tools_cache().join(AXE_CORE).join("package/axe.min.js");
    std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: `cargo xtask tools` fetches the pinned axe-core",
            file.display()
        )
    })
}

/// Serves `book/` on 127.0.0.1 for the whole test run, with [`PROBE`] in each page; returns its
/// base URL. The playground's crate list (out of reach from test machines) is answered empty,
/// so no request leaves the machine.
fn serve_book() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| common::serve(book_dir(), PROBE.to_string()))
}

/// Runs first on every page: records JavaScript errors, answers the playground's crate list.
const PROBE: &str = r#"<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(e.message || 'failed to load a resource');
}, true);
var realFetch = window.fetch;
window.fetch = function (url) {
  if (String(url).indexOf('play.rust-lang.org') >= 0) {
    return Promise.resolve({ok: true, json: function () { return Promise.resolve({crates: []}); }});
  }
  return realFetch.apply(this, arguments);
};
</script>"#;

impl Browser {
    /// Starts the browser, with 120 s for a script (axe-core on a long page).
    async fn start_a11y() -> Browser {
        let browser = Browser::start().await;
        browser
            .set_timeouts(Some(patience(Duration::from_secs(120))))
            .await;
        browser
    }

    /// Opens a page of the book (a path, or a full address) and waits until its scripts have
    /// run: the runner's, the last, marks `<html data-runner>` once it has decided.
    async fn open(&self, page: &str) {
        let url = if page.starts_with("http") {
            page.to_string()
        } else {
            format!("{}{page}", serve_book())
        };
        self.load(&url, page).await;
        self.wait_until(
            &format!("for the scripts of {page}"),
            "return !!document.documentElement.dataset.runner;",
        )
        .await;
    }

    /// Runs the pinned axe-core on the page as it is now; its violations, each as
    /// `{id, impact, help, nodes: [selector]}`.
    async fn axe(&self, source: &str) -> Vec<Value> {
        let loaded = self
            .js(&format!(
                "{source}\n;return typeof window.axe === 'object';"
            ))
            .await;
        assert_eq!(loaded, json!(true), "axe-core did not load");
        let result = self
            .client()
            .execute_async(
                "var done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']}).then(function (r) {
                   done(r.violations.map(function (v) {
                     return {id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.map(function (n) { return n.target.join(' '); })};
                   }));
                 }).catch(function (e) { done({error: String(e)}); });",
                vec![],
            )
            .await
            .unwrap();
        result
            .as_array()
            .unwrap_or_else(|| panic!("axe-core failed: {result}"))
            .clone()
    }
}

/// The findings that come from mdBook's own page (its header, sidebar and toggles), which the
/// theme cannot fix without copying mdBook's templates: a rule, and the start of the selector
/// of each node it may name. The README lists each with its upstream mdBook issue.
const MDBOOK_OWN: &[(&str, &str)] = &[
    // Minor: mdBook's sidebar toggle is a <label>; theme/a11y.js gives it the button role it
    // acts as (for its aria-label and aria-expanded), which a <label> may not take either.
    ("aria-allowed-role", "#sidebar-toggle"),
];

/// Whether a violation's node is mdBook's own, per [`MDBOOK_OWN`].
fn mdbook_own(rule: &str, node: &str) -> bool {
    MDBOOK_OWN
        .iter()
        .any(|(r, prefix)| *r == rule && node.starts_with(prefix))
}

#[tokio::test]
#[ignore = "needs the built book, chromium and axe-core: run by `cargo xtask test`"]
async fn axe_finds_no_serious_violations_in_light_and_navy() {
    let source = axe_source();
    let browser = Browser::start_a11y().await;
    let pages = pages();
    assert!(pages.len() > 20, "too few pages: {pages:?}");
    let mut report = BTreeMap::new();
    let mut problems = Vec::new();
    for theme in ["light", "navy"] {
        browser.open(&pages[0]).await;
        browser
            .js_with(
                "localStorage.setItem('mdbook-theme', arguments[0]); return true;",
                vec![json!(theme)],
            )
            .await;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut own: BTreeMap<String, usize> = BTreeMap::new();
        let mut rules: BTreeMap<String, usize> = BTreeMap::new();
        let mut examples: BTreeMap<String, String> = BTreeMap::new();
        for page in &pages {
            browser.open(page).await;
            browser
                .wait_until_with(
                    &format!("for the {theme} theme"),
                    "return document.documentElement.classList.contains(arguments[0]);",
                    vec![json!(theme)],
                )
                .await;
            // A quiz is drawn by its script after load: wait until each one is.
            browser
                .wait_until(
                    "for the quizzes",
                    "return Array.from(document.querySelectorAll('.quiz-placeholder')).every( \
                     function (q) { return q.querySelector('.mdbook-quiz') !== null; });",
                )
                .await;
            // Output is wrapped, never cut at the text column's edge (a compiler's help line
            // is read whole); code that scrolls sideways is a focusable, named region.
            let cut = browser
                .js(
                    "return Array.from(document.querySelectorAll('main pre > code')).filter( \
                     function (c) { return c.scrollWidth > c.clientWidth + 1 && \
                       (c.classList.contains('language-text') || c.tabIndex !== 0 || \
                        !c.getAttribute('aria-label')); }).map(function (c) { \
                       return c.className + ': ' + c.textContent.split('\\n')[0]; });",
                )
                .await;
            if cut != json!([]) {
                problems.push(format!(
                    "{theme} {page}: blocks cut or out of the keyboard's reach: {cut}"
                ));
            }
            for v in browser.axe(&source).await {
                let rule = v["id"].as_str().unwrap_or("?");
                let impact = v["impact"].as_str().unwrap_or("none").to_string();
                for node in v["nodes"].as_array().into_iter().flatten() {
                    let node = node.as_str().unwrap_or("");
                    *rules.entry(format!("{impact} {rule}")).or_default() += 1;
                    examples
                        .entry(format!("{impact} {rule}"))
                        .or_insert_with(|| format!("{page}: {node}"));
                    if mdbook_own(rule, node) {
                        *own.entry(impact.clone()).or_default() += 1;
                        continue;
                    }
                    *counts.entry(impact.clone()).or_default() += 1;
                    if impact == "critical" || impact == "serious" {
                        problems.push(format!(
                            "{theme} {page}: {impact} {rule} at {node}: {}",
                            v["help"]
                        ));
                    }
                }
            }
        }
        eprintln!("axe-core, {theme}: the course's {counts:?}; mdBook's own (README) {own:?}");
        report.insert(
            theme,
            json!({"course": counts, "mdbook": own, "rules": rules, "examples": examples}),
        );
    }
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("axe.json"),
        serde_json::to_string_pretty(&json!({"report": report, "problems": problems})).unwrap(),
    )
    .unwrap();
    assert_eq!(errors, json!([]), "JavaScript errors");
    assert!(
        problems.is_empty(),
        "{} critical or serious violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The local runner (`runner/`), started for this test server's book; its edited builds go to
/// `target/browser/runner-a11y`.
async fn start_runner() -> course_runner::Server {
    common::start_runner(serve_book(), "target/browser/runner-a11y").await
}

/// The state of one listing's runner, as the page shows it and as assistive technology reads
/// it: buttons' accessible names, where the focus is, the live region, the output's caption,
/// font and scrolling, and the editor.
const STATE: &str = r#"
var name = arguments[0];
var bar = document.querySelector(".runner-bar[data-example='" + name + "'][data-python='false']");
var out = document.querySelector(".runner-output[data-example='" + name + "'][data-python='false']");
// The name from the button's content, as a screen reader computes it: its text, less what
// is aria-hidden (enough for these buttons, which hold only text and spans).
function textOf(el) {
  var text = '';
  el.childNodes.forEach(function (n) {
    if (n.nodeType === 3) text += n.textContent;
    else if (n.getAttribute('aria-hidden') !== 'true') text += textOf(n);
  });
  return text;
}
function accessibleName(el) {
  return (el.getAttribute('aria-label') || textOf(el)).replace(/\s+/g, ' ').trim();
}
var names = {};
bar.querySelectorAll('button').forEach(function (b) {
  names[b.className.replace(/.*runner-(run|edit|reset|stop).*/, '$1')] = accessibleName(b);
});
var focused = document.activeElement;
var focus = focused === document.body ? 'body'
  : focused.closest('.runner-editor') ? 'editor'
  : focused.closest('.runner-bar') ? focused.className.replace(/.*runner-(run|edit|reset|stop).*/, '$1')
  : focused.tagName;
var live = bar.querySelector('[aria-live]');
var result = out.parentElement;
var caption = document.getElementById(out.getAttribute('aria-labelledby'));
var recorded = document.querySelector('main pre > code.language-text');
var listing = bar.previousElementSibling;
while (listing && listing.tagName !== 'PRE') listing = listing.previousElementSibling;
var editor = document.querySelector('.runner-editor');
return {
  names: names, focus: focus,
  live: live ? live.textContent : null, liveMode: live ? live.getAttribute('aria-live') : null,
  state: out.dataset.state || '', shown: !result.hidden && out.offsetParent !== null,
  text: out.textContent,
  stdout: Array.from(out.querySelectorAll('.runner-stdout')).map(function (s) { return s.textContent; }).join(''),
  status: (out.querySelector('.runner-status') || {}).textContent || '',
  caption: caption ? caption.textContent : null,
  font: [getComputedStyle(out).fontFamily, getComputedStyle(out).fontSize],
  bookFont: recorded ? [getComputedStyle(recorded).fontFamily, getComputedStyle(recorded).fontSize] : null,
  atEnd: out.scrollHeight - out.scrollTop - out.clientHeight < 2,
  scrollTop: out.scrollTop, overflows: out.scrollHeight > out.clientHeight,
  listingShown: !!listing && listing.offsetParent !== null,
  listingHeight: listing && listing.offsetParent !== null ? listing.getBoundingClientRect().height : null,
  editor: editor ? {
    ace: editor.classList.contains('runner-ace'),
    height: editor.getBoundingClientRect().height,
    gutter: Array.from(editor.querySelectorAll('.ace_gutter-cell')).slice(0, 3).map(function (c) { return c.textContent; }),
    keywords: editor.querySelectorAll('.ace_keyword').length,
    inputLabel: (editor.querySelector('textarea') || editor).getAttribute('aria-label'),
  } : null,
};"#;

impl Browser {
    async fn runner_state(&self, name: &str) -> Value {
        self.js_with(STATE, vec![json!(name)]).await
    }

    /// Clicks a listing's runner button for real (WebDriver moves the focus as a mouse does).
    async fn runner_click(&self, name: &str, which: &str) {
        let css =
            format!(".runner-bar[data-example='{name}'][data-python='false'] .runner-{which}");
        self.click(Locator::Css(&css)).await;
    }

    /// Waits (up to 120 s: an edited listing is compiled first) until the run has ended.
    async fn runner_done(&self, name: &str) -> Value {
        self.wait_until_with(
            &format!("for the run of {name} to end"),
            "var o = document.querySelector(\".runner-output[data-example='\" + arguments[0] + \"'][data-python='false']\"); \
             return o !== null && o.dataset.state === 'done';",
            vec![json!(name)],
        )
        .await;
        self.runner_state(name).await
    }

    async fn set_code(&self, code: &str) {
        self.js_with(
            "document.querySelector('.runner-editor').value = arguments[0]; return true;",
            vec![json!(code)],
        )
        .await;
    }
}

/// A program that prints 300 numbered lines, one every 10 ms.
const SLOW_PRINTER: &str = "fn main() {\n    for i in 1..=300 {\n        println!(\"line {i}\");\n        \
std::thread::sleep(std::time::Duration::from_millis(10));\n    }\n}\n";

/// A program that prints the names of its environment variables, and RUST_BACKTRACE's value.
const ENV_PRINTER: &str = "fn main() {\n    let mut names: Vec<String> = std::env::vars_os()\n        \
.map(|(k, _)| k.to_string_lossy().into_owned())\n        .collect();\n    names.sort();\n    \
for n in names {\n        println!(\"var {n}\");\n    }\n    \
println!(\"RUST_BACKTRACE={:?}\", std::env::var(\"RUST_BACKTRACE\"));\n}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn the_runner_on_the_page_names_announces_follows_and_keeps_focus() {
    let runner = start_runner().await;
    let browser = Browser::start_a11y().await;
    let name = "ch03-02-panic";
    browser
        .open_with_runner(serve_book(), "ch03-02-move-and-join.html", &runner)
        .await;

    // Each control is named after its listing; the live region is there, quiet.
    let s = browser.runner_state(name).await;
    for (which, word) in [
        ("run", "Run"),
        ("edit", "Edit"),
        ("reset", "Reset"),
        ("stop", "Stop"),
    ] {
        assert_eq!(s["names"][which], json!(format!("{word} {name}")), "{s}");
    }
    assert_eq!(s["liveMode"], json!("polite"), "{s}");
    assert_eq!(s["shown"], json!(false), "output shown before any run: {s}");

    // Run: the book's listing as built. The focus stays on Run; the end is announced; the
    // output is labelled as the reader's run, in the book's code font; the program's
    // environment is the book's (RUST_BACKTRACE=0 even if this test's shell set it).
    browser.runner_click(name, "run").await;
    let s = browser.runner_done(name).await;
    assert_eq!(s["focus"], json!("run"), "the focus left Run: {s}");
    assert!(s["stdout"].as_str().unwrap().contains("panicked"), "{s}");
    assert!(
        !s["text"].as_str().unwrap().contains("stack backtrace"),
        "{s}"
    );
    let live = s["live"].as_str().unwrap();
    assert!(
        live.starts_with(&format!("{name}: ")) && live.contains("exit"),
        "the end of the run is not announced: {s}"
    );
    assert!(
        s["caption"].as_str().unwrap().starts_with("Your run"),
        "no label tells the reader's run from the book's output: {s}"
    );
    assert_eq!(
        s["font"], s["bookFont"],
        "the output is not in the book's code font: {s}"
    );
    assert_eq!(s["shown"], json!(true), "{s}");

    // Edit: mdBook's Ace editor, with line numbers and highlighting, as tall as the listing,
    // and the keyboard's focus in it.
    let listing_height = s["listingHeight"].as_f64().unwrap();
    browser.runner_click(name, "edit").await;
    browser
        .wait_until(
            "for the editor",
            "return document.querySelector('.runner-editor .ace_gutter-cell') !== null;",
        )
        .await;
    let s = browser.runner_state(name).await;
    let editor = &s["editor"];
    assert_eq!(editor["ace"], json!(true), "not Ace: {s}");
    assert_eq!(
        editor["gutter"],
        json!(["1", "2", "3"]),
        "no line numbers: {s}"
    );
    assert!(
        editor["keywords"].as_u64().unwrap() > 0,
        "no highlighting: {s}"
    );
    assert!(
        (editor["height"].as_f64().unwrap() - listing_height).abs() <= 1.0,
        "the editor ({}) is not as tall as the listing ({listing_height}): the page jumps",
        editor["height"]
    );
    assert!(
        editor["inputLabel"].as_str().unwrap().contains(name),
        "the editor has no name: {s}"
    );
    assert_eq!(s["focus"], json!("editor"), "{s}");

    // The run's environment: the few variables the runner passes on, and RUST_BACKTRACE=0.
    browser.set_code(ENV_PRINTER).await;
    browser.runner_click(name, "run").await;
    let s = browser.runner_done(name).await;
    let stdout = s["stdout"].as_str().unwrap();
    assert!(stdout.contains("RUST_BACKTRACE=Ok(\"0\")"), "{s}");
    let allowed: Vec<&str> = course_runner::run::INHERITED_VARS
        .iter()
        .copied()
        .chain(["RUST_BACKTRACE", course_runner::run::MARK_VAR])
        .collect();
    let inherited: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("var "))
        .filter(|v| !allowed.contains(v))
        .collect();
    assert!(inherited.is_empty(), "the run inherited {inherited:?}");
    // (This test's own environment has more: cargo's CARGO_* at least, so a runner that
    // passed its environment on would fail the assertion above.)
    assert!(std::env::vars_os().any(|(k, _)| !allowed.contains(&k.to_str().unwrap_or(""))));

    // The output follows the stream; once the reader scrolls up, it stays where they are.
    browser.set_code(SLOW_PRINTER).await;
    browser.runner_click(name, "run").await;
    browser
        .wait_until(
            "for line 60",
            "return Array.from(document.querySelectorAll('.runner-stdout')).some( \
             function (s) { return s.textContent.indexOf('line 60\\n') >= 0; });",
        )
        .await;
    let s = browser.runner_state(name).await;
    assert!(
        s["overflows"] == json!(true) && s["atEnd"] == json!(true),
        "not following: {s}"
    );
    browser
        .js_with(
            "document.querySelector(\".runner-output[data-example='\" + arguments[0] + \"'][data-python='false']\").scrollTop = 0; return true;",
            vec![json!(name)],
        )
        .await;
    let s = browser.runner_done(name).await;
    assert!(s["stdout"].as_str().unwrap().contains("line 300"), "{s}");
    assert_eq!(
        s["scrollTop"],
        json!(0),
        "scrolled back down under the reader: {s}"
    );
    assert_eq!(s["focus"], json!("run"), "{s}");

    // Stop keeps the focus on Stop.
    browser.runner_click(name, "run").await;
    browser
        .wait_until(
            "for line 5",
            "return Array.from(document.querySelectorAll('.runner-stdout')).some( \
             function (s) { return s.textContent.indexOf('line 5\\n') >= 0; });",
        )
        .await;
    browser.runner_click(name, "stop").await;
    let s = browser.runner_done(name).await;
    assert_eq!(s["status"], json!("stopped"), "{s}");
    assert_eq!(s["focus"], json!("stop"), "the focus left Stop: {s}");
    assert!(s["live"].as_str().unwrap().contains("stopped"), "{s}");

    // The runner's part of the page passes axe-core too (editor open, output shown).
    let violations: Vec<Value> = browser
        .axe(&axe_source())
        .await
        .into_iter()
        .filter(|v| v["impact"] == json!("serious") || v["impact"] == json!("critical"))
        .filter(|v| {
            v["nodes"].as_array().unwrap().iter().any(|n| {
                let n = n.as_str().unwrap_or("");
                n.contains("runner") || n.contains("ace")
            })
        })
        .collect();
    assert!(
        violations.is_empty(),
        "the runner's controls: {violations:?}"
    );

    // Reset: the listing as the file has it, no output of the reader's runs, the focus on
    // Reset, and it is announced.
    browser.runner_click(name, "reset").await;
    let s = browser.runner_state(name).await;
    assert_eq!(s["editor"], Value::Null, "{s}");
    assert_eq!(s["listingShown"], json!(true), "{s}");
    assert_eq!(s["text"], json!(""), "Reset left the run's output: {s}");
    assert_eq!(s["shown"], json!(false), "{s}");
    assert_eq!(s["focus"], json!("reset"), "the focus left Reset: {s}");
    assert!(s["live"].as_str().unwrap().contains("reset"), "{s}");

    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    runner.shutdown();
    assert_eq!(errors, json!([]), "JavaScript errors");
}
