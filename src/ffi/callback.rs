//! OneTouch callback verification (`X-Authy-Signature`), offline.

use std::ffi::c_char;
use std::time::{Duration, UNIX_EPOCH};

use super::boundary::{guard, guard_result};
use super::error::authy_error;
use super::ptr::{free_handle, handle_ref, into_handle, out_arg, write_out};
use super::result::authy_result;
use super::strings::str_arg;
use crate::signature::{self, CallbackOptions, CallbackRequest, VerifiedParams};

// The string cache shared with `response.rs` once that file uses it (then declared in
// `ffi/mod.rs`); declared here for now so that this change stays within this file.
use super::strcache::StrCache;

/// Size of the buffer authy_callback_sign() needs: a 44-character base64 signature plus the
/// terminating NUL. Written into the header by `cbindgen.toml` (`after_includes`); a test keeps
/// the two equal.
pub(crate) const AUTHY_SIGNATURE_BUFFER_SIZE: usize = 45;

/// Checks the signature of a OneTouch callback received by your web application.
///
/// Authy signs each callback with the application's API key: the signature covers the nonce, the
/// method, the callback URL and every parameter (JSON body for POST, query string for GET).
/// The comparison is constant-time.
///
/// **Replays:** a valid signature only proves that Authy sent this callback at some time; a
/// captured callback still verifies later. Pass a replay window (`max_age_seconds`, at most
/// 300) and de-duplicate on the approval request's top-level `uuid` parameter: act once per
/// `uuid` and ignore later callbacks for a `uuid` already handled. `max_age_seconds = 0` (no
/// window) is only for checking recorded callbacks.
///
/// A body or query that repeats a key (a JSON object with the same key twice, or `a=1&a=2`;
/// array keys `a[]` may repeat) is rejected as malformed: your own parser might read the
/// other, unsigned value. The signature does not cover JSON types (`"1"` and `1`, `null` and
/// `""` sign alike): compare values as strings, e.g. `status` equal to `"approved"`.
///
/// @param api_key Your Authy API key (the one the client uses).
/// @param method `"POST"` or `"GET"` (ASCII case ignored).
/// @param url The callback URL as configured in Authy: scheme, host, optional port and path.
///        A query string or fragment is ignored. Behind a proxy, use the public URL (scheme
///        included) the callback was sent to.
/// @param nonce The `X-Authy-Signature-Nonce` header value.
/// @param signature The `X-Authy-Signature` header value, exactly as received (HTTP servers
///        hand header values over trimmed): surrounding whitespace makes it malformed. Pass `""`
///        when the header is missing.
/// @param body_or_query POST: the raw request body (JSON); an empty body is malformed, not "no
///        parameters". GET: the raw query string (with or without the leading `?`), exactly as
///        received: empty components (`&&`, a leading `&`, which Rails writes for a nested hash
///        whose values are all empty) are part of what Authy signs. At most 1 MiB.
/// @param max_age_seconds Replay window: when non-zero, a callback whose nonce (a Unix time) is
///        more than this many seconds away from now is rejected, and so is a nonce that is not a
///        number. At most 300: a larger value is refused with AUTHY_RESULT_INVALID_ARGUMENT
///        (nothing is verified). 0 disables the check (not recommended in production; use 300).
/// @param now_unix The current Unix time for the replay window; 0 uses the system clock. A
///        value above INT64_MAX (e.g. UINT64_MAX) is refused with AUTHY_RESULT_INVALID_ARGUMENT,
///        with or without a window.
/// @param error Optional error details; the message says why a callback was rejected.
/// @return AUTHY_RESULT_OK when the callback is authentic (and fresh, if a window is set);
///         AUTHY_RESULT_SIGNATURE_INVALID when it is not (bad or malformed signature, tampered
///         parameters, stale nonce, malformed or empty body, or a repeated key);
///         AUTHY_RESULT_INVALID_ARGUMENT for an empty key or URL, a method other than GET/POST,
///         `max_age_seconds` above 300 or `now_unix` above INT64_MAX; AUTHY_RESULT_NULL_ARGUMENT /
///         AUTHY_RESULT_INVALID_UTF8 for bad strings. Anything but AUTHY_RESULT_OK means: reject.
///
/// Thread safety: may be called from any thread. Does no I/O.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_callback_verify(
    api_key: *const c_char,
    method: *const c_char,
    url: *const c_char,
    nonce: *const c_char,
    signature: *const c_char,
    body_or_query: *const c_char,
    max_age_seconds: u64,
    now_unix: u64,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: forwarded caller contract.
        unsafe {
            verify_args(
                api_key,
                method,
                url,
                nonce,
                signature,
                body_or_query,
                max_age_seconds,
                now_unix,
                // Yes or no: nothing is built for a caller who reads nothing.
                signature::verify_signature,
            )
        }
    })
}

