//! Plain TCP connections: the link of the connector chain between the CONNECT proxy and TLS
//! (ureq's own chain otherwise: `ConnectProxyConnector`, this, `RustlsConnector`).
//!
//! It differs from ureq's `TcpConnector` in one thing that runs on every call: the liveness
//! probe made when a connection is taken from the pool is one non-blocking peek
//! (`ffi::sock`) instead of three system calls (socket to non-blocking, a read that must fail,
//! back to blocking). Timeouts are set on the socket only when they change (the call's
//! deadline is rounded so that they rarely do: see `trace`). And its socket exists before the
//! handshake starts and is registered for shutdown then: a cancel aborts a connect in progress
//! (a blackholed host) instead of waiting for the connect timeout.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::Timeout;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

use super::trace::{cancelled, cancelled_error};
use crate::ffi::sock::{idle_and_open, start_connect, tcp_socket, wait_connected};

/// The shortest time given to one address when a host has several.
const MIN_PER_ADDRESS: Duration = Duration::from_millis(100);

/// Opens plain TCP connections (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct TcpConnector;

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        // A connection made earlier in the chain (none in ours) is used as it is.
        if let Some(earlier) = chained {
            return Ok(Some(Either::A(earlier)));
        }
        let stream = connect(details)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TcpTransport {
            stream,
            buffers,
            read_timeout: None,
            write_timeout: None,
        })))
    }
}

/// Connects to the first address that answers, within `details.timeout` in all: each address
/// but the last gets half of what is left (at least [`MIN_PER_ADDRESS`]). Each socket is
/// registered for shutdown before its handshake starts, so that a cancel aborts a connect in
/// progress (and no further address is tried).
fn connect(details: &ConnectionDetails) -> Result<Arc<TcpStream>, ureq::Error> {
    let (addrs, timeout) = (&details.addrs, details.timeout);
    let deadline = timeout.not_zero().map(|d| Instant::now() + *d);
    let mut last = None;
    for (i, addr) in addrs.iter().enumerate() {
        let share = match deadline {
            None => None,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(timeout.reason));
                }
                Some(if i + 1 < addrs.len() {
                    (left / 2).max(MIN_PER_ADDRESS).min(left)
                } else {
                    left
                })
            }
        };
        let stream = match tcp_socket(addr) {
            Ok(s) => Arc::new(s),
            Err(e) => {
                last = Some(e);
                continue;
            }
        };
        // Fails at once when the call is already cancelled.
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        match handshake(&stream, addr, share) {
            Ok(()) => return Ok(stream),
            Err(_) if cancelled() => return Err(cancelled_error()),
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            Err(ureq::Error::Timeout(Timeout::Connect))
        }
        Some(e) => Err(ureq::Error::Io(e)),
        None => Err(ureq::Error::ConnectionFailed),
    }
}

/// Connects `stream` (a new non-blocking socket) to `addr` within `limit`, and makes it
/// blocking again.
fn handshake(stream: &TcpStream, addr: &SocketAddr, limit: Option<Duration>) -> io::Result<()> {
    if !start_connect(stream, addr)? {
        if !wait_connected(stream, limit)? {
            return Err(io::Error::from(io::ErrorKind::TimedOut));
        }
        if let Some(e) = stream.take_error()? {
            return Err(e);
        }
        // A shutdown (a cancel) ends the handshake without an error code: not connected.
        stream.peer_addr()?;
    }
    stream.set_nonblocking(false)
}

/// One plain TCP connection.
pub(crate) struct TcpTransport {
    /// Shared (weakly) with the shutdown handle; all I/O goes through `&TcpStream`.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// The timeouts the socket has now (`None`: none, or not set yet).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl std::fmt::Debug for TcpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpTransport")
            .field("peer", &self.stream.peer_addr().ok())
            .finish_non_exhaustive()
    }
}

/// The socket timeout for `timeout`: an error when it has already run out. Rounded up to
/// whole milliseconds here too: under TLS, ureq's adapter hands down what is left of the
/// (rounded) time it was given, a few microseconds less at every read and write, which set
/// the socket's timeouts again on every call of a pooled HTTPS connection.
fn socket_timeout(timeout: NextTimeout) -> Result<Option<Duration>, ureq::Error> {
    if timeout.after.is_zero() {
        return Err(ureq::Error::Timeout(timeout.reason));
    }
    Ok(timeout.not_zero().map(|d| super::trace::ceil_millis(*d)))
}

/// An I/O error of a read or write: a socket timeout is the call's timeout.
fn io_error(e: io::Error, reason: Timeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = timeout.for_write();
        let wanted = socket_timeout(timeout)?;
        if wanted != self.write_timeout {
            self.stream.set_write_timeout(wanted)?;
            self.write_timeout = wanted;
        }
        let output = &self.buffers.output()[..amount];
        (&*self.stream)
            .write_all(output)
            .map_err(|e| io_error(e, timeout.reason))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = timeout.for_read();
        let wanted = socket_timeout(timeout)?;
        if wanted != self.read_timeout {
            self.stream.set_read_timeout(wanted)?;
            self.read_timeout = wanted;
        }
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*self.stream).read(input) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(e, timeout.reason)),
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        idle_and_open(&self.stream)
    }

    fn is_tls(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time;

    #[test]
    fn socket_timeouts_are_whole_milliseconds() {
        let after = |d: Duration| NextTimeout {
            after: time::Duration::Exact(d),
            ..NextTimeout::default()
        };
        let ms = Duration::from_millis;
        // What ureq's TLS adapter hands down: a rounded time less the microseconds spent.
        let a = socket_timeout(after(ms(3000) - Duration::from_micros(76))).unwrap();
        let b = socket_timeout(after(ms(3000) - Duration::from_micros(4))).unwrap();
        assert_eq!((a, b), (Some(ms(3000)), Some(ms(3000))));
        assert!(socket_timeout(after(Duration::ZERO)).is_err());
        assert_eq!(socket_timeout(NextTimeout::default()).unwrap(), None);
    }
}
