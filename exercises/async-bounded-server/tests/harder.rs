//! The optional harder step: `serve_with_idle_timeout` closes a connection that has been idle
//! for too long.

mod common;

use std::thread;
use std::time::Instant;

use common::{Client, GRACE, Heard, ms, start_with_idle_timeout, within};

#[test]
fn harder_an_idle_connection_is_closed_after_the_idle_limit() {
    within(|| {
        let mut server = start_with_idle_timeout(4, GRACE, ms(300));
        let mut client = Client::connect(server.addr);
        // Less than the idle limit after connecting: the connection is still open.
        thread::sleep(ms(200));
        let sent = Instant::now();
        let heard = client.ask("hi");
        assert!(
            heard == Heard::reply("done: hi"),
            "a client sent \"hi\" 200 ms after connecting, with an idle limit of 300 ms, and got \
             {heard}; expected the reply \"done: hi\""
        );
        let heard = client.hear();
        let closed = sent.elapsed();
        assert!(
            heard == Heard::Closed,
            "a client that sent nothing after its reply got {heard}; with an idle limit of \
             300 ms, expected the end of its connection"
        );
        // The server's last reply came after the line was sent: 300 ms after that reply is
        // more than 300 ms after the line, however slow the machine.
        assert!(
            closed >= ms(300),
            "the connection was closed {closed:?} after the client's last line; the idle limit \
             of 300 ms counts from the server's last reply"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}

#[test]
fn harder_a_long_job_is_not_cut_by_the_idle_limit() {
    within(|| {
        let mut server = start_with_idle_timeout(4, GRACE, ms(300));
        let mut client = Client::connect(server.addr);
        let sent = Instant::now();
        let heard = client.ask("sleep 600");
        assert!(
            heard == Heard::reply("done: sleep 600"),
            "a client whose job takes 600 ms, longer than the idle limit of 300 ms, got {heard}; \
             expected the job's reply"
        );
        let heard = client.hear();
        let closed = sent.elapsed();
        assert!(
            heard == Heard::Closed,
            "a client that sent nothing after its reply got {heard}; with an idle limit of \
             300 ms, expected the end of its connection"
        );
        assert!(
            closed >= ms(900),
            "the connection was closed {closed:?} after the client's line; its job took 600 ms, \
             and the idle limit of 300 ms counts from the reply"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}
