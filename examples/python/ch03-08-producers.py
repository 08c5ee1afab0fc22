import queue
import threading

PRODUCERS = 3
# A queue doesn't know its producers: each says when it has finished.
DONE = None


def produce(q, producer_id):
    for job in range(1, 3):
        q.put(f"producer {producer_id}: job {job}")
    q.put(DONE)


if __name__ == "__main__":
    q = queue.Queue()
    for i in range(1, PRODUCERS + 1):
        threading.Thread(target=produce, args=(q, i)).start()

    count = 0
    finished = 0
    while finished < PRODUCERS:
        message = q.get()
        if message is DONE:
            finished += 1
        else:
            print(message)
            count += 1
    print(f"all senders are gone: {count} messages")
