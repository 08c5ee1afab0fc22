import asyncio


async def work(name, ms):
    print(f"{name}: started")
    try:
        await asyncio.sleep(ms / 1000)
        print(f"{name}: finished")  # the loser never gets here
        return name
    except asyncio.CancelledError:
        print(f"{name}: cancelled")  # cancel() raises inside the coroutine
        raise
    finally:
        print(f"{name}: cleaned up")


async def main():
    fast = asyncio.create_task(work("fast", 50))
    slow = asyncio.create_task(work("slow", 500))
    first = asyncio.FIRST_COMPLETED
    done, pending = await asyncio.wait({fast, slow}, return_when=first)
    for task in pending:
        task.cancel()  # nothing is cancelled unless we ask
    # Let the cancelled task run its except and finally blocks.
    await asyncio.gather(*pending, return_exceptions=True)
    print(f"wait returned: {done.pop().result()} won")


asyncio.run(main())
