//! The HTTP transport: connections per process, one HTTP/1.1 exchange per attempt, the
//! resends and retries of a call, failover to the secondary base URL, and the mapping of
//! transport errors to [`ErrorKind`].
//!
//! ureq provides the connections (its connector chain: CONNECT proxy, TLS with rustls, and
//! its transport interface); the exchange on them and the pool are ours: a request is one
//! write of bytes prepared without intermediate structures, the answer is parsed with
//! `httparse` and read by its framing. (ureq's own request cycle cost ≈ 26 k instructions per
//! call, three quarters of the C ABI's whole call; see `BENCHMARKS.md`.)
//!
//! * [`process`]: the per-process cell that keeps a child of `fork()` off its parent's
//!   connections;
//! * [`pool`]: new connections (the connector chain, run by us) and idle ones (a pool per
//!   shard, probed when taken);
//! * [`http1`]: one exchange on a connection;
//! * [`resolver`]: the client's own name cache;
//! * [`tcp`]: plain TCP connections, with a one-call liveness probe;
//! * [`trace`]: what an attempt did on the wire (reused connection, request written, answer
//!   started), which tells the faults apart and decides what may be sent again; and what the
//!   running call asks of its connections (its deadline, its [`Cancel`] token);
//! * [`retry`]: the rules for sending again (stale connections, [`RetryPolicy`]).

mod http1;
mod pool;
mod process;
mod resolver;
pub(crate) mod retry;
mod tcp;
mod trace;

use std::cell::Cell;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::cancel::Cancel;
use crate::dialect::{Credentials, Success};
use crate::error::{Error, ErrorKind};
use crate::response::Response;

use process::PerProcess;
use resolver::{CachingResolver, DnsFailure};
use retry::MAX_STALE_RESENDS;
pub use retry::RetryPolicy;

/// Size of each of a connection's input and output buffers (see `ProcessAgent::config`);
/// above [`http1::MAX_RESPONSE_HEAD_BYTES`], so that an oversized head is refused as such
/// instead of filling the buffer.
const IO_BUFFER_BYTES: usize = 16 * 1024;
const _: () = assert!(http1::MAX_RESPONSE_HEAD_BYTES < IO_BUFFER_BYTES);

/// What an agent is built from (validated by `config`).
#[derive(Clone)]
pub(crate) struct AgentOptions {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_idle_connections_per_host: usize,
    pub(crate) user_agent: String,
    pub(crate) root_certs: Option<Vec<Certificate<'static>>>,
    /// The platform's verifier instead of the bundled roots (when `root_certs` is `None`).
    pub(crate) platform_roots: bool,
    pub(crate) proxy: Option<ureq::Proxy>,
    pub(crate) retry: RetryPolicy,
}

/// The connections of a client: agents (keep-alive pools, TLS configuration and sessions)
/// and a name cache for the process that uses them. Every process gets its own, built on its
/// first request, so no connection is ever used by two processes (see [`process`]).
pub(crate) struct Transport {
    options: AgentOptions,
    agent: PerProcess<ProcessAgent>,
}

/// One process's connections: pool shards, the dialer that makes new connections (connector
/// chain, TLS configuration and session cache) and the name cache.
///
/// Threads sharing a client would queue on one pool's lock, and a thread preempted while
/// holding it would stall the others. So a client has up to [`MAX_SHARDS`] pools (shards),
/// and each thread keeps to one of them (its number with this client, modulo the shards): a
/// thread finds the connection it returned on its previous call, and contends only with the
/// few threads of its shard. The idle limit is split exactly among the shards (never more
/// shards than idle connections allowed, so `0` means one pool that keeps none).
struct ProcessAgent {
    shards: Box<[pool::Pool]>,
    dialer: pool::Dialer,
    user_agent: Box<str>,
    /// The number the next thread to call gets (see [`thread_slot`]).
    next_slot: AtomicUsize,
}

