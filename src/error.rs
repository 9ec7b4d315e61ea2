//! The error type of the Rust core (DESIGN.md, "Contract 2").
//!
//! An [`Error`] means "no usable answer": an argument was refused before any I/O, the
//! network failed, or a `200` body could not be decoded. A non-200 answer from the API is
//! *not* an `Err`: it is a [`Response`](crate::Response) whose
//! [`error()`](crate::Response::error) gives the corresponding [`Error`].
//!
//! The message of an [`Error`] never contains the API key.

use std::fmt;
use std::time::Duration;

/// The category of an [`Error`].
///
/// The C layer maps every kind to a stable `authy_result` number; new kinds may be added
/// in later versions (hence `#[non_exhaustive]`), existing ones are never renumbered or
/// removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument was refused by client-side validation; nothing was sent.
    InvalidArgument,
    /// The TCP connection could not be established (refused, unreachable).
    Connect,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake failed (certificate not trusted, name mismatch, protocol error).
    Tls,
    /// The overall timeout expired after the connection was made: the request may have
    /// reached the server. (A connect timeout is [`ErrorKind::ConnectTimeout`].)
    Timeout,
    /// Another I/O error happened while talking to the server (protocol error, write error).
    Io,
    /// The API answered 401, or with error code 60001 (invalid API key, unknown user, wrong
    /// phone verification code). A wrong or reused OTP is [`ErrorKind::InvalidToken`].
    Unauthorized,
    /// The API answered 429, or with error code 60003 (too many requests).
    RateLimited,
    /// The API answered 404 (unknown user, approval request, verification, route).
    NotFound,
    /// The API answered 400 (invalid parameters).
    InvalidParameters,
    /// The API answered 409.
    Conflict,
    /// The API answered with a 5xx status.
    ServerError,
    /// The API answered with another non-200 status (for example 403).
    ApiError,
    /// A response could not be decoded (a `200` body that is not a JSON object, a body
    /// that is too large).
    Decode,
    /// A bug in this library (an invariant did not hold).
    Internal,
    /// The API refused the token itself: error code 60020 (token is invalid, answered with
    /// 401) or 60019 (token already used). Distinct from [`ErrorKind::Unauthorized`] so that a
    /// revoked API key (60001) can be told apart from a user typing a wrong code.
    InvalidToken,
    /// A timeout expired before the request could be sent — the connect timeout while the
    /// connection (TCP, proxy tunnel, TLS handshake) was being made, or the overall timeout
    /// before any write of the request succeeded: nothing reached the server.
    ConnectTimeout,
    /// The connection was closed or reset before any byte of the answer arrived: the request
    /// was sent and may have reached the server (its effect, if any, is unknown).
    NoResponse,
    /// The answer was cut off: its status line and headers arrived, then the connection closed
    /// or was reset before the end of the body. The server received the request.
    Truncated,
    /// The call was cancelled through its [`Cancel`](crate::Cancel) token (before an attempt,
    /// during one — its connection was shut down and is never reused — or while waiting
    /// between two). [`Error::request_sent`] tells whether the request may have reached the
    /// server.
    Cancelled,
}

