import sys
import threading

balances = {"alice": 100, "bob": 100}
locks = {"alice": threading.Lock(), "bob": threading.Lock()}
# The two transfers and main meet here once each transfer holds its
# first lock.
first_locks_taken = threading.Barrier(3)


def transfer(source, target, amount):
    with locks[source]:
        # One write per line: print() writes the text and the newline
        # separately.
        line = f"{source} -> {target}: holds its first lock, wants the second"
        sys.stdout.write(line + "\n")
        first_locks_taken.wait()
        with locks[target]:  # the other thread holds it, and waits for ours
            balances[source] -= amount
            balances[target] += amount


if __name__ == "__main__":
    # daemon=True: the interpreter may exit while they are still stuck.
    threads = [
        threading.Thread(target=transfer, args=(a, b, 10), daemon=True)
        for a, b in [("alice", "bob"), ("bob", "alice")]
    ]
    for t in threads:
        t.start()
    first_locks_taken.wait()
    for t in threads:
        t.join(timeout=0.1)  # wait, but not for ever
    if any(t.is_alive() for t in threads):
        print("main: no transfer finished: deadlock")
    else:
        print("main: both transfers finished")
