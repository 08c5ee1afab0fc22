"""What ch02-07 says of multiprocessing.parent_process().is_alive().

A parent starts, with the start method named on the command line, a watcher (which
waits until parent_process().is_alive() is False) and then a sibling (which
sleeps, then says it exits), and kills itself. Under fork, the sibling holds
a copy of the parent's end of the watcher's pipe: the watcher can notice the
death only after the sibling has exited, so its line comes second.

The parent is a fresh interpreter started with subprocess (not with
multiprocessing, whose spawn method would also start a resource tracker that
outlives us). The top process makes itself a child subreaper (Linux), so the
orphaned watcher and sibling become its children when the parent dies, and it
waits for both before it exits: the test harness counts any process still
running after the script ends as a leak.
"""
import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


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


def top(method):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit(f"prctl: errno {ctypes.get_errno()}")
    code = subprocess.call([sys.executable, __file__, "parent", method])
    print(f"parent: exit code {code}", flush=True)
    # The orphans are our children now: wait for every one of them.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break


if __name__ == "__main__":
    if sys.argv[1] == "parent":
        parent(sys.argv[2])
    else:
        top(sys.argv[1])