/// How many pool shards a client has at most. 32 threads sharing one client on 2 CPUs, C ABI
/// (`bench/c_calls.c threads`): with one agent 3 % of the calls blocked on its lock (1.03
/// voluntary context switches per call, against 1.00 with one client per thread); with 16
/// shards, built lazily, none did (1.00). An agent that no thread maps to is never built.
const MAX_SHARDS: usize = 16;

/// The calling thread's number with the client whose agents are at `agents` (an address):
/// each client numbers the threads that call it in the order they first do (`next`), so that its
/// threads spread evenly over its shards, as its idle limit is spread. A thread remembers its
/// number with the last few clients it called.
fn thread_slot(agents: usize, next: &AtomicUsize) -> usize {
    const REMEMBERED: usize = 4;
    thread_local! {
        static SLOTS: Cell<[(usize, usize); REMEMBERED]> = const { Cell::new([(0, 0); REMEMBERED]) };
    }
    SLOTS.with(|cell| {
        let mut slots = cell.get();
        if let Some(&(_, slot)) = slots.iter().find(|(key, _)| *key == agents) {
            return slot;
        }
        let slot = next.fetch_add(1, Ordering::Relaxed);
        slots.rotate_right(1);
        slots[0] = (agents, slot);
        cell.set(slots);
        slot
    })
}

/// What one call asks beyond the request: its overall timeout (`None`: the client's) and a
/// token that cancels it.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) cancel: Option<Cancel>,
}

impl Transport {
    pub(crate) fn new(options: AgentOptions) -> Self {
        let agent = PerProcess::new(ProcessAgent::new(&options));
        Transport { options, agent }
    }

    /// Sends `req` to `base`, then to `secondary` if `base` could not be connected to, with
    /// the resends and retries of [`retry`]. The call's timeout bounds the call on each base
    /// URL; its cancel token stops it (see [`Cancel`]). The error of a failed call says how
    /// many attempts were made and whether the request may have reached the server.
    pub(crate) fn send(
        &self,
        base: &str,
        secondary: Option<&str>,
        req: &Prepared<'_>,
        call: &CallOptions,
    ) -> Result<Response, Error> {
        let mut calls = Calls::default();
        if call.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
            return Err(cancelled(&calls));
        }
        let current = self.agent.get(|| ProcessAgent::new(&self.options));
        let budget = call.timeout.unwrap_or(self.options.timeout);
        let policy = &self.options.retry;
        let failover = secondary.is_some();
        let cancel = call.cancel.as_ref();
        match current.call(&mut calls, base, req, budget, cancel, policy, failover) {
            Err(failure) if failure.before_send && failover => {
                let sec = secondary.unwrap_or(base);
                current.call(&mut calls, sec, req, budget, cancel, policy, false)
            }
            other => other,
        }
        .map(|resp| resp.with_attempts(calls.attempts))
        .map_err(|f| f.error.with_attempts(calls.attempts, calls.sent))
    }
}

impl CallOptions {
    /// Waits `wait` between two calls of one operation (a polling loop), cut short by a cancel
    /// (the next call then fails at once with [`ErrorKind::Cancelled`]).
    pub(crate) fn pause(&self, wait: Duration) {
        match &self.cancel {
            Some(cancel) => {
                cancel.sleep(wait);
            }
            None => thread::sleep(wait),
        }
    }
}

/// The error of a cancelled call.
fn cancelled(calls: &Calls) -> Error {
    let what = if calls.sent {
        "the call was cancelled after its request was sent: it may have reached the server"
    } else {
        "the call was cancelled before its request was sent: nothing reached the server"
    };
    Error::new(ErrorKind::Cancelled, what).with_attempts(calls.attempts, calls.sent)
}

/// What the attempts of one call did, over both base URLs.
#[derive(Default)]
struct Calls {
    attempts: u32,
    /// One of them may have reached the server.
    sent: bool,
}

