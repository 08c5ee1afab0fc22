//! A minimal HTTP/1.1 client for the runner's tests and its benchmark: it sends exactly the
//! headers it is given (a wrong `Host`, a foreign `Origin`) and reads a streamed answer one
//! JSON line at a time.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer whose body is still being read.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    stream: TcpStream,
    /// Bytes read but not yet consumed.
    buf: Vec<u8>,
    chunked: bool,
    /// Body bytes left in the current chunk (chunked), or in the body (`Content-Length`).
    left: Option<usize>,
    body: Vec<u8>,
    done: bool,
}

/// Sends one request (with `Connection: close`); the headers are exactly those given, plus
/// `Content-Length` when there is a body.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut buf = Vec::new();
    let end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let rest = buf[end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    Ok(Answer {
        status,
        headers,
        stream,
        buf: rest,
        chunked,
        left: if chunked { None } else { length },
        body: Vec::new(),
        done: false,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    async fn fill(&mut self) -> std::io::Result<bool> {
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// Moves more of the body into `self.body`; false at its end.
    async fn more(&mut self) -> std::io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        if !self.chunked {
            if self.buf.is_empty() && !self.fill().await? {
                self.done = true;
                return Ok(false);
            }
            let take = self.left.map_or(self.buf.len(), |l| l.min(self.buf.len()));
            self.body.extend(self.buf.drain(..take));
            if let Some(left) = self.left.as_mut() {
                *left -= take;
                if *left == 0 {
                    self.done = true;
                }
            }
            return Ok(true);
        }
        loop {
            match self.left {
                Some(0) => {
                    // The CRLF after a chunk.
                    while self.buf.len() < 2 {
                        if !self.fill().await? {
                            self.done = true;
                            return Ok(false);
                        }
                    }
                    self.buf.drain(..2);
                    self.left = None;
                }
                Some(left) => {
                    if self.buf.is_empty() && !self.fill().await? {
                        self.done = true;
                        return Ok(false);
                    }
                    let take = left.min(self.buf.len());
                    self.body.extend(self.buf.drain(..take));
                    self.left = Some(left - take);
                    return Ok(true);
                }
                None => {
                    let Some(end) = find(&self.buf, b"\r\n") else {
                        if !self.fill().await? {
                            self.done = true;
                            return Ok(false);
                        }
                        continue;
                    };
                    let size = String::from_utf8_lossy(&self.buf[..end]);
                    let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16)
                        .map_err(|_| std::io::Error::other("bad chunk size"))?;
                    self.buf.drain(..end + 2);
                    if size == 0 {
                        self.done = true;
                        return Ok(false);
                    }
                    self.left = Some(size);
                }
            }
        }
    }

    /// The next JSON line of a streamed answer, or `None` at its end.
    pub async fn next_event(&mut self) -> std::io::Result<Option<Value>> {
        loop {
            if let Some(end) = self.body.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.body.drain(..=end).collect();
                return serde_json::from_slice(&line)
                    .map(Some)
                    .map_err(std::io::Error::other);
            }
            if !self.more().await? {
                return Ok(None);
            }
        }
    }

    /// Every event to the end of the answer, within `limit`.
    pub async fn events(&mut self, limit: Duration) -> std::io::Result<Vec<Value>> {
        tokio::time::timeout(limit, async {
            let mut all = Vec::new();
            while let Some(event) = self.next_event().await? {
                all.push(event);
            }
            Ok(all)
        })
        .await
        .map_err(|_| std::io::Error::other("the answer did not end in time"))?
    }

    /// The whole body as text (for answers that are not streams).
    pub async fn text(mut self) -> std::io::Result<String> {
        while self.more().await? {}
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }
}
