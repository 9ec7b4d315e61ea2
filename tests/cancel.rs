//! Cancelling calls (`Client::with_cancel`), per-call deadlines on the agent's own
//! configuration, and answers that are not HTTP — over real TCP (the sandbox, and raw loopback
//! servers where the sandbox cannot misbehave in the needed way).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use authy::{
    ApprovalRequestOptions, Cancel, Client, ErrorKind, FailOpenPolicy, Params, RetryPolicy,
    VerifyOptions, WaitOptions,
};
use common::{arm_fault, create_user, start, total_requests};

/// Cancels `token` after `after`, from another thread; the instant of the cancel comes back on
/// the channel.
fn cancel_later(token: &Cancel, after: Duration) -> mpsc::Receiver<Instant> {
    let (tx, rx) = mpsc::channel();
    let token = token.clone();
    thread::spawn(move || {
        thread::sleep(after);
        let at = Instant::now();
        token.cancel();
        let _ = tx.send(at);
    });
    rx
}

#[test]
fn a_cancel_interrupts_a_slow_call_within_milliseconds() {
    let (_sb, c) = start();
    let mut latencies = Vec::new();
    for _ in 0..5 {
        arm_fault(&c, "latency", &[("latency_ms", "3000")]);
        let token = Cancel::new();
        let fired = cancel_later(&token, Duration::from_millis(300));
        let started = Instant::now();
        let e = c.with_cancel(&token).app_details().unwrap_err();
        let returned = Instant::now();
        let at = fired.recv().unwrap();
        assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
        assert!(
            e.request_sent(),
            "the request was written before the cancel"
        );
        assert_eq!(e.attempts(), 1);
        assert!(
            returned - started < Duration::from_secs(2),
            "{:?}",
            returned - started
        );
        latencies.push(returned.saturating_duration_since(at));
        let _ = c.request("DELETE", "/sandbox/faults", &Params::new());
    }
    latencies.sort();
    let max = *latencies.last().unwrap();
    eprintln!("cancel latency: p50 {:?}, max {:?}", latencies[2], max);
    assert!(max < Duration::from_millis(50), "{latencies:?}");
    // The client is still fine for the next call.
    assert!(c.app_details().unwrap().ok());
}

#[test]
fn a_cancelled_token_stops_a_call_before_any_io() {
    let (_sb, c) = start();
    let before = total_requests(&c);
    let token = Cancel::new();
    token.cancel();
    assert!(token.is_cancelled());
    let e = c.with_cancel(&token).app_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(!e.request_sent());
    assert_eq!(e.attempts(), 0);
    assert_eq!(total_requests(&c), before, "nothing reached the server");
    // The token is carried by with_timeout and the timeout by with_cancel.
    let both = c
        .with_timeout(Duration::from_millis(1234))
        .unwrap()
        .with_cancel(&token);
    assert_eq!(both.timeout(), Duration::from_millis(1234));
    let e = both.with_timeout(Duration::from_secs(1)).unwrap();
    assert_eq!(e.app_details().unwrap_err().kind(), ErrorKind::Cancelled);
}

#[test]
fn a_cancel_stops_the_wait_between_retries() {
    let (sb, _) = start();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .timeout(Duration::from_secs(20))
        .retries(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(8),
            max_backoff: Duration::from_secs(8),
        })
        .build()
        .unwrap();
    arm_fault(&c, "status_5xx", &[("count", "3")]);
    let token = Cancel::new();
    let fired = cancel_later(&token, Duration::from_millis(300));
    let e = c.with_cancel(&token).app_details().unwrap_err();
    let late = fired.recv().unwrap().elapsed();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(e.request_sent() && e.attempts() == 1, "{e:?}");
    assert!(late < Duration::from_millis(50), "{late:?}");
}

#[test]
fn a_cancel_stops_a_wait_for_approval_between_two_polls() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-700-1000");
    let req = c
        .create_approval_request(&id, "Log in?", &ApprovalRequestOptions::default())
        .unwrap();
    let uuid = req.approval_uuid().unwrap();
    let token = Cancel::new();
    let fired = cancel_later(&token, Duration::from_millis(300));
    let wait = WaitOptions {
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(60),
    };
    let e = c
        .with_cancel(&token)
        .wait_for_approval(uuid, &wait)
        .unwrap_err();
    let late = fired.recv().unwrap().elapsed();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(late < Duration::from_millis(50), "{late:?}");
}

/// A loopback server that never answers: it reports each accepted connection, then how many
/// bytes it read from it before the client closed it.
fn silent_server() -> (String, mpsc::Receiver<(usize, usize)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let tx = tx.clone();
            thread::spawn(move || {
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let mut total = 0;
                let mut buf = [0u8; 4096];
                while let Ok(k) = stream.read(&mut buf) {
                    if k == 0 {
                        break;
                    }
                    total += k;
                }
                let _ = tx.send((n, total));
            });
        }
    });
    (base, rx)
}

