import heapq
import itertools
import time


class EventLoop:
    """A tiny event loop: one thread, running one callback at a time."""

    def __init__(self):
        self.now = time.monotonic()  # the loop's clock, read once per turn
        self.pending = []  # a heap of (due, number, site, callback)
        self.numbers = itertools.count()

    def read(self, site, millis, callback):
        """Starts a (simulated) read of site that takes millis; returns."""
        due = self.now + millis / 1000
        entry = (due, next(self.numbers), site, callback)
        heapq.heappush(self.pending, entry)  # smallest first

    def run(self):
        while self.pending:
            due, _, site, callback = heapq.heappop(self.pending)
            time.sleep(max(0.0, due - time.monotonic()))
            self.now = time.monotonic()
            callback(f"<html>Welcome to {site}!</html>")


sites = [("rust-lang.org", 150), ("python.org", 50), ("docs.rs", 100)]
start = time.monotonic()
event_loop = EventLoop()


def make_callback(site):
    def on_page(page):
        now = int((time.monotonic() - start) * 1000)
        print(f"[{now:>4} ms] {site}: {len(page)} bytes")

    return on_page


for site, millis in sites:
    event_loop.read(site, millis, make_callback(site))
    print(f"Asked for {site} ({millis} ms).")
event_loop.run()

sum_ms = sum(millis for _, millis in sites)
total = int((time.monotonic() - start) * 1000)
print(f"Total: {total} ms, the longest wait, not the sum ({sum_ms} ms).")
