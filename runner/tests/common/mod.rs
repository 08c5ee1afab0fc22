//! The HTTP client of the runner's tests (and of its bench, `benches/answers.rs`, which
//! includes this file): hyper's HTTP/1.1 connection, one request per connection, with exactly
//! the header fields given (a wrong `Host`, a foreign `Origin`, a field twice: hyper adds none
//! at this level), and the answer's body read one JSON line at a time as it streams.
//!
//! Every request the tests send is well-formed HTTP, so no test needs a sender of raw bytes;
//! the one test that must send a request's headers only in part (idle connections that never
//! finish their headers) writes them on a `TcpStream` itself.
#![allow(
    dead_code,
    reason = "each test binary, and the bench, uses a part of it"
)]

use std::net::SocketAddr;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;
use serde_json::Value;

/// An answer whose body is still being read.
pub struct Answer {
    pub status: u16,
    /// The header fields, names in lowercase, in the order they came.
    pub headers: Vec<(String, String)>,
    body: Incoming,
    /// Body bytes read but not yet consumed.
    buf: Vec<u8>,
}

/// Sends one request (with `Connection: close`); the header fields are exactly those given,
/// plus `Content-Length` when there is a body or the method is POST.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    // The connection is driven by a task of its own until the answer's end.
    tokio::spawn(connection);
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("Connection", "close");
    for (name, value) in headers {
        request = request.header(*name, *value); // appended: a field given twice is sent twice
    }
    if !body.is_empty() || method == "POST" {
        request = request.header("Content-Length", body.len());
    }
    let request = request
        .body(Full::new(Bytes::copy_from_slice(body)))
        .map_err(std::io::Error::other)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(std::io::Error::other)?;
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    Ok(Answer {
        status: response.status().as_u16(),
        headers,
        body: response.into_body(),
        buf: Vec::new(),
    })
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Moves the next piece of the body into `self.buf`; false at its end. A body cut short
    /// (the runner closed the connection before the last chunk) ends there too.
    async fn more(&mut self) -> std::io::Result<bool> {
        loop {
            match self.body.frame().await {
                None => return Ok(false),
                Some(Err(e)) if e.is_incomplete_message() => return Ok(false),
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.buf.extend_from_slice(&data);
                        return Ok(true);
                    }
                }
            }
        }
    }

    /// The next JSON line of a streamed answer, or `None` at its end.
    pub async fn next_event(&mut self) -> std::io::Result<Option<Value>> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=end).collect();
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
        Ok(String::from_utf8_lossy(&self.buf).into_owned())
    }
}
