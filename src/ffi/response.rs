//! `authy_response`: one answer of the Authy API, with accessors.

use std::ffi::c_char;
use std::ptr;

use serde_json::Value;

use super::boundary::{guard, guard_result};
use super::error::authy_error;
use super::ptr::{free_handle, handle_ref, out_arg, write_out};
use super::result::authy_result;
use super::strcache::StrCache;
use super::strings::str_arg;
use crate::response::Response;

/// One answer of the Authy API: HTTP status, raw body, parsed JSON.
///
/// Ownership: returned by the endpoint functions and authy_client_request(), owned by the
/// caller, released with authy_response_free(). Strings returned by the accessors are owned by
/// the response and stay valid until it is freed; a U+0000 in a value is returned as U+FFFD
/// ("U+0000 in text" at the top of this header).
///
/// Thread safety: immutable for the caller; the accessors may be called from several threads at
/// once.
pub struct authy_response {
    inner: Response,
    /// C copies of the strings handed out, by accessor key (valid until the response is freed).
    strings: StrCache,
}

impl authy_response {
    pub(crate) fn new(inner: Response) -> authy_response {
        authy_response {
            inner,
            strings: StrCache::new(),
        }
    }

    /// A stable C pointer to `make()`'s text, built once per `key`; NULL when `make` gives
    /// `None`.
    fn cached(&self, key: &str, make: impl FnOnce(&Response) -> Option<String>) -> *const c_char {
        self.strings.get_or_insert_with(key, || make(&self.inner))
    }
}

/// Borrows a response or returns `default` for NULL.
///
/// # Safety
/// `response` must be NULL or a live response.
unsafe fn with<'a, T>(
    response: *const authy_response,
    default: T,
    f: impl FnOnce(&'a authy_response) -> T,
) -> T {
    // SAFETY: forwarded caller contract.
    match unsafe { response.as_ref() } {
        Some(r) => f(r),
        None => default,
    }
}

/// The HTTP status of the answer (e.g. 200).
///
/// @param response The response (may be NULL).
/// @return The status, or 0 when `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_status(response: *const authy_response) -> u16 {
    // SAFETY: caller contract (NULL or live).
    guard(|| unsafe { with(response, 0, |r| r.inner.status()) })
}

/// The raw body of the answer, as received (JSON text for every Authy answer). A JSON escape
/// such as `\u0000` stays the six characters it is; only a body that is not JSON can hold a
/// NUL byte, which is replaced with U+FFFD ("U+0000 in text" at the top of this header).
///
/// @param response The response (may be NULL).
/// @return A NUL-terminated string owned by `response`; NULL when `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_body(response: *const authy_response) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            with(response, ptr::null(), |r| {
                r.cached("@body", |r| Some(r.body().to_owned()))
            })
        }
    })
}

/// Whether the call succeeded as the official clients define it: Authy status 200, and for a
/// token verification also `"token":"is valid"`; Twilio any 2xx, and for a VerificationCheck also
/// `"status":"approved"` (a `pending` answer is a wrong code). Always true for the answers of the endpoint
/// functions (they report unsuccessful answers as errors); useful after authy_client_request().
///
/// @param response The response (may be NULL).
/// @return true on success; false otherwise or when `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_ok(response: *const authy_response) -> bool {
    // SAFETY: caller contract (NULL or live).
    guard(|| unsafe { with(response, false, |r| r.inner.ok()) })
}

/// The `ignored` flag of an SMS or call answer: true when the API did not send the code because
/// the user has the Authy app (set the option `force` to send anyway).
///
/// @param response The response (may be NULL).
/// @return The flag; false when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_ignored(response: *const authy_response) -> bool {
    // SAFETY: caller contract (NULL or live).
    guard(|| unsafe { with(response, false, |r| r.inner.ignored()) })
}

