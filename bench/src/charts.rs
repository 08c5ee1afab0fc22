//! The charts of a run, drawn with plotters as SVG files.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use anyhow::{Result, bail};

use crate::Results;

pub const FILES: [&str; 3] = ["speedup.svg", "spawn.svg", "memory.svg"];

const RUST: RGBColor = RGBColor(0xb7, 0x41, 0x0e);
const RUST_LIGHT: RGBColor = RGBColor(0xe8, 0x8a, 0x3c);
const RAYON: RGBColor = RGBColor(0x6a, 0x4c, 0x93);
const PYTHON: RGBColor = RGBColor(0x37, 0x76, 0xab);
const PYTHON_LIGHT: RGBColor = RGBColor(0x2a, 0xa1, 0x98);
const IDEAL: RGBColor = RGBColor(0x99, 0x99, 0x99);

const FONT: &str = "sans-serif";

pub fn draw_all(r: &Results, dir: &Path) -> Result<()> {
    speedup(r, &dir.join(FILES[0]))?;
    spawn(r, &dir.join(FILES[1]))?;
    memory(r, &dir.join(FILES[2]))?;
    Ok(())
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

    let ideal: Vec<(f64, f64)> = (1..=r.max_workers)
        .map(|w| (w as f64, (w as f64).min(cores)))
        .collect();
    chart
        .draw_series(LineSeries::new(ideal, IDEAL.stroke_width(1)))?
        .label(format!("ideal on {cores} cores"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], IDEAL.stroke_width(1)));

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