impl ErrorKind {
    /// A short, static, human-readable description of the kind (English, no trailing
    /// period), for example `"connection failed"`.
    pub fn description(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Connect => "connection failed",
            ErrorKind::Dns => "host name resolution failed",
            ErrorKind::Tls => "TLS error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Io => "I/O error",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::NotFound => "not found",
            ErrorKind::InvalidParameters => "invalid parameters",
            ErrorKind::Conflict => "conflict",
            ErrorKind::ServerError => "server error",
            ErrorKind::ApiError => "API error",
            ErrorKind::Decode => "undecodable response",
            ErrorKind::Internal => "internal error",
            ErrorKind::InvalidToken => "invalid token",
            ErrorKind::ConnectTimeout => "connect timed out",
            ErrorKind::NoResponse => "connection closed before any answer",
            ErrorKind::Truncated => "answer cut off",
            ErrorKind::Cancelled => "cancelled",
        }
    }

    /// `true` for the transport kinds (`Connect`, `Dns`, `Tls`, `Timeout`, `Io`,
    /// `ConnectTimeout`, `NoResponse`, `Truncated`, `Cancelled`): no complete answer was
    /// received.
    pub fn is_transport(self) -> bool {
        matches!(
            self,
            ErrorKind::Connect
                | ErrorKind::Dns
                | ErrorKind::Tls
                | ErrorKind::Timeout
                | ErrorKind::Io
                | ErrorKind::ConnectTimeout
                | ErrorKind::NoResponse
                | ErrorKind::Truncated
                | ErrorKind::Cancelled
        )
    }

    /// `true` for the kinds that describe an answer of the API (`Unauthorized` …
    /// `ApiError`, `InvalidToken`).
    pub fn is_api(self) -> bool {
        matches!(
            self,
            ErrorKind::Unauthorized
                | ErrorKind::RateLimited
                | ErrorKind::NotFound
                | ErrorKind::InvalidParameters
                | ErrorKind::Conflict
                | ErrorKind::ServerError
                | ErrorKind::ApiError
                | ErrorKind::InvalidToken
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// An error of the Rust core: a kind, a message, for API errors the HTTP status, the API's
/// error code (Authy `error_code`, Twilio `code`), Twilio's `more_info` and any `Retry-After`, and for every error of a call how many attempts were
/// made and whether the request may have reached the server.
///
/// `Display` prints the message; the message never contains the API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    api_code: Option<String>,
    more_info: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    request_sent: bool,
    /// An [`ErrorKind::Io`] because the server answered something that is not HTTP (a bad
    /// status line or chunk size, conflicting lengths, another protocol's banner).
    protocol: bool,
}

impl Error {
    /// Creates an error of the given kind with a message (no attempt made, nothing sent:
    /// the transport sets those for the errors of a call).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: None,
            api_code: None,
            more_info: None,
            retry_after: None,
            attempts: 0,
            request_sent: false,
            protocol: false,
        }
    }

    /// Creates the [`ErrorKind::Io`] error of an answer that is not HTTP.
    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error {
            protocol: true,
            ..Error::new(ErrorKind::Io, message)
        }
    }

    /// Whether the server answered something that is not HTTP (an [`ErrorKind::Io`] error;
    /// fail-open verification denies it).
    pub(crate) fn is_protocol(&self) -> bool {
        self.protocol
    }

    /// Creates an [`ErrorKind::InvalidArgument`] error.
    /// An answer whose body is larger than `limit` bytes (the transport stops reading it there).
    pub(crate) fn body_too_large(limit: usize) -> Self {
        Error::new(
            ErrorKind::Decode,
            format!("Response body too large (more than {limit} bytes)"),
        )
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Creates the [`ErrorKind::InvalidArgument`] error of a value the API certainly refuses:
    /// nothing is sent, and the error carries the API's own `error_code` and message (no HTTP
    /// status: there was no answer).
    pub(crate) fn refused_as_api(api_code: &str, message: &str) -> Self {
        Error {
            api_code: Some(api_code.to_string()),
            ..Error::invalid_argument(message)
        }
    }

    /// Creates an error describing an API answer.
    pub(crate) fn api(
        kind: ErrorKind,
        message: impl Into<String>,
        http_status: u16,
        api_code: Option<String>,
    ) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: Some(http_status),
            api_code,
            more_info: None,
            retry_after: None,
            attempts: 1,
            request_sent: true,
            protocol: false,
        }
    }

    /// Records the `more_info` URL of a Twilio error answer.
    pub(crate) fn with_more_info(mut self, more_info: Option<String>) -> Self {
        self.more_info = more_info;
        self
    }

    /// Records the `Retry-After` of the answer.
    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// Records the HTTP status of the answer this error is about (an answer that could not be
    /// decoded), so that a caller can tell it from no answer at all.
    pub(crate) fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// Records how many attempts the call made and whether any of them may have reached the
    /// server.
    pub(crate) fn with_attempts(mut self, attempts: u32, request_sent: bool) -> Self {
        self.attempts = attempts;
        self.request_sent = request_sent;
        self
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message (never contains the API key).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer this error describes, if any.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The API's error code of the answer this error describes, if any: Authy `error_code`
    /// (for example `"60026"`) or Twilio `code` (for example `"20404"`). The two APIs' 600xx
    /// codes mean different things: read it with the API the call went to. For an
    /// [`ErrorKind::InvalidArgument`] refused because the API certainly refuses the value, the
    /// API's own code (for example `"60020"` for a token that is not 6–12 digits), with the
    /// API's message.
    pub fn api_code(&self) -> Option<&str> {
        self.api_code.as_deref()
    }

    /// The same as [`api_code`](Error::api_code) (its name from when there was one API).
    pub fn authy_code(&self) -> Option<&str> {
        self.api_code()
    }

    /// The `more_info` URL of a Twilio error answer (a page on the error code), if any.
    pub fn more_info(&self) -> Option<&str> {
        self.more_info.as_deref()
    }

    /// The delay the server asked for before trying again (`Retry-After` in seconds on a 429
    /// or 503 answer), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many attempts the call made (0 when it was refused before any I/O; more than 1
    /// after a retry, see `ClientBuilder::retries`).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the request may have reached the server in one of the attempts. `false` means
    /// it provably did not (refused before I/O; DNS, connect or TLS handshake failures): a
    /// side effect such as an SMS cannot have happened.
    pub fn request_sent(&self) -> bool {
        self.request_sent
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_and_display() {
        let e = Error::api(
            ErrorKind::NotFound,
            "User not found.",
            404,
            Some("60026".into()),
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.message(), "User not found.");
        assert_eq!(e.http_status(), Some(404));
        assert_eq!(e.authy_code(), Some("60026"));
        assert_eq!(e.to_string(), "User not found.");
        let e = Error::invalid_argument("Invalid token: only digits accepted");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(e.http_status(), None);
        assert_eq!(e.authy_code(), None);
    }

    #[test]
    fn kind_groups() {
        assert!(ErrorKind::Timeout.is_transport());
        assert!(!ErrorKind::Timeout.is_api());
        assert!(ErrorKind::ServerError.is_api());
        assert!(ErrorKind::InvalidToken.is_api());
        assert!(!ErrorKind::InvalidToken.is_transport());
        assert_eq!(ErrorKind::InvalidToken.to_string(), "invalid token");
        assert!(!ErrorKind::Decode.is_transport());
        assert_eq!(ErrorKind::Dns.to_string(), "host name resolution failed");
        for k in [
            ErrorKind::ConnectTimeout,
            ErrorKind::NoResponse,
            ErrorKind::Truncated,
            ErrorKind::Cancelled,
        ] {
            assert!(k.is_transport() && !k.is_api(), "{k:?}");
        }
    }

    #[test]
    fn attempts_sent_and_retry_after() {
        let e = Error::invalid_argument("x");
        assert_eq!(
            (e.attempts(), e.request_sent(), e.retry_after()),
            (0, false, None)
        );
        let e = Error::api(ErrorKind::RateLimited, "slow down", 429, None)
            .with_retry_after(Some(Duration::from_secs(2)))
            .with_attempts(3, true);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!((e.attempts(), e.request_sent()), (3, true));
    }
}
