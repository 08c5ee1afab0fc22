import asyncio


async def print_func(continent="Asia"):
    print("The name of continent is : ", continent)


async def main():
    names = ["America", "Europe", "Africa"]
    tasks = [asyncio.create_task(print_func())]  # the default, Asia
    for name in names:
        tasks.append(asyncio.create_task(print_func(name)))
    for task in tasks:
        await task


asyncio.run(main())
