import collections
import subprocess
import sys
import tempfile
from subprocess import DEVNULL, PIPE, STDOUT, Popen

if __name__ == "__main__" and sys.argv[1:2] == ["words"]:
    print("red\ngreen\nblue\ngreen\nred")
    print("words: warning, no yellow", file=sys.stderr)
    sys.exit(3)
if __name__ == "__main__" and sys.argv[1:2] == ["tally"]:
    tally = collections.Counter(line.rstrip("\n") for line in sys.stdin)
    for line, n in sorted(tally.items()):
        print(f"  {n} {line}")
    sys.exit()


def me(role):
    return [sys.executable, __file__, role]


def wait_both(sh, words, tally):
    first, last = words.wait(), tally.wait()
    # flush: the next tally writes to our stdout too, after this line
    print(f"({sh}) words: exit code {first}; tally: exit code {last}",
          flush=True)


if __name__ == "__main__":
    words = Popen(me("words"), stdout=PIPE, stderr=DEVNULL)
    tally = Popen(me("tally"), stdin=words.stdout)
    words.stdout.close()  # tally holds the only reading end now
    wait_both("words 2>/dev/null | tally", words, tally)

    words = Popen(me("words"), stdout=PIPE, stderr=STDOUT)
    tally = Popen(me("tally"), stdin=words.stdout)
    words.stdout.close()
    wait_both("words 2>&1 | tally", words, tally)

    with tempfile.TemporaryFile(mode="w+") as file:
        code = subprocess.call(me("words"), stdout=file, stderr=DEVNULL)
        file.seek(0)
        text = file.read()
    print(f"(words > file 2>/dev/null) words: exit code {code}; {text!r}")
