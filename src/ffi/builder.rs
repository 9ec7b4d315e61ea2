//! `authy_client_builder`: the options of a client — an Authy client or a Twilio Verify client,
//! with one set of network setters for both — then authy_client_builder_build() /
//! authy_client_builder_build_verify().

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::{guard, guard_result};
use super::client::authy_client;
use super::error::authy_error;
use super::ptr::{free_handle, handle_mut, handle_ref, into_handle, out_arg, write_out};
use super::result::authy_result;
use super::strings::str_arg;
use super::verify::authy_verify_client;
use crate::client::Client;
use crate::config::ClientBuilder;
use crate::netopts::NetOptions;
use crate::transport::RetryPolicy;
use crate::verify::{VerifyClient, VerifyClientBuilder};

/// The options of a client: credentials, base URLs, and the network options (timeouts, TLS
/// roots, proxy, pool, retries, User-Agent suffix), which have the same setters for both APIs.
///
/// Made by authy_client_builder_new() for the Authy API (built with
/// authy_client_builder_build()), or by authy_client_builder_new_verify() /
/// authy_client_builder_new_verify_api_key() for Twilio Verify and Lookup (built with
/// authy_client_builder_build_verify()).
///
/// Ownership: released with authy_client_builder_free(). Building does not consume it: one
/// builder may build several clients.
///
/// Thread safety: the setters need exclusive access; building only reads it.
pub struct authy_client_builder {
    inner: ApiBuilder,
}

/// The builder of the API the C builder was made for.
enum ApiBuilder {
    Authy(ClientBuilder),
    Verify(VerifyClientBuilder),
}

impl ApiBuilder {
    fn net_mut(&mut self) -> &mut NetOptions {
        match self {
            ApiBuilder::Authy(b) => b.net_mut(),
            ApiBuilder::Verify(b) => b.net_mut(),
        }
    }
}

impl authy_client_builder {
    #[cfg(test)]
    fn net(&mut self) -> &NetOptions {
        self.inner.net_mut()
    }
}

/// Starts building a client.
///
/// Defaults: base URL `https://api.authy.com`, no secondary URL, connect timeout 5000 ms, overall
/// timeout 15000 ms per call (all attempts together), no User-Agent suffix. Nothing is validated before
/// authy_client_builder_build().
///
/// @param api_key Your Authy API key (copied; never written to logs or error messages).
/// @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_new(
    api_key: *const c_char,
    out: *mut *mut authy_client_builder,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: C string valid during the call (caller contract).
        let api_key = unsafe { str_arg(api_key, "api_key")? };
        let out = out_arg(out, "out")?;
        let builder = authy_client_builder {
            inner: ApiBuilder::Authy(Client::builder(api_key)),
        };
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(builder)) };
        Ok(())
    })
}

/// Runs `change` on the network options of the builder behind `builder` with the string
/// argument `value`.
///
/// # Safety
/// `builder` NULL or live and exclusively used; `value` NULL or a C string.
unsafe fn set_string(
    builder: *mut authy_client_builder,
    value: *const c_char,
    name: &str,
    change: impl FnOnce(NetOptions, &str) -> NetOptions,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    let (builder, value) = unsafe { (handle_mut(builder, "builder")?, str_arg(value, name)?) };
    let net = builder.inner.net_mut();
    *net = change(net.clone(), value);
    Ok(())
}

/// Applies one network option setter to the builder behind `builder` (checked for NULL).
///
/// # Safety
/// `builder` is NULL or a live builder the caller has exclusive access to.
unsafe fn set(
    builder: *mut authy_client_builder,
    change: impl FnOnce(NetOptions) -> NetOptions,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    let builder = unsafe { handle_mut(builder, "builder")? };
    let net = builder.inner.net_mut();
    *net = change(net.clone());
    Ok(())
}

/// Which base URL a URL setter changes.
#[derive(Clone, Copy)]
enum Url {
    /// Authy: the base URL; Verify: the Verify base URL.
    Base,
    /// Authy only.
    Secondary,
    /// Verify only: the Lookup base URL.
    Lookups,
}

