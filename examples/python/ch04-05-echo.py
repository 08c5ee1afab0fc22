import asyncio


async def echo(reader, writer):
    while line := await reader.readline():  # b"" when the client hangs up
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def client(cid, port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ["hello", "bye"]:
        request = f"{word} from client {cid}"
        writer.write(f"{request}\n".encode())
        reply = (await reader.readline()).decode().rstrip("\n")
        print(f"client {cid}: sent {request!r}, got {reply!r}")
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", 0)  # port 0: the OS picks
    port = server.sockets[0].getsockname()[1]
    await asyncio.gather(*(client(cid, port) for cid in range(1, 4)))
    server.close()
    await server.wait_closed()
    print("server stopped")


asyncio.run(main())