/// Converts the arguments of authy_callback_verify() / authy_callback_verify_params() and
/// verifies the callback with `check`: [`signature::verify_signature`] (a yes or no, builds
/// nothing) or [`signature::verify_callback`] (also the verified parameter tree).
///
/// # Safety
/// Every string is NULL or NUL-terminated and valid during the call.
#[allow(clippy::too_many_arguments)]
unsafe fn verify_args<T>(
    api_key: *const c_char,
    method: *const c_char,
    url: *const c_char,
    nonce: *const c_char,
    signature: *const c_char,
    body_or_query: *const c_char,
    max_age_seconds: u64,
    now_unix: u64,
    check: impl FnOnce(
        &str,
        &CallbackRequest<'_>,
        &str,
        &CallbackOptions,
    ) -> Result<T, signature::SignatureError>,
) -> Result<T, authy_error> {
    // SAFETY: NULL or NUL-terminated strings valid during the call (caller contract).
    let (api_key, method, url, nonce, signature, params) = unsafe {
        (
            str_arg(api_key, "api_key")?,
            str_arg(method, "method")?,
            str_arg(url, "url")?,
            str_arg(nonce, "nonce")?,
            str_arg(signature, "signature")?,
            str_arg(body_or_query, "body_or_query")?,
        )
    };
    let mut options = CallbackOptions::new();
    if max_age_seconds != 0 {
        options = options.max_age(Duration::from_secs(max_age_seconds));
    }
    if now_unix != 0 {
        let out_of_range =
            || authy_error::invalid_argument("now_unix is out of range (at most INT64_MAX)");
        if i64::try_from(now_unix).is_err() {
            return Err(out_of_range());
        }
        let now = UNIX_EPOCH
            .checked_add(Duration::from_secs(now_unix))
            .ok_or_else(out_of_range)?;
        options = options.now(now);
    }
    let request = CallbackRequest {
        method,
        url,
        nonce,
        params,
    };
    Ok(check(api_key, &request, signature, &options)?)
}

/// The parameters of a OneTouch callback accepted by authy_callback_verify_params(), exactly as
/// libauthy parsed them to check the signature. Read them with authy_callback_get_string()
/// instead of parsing the body again: another parser may read something the signature did not
/// cover.
///
/// Ownership: returned by authy_callback_verify_params(), owned by the caller, released with
/// authy_callback_free(). Strings returned by authy_callback_get_string() are owned by the
/// handle and stay valid until it is freed.
///
/// Thread safety: immutable for the caller; authy_callback_get_string() may be called from
/// several threads at once.
pub struct authy_callback {
    params: VerifiedParams,
    /// C copies of the strings handed out, by JSON pointer.
    strings: StrCache,
}

impl authy_callback {
    /// A stable C pointer to the text at `pointer`, built once; NULL when there is none.
    fn cached(&self, pointer: &str) -> *const c_char {
        self.strings
            .get_or_insert_with(pointer, || self.params.get_str(pointer))
    }
}

/// Like authy_callback_verify(), and on success hands out the parameters it verified, so that
/// the application reads `status` and `uuid` from what the signature covers (with
/// authy_callback_get_string()) instead of parsing the body itself.
///
/// The same replay advice applies: pass a replay window (`max_age_seconds`, at most 300; larger
/// is AUTHY_RESULT_INVALID_ARGUMENT) and act
/// once per top-level `uuid` (read it with authy_callback_get_string(cb, "/uuid", ...)).
///
/// @param api_key, method, url, nonce, signature, body_or_query, max_age_seconds, now_unix As
///        for authy_callback_verify().
/// @param out Receives the verified parameters, on success only (untouched otherwise).
///        Required. Free them with authy_callback_free().
/// @param error Optional error details; the message says why a callback was rejected.
/// @return The same codes as authy_callback_verify(); AUTHY_RESULT_NULL_ARGUMENT also when
///         `out` is NULL. Anything but AUTHY_RESULT_OK means: reject.
///
/// Thread safety: may be called from any thread. Does no I/O.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_callback_verify_params(
    api_key: *const c_char,
    method: *const c_char,
    url: *const c_char,
    nonce: *const c_char,
    signature: *const c_char,
    body_or_query: *const c_char,
    max_age_seconds: u64,
    now_unix: u64,
    out: *mut *mut authy_callback,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller contract.
        let params = unsafe {
            verify_args(
                api_key,
                method,
                url,
                nonce,
                signature,
                body_or_query,
                max_age_seconds,
                now_unix,
                signature::verify_callback,
            )?
        };
        let handle = into_handle(authy_callback {
            params,
            strings: StrCache::new(),
        });
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, handle) };
        Ok(())
    })
}

