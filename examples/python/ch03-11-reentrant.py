import threading


def push_pair(lock, items, a, b):
    with lock:
        # push_item takes the same lock again, on the same thread.
        push_item(lock, items, a)
        push_item(lock, items, b)


def push_item(lock, items, item):
    with lock:
        items.append(item)


if __name__ == "__main__":
    lock = threading.Lock()
    with lock:
        # A second `with lock:` here would wait for ever; ask without waiting:
        acquired = lock.acquire(blocking=False)
        print(f"Lock, second acquire on the same thread: {acquired}")

    rlock = threading.RLock()  # re-entrant: its owner may take it again
    items = []
    push_pair(rlock, items, "first", "second")
    print(f"RLock, after push_pair: {items}")