/// A listener on 127.0.0.1 whose accept queue is full and never drained: the handshake of
/// one more connection to it never completes (the kernel drops its SYNs), as with a host that
/// does not answer. Keep the returned streams and listener alive while it is used.
fn unanswered_listener() -> (String, TcpListener, Vec<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // std listens with a backlog of 128: the queue holds 129 connections nobody accepts.
    let mut held = Vec::new();
    while held.len() < 1024 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(s) => held.push(s),
            Err(_) => return (format!("http://{addr}"), listener, held),
        }
    }
    panic!("the accept queue never filled");
}

#[test]
fn a_cancel_aborts_a_connect_in_progress() {
    let (base, _listener, _held) = unanswered_listener();
    let c = Client::builder("k-123")
        .base_url(base)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = Cancel::new();
    let fired = cancel_later(&token, Duration::from_millis(200));
    let t = Instant::now();
    let e = c.with_cancel(&token).app_details().unwrap_err();
    let took = t.elapsed();
    let late = fired.recv().unwrap().elapsed();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(!e.request_sent(), "{e}");
    // Ends with the cancel, not with the 10 s connect timeout.
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(late < Duration::from_secs(1), "{late:?}");
}

#[test]
fn a_cancelled_connection_is_closed_and_never_reused() {
    let (base, closed) = silent_server();
    let c = Client::builder("k-123")
        .base_url(base)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for round in 0..2 {
        let token = Cancel::new();
        let _fired = cancel_later(&token, Duration::from_millis(100));
        let e = c.with_cancel(&token).app_details().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled);
        assert!(e.request_sent());
        // The server sees this round's connection closed by the client: a new connection each
        // time (connection `round`), never the cancelled one again.
        let (conn, read) = closed.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(conn, round);
        assert!(read > 0, "the request was written");
    }
}

#[test]
fn per_call_deadlines_shorter_and_longer_than_the_clients_timeout() {
    let (sb, _) = start();
    let c = Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // Longer than the built timeout: the agent no longer caps it.
    arm_fault(&c, "latency", &[("latency_ms", "600")]);
    let longer = c.with_timeout(Duration::from_secs(5)).unwrap();
    assert!(longer.app_details().unwrap().ok());
    // The built one still applies to the client itself.
    arm_fault(&c, "latency", &[("latency_ms", "600")]);
    let t = Instant::now();
    assert_eq!(c.app_details().unwrap_err().kind(), ErrorKind::Timeout);
    assert!(
        t.elapsed() < Duration::from_millis(550),
        "{:?}",
        t.elapsed()
    );
    // Shorter.
    arm_fault(&c, "latency", &[("latency_ms", "600")]);
    let t = Instant::now();
    let e = c
        .with_timeout(Duration::from_millis(100))
        .unwrap()
        .app_details()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(
        t.elapsed() >= Duration::from_millis(100) && t.elapsed() < Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn a_deadline_bounds_a_server_that_never_answers() {
    let (base, _closed) = silent_server();
    let c = Client::builder("k-123").base_url(base).build().unwrap();
    let t = Instant::now();
    let e = c
        .with_timeout(Duration::from_millis(200))
        .unwrap()
        .app_details()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.request_sent());
    assert!(
        t.elapsed() < Duration::from_millis(1000),
        "{:?}",
        t.elapsed()
    );
}

// ---------------------------------------------------------------- answers that are not HTTP

/// Answers every connection with `raw` (after reading the request head), then closes it.
fn raw_server(raw: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            thread::spawn(move || serve_raw(stream, raw));
        }
    });
    base
}

fn serve_raw(stream: TcpStream, raw: &[u8]) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let mut stream = stream;
    let _ = stream.write_all(raw);
    let _ = stream.flush();
}

const MALFORMED: [(&str, &[u8]); 5] = [
    (
        "bad status line",
        b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\n{}",
    ),
    (
        "bad chunk size",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    ),
    (
        "conflicting Content-Length",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
    ),
    ("SSH banner", b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
    ("SMTP banner", b"220 mail.example.com ESMTP Postfix\r\n"),
];

#[test]
fn answers_that_are_not_http_are_io_errors_and_fail_open_denies_them() {
    for (what, raw) in MALFORMED {
        let base = raw_server(raw);
        let c = Client::builder("k-123")
            .base_url(base)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let e = c.app_details().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io, "{what}: {e}");
        assert!(e.request_sent(), "{what}");
        let verdict = c.verify_token_fail_open(
            "1234",
            "0000000",
            &VerifyOptions::default(),
            &FailOpenPolicy::default(),
        );
        let e = verdict.expect_err(what);
        assert_eq!(e.kind(), ErrorKind::Io, "{what}: {e}");
    }
}

#[test]
fn a_cut_off_answer_is_still_truncated_and_fail_open_accepts_it() {
    // Headers, then the connection closes before the announced body: a real HTTP answer cut off.
    let base = raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"tok");
    let c = Client::builder("k-123")
        .base_url(base)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(c.app_details().unwrap_err().kind(), ErrorKind::Truncated);
    let verdict = c
        .verify_token_fail_open(
            "1234",
            "0000000",
            &VerifyOptions::default(),
            &FailOpenPolicy::default(),
        )
        .unwrap();
    assert_eq!(verdict, authy::Verdict::AcceptedApiUnreachable);
}
