import threading
import time

N = 100_000  # twenty times smaller than in Rust: pure Python is much slower


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def count_primes(start, stop, results, slot):
    results[slot] = sum(1 for n in range(start, stop) if is_prime(n))


def count_with_threads(workers):
    step = -(-N // workers)  # ceiling division
    results = [0] * workers
    threads = [
        threading.Thread(target=count_primes, args=(i * step, min((i + 1) * step, N), results, i))
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
