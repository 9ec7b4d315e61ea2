//! One HTTP/1.1 exchange on a connection: the request written in one piece, the answer's
//! head parsed with `httparse`, its body read by its framing (RFC 9112 §6.3).
//!
//! The connection is one of the connector chain's (`trace::Traced` over TLS, a proxy tunnel
//! or plain TCP): every read and write goes through it, so the call's deadline, its cancel
//! token and the attempt's trace apply as they do to the connection's set-up. Whether the
//! connection may serve another request is part of the answer ([`Answer::reusable`]); the
//! pool (`transport::pool`) keeps it only then.

use std::io;
use std::mem::MaybeUninit;
use std::time::Duration;

use ureq::unversioned::transport::{NextTimeout, Transport, time};

use super::Failure;
use super::retry;
use crate::error::{Error, ErrorKind};

/// The largest response head accepted (status line and headers); kept below the
/// connection's input buffer so that an oversized head is refused as such.
pub(super) const MAX_RESPONSE_HEAD_BYTES: usize = 12 * 1024;

/// Most header lines accepted in an answer.
const MAX_RESPONSE_HEADERS: usize = 128;

/// The longest chunk-size or trailer line accepted in a chunked body.
const MAX_CHUNK_LINE_BYTES: usize = 4 * 1024;

/// What a request consists of, in the order it is written.
pub(super) struct Request<'a> {
    pub(super) method: &'a str,
    /// Origin-form target: the path and `?query`.
    pub(super) target: &'a str,
    /// The `Host` header: the base URL's authority as written.
    pub(super) host: &'a str,
    pub(super) user_agent: &'a str,
    /// The credentials header, name and value.
    pub(super) auth: (&'a [u8], &'a [u8]),
    /// A form body (`Content-Type: application/x-www-form-urlencoded`), if the method has one.
    pub(super) form: Option<&'a [u8]>,
}

/// One answer, read to its end.
pub(super) struct Answer {
    pub(super) status: u16,
    /// The header lines as received (after the status line, without the blank line).
    pub(super) head: Vec<u8>,
    pub(super) retry_after: Option<Duration>,
    pub(super) body: Vec<u8>,
    /// The connection may carry another request: HTTP/1.1 without `Connection: close` (1.0
    /// only with `keep-alive`), a body framed by length, and no byte beyond the answer.
    pub(super) reusable: bool,
    /// How long the server keeps the connection open while it is idle, when it says so
    /// (`Keep-Alive: timeout=N`, RFC 2068 §19.7.1.1, as Apache and nginx send it).
    pub(super) idle_timeout: Option<Duration>,
}

/// The timeout handed to the connection: none of its own; `Traced` bounds every read and
/// write by the call's deadline.
fn no_timeout() -> NextTimeout {
    NextTimeout::default()
}

fn transport_error(e: ureq::Error) -> Failure {
    super::map_ureq_error(e)
}

/// An answer that is not HTTP/1.x: bytes arrived, but not an HTTP answer.
fn protocol(what: &str) -> Failure {
    Failure::new(
        Error::protocol(format!("not an HTTP answer: {what}")),
        false,
    )
}

/// The connection closed (or ended its stream) where more of the answer was due; the trace
/// tells a missing answer from a cut-off one.
fn closed(what: &str) -> Failure {
    super::map_io_error(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        what.to_string(),
    ))
}

fn too_large(limit: usize) -> Failure {
    Failure::new(Error::body_too_large(limit), false)
}

/// One exchange: writes `req`, reads the answer (its body up to `limit` bytes).
///
/// A server may answer before it has read all of a request and then close (RFC 9112
/// §9.6: a large body it refuses): the write fails, but the answer is already on its way.
/// When part of the request went out, an answer read whole after the failed write is the
/// outcome (the connection is not reused); otherwise the write's failure is.
pub(super) fn exchange<T: Transport>(
    conn: &mut T,
    req: &Request<'_>,
    limit: usize,
) -> Result<Answer, Failure> {
    let Err(failed) = write_request(conn, req) else {
        return read_response(conn, limit);
    };
    if !super::trace::current().wrote {
        return Err(failed);
    }
    match read_response(conn, limit) {
        Ok(answer) => Ok(Answer {
            reusable: false,
            ..answer
        }),
        Err(_) => Err(failed),
    }
}

