import selectors
import socket
import threading

# A server socket on a free port of this machine, and a peer that
# connects to it, then waits for the word before it writes.
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
go = threading.Event()


def peer():
    with socket.create_connection(listener.getsockname()) as s:
        go.wait()
        s.sendall(b"hello")


thread = threading.Thread(target=peer)
thread.start()
stream, _ = listener.accept()
stream.setblocking(False)

# Nothing has been sent: the read does not wait, it raises.
try:
    stream.recv(64)
    raise SystemExit("expected BlockingIOError")
except BlockingIOError:
    print("recv: BlockingIOError, at once (nothing sent yet)")

go.set()
print("told the peer to write")

# Wait for readiness: the selector sleeps in epoll (kqueue on macOS)
# until the socket has something to read. No retry loop.
with selectors.DefaultSelector() as selector:
    selector.register(stream, selectors.EVENT_READ)
    selector.select()
data = stream.recv(64)
print(f"recv: {len(data)} bytes, {data!r}")
thread.join()
stream.close()
listener.close()
