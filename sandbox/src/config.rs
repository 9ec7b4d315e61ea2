//! Sandbox configuration: what the server accepts and where it sends OneTouch callbacks.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The API key the sandbox accepts when none is configured.
pub const DEFAULT_API_KEY: &str = "sandbox-api-key-0123456789abcdef";

/// The Twilio Account SID the sandbox accepts (Verify v2 / Lookup v2 Basic auth) when none is
/// configured.
pub const DEFAULT_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

/// The Auth Token paired with the Account SID when none is configured.
pub const DEFAULT_AUTH_TOKEN: &str = "sandbox-auth-token-0123456789abcd";

/// Default [`SandboxConfig::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// HTTP method used to deliver OneTouch callbacks (§3.17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CallbackMethod {
    /// JSON body (`Content-Type: application/json`).
    #[default]
    Post,
    /// Rails-canonical nested query string, no body.
    Get,
}

impl CallbackMethod {
    /// `"POST"` or `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackMethod::Post => "POST",
            CallbackMethod::Get => "GET",
        }
    }

    /// Parses `POST`/`GET` case-insensitively.
    pub fn parse(s: &str) -> Option<CallbackMethod> {
        if s.eq_ignore_ascii_case("post") {
            Some(CallbackMethod::Post)
        } else if s.eq_ignore_ascii_case("get") {
            Some(CallbackMethod::Get)
        } else {
            None
        }
    }
}

/// Whether and how the sandbox serves HTTPS.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain HTTP.
    #[default]
    Off,
    /// A certificate for `localhost` and `127.0.0.1` generated at start (see `Sandbox::ca_pem`).
    SelfSigned,
    /// PEM certificate chain and private key loaded from files.
    Files {
        /// PEM file with the certificate chain (leaf first).
        cert: PathBuf,
        /// PEM file with the private key (PKCS#8, PKCS#1 or SEC1).
        key: PathBuf,
    },
}

/// Everything `Sandbox::start` needs. All fields are public; `Default` gives a plain-HTTP sandbox
/// on an ephemeral 127.0.0.1 port that accepts [`DEFAULT_API_KEY`].
#[derive(Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The only API key accepted (header `X-Authy-API-Key` or parameter `api_key`).
    pub api_key: String,
    /// Where OneTouch callbacks go when a request is approved/denied (None = no callback).
    pub callback_url: Option<String>,
    /// POST (JSON body) or GET (query string) callbacks.
    pub callback_method: CallbackMethod,
    /// Extra certificates (PEM, one or more `CERTIFICATE` blocks) trusted for `https://`
    /// callback URLs, besides the Mozilla root set that is always trusted; e.g. the
    /// certificate of a local test receiver. `Sandbox::start` refuses a PEM without a usable
    /// certificate.
    pub callback_ca_pem: Option<String>,
    /// HTTP or HTTPS.
    pub tls: TlsMode,
    /// TCP port on 127.0.0.1; 0 picks an ephemeral port.
    pub port: u16,
    /// One stderr line per request (method, path with the key redacted, status, ms).
    pub log_requests: bool,
    /// §11.5: accept any well-formed token for a user who never confirmed, unless `force=true`.
    pub legacy_unconfirmed_accept_any: bool,
    /// Accept the legacy sandbox magic codes: token `0000000`, phone verification code `0000`.
    pub magic_codes: bool,
    /// Longest wait for a request's headers, counted from the moment the connection is ready
    /// for a request (so it also closes keep-alive connections idle this long), and separately
    /// for its body. A connection that exceeds it is closed without an answer. `None` or zero
    /// disables it (not advised for a long-running sandbox).
    pub read_timeout: Option<Duration>,
    /// The application's plan includes SMS. `false`: `GET sms/{id}` and SMS phone verification
    /// answer 503 `60007` "SMS is not enabled"; app details say `sms_enabled:false`.
    pub sms_enabled: bool,
    /// The application's plan includes voice calls. `false`: `GET call/{id}` and phone
    /// verification by call answer 503 `60006` "Phone calls are not enabled on this account";
    /// app details say `phone_calls_enabled:false`.
    pub phone_calls_enabled: bool,
    /// Serve the browser UI under `/_ui/` (on the sandbox's own address, loopback only; it
    /// acts through the control API with the same key). `false`: `/_ui/` is an unknown path.
    pub ui: bool,
    /// Twilio Account SID (`AC` + 32 hex) accepted as the Basic-auth user of the Verify v2 and
    /// Lookup v2 routes under `/v2/...`, with [`SandboxConfig::auth_token`] as the password. It
    /// is also the `account_sid` of every Verify record.
    pub account_sid: String,
    /// Twilio Auth Token (Basic-auth password with the Account SID; never logged).
    pub auth_token: String,
    /// Twilio API key pairs `(SK… sid, secret)` also accepted as Basic credentials on `/v2/...`.
    pub api_keys: Vec<(String, String)>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            api_key: DEFAULT_API_KEY.to_string(),
            callback_url: None,
            callback_method: CallbackMethod::Post,
            callback_ca_pem: None,
            tls: TlsMode::Off,
            port: 0,
            log_requests: false,
            legacy_unconfirmed_accept_any: false,
            magic_codes: true,
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            sms_enabled: true,
            phone_calls_enabled: true,
            ui: true,
            account_sid: DEFAULT_ACCOUNT_SID.to_string(),
            auth_token: DEFAULT_AUTH_TOKEN.to_string(),
            api_keys: Vec::new(),
        }
    }
}

impl SandboxConfig {
    /// `read_timeout` with zero treated as "none".
    pub(crate) fn effective_read_timeout(&self) -> Option<Duration> {
        self.read_timeout.filter(|d| !d.is_zero())
    }
}

impl fmt::Debug for SandboxConfig {
    // Hand-written so the API key never shows up in a Debug dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("api_key", &"<redacted>")
            .field("callback_url", &self.callback_url)
            .field("callback_method", &self.callback_method)
            .field(
                "callback_ca_pem",
                &self.callback_ca_pem.as_ref().map(|_| "<PEM>"),
            )
            .field("tls", &self.tls)
            .field("port", &self.port)
            .field("log_requests", &self.log_requests)
            .field(
                "legacy_unconfirmed_accept_any",
                &self.legacy_unconfirmed_accept_any,
            )
            .field("magic_codes", &self.magic_codes)
            .field("read_timeout", &self.read_timeout)
            .field("sms_enabled", &self.sms_enabled)
            .field("phone_calls_enabled", &self.phone_calls_enabled)
            .field("ui", &self.ui)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"<redacted>")
            .field(
                "api_keys",
                &self
                    .api_keys
                    .iter()
                    .map(|(sid, _)| (sid.as_str(), "<redacted>"))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}
