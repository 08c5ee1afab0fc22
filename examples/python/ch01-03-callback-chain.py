import asyncio
import time

start = time.monotonic()


def log(what):
    print(f"[{int((time.monotonic() - start) * 1000):>4} ms] {what}")


loop = asyncio.new_event_loop()  # asyncio's own event loop, used without async/await


def read(file, millis, callback):
    """Starts a simulated read: the loop calls callback("got FILE") millis later."""
    loop.call_later(millis / 1000, callback, f"got {file}")


def got_config(config):
    log(config)
    read("users/ferris.json", 50, got_user)


def got_user(user):
    log(user)
    read("avatars/ferris.png", 50, got_avatar)


def got_avatar(avatar):
    log(avatar)
    log("The chain is done.")
    loop.stop()  # makes run_forever() return


read("config.toml", 50, got_config)
read("news.txt", 75, log)
loop.run_forever()
loop.close()
total = int((time.monotonic() - start) * 1000)
print(f"Total: {total} ms: the chain's three steps of 50 ms, one after another.")
