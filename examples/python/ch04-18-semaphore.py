import asyncio
import time

JOBS = 10_000
AT_ONCE = 100

running = 0
most = 0


async def job(job_id, places):
    global running, most
    async with places:  # waits here while AT_ONCE jobs hold a place
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.001)  # a pretend request that waits 1 ms
        running -= 1
    return job_id


async def main():
    places = asyncio.Semaphore(AT_ONCE)
    start = time.perf_counter()
    # All 10 000 tasks exist at once here; the semaphore bounds how many
    # of them are past `async with` at any moment.
    async with asyncio.TaskGroup() as group:
        tasks = [
            group.create_task(job(i, places)) for i in range(1, JOBS + 1)
        ]
    total = sum(task.result() for task in tasks)
    print(f"jobs done: {JOBS}, sum of their ids: {total}")
    print(f"most jobs running at once: {most}")
    print(f"the bound: {AT_ONCE}")
    print(f"took {round((time.perf_counter() - start) * 1000)} ms")


asyncio.run(main())
