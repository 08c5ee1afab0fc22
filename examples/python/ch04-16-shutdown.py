import asyncio


async def connection(reader, writer, stop):
    """Echoes lines back until the client leaves or the server says stop."""
    try:
        while True:
            read = asyncio.ensure_future(reader.readline())
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait(
                {read, stopped}, return_when=asyncio.FIRST_COMPLETED
            )
            if stop.is_set():  # a stop that has come wins over a waiting line
                read.cancel()
                break
            stopped.cancel()
            line = read.result()
            if not line:
                return  # the client left
            writer.write(b"echo: " + line)
            await writer.drain()
        writer.write(b"bye: shutting down\n")
        await writer.drain()
        print("server: a connection said goodbye")
    except ConnectionError:
        pass  # a client that reset: this connection ends, not the server
    finally:
        writer.close()


async def main():
    stop, tasks = asyncio.Event(), set()

    def on_connect(reader, writer):
        task = asyncio.create_task(connection(reader, writer, stop))
        tasks.add(task)  # keep every task: the server waits for them below
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = []
    for _ in range(2):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"hello\n")
        got = await reader.readline()
        clients.append((reader, writer, got))  # served, and still connected
    print("server: both clients served, time to stop")
    server.close()  # stop accepting
    print("server: stopped accepting")
    stop.set()  # tell every connection
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=2)
        in_time = True
    except TimeoutError:  # what wait_for raises, since Python 3.11
        in_time = False
    print(f"server: every connection closed within 2 s: {in_time}")
    for reader, writer, got in clients:
        got += await reader.read()  # until the server closed
        writer.close()
        print(f"a client got: {got.decode()!r}")


asyncio.run(main())
