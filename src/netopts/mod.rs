//! [`NetOptions`]: the network options every client embeds (timeouts, TLS roots, proxy,
//! connection pool, retries, User-Agent suffix, cleartext policy), their validation, and the
//! transport built from them. The Authy [`ClientBuilder`](crate::ClientBuilder) embeds one;
//! so will every other API's builder, with the same setters (`net_option_setters!`).

mod base_url;
mod proxy;

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::transport::retry::MAX_RETRY_ATTEMPTS;
use crate::transport::{AgentOptions, RetryPolicy, Transport};
use crate::validation;

pub(crate) use base_url::normalize_base_url;
pub(crate) use proxy::redact_userinfo;

/// Default time allowed to establish a connection (DNS, TCP and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for a whole request, including reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// Default number of idle keep-alive connections kept per host.
pub(crate) const DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST: usize = 32;
/// Largest value accepted by
/// [`max_idle_connections_per_host`](NetOptions::max_idle_connections_per_host).
pub(crate) const MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT: usize = 1024;

/// The network options of a client, one value for every API's builder.
///
/// Each builder ([`ClientBuilder`](crate::ClientBuilder), ...) has the same setters and
/// embeds one `NetOptions`; [`ClientBuilder::net_options`](crate::ClientBuilder::net_options)
/// replaces them all at once, so one value can configure the clients of several APIs.
/// Nothing is checked until the client is built. `Debug` never shows proxy credentials.
///
/// ```
/// use std::time::Duration;
/// let net = authy::NetOptions::new().timeout(Duration::from_secs(3));
/// let client = authy::Client::builder("my-api-key")
///     .base_url("http://127.0.0.1:8080")
///     .net_options(net)
///     .build()
///     .unwrap();
/// assert_eq!(client.timeout(), Duration::from_secs(3));
/// ```
#[derive(Clone)]
#[must_use]
pub struct NetOptions {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) root_ca_pem: Option<String>,
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_from_env: bool,
    pub(crate) platform_roots: bool,
    pub(crate) max_idle_connections_per_host: usize,
    pub(crate) allow_insecure_http: bool,
    pub(crate) retry: RetryPolicy,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent_suffix: None,
            root_ca_pem: None,
            proxy: None,
            proxy_from_env: false,
            platform_roots: false,
            max_idle_connections_per_host: DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST,
            allow_insecure_http: false,
            retry: RetryPolicy::NONE,
        }
    }
}

