import asyncio


async def step(name, ms, fails):
    """One step of a job."""
    try:
        await asyncio.sleep(ms / 1000)
        if fails:
            raise RuntimeError(f"{name} failed")
        print(f"{name}: finished")  # the cancelled step never gets here
        return name
    except asyncio.CancelledError:
        print(f"{name}: cancelled")  # one failed: the others are cancelled
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as group:  # Python 3.11+
            group.create_task(step("quick", 10, False))
            group.create_task(step("flaky", 100, True))
            group.create_task(step("slow", 5_000, False))
        # The block ends only when every task has finished or been cancelled.
    except* RuntimeError as errors:
        print(f"TaskGroup raised: {[str(e) for e in errors.exceptions]}")
    print("every task is gone; main returns")


asyncio.run(main())
