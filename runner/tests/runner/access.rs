//! Who may ask the runner: the secret, `Origin`, `Host` (against DNS rebinding), the names
//! of examples, the size of a request, framing, and where the secret is written.

use super::*;

#[tokio::test]
async fn listens_on_loopback_only() {
    within(async {
        let fixture = Fixture::new("loopback");
        let server = fixture.start(limits()).await;
        assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
        assert_eq!(server.run_url(), format!("http://{}/api/run", server.addr));
    })
    .await;
}

#[tokio::test]
async fn refuses_requests_without_the_right_secret() {
    within(async {
        let fixture = Fixture::new("token");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let body = json!({"example": "hello"}).to_string();
        let mut same_length = server.token.clone().into_bytes();
        same_length[10] = if same_length[10] == b'0' { b'1' } else { b'0' };
        let same_length = String::from_utf8(same_length).unwrap();
        let tokens: [Option<&str>; 4] = [None, Some(""), Some("wrong"), Some(&same_length)];
        for token in tokens {
            let mut headers = vec![("Host", host.as_str()), ("Origin", BOOK)];
            if let Some(token) = token {
                headers.push(("X-Course-Token", token));
            }
            for (method, path) in [("POST", "/api/run"), ("GET", "/api/status")] {
                let answer = client::send(server.addr, method, path, &headers, body.as_bytes())
                    .await
                    .unwrap();
                assert_eq!(answer.status, 403, "{method} {path} with token {token:?}");
                assert_eq!(answer.header("access-control-allow-origin"), None);
            }
        }
        // The secret in the query string instead of the header is no secret either.
        let path = format!("/api/run?token={}", server.token);
        let answer = client::send(
            server.addr,
            "POST",
            &path,
            &[("Host", &host), ("Origin", BOOK)],
            body.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 403);
        assert!(fixture.leftovers().is_empty());
    })
    .await;
}

#[tokio::test]
async fn refuses_other_origins() {
    within(async {
        let fixture = Fixture::new("origin");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let body = json!({"example": "hello"}).to_string();
        for origin in [
            "http://evil.example",
            "null",
            "http://127.0.0.1:3998",
            "http://127.0.0.1:3999.evil.example",
            "https://127.0.0.1:3999",
        ] {
            let answer = post_with(
                server.addr,
                &[
                    ("Host", &host),
                    ("Origin", origin),
                    ("X-Course-Token", &server.token),
                ],
                body.as_bytes(),
            )
            .await;
            assert_eq!(answer.status, 403, "origin {origin}");
            // Nor does a preflight from there get a CORS answer.
            let answer = client::send(
                server.addr,
                "OPTIONS",
                "/api/run",
                &[
                    ("Host", &host),
                    ("Origin", origin),
                    ("Access-Control-Request-Method", "POST"),
                    (
                        "Access-Control-Request-Headers",
                        "content-type, x-course-token",
                    ),
                ],
                b"",
            )
            .await
            .unwrap();
            assert_eq!(answer.status, 403, "preflight from {origin}");
            assert_eq!(answer.header("access-control-allow-origin"), None);
        }
        // Two Origin headers, one of them the book's.
        let answer = post_with(
            server.addr,
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("Origin", "http://evil.example"),
                ("X-Course-Token", &server.token),
            ],
            body.as_bytes(),
        )
        .await;
        assert_eq!(answer.status, 403, "two origins");
    })
    .await;
}

