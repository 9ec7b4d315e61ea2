//! [`Client`]: an immutable, thread-safe handle on the Authy API, and the request plumbing
//! shared by the endpoint files (`users.rs`, `tokens.rs`, `onetouch.rs`, `phones.rs`,
//! `app.rs`): each sends through a row of the endpoint table (`endpoints.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::cancel::Cancel;
use crate::config::{ClientBuilder, Settings};
use crate::conn::{self, Call, Conn};
use crate::dialect::{Credentials, Success};
use crate::endpoints::{self, Endpoint};
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;
use crate::transport::CallOptions;
use crate::validation;

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
    base_url: String,
    secondary_base_url: Option<String>,
    conn: Conn,
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
            net,
        } = settings;
        let conn = Conn::new(Credentials::authy_api_key(&api_key), net);
        Client {
            call: CallOptions::default(),
            inner: Arc::new(Inner {
                base_url,
                secondary_base_url,
                conn,
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
        Ok(Client {
            inner: Arc::clone(&self.inner),
            call: conn::with_timeout(&self.call, timeout)?,
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
            call: conn::with_cancel(&self.call, cancel),
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
        &self.inner.conn.net.user_agent
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.conn.net.connect_timeout
    }

    /// The overall request timeout of calls through this handle.
    pub fn timeout(&self) -> Duration {
        self.call.timeout.unwrap_or(self.inner.conn.net.timeout)
    }

    /// How many idle keep-alive connections are kept per host.
    pub fn max_idle_connections_per_host(&self) -> usize {
        self.inner.conn.net.max_idle_connections_per_host
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
        let read = endpoints::is_read(method, path);
        self.execute(
            method,
            path.to_string(),
            params,
            read,
            endpoints::raw_success(path),
        )
    }

    /// Calls endpoint `ep` with its path arguments `args` (escaped here) and `params` (the
    /// query string for GET and DELETE, else a form body).
    /// Waits between two calls of a polling loop; a cancel cuts the wait short.
    pub(crate) fn pause(&self, wait: Duration) {
        self.call.pause(wait);
    }

    pub(crate) fn call(
        &self,
        ep: &Endpoint,
        args: &[&str],
        params: &Params,
    ) -> Result<Response, Error> {
        debug_assert_eq!(ep.dialect(), crate::dialect::Dialect::Authy);
        self.execute(ep.method, ep.path_with(args), params, ep.read, ep.success)
    }

    fn execute(
        &self,
        method: &'static str,
        path: String,
        params: &Params,
        read: bool,
        success: Success,
    ) -> Result<Response, Error> {
        let call = Call::new(method, path, params.to_form_string(), read, success);
        let inner = &*self.inner;
        inner.conn.send(
            &inner.base_url,
            inner.secondary_base_url.as_deref(),
            &self.call,
            call,
        )
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut d = f.debug_struct("Client");
        d.field("api_key", &"<redacted>")
            .field("base_url", &inner.base_url)
            .field("secondary_base_url", &inner.secondary_base_url);
        inner.conn.net.debug_fields(&mut d, self.timeout());
        d.field("cancel", &self.call.cancel).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