impl ProcessAgent {
    fn new(options: &AgentOptions) -> Self {
        let max = options.max_idle_connections_per_host;
        let n = MAX_SHARDS.min(max.max(1));
        // The idle limit split exactly: the first `max % n` shards keep one more.
        let shards = (0..n)
            .map(|i| pool::Pool::new(max / n + usize::from(i < max % n)))
            .collect();
        ProcessAgent {
            shards,
            dialer: pool::Dialer::new(
                ProcessAgent::config(options),
                CachingResolver::new(),
                options.connect_timeout,
            ),
            user_agent: options.user_agent.as_str().into(),
            next_slot: AtomicUsize::new(0),
        }
    }

    /// The pool of the calling thread.
    fn shard(&self) -> &pool::Pool {
        let n = self.shards.len();
        &self.shards[thread_slot(std::ptr::from_ref(self).addr(), &self.next_slot) % n]
    }

    /// What the connector chain reads: TLS roots, proxy, buffer sizes.
    fn config(options: &AgentOptions) -> ureq::config::Config {
        // A custom CA wins, then the platform's verifier, else the bundled Mozilla roots.
        // rustls speaks TLS 1.2 and 1.3 only, whatever the roots.
        let roots = match &options.root_certs {
            Some(certs) => RootCerts::new_with_certs(certs),
            None if options.platform_roots => RootCerts::PlatformVerifier,
            None => RootCerts::WebPki,
        };
        Agent::config_builder()
            // Only the proxy `config` chose (explicit, or from the environment on opt-in);
            // ureq itself never reads the environment here.
            .proxy(options.proxy.clone())
            // Per-connection buffers (ureq's default is 128 KiB each way, and the TLS layer
            // gets a second pair): 550 KB per pooled HTTPS connection. Answers stream through
            // the input buffer, so it only has to hold a whole response head, which is capped
            // below it (`http1`); requests are small forms.
            .input_buffer_size(IO_BUFFER_BYTES)
            .output_buffer_size(IO_BUFFER_BYTES)
            // The CONNECT request to a proxy says who we are too.
            .user_agent(options.user_agent.as_str())
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build()
    }

    /// The attempts on one base URL, within `budget`: resends on stale connections and the
    /// retries of `policy` (see [`retry`]), until `cancel` is cancelled. With `failover`, a
    /// failure before anything was sent ends the attempts here, so that the secondary base URL
    /// is tried next.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        calls: &mut Calls,
        base: &str,
        req: &Prepared<'_>,
        budget: Duration,
        cancel: Option<&Cancel>,
        policy: &RetryPolicy,
        failover: bool,
    ) -> Result<Response, Failure> {
        let deadline = Instant::now().checked_add(budget);
        let left = || deadline.map_or(budget, |d| d.saturating_duration_since(Instant::now()));
        let stopped = |calls: &Calls| Failure::new(cancelled(calls), false);
        let mut stale_resends = 0;
        let mut retries = 0;
        loop {
            if cancel.is_some_and(Cancel::is_cancelled) {
                return Err(stopped(calls));
            }
            calls.attempts += 1;
            let scope = trace::scope(deadline, cancel);
            let outcome = self.attempt(base, req);
            let interrupted = scope.end();
            if cancel.is_some_and(Cancel::is_cancelled) && (interrupted || outcome.is_err()) {
                // Whatever the I/O error, the cause is the cancel; the trace tells whether
                // the request went out.
                calls.sent |= outcome.is_ok() || trace::current().wrote;
                return Err(stopped(calls));
            }
            let wait = match &outcome {
                Ok(resp) => {
                    calls.sent = true;
                    if !req.idempotent || retries + 1 >= policy.max_attempts {
                        return outcome;
                    }
                    match retry::answer_wait(resp, policy, retries + 1) {
                        Some(wait) => wait,
                        None => return outcome,
                    }
                }
                Err(f) => {
                    calls.sent |= f.trace.wrote;
                    // A pooled connection the server had closed: send again at once, when safe.
                    let stale = f.trace.reused
                        && !f.trace.answered
                        && (req.idempotent || !f.trace.wrote)
                        && matches!(f.error.kind(), ErrorKind::NoResponse | ErrorKind::Io);
                    if stale && stale_resends < MAX_STALE_RESENDS && !left().is_zero() {
                        stale_resends += 1;
                        continue;
                    }
                    let may_retry = if req.idempotent {
                        retry::transient(f.error.kind())
                    } else {
                        !f.trace.wrote && !f.error.request_sent_by_kind()
                    };
                    if !may_retry
                        || retries + 1 >= policy.max_attempts
                        || (failover && f.before_send)
                    {
                        return outcome;
                    }
                    policy.backoff(retries + 1)
                }
            };
            // Wait only if the next attempt still fits the deadline.
            if wait >= left() {
                return outcome;
            }
            match cancel {
                Some(cancel) => {
                    if !cancel.sleep(wait) {
                        return Err(stopped(calls));
                    }
                }
                None => thread::sleep(wait),
            }
            retries += 1;
        }
    }

    /// One attempt on one base URL. When the host could be resolved but not connected to,
    /// its cached addresses are dropped so that the next request looks it up again.
    fn attempt(&self, base: &str, req: &Prepared<'_>) -> Result<Response, Failure> {
        trace::begin();
        let result = self.send_once(base, req).map_err(|f| f.traced());
        if let Err(f) = &result
            && f.before_send
            && f.error.kind() != ErrorKind::Dns
        {
            self.dialer.resolver().forget_address(base);
        }
        result
    }
}

