//! [`Client`]: an immutable, thread-safe handle on the Authy API, and the request plumbing
//! shared by the endpoint files (`users.rs`, `tokens.rs`, `onetouch.rs`, `phones.rs`,
//! `app.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::cancel::Cancel;
use crate::config::{ClientBuilder, Settings};
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;
use crate::transport::{AgentOptions, CallOptions, Prepared, Transport};
use crate::validation;

/// Prefix of the `/protected/json/...` API family (users, tokens, phones, app).
pub(crate) const PROTECTED: &str = "/protected/json";
/// Prefix of the `/onetouch/json/...` API family (approval requests).
pub(crate) const ONETOUCH: &str = "/onetouch/json";

/// Bytes left as they are in a path segment: RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A blocking client of the Authy API.
///
/// Build one with [`Client::builder`], once, and share it: a `Client` is immutable,
/// `Clone` (cheap: an `Arc` inside) and `Send + Sync`, and its connection pool is shared
/// by all clones and threads.
///
/// Every endpoint method blocks the calling thread until the answer arrives or a timeout
/// expires, validates its arguments before any I/O, and returns `Ok(Response)` for any
/// answer of the API (check [`Response::ok`]) or `Err(Error)` when there is no usable
/// answer. `Debug` never shows the API key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// What calls through this handle ask beyond their request: the timeout given to
    /// [`Client::with_timeout`] (`None`: the built one), the token of
    /// [`Client::with_cancel`].
    call: CallOptions,
}

struct Inner {
    api_key: String,
    base_url: String,
    secondary_base_url: Option<String>,
    connect_timeout: Duration,
    /// The timeout the client was built with (the agent's own).
    timeout: Duration,
    user_agent: String,
    custom_roots: bool,
    proxy_display: Option<String>,
    max_idle_connections_per_host: usize,
    transport: Transport,
}

// A Client must stay usable from any thread (C callers share one `const authy_client *`),
// and what it returns must be movable to another thread.
const _: () = {
    const fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Response>();
    assert_send_sync::<Error>();
    assert_send_sync::<Params>();
};

