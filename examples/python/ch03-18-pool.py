import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

done = Counter()  # jobs done, per worker thread
done_lock = threading.Lock()


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    with done_lock:
        done[threading.current_thread().name] += 1
    return steps


if __name__ == "__main__":
    numbers = [27, 97, 871, 6171, 77031, 837799]
    # Leaving the with block calls shutdown(wait=True): the queued jobs
    # finish, then the workers leave and are joined.
    with ThreadPoolExecutor(max_workers=3) as pool:
        # In the order of numbers:
        results = list(pool.map(collatz_steps, numbers))

    for n, steps in zip(numbers, results):
        print(f"{n:>6} takes {steps} steps")
    per_worker = [done[name] for name in sorted(done)]
    print(f"jobs per worker: {per_worker}, {sum(per_worker)} in all")