/// A request ready to be sent to a base URL.
pub(crate) struct Prepared<'a> {
    pub(crate) method: &'static str,
    /// Path (already percent-encoded) plus `?query` if any.
    pub(crate) path_and_query: &'a str,
    /// Form body for methods that carry one (`None` for GET/DELETE).
    pub(crate) form_body: Option<&'a str>,
    /// A read without side effects: may be sent again after any failure (see [`retry`]).
    pub(crate) idempotent: bool,
    /// The credentials header (from the API's dialect).
    pub(crate) auth: &'a Credentials,
    /// When an answer is a success (the endpoint's rule).
    pub(crate) success: Success,
    /// The largest answer body accepted (bytes; a list page may be larger than one record).
    pub(crate) body_limit: usize,
}

/// A failed attempt: the error, whether the request certainly never reached the server (so
/// that failover to the secondary URL is safe), and what it did on the wire.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) before_send: bool,
    pub(crate) trace: trace::Trace,
}

impl Failure {
    fn new(error: Error, before_send: bool) -> Failure {
        Failure {
            error,
            before_send,
            trace: trace::Trace::default(),
        }
    }

    /// Adds what the attempt did on the wire, and tells the faults apart with it: an I/O
    /// failure before any byte of the answer is [`ErrorKind::NoResponse`] (after a write) or
    /// stays [`ErrorKind::Io`] (nothing written), one after the answer started is
    /// [`ErrorKind::Truncated`]; a timeout before anything was written is
    /// [`ErrorKind::ConnectTimeout`].
    fn traced(mut self) -> Failure {
        let t = trace::current();
        self.trace = t;
        let kind = self.error.kind();
        let refined = match kind {
            // Bytes arrived, but not an HTTP answer: neither cut off nor missing.
            ErrorKind::Io if self.error.is_protocol() => None,
            ErrorKind::Io if t.answered => Some((
                ErrorKind::Truncated,
                "the answer was cut off: the connection closed or was reset before its end",
            )),
            ErrorKind::Io if t.wrote => Some((
                ErrorKind::NoResponse,
                "the connection closed or was reset before any byte of the answer arrived \
                 (the request was sent and may have reached the server)",
            )),
            ErrorKind::Timeout if !t.wrote => Some((
                ErrorKind::ConnectTimeout,
                "timed out before the request could be sent (nothing reached the server)",
            )),
            _ => None,
        };
        if let Some((kind, what)) = refined {
            let detail = self.error.message().to_string();
            self.error = Error::new(kind, format!("{what} ({detail})"));
            if kind == ErrorKind::ConnectTimeout {
                self.before_send = true;
            }
        }
        self
    }
}