impl Client {
    /// Starts building a client for the given API key (see [`ClientBuilder`] for the
    /// options and their defaults).
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(api_key)
    }

    pub(crate) fn from_settings(settings: Settings) -> Client {
        let Settings {
            api_key,
            base_url,
            secondary_base_url,
            connect_timeout,
            timeout,
            user_agent,
            root_certs,
            platform_roots,
            proxy_display,
            max_idle_connections_per_host,
            proxy,
            retry,
        } = settings;
        let transport = Transport::new(AgentOptions {
            connect_timeout,
            timeout,
            max_idle_connections_per_host,
            user_agent: user_agent.clone(),
            root_certs: root_certs.clone(),
            platform_roots,
            proxy,
            retry,
        });
        Client {
            call: CallOptions::default(),
            inner: Arc::new(Inner {
                api_key,
                base_url,
                secondary_base_url,
                connect_timeout,
                timeout,
                user_agent,
                custom_roots: root_certs.is_some(),
                proxy_display,
                max_idle_connections_per_host,
                transport,
            }),
        }
    }

    /// The same client with another overall timeout per call: it shares this client's
    /// connections and settings (no I/O, no new connection; cheap to make for one call).
    /// Bindings map a caller's deadline (a Go `context`, a Ruby `timeout:`) onto it.
    ///
    /// Fails with [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for a
    /// zero timeout, like [`ClientBuilder::timeout`].
    pub fn with_timeout(&self, timeout: Duration) -> Result<Client, Error> {
        if timeout.is_zero() {
            return Err(Error::invalid_argument(
                "Invalid timeout: must be greater than zero",
            ));
        }
        Ok(Client {
            inner: Arc::clone(&self.inner),
            call: CallOptions {
                timeout: Some(timeout),
                cancel: self.call.cancel.clone(),
            },
        })
    }

    /// The same client (and timeout) with a [`Cancel`] token: [`Cancel::cancel`], from any
    /// thread, stops the calls made through the returned handle — at once between attempts,
    /// and by shutting the connection down during one — with
    /// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled). No I/O; cheap to make for one
    /// call. Bindings map a Go `context`, a Ruby `Timeout` or a C++ `std::stop_token` onto it.
    pub fn with_cancel(&self, cancel: &Cancel) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            call: CallOptions {
                timeout: self.call.timeout,
                cancel: Some(cancel.clone()),
            },
        }
    }

    /// The primary base URL (normalized: no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The secondary base URL, if configured.
    pub fn secondary_base_url(&self) -> Option<&str> {
        self.inner.secondary_base_url.as_deref()
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.connect_timeout
    }

    /// The overall request timeout of calls through this handle.
    pub fn timeout(&self) -> Duration {
        self.call.timeout.unwrap_or(self.inner.timeout)
    }

    /// How many idle keep-alive connections are kept per host.
    pub fn max_idle_connections_per_host(&self) -> usize {
        self.inner.max_idle_connections_per_host
    }

    /// Sends a request to an endpoint this crate does not wrap (or to the sandbox's
    /// `/sandbox/...` control API). **Blocks.**
    ///
    /// `method` is GET, POST, PUT, DELETE or PATCH (any case). `path` is the path below the
    /// base URL, starting with `/` (for example `/protected/json/app/details`), made of
    /// ASCII letters, digits and `/-_.~` only, without empty, `.` or `..` segments.
    /// For GET and DELETE `params` become the query string; otherwise a form body.
    /// The API key is added as a header; never put it in `params`.
    ///
    /// The answer to a token verification path (`/protected/json/verify/...`, compared
    /// without regard to case) is marked like the answer of
    /// [`verify_token`](Client::verify_token): [`Response::ok`] then also requires
    /// `"token":"is valid"`, so a `200` without it is never taken for a valid token.
    pub fn request(&self, method: &str, path: &str, params: &Params) -> Result<Response, Error> {
        let method = validation::method(method)?;
        validation::request_path(path)?;
        validation::no_api_key_param(params)?;
        let resp = self.execute(method, path.to_string(), params)?;
        Ok(if is_token_check_path(path) {
            resp.into_token_check()
        } else {
            resp
        })
    }

    /// GET `prefix/segments...` with `params` as the query string.
    pub(crate) fn get(
        &self,
        prefix: &str,
        segments: &[&str],
        params: &Params,
    ) -> Result<Response, Error> {
        self.execute("GET", build_path(prefix, segments), params)
    }

    /// POST `prefix/segments...` with `params` as a form body.
    pub(crate) fn post(
        &self,
        prefix: &str,
        segments: &[&str],
        params: &Params,
    ) -> Result<Response, Error> {
        self.execute("POST", build_path(prefix, segments), params)
    }

    fn execute(
        &self,
        method: &'static str,
        mut path: String,
        params: &Params,
    ) -> Result<Response, Error> {
        let idempotent = is_read(method, &path);
        let encoded = params.to_form_string();
        let has_body = !matches!(method, "GET" | "DELETE");
        if !has_body && !encoded.is_empty() {
            validation::query_length(path.len() + 1 + encoded.len())?;
            path.push('?');
            path.push_str(&encoded);
        }
        let prepared = Prepared {
            method,
            path_and_query: &path,
            form_body: has_body.then_some(encoded.as_str()),
            idempotent,
        };
        let inner = &*self.inner;
        inner.transport.send(
            &inner.api_key,
            &inner.base_url,
            inner.secondary_base_url.as_deref(),
            &prepared,
            &self.call,
        )
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("api_key", &"<redacted>")
            .field("base_url", &inner.base_url)
            .field("secondary_base_url", &inner.secondary_base_url)
            .field("connect_timeout", &inner.connect_timeout)
            .field("timeout", &self.timeout())
            .field("cancel", &self.call.cancel)
            .field("user_agent", &inner.user_agent)
            .field("custom_roots", &inner.custom_roots)
            .field("proxy", &inner.proxy_display)
            .field(
                "max_idle_connections_per_host",
                &inner.max_idle_connections_per_host,
            )
            .finish_non_exhaustive()
    }
}

/// `true` for the reads of the API — the requests without a side effect, which may be sent
/// again after any failure (`transport::retry`): user status, registration status, approval
/// request status, phone verification status, phone info, application details and stats.
/// Everything else, including a raw `GET` of an SMS, call or verification path, has (or may
/// have) a side effect. `path` is the path without its query string.
fn is_read(method: &str, path: &str) -> bool {
    if method != "GET" {
        return false;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["protected", "json", "users", _, "status"]
            | ["protected", "json", "registrations", "status"]
            | ["protected", "json", "phones", "verification", "status"]
            | ["protected", "json", "phones", "info"]
            | ["protected", "json", "app", "details" | "stats"]
            | ["onetouch", "json", "approval_requests", _]
    )
}

/// `true` for a token verification path: `/protected/json/verify/...` in any case (whatever
/// the method: marking more answers as token checks can only make `ok()` stricter).
fn is_token_check_path(path: &str) -> bool {
    const VERIFY: &str = "/protected/json/verify/";
    path.get(..VERIFY.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(VERIFY))
}

