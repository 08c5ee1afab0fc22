import asyncio
import selectors
import time


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose time() is a number we move: when it would
    sleep until the next timer, it jumps there instead. (asyncio has
    no such loop; this one relies on how the selector loop waits.)"""

    def __init__(self):
        self.now = 0.0
        loop = self

        class Selector(selectors.DefaultSelector):
            def select(self, timeout=None):
                if timeout:  # idle until a timer: jump to it
                    loop.now += timeout
                return super().select(0)

        super().__init__(Selector())

    def time(self):
        return self.now


async def ask(reply):
    """The code under test: wait for a reply, give up after 30 s."""
    try:
        return await asyncio.wait_for(reply, 30)
    except TimeoutError:
        return "no reply within 30 s"


async def scenario():
    loop = asyncio.get_running_loop()
    start = loop.time()
    answer = await ask(loop.create_future())
    print(f"auto-advance: {answer} after {loop.time() - start:g}s")

    start = loop.time()
    task = asyncio.create_task(ask(loop.create_future()))
    await asyncio.sleep(0)  # the task starts its 30 s
    loop.now += 29
    await asyncio.sleep(0)
    print(f"after 29 s: finished? {task.done()}")
    loop.now += 1
    answer = await task
    print(f"after 30 s: {answer} at {loop.time() - start:g}s")


wall = time.monotonic()
with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
    runner.run(scenario())
real = "under a second" if time.monotonic() - wall < 1 else "a second or more"
print(f"60 s of loop time took {real} of real time")
