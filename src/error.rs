//! The error type of the Rust core (DESIGN.md, "Contract 2").
//!
//! An [`Error`] means "no usable answer": an argument was refused before any I/O, the
//! network failed, or a `200` body could not be decoded. A non-200 answer from the API is
//! *not* an `Err`: it is a [`Response`](crate::Response) whose
//! [`error()`](crate::Response::error) gives the corresponding [`Error`].
//!
//! The message of an [`Error`] never contains the API key.

use std::fmt;

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
    /// A configured timeout (connect or overall) expired.
    Timeout,
    /// Another I/O error happened while talking to the server (reset, closed, protocol).
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
        }
    }

    /// `true` for the transport kinds (`Connect`, `Dns`, `Tls`, `Timeout`, `Io`): no answer
    /// was received from the server.
    pub fn is_transport(self) -> bool {
        matches!(
            self,
            ErrorKind::Connect
                | ErrorKind::Dns
                | ErrorKind::Tls
                | ErrorKind::Timeout
                | ErrorKind::Io
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

/// An error of the Rust core: a kind, a message, and for API errors the HTTP status and
/// the Authy `error_code`.
///
/// `Display` prints the message; the message never contains the API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    authy_code: Option<String>,
}

impl Error {
    /// Creates an error of the given kind with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: None,
            authy_code: None,
        }
    }

    /// Creates an [`ErrorKind::InvalidArgument`] error.
    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Creates an error describing an API answer.
    pub(crate) fn api(
        kind: ErrorKind,
        message: impl Into<String>,
        http_status: u16,
        authy_code: Option<String>,
    ) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: Some(http_status),
            authy_code,
        }
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

    /// The Authy `error_code` of the answer this error describes (for example `"60026"`),
    /// if any.
    pub fn authy_code(&self) -> Option<&str> {
        self.authy_code.as_deref()
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
    }
}
