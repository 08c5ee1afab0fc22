import asyncio


async def upload():
    await asyncio.sleep(0.005)
    return "uploaded"


async def ticks(queue):
    for n in range(1, 5):
        await asyncio.sleep(0.002)
        await queue.put(n)
    await queue.put(None)  # hangs up


async def main():
    # A coroutine runs once: awaiting it again is an error.
    job = upload()
    print(f"first await: {await job}")
    try:
        await job
    except RuntimeError as error:
        print(f"second await: RuntimeError: {error}")

    # A task keeps its result: awaiting it again returns it again. In a
    # loop, drop a finished task from the set instead of a done flag.
    queue = asyncio.Queue(1)
    ticker = asyncio.create_task(ticks(queue))
    job = asyncio.create_task(upload())
    get = asyncio.create_task(queue.get())
    pending = {job, get}
    while pending:
        done, pending = await asyncio.wait(
            pending, return_when=asyncio.FIRST_COMPLETED
        )
        if job in done:
            print(f"right: {job.result()}")  # job is not put back
        if get in done and get.result() is not None:
            print(f"right: tick {get.result()}")
            get = asyncio.create_task(queue.get())
            pending.add(get)
    await ticker
    print(f"the job awaited again: {await job}")
    print("right: the loop ended when the set was empty")


asyncio.run(main())
