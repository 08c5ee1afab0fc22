import time
from multiprocessing import Pool

# Eight times smaller than in Rust: pure Python is much slower at this job.
LIMIT = 250_000


def is_prime(n):
    """Trial division: by 2, then by every odd number up to sqrt(n)."""
    if n < 2 or n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(bounds):
    """One worker's job: how many numbers in range(start, end) are prime."""
    start, end = bounds
    return sum(1 for n in range(start, end) if is_prime(n))


# Workers started by spawn or forkserver import this file: only the parent
# runs this part.
if __name__ == "__main__":
    for n in [1, 4]:
        began = time.perf_counter()
        ranges = [(LIMIT * i // n, LIMIT * (i + 1) // n) for i in range(n)]
        with Pool(n) as pool:
            # Arguments and results are pickled.
            parts = pool.map(count_primes, ranges)
        took = f"{(time.perf_counter() - began) * 1000:.0f}ms"
        print(f"{n} worker(s): {sum(parts)} primes below {LIMIT} in {took}")
        for (start, end), count in zip(ranges, parts):
            print(f"  worker for {start}..{end}: {count} primes")
