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
//! - **A GET query is signed as it is sent.** Authy sends the canonical text itself as the
//!   query, including the empty components (`&&`, a leading `&`) that Rails' `to_query` writes
//!   for a nested hash whose values are all empty and that Rack ignores; a query that is, but
//!   for its empty components, the canonical text of what it parses to is signed verbatim. A
//!   query reordered or re-escaped on the way is signed as the canonical text of its parameters.
//! - **A raw `;` in a GET query is malformed.** Authy's canonical text escapes `;` as `%3B`,
//!   so an authentic GET callback never carries a raw one. Parsers disagree on it: ours and
//!   Rack ≥ 3 read it as data, Rack < 3 (and our sandbox's parser), Python < 3.9.2 and others
//!   as a separator like `&`. A callback signed for `status=denied%3Bstatus%3Dapproved`
//!   (one parameter, `status` = `denied;status=approved`) re-sent with the `;` decoded would
//!   otherwise verify here while a `;`-splitting application read `status=approved`. Refused
//!   before any signature work, for signing and verifying alike.
//! - **An empty POST body is malformed**, not "no parameters" (Authy always sends an object).
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

//!
//! # Layout
//!
//! `types` (the request, options and error), `fast` (the single-pass canonicaliser that writes
//! straight into the HMAC: `fast::json`, `fast::query`), `reference` (the owned-tree
//! canonicaliser that decides whatever the fast one is unsure of, and is the specification
//! both are tested against: `reference::json`, `reference::rack`, `reference::to_query`),
//! `escape` (CGI escaping and the byte sinks), `nonce` (the replay window), `verified`
//! ([`VerifiedParams`], a flat owned copy of the tree the signature was checked against: the
//! fast path's, or the reference's when it decided).

mod escape;
mod fast;
mod nonce;
mod reference;
pub mod twilio;
mod types;
mod verified;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

use escape::{MacSink, Sink};
pub use types::{CallbackOptions, CallbackRequest, Method, SignatureError};
pub use verified::VerifiedParams;

/// Largest accepted body / query string, in bytes (1 MiB). Real callbacks are a few KiB.
pub const MAX_PARAMS_LEN: usize = 1 << 20;
/// Deepest accepted nesting of hashes and arrays in the parameters.
pub const MAX_DEPTH: usize = 32;
/// Largest canonical parameter string the parameters may expand to (keys are repeated for every
/// leaf, so a small input can otherwise expand a lot), in bytes (4 MiB).
pub const MAX_CANONICAL_LEN: usize = 4 << 20;
/// Longest accepted replay window ([`CallbackOptions::max_age`]): 300 seconds, as Authy
/// documents. A longer one is refused with [`SignatureError::MaxAgeTooLarge`].
pub const MAX_AGE_LIMIT: Duration = Duration::from_secs(300);

/// Length in bytes of an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;
/// The stack buffer between the canonical text and the HMAC (real strings to sign: 0.3–3 KB).
const MAC_BUF: usize = 2048;

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
    let mut text = Vec::new();
    feed_canonical(method, params, &mut text, MAX_CANONICAL_LEN)?;
    // Every byte is CGI-escaped output or a GET query checked to be canonical: ASCII.
    String::from_utf8(text)
        .map_err(|_| SignatureError::MalformedParams("non-ASCII canonical text".into()))
}

/// Writes the canonical text of `params` into `sink`: `TooLarge` past `limit` bytes. The
/// single-pass canonicaliser's tree when it wrote the text (`None`: the reference did).
fn feed_canonical<'a, S: Sink>(
    method: Method,
    params: &'a str,
    sink: &mut S,
    limit: usize,
) -> Result<Option<fast::Tree<'a>>, SignatureError> {
    if params.len() > MAX_PARAMS_LEN {
        return Err(SignatureError::TooLarge);
    }
    if let Some(tree) = fast::feed(method, params, sink, limit)? {
        return Ok(Some(tree));
    }
    let text = reference::canonical(method, params, limit)?;
    sink.write(&text);
    Ok(None)
}

/// What [`feed_signed`] signed: the method, and the tree of the parameters when the
/// single-pass canonicaliser wrote them (`None`: the reference did).
struct Signed<'a> {
    method: Method,
    tree: Option<fast::Tree<'a>>,
}

