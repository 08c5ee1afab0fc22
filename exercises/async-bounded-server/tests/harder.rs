//! The optional harder step: `serve_with_idle_timeout` closes a connection that has been idle
//! for too long.

mod common;

use std::thread;
use std::time::Instant;

use common::{Client, GRACE, Heard, ms, start_with_idle_timeout, within};

#[test]
fn harder_an_idle_connection_is_closed_after_the_idle_limit() {
    within(|| {
        // The margins are wide: a client that is slow to send (on a busy machine) must not be
        // taken for an idle one.
        let mut server = start_with_idle_timeout(4, GRACE, ms(1_000));
        let mut client = Client::connect(server.addr);
        // Well within the idle limit after connecting: the connection is still open.
        thread::sleep(ms(300));
        let sent = Instant::now();
        let heard = client.ask("hi");
        assert!(
            heard == Heard::reply("done: hi"),
            "a client sent \"hi\" 300 ms after connecting, with an idle limit of 1 s, and got \
             {heard}; expected the reply \"done: hi\""
        );
        let heard = client.hear();
        let closed = sent.elapsed();
        assert!(
            heard == Heard::Closed,
            "a client that sent nothing after its reply got {heard}; with an idle limit of 1 s, \
             expected the end of its connection"
        );
        // The server's last reply came after the line was sent: 1 s after that reply is more
        // than 1 s after the line, however slow the machine.
        assert!(
            closed >= ms(1_000),
            "the connection was closed {closed:?} after the client's last line; the idle limit \
             of 1 s counts from the server's last reply"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn harder_a_long_job_is_not_cut_by_the_idle_limit() {
    within(|| {
        let mut server = start_with_idle_timeout(4, GRACE, ms(1_000));
        let mut client = Client::connect(server.addr);
        let sent = Instant::now();
        let heard = client.ask("sleep 1200");
        assert!(
            heard == Heard::reply("done: sleep 1200"),
            "a client whose job takes 1.2 s, longer than the idle limit of 1 s, got {heard}; \
             expected the job's reply"
        );
        let heard = client.hear();
        let closed = sent.elapsed();
        assert!(
            heard == Heard::Closed,
            "a client that sent nothing after its reply got {heard}; with an idle limit of 1 s, \
             expected the end of its connection"
        );
        assert!(
            closed >= ms(2_200),
            "the connection was closed {closed:?} after the client's line; its job took 1.2 s, \
             and the idle limit of 1 s counts from the reply"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}
