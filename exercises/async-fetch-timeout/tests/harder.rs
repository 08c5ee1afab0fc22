//! The optional harder step: `fetch_all_bounded`, at most `at_most` fetches at once.

mod common;

use std::time::Duration;

use common::{Meeting, ms, show, silent_server, within, within_paused};
use exercise_async_fetch_timeout::{FetchError, fetch_all_bounded};

/// A limit that these tests never reach.
const AN_HOUR: Duration = Duration::from_secs(3600);

#[test]
fn harder_no_more_than_at_most_fetches_run_at_once() {
    // Each server holds its answer until three requests are in progress at once, which must
    // never happen; the first ones give up after 500 ms, and from then on all answer at once.
    let meeting = Meeting::with_patience(3, ms(500));
    let addrs: Vec<_> = (0..6).map(|_| meeting.server("hi")).collect();
    within("fetch_all_bounded", async move {
        let results = fetch_all_bounded(&addrs, AN_HOUR, 2).await;
        let most = meeting.state().most;
        assert!(
            most <= 2,
            "{most} fetches were in progress at the same time, with at_most = 2"
        );
        assert!(
            results
                .iter()
                .all(|r| matches!(r, Ok(answer) if answer == "hi")),
            "fetch_all_bounded returned {:?} from servers that answer \"hi\"",
            results.iter().map(show).collect::<Vec<_>>()
        );
    });
}

#[test]
fn harder_all_places_are_used_and_the_order_is_kept() {
    // Each server holds its answer until two requests are in progress at once (or 5 s passed).
    let meeting = Meeting::new(2);
    let bodies = ["a", "b", "c", "d", "e", "f"];
    let addrs: Vec<_> = bodies.iter().map(|body| meeting.server(body)).collect();
    within("fetch_all_bounded", async move {
        let results = fetch_all_bounded(&addrs, AN_HOUR, 2).await;
        let met = meeting.state();
        assert!(
            !met.gave_up,
            "at most {} fetch was in progress at a time, with room for 2",
            met.most
        );
        let shown: Vec<_> = results.iter().map(show).collect();
        let expected: Vec<_> = bodies.iter().map(|body| format!("{body:?}")).collect();
        assert!(
            shown == expected,
            "fetch_all_bounded returned {shown:?} from servers that answer {expected:?}"
        );
    });
}

#[test]
fn harder_each_deadline_starts_when_its_fetch_starts() {
    let silent: Vec<_> = (0..3).map(|_| silent_server()).collect();
    let addrs: Vec<_> = silent.iter().map(|(addr, _)| *addr).collect();
    within_paused("fetch_all_bounded", async move {
        let start = tokio::time::Instant::now();
        let results = fetch_all_bounded(&addrs, ms(400), 2).await;
        let took = start.elapsed();
        assert!(
            results
                .iter()
                .all(|r| matches!(r, Err(FetchError::TimedOut))),
            "fetch_all_bounded returned {:?} from three servers that never answer",
            results.iter().map(show).collect::<Vec<_>>()
        );
        assert!(
            took >= ms(800) && took < ms(900),
            "three servers that never answer, two at a time, with a limit of 400 ms: \
             fetch_all_bounded gave up after {took:?} on tokio's clock (paused, so that figure \
             does not depend on the machine's speed); the third fetch gets its place when the \
             first two give up, at 400 ms, and its own 400 ms from then: 800 ms in all"
        );
        drop(silent);
    });
}

#[test]
#[should_panic(expected = "at_most")]
fn harder_a_bound_of_zero_is_refused() {
    within("fetch_all_bounded", async {
        fetch_all_bounded(&[], ms(100), 0).await;
    });
}
