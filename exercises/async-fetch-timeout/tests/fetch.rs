//! What "correct" means for the async client. Run with `cargo xtask check async-fetch-timeout`.
//!
//! Every test runs under a time limit, so a client that never returns fails instead of hanging.
//! No test measures the machine's speed: servers answer when a condition is met, not after a
//! fixed time, and the deadline tests read tokio's paused clock (see `common::within_paused`).

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{Meeting, WAIT, closed_port, ms, server, server_with, show, silent_server};
use common::{within, within_paused};
use exercise_async_fetch_timeout::{FetchError, fetch, fetch_all};

/// A limit that no test reaches: the servers of these tests answer at once.
const AN_HOUR: Duration = Duration::from_secs(3600);

#[test]
fn fetch_sends_the_request_and_reads_the_whole_answer() {
    within("fetch", async {
        let long = "lorem ipsum ".repeat(20_000); // 240 kB: more than one read
        match fetch(server(long.clone())).await {
            Ok(answer) => assert!(
                answer == long,
                "fetch returned {} bytes of an answer of {}, starting with {:?}",
                answer.len(),
                long.len(),
                &answer[..answer.len().min(40)]
            ),
            Err(err) => panic!("fetch failed ({err}) on a server that answers"),
        }
        let (refused, _held) = closed_port();
        match fetch(refused).await {
            Ok(answer) => panic!("fetch returned {answer:?} from a port where nobody listens"),
            Err(err) => assert_eq!(
                err.kind(),
                std::io::ErrorKind::ConnectionRefused,
                "fetch from a port where nobody listens failed with \"{err}\", not with the \
                 connection refused"
            ),
        }
    });
}

#[test]
fn an_answer_that_is_not_text_is_an_error() {
    within("fetch", async {
        let latin1 = b"caf\xe9\n".to_vec(); // "café" in Latin-1: not UTF-8
        match fetch(server(latin1)).await {
            Ok(answer) => panic!(
                "fetch returned {answer:?} for an answer that is not UTF-8 text; an error of \
                 kind InvalidData was expected"
            ),
            Err(err) => assert_eq!(
                err.kind(),
                std::io::ErrorKind::InvalidData,
                "fetch failed with \"{err}\" on an answer that is not UTF-8 text; an error of \
                 kind InvalidData was expected"
            ),
        }
    });
}

#[test]
fn the_fetches_run_at_the_same_time() {
    // Each server holds its answer until all three requests are in (for at most 5 s).
    let meeting = Meeting::new(3);
    let addrs = [
        meeting.server("a"),
        meeting.server("b"),
        meeting.server("c"),
    ];
    within("fetch_all", async move {
        let results = fetch_all(&addrs, AN_HOUR).await;
        let met = meeting.state();
        assert!(
            !met.gave_up,
            "at most {} of the 3 requests were in progress at the same time: each server \
             waited in vain for the others' requests to arrive while it held its own",
            met.most
        );
        let shown: Vec<_> = results.iter().map(show).collect();
        assert!(
            shown == ["\"a\"", "\"b\"", "\"c\""],
            "fetch_all returned {shown:?} from servers that answer \"a\", \"b\" and \"c\""
        );
    });
}

#[test]
fn the_answers_come_back_in_the_order_of_the_servers() {
    // The servers answer in the order second, third, first: each waits until the client has
    // hung up on the one before, so the client has finished with that one before the next
    // answers, however its runtime's thread is scheduled (were the answers merely sent in that
    // order, a client held up until all three were in might finish them in any order).
    let (second_done, third_waits) = mpsc::channel();
    let (third_done, first_waits) = mpsc::channel();
    let addrs = [
        server_with(
            "first",
            move || {
                let _ = first_waits.recv_timeout(WAIT);
            },
            || {},
        ),
        server_with(
            "second",
            || {},
            move || {
                let _ = second_done.send(());
            },
        ),
        server_with(
            "third",
            move || {
                let _ = third_waits.recv_timeout(WAIT);
            },
            move || {
                let _ = third_done.send(());
            },
        ),
    ];
    within("fetch_all", async move {
        let results = fetch_all(&addrs, AN_HOUR).await;
        let shown: Vec<_> = results.iter().map(show).collect();
        assert!(
            shown == ["\"first\"", "\"second\"", "\"third\""],
            "fetch_all returned {shown:?}; the servers answered in the order second, third, \
             first, and the results must come in the order of the addresses given"
        );
    });
}

