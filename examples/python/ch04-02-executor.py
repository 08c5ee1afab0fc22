import asyncio
import threading
import time


async def nap(name, ms):
    thread = threading.current_thread().name
    print(f"{name}: going to sleep for {ms} ms (on thread {thread})")
    await asyncio.sleep(ms / 1000)
    print(f"{name}: woke up after {ms} ms (on thread {thread})")


async def main():
    # gather wraps each coroutine in a task (scheduled at once on the event loop)
    # and waits until all three are finished.
    await asyncio.gather(nap("A", 100), nap("B", 20), nap("C", 60))


start = time.monotonic()
asyncio.run(main())  # asyncio.run plays the part of our block_on + run
ms = round((time.monotonic() - start) * 1000)
print(f"all tasks done after {ms} ms, though their naps add up to 180 ms")
