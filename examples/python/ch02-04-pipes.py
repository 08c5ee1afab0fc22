import subprocess
import sys

if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    for line in sys.stdin:
        name = line.rstrip("\n")
        print(f"{name.upper()} has {len(name)} letters")
    sys.exit()

if __name__ == "__main__":
    worker = subprocess.Popen(
        [sys.executable, __file__, "worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    names = ["Asia", "America", "Europe", "Africa"]
    # communicate() writes, closes stdin, reads everything and waits,
    # without deadlock.
    answer, _ = worker.communicate("".join(name + "\n" for name in names))
    for line in answer.splitlines():
        print("parent got:", line)
    print("worker finished: exit code", worker.returncode)
