//! Twilio webhook signatures (`X-Twilio-Signature`), verified offline.

use std::ffi::c_char;

use super::boundary::guard_result;
use super::result::authy_result;
use super::strings::str_arg;
use crate::signature::twilio;

/// Checks the `X-Twilio-Signature` of a webhook Twilio sent to your application (Verify Push
/// events: `factor.created`, `factor.verified`, `challenge.approved`...): Base64(HMAC-SHA1(Auth
/// Token, URL + the form parameters, names and values in sorted order)). The comparison is
/// constant-time. As twilio-python's RequestValidator, the URL is also tried without its port
/// (when it has one) and with the scheme's default port `:443` / `:80` (when it has none).
///
/// A JSON-bodied webhook signs the URL alone, and the URL's query carries
/// `bodySHA256=<hex SHA-256 of the body>`: when `url` has `bodySHA256`, the body must hash to
/// it (AUTHY_RESULT_SIGNATURE_INVALID otherwise) and is not read as a form.
///
/// Read the event's parameters from the same body you passed here.
///
/// @param auth_token The Auth Token of the account the webhook belongs to (never shown in an
///        error).
/// @param url The full URL Twilio requested, query string included, as configured in Twilio
///        (behind a proxy: the public URL, scheme included).
/// @param body The raw request body: `application/x-www-form-urlencoded` parameters, or the
///        JSON body when `url` has `bodySHA256`; `""` for a GET webhook. At most 1 MiB.
/// @param signature The `X-Twilio-Signature` header value, exactly as received; `""` when the
///        header is missing.
/// @param error Optional error details; the message says why a webhook was rejected.
/// @return AUTHY_RESULT_OK when the webhook is authentic; AUTHY_RESULT_SIGNATURE_INVALID when
///         it is not (wrong or malformed signature, tampered parameters or URL, a body that is
///         not the one `bodySHA256` names, a body over 1 MiB); AUTHY_RESULT_INVALID_ARGUMENT
///         for an empty Auth Token or URL; AUTHY_RESULT_NULL_ARGUMENT / AUTHY_RESULT_INVALID_UTF8
///         for bad strings. Anything but AUTHY_RESULT_OK means: reject.
///
/// Thread safety: may be called from any thread. Does no I/O.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_twilio_signature_verify(
    auth_token: *const c_char,
    url: *const c_char,
    body: *const c_char,
    signature: *const c_char,
    error: *mut *mut super::error::authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: NULL or NUL-terminated strings valid during the call (caller contract).
        let (auth_token, url, body, signature) = unsafe {
            (
                str_arg(auth_token, "auth_token")?,
                str_arg(url, "url")?,
                str_arg(body, "body")?,
                str_arg(signature, "signature")?,
            )
        };
        Ok(twilio::verify(auth_token, url, body.as_bytes(), signature)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{authy_error_code, authy_error_free};
    use std::ffi::CString;
    use std::ptr;

    #[test]
    fn verify_codes() {
        let c = |s: &str| CString::new(s).unwrap();
        let url = c("https://mycompany.com/myapp.php?foo=1&bar=2");
        let body = c(
            "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
                      &From=%2B14158675309&To=%2B18005551212",
        );
        let sig = c("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        let verify = |token: &CString, url: &CString, err| unsafe {
            authy_twilio_signature_verify(
                token.as_ptr(),
                url.as_ptr(),
                body.as_ptr(),
                sig.as_ptr(),
                err,
            )
        };
        assert_eq!(verify(&c("12345"), &url, ptr::null_mut()), authy_result::Ok);
        let mut err = ptr::null_mut();
        assert_eq!(
            verify(&c("secret-xyz"), &url, &mut err),
            authy_result::SignatureInvalid
        );
        unsafe {
            assert_eq!(authy_error_code(err), authy_result::SignatureInvalid);
            assert!(!(*err).message_str().contains("secret-xyz"));
            authy_error_free(err);
        }
        assert_eq!(
            verify(&c(""), &url, ptr::null_mut()),
            authy_result::InvalidArgument
        );
        assert_eq!(
            verify(&c("12345"), &c(""), ptr::null_mut()),
            authy_result::InvalidArgument
        );
        let rc = unsafe {
            authy_twilio_signature_verify(
                ptr::null(),
                url.as_ptr(),
                body.as_ptr(),
                sig.as_ptr(),
                ptr::null_mut(),
            )
        };
        assert_eq!(rc, authy_result::NullArgument);
    }
}
