import asyncio


async def job(n):
    """Job 1 is one step of 10 ms; job 2 is three steps of 15 ms each."""
    steps, each = (1, 0.010) if n == 1 else (3, 0.015)
    for step in range(1, steps + 1):
        await asyncio.sleep(each)
        print(f"  job {n}: step {step}")
    return n


async def results():
    """An async generator: its body runs only inside __anext__."""
    for n in (1, 2):
        yield await job(n)


async def body(n):
    print(f"  main: got job {n}, works 50 ms")
    await asyncio.sleep(0.050)  # the slow body
    print(f"  main: done with job {n}")


async def main():
    print("an async generator:")
    async for n in results():
        await body(n)

    print("tasks, taken as they complete:")
    tasks = [asyncio.create_task(job(n)) for n in (1, 2)]
    for next_done in asyncio.as_completed(tasks):
        await body(await next_done)


asyncio.run(main())
