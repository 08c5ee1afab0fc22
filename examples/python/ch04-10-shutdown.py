import asyncio


async def connection(reader, writer, stop):
    """Echoes each line back, until the client leaves or the server says stop."""
    while True:
        read = asyncio.ensure_future(reader.readline())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():  # a stop that has come wins over a line that is waiting
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
    writer.close()
    print("server: a connection said goodbye")


async def client(port):
    """A client: says hello, stays, and returns all it got once the server closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")  # a few bytes: sent at once, no drain() needed
    got = await reader.read()  # reads until the server closes the connection
    writer.close()
    return got.decode()


async def main():
    stop, tasks = asyncio.Event(), set()

    def on_connect(reader, writer):
        task = asyncio.create_task(connection(reader, writer, stop))
        tasks.add(task)  # keep every task: the server waits for them below
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = [asyncio.create_task(client(port)) for _ in range(2)]
    await asyncio.sleep(0.2)  # the end of this demo (a real server waits for a signal)
    print("server: time to stop")
    server.close()  # stop accepting
    print("server: stopped accepting")
    stop.set()  # tell every connection
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=2)
        in_time = True
    except TimeoutError:
        in_time = False
    print(f"server: every connection closed within 2 s: {in_time}")
    for c in clients:
        print(f"a client got: {await c!r}")


asyncio.run(main())
