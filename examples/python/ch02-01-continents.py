import sys
from multiprocessing import Process


def print_func(continent="Asia"):
    # One write per line: pieces written one by one by four processes
    # could interleave.
    sys.stdout.write(f"The name of continent is :  {continent}\n")


if __name__ == "__main__":
    names = ["America", "Europe", "Africa"]
    procs = [Process(target=print_func)]  # no argument: the default, "Asia"
    procs += [Process(target=print_func, args=(name,)) for name in names]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