/// Writes `req` to `conn`: the head and a small body go out in one write.
fn write_request<T: Transport>(conn: &mut T, req: &Request<'_>) -> Result<(), Failure> {
    let mut length = [0u8; 20];
    let mut out = Output { conn, used: 0 };
    out.put(&[
        req.method.as_bytes(),
        b" ",
        req.target.as_bytes(),
        b" HTTP/1.1\r\nHost: ",
        req.host.as_bytes(),
        b"\r\nUser-Agent: ",
        req.user_agent.as_bytes(),
        b"\r\nAccept: application/json\r\n",
        req.auth.0,
        b": ",
        req.auth.1,
        b"\r\n",
    ])?;
    match req.form {
        Some(body) => out.put(&[
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ",
            decimal(body.len(), &mut length),
            b"\r\n\r\n",
            body,
        ])?,
        None => out.put(&[b"\r\n"])?,
    }
    out.flush()
}

/// `n` in decimal, in `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Fills the connection's output buffer, sending it whenever it is full.
struct Output<'c, T: Transport> {
    conn: &'c mut T,
    used: usize,
}

impl<T: Transport> Output<'_, T> {
    fn put(&mut self, pieces: &[&[u8]]) -> Result<(), Failure> {
        let mut pieces = pieces.iter().copied();
        let mut piece: &[u8] = &[];
        loop {
            // The buffer is asked for once per fill (three dynamic calls deep).
            let buf = self.conn.buffers().output();
            if buf.is_empty() {
                return Err(transport_error(ureq::Error::ConnectionFailed));
            }
            while self.used < buf.len() {
                if piece.is_empty() {
                    match pieces.next() {
                        Some(next) => piece = next,
                        None => return Ok(()),
                    }
                    continue;
                }
                let n = (buf.len() - self.used).min(piece.len());
                buf[self.used..self.used + n].copy_from_slice(&piece[..n]);
                self.used += n;
                piece = &piece[n..];
            }
            self.flush()?;
        }
    }

    fn flush(&mut self) -> Result<(), Failure> {
        if self.used > 0 {
            let n = std::mem::take(&mut self.used);
            self.conn
                .transmit_output(n, no_timeout())
                .map_err(transport_error)?;
        }
        Ok(())
    }
}

/// More input from `conn`; `false` at the end of its stream.
fn more<T: Transport>(conn: &mut T) -> Result<bool, Failure> {
    conn.await_input(no_timeout()).map_err(transport_error)
}

/// How the body of an answer is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    None,
    Length(u64),
    Chunked,
    /// Until the server closes the connection.
    Close,
}

/// What the head of an answer says.
struct Head {
    status: u16,
    framing: Framing,
    keep_alive: bool,
    retry_after: Option<Duration>,
    idle_timeout: Option<Duration>,
    /// Where the header lines start and the head ends, in the input.
    headers_at: usize,
    len: usize,
}

/// Reads the answer to the request just written, its body up to `limit` bytes.
fn read_response<T: Transport>(conn: &mut T, limit: usize) -> Result<Answer, Failure> {
    let (head, lines) = loop {
        let head = read_head(conn)?;
        let input = conn.buffers().input();
        let lines = input[head.headers_at..head.len].to_vec();
        conn.buffers().input_consume(head.len);
        // An interim answer (100 Continue, 103 Early Hints) precedes the real one.
        if (100..200).contains(&head.status) {
            if head.status == 101 {
                return Err(protocol("101 Switching Protocols"));
            }
            continue;
        }
        break (head, lines);
    };
    let mut body = Vec::new();
    let mut reusable = head.keep_alive;
    match head.framing {
        Framing::None => {}
        Framing::Length(n) => {
            let n = usize::try_from(n)
                .ok()
                .filter(|&n| n <= limit)
                .ok_or_else(|| too_large(limit))?;
            body.reserve_exact(n);
            read_exact(conn, &mut body, n)?;
        }
        Framing::Chunked => read_chunked(conn, &mut body, limit)?,
        Framing::Close => {
            reusable = false;
            read_to_close(conn, &mut body, limit)?;
        }
    }
    // Bytes beyond the answer: the connection is out of step with its requests.
    if reusable && (!conn.buffers().input().is_empty() || (conn.is_tls() && holds_input(conn))) {
        reusable = false;
    }
    Ok(Answer {
        status: head.status,
        head: lines,
        retry_after: head.retry_after,
        body,
        reusable,
        idle_timeout: head.idle_timeout,
    })
}

