//! Per-call deadlines keep the agent's TLS configuration: a client whose every call has a
//! deadline of its own (`Client::with_timeout`, what a Go `context` deadline or a Ruby
//! `timeout:` becomes) resumes TLS sessions on new connections instead of making a full
//! handshake with a freshly built rustls configuration each time.
//!
//! The server is a small TLS server of this test (rustls, blocking) that counts full and
//! resumed handshakes and answers each request with a fixed JSON body, then closes; the client
//! keeps no idle connection, so each call opens a new one.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use authy::Client;
use rustls::{HandshakeKind, ServerConnection, StreamOwned};

#[derive(Default)]
struct Counts {
    full: AtomicUsize,
    resumed: AtomicUsize,
}

/// Starts the server on 127.0.0.1; returns its base URL, the CA PEM to trust and the counts.
fn tls_server() -> (String, String, Arc<Counts>) {
    let (config, listener, base, ca_pem) = common::tls_listener();
    let counts = Arc::new(Counts::default());
    let seen = Arc::clone(&counts);
    thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            let conn = ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = StreamOwned::new(conn, tcp);
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            // The request head (GET: no body).
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            match tls.conn.handshake_kind() {
                Some(HandshakeKind::Resumed) => seen.resumed.fetch_add(1, Ordering::SeqCst),
                Some(_) => seen.full.fetch_add(1, Ordering::SeqCst),
                None => 0,
            };
            let body = r#"{"app":{"name":"resumption test"},"success":true}"#;
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    (base, ca_pem, counts)
}

#[test]
fn calls_with_a_deadline_of_their_own_resume_tls_sessions() {
    let (base, ca, counts) = tls_server();
    let client = Client::builder("k-123")
        .base_url(base)
        .root_ca_pem(ca)
        .max_idle_connections_per_host(0)
        .build()
        .unwrap();
    const CALLS: usize = 100;
    for i in 0..CALLS {
        let deadline = Duration::from_millis(5000 + i as u64);
        let resp = client
            .with_timeout(deadline)
            .unwrap()
            .app_details()
            .unwrap();
        assert!(resp.ok(), "{}", resp.body());
    }
    let (full, resumed) = (
        counts.full.load(Ordering::SeqCst),
        counts.resumed.load(Ordering::SeqCst),
    );
    eprintln!(
        "{CALLS} calls with a per-call deadline: {full} full TLS handshakes, {resumed} resumed"
    );
    assert_eq!(full + resumed, CALLS);
    // The first connection makes the full handshake; the later ones resume its session.
    assert!(resumed >= CALLS - 5, "full {full}, resumed {resumed}");
}
