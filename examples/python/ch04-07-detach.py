import asyncio
import threading
import time


async def wait_at(gate, name, done):
    """Waits until the gate opens, then reports that it reached its end."""
    await gate.wait()
    await done.put(name)


def blocking(started, name, report):
    started.set()
    time.sleep(0.05)  # plain blocking code: no await
    report(name)


async def main():
    gate, done = asyncio.Event(), asyncio.Queue()
    keep = set()  # the loop holds tasks only weakly: keep a reference

    # 1. A task nobody awaits runs on.
    name = "unawaited task"
    keep.add(asyncio.create_task(wait_at(gate, name, done)))

    # 2. Giving up waiting with asyncio.wait leaves the task running
    #    (wait_for would cancel it).
    task = asyncio.create_task(wait_at(gate, "timed-out wait", done))
    keep.add(task)
    _, pending = await asyncio.wait({task}, timeout=0.01)
    print(f"asyncio.wait with a timeout: {len(pending)} task still pending")

    # 3. cancel() raises CancelledError inside the task, at its await.
    task = asyncio.create_task(wait_at(gate, "cancelled task", done))
    await asyncio.sleep(0)  # let it start
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    print(f"cancelled task: task.cancelled() = {task.cancelled()}")

    # 4. ...but cancelling the wait for a thread does not stop the thread.
    started, loop = threading.Event(), asyncio.get_running_loop()

    def report(name):  # runs in the thread: hand the name to the loop
        loop.call_soon_threadsafe(done.put_nowait, name)

    name = "cancelled to_thread"
    thread = asyncio.to_thread(blocking, started, name, report)
    waiter = asyncio.create_task(thread)
    await asyncio.to_thread(started.wait)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    print(f"cancelled to_thread: waiter.cancelled() = {waiter.cancelled()}")

    gate.set()  # open the gate: three names come, in an order that varies
    for _ in range(3):
        print(f"reached its end: {await done.get()}")


asyncio.run(main())