/// Turns an answer into a result: AUTHY_RESULT_OK when authy_response_ok(), else the code of the
/// error it corresponds to (401 → AUTHY_RESULT_UNAUTHORIZED, 404 → AUTHY_RESULT_NOT_FOUND, ...),
/// with details (status, API code, message, body) in `*error`.
///
/// @param response The response.
/// @param error Optional error details.
/// @return As described, or AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_check(
    response: *const authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract (NULL or live).
        let r = unsafe { handle_ref(response, "response")? };
        match r.inner.error() {
            None => Ok(()),
            Some(e) => Err(authy_error::from_answer(&e, r.inner.body())),
        }
    })
}

/// The body of a borrowed-string accessor over a `Response` method.
///
/// # Safety
/// `response` must be NULL or a live response.
unsafe fn string_accessor(
    response: *const authy_response,
    key: &str,
    make: impl FnOnce(&Response) -> Option<String>,
) -> *const c_char {
    // SAFETY: forwarded caller contract.
    unsafe { with(response, ptr::null(), |r| r.cached(key, make)) }
}

/// The top-level `message` of the answer, or else `errors.message`.
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_message(response: *const authy_response) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe { string_accessor(response, "@message", |r| r.message().map(str::to_owned)) }
    })
}

/// The API's error code of the answer: Authy `error_code` (e.g. `"60026"`, see
/// authy_catalog_lookup()) or, for a Verify client's answer, Twilio `code` (e.g. `"20404"`).
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_authy_code(
    response: *const authy_response,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe { string_accessor(response, "@error_code", Response::error_code) }
    })
}

/// The Authy id of a user creation answer (`user.id`) or user status answer
/// (`status.authy_id`), as decimal text.
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_user_id(response: *const authy_response) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe { string_accessor(response, "@user_id", Response::user_id) }
    })
}

/// The uuid of a created approval request (`approval_request.uuid`).
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_approval_uuid(
    response: *const authy_response,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            string_accessor(response, "@approval_uuid", |r| {
                r.approval_uuid().map(str::to_owned)
            })
        }
    })
}

/// The status of an approval request (`approval_request.status`): `"pending"`, `"approved"`,
/// `"denied"` or `"expired"`.
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent, not one of the four values, or
///         `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_approval_status(
    response: *const authy_response,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            string_accessor(response, "@approval_status", |r| {
                r.approval_status().map(|s| s.as_str().to_owned())
            })
        }
    })
}

/// The uuid of a phone verification start answer (`uuid`).
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_verification_uuid(
    response: *const authy_response,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            string_accessor(response, "@verification_uuid", |r| {
                r.verification_uuid().map(str::to_owned)
            })
        }
    })
}

/// The masked cellphone of an SMS or call answer (`cellphone`, like `+1-XXX-XXX-XX34`).
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_cellphone(
    response: *const authy_response,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe { string_accessor(response, "@cellphone", |r| r.cellphone().map(str::to_owned)) }
    })
}

/// The QR code image URL of a QR code answer (`qr_code`).
///
/// @param response The response (may be NULL).
/// @return A string owned by `response`; NULL when absent or `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_qr_code(response: *const authy_response) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe { string_accessor(response, "@qr_code", |r| r.qr_code().map(str::to_owned)) }
    })
}

/// `seconds_to_expire` of a phone verification or approval request answer.
///
/// @param response The response.
/// @param out Receives the value.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_seconds_to_expire(
    response: *const authy_response,
    out: *mut u64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract (NULL or live).
        let r = unsafe { handle_ref(response, "response")? };
        let out = out_arg(out, "out")?;
        let secs = r
            .inner
            .seconds_to_expire()
            .ok_or_else(|| no_value("seconds_to_expire"))?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, secs) };
        Ok(())
    })
}

fn no_value(pointer: &str) -> authy_error {
    authy_error::new(
        authy_result::NoValue,
        format!("no value of the requested type at '{pointer}'"),
    )
}

/// Borrows the response and the JSON pointer argument of a `get_*` accessor.
///
/// # Safety
/// Caller contract of the accessors.
unsafe fn get_args<'a>(
    response: *const authy_response,
    json_pointer: *const c_char,
) -> Result<(&'a authy_response, &'a str), authy_error> {
    // SAFETY: forwarded caller contract.
    unsafe {
        Ok((
            handle_ref(response, "response")?,
            str_arg(json_pointer, "json_pointer")?,
        ))
    }
}

