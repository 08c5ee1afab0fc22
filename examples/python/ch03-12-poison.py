import threading

lock = threading.Lock()
accounts = {"alice": 100, "bob": 100}


def transfer():
    with lock:  # released on the way out, exception or not
        accounts["alice"] -= 50
        # Bob never gets the 50:
        raise RuntimeError("crashed in the middle of a transfer")


if __name__ == "__main__":
    t = threading.Thread(target=transfer)
    t.start()  # the traceback goes to stderr (threading.excepthook)
    t.join()  # returns normally: join() does not report the exception
    print(f"the transfer thread is alive: {t.is_alive()}")

    with lock:  # nothing marks the lock: the next holder is not told
        total = accounts["alice"] + accounts["bob"]
        alice = accounts["alice"]
        print(f"lock acquired as usual; inside: alice {alice}, total {total}")
