//! Checks every diagram of the book: each hand-written `src/diagrams/*.svg`, and the one drawn
//! from a real run (`course_diagrams::downloads`, fed a recorded output here).
//!
//! A diagram must be well-formed SVG; name itself for a screen reader (`role="img"`, a
//! `<title>` and a `<desc>` that `aria-labelledby` points to, with ids that start with the
//! file's name, since several diagrams share a page); take every colour from
//! `theme/diagrams.css` (no colour written in the SVG but `none` and `currentColor`, every class
//! it uses defined there), so it follows the reader's theme; keep its text readable on a phone
//! (no text under 11 px once the SVG is scaled to a 390 px wide screen, unless its
//! `min-width` keeps it wider, and then the figure scrolls); and draw nothing outside its
//! `viewBox`. Each is shown on a page, in a `<figure class="diagram">` with a caption.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

/// The width a diagram gets, at least, on a 390 px wide phone: there a figure spans mdBook's
/// `.page` padding (`theme/diagrams.css`), and only `.content`'s (5 px each side) and a
/// scrollbar (up to 15 px, none on most phones) are left out: 365 px or more. (The browser
/// tests measure the real width.)
const PHONE_COLUMN: f64 = 350.0;
/// The smallest text a reader should have to read, in CSS pixels.
const MIN_TEXT: f64 = 11.0;
/// How wide a character is drawn, at most, for its font size (a generous estimate for the
/// book's sans-serif and monospace fonts; no text is measured by a real font here).
const CHAR_WIDTH: f64 = 0.62;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn diagram_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("src/diagrams"))
        .expect("src/diagrams exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    files
}

fn css_classes() -> BTreeSet<String> {
    let css = fs::read_to_string(root().join("theme/diagrams.css")).unwrap();
    let mut classes = BTreeSet::new();
    // Every `.diagram .NAME` selector defines NAME.
    for part in css.split(".diagram .").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        classes.insert(name);
    }
    classes
}

fn num(node: Node, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or("0")
        .trim_end_matches("px")
        .parse()
        .unwrap_or_else(|_| panic!("<{}> {attr} is not a number", node.tag_name().name()))
}

/// The numbers of a path's data or a polygon's points.
fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c.is_ascii_alphabetic())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or_else(|_| panic!("{s:?} in {text:?}")))
        .collect()
}

/// The points a path goes through, and its control points (which bound its curves): only
/// absolute commands M, L, H, V, C, Q and Z, which is all the diagrams need.
fn path_points(d: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut points = Vec::new();
    let mut at = (0.0, 0.0);
    let mut rest = d.trim();
    while !rest.is_empty() {
        let cmd = rest.chars().next().unwrap();
        let end = rest[1..]
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(rest.len(), |i| i + 1);
        let args = numbers(&rest[1..end]);
        match cmd {
            'M' | 'L' | 'C' | 'Q' => {
                for pair in args.chunks(2) {
                    let [x, y] = pair else {
                        return Err(format!("odd number of coordinates in {d:?}"));
                    };
                    at = (*x, *y);
                    points.push(at);
                }
            }
            'H' => args.iter().for_each(|x| {
                at.0 = *x;
                points.push(at);
            }),
            'V' => args.iter().for_each(|y| {
                at.1 = *y;
                points.push(at);
            }),
            'Z' => {}
            other => return Err(format!("path command {other} (only M L H V C Q Z)")),
        }
        rest = rest[end..].trim_start();
    }
    Ok(points)
}

fn font_size(node: Node) -> f64 {
    node.ancestors()
        .find_map(|n| n.attribute("font-size"))
        .map(|s| {
            s.trim_end_matches("px")
                .parse()
                .expect("font-size is a number")
        })
        .unwrap_or(16.0)
}

