import asyncio
import time


async def chatty_sender(queue):
    """Puts a message every millisecond, 60 in all (60 ms or more), then
    None."""
    for n in range(1, 61):
        await asyncio.sleep(0.001)
        await queue.put(n)
    await queue.put(None)


async def main():
    # Wrong: a new 50 ms timeout on every turn. Each message restarts it.
    queue = asyncio.Queue(8)
    sender = asyncio.create_task(chatty_sender(queue))
    start, received = time.monotonic(), 0
    while True:
        try:
            # Never times out here:
            msg = await asyncio.wait_for(queue.get(), 0.05)
        except TimeoutError:
            break
        if msg is None:
            break  # the sender is done
        received += 1
    ms = round((time.monotonic() - start) * 1000)
    how = "a fresh timeout each turn"
    print(f"{how}: {received} messages, stopped after {ms} ms")

    # Right: one deadline around the loop (asyncio.timeout, Python 3.11+).
    queue = asyncio.Queue(8)
    sender = asyncio.create_task(chatty_sender(queue))
    start, received = time.monotonic(), 0
    try:
        async with asyncio.timeout(0.05):
            while await queue.get() is not None:
                received += 1
    except TimeoutError:
        pass
    sender.cancel()
    ms = round((time.monotonic() - start) * 1000)
    how = "one deadline for the loop"
    print(f"{how}: {received} messages, stopped after {ms} ms")


asyncio.run(main())
