import statistics
import time
from multiprocessing import Process
from threading import Thread

ROUNDS = 21


def nothing():
    pass


def median_time(make):
    """The median time, in µs, to start and join what make() builds."""
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        worker = make()
        worker.start()
        worker.join()
        times.append((time.perf_counter() - began) * 1e6)
    return statistics.median(times)


if __name__ == "__main__":
    process = median_time(lambda: Process(target=nothing))
    thread = median_time(lambda: Thread(target=nothing))
    print(f"start and join a Process: {process:8.1f}µs")
    print(f"start and join a Thread:  {thread:8.1f}µs")
    ratio = process / thread
    print(f"a process costs about {ratio:.0f} times as much as a thread")
