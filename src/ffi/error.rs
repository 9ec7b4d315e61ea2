//! `authy_error`: the owned error object returned through the optional `authy_error **`.

use std::ffi::{CString, c_char};
use std::ptr;

use super::boundary::guard;
use super::ptr::free_handle;
use super::result::authy_result;
use super::strings::to_cstring;
use crate::error::Error;
use crate::signature::SignatureError;

/// Details of a failed call: result code, message, HTTP status, the API's error code (Authy
/// `error_code`, Twilio `code`) and Twilio's `more_info`.
///
/// Ownership: created by libauthy when a call fails and its `authy_error **error` argument is
/// not NULL; owned by the caller, released with authy_error_free().
///
/// Thread safety: immutable; the accessors may be called from several threads at once.
#[derive(Debug)]
pub struct authy_error {
    code: authy_result,
    message: CString,
    http_status: u16,
    api_code: Option<CString>,
    more_info: Option<CString>,
    body: Option<CString>,
    retry_after_ms: u64,
    attempts: u32,
    request_sent: bool,
}

impl authy_error {
    pub(crate) fn new(code: authy_result, message: impl AsRef<str>) -> authy_error {
        authy_error {
            code,
            message: to_cstring(message.as_ref()),
            http_status: 0,
            api_code: None,
            more_info: None,
            body: None,
            retry_after_ms: 0,
            attempts: 0,
            request_sent: false,
        }
    }

    /// The error an unsuccessful API answer corresponds to, keeping the raw body.
    pub(crate) fn from_answer(e: &Error, body: &str) -> authy_error {
        authy_error {
            body: Some(to_cstring(body)),
            ..authy_error::from(e)
        }
    }

    pub(crate) fn null_argument(name: &str) -> authy_error {
        authy_error::new(authy_result::NullArgument, format!("{name} is NULL"))
    }

    pub(crate) fn invalid_utf8(name: &str) -> authy_error {
        authy_error::new(
            authy_result::InvalidUtf8,
            format!("{name} is not valid UTF-8"),
        )
    }

    pub(crate) fn invalid_argument(message: impl AsRef<str>) -> authy_error {
        authy_error::new(authy_result::InvalidArgument, message)
    }

    pub(crate) fn code(&self) -> authy_result {
        self.code
    }

    #[cfg(test)]
    pub(crate) fn message_str(&self) -> &str {
        self.message.to_str().unwrap_or("")
    }
}

impl From<Error> for authy_error {
    fn from(e: Error) -> Self {
        authy_error::from(&e)
    }
}

impl From<&Error> for authy_error {
    fn from(e: &Error) -> Self {
        authy_error {
            code: e.kind().into(),
            message: to_cstring(e.message()),
            http_status: e.http_status().unwrap_or(0),
            api_code: e.api_code().map(to_cstring),
            more_info: e.more_info().map(to_cstring),
            body: None,
            retry_after_ms: e
                .retry_after()
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            attempts: e.attempts(),
            request_sent: e.request_sent(),
        }
    }
}

impl From<SignatureError> for authy_error {
    fn from(e: SignatureError) -> Self {
        let code = if e.is_argument_error() {
            authy_result::InvalidArgument
        } else {
            authy_result::SignatureInvalid
        };
        authy_error::new(code, e.to_string())
    }
}

/// The result code of an error.
///
/// @param error The error (may be NULL).
/// @return Its code, or AUTHY_RESULT_NULL_ARGUMENT when `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_code(error: *const authy_error) -> authy_result {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        match unsafe { error.as_ref() } {
            Some(e) => e.code,
            None => authy_result::NullArgument,
        }
    })
}

/// The human-readable message of an error (English; never contains the API key).
///
/// @param error The error (may be NULL).
/// @return A NUL-terminated string owned by `error`, valid until authy_error_free(error);
///         NULL when `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_message(error: *const authy_error) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        match unsafe { error.as_ref() } {
            Some(e) => e.message.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// The HTTP status of the API answer the error describes.
