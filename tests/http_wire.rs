//! The HTTP/1.1 exchange and the connection pool against scripted servers on 127.0.0.1
//! (`transport::http1`, `transport::pool`; DESIGN.md, Contract 3): answers split anywhere,
//! every framing of RFC 9112 §6.3, what makes a connection reusable (counted as accepts on
//! the server), bytes after an answer, stale resends, deadlines against servers that never
//! finish, limits, and that no error or Debug output carries the API key.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use authy::{Client, CreateUserOptions, ErrorKind};
use common::closed_port;
use rustls::{ServerConnection, StreamOwned};

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
#[derive(Clone)]
struct Request {
    head: String,
    body: Vec<u8>,
    /// How many requests came before it on its connection.
    on_connection: usize,
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
    Some(Request {
        head,
        body,
        on_connection: 0,
    })
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
    for on_connection in 0.. {
        let Some(mut request) = read_request(&mut reader) else {
            return;
        };
        request.on_connection = on_connection;
        let n = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len() - 1
        };
        // Not under the lock: a script may wait for another connection's request.
        let reply = script(n, &request);
        if !write_pieces(&mut writer, &reply.pieces) {
            return;
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

/// Writes `pieces` one by one, 0.3 ms apart (with TCP_NODELAY, or over TLS one record
/// each, they arrive apart); `false` when a write failed.
fn write_pieces(writer: &mut impl Write, pieces: &[Vec<u8>]) -> bool {
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            thread::sleep(Duration::from_micros(300));
        }
        if writer
            .write_all(piece)
            .and_then(|()| writer.flush())
            .is_err()
        {
            return false;
        }
    }
    true
}

