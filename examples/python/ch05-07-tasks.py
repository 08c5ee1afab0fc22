import asyncio

background = set()  # asyncio keeps only weak references to tasks


async def handle(request, leak):
    if leak and request == 2:
        # A "background flush" created on the loop, not in the group:
        # nothing waits for it, and nothing will ever end it.
        task = asyncio.create_task(asyncio.sleep(3600))
        background.add(task)
    await asyncio.sleep(0.01 * request)


async def serve(leak):
    # Leaving the block waits for every task created in the group.
    async with asyncio.TaskGroup() as group:
        tracked = [group.create_task(handle(r, leak)) for r in (1, 2, 3)]
    left = sum(not task.done() for task in tracked)
    others = asyncio.all_tasks() - {asyncio.current_task()}
    alive = len(others)
    name = "leaky" if leak else "tidy"
    verdict = "outlived the shutdown" if alive > left else "ok"
    print(f"{name}: {left} tracked left, {alive} alive in the runtime")
    print(f"{name}: {verdict}")


async def main():
    await serve(False)
    await serve(True)
    # asyncio.run cancels the leaked task when main returns.


asyncio.run(main())