///
/// @param error The error (may be NULL).
/// @return The status (e.g. 404), or 0 when the error does not come from an API answer (argument,
///         transport, decoding errors) or `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_http_status(error: *const authy_error) -> u16 {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        unsafe { error.as_ref() }.map_or(0, |e| e.http_status)
    })
}

/// The API's error code of the answer the error describes: Authy `error_code` (e.g. `"60026"`,
/// see authy_catalog_lookup()) or Twilio `code` (e.g. `"20404"`). The two APIs' 600xx codes mean
/// different things: read it with the API the call went to. Also set for a value refused before
/// any I/O because the API certainly refuses it (AUTHY_RESULT_INVALID_ARGUMENT with the API's own
/// code and message, e.g. `"60020"` "Token is invalid" for a token that is not 6–12 digits).
///
/// @param error The error (may be NULL).
/// @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
///         when there is no code (an answer without one, a value that cannot be sent safely) or
///         `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_api_code(error: *const authy_error) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        match unsafe { error.as_ref() }.and_then(|e| e.api_code.as_ref()) {
            Some(c) => c.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// The same as authy_error_api_code() (its name from when there was one API; kept as an alias).
///
/// @param error The error (may be NULL).
/// @return As authy_error_api_code().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_authy_code(error: *const authy_error) -> *const c_char {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { authy_error_api_code(error) })
}

/// The `more_info` URL of a Twilio error answer (a page on its code), e.g.
/// `"https://www.twilio.com/docs/errors/20404"`.
///
/// @param error The error (may be NULL).
/// @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
///         for Authy answers, errors without an answer, or when `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_more_info(error: *const authy_error) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        match unsafe { error.as_ref() }.and_then(|e| e.more_info.as_ref()) {
            Some(c) => c.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// The delay the server asked for before trying again: the `Retry-After` of a 429 or 503 answer.
///
/// @param error The error (may be NULL).
/// @return Milliseconds; 0 when the answer had no `Retry-After` (or it was 0), the error does not
///         come from an answer, or `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_retry_after_ms(error: *const authy_error) -> u64 {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        unsafe { error.as_ref() }.map_or(0, |e| e.retry_after_ms)
    })
}

/// How many attempts the failed call made: 0 when it was refused before any I/O (invalid
/// argument), 1 without a retry, more after stale-connection resends or retries (see
/// authy_client_builder_set_retries()).
///
/// @param error The error (may be NULL).
/// @return The number of attempts; 0 when `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_attempts(error: *const authy_error) -> u32 {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        unsafe { error.as_ref() }.map_or(0, |e| e.attempts)
    })
}

/// Whether the request of the failed call may have reached the server in one of its attempts.
///
/// `false` means it provably did not (refused before I/O; the name lookup, the connection or the
/// TLS handshake failed; no write of it succeeded): a side effect such as an SMS cannot have
/// happened, and the call can be repeated. `true` (AUTHY_RESULT_TIMEOUT, _NO_RESPONSE,
/// _TRUNCATED, an API answer, ...) means it may have: repeating an SMS request may send a second
/// SMS.
///
/// @param error The error (may be NULL).
/// @return true when the request may have reached the server; false otherwise or for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_request_sent(error: *const authy_error) -> bool {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        unsafe { error.as_ref() }.is_some_and(|e| e.request_sent)
    })
}

