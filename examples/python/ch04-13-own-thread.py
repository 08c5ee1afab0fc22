import asyncio
import queue
import threading
from concurrent.futures import ThreadPoolExecutor


async def run(on_the_pool, pool):
    """A loop that lives until told to stop, and a quick job beside it."""
    log = []
    inbox = queue.Queue()

    def long_loop():
        total = 0
        while (n := inbox.get()) is not None:  # None: the stop
            total += n
        log.append(f"loop ended, sum {total}")

    loop = asyncio.get_running_loop()
    if on_the_pool:
        looping = loop.run_in_executor(pool, long_loop)
    else:
        thread = threading.Thread(target=long_loop)
        thread.start()
    for n in (1, 2, 3):
        inbox.put(n)
    quick = loop.run_in_executor(pool, log.append, "quick job ran")
    if on_the_pool:
        inbox.put(None)  # or the quick job would wait forever
    await quick
    if on_the_pool:
        await looping
    else:
        inbox.put(None)
        thread.join()
    return log


async def main():
    with ThreadPoolExecutor(max_workers=1) as pool:
        print("a long loop on the pool:")
        for line in await run(True, pool):
            print(f"  {line}")
        print("a long loop on a thread of its own:")
        for line in await run(False, pool):
            print(f"  {line}")


asyncio.run(main())
