//! Rust/Python pairs side by side, measured in the browser: how many pairs show as two
//! columns with no line clipped, at laptop and desktop widths with mdBook's sidebar open;
//! how far anything moves while a page loads (Chromium's layout-shift entries); and a link to
//! a heading below pairs lands on that heading.

use serde_json::Value;

use super::*;

/// Records every layout shift of the page from its start (`buffered: true` hands over the
/// entries Chromium recorded before the observer existed), once the page has loaded, its
/// fonts are in and two more frames are drawn.
const SHIFTS: &str = r#"
var done = arguments[arguments.length - 1];
var total = 0, largest = 0, count = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    if (!e.hadRecentInput) { total += e.value; largest = Math.max(largest, e.value); count += 1; }
  });
}).observe({type: 'layout-shift', buffered: true});
document.fonts.ready.then(function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    setTimeout(function () { done({cls: total, largest: largest, count: count}); }, 50);
  }); });
});"#;

/// Each pair of the page: beside (two columns: same top, Python right of Rust) or not, any
/// code block clipped (`scrollWidth > clientWidth`), its code font and its longest line.
const PAIRS: &str = r#"
return Array.from(document.querySelectorAll('main .side-by-side')).map(function (pair) {
  var r = pair.querySelector(':scope > .rust-side').getBoundingClientRect();
  var p = pair.querySelector(':scope > .python-side').getBoundingClientRect();
  var codes = Array.from(pair.querySelectorAll('pre > code'));
  var caption = pair.querySelector('.python-side .filename');
  var wrapped = 0, unindented = [];
  codes.forEach(function (code) {
    var lines = Array.from(code.querySelectorAll('.pair-line'))
      .filter(function (l) { return l.getClientRects().length > 0; });
    var heights = lines.map(function (l) { return l.getBoundingClientRect().height; });
    var one = Math.min.apply(null, heights);
    lines.forEach(function (l, i) {
      if (heights[i] <= 1.5 * one) return;
      wrapped += 1;
      // A wrapped line goes on under its own indentation: every piece of text drawn below
      // the line's first row starts at least its leading spaces to the right.
      var range = document.createRange();
      range.selectNodeContents(l);
      var rects = Array.from(range.getClientRects()).filter(function (r) { return r.width > 0; });
      var first = rects[0];
      var text = l.textContent;
      var indent = text.length - text.replace(/^ +/, '').length;
      var probe = document.createElement('span');
      probe.textContent = '0000000000';
      code.appendChild(probe);
      var ch = probe.getBoundingClientRect().width / 10;
      probe.remove();
      var start = l.getBoundingClientRect().left;
      rects.forEach(function (r) {
        if (r.top >= first.bottom - 1 && r.left < start + indent * ch - 1) {
          unindented.push(text.trim().slice(0, 40));
        }
      });
    });
  });
  return {
    file: caption ? caption.textContent.replace('Filename: ', '') : '?',
    beside: Math.abs(r.top - p.top) < 1 && p.left >= r.right - 1,
    clipped: codes.some(function (c) { return c.scrollWidth > c.clientWidth + 1; }),
    font: Math.min.apply(null, codes.map(function (c) {
      return parseFloat(getComputedStyle(c).fontSize);
    })),
    cols: parseInt(getComputedStyle(pair).getPropertyValue('--pair-cols'), 10),
    wrapped: wrapped,
    unindented: unindented,
  };
});"#;

/// The pages that show at least one pair (read from the built HTML).
fn pages_with_pairs() -> Vec<String> {
    let book = super::book_dir();
    pages()
        .into_iter()
        .filter(|page| {
            std::fs::read_to_string(book.join(page))
                .is_ok_and(|html| html.contains("class=\"side-by-side\""))
        })
        .collect()
}

/// What one width gave: pairs in two columns with no clipped line, pairs seen, the largest
/// cumulative layout shift of a page and that page.
struct Width {
    beside: usize,
    pairs: usize,
    worst_shift: (f64, String),
    smallest_font: f64,
    wrapped_lines: u64,
}

