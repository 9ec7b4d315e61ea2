//! What happened on the wire during one attempt, as the retry rules need it: was the
//! connection a reused (pooled) one, were any request bytes handed to it, did any byte of
//! the answer arrive.
//!
//! A failed read does not say so (a close covers a server that closed before answering and
//! one that cut its answer off), so the connector wraps every connection in a [`Traced`]
//! transport that records those facts in a thread-local [`Trace`] of the attempt running on
//! the calling thread (the exchange, `http1`, runs on the thread that called; only name
//! lookups run elsewhere, and they do not touch connections). The connection to a CONNECT
//! proxy is not wrapped on its own: the tunnel's CONNECT request is not the API's request, so
//! a failure while the tunnel is set up is one where nothing was sent.
//!
//! The same thread-local [`Scope`] carries what the running call asks of its connections: its
//! deadline (every connect, TLS handshake, read and write is bounded by what is left of it, so a
//! per-call deadline never changes the connector's configuration, which would cost the cached
//! TLS configuration and its session resumption) and its [`Cancel`] token (the connection of the
//! attempt is registered with it while the attempt runs).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::time;
use ureq::unversioned::transport::{
    Buffers, ChainedConnector, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout,
    RustlsConnector, ShutdownHandle, Transport,
};

use crate::cancel::{Cancel, Connection};

/// The facts of the current attempt on this thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Trace {
    /// The request went to a connection that had already served a request.
    pub(crate) reused: bool,
    /// A write of the request to the connection succeeded, so the request may have reached
    /// the server. While it is `false`, no complete request can have arrived there: a failed
    /// write means the request was not handed over in full, and a server acts on a request
    /// only once it has all of it.
    pub(crate) wrote: bool,
    /// At least one byte of the answer arrived.
    pub(crate) answered: bool,
}

thread_local! {
    static CURRENT: Cell<Trace> = const { Cell::new(Trace { reused: false, wrote: false, answered: false }) };
}

/// Starts recording a new attempt on this thread.
pub(crate) fn begin() {
    CURRENT.with(|t| t.set(Trace::default()));
}

/// What the attempt begun last on this thread did.
pub(crate) fn current() -> Trace {
    CURRENT.with(Cell::get)
}

fn update(f: impl FnOnce(&mut Trace)) {
    CURRENT.with(|t| {
        let mut trace = t.get();
        f(&mut trace);
        t.set(trace);
    });
}

/// What the call running on this thread asks of its connections (see the module
/// documentation).
#[derive(Default)]
struct Scope {
    deadline: Option<Instant>,
    cancel: Option<Cancel>,
    /// Registrations with `cancel` made by the attempt running now.
    attached: Vec<u64>,
}

thread_local! {
    static SCOPE: RefCell<Scope> = RefCell::new(Scope::default());
}

/// Sets the deadline and cancel token of the attempt about to run on this thread, until the
/// guard is dropped (which also forgets the attempt's registrations with the token).
pub(crate) fn scope(deadline: Option<Instant>, cancel: Option<&Cancel>) -> ScopeGuard {
    SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        s.deadline = deadline;
        s.cancel = cancel.cloned();
        s.attached.clear();
    });
    ScopeGuard(())
}

/// Ends the scope set by [`scope`] when dropped.
pub(crate) struct ScopeGuard(());

impl ScopeGuard {
    /// Ends the scope; `true` when a cancel shut down a connection of the attempt.
    pub(crate) fn end(self) -> bool {
        std::mem::forget(self);
        end_scope()
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        end_scope();
    }
}

fn end_scope() -> bool {
    let done = SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        s.deadline = None;
        let attached = std::mem::take(&mut s.attached);
        s.cancel.take().map(|c| (c, attached))
    });
    done.is_some_and(|(cancel, attached)| cancel.detach(&attached))
}

/// Time left before the current call's deadline (`None`: no deadline).
pub(crate) fn remaining() -> Option<Duration> {
    SCOPE
        .with(|s| s.borrow().deadline)
        .map(|d| d.saturating_duration_since(Instant::now()))
}

/// Whether the current call's token has been cancelled.
pub(crate) fn cancelled() -> bool {
    SCOPE.with(|s| s.borrow().cancel.as_ref().is_some_and(Cancel::is_cancelled))
}

