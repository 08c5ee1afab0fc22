import asyncio
import time

# A pretend site: each page's load time (ms) and the links on it.
SITE = {
    "home": (10, ["about", "blog"]),
    "about": (30, []),
    "blog": (5, ["post-1", "post-2"]),
    "post-1": (20, []),
    "post-2": (8, []),
}


async def fetch(name):
    ms, links = SITE[name]
    await asyncio.sleep(ms / 1000)
    return name, links


async def main():
    start = time.monotonic()
    in_flight = {asyncio.create_task(fetch("home"))}
    fetched, most = 0, 1
    # asyncio.wait returns what has finished; new tasks join the set.
    while in_flight:
        done, in_flight = await asyncio.wait(
            in_flight, return_when=asyncio.FIRST_COMPLETED
        )
        for task in done:
            name, links = task.result()
            fetched += 1
            ms = (time.monotonic() - start) * 1000
            print(f"{ms:3.0f} ms: {name} done, links {links}")
            for link in links:
                in_flight.add(asyncio.create_task(fetch(link)))
        most = max(most, len(in_flight))
    print(f"{fetched} pages, at most {most} in flight at once")


asyncio.run(main())
