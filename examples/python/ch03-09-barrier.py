import sys
import threading

numbers = list(range(1, 10))
sums = [0, 0, 0]
all_summed = threading.Barrier(3)  # opens when 3 threads have called wait()


def work(i, part):
    # Phase 1: each thread sums its own part.
    mine = sum(part)
    sums[i] = mine
    # One write per line: print() writes the text and the newline separately.
    sys.stdout.write(f"part {i}: my sum is {mine}\n")

    # Nobody passes until every part is summed. wait() gives each thread
    # a different number, from 0 to 2: one of them can play the leader.
    if all_summed.wait() == 0:
        sys.stdout.write("(one thread, the leader: all parts summed)\n")

    # Phase 2: needs every thread's phase 1.
    total = sum(sums)
    share = mine * 100 // total
    sys.stdout.write(f"part {i}: {mine} of {total} is {share}%\n")


if __name__ == "__main__":
    threads = [
        threading.Thread(target=work, args=(i, numbers[3 * i : 3 * i + 3]))
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
