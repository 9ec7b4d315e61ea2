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

// ---------------------------------------------------------------- framings × split points

/// One way of framing an answer: its bytes for body `b`, whether the connection may carry
/// another request after it, and what the server does next.
struct Framing {
    name: &'static str,
    frame: fn(&[u8]) -> Vec<u8>,
    reusable: bool,
    then: Then,
}

/// `body` in chunks of 7 bytes, sizes as `size(n)`, then `last` (the last-chunk and trailer
/// section).
fn chunks(body: &[u8], size: fn(usize) -> String, last: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(7) {
        out.extend_from_slice(size(chunk.len()).as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(last.as_bytes());
    out
}

fn with_head(head: &str, body: &[u8]) -> Vec<u8> {
    let mut out = head.replace("{len}", &body.len().to_string()).into_bytes();
    out.extend_from_slice(body);
    out
}

const FRAMINGS: &[Framing] = &[
    Framing {
        name: "Content-Length",
        frame: |b| with_head("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n", b),
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "Content-Length with leading zeros, upper-case name, keep-alive",
        frame: |b| {
            with_head(
                "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 000{len}\r\nConnection: Keep-Alive\r\n\r\n",
                b,
            )
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "Content-Length twice, equal",
        frame: |b| {
            with_head(
                "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nX-A: 1\r\ncontent-length:{len}\r\n\r\n",
                b,
            )
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "interim 100 and 103 first",
        frame: |b| {
            with_head(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n\
                 HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n",
                b,
            )
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "chunked",
        frame: |b| {
            let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            out.extend(chunks(b, |n| format!("{n:x}"), "0\r\n\r\n"));
            out
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "chunked: upper-case hex with zeros, extensions, trailers",
        frame: |b| {
            let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n".to_vec();
            out.extend(chunks(
                b,
                |n| format!("000{n:X} ;ext=\"v;1\";e"),
                "000;x=y\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
            ));
            out
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "chunked and Content-Length (smuggling shape)",
        frame: |b| {
            let mut out =
                b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .to_vec();
            out.extend(chunks(b, |n| format!("{n:x}"), "0\r\n\r\n"));
            out
        },
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "Connection: close (server keeps it open)",
        frame: |b| {
            with_head(
                "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: keep-alive, Close\r\n\r\n",
                b,
            )
        },
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "HTTP/1.0, no keep-alive (server keeps it open)",
        frame: |b| with_head("HTTP/1.0 200 OK\r\nContent-Length: {len}\r\n\r\n", b),
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "HTTP/1.0 keep-alive",
        frame: |b| {
            with_head(
                "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: {len}\r\n\r\n",
                b,
            )
        },
        reusable: true,
        then: Then::KeepOpen,
    },
    Framing {
        name: "HTTP/1.0 with close and keep-alive (server keeps it open)",
        frame: |b| {
            with_head(
                "HTTP/1.0 200 OK\r\nConnection: close, keep-alive\r\nContent-Length: {len}\r\n\r\n",
                b,
            )
        },
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "HTTP/1.0 with close, then keep-alive in another field (server keeps it open)",
        frame: |b| {
            with_head(
                "HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: {len}\r\n\
                 Connection: keep-alive\r\n\r\n",
                b,
            )
        },
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "HTTP/1.0 keep-alive, chunked (faulty framing: close after)",
        frame: |b| {
            let mut out =
                b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .to_vec();
            out.extend(chunks(b, |n| format!("{n:x}"), "0\r\n\r\n"));
            out
        },
        reusable: false,
        then: Then::KeepOpen,
    },
    Framing {
        name: "until close",
        frame: |b| with_head("HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n", b),
        reusable: false,
        then: Then::Close,
    },
    Framing {
        name: "HTTP/1.0 until close",
        frame: |b| with_head("HTTP/1.0 200 OK\r\n\r\n", b),
        reusable: false,
        then: Then::Close,
    },
    Framing {
        name: "Transfer-Encoding without chunked: until close",
        frame: |b| with_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", b),
        reusable: false,
        then: Then::Close,
    },
];

/// Every framing, its answer cut at every byte boundary (one cut per call, the pieces
/// written 0.3 ms apart): the body the client returns is the one the server framed for that
/// call, and the server accepts one connection for all the calls exactly when the framing
/// lets a connection be reused (else one per call). Bounded: ≈ 1,600 calls, each within a
/// 3 s deadline; the whole sweep is asserted to stay under 60 s.
#[test]
fn every_framing_split_at_every_byte_gives_the_framed_body_and_reuses_exactly_when_allowed() {
    let started = Instant::now();
    let mut calls = 0;
    for framing in FRAMINGS {
        let frame = framing.frame;
        let then = framing.then;
        let server = Server::start(move |n, _| {
            let bytes = frame(json(n).as_bytes());
            // Call n cuts at byte n + 1 (wrapping over the answer's length).
            let cut = 1 + n % (bytes.len() - 1);
            Reply::split(&bytes, &[cut], then)
        });
        let c = client(&server.base);
        let len = frame(json(0).as_bytes()).len();
        for n in 0..len - 1 {
            let r = c
                .app_details()
                .unwrap_or_else(|e| panic!("{}: cut at {}: {e}", framing.name, n + 1));
            assert_eq!(r.body(), json(n), "{}: cut at {}", framing.name, n + 1);
            calls += 1;
            if then == Then::Close {
                // Let the close arrive before the next call's probe.
                thread::sleep(Duration::from_millis(1));
            }
        }
        let expected = if framing.reusable { 1 } else { len - 1 };
        assert_eq!(
            server.accepted(),
            expected,
            "{}: connections for {} calls",
            framing.name,
            len - 1
        );
    }
    let took = started.elapsed();
    eprintln!("{calls} calls over {} framings in {took:?}", FRAMINGS.len());
    assert!(took < Duration::from_secs(60), "{took:?}");
}
