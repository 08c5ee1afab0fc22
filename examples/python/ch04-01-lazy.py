import asyncio


async def print_func(continent):
    print("The name of continent is : ", continent)
    return len(continent)


async def main():
    never = print_func("Atlantis")  # a coroutine object: nothing runs yet
    print("created a coroutine for Atlantis")
    del never  # Python warns on stderr: "coroutine ... was never awaited"
    print("dropped it: nothing was printed for Atlantis")

    coro = print_func("Asia")
    print("created a coroutine for Asia")
    print("awaited:", await coro, "letters")

    task = asyncio.create_task(print_func("Europe"))  # scheduled right away
    print("created a task for Europe")
    await asyncio.sleep(0)  # let the event loop run: the task runs, unawaited
    print("the task is done:", task.done())


asyncio.run(main())
