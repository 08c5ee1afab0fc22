//! The charts of a run, drawn with plotters as SVG files.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use anyhow::{Context, Result, bail};

use crate::Results;

pub const FILES: [&str; 3] = ["speedup.svg", "spawn.svg", "memory.svg"];

/// What each chart of [`FILES`] shows, in words: its text alternative (`aria-label`), since the
/// book pastes the SVG itself into the page (so that it follows the theme's colours).
pub const DESCRIPTIONS: [&str; 3] = [
    "Speedup of the CPU-bound job against the number of workers, for Rust threads, processes \
     and rayon, and Python threads and processes, with the ideal speedup on this machine's cores",
    "Spawn + join of one unit, log scale: tokio task, thread, process, Python thread, Python \
     process",
    "Memory taken by idle processes (PSS), and peak memory with many idle threads and tasks \
     alive at once, log scale",
];

/// The colour of the ideal line as plotters draws it; [`finish`] finds the line by it, draws
/// it last, dashed, in the theme's text colour.
const IDEAL_HEX: &str = "#555555";

const RUST: RGBColor = RGBColor(0xb7, 0x41, 0x0e);
const RUST_LIGHT: RGBColor = RGBColor(0xe8, 0x8a, 0x3c);
const RAYON: RGBColor = RGBColor(0x6a, 0x4c, 0x93);
const PYTHON: RGBColor = RGBColor(0x37, 0x76, 0xab);
const PYTHON_LIGHT: RGBColor = RGBColor(0x2a, 0xa1, 0x98);
const IDEAL: RGBColor = RGBColor(0x55, 0x55, 0x55);

const FONT: &str = "sans-serif";

pub fn draw_all(r: &Results, dir: &Path) -> Result<()> {
    speedup(r, &dir.join(FILES[0]))?;
    spawn(r, &dir.join(FILES[1]))?;
    memory(r, &dir.join(FILES[2]))?;
    finish_all(dir)
}

