import asyncio


async def woken(wait):
    """Waits up to 10 ms for a wake-up, and says whether one came."""
    try:
        await asyncio.wait_for(wait(), timeout=0.01)
        return "woken"
    except TimeoutError:
        return "still waiting after 10 ms"


async def main():
    # An Event is a flag: set before anyone waits, it is not lost...
    event = asyncio.Event()
    event.set()
    print(f"event.set, then wait: {await woken(event.wait)}")
    # ...and it stays set for every waiter until clear(): not a
    # one-use permit like notify_one's.
    print(f"event.set, wait again: {await woken(event.wait)}")

    # Condition.notify_all wakes those waiting now, stores nothing.
    cond = asyncio.Condition()
    inside = 0  # waiters inside cond.wait(), counted under the lock

    async def wait_cond():
        nonlocal inside
        async with cond:
            inside += 1
            await cond.wait()  # lets go of the lock while it waits

    async with cond:
        cond.notify_all()
    print(f"notify_all, then wait: {await woken(wait_cond)}")

    # A waiter counts only once it is inside cond.wait().
    inside = 0
    waiters = [asyncio.create_task(wait_cond()) for _ in range(2)]
    while True:
        async with cond:
            if inside == 2:  # both wait: the lock is ours again
                cond.notify_all()
                break
        await asyncio.sleep(0)  # let the waiters run
    await asyncio.gather(*waiters)
    print("notify_all woke both waiting tasks")


asyncio.run(main())
