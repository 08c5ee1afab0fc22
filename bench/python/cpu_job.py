"""The bench's CPU-bound job in Python: count the primes below LIMIT by trial division, alone,
then split over 1..MAX_WORKERS threads (threading.Thread) and processes (multiprocessing.Process).

The same algorithm and the same split as the Rust side (bench/src/measure.rs). Prints JSON.
Run by `cargo xtask bench`; by hand: python3 bench/python/cpu_job.py 100000 4 1
"""

import json
import multiprocessing
import platform
import sys
import sysconfig
import threading
import time

BLOCKS = 96  # the numbers are cut into 96 blocks, dealt round-robin to the workers


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_block(limit, block):
    size = -(-limit // BLOCKS)  # rounded up
    start = block * size
    end = min(start + size, limit)
    return sum(1 for n in range(start, end) if is_prime(n))


def count_share(limit, workers, index):
    return sum(count_block(limit, b) for b in range(index, BLOCKS, workers))


# ANCHOR: split
def with_threads(limit, workers):
    results = [0] * workers

    def work(i):
        results[i] = count_share(limit, workers, i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


def process_work(limit, workers, index, queue):
    queue.put(count_share(limit, workers, index))


def with_processes(limit, workers):
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=process_work, args=(limit, workers, i, queue))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    total = sum(queue.get() for _ in procs)  # read before join, as the docs advise
    for p in procs:
        p.join()
    return total
# ANCHOR_END: split


def timed(expected, job):
    start = time.perf_counter()
    found = job()
    assert found == expected, (found, expected)
    return time.perf_counter() - start


def paired(reps, expected, alone, split):
    """Runs alone then split, back to back, reps times, so both meet the machine in the same
    state; returns the times alone, the fastest split, and fastest alone / fastest split."""
    seq, par = [], []
    for _ in range(reps):
        seq.append(timed(expected, alone))
        par.append(timed(expected, split))
    return seq, min(par), min(seq) / min(par)


def main():
    limit, max_workers, reps = (int(a) for a in sys.argv[1:4])
    count = count_share(limit, 1, 0)
    result = {
        "python": platform.python_version(),
        "start_method": multiprocessing.get_start_method(),
        # the free-threaded build (3.13 and later) may run without the global interpreter lock
        "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
        "limit": limit,
        "count": count,
        "threads": [],
        "processes": [],
    }
    alone = []
    for w in range(1, max_workers + 1):
        for name, split in [("threads", with_threads), ("processes", with_processes)]:
            seq, secs, speedup = paired(
                reps,
                count,
                lambda: count_share(limit, 1, 0),
                lambda: split(limit, w),
            )
            alone += seq
            result[name].append({"workers": w, "seconds": secs, "speedup": speedup})
    result["sequential_s"] = min(alone)
    print(json.dumps(result))


if __name__ == "__main__":  # a must with multiprocessing: workers may import this file
    main()
