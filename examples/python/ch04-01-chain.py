import asyncio
import time

start = time.monotonic()


def log(what):
    print(f"[{round((time.monotonic() - start) * 1000):>4} ms] {what}")


async def read(file, millis):
    await asyncio.sleep(millis / 1000)
    return f"got {file}"


async def chain():
    config = await read("config.toml", 50)
    log(config)
    user = await read("users/ferris.json", 50)
    log(user)
    avatar = await read("avatars/ferris.png", 50)
    log(avatar)
    log("The chain is done.")


async def news():
    log(await read("news.txt", 75))


async def main():
    both = chain(), news()
    print("Two coroutines created; nothing has run yet.")
    await asyncio.gather(*both)  # runs both at once, like tokio::join!


asyncio.run(main())  # like runtime.block_on
total = round((time.monotonic() - start) * 1000)
chain = "the chain's three steps of 50 ms, one after another"
print(f"Total: {total} ms: {chain}.")
