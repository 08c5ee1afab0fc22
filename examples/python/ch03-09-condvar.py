import sys
import threading
from collections import deque

queue = deque()
closed = False
# A lock and a condition variable in one object:
changed = threading.Condition()


def worker():
    while True:
        with changed:
            # wait_for() waits in a loop until the predicate holds,
            # releasing the lock while it sleeps.
            changed.wait_for(lambda: queue or closed)
            if not queue:
                return  # closed, and nothing left to do
            n = queue.popleft()
        # Work without the lock. One write per line: print() makes two.
        sys.stdout.write(f"{n} squared is {n * n}\n")


if __name__ == "__main__":
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for n in range(1, 6):
        with changed:
            queue.append(n)
            changed.notify()  # wake one waiting worker, if any
    with changed:
        closed = True
        changed.notify_all()  # wake them all: every one must see `closed`
    for w in workers:
        w.join()
    print("queue closed, both workers gone")