/// The method and the URL without query, checked.
fn method_and_url<'a>(request: &CallbackRequest<'a>) -> Result<(Method, &'a str), SignatureError> {
    let method = Method::parse(request.method).ok_or(SignatureError::UnsupportedMethod)?;
    let url = strip_query(request.url);
    if url.is_empty() {
        return Err(SignatureError::EmptyUrl);
    }
    Ok((method, url))
}

/// Writes `nonce|METHOD|url|canonical_params` into `sink`.
fn feed_signed<'a, S: Sink>(
    request: &CallbackRequest<'a>,
    sink: &mut S,
) -> Result<Signed<'a>, SignatureError> {
    let (method, url) = method_and_url(request)?;
    sink.write(request.nonce.as_bytes());
    sink.write(b"|");
    sink.write(method.as_str().as_bytes());
    sink.write(b"|");
    sink.write(url.as_bytes());
    sink.write(b"|");
    let prefix = sink.written();
    let tree = feed_canonical(
        method,
        request.params,
        &mut Offset { sink, prefix },
        MAX_CANONICAL_LEN,
    )?;
    Ok(Signed { method, tree })
}

/// A sink that counts from `prefix`: the canonical text's limit does not include the nonce,
/// method and URL written before it.
struct Offset<'s, S> {
    sink: &'s mut S,
    prefix: usize,
}

impl<S: Sink> Sink for Offset<'_, S> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.sink.write(bytes);
    }
    #[inline]
    fn push(&mut self, byte: u8) {
        self.sink.push(byte);
    }
    #[inline]
    fn written(&self) -> usize {
        self.sink.written() - self.prefix
    }
}

/// The exact string that is signed: `nonce|METHOD|url|canonical_params`.
pub fn string_to_sign(request: &CallbackRequest<'_>) -> Result<String, SignatureError> {
    let mut data = Vec::with_capacity(request.params.len() * 2 + request.url.len() + 32);
    feed_signed(request, &mut data)?;
    String::from_utf8(data)
        .map_err(|_| SignatureError::MalformedParams("non-UTF-8 string to sign".into()))
}

/// The HMAC of the string to sign, fed while it is canonicalised.
fn mac_for<'a>(
    api_key: &str,
    request: &CallbackRequest<'a>,
) -> Result<(Hmac<Sha256>, Signed<'a>), SignatureError> {
    if api_key.is_empty() {
        return Err(SignatureError::EmptyApiKey);
    }
    let mac = <Hmac<Sha256>>::new_from_slice(api_key.as_bytes())
        .map_err(|_| SignatureError::EmptyApiKey)?;
    let mut sink = MacSink::<_, MAC_BUF>::new(mac);
    let signed = feed_signed(request, &mut sink)?;
    Ok((sink.finish(), signed))
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
    Ok(BASE64.encode(mac.finalize().into_bytes()))
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
    verify_mac(api_key, request, signature, options).map(drop)
}

/// Checks the signature (and the window); on success, what was signed. Builds nothing owned.
fn verify_mac<'a>(
    api_key: &str,
    request: &CallbackRequest<'a>,
    signature: &str,
    options: &CallbackOptions,
) -> Result<Signed<'a>, SignatureError> {
    if options.max_age_value().is_some_and(|m| m > MAX_AGE_LIMIT) {
        return Err(SignatureError::MaxAgeTooLarge);
    }
    let (mac, signed) = mac_for(api_key, request)?;
    // A header value arrives trimmed: whitespace (or anything but 44 base64 characters of a
    // 32-byte tag) is malformed. 48 bytes: room for the 33 that base64 reserves for 44
    // characters; longer input fails to fit or decodes to the wrong length.
    let mut tag = [0u8; 48];
    match BASE64.decode_slice(signature.as_bytes(), &mut tag) {
        Ok(TAG_LEN) => {}
        _ => return Err(SignatureError::MalformedSignature),
    }
    mac.verify_slice(&tag[..TAG_LEN])
        .map_err(|_| SignatureError::Mismatch)?;
    if let Some(max_age) = options.max_age_value() {
        nonce::check_nonce_age(request.nonce, max_age, options.now_value())?;
    }
    Ok(signed)
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
    let signed = verify_mac(api_key, request, signature, options)?;
    // Only now, for a callback that verified: the owned parameters the application reads, from
    // the tree the canonical text was written from.
    Ok(match signed.tree {
        Some(tree) => tree.verified(),
        None => VerifiedParams::from_reference(&reference::parse(signed.method, request.params)?),
    })
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

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
