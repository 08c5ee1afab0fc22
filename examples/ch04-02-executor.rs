use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

/// The run queue: the numbers of the tasks that are ready to be polled.
static QUEUE: Mutex<VecDeque<usize>> = Mutex::new(VecDeque::new());
/// The timers: when, and which waker to call then.
static TIMERS: Mutex<Vec<(Instant, Waker)>> = Mutex::new(Vec::new());

/// Waking task number N puts N back in the run queue.
struct TaskWaker(usize);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        QUEUE.lock().unwrap().push_back(self.0);
    }
}

/// A timer future: it hands its deadline and the waker to the executor.
struct Sleep(Instant);

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.0 {
            return Poll::Ready(()); // checked on every poll: polls come early
        }
        TIMERS.lock().unwrap().push((self.0, cx.waker().clone()));
        Poll::Pending
    }
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Runs all the tasks on this one thread, until every one has finished.
fn run(tasks: Vec<Task>) {
    // None marks a task that has finished.
    let mut tasks: Vec<Option<Task>> = tasks.into_iter().map(Some).collect();
    let mut left = tasks.len();
    QUEUE.lock().unwrap().extend(0..tasks.len()); // every task starts ready
    while left > 0 {
        let next = QUEUE.lock().unwrap().pop_front();
        let Some(n) = next else {
            // No task can run: sleep until the earliest timer, wake its task.
            let mut timers = TIMERS.lock().unwrap();
            let first = (0..timers.len()).min_by_key(|&i| timers[i].0);
            let first = first.expect("a task waits");
            let (deadline, waker) = timers.swap_remove(first);
            drop(timers);
            thread::sleep(deadline.saturating_duration_since(Instant::now()));
            waker.wake();
            continue;
        };
        let Some(future) = tasks[n].as_mut() else {
            continue; // a late wake for a task that has finished
        };
        let waker = Waker::from(Arc::new(TaskWaker(n)));
        let mut cx = Context::from_waker(&waker);
        if future.as_mut().poll(&mut cx).is_ready() {
            tasks[n] = None;
            left -= 1;
        }
    }
}

async fn nap(name: &str, ms: u64) {
    let thread = thread::current().name().unwrap_or("unnamed").to_owned();
    println!("{name}: going to sleep for {ms} ms (on thread {thread})");
    Sleep(Instant::now() + Duration::from_millis(ms)).await;
    println!("{name}: woke up after {ms} ms (on thread {thread})");
}

fn main() {
    let start = Instant::now();
    let naps = [("A", 100), ("B", 20), ("C", 60)];
    run(naps
        .map(|(name, ms)| Box::pin(nap(name, ms)) as Task)
        .into());
    let ms = start.elapsed().as_millis();
    let naps = "though their naps add up to 180 ms";
    println!("all tasks done after {ms} ms, {naps}");
}
