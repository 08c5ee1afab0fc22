import faulthandler
import threading

a, b = threading.Lock(), threading.Lock()
# Neither thread asks for its second lock before both hold their
# first: the cycle is certain, not a matter of luck.
both_hold = threading.Barrier(2)


def worker(first, second):
    with first:
        both_hold.wait()
        with second:  # waits for ever
            pass


workers = [
    threading.Thread(target=worker, args=(a, b), name="worker-1"),
    threading.Thread(target=worker, args=(b, a), name="worker-2"),
]
for w in workers:
    w.start()
# The watchdog: in 1 s, dump every thread's stack to stderr, then
# end the process with exit code 1 (it cannot join the threads either).
faulthandler.dump_traceback_later(1, exit=True)
print("main: joining the workers", flush=True)
for w in workers:
    w.join()  # never returns: faulthandler ends us
