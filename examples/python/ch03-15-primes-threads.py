import threading
import time

# Eight times smaller than in Rust, as in chapter 2: pure Python is much
# slower.
N = 250_000


def is_prime(n):
    """Trial division, as in chapter 2: by 2, then by the odd numbers up
    to the square root."""
    if n < 2 or n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(start, stop, results, slot):
    results[slot] = sum(1 for n in range(start, stop) if is_prime(n))


def count_with_threads(workers):
    results = [0] * workers
    threads = [
        threading.Thread(
            target=count_primes,
            args=(N * i // workers, N * (i + 1) // workers, results, i),
        )
        for i in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


if __name__ == "__main__":
    print(f"primes below {N}")

    start = time.perf_counter()
    count = count_with_threads(1)
    one = time.perf_counter() - start
    print(f"1 thread:  {count} primes in {one:.3f} s")

    start = time.perf_counter()
    count = count_with_threads(2)
    two = time.perf_counter() - start
    print(f"2 threads: {count} primes in {two:.3f} s ({one / two:.2f}x)")
