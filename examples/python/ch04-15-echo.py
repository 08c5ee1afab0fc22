import asyncio

open_connections = {}  # task serving a connection -> its writer


async def echo(reader, writer):
    open_connections[asyncio.current_task()] = writer
    # b"" when the client hangs up, or we close
    while line := await reader.readline():
        # Sends what it can now, buffers the rest: never waits...
        writer.write(line)
        # ...this is where it waits if the client reads slowly
        await writer.drain()
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

    # Port 0: the OS picks
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # Client 4 says hello, then stays connected and silent until the server
    # has stopped.
    idle = await client(4, port, ["hello"])
    writers = await asyncio.gather(
        *(client(cid, port, ["hello", "bye"]) for cid in range(1, 4))
    )
    for writer in writers:  # clients 1 to 3 hang up
        writer.close()
        await writer.wait_closed()
    server.close()  # stop accepting
    cut = set()
    # a grace period for the open connections, then close the rest
    if open_connections:
        _, cut = await asyncio.wait(set(open_connections), timeout=0.3)
        for task in cut:
            open_connections[task].close()  # its readline() returns b""
        if cut:
            await asyncio.wait(cut)
    await server.wait_closed()
    print(
        f"server stopped after {served} connections, "
        f"{len(cut)} cut off at the deadline"
    )
    idle.close()


asyncio.run(main())
