//! Timelines of real runs: instrumented versions of the key workloads of chapters 2 to 4
//! record when each thread, process or task runs, waits and finishes, and the record is drawn
//! as an SVG timeline, one lane per unit (`course-bench timeline NAME`, printed on stdout).
//!
//! - `threads`: the tutorial's square and cube, in two threads that overlap;
//! - `pool`: a pool of worker processes (this program, started again) sharing the CPU-bound
//!   job, one piece at a time, over pipes;
//! - `tasks`: three tokio tasks interleaving on one thread (a `current_thread` runtime);
//! - `blocked`: the same runtime, blocked by a task that calls `std::thread::sleep`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What a unit is doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Startup,
    Run,
    Wait,
    Ready,
    Blocked,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Startup,
        Kind::Run,
        Kind::Wait,
        Kind::Ready,
        Kind::Blocked,
    ];

    fn label(self) -> &'static str {
        match self {
            Kind::Startup => "process starting",
            Kind::Run => "working (wall-clock span)",
            Kind::Wait => "waiting (sleep, join, pipe)",
            Kind::Ready => "ready, resumed late (inferred)",
            Kind::Blocked => "blocking its thread",
        }
    }

    /// The SVG pattern that fills this kind's spans and legend swatch, on top of its colour,
    /// so that no kind is told from another by colour alone (red and green, running and
    /// blocking, are the pair colour-blind readers confuse most): running is solid and dark,
    /// waiting solid and light, blocking hatched with diagonal stripes, ready dotted, a
    /// process starting striped across. `None`: solid.
    fn pattern(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::Run | Kind::Wait => None,
            Kind::Blocked => Some((
                "tl-blocked",
                r##"<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#FFFFFF" stroke-width="2"/>"##,
            )),
            Kind::Ready => Some((
                "tl-ready",
                r##"<circle cx="4" cy="4" r="1.4" fill="#FFFFFF"/>"##,
            )),
            Kind::Startup => Some((
                "tl-startup",
                r##"<path d="M0,4 h8" stroke="#7A5A00" stroke-width="1.5"/>"##,
            )),
        }
    }

    /// The colour as plotters writes it in the SVG (`#RRGGBB`).
    fn hex(self) -> String {
        let RGBColor(r, g, b) = self.color();
        format!("#{r:02X}{g:02X}{b:02X}")
    }

    fn color(self) -> RGBColor {
        match self {
            Kind::Startup => RGBColor(0xf2, 0xc1, 0x4e),
            Kind::Run => RGBColor(0x2b, 0x7a, 0x3d),
            Kind::Wait => RGBColor(0xc9, 0xd3, 0xdd),
            Kind::Ready => RGBColor(0xf0, 0x8c, 0x2e),
            Kind::Blocked => RGBColor(0xc6, 0x28, 0x28),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub lane: usize,
    pub kind: Kind,
    /// Milliseconds since the start of the run.
    pub start: f64,
    pub end: f64,
}

/// Collects spans from any thread; times are kept relative to its creation.
pub struct Recorder {
    t0: Instant,
    epoch0: u128,
    spans: Mutex<Vec<Span>>,
}

fn epoch_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

impl Recorder {
    pub fn new() -> Arc<Recorder> {
        Arc::new(Recorder {
            t0: Instant::now(),
            epoch0: epoch_ns(),
            spans: Mutex::new(Vec::new()),
        })
    }

    fn ms(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.t0).as_secs_f64() * 1e3
    }

    /// A time read in another process (nanoseconds since the Unix epoch), in milliseconds.
    fn epoch_ms(&self, ns: u128) -> f64 {
        ns.saturating_sub(self.epoch0) as f64 / 1e6
    }

    fn add_ms(&self, lane: usize, kind: Kind, start: f64, end: f64) {
        self.spans.lock().unwrap().push(Span {
            lane,
            kind,
            start,
            end: end.max(start),
        });
    }

    pub fn span(&self, lane: usize, kind: Kind, from: Instant, to: Instant) {
        self.add_ms(lane, kind, self.ms(from), self.ms(to));
    }

    /// Records `kind` from `from` until now; returns now.
    pub fn since(&self, lane: usize, kind: Kind, from: Instant) -> Instant {
        let now = Instant::now();
        self.span(lane, kind, from, now);
        now
    }

    /// An async wait that was meant to end at `deadline` and ended `now`: waiting until the
    /// deadline, then ready but not running until now. (Lateness within the timer's 1 ms
    /// resolution counts as waiting.)
    fn waited(&self, lane: usize, from: Instant, deadline: Instant) -> Instant {
        let now = Instant::now();
        if now.saturating_duration_since(deadline) > Duration::from_micros(1500) {
            self.span(lane, Kind::Wait, from, deadline);
            self.span(lane, Kind::Ready, deadline, now);
        } else {
            self.span(lane, Kind::Wait, from, now);
        }
        now
    }

    fn spans(&self) -> Vec<Span> {
        self.spans.lock().unwrap().clone()
    }
}

