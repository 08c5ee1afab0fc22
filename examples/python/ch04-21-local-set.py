import asyncio


async def main():
    # a plain list: every asyncio task runs on the event loop's one thread
    visits = []

    async def visit(city):
        await asyncio.sleep(0)  # the list is in use across this await: fine
        visits.append(city)

    async with asyncio.TaskGroup() as group:  # Python 3.11+
        for city in ["Lagos", "Lima", "Lyon"]:
            group.create_task(visit(city))

    print(f"visited: {sorted(visits)}")
    print("tasks ran on one thread, sharing a plain list: no lock")


asyncio.run(main())
