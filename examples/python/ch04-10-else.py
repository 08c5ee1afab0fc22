import asyncio


def filled(items):
    """A queue that already holds `items`, then None: the closed end."""
    queue = asyncio.Queue()
    for item in items + [None]:
        queue.put_nowait(item)
    return queue


async def main():
    a, b = filled([1, 2, 3]), filled([10, 20])
    taken_from_a = 0
    # The "branches" are the tasks in this dict, each with its name.
    pending = {
        asyncio.create_task(a.get()): "a",
        asyncio.create_task(b.get()): "b",
    }
    while pending:
        done, _ = await asyncio.wait(
            pending, return_when=asyncio.FIRST_COMPLETED
        )
        for task in sorted(done, key=pending.get):  # "a" before "b"
            name = pending.pop(task)
            n = task.result()
            if n is None:
                continue  # closed: this branch stays out of the dict
            print(f"{name}: {n}")
            if name == "a":
                taken_from_a += 1
                if taken_from_a == 2:
                    continue  # the precondition: no new get() from a
            queue = a if name == "a" else b
            pending[asyncio.create_task(queue.get())] = name
    print("no task is left: every branch is disabled")
    print(f"left in a: {a.get_nowait()}")

    # Waiting on an empty set is an error, like select! without else.
    try:
        await asyncio.wait(set())
    except ValueError as error:
        print(f"asyncio.wait(set()) raised ValueError: {error}")


asyncio.run(main())
