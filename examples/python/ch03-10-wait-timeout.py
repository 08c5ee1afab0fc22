import threading

result = None
changed = threading.Condition()
go = threading.Barrier(2)  # main and the worker meet there


def worker():
    global result
    go.wait()  # starts only when main says so
    total = sum(n * n for n in range(1, 11))
    with changed:
        result = total
        changed.notify()


if __name__ == "__main__":
    t = threading.Thread(target=worker)
    t.start()
    # Wait at most 50 ms: the worker has not started, so this times out.
    # wait_for returns the predicate's last value: False here.
    with changed:
        ready = changed.wait_for(lambda: result is not None, timeout=0.05)
    print(f"main: timed out = {str(not ready).lower()}")

    go.wait()  # let the worker go
    with changed:
        while not changed.wait_for(lambda: result is not None,
                                   timeout=0.05):
            print("main: still waiting, something else meanwhile")
        print(f"main: the result is {result}")
    t.join()
