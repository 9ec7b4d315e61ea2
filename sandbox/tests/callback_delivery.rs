//! OneTouch callback delivery over real HTTP and HTTPS: one sender for both schemes, so the
//! bytes on the wire (header names and their case, order, framing) are the same; TLS is
//! verified; a receiver that never answers ends in a timeout; redirects are not followed.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use authy_sandbox::{Sandbox, SandboxConfig, TlsMode, signer};
use common::Env;
use serde_json::{Map, Value, json};

/// What a [`RawReceiver`] does with each connection.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Reads the request, answers with this status.
    Answer(u16),
    /// Reads the request, answers 302 to the URL given at start.
    Redirect,
    /// Reads the request and never answers (holds the connection for 20 s).
    Silent,
    /// Accepts the TCP connection, never speaks (TLS handshake or request never completes).
    Mute,
}

/// A receiver on 127.0.0.1 (plain or TLS) that hands back each request's raw bytes.
struct RawReceiver {
    url: String,
    rx: mpsc::Receiver<Vec<u8>>,
}

/// A certificate for localhost/127.0.0.1 generated like the sandbox's `--tls-self-signed`.
fn self_signed() -> (Arc<rustls::ServerConfig>, String) {
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![ck.cert.der().clone()], key)
    .unwrap();
    (Arc::new(config), ck.cert.pem())
}

/// Reads one request (head + `Content-Length` body) and returns its raw bytes.
fn read_request(s: &mut impl Read) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    Some(buf)
}

fn serve(s: &mut (impl Read + Write), mode: Mode, location: &str, tx: &mpsc::Sender<Vec<u8>>) {
    let Some(raw) = read_request(s) else { return };
    let _ = tx.send(raw);
    let answer = match mode {
        Mode::Answer(status) => {
            format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        }
        Mode::Redirect => format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        Mode::Silent => {
            std::thread::sleep(Duration::from_secs(20));
            return;
        }
        Mode::Mute => return,
    };
    let _ = s.write_all(answer.as_bytes());
    let _ = s.flush();
}

impl RawReceiver {
    /// Serves up to `max` connections for 30 s at most.
    fn start(tls: Option<Arc<rustls::ServerConfig>>, mode: Mode, location: &str) -> RawReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!(
            "{scheme}://127.0.0.1:{}/authy/callback",
            listener.local_addr().unwrap().port()
        );
        let location = location.to_string();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut held = Vec::new();
            while Instant::now() < deadline {
                let Ok((s, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                if mode == Mode::Mute {
                    held.push(s);
                    continue;
                }
                let tx = tx.clone();
                let tls = tls.clone();
                let location = location.clone();
                std::thread::spawn(move || match tls {
                    None => {
                        let mut s: TcpStream = s;
                        serve(&mut s, mode, &location, &tx);
                    }
                    Some(cfg) => {
                        let conn = rustls::ServerConnection::new(cfg).unwrap();
                        let mut s = rustls::StreamOwned::new(conn, s);
                        serve(&mut s, mode, &location, &tx);
                        s.conn.send_close_notify();
                        let _ = s.flush();
                    }
                });
            }
        });
        RawReceiver { url, rx }
    }

    fn next(&self) -> Vec<u8> {
        self.rx
            .recv_timeout(Duration::from_secs(10))
            .expect("a callback arrives")
    }

    fn nothing_more(&self) -> bool {
        self.rx.recv_timeout(Duration::from_millis(300)).is_err()
    }
}

/// The header lines of a raw request, split at the first `:` (names byte-exact).
fn header_lines(raw: &[u8]) -> (String, Vec<(String, String)>, String) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..end]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_string();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').expect("name: value");
            (k.to_string(), v.trim().to_string())
        })
        .collect();
    let body = String::from_utf8(raw[end + 4..].to_vec()).unwrap();
    (request_line, headers, body)
}

fn title_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        upper = c == '-';
    }
    out
}