/// The raw body of the unsuccessful API answer the error describes (JSON text, e.g.
/// `{"message":"User was not valid","errors":{"cellphone":"is invalid"},...}`), for details the
/// message does not carry.
///
/// @param error The error (may be NULL).
/// @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
///         when the error does not come from an API answer or `error` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_body(error: *const authy_error) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live error (caller contract).
        match unsafe { error.as_ref() }.and_then(|e| e.body.as_ref()) {
            Some(c) => c.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// Releases an error.
///
/// @param error An error received from libauthy, or NULL (no-op). Must not be used afterwards,
///        nor any string borrowed from it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_error_free(error: *mut authy_error) {
    guard(|| {
        // SAFETY: NULL or an error created by libauthy and not yet freed (caller contract).
        unsafe { free_handle(error) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::ffi::ptr::into_handle;
    use std::ffi::CStr;

    fn s(p: *const c_char) -> Option<String> {
        // SAFETY: test pointers come from live errors.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    }

    #[test]
    fn null_is_tolerated_everywhere() {
        unsafe {
            assert_eq!(authy_error_code(ptr::null()), authy_result::NullArgument);
            assert!(authy_error_message(ptr::null()).is_null());
            assert_eq!(authy_error_http_status(ptr::null()), 0);
            assert!(authy_error_authy_code(ptr::null()).is_null());
            assert!(authy_error_api_code(ptr::null()).is_null());
            assert!(authy_error_more_info(ptr::null()).is_null());
            assert!(authy_error_body(ptr::null()).is_null());
            authy_error_free(ptr::null_mut());
        }
    }

    #[test]
    fn from_core_error() {
        let core = Error::new(ErrorKind::Timeout, "timed out after 5 s");
        let e = into_handle(authy_error::from(core));
        unsafe {
            assert_eq!(authy_error_code(e), authy_result::Timeout);
            assert_eq!(
                s(authy_error_message(e)).as_deref(),
                Some("timed out after 5 s")
            );
            assert_eq!(authy_error_http_status(e), 0);
            assert_eq!(s(authy_error_authy_code(e)), None);
            authy_error_free(e);
        }
    }

    #[test]
    fn from_api_answer() {
        let core = Error::api(
            ErrorKind::NotFound,
            "User not found.",
            404,
            Some("60026".into()),
        );
        let e = into_handle(authy_error::from_answer(&core, r#"{"error_code":"60026"}"#));
        unsafe {
            assert_eq!(authy_error_code(e), authy_result::NotFound);
            assert_eq!(authy_error_http_status(e), 404);
            assert_eq!(s(authy_error_authy_code(e)).as_deref(), Some("60026"));
            assert_eq!(
                s(authy_error_body(e)).as_deref(),
                Some(r#"{"error_code":"60026"}"#)
            );
            authy_error_free(e);
        }
    }

    #[test]
    fn from_twilio_answer() {
        let body = r#"{"code":20404,"message":"The requested resource /Services/VA0/Verifications/VE1 was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#;
        let r = crate::response::Response::from_wire(
            crate::dialect::Success::Any2xx,
            1 << 20,
            404,
            body.as_bytes(),
        )
        .unwrap();
        let e = into_handle(authy_error::from_answer(&r.error().unwrap(), r.body()));
        unsafe {
            assert_eq!(authy_error_code(e), authy_result::NotFound);
            assert_eq!(s(authy_error_api_code(e)).as_deref(), Some("20404"));
            assert_eq!(s(authy_error_authy_code(e)).as_deref(), Some("20404"));
            assert_eq!(
                s(authy_error_more_info(e)).as_deref(),
                Some("https://www.twilio.com/docs/errors/20404")
            );
            assert!(s(authy_error_message(e)).unwrap().contains("was not found"));
            authy_error_free(e);
        }
    }

    #[test]
    fn signature_errors() {
        let e = authy_error::from(SignatureError::Mismatch);
        assert_eq!(e.code(), authy_result::SignatureInvalid);
        let e = authy_error::from(SignatureError::UnsupportedMethod);
        assert_eq!(e.code(), authy_result::InvalidArgument);
    }

    #[test]
    fn interior_nul_is_replaced() {
        let e = authy_error::new(authy_result::Io, "a\0b");
        assert_eq!(e.message_str(), "a\u{FFFD}b");
    }
}
