import asyncio


def drain(q):
    """Everything the queue holds right now, without waiting."""
    items = []
    while not q.empty():
        items.append(q.get_nowait())
    return items


async def main():
    # Room for one item, and nobody takes one while a put waits: a put
    # that has to wait can only lose to the timeout.
    q = asyncio.Queue(maxsize=1)

    # 1. put(v) cancelled by a timeout: is v lost?
    await q.put("first")  # now full
    second = "second"
    try:
        await asyncio.wait_for(q.put(second), timeout=0.01)
        print("sent second")
    except TimeoutError:
        print("timer won; the put was cancelled")
    # Nothing was moved: we still hold `second`, and may retry.
    print(f"queue has: {drain(q)}; still holding {second!r}")

    # 2. So the plain retry loop is safe in Python.
    await q.put("third")  # full again
    fourth = "fourth"
    while True:
        try:
            await asyncio.wait_for(q.put(fourth), timeout=0.01)
            break
        except TimeoutError:
            print(f"timer won; still holding {fourth!r}")
            print(f"queue gives {q.get_nowait()!r}")
    print(f"queue has: {drain(q)}")


asyncio.run(main())
