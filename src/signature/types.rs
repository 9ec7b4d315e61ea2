//! The public types: the callback request, the verification options and the error.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::{MAX_AGE_LIMIT, MAX_DEPTH};

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
    /// POST: the raw JSON body, a JSON object (an empty body is malformed: Authy always sends
    /// an object). GET: the raw query string, without or with a leading `?`.
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
    ///
    /// The window may be at most [`MAX_AGE_LIMIT`](super::MAX_AGE_LIMIT) (300 seconds): verification with a larger
    /// one fails with [`SignatureError::MaxAgeTooLarge`] (an argument error) before anything
    /// else is checked.
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
    /// The replay window is longer than [`MAX_AGE_LIMIT`](super::MAX_AGE_LIMIT) (a caller error).
    MaxAgeTooLarge,
    /// The parameters are larger than [`MAX_PARAMS_LEN`](super::MAX_PARAMS_LEN) or expand past
    /// [`MAX_CANONICAL_LEN`](super::MAX_CANONICAL_LEN).
    TooLarge,
    /// The parameters nest deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep,
    /// The body is not a JSON object (or is empty), or the query string cannot be decoded.
    MalformedParams(String),
    /// The signature header is not base64 of a 32-byte tag (surrounding whitespace included:
    /// a header value arrives trimmed, so whitespace means something rewrote it).
    MalformedSignature,
    /// The signature does not match the request.
    Mismatch,
    /// The Twilio Auth Token is empty (a caller error).
    EmptyAuthToken,
    /// A JSON-bodied Twilio webhook whose body's SHA-256 is not the URL's `bodySHA256`.
    BodyHashMismatch,
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
                | SignatureError::MaxAgeTooLarge
                | SignatureError::EmptyAuthToken
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
            SignatureError::MaxAgeTooLarge => write!(
                f,
                "the replay window is longer than {} seconds",
                MAX_AGE_LIMIT.as_secs()
            ),
            SignatureError::TooLarge => f.write_str("callback parameters are too large"),
            SignatureError::TooDeep => {
                write!(f, "callback parameters nest deeper than {MAX_DEPTH} levels")
            }
            SignatureError::MalformedParams(why) => {
                write!(f, "malformed callback parameters: {why}")
            }
            SignatureError::MalformedSignature => {
                f.write_str("malformed signature header (expected base64 of the HMAC tag)")
            }
            SignatureError::Mismatch => f.write_str("callback signature does not match"),
            SignatureError::EmptyAuthToken => f.write_str("the Auth Token is empty"),
            SignatureError::BodyHashMismatch => {
                f.write_str("the body's SHA-256 is not the URL's bodySHA256")
            }
            SignatureError::InvalidNonce => f.write_str("callback nonce is not a Unix timestamp"),
            SignatureError::NonceOutOfWindow { age_seconds } => write!(
                f,
                "callback nonce is outside the replay window (age {age_seconds} s)"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}
