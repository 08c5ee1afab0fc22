//! Every page of the book as a reader meets it: it loads without a JavaScript error, search
//! finds a chapter, each listing has its output and the right play button, each copy button
//! copies its file, and the theme switch works.

use super::*;

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
    browser.click(Locator::Id("search-toggle")).await;
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
    browser.click(Locator::Id("theme-toggle")).await;
    browser.click(Locator::Id("navy")).await;
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
    browser.click(Locator::Id("theme-toggle")).await;
    let png = c.screenshot().await.unwrap();
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(page.replace(".html", ".png"));
    std::fs::write(&shot, &png).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
    eprintln!("screenshot: {}", shot.display());
    browser.close().await;
}
