//! OneTouch callback signatures (`X-Authy-Signature`), verified offline.
//!
//! When a user approves or denies a OneTouch request, Authy calls the application's callback URL
//! (POST with a JSON body, or GET with a Rails-style nested query string) and signs the call with
//! two headers: `X-Authy-Signature-Nonce` and `X-Authy-Signature`. The signature is
//!
//! ```text
//! base64( HMAC-SHA256( api_key, nonce + "|" + METHOD + "|" + url + "|" + canonical_params ) )
//! ```
//!
//! where `url` is the callback URL without query string or fragment, and `canonical_params` is the
//! decoded parameters re-encoded exactly like Ruby on Rails' `Hash#to_query`: one chunk per leaf,
//! keys written as `parent[child]` (arrays as `parent[]`, order kept), CGI escaping (space → `+`,
//! upper-case hex, only `A-Z a-z 0-9 _ . - ~` left as is), the chunks of every hash level sorted as
//! encoded byte strings, empty hashes and arrays dropped, `null` written as `key=`.
//!
//! [`verify_signature`] recomputes the signature and compares it in constant time; an optional
//! replay window rejects callbacks whose nonce (a Unix timestamp) is too old.
//! [`verify_callback`] does the same and returns the verified parameters ([`VerifiedParams`]):
//! read `status` and `uuid` from there instead of parsing the body again with a parser that may
//! disagree with the one the signature was checked against.
//!
//! # Replays: pass a window and de-duplicate
//!
//! A valid signature only proves that Authy sent these exact bytes *at some time*: anyone who
//! captures a callback (a proxy log, a leaked request dump) can send it again, and it will still
//! verify. [`CallbackOptions::new`] (and `max_age_seconds = 0` in C) sets **no** replay window,
//! for compatibility and for checking recorded callbacks. In production:
//!
//! - pass a window of at most 300 seconds with [`CallbackOptions::max_age`], so that only fresh
//!   callbacks verify; and
//! - de-duplicate on the approval request's `uuid` (the top-level `uuid` parameter): act on each
//!   approval request once, and ignore a second callback for a `uuid` you have already handled
//!   (keep the handled ones for at least the window). The window alone does not stop a replay
//!   inside the window.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use authy::signature::{CallbackRequest, CallbackOptions, compute_signature, verify_signature};
//!
//! let request = CallbackRequest {
//!     method: "POST",
//!     url: "https://foo.bar/",
//!     nonce: "1455825429",
//!     params: r#"{"foo":{"bar":{"biz":"foo"}},"qux":"net"}"#,
//! };
//! let signature = compute_signature("foo", &request).unwrap();
//! assert_eq!(signature, "uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8=");
//!
//! // Production: a 5-minute window on the system clock. (This recorded callback is from 2016,
//! // so the example pins the clock to two seconds after it was sent.)
//! let options = CallbackOptions::new()
//!     .max_age(Duration::from_secs(300))
//!     .now(UNIX_EPOCH + Duration::from_secs(1455825431));
//! assert!(verify_signature("foo", &request, &signature, &options).is_ok());
//! // ... then act only if the top-level "uuid" was not handled before (see `verify_callback`
//! // to read it).
//! ```
//!
//! # What the signature covers, and canonicalisation assumptions
//!
//! The signature covers the canonical string above, not the raw bytes, so some differences in
//! the raw parameters are invisible to it. This module makes these choices:
//!
//! - **A repeated key is malformed.** JSON objects with the same key twice, and query strings
//!   with a repeated non-array key (`a=1&a=2`, `h[x]=1&h[x]=2`; `a[]=` and `a[][x]=` may
//!   repeat, as Rack defines), are rejected with [`SignatureError::MalformedParams`]. Rails
//!   keeps the last value and many other parsers keep the first, so such a request could carry
//!   a value the signature does not cover. Authy never sends one.
//! - **JSON numbers are signed as their literal text.** Ruby would print a float such as `1e5`
//!   as `100000.0`; Authy's own callbacks only carry integers, which print the same in both.
//! - **`~` is left unescaped.** Whether Ruby's CGI escaping encodes `~` depends on the Ruby
//!   version; no real vector contains one.
//! - **Non-ASCII text is percent-encoded as its UTF-8 bytes** (JSON `\u` escapes are decoded to
//!   UTF-8 first; a GET query's bytes are kept as they are).
//! - **Types are not signed.** `"1"` and `1`, `"true"` and `true`, `null` and `""` give the same
//!   canonical text, and empty objects and arrays give none: compare values as strings (e.g.
//!   the top-level `status` equal to the string `"approved"`) and do not rely on the presence of
//!   an empty object or array. Likewise a JSON key containing `[`/`]` (`"a[b]": 1`) signs like
//!   the nested `{"a": {"b": 1}}`: read the documented keys at their documented paths.
//!
//! Hostile input is bounded: the parameters may be at most [`MAX_PARAMS_LEN`] bytes, nest at
//! most [`MAX_DEPTH`] levels, and expand to at most [`MAX_CANONICAL_LEN`] bytes of canonical
//! text; anything larger is rejected before any unbounded work is done.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit as _};
use sha2::Sha256;

/// Largest accepted body / query string, in bytes (1 MiB). Real callbacks are a few KiB.
pub const MAX_PARAMS_LEN: usize = 1 << 20;
/// Deepest accepted nesting of hashes and arrays in the parameters.
pub const MAX_DEPTH: usize = 32;
/// Largest canonical parameter string the parameters may expand to (keys are repeated for every
/// leaf, so a small input can otherwise expand a lot), in bytes (4 MiB).
pub const MAX_CANONICAL_LEN: usize = 4 << 20;

/// Length in bytes of an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;

/// HTTP method of a callback: Authy sends callbacks with `POST` (JSON body) or `GET` (query).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Parameters in a Rails-style nested query string.
    Get,
    /// Parameters in a JSON object body.
    Post,
}

impl Method {
    /// Parses `GET` or `POST`, ignoring ASCII case. Any other method is `None`.
    pub fn parse(method: &str) -> Option<Method> {
        if method.eq_ignore_ascii_case("GET") {
            Some(Method::Get)
        } else if method.eq_ignore_ascii_case("POST") {
            Some(Method::Post)
        } else {
            None
        }
    }

    /// The upper-case name used in the signed string.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed parts of a callback request, as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackRequest<'a> {
    /// `GET` or `POST` (ASCII case ignored).
    pub method: &'a str,
    /// The callback URL as configured in Authy: scheme, host, optional port and path. A query
    /// string or fragment is ignored (removed before signing).
    pub url: &'a str,
    /// The `X-Authy-Signature-Nonce` header value, used verbatim.
    pub nonce: &'a str,
    /// POST: the raw JSON body (empty means no parameters). GET: the raw query string, without
    /// or with a leading `?`.
    pub params: &'a str,
}

/// Options of [`verify_signature`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallbackOptions {
    max_age: Option<Duration>,
    now: Option<SystemTime>,
}

