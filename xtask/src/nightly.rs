//! The output of Miri and ThreadSanitizer that the data-race page shows (`src/nightly/`):
//! produced by running the tools on the page's racy listing, normalised so that it is the same
//! from run to run and machine to machine, and re-checked by `cargo xtask test` whenever a
//! nightly toolchain with Miri and the standard library's source is installed.
//!
//! The tools run in a package of their own, `target/nightly/pkg`, which holds only the listing
//! (copied from `examples/`): the command is the one the page shows, and neither tool has to
//! build the course's dependencies. Their builds are kept in `target/nightly/build`, so only
//! the first run pays for Miri's sysroot and for `-Zbuild-std`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// What `cargo xtask test` prints when it cannot run the tools.
pub const SKIPPED: &str = "skipped: no nightly toolchain with miri \
    (install: rustup toolchain install nightly --component miri rust-src)";

/// Set to `skip` (or `0`), it makes the nightly checks skip as if no nightly were installed.
pub const ENV: &str = "COURSE_NIGHTLY";

/// The listing both tools run.
const EXAMPLE: &str = "ch05-05-race";

/// The memory-order page's listing, run under Miri too: its weak-memory emulation lets a load read
/// an older value in many of the cases the memory model allows, and never in one that C++11's rules
/// forbid (Miri's `concurrency/weak_memory.rs`; C++11 already forbids both threads reading `false`
/// with `SeqCst` accesses or with `SeqCst` fences between them), so the outcome the page calls
/// impossible must never appear, and the one it shows for Release/Acquire does. An x86-64 CPU
/// cannot tell: a `SeqCst` store followed by a mere Acquire load still prints 0 there (the store is
/// a locked `xchg`), and `fence(AcqRel)`, which emits no instruction, shows the outcome only in
/// some runs.
const STORE_BUFFER: &str = "ch03-19-store-buffer";

/// Where the shown output lives (the page includes these files).
const OUT_DIR: &str = "src/nightly";

/// Where the tools build and run.
const WORK_DIR: &str = "target/nightly";

/// A tool and how the page runs it.
struct Tool {
    /// The stored file's name: `src/nightly/<EXAMPLE>.<suffix>.txt`.
    suffix: &'static str,
    /// The command, after `cargo +nightly`.
    args: &'static [&'static str],
    /// Environment variables the command is given (`RUSTFLAGS`, `TSAN_OPTIONS`).
    env: &'static [(&'static str, &'static str)],
    /// The command as the stored file shows it, on lines of at most 78 columns.
    shown: &'static str,
    /// How many runs may be made until one reports the race (TSan can drop a report).
    attempts: usize,
}

const TOOLS: &[Tool] = &[
    Tool {
        suffix: "miri",
        args: &["miri", "run", "--example", EXAMPLE],
        env: &[],
        shown: "$ cargo +nightly miri run --example ch05-05-race\n",
        attempts: 1,
    },
    Tool {
        suffix: "tsan",
        args: &[
            "run",
            "-Zbuild-std",
            "--target",
            "x86_64-unknown-linux-gnu",
            "--example",
            EXAMPLE,
        ],
        env: &[
            ("RUSTFLAGS", "-Zsanitizer=thread"),
            ("TSAN_OPTIONS", "history_size=7"),
        ],
        shown: "$ RUSTFLAGS=-Zsanitizer=thread TSAN_OPTIONS=history_size=7 \\\n    \
                cargo +nightly run -Zbuild-std \\\n    \
                --target x86_64-unknown-linux-gnu --example ch05-05-race\n",
        attempts: 3,
    },
];

/// Whether the tools can run here, from `rustup toolchain list` and (when a nightly is listed)
/// `rustup +nightly component list --installed`. Miri needs the standard library's source
/// (`rust-src`) as much as `-Zbuild-std` does: both need all three.
pub fn available(toolchains: &str, components: Option<&str>) -> bool {
    let nightly = toolchains
        .lines()
        .any(|line| line.trim_start().starts_with("nightly"));
    let has = |name: &str| {
        components.is_some_and(|list| {
            list.lines()
                .any(|line| line.trim() == name || line.trim().starts_with(&format!("{name}-")))
        })
    };
    nightly && has("miri") && has("rust-src")
}

