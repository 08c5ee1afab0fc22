import queue
import threading
import time

jobs = queue.Queue()
total_lock = threading.Lock()
total = 0


def worker():
    global total
    while True:
        n = jobs.get()
        if n is None:  # the sentinel: no more jobs
            jobs.task_done()
            return
        time.sleep(0.01)  # the work
        with total_lock:
            total += n * n
        jobs.task_done()  # this job is done


if __name__ == "__main__":
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for batch in (1, 2):
        for n in range(1, 4):
            jobs.put(n)
        jobs.join()  # waits until every job put has been task_done()
        print(f"batch {batch} done, total so far {total}")
    for w in workers:
        jobs.put(None)
    for w in workers:
        w.join()
