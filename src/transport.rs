//! The HTTP transport: one ureq agent, failover to the secondary base URL, and the mapping
//! of ureq errors to [`ErrorKind`].

use std::io;

use ureq::Agent;
use ureq::http;
use ureq::tls::{RootCerts, TlsConfig};

use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::response::{MAX_BODY_BYTES, Response};

/// Header carrying the API key (the only place the key is ever sent).
pub(crate) const API_KEY_HEADER: &str = "X-Authy-API-Key";

/// Builds the single agent a client uses for its whole life.
pub(crate) fn build_agent(settings: &Settings) -> Agent {
    let roots = match &settings.root_certs {
        Some(certs) => RootCerts::new_with_certs(certs),
        None => RootCerts::WebPki,
    };
    Agent::config_builder()
        // 4xx/5xx are answers, not errors: we want their bodies.
        .http_status_as_error(false)
        // Only an explicitly configured proxy; the environment is never read.
        .proxy(settings.proxy.clone())
        // Never follow redirects: the key header must not travel to another host, and a
        // redirect from the Authy API is not expected. A 3xx comes back as a Response.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(settings.connect_timeout))
        .timeout_global(Some(settings.timeout))
        .user_agent(settings.user_agent.as_str())
        .accept("application/json")
        .tls_config(TlsConfig::builder().root_certs(roots).build())
        .build()
        .into()
}

/// A request ready to be sent to a base URL.
pub(crate) struct Prepared<'a> {
    pub(crate) method: &'static str,
    /// Path (already percent-encoded) plus `?query` if any.
    pub(crate) path_and_query: &'a str,
    /// Form body for methods that carry one (`None` for GET/DELETE).
    pub(crate) form_body: Option<&'a str>,
}

/// Sends `req` to `base`, then to `secondary` if `base` could not be connected to.
pub(crate) fn send(
    agent: &Agent,
    api_key: &str,
    base: &str,
    secondary: Option<&str>,
    req: &Prepared<'_>,
) -> Result<Response, Error> {
    match send_once(agent, api_key, base, req) {
        Err(failure) if failure.before_send => match secondary {
            Some(sec) => send_once(agent, api_key, sec, req).map_err(|f| f.error),
            None => Err(failure.error),
        },
        other => other.map_err(|f| f.error),
    }
}

/// A failed attempt, and whether the request certainly never reached the server.
struct Failure {
    error: Error,
    before_send: bool,
}

fn send_once(
    agent: &Agent,
    api_key: &str,
    base: &str,
    req: &Prepared<'_>,
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
            agent.run(request)
        }
        None => {
            let request = builder.body(()).map_err(internal)?;
            agent.run(request)
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
fn map_ureq_error(e: ureq::Error) -> Failure {
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
