import asyncio


async def own_readline(reader):
    """A line reader of our own: the partial line is a local variable."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = await reader.read(1)
        if not chunk:
            break
        line += chunk
    return line


async def read_all(read_one):
    """Each line comes in two halves; a timeout cancels the read between."""
    reader = asyncio.StreamReader()
    got = []
    for text in [b"alpha\n", b"bravo\n", b"charlie\n"]:
        reader.feed_data(text[:2])
        try:
            got.append(await asyncio.wait_for(read_one(reader), 0.01))
        except TimeoutError:
            pass  # only half a line was there: the read is cancelled
        reader.feed_data(text[2:])
        got.append(await read_one(reader))
    return [line.decode().strip() for line in got]


async def main():
    got = await read_all(own_readline)
    print(f"own_readline, cancelled and called again: {got}")
    # StreamReader.readline leaves a partial line in the reader's buffer.
    got = await read_all(asyncio.StreamReader.readline)
    print(f"StreamReader.readline, likewise:          {got}")


asyncio.run(main())
