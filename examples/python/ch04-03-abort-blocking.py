import asyncio
import threading
import time


async def forever():
    await asyncio.sleep(5)
    print("async task: finished")  # never printed


def blocking(started):
    started.set()
    time.sleep(0.1)  # a blocking call
    print("blocking function: finished anyway")
    return 42


async def main():
    # A coroutine is cancelled at its current await.
    task = asyncio.create_task(forever())
    await asyncio.sleep(0)  # let it start
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    print(f"async task cancelled: task.cancelled() = {task.cancelled()}")

    # A function in a thread has no await: cancelling the task that waits for it
    # stops the waiting, not the thread.
    started = threading.Event()
    waiter = asyncio.create_task(asyncio.to_thread(blocking, started))
    await asyncio.to_thread(started.wait)  # make sure it is running
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    print(f"waiting task cancelled: {waiter.cancelled()}; the thread runs on")


asyncio.run(main())  # at the end, asyncio.run waits for the thread to finish
