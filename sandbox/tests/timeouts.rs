//! Connection read timeouts: slow headers, idle keep-alive connections and slow bodies are
//! closed once `SandboxConfig::read_timeout` passes; busy connections are not.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use authy_sandbox::{DEFAULT_READ_TIMEOUT, Sandbox, SandboxConfig};

const TIMEOUT: Duration = Duration::from_secs(1);
/// How long a test waits for the server to close a connection before calling it a failure.
const PATIENCE: Duration = Duration::from_secs(6);

fn sandbox(read_timeout: Option<Duration>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        read_timeout,
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

fn connect(sb: &Sandbox) -> TcpStream {
    let s = TcpStream::connect(sb.addr()).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.set_write_timeout(Some(PATIENCE)).unwrap();
    s
}

/// Reads until the server closes the connection; panics if it stays open for `PATIENCE`.
/// Returns whatever was received.
fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe) => {
                return got;
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("connection still open after {PATIENCE:?}")
            }
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

/// Reads one complete response (headers + Content-Length body); returns the status code.
fn read_response(s: &mut TcpStream) -> u16 {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().expect("numeric length"))
                .expect("content-length");
            if got.len() >= end + 4 + len {
                return head[9..12].parse().expect("status code");
            }
        }
        let n = s.read(&mut buf).expect("response arrives");
        assert!(n > 0, "closed before a full response");
        got.extend_from_slice(&buf[..n]);
    }
}

const REQUEST: &str =
    "GET /protected/json/app/details HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Authy-API-Key: ";

fn full_request(sb: &Sandbox) -> String {
    format!("{REQUEST}{}\r\n\r\n", sb.api_key())
}

#[test]
fn default_read_timeout_is_thirty_seconds() {
    assert_eq!(
        SandboxConfig::default().read_timeout,
        Some(DEFAULT_READ_TIMEOUT)
    );
    assert_eq!(DEFAULT_READ_TIMEOUT, Duration::from_secs(30));
}

#[test]
fn partial_header_is_closed_within_the_timeout() {
    let sb = sandbox(Some(TIMEOUT));
    let mut s = connect(&sb);
    let start = Instant::now();
    s.write_all(b"GET /protected/json/app/details HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let got = read_until_closed(&mut s);
    let waited = start.elapsed();
    assert!(waited >= TIMEOUT - Duration::from_millis(100), "{waited:?}");
    assert!(waited < TIMEOUT + Duration::from_secs(3), "{waited:?}");
    // Closed without serving the request (hyper may or may not say 408 first).
    let text = String::from_utf8_lossy(&got);
    assert!(got.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
}

#[test]
fn silent_connection_is_closed_within_the_timeout() {
    let sb = sandbox(Some(TIMEOUT));
    let mut s = connect(&sb);
    let start = Instant::now();
    let got = read_until_closed(&mut s);
    assert!(start.elapsed() < TIMEOUT + Duration::from_secs(3));
    assert!(
        got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
        "{got:?}"
    );
}

#[test]
fn idle_keep_alive_connection_is_closed_but_a_busy_one_is_not() {
    let sb = sandbox(Some(TIMEOUT));
    let mut s = connect(&sb);
    // Requests spaced 0.4 s apart keep the connection for well over one timeout.
    let start = Instant::now();
    for _ in 0..5 {
        s.write_all(full_request(&sb).as_bytes()).unwrap();
        assert_eq!(read_response(&mut s), 200);
        std::thread::sleep(Duration::from_millis(400));
    }
    assert!(start.elapsed() > TIMEOUT + Duration::from_millis(500));
    // A header that trickles in but completes in time is served too.
    s.write_all(REQUEST.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    s.write_all(format!("{}\r\n\r\n", sb.api_key()).as_bytes())
        .unwrap();
    assert_eq!(read_response(&mut s), 200);
    // Then, idle: closed after the timeout.
    let idle = Instant::now();
    let got = read_until_closed(&mut s);
    assert!(
        got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
        "{got:?}"
    );
    let waited = idle.elapsed();
    assert!(waited >= TIMEOUT - Duration::from_millis(100), "{waited:?}");
    assert!(waited < TIMEOUT + Duration::from_secs(3), "{waited:?}");
}

#[test]
fn slow_body_is_closed_without_an_answer() {
    let sb = sandbox(Some(TIMEOUT));
    let mut s = connect(&sb);
    let start = Instant::now();
    let head = format!(
        "POST /protected/json/users/new HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Authy-API-Key: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nuser",
        sb.api_key()
    );
    s.write_all(head.as_bytes()).unwrap();
    let got = read_until_closed(&mut s);
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    let waited = start.elapsed();
    assert!(waited >= TIMEOUT - Duration::from_millis(100), "{waited:?}");
    assert!(waited < TIMEOUT + Duration::from_secs(3), "{waited:?}");
    // The sandbox still serves new connections.
    let mut s = connect(&sb);
    s.write_all(full_request(&sb).as_bytes()).unwrap();
    assert_eq!(read_response(&mut s), 200);
}

#[test]
fn no_read_timeout_keeps_a_slow_client_waiting() {
    for read_timeout in [None, Some(Duration::ZERO)] {
        let sb = sandbox(read_timeout);
        let mut s = connect(&sb);
        s.write_all(REQUEST.as_bytes()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(1500)))
            .unwrap();
        let mut buf = [0u8; 64];
        let e = s.read(&mut buf).expect_err("still open, nothing answered");
        assert!(
            matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "{e}"
        );
        s.write_all(format!("{}\r\n\r\n", sb.api_key()).as_bytes())
            .unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        assert_eq!(read_response(&mut s), 200);
    }
}
