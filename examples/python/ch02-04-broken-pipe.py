import itertools
import os
import subprocess
import sys


def careless():
    """Prints numbered lines for ever: BrokenPipeError once nobody reads them."""
    for n in itertools.count(1):
        print(f"line {n}")


def careful():
    """Prints the same lines, and stops quietly when the reader has gone."""
    try:
        for n in itertools.count(1):
            print(f"line {n}")
    except BrokenPipeError:
        # Python flushes stdout at exit, which would fail again: point it at devnull first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    role = sys.argv[1:2]
    if role == ["careless"]:
        careless()
    elif role == ["careful"]:
        careful()
    else:
        for role in ["careless", "careful"]:
            worker = subprocess.Popen(
                [sys.executable, __file__, role], stdout=subprocess.PIPE, text=True
            )
            first = [worker.stdout.readline().rstrip("\n") for _ in range(3)]
            worker.stdout.close()  # the pipe has no reading end left
            status = worker.wait()
            print(f"{role:<8}: read {first}, then stopped reading; the worker ended: exit code {status}")
