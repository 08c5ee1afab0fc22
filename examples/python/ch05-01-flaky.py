import queue
import threading
import time


def workers(seen_list, go, results):
    """Three workers: each waits at `go`, then puts its number in
    `seen_list` and on `results`. Until the main thread also waits at
    `go`, they are held back, as on a machine too busy to run them."""

    def work(n):
        go.wait()
        seen_list.append(n)
        results.put(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2, 3)]
    for t in threads:
        t.start()
    return threads


def sleep_then_look():
    """The flaky test: sleep, then look. Here the workers are late."""
    seen_list, go = [], threading.Barrier(4)
    threads = workers(seen_list, go, queue.Queue())
    time.sleep(0.05)
    seen = len(seen_list)
    go.wait()  # only now do the workers get going
    for t in threads:
        t.join()
    verdict = "passed" if seen == 3 else "FAILED"
    return f"{verdict}, saw {seen} of 3"


def wait_then_check(late):
    """The sound test: get three numbers (a rendezvous), check the set."""
    go, results = threading.Barrier(4), queue.Queue()
    threads = workers([], go, results)
    if late:
        time.sleep(0.05)
    go.wait()
    got = {results.get(timeout=10) for _ in range(3)}
    for t in threads:
        t.join()
    held = "held" if got == {1, 2, 3} else "FAILED"
    return f"{held}, saw {got}"


print(f"workers on time, wait then check: {wait_then_check(False)}")
print(f"workers late, sleep then look: {sleep_then_look()}")
print(f"workers late, wait then check: {wait_then_check(True)}")
