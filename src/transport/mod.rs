//! The HTTP transport: a ureq agent per process, failover to the secondary base URL, and the
//! mapping of ureq errors to [`ErrorKind`].
//!
//! * [`process`]: the per-process cell that keeps a child of `fork()` off its parent's
//!   connections;
//! * [`resolver`]: the agent's own name cache.

mod process;
mod resolver;

use std::io;
use std::time::Duration;

use ureq::Agent;
use ureq::http;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::transport::DefaultConnector;

use crate::error::{Error, ErrorKind};
use crate::response::{MAX_BODY_BYTES, Response};

use process::PerProcess;
use resolver::{CachingResolver, DnsFailure};

/// Header carrying the API key (the only place the key is ever sent).
pub(crate) const API_KEY_HEADER: &str = "X-Authy-API-Key";

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
}

/// The connections of a client: an agent (keep-alive pool, TLS configuration and sessions,
/// name cache) for the process that uses it. Every process gets its own agent, built on its
/// first request, so no connection is ever used by two processes (see [`process`]).
pub(crate) struct Transport {
    options: AgentOptions,
    agent: PerProcess<ProcessAgent>,
}

/// One process's agent and the resolver inside it (kept to drop stale addresses).
struct ProcessAgent {
    agent: Agent,
    resolver: CachingResolver,
}

impl Transport {
    pub(crate) fn new(options: AgentOptions) -> Self {
        let agent = PerProcess::new(ProcessAgent::new(&options));
        Transport { options, agent }
    }

    /// Sends `req` to `base`, then to `secondary` if `base` could not be connected to.
    /// `timeout` bounds the whole call (`None`: the client's timeout).
    pub(crate) fn send(
        &self,
        api_key: &str,
        base: &str,
        secondary: Option<&str>,
        req: &Prepared<'_>,
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        let current = self.agent.get(|| ProcessAgent::new(&self.options));
        let attempt = |base: &str| current.attempt(api_key, base, req, timeout);
        match attempt(base) {
            Err(failure) if failure.before_send => match secondary {
                Some(sec) => attempt(sec).map_err(|f| f.error),
                None => Err(failure.error),
            },
            other => other.map_err(|f| f.error),
        }
    }
}

impl ProcessAgent {
    fn new(options: &AgentOptions) -> Self {
        // A custom CA wins, then the platform's verifier, else the bundled Mozilla roots.
        // rustls speaks TLS 1.2 and 1.3 only, whatever the roots.
        let roots = match &options.root_certs {
            Some(certs) => RootCerts::new_with_certs(certs),
            None if options.platform_roots => RootCerts::PlatformVerifier,
            None => RootCerts::WebPki,
        };
        let config = Agent::config_builder()
            // 4xx/5xx are answers, not errors: we want their bodies.
            .http_status_as_error(false)
            // Only the proxy `config` chose (explicit, or from the environment on opt-in);
            // ureq itself never reads the environment here.
            .proxy(options.proxy.clone())
            // Never follow redirects: the key header must not travel to another host, and a
            // redirect from the Authy API is not expected. A 3xx comes back as a Response.
            .max_redirects(0)
            .max_redirects_will_error(false)
            // ureq gives the name lookup its own phase: without `timeout_resolve` a hung DNS
            // would only be stopped by the global timeout.
            .timeout_resolve(Some(options.connect_timeout))
            .timeout_connect(Some(options.connect_timeout))
            .timeout_global(Some(options.timeout))
            // ureq keeps 3 idle connections per host by default: too few for a Client shared
            // by many threads, which would then reconnect on most calls. Two hosts at most
            // (primary and secondary base URL) share the pool.
            .max_idle_connections_per_host(options.max_idle_connections_per_host)
            .max_idle_connections(options.max_idle_connections_per_host.saturating_mul(2))
            .user_agent(options.user_agent.as_str())
            .accept("application/json")
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build();
        let resolver = CachingResolver::new();
        let agent = Agent::with_parts(config, DefaultConnector::new(), resolver.clone());
        ProcessAgent { agent, resolver }
    }

