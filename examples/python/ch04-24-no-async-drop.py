import asyncio


class Session:
    """A session that should end with an async goodbye (a message to a
    server, say)."""

    def __init__(self, id):
        self.id = id
        self.closed = False

    async def close(self):
        await asyncio.sleep(0.01)  # the async goodbye
        self.closed = True
        print(f"session {self.id}: closed with await close()")


async def work_then_close(session, ms):
    try:
        await asyncio.sleep(ms / 1000)
    finally:
        # Runs on cancellation too, and may await: cleanup happens in place.
        await session.close()


async def main():
    one, two = Session(1), Session(2)
    try:
        await asyncio.wait_for(work_then_close(one, 10), 1)
        print("session 1 in time: True")
    except TimeoutError:
        print("session 1 in time: False")
    try:
        await asyncio.wait_for(work_then_close(two, 5_000), 0.1)
        print("session 2 in time: True")
    # wait_for waited for the cancelled coroutine's finally
    except TimeoutError:
        print("session 2 in time: False")


asyncio.run(main())
