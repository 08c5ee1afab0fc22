import threading


class PerThread(threading.local):
    # __init__ runs again in every thread that first touches the object.
    def __init__(self):
        self.calls = 0
        self.seen = []


mine = PerThread()


def record(n):
    # No lock: each thread sees only its own attributes.
    mine.calls += 1
    mine.seen.append(n)


def work(thread_id, results):
    for step in range(1, thread_id + 1):
        record(thread_id * 10 + step)
    results[thread_id] = (mine.calls, mine.seen)


if __name__ == "__main__":
    record(0)

    results = {}
    threads = [
        threading.Thread(target=work, args=(i, results))
        for i in range(1, 4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    for thread_id, (calls, seen) in sorted(results.items()):
        print(f"thread {thread_id}: calls = {calls}, seen = {seen}")
    print(f"main:     calls = {mine.calls}, seen = {mine.seen}")
