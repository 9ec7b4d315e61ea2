//! [`ClientBuilder`]: the options of a [`Client`] and their validation.

use std::fmt;
use std::time::Duration;

use crate::client::Client;
use crate::error::Error;
use crate::transport::RetryPolicy;
use crate::transport::retry::MAX_RETRY_ATTEMPTS;
use crate::validation;

/// The production base URL of the Authy API.
pub const DEFAULT_BASE_URL: &str = "https://api.authy.com";
/// Default time allowed to establish a connection (DNS, TCP and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for a whole request, including reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// Default number of idle keep-alive connections kept per host.
pub(crate) const DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST: usize = 32;
/// Largest value accepted by
/// [`max_idle_connections_per_host`](ClientBuilder::max_idle_connections_per_host).
pub(crate) const MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT: usize = 1024;

/// Options of a [`Client`]; create one with [`Client::builder`].
///
/// Every setter takes and returns the builder by value; nothing is checked until
/// [`build`](ClientBuilder::build). `Debug` never shows the API key.
///
/// ```
/// use std::time::Duration;
/// let client = authy::Client::builder("my-api-key")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(3))
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    pub(crate) api_key: String,
    pub(crate) base_url: String,
    pub(crate) secondary_base_url: Option<String>,
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

/// Validated options, from which a [`Client`] and its agent are built.
pub(crate) struct Settings {
    pub(crate) api_key: String,
    pub(crate) base_url: String,
    pub(crate) secondary_base_url: Option<String>,
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

impl ClientBuilder {
    pub(crate) fn new(api_key: impl Into<String>) -> Self {
        ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            secondary_base_url: None,
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

    /// The base URL of the API (default [`DEFAULT_BASE_URL`]): `https`, or `http` for a
    /// loopback host only (`127.0.0.0/8`, `[::1]`, `localhost`) unless
    /// [`allow_insecure_http`](ClientBuilder::allow_insecure_http) is set; a host, an
    /// optional port, and no path (a single trailing `/` is accepted), query, fragment or
    /// user info.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A secondary base URL, tried only when the primary one cannot be connected to (DNS
    /// failure, connection refused or unreachable, connect timeout) — never after a request
    /// was sent to the primary, so a request is never sent twice. Same rules as
    /// [`base_url`](ClientBuilder::base_url).
    pub fn secondary_base_url(mut self, url: impl Into<String>) -> Self {
        self.secondary_base_url = Some(url.into());
        self
    }

    /// Time allowed to establish a connection (default 5 s). Must be non-zero. It bounds
    /// the host name lookup, and then, separately, the TCP connection, proxy tunnel and
    /// TLS handshake; the overall [`timeout`](ClientBuilder::timeout) bounds both.
    /// Successful lookups are reused for 30 s and IP addresses are never looked up, so on
    /// most calls only the second part applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, from DNS to the last byte of the body (default 15 s):
    /// it bounds all the call's attempts together (stale-connection resends, retries and the
    /// waits between them); only a failover to the secondary base URL starts a fresh budget of
    /// the same length. Must be non-zero.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How failed calls are retried (default [`RetryPolicy::NONE`]: one attempt). Reads are
    /// retried after transient failures and 5xx pages, and after a 429 with a `Retry-After`;
    /// calls with a side effect (SMS, call, e-mail, verification, user changes, OneTouch
    /// creation, phone verification) only when their request provably never reached the
    /// server. Every wait fits the call's timeout, which bounds all attempts together.
    /// Independently of this, a request that failed on a stale pooled connection before any
    /// byte of the answer arrived is sent again at once when that is safe (always for reads,
    /// for the others only if no write of it succeeded). 1–10 attempts; the initial backoff
    /// must not exceed the maximum.
    pub fn retries(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Text appended to the User-Agent, which becomes
    /// `libauthy/<version> (<os>; <arch>) <suffix>`. 1–128 printable ASCII characters.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trusts only the certificates of this PEM bundle (one or more `CERTIFICATE` blocks)
    /// instead of the bundled Mozilla root certificates: for a private CA, a
    /// TLS-inspecting corporate proxy, or the sandbox's self-signed certificate. Server
    /// certificates are still fully verified (chain, validity, host name).
    ///
    /// Precedence: a root CA PEM replaces every other trust anchor, so it wins over
    /// [`platform_roots`](ClientBuilder::platform_roots) (the narrowest trust wins).
    pub fn root_ca_pem(mut self, pem: impl Into<String>) -> Self {
        self.root_ca_pem = Some(pem.into());
        self
    }

    /// Verifies server certificates with the platform's trust store and verifier instead of
    /// the Mozilla root certificates bundled in the library (default `false`: bundled).
    ///
    /// On Linux and the BSDs that is the system CA bundle, found as OpenSSL would find it
    /// (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the distribution's usual paths,
    /// e.g. `/etc/ssl/certs`), read when the first HTTPS connection of a process is made;
    /// on macOS and Windows the operating system verifies the certificate (keychain /
    /// certificate store, enterprise policies, revocation). Use it when your organisation
    /// distributes its CAs (a TLS-inspecting proxy) through the system store.
    ///
    /// A [`root_ca_pem`](ClientBuilder::root_ca_pem) wins over this setting. Either way only
    /// TLS 1.2 and 1.3 are spoken (rustls implements no older version).
    pub fn platform_roots(mut self, platform: bool) -> Self {
        self.platform_roots = platform;
        self
    }

    /// Sends every request through this HTTP CONNECT proxy:
    /// `http://[user:password@]host:port` (or `https://` for a TLS connection to the
    /// proxy). The API key and the request stay inside the end-to-end TLS tunnel to the
    /// API when the base URL is `https`. An explicit proxy wins over
    /// [`proxy_from_env`](ClientBuilder::proxy_from_env): the environment is then not read,
    /// and `NO_PROXY` does not apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Takes the proxy from the environment, as curl does (default `false`: proxy
    /// variables are **never** read unless this is set). Opt-in because a variable set for
    /// other programs should not silently reroute the API key of a login service.
    ///
    /// The variables are read once, by [`build`](ClientBuilder::build) (later changes do
    /// not affect a built client; do not change the environment from another thread while
    /// building), for each base URL (primary and secondary):
    ///
    /// * an `https://` base URL uses `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`,
    ///   else `ALL_PROXY`;
    /// * an `http://` base URL uses `http_proxy`, else `all_proxy`, else `ALL_PROXY`. The
    ///   upper-case `HTTP_PROXY` is ignored: CGI servers set it from a request's `Proxy:`
    ///   header ("httpoxy").
    /// * Empty proxy values count as unset (an empty `no_proxy`, by contrast, is a list that
    ///   names no host, and it still hides `NO_PROXY`, as with curl). A value without a scheme
    ///   is taken as `http://`. The
    ///   proxy must be an `http://` or `https://` CONNECT proxy like
    ///   [`proxy`](ClientBuilder::proxy); anything else (e.g. `socks5://`) is refused by
    ///   `build` with an error naming the variable, never its value.
    /// * `no_proxy` (else `NO_PROXY`) lists hosts reached directly: entries separated by
    ///   commas or spaces; `*` alone matches every host; a domain name (`example.com`,
    ///   `.example.com` or `*.example.com`, all the same) matches that host and all its
    ///   subdomains, case-insensitively; an IP address (`10.1.2.3`, `::1` or `[::1]`) or a
    ///   CIDR block (`10.0.0.0/8`, `fd00::/8`) matches a base URL whose host is that
    ///   literal address; an entry `host:port` (`[v6]:port`) matches only that port (the
    ///   scheme's default when the URL has none). Only the host as written in the base URL
    ///   is compared: no name is looked up.
    ///
    /// When the two base URLs would need two different proxies `build` fails: set
    /// [`proxy`](ClientBuilder::proxy) explicitly. Credentials in the proxy URL never
    /// appear in `Debug` output or error messages.
    pub fn proxy_from_env(mut self, from_env: bool) -> Self {
        self.proxy_from_env = from_env;
        self
    }

    /// How many idle keep-alive connections to keep per host for later requests (default
    /// 32, at most 1024). Set it to at least the number of threads that share the client,
    /// or connections are closed and reopened under load. `0` keeps none: every request
    /// opens a new connection. Idle connections are closed after 15 s.
    pub fn max_idle_connections_per_host(mut self, n: usize) -> Self {
        self.max_idle_connections_per_host = n;
        self
    }

    /// Allows `http://` base URLs (primary and secondary) for any host, not only loopback
    /// hosts (default `false`). **The API key then travels in cleartext** and an on-path
    /// attacker can forge "token is valid" answers: only for a trusted private network, for
    /// example a test sandbox in another container.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Validates the options and builds the client.
    ///
    /// Errors with [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when the
    /// key is empty or not printable ASCII, a URL is not a plain `http(s)://host[:port]`,
    /// a URL is `http://` to a host that is not loopback without
    /// [`allow_insecure_http`](ClientBuilder::allow_insecure_http),
    /// a timeout is zero, the User-Agent suffix is invalid, the root CA PEM holds no
    /// readable certificate, the proxy URL is invalid (also one taken from the environment
    /// with [`proxy_from_env`](ClientBuilder::proxy_from_env), or two different ones for the
    /// two base URLs), or the number of idle connections is above 1024.
    pub fn build(self) -> Result<Client, Error> {
        validation::api_key(&self.api_key)?;
        let insecure = self.allow_insecure_http;
        let base = normalize_base_url("base URL", &self.base_url, insecure)?;
        let secondary = self
            .secondary_base_url
            .as_deref()
            .map(|u| normalize_base_url("secondary base URL", u, insecure))
            .transpose()?;
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
        let (proxy, proxy_display) = match self.proxy.as_deref() {
            Some(url) => {
                let (proxy, shown) = parse_proxy(url)?;
                (Some(proxy), Some(shown))
            }
            None if self.proxy_from_env => {
                match proxy_from_env(&base, secondary.as_deref(), |name| std::env::var(name).ok())?
                {
                    Some((proxy, shown)) => (Some(proxy), Some(shown)),
                    None => (None, None),
                }
            }
            None => (None, None),
        };
        Ok(Client::from_settings(Settings {
            user_agent: user_agent(self.user_agent_suffix.as_deref()),
            api_key: self.api_key,
            base_url: base,
            secondary_base_url: secondary,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            root_certs,
            platform_roots: self.platform_roots,
            proxy,
            proxy_display,
            max_idle_connections_per_host: self.max_idle_connections_per_host,
            retry: self.retry,
        }))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            // Not validated yet: a URL could still hold user info.
            .field("base_url", &redact_userinfo(&self.base_url))
            .field(
                "secondary_base_url",
                &self.secondary_base_url.as_deref().map(redact_userinfo),
            )
            .field("connect_timeout", &self.connect_timeout)
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
            .field("retry", &self.retry)
            .finish()
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

/// Checks a proxy URL (`http(s)://[user:password@]host:port[/]`) and returns the ureq
/// proxy plus the URL with its user info redacted. Messages never echo the URL (it may
/// hold a password).
fn parse_proxy(url: &str) -> Result<(ureq::Proxy, String), Error> {
    parse_proxy_from(url, "proxy URL")
}

/// [`parse_proxy`], with `what` naming the source in error messages.
fn parse_proxy_from(url: &str, what: &str) -> Result<(ureq::Proxy, String), Error> {
    let bad = |why: &str| Error::invalid_argument(format!("Invalid {what}: {why}"));
    if url.len() > 2048 || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("expected printable ASCII without spaces"));
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return Err(bad("only http:// and https:// proxies are supported"));
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if authority.contains(['/', '?', '#']) || host_port.is_empty() {
        return Err(bad("expected scheme://[user:password@]host:port"));
    }
    let proxy = ureq::Proxy::new(url).map_err(|_| bad("not a valid URL"))?;
    Ok((proxy, redact_userinfo(url)))
}

/// `scheme://user:pw@host` → `scheme://<redacted>@host`; other strings unchanged.
fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}<redacted>{}", &url[..s + 3], &url[at..]),
        _ => url.to_string(),
    }
}

/// Host, port and scheme of a normalized base URL (`scheme://host[:port]`); the host is
/// lower-case, IPv6 literals keep their brackets.
struct Target<'a> {
    https: bool,
    host: String,
    port: u16,
    base: &'a str,
}