/// Checks one diagram; returns its problems.
fn check_svg(name: &str, text: &str, classes: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not well-formed XML: {e}")],
    };
    let svg = doc.root_element();
    if svg.tag_name().name() != "svg" {
        return vec!["the root element is not <svg>".into()];
    }
    if text.contains("\n\n") || text.contains("\n\r\n") {
        problems.push(
            "a blank line: Markdown would end the inline HTML there and show the rest as text"
                .into(),
        );
    }
    let (w, h) = (num(svg, "width"), num(svg, "height"));
    let view_box = svg.attribute("viewBox").unwrap_or_default();
    if numbers(view_box) != [0.0, 0.0, w, h] {
        problems.push(format!(
            "viewBox {view_box:?} is not \"0 0 {w} {h}\" (its width and height)"
        ));
    }

    // A name and a description for a screen reader.
    if svg.attribute("role") != Some("img") {
        problems.push("the <svg> has no role=\"img\"".into());
    }
    let labelled: Vec<&str> = svg
        .attribute("aria-labelledby")
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    for tag in ["title", "desc"] {
        let Some(el) = svg.children().find(|n| n.has_tag_name(tag)) else {
            problems.push(format!("no <{tag}> child of <svg>"));
            continue;
        };
        let words = el.text().unwrap_or_default().split_whitespace().count();
        let wanted = if tag == "title" { 2 } else { 8 };
        if words < wanted {
            problems.push(format!(
                "<{tag}> has {words} words: say what the diagram shows"
            ));
        }
        match el.attribute("id") {
            Some(id) if labelled.contains(&id) && id.starts_with(name) => {}
            id => problems.push(format!(
                "<{tag}> id {id:?}: it must start with {name:?} and be named by aria-labelledby"
            )),
        }
    }

    // Every id starts with the diagram's name: several diagrams share a page.
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id")
            && !id.starts_with(name)
        {
            problems.push(format!("id {id:?} does not start with {name:?}"));
        }
    }

    // Colours come from the theme.
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        if matches!(tag, "style" | "script" | "image" | "foreignObject") {
            problems.push(format!(
                "<{tag}>: a diagram is shapes and text, styled by theme/diagrams.css"
            ));
        }
        for attr in node.attributes() {
            let value = attr.value();
            match attr.name() {
                "fill" | "stroke" | "color" | "stop-color" | "flood-color"
                    if !(value == "none"
                        || value == "currentColor"
                        || value.starts_with("url(#")) =>
                {
                    problems.push(format!(
                        "<{tag}> {}=\"{value}\": a colour of its own ignores the theme; \
                         use a class of theme/diagrams.css",
                        attr.name()
                    ));
                }
                "style" => {
                    let declarations: Vec<&str> = value
                        .split(';')
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                        .collect();
                    if tag != "svg" || declarations.iter().any(|d| !d.starts_with("min-width:")) {
                        problems.push(format!(
                            "<{tag}> style=\"{value}\": only the <svg>'s min-width may be set here"
                        ));
                    }
                }
                "class" => {
                    for class in value.split_whitespace() {
                        if !classes.contains(class) {
                            problems.push(format!(
                                "class {class:?} is not defined in theme/diagrams.css \
                                 (as `.diagram .{class}`)"
                            ));
                        }
                    }
                }
                "transform" => problems.push(format!(
                    "<{tag}> transform: draw in the viewBox's coordinates, so that the \
                     extents can be checked"
                )),
                _ => {}
            }
        }
    }

    // Readable on a phone: the scale the SVG gets in a 350 px column, unless a min-width
    // keeps it wider (the figure then scrolls).
    let min_width = svg
        .attribute("style")
        .and_then(|s| s.split("min-width:").nth(1))
        .map(|s| numbers(s.split(';').next().unwrap())[0])
        .unwrap_or(0.0);
    let shown = w.min(PHONE_COLUMN).max(min_width);
    let scale = shown / w;

    // Everything inside the viewBox.
    let outside = |problems: &mut Vec<String>, what: String, x0: f64, y0: f64, x1: f64, y1: f64| {
        let eps = 0.01;
        if x0 < -eps || y0 < -eps || x1 > w + eps || y1 > h + eps {
            problems.push(format!(
                "{what} reaches ({x0:.0}, {y0:.0})-({x1:.0}, {y1:.0}), outside the \
                 {w}x{h} viewBox"
            ));
        }
    };
    let mut texts_too_small = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.ancestors().any(|a| a.has_tag_name("defs")) {
            continue;
        }
        let tag = node.tag_name().name();
        let stroke = if node.attribute("fill").is_some() {
            0.0
        } else {
            1.5
        };
        match tag {
            "rect" => {
                let (x, y) = (num(node, "x"), num(node, "y"));
                let (rw, rh) = (num(node, "width"), num(node, "height"));
                outside(
                    &mut problems,
                    format!("<rect> at {x},{y}"),
                    x - stroke,
                    y - stroke,
                    x + rw + stroke,
                    y + rh + stroke,
                );
            }
            "circle" | "ellipse" => {
                let (cx, cy) = (num(node, "cx"), num(node, "cy"));
                let r = num(node, "r");
                let (rx, ry) = if tag == "circle" {
                    (r, r)
                } else {
                    (num(node, "rx"), num(node, "ry"))
                };
                outside(
                    &mut problems,
                    format!("<{tag}> at {cx},{cy}"),
                    cx - rx,
                    cy - ry,
                    cx + rx,
                    cy + ry,
                );
            }
            "line" => {
                let (x1, y1, x2, y2) = (
                    num(node, "x1"),
                    num(node, "y1"),
                    num(node, "x2"),
                    num(node, "y2"),
                );
                outside(
                    &mut problems,
                    format!("<line> {x1},{y1} {x2},{y2}"),
                    x1.min(x2),
                    y1.min(y2),
                    x1.max(x2),
                    y1.max(y2),
                );
            }
            "polygon" | "polyline" | "path" => {
                let points = if tag == "path" {
                    match path_points(node.attribute("d").unwrap_or_default()) {
                        Ok(p) => p,
                        Err(e) => {
                            problems.push(e);
                            continue;
                        }
                    }
                } else {
                    numbers(node.attribute("points").unwrap_or_default())
                        .chunks(2)
                        .map(|p| (p[0], p[1]))
                        .collect()
                };
                let xs = points.iter().map(|p| p.0);
                let ys = points.iter().map(|p| p.1);
                let (x0, x1) = (
                    xs.clone().fold(f64::MAX, f64::min),
                    xs.fold(f64::MIN, f64::max),
                );
                let (y0, y1) = (
                    ys.clone().fold(f64::MAX, f64::min),
                    ys.fold(f64::MIN, f64::max),
                );
                outside(
                    &mut problems,
                    format!("<{tag}> near {x0:.0},{y0:.0}"),
                    x0,
                    y0,
                    x1,
                    y1,
                );
            }
            "text" => {
                for child in node.descendants().filter(|n| n.has_tag_name("tspan")) {
                    if child.attribute("x").is_some() || child.attribute("y").is_some() {
                        problems.push("a <tspan> with x or y: write one <text> per line".into());
                    }
                }
                let content: String = node
                    .descendants()
                    .filter(|n| n.is_text())
                    .map(|n| n.text().unwrap_or_default())
                    .collect();
                let size = font_size(node);
                if size * scale < MIN_TEXT - 1e-9 {
                    texts_too_small.push(format!("{content:?} ({size} px)"));
                }
                let width = content.trim().chars().count() as f64 * size * CHAR_WIDTH;
                let (x, y) = (num(node, "x"), num(node, "y"));
                let anchor = node
                    .ancestors()
                    .find_map(|n| n.attribute("text-anchor"))
                    .unwrap_or("start");
                let x0 = match anchor {
                    "middle" => x - width / 2.0,
                    "end" => x - width,
                    _ => x,
                };
                outside(
                    &mut problems,
                    format!("text {content:?}"),
                    x0,
                    y - size * 0.8,
                    x0 + width,
                    y + size * 0.25,
                );
            }
            _ => {}
        }
    }
    if !texts_too_small.is_empty() {
        problems.push(format!(
            "on a 390 px phone the diagram is drawn {shown:.0} px wide (x{scale:.2}), so this \
             text is under {MIN_TEXT} px: {}; use a larger font, a narrower diagram, or a \
             style=\"min-width: ...px\" on the <svg> so that the figure scrolls",
            texts_too_small.join(", ")
        ));
    }
    problems
}

