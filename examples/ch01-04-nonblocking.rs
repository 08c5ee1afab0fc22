use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() -> io::Result<()> {
    // A server socket on a free port of this machine, and a peer that
    // connects to it, then waits for the word before it writes.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let (go, wait_for_go) = mpsc::channel::<()>();
    let peer = thread::spawn(move || -> io::Result<()> {
        let mut stream = TcpStream::connect(address)?;
        wait_for_go.recv().expect("main is gone");
        stream.write_all(b"hello")
    });
    let (mut stream, _) = listener.accept()?;
    stream.set_nonblocking(true)?;

    // Nothing has been sent: the read does not wait, it says so.
    let mut buffer = [0u8; 64];
    match stream.read(&mut buffer) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {
            println!("read: WouldBlock, at once (nothing sent yet)")
        }
        other => panic!("expected WouldBlock, got {other:?}"),
    }

    go.send(()).expect("the peer is gone");
    println!("told the peer to write");

    // Try again until the bytes are there. Without a readiness API
    // (std has none), all we can do is retry, resting a little between
    // tries: this loop is what epoll and kqueue exist to replace.
    let nap = Duration::from_millis(1);
    let n = loop {
        match stream.read(&mut buffer) {
            Ok(n) => break n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(nap),
            Err(e) => return Err(e),
        }
    };
    let text = String::from_utf8_lossy(&buffer[..n]);
    println!("read: {n} bytes, {text:?}");
    peer.join().expect("the peer panicked")?;
    Ok(())
}