/// Whether [`ENV`] asks to skip.
fn skip_forced(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("skip" | "0"))
}

/// Asks rustup what is installed here (nothing, if there is no rustup).
fn probe() -> bool {
    if skip_forced(std::env::var(ENV).ok().as_deref()) {
        return false;
    }
    let output = |args: &[&str]| {
        Command::new("rustup")
            .args(args)
            .env_remove("RUSTUP_TOOLCHAIN")
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(toolchains) = output(&["toolchain", "list"]) else {
        return false;
    };
    let components = output(&["+nightly", "component", "list", "--installed"]);
    available(&toolchains, components.as_deref())
}

/// The toolchain's version line, shown on the page.
fn version() -> Result<String> {
    let run = |args: &[&str]| -> Result<String> {
        let out = Command::new("rustup")
            .args(["run", "nightly"])
            .args(args)
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .with_context(|| format!("cannot run {args:?}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    Ok(format!(
        "{}; {}\n",
        run(&["rustc", "--version"])?,
        run(&["cargo", "miri", "--version"])?
    ))
}

/// Runs one tool on the listing, up to `tool.attempts` times until a run reports the race;
/// returns the output of the last run, normalised.
fn run_tool(root: &Path, tool: &Tool) -> Result<String> {
    let mut text = String::new();
    for attempt in 1..=tool.attempts {
        text = run_once(root, tool)?;
        if has_report(&text) {
            break;
        }
        if attempt < tool.attempts {
            eprintln!("xtask: no report from this run; running it again");
        }
    }
    Ok(text)
}

/// Whether the tool's output holds a report (Miri's `Undefined Behavior` error, TSan's
/// `WARNING`): a run without one shows nothing, and is never stored nor taken as the same.
pub fn has_report(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("error: Undefined Behavior")
            || line.starts_with("WARNING: ThreadSanitizer")
    })
}

/// Runs one tool on the listing once; returns its output, normalised.
fn run_once(root: &Path, tool: &Tool) -> Result<String> {
    let run = run_nightly(root, EXAMPLE, tool.args, tool.env, tool.suffix)?;
    let mut text = tool.shown.to_owned();
    text.push_str(&normalise(&run.stderr, &run.pkg_dir));
    text.push_str(&format!("exit status: {}\n", run.code));
    Ok(text)
}

/// What a run of `cargo +nightly` in the tools' package printed, and how it ended.
struct NightlyRun {
    code: i32,
    stdout: String,
    stderr: String,
    /// The package's folder, with a final `/`, as the output spells it.
    pkg_dir: String,
}

/// Runs `cargo +nightly ARGS` in the tools' package, which holds only `examples/EXAMPLE.rs`
/// (copied from the course), with `env` and nothing of the caller's toolchain settings; its
/// output is kept in `target/nightly/SUFFIX.stdout` and `.stderr`.
fn run_nightly(
    root: &Path,
    example: &str,
    args: &[&str],
    env: &[(&str, &str)],
    suffix: &str,
) -> Result<NightlyRun> {
    let work = root.canonicalize()?.join(WORK_DIR);
    let pkg = work.join("pkg");
    fs::create_dir_all(pkg.join("examples"))?;
    fs::create_dir_all(pkg.join("src"))?;
    fs::write(
        pkg.join("Cargo.toml"),
        "[package]\nname = \"course-nightly\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[workspace]\n",
    )?;
    fs::write(pkg.join("src/main.rs"), "fn main() {}\n")?;
    let listing = format!("examples/{example}.rs");
    fs::copy(root.join(&listing), pkg.join(&listing)).with_context(|| listing.clone())?;
    let stdout = work.join(format!("{suffix}.stdout"));
    let stderr = work.join(format!("{suffix}.stderr"));
    let mut cmd = Command::new("rustup");
    cmd.args(["run", "nightly", "cargo"])
        .args(args)
        .current_dir(&pkg)
        .env("CARGO_TARGET_DIR", work.join("build"))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout)?)
        .stderr(fs::File::create(&stderr)?);
    for var in [
        "RUSTUP_TOOLCHAIN",
        "CARGO",
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "MIRIFLAGS",
        "TSAN_OPTIONS",
        "RUST_BACKTRACE",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let start = Instant::now();
    // The first run builds Miri's sysroot, or the whole standard library with TSan.
    let (status, left) = crate::process::swept(&mut cmd, Duration::from_secs(1800))?;
    eprintln!(
        "xtask: cargo +nightly {} took {:.1?}",
        args.join(" "),
        start.elapsed()
    );
    let Some(status) = status else {
        bail!("cargo +nightly {} did not end: killed", args.join(" "));
    };
    if !left.is_empty() {
        // TSan symbolizes its report with a child `llvm-symbolizer`, which can still be
        // exiting when the program and cargo have ended: killed, and said, not failed on.
        eprintln!(
            "xtask: cargo +nightly {} left processes (killed): {left:?}",
            args.join(" ")
        );
    }
    let mut pkg_dir = pkg.canonicalize()?.display().to_string();
    pkg_dir.push('/');
    Ok(NightlyRun {
        code: status.code().unwrap_or(-1),
        stdout: fs::read_to_string(&stdout)?,
        stderr: fs::read_to_string(&stderr)?,
        pkg_dir,
    })
}

