import subprocess
import sys
import threading
import time

# Seconds: more than the Rust version allows, because a Python worker takes
# longer to start.
DEADLINE = 1.0  # for the job itself
GRACE = 0.5  # for stopping when asked


def finish_by(p, deadline):
    """Waits until deadline; then asks p to stop; then stops it by force."""
    try:
        code = p.wait(max(0, deadline - time.monotonic()))
        return f"finished in time (exit code {code})"
    except subprocess.TimeoutExpired:
        pass
    p.stdin.close()  # ask politely: the end of its input means "stop"
    try:
        return f"stopped when asked (exit code {p.wait(GRACE)})"
    except subprocess.TimeoutExpired:
        p.kill()  # SIGKILL on Unix, TerminateProcess on Windows
        return f"killed (exit code {p.wait()})"


if __name__ == "__main__":
    job = sys.argv[1] if len(sys.argv) > 1 else None
    if job == "quick":
        sys.exit()  # a job that takes no time
    if job == "polite":
        # The job runs in a thread; the main thread watches stdin.
        threading.Thread(target=time.sleep, args=(10,), daemon=True).start()
        sys.stdin.read()
        print("polite  : my stdin is closed, so I stop", flush=True)
        sys.exit()
    if job == "stubborn":
        time.sleep(10)  # ignores stdin
        sys.exit()

    jobs = ["quick", "polite", "stubborn"]
    me = [sys.executable, __file__]
    children = [
        subprocess.Popen(me + [job], stdin=subprocess.PIPE) for job in jobs
    ]
    deadline = time.monotonic() + DEADLINE  # one deadline for all three
    for job, p in zip(jobs, children):
        print(f"{job:<8}: {finish_by(p, deadline)}", flush=True)
