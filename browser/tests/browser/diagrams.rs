//! Every diagram renders in the light and navy themes, on a phone and a desktop.

use super::*;

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
