import asyncio
import time


async def fetch(name, ms, finished):
    """A pretend request: waits `ms`, then notes in `finished` that it is
    done."""
    await asyncio.sleep(ms / 1000)
    finished.append(name)
    return f"{name} ({ms} ms)"


async def main():
    pages = [("home", 30), ("about", 10), ("blog", 20), ("faq", 5)]
    finished = []
    start = time.monotonic()

    # gather: each coroutine becomes a task; results in the order asked.
    results = await asyncio.gather(
        *(fetch(name, ms, finished) for name, ms in pages)
    )
    print(f"finished in this order: {finished}")
    print("gather returned them in the order asked:")
    for result in results:
        print(f"  {result}")
    ms = (time.monotonic() - start) * 1000
    print(f"all {len(results)} in {ms:.0f} ms, about the slowest's time")

    # as_completed: the results as they finish, for a set fixed up front.
    requests = [fetch(name, ms, []) for name, ms in pages]
    for next_done in asyncio.as_completed(requests):
        print(f"as_completed: {await next_done}")


asyncio.run(main())