/// The output made stable: cargo's own lines left out; the package's folder, process and
/// thread ids, addresses, hashes and allocation numbers replaced by placeholders; of each
/// ThreadSanitizer stack, only the frames in the listing (the count of the others said).
pub fn normalise(stderr: &str, pkg_dir: &str) -> String {
    let mut out = String::new();
    let mut cut = 0;
    let flush = |out: &mut String, cut: &mut usize| {
        if *cut > 0 {
            out.push_str(&format!("    ... ({cut} frames outside the listing)\n"));
            *cut = 0;
        }
    };
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if [
            "Compiling ",
            "Finished ",
            "Running ",
            "Preparing a sysroot",
            "Blocking ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p))
            || trimmed.starts_with("A sysroot for Miri")
        {
            continue;
        }
        let line = line.replace(pkg_dir, "");
        if trimmed.starts_with('#') {
            // A TSan frame: `#N function file:line:col (binary+0x..) (BuildId: ..)`.
            if line.contains("examples/") {
                flush(&mut out, &mut cut);
                let keep = line.split(" (").next().unwrap_or(&line);
                out.push_str(keep);
                out.push('\n');
            } else {
                cut += 1;
            }
            continue;
        }
        flush(&mut out, &mut cut);
        out.push_str(&placeholders(&line));
        out.push('\n');
    }
    flush(&mut out, &mut cut);
    out
}

/// `0x7b..` to `0xADDR`, `pid=123` to `pid=PID`, `tid=..` to `tid=TID`, `alloc155` to
/// `allocN`.
fn placeholders(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let tail = &rest[c.len_utf8()..];
        let (word, skip) = if let Some(hex) = rest.strip_prefix("0x") {
            ("0xADDR", 2 + digits(hex, 16))
        } else if let Some(n) = rest.strip_prefix("pid=") {
            ("pid=PID", 4 + digits(n, 10))
        } else if let Some(n) = rest.strip_prefix("tid=") {
            ("tid=TID", 4 + digits(n, 10))
        } else if let Some(n) = rest.strip_prefix("alloc").filter(|n| digits(n, 10) > 0) {
            ("allocN", 5 + digits(n, 10))
        } else {
            out.push(c);
            rest = tail;
            continue;
        };
        out.push_str(word);
        rest = &rest[skip..];
    }
    out
}

fn digits(s: &str, radix: u32) -> usize {
    s.chars().take_while(|c| c.is_digit(radix)).count()
}