/// An answer with status 200, `headers` (each ending in CRLF) and `body` as it is.
fn answer(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// An answer with body [`json`]`(n)`, framed by its length.
fn json_answer(n: usize, then: Then) -> Reply {
    let body = json(n);
    let head = format!("Content-Length: {}\r\n", body.len());
    Reply::whole(&answer(&head, body.as_bytes()), then)
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
    let (config, listener, base, ca_pem) = common::tls_listener();
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
                // Each piece goes out at once (no wait for the ACK of the previous one).
                tcp.set_nodelay(true).unwrap();
                let conn = ServerConnection::new(config).unwrap();
                let mut tls = BufReader::new(StreamOwned::new(conn, tcp));
                while let Some(request) = read_request(&mut tls) {
                    let reply = script(served.fetch_add(1, Ordering::SeqCst), &request);
                    let stream = tls.get_mut();
                    // A whole answer goes out in one write, its records together.
                    if !write_pieces(stream, &reply.pieces) {
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
    (base, ca_pem, accepted)
}

/// A client of `base` trusting `ca`, with a short deadline.
fn tls_client(base: &str, ca: String) -> Client {
    Client::builder(KEY)
        .base_url(base)
        .root_ca_pem(ca)
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap()
}

/// Bytes the server sent after an answer over TLS, which the client's TLS layer had already
/// received and decrypted with the answer, are never read as the answer to the next
/// request. (They are not on the socket any more, so the pool's probe cannot see them.)
/// Answers of every length around one and two times the connection's 16 KiB input buffer,
/// each followed by a stray answer in the same write: when an answer ends exactly where a
/// read ends, the stray answer stays in rustls's own buffer (without the fix, the call after
/// the 16,384-byte answer got its stray answer).
#[test]
fn stray_bytes_held_by_tls_are_not_the_next_answer() {
    const LENGTHS: [usize; 10] = [
        16381, 16382, 16383, 16384, 16385, 16386, 32766, 32767, 32768, 32769,
    ];
    /// Answer `n`: head and body, `LENGTHS[n]` bytes in all.
    fn padded(n: usize) -> (String, String) {
        let head_len = "HTTP/1.1 200 OK\r\nContent-Length: 00000\r\n\r\n".len();
        let bare = format!("{{\"success\":true,\"n\":{n},\"pad\":\"\"}}");
        let pad = "p".repeat(LENGTHS[n % LENGTHS.len()] - head_len - bare.len());
        let body = format!("{{\"success\":true,\"n\":{n},\"pad\":\"{pad}\"}}");
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        assert_eq!(head.len() + body.len(), LENGTHS[n % LENGTHS.len()]);
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
    let c = tls_client(&base, ca);
    for call in 0..LENGTHS.len() {
        let r = c.app_details().unwrap();
        let body = r.body();
        assert!(
            body == padded(call).1,
            "call {call} got another answer: {}",
            &body[..body.len().min(40)]
        );
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), LENGTHS.len());
}

/// A TLS connection whose answers end cleanly is reused (the check above costs no reuse),
/// and one the server ends with close_notify is not.
#[test]
fn tls_connections_are_reused_exactly_when_they_can_be() {
    for then in [Then::KeepOpen, Then::Close] {
        let (base, ca, accepted) = tls_server(move |n, _| json_answer(n, then));
        let c = tls_client(&base, ca);
        for call in 0..5 {
            assert_eq!(c.app_details().unwrap().body(), json(call), "{then:?}");
            // Let the close arrive before the next call's probe.
            thread::sleep(Duration::from_millis(10));
        }
        let expected = if then == Then::KeepOpen { 1 } else { 5 };
        assert_eq!(accepted.load(Ordering::SeqCst), expected, "{then:?}");
    }
}

/// Over TLS: a body until close (close_notify) is read whole; one cut off by close_notify is
/// `Truncated`; an answer that is not HTTP is a protocol error.
#[test]
fn tls_answers_until_close_cut_off_or_not_http() {
    let cases: [(&[u8], Option<ErrorKind>); 3] = [
        (b"HTTP/1.1 200 OK\r\n\r\n{\"success\":true}", None),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{\"success\":true}",
            Some(ErrorKind::Truncated),
        ),
        (b"220 smtp.example ESMTP\r\n", Some(ErrorKind::Io)),
    ];
    for (raw, kind) in cases {
        let (base, ca, _) = tls_server(move |_, _| Reply::whole(raw, Then::Close));
        let c = tls_client(&base, ca);
        let what = String::from_utf8_lossy(raw);
        match (c.app_details(), kind) {
            (Ok(r), None) => assert_eq!(r.body(), "{\"success\":true}"),
            (Err(e), Some(kind)) => {
                assert_eq!(e.kind(), kind, "{what:?}: {e}");
                assert!(e.request_sent());
            }
            (r, _) => panic!("{what:?}: {r:?}"),
        }
    }
}

// ---------------------------------------------------------------- framings × split points

/// One way of framing an answer: its head (`{len}` stands for the body's length), its body
/// as it is or in chunks, whether the connection may carry another request after it, and
/// what the server does next.
struct Framing {
    name: &'static str,
    head: &'static str,
    /// In chunks of 7 bytes: the chunk-size line for a length, and the last chunk with the
    /// trailer section.
    chunks: Option<Chunks>,
    reusable: bool,
    then: Then,
}

/// The chunk-size line for a chunk's length, and the last chunk with the trailer section.
type Chunks = (fn(usize) -> String, &'static str);

impl Framing {
    /// The answer with body `b`.
    fn frame(&self, b: &[u8]) -> Vec<u8> {
        let mut out = self
            .head
            .replace("{len}", &b.len().to_string())
            .into_bytes();
        let Some((size, last)) = self.chunks else {
            out.extend_from_slice(b);
            return out;
        };
        for chunk in b.chunks(7) {
            out.extend_from_slice(size(chunk.len()).as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(last.as_bytes());
        out
    }
}

/// A framing by the head alone (length, or until close).
const fn plain(name: &'static str, head: &'static str, reusable: bool, then: Then) -> Framing {
    Framing {
        name,
        head,
        chunks: None,
        reusable,
        then,
    }
}

/// A chunked framing, lower-case sizes and no trailer.
const fn chunked(name: &'static str, head: &'static str, reusable: bool) -> Framing {
    Framing {
        name,
        head,
        chunks: Some((|n| format!("{n:x}"), "0\r\n\r\n")),
        reusable,
        then: Then::KeepOpen,
    }
}

const KEEP: Then = Then::KeepOpen;

const FRAMINGS: &[Framing] = &[
    plain(
        "Content-Length",
        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n",
        true,
        KEEP,
    ),
    plain(
        "Content-Length with leading zeros, upper-case name, keep-alive",
        "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 000{len}\r\nConnection: Keep-Alive\r\n\r\n",
        true,
        KEEP,
    ),
    plain(
        "Content-Length twice, equal",
        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nX-A: 1\r\ncontent-length:{len}\r\n\r\n",
        true,
        KEEP,
    ),
    plain(
        "Content-Length as a list of one number, 25 digits",
        "HTTP/1.1 200 OK\r\nContent-Length: {len}, {len}\r\n\
         Content-Length: 0000000000000000000000{len}\r\n\r\n",
        true,
        KEEP,
    ),
    plain(
        "interim 100 and 103 first",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n\
         HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n",
        true,
        KEEP,
    ),
    chunked(
        "chunked",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        true,
    ),
    Framing {
        name: "chunked: upper-case hex with zeros, extensions, trailers",
        head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n",
        chunks: Some((
            |n| format!("00000000000000000000{n:X} ;ext=\"v;1\";e"),
            "000;x=y\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
        )),
        reusable: true,
        then: KEEP,
    },
    chunked(
        "chunked, the coding list with empty elements and in two fields",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\
         Transfer-Encoding: ,chunked , ,\r\nTransfer-Encoding:\r\n\r\n",
        true,
    ),
    chunked(
        "chunked and Content-Length (smuggling shape)",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        false,
    ),
    plain(
        "Connection: close (server keeps it open)",
        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: keep-alive, Close\r\n\r\n",
        false,
        KEEP,
    ),
    plain(
        "HTTP/1.0, no keep-alive (server keeps it open)",
        "HTTP/1.0 200 OK\r\nContent-Length: {len}\r\n\r\n",
        false,
        KEEP,
    ),
    plain(
        "HTTP/1.0 keep-alive",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: {len}\r\n\r\n",
        true,
        KEEP,
    ),
    plain(
        "HTTP/1.0 with close and keep-alive (server keeps it open)",
        "HTTP/1.0 200 OK\r\nConnection: close, keep-alive\r\nContent-Length: {len}\r\n\r\n",
        false,
        KEEP,
    ),
    plain(
        "HTTP/1.0 with close, then keep-alive in another field (server keeps it open)",
        "HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: {len}\r\n\
         Connection: keep-alive\r\n\r\n",
        false,
        KEEP,
    ),
    chunked(
        "HTTP/1.0 keep-alive, chunked (faulty framing: close after)",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n",
        false,
    ),
    plain(
        "until close",
        "HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n",
        false,
        Then::Close,
    ),
    plain(
        "HTTP/1.0 until close",
        "HTTP/1.0 200 OK\r\n\r\n",
        false,
        Then::Close,
    ),
    plain(
        "Transfer-Encoding without chunked: until close",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n",
        false,
        Then::Close,
    ),
];

/// The framing named `name`.
fn framing(name: &str) -> &'static Framing {
    FRAMINGS.iter().find(|f| f.name == name).unwrap()
}

/// A script of a scripted server.
type Script = Box<dyn Fn(usize, &Request) -> Reply + Send + Sync>;

/// Calls `app_details` once per cut of each framing's answer (call n cuts at byte
/// `1 + n * stride`) on a server `start` starts for the framing (a client and its count of
/// accepted connections): the body is the one the server framed for that call, and the
/// server accepts one connection for all the calls exactly when the framing lets a
/// connection be reused (else one per call). Returns the number of calls.
fn sweep(
    framings: &[&'static Framing],
    stride: usize,
    start: &dyn Fn(Script) -> (Client, Arc<AtomicUsize>),
) -> usize {
    let mut calls = 0;
    for &framing in framings {
        let then = framing.then;
        let (c, accepted) = start(Box::new(move |n, _| {
            let bytes = framing.frame(json(n).as_bytes());
            let cut = 1 + (n * stride) % (bytes.len() - 1);
            Reply::split(&bytes, &[cut], then)
        }));
        let len = framing.frame(json(0).as_bytes()).len();
        let n_calls = (len - 1).div_ceil(stride);
        for n in 0..n_calls {
            let cut = 1 + n * stride;
            let r = c
                .app_details()
                .unwrap_or_else(|e| panic!("{}: cut at {cut}: {e}", framing.name));
            assert_eq!(r.body(), json(n), "{}: cut at {cut}", framing.name);
            if then == Then::Close {
                // Let the close arrive before the next call's probe.
                thread::sleep(Duration::from_millis(1));
            }
        }
        let expected = if framing.reusable { 1 } else { n_calls };
        let name = framing.name;
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            expected,
            "{name}: connections for {n_calls} calls"
        );
        calls += n_calls;
    }
    calls
}

/// Every framing, its answer cut at every byte boundary (one cut per call, the pieces
/// written 0.3 ms apart): see [`sweep`]. Bounded: ≈ 1,700 calls, each within a 3 s
/// deadline; the whole sweep is asserted to stay under 60 s.
#[test]
fn every_framing_split_at_every_byte_gives_the_framed_body_and_reuses_exactly_when_allowed() {
    let started = Instant::now();
    let all: Vec<&'static Framing> = FRAMINGS.iter().collect();
    let calls = sweep(&all, 1, &|script| {
        let server = Server::start(script);
        (client(&server.base), Arc::clone(&server.accepted))
    });
    let took = started.elapsed();
    eprintln!("{calls} calls over {} framings in {took:?}", FRAMINGS.len());
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// The same over TLS (each piece its own TLS record), every third cut of a few framings.
#[test]
fn over_tls_too_every_framing_gives_the_framed_body_and_reuses_exactly_when_allowed() {
    let started = Instant::now();
    let names = [
        "Content-Length",
        "interim 100 and 103 first",
        "chunked: upper-case hex with zeros, extensions, trailers",
        "Connection: close (server keeps it open)",
        "until close",
    ];
    let some: Vec<&'static Framing> = names.iter().map(|name| framing(name)).collect();
    let calls = sweep(&some, 3, &|script| {
        let (base, ca, accepted) = tls_server(script);
        (tls_client(&base, ca), accepted)
    });
    let took = started.elapsed();
    eprintln!(
        "{calls} TLS calls over {} framings in {took:?}",
        names.len()
    );
    assert!(took < Duration::from_secs(60), "{took:?}");
}

// ---------------------------------------------------------------- answers refused

/// What `app_details` makes of one raw answer (the server then closes, or hangs when
/// `hang`), and the time it took.
fn outcome_of(
    raw: &[u8],
    then: Then,
    timeout: Duration,
) -> (Result<authy::Response, authy::Error>, Duration) {
    let raw = raw.to_vec();
    let server = Server::start(move |_, _| Reply::whole(&raw, then));
    let c = client_with(&server.base, timeout, 32);
    let started = Instant::now();
    let r = c.app_details();
    (r, started.elapsed())
}

fn error_of(raw: &[u8], then: Then) -> authy::Error {
    match outcome_of(raw, then, Duration::from_secs(3)).0 {
        Ok(r) => panic!("{:?}: answered {}", String::from_utf8_lossy(raw), r.body()),
        Err(e) => e,
    }
}

/// Each of `answers` (then `then`) is an error of `kind`, within 2 s, that says the request
/// was sent; returns the errors.
fn each_is(answers: &[&[u8]], then: Then, kind: ErrorKind) -> Vec<authy::Error> {
    let mut errors = Vec::new();
    for raw in answers {
        let started = Instant::now();
        let e = error_of(raw, then);
        let what = String::from_utf8_lossy(raw);
        assert_eq!(e.kind(), kind, "{what:?}: {e}");
        assert!(e.request_sent(), "{what:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "{what:?}");
        errors.push(e);
    }
    errors
}

/// Answers that are not well-framed HTTP are errors of the right kind, at once (no wait for
/// the deadline), and never a panic: bytes that are not HTTP, bad or conflicting lengths,
/// lengths and chunk sizes beyond any integer, chunks longer than their size, 101.
#[test]
fn malformed_answers_are_protocol_errors_at_once() {
    let protocol: &[&[u8]] = &[
        b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: ,\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n",
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"HTTP/1.1 000 Zero\r\nContent-Length: 16\r\n\r\n{\"success\":true}",
        b"HTTP/1.1 099 Low\r\nContent-Length: 16\r\n\r\n{\"success\":true}",
        b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
    ];
    for e in each_is(protocol, Then::Hang, ErrorKind::Io) {
        assert!(e.to_string().contains("not an HTTP answer"), "{e}");
    }
    // Too large: refused from the head, without reading (or allocating) the body.
    let too_large: &[&[u8]] = &[
        b"HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n{",
        b"HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n{",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n{",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n{",
    ];
    each_is(too_large, Then::Hang, ErrorKind::Decode);
}

/// The body limit (1 MiB for this call) by every framing: a body of exactly the limit is
/// read, one byte more is refused (`Decode`), whether framed by length, by chunks (limit
/// counted over all chunks) or until close.
#[test]
fn the_body_limit_holds_for_every_framing() {
    const LIMIT: usize = 1 << 20;
    let body = |len: usize| {
        let bare = "{\"success\":true,\"pad\":\"\"}";
        let pad = "p".repeat(len - bare.len());
        format!("{{\"success\":true,\"pad\":\"{pad}\"}}").into_bytes()
    };
    // Chunked: 7-byte chunks, so that the limit is counted over 150,000 of them.
    for name in ["Content-Length", "chunked", "until close"] {
        let framing = framing(name);
        let (r, _) = outcome_of(
            &framing.frame(&body(LIMIT)),
            framing.then,
            Duration::from_secs(5),
        );
        assert_eq!(r.unwrap().body().len(), LIMIT, "{name}");
        let (r, _) = outcome_of(
            &framing.frame(&body(LIMIT + 1)),
            framing.then,
            Duration::from_secs(5),
        );
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Decode, "{name}");
    }
}

/// Heads beyond 12 KiB or 128 lines are refused as such (`Decode`), also when the server
/// sends the head forever.
#[test]
fn oversized_heads_are_refused() {
    let mut long = b"HTTP/1.1 200 OK\r\n".to_vec();
    long.extend_from_slice(format!("X-Long: {}\r\n\r\n{{}}", "a".repeat(13 * 1024)).as_bytes());
    let mut many = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..129 {
        many.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
    }
    many.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
    for e in each_is(&[&long, &many], Then::Hang, ErrorKind::Decode) {
        assert!(e.to_string().contains("headers too large"), "{e}");
    }
    // 127 headers (+ Content-Length): accepted, all kept.
    let mut most = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..127 {
        most.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
    }
    most.extend_from_slice(b"Content-Length: 16\r\n\r\n{\"success\":true}");
    let (r, _) = outcome_of(&most, Then::KeepOpen, Duration::from_secs(3));
    assert_eq!(r.unwrap().headers().len(), 128);
}

/// An answer cut off is `Truncated`; no answer at all after the request went out is
/// `NoResponse`; both say the request was sent. A chunked body whose last chunk is not
/// followed by the final line end is cut off too.
#[test]
fn cut_off_answers_are_truncated_and_missing_ones_no_response() {
    let truncated: &[&[u8]] = &[
        b"HTTP/1.1 200 OK\r\nContent-Len",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n",
    ];
    each_is(truncated, Then::Close, ErrorKind::Truncated);
    each_is(&[b""], Then::Close, ErrorKind::NoResponse);
}

// ---------------------------------------------------------------- deadlines

/// Servers that keep sending but never finish an answer: the call ends at its deadline
/// (0.5 s here) with `Timeout`, whatever the loop it is in: interim answers without end,
/// trailer lines without end, a body trickling in a byte at a time, a head trickling in.
#[test]
fn endless_answers_end_at_the_deadline() {
    type Stream = fn(&mut TcpStream) -> std::io::Result<()>;
    let endless: [(&str, Stream); 4] = [
        ("100 Continue flood", |s| {
            s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
        }),
        ("trailer flood", |s| s.write_all(b"X-Trailer: 1\r\n")),
        ("body trickle", |s| {
            thread::sleep(Duration::from_millis(20));
            s.write_all(b" ")
        }),
        ("head trickle", |s| {
            thread::sleep(Duration::from_millis(20));
            s.write_all(b"X")
        }),
    ];
    for (name, step) in endless {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            read_request(&mut reader).unwrap();
            let opening: &[u8] = match name {
                "trailer flood" => b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
                "body trickle" => b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{",
                "head trickle" => b"HTTP/1.1 200 OK\r\nX-Slow: ",
                _ => b"",
            };
            let _ = stream.write_all(opening);
            // Bounded: until the client gives up (or 10 s).
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until && step(&mut stream).is_ok() {}
        });
        let c = client_with(&base, Duration::from_millis(500), 32);
        let started = Instant::now();
        let e = c.app_details().unwrap_err();
        let took = started.elapsed();
        assert_eq!(e.kind(), ErrorKind::Timeout, "{name}: {e}");
        assert!(e.request_sent(), "{name}");
        assert!(
            took >= Duration::from_millis(490) && took < Duration::from_secs(2),
            "{name}: {took:?}"
        );
        drop(c);
        server.join().unwrap();
    }
}

// ---------------------------------------------------------------- connections

/// Bytes after an answer, in the same write as the answer or a little later: the
/// connection is not reused, and each call gets its own answer.
#[test]
fn bytes_after_an_answer_never_answer_the_next_call() {
    for later in [false, true] {
        let server = Server::start(move |n, _| {
            let mut reply = json_answer(n, Then::KeepOpen);
            let stray = answer("Content-Length: 15\r\n", b"{\"stray\":true}\n");
            if later {
                reply.pieces.push(stray);
            } else {
                reply.pieces[0].extend(stray);
            }
            reply
        });
        let c = client(&server.base);
        for n in 0..5 {
            assert_eq!(c.app_details().unwrap().body(), json(n), "later: {later}");
            // Let the stray bytes arrive before the next call's probe.
            thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(server.accepted(), 5, "later: {later}");
    }
}

/// 204 and 304 have no body whatever their headers say, and the connection is kept; an
/// error status with a body is read to its end and the connection kept.
#[test]
fn answers_without_a_body_and_error_answers_keep_the_connection() {
    let server = Server::start(|n, _| {
        let raw: &[u8] = match n % 3 {
            0 => b"HTTP/1.1 204 No Content\r\nContent-Length: 40\r\n\r\n",
            1 => b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
            _ => b"HTTP/1.1 500 Oops\r\nContent-Length: 9\r\n\r\nnot json!",
        };
        Reply::whole(raw, Then::KeepOpen)
    });
    let c = client(&server.base);
    for n in 0..6 {
        let status = match c.app_details() {
            Ok(r) => r.status(),
            Err(e) => e.http_status().unwrap_or_else(|| panic!("call {n}: {e}")),
        };
        assert_eq!(status, [204, 304, 500][n % 3], "call {n}");
    }
    assert_eq!(server.accepted(), 1);
}

/// A server that says how long it keeps an idle connection (`Keep-Alive: timeout=N`): a
/// connection is kept for N s less a 1 s margin (at most 15 s), so with `timeout=1` none is
/// kept and with `timeout=30` one serves every call.
#[test]
fn a_servers_keep_alive_timeout_is_honoured() {
    for (timeout, connections) in [(1, 3), (30, 1)] {
        let server = Server::start(move |n, _| {
            let body = json(n);
            let head = format!(
                "Content-Length: {}\r\nKeep-Alive: timeout={timeout}, max=100\r\n",
                body.len()
            );
            Reply::whole(&answer(&head, body.as_bytes()), Then::KeepOpen)
        });
        let c = client(&server.base);
        for n in 0..3 {
            let r = c.app_details().unwrap();
            assert_eq!(r.body(), json(n), "timeout={timeout}, call {n}");
        }
        assert_eq!(server.accepted(), connections, "timeout={timeout}");
    }
}

/// A pooled connection the server closes after reading the next request (a keep-alive
/// timeout racing the request): a read (`app_details`) is sent again at once on a new
/// connection; a side effect (`create_user`) is not: the caller gets `NoResponse` with
/// `request_sent()`, and the server saw the request exactly once.
#[test]
fn a_stale_pooled_connection_is_resent_only_when_safe() {
    // Every connection answers its first request and closes on the second, unanswered.
    let server = Server::start(|n, req| match req.on_connection {
        0 => json_answer(n, Then::KeepOpen),
        _ => Reply {
            pieces: Vec::new(),
            then: Then::Close,
        },
    });
    let c = client(&server.base);
    assert_eq!(c.app_details().unwrap().body(), json(0));
    // The read: the pooled connection closes unanswered, the read goes out again.
    let r = c.app_details().unwrap();
    assert_eq!(r.body(), json(2), "answered on a new connection");
    assert_eq!((server.accepted(), server.requests()), (2, 3));
    // The side effect, on the pooled second connection: never sent twice.
    let e = create_user_error(&c);
    assert_eq!(e.kind(), ErrorKind::NoResponse, "{e}");
    assert!(e.request_sent());
    let seen = server.requests.lock().unwrap();
    let posts = seen.iter().filter(|r| r.head.starts_with("POST ")).count();
    assert_eq!(posts, 1);
    assert_eq!(server.accepted(), 2);
}

/// A server that resets the connection as soon as the request reaches it (it closes the
/// socket with the request unread, so the kernel answers with RST instead of FIN): whatever
/// the kernel let the write do, a side effect is reported as sent exactly when the trace says
/// a write succeeded, and never sent twice.
#[test]
fn a_server_that_resets_at_once_never_gets_a_side_effect_twice() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            // Closed with unread bytes: RST instead of FIN.
            let _ = stream.peek(&mut [0; 1]);
            drop(stream);
        }
    });
    let c = client(&base);
    for _ in 0..5 {
        let e = create_user_error(&c);
        match e.kind() {
            ErrorKind::NoResponse => assert!(e.request_sent(), "{e}"),
            ErrorKind::Io => assert!(!e.request_sent(), "{e}"),
            other => panic!("{other:?}: {e}"),
        }
        assert_eq!(e.attempts(), 1);
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 5);
}

/// The error of a `create_user` call of `c`.
fn create_user_error(c: &Client) -> authy::Error {
    c.create_user(
        "a@example.com",
        "555-123-4567",
        &CreateUserOptions::default(),
    )
    .unwrap_err()
}

/// The idle limit: with 1 idle connection allowed, two overlapping calls open two
/// connections, one is kept, and the calls after them reuse it (2 connections in all).
#[test]
fn the_idle_limit_keeps_that_many_connections() {
    // The first two answers wait for each other's request: the calls overlap.
    let arrived = Arc::new(AtomicUsize::new(0));
    let server = Server::start(move |n, _| {
        arrived.fetch_add(1, Ordering::SeqCst);
        let until = Instant::now() + Duration::from_secs(3);
        while n < 2 && arrived.load(Ordering::SeqCst) < 2 && Instant::now() < until {
            thread::sleep(Duration::from_millis(1));
        }
        json_answer(n, Then::KeepOpen)
    });
    let c = client_with(&server.base, Duration::from_secs(3), 1);
    thread::scope(|s| {
        let a = s.spawn(|| c.app_details().unwrap());
        let b = s.spawn(|| c.app_details().unwrap());
        assert!(a.join().unwrap().ok());
        assert!(b.join().unwrap().ok());
    });
    assert_eq!(server.accepted(), 2);
    for _ in 0..4 {
        assert!(c.app_details().unwrap().ok());
    }
    assert_eq!(server.accepted(), 2);
    assert_eq!(server.requests(), 6);
}

/// A blank line before the status line (tolerated by the parser) does not shift the
/// header lines: the headers are the answer's.
#[test]
fn a_blank_line_before_the_status_line_keeps_the_headers() {
    let (r, _) = outcome_of(
        b"\r\nHTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 16\r\n\r\n{\"success\":true}",
        Then::KeepOpen,
        Duration::from_secs(3),
    );
    let r = r.unwrap();
    assert_eq!(r.body(), "{\"success\":true}");
    let names: Vec<&str> = r.headers().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["x-a", "content-length"]);
}

// ---------------------------------------------------------------- the API key

/// The API key goes out in its header only, and appears in no error (Display or Debug), no
/// Debug of a response or of the client, whatever the failure.
#[test]
fn the_api_key_is_in_no_error_and_no_debug_output() {
    let answers: &[&[u8]] = &[
        b"SSH-2.0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 66\r\n\r\n\
          {\"success\":false,\"message\":\"Invalid API key\",\"error_code\":\"60001\"}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nnot json",
        b"",
    ];
    let mut texts = Vec::new();
    for raw in answers {
        let (r, _) = outcome_of(raw, Then::Close, Duration::from_secs(2));
        match r {
            Ok(r) => texts.push(format!("{r:?}")),
            Err(e) => texts.push(format!("{e} {e:?}")),
        }
    }
    let (r, _) = outcome_of(b"", Then::Hang, Duration::from_millis(300));
    let e = r.unwrap_err();
    texts.push(format!("{e} {e:?}"));
    let ok = client(&format!("http://127.0.0.1:{}", closed_port()));
    let e = ok.app_details().unwrap_err();
    texts.push(format!("{e} {e:?} {ok:?}"));
    for text in &texts {
        assert!(!text.contains(KEY), "{text}");
    }
    // And it did go out, in its header.
    let server = Server::start(|_, _| {
        Reply::whole(
            framing("Content-Length")
                .frame(json(0).as_bytes())
                .as_slice(),
            Then::KeepOpen,
        )
    });
    assert!(client(&server.base).app_details().unwrap().ok());
    let seen = server.requests.lock().unwrap();
    assert!(
        seen[0]
            .head
            .contains(&format!("\r\nx-authy-api-key: {KEY}\r\n")),
        "{}",
        seen[0].head
    );
    assert!(seen[0].body.is_empty());
}

/// A server that answers a request with a large body after reading only its head, and
/// closes (RFC 9112 §9.6): the write of the body fails (the close resets the connection),
/// but the server's answer, already received, is the outcome, with its own status and
/// message; before, the call failed with `NoResponse`.
#[test]
fn an_answer_before_the_whole_request_was_written_is_the_outcome() {
    const REFUSAL: &[u8] =
        b"HTTP/1.1 413 Too Large\r\nContent-Length: 60\r\nConnection: close\r\n\r\n\
        {\"success\":false,\"message\":\"too large\",\"error_code\":\"60000\"}";
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let _ = stream.write_all(REFUSAL);
            // Closed with the body unread: a reset.
        }
    });
    let c = client(&base);
    let big = "x".repeat(4 << 20);
    let params = authy::Params::new().with("a", big.as_str());
    for _ in 0..3 {
        let r = c.request("POST", "/protected/json/x", &params).unwrap();
        assert_eq!(r.status(), 413);
        assert!(r.body().contains("too large"), "{}", r.body());
    }
}
