//! The HTTP/1.1 exchange and the connection pool against scripted servers on 127.0.0.1
//! (`transport::http1`, `transport::pool`; DESIGN.md, Contract 3): answers split anywhere,
//! every framing of RFC 9112 §6.3, what makes a connection reusable (counted as accepts on
//! the server), bytes after an answer, stale resends, deadlines against servers that never
//! finish, limits, and that no error or Debug output carries the API key.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use authy::{Client, CreateUserOptions, ErrorKind};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// The API key of every client here: distinctive, so that a leak is found by searching for it.
const KEY: &str = "wire-secret-KEY-5f1c0d9a7b";

/// A client of `base` with a short deadline and no retries.
fn client(base: &str) -> Client {
    client_with(base, Duration::from_secs(3), 32)
}

fn client_with(base: &str, timeout: Duration, idle: usize) -> Client {
    Client::builder(KEY)
        .base_url(base)
        .connect_timeout(Duration::from_secs(2))
        .timeout(timeout)
        .max_idle_connections_per_host(idle)
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- scripted servers

/// One request as a scripted server read it.
struct Request {
    head: String,
    body: Vec<u8>,
}

/// Reads one request (head, then a body by its Content-Length); `None` when the connection
/// ended (or stayed silent for 5 s) first.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => head.push_str(&line),
        }
        if line == "\r\n" {
            break;
        }
    }
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.trim().parse::<usize>().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { head, body })
}

/// What a scripted server does with a request: the pieces of its answer (written one by
/// one, with a short pause between them so that they arrive apart), and then whether to
/// close the connection.
struct Reply {
    pieces: Vec<Vec<u8>>,
    then: Then,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Then {
    /// Wait for the next request on the connection.
    KeepOpen,
    /// Close the connection (FIN).
    Close,
    /// Keep the connection open, but answer nothing more on it.
    Hang,
}

impl Reply {
    fn whole(answer: &[u8], then: Then) -> Reply {
        Reply {
            pieces: vec![answer.to_vec()],
            then,
        }
    }

    /// `answer` cut at `cuts` (increasing offsets).
    fn split(answer: &[u8], cuts: &[usize], then: Then) -> Reply {
        let mut pieces = Vec::new();
        let mut at = 0;
        for &cut in cuts {
            pieces.push(answer[at..cut].to_vec());
            at = cut;
        }
        pieces.push(answer[at..].to_vec());
        Reply { pieces, then }
    }
}

/// A scripted HTTP/1.1 server on 127.0.0.1: accepts connections (counted), reads each
/// request and answers it with `script(n, request)`, `n` counting the requests of all its
/// connections from 0. The requests are kept for the test to look at.
struct Server {
    base: String,
    accepted: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start(script: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let (count, seen) = (Arc::clone(&accepted), Arc::clone(&requests));
        let script = Arc::new(script);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let (script, seen) = (Arc::clone(&script), Arc::clone(&seen));
                thread::spawn(move || serve(stream, &*script, &seen));
            }
        });
        Server {
            base,
            accepted,
            requests,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    fn requests(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

fn serve(stream: TcpStream, script: &dyn Fn(usize, &Request) -> Reply, seen: &Mutex<Vec<Request>>) {
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let reply = {
            let mut seen = seen.lock().unwrap();
            let reply = script(seen.len(), &request);
            seen.push(request);
            reply
        };
        let last = reply.pieces.len().saturating_sub(1);
        for (i, piece) in reply.pieces.iter().enumerate() {
            if writer.write_all(piece).is_err() {
                return;
            }
            if i < last {
                thread::sleep(Duration::from_micros(300));
            }
        }
        match reply.then {
            Then::KeepOpen => {}
            Then::Close => {
                let _ = writer.shutdown(std::net::Shutdown::Both);
                return;
            }
            Then::Hang => {
                // Until the client closes it (or 5 s).
                let _ = reader.read(&mut [0; 64]);
                return;
            }
        }
    }
}

/// An answer with status 200, `headers` (each ending in CRLF) and `body` as it is.
fn answer(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// A JSON body of the API naming `n` (so that each answer is told from the others).
fn json(n: usize) -> String {
    format!("{{\"success\":true,\"n\":{n}}}")
}

// ---------------------------------------------------------------- TLS

/// A rustls server on 127.0.0.1 answering each connection's requests with `script`, as
/// [`Server`] does (`Then::Close` sends close_notify first). Returns the base URL, the CA
/// PEM to trust and the count of accepted connections.
fn tls_server(
    script: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static,
) -> (String, String, Arc<AtomicUsize>) {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![ck.cert.der().clone()], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    let script = Arc::new(script);
    let served = Arc::new(AtomicUsize::new(0));
    thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let (config, script, served) = (
                Arc::clone(&config),
                Arc::clone(&script),
                Arc::clone(&served),
            );
            thread::spawn(move || {
                tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let conn = ServerConnection::new(config).unwrap();
                let mut tls = BufReader::new(StreamOwned::new(conn, tcp));
                while let Some(request) = read_request(&mut tls) {
                    let reply = script(served.fetch_add(1, Ordering::SeqCst), &request);
                    let stream = tls.get_mut();
                    // One write: the records of all the pieces go out together.
                    if stream.write_all(&reply.pieces.concat()).is_err() {
                        return;
                    }
                    match reply.then {
                        Then::KeepOpen => {}
                        Then::Close => {
                            stream.conn.send_close_notify();
                            let _ = stream.flush();
                            return;
                        }
                        Then::Hang => {
                            let _ = stream.sock.read(&mut [0; 64]);
                            return;
                        }
                    }
                }
            });
        }
    });
    (base, ck.cert.pem(), accepted)
}