/// Sets one base URL of the builder behind `builder`; a URL the builder's API does not have
/// is an invalid argument (the builder is unchanged).
///
/// # Safety
/// `builder` NULL or live and exclusively used; `url` NULL or a C string.
unsafe fn set_url(
    builder: *mut authy_client_builder,
    url: *const c_char,
    which: Url,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    let (builder, url) = unsafe { (handle_mut(builder, "builder")?, str_arg(url, "url")?) };
    builder.inner = match (&builder.inner, which) {
        (ApiBuilder::Authy(b), Url::Base) => ApiBuilder::Authy(b.clone().base_url(url)),
        (ApiBuilder::Authy(b), Url::Secondary) => {
            ApiBuilder::Authy(b.clone().secondary_base_url(url))
        }
        (ApiBuilder::Verify(b), Url::Base) => ApiBuilder::Verify(b.clone().verify_base_url(url)),
        (ApiBuilder::Verify(b), Url::Lookups) => {
            ApiBuilder::Verify(b.clone().lookups_base_url(url))
        }
        (ApiBuilder::Authy(_), Url::Lookups) => {
            return Err(authy_error::invalid_argument(
                "a Lookup base URL is for a Verify builder (authy_client_builder_new_verify())",
            ));
        }
        (ApiBuilder::Verify(_), Url::Secondary) => {
            return Err(authy_error::invalid_argument(
                "a secondary base URL is for an Authy builder; a Verify builder has none",
            ));
        }
    };
    Ok(())
}

/// Sets the base URL of the API: `http(s)://host[:port]`, no path (checked by
/// authy_client_builder_build()). For the sandbox, the URL it printed at start-up. `http://` is
/// accepted only for a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`) unless
/// authy_client_builder_set_allow_insecure_http() allows it: the API key would travel in
/// cleartext.
///
/// @param builder The builder (exclusive access during the call).
/// @param url The URL (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_base_url(
    builder: *mut authy_client_builder,
    url: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_url(builder, url, Url::Base) }
    })
}

/// Sets a secondary base URL, tried only when the primary one cannot be connected to (DNS
/// failure, connection refused, connect timeout) — never after a request reached the primary, so
/// a request is never sent twice. Same rules as authy_client_builder_set_base_url().
///
/// @param builder The builder (exclusive access during the call).
/// @param url The URL (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_secondary_base_url(
    builder: *mut authy_client_builder,
    url: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_url(builder, url, Url::Secondary) }
    })
}

/// Sets the time allowed to establish a connection: the name lookup and the TCP + TLS
/// handshake each get this budget (default 5 s); the overall timeout bounds both.
///
/// @param builder The builder (exclusive access during the call).
/// @param timeout_ms Milliseconds, greater than 0 (checked by authy_client_builder_build()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_connect_timeout_ms(
    builder: *mut authy_client_builder,
    timeout_ms: u64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe {
            set(builder, |b| {
                b.connect_timeout(Duration::from_millis(timeout_ms))
            })
        }
    })
}

/// Sets the time allowed for a whole call, from DNS to the last byte of the answer: it bounds
/// all the call's attempts together (stale-connection resends, retries and the waits between
/// them); only a failover to the secondary base URL starts a fresh budget of the same length.
///
/// @param builder The builder (exclusive access during the call).
/// @param timeout_ms Milliseconds, greater than 0 (checked by authy_client_builder_build()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_timeout_ms(
    builder: *mut authy_client_builder,
    timeout_ms: u64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set(builder, |b| b.timeout(Duration::from_millis(timeout_ms))) }
    })
}

/// Sets how failed calls are retried (default: one attempt, no retry; checked by
/// authy_client_builder_build()). With `max_attempts` > 1, reads (the calls without a side
/// effect, as authy_endpoint_is_read() tells: user status, approval request status, phone
/// verification status, phone info, application details and stats) are retried after transient
/// transport failures, 5xx answers without an API error code, and 429 answers with a
/// `Retry-After`; calls with a side effect (SMS, call, e-mail, token verification, user creation
/// and changes, OneTouch creation, phone verification, activity, raw requests to other paths) are
/// retried only when their request provably never reached the server (DNS, connect or TLS
/// handshake failure). Waits double from `initial_backoff_ms` up to `max_backoff_ms`, with
/// jitter; all attempts fit the call's timeout. Whatever this setting, a request that failed on
/// a stale keep-alive connection before any byte of the answer is sent again at once when that
/// is safe (a read; or nothing of it was written). authy_error_attempts() and
/// authy_error_request_sent() tell what happened.
///
/// @param builder The builder (exclusive access during the call).
/// @param max_attempts Attempts in all, 1–10 (1 = no retry).
/// @param initial_backoff_ms Wait before the first retry, in milliseconds.
/// @param max_backoff_ms Longest wait between attempts, at least `initial_backoff_ms`.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_retries(
    builder: *mut authy_client_builder,
    max_attempts: u32,
    initial_backoff_ms: u64,
    max_backoff_ms: u64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let policy = RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(initial_backoff_ms),
            max_backoff: Duration::from_millis(max_backoff_ms),
        };
        // SAFETY: caller contract, forwarded.
        unsafe { set(builder, |b| b.retries(policy)) }
    })
}

