import asyncio


async def handle(reader, writer, stop):
    """Serves one client: each line a request; a `long` one takes an hour."""
    try:
        while True:
            read = asyncio.ensure_future(reader.readline())
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait(
                {read, stopped}, return_when=asyncio.FIRST_COMPLETED
            )
            if stop.is_set():  # a stop that has come wins
                read.cancel()
                break
            stopped.cancel()
            line = read.result()
            if not line:
                return  # the client left
            writer.write(b"started: " + line)
            await writer.drain()
            await asyncio.sleep(3600 if line == b"long\n" else 0.2)
            writer.write(b"done: " + line)
            await writer.drain()
        writer.write(b"bye: shutting down\n")
        await writer.drain()
        print("server: a connection said goodbye")
    except ConnectionError:
        pass
    finally:  # runs when cancelled too
        writer.close()
        print("server: a connection closed")


async def main():
    stop, tasks = asyncio.Event(), set()

    def on_connect(reader, writer):
        task = asyncio.create_task(handle(reader, writer, stop))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = []
    for name, line in [("A", b"short\n"), ("B", b"long\n")]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(line)
        got = await reader.readline()  # the request started
        clients.append((name, reader, writer, got))
    print("server: both requests started: stop")
    server.close()
    print("server: stopped accepting")
    stop.set()
    # One deadline for the whole drain.
    left = set()
    if tasks:  # asyncio.wait refuses an empty set
        _, left = await asyncio.wait(set(tasks), timeout=0.5)
    if left:
        print(f"server: deadline passed, {len(left)} still running: aborting")
        for task in left:
            task.cancel()  # CancelledError where it waits
        ended = await asyncio.gather(*left, return_exceptions=True)
        for result in ended:
            if isinstance(result, asyncio.CancelledError):
                print("server: a connection was cancelled")
    for name, reader, writer, got in clients:
        got += await reader.read()  # until the server closed
        writer.close()
        print(f"client {name} got: {got.decode()!r}")


asyncio.run(main())
