import asyncio


async def print_square(num):
    print("Square:", num * num)


async def print_cube(num):
    print("Cube:", num * num * num)


async def main():
    t1 = asyncio.create_task(print_square(10))
    t2 = asyncio.create_task(print_cube(10))

    await t1
    await t2

    print("Done!")


asyncio.run(main())
