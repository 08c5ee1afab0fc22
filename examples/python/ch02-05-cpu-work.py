import time
from multiprocessing import Pool

LIMIT = 250_000  # eight times smaller than in Rust: pure Python is much slower at this job


def is_prime(n):
    """Trial division: by 2, then by every odd number up to the square root of n."""
    if n < 2 or n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(bounds):
    """The job of one worker: how many numbers in range(start, end) are prime."""
    start, end = bounds
    return sum(1 for n in range(start, end) if is_prime(n))


# Workers started by spawn or forkserver import this file: only the parent runs this part.
if __name__ == "__main__":
    for n in [1, 4]:
        began = time.perf_counter()
        ranges = [(LIMIT * i // n, LIMIT * (i + 1) // n) for i in range(n)]
        with Pool(n) as pool:
            parts = pool.map(count_primes, ranges)  # arguments and results are pickled
        elapsed = time.perf_counter() - began
        print(f"{n} worker(s): {sum(parts)} primes below {LIMIT} in {elapsed * 1000:.0f}ms")
        for (start, end), count in zip(ranges, parts):
            print(f"  worker for {start}..{end}: {count} primes")