impl Error {
    /// The kinds whose request can have reached the server whatever the trace says (a
    /// timeout or a truncated answer after the request went out).
    fn request_sent_by_kind(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Timeout | ErrorKind::Truncated | ErrorKind::NoResponse
        )
    }
}

impl ProcessAgent {
    /// One exchange: a pooled connection to `base` (probed first) or a new one, the request,
    /// the whole answer; the connection goes back to the pool if it can carry another.
    fn send_once(&self, base: &str, req: &Prepared<'_>) -> Result<Response, Failure> {
        // Refused before any connection is taken or made.
        let (name, value) = req.auth.header().ok_or_else(unrepresentable)?;
        if !representable(req.path_and_query) {
            return Err(unrepresentable());
        }
        let pool = self.shard();
        let (origin, pooled) = pool.take(base).ok_or_else(unrepresentable)?;
        let mut conn = match pooled {
            Some(conn) => conn,
            None => self.dialer.connect(&origin).map_err(map_ureq_error)?,
        };
        let request = http1::Request {
            method: req.method,
            target: req.path_and_query,
            host: &origin.host,
            user_agent: &self.user_agent,
            auth: (name.as_str().as_bytes(), value.as_bytes()),
            form: req.form_body.map(str::as_bytes),
        };
        let answer = http1::exchange(&mut conn, &request, req.body_limit)?;
        if answer.reusable {
            pool.put(&origin, conn, answer.idle_timeout);
        }
        Response::from_wire_vec(req.success, req.body_limit, answer.status, answer.body)
            .map(|resp| {
                resp.with_retry_after(answer.retry_after)
                    .with_head(answer.head)
            })
            .map_err(|error| Failure::new(error.with_http_status(answer.status), false))
    }
}

/// A request target that can go on the request line as it is: a path starting with `/`,
/// printable ASCII without spaces (the callers percent-encode everything else).
fn representable(target: &str) -> bool {
    target.starts_with('/') && target.bytes().all(|b| b.is_ascii_graphic())
}

fn unrepresentable() -> Failure {
    Failure::new(
        Error::invalid_argument("Invalid request: it cannot be represented as an HTTP request"),
        false,
    )
}

/// Maps a ureq error to an [`Error`], and tells whether it happened before anything was
/// sent (so that failover to the secondary URL is safe).
fn map_ureq_error(e: ureq::Error) -> Failure {
    use ureq::Error as U;
    let (kind, message, before_send) = match e {
        U::HostNotFound => (ErrorKind::Dns, "host not found".to_string(), true),
        U::Timeout(t @ (ureq::Timeout::Resolve | ureq::Timeout::Connect)) => (
            ErrorKind::ConnectTimeout,
            format!("connect timed out ({t}): nothing was sent"),
            true,
        ),
        U::Timeout(t) => (ErrorKind::Timeout, format!("timed out ({t})"), false),
        U::ConnectionFailed => (ErrorKind::Connect, "connection failed".to_string(), true),
        // The proxy refused the tunnel: our request was not sent.
        U::ConnectProxyFailed(m) => (
            ErrorKind::Connect,
            format!("proxy CONNECT failed: {m}"),
            true,
        ),
        U::Tls(m) => (ErrorKind::Tls, format!("TLS error: {m}"), false),
        U::Pem(e) => (ErrorKind::Tls, format!("TLS certificate error: {e}"), false),
        U::Rustls(e) => (ErrorKind::Tls, format!("TLS error: {e}"), false),
        U::TlsRequired => (ErrorKind::Tls, "TLS required".to_string(), false),
        U::Io(io) => return map_io_error(io),
        U::Protocol(p) => {
            return Failure::new(Error::protocol(format!("not an HTTP answer: {p}")), false);
        }
        U::BadUri(_) | U::Http(_) => (
            ErrorKind::Internal,
            "could not build the HTTP request".to_string(),
            false,
        ),
        other => (ErrorKind::Io, format!("HTTP error: {other}"), false),
    };
    Failure::new(Error::new(kind, message), before_send)
}