    /// One attempt on one base URL. When the host could be resolved but not connected to,
    /// its cached addresses are dropped so that the next request looks it up again.
    fn attempt(
        &self,
        api_key: &str,
        base: &str,
        req: &Prepared<'_>,
        timeout: Option<Duration>,
    ) -> Result<Response, Failure> {
        let result = send_once(&self.agent, api_key, base, req, timeout);
        if let Err(f) = &result
            && f.before_send
            && f.error.kind() != ErrorKind::Dns
        {
            self.resolver.forget_address(base);
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
}

/// A failed attempt, and whether the request certainly never reached the server.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) before_send: bool,
}

fn send_once(
    agent: &Agent,
    api_key: &str,
    base: &str,
    req: &Prepared<'_>,
    timeout: Option<Duration>,
) -> Result<Response, Failure> {
    let url = format!("{base}{}", req.path_and_query);
    let builder = http::Request::builder()
        .method(req.method)
        .uri(&url)
        .header(API_KEY_HEADER, api_key);
    let result = match req.form_body {
        Some(body) => {
            let request = builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.as_bytes())
                .map_err(internal)?;
            agent.run(per_call_timeout(agent, request, timeout))
        }
        None => {
            let request = builder.body(()).map_err(internal)?;
            agent.run(per_call_timeout(agent, request, timeout))
        }
    };
    let mut response = result.map_err(map_ureq_error)?;
    let status = response.status().as_u16();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES as u64)
        .read_to_vec()
        .map_err(|e| Failure {
            error: map_body_error(e),
            before_send: false,
        })?;
    Response::from_bytes(status, &bytes).map_err(|error| Failure {
        error,
        before_send: false,
    })
}

/// A per-call timeout (`Client::with_timeout`) replaces the agent's global one.
fn per_call_timeout<S: ureq::AsSendBody>(
    agent: &Agent,
    request: http::Request<S>,
    timeout: Option<Duration>,
) -> http::Request<S> {
    match timeout {
        Some(t) => agent
            .configure_request(request)
            .timeout_global(Some(t))
            .build(),
        None => request,
    }
}

fn internal(e: http::Error) -> Failure {
    // The URL and headers were validated before; this would be a bug. The URL is not
    // included (it is safe, but the header value could be the key).
    let _ = e;
    Failure {
        error: Error::new(ErrorKind::Internal, "could not build the HTTP request"),
        before_send: false,
    }
}

fn map_body_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::BodyExceedsLimit(_) => Error::new(
            ErrorKind::Decode,
            format!("Response body too large (more than {MAX_BODY_BYTES} bytes)"),
        ),
        other => map_ureq_error(other).error,
    }
}

/// Maps a ureq error to an [`Error`], and tells whether it happened before anything was
/// sent (so that failover to the secondary URL is safe).
pub(crate) fn map_ureq_error(e: ureq::Error) -> Failure {
    use ureq::Error as U;
    let (kind, message, before_send) = match e {
        U::HostNotFound => (ErrorKind::Dns, "host not found".to_string(), true),
        U::Timeout(t) => {
            let before = matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect);
            (ErrorKind::Timeout, format!("timed out ({t})"), before)
        }
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
        U::Protocol(p) => (ErrorKind::Io, format!("HTTP protocol error: {p}"), false),
        U::LargeResponseHeader(..) => (
            ErrorKind::Decode,
            "response headers too large".to_string(),
            false,
        ),
        U::BodyExceedsLimit(_) => (
            ErrorKind::Decode,
            format!("Response body too large (more than {MAX_BODY_BYTES} bytes)"),
            false,
        ),
        U::BadUri(_) | U::Http(_) => (
            ErrorKind::Internal,
            "could not build the HTTP request".to_string(),
            false,
        ),
        other => (ErrorKind::Io, format!("HTTP error: {other}"), false),
    };
    Failure {
        error: Error::new(kind, message),
        before_send,
    }
}

fn map_io_error(e: io::Error) -> Failure {
    // A failed lookup of our resolver: nothing was sent.
    if let Some(dns) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<DnsFailure>())
    {
        return Failure {
            error: Error::new(
                ErrorKind::Dns,
                format!("host name resolution failed: {dns}"),
            ),
            before_send: true,
        };
    }
    // A certificate verification failure arrives as an io::Error of kind InvalidData
    // wrapping a rustls::Error (packaging.md §2).
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return Failure {
            error: Error::new(ErrorKind::Tls, format!("TLS error: {tls}")),
            before_send: false,
        };
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
    Failure {
        error: Error::new(kind, message),
        before_send,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(f.error.kind(), ErrorKind::Timeout);
        assert!(f.before_send);
        let f = map_ureq_error(ureq::Error::Timeout(ureq::Timeout::Global));
        assert_eq!(f.error.kind(), ErrorKind::Timeout);
        assert!(!f.before_send);
        let f = map_body_error(ureq::Error::BodyExceedsLimit(1 << 20));
        assert_eq!(f.kind(), ErrorKind::Decode);
    }
}
