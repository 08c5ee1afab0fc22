import asyncio
import threading
import time

WAIT = 0.1
waiting = most = 0  # tasks in their wait now; the most at one time
on_main = 0  # waits that blocked the main thread


def block():
    """Blocks for WAIT; counts the wait if it blocks the main thread,
    the one that runs the event loop."""
    global on_main
    if threading.current_thread() is threading.main_thread():
        on_main += 1
    time.sleep(WAIT)


async def counted(wait):
    global waiting, most
    waiting += 1
    most = max(most, waiting)
    await wait()
    waiting -= 1


async def three_tasks(wait):
    global most, on_main
    most = on_main = 0
    start = time.monotonic()
    await asyncio.gather(*(counted(wait) for _ in range(3)))
    return round((time.monotonic() - start) * 1000), most, on_main


async def blocking():
    block()  # wrong: freezes the event loop's only thread


async def sleeping():
    await asyncio.sleep(WAIT)  # right: hands the thread back to the loop


async def offloaded():
    await asyncio.to_thread(block)  # blocking, on another thread


async def main():
    results = [
        ("time.sleep", await three_tasks(blocking)),
        ("asyncio.sleep", await three_tasks(sleeping)),
        ("asyncio.to_thread", await three_tasks(offloaded)),
    ]
    print(f"each of 3 tasks waits {WAIT * 1000:.0f} ms")
    for how, (ms, most, on_main) in results:
        print(
            f"{how:<18} {ms:>4} ms, at most {most} waiting at once, "
            f"main's thread blocked {on_main} times"
        )


asyncio.run(main())