/// The setters of the network options, as methods of a builder type that has a
/// `fn net_mut(&mut self) -> &mut NetOptions`: written once, the same in every builder.
macro_rules! net_option_setters {
    () => {
        /// Time allowed to establish a connection (default 5 s). Must be non-zero. It bounds
        /// the host name lookup, and then, separately, the TCP connection, proxy tunnel and
        /// TLS handshake; the overall [`timeout`](Self::timeout) bounds both.
        /// Successful lookups are reused for 30 s and IP addresses are never looked up, so on
        /// most calls only the second part applies.
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.net_mut().connect_timeout = timeout;
            self
        }

        /// Time allowed for a whole call, from DNS to the last byte of the body (default 15 s):
        /// it bounds all the call's attempts together (stale-connection resends, retries and
        /// the waits between them); only a failover to the secondary base URL starts a fresh
        /// budget of the same length. Must be non-zero.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.net_mut().timeout = timeout;
            self
        }

        /// How failed calls are retried (default [`RetryPolicy::NONE`](crate::RetryPolicy::NONE):
        /// one attempt). Reads are retried after transient failures and 5xx pages, and after
        /// a 429 with a `Retry-After`; calls with a side effect (SMS, call, e-mail,
        /// verification, user changes, OneTouch creation, phone verification) only when their
        /// request provably never reached the server. Every wait fits the call's timeout,
        /// which bounds all attempts together. Independently of this, a request that failed
        /// on a stale pooled connection before any byte of the answer arrived is sent again
        /// at once when that is safe (always for reads, for the others only if no write of it
        /// succeeded). 1–10 attempts; the initial backoff must not exceed the maximum.
        pub fn retries(mut self, policy: crate::RetryPolicy) -> Self {
            self.net_mut().retry = policy;
            self
        }

        /// Text appended to the User-Agent, which becomes
        /// `libauthy/<version> (<os>; <arch>) <suffix>`. 1–128 printable ASCII characters.
        pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
            self.net_mut().user_agent_suffix = Some(suffix.into());
            self
        }

        /// Trusts only the certificates of this PEM bundle (one or more `CERTIFICATE` blocks)
        /// instead of the bundled Mozilla root certificates: for a private CA, a
        /// TLS-inspecting corporate proxy, or the sandbox's self-signed certificate. Server
        /// certificates are still fully verified (chain, validity, host name).
        ///
        /// Precedence: a root CA PEM replaces every other trust anchor, so it wins over
        /// [`platform_roots`](Self::platform_roots) (the narrowest trust wins).
        pub fn root_ca_pem(mut self, pem: impl Into<String>) -> Self {
            self.net_mut().root_ca_pem = Some(pem.into());
            self
        }

        /// Verifies server certificates with the platform's trust store and verifier instead
        /// of the Mozilla root certificates bundled in the library (default `false`: bundled).
        ///
        /// On Linux and the BSDs that is the system CA bundle, found as OpenSSL would find it
        /// (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the distribution's usual paths,
        /// e.g. `/etc/ssl/certs`), read when the first HTTPS connection of a process is made;
        /// on macOS and Windows the operating system verifies the certificate (keychain /
        /// certificate store, enterprise policies, revocation). Use it when your organisation
        /// distributes its CAs (a TLS-inspecting proxy) through the system store.
        ///
        /// A [`root_ca_pem`](Self::root_ca_pem) wins over this setting. Either way only
        /// TLS 1.2 and 1.3 are spoken (rustls implements no older version).
        pub fn platform_roots(mut self, platform: bool) -> Self {
            self.net_mut().platform_roots = platform;
            self
        }

        /// Sends every request through this HTTP CONNECT proxy:
        /// `http://[user:password@]host:port` (or `https://` for a TLS connection to the
        /// proxy). The credentials and the request stay inside the end-to-end TLS tunnel to
        /// the API when the base URL is `https`. An explicit proxy wins over
        /// [`proxy_from_env`](Self::proxy_from_env): the environment is then not read,
        /// and `NO_PROXY` does not apply.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.net_mut().proxy = Some(url.into());
            self
        }

        /// Takes the proxy from the environment, as curl does (default `false`: proxy
        /// variables are **never** read unless this is set). Opt-in because a variable set for
        /// other programs should not silently reroute the credentials of a login service.
        ///
        /// The variables are read once, when the client is built (later changes do not
        /// affect a built client; do not change the environment from another thread while
        /// building), for each base URL (primary and secondary):
        ///
        /// * an `https://` base URL uses `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`,
        ///   else `ALL_PROXY`;
        /// * an `http://` base URL uses `http_proxy`, else `all_proxy`, else `ALL_PROXY`. The
        ///   upper-case `HTTP_PROXY` is ignored: CGI servers set it from a request's `Proxy:`
        ///   header ("httpoxy").
        /// * Empty proxy values count as unset (an empty `no_proxy`, by contrast, is a list
        ///   that names no host, and it still hides `NO_PROXY`, as with curl). A value without
        ///   a scheme is taken as `http://`. The proxy must be an `http://` or `https://`
        ///   CONNECT proxy like [`proxy`](Self::proxy); anything else (e.g. `socks5://`) is
        ///   refused by `build` with an error naming the variable, never its value.
        /// * `no_proxy` (else `NO_PROXY`) lists hosts reached directly: entries separated by
        ///   commas or spaces; `*` alone matches every host; a domain name (`example.com`,
        ///   `.example.com` or `*.example.com`, all the same) matches that host and all its
        ///   subdomains, case-insensitively; an IP address (`10.1.2.3`, `::1` or `[::1]`) or a
        ///   CIDR block (`10.0.0.0/8`, `fd00::/8`) matches a base URL whose host is that
        ///   literal address; an entry `host:port` (`[v6]:port`) matches only that port (the
        ///   scheme's default when the URL has none). Only the host as written in the base URL
        ///   is compared: no name is looked up.
        /// * A loopback base URL (`localhost`, `127.0.0.0/8`, `[::1]`) is always reached
        ///   directly, whatever the variables say (Go's `net/http` rule): a proxy never sees
        ///   its request, nor, over `http://`, the API key in it.
        ///
        /// When the two base URLs would need two different proxies `build` fails: set
        /// [`proxy`](Self::proxy) explicitly. Credentials in the proxy URL never
        /// appear in `Debug` output or error messages.
        pub fn proxy_from_env(mut self, from_env: bool) -> Self {
            self.net_mut().proxy_from_env = from_env;
            self
        }

        /// How many idle keep-alive connections to keep per host for later requests (default
        /// 32, at most 1024). Set it to at least the number of threads that share the client,
        /// or connections are closed and reopened under load. `0` keeps none: every request
        /// opens a new connection. Idle connections are closed after 15 s.
        pub fn max_idle_connections_per_host(mut self, n: usize) -> Self {
            self.net_mut().max_idle_connections_per_host = n;
            self
        }

        /// Allows `http://` base URLs (primary and secondary) for any host, not only loopback
        /// hosts (default `false`). **The credentials then travel in cleartext** and an
        /// on-path attacker can forge "token is valid" answers: only for a trusted private
        /// network, for example a test sandbox in another container.
        pub fn allow_insecure_http(mut self, allow: bool) -> Self {
            self.net_mut().allow_insecure_http = allow;
            self
        }
    };
}
pub(crate) use net_option_setters;

