import asyncio
import time


async def fetch(name, ms):
    print(f"  {name}: request sent")
    await asyncio.sleep(ms / 1000)  # stands for a network call
    print(f"  {name}: answer in")
    return f"{name} ({ms} ms)"


async def main():
    print("awaited in turn:")
    start = time.monotonic()
    a = await fetch("user", 100)
    b = await fetch("orders", 100)
    in_turn = round((time.monotonic() - start) * 1000)
    print(f"  got {a}, {b}")

    print("asyncio.gather:")
    start = time.monotonic()
    a, b = await asyncio.gather(fetch("user", 100), fetch("orders", 100))
    gathered = round((time.monotonic() - start) * 1000)
    print(f"  got {a}, {b}")

    print(f"in turn took {in_turn} ms")
    print(f"gather took  {gathered} ms")


asyncio.run(main())