/// Gives each chart of `dir` its finish ([`finish`]); a chart finished already is left as it is.
pub fn finish_all(dir: &Path) -> Result<()> {
    for (file, description) in FILES.iter().zip(DESCRIPTIONS) {
        let path = dir.join(file);
        let svg = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        std::fs::write(&path, finish(&svg, description))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The smallest text of a chart, in SVG units: plotters draws a font of size N at N / 1.24,
/// so a 14 is 11.29; a smaller one (plotters' default for the axes' numbers) is raised to it.
const SMALLEST_TEXT: f64 = 14.0 / 1.24;

/// A chart as the book shows it, pasted into the page (no blank line, so that Markdown keeps
/// it as one HTML block): it follows the theme (its white background transparent, its black
/// text and axes in the theme's text colour: [`crate::timeline::themed`]), no text smaller
/// than [`SMALLEST_TEXT`], never drawn so narrow that this is under 11 CSS pixels (the page
/// lets it scroll sideways instead), named for screen readers by `description`, and the ideal
/// line of the speedup chart drawn last, over the measured lines that reach it.
pub fn finish(svg: &str, description: &str) -> String {
    if svg.starts_with("<svg class=\"chart\"") {
        return svg.to_string();
    }
    let width: u32 = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|w| w.parse().ok())
        .unwrap_or(720);
    let mut lines: Vec<String> = Vec::new();
    let mut ideal = Vec::new();
    for line in crate::timeline::themed(svg).lines() {
        if line.trim().is_empty() {
            continue;
        }
        let line = raise_small_text(line);
        // (a snapshot drawn before drew it in #999999)
        let stroke = [IDEAL_HEX, "#999999"]
            .map(|hex| format!("stroke=\"{hex}\""))
            .into_iter()
            .find(|stroke| line.contains(stroke.as_str()));
        if let (true, Some(stroke)) = (line.starts_with("<polyline"), stroke) {
            ideal.push(
                line.replace(&stroke, "stroke=\"currentColor\"")
                    .replace("stroke-width=\"1\"", "stroke-width=\"3\"")
                    .replace("/>", " stroke-dasharray=\"8 5\"/>"),
            );
        } else {
            lines.push(line);
        }
    }
    if let Some(end) = lines.iter().rposition(|l| l.trim() == "</svg>") {
        lines.splice(end..end, ideal);
    }
    let svg = lines.join("\n") + "\n";
    svg.replacen(
        "<svg ",
        &format!(
            "<svg class=\"chart\" role=\"img\" aria-label=\"{description}\" style=\"{}\" ",
            crate::timeline::chart_style_for(width, SMALLEST_TEXT)
        ),
        1,
    )
}

/// A `font-size` under [`SMALLEST_TEXT`] raised to it (in a line of plotters' SVG).
fn raise_small_text(line: &str) -> String {
    let Some((head, rest)) = line.split_once("font-size=\"") else {
        return line.to_string();
    };
    let Some((size, tail)) = rest.split_once('"') else {
        return line.to_string();
    };
    match size.parse::<f64>() {
        Ok(v) if v < SMALLEST_TEXT - 1e-9 => format!("{head}font-size=\"{SMALLEST_TEXT}\"{tail}"),
        _ => line.to_string(),
    }
}

fn color_of(language: &str, split: &str) -> RGBColor {
    match (language, split) {
        (_, "rayon") => RAYON,
        ("Rust", "threads") => RUST,
        ("Rust", _) => RUST_LIGHT,
        (_, "threads") => PYTHON,
        _ => PYTHON_LIGHT,
    }
}

/// Speedup over the sequential run against the number of workers, one line per way of
/// splitting, and the ideal: one per core, up to the cores.
fn speedup(r: &Results, path: &Path) -> Result<()> {
    let cores = r.machine.physical_cores as f64;
    let max_w = r.max_workers as f64;
    let best = r
        .cpu
        .iter()
        .flat_map(|c| {
            c.series
                .iter()
                .flat_map(|(_, p)| p.iter().map(|p| p.speedup))
        })
        .fold(cores, f64::max);
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "The CPU-bound job: speedup over the sequential run",
            (FONT, 20),
        )
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(50)
        .build_cartesian_2d(0.7f64..max_w + 0.3, 0f64..(best * 1.15).max(2.0))?;
    chart
        .configure_mesh()
        .x_desc("workers")
        .y_desc("speedup (×)")
        .x_labels(r.max_workers as usize)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;

    for run in &r.cpu {
        for (split, points) in &run.series {
            let color = color_of(run.language, split);
            let pts: Vec<(f64, f64)> = points
                .iter()
                .map(|p| (p.workers as f64, p.speedup))
                .collect();
            let label = if *split == "rayon" {
                "Rust, rayon".to_string()
            } else {
                format!("{} {split}", run.language)
            };
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        }
    }
    // The ideal last, over the measured lines (several end near it); `finish` dashes it.
    let ideal: Vec<(f64, f64)> = (1..=r.max_workers)
        .map(|w| (w as f64, (w as f64).min(cores)))
        .collect();
    chart
        .draw_series(LineSeries::new(ideal, IDEAL.stroke_width(3)))?
        .label(format!("ideal on {cores} cores"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], IDEAL.stroke_width(3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Horizontal bars on a log scale: one per row, with an optional 10th-90th percentile whisker.
struct Bar {
    label: String,
    value: f64,
    whisker: Option<(f64, f64)>,
    color: RGBColor,
    text: String,
}

fn bars(path: &Path, caption: &str, unit: &str, rows: &[Bar]) -> Result<()> {
    let n = rows.len() as i32;
    let lo = rows
        .iter()
        .map(|b| b.whisker.map_or(b.value, |w| w.0))
        .fold(f64::INFINITY, f64::min)
        / 3.0;
    let hi = rows
        .iter()
        .map(|b| b.whisker.map_or(b.value, |w| w.1))
        .fold(0.0, f64::max)
        * 12.0;
    let height = 110 + 44 * rows.len() as u32;
    let root = SVGBackend::new(path, (720, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, (FONT, 20))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(200)
        .build_cartesian_2d((lo..hi).log_scale(), (0..n - 1).into_segmented())?;
    let labels: Vec<String> = rows.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(format!("{unit} (log scale)"))
        .x_label_formatter(&|v| {
            if *v >= 1.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            }
        })
        .y_labels(rows.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels
                .get((n - 1 - i) as usize)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 14))
        .draw()?;
    let text_style =
        TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, bar) in rows.iter().enumerate() {
        let y = n - 1 - i as i32;
        let mut rect = Rectangle::new(
            [
                (lo, SegmentValue::Exact(y)),
                (bar.value, SegmentValue::Exact(y + 1)),
            ],
            bar.color.filled(),
        );
        rect.set_margin(9, 9, 0, 0);
        chart.draw_series(std::iter::once(rect))?;
        let mut text_x = bar.value;
        if let Some((p10, p90)) = bar.whisker {
            chart.draw_series(std::iter::once(ErrorBar::new_horizontal(
                SegmentValue::CenterOf(y),
                p10,
                bar.value,
                p90,
                BLACK.stroke_width(1),
                10,
            )))?;
            text_x = p90;
        }
        chart.draw_series(std::iter::once(Text::new(
            bar.text.clone(),
            (text_x * 1.15, SegmentValue::CenterOf(y)),
            text_style.clone(),
        )))?;
    }
    root.present()?;
    Ok(())
}

fn spawn(r: &Results, path: &Path) -> Result<()> {
    let rows: Vec<Bar> = r
        .spawn
        .iter()
        .map(|s| Bar {
            label: format!("{} ({})", s.unit, if s.python { "Python" } else { "Rust" }),
            value: s.spread.median,
            whisker: Some((s.spread.p10, s.spread.p90)),
            color: if s.python { PYTHON } else { RUST },
            text: format_us(s.spread.median),
        })
        .collect();
    bars(
        path,
        "Spawn + join of one unit (median, 10th-90th percentile)",
        "microseconds",
        &rows,
    )
}

fn format_us(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.1} ms", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0} µs")
    } else {
        format!("{v:.2} µs")
    }
}

