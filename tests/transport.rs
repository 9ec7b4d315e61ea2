//! Transport behaviour over real HTTP: what goes on the wire, faults, timeouts, failover to
//! the secondary base URL, TLS failures, fail-open verdicts, and concurrent use.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use authy::{
    Client, CreateUserOptions, ErrorKind, FailOpenPolicy, Params, SmsOptions, Verdict,
    VerifyOptions,
};
use authy_sandbox::{Sandbox, SandboxConfig, TlsMode};
use common::{
    arm_fault, closed_port, control, create_user, last_code, start, total_requests, wrong_token,
};

// ---------------------------------------------------------------- on the wire

/// One HTTP request as a minimal loopback server saw it.
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves exactly one request on 127.0.0.1 with a canned raw response, and reports what
/// it received.
fn one_shot_server(raw_response: &'static str) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut headers = Vec::new();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end().to_string();
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap();
            }
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let mut stream = stream;
        stream.write_all(raw_response.as_bytes()).unwrap();
        stream.flush().unwrap();
        tx.send(Seen {
            request_line: request_line.trim_end().to_string(),
            headers,
            body: String::from_utf8(body).unwrap(),
        })
        .unwrap();
    });
    (base, rx)
}

const OK_JSON: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"success\":true}";

fn client_for(base: &str, key: &str) -> Client {
    Client::builder(key)
        .base_url(base)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .user_agent_suffix("tests/1.0")
        .build()
        .unwrap()
}

#[test]
fn key_only_in_header_form_body_and_user_agent() {
    let (base, rx) = one_shot_server(OK_JSON);
    let key = "wire-check-key-0123456789";
    let c = client_for(&base, key);
    let resp = c
        .create_approval_request(
            "42",
            "Log in & pay?",
            &authy::ApprovalRequestOptions {
                details: vec![("User name".into(), "a=b".into())],
                logos: vec![authy::Logo::new("default", "https://e.com/l.png")],
                ..Default::default()
            },
        )
        .unwrap();
    assert!(resp.ok());
    let seen = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        seen.request_line,
        "POST /onetouch/json/users/42/approval_requests HTTP/1.1"
    );
    assert!(!seen.request_line.contains(key));
    assert!(!seen.body.contains(key));
    assert_eq!(seen.header("X-Authy-API-Key"), Some(key));
    assert_eq!(
        seen.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        seen.body,
        "message=Log+in+%26+pay%3F&details%5BUser+name%5D=a%3Db\
         &logos%5B%5D%5Bres%5D=default&logos%5B%5D%5Burl%5D=https%3A%2F%2Fe.com%2Fl.png"
    );
    let ua = seen.header("User-Agent").unwrap();
    assert_eq!(ua, c.user_agent());
    assert!(ua.starts_with(&format!("libauthy/{} (", env!("CARGO_PKG_VERSION"))));
    assert!(ua.ends_with(") tests/1.0"), "{ua}");
}

#[test]
fn get_parameters_go_in_the_query_string() {
    let (base, rx) = one_shot_server(OK_JSON);
    let c = client_for(&base, "k-123");
    let resp = c
        .request_sms(
            "7",
            &SmsOptions {
                force: true,
                action: Some("login".into()),
                action_message: Some("Log in to Acme".into()),
                locale: None,
            },
        )
        .unwrap();
    assert!(resp.ok());
    let seen = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        seen.request_line,
        "GET /protected/json/sms/7?force=true&action=login&action_message=Log+in+to+Acme HTTP/1.1"
    );
    assert!(seen.body.is_empty());
}

#[test]
fn raw_request_to_the_verify_path_uses_token_check_semantics() {
    // A 200 without "token":"is valid" (a captive portal, a misrouted request) is not a valid
    // token, even through the raw escape hatch.
    let (base, rx) = one_shot_server(OK_JSON);
    let c = client_for(&base, "k-123");
    let resp = c
        .request("GET", "/protected/json/verify/1234567/42", &Params::new())
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.is_token_check());
    assert!(!resp.ok());
    assert!(resp.error().is_some());
    assert!(resp.into_result().is_err());
    let seen = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        seen.request_line,
        "GET /protected/json/verify/1234567/42 HTTP/1.1"
    );
    // Other paths keep plain 200 semantics.
    let (base, _rx) = one_shot_server(OK_JSON);
    let resp = client_for(&base, "k-123")
        .request("GET", "/protected/json/app/details", &Params::new())
        .unwrap();
    assert!(!resp.is_token_check());
    assert!(resp.ok());
}