async fn measure(browser: &Browser, width: u32, problems: &mut Vec<String>) -> Width {
    let c = browser.client();
    c.set_window_size(width, 900).await.unwrap();
    let mut w = Width {
        beside: 0,
        pairs: 0,
        worst_shift: (0.0, String::new()),
        smallest_font: f64::INFINITY,
        wrapped_lines: 0,
    };
    for page in pages_with_pairs() {
        browser.open(&page).await;
        let shifts = c.execute_async(SHIFTS, vec![]).await.unwrap();
        let cls = shifts["cls"].as_f64().unwrap();
        if cls > w.worst_shift.0 {
            w.worst_shift = (cls, page.clone());
        }
        let sidebar = browser
            .js("return document.getElementById('sidebar-toggle-anchor').checked;")
            .await;
        if width > 1080 && sidebar != Value::Bool(true) {
            problems.push(format!("{page} at {width}px: the sidebar is not open"));
        }
        let pairs = browser.js(PAIRS).await;
        for pair in pairs.as_array().unwrap() {
            w.pairs += 1;
            let beside = pair["beside"].as_bool().unwrap();
            let clipped = pair["clipped"].as_bool().unwrap();
            if clipped {
                problems.push(format!("{page} at {width}px: a line is clipped in {pair}"));
            }
            if beside && !clipped {
                w.beside += 1;
                w.smallest_font = w.smallest_font.min(pair["font"].as_f64().unwrap());
            } else if width >= 1440 {
                eprintln!("  stacked at {width}px: {page}: {pair}");
            }
            w.wrapped_lines += pair["wrapped"].as_u64().unwrap();
            if pair["unindented"].as_array().is_some_and(|u| !u.is_empty()) {
                problems.push(format!(
                    "{page} at {width}px: a wrapped line goes on left of its indentation: {}",
                    pair["unindented"]
                ));
            }
        }
    }
    w
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn pairs_stand_in_two_columns_and_nothing_moves_on_load() {
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut worst = (0.0, String::new());
    for width in [1280, 1440, 1920, 390] {
        let w = measure(&browser, width, &mut problems).await;
        let share = w.beside as f64 / w.pairs.max(1) as f64;
        eprintln!(
            "at {width}px: {} of {} pairs in two columns ({:.0}%), smallest code font in them \
             {}px, {} wrapped lines; largest layout shift {:.4} ({})",
            w.beside,
            w.pairs,
            share * 100.0,
            w.smallest_font,
            w.wrapped_lines,
            w.worst_shift.0,
            w.worst_shift.1,
        );
        report.push((width, share, w.pairs));
        if w.worst_shift.0 > worst.0 {
            worst = (w.worst_shift.0, format!("{} at {width}px", w.worst_shift.1));
        }
        if w.beside > 0 && w.smallest_font < 11.0 - 0.01 {
            problems.push(format!(
                "at {width}px: code in two columns at {}px (at least 11px)",
                w.smallest_font
            ));
        }
    }
    // A laptop with the sidebar closed (mdBook remembers that choice): printed only.
    browser
        .js("localStorage.setItem('mdbook-sidebar', 'hidden'); return true;")
        .await;
    let mut closed = Vec::new();
    let w = measure(&browser, 1280, &mut closed).await;
    eprintln!(
        "at 1280px with the sidebar closed: {} of {} pairs in two columns; largest layout \
         shift {:.4}",
        w.beside, w.pairs, w.worst_shift.0
    );
    problems.extend(
        closed
            .into_iter()
            .filter(|p| !p.contains("sidebar is not open")),
    );
    browser.close().await;
    eprintln!("largest cumulative layout shift of a page with pairs: {worst:?}");
    for (width, share, pairs) in report {
        assert!(pairs > 0, "no pair in the book");
        let floor = match width {
            1440 => 0.9,
            1920 => 1.0,
            _ => 0.0,
        };
        if share < floor {
            problems.push(format!(
                "at {width}px only {:.0}% of the pairs are in two columns (at least {:.0}%)",
                share * 100.0,
                floor * 100.0
            ));
        }
    }
    if worst.0 >= 0.1 {
        problems.push(format!(
            "a page moves while it loads: {worst:?} (under 0.1)"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A link to a heading that sits below pairs (and their outputs) lands on that heading: the
/// pairs took their final size before the browser scrolled to it.
#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn a_link_to_a_heading_below_pairs_lands_on_it() {
    let browser = Browser::start().await;
    let c = browser.client();
    let mut problems = Vec::new();
    for width in [1440, 390] {
        c.set_window_size(width, 900).await.unwrap();
        for page in pages_with_pairs() {
            browser.open(&page).await;
            // the last heading of the page that comes after a pair
            let id = browser
                .js(
                    "var pairs = document.querySelectorAll('main .side-by-side');\
                     var first = pairs[0];\
                     var hs = Array.from(document.querySelectorAll('main h2[id], main h3[id]'))\
                       .filter(function (h) { return first.compareDocumentPosition(h) & 4; });\
                     return hs.length ? hs[hs.length - 1].id : null;",
                )
                .await;
            let Some(id) = id.as_str() else { continue };
            browser.open(&format!("{page}#{id}")).await;
            let shifts = c.execute_async(SHIFTS, vec![]).await.unwrap();
            let top = browser
                .js(&format!(
                    "return document.getElementById('{id}').getBoundingClientRect().top;"
                ))
                .await
                .as_f64()
                .unwrap();
            let bottom_of_page = browser
                .js("return Math.ceil(window.scrollY + window.innerHeight) >= \
                     document.documentElement.scrollHeight - 1;")
                .await;
            // At the very end of a page the browser cannot scroll further: the heading is
            // then lower down, but still on the screen.
            let landed = if bottom_of_page == Value::Bool(true) {
                (0.0..900.0).contains(&top)
            } else {
                (0.0..120.0).contains(&top)
            };
            if !landed {
                problems.push(format!(
                    "{page}#{id} at {width}px: the heading is at {top}px from the top \
                     (shifts while loading: {shifts})"
                ));
            }
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
