"""What ch02-05 says of multiprocessing.parent_process().is_alive().

A parent (this script again, started with subprocess: a fresh process
whatever the method) starts, with the start method named by argv[1], a
watcher (which waits until parent_process().is_alive() is False) and then a
sibling (which sleeps, then says it exits), and kills itself. Under fork,
the sibling holds a copy of the parent's end of the watcher's pipe: the
watcher can notice the death only after the sibling has exited, so its line
comes second.

The top level reads the parent's stdout, which the watcher and the sibling
inherit, to its end. That end comes only once all three have exited, so no
process outlives this script.
"""
import multiprocessing
import os
import signal
import subprocess
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
    if sys.argv[1:2] == ["parent"]:
        parent(sys.argv[2])
    else:
        me = [sys.executable, __file__, "parent", sys.argv[1]]
        with subprocess.Popen(me, stdout=subprocess.PIPE, text=True) as p:
            # Ends when the parent, the watcher and the sibling are all gone.
            for line in p.stdout:
                print(line, end="", flush=True)
            print(f"parent: exit code {p.wait()}", flush=True)
