class Countdown:
    """An awaitable written by hand: it yields `left` times, then ends."""

    def __init__(self, left):
        self.left = left

    def __await__(self):
        while self.left > 0:
            self.left -= 1
            yield  # like Poll::Pending: back to whoever drives us
        return "liftoff"


async def launch():
    print("  launch: counting down")
    word = await Countdown(2)
    print("  launch:", word)
    return word.upper()


coro = launch()
print("created the launch coroutine")
polls = 0
while True:
    polls += 1
    print("poll", polls)
    try:
        coro.send(None)  # run it until it yields or returns
        print("  -> Pending")
    except StopIteration as done:  # how a coroutine reports its result
        result = done.value
        break
print(f"Ready after {polls} polls: {result}")
