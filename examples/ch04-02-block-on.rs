use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// Our waker holds the handle of the thread that runs `block_on`;
/// waking unparks it.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread, parked while it is
/// Pending; counts the polls.
fn block_on<F: Future>(future: F) -> (F::Output, u32) {
    let mut future = pin!(future); // pinned: it will not move from now on
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    for polls in 1.. {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return (output, polls),
            // Sleep until woken. An earlier wake makes park() return at once.
            Poll::Pending => thread::park(),
        }
    }
    unreachable!()
}

/// A timer future. Its first poll starts a thread that sleeps, then calls
/// the latest waker.
struct Sleep {
    ms: u64,
    started: Option<(Instant, Arc<Mutex<Option<Waker>>>)>,
}

fn sleep(ms: u64) -> Sleep {
    Sleep { ms, started: None }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let duration = Duration::from_millis(self.ms);
        let (deadline, slot) = self.started.get_or_insert_with(|| {
            let deadline = Instant::now() + duration;
            let slot = Arc::new(Mutex::new(None::<Waker>));
            let timer = Arc::clone(&slot);
            thread::spawn(move || {
                let mut now = Instant::now();
                while now < deadline {
                    thread::sleep(deadline - now);
                    now = Instant::now();
                }
                if let Some(waker) = timer.lock().unwrap().take() {
                    waker.wake();
                }
            });
            (deadline, slot)
        });
        let mut slot = slot.lock().unwrap();
        if Instant::now() >= *deadline {
            return Poll::Ready(()); // a poll may come any time: check
        }
        // Keep the latest waker: the timer will call it.
        *slot = Some(cx.waker().clone());
        Poll::Pending
    }
}

fn main() {
    let start = Instant::now();
    let (answer, polls) = block_on(async {
        println!("task: sleeping 50 ms");
        sleep(50).await;
        println!("task: sleeping 50 ms more");
        sleep(50).await;
        42
    });
    let ms = start.elapsed().as_millis();
    println!("answer {answer}, after {polls} polls and {ms} ms");
}
