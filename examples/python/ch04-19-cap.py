import asyncio
import socket

MAX_CONNECTIONS = 2
IDLE = 0.2  # seconds: a quiet client's limit
count = {"open": 0, "most": 0}  # accepted, not closed; the most


async def serve(reader, writer, places):
    """Echoes lines; drops a client that sends no whole line for IDLE."""
    try:
        while line := await asyncio.wait_for(reader.readline(), IDLE):
            writer.write(b"echo: " + line)
            await writer.drain()
    except (TimeoutError, ConnectionError):
        pass
    finally:
        count["open"] -= 1
        places.release()  # the place is free again; then the socket closes
        writer.close()


async def accept(listener):
    """Accepts the next client, counted as held from that moment on."""
    conn, _ = await asyncio.get_running_loop().sock_accept(listener)
    count["open"] += 1  # held from now on, until serve ends
    count["most"] = max(count["most"], count["open"])
    return conn


async def server(listener, tasks):
    places = asyncio.Semaphore(MAX_CONNECTIONS)
    while True:
        await places.acquire()  # the place first, then accept
        conn = await accept(listener)
        reader, writer = await asyncio.open_connection(sock=conn)
        tasks.add(asyncio.create_task(serve(reader, writer, places)))


async def client(addr, n):
    sock = socket.socket()
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, addr)
    await loop.sock_sendall(sock, f"hello from client {n}\n".encode())
    return sock


async def reply(sock):
    data = await asyncio.get_running_loop().sock_recv(sock, 100)
    return data.decode().rstrip("\n") or "nothing: closed"


async def main():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    addr = listener.getsockname()
    tasks = set()
    # All three connect and speak before the server runs: the kernel
    # keeps them (and their lines) in the listener's backlog.
    one, two, three = [await client(addr, n) for n in (1, 2, 3)]
    accepting = asyncio.create_task(server(listener, tasks))
    print(f"client 1 got {await reply(one)}")
    print(f"client 2 got {await reply(two)}")
    # 1 and 2 say nothing more: IDLE later, the server hangs up on them.
    print(f"client 3 got {await reply(three)}")
    print(f"client 1 then got {await reply(one)}")
    print(f"client 2 then got {await reply(two)}")
    print(f"most connections held at once: {count['most']}")
    one.close()
    two.close()
    three.close()
    accepting.cancel()


asyncio.run(main())
