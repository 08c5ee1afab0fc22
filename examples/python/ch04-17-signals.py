import asyncio
import signal
import sys


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
    except ConnectionError:
        pass  # a client that reset: this connection ends, not the server
    finally:
        writer.close()


async def main():
    # From here on, Ctrl-C (SIGINT) and SIGTERM are events for this loop.
    loop, signals = asyncio.get_running_loop(), asyncio.Queue()
    for sig, name in (signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM"):
        loop.add_signal_handler(sig, signals.put_nowait, name)
    stop, tasks = asyncio.Event(), set()

    def on_connect(reader, writer):
        task = asyncio.create_task(connection(reader, writer, stop))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()
    print(f"listening on {host}:{port}", flush=True)
    # `serve` waits for a signal; without it, the demo stops after 1 s.
    serve = "serve" in sys.argv[1:]
    try:
        why = await asyncio.wait_for(signals.get(), None if serve else 1)
    except TimeoutError:
        why = "1 s passed"
    server.close()  # new clients are refused from here on
    print(f"{why}: stopping {len(tasks)} open connection(s)")
    print("(press Ctrl-C to stop at once)", flush=True)
    stop.set()

    async def drain():  # True when every connection closed within 10 s
        if tasks:
            await asyncio.wait(tasks, timeout=10)
        return not tasks  # a task leaves the set when it ends

    async def ctrl_c_again():
        while await signals.get() != "Ctrl-C":
            pass

    drain, again = map(asyncio.ensure_future, [drain(), ctrl_c_again()])
    await asyncio.wait({drain, again}, return_when=asyncio.FIRST_COMPLETED)
    if again.done():
        print("Ctrl-C again: exiting now", flush=True)
        return 130  # what a shell shows; run() cancels the tasks left
    again.cancel()
    print(f"every connection closed in time: {str(drain.result()).lower()}")
    return 0


sys.exit(asyncio.run(main()))
