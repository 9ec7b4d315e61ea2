//! `authy_result`: the result code of every fallible C function (DESIGN.md, Contract 2).

use std::ffi::{CStr, c_char};

use super::boundary::guard;
use crate::error::ErrorKind;

/// Result code of the fallible libauthy functions.
///
/// The numbers are grouped by range (1xx argument, 2xx transport, 3xx API answer, 4xx decoding,
/// 5xx internal, 6xx verification) and are stable: a value is never renumbered or reused, a
/// retired value stays listed here as a comment. New codes may be added in later versions, so
/// handle unknown values (authy_result_str() describes any number).
///
/// Functions that take a code as an argument take a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum authy_result {
    /// Success.
    Ok = 0,
    /// An argument was refused by client-side validation; nothing was sent.
    InvalidArgument = 100,
    /// A required pointer argument was NULL.
    NullArgument = 101,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 102,
    /// The `authy_error **error` argument pointed at a non-NULL `authy_error *` (an error the
    /// caller still owns, typically one reused without authy_error_free()). The function did
    /// nothing: `*error` is left as it was, no request was sent.
    ErrorSlotInUse = 103,
    /// The TCP connection could not be established.
    Connect = 200,
    /// The host name could not be resolved.
    Dns = 201,
    /// The TLS handshake failed.
    Tls = 202,
    /// The overall timeout expired after the request was sent: it may have reached the server.
    Timeout = 203,
    /// Another I/O error while talking to the server (protocol error; a failed write before
    /// the request was sent).
    Io = 204,
    /// A timeout expired before the request could be sent — the connect timeout while the
    /// connection (TCP, proxy tunnel, TLS handshake) was being made, or the overall timeout before
    /// any write of the request succeeded: nothing reached the server.
    ConnectTimeout = 205,
    /// The connection was closed or reset before any byte of the answer arrived: the request was
    /// sent and may have reached the server (whether it took effect is unknown).
    NoResponse = 206,
    /// The answer was cut off: its status line and headers arrived, then the connection closed or
    /// was reset before the end of the body. The server received the request.
    Truncated = 207,
    /// The call was cancelled with authy_cancel_cancel() (before an attempt, during one — its
    /// connection was shut down and is never reused — or while waiting between attempts).
    /// authy_error_request_sent() tells whether the request may have reached the server.
    Cancelled = 208,
    /// The API answered 401 or error code 60001 (invalid API key, unknown user, wrong phone
    /// verification code). A wrong token is AUTHY_RESULT_TOKEN_INVALID.
    Unauthorized = 300,
    /// The API answered 429 or error code 60003 (too many requests).
    RateLimited = 301,
    /// The API answered 404 (unknown user, approval request, verification or route).
    NotFound = 302,
    /// The API answered 400 (invalid parameters).
    InvalidParameters = 303,
    /// The API answered 409.
    Conflict = 304,
    /// The API answered with a 5xx status.
    ServerError = 305,
    /// The API answered with another non-200 status (for example 403).
    ApiError = 306,
    /// The API refused the token: Authy code 60020 (token is invalid) or 60019 (token already
    /// used). A revoked API key is AUTHY_RESULT_UNAUTHORIZED instead.
    TokenInvalid = 307,
    /// A response could not be decoded (not JSON, too large).
    Decode = 400,
    /// A response accessor found no value of the requested type at that place (or an offline
    /// lookup such as authy_catalog_lookup() found no entry).
    NoValue = 401,
    /// A bug in libauthy (an invariant did not hold).
    Internal = 500,
    /// A bug in libauthy: a panic was caught at the C boundary.
    Panic = 501,
    /// A OneTouch callback signature is missing, malformed, does not match, or its nonce is
    /// outside the replay window.
    SignatureInvalid = 600,
}

/// Every code, in numeric order.
const ALL_RESULTS: [authy_result; 27] = [
    authy_result::Ok,
    authy_result::InvalidArgument,
    authy_result::NullArgument,
    authy_result::InvalidUtf8,
    authy_result::ErrorSlotInUse,
    authy_result::Connect,
    authy_result::Dns,
    authy_result::Tls,
    authy_result::Timeout,
    authy_result::Io,
    authy_result::ConnectTimeout,
    authy_result::NoResponse,
    authy_result::Truncated,
    authy_result::Cancelled,
    authy_result::Unauthorized,
    authy_result::RateLimited,
    authy_result::NotFound,
    authy_result::InvalidParameters,
    authy_result::Conflict,
    authy_result::ServerError,
    authy_result::ApiError,
    authy_result::TokenInvalid,
    authy_result::Decode,
    authy_result::NoValue,
    authy_result::Internal,
    authy_result::Panic,
    authy_result::SignatureInvalid,
];

