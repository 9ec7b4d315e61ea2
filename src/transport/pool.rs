//! Connections: how a new one is made (ureq's connector chain, run by us) and where idle ones
//! wait for the next request (a pool per shard, see `ProcessAgent`).
//!
//! A pool keeps, per base URL, at most its share of the client's idle limit, newest last; a
//! connection idle for longer than [`MAX_IDLE_AGE`], or than the server said it keeps it open
//! (less a margin), is closed instead of used. The pool's
//! lock is held only to take or put a connection: the liveness probe of a connection taken
//! from it runs after the lock is released.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http;
use ureq::unversioned::resolver::Resolver;
use ureq::unversioned::transport::{ConnectionDetails, Connector, NextTimeout, Transport, time};

use super::resolver::CachingResolver;
use super::trace::{Chain, Traced, TracingConnector};

/// A connection as the pool holds it.
pub(super) type Conn = Traced<Box<dyn Transport>>;

/// How long an idle connection is kept (ureq's default, which servers' keep-alive timeouts
/// are usually longer than).
const MAX_IDLE_AGE: Duration = Duration::from_secs(15);

/// How much sooner than the server's announced idle timeout a connection is given up: a
/// request sent just as the server closes fails, and one with a side effect is not resent.
const IDLE_MARGIN: Duration = Duration::from_secs(1);

/// Most base URLs a pool keeps connections for (a client has one or two).
const MAX_ORIGINS: usize = 4;

/// A base URL (`scheme://host[:port]`, as `netopts` normalised it), parsed once.
pub(super) struct Origin {
    base: Box<str>,
    uri: http::Uri,
    /// The `Host` header: the authority as written.
    pub(super) host: Box<str>,
}

impl Origin {
    fn new(base: &str) -> Option<Origin> {
        let uri: http::Uri = base.parse().ok()?;
        let host = uri.authority()?.as_str().into();
        Some(Origin {
            base: base.into(),
            uri,
            host,
        })
    }
}

/// Idle connections to one origin.
struct Idle {
    origin: Arc<Origin>,
    /// Each with the instant it stops being used.
    conns: Vec<(Conn, Instant)>,
}

/// The idle connections of one shard. The shards of a client sit side by side in one array:
/// each on its own cache lines (128 bytes: two lines, as adjacent-line prefetch pairs them), so
/// that threads taking the locks of different shards do not pass a line between CPUs.
#[repr(align(128))]
pub(super) struct Pool {
    /// Idle connections kept per origin.
    limit: usize,
    idle: Mutex<Vec<Idle>>,
}

impl Pool {
    pub(super) fn new(limit: usize) -> Pool {
        Pool {
            limit,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The origin of `base` and a live idle connection to it, if there is one.
    pub(super) fn take(&self, base: &str) -> Option<(Arc<Origin>, Option<Conn>)> {
        loop {
            let now = Instant::now();
            let (origin, conn, expired) = {
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                let i = match idle.iter().position(|o| &*o.origin.base == base) {
                    Some(i) => i,
                    None => {
                        if idle.len() >= MAX_ORIGINS {
                            idle.remove(0);
                        }
                        idle.push(Idle {
                            origin: Arc::new(Origin::new(base)?),
                            conns: Vec::new(),
                        });
                        idle.len() - 1
                    }
                };
                let entry = &mut idle[i];
                // The newest is the likeliest to be alive; the expired ones are closed.
                let expired: Vec<(Conn, Instant)> =
                    if entry.conns.iter().any(|(_, until)| *until <= now) {
                        let (keep, gone) = std::mem::take(&mut entry.conns)
                            .into_iter()
                            .partition(|(_, until)| *until > now);
                        entry.conns = keep;
                        gone
                    } else {
                        Vec::new()
                    };
                (Arc::clone(&entry.origin), entry.conns.pop(), expired)
            };
            // Closed outside the lock.
            drop(expired);
            match conn {
                None => return Some((origin, None)),
                Some((mut conn, _)) => {
                    // Stray bytes or a close since the last answer: never serves a request.
                    if conn.is_open() {
                        return Some((origin, Some(conn)));
                    }
                }
            }
        }
    }

    /// Keeps `conn` for the next request to `origin`, if the pool has room, for as long as
    /// the server keeps it open (`server_idle`: what it announced, if it did).
    pub(super) fn put(&self, origin: &Arc<Origin>, conn: Conn, server_idle: Option<Duration>) {
        let keep = server_idle.map_or(MAX_IDLE_AGE, |t| {
            t.saturating_sub(IDLE_MARGIN).min(MAX_IDLE_AGE)
        });
        if keep.is_zero() {
            return;
        }
        let until = Instant::now() + keep;
        let refused = {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            match idle.iter_mut().find(|o| Arc::ptr_eq(&o.origin, origin)) {
                Some(entry) if entry.conns.len() < self.limit => {
                    entry.conns.push((conn, until));
                    None
                }
                _ => Some(conn),
            }
        };
        drop(refused);
    }
}

/// Makes new connections: resolves the host (unless a proxy does), runs the connector chain
/// (proxy tunnel, TCP, TLS) and wraps the result in `Traced`.
pub(super) struct Dialer {
    config: Config,
    connector: TracingConnector,
    resolver: CachingResolver,
    connect_timeout: Duration,
}

impl Dialer {
    pub(super) fn new(
        config: Config,
        resolver: CachingResolver,
        connect_timeout: Duration,
    ) -> Self {
        Dialer {
            config,
            connector: TracingConnector::default(),
            resolver,
            connect_timeout,
        }
    }

    pub(super) fn resolver(&self) -> &CachingResolver {
        &self.resolver
    }

    /// A new connection to `origin`, within the connect timeout and the call's deadline.
    pub(super) fn connect(&self, origin: &Origin) -> Result<Conn, ureq::Error> {
        let config = &self.config;
        let uri = &origin.uri;
        // A proxy resolves the name itself, unless the host is one it must not serve.
        let proxied = config
            .proxy()
            .is_some_and(|p| !p.is_no_proxy(uri) && !p.resolve_target());
        let addrs = if proxied {
            self.resolver.empty()
        } else {
            let timeout = NextTimeout {
                after: time::Duration::Exact(self.connect_timeout),
                reason: ureq::Timeout::Resolve,
                ..NextTimeout::default()
            };
            self.resolver.resolve(uri, config, timeout)?
        };
        let chain: Arc<Chain> = self.connector.inner_chain();
        let details = ConnectionDetails {
            uri,
            addrs,
            config,
            request_level: false,
            resolver: &self.resolver,
            now: time::Instant::now(),
            timeout: NextTimeout {
                after: time::Duration::Exact(self.connect_timeout),
                reason: ureq::Timeout::Connect,
                ..NextTimeout::default()
            },
            current_time: Arc::new(time::Instant::now),
            // The connection to a CONNECT proxy: the same chain (its config has no proxy).
            run_connector: Arc::new(move |details: &ConnectionDetails| {
                match chain.connect(details, None)? {
                    Some(conn) => Ok(conn.boxed()),
                    None => Err(ureq::Error::ConnectionFailed),
                }
            }),
            // No agent to register the socket with: the connector catches it for a cancel.
            register_shutdown: Arc::new(|_| Ok(())),
        };
        let conn = self
            .connector
            .connect(&details, None)?
            .ok_or(ureq::Error::ConnectionFailed)?;
        if details.needs_tls() && !conn.is_tls() {
            return Err(ureq::Error::TlsRequired);
        }
        Ok(conn)
    }
}