/// Reads a verified callback parameter by RFC 6901 JSON pointer: `"/status"`, `"/uuid"`,
/// `"/approval_request/transaction/details/Location"`, `"/approval_request/logos/0/url"`
/// (array elements by index, `~1` for `/` and `~0` for `~` in keys). For a GET callback the
/// query's bracketed keys are nested the same way (`details[Location]` is
/// `"/details/Location"`).
///
/// Strings, numbers (their JSON text) and booleans (`"true"`/`"false"`) come back as text, and
/// `null` (or a GET key without `=`) as `""`: the signature does not tell these types apart, so
/// compare text, e.g. `status` equal to `"approved"`.
///
/// @param cb Verified parameters from authy_callback_verify_params().
/// @param json_pointer The pointer.
/// @param out Receives a string owned by `cb` (valid until authy_callback_free()); untouched on
///        failure.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when nothing is there, the value is an object
///         or an array, or its bytes are not UTF-8 (possible in a GET query);
///         AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8 for a bad `json_pointer`.
///
/// Thread safety: may be called from several threads at once on the same `cb`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_callback_get_string(
    cb: *const authy_callback,
    json_pointer: *const c_char,
    out: *mut *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract (NULL or a live handle; NULL or a NUL-terminated string).
        let (cb, pointer) = unsafe {
            (
                handle_ref(cb, "cb")?,
                str_arg(json_pointer, "json_pointer")?,
            )
        };
        let out = out_arg(out, "out")?;
        let p = cb.cached(pointer);
        if p.is_null() {
            return Err(authy_error::new(
                authy_result::NoValue,
                format!("no text value at '{pointer}' in the callback parameters"),
            ));
        }
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, p) };
        Ok(())
    })
}

/// Releases verified callback parameters and the strings read from them.
///
/// @param cb Parameters from authy_callback_verify_params(), or NULL (no-op).
///
/// Thread safety: no other thread may use `cb` during or after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_callback_free(cb: *mut authy_callback) {
    guard(|| {
        // SAFETY: NULL or a live handle (caller contract).
        unsafe { free_handle(cb) }
    })
}