impl authy_result {
    /// The code for a number, if it is one.
    pub fn from_u32(code: u32) -> Option<authy_result> {
        ALL_RESULTS.into_iter().find(|r| *r as u32 == code)
    }

    /// The C name and a short description, both NUL-terminated and static.
    fn texts(self) -> (&'static CStr, &'static CStr) {
        match self {
            authy_result::Ok => (c"AUTHY_RESULT_OK", c"success"),
            authy_result::InvalidArgument => {
                (c"AUTHY_RESULT_INVALID_ARGUMENT", c"invalid argument")
            }
            authy_result::NullArgument => (c"AUTHY_RESULT_NULL_ARGUMENT", c"NULL argument"),
            authy_result::InvalidUtf8 => (c"AUTHY_RESULT_INVALID_UTF8", c"string is not UTF-8"),
            authy_result::ErrorSlotInUse => (
                c"AUTHY_RESULT_ERROR_SLOT_IN_USE",
                c"*error was not NULL on entry (free or reset it first)",
            ),
            authy_result::Connect => (c"AUTHY_RESULT_CONNECT", c"connection failed"),
            authy_result::Dns => (c"AUTHY_RESULT_DNS", c"host name resolution failed"),
            authy_result::Tls => (c"AUTHY_RESULT_TLS", c"TLS error"),
            authy_result::Timeout => (c"AUTHY_RESULT_TIMEOUT", c"timed out"),
            authy_result::Io => (c"AUTHY_RESULT_IO", c"I/O error"),
            authy_result::ConnectTimeout => (
                c"AUTHY_RESULT_CONNECT_TIMEOUT",
                c"connect timed out (nothing was sent)",
            ),
            authy_result::NoResponse => (
                c"AUTHY_RESULT_NO_RESPONSE",
                c"connection closed before any answer (the request may have reached the server)",
            ),
            authy_result::Truncated => (c"AUTHY_RESULT_TRUNCATED", c"answer cut off"),
            authy_result::Cancelled => (c"AUTHY_RESULT_CANCELLED", c"cancelled"),
            authy_result::Unauthorized => (c"AUTHY_RESULT_UNAUTHORIZED", c"unauthorized"),
            authy_result::RateLimited => (c"AUTHY_RESULT_RATE_LIMITED", c"rate limited"),
            authy_result::NotFound => (c"AUTHY_RESULT_NOT_FOUND", c"not found"),
            authy_result::InvalidParameters => {
                (c"AUTHY_RESULT_INVALID_PARAMETERS", c"invalid parameters")
            }
            authy_result::Conflict => (c"AUTHY_RESULT_CONFLICT", c"conflict"),
            authy_result::ServerError => (c"AUTHY_RESULT_SERVER_ERROR", c"server error"),
            authy_result::ApiError => (c"AUTHY_RESULT_API_ERROR", c"API error"),
            authy_result::TokenInvalid => (c"AUTHY_RESULT_TOKEN_INVALID", c"invalid token"),
            authy_result::Decode => (c"AUTHY_RESULT_DECODE", c"undecodable response"),
            authy_result::NoValue => (c"AUTHY_RESULT_NO_VALUE", c"no such value"),
            authy_result::Internal => (c"AUTHY_RESULT_INTERNAL", c"internal error"),
            authy_result::Panic => (c"AUTHY_RESULT_PANIC", c"internal error (panic)"),
            authy_result::SignatureInvalid => (
                c"AUTHY_RESULT_SIGNATURE_INVALID",
                c"invalid callback signature",
            ),
        }
    }
}

impl From<ErrorKind> for authy_result {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => authy_result::InvalidArgument,
            ErrorKind::Connect => authy_result::Connect,
            ErrorKind::Dns => authy_result::Dns,
            ErrorKind::Tls => authy_result::Tls,
            ErrorKind::Timeout => authy_result::Timeout,
            ErrorKind::Io => authy_result::Io,
            ErrorKind::Unauthorized => authy_result::Unauthorized,
            ErrorKind::RateLimited => authy_result::RateLimited,
            ErrorKind::NotFound => authy_result::NotFound,
            ErrorKind::InvalidParameters => authy_result::InvalidParameters,
            ErrorKind::Conflict => authy_result::Conflict,
            ErrorKind::ServerError => authy_result::ServerError,
            ErrorKind::ApiError => authy_result::ApiError,
            ErrorKind::Decode => authy_result::Decode,
            ErrorKind::Internal => authy_result::Internal,
            ErrorKind::InvalidToken => authy_result::TokenInvalid,
            ErrorKind::ConnectTimeout => authy_result::ConnectTimeout,
            ErrorKind::NoResponse => authy_result::NoResponse,
            ErrorKind::Truncated => authy_result::Truncated,
            ErrorKind::Cancelled => authy_result::Cancelled,
            // No catch-all: `ErrorKind` is `#[non_exhaustive]` for other crates only, so a kind
            // added to the core without a C code here is a compile error, not a silent INTERNAL.
        }
    }
}

