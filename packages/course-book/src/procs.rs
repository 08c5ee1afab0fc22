//! The processes a test run started, found through a mark in their environment.
//!
//! A test run sets `VAR=MARK` in the environment of the program it starts; every process that
//! program starts inherits it, and keeps it after it is re-parented (when its parent exits
//! first). Scanning `/proc/*/environ` for `VAR=MARK` therefore finds every straggler, and only
//! those of this run (other runs on the machine use other marks). Used by the examples' tests
//! (`tests/examples/common.rs`, `COURSE_TEST_RUN`) and by `cargo xtask stress`
//! (`COURSE_STRESS_RUN`). On a system without `/proc`, nothing is found.

use std::process::{Command, Stdio};

/// The live (not zombie) processes whose environment holds `var=mark`.
pub fn marked(var: &str, mark: &str) -> Vec<u32> {
    let needle = format!("{var}={mark}\0");
    live_where("environ", |environ| contains(environ, needle.as_bytes()))
}

/// The live processes whose environment holds `var` with a value starting with `prefix` (the
/// runs of one program that numbers them `PREFIX<n>`).
pub fn marked_with_prefix(var: &str, prefix: &str) -> Vec<u32> {
    let needle = format!("{var}={prefix}");
    live_where("environ", |environ| contains(environ, needle.as_bytes()))
}

/// Ends every process marked `var=mark` (SIGKILL); returns the ones it found.
pub fn kill_marked(var: &str, mark: &str) -> Vec<u32> {
    let found = marked(var, mark);
    kill(&found);
    found
}

/// The live processes whose command line holds `text` (a temporary folder of their own, say:
/// the browser tests end the Chromium that uses their profile folder this way).
pub fn with_argument(text: &str) -> Vec<u32> {
    live_where("cmdline", |cmdline| {
        cmdline.windows(text.len()).any(|w| w == text.as_bytes())
    })
}

/// Ends these processes (SIGKILL), ignoring those that are gone already.
pub fn kill(pids: &[u32]) {
    for pid in pids {
        let _ = Command::new("kill")
            .args(["-9", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// The live processes whose `/proc/PID/<file>` satisfies `test`, sorted.
fn live_where(file: &str, test: impl Fn(&[u8]) -> bool) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new(); // not Linux: nothing to look at
    };
    let mut found: Vec<u32> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let content = std::fs::read(entry.path().join(file)).ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            (!is_zombie(&stat) && test(&content)).then_some(pid)
        })
        .collect();
    found.sort_unstable();
    found
}

/// The state in `/proc/PID/stat` (after the command's name in parentheses) is `Z`.
fn is_zombie(stat: &str) -> bool {
    stat.rsplit(')')
        .next()
        .is_some_and(|rest| rest.trim_start().starts_with('Z'))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    // `environ` starts with a variable too: look for the needle after a NUL or at the start.
    haystack.starts_with(needle)
        || haystack
            .windows(needle.len() + 1)
            .any(|w| w[0] == 0 && &w[1..] == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zombies_are_told_apart() {
        assert!(is_zombie("42 (sleep) Z 1 42"));
        assert!(is_zombie("42 (a) b) Z 1"));
        assert!(!is_zombie("42 (sleep) S 1 42"));
    }

    #[test]
    fn the_mark_is_a_whole_variable() {
        assert!(contains(b"A=1\0RUN=7\0", b"RUN=7\0"));
        assert!(contains(b"RUN=7\0A=1\0", b"RUN=7\0"));
        assert!(!contains(b"A=1\0RUN=77\0", b"RUN=7\0"));
        assert!(!contains(b"XRUN=7\0", b"RUN=7\0"));
    }

    #[test]
    fn a_marked_child_is_found_and_killed() {
        let mark = format!("{}-procs-test", std::process::id());
        let mut child = Command::new("sleep")
            .arg("30")
            .env("COURSE_BOOK_TEST", &mark)
            .spawn()
            .expect("sleep");
        if std::path::Path::new("/proc").is_dir() {
            assert_eq!(marked("COURSE_BOOK_TEST", &mark), vec![child.id()]);
            let prefix = format!("{}-procs", std::process::id());
            assert_eq!(
                marked_with_prefix("COURSE_BOOK_TEST", &prefix),
                vec![child.id()]
            );
            assert!(with_argument("sleep").contains(&child.id()));
            assert_eq!(kill_marked("COURSE_BOOK_TEST", &mark), vec![child.id()]);
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(marked("COURSE_BOOK_TEST", &mark), Vec::<u32>::new());
    }
}