#[test]
fn raw_request_to_the_verify_path_against_the_sandbox() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-100-9000");
    assert!(c.request_sms(&id, &SmsOptions::default()).unwrap().ok());
    let code = last_code(&c, &id);
    let wrong = wrong_token(&code);
    let resp = c
        .request(
            "GET",
            &format!("/protected/json/verify/{wrong}/{id}"),
            &Params::new(),
        )
        .unwrap();
    assert!(resp.is_token_check() && !resp.ok());
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::InvalidToken);
    let resp = c
        .request(
            "GET",
            &format!("/protected/json/verify/{code}/{id}"),
            &Params::new(),
        )
        .unwrap();
    assert!(resp.is_token_check());
    assert!(resp.ok(), "{}", resp.body());
}

#[test]
fn redirects_are_not_followed() {
    let (base, rx) = one_shot_server(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let c = client_for(&base, "k-123");
    let resp = c.app_details().unwrap();
    rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::ApiError);
}

// ---------------------------------------------------------------- faults

#[test]
fn server_error_with_html_body_is_a_response() {
    let (_sb, c) = start();
    arm_fault(&c, "status_5xx", &[("status", "502")]);
    let resp = c.app_details().unwrap();
    assert_eq!(resp.status(), 502);
    assert!(resp.json().is_none());
    assert!(resp.body().contains("502"));
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert_eq!(e.http_status(), Some(502));
}

#[test]
fn invalid_json_on_200_is_a_decode_error() {
    let (_sb, c) = start();
    arm_fault(&c, "invalid_json", &[]);
    let e = c.app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    // An answer came: its status is on the error (no answer at all has none).
    assert_eq!(e.http_status(), Some(200));
}

#[test]
fn oversized_body_is_a_decode_error() {
    let (_sb, c) = start();
    arm_fault(&c, "oversized", &[]);
    let e = c.app_stats().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("too large"), "{e}");
    // The client stays usable.
    assert!(c.app_stats().unwrap().ok());
}

/// An answer whose header and body are sizes around the connection buffers (16 KiB each way,
/// headers capped at 12 KiB): bodies stream through, a header up to the cap is read, a larger
/// one is refused as too large (never a hang or a panic).
fn answer_with(header_bytes: usize, body_bytes: usize) -> &'static str {
    let body = format!(
        "{{\"success\":true,\"pad\":\"{}\"}}",
        "x".repeat(body_bytes)
    );
    let text = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        "p".repeat(header_bytes),
        body.len()
    );
    Box::leak(text.into_boxed_str())
}

#[test]
fn answers_larger_than_the_connection_buffers() {
    // A 512 KiB body (32 input buffers) and an 11 KiB header: read whole.
    let (base, _seen) = one_shot_server(answer_with(11 * 1024, 512 * 1024));
    let resp = client_for(&base, "k").app_details().unwrap();
    assert!(resp.ok());
    let pad = resp
        .json()
        .and_then(|j| j.pointer("/pad"))
        .and_then(|v| v.as_str());
    assert_eq!(pad.map(str::len), Some(512 * 1024));
    // A 13 KiB header: over the 12 KiB cap.
    let (base, _seen) = one_shot_server(answer_with(13 * 1024, 10));
    let e = client_for(&base, "k").app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.message().contains("headers too large"), "{e}");
}

#[test]
fn broken_connections_are_told_apart() {
    let (_sb, c) = start();
    let id = create_user(&c, "201-555-0123");
    // A call with a side effect is never sent twice: the fault is what the caller sees.
    for (kind, want) in [
        ("close", ErrorKind::NoResponse),
        ("reset", ErrorKind::Truncated), // headers + half the body, then a TCP RST
        ("truncated", ErrorKind::Truncated),
    ] {
        arm_fault(&c, kind, &[]);
        let e = c.request_sms(&id, &SmsOptions::default()).unwrap_err();
        assert_eq!(e.kind(), want, "{kind}: {e}");
        assert!(
            e.request_sent(),
            "{kind}: the request may have reached the server"
        );
        assert_eq!(e.attempts(), 1, "{kind}");
        assert!(c.app_details().unwrap().ok(), "usable after {kind}");
    }
}

#[test]
fn rate_limit_is_rate_limited() {
    let (_sb, c) = start();
    arm_fault(&c, "rate_limit", &[]);
    let resp = c.app_details().unwrap();
    assert_eq!(resp.status(), 429);
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.authy_code(), Some("60003"));
}

