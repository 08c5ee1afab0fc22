import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed

# Three jobs, started in this order; the first is the biggest.
SIZES = [60_000, 5_000, 20_000]


def count_primes(n):
    """How many primes are below n: the work grows with n."""
    def prime(k):
        return all(k % d for d in range(2, int(k**0.5) + 1))
    return sum(1 for k in range(2, n) if prime(k))


def size_and_count(n):
    return n, count_primes(n)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=3) as executor:
        print("in start order, executor.map:")
        for n, count in zip(SIZES, executor.map(count_primes, SIZES)):
            print(f"  primes below {n}: {count}")
        print("as they complete, as_completed:")
        futures = {executor.submit(count_primes, n): n for n in SIZES}
        for future in as_completed(futures):
            print(f"  primes below {futures[future]}: {future.result()}")
    with multiprocessing.Pool(3) as pool:
        print("as they complete, Pool.imap_unordered:")
        for n, count in pool.imap_unordered(size_and_count, SIZES):
            print(f"  primes below {n}: {count}")
