import time
from multiprocessing import Pool

LIMIT = 2_000_000


def count_primes(bounds):
    """Counts the primes in range(start, end) with a sieve of that range only."""
    start, end = bounds
    is_prime = bytearray([1]) * (end - start)
    p = 2
    while p * p < end:
        first = max(p * p, -(-start // p) * p)  # first multiple of p to cross
        is_prime[first - start :: p] = bytes(len(range(first, end, p)))
        p += 1
    return sum(is_prime[max(2, start) - start :])


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
