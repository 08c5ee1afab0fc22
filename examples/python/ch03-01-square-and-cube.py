import sys
import threading


def print_square(num):
    # One write per line: print() writes the text and the newline separately,
    # so two threads printing at once can mix their lines.
    sys.stdout.write(f"Square: {num * num}\n")


def print_cube(num):
    sys.stdout.write(f"Cube: {num * num * num}\n")


if __name__ == "__main__":
    t1 = threading.Thread(target=print_square, args=(10,))
    t2 = threading.Thread(target=print_cube, args=(10,))

    t1.start()
    t2.start()

    t1.join()
    t2.join()

    print("Done!")
