import threading

go = threading.Barrier(2)
result = []


def worker():
    go.wait()  # starts only when main says so
    result.append(sum(n * n for n in range(1, 11)))


if __name__ == "__main__":
    t = threading.Thread(target=worker)
    t.start()
    # It cannot have finished: it waits for main at the barrier.
    print(f"before go: finished = {str(not t.is_alive()).lower()}")
    go.wait()

    # Python's join takes a timeout: wait at most 10 ms, then look.
    looks = 1
    t.join(timeout=0.01)
    while t.is_alive():
        t.join(timeout=0.01)
        looks += 1
    print(f"after go: finished after {looks} look(s) (varies)")
    print(f"joined: the worker returned {result[0]}")
