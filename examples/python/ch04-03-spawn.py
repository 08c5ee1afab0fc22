import asyncio


async def square(n):
    await asyncio.sleep(0.01 * n)  # pretend to wait on I/O
    return n * n


async def main():
    tasks = [asyncio.create_task(square(n)) for n in range(1, 5)]
    print(f"spawned {len(tasks)} tasks")

    total = 0
    for n, task in enumerate(tasks, start=1):
        result = await task  # a task that raised re-raises here
        print(f"{n} squared is {result}")
        total += result
    print(f"total: {total}")


asyncio.run(main())  # Python's event loop, started like #[tokio::main]