/// `prefix` followed by each segment, percent-encoded (every byte except unreserved
/// characters), separated by `/`.
pub(crate) fn build_path(prefix: &str, segments: &[&str]) -> String {
    let mut path = String::from(prefix);
    for seg in segments {
        path.push('/');
        path.extend(utf8_percent_encode(seg, SEGMENT));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(
            build_path(PROTECTED, &["verify", "123456", "42"]),
            "/protected/json/verify/123456/42"
        );
        assert_eq!(
            build_path(ONETOUCH, &["approval_requests", "a/../b?c#d %e"]),
            "/onetouch/json/approval_requests/a%2F..%2Fb%3Fc%23d%20%25e"
        );
    }

    #[test]
    fn only_reads_are_idempotent() {
        for (m, p) in [
            ("GET", "/protected/json/users/42/status"),
            ("GET", "/protected/json/registrations/status"),
            ("GET", "/protected/json/phones/verification/status"),
            ("GET", "/protected/json/phones/info"),
            ("GET", "/protected/json/app/details"),
            ("GET", "/protected/json/app/stats"),
            ("GET", "/onetouch/json/approval_requests/abc-123"),
        ] {
            assert!(is_read(m, p), "{m} {p}");
        }
        for (m, p) in [
            ("GET", "/protected/json/sms/42"),
            ("GET", "/protected/json/call/42"),
            ("GET", "/protected/json/verify/1234567/42"),
            ("GET", "/protected/json/phones/verification/check"),
            ("POST", "/protected/json/users/new"),
            ("POST", "/protected/json/app/details"),
            ("DELETE", "/protected/json/users/42/status"),
            ("GET", "/protected/xml/app/details"),
            ("GET", "/protected/json/users/42/status/x"),
            ("GET", "/sandbox/users/42/last_code"),
        ] {
            assert!(!is_read(m, p), "{m} {p}");
        }
    }

    #[test]
    fn token_check_paths() {
        assert!(is_token_check_path("/protected/json/verify/1234567/42"));
        assert!(is_token_check_path("/Protected/JSON/Verify/1234567/42"));
        assert!(is_token_check_path(&build_path(
            PROTECTED,
            &["verify", "1234567", "42"]
        )));
        assert!(!is_token_check_path("/protected/json/verify"));
        assert!(!is_token_check_path("/protected/json/sms/42"));
        assert!(!is_token_check_path(
            "/protected/json/phones/verification/check"
        ));
        assert!(!is_token_check_path("/é"));
    }

    #[test]
    fn request_refuses_the_api_key_as_a_parameter_and_overlong_queries() {
        let c = Client::builder("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        for key in ["api_key", "API_KEY", "api_key[]", "Api_Key[x]"] {
            let e = c
                .request(
                    "GET",
                    "/protected/json/app/details",
                    &Params::new().with(key, "k"),
                )
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{key}");
            assert!(e.message().contains("X-Authy-API-Key"), "{}", e.message());
        }
        // Only the key parameter itself: look-alike names are ordinary parameters (port 9
        // refuses the connection, so they get as far as the transport).
        for key in ["api_keys", "my_api_key", "api"] {
            let e = c
                .request("GET", "/x", &Params::new().with(key, "v"))
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Connect, "{key}");
        }
        // A query at the limit is sent; one byte more is refused before any I/O.
        let path = "/protected/json/x";
        let fill = validation::MAX_QUERY_URL_BYTES - path.len() - "?a=".len();
        let at_limit = Params::new().with("a", "b".repeat(fill));
        let e = c.request("GET", path, &at_limit).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Connect);
        let over = Params::new().with("a", "b".repeat(fill + 1));
        let e = c.request("GET", path, &over).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        // 70 kB (over the http crate's 64 KiB URI limit, which used to surface as an
        // internal error): an invalid argument too; as a POST body it is sent.
        let big = Params::new().with("a", "b".repeat(70_000));
        let e = c.request("GET", path, &big).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        let e = c.request("POST", path, &big).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Connect);
    }

    #[test]
    fn request_refuses_bad_paths_before_io() {
        // Port 9 on loopback: nothing is sent because validation fails first.
        let c = Client::builder("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        for (m, p) in [
            ("GET", "relative"),
            ("GET", "/a/../b"),
            ("GET", "/a?x"),
            ("TRACE", "/a"),
        ] {
            let e = c.request(m, p, &Params::new()).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{m} {p}");
        }
    }
}
