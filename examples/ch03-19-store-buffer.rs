use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering, fence};
use std::thread::{self, Thread};

const ROUNDS: usize = 2_000;

// One thread's half of a round: set my flag, then read the other's.
fn release_acquire(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::Release);
    theirs.load(Ordering::Acquire)
}

fn seq_cst(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::SeqCst);
    theirs.load(Ordering::SeqCst)
}

fn relaxed_fence(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::Relaxed);
    fence(Ordering::SeqCst);
    theirs.load(Ordering::Relaxed)
}

type Half = fn(&AtomicBool, &AtomicBool) -> bool;

/// Two threads play ROUNDS rounds, each on fresh flags; returns in how
/// many rounds both threads read `false`.
fn both_false(half: Half) -> usize {
    let new = || (0..ROUNDS).map(|_| AtomicBool::new(false)).collect();
    let (x, y): (Vec<AtomicBool>, Vec<AtomicBool>) = (new(), new());
    let arrived = AtomicUsize::new(0);
    let play = |mine: &[AtomicBool], theirs: &[AtomicBool], peer: &Thread| {
        let mut saw = vec![false; ROUNDS];
        for i in 0..ROUNDS {
            // Start round i together: arrive, waking the peer if it
            // sleeps; spin a little, then sleep until it arrives too.
            arrived.fetch_add(1, Ordering::AcqRel);
            peer.unpark();
            let mut spins = 0;
            while arrived.load(Ordering::Acquire) < 2 * (i + 1) {
                spins += 1;
                if spins < 200 {
                    std::hint::spin_loop();
                } else {
                    thread::park();
                }
            }
            saw[i] = half(&mine[i], &theirs[i]);
        }
        saw
    };
    // This thread plays one side, a scoped thread the other: each can
    // then unpark the other by its handle.
    let me = thread::current();
    let (a, b) = thread::scope(|s| {
        let b = s.spawn(|| play(&y, &x, &me));
        let a = play(&x, &y, b.thread());
        (a, b.join().unwrap())
    });
    (0..ROUNDS).filter(|&i| !a[i] && !b[i]).count()
}

fn main() {
    println!("{ROUNDS} rounds each; rounds where both read false:");
    let n = both_false(release_acquire);
    println!("Release/Acquire:        {n} (changes from run to run)");
    println!("SeqCst:                 {}", both_false(seq_cst));
    println!("Relaxed + SeqCst fence: {}", both_false(relaxed_fence));
}