impl CallbackOptions {
    /// No replay window, system clock.
    ///
    /// Without a window a captured callback verifies forever: in production add
    /// [`max_age`](Self::max_age) (at most 300 seconds) and de-duplicate on the approval
    /// request `uuid`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rejects callbacks whose nonce (a Unix timestamp in seconds, as Authy sends it) is more
    /// than `max_age` away from now, in either direction. With a window set, a nonce that is not
    /// a decimal number is rejected.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Uses `now` instead of the system clock for the replay window (for tests and replays).
    pub fn now(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// The replay window, if any.
    pub fn max_age_value(&self) -> Option<Duration> {
        self.max_age
    }

    /// The injected clock value, if any.
    pub fn now_value(&self) -> Option<SystemTime> {
        self.now
    }
}

/// Why a signature could not be computed or a callback was rejected.
///
/// Messages never contain the API key or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The method is neither `GET` nor `POST` (a caller error).
    UnsupportedMethod,
    /// The API key is empty (a caller error).
    EmptyApiKey,
    /// The callback URL is empty (a caller error).
    EmptyUrl,
    /// The parameters are larger than [`MAX_PARAMS_LEN`] or expand past [`MAX_CANONICAL_LEN`].
    TooLarge,
    /// The parameters nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The body is not a JSON object, or the query string cannot be decoded.
    MalformedParams(String),
    /// The signature header is not base64 of a 32-byte tag.
    MalformedSignature,
    /// The signature does not match the request.
    Mismatch,
    /// A replay window is set and the nonce is not a decimal Unix timestamp.
    InvalidNonce,
    /// The nonce is outside the replay window (`age_seconds` is negative for a future nonce).
    NonceOutOfWindow {
        /// `now - nonce`, in whole seconds.
        age_seconds: i64,
    },
}

impl SignatureError {
    /// True for errors in the caller's own arguments (method, key, URL) rather than in the
    /// received callback.
    pub fn is_argument_error(&self) -> bool {
        matches!(
            self,
            SignatureError::UnsupportedMethod
                | SignatureError::EmptyApiKey
                | SignatureError::EmptyUrl
        )
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::UnsupportedMethod => {
                f.write_str("unsupported callback method (expected GET or POST)")
            }
            SignatureError::EmptyApiKey => f.write_str("the API key is empty"),
            SignatureError::EmptyUrl => f.write_str("the callback URL is empty"),
            SignatureError::TooLarge => f.write_str("callback parameters are too large"),
            SignatureError::TooDeep => {
                write!(f, "callback parameters nest deeper than {MAX_DEPTH} levels")
            }
            SignatureError::MalformedParams(why) => {
                write!(f, "malformed callback parameters: {why}")
            }
            SignatureError::MalformedSignature => {
                f.write_str("malformed signature header (expected base64 of 32 bytes)")
            }
            SignatureError::Mismatch => f.write_str("callback signature does not match"),
            SignatureError::InvalidNonce => f.write_str("callback nonce is not a Unix timestamp"),
            SignatureError::NonceOutOfWindow { age_seconds } => write!(
                f,
                "callback nonce is outside the replay window (age {age_seconds} s)"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Removes a query string and fragment from `url`.
fn strip_query(url: &str) -> &str {
    match url.find(['?', '#']) {
        Some(i) => &url[..i],
        None => url,
    }
}

/// The canonical parameter string Authy signs for these parameters (`Hash#to_query`).
///
/// `params` is the raw JSON body for `POST` or the raw query string for `GET`.
pub fn canonical_params(method: Method, params: &str) -> Result<String, SignatureError> {
    canonical_of(&parse_params(method, params)?)
}

/// Parses the raw body (POST) or query string (GET), bounded in size and depth.
fn parse_params(method: Method, params: &str) -> Result<Hash, SignatureError> {
    if params.len() > MAX_PARAMS_LEN {
        return Err(SignatureError::TooLarge);
    }
    match method {
        Method::Post => json::parse_object(params),
        Method::Get => rack::parse_nested_query(params),
    }
}

fn canonical_of(root: &Hash) -> Result<String, SignatureError> {
    let mut budget = MAX_CANONICAL_LEN;
    let bytes = to_query::hash_to_query(root, None, &mut budget)?;
    // Every byte was produced by `escape`, which only emits ASCII.
    String::from_utf8(bytes)
        .map_err(|_| SignatureError::MalformedParams("non-ASCII canonical text".into()))
}

/// The exact string that is signed: `nonce|METHOD|url|canonical_params`.
pub fn string_to_sign(request: &CallbackRequest<'_>) -> Result<String, SignatureError> {
    signed_data(request).map(|(data, _)| data)
}

/// The string to sign, and the parsed parameters it was built from.
fn signed_data(request: &CallbackRequest<'_>) -> Result<(String, Hash), SignatureError> {
    let method = Method::parse(request.method).ok_or(SignatureError::UnsupportedMethod)?;
    let url = strip_query(request.url);
    if url.is_empty() {
        return Err(SignatureError::EmptyUrl);
    }
    let root = parse_params(method, request.params)?;
    let params = canonical_of(&root)?;
    let mut data = String::with_capacity(request.nonce.len() + url.len() + params.len() + 8);
    data.push_str(request.nonce);
    data.push('|');
    data.push_str(method.as_str());
    data.push('|');
    data.push_str(url);
    data.push('|');
    data.push_str(&params);
    Ok((data, root))
}

fn mac_for(
    api_key: &str,
    request: &CallbackRequest<'_>,
) -> Result<(Hmac<Sha256>, Hash), SignatureError> {
    if api_key.is_empty() {
        return Err(SignatureError::EmptyApiKey);
    }
    let (data, root) = signed_data(request)?;
    let mut mac = <Hmac<Sha256>>::new_from_slice(api_key.as_bytes())
        .map_err(|_| SignatureError::EmptyApiKey)?;
    hmac::Mac::update(&mut mac, data.as_bytes());
    Ok((mac, root))
}

/// The `X-Authy-Signature` value Authy would send for this request (base64, 44 characters).
///
/// Useful to sign test callbacks; to check a received callback use [`verify_signature`], which
/// compares in constant time.
pub fn compute_signature(
    api_key: &str,
    request: &CallbackRequest<'_>,
) -> Result<String, SignatureError> {
    let (mac, _) = mac_for(api_key, request)?;
    Ok(BASE64.encode(hmac::Mac::finalize(mac).into_bytes()))
}

/// Checks a received callback: `signature` is the `X-Authy-Signature` header value.
///
/// Returns `Ok(())` only when the signature matches (compared in constant time) and, if a
/// replay window is set, the nonce is inside it. A signature header that is not valid base64 of
/// a 32-byte tag is simply invalid ([`SignatureError::MalformedSignature`]); parameters with a
/// repeated key are [`SignatureError::MalformedParams`].
///
/// **Replays:** without [`CallbackOptions::max_age`] a captured callback verifies forever.
/// Applications should pass a window of at most 300 seconds *and* de-duplicate on the approval
/// request's top-level `uuid` parameter (act once per `uuid`); see the
/// [module documentation](self#replays-pass-a-window-and-de-duplicate).
pub fn verify_signature(
    api_key: &str,
    request: &CallbackRequest<'_>,
    signature: &str,
    options: &CallbackOptions,
) -> Result<(), SignatureError> {
    verify_callback(api_key, request, signature, options).map(drop)
}

/// Like [`verify_signature`], and returns the parameters it verified, so that the application
/// reads the values the signature covers instead of parsing the body again with a parser that
/// may disagree (read them with [`VerifiedParams::get_str`]).
///
/// The same replay advice applies: pass a window and act once per `uuid`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use authy::signature::{CallbackOptions, CallbackRequest, compute_signature, verify_callback};
///
/// let request = CallbackRequest {
///     method: "POST",
///     url: "https://example.com/authy/callback",
///     nonce: "1512923419",
///     params: r#"{"uuid":"4a725520","status":"approved","approval_request":{"logos":null}}"#,
/// };
/// # let signature = compute_signature("key", &request).unwrap();
/// let options = CallbackOptions::new()
///     .max_age(Duration::from_secs(300))
/// #   .now(UNIX_EPOCH + Duration::from_secs(1512923420))
///     ;
/// let params = verify_callback("key", &request, &signature, &options).unwrap();
/// assert_eq!(params.get_str("/status"), Some("approved"));
/// assert_eq!(params.get_str("/uuid"), Some("4a725520"));
/// assert_eq!(params.get_str("/approval_request/logos"), Some("")); // null signs as ""
/// assert_eq!(params.get_str("/approval_request"), None); // not a scalar
/// ```
pub fn verify_callback(
    api_key: &str,
    request: &CallbackRequest<'_>,
    signature: &str,
    options: &CallbackOptions,
) -> Result<VerifiedParams, SignatureError> {
    let (mac, root) = mac_for(api_key, request)?;
    let tag = BASE64
        .decode(signature.trim().as_bytes())
        .map_err(|_| SignatureError::MalformedSignature)?;
    if tag.len() != TAG_LEN {
        return Err(SignatureError::MalformedSignature);
    }
    hmac::Mac::verify_slice(mac, &tag).map_err(|_| SignatureError::Mismatch)?;
    if let Some(max_age) = options.max_age {
        check_nonce_age(request.nonce, max_age, options.now)?;
    }
    Ok(VerifiedParams { root })
}

/// The parameters of a callback accepted by [`verify_callback`], as parsed for the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedParams {
    root: Hash,
}

impl fmt::Debug for VerifiedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Callback values can be personal data (IP addresses, locations): keep them out of logs.
        f.debug_struct("VerifiedParams")
            .field("top_level_keys", &self.root.len())
            .finish_non_exhaustive()
    }
}