impl NetOptions {
    /// The defaults (the same as [`NetOptions::default`]).
    pub fn new() -> Self {
        NetOptions::default()
    }

    fn net_mut(&mut self) -> &mut NetOptions {
        self
    }

    net_option_setters!();

    /// Checks a base URL (`what` names it in errors) and returns it without a trailing `/`:
    /// `http(s)://host[:port]`, `http` only to a loopback host unless
    /// [`allow_insecure_http`](NetOptions::allow_insecure_http).
    pub(crate) fn base_url(&self, what: &str, url: &str) -> Result<String, Error> {
        normalize_base_url(what, url, self.allow_insecure_http)
    }

    /// Validates the options for a client whose (normalized) base URLs are `base` and
    /// `secondary`: timeouts, User-Agent suffix, retries, pool size, root CA PEM, proxy.
    pub(crate) fn settings(
        &self,
        base: &str,
        secondary: Option<&str>,
    ) -> Result<NetSettings, Error> {
        if self.connect_timeout.is_zero() {
            return Err(Error::invalid_argument(
                "Invalid connect timeout: must be greater than zero",
            ));
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid_argument(
                "Invalid timeout: must be greater than zero",
            ));
        }
        if let Some(s) = &self.user_agent_suffix {
            validation::user_agent_suffix(s)?;
        }
        if self.retry.max_attempts == 0 || self.retry.max_attempts > MAX_RETRY_ATTEMPTS {
            return Err(Error::invalid_argument(format!(
                "Invalid retries: 1 to {MAX_RETRY_ATTEMPTS} attempts"
            )));
        }
        if self.retry.initial_backoff > self.retry.max_backoff {
            return Err(Error::invalid_argument(
                "Invalid retries: the initial backoff is longer than the maximum",
            ));
        }
        if self.max_idle_connections_per_host > MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT {
            return Err(Error::invalid_argument(format!(
                "Invalid max idle connections per host: at most {MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT}"
            )));
        }
        let root_certs = self
            .root_ca_pem
            .as_deref()
            .map(parse_root_certs)
            .transpose()?;
        let (proxy, proxy_display) =
            match proxy::select(self.proxy.as_deref(), self.proxy_from_env, base, secondary)? {
                Some((proxy, shown)) => (Some(proxy), Some(shown)),
                None => (None, None),
            };
        Ok(NetSettings {
            user_agent: user_agent(self.user_agent_suffix.as_deref()),
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            root_certs,
            platform_roots: self.platform_roots,
            proxy,
            proxy_display,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
            retry: self.retry,
        })
    }

    /// Adds the options to a builder's `Debug` output (proxy credentials redacted, the root
    /// CA PEM only as set or not).
    pub(crate) fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("root_ca_pem", &self.root_ca_pem.as_ref().map(|_| "<set>"))
            .field("platform_roots", &self.platform_roots)
            .field("proxy", &self.proxy.as_deref().map(redact_userinfo))
            .field("proxy_from_env", &self.proxy_from_env)
            .field(
                "max_idle_connections_per_host",
                &self.max_idle_connections_per_host,
            )
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry);
    }
}