/// Sets how many idle keep-alive connections the client keeps per host for later requests
/// (default 32, at most 1024, checked by authy_client_builder_build()). Set it to at least the
/// number of threads sharing the client, or connections are closed and reopened under load;
/// `0` keeps none (every request opens a new connection).
///
/// @param builder The builder (exclusive access during the call).
/// @param max_idle The number of idle connections per host.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_max_idle_connections_per_host(
    builder: *mut authy_client_builder,
    max_idle: u32,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe {
            set(builder, |b| {
                b.max_idle_connections_per_host(max_idle as usize)
            })
        }
    })
}

/// Allows `http://` base URLs (primary and secondary) to any host, not only to loopback hosts
/// (default `false`). **The API key then travels in cleartext** and an on-path attacker can forge
/// "token is valid" answers: use it only on a trusted private network (for example a test
/// sandbox in another container). `https://` URLs are not affected.
///
/// @param builder The builder (exclusive access during the call).
/// @param allow `true` to allow cleartext HTTP to any host.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_allow_insecure_http(
    builder: *mut authy_client_builder,
    allow: bool,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set(builder, |b| b.allow_insecure_http(allow)) }
    })
}

/// Sets text appended to the User-Agent (`libauthy/<version> (<os>; <arch>) <suffix>`): 1–128
/// printable ASCII characters (checked by authy_client_builder_build()).
///
/// @param builder The builder (exclusive access during the call).
/// @param suffix The suffix (copied), e.g. `"myapp/2.1"`.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_user_agent_suffix(
    builder: *mut authy_client_builder,
    suffix: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_string(builder, suffix, "suffix", |b, v| b.user_agent_suffix(v)) }
    })
}

/// Trusts only the certificates of this PEM bundle (one or more `CERTIFICATE` blocks) instead of
/// the bundled Mozilla roots: for a private CA, a TLS-inspecting proxy, or the sandbox's
/// self-signed certificate (`authy-sandbox --tls-self-signed --ca-out FILE`). Server
/// certificates are still fully verified. Checked by authy_client_builder_build(). Wins over
/// authy_client_builder_set_tls_roots().
///
/// @param builder The builder (exclusive access during the call).
/// @param pem The PEM text (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_root_ca_pem(
    builder: *mut authy_client_builder,
    pem: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_string(builder, pem, "pem", |b, v| b.root_ca_pem(v)) }
    })
}

/// Sends every request through an HTTP CONNECT proxy: `http://[user:password@]host:port` (or
/// `https://` for TLS to the proxy). Proxy environment variables are not read (unless
/// authy_client_builder_set_proxy_from_env() asks for them; this explicit proxy wins). Checked by
/// authy_client_builder_build(); credentials never appear in error messages.
///
/// @param builder The builder (exclusive access during the call).
/// @param url The proxy URL (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_proxy(
    builder: *mut authy_client_builder,
    url: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_string(builder, url, "url", |b, v| b.proxy(v)) }
    })
}

/// Which trust anchors verify the API's certificate: the value of the `which` argument of
/// authy_client_builder_set_tls_roots(). A PEM given to authy_client_builder_set_root_ca_pem()
/// wins over either (the narrowest trust wins). Only TLS 1.2 and 1.3 are ever spoken.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum authy_tls_roots {
    /// The Mozilla root certificates bundled in the library (the default): the same trust on
    /// every machine, independent of the system's configuration.
    Bundled = 0,
    /// The platform's trust store and verifier. On Linux the system CA bundle, found as
    /// OpenSSL finds it (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the distribution's
    /// paths such as `/etc/ssl/certs`), read at the first HTTPS connection of each process; on
    /// macOS and Windows the operating system verifies (keychain / certificate store,
    /// enterprise policies, revocation).
    Platform = 1,
}

