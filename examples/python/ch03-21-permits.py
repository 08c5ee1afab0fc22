import threading
import time

permits = threading.BoundedSemaphore(2)
count_lock = threading.Lock()
inside = 0
most = 0


def job():
    global inside, most
    with permits:  # waits for a free permit, gives it back at the end
        with count_lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.01)  # the work
        with count_lock:
            inside -= 1


if __name__ == "__main__":
    threads = [threading.Thread(target=job) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("6 jobs done, 2 permits")
    print(f"at most {most} inside at once")
    try:
        permits.release()  # one more than was acquired
    except ValueError as e:
        print(f"BoundedSemaphore refuses an extra release: {e}")