#[test]
fn latency_beyond_the_timeout_is_a_timeout() {
    let sb = common::sandbox();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .connect_timeout(Duration::from_secs(1))
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    arm_fault(&c, "latency", &[("latency_ms", "3000")]);
    let started = Instant::now();
    let e = c.app_details().unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

#[test]
fn closed_port_is_a_connect_error() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    let c = client_for(&base, "k-123");
    let started = Instant::now();
    let e = c.app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

// ---------------------------------------------------------------- failover

#[test]
fn secondary_base_url_is_used_when_the_primary_cannot_be_connected_to() {
    let sb = common::sandbox();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .secondary_base_url(sb.base_url().to_string())
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let id = create_user(&c, "555-400-1000");
    let resp = c.request_sms(&id, &SmsOptions::default()).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let code = last_code(&c, &id);
    assert!(
        c.verify_token(&id, &code, &VerifyOptions::default())
            .unwrap()
            .ok()
    );
}

#[test]
fn no_failover_once_the_request_was_sent() {
    let primary = common::sandbox();
    let secondary = common::sandbox();
    let c = Client::builder(primary.api_key().to_string())
        .base_url(primary.base_url().to_string())
        .secondary_base_url(secondary.base_url().to_string())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let direct_secondary = common::client(&secondary);
    let before = total_requests(&direct_secondary);
    let id = create_user(&c, "201-555-0124");
    arm_fault(&c, "close", &[]);
    let e = c.request_sms(&id, &SmsOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoResponse, "{e}");
    assert_eq!(total_requests(&direct_secondary), before);
    arm_fault(&c, "status_5xx", &[]);
    assert_eq!(c.app_details().unwrap().status(), 503);
    assert_eq!(total_requests(&direct_secondary), before);
}

// ---------------------------------------------------------------- name resolution

#[test]
fn a_host_name_is_resolved() {
    let sb = common::sandbox();
    let c = client_for(&format!("http://localhost:{}", sb.port()), sb.api_key());
    for _ in 0..3 {
        let resp = c.app_details().unwrap();
        assert!(resp.ok(), "{}", resp.body());
    }
}

#[test]
fn an_unresolvable_name_is_a_dns_error() {
    // `.invalid` never resolves (RFC 6761): answered without asking any DNS server.
    let c = client_for("https://api.authy.invalid", "k-123");
    for _ in 0..2 {
        let started = Instant::now();
        let e = c.app_details().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Dns, "{e}");
        assert!(e.message().contains("api.authy.invalid"), "{e}");
        assert!(!e.message().contains("k-123"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}

#[test]
fn secondary_base_url_is_used_when_the_primary_does_not_resolve() {
    let sb = common::sandbox();
    let c = Client::builder(sb.api_key().to_string())
        .base_url("https://api.authy.invalid")
        .secondary_base_url(format!("http://localhost:{}", sb.port()))
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    for _ in 0..2 {
        let resp = c.app_details().unwrap();
        assert!(resp.ok(), "{}", resp.body());
    }
    assert_eq!(total_requests(&common::client(&sb)), 2);
}

#[test]
fn a_proxy_given_by_name_is_resolved() {
    let sb = common::sandbox();
    let (port, heads) = connect_proxy("HTTP/1.1 200 Connection established\r\n\r\n", 1);
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .proxy(format!("http://localhost:{port}"))
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(c.app_details().unwrap().ok());
    heads.recv_timeout(Duration::from_secs(5)).unwrap();
}

// ---------------------------------------------------------------- connection pool

/// A keep-alive HTTP/1.1 server on 127.0.0.1 for up to `max_connections` connections:
/// answers every GET with `{"success":true}` and keeps the connection open (each one is
/// closed after 5 s without a request). Returns its base URL and the count of accepted
/// connections.
/// The answer of the loopback servers below.
const SUCCESS: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"success\":true}";

/// A server on 127.0.0.1 that accepts up to `max_connections` and runs `serve` on each (its
/// reader and writer) in a thread of its own; counts the connections.
fn loopback_server(
    max_connections: usize,
    serve: impl Fn(BufReader<std::net::TcpStream>, std::net::TcpStream) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    let serve = Arc::new(serve);
    thread::spawn(move || {
        for _ in 0..max_connections {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let serve = Arc::clone(&serve);
            thread::spawn(move || {
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let writer = stream.try_clone().unwrap();
                serve(BufReader::new(stream), writer);
            });
        }
    });
    (base, accepted)
}

/// Reads one request head (GET: no body); `false` when the connection ended first.
fn read_request_head(reader: &mut BufReader<std::net::TcpStream>) -> bool {
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line == "\r\n" => return true,
            Ok(_) => {}
        }
    }
}

/// Answers every request of every connection with [`SUCCESS`], keeping connections open.
fn keep_alive_server(max_connections: usize) -> (String, Arc<AtomicUsize>) {
    slow_keep_alive_server(max_connections, Duration::ZERO)
}

/// [`keep_alive_server`] that waits `delay` before each answer (so that calls overlap).
fn slow_keep_alive_server(max_connections: usize, delay: Duration) -> (String, Arc<AtomicUsize>) {
    loopback_server(max_connections, move |mut reader, mut writer| {
        while read_request_head(&mut reader) {
            thread::sleep(delay);
            if writer.write_all(SUCCESS).is_err() {
                return;
            }
        }
    })
}

#[test]
fn threads_sharing_a_client_reuse_pooled_connections() {
    let (base, accepted) = keep_alive_server(500);
    let c = client_for(&base, "k-123");
    assert_eq!(c.max_idle_connections_per_host(), 32);
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (c, barrier) = (c.clone(), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                for _ in 0..25 {
                    assert!(c.app_details().unwrap().ok());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // A new connection is opened only while every pooled one is busy: never more than
    // the number of threads (ureq's default of 3 idle per host reconnected constantly).
    let n = accepted.load(Ordering::SeqCst);
    assert!((1..=threads).contains(&n), "{n} connections for 200 calls");

    // As many threads as the default idle limit (32, split over each client's pool shards),
    // for each of two clients whose threads first called in turns (A, B, A, B...): each client
    // spreads its own threads over its shards, so no connection is closed and reopened, round
    // after round (the server holds each answer 30 ms, so that the calls of a round overlap).
    let slow = Duration::from_millis(30);
    let (base_a, accepted_a) = slow_keep_alive_server(1000, slow);
    let (base_b, accepted_b) = slow_keep_alive_server(1000, slow);
    let (ca, cb) = (client_for(&base_a, "k-123"), client_for(&base_b, "k-123"));
    let barrier = Arc::new(Barrier::new(64));
    let mut handles = Vec::new();
    for i in 0..64 {
        let c = if i % 2 == 0 { ca.clone() } else { cb.clone() };
        let barrier = Arc::clone(&barrier);
        let (first_done, wait_first) = mpsc::channel();
        handles.push(thread::spawn(move || {
            assert!(c.app_details().unwrap().ok());
            first_done.send(()).unwrap();
            for _ in 0..10 {
                barrier.wait();
                assert!(c.app_details().unwrap().ok());
            }
        }));
        wait_first.recv().unwrap();
    }
    for h in handles {
        h.join().unwrap();
    }
    for (name, accepted) in [("A", &accepted_a), ("B", &accepted_b)] {
        let n = accepted.load(Ordering::SeqCst);
        assert!(
            (1..=32).contains(&n),
            "client {name}: {n} connections for 32 threads x 11 calls"
        );
    }

    // With no idle connection kept, every request opens its own.
    let c = Client::builder("k-123")
        .base_url(&base)
        .max_idle_connections_per_host(0)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    for _ in 0..5 {
        assert!(c.app_details().unwrap().ok());
    }
    assert_eq!(accepted.load(Ordering::SeqCst), n + 5);
}

/// A server whose every connection answers one request, then writes bytes nobody asked for
/// and keeps the connection open (`junk`), or closes it.
fn one_answer_per_connection(junk: bool) -> (String, Arc<AtomicUsize>) {
    loopback_server(20, move |mut reader, mut writer| {
        if !read_request_head(&mut reader) {
            return;
        }
        let _ = writer.write_all(SUCCESS);
        if junk {
            // Whatever the client sends next on this connection would be answered by these.
            thread::sleep(Duration::from_millis(20));
            let _ = writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
            thread::sleep(Duration::from_secs(5));
        }
    })
}

/// The connection a call is answered on is probed before the next request is written on it
/// (the probe after reading the answer is skipped): an answer followed by stray bytes, or by a
/// close, never serves the next call.
#[test]
fn a_connection_with_bytes_after_the_answer_or_closed_is_not_reused() {
    for junk in [true, false] {
        let (base, accepted) = one_answer_per_connection(junk);
        let c = client_for(&base, "k-123");
        for i in 1..=4 {
            let r = c.app_details().unwrap();
            assert!(r.ok(), "junk {junk}, call {i}");
            assert_eq!(r.body(), "{\"success\":true}", "junk {junk}, call {i}");
            assert_eq!(r.attempts(), 1, "junk {junk}, call {i}");
            // Let the stray bytes (or the close) arrive before the next call.
            thread::sleep(Duration::from_millis(60));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 4, "junk {junk}");
    }
}

// ---------------------------------------------------------------- TLS

#[test]
fn untrusted_certificate_is_a_tls_error() {
    let sb = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    let base = sb.base_url().to_string();
    assert!(base.starts_with("https://"), "{base}");
    // No custom CA option yet: the bundled roots must reject the self-signed certificate,
    // and the failure must not trigger failover or be reported as a plain I/O error.
    let c = Client::builder(sb.api_key().to_string())
        .base_url(base)
        .secondary_base_url(format!("http://127.0.0.1:{}", closed_port()))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let e = c.app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
}

#[test]
fn trusted_private_ca_works_over_https() {
    let sb = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    let pem = sb.ca_pem().expect("a CA PEM in TLS mode");
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .root_ca_pem(pem.to_string())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let id = create_user(&c, "555-700-1000");
    assert!(c.request_sms(&id, &SmsOptions::default()).unwrap().ok());
    let code = last_code(&c, &id);
    let resp = c
        .verify_token(&id, &code, &VerifyOptions::default())
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());

    // Trusting some other CA is not enough.
    let other = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .root_ca_pem(other.ca_pem().unwrap().to_string())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(c.app_details().unwrap_err().kind(), ErrorKind::Tls);
}

// ---------------------------------------------------------------- proxy

/// A minimal HTTP CONNECT proxy on 127.0.0.1 for `tunnels` connections: it records each
/// CONNECT head, answers with `status_line`, and on 200 relays bytes both ways.
fn connect_proxy(status_line: &'static str, tunnels: usize) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for _ in 0..tunnels {
            let (mut client, _) = listener.accept().unwrap();
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(client.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let target = head.split_whitespace().nth(1).unwrap().to_string();
            tx.send(head).unwrap();
            client.write_all(status_line.as_bytes()).unwrap();
            if !status_line.contains(" 200 ") {
                continue;
            }
            let upstream = std::net::TcpStream::connect(target).unwrap();
            let (mut up_r, mut up_w) = (upstream.try_clone().unwrap(), upstream);
            let mut down_w = client;
            thread::spawn(move || {
                let _ = std::io::copy(&mut reader, &mut up_w);
                let _ = up_w.shutdown(std::net::Shutdown::Write);
            });
            thread::spawn(move || {
                let _ = std::io::copy(&mut up_r, &mut down_w);
                let _ = down_w.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (port, rx)
}

#[test]
fn requests_go_through_an_explicit_connect_proxy() {
    let sb = common::sandbox();
    let (port, heads) = connect_proxy("HTTP/1.1 200 Connection established\r\n\r\n", 1);
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .proxy(format!("http://user:s3cret@127.0.0.1:{port}"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("s3cret"));
    let id = create_user(&c, "555-800-1000");
    assert!(c.user_status(&id).unwrap().ok());
    let head = heads.recv_timeout(Duration::from_secs(5)).unwrap();
    let sandbox_addr = sb.base_url().trim_start_matches("http://").to_string();
    assert!(
        head.starts_with(&format!("CONNECT {sandbox_addr} HTTP/1.1")),
        "{head}"
    );
    // Basic base64("user:s3cret"); the CONNECT head carries no API key.
    assert!(head.contains("dXNlcjpzM2NyZXQ="), "{head}");
    assert!(!head.contains(sb.api_key()), "{head}");
}

/// A client whose every call goes through the proxy on `port` to a base URL it never reaches.
fn client_behind_proxy(port: u16) -> Client {
    Client::builder("k-123")
        .base_url("http://127.0.0.1:9")
        .proxy(format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[test]
fn a_refusing_proxy_is_a_connect_error() {
    let (port, heads) = connect_proxy(
        "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
        1,
    );
    let c = client_behind_proxy(port);
    let e = c.app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(e.message().contains("407"), "{e}");
    heads.recv_timeout(Duration::from_secs(5)).unwrap();
}

/// A proxy that closes the tunnel before answering its CONNECT: the API's request never
/// left (the CONNECT request is the proxy's), so the error says nothing was sent, also for a
/// call with a side effect.
#[test]
fn a_tunnel_that_closes_before_it_is_up_sent_nothing() {
    let (port, heads) = connect_proxy("", 1);
    let c = client_behind_proxy(port);
    let e = c
        .create_user(
            "a@example.com",
            "555-800-1001",
            &CreateUserOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(!e.request_sent(), "{e}");
    heads.recv_timeout(Duration::from_secs(5)).unwrap();
}

// ---------------------------------------------------------------- fail-open

#[test]
fn fail_open_verdicts() {
    let (_sb, c) = start();
    let policy = FailOpenPolicy::default();
    let id = create_user(&c, "555-500-1000");
    assert!(c.request_sms(&id, &SmsOptions::default()).unwrap().ok());
    let code = last_code(&c, &id);
    let wrong = wrong_token(&code);
    let opts = VerifyOptions::default();

    assert_eq!(
        c.verify_token_fail_open(&id, wrong, &opts, &policy)
            .unwrap(),
        Verdict::Invalid
    );
    // 5xx with an HTML body (no Authy error_code, like a proxy's error page): accepted, but
    // never reported as Valid.
    arm_fault(&c, "status_5xx", &[]);
    let page = c.verify_token(&id, wrong, &opts).unwrap();
    assert!(
        page.status() >= 500 && page.json().is_none(),
        "{}",
        page.body()
    );
    assert_eq!(page.error().unwrap().kind(), ErrorKind::ServerError);
    arm_fault(&c, "status_5xx", &[("status", "502")]);
    assert_eq!(
        c.verify_token_fail_open(&id, wrong, &opts, &policy)
            .unwrap(),
        Verdict::AcceptedApiUnreachable
    );
    // 429: refused by the default policy.
    arm_fault(&c, "rate_limit", &[]);
    assert_eq!(
        c.verify_token_fail_open(&id, wrong, &opts, &policy)
            .unwrap(),
        Verdict::Invalid
    );
    // Unknown user (4xx): never accepted.
    assert_eq!(
        c.verify_token_fail_open("9999999", wrong, &opts, &policy)
            .unwrap(),
        Verdict::Invalid
    );
    // Invalid arguments: no verdict at all.
    assert_eq!(
        c.verify_token_fail_open(&id, "12", &opts, &policy)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        c.verify_token_fail_open(&id, &code, &opts, &policy)
            .unwrap(),
        Verdict::Valid
    );

    // A closed port: accepted by default, refused (no verdict) by a strict policy.
    let dead = client_for(&format!("http://127.0.0.1:{}", closed_port()), "k-123");
    assert_eq!(
        dead.verify_token_fail_open(&id, &code, &opts, &policy)
            .unwrap(),
        Verdict::AcceptedApiUnreachable
    );
    let strict = FailOpenPolicy {
        accept_on_transport_error: false,
        ..policy
    };
    assert_eq!(
        dead.verify_token_fail_open(&id, &code, &opts, &strict)
            .unwrap_err()
            .kind(),
        ErrorKind::Connect
    );
}

#[test]
fn fail_open_on_timeout() {
    let sb = common::sandbox();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let id = create_user(&c, "555-500-2000");
    arm_fault(&c, "latency", &[("latency_ms", "2500")]);
    let started = Instant::now();
    let v = c
        .verify_token_fail_open(
            &id,
            "1234567",
            &VerifyOptions::default(),
            &FailOpenPolicy::default(),
        )
        .unwrap();
    assert_eq!(v, Verdict::AcceptedApiUnreachable);
    assert!(started.elapsed() < Duration::from_millis(2200));
}

// ---------------------------------------------------------------- concurrency

#[test]
fn eight_threads_share_one_client() {
    let (_sb, c) = start();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let c = c.clone();
            thread::spawn(move || {
                let id = create_user(&c, &format!("555-600-{:04}", 1000 + i));
                for _ in 0..3 {
                    let resp = c.request_sms(&id, &SmsOptions::default()).unwrap();
                    assert!(resp.ok(), "{}", resp.body());
                    let code = last_code(&c, &id);
                    let resp = c
                        .verify_token(&id, &code, &VerifyOptions::default())
                        .unwrap();
                    assert!(resp.ok(), "{}", resp.body());
                }
                id
            })
        })
        .collect();
    let mut ids: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "every thread got its own user");
    let resp = control(&c, "GET", "/sandbox/requests", &Params::new());
    assert!(resp.pointer("/total").unwrap().as_u64().unwrap() >= 8 * 7);
}
