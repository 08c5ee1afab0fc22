import threading


class Account:
    def __init__(self, account_id, balance):
        self.id = account_id
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source, target, amount):
    if source is target:
        return  # `with lock, lock:` would wait for ever
    # Lock the account with the smaller id first, whatever the direction.
    first, second = sorted([source, target], key=lambda a: a.id)
    with first.lock, second.lock:
        source.balance -= amount
        target.balance += amount


def many(source, target):
    for _ in range(10_000):
        transfer(source, target, 10)


if __name__ == "__main__":
    alice, bob = Account(1, 100), Account(2, 100)
    threads = [
        threading.Thread(target=many, args=(alice, bob)),
        threading.Thread(target=many, args=(bob, alice)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("20000 transfers in opposite directions, no deadlock")

    transfer(alice, alice, 10)
    print("a transfer from alice to alice returned")

    a, b = alice.balance, bob.balance
    print(f"alice: {a}, bob: {b}, total: {a + b}")