pub(super) fn map_io_error(e: io::Error) -> Failure {
    // A failed lookup of our resolver: nothing was sent.
    if let Some(dns) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<DnsFailure>())
    {
        return Failure::new(
            Error::new(
                ErrorKind::Dns,
                format!("host name resolution failed: {dns}"),
            ),
            true,
        );
    }
    // A certificate verification failure arrives as an io::Error of kind InvalidData
    // wrapping a rustls::Error (packaging.md §2).
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return Failure::new(
            Error::new(ErrorKind::Tls, format!("TLS error: {tls}")),
            false,
        );
    }
    use io::ErrorKind as K;
    let (kind, before_send) = match e.kind() {
        // These can only come from connect(2): nothing was sent.
        K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable | K::AddrNotAvailable => {
            (ErrorKind::Connect, true)
        }
        K::TimedOut => (ErrorKind::Timeout, false),
        // std reports getaddrinfo failures with this message and no OS error code.
        _ if e.raw_os_error().is_none()
            && e.to_string()
                .starts_with("failed to lookup address information") =>
        {
            (ErrorKind::Dns, true)
        }
        _ => (ErrorKind::Io, false),
    };
    let message = match kind {
        ErrorKind::Connect => format!("connection failed: {e}"),
        ErrorKind::Dns => format!("host name resolution failed: {e}"),
        ErrorKind::Timeout => format!("timed out: {e}"),
        _ => format!("I/O error: {e}"),
    };
    Failure::new(Error::new(kind, message), before_send)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_numbers_its_own_threads_from_zero() {
        let (a, b) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // Another client called first on this thread: it does not shift the numbers of `a`.
        let _ = thread_slot(0x1000, &b);
        let slots: Vec<(usize, usize)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    let (a, b) = (&a, &b);
                    s.spawn(move || {
                        let first = thread_slot(0x2000, a);
                        // Remembered, also after calls to other clients.
                        let _ = thread_slot(0x1000, b);
                        assert_eq!(thread_slot(0x2000, a), first);
                        (first, thread_slot(0x1000, b))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut of_a: Vec<usize> = slots.iter().map(|(x, _)| *x).collect();
        of_a.sort_unstable();
        assert_eq!(of_a, (0..6).collect::<Vec<_>>());
        let mut of_b: Vec<usize> = slots.iter().map(|(_, y)| *y).collect();
        of_b.sort_unstable();
        assert_eq!(of_b, (1..7).collect::<Vec<_>>());
    }

    #[test]
    fn io_error_mapping() {
        let f = map_io_error(io::Error::from(io::ErrorKind::ConnectionRefused));
        assert_eq!(f.error.kind(), ErrorKind::Connect);
        assert!(f.before_send);
        let f = map_io_error(io::Error::from(io::ErrorKind::ConnectionReset));
        assert_eq!(f.error.kind(), ErrorKind::Io);
        assert!(!f.before_send);
        let f = map_io_error(io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        assert_eq!(f.error.kind(), ErrorKind::Dns);
        assert!(f.before_send);
        let f = map_io_error(io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert_eq!(f.error.kind(), ErrorKind::Tls);
        assert!(!f.before_send);
    }

    #[test]
    fn ureq_error_mapping() {
        let f = map_ureq_error(ureq::Error::HostNotFound);
        assert_eq!(f.error.kind(), ErrorKind::Dns);
        assert!(f.before_send);
        let f = map_ureq_error(ureq::Error::Timeout(ureq::Timeout::Connect));
        assert_eq!(f.error.kind(), ErrorKind::ConnectTimeout);
        assert!(f.before_send);
        let f = map_ureq_error(ureq::Error::Timeout(ureq::Timeout::Global));
        assert_eq!(f.error.kind(), ErrorKind::Timeout);
        assert!(!f.before_send);
    }
}