/// Creates a user with an app device and a pending approval request; returns its uuid.
fn pending_request(env: &Env, n: u32) -> String {
    let id = env.create_user(&format!("cb{n}@example.com"), &format!("55503{n:05}"), "1");
    env.post_form(&format!("/sandbox/users/{id}/devices"), "device=android");
    let r = env.post_json(
        &format!("/onetouch/json/users/{id}/approval_requests"),
        &json!({"message": "Log in?", "details": {"User": "ana", "IP": "10.0.0.1"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Points the sandbox's callbacks at `url` with `method`, approves a fresh request and returns
/// the decision's `callback` summary.
fn approve_with_callback(env: &Env, n: u32, url: &str, method: &str) -> Value {
    let r = env.post_form(
        "/sandbox/config",
        &format!("callback_url={}&callback_method={method}", common::enc(url)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let uuid = pending_request(env, n);
    let r = env.post_form(&format!("/sandbox/approval_requests/{uuid}/approve"), "");
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["callback"].clone()
}

#[test]
fn http_and_https_callbacks_carry_the_same_title_case_headers() {
    let (tls, pem) = self_signed();
    let plain = RawReceiver::start(None, Mode::Answer(200), "");
    let secure = RawReceiver::start(Some(tls), Mode::Answer(201), "");
    let env = Env::with(SandboxConfig {
        callback_ca_pem: Some(pem),
        ..SandboxConfig::default()
    });
    let mut n = 0;
    for method in ["POST", "GET"] {
        let mut seen = Vec::new();
        for (receiver, status) in [(&plain, 200), (&secure, 201)] {
            n += 1;
            let summary = approve_with_callback(&env, n, &receiver.url, method);
            assert_eq!(summary["error"], Value::Null, "{summary}");
            assert_eq!(summary["http_status"], status, "{summary}");
            assert_eq!(summary["method"], method);
            let raw = receiver.next();
            let (request_line, headers, body) = header_lines(&raw);
            let port = receiver.url.split(':').nth(2).unwrap().split('/').next();
            // Every header name is title-cased on the wire, whatever the scheme.
            for (name, _) in &headers {
                assert_eq!(name, &title_case(name), "{method} {}", receiver.url);
            }
            let get = |name: &str| {
                headers
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_else(|| panic!("{name} in {headers:?}"))
            };
            assert_eq!(get("Host"), format!("127.0.0.1:{}", port.unwrap()));
            assert_eq!(get("User-Agent"), "AuthySandbox/0.1 (callback)");
            assert_eq!(get("Connection"), "close");
            let nonce = get("X-Authy-Signature-Nonce").to_string();
            let record = env.get("/sandbox/callbacks").json["callbacks"]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .clone();
            assert_eq!(
                record["headers"]["X-Authy-Signature"],
                get("X-Authy-Signature")
            );
            assert_eq!(record["headers"]["X-Authy-Signature-Nonce"], nonce.as_str());
            if method == "POST" {
                assert_eq!(get("Content-Type"), "application/json");
                assert_eq!(get("Content-Length"), body.len().to_string());
                assert_eq!(request_line, "POST /authy/callback HTTP/1.1");
                assert_eq!(record["body"], body.as_str());
                // The signature verifies against what arrived.
                let payload: Map<String, Value> = serde_json::from_str(&body).unwrap();
                let expected =
                    signer::sign(env.sb.api_key(), &nonce, method, &receiver.url, &payload);
                assert_eq!(get("X-Authy-Signature"), expected);
            } else {
                assert!(body.is_empty());
                assert!(
                    headers.iter().all(|(k, _)| k != "Content-Type"),
                    "{headers:?}"
                );
                let target = request_line
                    .strip_prefix("GET ")
                    .and_then(|r| r.strip_suffix(" HTTP/1.1"))
                    .unwrap();
                let (path, query) = target.split_once('?').unwrap();
                assert_eq!(path, "/authy/callback");
                assert_eq!(record["body"], query);
            }
            seen.push((
                request_line.split('?').next().unwrap().to_string(),
                headers.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            ));
        }
        // Same request line shape and the same header names, in the same order, for both.
        assert_eq!(seen[0], seen[1], "{method}: http vs https");
        let names = &seen[0].1;
        for must in [
            "Host",
            "User-Agent",
            "X-Authy-Signature",
            "X-Authy-Signature-Nonce",
        ] {
            assert!(names.iter().any(|k| k == must), "{must} in {names:?}");
        }
        if method == "POST" {
            assert!(names.iter().any(|k| k == "Content-Type"), "{names:?}");
        }
    }
    // The records keep url, method, headers, body, status and error for all four.
    let log = env.get("/sandbox/callbacks").json;
    let records = log["callbacks"].as_array().unwrap();
    assert_eq!(records.len(), 4);
    for rec in records {
        for k in ["url", "method", "headers", "body", "http_status", "error"] {
            assert!(rec.get(k).is_some(), "{k} in {rec}");
        }
        assert!(rec["headers"]["X-Authy-Signature"].is_string(), "{rec}");
        assert!(
            rec["headers"]["X-Authy-Signature-Nonce"].is_string(),
            "{rec}"
        );
    }
}

#[test]
fn https_callbacks_verify_the_receivers_certificate() {
    let (tls, _) = self_signed();
    let receiver = RawReceiver::start(Some(tls), Mode::Answer(200), "");
    // Not trusted: the Mozilla roots do not include a fresh self-signed certificate.
    let env = Env::new();
    let summary = approve_with_callback(&env, 1, &receiver.url, "POST");
    assert_eq!(summary["http_status"], Value::Null, "{summary}");
    let err = summary["error"].as_str().unwrap();
    assert!(err.starts_with("TLS: "), "{err}");
    assert!(err.to_ascii_lowercase().contains("certificate"), "{err}");
    assert!(
        receiver.nothing_more(),
        "no request reached an untrusted receiver"
    );
    // Trusting another certificate does not help either.
    let (_, other_pem) = self_signed();
    let env = Env::with(SandboxConfig {
        callback_ca_pem: Some(other_pem),
        ..SandboxConfig::default()
    });
    let summary = approve_with_callback(&env, 2, &receiver.url, "GET");
    assert!(
        summary["error"].as_str().unwrap().starts_with("TLS: "),
        "{summary}"
    );
    assert!(receiver.nothing_more());
    // A PEM without a usable certificate is refused at start.
    for bad in [
        "",
        "junk",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        let e = Sandbox::start(SandboxConfig {
            callback_ca_pem: Some(bad.to_string()),
            ..SandboxConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}: {e}");
    }
}

#[test]
fn a_sandbox_calls_back_a_self_signed_sandbox_by_host_name() {
    // The receiver is another sandbox serving HTTPS with its generated certificate; the
    // callback route does not exist there, so a 404 JSON answer proves the TLS exchange.
    let receiver = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    let env = Env::with(SandboxConfig {
        callback_ca_pem: receiver.ca_pem(),
        ..SandboxConfig::default()
    });
    let url = format!("{}/authy/callback?src=sandbox", receiver.base_url());
    assert!(url.starts_with("https://localhost:"));
    for (n, method) in [(1, "POST"), (2, "GET")] {
        let summary = approve_with_callback(&env, n, &url, method);
        assert_eq!(summary["error"], Value::Null, "{summary}");
        assert_eq!(summary["http_status"], 404, "{summary}");
    }
    // The receiver counted both (unmatched) requests.
    let agent = {
        let certs: Vec<_> = ureq::tls::parse_pem(receiver.ca_pem().unwrap().as_bytes())
            .filter_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .proxy(None)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                    .build(),
            )
            .build()
            .into()
    };
    let r = Env::finish_public(
        ureq::Agent::get(&agent, &format!("{}/sandbox/requests", receiver.base_url()))
            .header("X-Authy-API-Key", receiver.api_key())
            .call(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["total"], 2, "{}", r.body);
}

#[test]
fn redirects_are_not_followed() {
    let (tls, pem) = self_signed();
    let target = RawReceiver::start(None, Mode::Answer(200), "");
    let plain = RawReceiver::start(None, Mode::Redirect, &target.url);
    let secure = RawReceiver::start(Some(tls), Mode::Redirect, &target.url);
    let env = Env::with(SandboxConfig {
        callback_ca_pem: Some(pem),
        ..SandboxConfig::default()
    });
    for (n, receiver) in [(1, &plain), (2, &secure)] {
        let summary = approve_with_callback(&env, n, &receiver.url, "POST");
        assert_eq!(summary["http_status"], 302, "{summary}");
        assert_eq!(summary["error"], Value::Null, "{summary}");
        receiver.next();
    }
    assert!(
        target.nothing_more(),
        "the redirect target was never called"
    );
}

#[test]
fn a_receiver_that_never_answers_ends_in_the_timeout() {
    let (tls, pem) = self_signed();
    let cases = [
        ("request read, no answer", None, Mode::Silent),
        ("no TLS handshake", Some(tls.clone()), Mode::Mute),
        ("TLS, no answer", Some(tls), Mode::Silent),
        ("TCP, no request read", None, Mode::Mute),
    ];
    // One sandbox per case, all at once: each waits for the sandbox's callback timeout.
    std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .into_iter()
            .map(|(what, tls, mode)| {
                let pem = pem.clone();
                scope.spawn(move || {
                    let receiver = RawReceiver::start(tls, mode, "");
                    let env = Env::with(SandboxConfig {
                        callback_ca_pem: Some(pem),
                        ..SandboxConfig::default()
                    });
                    let summary = approve_with_callback(&env, 1, &receiver.url, "POST");
                    assert_eq!(summary["http_status"], Value::Null, "{what}: {summary}");
                    assert_eq!(
                        summary["error"], "timed out after 5000 ms",
                        "{what}: {summary}"
                    );
                    // The sandbox still serves.
                    assert_eq!(env.get("/protected/json/app/details").status, 200);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
}
