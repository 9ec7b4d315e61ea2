//! OneTouch callback verification (`X-Authy-Signature`), offline.

use std::ffi::c_char;
use std::time::{Duration, UNIX_EPOCH};

use super::boundary::guard_result;
use super::error::authy_error;
use super::ptr::out_arg;
use super::result::authy_result;
use super::strings::str_arg;
use crate::signature::{self, CallbackOptions, CallbackRequest};

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
/// @param signature The `X-Authy-Signature` header value. Pass `""` when the header is missing.
/// @param body_or_query POST: the raw request body (JSON). GET: the raw query string (with or
///        without the leading `?`). At most 1 MiB.
/// @param max_age_seconds Replay window: when non-zero, a callback whose nonce (a Unix time) is
///        more than this many seconds away from now is rejected, and so is a nonce that is not a
///        number. 0 disables the check (not recommended in production; use e.g. 300).
/// @param now_unix The current Unix time for the replay window; 0 uses the system clock.
/// @param error Optional error details; the message says why a callback was rejected.
/// @return AUTHY_RESULT_OK when the callback is authentic (and fresh, if a window is set);
///         AUTHY_RESULT_SIGNATURE_INVALID when it is not (bad or malformed signature, tampered
///         parameters, stale nonce, malformed body or a repeated key);
///         AUTHY_RESULT_INVALID_ARGUMENT for an empty key or URL or a method other than
///         GET/POST; AUTHY_RESULT_NULL_ARGUMENT /
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
            let now = UNIX_EPOCH
                .checked_add(Duration::from_secs(now_unix))
                .ok_or_else(|| authy_error::invalid_argument("now_unix is out of range"))?;
            options = options.now(now);
        }
        let request = CallbackRequest {
            method,
            url,
            nonce,
            params,
        };
        signature::verify_signature(api_key, &request, signature, &options)?;
        Ok(())
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
                verify(&a, 3600, 0, ptr::null_mut()),
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