impl<'a> Target<'a> {
    fn of(base: &'a str) -> Self {
        let (https, authority) = match base.strip_prefix("https://") {
            Some(a) => (true, a),
            None => (false, base.strip_prefix("http://").unwrap_or(base)),
        };
        let default_port = if https { 443 } else { 80 };
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => {
                (&authority[..i], authority[i + 1..].parse().unwrap_or(0))
            }
            _ => (authority, default_port),
        };
        Target {
            https,
            host: host.to_ascii_lowercase(),
            port,
            base,
        }
    }

    /// The variable naming this target's proxy and its value (empty values count as unset).
    fn proxy_var(&self, env: &impl Fn(&str) -> Option<String>) -> Option<(&'static str, String)> {
        let names: &[&'static str] = if self.https {
            &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
        } else {
            // Never HTTP_PROXY: CGI servers set it from the request's `Proxy:` header.
            &["http_proxy", "all_proxy", "ALL_PROXY"]
        };
        names.iter().find_map(|name| {
            env(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .map(|v| (*name, v))
        })
    }
}

/// The proxy the environment names for the base URLs (see
/// [`ClientBuilder::proxy_from_env`]), with its redacted display; `None` when every base URL
/// is reached directly. `env` reads a variable.
fn proxy_from_env(
    base: &str,
    secondary: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<(ureq::Proxy, String)>, Error> {
    let no_proxy = ["no_proxy", "NO_PROXY"]
        .iter()
        .find_map(|name| env(name))
        .unwrap_or_default();
    let targets: Vec<Target<'_>> = std::iter::once(base)
        .chain(secondary)
        .map(Target::of)
        .collect();
    let choices: Vec<Option<(&'static str, String)>> = targets
        .iter()
        .map(|t| {
            if no_proxy_matches(&no_proxy, &t.host, t.port) {
                None
            } else {
                t.proxy_var(&env)
            }
        })
        .collect();
    let mut chosen = choices.iter().flatten();
    let Some((var, value)) = chosen.next() else {
        return Ok(None);
    };
    if chosen.any(|(_, other)| other != value) {
        return Err(Error::invalid_argument(
            "Invalid proxy from the environment: the base URL and the secondary base URL \
             would need different proxies; set the proxy explicitly",
        ));
    }
    let url = if value.contains("://") {
        value.clone()
    } else {
        format!("http://{value}")
    };
    let (proxy, shown) = parse_proxy_from(&url, &format!("proxy URL in {var}"))?;
    // A base URL reached directly while the other one uses the proxy: ureq bypasses a
    // proxy by host name, so the two must differ.
    let direct: Vec<&Target<'_>> = targets
        .iter()
        .zip(&choices)
        .filter(|(_, c)| c.is_none())
        .map(|(t, _)| t)
        .collect();
    if direct.is_empty() {
        return Ok(Some((proxy, format!("{shown} (from {var})"))));
    }
    if targets
        .iter()
        .zip(&choices)
        .any(|(t, c)| c.is_some() && direct.iter().any(|d| d.host == t.host))
    {
        return Err(Error::invalid_argument(
            "Invalid proxy from the environment: one base URL would use the proxy and the \
             other, on the same host, would not; set the proxy explicitly",
        ));
    }
    let bad = || Error::invalid_argument(format!("Invalid proxy URL in {var}: not a valid URL"));
    let mut rebuilt = ureq::Proxy::builder(proxy.protocol())
        .host(proxy.host())
        .port(proxy.port());
    if let Some(user) = proxy.username() {
        rebuilt = rebuilt.username(user);
    }
    if let Some(password) = proxy.password() {
        rebuilt = rebuilt.password(password);
    }
    let mut shown = format!("{shown} (from {var}");
    for d in &direct {
        rebuilt = rebuilt.no_proxy(&d.host);
        shown.push_str(&format!("; direct to {}", d.base));
    }
    shown.push(')');
    Ok(Some((rebuilt.build().map_err(|_| bad())?, shown)))
}

/// Whether a `NO_PROXY` list (see [`ClientBuilder::proxy_from_env`]) matches `host`
/// (lower-case, IPv6 in brackets) on `port`.
fn no_proxy_matches(list: &str, host: &str, port: u16) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let host_ip = bare.parse::<std::net::IpAddr>().ok();
    let host_name = host.trim_end_matches('.');
    list.split([',', ' ', '\t', '\n', '\r'])
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.to_ascii_lowercase();
            // A bare IP address or CIDR block (IPv6 without brackets has several ':').
            if let Some(ip) = host_ip
                && let Some(hit) = ip_entry_matches(&entry, ip)
            {
                return hit;
            }
            let (name, entry_port) = split_entry_port(&entry);
            if entry_port.is_some_and(|p| p != port) {
                return false;
            }
            if let Some(ip) = host_ip {
                let name = name.trim_start_matches('[').trim_end_matches(']');
                return name.parse::<std::net::IpAddr>().is_ok_and(|e| e == ip);
            }
            let name = name
                .strip_prefix("*.")
                .or_else(|| name.strip_prefix('.'))
                .unwrap_or(name)
                .trim_end_matches('.');
            !name.is_empty()
                && (host_name == name
                    || host_name
                        .strip_suffix(name)
                        .is_some_and(|rest| rest.ends_with('.')))
        })
}