impl VerifiedParams {
    /// The text of the value at `pointer`, a JSON pointer (RFC 6901): `"/status"`,
    /// `"/approval_request/transaction/uuid"`, `"/approval_request/logos/0/url"` (array
    /// elements by index, `~1` for `/` and `~0` for `~` in keys).
    ///
    /// Strings, numbers (their JSON text) and booleans (`"true"`/`"false"`) are returned as
    /// text, and `null` (or a GET key without `=`) as `""`: the signature does not tell these
    /// types apart, so compare the text. `None` when nothing is there, the value is an object or
    /// an array, or its bytes are not UTF-8 (possible in a GET query).
    pub fn get_str(&self, pointer: &str) -> Option<&str> {
        match self.get(pointer)? {
            Node::Null => Some(""),
            Node::Scalar(bytes) => std::str::from_utf8(bytes).ok(),
            Node::Hash(_) | Node::Array(_) => None,
        }
    }

    /// Whether `pointer` names a value (of any kind, empty objects and arrays included).
    pub fn contains(&self, pointer: &str) -> bool {
        self.get(pointer).is_some()
    }

    fn get(&self, pointer: &str) -> Option<&Node> {
        let rest = pointer.strip_prefix('/')?;
        let mut segments = rest.split('/');
        let first = unescape_pointer_segment(segments.next()?);
        let mut node = self.root.get(first.as_bytes())?;
        for segment in segments {
            let segment = unescape_pointer_segment(segment);
            node = match node {
                Node::Hash(hash) => hash.get(segment.as_bytes())?,
                Node::Array(items) => {
                    let canonical_index = segment == "0"
                        || (!segment.starts_with('0')
                            && !segment.is_empty()
                            && segment.bytes().all(|b| b.is_ascii_digit()));
                    if !canonical_index {
                        return None;
                    }
                    items.get(segment.parse::<usize>().ok()?)?
                }
                Node::Null | Node::Scalar(_) => return None,
            };
        }
        Some(node)
    }
}

/// RFC 6901: `~1` is `/`, then `~0` is `~`.
fn unescape_pointer_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// Convenience: `verify_signature(..).is_ok()`.
pub fn is_valid(
    api_key: &str,
    request: &CallbackRequest<'_>,
    signature: &str,
    options: &CallbackOptions,
) -> bool {
    verify_signature(api_key, request, signature, options).is_ok()
}

/// Parses a nonce as a Unix timestamp: decimal digits with an optional fraction
/// (`1512923419`, `1427849783.886085`). Returns whole seconds.
fn parse_nonce_seconds(nonce: &str) -> Option<u64> {
    let (whole, frac) = match nonce.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (nonce, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    whole.parse().ok()
}

fn check_nonce_age(
    nonce: &str,
    max_age: Duration,
    now: Option<SystemTime>,
) -> Result<(), SignatureError> {
    let nonce_secs = parse_nonce_seconds(nonce).ok_or(SignatureError::InvalidNonce)?;
    let now = now.unwrap_or_else(SystemTime::now);
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let age = i128::from(now_secs) - i128::from(nonce_secs);
    if age.unsigned_abs() > u128::from(max_age.as_secs()) {
        let age_seconds = age.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        return Err(SignatureError::NonceOutOfWindow { age_seconds });
    }
    Ok(())
}

/// Decoded callback parameters: what Rails sees after parsing the body or query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// JSON `null`, or a query key without `=`.
    Null,
    /// A string, number (its JSON text) or boolean (`true`/`false`), as bytes.
    Scalar(Vec<u8>),
    /// A hash; keys are unique (a repeated key is rejected by both parsers). Order is irrelevant:
    /// chunks are sorted when encoded.
    Hash(BTreeMap<Vec<u8>, Node>),
    /// An array, in order.
    Array(Vec<Node>),
}

impl Node {
    fn is_empty_container(&self) -> bool {
        match self {
            Node::Hash(h) => h.is_empty(),
            Node::Array(a) => a.is_empty(),
            Node::Null | Node::Scalar(_) => false,
        }
    }
}

type Hash = BTreeMap<Vec<u8>, Node>;

/// Rails `Hash#to_query` / `Array#to_query` / `Object#to_query` over [`Node`].
mod to_query {
    use super::{Hash, Node, SignatureError};

    /// CGI escaping: everything but `A-Z a-z 0-9 _ . - ~` percent-encoded (upper-case hex),
    /// space as `+`.
    pub(super) fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in bytes {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => out.push(b),
                b' ' => out.push(b'+'),
                _ => {
                    out.push(b'%');
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0x0f)]);
                }
            }
        }
    }

    fn charge(budget: &mut usize, len: usize) -> Result<(), SignatureError> {
        *budget = budget.checked_sub(len).ok_or(SignatureError::TooLarge)?;
        Ok(())
    }

    fn leaf(key: &[u8], value: &[u8], budget: &mut usize) -> Result<Vec<u8>, SignatureError> {
        // Worst case three bytes per input byte, plus '=' and a separator.
        charge(budget, 3 * (key.len() + value.len()) + 2)?;
        let mut out = Vec::with_capacity(key.len() + value.len() + 1);
        escape_into(&mut out, key);
        out.push(b'=');
        escape_into(&mut out, value);
        Ok(out)
    }

    fn to_query(node: &Node, key: &[u8], budget: &mut usize) -> Result<Vec<u8>, SignatureError> {
        match node {
            Node::Null => leaf(key, b"", budget),
            Node::Scalar(value) => leaf(key, value, budget),
            Node::Hash(hash) => hash_to_query(hash, Some(key), budget),
            Node::Array(items) => {
                let mut prefix = Vec::with_capacity(key.len() + 2);
                prefix.extend_from_slice(key);
                prefix.extend_from_slice(b"[]");
                if items.is_empty() {
                    return leaf(&prefix, b"", budget);
                }
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b'&');
                    }
                    out.extend_from_slice(&to_query(item, &prefix, budget)?);
                }
                Ok(out)
            }
        }
    }

    /// One chunk per key (empty hashes/arrays dropped), chunks sorted as encoded bytes.
    pub(super) fn hash_to_query(
        hash: &Hash,
        namespace: Option<&[u8]>,
        budget: &mut usize,
    ) -> Result<Vec<u8>, SignatureError> {
        let mut chunks = Vec::with_capacity(hash.len());
        for (k, v) in hash {
            if v.is_empty_container() {
                continue;
            }
            let chunk = match namespace {
                Some(ns) => {
                    let mut key = Vec::with_capacity(ns.len() + k.len() + 2);
                    key.extend_from_slice(ns);
                    key.push(b'[');
                    key.extend_from_slice(k);
                    key.push(b']');
                    to_query(v, &key, budget)?
                }
                None => to_query(v, k, budget)?,
            };
            chunks.push(chunk);
        }
        chunks.sort_unstable();
        Ok(chunks.join(&b'&'))
    }
}

