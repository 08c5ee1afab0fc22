import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def work(n):
    """The work, one item at a time: a stand-in that fails on 13."""
    if n == 13:
        # Sent back to the parent; the worker lives on.
        raise ValueError("13 is unlucky")
    return n * n


def die():
    os._exit(101)  # a real crash: the worker process ends on the spot


if __name__ == "__main__":
    items = list(range(10, 17))
    with ProcessPoolExecutor(max_workers=3) as pool:
        # Like map, but one result (or exception) each.
        futures = [pool.submit(work, n) for n in items]
        for n, future in zip(items, futures):
            try:
                print(f"{n} -> {future.result()}")
            except ValueError as e:
                print(f"{n} -> {type(e).__name__}: {e}")

    with ProcessPoolExecutor(max_workers=3) as pool:
        try:
            pool.submit(die).result()
        except BrokenProcessPool:
            broken = "the whole pool is broken (BrokenProcessPool)"
            print(f"a worker died: {broken}")