/// Whether the TLS layer under the input buffer already holds more input (or has seen the
/// end of the stream), asked without waiting. TLS decrypts whole records: bytes the server
/// sent after the answer in the same read can sit in rustls (plaintext, or records not yet
/// decrypted, or in the TCP link's buffer) where neither the input buffer nor the pool's
/// probe of the socket sees them, and would be read as the answer to the next request.
/// rustls returns what it holds without I/O; with a zero timeout our TCP link under it fails
/// before any system call. (Plain TCP reads straight into the input buffer: nothing to ask.)
fn holds_input<T: Transport>(conn: &mut T) -> bool {
    let now = NextTimeout {
        after: time::Duration::Exact(Duration::ZERO),
        ..NextTimeout::default()
    };
    // A timeout: nothing held (the read would have had to wait). Bytes, the end of the
    // stream or any other error (a TLS alert held by rustls): not reusable.
    !matches!(conn.await_input(now), Err(ureq::Error::Timeout(_)))
}

/// Waits for a whole response head and parses it (the input keeps it).
fn read_head<T: Transport>(conn: &mut T) -> Result<Head, Failure> {
    loop {
        let input = conn.buffers().input();
        if !input.is_empty() {
            let head = parse_head(input)?;
            if head.as_ref().map_or(input.len(), |h| h.len) > MAX_RESPONSE_HEAD_BYTES {
                return Err(Failure::new(
                    Error::new(ErrorKind::Decode, "response headers too large"),
                    false,
                ));
            }
            if let Some(head) = head {
                return Ok(head);
            }
        }
        let started = !input.is_empty();
        if !more(conn)? {
            return Err(closed(if started {
                "the connection closed in the middle of the answer's head"
            } else {
                "the connection closed before any byte of the answer"
            }));
        }
    }
}

/// The head at the start of `input`, `None` when it is not complete yet.
fn parse_head(input: &[u8]) -> Result<Option<Head>, Failure> {
    let mut slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_RESPONSE_HEADERS];
    let mut resp = httparse::Response::new(&mut []);
    let parser = httparse::ParserConfig::default();
    let len = match parser.parse_response_with_uninit_headers(&mut resp, input, &mut slots) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Failure::new(
                Error::new(ErrorKind::Decode, "response headers too large (too many)"),
                false,
            ));
        }
        Err(e) => return Err(protocol(&e.to_string())),
    };
    let status = resp.code.unwrap_or(0);
    // Three digits, but below 100 is no HTTP status at all (RFC 9110 §15).
    if status < 100 {
        return Err(protocol("invalid status code"));
    }
    let version = resp.version.unwrap_or(0);
    // The status line ends at the first line feed after the blank lines httparse skips
    // before it (RFC 9112 §2.2).
    let status_at = input
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(0);
    let headers_at = input[status_at..len]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(len, |i| status_at + i + 1);
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut encoded = false;
    let mut close = false;
    let mut keep_alive = false;
    let mut retry_after = None;
    let mut idle_timeout = None;
    for h in resp.headers.iter() {
        let name = h.name.as_bytes();
        if name.eq_ignore_ascii_case(b"content-length") {
            let n = parse_length(h.value).ok_or_else(|| protocol("invalid Content-Length"))?;
            if length.is_some_and(|m| m != n) {
                return Err(protocol("conflicting Content-Length headers"));
            }
            length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            encoded = true;
            // Only the last coding says whether the body is chunked (empty list elements
            // do not count, RFC 9110 §5.6.1); a field without any keeps the last one's.
            if let Some(last) = h
                .value
                .rsplit(|&b| b == b',')
                .map(<[u8]>::trim_ascii)
                .find(|c| !c.is_empty())
            {
                chunked = last.eq_ignore_ascii_case(b"chunked");
            }
        } else if name.eq_ignore_ascii_case(b"connection") {
            for token in h.value.split(|&b| b == b',') {
                let token = token.trim_ascii();
                // `close` wins over `keep-alive`, in any order and any field (RFC 9112 §9.6).
                close |= token.eq_ignore_ascii_case(b"close");
                keep_alive |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if name.eq_ignore_ascii_case(b"keep-alive") {
            idle_timeout = keep_alive_timeout(h.value).or(idle_timeout);
        } else if name.eq_ignore_ascii_case(b"retry-after") {
            retry_after = std::str::from_utf8(h.value)
                .ok()
                .and_then(retry::parse_retry_after);
        }
    }
    let framing = if matches!(status, 100..=199 | 204 | 304) {
        Framing::None
    } else if encoded {
        // A Transfer-Encoding overrides any Content-Length (RFC 9112 §6.3).
        if chunked {
            Framing::Chunked
        } else {
            Framing::Close
        }
    } else {
        match length {
            Some(0) => Framing::None,
            Some(n) => Framing::Length(n),
            None => Framing::Close,
        }
    };
    Ok(Some(Head {
        status,
        framing,
        // HTTP/1.1 persists unless closed, 1.0 only with keep-alive (RFC 9112 §9.3). With
        // both a Transfer-Encoding and a Content-Length, or a Transfer-Encoding in an
        // HTTP/1.0 answer, the framing is faulty: the connection is not reused (§6.1, §6.3).
        keep_alive: !close
            && (version == 1 || keep_alive)
            && !(encoded && (length.is_some() || version == 0)),
        retry_after,
        idle_timeout,
        headers_at,
        len,
    }))
}

/// The `timeout=N` parameter of a `Keep-Alive` header (whole seconds).
fn keep_alive_timeout(value: &[u8]) -> Option<Duration> {
    value.split(|&b| b == b',').find_map(|param| {
        let param = param.trim_ascii();
        let eq = param.iter().position(|&b| b == b'=')?;
        let (name, n) = (param[..eq].trim_ascii(), param[eq + 1..].trim_ascii());
        if !name.eq_ignore_ascii_case(b"timeout") {
            return None;
        }
        digits_value(n, 10).map(Duration::from_secs)
    })
}

/// A Content-Length value: a decimal number, or a list of the same number (as a proxy that
/// merged repeated fields makes it; RFC 9112 §6.3: processed as that number). Any other
/// list is `None` (an unrecoverable error).
fn parse_length(value: &[u8]) -> Option<u64> {
    let mut length = None;
    // Empty list elements are ignored (RFC 9110 §5.6.1).
    for item in value.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
        if item.is_empty() {
            continue;
        }
        let n = digits_value(item, 10)?;
        if length.is_some_and(|m| m != n) {
            return None;
        }
        length = Some(n);
    }
    length
}

