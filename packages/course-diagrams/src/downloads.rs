//! "One after another, or overlapping": the three pretend downloads of chapter 1, drawn from
//! what the two listings print. `ch01-01-blocking` prints the time each page arrived (each
//! download starts when the one before has returned); `ch01-03-event-loop` prints "Asked for"
//! for all three first, then the time each page arrived. Each bar of the drawing runs from the
//! moment its download was asked for to the time the listing printed for it.

use std::fmt::Write as _;

/// What one run printed: the sites in the order they were asked for, with the time each
/// arrived, and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// (site, arrived at, in ms), in the order the program asked for them.
    pub arrivals: Vec<(String, u64)>,
    pub total_ms: u64,
}

/// Reads a run's output: `[ 152 ms] rust-lang.org: 38 bytes` lines, `Asked for SITE (N ms).`
/// lines (the event loop's), and `Total: N ms...`. The order of the sites is the order of the
/// "Asked for" lines when there are any, else the order of arrival (the blocking listing asks
/// for each one after the one before has arrived).
pub fn parse(output: &str) -> Result<Run, String> {
    let mut asked: Vec<String> = Vec::new();
    let mut arrived: Vec<(String, u64)> = Vec::new();
    let mut total_ms = None;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("Asked for ") {
            let site = rest.split(" (").next().unwrap_or_default();
            asked.push(site.to_string());
        } else if let Some(rest) = line.strip_prefix('[') {
            let (ms, rest) = rest
                .split_once(" ms] ")
                .ok_or_else(|| format!("no `ms]` in {line:?}"))?;
            let ms = ms.trim().parse().map_err(|e| format!("{line:?}: {e}"))?;
            let site = rest
                .split_once(": ")
                .ok_or_else(|| format!("no site in {line:?}"))?
                .0;
            arrived.push((site.to_string(), ms));
        } else if let Some(rest) = line.strip_prefix("Total: ") {
            let ms = rest.split(" ms").next().unwrap_or_default();
            total_ms = Some(ms.parse().map_err(|e| format!("{line:?}: {e}"))?);
        }
    }
    let total_ms = total_ms.ok_or("no `Total:` line")?;
    if arrived.is_empty() {
        return Err("no page arrived".into());
    }
    let arrivals = if asked.is_empty() {
        arrived
    } else {
        let mut in_order = Vec::new();
        for site in &asked {
            let at = arrived
                .iter()
                .find(|(s, _)| s == site)
                .ok_or_else(|| format!("{site} was asked for and never arrived"))?
                .1;
            in_order.push((site.clone(), at));
        }
        in_order
    };
    Ok(Run { arrivals, total_ms })
}

/// The drawing's width and the size of its smallest text (see `theme/diagrams.css`).
pub const WIDTH: u32 = 440;
const FONT: u32 = 14;
const LEFT: f64 = 128.0; // where time 0 is; the sites' names are left of it
const RIGHT: f64 = 425.0; // the end of the time axis
const LANE: f64 = 28.0;
const BAR: f64 = 20.0;

/// Roughly how wide a text is drawn (the checks use the same generous estimate).
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * f64::from(FONT) * 0.62
}

