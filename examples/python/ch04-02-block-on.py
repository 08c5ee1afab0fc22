import time


class Sleep:
    """An awaitable that yields its deadline until that time has come."""

    def __init__(self, ms):
        self.ms = ms

    def __await__(self):
        deadline = time.monotonic() + self.ms / 1000
        while time.monotonic() < deadline:  # checked again on every resume
            yield deadline  # tell whoever drives us what we are waiting for


def block_on(coro):
    """Drives a coroutine to the end; returns its result and its steps."""
    polls = 0
    while True:
        polls += 1
        try:
            deadline = coro.send(None)
        except StopIteration as done:
            return done.value, polls
        time.sleep(max(0.0, deadline - time.monotonic()))


async def task():
    print("task: sleeping 50 ms")
    await Sleep(50)
    print("task: sleeping 50 ms more")
    await Sleep(50)
    return 42


start = time.monotonic()
answer, polls = block_on(task())
ms = round((time.monotonic() - start) * 1000)
print(f"answer {answer}, after {polls} polls and {ms} ms")