/// The current call's token, if any.
pub(crate) fn current_cancel() -> Option<Cancel> {
    SCOPE.with(|s| s.borrow().cancel.clone())
}

/// Registers a connection with the current call's token (shut down at once if the token is
/// already cancelled).
fn attach(conn: &Connection) {
    SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(cancel) = s.cancel.clone()
            && let Some(id) = cancel.attach(conn)
        {
            s.attached.push(id);
        }
    });
}

/// `timeout` bounded by the current call's deadline; `reason` names the phase when the
/// deadline is the nearer limit.
///
/// The time left is rounded up to the next whole millisecond. A socket keeps its timeout
/// until it is given another one, and the time left is a different number of nanoseconds at
/// every read and write: rounded, it stays the same from call to call (a call that reads its
/// answer within the first millisecond finds the same value as the last), so the socket's
/// timeouts are not set again on every call (two `setsockopt` per call). A step may then end
/// up to 1 ms after the deadline; the kernel counts socket timeouts in scheduler ticks
/// anyway, which are coarser. Once the deadline has passed the time left is zero.
pub(crate) fn bounded(timeout: NextTimeout, reason: ureq::Timeout) -> NextTimeout {
    match remaining().map(ceil_millis) {
        Some(left) if left < *timeout.after => NextTimeout {
            after: time::Duration::Exact(left),
            reason,
            ..timeout
        },
        _ => timeout,
    }
}

/// `d` rounded up to whole milliseconds.
pub(super) fn ceil_millis(d: Duration) -> Duration {
    let nanos = d.subsec_nanos();
    let rounded = nanos.div_ceil(1_000_000) * 1_000_000;
    if rounded == 1_000_000_000 {
        Duration::from_secs(d.as_secs().saturating_add(1))
    } else {
        Duration::new(d.as_secs(), rounded)
    }
}

/// The connector: the chain proxy tunnel (ureq's), TCP (ours: see `tcp`), TLS (ureq's
/// rustls), whose connection is wrapped in [`Traced`]. It bounds the connection's
/// set-up by the current call's deadline and catches the socket the chain registers for
/// shutdown, so that a [`Cancel`] can shut it down. (The SOCKS and TLS-provider links of
/// ureq's default chain are left out: `config` refuses SOCKS proxies, and rustls is the only
/// provider built in.)
#[derive(Debug)]
pub(crate) struct TracingConnector {
    inner: Arc<Chain>,
}

/// The chain under the tracing: also what connects to a CONNECT proxy, whose connection is
/// not an attempt's (the tunnel's CONNECT request is not the request).
pub(crate) type Chain = ChainedConnector<
    (),
    ChainedConnector<(), ChainedConnector<(), (), ConnectProxyConnector>, super::tcp::TcpConnector>,
    RustlsConnector,
>;

impl Default for TracingConnector {
    fn default() -> Self {
        let inner =
            ().chain(ConnectProxyConnector::default())
                .chain(super::tcp::TcpConnector)
                .chain(RustlsConnector::default());
        TracingConnector {
            inner: Arc::new(inner),
        }
    }
}

impl TracingConnector {
    /// The chain this connector wraps.
    pub(crate) fn inner_chain(&self) -> Arc<Chain> {
        Arc::clone(&self.inner)
    }
}

/// The socket a connector chain registered, caught on its way to the agent.
type Caught = Arc<Mutex<Option<Weak<dyn ShutdownHandle>>>>;