/// 1000 -> "1k", 1000000 -> "1M"
fn short(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn memory(r: &Results, path: &Path) -> Result<()> {
    let rows: Vec<Bar> = r
        .memory
        .iter()
        .filter_map(|m| {
            let mb = m.peak_mb()?;
            let (unit, color) = match m.kind {
                "tasks" => ("tokio tasks", RUST_LIGHT),
                "threads" => ("threads", RUST),
                _ => {
                    return Some(Bar {
                        label: format!("{} processes", short(m.units)),
                        value: mb,
                        whisker: None,
                        color: RAYON,
                        text: format!("{mb:.1} MB (PSS), {:.0} KiB each", m.per_unit_kib()?),
                    });
                }
            };
            Some(Bar {
                label: format!("{} {unit}", short(m.units)),
                value: mb,
                whisker: None,
                color,
                text: format!("{mb:.1} MB, {:.2} KiB each", m.per_unit_kib()?),
            })
        })
        .collect();
    if rows.is_empty() {
        bail!("no memory figure to draw");
    }
    bars(
        path,
        "Idle units alive at once: memory taken (processes: PSS; threads, tasks: peak RSS)",
        "megabytes",
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLOTTERS: &str = "<svg width=\"720\" height=\"440\" viewBox=\"0 0 720 440\" \
        xmlns=\"http://www.w3.org/2000/svg\">\n\
        <rect x=\"0\" y=\"0\" width=\"720\" height=\"440\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#555555\" stroke-width=\"3\" points=\"1,1 2,2 \"/>\n\
        <text x=\"1\" y=\"1\" font-size=\"9.67741935483871\" fill=\"#000000\">\n2.0\n</text>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#B7410E\" stroke-width=\"2\" points=\"1,1 2,1.9 \"/>\n\
        </svg>\n";

    #[test]
    fn a_finished_chart_follows_the_theme_and_draws_the_ideal_last() {
        let svg = finish(PLOTTERS, "a chart");
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\"a chart\""));
        assert!(svg.contains("min-width:702px"), "{svg}");
        assert!(
            !svg.contains("#FFFFFF") && !svg.contains("#000000"),
            "{svg}"
        );
        assert!(
            !svg.contains("font-size=\"9.677"),
            "small text raised: {svg}"
        );
        let lines: Vec<&str> = svg.lines().collect();
        let ideal = lines
            .iter()
            .position(|l| l.contains("stroke-dasharray"))
            .unwrap();
        let rust = lines.iter().position(|l| l.contains("#B7410E")).unwrap();
        assert!(ideal > rust, "the ideal over the measured line: {svg}");
        assert!(lines[ideal].contains("stroke=\"currentColor\""), "{svg}");
        assert_eq!(
            finish(&svg, "a chart"),
            svg,
            "finishing twice changes nothing"
        );
    }
}
