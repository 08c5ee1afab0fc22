import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

running = most = 0  # jobs running now; the most at one time
lock = threading.Lock()
barrier = threading.Barrier(2)  # a job waits for a second one
arrivals = []


def job(n):
    global running, most
    with lock:
        running += 1
        most = max(most, running)
        arrivals.append(n)
    barrier.wait()  # both jobs of a pair are running here
    with lock:
        running -= 1
    return threading.get_ident()


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2) as pool:  # the cap
        futures = [loop.run_in_executor(pool, job, n) for n in range(6)]
        print("queued 6 jobs; the event loop is free meanwhile")
        threads = set(await asyncio.gather(*futures))
    for i in range(0, 6, 2):
        a, b = sorted(arrivals[i : i + 2])
        print(f"ran together: jobs {a} and {b}")
    print(f"most running at once: {most}")
    print(f"threads used: {len(threads)}")


asyncio.run(main())