/// Reads a value of the answer by RFC 6901 JSON pointer (e.g. `"/app/name"`,
/// `"/stats/0/month"`; `""` is the whole document), as text: strings as they are (decoded, with
/// each U+0000, JSON `"\u0000"`, replaced with U+FFFD: see "U+0000 in text" at the top of this
/// header), numbers and booleans in JSON notation.
///
/// @param response The response.
/// @param json_pointer The pointer.
/// @param out Receives a string owned by `response` (valid until authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when the pointer does not resolve, or resolves
///         to null, an array or an object; AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_get_string(
    response: *const authy_response,
    json_pointer: *const c_char,
    out: *mut *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract.
        let (r, pointer) = unsafe { get_args(response, json_pointer)? };
        let out = out_arg(out, "out")?;
        let p = r.cached(&format!("/{pointer}"), |r| r.pointer_string(pointer));
        if p.is_null() {
            return Err(no_value(pointer));
        }
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, p) };
        Ok(())
    })
}

/// Reads an integer of the answer by JSON pointer: a JSON integer, or a string holding a decimal
/// integer (the API sends some ids as strings).
///
/// @param response The response.
/// @param json_pointer The pointer.
/// @param out Receives the value.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent, not an integer, or out of the
///         int64_t range; AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_get_i64(
    response: *const authy_response,
    json_pointer: *const c_char,
    out: *mut i64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract.
        let (r, pointer) = unsafe { get_args(response, json_pointer)? };
        let out = out_arg(out, "out")?;
        let value = match r.inner.pointer(pointer) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| no_value(pointer))?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// Reads a boolean of the answer by JSON pointer: JSON `true`/`false`, or the strings `"true"` /
/// `"false"` (token verification answers `"success":"true"`).
///
/// @param response The response.
/// @param json_pointer The pointer.
/// @param out Receives the value.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent or not a boolean;
///         AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_get_bool(
    response: *const authy_response,
    json_pointer: *const c_char,
    out: *mut bool,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract.
        let (r, pointer) = unsafe { get_args(response, json_pointer)? };
        let out = out_arg(out, "out")?;
        let value = match r.inner.pointer(pointer) {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s == "true" => Some(true),
            Some(Value::String(s)) if s == "false" => Some(false),
            _ => None,
        }
        .ok_or_else(|| no_value(pointer))?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// How many HTTP headers the answer had (see authy_response_header_name() and
/// authy_response_header_value()).
///
/// @param response The response (may be NULL).
/// @return The number of headers; 0 when `response` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_header_count(response: *const authy_response) -> usize {
    // SAFETY: caller contract (NULL or live).
    guard(|| unsafe { with(response, 0, |r| r.inner.headers().len()) })
}

/// The name of the answer's header number `index` (0-based, in the order received), in lower
/// case (e.g. `"content-type"`). A name may repeat (e.g. several `set-cookie`).
///
/// @param response The response (may be NULL).
/// @param index 0 to authy_response_header_count() - 1.
/// @return A string owned by `response`; NULL when `index` is out of range or `response` is
///         NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_header_name(
    response: *const authy_response,
    index: usize,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            string_accessor(response, &format!("@header_name:{index}"), |r| {
                r.headers().get(index).map(|(name, _)| name.clone())
            })
        }
    })
}

/// The value of the answer's header number `index` (0-based), as received (a value that is
/// not UTF-8 is lossily converted).
///
/// @param response The response (may be NULL).
/// @param index 0 to authy_response_header_count() - 1.
/// @return A string owned by `response`; NULL when `index` is out of range or `response` is
///         NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_header_value(
    response: *const authy_response,
    index: usize,
) -> *const c_char {
    guard(|| {
        // SAFETY: caller contract (NULL or live).
        unsafe {
            string_accessor(response, &format!("@header_value:{index}"), |r| {
                r.headers().get(index).map(|(_, value)| value.clone())
            })
        }
    })
}

