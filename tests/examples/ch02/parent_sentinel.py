"""What ch02-05 says of multiprocessing.parent_process().is_alive().

A parent starts, with the start method named by argv[1], a watcher (which
waits until parent_process().is_alive() is False) and then a sibling (which
sleeps, then says it exits), and kills itself. Under fork, the sibling holds
a copy of the parent's end of the watcher's pipe: the watcher can notice the
death only after the sibling has exited, so its line comes second.
"""
import multiprocessing
import os
import signal
import sys
import time


def watcher():
    while multiprocessing.parent_process().is_alive():
        time.sleep(0.01)
    print("watcher: parent gone", flush=True)


def sibling():
    time.sleep(0.5)
    print("sibling: exits", flush=True)


def parent(method):
    context = multiprocessing.get_context(method)
    context.Process(target=watcher).start()
    context.Process(target=sibling).start()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    # The parent itself is spawned: a fresh process whatever the method.
    p = multiprocessing.get_context("spawn").Process(
        target=parent, args=(sys.argv[1],)
    )
    p.start()
    p.join()
    print(f"parent: exit code {p.exitcode}", flush=True)
