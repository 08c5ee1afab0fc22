import asyncio

MESSAGES = 1000


async def drain(receive):
    """Receives every message beside another task; returns how many
    came before that task first ran."""
    ran = False

    async def other():
        nonlocal ran
        ran = True

    task = asyncio.create_task(other())
    received, before = 0, None
    while received < MESSAGES:
        await receive()
        received += 1
        if before is None and ran:
            before = received - 1
    await task
    if before is None:
        return f"all {received}: never during the loop"
    return f"{before} messages"


async def main():
    queue = asyncio.Queue()  # a ready get() returns without yielding
    for n in range(MESSAGES):
        queue.put_nowait(n)
    n = await drain(queue.get)
    print(f"asyncio.Queue:       the other task ran after {n}")

    for n in range(MESSAGES):
        queue.put_nowait(n)

    async def get_and_yield():
        await asyncio.sleep(0)  # give the loop one turn
        return await queue.get()

    n = await drain(get_and_yield)
    print(f"Queue + sleep(0):    the other task ran after {n}")


asyncio.run(main())
