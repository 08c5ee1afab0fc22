import asyncio
import time

IDLE = 0.050


async def client(queue):
    """Sends at about 10, 30 and 70 ms, then goes quiet for 200 ms."""
    for wait, line in [(0.010, "hello"), (0.020, "ping"), (0.040, "ping")]:
        await asyncio.sleep(wait)
        await queue.put(line)
    await asyncio.sleep(0.200)
    await queue.put("too late")


async def main():  # asyncio.timeout: Python 3.11+
    start = time.monotonic()
    queue = asyncio.Queue(1)
    sender = asyncio.create_task(client(queue))
    loop = asyncio.get_running_loop()
    try:
        # One timeout for the whole connection, moved on each message.
        async with asyncio.timeout(IDLE) as idle:
            while True:
                line = await queue.get()
                ms = (time.monotonic() - start) * 1000
                print(f"{ms:3.0f} ms: got {line!r}")
                idle.reschedule(loop.time() + IDLE)
    except TimeoutError:
        ms = (time.monotonic() - start) * 1000
        print(f"{ms:3.0f} ms: idle for 50 ms: closing")
    sender.cancel()


asyncio.run(main())
