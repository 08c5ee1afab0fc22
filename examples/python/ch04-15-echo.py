import asyncio

open_connections = {}  # task serving a connection -> its writer


async def echo(reader, writer):
    open_connections[asyncio.current_task()] = writer
    while line := await reader.readline():  # b"" when the client hangs up, or we close
        writer.write(line)  # sends what it can now, buffers the rest: never waits...
        await writer.drain()  # ...this is where it waits if the client reads slowly
    del open_connections[asyncio.current_task()]
    writer.close()


async def client(cid, port, words):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in words:
        request = f"{word} from client {cid}"
        writer.write(f"{request}\n".encode())
        await writer.drain()
        reply = (await reader.readline()).decode().rstrip("\n")
        print(f"client {cid}: sent {request!r}, got {reply!r}")
    return writer  # the connection, still open


async def main():
    served = 0

    async def serve(reader, writer):
        nonlocal served
        served += 1
        await echo(reader, writer)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)  # port 0: the OS picks
    port = server.sockets[0].getsockname()[1]
    # Client 4 says hello, then stays connected and silent until the server has stopped.
    idle = await client(4, port, ["hello"])
    writers = await asyncio.gather(*(client(cid, port, ["hello", "bye"]) for cid in range(1, 4)))
    for writer in writers:  # clients 1 to 3 hang up
        writer.close()
        await writer.wait_closed()
    server.close()  # stop accepting
    cut = set()
    if open_connections:  # a grace period for the open connections, then close the rest
        _, cut = await asyncio.wait(set(open_connections), timeout=0.3)
        for task in cut:
            open_connections[task].close()  # its readline() returns b""
        if cut:
            await asyncio.wait(cut)
    await server.wait_closed()
    print(f"server stopped after {served} connections, {len(cut)} cut off at the deadline")
    idle.close()


asyncio.run(main())