/// The number `digits` (in `radix`, 10 or 16) make; leading zeros are allowed in any
/// number. `None` when a byte is not a digit or the number is past `u64`.
fn digits_value(digits: &[u8], radix: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        let v = (d as char).to_digit(radix)?;
        n.checked_mul(u64::from(radix))?.checked_add(u64::from(v))
    })
}

/// Appends input to `body` until it holds `end` bytes.
fn read_exact<T: Transport>(conn: &mut T, body: &mut Vec<u8>, end: usize) -> Result<(), Failure> {
    while body.len() < end {
        let input = conn.buffers().input();
        if input.is_empty() {
            if !more(conn)? {
                return Err(closed(
                    "the connection closed in the middle of the answer's body",
                ));
            }
            continue;
        }
        let n = input.len().min(end - body.len());
        body.extend_from_slice(&input[..n]);
        conn.buffers().input_consume(n);
    }
    Ok(())
}

/// Appends the whole input to `body` until the connection ends its stream.
fn read_to_close<T: Transport>(
    conn: &mut T,
    body: &mut Vec<u8>,
    limit: usize,
) -> Result<(), Failure> {
    loop {
        let input = conn.buffers().input();
        if body.len() + input.len() > limit {
            return Err(too_large(limit));
        }
        let n = input.len();
        body.extend_from_slice(input);
        conn.buffers().input_consume(n);
        if !more(conn)? {
            return Ok(());
        }
    }
}

/// Calls `f` with the next line of input (without its line end) and consumes it.
fn with_line<T: Transport, R>(conn: &mut T, f: impl FnOnce(&[u8]) -> R) -> Result<R, Failure> {
    loop {
        let input = conn.buffers().input();
        if let Some(end) = input.iter().position(|&b| b == b'\n') {
            let line = &input[..end];
            let r = f(line.strip_suffix(b"\r").unwrap_or(line));
            conn.buffers().input_consume(end + 1);
            return Ok(r);
        }
        if input.len() > MAX_CHUNK_LINE_BYTES {
            return Err(protocol("chunk line too long"));
        }
        if !more(conn)? {
            return Err(closed(
                "the connection closed in the middle of a chunked body",
            ));
        }
    }
}

