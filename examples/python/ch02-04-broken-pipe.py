import os
import subprocess
import sys

LINES = 100_000  # many times what a pipe holds


def careless():
    """Prints numbered lines: BrokenPipeError once nobody reads them."""
    for n in range(1, LINES + 1):
        print(f"line {n}")


def careful():
    """Prints the same lines, and stops quietly when the reader has gone."""
    try:
        for n in range(1, LINES + 1):
            print(f"line {n}")
    except BrokenPipeError:
        # Python flushes stdout at exit, which would fail again: point it
        # at devnull first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    role = sys.argv[1:2]
    if role == ["careless"]:
        careless()
    elif role == ["careful"]:
        careful()
    else:
        for role in ["careless", "careful"]:
            me = [sys.executable, __file__, role]
            worker = subprocess.Popen(me, stdout=subprocess.PIPE, text=True)
            first = [worker.stdout.readline().rstrip("\n") for _ in range(3)]
            worker.stdout.close()  # the pipe has no reading end left
            status = worker.wait()
            read = f"read {first}, then stopped reading"
            print(f"{role:<8}: {read}; the worker ended: exit code {status}")