/// A recorded run: what to call it, its lanes (one per unit), its spans.
pub struct Timeline {
    pub title: String,
    pub lanes: Vec<String>,
    pub spans: Vec<Span>,
}

pub const NAMES: [&str; 4] = ["threads", "pool", "tasks", "blocked"];

/// `course-bench timeline NAME [--json]`: the SVG, or with `--json` the recorded spans.
/// (`NAME` is one of [`NAMES`]: clap checks it.)
pub fn main(name: &str, json: bool) {
    let timeline = match name {
        "threads" => threads(),
        "pool" => pool(),
        "tasks" => tasks(),
        "blocked" => blocked(),
        other => unreachable!("clap lets only {NAMES:?} through, not {other}"),
    };
    if json {
        println!("{}", to_json(&timeline));
    } else {
        println!("{}", draw(&timeline));
    }
}

fn to_json(t: &Timeline) -> serde_json::Value {
    serde_json::json!({
        "title": t.title,
        "lanes": t.lanes,
        "spans": t.spans.iter().map(|s| serde_json::json!({
            "lane": s.lane,
            "kind": format!("{:?}", s.kind).to_lowercase(),
            "start_ms": s.start,
            "end_ms": s.end,
        })).collect::<Vec<_>>(),
    })
}

/// Stands in for a piece of computation: keeps the CPU busy for `d`.
fn busy(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

/// The tutorial's square and cube, each in its own thread: each computes (about 2 ms of
/// work) and sleeps 20 ms, for four numbers; the main thread waits in `join`.
fn threads() -> Timeline {
    let rec = Recorder::new();
    let start = Instant::now();
    let spawn = |lane: usize, f: fn(u64) -> u64| {
        let rec = Arc::clone(&rec);
        std::thread::spawn(move || {
            for n in [2, 3, 8, 9] {
                let s = Instant::now();
                std::hint::black_box(f(n));
                busy(Duration::from_millis(2));
                let s = rec.since(lane, Kind::Run, s);
                std::thread::sleep(Duration::from_millis(20));
                rec.since(lane, Kind::Wait, s);
            }
        })
    };
    let square = spawn(1, |n| n * n);
    let cube = spawn(2, |n| n * n * n);
    let joined = rec.since(0, Kind::Run, start);
    square.join().unwrap();
    cube.join().unwrap();
    rec.since(0, Kind::Wait, joined);
    Timeline {
        title: "Two threads: square and cube".into(),
        lanes: vec![
            "main".into(),
            "thread: square".into(),
            "thread: cube".into(),
        ],
        spans: rec.spans(),
    }
}

/// The numbers of one piece of the pool's job: the primes in [first, first + PIECE).
const PIECE: u64 = 25_000;
const FIRST: u64 = 10_000_000;

fn piece_primes(job: u64) -> u64 {
    let first = FIRST + job * PIECE;
    (first..first + PIECE)
        .filter(|&n| crate::measure::is_prime(n))
        .count() as u64
}

/// `course-bench timeline-worker`: a pool worker. Says when it is ready, then for each job
/// number read on stdin, counts the primes of that piece and answers `START END COUNT`
/// (nanoseconds since the Unix epoch), until its stdin closes.
pub fn pool_worker() {
    println!("ready {}", epoch_ns());
    for line in std::io::stdin().lock().lines() {
        let job: u64 = line.expect("a job").trim().parse().expect("a job number");
        let start = epoch_ns();
        let count = piece_primes(job);
        println!("{start} {} {count}", epoch_ns());
    }
}

/// A pool of worker processes: each takes the next piece of the job as soon as it is free.
fn pool() -> Timeline {
    let rec = Recorder::new();
    let start = Instant::now();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let jobs = 3 * workers;
    let next = Arc::new(AtomicUsize::new(0));
    let me = std::env::current_exe().expect("the path of this program");
    let feeders: Vec<_> = (1..=workers)
        .map(|lane| {
            let (rec, next, me) = (Arc::clone(&rec), Arc::clone(&next), me.clone());
            std::thread::spawn(move || {
                let spawned = Instant::now();
                let mut child = Command::new(me)
                    .arg("timeline-worker")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("start a worker process");
                let mut stdin = child.stdin.take().unwrap();
                let mut replies = BufReader::new(child.stdout.take().unwrap()).lines();
                let mut reply = || -> Vec<u128> {
                    let line = replies.next().expect("a reply").expect("a line");
                    line.split_whitespace()
                        .filter_map(|w| w.parse().ok())
                        .collect()
                };
                let ready = rec.epoch_ms(reply()[0]);
                rec.add_ms(lane, Kind::Startup, rec.ms(spawned), ready);
                let mut last = ready;
                loop {
                    let job = next.fetch_add(1, Ordering::SeqCst);
                    if job >= jobs {
                        break;
                    }
                    writeln!(stdin, "{job}").expect("send a job");
                    let r = reply();
                    let (began, ended) = (rec.epoch_ms(r[0]), rec.epoch_ms(r[1]));
                    rec.add_ms(lane, Kind::Wait, last, began);
                    rec.add_ms(lane, Kind::Run, began, ended);
                    last = ended;
                }
                drop(stdin); // the worker's input ends: it exits
                assert!(child.wait().expect("wait for a worker").success());
            })
        })
        .collect();
    let joined = rec.since(0, Kind::Run, start);
    for f in feeders {
        f.join().unwrap();
    }
    rec.since(0, Kind::Wait, joined);
    let mut lanes = vec!["main".to_string()];
    lanes.extend((1..=workers).map(|i| format!("worker process {i}")));
    Timeline {
        title: format!("A pool of {workers} worker processes, {jobs} pieces of CPU-bound work"),
        lanes,
        spans: rec.spans(),
    }
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime")
}

/// Three tasks on one thread, each working 4 ms then sleeping 6 ms, three times: only one
/// runs at a time, the others wait or are ready for their turn.
fn tasks() -> Timeline {
    let rec = Recorder::new();
    current_thread_runtime().block_on(async {
        let handles: Vec<_> = (0..3)
            .map(|lane| {
                let rec = Arc::clone(&rec);
                tokio::spawn(async move {
                    let mut s = Instant::now();
                    for _ in 0..3 {
                        busy(Duration::from_millis(4));
                        s = rec.since(lane, Kind::Run, s);
                        let deadline = s + Duration::from_millis(6);
                        tokio::time::sleep_until(deadline.into()).await;
                        s = rec.waited(lane, s, deadline);
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
    });
    Timeline {
        title: "Three tokio tasks on one thread (current_thread runtime)".into(),
        lanes: (1..=3).map(|i| format!("task {i}")).collect(),
        spans: rec.spans(),
    }
}

/// Two tasks that tick every 10 ms, and one that calls `std::thread::sleep(60 ms)`: the
/// runtime's only thread sleeps, and nobody ticks.
fn blocked() -> Timeline {
    let rec = Recorder::new();
    current_thread_runtime().block_on(async {
        let mut handles: Vec<_> = (0..2)
            .map(|lane| {
                let rec = Arc::clone(&rec);
                tokio::spawn(async move {
                    let mut s = Instant::now();
                    for _ in 0..8 {
                        busy(Duration::from_millis(1));
                        s = rec.since(lane, Kind::Run, s);
                        let deadline = s + Duration::from_millis(10);
                        tokio::time::sleep_until(deadline.into()).await;
                        s = rec.waited(lane, s, deadline);
                    }
                })
            })
            .collect();
        let blocker = Arc::clone(&rec);
        handles.push(tokio::spawn(async move {
            let s = Instant::now();
            let deadline = s + Duration::from_millis(15);
            tokio::time::sleep_until(deadline.into()).await;
            let s = blocker.waited(2, s, deadline);
            std::thread::sleep(Duration::from_millis(60)); // the mistake
            blocker.since(2, Kind::Blocked, s);
        }));
        for h in handles {
            h.await.unwrap();
        }
    });
    Timeline {
        title: "A blocked executor: std::thread::sleep inside a task".into(),
        lanes: vec![
            "task: ticker 1".into(),
            "task: ticker 2".into(),
            "task: blocker".into(),
        ],
        spans: rec.spans(),
    }
}

/// The width of a timeline, in SVG units (its `viewBox`).
const WIDTH: u32 = 760;

/// The smallest text of a chart, in SVG units, and the smallest a reader gets on the page: a
/// chart is never drawn narrower than `WIDTH * MIN_TEXT_PX / SMALLEST_TEXT` CSS pixels (on a
/// phone it scrolls sideways instead, in its `chart-scroll` box).
pub const SMALLEST_TEXT: f64 = 16.0 / 1.24; // plotters draws a font of size N at N / 1.24
pub const MIN_TEXT_PX: f64 = 11.0;

/// The timeline as one SVG document without blank lines (so that Markdown keeps it as one
/// HTML block when the book pastes it into a page, in a `chart-scroll` box that scrolls
/// sideways on a narrow screen: see theme/course.css).
pub fn draw(t: &Timeline) -> String {
    let mut svg = String::new();
    draw_into(t, &mut svg).expect("draw the timeline");
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg class=\"timeline chart\" role=\"img\" aria-label=\"{}\" style=\"{}\" ",
            t.title,
            chart_style(WIDTH)
        ),
        1,
    );
    let svg = with_patterns(&themed(&svg));
    svg.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The inline style of a chart `width` SVG units wide: as wide as the text column, never so
/// narrow that its smallest text is under [`MIN_TEXT_PX`], and the page's text color
/// (`currentColor` below) taken from the book's theme (`--fg`; black outside the book).
pub fn chart_style(width: u32) -> String {
    chart_style_for(width, SMALLEST_TEXT)
}

/// [`chart_style`] for a chart whose smallest text is `smallest` SVG units.
pub fn chart_style_for(width: u32, smallest: f64) -> String {
    let min = (width as f64 * MIN_TEXT_PX / smallest).ceil();
    format!("width:100%;min-width:{min}px;height:auto;color:var(--fg,#000)")
}

/// The chart follows the book's theme: its white background becomes transparent (the page's
/// own background shows through), and its black text, axes and grid take the text color of
/// the theme (`currentColor`). The colours of the data stay: each reads on light and dark.
pub fn themed(svg: &str) -> String {
    svg.replace("fill=\"#FFFFFF\"", "fill=\"none\"")
        .replace("fill=\"#000000\"", "fill=\"currentColor\"")
        .replace("stroke=\"#000000\"", "stroke=\"currentColor\"")
}

/// Gives each patterned kind its pattern: a `<defs>` right after the opening tag, and the
/// kind's spans and swatch filled with it (the pattern's own background is the kind's colour).
fn with_patterns(svg: &str) -> String {
    let mut defs = String::from("<defs>");
    let mut svg = svg.to_string();
    for kind in Kind::ALL {
        let Some((id, mark)) = kind.pattern() else {
            continue;
        };
        let hex = kind.hex();
        defs.push_str(&format!(
            "<pattern id=\"{id}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\
             <rect width=\"8\" height=\"8\" fill=\"{hex}\"/>{mark}</pattern>"
        ));
        svg = svg.replace(&format!("fill=\"{hex}\""), &format!("fill=\"url(#{id})\""));
    }
    defs.push_str("</defs>");
    match svg.find('>') {
        Some(end) => format!("{}\n{defs}{}", &svg[..=end], &svg[end + 1..]),
        None => svg,
    }
}

/// Where each legend entry goes (its swatch's left edge, its row's middle, in the legend's
/// area): left to right, a new row when the next entry would pass the SVG's right edge. A
/// label is counted 9 units a character, more than the widest letters of a 16-unit sans-serif
/// font drawn at 16 / 1.24, so that no entry is cut.
fn legend_places(kinds: &[Kind]) -> Vec<(i32, i32)> {
    let mut places = Vec::new();
    let (mut x, mut y) = (40, 12);
    for kind in kinds {
        let width = 22 + 9 * kind.label().chars().count() as i32;
        if x > 40 && x + width > WIDTH as i32 - 12 {
            (x, y) = (40, y + 26);
        }
        places.push((x, y));
        x += width + 24;
    }
    places
}

fn draw_into(t: &Timeline, svg: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    const FONT: &str = "sans-serif";
    let n = t.lanes.len() as i32;
    let end = t.spans.iter().map(|s| s.end).fold(1.0, f64::max) * 1.02;
    let present: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|kind| t.spans.iter().any(|s| s.kind == *kind))
        .collect();
    let legend_height = legend_places(&present)
        .last()
        .map_or(0, |&(_, y)| y as u32 + 18);
    let height = 110 + 40 * t.lanes.len() as u32 + legend_height;
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, legend) = root.split_vertically(height - legend_height);
    let mut chart = ChartBuilder::on(&top)
        .caption(&t.title, (FONT, 20))
        .margin(12)
        // Room for half of the last tick's label, which plotters centres on its tick: the
        // axis may end just after a round number ("100.0" is 32 px wide at 16 px).
        .margin_right(32)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(0f64..end, (0..n - 1).into_segmented())?;
    let lanes = &t.lanes;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("milliseconds since the start")
        .y_labels(lanes.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => {
                lanes.get((n - 1 - i) as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        })
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 16))
        .draw()?;
    // The thinnest span still shows: at least 0.3 % of the axis.
    let min_width = end * 0.003;
    for &kind in &present {
        let spans: Vec<&Span> = t.spans.iter().filter(|s| s.kind == kind).collect();
        chart.draw_series(spans.iter().map(|s| {
            let y = n - 1 - s.lane as i32;
            let mut r = Rectangle::new(
                [
                    (s.start, SegmentValue::Exact(y)),
                    (s.end.max(s.start + min_width), SegmentValue::Exact(y + 1)),
                ],
                kind.color().filled(),
            );
            r.set_margin(7, 7, 0, 0);
            r
        }))?;
    }
    // The legend, below the chart, in as many rows as it takes to stay inside the SVG.
    let style = TextStyle::from((FONT, 16).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (kind, (x, y)) in present.iter().zip(legend_places(&present)) {
        legend.draw(&Rectangle::new(
            [(x, y - 8), (x + 16, y + 8)],
            kind.color().filled(),
        ))?;
        legend.draw(&Text::new(kind.label(), (x + 22, y), style.clone()))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_and_blocking_differ_by_more_than_colour() {
        let t = Timeline {
            title: "test".into(),
            lanes: vec!["a task".into()],
            spans: [
                Kind::Run,
                Kind::Blocked,
                Kind::Ready,
                Kind::Wait,
                Kind::Startup,
            ]
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Span {
                lane: 0,
                kind,
                start: i as f64,
                end: i as f64 + 1.0,
            })
            .collect(),
        };
        let svg = draw(&t);
        for id in ["tl-blocked", "tl-ready", "tl-startup"] {
            assert!(svg.contains(&format!("<pattern id=\"{id}\"")), "{svg}");
            // the span and its legend swatch
            assert!(
                svg.matches(&format!("fill=\"url(#{id})\"")).count() >= 2,
                "{svg}"
            );
        }
        // No patterned kind is left as a bare colour.
        for kind in [Kind::Blocked, Kind::Ready, Kind::Startup] {
            let bare = format!("fill=\"{}\"", kind.hex());
            assert!(!svg.contains(&format!("<rect {bare}")), "{svg}");
            assert_eq!(
                svg.matches(&bare).count(),
                1,
                "only the pattern's own background: {svg}"
            );
        }
        // Running is solid and dark, waiting solid and light: they differ in lightness too.
        let lightness =
            |c: RGBColor| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        assert!(lightness(Kind::Wait.color()) - lightness(Kind::Run.color()) > 80.0);
        assert!(svg.contains(&format!("fill=\"{}\"", Kind::Run.hex())));
        for kind in Kind::ALL {
            assert!(
                svg.contains(kind.label()),
                "the legend names every kind: {svg}"
            );
        }
    }

    #[test]
    fn a_drawn_timeline_has_one_label_per_lane_and_no_blank_line() {
        let t = Timeline {
            title: "test".into(),
            lanes: vec!["alpha".into(), "beta".into()],
            spans: vec![
                Span {
                    lane: 0,
                    kind: Kind::Run,
                    start: 0.0,
                    end: 5.0,
                },
                Span {
                    lane: 1,
                    kind: Kind::Wait,
                    start: 2.0,
                    end: 9.0,
                },
            ],
        };
        let svg = draw(&t);
        assert!(svg.starts_with("<svg class=\"timeline chart\""), "{svg}");
        assert!(!svg.contains("\n\n"));
        for lane in ["alpha", "beta"] {
            assert_eq!(svg.lines().filter(|l| l.trim() == lane).count(), 1, "{svg}");
        }
    }

    /// The x axis of a run that ended at 98.1 ms ends at 100.06 ms, so its last tick, 100.0,
    /// sits at the plot's right edge (the book's threads chart, on one slow build, put that
    /// label at x 730..762 of 760). Every tick label, centred on its tick and about 7 px wide a
    /// character at 16 px, must stay inside the SVG.
    #[test]
    fn the_last_tick_label_stays_inside_the_timeline() {
        let t = Timeline {
            title: "test".into(),
            lanes: vec!["a".into(), "b".into()],
            spans: vec![Span {
                lane: 0,
                kind: Kind::Run,
                start: 0.0,
                end: 98.1,
            }],
        };
        let svg = draw(&t);
        let mut labels = 0;
        for text in svg.split("<text").skip(1) {
            let Some(centred) = text.split_once('>').filter(|(a, _)| a.contains("middle")) else {
                continue;
            };
            let label = centred.1.split('<').next().unwrap();
            let Ok(value) = label.trim().parse::<f64>() else {
                continue;
            };
            let x: f64 = centred
                .0
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let half = 7.0 * label.trim().len() as f64 / 2.0;
            assert!(
                x + half <= WIDTH as f64,
                "{value} ends at {} of {WIDTH}",
                x + half
            );
            labels += 1;
        }
        assert!(labels > 3, "no tick labels found in\n{svg}");
    }

    #[test]
    fn the_legend_stays_inside_the_timeline() {
        let places = legend_places(&Kind::ALL);
        assert_eq!(places.len(), Kind::ALL.len());
        for (kind, (x, _)) in Kind::ALL.iter().zip(&places) {
            let right = x + 22 + 9 * kind.label().chars().count() as i32;
            assert!(right <= WIDTH as i32, "{} ends at {right}", kind.label());
        }
        assert!(
            places.iter().any(|&(_, y)| y > places[0].1),
            "more than one row"
        );
    }
}
