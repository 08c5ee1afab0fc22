use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// A future written by hand: not ready the first `left` times it is polled.
struct Countdown {
    left: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        if self.left == 0 {
            return Poll::Ready("liftoff");
        }
        self.left -= 1;
        // The contract: before returning Pending, arrange for the waker to
        // be called when polling again is worthwhile. Here: "at once".
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

async fn launch() -> String {
    println!("  launch: counting down");
    // While Countdown is Pending, launch is Pending too.
    let word = Countdown { left: 2 }.await;
    println!("  launch: {word}");
    word.to_uppercase()
}

fn main() {
    let mut future = pin!(launch());
    println!("created the launch future");
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    let result = loop {
        polls += 1;
        println!("poll {polls}");
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(result) => break result,
            Poll::Pending => println!("  -> Pending"),
        }
    };
    println!("Ready after {polls} polls: {result}");
}
