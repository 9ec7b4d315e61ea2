//! [`ClientBuilder`]: the options of a [`Client`] (API key, base URLs, and the shared
//! [`NetOptions`]) and their validation.

use std::fmt;

use crate::client::Client;
use crate::error::Error;
use crate::netopts::{NetOptions, NetSettings, net_option_setters, redact_userinfo};
use crate::validation;

/// The production base URL of the Authy API.
pub const DEFAULT_BASE_URL: &str = "https://api.authy.com";

/// Options of a [`Client`]; create one with [`Client::builder`].
///
/// Every setter takes and returns the builder by value; nothing is checked until
/// [`build`](ClientBuilder::build). `Debug` never shows the API key. The network options
/// (timeouts, TLS roots, proxy, pool, retries) are a [`NetOptions`] value, set one by one
/// with the setters below or all at once with [`net_options`](ClientBuilder::net_options).
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
    pub(crate) net: NetOptions,
}

/// Validated options, from which a [`Client`] and its agent are built.
pub(crate) struct Settings {
    pub(crate) api_key: String,
    pub(crate) base_url: String,
    pub(crate) secondary_base_url: Option<String>,
    pub(crate) net: NetSettings,
}

impl ClientBuilder {
    pub(crate) fn new(api_key: impl Into<String>) -> Self {
        ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            secondary_base_url: None,
            net: NetOptions::default(),
        }
    }

    pub(crate) fn net_mut(&mut self) -> &mut NetOptions {
        &mut self.net
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

    /// Replaces every network option at once (timeouts, TLS roots, proxy, pool, retries,
    /// User-Agent suffix, cleartext policy): one [`NetOptions`] value can configure the
    /// clients of several APIs.
    pub fn net_options(mut self, net: NetOptions) -> Self {
        self.net = net;
        self
    }

    net_option_setters!();

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
        let base = self.net.base_url("base URL", &self.base_url)?;
        let secondary = self
            .secondary_base_url
            .as_deref()
            .map(|u| self.net.base_url("secondary base URL", u))
            .transpose()?;
        let net = self.net.settings(&base, secondary.as_deref())?;
        Ok(Client::from_settings(Settings {
            api_key: self.api_key,
            base_url: base,
            secondary_base_url: secondary,
            net,
        }))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        d.field("api_key", &"<redacted>")
            // Not validated yet: a URL could still hold user info.
            .field("base_url", &redact_userinfo(&self.base_url))
            .field(
                "secondary_base_url",
                &self.secondary_base_url.as_deref().map(redact_userinfo),
            );
        self.net.debug_fields(&mut d);
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::netopts::{
        DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST, MAX_IDLE_CONNECTIONS_PER_HOST_LIMIT,
    };

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