impl fmt::Debug for NetOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("NetOptions");
        self.debug_fields(&mut d);
        d.finish()
    }
}

/// Validated network options, from which a client's transport is built.
pub(crate) struct NetSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) root_certs: Option<Vec<ureq::tls::Certificate<'static>>>,
    /// Verify with the platform's trust store instead of the bundled roots (ignored when
    /// `root_certs` is set).
    pub(crate) platform_roots: bool,
    pub(crate) proxy: Option<ureq::Proxy>,
    /// The proxy URL with any user info redacted, for `Debug`.
    pub(crate) proxy_display: Option<String>,
    pub(crate) max_idle_connections_per_host: usize,
    pub(crate) retry: RetryPolicy,
}

/// What a built client shows of its network options (getters, `Debug`).
pub(crate) struct NetInfo {
    pub(crate) connect_timeout: Duration,
    /// The timeout the client was built with (the agent's own).
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) custom_roots: bool,
    pub(crate) proxy_display: Option<String>,
    pub(crate) max_idle_connections_per_host: usize,
}

impl NetSettings {
    /// The transport these settings describe, and what a client shows of them.
    pub(crate) fn into_transport(self) -> (Transport, NetInfo) {
        let info = NetInfo {
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            user_agent: self.user_agent.clone(),
            custom_roots: self.root_certs.is_some(),
            proxy_display: self.proxy_display,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
        };
        let transport = Transport::new(AgentOptions {
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
            user_agent: self.user_agent,
            root_certs: self.root_certs,
            platform_roots: self.platform_roots,
            proxy: self.proxy,
            retry: self.retry,
        });
        (transport, info)
    }
}

impl NetInfo {
    /// Adds the network facts to a client's `Debug` output; `timeout` is the handle's.
    pub(crate) fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>, timeout: Duration) {
        d.field("connect_timeout", &self.connect_timeout)
            .field("timeout", &timeout)
            .field("user_agent", &self.user_agent)
            .field("custom_roots", &self.custom_roots)
            .field("proxy", &self.proxy_display)
            .field(
                "max_idle_connections_per_host",
                &self.max_idle_connections_per_host,
            );
    }
}

/// Reads every certificate of a PEM bundle; errors when there is none or a block is
/// malformed.
fn parse_root_certs(pem: &str) -> Result<Vec<ureq::tls::Certificate<'static>>, Error> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => {
                // The block decoded from base64; its content must also be a certificate a
                // trust anchor can be made of (else every call would fail with a TLS error).
                rustls::RootCertStore::empty()
                    .add(rustls::pki_types::CertificateDer::from(c.der()))
                    .map_err(|_| {
                        Error::invalid_argument(
                            "Invalid root CA PEM: a CERTIFICATE block is not a valid X.509 certificate",
                        )
                    })?;
                certs.push(c);
            }
            Ok(_) => {}
            Err(_) => {
                return Err(Error::invalid_argument(
                    "Invalid root CA PEM: malformed PEM block",
                ));
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid_argument(
            "Invalid root CA PEM: no CERTIFICATE block found",
        ));
    }
    Ok(certs)
}

/// The User-Agent: `libauthy/<version> (<os>; <arch>)` plus an optional ` <suffix>`.
pub(crate) fn user_agent(suffix: Option<&str>) -> String {
    let mut ua = format!(
        "libauthy/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(s) = suffix {
        ua.push(' ');
        ua.push_str(s);
    }
    ua
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_format() {
        let ua = user_agent(None);
        assert_eq!(
            ua,
            format!(
                "libauthy/{} ({}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            )
        );
        assert!(ua.starts_with("libauthy/0."));
        assert_eq!(user_agent(Some("myapp/2")), format!("{ua} myapp/2"));
    }
}