/// For an entry written as an IP address or CIDR block (no port): whether it matches `ip`.
/// `None` when the entry is not of that form.
fn ip_entry_matches(entry: &str, ip: std::net::IpAddr) -> Option<bool> {
    let (addr, prefix) = match entry.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let net = addr.parse::<std::net::IpAddr>().ok()?;
    let (a, b, bits) = match (net, ip) {
        (std::net::IpAddr::V4(n), std::net::IpAddr::V4(h)) => {
            (u32::from(n) as u128, u32::from(h) as u128, 32)
        }
        (std::net::IpAddr::V6(n), std::net::IpAddr::V6(h)) => (u128::from(n), u128::from(h), 128),
        _ => return Some(false),
    };
    let prefix = u32::from(prefix.unwrap_or(bits as u8));
    if prefix > bits {
        return Some(false);
    }
    let shift = bits - prefix;
    Some(shift >= 128 || (a >> shift) == (b >> shift))
}

/// `host:port` / `[v6]:port` → (`host`, port); other entries → (entry, `None`). An entry
/// whose port does not parse is kept whole (and then matches nothing).
fn split_entry_port(entry: &str) -> (&str, Option<u16>) {
    let split = if entry.starts_with('[') {
        entry.rfind("]:").map(|i| (i + 1, i + 2))
    } else if entry.matches(':').count() == 1 {
        entry.find(':').map(|i| (i, i + 1))
    } else {
        None
    };
    match split {
        Some((end, start)) => match entry[start..].parse() {
            Ok(p) => (&entry[..end], Some(p)),
            Err(_) => (entry, None),
        },
        None => (entry, None),
    }
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

/// Checks a base URL and returns it without a trailing `/` (`scheme://host[:port]`).
///
/// `http` is refused for a host that is not loopback unless `allow_insecure_http`: the API
/// key would travel in cleartext.
pub(crate) fn normalize_base_url(
    what: &str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid_argument(format!("Invalid {what}: {why}"));
    if url.len() > 2048 {
        return Err(bad("too long"));
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "whitespace, control or non-ASCII characters not allowed",
        ));
    }
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", &url[url.len() - r.len()..])
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", &url[url.len() - r.len()..])
    } else {
        return Err(bad("only http:// and https:// URLs are supported"));
    };
    if rest.contains(['?', '#']) {
        return Err(bad("a query string or fragment is not allowed"));
    }
    if rest.contains('@') {
        return Err(bad("user info is not allowed"));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '\\', '%']) {
        return Err(bad("a path is not allowed (expected scheme://host[:port])"));
    }
    // Host and optional port; IPv6 literals in brackets.
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((h, after)) = inner.split_once(']') else {
            return Err(bad("unterminated IPv6 address"));
        };
        if h.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("invalid IPv6 address"));
        }
        match after {
            "" => (h, None),
            p if p.starts_with(':') => (h, Some(&p[1..])),
            _ => return Err(bad("unexpected characters after the host")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("missing host"));
    }
    if !authority.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(bad("invalid host name"));
    }
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("invalid port"));
        }
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) => {}
            _ => return Err(bad("invalid port")),
        }
    }
    if scheme == "http" && !allow_insecure_http && !is_loopback_host(host) {
        return Err(bad(
            "http:// is allowed only for a loopback host (127.0.0.0/8, [::1], localhost): \
             use https://, or allow_insecure_http to send the API key in cleartext",
        ));
    }
    Ok(format!("{scheme}://{authority}"))
}

