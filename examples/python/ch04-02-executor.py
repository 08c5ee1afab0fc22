import heapq
import threading
import time
from collections import deque


class Sleep:
    """Yields its deadline to the executor until that time has come."""

    def __init__(self, deadline):
        self.deadline = deadline

    def __await__(self):
        while time.monotonic() < self.deadline:  # checked on every resume
            yield self.deadline


def run(coros):
    """Runs all the coroutines on this one thread, until every one is done."""
    queue = deque(range(len(coros)))  # the run queue: every task starts ready
    timers = []  # a heap of (deadline, task number): the earliest first
    left = len(coros)
    while left > 0:
        if not queue:
            # No task can run: sleep until the earliest timer, wake its task.
            deadline, n = heapq.heappop(timers)
            time.sleep(max(0.0, deadline - time.monotonic()))
            queue.append(n)
            continue
        n = queue.popleft()
        try:
            deadline = coros[n].send(None)  # poll: run it to its next pause
        except StopIteration:
            left -= 1  # this task has finished
            continue
        heapq.heappush(timers, (deadline, n))


async def nap(name, ms):
    thread = threading.current_thread().name
    print(f"{name}: going to sleep for {ms} ms (on thread {thread})")
    await Sleep(time.monotonic() + ms / 1000)
    print(f"{name}: woke up after {ms} ms (on thread {thread})")


start = time.monotonic()
run([nap(name, ms) for name, ms in [("A", 100), ("B", 20), ("C", 60)]])
ms = round((time.monotonic() - start) * 1000)
print(f"all tasks done after {ms} ms, though their naps add up to 180 ms")
