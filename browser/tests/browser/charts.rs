//! The charts of chapter 6 (the timelines of real runs and the benchmark's charts, SVG drawn by
//! bench/ and pasted into the pages), in the browser: every text of a chart (its legend above
//! all) lies inside its SVG; in every theme its text takes the theme's text colour and it has
//! no background of its own (no white card on a dark page); on a phone its smallest text is
//! at least 11px, the chart scrolling sideways in its box rather than widening the page.

use serde_json::Value;

use super::Browser;

const PAGES: [&str; 2] = ["ch06-01-timelines.html", "ch06-02-measurements.html"];
const THEMES: [&str; 5] = ["light", "navy", "coal", "ayu", "rust"];

/// For each chart of the page: texts outside the viewBox, the smallest text as drawn (CSS
/// px), whether its texts are drawn in the page's text colour, the fill of a background
/// rectangle covering the whole chart, and whether its box holds it (scrolling if it must).
const CHARTS: &str = r#"
var fg = getComputedStyle(document.querySelector('main')).color;
return Array.from(document.querySelectorAll('main svg.chart')).map(function (svg) {
  var vb = svg.viewBox.baseVal;
  var box = svg.getBoundingClientRect();
  var scale = box.width / vb.width;
  var outside = [], smallest = Infinity, colours = {};
  svg.querySelectorAll('text').forEach(function (t) {
    if (!t.textContent.trim()) return;
    // where it is drawn (rotated text too), in the SVG's own units
    var r = t.getBoundingClientRect();
    var b = {x: (r.left - box.left) / scale, y: (r.top - box.top) / scale,
             width: r.width / scale, height: r.height / scale};
    if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 ||
        b.y + b.height > vb.height + 0.5) {
      outside.push(t.textContent.trim() + ' at x ' + Math.round(b.x) + '..' +
        Math.round(b.x + b.width) + ' of ' + vb.width);
    }
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    colours[getComputedStyle(t).fill] = true;
  });
  var cards = Array.from(svg.querySelectorAll('rect')).filter(function (r) {
    var b = r.getBBox();
    var fill = getComputedStyle(r).fill;
    return b.width >= vb.width - 1 && b.height >= vb.height - 1 && fill !== 'none';
  }).map(function (r) { return getComputedStyle(r).fill; });
  var holder = svg.parentElement;
  return {
    name: svg.getAttribute('aria-label'),
    outside: outside,
    smallest: smallest,
    text_colours: Object.keys(colours),
    page_colour: fg,
    cards: cards,
    scrolls: holder.classList.contains('chart-scroll') &&
      getComputedStyle(holder).overflowX === 'auto',
  };
});"#;

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn charts_keep_their_legends_follow_the_theme_and_stay_readable_on_a_phone() {
    let browser = Browser::start().await;
    let c = browser.client();
    let mut problems = Vec::new();
    let mut seen = 0;
    for (width, themes) in [(1280, &THEMES[..]), (390, &THEMES[..2])] {
        c.set_window_size(width, 900).await.unwrap();
        for theme in themes {
            for page in PAGES {
                browser.open(page).await;
                browser
                    .js(&format!(
                        "localStorage.setItem('mdbook-theme', '{theme}'); return true;"
                    ))
                    .await;
                browser.open(page).await;
                let overflow = browser
                    .js("var c = document.querySelector('.content'); \
                         return c.scrollWidth - c.clientWidth;")
                    .await;
                if overflow.as_f64().unwrap_or(0.0) > 1.0 {
                    problems.push(format!(
                        "{page} at {width}px: the page is wider than the window"
                    ));
                }
                let charts = browser.js(CHARTS).await;
                let charts = charts.as_array().unwrap();
                let mut figures = Vec::new();
                for chart in charts {
                    seen += 1;
                    let name = chart["name"].as_str().unwrap_or("a chart");
                    let name: String = name.chars().take(50).collect();
                    let at = format!("{page} ({theme}, {width}px): {name}");
                    if chart["outside"].as_array().is_some_and(|o| !o.is_empty()) {
                        problems.push(format!("{at}: text outside the SVG: {}", chart["outside"]));
                    }
                    if chart["text_colours"] != Value::from(vec![chart["page_colour"].clone()]) {
                        problems.push(format!(
                            "{at}: text in {} on a page whose text is {}",
                            chart["text_colours"], chart["page_colour"]
                        ));
                    }
                    if chart["cards"].as_array().is_some_and(|c| !c.is_empty()) {
                        problems.push(format!("{at}: a background card {}", chart["cards"]));
                    }
                    let smallest = chart["smallest"].as_f64().unwrap();
                    if smallest < 11.0 - 0.05 {
                        problems.push(format!("{at}: text of {smallest:.1}px (at least 11)"));
                    }
                    if chart["scrolls"] != Value::Bool(true) {
                        problems.push(format!("{at}: not in a box that scrolls sideways"));
                    }
                    figures.push(format!("{smallest:.1}"));
                }
                eprintln!(
                    "{page} {theme} {width}px: {} charts, smallest text (px) {}",
                    charts.len(),
                    figures.join(" ")
                );
            }
        }
    }
    browser.close().await;
    assert!(
        seen >= 7 * 2,
        "only {seen} charts seen (4 timelines + 3 charts, each time)"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
