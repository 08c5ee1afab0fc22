import threading


def parse():
    print(f"{threading.current_thread().name!r} starts")
    int("forty-two")  # raises: the traceback on stderr names the thread


if __name__ == "__main__":
    # stack_size() sets the stack of every thread started after it.
    threading.stack_size(64 * 1024)
    parser = threading.Thread(target=parse, name="parser")
    parser.start()
    parser.join()  # join() does not tell whether the thread raised
    print("main: the parser has ended")

    threading.stack_size(1 << 50)  # larger than this machine's address space
    try:
        threading.Thread(target=lambda: None).start()
    except RuntimeError as error:
        print(f"main: no thread with a 1 PiB stack: {error}")
    threading.stack_size(0)  # back to the platform's default
    print(f"main ({threading.current_thread().name!r}) carries on")
