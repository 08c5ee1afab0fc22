import os
import subprocess
import sys
import time


def stubborn(parent):
    """Ignores its stdin: runs until its parent has died, then a little."""
    if os.name == "posix":  # an orphan gets a new parent: watch for it
        while os.getppid() == parent:
            time.sleep(0.005)
    else:  # elsewhere, give the parent ample time to die
        time.sleep(0.5)
    # One write per line: the two workers share one stdout.
    sys.stdout.write("stubborn: my parent is gone, and I am still running\n")


def watchful():
    """Ends when its stdin reaches the end of input, however it closed."""
    sys.stdin.read()
    sys.stdout.write(
        "watchful: my stdin is closed, so my parent is gone: I stop\n"
    )


def parent():
    """Starts both workers, says so, then waits to be killed."""
    me = [sys.executable, __file__]
    _workers = [  # kept, with the watchful one's pipe, until we die
        subprocess.Popen(me + ["watchful"], stdin=subprocess.PIPE),
        subprocess.Popen(me + ["stubborn", str(os.getpid())]),
    ]
    print("parent  : two workers started", flush=True)
    time.sleep(60)  # killed long before


if __name__ == "__main__":
    role = sys.argv[1:2]
    if role == ["parent"]:
        parent()
    elif role == ["watchful"]:
        watchful()
    elif role == ["stubborn"]:
        stubborn(int(sys.argv[2]))
    else:
        # The parent's stdout is a pipe we read; the workers inherit it.
        me = [sys.executable, __file__, "parent"]
        with subprocess.Popen(me, stdout=subprocess.PIPE, text=True) as p:
            print(p.stdout.readline(), end="")
            p.kill()  # no cleanup code of its own can run
            print(f"parent  : killed (exit code {p.wait()})")
            # The pipe ends once every process holding its writing end has.
            for line in p.stdout:
                print(line, end="")
        print("main    : end of the pipe: every worker has ended")