#[tokio::test]
async fn answers_the_books_preflight_and_names_it_in_cors_headers() {
    within(async {
        let fixture = Fixture::new("preflight");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let answer = client::send(
            server.addr,
            "OPTIONS",
            "/api/run",
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type, x-course-token",
                ),
            ],
            b"",
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 204);
        assert_eq!(answer.header("access-control-allow-origin"), Some(BOOK));
        let allowed = answer.header("access-control-allow-headers").unwrap();
        assert!(allowed.contains("x-course-token"), "{allowed}");
        // A preflight without Origin is no preflight.
        let answer = client::send(server.addr, "OPTIONS", "/api/run", &[("Host", &host)], b"")
            .await
            .unwrap();
        assert_eq!(answer.status, 403);

        let answer = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("access-control-allow-origin"), Some(BOOK));
        let answer = client::send(
            server.addr,
            "GET",
            "/api/status",
            &[
                ("Host", &host),
                ("Origin", BOOK),
                ("X-Course-Token", &server.token),
            ],
            b"",
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 200);
        let status: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        assert_eq!(
            status["python"],
            json!(course_runner::run::find_python().is_some())
        );
    })
    .await;
}

#[tokio::test]
async fn refuses_other_hosts_against_dns_rebinding() {
    within(async {
        let fixture = Fixture::new("host");
        let server = fixture.start(limits()).await;
        let port = server.addr.port();
        let body = json!({"example": "hello"}).to_string();
        let wrong = [
            Some(format!("evil.example:{port}")),
            Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
            Some("127.0.0.1".to_string()),
            Some(format!("127.0.0.1.nip.io:{port}")),
            Some(format!("[::1]:{port}")),
            None,
        ];
        for host in &wrong {
            let mut headers = vec![("Origin", BOOK), ("X-Course-Token", server.token.as_str())];
            if let Some(host) = host {
                headers.push(("Host", host));
            }
            let answer = post_with(server.addr, &headers, body.as_bytes()).await;
            assert_eq!(answer.status, 403, "Host {host:?}");
        }
        // The right ones.
        for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
            let headers = [
                ("Host", host.as_str()),
                ("Origin", BOOK),
                ("X-Course-Token", server.token.as_str()),
            ];
            let mut answer = post_with(server.addr, &headers, body.as_bytes()).await;
            assert_eq!(answer.status, 200, "Host {host}");
            answer.events(limit()).await.unwrap();
        }
    })
    .await;
}

