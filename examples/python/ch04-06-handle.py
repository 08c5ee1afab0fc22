import asyncio
import threading


async def audit(what):
    return f"audited {what}"


def start_audit(what):
    """Plain sync code, called from inside a coroutine: it finds the
    loop it runs on with get_running_loop()."""
    return asyncio.get_running_loop().create_task(audit(what))


def own_thread(loop):
    try:
        asyncio.get_running_loop()
        inside = True
    except RuntimeError:
        inside = False
    print(f"own thread, in a running loop? {inside}")
    # With the loop passed in, a thread can submit work and wait.
    future = asyncio.run_coroutine_threadsafe(audit("42"), loop)
    print(f"own thread: result of the submitted coroutine = "
          f"{future.result()!r}")


async def main():
    print(f"from a task: {await start_audit('the books')}")
    loop = asyncio.get_running_loop()
    # The loop must keep running while the thread waits on it.
    thread = threading.Thread(target=own_thread, args=(loop,))
    thread.start()
    await asyncio.to_thread(thread.join)


try:
    asyncio.get_running_loop()
except RuntimeError as err:
    print(f"before the loop: {err}")
asyncio.run(main())