/// Bytes the server sent after an answer over TLS, which the client's TLS layer had already
/// received and decrypted with the answer, are never read as the answer to the next
/// request. (They are not on the socket any more, so the pool's probe cannot see them.) The
/// answer fills the connection's 16 KiB input buffer exactly, so that the stray answer
/// after it stays in rustls's own buffer.
#[test]
fn stray_bytes_held_by_tls_are_not_the_next_answer() {
    /// The body of answer `n`, padded so that the whole answer is exactly 16 KiB.
    fn padded(n: usize) -> (String, String) {
        let head_len = "HTTP/1.1 200 OK\r\nContent-Length: 00000\r\n\r\n".len();
        let bare = format!("{{\"success\":true,\"n\":{n},\"pad\":\"\"}}");
        let pad = "p".repeat(16 * 1024 - head_len - bare.len());
        let body = format!("{{\"success\":true,\"n\":{n},\"pad\":\"{pad}\"}}");
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        assert_eq!(head.len() + body.len(), 16 * 1024);
        (head, body)
    }
    let (base, ca, accepted) = tls_server(|n, _| {
        let (head, body) = padded(n);
        let stray = json(1000 + n);
        let out = format!(
            "{head}{body}HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{stray}",
            stray.len()
        );
        Reply::whole(out.as_bytes(), Then::KeepOpen)
    });
    let c = Client::builder(KEY)
        .base_url(&base)
        .root_ca_pem(ca)
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    for call in 0..4 {
        let r = c.app_details().unwrap();
        let body = r.body();
        assert!(
            body == padded(call).1,
            "call {call} got another answer: {}",
            &body[..body.len().min(40)]
        );
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}

/// A TLS connection whose answers end cleanly is reused (the check above costs no reuse),
/// and one the server ends with close_notify is not.
#[test]
fn tls_connections_are_reused_exactly_when_they_can_be() {
    for then in [Then::KeepOpen, Then::Close] {
        let (base, ca, accepted) = tls_server(move |n, _| {
            let body = json(n);
            let head = format!("Content-Length: {}\r\n", body.len());
            Reply::whole(&answer(&head, body.as_bytes()), then)
        });
        let c = Client::builder(KEY)
            .base_url(&base)
            .root_ca_pem(ca)
            .timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        for call in 0..5 {
            assert_eq!(c.app_details().unwrap().body(), json(call), "{then:?}");
            // Let the close arrive before the next call's probe.
            thread::sleep(Duration::from_millis(10));
        }
        let expected = if then == Then::KeepOpen { 1 } else { 5 };
        assert_eq!(accepted.load(Ordering::SeqCst), expected, "{then:?}");
    }
}
