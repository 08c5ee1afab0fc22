import asyncio
import time

WAIT = 0.1


async def three_tasks(make):
    start = time.monotonic()
    await asyncio.gather(*(make() for _ in range(3)))
    return (time.monotonic() - start) * 1000


async def blocking():
    time.sleep(WAIT)  # wrong: freezes the event loop's only thread


async def sleeping():
    await asyncio.sleep(WAIT)  # right: hands the thread back to the loop


async def offloaded():
    await asyncio.to_thread(time.sleep, WAIT)  # blocking code, on a worker thread


async def main():
    b = await three_tasks(blocking)
    s = await three_tasks(sleeping)
    o = await three_tasks(offloaded)
    print(f"each of 3 tasks waits {WAIT * 1000:.0f} ms")
    print(f"time.sleep:        {b:4.0f} ms")
    print(f"asyncio.sleep:     {s:4.0f} ms")
    print(f"asyncio.to_thread: {o:4.0f} ms")


asyncio.run(main())
