//! Who may ask: the checks every request passes before anything else is done.
//!
//! Any page the reader visits may send requests to 127.0.0.1, and a DNS-rebinding page may
//! even send them under its own host name. So every request must carry:
//! - a `Host` header naming the loopback address and this runner's port (`127.0.0.1:PORT` or
//!   `localhost:PORT`): a rebound host name is refused;
//! - no `Origin` header, or the book's own origin (browsers always send `Origin` on the
//!   requests a page can make with a custom header, so a foreign page is refused);
//! - the per-run secret in `X-Course-Token`, compared in constant time.
//!
//! A CORS preflight (`OPTIONS`) carries no secret (browsers never send custom header values in
//! a preflight); it is answered only for the book's origin, on the right `Host`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Shared;

/// The header that carries the secret.
pub const TOKEN_HEADER: &str = "x-course-token";

/// A fresh secret: 32 random bytes from the operating system, in hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random numbers");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two byte strings in time that depends only on their lengths (the secret's length
/// is no secret).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    diff == 0
}

/// Whether a `Host` header names this runner on the loopback interface.
pub fn host_ok(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// Why a request was refused, or `Ok` with the origin to echo in CORS headers.
fn verdict(
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    port: u16,
    origins: &[String],
) -> Result<Option<String>, &'static str> {
    // A header given twice is ambiguous (which copy would a proxy, or the next check, read?).
    if headers.get_all(header::HOST).iter().count() != 1
        || headers.get_all(TOKEN_HEADER).iter().count() > 1
    {
        return Err("forbidden: a header given twice");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host_ok(host, port) {
        return Err("forbidden: wrong Host");
    }
    // A target in absolute form (`POST http://host:port/...`) names the host instead of
    // `Host` (RFC 9112, 3.2.2): it must name this runner too.
    if let Some(authority) = uri.authority()
        && !host_ok(Some(authority.as_str()), port)
    {
        return Err("forbidden: wrong Host");
    }
    let origins_seen = headers.get_all(header::ORIGIN).iter().count();
    if origins_seen > 1 {
        return Err("forbidden: more than one Origin");
    }
    match headers.get(header::ORIGIN) {
        None => Ok(None),
        Some(origin) => match origin.to_str() {
            Ok(origin) if origins.iter().any(|o| o == origin) => Ok(Some(origin.to_string())),
            _ => Err("forbidden: this page is not the book"),
        },
    }
}

fn forbidden(why: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain")],
        why,
    )
        .into_response()
}

/// The middleware in front of every route.
pub(crate) async fn check_request(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = match verdict(
        request.headers(),
        request.uri(),
        shared.port,
        &shared.config.book_origins,
    ) {
        Ok(origin) => origin,
        Err(why) => return forbidden(why),
    };
    if request.method() == Method::OPTIONS {
        // A preflight: only for the book's page, which must name it.
        let Some(origin) = origin else {
            return forbidden("forbidden: a preflight without Origin");
        };
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let h = response.headers_mut();
        allow(h, &origin);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type, x-course-token"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return response;
    }
    let token = request
        .headers()
        .get(TOKEN_HEADER)
        .map(|t| t.as_bytes())
        .unwrap_or(b"");
    if !constant_time_eq(token, shared.config.token.as_bytes()) {
        return forbidden("forbidden: no secret, or a wrong one");
    }
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        allow(response.headers_mut(), &origin);
    }
    response
}

fn allow(headers: &mut HeaderMap, origin: &str) {
    if let Ok(value) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_different() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn only_loopback_hosts_with_our_port() {
        assert!(host_ok(Some("127.0.0.1:4000"), 4000));
        assert!(host_ok(Some("LOCALHOST:4000"), 4000));
        assert!(!host_ok(Some("127.0.0.1:4001"), 4000));
        assert!(!host_ok(Some("evil.example:4000"), 4000));
        assert!(!host_ok(Some("127.0.0.1"), 4000));
        assert!(!host_ok(Some("127.0.0.1.evil.example:4000"), 4000));
        assert!(!host_ok(None, 4000));
    }
}
