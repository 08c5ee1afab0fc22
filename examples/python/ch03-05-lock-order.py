import threading


class Account:
    def __init__(self, account_id, balance):
        self.id = account_id
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source, target, amount):
    # Lock the account with the smaller id first, whichever way the money goes.
    first, second = sorted([source, target], key=lambda account: account.id)
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
    print(f"alice: {alice.balance}, bob: {bob.balance}, total: {alice.balance + bob.balance}")
