import asyncio


async def answer(after_ms):
    await asyncio.sleep(after_ms / 1000)
    return 42


async def main():
    limit = 0.1
    try:
        print(f"quick answer: {await asyncio.wait_for(answer(10), limit)}")
    except TimeoutError:
        print("quick answer: timed out")

    try:
        print(f"slow answer: {await asyncio.wait_for(answer(1000), limit)}")
    except TimeoutError:  # the coroutine was cancelled at the deadline
        print("slow answer: timed out")


asyncio.run(main())
