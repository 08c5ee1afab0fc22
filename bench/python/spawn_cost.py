"""What it costs Python to start and join a thread, and a process, that do nothing.

Prints JSON: the duration of each start() + join(), in microseconds.
Run by `cargo xtask bench`; by hand: python3 bench/python/spawn_cost.py 1000 50
"""

import json
import multiprocessing
import sys
import threading
import time


def nothing():
    pass


def durations_us(reps, make):
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        unit = make()
        unit.start()
        unit.join()
        out.append((time.perf_counter() - start) * 1e6)
    return out


def main():
    thread_reps, process_reps = (int(a) for a in sys.argv[1:3])
    print(
        json.dumps(
            {
                "start_method": multiprocessing.get_start_method(),
                "thread_us": durations_us(
                    thread_reps, lambda: threading.Thread(target=nothing)
                ),
                "process_us": durations_us(
                    process_reps, lambda: multiprocessing.Process(target=nothing)
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
