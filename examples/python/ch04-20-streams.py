import asyncio
import time


async def from_queue(queue):
    """An async generator: yields each message until the end marker."""
    while (word := await queue.get()) is not None:
        yield word


async def ticks(every, count):
    """An async generator that sleeps between its items. Unlike tokio's
    interval, it has no schedule: a late wake-up delays every later item."""
    start = time.monotonic()
    for n in range(1, count + 1):
        yield n, round((time.monotonic() - start) * 1000) // 20 * 20
        await asyncio.sleep(every)


async def numbers(up_to):
    for n in range(1, up_to + 1):
        yield n


async def main():
    queue = asyncio.Queue(maxsize=4)

    async def producer():
        for word in ["one", "two", "three"]:
            await queue.put(word)
        # The end marker: a queue has no "all senders gone"
        await queue.put(None)

    task = asyncio.create_task(producer())
    async for word in from_queue(queue):
        print(f"from the channel: {word}")
    await task

    async for n, at in ticks(0.020, 3):
        print(f"tick {n} at about {at} ms")

    total = sum([n * n async for n in numbers(10) if n % 2 == 0])
    print(f"sum of the even squares up to 10: {total}")


asyncio.run(main())
