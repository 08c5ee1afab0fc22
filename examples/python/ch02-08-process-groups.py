# Unix only; process_group= needs Python 3.11 (start_new_session=True
# works on older ones: a new session is a new process group too).
import os
import signal
import subprocess
import threading

MS = 300
SCRIPT = "sleep 30 & echo grandchild started; wait"


def start():
    proc = subprocess.Popen(
        ["sh", "-c", SCRIPT], stdout=subprocess.PIPE, process_group=0
    )
    print(" ", proc.stdout.readline().decode(), end="")
    return proc


def read_to_end(proc):
    reader = threading.Thread(target=proc.stdout.read)
    reader.start()
    return reader


def report(proc):
    code = proc.wait()  # -9: ended by signal 9
    print(f"  the shell ended: returncode {code}")


print("proc.kill(), the shell alone:")
proc = start()
proc.kill()
report(proc)
reader = read_to_end(proc)
reader.join(timeout=MS / 1000)
if reader.is_alive():
    print(f"  stdout still open after {MS} ms")
os.killpg(proc.pid, signal.SIGKILL)  # the grandchild is in the group
reader.join()
proc.stdout.close()
print("  killpg() then: end of stdout")
print("killpg(), the whole group:")
proc = start()
os.killpg(proc.pid, signal.SIGKILL)
report(proc)
reader = read_to_end(proc)
reader.join(timeout=MS / 1000)
if not reader.is_alive():
    print(f"  end of stdout within {MS} ms")
proc.stdout.close()
