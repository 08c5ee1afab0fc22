import threading
import time


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def work(stop, first_ready, answers):
    answers["first"] = sum(1 for n in range(2, 10_000) if is_prime(n))
    first_ready.set()  # publishes the answer: an Event carries its own lock

    # Then keep going, one number at a time, until asked to stop.
    n, more = 10_000, 0
    while not stop.is_set():
        n += 1
        more += is_prime(n)
    answers["last"] = (n, more)


if __name__ == "__main__":
    stop = threading.Event()  # main -> worker: please stop
    first_ready = threading.Event()  # worker -> main: the first answer
    answers = {}
    worker = threading.Thread(target=work, args=(stop, first_ready, answers))
    worker.start()

    first_ready.wait()
    print(f"first answer: {answers['first']} primes below 10000")

    time.sleep(0.02)
    stop.set()  # a request: Python cannot kill a thread either
    worker.join()
    last, more = answers["last"]
    print(f"worker stopped at {last}, having found {more} more primes")