fn pages() -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for entry in fs::read_dir(root().join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            pages.push((name, fs::read_to_string(&path).unwrap()));
        }
    }
    pages.sort();
    pages
}

/// The lines of the pages that show `needle`; each must be a whole figure with a caption.
fn figure_lines(needle: &str) -> Vec<(String, usize, String)> {
    let mut found = Vec::new();
    for (page, text) in pages() {
        for (i, line) in text.lines().enumerate() {
            if line.contains(needle) {
                found.push((page.clone(), i + 1, line.to_string()));
            }
        }
    }
    found
}

fn check_figure_line(line: &str) -> Result<(), String> {
    if !line.starts_with("<figure class=\"diagram\">") || !line.ends_with("</figure>") {
        return Err("not one line `<figure class=\"diagram\">...</figure>`".into());
    }
    let caption = line
        .split("<figcaption>")
        .nth(1)
        .and_then(|c| c.split("</figcaption>").next())
        .unwrap_or_default();
    if caption.split_whitespace().count() < 3 {
        return Err("no <figcaption> of a few words".into());
    }
    Ok(())
}

#[test]
fn every_hand_written_diagram_is_valid_themed_readable_and_inside_its_view_box() {
    let classes = css_classes();
    let files = diagram_files();
    assert!(
        files.len() + 1 >= 8,
        "{} diagrams in src/diagrams and one drawn from a run: 8 at least",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(file).unwrap();
        for problem in check_svg(&name, &text, &classes) {
            failures.push(format!("src/diagrams/{name}.svg: {problem}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_diagram_is_on_a_page_in_a_figure_with_a_caption() {
    let mut failures = Vec::new();
    let mut needles: Vec<String> = diagram_files()
        .iter()
        .map(|f| {
            format!(
                "{{{{#include diagrams/{}}}}}",
                f.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    needles.push("course-diagrams downloads -->".into());
    for needle in needles {
        let lines = figure_lines(&needle);
        if lines.is_empty() {
            failures.push(format!("no page shows {needle}"));
        }
        for (page, n, line) in lines {
            if let Err(e) = check_figure_line(&line) {
                failures.push(format!("src/{page}:{n}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

const BLOCKING: &str = "[ 152 ms] rust-lang.org: 38 bytes\n[ 203 ms] python.org: 35 bytes\n\
    [ 303 ms] docs.rs: 32 bytes\nTotal: 303 ms, the sum of the waits (300 ms).\n";
const EVENT_LOOP: &str = "Asked for rust-lang.org (150 ms).\nAsked for python.org (50 ms).\n\
    Asked for docs.rs (100 ms).\n[  57 ms] python.org: 35 bytes\n[ 100 ms] docs.rs: 32 bytes\n\
    [ 150 ms] rust-lang.org: 38 bytes\nTotal: 150 ms, the longest wait, not the sum (300 ms).\n";

#[test]
fn the_diagram_drawn_from_a_run_passes_the_same_checks() {
    use course_diagrams::downloads::{draw, parse};
    let classes = css_classes();
    let blocking = parse(BLOCKING).unwrap();
    let event_loop = parse(EVENT_LOOP).unwrap();
    // A slow machine: the blocking run takes far longer than planned.
    let mut slow = blocking.clone();
    slow.arrivals[2].1 = 1480;
    slow.total_ms = 1480;
    for (blocking, event_loop) in [(&blocking, &event_loop), (&slow, &event_loop)] {
        let svg = draw(blocking, event_loop);
        let problems = check_svg("downloads", &svg, &classes);
        assert!(problems.is_empty(), "\n{}\n{svg}", problems.join("\n"));
    }
}

/// The checks reject what they are meant to reject.
#[test]
fn the_checks_catch_each_mistake() {
    let classes: BTreeSet<String> = ["box".to_string()].into();
    let good = r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100" font-size="14" role="img" aria-labelledby="d-title d-desc">
<title id="d-title">A good one</title>
<desc id="d-desc">One box with a short label inside it, for the test.</desc>
<rect x="10" y="10" width="100" height="40" class="box"/>
<text x="20" y="35">label</text>
</svg>"#;
    assert_eq!(check_svg("d", good, &classes), Vec::<String>::new());
    let cases = [
        (good.replace("</svg>", ""), "well-formed"),
        (
            good.replace(r#"class="box""#, r##"fill="#ffffff""##),
            "a colour of its own",
        ),
        (
            good.replace(r#"class="box""#, r#"class="bright""#),
            "not defined",
        ),
        (
            good.replace(r#"x="20" y="35""#, r#"x="280" y="35""#),
            "outside",
        ),
        (good.replace(r#"width="100""#, r#"width="300""#), "outside"),
        (
            good.replace(r#"font-size="14""#, r#"font-size="10""#),
            "under 11 px",
        ),
        (
            good.replace(
                "<desc id=\"d-desc\">One box with a short label inside it, for the test.</desc>\n",
                "",
            ),
            "no <desc>",
        ),
        (
            good.replace(r#"id="d-title""#, r#"id="title""#),
            "must start with",
        ),
        (good.replace("<rect", "\n<rect"), "blank line"),
        (
            good.replace(r#"viewBox="0 0 300 100""#, r#"viewBox="0 0 600 100""#),
            "viewBox",
        ),
    ];
    for (bad, expected) in cases {
        let problems = check_svg("d", &bad, &classes).join("\n");
        assert!(
            problems.contains(expected),
            "expected {expected:?}, got:\n{problems}\n{bad}"
        );
    }
    // A wide diagram whose text would be too small on a phone passes once it scrolls.
    let wide = good
        .replace(r#"width="300" height"#, r#"width="600" height"#)
        .replace("0 0 300 100", "0 0 600 100");
    assert!(
        check_svg("d", &wide, &classes)
            .join("")
            .contains("under 11 px")
    );
    let scrolls = wide.replace("role=", r#"style="min-width: 480px" role="#);
    assert_eq!(check_svg("d", &scrolls, &classes), Vec::<String>::new());
}