/// Releases a response and every string borrowed from it.
///
/// @param response A response from libauthy, or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_response_free(response: *mut authy_response) {
    guard(|| {
        // SAFETY: NULL or a live response (caller contract).
        unsafe { free_handle(response) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{
        authy_error_authy_code, authy_error_body, authy_error_free, authy_error_message,
    };
    use crate::ffi::ptr::into_handle;
    use std::ffi::{CStr, CString};

    fn text(p: *const c_char) -> Option<String> {
        // SAFETY: test pointers come from a live response.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    }

    fn response(status: u16, body: &str) -> *mut authy_response {
        into_handle(authy_response::new(
            Response::from_parts(status, body).unwrap(),
        ))
    }

    #[test]
    fn accessors_without_network() {
        let r = response(
            200,
            r#"{"approval_request":{"uuid":"u-1","status":"approved","seconds_to_expire":"30"},
                "user":{"id":42},"message":"ok","n":-7,"big":18446744073709551615,
                "s":"true","b":false,"cellphone":"+1-XXX-XXX-XX34","qr_code":"https://q",
                "uuid":"v-1","success":true}"#,
        );
        let p = |s: &str| CString::new(s).unwrap();
        unsafe {
            assert_eq!(authy_response_status(r), 200);
            assert!(authy_response_ok(r));
            assert!(!authy_response_ignored(r));
            assert_eq!(authy_response_check(r, ptr::null_mut()), authy_result::Ok);
            assert_eq!(text(authy_response_message(r)).as_deref(), Some("ok"));
            assert_eq!(text(authy_response_authy_code(r)), None);
            assert_eq!(text(authy_response_user_id(r)).as_deref(), Some("42"));
            assert_eq!(
                text(authy_response_approval_uuid(r)).as_deref(),
                Some("u-1")
            );
            assert_eq!(
                text(authy_response_approval_status(r)).as_deref(),
                Some("approved")
            );
            assert_eq!(
                text(authy_response_verification_uuid(r)).as_deref(),
                Some("v-1")
            );
            assert_eq!(
                text(authy_response_cellphone(r)).as_deref(),
                Some("+1-XXX-XXX-XX34")
            );
            assert_eq!(
                text(authy_response_qr_code(r)).as_deref(),
                Some("https://q")
            );
            let body = authy_response_body(r);
            assert_eq!(body, authy_response_body(r), "cached once");
            assert!(text(body).unwrap().contains("u-1"));

            let mut secs = 0;
            assert_eq!(
                authy_response_seconds_to_expire(r, &mut secs, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(secs, 30);

            let mut s = ptr::null();
            assert_eq!(
                authy_response_get_string(r, p("/user/id").as_ptr(), &mut s, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(text(s).as_deref(), Some("42"));
            let mut n = 0i64;
            assert_eq!(
                authy_response_get_i64(r, p("/n").as_ptr(), &mut n, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(n, -7);
            assert_eq!(
                authy_response_get_i64(
                    r,
                    p("/approval_request/seconds_to_expire").as_ptr(),
                    &mut n,
                    ptr::null_mut()
                ),
                authy_result::Ok
            );
            assert_eq!(n, 30);
            assert_eq!(
                authy_response_get_i64(r, p("/big").as_ptr(), &mut n, ptr::null_mut()),
                authy_result::NoValue
            );
            assert_eq!(n, 30, "untouched");
            let mut b = false;
            assert_eq!(
                authy_response_get_bool(r, p("/s").as_ptr(), &mut b, ptr::null_mut()),
                authy_result::Ok
            );
            assert!(b);
            assert_eq!(
                authy_response_get_bool(r, p("/b").as_ptr(), &mut b, ptr::null_mut()),
                authy_result::Ok
            );
            assert!(!b);
            assert_eq!(
                authy_response_get_bool(r, p("/n").as_ptr(), &mut b, ptr::null_mut()),
                authy_result::NoValue
            );
            assert_eq!(
                authy_response_get_string(r, p("/user").as_ptr(), &mut s, ptr::null_mut()),
                authy_result::NoValue
            );
            authy_response_free(r);
        }
    }

    /// `"\u0000"` is valid JSON: the decoded values reach C with U+FFFD in its place (never cut
    /// short at the NUL), the raw body keeps the escape, a NUL byte of a non-JSON body is
    /// replaced too.
    #[test]
    fn u0000_in_json_strings_reaches_c_as_u_fffd() {
        let body = r#"{"message":"a\u0000b","x":"\u0000","n":{"s":"c\u0000\u0000d"},
                        "approval_request":{"uuid":"u\u00001"}}"#;
        let r = response(200, body);
        let p = |s: &str| CString::new(s).unwrap();
        unsafe {
            let raw = authy_response_body(r);
            assert_eq!(
                CStr::from_ptr(raw).to_bytes(),
                body.as_bytes(),
                "escape kept"
            );
            assert_eq!(
                text(authy_response_message(r)).as_deref(),
                Some("a\u{FFFD}b")
            );
            assert_eq!(
                text(authy_response_approval_uuid(r)).as_deref(),
                Some("u\u{FFFD}1")
            );
            let mut s = ptr::null();
            assert_eq!(
                authy_response_get_string(r, p("/x").as_ptr(), &mut s, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(CStr::from_ptr(s).to_bytes(), b"\xEF\xBF\xBD");
            assert_eq!(
                authy_response_get_string(r, p("/n/s").as_ptr(), &mut s, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(text(s).as_deref(), Some("c\u{FFFD}\u{FFFD}d"));
            authy_response_free(r);
        }

        // An error answer: its message and Authy code in the authy_error, replaced the same way.
        let body = r#"{"message":"bad\u0000input","success":false,"error_code":"600\u000026"}"#;
        let r = response(400, body);
        unsafe {
            let mut err = ptr::null_mut();
            assert_eq!(
                authy_response_check(r, &mut err),
                authy_result::InvalidParameters
            );
            let message = text(authy_error_message(err)).unwrap();
            assert!(message.contains("bad\u{FFFD}input"), "{message}");
            assert_eq!(
                text(authy_error_authy_code(err)).as_deref(),
                Some("600\u{FFFD}26")
            );
            assert_eq!(text(authy_error_body(err)).as_deref(), Some(body));
            authy_error_free(err);
            authy_response_free(r);
        }

        // A NUL byte can only come in a body that is not JSON.
        let r = response(503, "down\0here");
        unsafe {
            assert_eq!(
                text(authy_response_body(r)).as_deref(),
                Some("down\u{FFFD}here")
            );
            authy_response_free(r);
        }
    }

    #[test]
    fn unsuccessful_answer_checks_as_its_error() {
        let body = r#"{"message":"User not found.","success":false,"errors":{"message":"User not found."},"error_code":"60026"}"#;
        let r = response(404, body);
        unsafe {
            assert!(!authy_response_ok(r));
            assert_eq!(text(authy_response_authy_code(r)).as_deref(), Some("60026"));
            let mut err = ptr::null_mut();
            assert_eq!(authy_response_check(r, &mut err), authy_result::NotFound);
            assert_eq!(text(authy_error_authy_code(err)).as_deref(), Some("60026"));
            assert_eq!(text(authy_error_body(err)).as_deref(), Some(body));
            authy_error_free(err);
            let mut secs = 5;
            assert_eq!(
                authy_response_seconds_to_expire(r, &mut secs, ptr::null_mut()),
                authy_result::NoValue
            );
            assert_eq!(secs, 5);
            authy_response_free(r);
        }
        // A non-JSON error body is kept as text.
        let r = response(503, "<html>down</html>");
        unsafe {
            assert_eq!(
                text(authy_response_body(r)).as_deref(),
                Some("<html>down</html>")
            );
            assert_eq!(
                authy_response_check(r, ptr::null_mut()),
                authy_result::ServerError
            );
            assert!(authy_response_message(r).is_null());
            authy_response_free(r);
        }
    }
}
