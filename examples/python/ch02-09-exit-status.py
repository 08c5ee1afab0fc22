# Unix only: returncode is -N for signal N; a shell reports 128 + N.
import os
import resource
import subprocess
import sys

if __name__ == "__main__" and sys.argv[1:2] == ["abort"]:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
    os.abort()  # SIGABRT, signal 6


def show(what, code):
    print(f"{what:<34} returncode {code}")


def sh(script):
    return subprocess.run(
        ["sh", "-c", script], stderr=subprocess.DEVNULL
    ).returncode


if __name__ == "__main__":
    sleep = subprocess.Popen(["sleep", "5"])
    sleep.kill()
    show("sleep 5, then kill()", sleep.wait())
    show("sh -c 'kill -9 $$'", sh("kill -9 $$"))
    script = "sleep 5 & kill -9 $!; wait $!"
    show("sh -c 'sleep 5 & kill -9 $!; ...'", sh(script))
    script = r'sh -c "kill -9 \$\$"'
    show(r"""sh -c 'sh -c "kill -9 \$\$"'""", sh(script))
    # subprocess keeps no core flag: start and wait with os instead.
    argv = [sys.executable, __file__, "abort"]
    pid = os.posix_spawn(sys.executable, argv, os.environ)
    _, status = os.waitpid(pid, 0)
    show("os.abort()", os.waitstatus_to_exitcode(status))
    print(f"core dumped: {os.WCOREDUMP(status)}")
