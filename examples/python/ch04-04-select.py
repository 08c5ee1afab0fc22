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
    slow = asyncio.create_task(work("slow", 500))
    fast = asyncio.create_task(work("fast", 50))
    done, pending = await asyncio.wait({slow, fast}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()  # nothing is cancelled unless we ask
    await asyncio.gather(*pending, return_exceptions=True)  # let it finish cancelling
    print(f"wait returned: {done.pop().result()} won")


asyncio.run(main())