/// A chunk-size line: hexadecimal digits, then extensions (ignored). A size past `usize` is
/// `None` (it could never fit the body limit).
fn chunk_size(line: &[u8]) -> Option<usize> {
    let digits = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or(line)
        .trim_ascii();
    usize::try_from(digits_value(digits, 16)?).ok()
}

fn read_chunked<T: Transport>(
    conn: &mut T,
    body: &mut Vec<u8>,
    limit: usize,
) -> Result<(), Failure> {
    loop {
        let size = with_line(conn, chunk_size)?.ok_or_else(|| protocol("invalid chunk size"))?;
        if size == 0 {
            // Trailer lines, up to the blank line.
            while !with_line(conn, <[u8]>::is_empty)? {}
            return Ok(());
        }
        let end = body
            .len()
            .checked_add(size)
            .filter(|&e| e <= limit)
            .ok_or_else(|| too_large(limit))?;
        body.reserve(size);
        read_exact(conn, body, end)?;
        if !with_line(conn, <[u8]>::is_empty)? {
            return Err(protocol("chunk data longer than its size"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::{Buffers, LazyBuffers};

    /// A connection that answers with `reply`, handed over `step` bytes per read.
    #[derive(Debug)]
    struct Canned {
        buffers: LazyBuffers,
        reply: Vec<u8>,
        at: usize,
        step: usize,
        written: Vec<u8>,
    }

    impl Canned {
        fn new(reply: &[u8], step: usize) -> Canned {
            Canned {
                buffers: LazyBuffers::new(16 * 1024, 16 * 1024),
                reply: reply.to_vec(),
                at: 0,
                step,
                written: Vec::new(),
            }
        }
    }

    impl Transport for Canned {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            let out = self.buffers.output()[..amount].to_vec();
            self.written.extend_from_slice(&out);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            let end = (self.at + self.step).min(self.reply.len());
            let chunk = self.reply[self.at..end].to_vec();
            let room = self.buffers.input_append_buf();
            let n = chunk.len().min(room.len());
            room[..n].copy_from_slice(&chunk[..n]);
            self.buffers.input_appended(n);
            self.at += n;
            Ok(n > 0)
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn read(reply: &[u8], step: usize) -> Result<Answer, Failure> {
        read_response(&mut Canned::new(reply, step), 1 << 20)
    }

    #[test]
    fn writes_the_request_in_one_piece() {
        let mut conn = Canned::new(b"", 1);
        let req = Request {
            method: "POST",
            target: "/protected/json/users/new",
            host: "127.0.0.1:9",
            user_agent: "ua/1",
            auth: (b"x-authy-api-key", b"k"),
            form: Some(b"a=1&b=2"),
        };
        write_request(&mut conn, &req).unwrap();
        assert_eq!(
            conn.written,
            b"POST /protected/json/users/new HTTP/1.1\r\nHost: 127.0.0.1:9\r\nUser-Agent: ua/1\r\n\
              Accept: application/json\r\nx-authy-api-key: k\r\nContent-Type: \
              application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2"
        );
        // A body larger than the buffer goes out in several writes.
        let big = vec![b'x'; 40_000];
        let mut conn = Canned::new(b"", 1);
        write_request(
            &mut conn,
            &Request {
                form: Some(&big),
                ..req
            },
        )
        .unwrap();
        assert!(conn.written.ends_with(&big));
        assert!(
            conn.written
                .windows(21)
                .any(|w| w == b"Content-Length: 40000")
        );
    }

    #[test]
    fn reads_bodies_by_every_framing_in_any_pieces() {
        let cases: [(&[u8], &[u8], bool); 6] = [
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", b"{}", true),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nT: 1\r\n\r\n",
                b"{\"a\":1}",
                true,
            ),
            (b"HTTP/1.1 204 No Content\r\n\r\n", b"", true),
            (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"x\":2}", b"{\"x\":2}", false),
            (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", b"{}", false),
            (
                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}",
                b"{}",
                true,
            ),
        ];
        for (reply, body, reusable) in cases {
            for step in [1, 2, 3, 7, 64, 4096] {
                let a = read(reply, step).unwrap();
                assert_eq!(a.body, body, "{}", String::from_utf8_lossy(reply));
                assert_eq!(a.reusable, reusable, "{}", String::from_utf8_lossy(reply));
            }
        }
    }

    #[test]
    fn keeps_the_header_lines_and_retry_after() {
        let a = read(
            b"HTTP/1.1 429 Too Many\r\nRetry-After: 3\r\nX-A: b\r\nContent-Length: 0\r\n\r\n",
            5,
        )
        .unwrap();
        assert_eq!(a.status, 429);
        assert_eq!(a.retry_after, Some(Duration::from_secs(3)));
        assert_eq!(
            a.head,
            b"Retry-After: 3\r\nX-A: b\r\nContent-Length: 0\r\n\r\n"
        );
    }

    #[test]
    fn refuses_what_is_not_a_well_framed_answer() {
        let kind = |reply: &[u8]| read(reply, 3).err().map(|f| f.error.kind());
        assert_eq!(kind(b"SSH-2.0-OpenSSH\r\n\r\n"), Some(ErrorKind::Io));
        assert_eq!(
            kind(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"),
            Some(ErrorKind::Io)
        );
        assert_eq!(
            kind(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}"),
            Some(ErrorKind::Io)
        );
        assert_eq!(
            kind(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Some(ErrorKind::Io)
        );
        assert_eq!(
            kind(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n"),
            Some(ErrorKind::Io)
        );
        // Cut off, or nothing at all (the trace makes these NoResponse / Truncated).
        assert_eq!(kind(b""), Some(ErrorKind::Io));
        assert_eq!(
            kind(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}"),
            Some(ErrorKind::Io)
        );
        // Too large: the head, the body by length, by chunks, until close.
        let mut huge = b"HTTP/1.1 200 OK\r\n".to_vec();
        while huge.len() < MAX_RESPONSE_HEAD_BYTES + 10 {
            huge.extend_from_slice(b"X-Padding: aaaaaaaaaaaaaaaaaaaa\r\n");
        }
        assert_eq!(kind(&huge), Some(ErrorKind::Decode));
        let limited = |reply: &[u8]| {
            read_response(&mut Canned::new(reply, 4), 3)
                .err()
                .map(|f| f.error.kind())
        };
        assert_eq!(
            limited(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{  }"),
            Some(ErrorKind::Decode)
        );
        assert_eq!(
            limited(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{ \r\n2\r\n }\r\n0\r\n\r\n"),
            Some(ErrorKind::Decode)
        );
        assert_eq!(
            limited(b"HTTP/1.1 200 OK\r\n\r\n{  }"),
            Some(ErrorKind::Decode)
        );
    }

    #[test]
    fn bytes_after_the_answer_make_the_connection_unusable() {
        let a = read(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n",
            4096,
        )
        .unwrap();
        assert!(!a.reusable);
    }

    #[test]
    fn decimal_and_lengths() {
        let mut buf = [0u8; 20];
        for n in [0usize, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
        assert_eq!(parse_length(b" 42 "), Some(42));
        assert_eq!(parse_length(b"+4"), None);
        assert_eq!(parse_length(b""), None);
        assert_eq!(parse_length(b","), None);
        assert_eq!(parse_length(b"42, 42,,042"), Some(42));
        assert_eq!(parse_length(b"42, 43"), None);
        assert_eq!(parse_length(b"4 2"), None);
        assert_eq!(parse_length(b"000000000000000000000000042"), Some(42));
        assert_eq!(parse_length(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_length(b"18446744073709551616"), None);
        assert_eq!(chunk_size(b"1F; ext"), Some(31));
        let secs = |v: &[u8]| keep_alive_timeout(v).map(|d| d.as_secs());
        assert_eq!(secs(b"timeout=5, max=100"), Some(5));
        assert_eq!(secs(b"max=100 , Timeout = 30"), Some(30));
        assert_eq!(secs(b"max=100"), None);
        assert_eq!(secs(b"timeout=x"), None);
        assert_eq!(secs(b""), None);
        assert_eq!(chunk_size(b"0000000000000000000001f"), Some(31));
        assert_eq!(chunk_size(b"ffffffffffffffff"), Some(usize::MAX));
        assert_eq!(chunk_size(b"10000000000000000"), None);
        assert_eq!(chunk_size(b"g"), None);
        assert_eq!(chunk_size(b"-1"), None);
        assert_eq!(chunk_size(b""), None);
    }
}