/// Computes the `X-Authy-Signature` Authy would send for a callback (to sign test callbacks, or
/// to debug a mismatch). To check a received callback use authy_callback_verify().
///
/// @param api_key, method, url, nonce, body_or_query As for authy_callback_verify().
/// @param out Receives the NUL-terminated base64 signature (44 characters). Required.
/// @param out_size Size of `out` in bytes; at least AUTHY_SIGNATURE_BUFFER_SIZE (45).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad method/key/URL or a buffer
///         that is too small; AUTHY_RESULT_SIGNATURE_INVALID when the parameters cannot be parsed.
///
/// Thread safety: may be called from any thread. Does no I/O.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_callback_sign(
    api_key: *const c_char,
    method: *const c_char,
    url: *const c_char,
    nonce: *const c_char,
    body_or_query: *const c_char,
    out: *mut c_char,
    out_size: usize,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: NULL or NUL-terminated strings valid during the call (caller contract).
        let (api_key, method, url, nonce, params) = unsafe {
            (
                str_arg(api_key, "api_key")?,
                str_arg(method, "method")?,
                str_arg(url, "url")?,
                str_arg(nonce, "nonce")?,
                str_arg(body_or_query, "body_or_query")?,
            )
        };
        let out = out_arg(out, "out")?;
        let request = CallbackRequest {
            method,
            url,
            nonce,
            params,
        };
        let sig = signature::compute_signature(api_key, &request)?;
        debug_assert_eq!(sig.len() + 1, AUTHY_SIGNATURE_BUFFER_SIZE);
        if out_size < sig.len() + 1 {
            return Err(authy_error::invalid_argument(format!(
                "out_size is {out_size}; the signature needs {} bytes",
                sig.len() + 1
            )));
        }
        // SAFETY: `out` is non-NULL and, per the caller's contract, valid for `out_size` bytes,
        // which we checked is enough for the signature and its NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(sig.as_ptr(), out.as_ptr().cast::<u8>(), sig.len());
            out.as_ptr().add(sig.len()).write(0);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::authy_error_free;
    use std::ffi::{CStr, CString};
    use std::ptr;

    struct Args {
        key: CString,
        method: CString,
        url: CString,
        nonce: CString,
        sig: CString,
        body: CString,
    }

    fn b1() -> Args {
        let c = |s: &str| CString::new(s).unwrap();
        Args {
            key: c("foo"),
            method: c("post"),
            url: c("https://foo.bar/"),
            nonce: c("1455825429"),
            sig: c("uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8="),
            body: c(r#"{"foo":{"bar":{"biz":"foo"}},"qux":"net"}"#),
        }
    }

    unsafe fn verify(a: &Args, max_age: u64, now: u64, err: *mut *mut authy_error) -> authy_result {
        unsafe {
            authy_callback_verify(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.sig.as_ptr(),
                a.body.as_ptr(),
                max_age,
                now,
                err,
            )
        }
    }

    #[test]
    fn valid_invalid_and_window() {
        let mut a = b1();
        unsafe {
            assert_eq!(verify(&a, 0, 0, ptr::null_mut()), authy_result::Ok);
            assert_eq!(
                verify(&a, 60, 1455825429 + 60, ptr::null_mut()),
                authy_result::Ok
            );
            let mut err = ptr::null_mut();
            assert_eq!(
                verify(&a, 60, 1455825429 + 61, &mut err),
                authy_result::SignatureInvalid
            );
            assert!((*err).message_str().contains("replay window"));
            authy_error_free(err);
            // System clock: a 2016 nonce is stale.
            assert_eq!(
                verify(&a, 300, 0, ptr::null_mut()),
                authy_result::SignatureInvalid
            );

            a.body = CString::new(r#"{"foo":{"bar":{"biz":"bar"}},"qux":"net"}"#).unwrap();
            let mut err = ptr::null_mut();
            assert_eq!(verify(&a, 0, 0, &mut err), authy_result::SignatureInvalid);
            assert_eq!((*err).code(), authy_result::SignatureInvalid);
            authy_error_free(err);

            a = b1();
            a.method = CString::new("PUT").unwrap();
            assert_eq!(
                verify(&a, 0, 0, ptr::null_mut()),
                authy_result::InvalidArgument
            );
            a = b1();
            a.sig = CString::new("").unwrap();
            assert_eq!(
                verify(&a, 0, 0, ptr::null_mut()),
                authy_result::SignatureInvalid
            );
        }
    }

    /// Defect 8 through the C surface: the 300 s cap, `now_unix` out of range, whitespace
    /// around the signature, an empty POST body, empty GET components.
    #[test]
    fn defect_8_arguments_and_inputs() {
        let c = |s: &str| CString::new(s).unwrap();
        let a = b1();
        let now = 1455825429;
        unsafe {
            assert_eq!(
                verify(&a, 300, now + 300, ptr::null_mut()),
                authy_result::Ok
            );
            for too_long in [301, 3600, u64::MAX] {
                let mut err = ptr::null_mut();
                assert_eq!(
                    verify(&a, too_long, now, &mut err),
                    authy_result::InvalidArgument,
                    "{too_long}"
                );
                assert!((*err).message_str().contains("300"));
                authy_error_free(err);
            }
            for out_of_range in [u64::MAX, i64::MAX as u64 + 1] {
                for max_age in [0, 60] {
                    let mut err = ptr::null_mut();
                    assert_eq!(
                        verify(&a, max_age, out_of_range, &mut err),
                        authy_result::InvalidArgument
                    );
                    assert!((*err).message_str().contains("now_unix"));
                    authy_error_free(err);
                }
            }
            // The largest accepted clock value is an argument, not an error: no window, OK.
            assert_eq!(
                verify(&a, 0, i64::MAX as u64, ptr::null_mut()),
                authy_result::Ok
            );

            let mut padded = b1();
            padded.sig = c(&format!(" {}\t", a.sig.to_str().unwrap()));
            assert_eq!(
                verify(&padded, 0, 0, ptr::null_mut()),
                authy_result::SignatureInvalid
            );

            let mut empty = b1();
            empty.body = c("");
            let mut err = ptr::null_mut();
            assert_eq!(
                verify(&empty, 0, 0, &mut err),
                authy_result::SignatureInvalid
            );
            assert!((*err).message_str().contains("empty"));
            authy_error_free(err);

            // GET `&a=1&z=2` signed as it is sent (the signature computed independently).
            let mut g = b1();
            g.method = c("GET");
            g.body = c("&a=1&z=2");
            g.sig = c("bE6gq4dqA53YdLTkd1yRRZyPRtfg+mM0kEQITnBaQ3s=");
            assert_eq!(verify(&g, 0, 0, ptr::null_mut()), authy_result::Ok);
        }
    }

    #[test]
    fn null_and_utf8_arguments() {
        let a = b1();
        let bad = [0xffu8, 0xfe, 0];
        unsafe {
            let mut err = ptr::null_mut();
            let r = authy_callback_verify(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                ptr::null(),
                a.sig.as_ptr(),
                a.body.as_ptr(),
                0,
                0,
                &mut err,
            );
            assert_eq!(r, authy_result::NullArgument);
            assert_eq!((*err).message_str(), "nonce is NULL");
            authy_error_free(err);
            let r = authy_callback_verify(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.sig.as_ptr(),
                bad.as_ptr().cast(),
                0,
                0,
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::InvalidUtf8);
        }
    }

    unsafe fn verify_params(
        a: &Args,
        out: *mut *mut authy_callback,
        err: *mut *mut authy_error,
    ) -> authy_result {
        unsafe {
            authy_callback_verify_params(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.sig.as_ptr(),
                a.body.as_ptr(),
                0,
                0,
                out,
                err,
            )
        }
    }

    /// The text at `pointer`, or the result code when there is none.
    unsafe fn get(cb: *const authy_callback, pointer: &str) -> Result<String, authy_result> {
        let pointer = CString::new(pointer).unwrap();
        let mut out: *const c_char = ptr::null();
        let r =
            unsafe { authy_callback_get_string(cb, pointer.as_ptr(), &mut out, ptr::null_mut()) };
        if r == authy_result::Ok {
            Ok(unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned())
        } else {
            assert!(out.is_null(), "out untouched on failure");
            Err(r)
        }
    }

    #[test]
    fn verify_params_reads_what_was_signed() {
        let a = b1();
        let mut cb = ptr::null_mut();
        unsafe {
            assert_eq!(
                verify_params(&a, &mut cb, ptr::null_mut()),
                authy_result::Ok
            );
            assert!(!cb.is_null());
            assert_eq!(get(cb, "/qux").as_deref(), Ok("net"));
            assert_eq!(get(cb, "/foo/bar/biz").as_deref(), Ok("foo"));
            assert_eq!(get(cb, "/foo"), Err(authy_result::NoValue), "an object");
            assert_eq!(get(cb, "/missing"), Err(authy_result::NoValue));
            assert_eq!(get(cb, "qux"), Err(authy_result::NoValue), "not a pointer");
            // The same pointer twice gives the same cached string.
            let key = CString::new("/qux").unwrap();
            let (mut p1, mut p2): (*const c_char, *const c_char) = (ptr::null(), ptr::null());
            authy_callback_get_string(cb, key.as_ptr(), &mut p1, ptr::null_mut());
            authy_callback_get_string(cb, key.as_ptr(), &mut p2, ptr::null_mut());
            assert_eq!(p1, p2);
            let mut err = ptr::null_mut();
            let missing = CString::new("/nope").unwrap();
            let r = authy_callback_get_string(cb, missing.as_ptr(), &mut p1, &mut err);
            assert_eq!(r, authy_result::NoValue);
            assert_eq!(p1, p2, "out untouched on failure");
            assert!((*err).message_str().contains("/nope"));
            authy_error_free(err);
            authy_callback_free(cb);
        }
    }

    #[test]
    fn verify_params_real_callback_and_get_query() {
        // The recorded seegno/authy-client callback (authy-api.md §6.4).
        let c = |s: &str| CString::new(s).unwrap();
        let body = concat!(
            r#"{"approval_request":{"expiration_timestamp":1455911778,"logos":null,"#,
            r#""transaction":{"created_at_time":1455825378,"customer_uuid":"2ccf0040-ed25-0132-5987-0e67b818e6fb","#,
            r#""details":{},"device_details":null,"device_geolocation":null,"device_signing_time":0,"#,
            r#""encrypted":false,"flagged":false,"hidden_details":{},"message":".","reason":null,"#,
            r#""requester_details":null,"status":"approved","uuid":"996201c0-b7a7-0133-7c06-0e67b818e6fb"}},"#,
            r#""authy_id":1234567,"callback_action":"approval_request_status","#,
            r#""device_uuid":"4d89c320-a9bb-0133-7c02-0e67b818e6fb","#,
            r#""signature":"BObhJgZwgU7O9r4Uo9VT6j6shAOe7y/IRGpW/N0Uq34/XHZU9E+aHOI5rcQzW1ZgNCECzVrqrsnjhYEK4Zq1naKWu0YNkuvILmMz8IxJEQH+c+6x186fjIjxvP4nu4p/pfUDomo/za24s1XOjtNlVsrDTDXClHUh5MjFQbyBjhFd8gOtmGVatN7K2Lx71I8YR2JDLbRX4DlJEMu++PLBn1nqQH9tbNYzX5jjX87CXPBtDfRwfWSs/imnfZ9zkDq4ZKuBcuwzQNsxKlby6782X0o78rYhCHrcDnHgRtyMGvX9ovK3XTt6M7p6i9SKaRgBWIOFVPygxv15iJesqt9cng==","#,
            r#""status":"approved","uuid":"996221c0-b7a7-0133-7c06-0e67b818e6fb"}"#
        );
        let a = Args {
            key: c("1DS9YIwGquvvIdx8GdcdqZGLAewZZyhd"),
            method: c("POST"),
            url: c("https://foo.bar/"),
            nonce: c("1455825429"),
            sig: c("hqB6las54sMBA83GKs0U1QQi9ocJ2tH20SXHZNzfqqQ="),
            body: c(body),
        };
        let mut cb = ptr::null_mut();
        unsafe {
            assert_eq!(
                verify_params(&a, &mut cb, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(get(cb, "/status").as_deref(), Ok("approved"));
            assert_eq!(
                get(cb, "/uuid").as_deref(),
                Ok("996221c0-b7a7-0133-7c06-0e67b818e6fb")
            );
            assert_eq!(
                get(cb, "/approval_request/transaction/uuid").as_deref(),
                Ok("996201c0-b7a7-0133-7c06-0e67b818e6fb")
            );
            assert_eq!(get(cb, "/authy_id").as_deref(), Ok("1234567"));
            assert_eq!(
                get(cb, "/approval_request/transaction/flagged").as_deref(),
                Ok("false")
            );
            assert_eq!(get(cb, "/approval_request/logos").as_deref(), Ok(""));
            authy_callback_free(cb);
        }

        // A GET callback, signed here: bracketed keys nest, values are percent-decoded.
        let query = "uuid=abc&status=approved&details%5BLocation%5D=Paris+France";
        let mut g = b1();
        g.method = c("GET");
        g.nonce = c("1");
        g.body = c(query);
        let mut sig = [0 as c_char; AUTHY_SIGNATURE_BUFFER_SIZE];
        let mut cb = ptr::null_mut();
        unsafe {
            let r = authy_callback_sign(
                g.key.as_ptr(),
                g.method.as_ptr(),
                g.url.as_ptr(),
                g.nonce.as_ptr(),
                g.body.as_ptr(),
                sig.as_mut_ptr(),
                sig.len(),
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::Ok);
            g.sig = CStr::from_ptr(sig.as_ptr()).to_owned();
            assert_eq!(
                verify_params(&g, &mut cb, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(get(cb, "/uuid").as_deref(), Ok("abc"));
            assert_eq!(get(cb, "/details/Location").as_deref(), Ok("Paris France"));
            authy_callback_free(cb);
        }
    }

    #[test]
    fn verify_params_rejects_and_leaves_out_alone() {
        let sentinel = ptr::NonNull::<authy_callback>::dangling().as_ptr();
        unsafe {
            // Tampered body.
            let mut a = b1();
            a.body = CString::new(r#"{"foo":{"bar":{"biz":"bar"}},"qux":"net"}"#).unwrap();
            let mut cb = sentinel;
            let mut err = ptr::null_mut();
            assert_eq!(
                verify_params(&a, &mut cb, &mut err),
                authy_result::SignatureInvalid
            );
            assert_eq!(cb, sentinel, "out untouched on failure");
            assert!((*err).message_str().contains("does not match"));
            authy_error_free(err);

            // A repeated key is rejected.
            let mut a = b1();
            a.body =
                CString::new(r#"{"qux":"evil","foo":{"bar":{"biz":"foo"}},"qux":"net"}"#).unwrap();
            assert_eq!(
                verify_params(&a, &mut cb, ptr::null_mut()),
                authy_result::SignatureInvalid
            );
            assert_eq!(cb, sentinel);

            // Stale for the replay window.
            let a = b1();
            let r = authy_callback_verify_params(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.sig.as_ptr(),
                a.body.as_ptr(),
                60,
                1455825429 + 61,
                &mut cb,
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::SignatureInvalid);
            assert_eq!(cb, sentinel);

            // NULLs: out, a string argument, the handle, the pointer, the getter's out.
            let mut err = ptr::null_mut();
            assert_eq!(
                verify_params(&a, ptr::null_mut(), &mut err),
                authy_result::NullArgument
            );
            assert_eq!((*err).message_str(), "out is NULL");
            authy_error_free(err);
            let mut err = ptr::null_mut();
            let r = authy_callback_verify_params(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                ptr::null(),
                a.body.as_ptr(),
                0,
                0,
                &mut cb,
                &mut err,
            );
            assert_eq!(r, authy_result::NullArgument);
            assert_eq!((*err).message_str(), "signature is NULL");
            assert_eq!(cb, sentinel);
            authy_error_free(err);

            let mut cb = ptr::null_mut();
            assert_eq!(
                verify_params(&a, &mut cb, ptr::null_mut()),
                authy_result::Ok
            );
            let pointer = CString::new("/qux").unwrap();
            let mut out: *const c_char = ptr::null();
            let mut err = ptr::null_mut();
            let r = authy_callback_get_string(ptr::null(), pointer.as_ptr(), &mut out, &mut err);
            assert_eq!(r, authy_result::NullArgument);
            assert_eq!((*err).message_str(), "cb is NULL");
            authy_error_free(err);
            let r = authy_callback_get_string(cb, ptr::null(), &mut out, ptr::null_mut());
            assert_eq!(r, authy_result::NullArgument);
            let r =
                authy_callback_get_string(cb, pointer.as_ptr(), ptr::null_mut(), ptr::null_mut());
            assert_eq!(r, authy_result::NullArgument);
            let bad = [b'/', 0xff, 0];
            let r = authy_callback_get_string(cb, bad.as_ptr().cast(), &mut out, ptr::null_mut());
            assert_eq!(r, authy_result::InvalidUtf8);
            assert!(out.is_null());
            authy_callback_free(cb);
            authy_callback_free(ptr::null_mut());
        }
    }

    #[test]
    fn header_constant_matches() {
        let header = include_str!("../../include/authy.h");
        let line = format!("#define AUTHY_SIGNATURE_BUFFER_SIZE {AUTHY_SIGNATURE_BUFFER_SIZE}");
        assert!(
            header.contains(&line),
            "{line} missing from include/authy.h"
        );
    }

    #[test]
    fn sign_round_trip_and_small_buffer() {
        let a = b1();
        let mut buf = [0 as c_char; AUTHY_SIGNATURE_BUFFER_SIZE];
        unsafe {
            let r = authy_callback_sign(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.body.as_ptr(),
                buf.as_mut_ptr(),
                buf.len(),
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::Ok);
            assert_eq!(CStr::from_ptr(buf.as_ptr()), a.sig.as_c_str());
            let mut small = [7 as c_char; 44];
            let r = authy_callback_sign(
                a.key.as_ptr(),
                a.method.as_ptr(),
                a.url.as_ptr(),
                a.nonce.as_ptr(),
                a.body.as_ptr(),
                small.as_mut_ptr(),
                small.len(),
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::InvalidArgument);
            assert!(small.iter().all(|&c| c == 7), "buffer untouched on failure");
        }
    }
}