impl Connector<()> for TracingConnector {
    type Out = Traced<Box<dyn Transport>>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if cancelled() {
            return Err(cancelled_error());
        }
        if remaining().is_some_and(|left| left.is_zero()) {
            return Err(ureq::Error::Timeout(ureq::Timeout::Connect));
        }
        let shut = Arc::new(AtomicBool::new(false));
        let caught: Caught = Arc::default();
        let register = {
            let (agent, caught, shut) = (
                details.register_shutdown.clone(),
                Arc::clone(&caught),
                Arc::clone(&shut),
            );
            Arc::new(move |socket: Weak<dyn ShutdownHandle>| {
                *caught.lock().unwrap_or_else(PoisonError::into_inner) = Some(socket.clone());
                // A cancel from now on interrupts the TLS handshake or proxy tunnel too.
                attach(&Connection {
                    socket: socket.clone(),
                    shut: Arc::clone(&shut),
                });
                if shut.load(Ordering::SeqCst) {
                    return Err(cancelled_error());
                }
                agent(socket)
            })
        };
        let ours = ConnectionDetails {
            uri: details.uri,
            addrs: details.addrs.clone(),
            config: details.config,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: bounded(details.timeout, ureq::Timeout::Connect),
            current_time: details.current_time.clone(),
            run_connector: details.run_connector.clone(),
            register_shutdown: register,
        };
        let Some(inner) = self.inner.connect(&ours, chained)? else {
            return Ok(None);
        };
        let inner = inner.boxed();
        let socket = caught.lock().unwrap_or_else(PoisonError::into_inner).take();
        Ok(Some(Traced {
            inner,
            requests: 0,
            reading: true,
            socket,
            shut,
        }))
    }
}

/// The error of I/O stopped by a [`Cancel`] (the transport reports the call as cancelled).
pub(crate) fn cancelled_error() -> ureq::Error {
    ureq::Error::Io(std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        "the call was cancelled",
    ))
}

/// A connection that reports its use to the current [`Trace`], bounds its I/O by the current
/// call's deadline and registers itself with the current call's [`Cancel`] token.
pub(crate) struct Traced<T> {
    inner: T,
    /// Requests started on this connection.
    requests: u64,
    /// The last operation was a read (so the next write starts a new request).
    reading: bool,
    /// The socket under the connection (TLS and proxy tunnel included), for a cancel.
    socket: Option<Weak<dyn ShutdownHandle>>,
    /// Set when a cancel shut the socket down: the connection is never used again.
    shut: Arc<AtomicBool>,
}

impl<T> std::fmt::Debug for Traced<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Traced")
            .field("requests", &self.requests)
            .field("shut", &self.shut.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Transport for Traced<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.reading {
            // The first write after the previous answer (or on a new connection): a new request.
            self.reading = false;
            self.requests += 1;
            let reused = self.requests > 1;
            update(|t| t.reused = reused);
            if reused && let Some(socket) = &self.socket {
                // A pooled connection now serves this call: its cancel may shut it down.
                attach(&Connection {
                    socket: socket.clone(),
                    shut: Arc::clone(&self.shut),
                });
            }
        }
        if self.shut.load(Ordering::SeqCst) {
            return Err(cancelled_error());
        }
        self.inner
            .transmit_output(amount, bounded(timeout, ureq::Timeout::Global))?;
        update(|t| t.wrote = true);
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.reading = true;
        if self.shut.load(Ordering::SeqCst) {
            return Err(cancelled_error());
        }
        let progress = self
            .inner
            .await_input(bounded(timeout, ureq::Timeout::Global))?;
        if progress {
            update(|t| t.answered = true);
        }
        Ok(progress)
    }

    /// The liveness probe, made when the pool hands the connection out, before any request
    /// is written on it (`pool`): bytes the server sent after the last answer, or a close.
    fn is_open(&mut self) -> bool {
        if self.shut.load(Ordering::SeqCst) {
            return false;
        }
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_is_rounded_up_to_whole_milliseconds() {
        let ms = Duration::from_millis;
        assert_eq!(ceil_millis(Duration::ZERO), Duration::ZERO);
        assert_eq!(ceil_millis(Duration::from_nanos(1)), ms(1));
        assert_eq!(ceil_millis(ms(7)), ms(7));
        assert_eq!(ceil_millis(ms(7) + Duration::from_nanos(1)), ms(8));
        assert_eq!(ceil_millis(Duration::new(2, 999_999_999)), ms(3000));
        assert_eq!(ceil_millis(Duration::new(9, 999_000_001)), ms(10_000));
        assert_eq!(ceil_millis(Duration::MAX), Duration::from_secs(u64::MAX));
        // What makes it stable: a deadline 10 s away, a few µs after the call began.
        let a = ceil_millis(Duration::from_secs(10) - Duration::from_micros(23));
        let b = ceil_millis(Duration::from_secs(10) - Duration::from_micros(71));
        assert_eq!((a, b), (ms(10_000), ms(10_000)));
    }
}
