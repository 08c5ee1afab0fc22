import os
import subprocess
import sys

if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    greeting = os.environ.get("GREETING", "hello")
    print(f"child {os.getpid()}: args {sys.argv[2:]}, GREETING={greeting}")
    sys.exit()

if __name__ == "__main__":
    # flush=True: into a pipe, print() waits in a buffer, and the next
    # child's line would pass it.
    print(f"parent {os.getpid()}", flush=True)
    me = [sys.executable, __file__]

    done = subprocess.run(me + ["child", "one"])  # like status()
    print("run() returned", done.returncode, flush=True)

    env = dict(os.environ, GREETING="bonjour")
    two = me + ["child", "two"]
    done = subprocess.run(two, env=env, capture_output=True, text=True)
    text = done.stdout.strip()
    print(f"captured {len(done.stdout)} characters: {text}", flush=True)

    child = subprocess.Popen(me + ["child", "three"])  # like spawn()
    code = child.wait()
    print(f"Popen() started process {child.pid}, wait() returned {code}")

    try:
        subprocess.run(["no-such-program-here"])
    except FileNotFoundError as e:
        print("no-such-program-here:", e.strerror, "(FileNotFoundError)")