/// A strict, depth-bounded JSON parser keeping numbers as their JSON text.
mod json {
    use std::collections::btree_map::Entry;

    use super::{Hash, MAX_DEPTH, Node, SignatureError};

    fn malformed(why: &str, at: usize) -> SignatureError {
        SignatureError::MalformedParams(format!("invalid JSON body: {why} at byte {at}"))
    }

    /// Parses a JSON object (the POST body). An empty or all-whitespace body is an empty hash.
    pub(super) fn parse_object(text: &str) -> Result<Hash, SignatureError> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        p.skip_ws();
        if p.i == p.s.len() {
            return Ok(Hash::new());
        }
        if p.peek() != Some(b'{') {
            return Err(SignatureError::MalformedParams(
                "the JSON body is not an object".into(),
            ));
        }
        let hash = p.object(1)?;
        p.skip_ws();
        if p.i != p.s.len() {
            return Err(malformed("trailing characters", p.i));
        }
        Ok(hash)
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.s.get(self.i).copied()
        }

        fn skip_ws(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.i += 1;
            }
        }

        fn expect(&mut self, b: u8) -> Result<(), SignatureError> {
            if self.peek() == Some(b) {
                self.i += 1;
                Ok(())
            } else {
                Err(malformed(&format!("expected '{}'", b as char), self.i))
            }
        }

        fn literal(&mut self, word: &[u8]) -> Result<(), SignatureError> {
            if self.s[self.i..].starts_with(word) {
                self.i += word.len();
                Ok(())
            } else {
                Err(malformed("unexpected character", self.i))
            }
        }

        fn value(&mut self, depth: usize) -> Result<Node, SignatureError> {
            self.skip_ws();
            match self.peek() {
                Some(b'{') => {
                    if depth >= MAX_DEPTH {
                        return Err(SignatureError::TooDeep);
                    }
                    self.object(depth + 1).map(Node::Hash)
                }
                Some(b'[') => {
                    if depth >= MAX_DEPTH {
                        return Err(SignatureError::TooDeep);
                    }
                    self.array(depth + 1).map(Node::Array)
                }
                Some(b'"') => self.string().map(Node::Scalar),
                Some(b't') => self
                    .literal(b"true")
                    .map(|()| Node::Scalar(b"true".to_vec())),
                Some(b'f') => self
                    .literal(b"false")
                    .map(|()| Node::Scalar(b"false".to_vec())),
                Some(b'n') => self.literal(b"null").map(|()| Node::Null),
                Some(b'-' | b'0'..=b'9') => self.number().map(Node::Scalar),
                Some(_) => Err(malformed("unexpected character", self.i)),
                None => Err(malformed("unexpected end", self.i)),
            }
        }

        fn object(&mut self, depth: usize) -> Result<Hash, SignatureError> {
            self.expect(b'{')?;
            let mut hash = Hash::new();
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(hash);
            }
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    return Err(malformed("expected a string key", self.i));
                }
                let key_at = self.i;
                let key = self.string()?;
                self.skip_ws();
                self.expect(b':')?;
                let value = self.value(depth)?;
                // Ruby's JSON.parse keeps the last of repeated keys, other parsers the first:
                // a repeated key would let a signed body carry a second, unsigned value.
                // Authy never sends one, so it is malformed.
                match hash.entry(key) {
                    Entry::Occupied(_) => return Err(malformed("repeated key", key_at)),
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        return Ok(hash);
                    }
                    _ => return Err(malformed("expected ',' or '}'", self.i)),
                }
            }
        }

        fn array(&mut self, depth: usize) -> Result<Vec<super::Node>, SignatureError> {
            self.expect(b'[')?;
            let mut items = Vec::new();
            self.skip_ws();
            if self.peek() == Some(b']') {
                self.i += 1;
                return Ok(items);
            }
            loop {
                items.push(self.value(depth)?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        return Ok(items);
                    }
                    _ => return Err(malformed("expected ',' or ']'", self.i)),
                }
            }
        }

        /// The number's own text, after checking the JSON number grammar.
        fn number(&mut self) -> Result<Vec<u8>, SignatureError> {
            let start = self.i;
            let digits = |p: &mut Self| {
                let from = p.i;
                while let Some(b'0'..=b'9') = p.peek() {
                    p.i += 1;
                }
                p.i > from
            };
            if self.peek() == Some(b'-') {
                self.i += 1;
            }
            if self.peek() == Some(b'0') {
                self.i += 1;
            } else if !digits(self) {
                return Err(malformed("invalid number", self.i));
            }
            if self.peek() == Some(b'.') {
                self.i += 1;
                if !digits(self) {
                    return Err(malformed("invalid number", self.i));
                }
            }
            if let Some(b'e' | b'E') = self.peek() {
                self.i += 1;
                if let Some(b'+' | b'-') = self.peek() {
                    self.i += 1;
                }
                if !digits(self) {
                    return Err(malformed("invalid number", self.i));
                }
            }
            Ok(self.s[start..self.i].to_vec())
        }

        fn hex4(&mut self) -> Result<u32, SignatureError> {
            let hex = self
                .s
                .get(self.i..self.i + 4)
                .ok_or_else(|| malformed("truncated \\u escape", self.i))?;
            let text = std::str::from_utf8(hex).map_err(|_| malformed("bad \\u escape", self.i))?;
            if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(malformed("bad \\u escape", self.i));
            }
            let v =
                u32::from_str_radix(text, 16).map_err(|_| malformed("bad \\u escape", self.i))?;
            self.i += 4;
            Ok(v)
        }

        /// A string's decoded UTF-8 bytes.
        fn string(&mut self) -> Result<Vec<u8>, SignatureError> {
            self.expect(b'"')?;
            let mut out = Vec::new();
            loop {
                let Some(b) = self.peek() else {
                    return Err(malformed("unterminated string", self.i));
                };
                self.i += 1;
                match b {
                    b'"' => return Ok(out),
                    b'\\' => {
                        let Some(e) = self.peek() else {
                            return Err(malformed("unterminated string", self.i));
                        };
                        self.i += 1;
                        match e {
                            b'"' => out.push(b'"'),
                            b'\\' => out.push(b'\\'),
                            b'/' => out.push(b'/'),
                            b'b' => out.push(0x08),
                            b'f' => out.push(0x0c),
                            b'n' => out.push(b'\n'),
                            b'r' => out.push(b'\r'),
                            b't' => out.push(b'\t'),
                            b'u' => {
                                let at = self.i;
                                let hi = self.hex4()?;
                                let code = if (0xD800..0xDC00).contains(&hi) {
                                    if !self.s[self.i..].starts_with(b"\\u") {
                                        return Err(malformed("lone surrogate", at));
                                    }
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(malformed("lone surrogate", at));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    hi
                                };
                                let ch = char::from_u32(code)
                                    .ok_or_else(|| malformed("lone surrogate", at))?;
                                let mut buf = [0u8; 4];
                                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            }
                            _ => return Err(malformed("bad escape", self.i - 1)),
                        }
                    }
                    0x00..=0x1f => return Err(malformed("control character in string", self.i)),
                    _ => out.push(b),
                }
            }
        }
    }
}

