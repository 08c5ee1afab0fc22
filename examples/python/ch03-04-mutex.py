import threading

counter = 0
finished = []
lock = threading.Lock()


def work(thread_id):
    global counter
    for _ in range(1000):
        with lock:  # without it, `counter += 1` can lose updates
            counter += 1
    with lock:
        finished.append(thread_id)


if __name__ == "__main__":
    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    print(f"counter = {counter}")
    print(f"{len(finished)} threads finished, in this order: {finished}")
