import asyncio
import time

start = time.monotonic()


def log(what):
    print(f"[{int((time.monotonic() - start) * 1000):>4} ms] {what}")


loop = asyncio.new_event_loop()  # asyncio's own loop, without async/await
pending = 0  # reads started whose callback has not run yet


def read(file, millis, callback):
    """Starts a simulated read: callback("got FILE") runs millis later."""
    global pending
    pending += 1
    loop.call_later(millis / 1000, complete, callback, f"got {file}")


def complete(callback, data):
    """Runs a read's callback; stops the loop once no read is pending."""
    global pending
    pending -= 1
    callback(data)  # which may start more reads
    if pending == 0:
        loop.stop()  # makes run_forever() return, like our run()


def got_config(config):
    log(config)
    read("users/ferris.json", 50, got_user)


def got_user(user):
    log(user)
    read("avatars/ferris.png", 50, got_avatar)


def got_avatar(avatar):
    log(avatar)
    log("The chain is done.")


read("config.toml", 50, got_config)
read("news.txt", 75, log)
loop.run_forever()
loop.close()
total = int((time.monotonic() - start) * 1000)
print(f"Total: {total} ms: the chain's three 50 ms steps, in a row.")
