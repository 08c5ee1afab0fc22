import asyncio
import time


async def fetch(name, ms):
    await asyncio.sleep(ms / 1000)  # stands for a network call
    return f"{name} ({ms} ms)"


async def main():
    start = time.monotonic()
    a = await fetch("user", 100)
    b = await fetch("orders", 100)
    one_by_one = time.monotonic() - start
    print(f"awaited in turn: {a}, {b}")

    start = time.monotonic()
    a, b = await asyncio.gather(fetch("user", 100), fetch("orders", 100))
    together = time.monotonic() - start
    print(f"asyncio.gather:  {a}, {b}")

    print(f"in turn took {one_by_one * 1000:.0f} ms")
    print(f"gather took  {together * 1000:.0f} ms")


asyncio.run(main())
