//! The stream of JSON lines (NDJSON) sent to the page, and the UTF-8 decoding of what a
//! program prints, a chunk at a time.

use axum::body::Bytes;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// The stream of JSON lines sent to the page.
pub struct Events(pub mpsc::UnboundedSender<Bytes>);

impl Events {
    pub(crate) fn send(&self, value: Value) {
        let mut line = value.to_string();
        line.push('\n');
        let _ = self.0.send(Bytes::from(line));
    }

    pub(crate) fn text(&self, kind: &str, text: &str) {
        if !text.is_empty() {
            self.send(json!({"kind": kind, "text": text}));
        }
    }

    /// Resolves when the page has gone away (the response was dropped).
    pub(crate) async fn closed(&self) {
        self.0.closed().await
    }
}

/// Decodes a byte stream as UTF-8 a chunk at a time, keeping a character cut in two by a
/// chunk boundary for the next chunk.
#[derive(Default)]
pub(crate) struct Utf8Stream(Vec<u8>);

impl Utf8Stream {
    pub(crate) fn push(&mut self, bytes: &[u8]) -> String {
        self.0.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&self.0) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => self.0.len() - e.valid_up_to(),
            Err(_) => 0,
        };
        let tail = self.0.split_off(self.0.len() - keep);
        let text = String::from_utf8_lossy(&self.0).into_owned();
        self.0 = tail;
        text
    }

    pub(crate) fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.0).into_owned();
        self.0.clear();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_cut_between_chunks_is_kept_whole() {
        let text = "naïve → ok";
        let bytes = text.as_bytes();
        let mut stream = Utf8Stream::default();
        let mut out = String::new();
        for chunk in bytes.chunks(1) {
            out.push_str(&stream.push(chunk));
        }
        out.push_str(&stream.finish());
        assert_eq!(out, text);
    }
}
