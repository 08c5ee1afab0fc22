import asyncio

# A Queue doesn't know its producers: each one sends a marker when done.
DONE = None


async def producer(queue, pid):
    for n in range(1, 3):
        await asyncio.sleep(0.01 * pid)
        await queue.put(f"producer {pid}: message {n}")
    await queue.put(DONE)


async def main():
    queue = asyncio.Queue(maxsize=8)  # put() waits when 8 items are queued
    producers = 3
    # Keep the tasks: the event loop holds only a weak reference to a task.
    ids = range(1, producers + 1)
    tasks = [asyncio.create_task(producer(queue, pid)) for pid in ids]

    count = 0
    while producers > 0:
        msg = await queue.get()
        if msg is DONE:
            producers -= 1
            continue
        print(msg)
        count += 1
    await asyncio.gather(*tasks)
    print(f"all producers finished; received {count} messages")


asyncio.run(main())