/// `true` for `localhost`, an IPv4 address in 127.0.0.0/8 and `::1` (brackets removed).
fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
        || host
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = [
            ("https://api.authy.com", "https://api.authy.com"),
            ("https://api.authy.com/", "https://api.authy.com"),
            ("HTTP://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:80/", "http://[::1]:80"),
            ("https://localhost:443", "https://localhost:443"),
        ];
        for (input, want) in ok {
            assert_eq!(normalize_base_url("base URL", input, false).unwrap(), want);
        }
        let bad = [
            "",
            "api.authy.com",
            "ftp://api.authy.com",
            "https://",
            "https://api.authy.com/protected",
            "https://api.authy.com/?x=1",
            "https://api.authy.com#frag",
            "https://user:pw@api.authy.com",
            "https://api.authy.com:99999",
            "https://api.authy.com:",
            "https://api.authy.com:80x",
            "https://api authy.com",
            "https://api.authy.com\n",
            "https://[::1",
            "https://[nothex]:80",
            "https://a_b.com",
            "https://api.authy.com//",
            "https://api.authy.com/%2e%2e",
        ];
        for input in bad {
            assert!(
                normalize_base_url("base URL", input, false).is_err(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn cleartext_only_to_loopback_unless_allowed() {
        let loopback = [
            "http://127.0.0.1:8080",
            "http://127.255.0.9",
            "http://[::1]:8080",
            "http://localhost:3000",
            "http://LocalHost",
        ];
        for url in loopback {
            assert!(normalize_base_url("base URL", url, false).is_ok(), "{url}");
        }
        let remote = [
            "http://api.authy.com",
            "http://API.AUTHY.COM:80",
            "http://10.0.0.7:8080",
            "http://128.0.0.1",
            "http://0.0.0.0:8080",
            "http://[::ffff:127.0.0.1]",
            "http://[2001:db8::1]:80",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ];
        for url in remote {
            let e = normalize_base_url("base URL", url, false).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
            assert!(e.message().contains("loopback"), "{url}: {e}");
            assert!(normalize_base_url("base URL", url, true).is_ok(), "{url}");
        }
        // https is never affected.
        assert!(normalize_base_url("base URL", "https://api.authy.com", false).is_ok());
        assert!(normalize_base_url("base URL", "https://10.0.0.7:8443", false).is_ok());
    }

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

    #[test]
    fn builder_validation_and_debug_redaction() {
        let key = "super-secret-key-123";
        let b = Client::builder(key).base_url("http://127.0.0.1:1");
        let dbg = format!("{b:?}");
        assert!(!dbg.contains(key), "{dbg}");
        assert!(dbg.contains("redacted"));
        let c = b.clone().build().unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains(key), "{dbg}");

        let e = Client::builder("").build().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        let e = Client::builder("bad key secret").build().unwrap_err();
        assert!(!e.message().contains("secret"));
        assert!(b.clone().timeout(Duration::ZERO).build().is_err());
        assert!(b.clone().connect_timeout(Duration::ZERO).build().is_err());
        assert!(b.clone().base_url("https://x/y").build().is_err());
        assert!(b.clone().secondary_base_url("gopher://x").build().is_err());
        assert!(b.clone().user_agent_suffix("a\r\nb").build().is_err());
        assert!(b.clone().root_ca_pem("not a pem").build().is_err());
        assert!(
            b.clone()
                .root_ca_pem("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")
                .build()
                .is_err()
        );
        // Well-formed base64 whose content is not a certificate ("not a certificate at all"):
        // refused at build instead of making every call fail with a TLS error.
        let e = b
            .clone()
            .root_ca_pem(
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n",
            )
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert!(e.message().contains("not a valid X.509"), "{}", e.message());
        let dbg = format!("{:?}", b.clone().base_url("https://me:pw123@h"));
        assert!(!dbg.contains("pw123"), "{dbg}");
        assert!(b.clone().proxy("socks5://127.0.0.1:1080").build().is_err());
        assert!(
            b.clone()
                .proxy("http://127.0.0.1:3128/path")
                .build()
                .is_err()
        );
        let e = b.clone().proxy("ftp://u:hunter2@p:1").build().unwrap_err();
        assert!(!e.message().contains("hunter2"));
        let with_proxy = b.clone().proxy("http://u:hunter2@127.0.0.1:3128");
        assert!(!format!("{with_proxy:?}").contains("hunter2"));
        let c = with_proxy.build().unwrap();
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("hunter2") && dbg.contains("127.0.0.1:3128"),
            "{dbg}"
        );
        assert!(
            b.clone()
                .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT + 1)
                .build()
                .is_err()
        );
        let c = b.clone().max_idle_connections_per_host(0).build().unwrap();
        assert_eq!(c.max_idle_connections_per_host(), 0);
        assert_eq!(
            b.clone().build().unwrap().max_idle_connections_per_host(),
            DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST
        );
        assert!(b.user_agent_suffix("ok/1").build().is_ok());
    }

    #[test]
    fn no_proxy_entries() {
        let m = |list: &str, base: &str| {
            let t = Target::of(base);
            no_proxy_matches(list, &t.host, t.port)
        };
        let api = "https://api.authy.com";
        // Empty, unrelated, `*`.
        assert!(!m("", api));
        assert!(!m(" , ,", api));
        assert!(!m("example.com", api));
        assert!(m("*", api));
        assert!(m("foo, *", api));
        assert!(!m("*foo", api));
        // Domains match the host and its subdomains at a label boundary, any case.
        for entry in [
            "authy.com",
            ".authy.com",
            "*.authy.com",
            "AUTHY.COM",
            "api.authy.com",
            "authy.com.",
        ] {
            assert!(m(entry, api), "{entry}");
            assert!(m(&format!("x.org,{entry}"), api), "{entry}");
            assert!(m(&format!("x.org {entry}"), api), "{entry}");
        }
        assert!(m("authy.com", "https://authy.com"));
        assert!(m(".authy.com", "https://authy.com"));
        assert!(!m("thy.com", api));
        assert!(!m("uthy.com", api));
        assert!(!m("api.authy.com.evil", api));
        assert!(!m("other.api.authy.com", api));
        assert!(!m(".", api));
        // host:port matches that port only (the scheme's default when none is written).
        assert!(m("api.authy.com:443", api));
        assert!(!m("api.authy.com:8443", api));
        assert!(m("api.authy.com:8443", "https://api.authy.com:8443"));
        assert!(m("localhost:80", "http://localhost"));
        assert!(!m("localhost:x", "http://localhost"));
        // IP addresses and CIDR blocks match literal IP hosts only (no lookup).
        let ip = "http://127.0.0.1:8080";
        assert!(m("127.0.0.1", ip));
        assert!(m("127.0.0.1:8080", ip));
        assert!(!m("127.0.0.1:8081", ip));
        assert!(m("127.0.0.0/8", ip));
        assert!(m("0.0.0.0/0", ip));
        assert!(!m("10.0.0.0/8", ip));
        assert!(!m("127.0.0.0/33", ip));
        assert!(!m("127.0.0.2", ip));
        assert!(!m("localhost", ip));
        assert!(!m("0.0.1", ip));
        assert!(!m("127.0.0.1", "http://localhost:8080"));
        let v6 = "http://[::1]:8080";
        assert!(m("::1", v6));
        assert!(m("[::1]", v6));
        assert!(m("[::1]:8080", v6));
        assert!(!m("[::1]:8081", v6));
        assert!(m("::/0", v6));
        assert!(m("::1/128", v6));
        assert!(!m("fd00::/8", v6));
        assert!(!m("127.0.0.1", v6));
        assert!(m("fd00::/8", "https://[fd12:3456::1]"));
    }

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    /// The proxy chosen for the base URLs, shown (redacted), or the error message.
    fn chosen(
        base: &str,
        secondary: Option<&str>,
        vars: &[(&str, &str)],
    ) -> Result<Option<String>, String> {
        proxy_from_env(base, secondary, env_of(vars))
            .map(|o| o.map(|(_, shown)| shown))
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn proxy_variables_by_scheme_and_precedence() {
        let https = "https://api.authy.com";
        let http = "http://127.0.0.1:8080";
        assert_eq!(chosen(https, None, &[]), Ok(None));
        let p = |s: &str| Ok(Some(s.to_string()));
        assert_eq!(
            chosen(https, None, &[("HTTPS_PROXY", "http://p:1")]),
            p("http://p:1 (from HTTPS_PROXY)")
        );
        // Lower case first, as curl, wget, Python and Ruby do.
        assert_eq!(
            chosen(
                https,
                None,
                &[
                    ("HTTPS_PROXY", "http://up:1"),
                    ("https_proxy", "http://low:1")
                ]
            ),
            p("http://low:1 (from https_proxy)")
        );
        // Empty counts as unset; ALL_PROXY is the fallback.
        assert_eq!(
            chosen(
                https,
                None,
                &[("https_proxy", " "), ("ALL_PROXY", "http://all:1")]
            ),
            p("http://all:1 (from ALL_PROXY)")
        );
        // An https base URL never uses http_proxy; an http one never https_proxy.
        assert_eq!(
            chosen(https, None, &[("http_proxy", "http://p:1")]),
            Ok(None)
        );
        assert_eq!(
            chosen(http, None, &[("https_proxy", "http://p:1")]),
            Ok(None)
        );
        assert_eq!(
            chosen(http, None, &[("http_proxy", "http://p:1")]),
            p("http://p:1 (from http_proxy)")
        );
        // httpoxy: the upper-case HTTP_PROXY may come from a request header under CGI.
        assert_eq!(
            chosen(http, None, &[("HTTP_PROXY", "http://evil:1")]),
            Ok(None)
        );
        // No scheme: http://.
        assert_eq!(
            chosen(https, None, &[("https_proxy", "proxy.corp:3128")]),
            p("http://proxy.corp:3128 (from https_proxy)")
        );
        // Credentials are redacted, and never in an error.
        assert_eq!(
            chosen(https, None, &[("https_proxy", "http://u:hunter2@p:1")]),
            p("http://<redacted>@p:1 (from https_proxy)")
        );
        let e = chosen(https, None, &[("https_proxy", "socks5://u:hunter2@p:1")]).unwrap_err();
        assert!(e.contains("https_proxy") && !e.contains("hunter2"), "{e}");
        let e = chosen(https, None, &[("ALL_PROXY", "http://p:1/path")]).unwrap_err();
        assert!(e.starts_with("Invalid proxy URL in ALL_PROXY"), "{e}");
    }

    #[test]
    fn no_proxy_from_the_environment() {
        let https = "https://api.authy.com";
        let vars = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "localhost,.authy.com"),
        ];
        assert_eq!(chosen(https, None, &vars), Ok(None));
        let vars = [("https_proxy", "http://p:1"), ("NO_PROXY", "*")];
        assert_eq!(chosen(https, None, &vars), Ok(None));
        // no_proxy (lower case) wins over NO_PROXY, even when empty.
        let vars = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", ""),
            ("NO_PROXY", "*"),
        ];
        assert!(chosen(https, None, &vars).unwrap().is_some());

        // Two base URLs: one proxied, one direct (by host); both proxied by the same proxy;
        // two different proxies is an error.
        let both = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "backup.example.com"),
        ];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&both))
                .unwrap()
                .unwrap();
        assert!(
            shown.contains("direct to https://backup.example.com"),
            "{shown}"
        );
        let uri = |s: &str| s.parse::<ureq::http::Uri>().unwrap();
        assert!(proxy.is_no_proxy(&uri("https://backup.example.com/x")));
        assert!(!proxy.is_no_proxy(&uri("https://api.authy.com/x")));
        let v6 = [("http_proxy", "http://p:1"), ("no_proxy", "::1")];
        let (proxy, _) = proxy_from_env("http://127.0.0.1:1", Some("http://[::1]:2"), env_of(&v6))
            .unwrap()
            .unwrap();
        assert!(proxy.is_no_proxy(&uri("http://[::1]:2/x")));
        assert!(!proxy.is_no_proxy(&uri("http://127.0.0.1:1/x")));
        let same = [("https_proxy", "http://u:pw@p:1")];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&same))
                .unwrap()
                .unwrap();
        assert!(!proxy.is_no_proxy(&uri("https://backup.example.com/x")));
        assert_eq!(shown, "http://<redacted>@p:1 (from https_proxy)");
        let differ = [("https_proxy", "http://p:1"), ("http_proxy", "http://q:1")];
        let e = chosen(https, Some("http://127.0.0.1:8080"), &differ).unwrap_err();
        assert!(e.contains("different proxies"), "{e}");
        // Same host, one proxied and one not: ureq bypasses by host, so refused.
        let port_only = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "api.authy.com:8443"),
        ];
        let e = chosen(https, Some("https://api.authy.com:8443"), &port_only).unwrap_err();
        assert!(e.contains("same host"), "{e}");
        // Credentials survive the rebuild for a bypass.
        let creds = [
            ("https_proxy", "http://us%40r:p%3Aw@p:1"),
            ("no_proxy", "backup.example.com"),
        ];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&creds))
                .unwrap()
                .unwrap();
        assert_eq!(
            (proxy.username(), proxy.password()),
            (Some("us@r"), Some("p:w"))
        );
        assert!(!shown.contains("p%3Aw"), "{shown}");
    }

    #[test]
    fn proxy_from_env_is_opt_in_and_explicit_proxy_wins() {
        let b = Client::builder("k-123").base_url("http://127.0.0.1:1");
        let c = b.clone().build().unwrap();
        assert!(format!("{c:?}").contains("proxy: None"), "{c:?}");
        let dbg = format!("{:?}", b.clone().proxy_from_env(true).platform_roots(true));
        assert!(
            dbg.contains("proxy_from_env: true") && dbg.contains("platform_roots: true"),
            "{dbg}"
        );
        let c = b
            .clone()
            .proxy_from_env(true)
            .proxy("http://u:hunter2@127.0.0.1:3128")
            .build()
            .unwrap();
        let dbg = format!("{c:?}");
        assert!(
            dbg.contains("\"http://<redacted>@127.0.0.1:3128\""),
            "{dbg}"
        );
        assert!(b.platform_roots(true).build().is_ok());
    }

    #[test]
    fn builder_refuses_cleartext_to_remote_hosts() {
        let b = Client::builder("k-123").base_url("http://127.0.0.1:1");
        let e = b
            .clone()
            .base_url("http://api.authy.com")
            .build()
            .unwrap_err();
        assert!(e.message().starts_with("Invalid base URL"), "{e}");
        // Failover must not be a way around it.
        let e = b
            .clone()
            .secondary_base_url("http://backup.example.com")
            .build()
            .unwrap_err();
        assert!(e.message().starts_with("Invalid secondary base URL"), "{e}");
        let opted_in = b
            .clone()
            .base_url("http://api.authy.com")
            .secondary_base_url("http://backup.example.com")
            .allow_insecure_http(true);
        assert!(format!("{opted_in:?}").contains("allow_insecure_http: true"));
        assert!(opted_in.build().is_ok());
        assert!(
            b.clone()
                .base_url("https://api.authy.com")
                .secondary_base_url("http://[::1]:8080")
                .build()
                .is_ok()
        );
    }
}
