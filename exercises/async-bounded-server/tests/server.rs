//! What "correct" means for the bounded server. Run with `cargo xtask check async-bounded-server`.
//!
//! The server runs on a runtime of its own; the clients are plain threads with blocking
//! sockets, so they keep working whatever the server does. The jobs are the tests' own (see
//! `common::handler`): they record when they start and end, so the tests can see how many run
//! at once, and whether any was cut off or still running when `serve` returned.

mod common;

use std::net::TcpStream;
use std::sync::Arc;
use std::thread;

use common::{Client, GRACE, Heard, Jobs, clients, handler, heard, ms, start, within};
use exercise_async_bounded_server::{Stopped, serve};

#[test]
fn each_line_gets_its_reply_in_order() {
    within(|| {
        let mut server = start(4, GRACE);
        let mut client = Client::connect(server.addr);
        for word in ["one", "two", "three"] {
            let heard = client.ask(word);
            let expected = format!("done: {word}");
            assert!(
                heard == Heard::Reply(expected.clone()),
                "the client sent {word:?} and got {heard}; expected the reply {expected:?}"
            );
        }
        drop(client);
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn clients_are_served_at_the_same_time() {
    within(|| {
        let mut server = start(16, GRACE);
        // Each job waits until all 8 run at the same time (for 5 s at most).
        let clients = clients(8, server.addr, |i| format!("meet 8 #{i}"));
        for (i, client) in clients.into_iter().enumerate() {
            let heard = heard(client);
            assert!(
                heard == Heard::Reply(format!("done: meet 8 #{i}")),
                "8 clients each sent a job that waits until the 8 jobs run at the same time; \
                 client {i} got {heard} (at most {} job(s) ran at once)",
                server.jobs.now().most
            );
        }
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn no_more_than_limit_jobs_run_at_once() {
    within(|| {
        let mut server = start(3, GRACE);
        // Each job waits for a fourth one to run at the same time, which must never happen;
        // the first ones give up after 500 ms, and then every job goes through at once.
        let clients = clients(10, server.addr, |i| format!("meet 4 500 #{i}"));
        for (i, client) in clients.into_iter().enumerate() {
            let heard = heard(client);
            assert!(
                matches!(heard, Heard::Reply(_)),
                "client {i} of 10 sent a job and got {heard}; expected a reply"
            );
        }
        let most = server.jobs.now().most;
        assert!(
            most <= 3,
            "{most} jobs ran at the same time, with a limit of 3"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn all_limit_places_are_used() {
    within(|| {
        let mut server = start(3, GRACE);
        // Each job waits until 3 run at the same time (for 5 s at most).
        let clients = clients(5, server.addr, |i| format!("meet 3 #{i}"));
        for (i, client) in clients.into_iter().enumerate() {
            let heard = heard(client);
            assert!(
                heard == Heard::Reply(format!("done: meet 3 #{i}")),
                "5 clients each sent a job that waits until 3 jobs run at the same time, with a \
                 limit of 3; client {i} got {heard} (at most {} job(s) ran at once)",
                server.jobs.now().most
            );
        }
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn an_idle_client_holds_no_place() {
    within(|| {
        let mut server = start(2, GRACE);
        // Two clients that asked once and now stay connected, idle.
        let idle: Vec<_> = (0..2)
            .map(|i| {
                let mut client = Client::connect(server.addr);
                client.ask_ok(&format!("hi {i}"));
                client
            })
            .collect();
        let mut busy = Client::connect(server.addr);
        let heard = busy.ask("hello");
        assert!(
            heard == Heard::reply("done: hello"),
            "with a limit of 2, and two idle clients connected (each had had its reply), a \
             third client sent \"hello\" and got {heard}"
        );
        drop((idle, busy));
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn a_job_in_progress_at_shutdown_is_finished_and_answered() {
    within(|| {
        let mut server = start(4, GRACE);
        let mut idle = Client::connect(server.addr);
        idle.ask_ok("hi");
        let mut busy = Client::connect(server.addr);
        busy.send("hold");
        server
            .jobs
            .wait_until("the start of the job", |c| c.started == 2);
        server.shut_down();
        // Once the idle connection is closed, the server has taken the shutdown in.
        idle.closed_by_the_shutdown();
        server.let_the_stop_sink_in();
        server.jobs.release();
        let heard = busy.hear();
        assert!(
            heard == Heard::reply("done: hold"),
            "a client whose job was running when the shutdown came got {heard}; expected the \
             job's reply"
        );
        server.returned_gracefully(); // and no job or task was left running then
        let heard = busy.hear();
        assert!(
            heard == Heard::Closed,
            "after its last reply, the client got {heard}; expected the end of its connection"
        );
    });
}

#[test]
fn an_idle_client_is_disconnected_before_serve_returns() {
    within(|| {
        let mut server = start(4, GRACE);
        let mut idle = Client::connect(server.addr);
        idle.ask_ok("hello");
        server.shut_down();
        // Fails if the task of the idle connection was still alive when serve returned.
        server.returned_gracefully();
        let heard = idle.hear();
        assert!(
            heard == Heard::Closed,
            "after serve had returned, the idle client got {heard}; expected the end of its \
             connection"
        );
    });
}

#[test]
fn new_clients_are_refused_once_the_shutdown_begins() {
    within(|| {
        let mut server = start(4, GRACE);
        let mut idle = Client::connect(server.addr);
        idle.ask_ok("hi");
        let mut busy = Client::connect(server.addr);
        busy.send("hold");
        server
            .jobs
            .wait_until("the start of the job", |c| c.started == 2);
        server.shut_down();
        // Once the idle connection is closed, the server has taken the shutdown in.
        idle.closed_by_the_shutdown();
        assert!(
            TcpStream::connect(server.addr).is_err(),
            "a new client could connect after the shutdown, while the server was finishing a \
             job: it should have been refused"
        );
        server.let_the_stop_sink_in();
        server.jobs.release();
        let heard = busy.hear();
        assert!(
            heard == Heard::reply("done: hold"),
            "a client whose job was running when the shutdown came got {heard}; expected the \
             job's reply"
        );
        server.returned_gracefully();
    });
}

#[test]
fn a_hung_job_is_aborted_when_the_grace_period_ends() {
    within(|| {
        let mut server = start(4, ms(300));
        let mut hung = Client::connect(server.addr);
        hung.send("hang"); // a job that never ends
        server
            .jobs
            .wait_until("the start of the job", |c| c.started == 1);
        server.shut_down();
        // Fails if serve does not return, or if something of it was still running then.
        let stopped = server.returned();
        assert!(
            stopped == Stopped::Aborted(1),
            "serve returned {stopped:?}, after a job that never ends had to be cancelled at the \
             end of the grace period; expected Stopped::Aborted(1)"
        );
        let cancelled = server.jobs.now().cancelled;
        assert!(
            cancelled == 1,
            "{cancelled} job(s) were cancelled at the end of the grace period; expected 1"
        );
        let heard = hung.hear();
        assert!(
            heard == Heard::Closed,
            "the client whose job was cancelled got {heard}; expected the end of its connection"
        );
    });
}

#[test]
fn the_grace_period_starts_at_the_shutdown() {
    within(|| {
        let mut server = start(4, ms(2_000));
        // The server runs for longer than its grace period before the shutdown comes.
        thread::sleep(ms(2_200));
        let mut idle = Client::connect(server.addr);
        idle.ask_ok("hi");
        let mut busy = Client::connect(server.addr);
        busy.send("hold");
        server
            .jobs
            .wait_until("the start of the job", |c| c.started == 2);
        server.shut_down();
        idle.closed_by_the_shutdown();
        server.let_the_stop_sink_in();
        server.jobs.release(); // well within the grace period of 2 s after the shutdown
        let heard = busy.hear();
        assert!(
            heard == Heard::reply("done: hold"),
            "a job that was running at the shutdown, and could finish right after it, was cut \
             off: its client got {heard}, though the grace period is 2 s from the shutdown (the \
             server had been running for 2.2 s)"
        );
        server.returned_gracefully();
    });
}

#[test]
#[should_panic(expected = "limit")]
fn a_limit_of_zero_is_refused() {
    within(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let jobs = Arc::new(Jobs::default());
            let _ = serve(listener, 0, GRACE, handler(&jobs), async {}).await;
        });
    });
}