/// Draws both runs, on the same time scale: the blocking one (each download starts when the
/// previous one has returned) above, the event loop's (all asked for at 0 ms) below.
pub fn draw(blocking: &Run, event_loop: &Run) -> String {
    let longest = blocking.total_ms.max(event_loop.total_ms).max(1);
    // A label every `step` ms (four at most), a tick every half step.
    let step = [100, 200, 250, 500, 1000, 2000, 2500, 5000]
        .into_iter()
        .find(|step| longest.div_ceil(*step) <= 4)
        .unwrap_or(longest.div_ceil(4000) * 1000);
    let domain = longest.div_ceil(step) * step;
    let x = |ms: u64| LEFT + (RIGHT - LEFT) * ms as f64 / domain as f64;
    let panels = [
        (
            "ch01-01-blocking: one after another",
            blocking,
            true, // each starts when the previous one has arrived
        ),
        ("ch01-03-event-loop: the waits overlap", event_loop, false),
    ];
    // What the loop below draws: a title, three lanes, the axis and its labels, a gap.
    let panel_height = 12.0 + 3.0 * LANE + 4.0 + 22.0 + 30.0;
    let height = 22.0 + 2.0 * panel_height - 30.0 + 8.0;
    let mut body = String::new();
    let mut y = 22.0;
    for (title, run, chained) in panels {
        let _ = writeln!(
            body,
            r#"<text x="8" y="{y}" class="strong">{}</text>"#,
            escape(title)
        );
        y += 12.0;
        let mut start = 0;
        for (site, at) in &run.arrivals {
            let from = if chained { start } else { 0 };
            let (x0, x1) = (x(from), x(*at).max(x(from) + 1.0));
            let mid = y + BAR / 2.0 + 5.0;
            let _ = writeln!(
                body,
                r#"<text x="{:.1}" y="{mid:.1}" text-anchor="end">{}</text>"#,
                LEFT - 8.0,
                escape(site)
            );
            let _ = writeln!(
                body,
                r#"<rect x="{x0:.1}" y="{y:.1}" width="{:.1}" height="{BAR}" class="wait" rx="3"/>"#,
                x1 - x0
            );
            let label = format!("{at} ms");
            if x1 + 5.0 + text_width(&label) <= f64::from(WIDTH) - 4.0 {
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{mid:.1}">{label}</text>"#,
                    x1 + 5.0
                );
            } else {
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{mid:.1}" text-anchor="end">{label}</text>"#,
                    x1 - 5.0
                );
            }
            start = *at;
            y += LANE;
        }
        // The time axis.
        let axis = y + 4.0;
        let _ = writeln!(
            body,
            r#"<line x1="{LEFT}" y1="{axis}" x2="{RIGHT}" y2="{axis}" class="thin"/>"#
        );
        for ms in (0..=domain).step_by(step as usize / 2) {
            let tx = x(ms);
            let tick = if ms % step == 0 { 6.0 } else { 3.0 };
            let _ = writeln!(
                body,
                r#"<line x1="{tx:.1}" y1="{axis}" x2="{tx:.1}" y2="{:.1}" class="thin"/>"#,
                axis + tick
            );
            if ms % step == 0 {
                let unit = if ms == domain { " ms" } else { "" };
                let anchor = if ms == domain { "end" } else { "middle" };
                let lx = if ms == domain { tx + 4.0 } else { tx };
                let _ = writeln!(
                    body,
                    r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}">{ms}{unit}</text>"#,
                    axis + 22.0
                );
            }
        }
        // The total, as the listing printed it: a mark across the axis.
        let tx = x(run.total_ms);
        let _ = writeln!(
            body,
            r#"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" class="flow"/>"#,
            axis - 9.0,
            axis + 9.0
        );
        let _ = writeln!(
            body,
            r#"<text x="8" y="{:.1}" class="accent">Total: {} ms</text>"#,
            axis + 22.0,
            run.total_ms
        );
        y = axis + 22.0 + 30.0;
    }
    let describe = |run: &Run| {
        run.arrivals
            .iter()
            .map(|(site, at)| format!("{site} at {at} ms"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let desc = format!(
        "Two timelines on the same scale, from runs made while this book was built. \
         ch01-01-blocking asks for each page when the one before has arrived: {}; \
         total {} ms. ch01-03-event-loop asks for all three at once, at 0 ms: {}; \
         total {} ms.",
        describe(blocking),
        blocking.total_ms,
        describe(event_loop),
        event_loop.total_ms
    );
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-size="{FONT}" font-family="sans-serif" fill="currentColor" role="img" aria-labelledby="downloads-title downloads-desc">"#
    );
    let _ = writeln!(
        svg,
        r#"<title id="downloads-title">Three downloads, one after another and overlapping</title>"#
    );
    let _ = writeln!(svg, r#"<desc id="downloads-desc">{}</desc>"#, escape(&desc));
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCKING: &str = "[ 152 ms] rust-lang.org: 38 bytes\n\
        [ 203 ms] python.org: 35 bytes\n[ 303 ms] docs.rs: 32 bytes\n\
        Total: 303 ms, the sum of the waits (300 ms).\n\
        Time spent on anything but waiting: 137 µs.\n";
    const EVENT_LOOP: &str = "Asked for rust-lang.org (150 ms).\n\
        Asked for python.org (50 ms).\nAsked for docs.rs (100 ms).\n\
        [  57 ms] python.org: 35 bytes\n[ 100 ms] docs.rs: 32 bytes\n\
        [ 150 ms] rust-lang.org: 38 bytes\n\
        Total: 150 ms, the longest wait, not the sum (300 ms).\n";

    #[test]
    fn the_event_loop_keeps_the_order_the_sites_were_asked_for() {
        let run = parse(EVENT_LOOP).unwrap();
        let sites: Vec<_> = run
            .arrivals
            .iter()
            .map(|(s, at)| (s.as_str(), *at))
            .collect();
        assert_eq!(
            sites,
            [("rust-lang.org", 150), ("python.org", 57), ("docs.rs", 100)]
        );
        assert_eq!(run.total_ms, 150);
        assert_eq!(
            parse(BLOCKING).unwrap().arrivals[2],
            ("docs.rs".into(), 303)
        );
    }

    #[test]
    fn an_output_without_its_total_or_a_page_is_refused() {
        assert!(parse("[ 152 ms] rust-lang.org: 38 bytes\n").is_err());
        assert!(parse("Total: 3 ms\n").is_err());
        assert!(parse("Asked for a.org (5 ms).\n[ 5 ms] b.org: 1 bytes\nTotal: 5 ms\n").is_err());
    }

    #[test]
    fn the_drawing_says_the_printed_times_and_has_no_blank_line() {
        let svg = draw(&parse(BLOCKING).unwrap(), &parse(EVENT_LOOP).unwrap());
        for figure in ["152 ms", "203 ms", "303 ms", "57 ms", "Total: 150 ms"] {
            assert!(svg.contains(figure), "{figure} missing");
        }
        assert!(
            svg.contains("python.org at 57 ms"),
            "the text alternative has the times"
        );
        // A blank line would end the HTML block that Markdown passes through.
        assert!(!svg.contains("\n\n"));
    }
}
