import sys
import time
from multiprocessing import Process


def ok():
    pass  # returning normally: exitcode 0


def exit3():
    sys.exit(3)


def boom():
    raise RuntimeError("this worker gave up")


def hang():
    time.sleep(10)


if __name__ == "__main__":
    for name, target in [("ok", ok), ("exit", exit3), ("boom", boom)]:
        p = Process(target=target)
        p.start()
        p.join()
        print(f"worker {name:<4}: exitcode {p.exitcode}", flush=True)

    p = Process(target=hang)
    p.start()
    p.kill()  # SIGKILL on Unix
    p.join()
    print(f"worker hang: exitcode {p.exitcode}")
    print("The parent is still running.")
