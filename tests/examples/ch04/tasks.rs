//! Chapter 4, second half: tokio, the blocked executor, the echo server, the tutorial as tasks.
use crate::common;

/// The number in a line such as `join! took   100 ms`, after `prefix`.
fn millis(run: &common::Run, prefix: &str) -> u64 {
    let line = run
        .lines()
        .into_iter()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {run:#?}"));
    line[prefix.len()..]
        .trim()
        .trim_end_matches("ms")
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

/// The number after the last colon of the line starting with `prefix`.
fn count(run: &common::Run, prefix: &str) -> u64 {
    let line = run
        .lines()
        .into_iter()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {run:#?}"));
    line.rsplit(':').next().unwrap().trim().parse().unwrap()
}

const SPAWN: &[&str] = &[
    "spawned 4 tasks",
    "1 squared is 1",
    "2 squared is 4",
    "3 squared is 9",
    "4 squared is 16",
    "total: 30",
];

#[test]
fn spawn_returns_each_result_through_its_handle() {
    // The handles are awaited in order, so even the order is guaranteed.
    let run = common::run("ch04-03-spawn", &[]).success();
    assert_eq!(run.lines(), SPAWN);
}

#[test]
fn python_spawn() {
    let Some(run) = common::python("ch04-03-spawn.py") else {
        return;
    };
    assert_eq!(run.success().lines(), SPAWN);
}

#[test]
fn a_task_keeps_rc_and_guard_in_scopes_that_end_before_an_await() {
    let run = common::run("ch04-03-send", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{run:#?}");
    // The jobs end in an order that may vary; the total does not: 1 + 2 + 3 + 3 * 10.
    common::assert_same_lines(
        &lines[..3],
        &[
            "job 1 (2 Rc handles): done",
            "job 2 (2 Rc handles): done",
            "job 3 (2 Rc handles): done",
        ],
    );
    assert_eq!(lines[3], "total: 36", "{run:#?}");
}

/// What `tokio::spawn` asks of its future (`Send + 'static`), and a stand-in for any `.await`,
/// so that these checks need only rustc and std.
const SEND_PRELUDE: &str = "use std::rc::Rc;
use std::sync::Mutex;
fn spawn<F: Future + Send + 'static>(_: F) {}
async fn yield_now() {}
static COUNT: Mutex<u32> = Mutex::new(0);
";

/// Compiles `SEND_PRELUDE` and `main_body` (the body of `fn main`) with rustc, edition 2024; returns
/// whether it compiled and what rustc printed.
fn compile(name: &str, main_body: &str) -> (bool, String) {
    common::rustc_check(
        &format!("send-{name}"),
        &format!("{SEND_PRELUDE}fn main() {{\n{main_body}\n}}\n"),
    )
}

/// The claims of "What a task may hold: `Send`" (src/ch04-03-tasks.md), which the page shows
/// as text: rustc gives this error no code, so no `compile_fail,EXXXX` block can hold them.
#[test]
fn what_a_spawned_future_may_hold_across_an_await() {
    let refused = "future cannot be sent between threads safely";
    // A captured Rc, with no .await at all.
    let (ok, err) = compile(
        "captured",
        "let visits = Rc::new(0);
         spawn(async move { println!(\"visits: {visits}\"); });",
    );
    assert!(!ok && err.contains(refused), "{err}");
    assert!(err.contains("captured value is not `Send`"), "{err}");
    // Borrowed, then dropped before the .await: still refused.
    let (ok, err) = compile(
        "dropped",
        "spawn(async {
             let visits = Rc::new(0);
             println!(\"visits: {visits}\");
             drop(visits);
             yield_now().await;
         });",
    );
    assert!(!ok && err.contains(refused), "{err}");
    assert!(err.contains("this value is used across an await"), "{err}");
    // The same for a MutexGuard that was used, then dropped.
    let (ok, err) = compile(
        "guard-dropped",
        "spawn(async {
             let mut guard = COUNT.lock().unwrap();
             *guard += 1;
             drop(guard);
             yield_now().await;
         });",
    );
    assert!(!ok && err.contains(refused), "{err}");
    // A block that ends before the .await always works, for both.
    let (ok, err) = compile(
        "blocks",
        "spawn(async {
             {
                 let visits = Rc::new(0);
                 println!(\"visits: {visits}\");
             }
             {
                 let mut guard = COUNT.lock().unwrap();
                 *guard += 1;
             }
             yield_now().await;
         });",
    );
    assert!(ok, "{err}");
    // The Deeper box: an Rc that was never borrowed passes with a plain drop.
    let (ok, err) = compile(
        "never-borrowed",
        "spawn(async {
             let visits = Rc::new(0);
             drop(visits);
             yield_now().await;
         });",
    );
    assert!(ok, "{err}");
}

#[test]
fn a_dropped_handle_detaches_abort_cancels() {
    let run = common::run("ch04-07-detach", &[]).success();
    let lines = run.lines();
    // The blocking closure had started when abort() came: it ran to its end, and its handle
    // returned Ok, before main opened the gate. The order of the last two lines is free.
    assert_eq!(
        lines[..4],
        [
            "timeout around a handle: deadline has elapsed",
            "aborted task: is_cancelled() = true",
            "aborted spawn_blocking: Ok(())",
            "reached its end: aborted spawn_blocking",
        ],
        "{run:#?}"
    );
    // The detached tasks ran on after their handles were gone; the aborted one never did.
    common::assert_same_lines(
        &lines[4..],
        &[
            "reached its end: dropped handle",
            "reached its end: timed-out wait",
        ],
    );
}

#[test]
fn a_panicking_task_becomes_a_join_error() {
    let run = common::run("ch04-03-join-error", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "good task: Ok(42)",
            "bad task panicked (\"forty-two\" is not a number); main carries on",
            "main is done",
        ]
    );
    // The default panic hook still reports the panic on stderr.
    assert!(
        run.stderr.contains("\"forty-two\" is not a number"),
        "{run:#?}"
    );
}

/// Checks the join listing or its twin: `header` is the line before the joined requests.
fn check_join(run: &common::Run, header: &str, in_turn: &str, joined: &str) {
    let lines = run.lines();
    let got = "  got user (100 ms), orders (100 ms)";
    // Awaited in turn: the second request is not even sent before the first answer is in.
    assert_eq!(
        lines[..6],
        [
            "awaited in turn:",
            "  user: request sent",
            "  user: answer in",
            "  orders: request sent",
            "  orders: answer in",
            got,
        ],
        "{run:#?}"
    );
    // Joined: the first poll sends both requests, in the order written, before any answer;
    // the answers may come in either order.
    assert_eq!(
        lines[6..9],
        [header, "  user: request sent", "  orders: request sent"],
        "{run:#?}"
    );
    common::assert_same_lines(&lines[9..11], &["  user: answer in", "  orders: answer in"]);
    assert_eq!(lines[11], got, "{run:#?}");
    assert_eq!(lines.len(), 14, "{run:#?}");
    // Timers never fire early: two waits in a row take 200 ms at least, overlapped ones 100.
    assert!(millis(run, in_turn) >= 200, "{run:#?}");
    assert!(millis(run, joined) >= 100, "{run:#?}");
}

#[test]
fn join_overlaps_the_waits() {
    let run = common::run("ch04-04-join", &[]).success();
    check_join(&run, "tokio::join!:", "in turn took", "join! took");
}

#[test]
fn python_gather_overlaps_the_waits() {
    let Some(run) = common::python("ch04-04-join.py") else {
        return;
    };
    check_join(
        &run.success(),
        "asyncio.gather:",
        "in turn took",
        "gather took",
    );
}

#[test]
fn try_join_stops_at_the_first_error() {
    let run = common::run("ch04-04-try-join", &[]).success();
    let lines = run.lines();
    assert_eq!(lines[0], "try_join! gave up: check failed after 20 ms");
    assert!(
        !run.stdout.contains("finished"),
        "the other steps were dropped: {run:#?}"
    );
    let ms: u64 = lines[1]
        .strip_prefix("returned after ")
        .and_then(|r| r.strip_suffix(" ms, not 300"))
        .unwrap()
        .parse()
        .unwrap();
    // `biased;` polls `check` first: once its 20 ms are over, it ends the join before the
    // slow steps are polled again, however late that poll comes. No upper bound: a busy
    // machine may be late.
    assert!(ms >= 20, "{ms} ms");
}

const SELECT: &[&str] = &[
    "fast: started",
    "slow: started",
    "fast: finished",
    "fast: dropped",
    "slow: dropped",
    "select! returned: fast won",
];

#[test]
fn select_drops_the_losing_future() {
    // `biased;` fixes the polling order: `fast` is polled first, and its timer ends first, so
    // it wins however late the poll; the loser is dropped before select! returns.
    let run = common::run("ch04-04-select", &[]).success();
    assert_eq!(run.lines(), SELECT);
}

#[test]
fn python_wait_then_cancel() {
    let Some(run) = common::python("ch04-04-select.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    common::assert_same_lines(&lines[..2], &["fast: started", "slow: started"]);
    assert_eq!(
        lines[2..],
        [
            "fast: finished",
            "fast: cleaned up",
            "slow: cancelled",
            "slow: cleaned up",
            "wait returned: fast won",
        ]
    );
}

#[test]
fn timeout_gives_ok_in_time_and_elapsed_when_late() {
    let run = common::run("ch04-04-timeout", &[]).success();
    assert_eq!(
        run.lines(),
        ["quick answer: 42", "slow answer: deadline has elapsed"]
    );
}

#[test]
fn python_wait_for() {
    let Some(run) = common::python("ch04-04-timeout.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        ["quick answer: 42", "slow answer: timed out"]
    );
}

#[test]
fn watch_keeps_only_the_latest_value_and_lets_every_waiter_through() {
    let run = common::run("ch04-05-watch", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{run:#?}");
    // Two sends before anyone looked: only the latest is there.
    assert_eq!(lines[0], "the receiver reads: ready", "{run:#?}");
    // wait_for lets every waiter through, started before the send or after, in any order.
    common::assert_same_lines(
        &lines[1..4],
        &[
            "waiter 1: the gate is open",
            "waiter 2: the gate is open",
            "waiter 3: the gate is open",
        ],
    );
    // A value sent just before the sender is dropped is still seen, then changed() ends.
    assert_eq!(
        lines[4..],
        [
            "changed to: stopping",
            "the sender is gone: changed() gives Err"
        ],
        "{run:#?}"
    );
}

fn messages() -> Vec<String> {
    let mut all = Vec::new();
    for id in 1..=3 {
        for n in 1..=2 {
            all.push(format!("producer {id}: message {n}"));
        }
    }
    all
}

fn check_channel(run: &common::Run, last: &str) {
    let lines = run.lines();
    assert_eq!(lines.last(), Some(&last), "{run:#?}");
    let expected = messages();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    common::assert_same_lines(&lines[..lines.len() - 1], &expected);
    // Each producer's own messages arrive in the order it sent them.
    for id in 1..=3 {
        let first = lines
            .iter()
            .position(|l| *l == format!("producer {id}: message 1"));
        let second = lines
            .iter()
            .position(|l| *l == format!("producer {id}: message 2"));
        assert!(first < second, "{run:#?}");
    }
}

#[test]
fn mpsc_loop_ends_when_every_sender_is_dropped() {
    let run = common::run("ch04-05-mpsc", &[]).success();
    check_channel(&run, "all senders dropped; received 6 messages");
}

#[test]
fn python_queue() {
    let Some(run) = common::python("ch04-05-mpsc.py") else {
        return;
    };
    check_channel(
        &run.success(),
        "all producers finished; received 6 messages",
    );
}

#[test]
fn oneshot_carries_the_reply() {
    // 55 on every run: main awaits every adder before it asks. Several runs catch a listing
    // that asks without awaiting them: its Get overtook some Adds (a total of 0 or 21), but it
    // still printed 55 in 1 run out of 20.
    for _ in 0..5 {
        let run = common::run("ch04-05-oneshot", &[]).success();
        assert_eq!(
            run.lines(),
            ["total from the counter task: 55", "counter task finished"],
            "{run:#?}"
        );
    }
}

/// The line of the blocking listing (or its twin) that starts with `how`: (ms, at most).
fn waits(run: &common::Run, how: &str) -> (u64, u64, u64) {
    let line = run
        .lines()
        .into_iter()
        .find(|l| l.starts_with(how))
        .unwrap_or_else(|| panic!("no line starting with {how:?} in {run:#?}"));
    let rest = line[how.len()..].trim_start();
    let (ms, rest) = rest
        .split_once(" ms, at most ")
        .unwrap_or_else(|| panic!("{line:?}"));
    let (most, rest) = rest
        .split_once(" waiting at once, main's thread blocked ")
        .unwrap_or_else(|| panic!("{line:?}"));
    let on_main = rest.strip_suffix(" times").unwrap();
    (
        ms.parse().unwrap(),
        most.parse().unwrap(),
        on_main.parse().unwrap(),
    )
}

fn check_blocking(run: &common::Run, blocking: &str, sleeping: &str, offloaded: &str) {
    assert_eq!(run.lines()[0], "each of 3 tasks waits 100 ms");
    assert_eq!(run.lines().len(), 4, "{run:#?}");
    // Blocking: each wait fills one poll of the only thread, so the tasks wait one at a time,
    // and the three 100 ms waits add up; each of them blocks main's thread.
    let (ms, most, on_main) = waits(run, blocking);
    assert_eq!(most, 1, "{run:#?}");
    assert!(ms >= 300, "three blocking waits in a row: {run:#?}");
    assert_eq!(on_main, 3, "{run:#?}");
    // Sleeping or offloaded: every task returns Pending at its first poll, so all three wait
    // together. (How much faster that is depends on the machine: no upper bound here.) And no
    // wait blocks main's thread: the offloaded ones run on other threads. A blocking closure
    // given to `tokio::spawn` (in Python, a blocking coroutine given to `create_task`) instead
    // of `spawn_blocking` (`to_thread`) also has 3 waiting at once, but blocks main 3 times.
    for how in [sleeping, offloaded] {
        let (ms, most, on_main) = waits(run, how);
        assert_eq!(most, 3, "{how}: {run:#?}");
        assert!(ms >= 100, "{how}: {run:#?}");
        assert_eq!(on_main, 0, "{how}: {run:#?}");
    }
}

#[test]
fn blocking_the_executor_serializes_the_tasks() {
    let run = common::run("ch04-12-blocking", &[]).success();
    check_blocking(
        &run,
        "std::thread::sleep",
        "tokio::time::sleep",
        "spawn_blocking",
    );
}

#[test]
fn python_blocking_the_event_loop() {
    let Some(run) = common::python("ch04-12-blocking.py") else {
        return;
    };
    check_blocking(
        &run.success(),
        "time.sleep",
        "asyncio.sleep",
        "asyncio.to_thread",
    );
}

#[test]
fn a_blocked_thread_runs_no_other_task() {
    let run = common::run("ch04-12-heartbeat", &[]).success();
    // On a current_thread runtime nothing else can run while main's task blocks: exactly 0.
    assert_eq!(count(&run, "beats while main blocked"), 0, "{run:#?}");
    // While main awaits, the heartbeat ticks: about 10 times, fewer on a busy machine, but at
    // least once. Its first 10 ms sleep ran out while main blocked, so it is woken before
    // main's 100 ms sleep can end, and beats before main reads the counter.
    let beats = count(&run, "beats while main awaited");
    assert!(beats >= 1, "{run:#?}");
}

fn echo_lines(quote: char) -> Vec<String> {
    let mut all = Vec::new();
    for id in 1..=4 {
        let words: &[&str] = if id == 4 {
            &["hello"]
        } else {
            &["hello", "bye"]
        };
        for word in words {
            let m = format!("{quote}{word} from client {id}{quote}");
            all.push(format!("client {id}: sent {m}, got {m}"));
        }
    }
    all
}

/// Every client's exchange, in any order, then the server's last line: 4 connections, of which
/// at least one (the idle client 4, still connected at the stop) was cut off at the deadline.
fn check_echo(run: &common::Run, quote: char) {
    let lines = run.lines();
    let last = lines.last().copied().unwrap_or_default();
    let cut = last
        .strip_prefix("server stopped after 4 connections, ")
        .and_then(|rest| rest.strip_suffix(" cut off at the deadline"))
        .and_then(|n| n.parse::<u32>().ok());
    assert!(matches!(cut, Some(1..=4)), "{run:#?}");
    let expected = echo_lines(quote);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    common::assert_same_lines(&lines[..lines.len() - 1], &expected);
}

#[test]
fn echo_server_answers_every_client_then_stops() {
    // The idle client is still connected when the server is told to stop: the server must end
    // anyway (within the run's timeout), by cutting it off after a grace period.
    let run = common::run("ch04-15-echo", &[]).success();
    check_echo(&run, '"');
}

#[test]
fn python_echo_server() {
    let Some(run) = common::python("ch04-15-echo.py") else {
        return;
    };
    check_echo(&run.success(), '\'');
}

#[test]
fn one_thread_holds_many_connections_at_once() {
    let run = common::run("ch04-15-many-clients", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "clients answered: 100",
            "connections open at the same time: 100",
            "threads that ran a connection: 1",
        ]
    );
}

const CONTINENTS: &[&str] = &[
    "The name of continent is :  Asia",
    "The name of continent is :  America",
    "The name of continent is :  Europe",
    "The name of continent is :  Africa",
];

#[test]
fn continents_as_tasks() {
    let run = common::run("ch04-23-continents", &[]).success();
    common::assert_same_lines(&run.lines(), CONTINENTS);
}

#[test]
fn python_continents_as_tasks() {
    let Some(run) = common::python("ch04-23-continents.py") else {
        return;
    };
    common::assert_same_lines(&run.success().lines(), CONTINENTS);
}

fn check_square_and_cube(run: &common::Run) {
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{run:#?}");
    common::assert_same_lines(&lines[..2], &["Square: 100", "Cube: 1000"]);
    assert_eq!(lines[2], "Done!", "both tasks are awaited first");
}

#[test]
fn square_and_cube_as_tasks_then_done() {
    check_square_and_cube(&common::run("ch04-23-square-and-cube", &[]).success());
}

#[test]
fn python_square_and_cube_as_tasks_then_done() {
    let Some(run) = common::python("ch04-23-square-and-cube.py") else {
        return;
    };
    check_square_and_cube(&run.success());
}