/// What must not change: the kind of error (Miri's `Undefined Behavior` line, TSan's
/// `WARNING` and `SUMMARY` lines, with which access is which left out, since TSan names the
/// accesses in the order they happened), the listing's lines where they happen, and the exit
/// status; of those lines, the ones where the racing accesses happened are marked.
pub fn essentials(text: &str) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut previous = "";
    for line in text.lines() {
        let line = line.trim();
        // Where each racing access happened, apart from the call sites around it (a set, so
        // the order TSan names them in does not count): the `-->` under Miri's error and its
        // `(1) occurred earlier here`, the top frame under each of TSan's accesses.
        let access = (line.starts_with("-->")
            && (previous.starts_with("error: Undefined Behavior")
                || previous.starts_with("help: and (1)")))
            || (line.starts_with("#0 ") && previous.contains(" of size "));
        previous = line;
        if line.starts_with("error: Undefined Behavior")
            || line.starts_with("exit status")
            || line.starts_with("WARNING: ThreadSanitizer")
        {
            found.insert(line.to_owned());
        }
        if line.starts_with("SUMMARY: ThreadSanitizer") {
            found.insert(line.split(" examples/").next().unwrap_or(line).to_owned());
        }
        let mut rest = line;
        while let Some(at) = rest.find("examples/") {
            let loc: String = rest[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ',')
                .collect();
            // file:line, without the column
            let mut parts = loc.split(':');
            if let (Some(file), Some(line_no)) = (parts.next(), parts.next()) {
                found.insert(format!("at {file}:{line_no}"));
                if access {
                    found.insert(format!("race at {file}:{line_no}"));
                }
            }
            rest = &rest[at + loc.len().max(1)..];
        }
    }
    found.into_iter().collect()
}

/// What the store-buffer listing printed under Miri, judged: the rounds in which both threads
/// read `false` must be 0 for `SeqCst` and for the fences (the model forbids them), more than
/// 0 for Release/Acquire (what the page shows), and the run must end with status 0. Returns
/// the three counts, said in a line.
pub fn store_buffer_verdict(stdout: &str, code: i32) -> Result<String, String> {
    if code != 0 {
        return Err(format!("exit status {code}"));
    }
    let count = |label: &str| -> Result<usize, String> {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(label))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("no line `{label} N` in {stdout:?}"))
    };
    let weak = count("Release/Acquire:")?;
    let seq_cst = count("SeqCst:")?;
    let fence = count("Relaxed + SeqCst fence:")?;
    if seq_cst > 0 || fence > 0 {
        return Err(format!(
            "both threads read false in {seq_cst} SeqCst rounds and {fence} rounds with fences, \
             which the memory model forbids: an ordering of those halves is too weak"
        ));
    }
    if weak == 0 {
        return Err(
            "no Release/Acquire round where both read false: the page shows that outcome, and \
             Miri's weak memory no longer produces it (or the half is no longer Release/Acquire)"
                .to_owned(),
        );
    }
    Ok(format!(
        "both read false in {weak} Release/Acquire rounds, 0 SeqCst, 0 with fences"
    ))
}

fn stored(root: &Path, tool: &Tool) -> PathBuf {
    root.join(OUT_DIR)
        .join(format!("{EXAMPLE}.{}.txt", tool.suffix))
}

/// `cargo xtask nightly [--write]`: runs the tools; with `write`, stores their output (and the
/// toolchain's version) in `src/nightly/`, else compares it with what is stored.
pub fn run(root: &Path, write: bool) -> Result<()> {
    let mut present = probe();
    if !present && !skip_forced(std::env::var(ENV).ok().as_deref()) {
        install();
        present = probe();
    }
    run_if(root, write, present)
}