#[test]
fn fetch_all_returns_as_soon_as_every_answer_is_in() {
    let addrs = [server("a"), server("b"), server("c")];
    within(
        "fetch_all, with three servers that answer at once and a limit of an hour,",
        async move {
            let results = fetch_all(&addrs, AN_HOUR).await;
            assert!(
                results.iter().all(Result::is_ok),
                "fetch_all returned {:?} from three servers that answer at once",
                results.iter().map(show).collect::<Vec<_>>()
            );
        },
    );
}

#[test]
fn a_silent_server_times_out_and_the_others_answer() {
    let (silent, _hung_up) = silent_server();
    let addrs = [server("quick"), silent, server("also quick")];
    within("fetch_all", async move {
        // 2 s: a generous limit for servers that answer at once, even on a busy machine.
        let results = fetch_all(&addrs, ms(2_000)).await;
        assert!(
            matches!(
                &results[..],
                [Ok(a), Err(FetchError::TimedOut), Ok(b)] if a == "quick" && b == "also quick"
            ),
            "with a silent server between two that answer at once, and a limit of 2 s, \
             fetch_all returned {:?}; expected \"quick\", TimedOut, \"also quick\"",
            results.iter().map(show).collect::<Vec<_>>()
        );
    });
}

#[test]
fn all_deadlines_end_together_at_the_limit() {
    let silent: Vec<_> = (0..3).map(|_| silent_server()).collect();
    let addrs: Vec<_> = silent.iter().map(|(addr, _)| *addr).collect();
    within_paused("fetch_all", async move {
        let start = tokio::time::Instant::now();
        let results = fetch_all(&addrs, ms(400)).await;
        let took = start.elapsed();
        assert!(
            results
                .iter()
                .all(|r| matches!(r, Err(FetchError::TimedOut))),
            "fetch_all returned {:?} from three servers that never answer",
            results.iter().map(show).collect::<Vec<_>>()
        );
        // On the paused clock, the deadlines end at exactly 400 ms (rounded up to tokio's
        // 1 ms timer tick): the margin only allows for that rounding.
        assert!(
            took >= ms(400) && took < ms(500),
            "with three servers that never answer and a limit of 400 ms, fetch_all gave up \
             after {took:?} on tokio's clock (paused, so that figure does not depend on the \
             machine's speed); every deadline should have ended at 400 ms"
        );
        drop(silent);
    });
}

#[test]
fn a_fetch_that_runs_out_of_time_is_cancelled() {
    let (silent, hung_up) = silent_server();
    within("fetch_all", async move {
        let results = fetch_all(&[silent], ms(300)).await;
        assert!(
            matches!(&results[..], [Err(FetchError::TimedOut)]),
            "fetch_all returned {:?} from a server that never answers; expected TimedOut",
            results.iter().map(show).collect::<Vec<_>>()
        );
        // Wait for the server's report while this runtime still runs: a runtime that ends
        // drops its tasks, which would close a forgotten connection anyway.
        let report = tokio::task::spawn_blocking(move || hung_up.recv_timeout(WAIT));
        assert!(
            report.await.unwrap().is_ok(),
            "the connection to the silent server was still open {WAIT:?} after fetch_all had \
             returned TimedOut for it"
        );
    });
}

#[test]
fn a_refused_connection_is_an_error_not_a_panic() {
    let (refused, held) = closed_port();
    let addrs = [refused, server("still here")];
    within("fetch_all", async move {
        // In a task of its own, so that a panic in fetch_all is reported here as a failure.
        let results = tokio::spawn(async move { fetch_all(&addrs, ms(5_000)).await }).await;
        let Ok(results) = results else {
            panic!("fetch_all panicked when one server refused the connection");
        };
        assert!(
            matches!(&results[..], [Err(FetchError::Io(_)), Ok(s)] if s == "still here"),
            "with a refused connection, then a server that answers, fetch_all returned {:?}; \
             expected Io(..), \"still here\"",
            results.iter().map(show).collect::<Vec<_>>()
        );
        drop(held);
    });
}

#[test]
fn no_servers_no_results() {
    within_paused("fetch_all", async {
        let start = tokio::time::Instant::now();
        let results = fetch_all(&[], AN_HOUR).await;
        assert!(
            results.is_empty(),
            "fetch_all with no servers returned results"
        );
        let took = start.elapsed();
        assert!(
            took == Duration::ZERO,
            "fetch_all with no servers returned after {took:?} on tokio's clock (paused, so \
             only a timer moves it); it should return at once"
        );
    });
}
