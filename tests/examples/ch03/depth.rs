//! The tests of chapter 3's depth pages (issue 19): lock-free updates (ch03-60) and the pages
//! after it.

use crate::common;

/// The number after `prefix` on `line` (spaces before it skipped).
fn number_after(line: &str, prefix: &str) -> usize {
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{line:?} does not start with {prefix:?}"));
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix:?} in {line:?}"))
}

// ---- ch03-60: compare_exchange and try_update ----

#[test]
fn compare_exchange_loop_loses_no_update() {
    let run = common::run("ch03-60-compare-exchange", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(number_after(lines[0], "expected ="), 40_000);
    assert_eq!(number_after(lines[1], "count    ="), 40_000, "{lines:?}");
    // Retries depend on scheduling: only their presence is checked.
    number_after(lines[2], "retries  =");
}

#[test]
fn try_update_never_sells_more_seats_than_there_are() {
    let run = common::run("ch03-60-try-update", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let got: Vec<usize> = lines[0]
        .strip_prefix("each buyer got [")
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| panic!("{lines:?}"))
        .split(", ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(got.len(), 4, "{lines:?}");
    assert!(got.iter().all(|&n| n <= 100), "{lines:?}");
    assert_eq!(got.iter().sum::<usize>(), 250, "{lines:?}");
    assert_eq!(lines[1], "seats sold: 250 of 250");
    assert_eq!(number_after(lines[2], "refused:"), 150);
}

// ---- ch03-06: one Sender shared by reference ----

#[test]
fn shared_sender_delivers_every_message() {
    // The same guarantees as the clones: six messages, each producer's in order, count last.
    let run = common::run("ch03-06-shared-sender", &[]).success();
    super::check_producers(&run.lines());
}
