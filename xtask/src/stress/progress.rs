//! The record of a stress run, `target/stress/progress.json`: what the rounds so far found,
//! and the commit, toolchain and Python they ran with, so that `cargo xtask stress --resume`
//! continues only rounds that add up (a run of 100 rounds takes hours, often in pieces).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

/// What a stress run has found, over every round so far. `cargo xtask stress` writes it to
/// `target/stress/progress.json` after each round, so that a run cut short can be continued
/// (`--resume`) on the same source: `--runs 100` takes hours.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Progress {
    /// The commit, toolchain and Python the rounds ran with; `None` when the work tree had
    /// changes no commit holds (such rounds are not continued).
    pub(super) source: Option<String>,
    pub(super) rounds: usize,
    pub(super) runs: usize,
    pub(super) failures: usize,
    pub(super) leftovers: usize,
    /// Each failed run and each run that left processes behind, with its output.
    pub(super) failed: Vec<String>,
    /// Time spent in rounds, over every piece of the run.
    pub(super) seconds: f64,
    /// How many times `cargo xtask stress` ran to make these rounds.
    pub(super) pieces: usize,
}

impl Progress {
    fn to_json(&self) -> Value {
        serde_json::json!({
            "source": self.source,
            "rounds": self.rounds,
            "runs": self.runs,
            "failures": self.failures,
            "leftovers": self.leftovers,
            "failed": self.failed,
            "seconds": self.seconds,
            "pieces": self.pieces,
        })
    }

    fn from_json(v: &Value) -> Option<Progress> {
        let count = |key: &str| v[key].as_u64().map(|n| n as usize);
        Some(Progress {
            source: v["source"].as_str().map(str::to_string),
            rounds: count("rounds")?,
            runs: count("runs")?,
            failures: count("failures")?,
            leftovers: count("leftovers")?,
            failed: v["failed"]
                .as_array()?
                .iter()
                .map(|f| f.as_str().map(str::to_string))
                .collect::<Option<_>>()?,
            seconds: v["seconds"].as_f64()?,
            pieces: count("pieces")?,
        })
    }
}

/// Where `cargo xtask stress` keeps its [`Progress`], and whether to continue it.
pub struct Record<'a> {
    pub path: &'a Path,
    pub resume: bool,
}

/// What the rounds run with: the commit, `rustc -V` and `python3 --version`; `None` when the
/// work tree has changes (tracked or not) that no commit holds, or git cannot say.
pub(super) fn source() -> Option<String> {
    let output = |program: &str, args: &[&str]| {
        let out = Command::new(program).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let changes = output("git", &["status", "--porcelain", "--untracked-files=all"])?;
    if !changes.is_empty() {
        return None;
    }
    let commit = output("git", &["rev-parse", "HEAD"])?;
    let rustc = output("rustc", &["-V"])?;
    let python = output("python3", &["--version"]).unwrap_or_else(|| "no python3".into());
    Some(format!("commit {commit}, {rustc}, {python}"))
}

/// Where a run starts: the recorded progress when it may be continued (`resume`, the same
/// source, a commit), else nothing done; and, when a recorded run is not continued, why.
pub(super) fn start_from(
    recorded: Option<Progress>,
    source: Option<String>,
    resume: bool,
) -> (Progress, Option<String>) {
    let fresh = Progress {
        source: source.clone(),
        ..Progress::default()
    };
    if !resume {
        return (fresh, None);
    }
    let why = match (recorded, &source) {
        (None, _) => "no stopped run is recorded".to_string(),
        (Some(_), None) => {
            "the work tree has uncommitted changes: only rounds of one commit add up".to_string()
        }
        (Some(recorded), Some(now)) if recorded.source.as_ref() == Some(now) => {
            return (recorded, None);
        }
        (Some(recorded), Some(now)) => format!(
            "the recorded rounds ran with {}; this is {now}",
            recorded.source.as_deref().unwrap_or("uncommitted changes")
        ),
    };
    (fresh, Some(why))
}

pub(super) fn read_progress(path: &Path) -> Option<Progress> {
    let text = std::fs::read_to_string(path).ok()?;
    Progress::from_json(&serde_json::from_str(&text).ok()?)
}

pub(super) fn write_progress(path: &Path, progress: &Progress) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Written whole, then renamed: a run stopped mid-write leaves the previous round's record.
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, serde_json::to_string_pretty(&progress.to_json())?)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::stress) fn progress(
        source: Option<&str>,
        rounds: usize,
        failed: &[&str],
    ) -> Progress {
        Progress {
            source: source.map(str::to_string),
            rounds,
            runs: rounds * 52,
            failures: failed.len(),
            leftovers: 0,
            failed: failed.iter().map(|f| f.to_string()).collect(),
            seconds: rounds as f64 * 190.5,
            pieces: 1,
        }
    }

    /// `--resume` continues only rounds of the same commit and toolchain, and keeps what they
    /// found; anything else starts from round 1 and says why.
    #[test]
    fn a_stopped_run_continues_only_on_the_same_source() {
        let here = Some("commit abc, rustc 1.95.0, Python 3.11.2".to_string());
        let recorded = progress(here.as_deref(), 37, &["one CPU, round 5: examples failed"]);
        assert_eq!(
            start_from(Some(recorded.clone()), here.clone(), true),
            (recorded.clone(), None)
        );
        // Without --resume, a new run.
        let (fresh, why) = start_from(Some(recorded.clone()), here.clone(), false);
        assert_eq!((fresh.rounds, fresh.failures, why), (0, 0, None));
        assert_eq!(fresh.source, here);
        // Another commit, uncommitted changes, nothing recorded: round 1, and why.
        let other = Some("commit def, rustc 1.95.0, Python 3.11.2".to_string());
        let (fresh, why) = start_from(Some(recorded.clone()), other, true);
        assert_eq!(fresh.rounds, 0);
        let why = why.unwrap();
        assert!(
            why.contains("commit abc") && why.contains("commit def"),
            "{why}"
        );
        let (fresh, why) = start_from(Some(recorded.clone()), None, true);
        assert_eq!((fresh.rounds, fresh.source), (0, None));
        assert!(why.unwrap().contains("uncommitted"));
        let dirty = progress(None, 3, &[]);
        let (fresh, why) = start_from(Some(dirty), None, true);
        assert_eq!(fresh.rounds, 0);
        assert!(why.is_some());
        let (fresh, why) = start_from(None, here, true);
        assert_eq!(fresh.rounds, 0);
        assert!(why.unwrap().contains("no stopped run"));
    }

    #[test]
    fn the_progress_is_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stress/progress.json");
        // 13 rounds: 2476.5 s, a time that is not a whole number.
        let written = progress(Some("commit abc"), 13, &["busy, round 3: x failed\nout"]);
        write_progress(&path, &written).unwrap();
        assert_eq!(read_progress(&path), Some(written));
        assert!(!path.with_extension("json.partial").exists());
        std::fs::write(&path, "{\"rounds\": 3}").unwrap();
        assert_eq!(
            read_progress(&path),
            None,
            "an incomplete record is not continued"
        );
    }
}
