import threading
from concurrent.futures import ThreadPoolExecutor


def sum_of_squares(numbers, results):
    # A Thread target's return value is thrown away: store the result instead.
    results["total"] = sum(n * n for n in numbers)
    print(f"worker: computed the sum of squares of {len(numbers)} numbers")


def cube(n):
    return n, n * n * n


if __name__ == "__main__":
    results = {}
    numbers = list(range(1, 11))
    worker = threading.Thread(target=sum_of_squares, args=(numbers, results))
    worker.start()
    worker.join()
    print(f"main: the worker returned {results['total']}")

    # A pool hands results back through futures, like JoinHandle::join.
    with ThreadPoolExecutor() as pool:
        futures = [pool.submit(cube, n) for n in range(2, 6)]
        for future in futures:
            n, c = future.result()
            print(f"main: cube of {n} is {c}")