/// Chooses the trust anchors for the API's certificate: AUTHY_TLS_ROOTS_BUNDLED (default) or
/// AUTHY_TLS_ROOTS_PLATFORM (see ::authy_tls_roots). A root CA PEM set with
/// authy_client_builder_set_root_ca_pem() wins over this choice.
///
/// @param builder The builder (exclusive access during the call).
/// @param which A value of ::authy_tls_roots.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_ARGUMENT for a value
///         that is not an ::authy_tls_roots (the builder is then unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_tls_roots(
    builder: *mut authy_client_builder,
    which: u32,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        let builder = unsafe { handle_mut(builder, "builder")? };
        let platform = match which {
            w if w == authy_tls_roots::Bundled as u32 => false,
            w if w == authy_tls_roots::Platform as u32 => true,
            other => {
                return Err(authy_error::invalid_argument(format!(
                    "unknown TLS roots value {other} (expected AUTHY_TLS_ROOTS_BUNDLED or \
                     AUTHY_TLS_ROOTS_PLATFORM)"
                )));
            }
        };
        let net = builder.inner.net_mut();
        *net = net.clone().platform_roots(platform);
        Ok(())
    })
}

/// Takes the proxy from the environment (default `false`: proxy variables are never read).
/// Read once, by authy_client_builder_build() (later changes do not affect a built client; do
/// not call setenv() from another thread meanwhile), for each base URL:
///
/// - `https://`: `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY`;
/// - `http://`: `http_proxy`, else `all_proxy`, else `ALL_PROXY` (never `HTTP_PROXY`, which CGI
///   servers set from a request's `Proxy:` header);
/// - `no_proxy`, else `NO_PROXY`: hosts reached directly, separated by commas or spaces: `*`
///   (every host), a domain (`example.com`, `.example.com`, `*.example.com`: the domain and
///   its subdomains), an IP address or CIDR block (`10.0.0.0/8`, matched against a literal IP
///   in the base URL; no name is looked up), optionally with `:port`;
/// - a loopback base URL (`localhost`, `127.0.0.0/8`, `[::1]`) is always reached directly
///   (Go's net/http rule): a proxy never sees its request, nor, over `http://`, the API key.
///
/// Empty proxy values count as unset (an empty `no_proxy` still hides `NO_PROXY`, as with curl);
/// a value without a scheme is taken as `http://`. A proxy set
/// with authy_client_builder_set_proxy() wins: the environment is then not read. Build fails
/// with AUTHY_RESULT_INVALID_ARGUMENT when the variable holds an unusable proxy URL (e.g.
/// `socks5://`; the message names the variable, never its value) or when the two base URLs would
/// need different proxies. Credentials never appear in error messages.
///
/// @param builder The builder (exclusive access during the call).
/// @param from_env `true` to read the proxy variables at build time.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_proxy_from_env(
    builder: *mut authy_client_builder,
    from_env: bool,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set(builder, |b| b.proxy_from_env(from_env)) }
    })
}

/// Validates the options and builds a client. Does not consume the builder. No network I/O.
///
/// @param builder The builder (only read).
/// @param out Receives the new client, owned by the caller (authy_client_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT when the key is empty or not printable
///         ASCII, a URL is not `http(s)://host[:port]`, a timeout is 0, the suffix is invalid,
///         the root CA PEM holds no certificate or the proxy URL is invalid (also one read
///         from the environment, see authy_client_builder_set_proxy_from_env());
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_build(
    builder: *const authy_client_builder,
    out: *mut *const authy_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: a live builder.
        let builder = unsafe { handle_ref(builder, "builder")? };
        let out = out_arg(out, "out")?;
        let ApiBuilder::Authy(b) = &builder.inner else {
            return Err(authy_error::invalid_argument(
                "this builder makes a Verify client: use authy_client_builder_build_verify()",
            ));
        };
        let client = b.clone().build()?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(authy_client::new(client)).cast_const()) };
        Ok(())
    })
}