/// Rack's `parse_nested_query` (the GET callback parameters).
mod rack {
    use std::collections::btree_map::Entry;

    use super::{Hash, MAX_DEPTH, Node, SignatureError};

    fn malformed(why: impl Into<String>) -> SignatureError {
        SignatureError::MalformedParams(why.into())
    }

    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }

    /// Form decoding: `+` is a space, `%XX` a byte; a broken `%` escape is an error (Rack
    /// answers 400 for those).
    fn unescape(s: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let (Some(h), Some(l)) = (
                        s.get(i + 1).copied().and_then(hex),
                        s.get(i + 2).copied().and_then(hex),
                    ) else {
                        return Err(malformed("invalid %-encoding in the query string"));
                    };
                    out.push(h << 4 | l);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        Ok(out)
    }

    /// Parses `a=1&b[c]=2&d[]=3&e[][f]=4...` into nested hashes and arrays.
    pub(super) fn parse_nested_query(query: &str) -> Result<Hash, SignatureError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut params = Hash::new();
        for pair in query.as_bytes().split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], Some(&pair[i + 1..])),
                None => (pair, None),
            };
            let name = unescape(name)?;
            let value = match value {
                Some(v) => Node::Scalar(unescape(v)?),
                None => Node::Null,
            };
            normalize(&mut params, &name, value, 0)?;
        }
        Ok(params)
    }

    /// Splits a name like Rack does with `\A[\[\]]*([^\[\]]+)\]*`: returns (`k`, `after`), or
    /// `None` when there is no key.
    fn split_name(name: &[u8]) -> Option<(&[u8], &[u8])> {
        let mut i = 0;
        while i < name.len() && matches!(name[i], b'[' | b']') {
            i += 1;
        }
        let start = i;
        while i < name.len() && !matches!(name[i], b'[' | b']') {
            i += 1;
        }
        if i == start {
            return None;
        }
        let key = &name[start..i];
        while i < name.len() && name[i] == b']' {
            i += 1;
        }
        Some((key, &name[i..]))
    }

    /// `after` is `[]` + `[child]` (one level, no brackets inside): Rack's first pattern.
    fn array_hash_child(after: &[u8]) -> Option<&[u8]> {
        let inner = after.strip_prefix(b"[][")?.strip_suffix(b"]")?;
        (!inner.is_empty() && !inner.iter().any(|&b| b == b'[' || b == b']')).then_some(inner)
    }

    /// Rack's `params_hash_has_key?`: does `hash` already hold the (possibly nested) key?
    fn has_key(hash: &Hash, key: &[u8]) -> bool {
        if key.windows(2).any(|w| w == b"[]") {
            return false;
        }
        let mut current = hash;
        let mut parts = key
            .split(|&b| b == b'[' || b == b']')
            .filter(|p| !p.is_empty())
            .peekable();
        while let Some(part) = parts.next() {
            match current.get(part) {
                None => return false,
                Some(Node::Hash(h)) => current = h,
                Some(_) => return parts.peek().is_none(),
            }
        }
        true
    }

    fn normalize(
        params: &mut Hash,
        name: &[u8],
        value: Node,
        depth: usize,
    ) -> Result<(), SignatureError> {
        if depth >= MAX_DEPTH {
            return Err(SignatureError::TooDeep);
        }
        let Some((k, after)) = split_name(name) else {
            return Ok(());
        };
        let conflict = || malformed("conflicting types for a query parameter");
        // Rack keeps the last of repeated keys, other parsers the first: a repeated key would
        // let a signed query carry a second, unsigned value. Authy never sends one, so it is
        // malformed. (Array keys `a[]` and `a[][x]` repeat legitimately.)
        let insert_once =
            |params: &mut Hash, key: &[u8], value: Node| match params.entry(key.to_vec()) {
                Entry::Occupied(_) => Err(malformed("repeated query parameter")),
                Entry::Vacant(slot) => {
                    slot.insert(value);
                    Ok(())
                }
            };
        if after.is_empty() {
            insert_once(params, k, value)?;
        } else if after == b"[" {
            insert_once(params, name, value)?;
        } else if after == b"[]" {
            let slot = params
                .entry(k.to_vec())
                .or_insert_with(|| Node::Array(Vec::new()));
            let Node::Array(items) = slot else {
                return Err(conflict());
            };
            items.push(value);
        } else if let Some(child) = array_hash_child(after).or_else(|| after.strip_prefix(b"[]")) {
            let slot = params
                .entry(k.to_vec())
                .or_insert_with(|| Node::Array(Vec::new()));
            let Node::Array(items) = slot else {
                return Err(conflict());
            };
            match items.last_mut() {
                Some(Node::Hash(last)) if !has_key(last, child) => {
                    normalize(last, child, value, depth + 1)?;
                }
                _ => {
                    let mut fresh = Hash::new();
                    normalize(&mut fresh, child, value, depth + 1)?;
                    items.push(Node::Hash(fresh));
                }
            }
        } else {
            let slot = params
                .entry(k.to_vec())
                .or_insert_with(|| Node::Hash(Hash::new()));
            let Node::Hash(child) = slot else {
                return Err(conflict());
            };
            normalize(child, after, value, depth + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(
        method: &'a str,
        url: &'a str,
        nonce: &'a str,
        params: &'a str,
    ) -> CallbackRequest<'a> {
        CallbackRequest {
            method,
            url,
            nonce,
            params,
        }
    }

    struct Vector {
        source: String,
        api_key: String,
        method: String,
        url: String,
        nonce: String,
        params: String,
        expected: String,
        valid: bool,
    }

    fn vectors() -> Vec<Vector> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/onetouch_signature_vectors.json"
        );
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the signature vectors at {path}: {e}"));
        let all: serde_json::Value = serde_json::from_str(&text).unwrap();
        let s = |v: &serde_json::Value, k: &str| v[k].as_str().map(str::to_owned);
        all.as_array()
            .unwrap()
            .iter()
            .map(|v| Vector {
                source: s(v, "source").unwrap(),
                api_key: s(v, "api_key").unwrap(),
                method: s(v, "method").unwrap(),
                url: s(v, "url").unwrap(),
                nonce: s(v, "nonce").unwrap(),
                params: s(v, "body_json")
                    .or_else(|| s(v, "query_string"))
                    .expect("vector without body_json or query_string"),
                expected: s(v, "expected_signature").unwrap(),
                valid: v["valid"].as_bool().unwrap(),
            })
            .collect()
    }

    #[test]
    fn every_shared_vector() {
        let vectors = vectors();
        assert!(vectors.len() >= 11, "expected the shared vectors");
        assert!(
            vectors.iter().any(|v| !v.valid),
            "expected a negative vector"
        );
        assert!(vectors.iter().any(|v| v.method == "GET"));
        for v in &vectors {
            let r = req(&v.method, &v.url, &v.nonce, &v.params);
            let result = verify_signature(&v.api_key, &r, &v.expected, &CallbackOptions::default());
            if v.valid {
                assert_eq!(result, Ok(()), "{}", v.source);
                assert_eq!(
                    compute_signature(&v.api_key, &r).unwrap(),
                    v.expected,
                    "{}",
                    v.source
                );
            } else {
                assert_eq!(result, Err(SignatureError::Mismatch), "{}", v.source);
                assert_ne!(compute_signature(&v.api_key, &r).unwrap(), v.expected);
            }
        }
    }

    #[test]
    fn negative_vector_has_the_documented_correct_signature() {
        // §6.4 B1-negative: the body's real signature is known.
        let v = vectors().into_iter().find(|v| !v.valid).unwrap();
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        assert_eq!(
            compute_signature(&v.api_key, &r).unwrap(),
            "1I8YM+sy/RQ0s88CnagEcEtKVIxWhfzMNkCYY1z9JZI="
        );
    }

    #[test]
    fn get_vectors_canonicalise_to_their_own_query_string() {
        for v in vectors().iter().filter(|v| v.method == "GET") {
            assert_eq!(
                canonical_params(Method::Get, &v.params).unwrap(),
                v.params,
                "{}",
                v.source
            );
        }
    }

    #[test]
    fn documented_signed_strings() {
        let r = req(
            "post",
            "https://foo.bar/",
            "1455825429",
            r#"{"foo":{"bar":{"biz":"foo bar"}},"qux":"net"}"#,
        );
        assert_eq!(
            string_to_sign(&r).unwrap(),
            "1455825429|POST|https://foo.bar/|foo%5Bbar%5D%5Bbiz%5D=foo+bar&qux=net"
        );
        assert_eq!(
            compute_signature("foo", &r).unwrap(),
            "+fyGys+d5yNJx9SpeKZdf+N77od1t1cC/fVSWDW2+kY="
        );
    }

    #[test]
    fn python_empty_params_vectors() {
        // §6.4 D: the upstream signatures are over empty parameters.
        let url = "https://api.authy.com/dashboard/json/application/webhooks";
        let post = req("POST", url, "1427849783.886085", "{}");
        let get = req("GET", url, "1427849783.886085", "");
        assert_eq!(
            compute_signature("foobar123", &post).unwrap(),
            "UJRjviTdXFA0xu4duxW9BWVDRZGsmSUDd4RglmzcX4o="
        );
        assert_eq!(
            compute_signature("foobar123", &get).unwrap(),
            "yjA/tsM6Rkxgww9wmZLxRWaouw21ZRsi7QIOdm7cEmA="
        );
    }

    #[test]
    fn canonical_form_rules() {
        let c = |body: &str| canonical_params(Method::Post, body).unwrap();
        // Sorted by encoded chunk, not by raw key: "a%5B" (hash a) sorts before "a2" and "aZ".
        assert_eq!(c(r#"{"aZ":1,"a":{"x":1},"a2":2}"#), "a%5Bx%5D=1&a2=2&aZ=1");
        // Arrays keep order; scalars in arrays; arrays of hashes element after element.
        assert_eq!(
            c(r#"{"l":[{"url":"u1","res":"b"},{"res":"a","url":"u2"}],"s":[3,1,2]}"#),
            "l%5B%5D%5Bres%5D=b&l%5B%5D%5Burl%5D=u1&l%5B%5D%5Bres%5D=a&l%5B%5D%5Burl%5D=u2\
             &s%5B%5D=3&s%5B%5D=1&s%5B%5D=2"
        );
        // Empty hashes and arrays vanish; null, booleans, numbers as JSON text.
        assert_eq!(
            c(
                r#"{"e":{},"f":[],"n":null,"t":true,"x":false,"num":-1.50e+3,"big":123456789012345678901234567890}"#
            ),
            "big=123456789012345678901234567890&n=&num=-1.50e%2B3&t=true&x=false"
        );
        // Escaping: only A-Za-z0-9_.-~ kept, space as '+', upper-case hex, UTF-8 bytes.
        assert_eq!(
            c(r#"{"k":"a b+c/d:e,f|g&h=i*j~k'l\u00e9\ud83d\ude00"}"#),
            "k=a+b%2Bc%2Fd%3Ae%2Cf%7Cg%26h%3Di%2Aj~k%27l%C3%A9%F0%9F%98%80"
        );
        // The same key in different objects is not a repetition.
        assert_eq!(c(r#"{"a":{"a":1},"b":{"a":2}}"#), "a%5Ba%5D=1&b%5Ba%5D=2");
        // Empty body means no parameters.
        assert_eq!(c("  "), "");
        // Nested arrays and empty arrays inside arrays.
        assert_eq!(c(r#"{"a":[[1],[]]}"#), "a%5B%5D%5B%5D=1&a%5B%5D%5B%5D=");
    }

    #[test]
    fn rack_query_parsing() {
        let g = |q: &str| canonical_params(Method::Get, q).unwrap();
        assert_eq!(g("b=2&a=1"), "a=1&b=2");
        assert_eq!(g("?a=x+y%20z"), "a=x+y+z");
        assert_eq!(g("a"), "a=");
        assert_eq!(g("a[]=2&a[]=1"), "a%5B%5D=2&a%5B%5D=1");
        assert_eq!(g("h[y]=1&h[x]=2"), "h%5Bx%5D=2&h%5By%5D=1");
        // A repeated key starts a new array element.
        assert_eq!(
            g("l[][res]=a&l[][url]=u&l[][res]=b&l[][url]=v"),
            "l%5B%5D%5Bres%5D=a&l%5B%5D%5Burl%5D=u&l%5B%5D%5Bres%5D=b&l%5B%5D%5Burl%5D=v"
        );
        // Deeper paths inside array elements.
        assert_eq!(
            g("l[][a][b]=1&l[][a][c]=2"),
            "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bc%5D=2"
        );
        assert_eq!(
            g("l[][a][b]=1&l[][a][b]=2"),
            "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bb%5D=2"
        );
        // Empty segments and key-less pairs are ignored.
        assert_eq!(g("&&=x&[]=y&a=1&"), "a=1");
        // Type conflicts and broken escapes are malformed.
        for bad in ["a=1&a[]=2", "a[]=1&a[b]=2", "a[b]=1&a[]=2", "a=%zz", "a=%4"] {
            assert!(
                matches!(
                    canonical_params(Method::Get, bad),
                    Err(SignatureError::MalformedParams(_))
                ),
                "{bad}"
            );
        }
        // Non-UTF-8 bytes survive decoding and are re-escaped.
        assert_eq!(g("a=%FF"), "a=%FF");
    }

    fn is_malformed(method: Method, params: &str) -> bool {
        matches!(
            canonical_params(method, params),
            Err(SignatureError::MalformedParams(_))
        )
    }

    #[test]
    fn repeated_json_keys_are_malformed() {
        for bad in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"a":1}"#,
            r#"{"a":null,"a":{}}"#,
            r#"{"a":{},"a":[]}"#,
            r#"{"a":1,"b":2,"\u0061":3}"#,
            r#"{"x":{"a":1,"a":2}}"#,
            r#"{"x":{"y":[{"a":1,"a":2}]}}"#,
        ] {
            assert!(is_malformed(Method::Post, bad), "{bad}");
        }
        // The same key in sibling objects and array elements is fine.
        assert!(!is_malformed(
            Method::Post,
            r#"{"a":{"a":1},"l":[{"a":1},{"a":2}]}"#
        ));
    }

    #[test]
    fn repeated_query_keys_are_malformed() {
        for bad in [
            "a=1&a=2",
            "a=1&a=1",
            "a&a",
            "a=1&%61=2",
            "a=1&a]=2",
            "a[b]=1&a=2",
            "a[=1&a[=2",
            "h[x]=1&h[x]=2",
            "h[x][y]=1&h[y]=2&h[x][y]=3",
            "x[l][][a]=1&x[y]=1&x[y]=2",
        ] {
            assert!(is_malformed(Method::Get, bad), "{bad}");
        }
        // Array keys repeat legitimately (a repeated `l[][x]` starts a new element).
        for good in [
            "a[]=1&a[]=1",
            "l[][x]=1&l[][x]=1",
            "l[][x][y]=1&l[][x][y]=2",
        ] {
            assert!(!is_malformed(Method::Get, good), "{good}");
        }
    }

    /// The reported bypass: a signed "denied" callback with a second, unsigned "approved"
    /// value in front. A parser keeping the first value would see "approved".
    #[test]
    fn a_repeated_key_cannot_smuggle_a_value_past_the_signature() {
        let opts = CallbackOptions::default();
        let post = vector_a1();
        assert_eq!(post.method, "POST");
        let get = vectors()
            .into_iter()
            .find(|v| v.method == "GET")
            .expect("a GET vector");
        let cases: [(&Vector, &str, &str, &str); 4] = [
            (
                &post,
                r#""status":"approved","approval_request""#,
                r#""status":"denied","approval_request""#,
                r#"{"status":"approved","#,
            ),
            (
                &post,
                r#""status":"approved","uuid""#,
                r#""status":"denied","uuid""#,
                r#"{"approval_request":{"transaction":{"status":"approved"}},"#,
            ),
            (
                &get,
                "&status=approved&",
                "&status=denied&",
                "status=approved&",
            ),
            (
                &get,
                "%5Bstatus%5D=approved&",
                "%5Bstatus%5D=denied&",
                "approval_request%5Btransaction%5D%5Bstatus%5D=approved&",
            ),
        ];
        for (v, from, to, prefix) in cases {
            assert_eq!(v.params.matches(from).count(), 1, "{from}");
            let denied = v.params.replace(from, to);
            let r = req(&v.method, &v.url, &v.nonce, &denied);
            let signature = compute_signature(&v.api_key, &r).unwrap();
            assert_eq!(verify_signature(&v.api_key, &r, &signature, &opts), Ok(()));
            let smuggled = match denied.strip_prefix('{') {
                Some(rest) => format!("{prefix}{rest}"),
                None => format!("{prefix}{denied}"),
            };
            let r = req(&v.method, &v.url, &v.nonce, &smuggled);
            assert!(
                matches!(
                    verify_signature(&v.api_key, &r, &signature, &opts),
                    Err(SignatureError::MalformedParams(_))
                ),
                "{smuggled}"
            );
        }
    }

    #[test]
    fn verify_callback_exposes_the_verified_parameters() {
        let opts = CallbackOptions::default();
        let all = vectors();
        let by_nonce = |nonce: &str| all.iter().find(|v| v.nonce == nonce).unwrap();
        let verified = |v: &Vector| {
            let r = req(&v.method, &v.url, &v.nonce, &v.params);
            verify_callback(&v.api_key, &r, &v.expected, &opts).unwrap()
        };

        // A2 (POST): top level, nested, arrays, numbers, booleans, null, empty objects.
        let p = verified(by_nonce("1570641874"));
        assert_eq!(p.get_str("/status"), Some("approved"));
        assert_eq!(
            p.get_str("/uuid"),
            Some("4a725520-bff5-0135-eb01-0e5d90336a8c")
        );
        assert_eq!(p.get_str("/authy_id"), Some("688611"));
        assert_eq!(
            p.get_str("/approval_request/transaction/details/Process ID"),
            Some("1234567890")
        );
        assert_eq!(
            p.get_str("/approval_request/transaction/encrypted"),
            Some("false")
        );
        assert_eq!(
            p.get_str("/device/enabled_unlock_methods/1"),
            Some("fingerprint")
        );
        assert_eq!(p.get_str("/device/enabled_unlock_methods/2"), None);
        assert_eq!(p.get_str("/device/enabled_unlock_methods/01"), None);
        assert_eq!(p.get_str("/device/enabled_unlock_methods/x"), None);
        assert_eq!(p.get_str("/device/city"), Some(""));
        assert_eq!(p.get_str("/device"), None);
        assert!(p.contains("/device"));
        assert!(p.contains("/approval_request/transaction/device_details"));
        assert_eq!(
            p.get_str("/approval_request/transaction/device_details"),
            None
        );
        assert_eq!(p.get_str("/status/x"), None);
        assert_eq!(p.get_str("/nope"), None);
        assert_eq!(p.get_str("status"), None);
        assert_eq!(p.get_str(""), None);
        assert!(!format!("{p:?}").contains("approved"));

        // A7 (GET): Rack-parsed arrays of hashes.
        let p = verified(by_nonce("1512943081"));
        assert_eq!(p.get_str("/status"), Some("approved"));
        assert_eq!(p.get_str("/approval_request/logos/0/res"), Some("default"));
        assert_eq!(
            p.get_str("/approval_request/transaction/details/location"),
            Some("California,USA")
        );

        // Pointer escapes, and non-UTF-8 GET bytes.
        let key = "k";
        let body = r#"{"a/b":{"c~d":"x"}}"#;
        let r = req("POST", "https://e.x/", "1", body);
        let sig = compute_signature(key, &r).unwrap();
        let p = verify_callback(key, &r, &sig, &opts).unwrap();
        assert_eq!(p.get_str("/a~1b/c~0d"), Some("x"));
        let r = req("GET", "https://e.x/", "1", "a=%FF");
        let sig = compute_signature(key, &r).unwrap();
        let p = verify_callback(key, &r, &sig, &opts).unwrap();
        assert!(p.contains("/a"));
        assert_eq!(p.get_str("/a"), None);

        // Nothing is returned for a callback that does not verify.
        let v = all.iter().find(|v| !v.valid).unwrap();
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        assert_eq!(
            verify_callback(&v.api_key, &r, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );
        let v = by_nonce("1570641874");
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        let stale = CallbackOptions::new()
            .max_age(Duration::from_secs(300))
            .now(UNIX_EPOCH + Duration::from_secs(1_570_641_874 + 301));
        assert!(matches!(
            verify_callback(&v.api_key, &r, &v.expected, &stale),
            Err(SignatureError::NonceOutOfWindow { age_seconds: 301 })
        ));
    }

    fn vector_a1() -> Vector {
        vectors().into_iter().next().unwrap()
    }

    #[test]
    fn tampering_is_rejected() {
        let v = vector_a1();
        let ok = req(&v.method, &v.url, &v.nonce, &v.params);
        let opts = CallbackOptions::default();
        assert_eq!(
            verify_signature(&v.api_key, &ok, &v.expected, &opts),
            Ok(())
        );

        let body = v.params.replace("\"approved\"", "\"denied\"");
        assert_ne!(body, v.params);
        let tampered = req(&v.method, &v.url, &v.nonce, &body);
        assert_eq!(
            verify_signature(&v.api_key, &tampered, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );

        let wrong_key = "FU10H0uCafgKnXvPfDm5iAisVuHDgXJB";
        assert_eq!(
            verify_signature(wrong_key, &ok, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );

        let wrong_url = req(
            &v.method,
            "https://requestb.in/ui9vdiuj",
            &v.nonce,
            &v.params,
        );
        assert_eq!(
            verify_signature(&v.api_key, &wrong_url, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );
        let http = req(
            &v.method,
            "http://requestb.in/ui9vdiui",
            &v.nonce,
            &v.params,
        );
        assert_eq!(
            verify_signature(&v.api_key, &http, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );

        // GET with the same JSON is not even a query string; a GET over an equivalent query
        // signs "GET" and so does not match either.
        let wrong_method = req("GET", &v.url, &v.nonce, "authy_id=688611");
        assert_eq!(
            verify_signature(&v.api_key, &wrong_method, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );

        let other_nonce = req(&v.method, &v.url, "1512923420", &v.params);
        assert_eq!(
            verify_signature(&v.api_key, &other_nonce, &v.expected, &opts),
            Err(SignatureError::Mismatch)
        );

        // Reformatted JSON (whitespace, key order) signs the same parameters.
        let value: serde_json::Value = serde_json::from_str(&v.params).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let reformatted = req(&v.method, &v.url, &v.nonce, &pretty);
        assert_eq!(
            verify_signature(&v.api_key, &reformatted, &v.expected, &opts),
            Ok(())
        );
    }

    #[test]
    fn url_query_and_fragment_are_ignored_and_method_case_too() {
        let v = vector_a1();
        let url = format!("{}?x=1#frag", v.url);
        let r = req("post", &url, &v.nonce, &v.params);
        assert!(is_valid(
            &v.api_key,
            &r,
            &v.expected,
            &CallbackOptions::new()
        ));
    }

    #[test]
    fn garbage_signatures_are_invalid() {
        let v = vector_a1();
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        let opts = CallbackOptions::default();
        for sig in [
            "",
            "not base64!",
            "AAAA",
            &v.expected[..40],
            "6uKAaKxCkkFEyQujwdudyPNUgRi2fY5otoCOQN7VjCw=AAAA",
        ] {
            assert_eq!(
                verify_signature(&v.api_key, &r, sig, &opts),
                Err(SignatureError::MalformedSignature),
                "{sig:?}"
            );
        }
        // Right length, wrong bytes.
        let zero = BASE64.encode([0u8; 32]);
        assert_eq!(
            verify_signature(&v.api_key, &r, &zero, &opts),
            Err(SignatureError::Mismatch)
        );
        // Surrounding whitespace from a header value is tolerated.
        let padded = format!(" {}\t", v.expected);
        assert_eq!(verify_signature(&v.api_key, &r, &padded, &opts), Ok(()));
    }

    #[test]
    fn argument_errors() {
        let v = vector_a1();
        let opts = CallbackOptions::default();
        let put = req("PUT", &v.url, &v.nonce, &v.params);
        let e = verify_signature(&v.api_key, &put, &v.expected, &opts).unwrap_err();
        assert_eq!(e, SignatureError::UnsupportedMethod);
        assert!(e.is_argument_error());
        let ok = req(&v.method, &v.url, &v.nonce, &v.params);
        assert_eq!(
            verify_signature("", &ok, &v.expected, &opts),
            Err(SignatureError::EmptyApiKey)
        );
        let no_url = req(&v.method, "?a=b", &v.nonce, &v.params);
        assert_eq!(
            verify_signature(&v.api_key, &no_url, &v.expected, &opts),
            Err(SignatureError::EmptyUrl)
        );
        assert!(!SignatureError::Mismatch.is_argument_error());
    }

    #[test]
    fn replay_window() {
        let v = vector_a1(); // nonce 1512923419
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        let window = CallbackOptions::new().max_age(Duration::from_secs(300));
        assert_eq!(
            verify_signature(
                &v.api_key,
                &r,
                &v.expected,
                &window.now(at(1512923419 + 300))
            ),
            Ok(())
        );
        assert_eq!(
            verify_signature(
                &v.api_key,
                &r,
                &v.expected,
                &window.now(at(1512923419 - 300))
            ),
            Ok(())
        );
        assert_eq!(
            verify_signature(
                &v.api_key,
                &r,
                &v.expected,
                &window.now(at(1512923419 + 301))
            ),
            Err(SignatureError::NonceOutOfWindow { age_seconds: 301 })
        );
        assert_eq!(
            verify_signature(
                &v.api_key,
                &r,
                &v.expected,
                &window.now(at(1512923419 - 301))
            ),
            Err(SignatureError::NonceOutOfWindow { age_seconds: -301 })
        );
        // System clock: this 2017 nonce is long expired.
        assert!(matches!(
            verify_signature(&v.api_key, &r, &v.expected, &window),
            Err(SignatureError::NonceOutOfWindow { .. })
        ));
        // A mismatch is reported as such even when the nonce is also stale.
        let zero = BASE64.encode([0u8; 32]);
        assert_eq!(
            verify_signature(&v.api_key, &r, &zero, &window),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn non_numeric_nonce_fails_only_with_a_window() {
        let r = req("POST", "https://foo.bar/", "a-guid-nonce", "{}");
        let sig = compute_signature("k", &r).unwrap();
        assert_eq!(
            verify_signature("k", &r, &sig, &CallbackOptions::new()),
            Ok(())
        );
        let window = CallbackOptions::new().max_age(Duration::from_secs(60));
        assert_eq!(
            verify_signature("k", &r, &sig, &window),
            Err(SignatureError::InvalidNonce)
        );
        assert_eq!(parse_nonce_seconds("1427849783.886085"), Some(1427849783));
        for bad in [
            "",
            ".",
            "1.",
            ".5",
            "-1",
            "+1",
            "1e9",
            " 1",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_nonce_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hostile_input_is_bounded() {
        // Too large.
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_PARAMS_LEN));
        assert_eq!(
            canonical_params(Method::Post, &huge),
            Err(SignatureError::TooLarge)
        );
        // Too deep, both syntaxes; a stack overflow here would abort the test binary.
        let deep_json = format!("{}{}", "{\"a\":".repeat(100_000), "1");
        assert_eq!(
            canonical_params(Method::Post, &deep_json),
            Err(SignatureError::TooDeep)
        );
        let deep_arr = "[".repeat(100_000);
        assert_eq!(
            canonical_params(Method::Post, &format!("{{\"a\":{deep_arr}")),
            Err(SignatureError::TooDeep)
        );
        let deep_query = format!("a{}=1", "[b]".repeat(10_000));
        assert_eq!(
            canonical_params(Method::Get, &deep_query),
            Err(SignatureError::TooDeep)
        );
        // Just inside the depth limit is fine.
        let ok = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(canonical_params(Method::Post, &ok).is_ok());
        // Expansion: a long key repeated for many leaves would blow up the canonical text.
        let key = "k".repeat(400_000);
        let leaves = vec!["1"; 100_000].join(",");
        let bomb = format!("{{\"{key}\":[{leaves}]}}");
        assert!(bomb.len() <= MAX_PARAMS_LEN);
        assert_eq!(
            canonical_params(Method::Post, &bomb),
            Err(SignatureError::TooLarge)
        );
    }

    #[test]
    fn malformed_json_is_rejected() {
        for bad in [
            "[]",
            "1",
            "\"s\"",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":-}",
            "{\"a\":tru}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\u{1}\"}",
            "{} x",
            "{a:1}",
            "{\"a\":[1,]}",
        ] {
            assert!(
                matches!(
                    canonical_params(Method::Post, bad),
                    Err(SignatureError::MalformedParams(_))
                ),
                "{bad:?}"
            );
        }
        let v = vector_a1();
        let r = req("POST", &v.url, &v.nonce, "{not json");
        assert!(matches!(
            verify_signature(&v.api_key, &r, &v.expected, &CallbackOptions::new()),
            Err(SignatureError::MalformedParams(_))
        ));
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A small deterministic generator over the characters that matter to both parsers.
        const ALPHABET: &[u8] = b"{}[]\":,\\u0123456789abcdeEfnrtl.-+ &=%?;#\xc3\xa9";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5000 {
            let len = (next() % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            for method in [Method::Get, Method::Post] {
                if let Ok(canonical) = canonical_params(method, &text) {
                    assert!(canonical.is_ascii(), "{canonical:?}");
                }
            }
            let wrapped = format!("{{\"a\":{text}}}");
            let _ = canonical_params(Method::Post, &wrapped);
        }
    }

    #[test]
    fn errors_never_show_the_key() {
        let key = "super-secret-key-value";
        let r = req("POST", "https://x/", "1", "{");
        let e = verify_signature(key, &r, "", &CallbackOptions::new()).unwrap_err();
        assert!(!e.to_string().contains(key));
        assert!(!format!("{e:?}").contains(key));
    }
}
