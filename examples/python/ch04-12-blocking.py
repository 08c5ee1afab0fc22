import asyncio
import time

WAIT = 0.1
waiting = most = 0  # tasks in their wait now; the most at one time


async def counted(wait):
    global waiting, most
    waiting += 1
    most = max(most, waiting)
    await wait()
    waiting -= 1


async def three_tasks(wait):
    global most
    most = 0
    start = time.monotonic()
    await asyncio.gather(*(counted(wait) for _ in range(3)))
    return round((time.monotonic() - start) * 1000), most


async def blocking():
    time.sleep(WAIT)  # wrong: freezes the event loop's only thread


async def sleeping():
    await asyncio.sleep(WAIT)  # right: hands the thread back to the loop


async def offloaded():
    await asyncio.to_thread(time.sleep, WAIT)  # blocking, on a thread


async def main():
    results = [
        ("time.sleep", await three_tasks(blocking)),
        ("asyncio.sleep", await three_tasks(sleeping)),
        ("asyncio.to_thread", await three_tasks(offloaded)),
    ]
    print(f"each of 3 tasks waits {WAIT * 1000:.0f} ms")
    for how, (ms, most) in results:
        print(f"{how:<18} {ms:>4} ms, at most {most} waiting at once")


asyncio.run(main())