/// A request that names its host or carries its secret twice, or whose target names another
/// host (absolute form, which RFC 9112 says overrides `Host`), is ambiguous: refused, whichever
/// copy comes first.
#[tokio::test]
async fn refuses_ambiguous_hosts_and_secrets() {
    within(async {
        let fixture = Fixture::new("ambiguous");
        let server = fixture.start(limits()).await;
        let port = server.addr.port();
        let (good, evil) = (host(server.addr), format!("evil.example:{port}"));
        let token = server.token.as_str();
        let body = json!({"example": "hello"}).to_string();
        type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);
        let cases: [Case; 5] = [
            (
                "Host twice",
                "/api/run".into(),
                vec![("Host", &good), ("Host", &evil)],
            ),
            (
                "Host twice",
                "/api/run".into(),
                vec![("Host", &good), ("Host", &good)],
            ),
            (
                "secret twice",
                "/api/run".into(),
                vec![("Host", &good), ("X-Course-Token", "bad")],
            ),
            (
                "absolute target",
                format!("http://{evil}/api/run"),
                vec![("Host", &good)],
            ),
            (
                "absolute target",
                format!("http://127.0.0.1:{}/api/run", port.wrapping_add(1)),
                vec![("Host", &good)],
            ),
        ];
        for (what, path, extra) in cases {
            let mut headers = vec![("Origin", BOOK), ("X-Course-Token", token)];
            headers.extend(extra);
            let answer = client::send(server.addr, "POST", &path, &headers, body.as_bytes())
                .await
                .unwrap();
            assert_eq!(answer.status, 403, "{what}: {path} {headers:?}");
        }
        // The absolute form that names this runner is fine.
        let path = format!("http://{good}/api/run");
        let headers = [
            ("Host", good.as_str()),
            ("Origin", BOOK),
            ("X-Course-Token", token),
        ];
        let mut answer = client::send(server.addr, "POST", &path, &headers, body.as_bytes())
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        answer.events(limit()).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn example_names_are_checked_against_the_examples_folder() {
    within(async {
        let fixture = Fixture::new("names");
        let server = fixture.start(limits()).await;
        for name in [
            "../secret",
            "..",
            "/bin/sh",
            "bin/hello",
            "hello/../hello",
            "hello.rs",
            "secret",
            "-h",
            "",
            "no-such-example",
        ] {
            for python in [false, true] {
                let answer = post_run(&server, json!({"example": name, "python": python})).await;
                assert_eq!(answer.status, 404, "{name:?} (python: {python})");
            }
            let answer = post_run(&server, json!({"example": name, "code": "fn main() {}"})).await;
            assert_eq!(answer.status, 404, "edited {name:?}");
        }
        // Nothing was compiled or written outside the scratch folder.
        assert!(
            !fixture
                .root
                .join("target/runner/..")
                .join("secret")
                .exists()
        );
        // Malformed requests.
        for body in [
            "{}".to_string(),
            "not json".to_string(),
            json!({"example": "hello", "extra": 1}).to_string(),
            json!({"example": "hello", "python": true, "code": "x"}).to_string(),
        ] {
            let host = host(server.addr);
            let answer = post_with(
                server.addr,
                &[
                    ("Host", &host),
                    ("Origin", BOOK),
                    ("X-Course-Token", &server.token),
                ],
                body.as_bytes(),
            )
            .await;
            assert_eq!(answer.status, 400, "{body}");
        }
    })
    .await;
}

#[tokio::test]
async fn refuses_a_body_over_the_size_cap() {
    within(async {
        let fixture = Fixture::new("body");
        let server = fixture.start(limits()).await;
        let code = "x".repeat(Limits::default().max_body + 1);
        let answer = post_run(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(answer.status, 413);
        assert!(!fixture.root.join("target/runner/hello").exists());
    })
    .await;
}

/// Every answer, a refusal too, forbids framing and referrers.
#[tokio::test]
async fn answers_may_not_be_framed() {
    within(async {
        let fixture = Fixture::new("frames");
        let server = fixture.start(limits()).await;
        let host = host(server.addr);
        let refused = post_with(server.addr, &[("Host", &host), ("Origin", BOOK)], b"{}").await;
        assert_eq!(refused.status, 403);
        let mut answer = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(answer.status, 200);
        for answer in [&refused, &answer] {
            let csp = answer.header("content-security-policy");
            assert_eq!(csp, Some("frame-ancestors 'none'"), "{:?}", answer.headers);
            assert_eq!(answer.header("x-frame-options"), Some("DENY"));
            assert_eq!(answer.header("referrer-policy"), Some("no-referrer"));
        }
        answer.events(limit()).await.unwrap();
    })
    .await;
}

/// The runner writes its secret to no file that others may read: started with its output
/// redirected to one, it refuses to start, and the file holds no secret.
#[tokio::test]
async fn the_secret_goes_to_no_file_others_can_read() {
    within(async {
        use std::os::unix::fs::PermissionsExt;
        let fixture = Fixture::new("secret-file");
        let log = fixture.root.join("runner.log");
        let file = std::fs::File::create(&log).unwrap();
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_course-runner"))
            .args(["--root"])
            .arg(&fixture.root)
            .args(["--book-port", "3999"])
            .stdin(std::process::Stdio::null())
            .stdout(file)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
            .wait_with_output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("others may read"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "");
        // A private file is fine: it gets the line with the secret.
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&log).unwrap();
        let mut runner = tokio::process::Command::new(env!("CARGO_BIN_EXE_course-runner"))
            .args(["--root"])
            .arg(&fixture.root)
            .args(["--book-port", "3999"])
            .stdin(std::process::Stdio::piped())
            .stdout(file)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !std::fs::read_to_string(&log).unwrap().contains("token=") {
            assert!(start.elapsed() < patience(), "the runner said nothing");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}
