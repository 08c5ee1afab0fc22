import os
import subprocess
import sys
import tempfile
import threading

STDERR_BYTES = 2 << 20  # 2 MiB: more than a pipe holds
DEADLINE = 0.3  # seconds

if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    # A lot on stderr first, then one line on stdout.
    for _ in range(STDERR_BYTES // 1024):
        sys.stderr.write("." * 1024)
    sys.stderr.flush()
    print("the answer is 42")
    sys.exit()


def start(stderr):
    return subprocess.Popen(
        [sys.executable, __file__, "worker"],
        stdout=subprocess.PIPE,
        stderr=stderr,
    )


def report(how, stdout, stderr_bytes):
    text = stdout.decode().rstrip()
    print(f"{how}: {text!r}, stderr {stderr_bytes} bytes")


if __name__ == "__main__":
    # 1. stdout to the end, then stderr, on a thread we can give up on.
    proc = start(subprocess.PIPE)
    got = {}

    def read_one_then_the_other():
        got["out"] = proc.stdout.read()
        got["err"] = proc.stderr.read()

    reader = threading.Thread(target=read_one_then_the_other)
    reader.start()
    reader.join(timeout=DEADLINE)
    if reader.is_alive():
        proc.kill()
        proc.wait()
        print(f"deadlocked: killed the child after {DEADLINE * 1000:.0f} ms")
    else:
        print("no deadlock: the pipe held it all")
    reader.join()  # the kill closed the child's ends of the pipes
    print(f"  stdout read before the kill: {len(got['out'])} bytes")
    proc.stdout.close()
    proc.stderr.close()

    # 2. communicate() reads both pipes at once (with a timeout too).
    proc = start(subprocess.PIPE)
    out, err = proc.communicate(timeout=10)
    report("fix 1, communicate()", out, len(err))

    # 3. stderr into a file: only one pipe is left to read.
    with tempfile.TemporaryFile() as file:
        proc = start(file)
        out = proc.stdout.read()
        proc.stdout.close()
        proc.wait()
        size = os.fstat(file.fileno()).st_size
        report("fix 3, stderr to a file", out, size)