/// Asks rustup for a nightly toolchain with Miri and the standard library's source (the minimal
/// profile: about 100 MB, once per machine), as the pinned tools are installed when missing; if
/// that fails (no rustup, no network), rustup says why and the checks are skipped.
fn install() {
    eprintln!(
        "nightly: installing a nightly toolchain with miri and rust-src (once per machine; \
         set {ENV}=skip to do without)"
    );
    let status = Command::new("rustup")
        .args(["toolchain", "install", "nightly", "--profile", "minimal"])
        .args(["--component", "miri", "--component", "rust-src"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("nightly: `rustup toolchain install nightly` failed");
    }
}

/// [`run`], told whether the tools are here (`false`: say so, and pass).
fn run_if(root: &Path, write: bool, present: bool) -> Result<()> {
    if !present {
        println!("{SKIPPED}");
        return Ok(());
    }
    let mut differ = Vec::new();
    for tool in TOOLS {
        let fresh = run_tool(root, tool)?;
        let path = stored(root, tool);
        if !has_report(&fresh) {
            // A listing made race-free, or a tool that stopped seeing the race: the page would
            // show nothing, so neither `--write` nor the comparison may pass.
            differ.push(format!(
                "{}: {} reported no race (its output: target/nightly/{}.stderr)",
                path.display(),
                tool.suffix,
                tool.suffix
            ));
            continue;
        }
        if write {
            fs::create_dir_all(path.parent().unwrap())?;
            fs::write(&path, &fresh)?;
            println!("nightly: wrote {}", path.display());
            continue;
        }
        let old = fs::read_to_string(&path)
            .with_context(|| format!("{}: run `cargo xtask nightly --write`", path.display()))?;
        let (was, now) = (essentials(&old), essentials(&fresh));
        if was == now {
            println!(
                "nightly: {}: the same ({} essential lines)",
                tool.suffix,
                now.len()
            );
        } else {
            differ.push(format!("{}: stored {was:#?}\nnow {now:#?}", path.display()));
        }
    }
    let run = run_nightly(
        root,
        STORE_BUFFER,
        &["miri", "run", "--example", STORE_BUFFER],
        &[],
        "store-buffer",
    )?;
    match store_buffer_verdict(&run.stdout, run.code) {
        Ok(seen) => println!("nightly: {STORE_BUFFER} under Miri: {seen}"),
        Err(why) => differ.push(format!(
            "{STORE_BUFFER} under Miri (its output: target/nightly/store-buffer.stdout and \
             .stderr): {why}"
        )),
    }
    if write && differ.is_empty() {
        let path = root.join(OUT_DIR).join("toolchain.txt");
        fs::write(&path, version()?)?;
        println!("nightly: wrote {}", path.display());
    }
    if !differ.is_empty() {
        bail!(
            "the tools' output changed or holds no report (check it; `cargo xtask nightly \
             --write` stores a new report):\n{}",
            differ.join("\n")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH: &str = "stable-x86_64-unknown-linux-gnu (active, default)\n\
                        nightly-x86_64-unknown-linux-gnu\n";
    const COMPONENTS: &str = "cargo-x86_64-unknown-linux-gnu\nmiri-x86_64-unknown-linux-gnu\n\
                              rust-src\nrustc-x86_64-unknown-linux-gnu\n";

    #[test]
    fn the_tools_run_only_with_nightly_miri_and_rust_src() {
        assert!(available(WITH, Some(COMPONENTS)));
        // No nightly: rustup lists only stable, and `+nightly` fails.
        assert!(!available(
            "stable-x86_64-unknown-linux-gnu (default)\n",
            None
        ));
        let no_miri = COMPONENTS.replace("miri-x86_64-unknown-linux-gnu\n", "");
        assert!(!available(WITH, Some(&no_miri)));
        assert!(!available(
            WITH,
            Some(&COMPONENTS.replace("rust-src\n", ""))
        ));
    }

    #[test]
    fn the_skip_can_be_forced_and_says_how_to_install() {
        assert!(skip_forced(Some("skip")) && skip_forced(Some("0")));
        assert!(!skip_forced(None) && !skip_forced(Some("1")));
        // The skip path itself: it passes without touching the project (there is none).
        assert!(run_if(Path::new("/nonexistent"), false, false).is_ok());
        assert!(run_if(Path::new("/nonexistent"), true, false).is_ok());
        assert!(SKIPPED.contains("rustup toolchain install nightly --component miri rust-src"));
    }

    #[test]
    fn normalising_removes_what_changes_from_run_to_run() {
        let raw = "   Compiling course-nightly v0.0.0 (/w/pkg)\n\
                   WARNING: ThreadSanitizer: data race (pid=7108)\n  \
                   Write of size 8 at 0x7fff85c54fd0 by thread T1:\n    \
                   #0 f /w/pkg/examples/x.rs:16:18 (x+0x1a0c26) (BuildId: af70)\n    \
                   #1 g /r/std/src/rt.rs:1:1 (x+0x1) (BuildId: af70)\n    \
                   #2 h /r/std/src/rt.rs:2:1 (x+0x2) (BuildId: af70)\n  \
                   Thread T1 (tid=1626, running) created by main thread at:\n\
                   error: Undefined Behavior: Data race detected at alloc155\n";
        let got = normalise(raw, "/w/pkg/");
        assert_eq!(
            got,
            "WARNING: ThreadSanitizer: data race (pid=PID)\n  \
             Write of size 8 at 0xADDR by thread T1:\n    \
             #0 f examples/x.rs:16:18\n    \
             ... (2 frames outside the listing)\n  \
             Thread T1 (tid=TID, running) created by main thread at:\n\
             error: Undefined Behavior: Data race detected at allocN\n"
        );
        assert_eq!(
            essentials(&got),
            [
                "WARNING: ThreadSanitizer: data race (pid=PID)",
                "at examples/x.rs:16",
                "error: Undefined Behavior: Data race detected at allocN",
                "race at examples/x.rs:16",
            ]
        );
    }

    #[test]
    fn a_run_without_a_report_is_never_stored_nor_the_same() {
        // The racy listing made race-free: Miri exits 0, TSan prints nothing.
        assert!(!has_report(
            "$ cargo +nightly miri run --example ch05-05-race\nexit status: 0\n"
        ));
        assert!(!has_report(
            "warning: Undefined Behavior ahead\nexit status: 0\n"
        ));
        for file in ["miri", "tsan"] {
            let path = format!(
                "{}/../{OUT_DIR}/{EXAMPLE}.{file}.txt",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = fs::read_to_string(&path).unwrap();
            assert!(has_report(&text), "{path} holds no report");
        }
    }

    #[test]
    fn the_store_buffer_listing_must_show_only_what_the_model_allows() {
        let good = "2000 rounds each; rounds where both read false:\n\
                    Release/Acquire:        580 (changes from run to run)\n\
                    SeqCst:                 0\n\
                    Relaxed + SeqCst fence: 0\n";
        assert_eq!(
            store_buffer_verdict(good, 0).unwrap(),
            "both read false in 580 Release/Acquire rounds, 0 SeqCst, 0 with fences"
        );
        // The listing with a SeqCst store and an Acquire load, or with fence(AcqRel), under
        // Miri: both-false rounds where the model forbids them (550 and 636 of 2000 in full runs;
        // any number above 0 must fail).
        let acquire_load = good.replace("SeqCst:                 0", "SeqCst:                 8");
        let acq_rel_fence = good.replace("fence: 0", "fence: 12");
        for wrong in [acquire_load, acq_rel_fence] {
            assert!(
                store_buffer_verdict(&wrong, 0)
                    .unwrap_err()
                    .contains("forbids")
            );
        }
        let no_weak = good.replace("580 (", "0 (");
        assert!(
            store_buffer_verdict(&no_weak, 0)
                .unwrap_err()
                .contains("no Release/Acquire")
        );
        assert!(store_buffer_verdict(good, 1).is_err());
        // A line missing (the listing changed what it prints) is not taken as a 0.
        let short = good.replace("Relaxed + SeqCst fence: 0\n", "");
        assert!(
            store_buffer_verdict(&short, 0)
                .unwrap_err()
                .contains("no line")
        );
    }

    #[test]
    fn a_different_error_or_location_is_a_difference() {
        let miri = "error: Undefined Behavior: Data race detected between (1) \
                    non-atomic write and (2) non-atomic read\n  --> examples/r.rs:16:18\n\
                    exit status: 1\n";
        assert_eq!(essentials(miri).len(), 4);
        assert_ne!(
            essentials(miri),
            essentials(&miri.replace("16:18", "17:18"))
        );
        assert_ne!(essentials(miri), essentials(&miri.replace("read", "write")));
        assert_ne!(
            essentials(miri),
            essentials(&miri.replace("status: 1", "status: 0"))
        );
    }

    #[test]
    fn an_access_moved_to_a_line_already_named_is_a_difference() {
        // The stored reports name line 30 too (the call of `add_one`): a report whose racing
        // access is on line 30 instead of 16 names the same set of lines, and must differ.
        for file in ["miri", "tsan"] {
            let path = format!(
                "{}/../{OUT_DIR}/{EXAMPLE}.{file}.txt",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = fs::read_to_string(&path).unwrap();
            let race = format!("race at examples/{EXAMPLE}.rs:16");
            assert!(essentials(&text).contains(&race), "{path}");
            let (at, col) = if file == "miri" {
                (
                    "--> examples/ch05-05-race.rs:16:18",
                    "--> examples/ch05-05-race.rs:30:21",
                )
            } else {
                (
                    "add_one examples/ch05-05-race.rs:16:18",
                    "add_one examples/ch05-05-race.rs:30:29",
                )
            };
            let moved = text.replacen(at, col, 1);
            assert_ne!(moved, text, "{path}");
            assert_ne!(essentials(&text), essentials(&moved), "{path}");
        }
    }
}