/// A short English description of a result code, e.g. `"timed out"`.
///
/// @param result Any number; unknown numbers give `"unknown result code"`.
/// @return A static NUL-terminated string; never NULL, never to be freed.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn authy_result_str(result: u32) -> *const c_char {
    guard(|| match authy_result::from_u32(result) {
        Some(r) => r.texts().1.as_ptr(),
        None => c"unknown result code".as_ptr(),
    })
}

/// The C name of a result code, e.g. `"AUTHY_RESULT_TIMEOUT"` (for logs and bindings).
///
/// @param result Any number; unknown numbers give `"AUTHY_RESULT_UNKNOWN"`.
/// @return A static NUL-terminated string; never NULL, never to be freed.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn authy_result_name(result: u32) -> *const c_char {
    guard(|| match authy_result::from_u32(result) {
        Some(r) => r.texts().0.as_ptr(),
        None => c"AUTHY_RESULT_UNKNOWN".as_ptr(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: *const c_char) -> &'static str {
        assert!(!p.is_null());
        // SAFETY: the functions return static NUL-terminated strings.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn numbers_follow_design_contract_2() {
        let expected: [(authy_result, u32); 27] = [
            (authy_result::Ok, 0),
            (authy_result::InvalidArgument, 100),
            (authy_result::NullArgument, 101),
            (authy_result::InvalidUtf8, 102),
            (authy_result::ErrorSlotInUse, 103),
            (authy_result::Connect, 200),
            (authy_result::Dns, 201),
            (authy_result::Tls, 202),
            (authy_result::Timeout, 203),
            (authy_result::Io, 204),
            (authy_result::ConnectTimeout, 205),
            (authy_result::NoResponse, 206),
            (authy_result::Truncated, 207),
            (authy_result::Cancelled, 208),
            (authy_result::Unauthorized, 300),
            (authy_result::RateLimited, 301),
            (authy_result::NotFound, 302),
            (authy_result::InvalidParameters, 303),
            (authy_result::Conflict, 304),
            (authy_result::ServerError, 305),
            (authy_result::ApiError, 306),
            (authy_result::TokenInvalid, 307),
            (authy_result::Decode, 400),
            (authy_result::NoValue, 401),
            (authy_result::Internal, 500),
            (authy_result::Panic, 501),
            (authy_result::SignatureInvalid, 600),
        ];
        for (r, n) in expected {
            assert_eq!(r as u32, n);
            assert_eq!(authy_result::from_u32(n), Some(r));
        }
    }

    #[test]
    fn names_and_descriptions() {
        for r in ALL_RESULTS {
            let name = text(authy_result_name(r as u32));
            assert!(name.starts_with("AUTHY_RESULT_"), "{name}");
            assert!(!text(authy_result_str(r as u32)).is_empty());
        }
        assert_eq!(text(authy_result_name(203)), "AUTHY_RESULT_TIMEOUT");
        assert_eq!(text(authy_result_str(203)), "timed out");
        assert_eq!(text(authy_result_str(7)), "unknown result code");
        assert_eq!(text(authy_result_name(u32::MAX)), "AUTHY_RESULT_UNKNOWN");
        assert_eq!(authy_result::from_u32(99), None);
        assert_eq!(text(authy_result_name(307)), "AUTHY_RESULT_TOKEN_INVALID");
        assert_eq!(text(authy_result_str(307)), "invalid token");
    }

    #[test]
    fn every_error_kind_has_a_code() {
        use ErrorKind::*;
        let pairs = [
            (InvalidArgument, 100),
            (Connect, 200),
            (Dns, 201),
            (Tls, 202),
            (Timeout, 203),
            (Io, 204),
            (Unauthorized, 300),
            (RateLimited, 301),
            (NotFound, 302),
            (InvalidParameters, 303),
            (Conflict, 304),
            (ServerError, 305),
            (ApiError, 306),
            (InvalidToken, 307),
            (ConnectTimeout, 205),
            (NoResponse, 206),
            (Truncated, 207),
            (Cancelled, 208),
            (Decode, 400),
            (Internal, 500),
        ];
        for (kind, n) in pairs {
            assert_eq!(authy_result::from(kind) as u32, n, "{kind:?}");
        }
    }
}