/// Starts building a Twilio Verify (and Lookup) client authenticated with the Account SID and
/// its Auth Token (HTTP Basic). The network setters of this builder are the same as for an
/// Authy client; authy_client_builder_set_base_url() sets the Verify base URL (default
/// `https://verify.twilio.com`), authy_client_builder_set_lookups_base_url() the Lookup one
/// (default `https://lookups.twilio.com`). Build it with authy_client_builder_build_verify().
///
/// @param account_sid The Account SID, `AC` + 32 hexadecimal digits (checked at build).
/// @param auth_token The Auth Token (copied; never written to logs or error messages).
/// @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_new_verify(
    account_sid: *const c_char,
    auth_token: *const c_char,
    out: *mut *mut authy_client_builder,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: C strings valid during the call (caller contract).
        let (sid, token) = unsafe {
            (
                str_arg(account_sid, "account_sid")?,
                str_arg(auth_token, "auth_token")?,
            )
        };
        let out = out_arg(out, "out")?;
        let builder = authy_client_builder {
            inner: ApiBuilder::Verify(VerifyClient::builder(sid, token)),
        };
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(builder)) };
        Ok(())
    })
}

/// Starts building a Twilio Verify (and Lookup) client authenticated with an API key (`SK…`
/// and its secret) of the account `account_sid`. Otherwise as authy_client_builder_new_verify().
///
/// @param api_key_sid The API key SID, `SK` + 32 hexadecimal digits (checked at build).
/// @param api_key_secret The API key secret (copied; never written to logs or error messages).
/// @param account_sid The Account SID, `AC` + 32 hexadecimal digits.
/// @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_new_verify_api_key(
    api_key_sid: *const c_char,
    api_key_secret: *const c_char,
    account_sid: *const c_char,
    out: *mut *mut authy_client_builder,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: C strings valid during the call (caller contract).
        let (key, secret, sid) = unsafe {
            (
                str_arg(api_key_sid, "api_key_sid")?,
                str_arg(api_key_secret, "api_key_secret")?,
                str_arg(account_sid, "account_sid")?,
            )
        };
        let out = out_arg(out, "out")?;
        let builder = authy_client_builder {
            inner: ApiBuilder::Verify(VerifyClient::builder_with_api_key(key, secret, sid)),
        };
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(builder)) };
        Ok(())
    })
}

/// Sets the Lookup base URL of a Verify builder (default `https://lookups.twilio.com`; same
/// rules as authy_client_builder_set_base_url()). For the sandbox, the URL it printed.
///
/// @param builder A Verify builder (exclusive access during the call).
/// @param url The URL (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8;
///         AUTHY_RESULT_INVALID_ARGUMENT for an Authy builder (unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_set_lookups_base_url(
    builder: *mut authy_client_builder,
    url: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract, forwarded.
        unsafe { set_url(builder, url, Url::Lookups) }
    })
}

/// Validates the options of a Verify builder and builds a Verify client. Does not consume the
/// builder. No network I/O.
///
/// @param builder A builder from authy_client_builder_new_verify() or
///        authy_client_builder_new_verify_api_key() (only read).
/// @param out Receives the new client, owned by the caller (authy_verify_client_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a SID that is not `AC…`/`SK…` +
///         32 hex digits, an empty or non-printable secret, an invalid URL or network option
///         (as for authy_client_builder_build()), or an Authy builder; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_build_verify(
    builder: *const authy_client_builder,
    out: *mut *const authy_verify_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: a live builder.
        let builder = unsafe { handle_ref(builder, "builder")? };
        let out = out_arg(out, "out")?;
        let ApiBuilder::Verify(b) = &builder.inner else {
            return Err(authy_error::invalid_argument(
                "this builder makes an Authy client: use authy_client_builder_build()",
            ));
        };
        let client = b.clone().build()?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe {
            write_out(
                out,
                into_handle(authy_verify_client::new(client)).cast_const(),
            )
        };
        Ok(())
    })
}

