import time
from multiprocessing import Process
from threading import Thread

ROUNDS = 20


def nothing():
    pass


def average(make):
    """The average time, in microseconds, to start and join what make() builds."""
    began = time.perf_counter()
    for _ in range(ROUNDS):
        worker = make()
        worker.start()
        worker.join()
    return (time.perf_counter() - began) / ROUNDS * 1e6


if __name__ == "__main__":
    process = average(lambda: Process(target=nothing))
    thread = average(lambda: Thread(target=nothing))
    print(f"start and join a Process: {process:8.1f}µs")
    print(f"start and join a Thread:  {thread:8.1f}µs")
    print(f"a process costs about {process / thread:.0f} times as much as a thread")
