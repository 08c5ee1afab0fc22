import asyncio


async def next_line(reader):
    line = await reader.readline()
    return line.decode().rstrip("\n") or "nothing: closed"


async def main():
    places = asyncio.Semaphore(1)  # one client at a time

    async def serve(reader, writer):
        if places.locked():
            # No place: say so at once and hang up, rather than queue.
            writer.write(b"busy, try later\n")
        else:
            async with places:
                writer.write(b"welcome\n")
                await reader.read()  # keep the place until the client leaves
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    addr = server.sockets[0].getsockname()
    r1, w1 = await asyncio.open_connection(*addr)
    print(f"client 1 got {await next_line(r1)}")
    r2, w2 = await asyncio.open_connection(*addr)
    print(f"client 2 got {await next_line(r2)}")
    print(f"client 2 then got {await next_line(r2)}")
    w1.write_eof()  # client 1 says goodbye...
    print(f"client 1 then got {await next_line(r1)}")
    r3, w3 = await asyncio.open_connection(*addr)
    print(f"client 3 got {await next_line(r3)}")  # ...its place
    w3.write_eof()
    await r3.read()  # the end: the server's task for client 3 is done
    for writer in (w1, w2, w3):
        writer.close()
    server.close()

    # A queue of jobs can shed load too: put_nowait refuses when full.
    jobs = asyncio.Queue(maxsize=2)
    for job in range(1, 4):
        try:
            jobs.put_nowait(job)
            print(f"job {job}: queued")
        except asyncio.QueueFull:
            print(f"job {job}: queue full")


asyncio.run(main())