/// Releases a builder (clients built from it are not affected).
///
/// @param builder A builder from authy_client_builder_new(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_builder_free(builder: *mut authy_client_builder) {
    guard(|| {
        // SAFETY: NULL or a live builder (caller contract).
        unsafe { free_handle(builder) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::client::authy_client_free;
    use crate::ffi::error::authy_error_free;
    use std::ffi::CString;
    use std::ptr;

    #[test]
    fn tls_roots_and_proxy_from_env_setters() {
        let key = CString::new("k-123").unwrap();
        unsafe {
            let mut b = ptr::null_mut();
            assert_eq!(
                authy_client_builder_new(key.as_ptr(), &mut b, ptr::null_mut()),
                authy_result::Ok
            );
            assert!(!(*b).net().platform_roots && !(*b).net().proxy_from_env);
            assert_eq!(
                authy_client_builder_set_tls_roots(
                    b,
                    authy_tls_roots::Platform as u32,
                    ptr::null_mut()
                ),
                authy_result::Ok
            );
            assert!((*b).net().platform_roots);
            // An unknown value is refused and leaves the builder as it was.
            for bad in [2, 7, u32::MAX] {
                let mut err = ptr::null_mut();
                assert_eq!(
                    authy_client_builder_set_tls_roots(b, bad, &mut err),
                    authy_result::InvalidArgument
                );
                assert!((*err).message_str().contains("TLS roots"));
                authy_error_free(err);
                assert!((*b).net().platform_roots);
            }
            assert_eq!(
                authy_client_builder_set_tls_roots(
                    b,
                    authy_tls_roots::Bundled as u32,
                    ptr::null_mut()
                ),
                authy_result::Ok
            );
            assert!(!(*b).net().platform_roots);
            assert_eq!(
                authy_client_builder_set_proxy_from_env(b, true, ptr::null_mut()),
                authy_result::Ok
            );
            assert!((*b).net().proxy_from_env);
            assert_eq!(
                authy_client_builder_set_tls_roots(ptr::null_mut(), 0, ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_set_proxy_from_env(ptr::null_mut(), true, ptr::null_mut()),
                authy_result::NullArgument
            );
            authy_client_builder_free(b);
        }
    }

    #[test]
    fn build_free_and_errors() {
        let key = CString::new("sandbox-api-key-0123456789abcdef").unwrap();
        let url = CString::new("http://127.0.0.1:9").unwrap();
        let bad_url = CString::new("ftp://x").unwrap();
        let suffix = CString::new("test/1").unwrap();
        unsafe {
            let mut b = ptr::null_mut();
            assert_eq!(
                authy_client_builder_new(key.as_ptr(), &mut b, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_base_url(b, url.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_secondary_base_url(b, url.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_connect_timeout_ms(b, 500, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_timeout_ms(b, 1000, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_user_agent_suffix(b, suffix.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            let mut c1 = ptr::null();
            let mut c2 = ptr::null();
            assert_eq!(
                authy_client_builder_build(b, &mut c1, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_build(b, &mut c2, ptr::null_mut()),
                authy_result::Ok
            );
            assert!(!c1.is_null() && !c2.is_null() && c1 != c2);
            assert_eq!(
                (*c1).inner().user_agent().rsplit(' ').next(),
                Some("test/1")
            );
            authy_client_free(c1);
            authy_client_free(c2);

            // Invalid option: refused at build time, out untouched.
            assert_eq!(
                authy_client_builder_set_timeout_ms(b, 0, ptr::null_mut()),
                authy_result::Ok
            );
            let mut c = ptr::null();
            let mut err = ptr::null_mut();
            assert_eq!(
                authy_client_builder_build(b, &mut c, &mut err),
                authy_result::InvalidArgument
            );
            assert!(c.is_null());
            assert!(!(*err).message_str().contains("sandbox-api-key"));
            authy_error_free(err);
            assert_eq!(
                authy_client_builder_set_timeout_ms(b, 1000, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_base_url(b, bad_url.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_build(b, &mut c, ptr::null_mut()),
                authy_result::InvalidArgument
            );

            // NULLs.
            assert_eq!(
                authy_client_builder_set_base_url(b, ptr::null(), ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_set_base_url(ptr::null_mut(), url.as_ptr(), ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_set_timeout_ms(ptr::null_mut(), 1, ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_build(ptr::null(), &mut c, ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_build(b, ptr::null_mut(), ptr::null_mut()),
                authy_result::NullArgument
            );
            let mut b2 = ptr::null_mut();
            assert_eq!(
                authy_client_builder_new(ptr::null(), &mut b2, ptr::null_mut()),
                authy_result::NullArgument
            );
            assert_eq!(
                authy_client_builder_new(key.as_ptr(), ptr::null_mut(), ptr::null_mut()),
                authy_result::NullArgument
            );
            let bad = [0xffu8, 0];
            assert_eq!(
                authy_client_builder_new(bad.as_ptr().cast(), &mut b2, ptr::null_mut()),
                authy_result::InvalidUtf8
            );
            assert!(b2.is_null());
            authy_client_builder_free(b);
            authy_client_builder_free(ptr::null_mut());
            authy_client_free(ptr::null());
        }
    }
}
