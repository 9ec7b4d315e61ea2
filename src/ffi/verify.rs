//! `authy_verify_client`: Twilio Verify v2 and Lookup v2, with the same C conventions as
//! `authy_client` (result codes by cause, `authy_error` with HTTP status / API code /
//! `more_info` / message / raw body, `authy_response` for successful answers), and
//! `authy_pages` for lists.
//!
//! The `options` of these functions are the API's own parameter names (`CustomFriendlyName`,
//! `Locale`, `Totp.TimeStep`, `RateLimits` as a JSON string...), sent as given.

use std::ffi::c_char;

use super::boundary::{guard, guard_result};
use super::cancel::{authy_cancel, cancel_ref};
use super::client::{deliver, endpoint_of};
use super::error::authy_error;
use super::params::{OptionReader, authy_params};
use super::ptr::{free_handle, handle_mut, handle_ref, into_handle, out_arg, write_out};
use super::response::authy_response;
use super::result::authy_result;
use super::strings::{opt_str_arg, str_arg};
use crate::error::Error;
use crate::response::Response;
use crate::verify::{CheckTarget, Pages, VerificationOptions, VerificationUpdate, VerifyClient};

/// A client of Twilio Verify v2 and Lookup v2, built by authy_client_builder_build_verify().
///
/// Methods: authy_verify_client_create_service(), authy_verify_client_fetch_service(),
/// authy_verify_client_update_service(), authy_verify_client_delete_service(),
/// authy_verify_client_list_services(), authy_verify_client_create_verification(),
/// authy_verify_client_fetch_verification(), authy_verify_client_update_verification(),
/// authy_verify_client_check_verification(), authy_verify_client_lookup_phone_number(),
/// the Entities, Factors and Challenges of Verify TOTP and Push (authy_verify_client_create_entity(),
/// authy_verify_client_create_factor(), authy_verify_client_verify_factor(),
/// authy_verify_client_create_challenge(), ... ), authy_verify_client_free().
///
/// Ownership: owned by the caller, released with authy_verify_client_free() once no call uses
/// it.
///
/// Thread safety: immutable. A `const authy_verify_client *` may be used by any number of
/// threads at once; all calls share one connection pool. Every function that takes one blocks
/// its thread until the answer arrives or a timeout expires.
pub struct authy_verify_client {
    inner: VerifyClient,
}

impl authy_verify_client {
    pub(crate) fn new(inner: VerifyClient) -> authy_verify_client {
        authy_verify_client { inner }
    }
}

/// The pages of a list, from authy_verify_client_list_services() and the other
/// authy_verify_client_list_*() functions: each authy_pages_next() sends
/// one request and hands out one page. `meta.next_page_url` is followed only when it is on the
/// client's base URL (same scheme, host and port): the credentials never go elsewhere.
///
/// Methods: authy_pages_next(), authy_pages_free().
///
/// Ownership: owned by the caller, released with authy_pages_free(); it holds its own reference
/// to the client's connections.
///
/// Thread safety: authy_pages_next() needs exclusive access.
pub struct authy_pages {
    inner: Pages,
}

/// The list `make` starts on the client, handed out as an `authy_pages` (no I/O).
///
/// # Safety
/// `client` NULL or live; `out` NULL or writable.
pub(crate) unsafe fn pages_out(
    client: *const authy_verify_client,
    out: *mut *mut authy_pages,
    make: impl FnOnce(&VerifyClient) -> Result<Pages, authy_error>,
) -> Result<(), authy_error> {
    // SAFETY: caller contract: NULL or a live client.
    let client = unsafe { handle_ref(client, "client")? };
    let out = out_arg(out, "out")?;
    let pages = make(&client.inner)?;
    // SAFETY: checked non-NULL, writable per the caller's contract.
    unsafe { write_out(out, into_handle(authy_pages { inner: pages })) };
    Ok(())
}

/// A page size of the C ABI: 0 is the API's default.
pub(crate) fn page_size(n: u32) -> Option<u32> {
    (n != 0).then_some(n)
}

/// [`endpoint_of`] for a Verify client.
///
/// # Safety
/// `client` NULL or live; otherwise as [`endpoint_of`].
pub(crate) unsafe fn verify_endpoint<T>(
    client: *const authy_verify_client,
    options: *const authy_params,
    out: *mut *mut authy_response,
    name: &'static str,
    prepare: impl FnOnce(&mut OptionReader<'_>) -> Result<T, authy_error>,
    send: impl FnOnce(&VerifyClient, T) -> Result<Response, Error>,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    let client = unsafe { handle_ref(client, "client")? }.inner.clone();
    // SAFETY: forwarded caller contract.
    unsafe { endpoint_of(&client, options, out, name, prepare, send) }
}

/// Creates a Verify Service (`POST /v2/Services`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param friendly_name The service's name, shown in the messages.
/// @param options NULL, or the API's parameters (`CodeLength`, `LookupEnabled`,
///        `CustomCodeEnabled`, `Totp.Issuer`, ...).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header (the API code is Twilio's, e.g. `60200`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_service(
    client: *const authy_verify_client,
    friendly_name: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                options,
                out,
                "authy_verify_client_create_service",
                |o| {
                    Ok((
                        str_arg(friendly_name, "friendly_name")?,
                        o.rest_as_twilio_form()?,
                    ))
                },
                |c, (name, form)| c.create_service(name, &form),
            )
        }
    })
}

/// Fetches a Verify Service (`GET /v2/Services/{service_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_NOT_FOUND (API code `20404`)
///         for an unknown service; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_service(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                std::ptr::null(),
                out,
                "authy_verify_client_fetch_service",
                |_| str_arg(service_sid, "service_sid"),
                |c, sid| c.fetch_service(sid),
            )
        }
    })
}

/// Updates a Verify Service (`POST /v2/Services/{service_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param options NULL, or the API's parameters to change (`FriendlyName`, `CodeLength`, ...).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_service(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                options,
                out,
                "authy_verify_client_update_service",
                |o| {
                    Ok((
                        str_arg(service_sid, "service_sid")?,
                        o.rest_as_twilio_form()?,
                    ))
                },
                |c, (sid, form)| c.update_service(sid, &form),
            )
        }
    })
}

/// Deletes a Verify Service (`DELETE /v2/Services/{service_sid}`; 204, empty body).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_service(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                std::ptr::null(),
                out,
                "authy_verify_client_delete_service",
                |_| str_arg(service_sid, "service_sid"),
                |c, sid| c.delete_service(sid),
            )
        }
    })
}

/// Starts listing the Verify Services (`GET /v2/Services`): nothing is sent before the first
/// authy_pages_next(). No I/O.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param page_size Records per page, 1–1000; 0 for the API's default (50).
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a page size over 1000;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_services(
    client: *const authy_verify_client,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or a live client, NULL or a writable out.
        unsafe {
            pages_out(client, out, |c| {
                Ok(c.list_services(self::page_size(page_size))?)
            })
        }
    })
}

/// Fetches the next page of a list. **Blocks.** Read its records with
/// authy_response_get_string() & co. under `/<key>/<index>/...` (the key is `meta.key`, e.g.
/// `services`).
///
/// @param pages The pages (exclusive access during the call).
/// @param out Receives the page, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with a page in `*out`; AUTHY_RESULT_NO_VALUE when the list has no
///         more pages; AUTHY_RESULT_DECODE when the previous page's `next_page_url` is not on
///         the base URL (nothing is sent there; the list ends); otherwise the codes of an
///         endpoint (see "Endpoints"), after which the list ends.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_pages_next(
    pages: *mut authy_pages,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or a live pages handle used by this thread only.
        let pages = unsafe { handle_mut(pages, "pages")? };
        let out = out_arg(out, "out")?;
        let Some(outcome) = pages.inner.next() else {
            return Err(authy_error::new(
                authy_result::NoValue,
                "no more pages in this list",
            ));
        };
        // SAFETY: `out` checked non-NULL, writable per the caller's contract.
        unsafe { deliver(out, outcome) }
    })
}

/// Releases a list's pages (pages already handed out are not affected).
///
/// @param pages Pages from authy_verify_client_list_services(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_pages_free(pages: *mut authy_pages) {
    guard(|| {
        // SAFETY: NULL or a live pages handle (caller contract).
        unsafe { free_handle(pages) }
    })
}

/// Sends a code (`POST /v2/Services/{service_sid}/Verifications`). A resend to the same `to`
/// within 10 minutes reuses the code; the 6th send is AUTHY_RESULT_RATE_LIMITED with API code
/// `60203`. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param to An E.164 number (`+15017122661`), or an e-mail address for the `email` channel.
/// @param channel `sms`, `call`, `email`, `whatsapp`, `sna`, `auto`...
/// @param options NULL, or the API's parameters (`CustomFriendlyName`, `Locale`, `CustomCode`,
///        `Amount`, `Payee`, `AppHash`, `TemplateSid`, `RateLimits` as a JSON string, ...).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for a `to`,
///         SID or channel of the wrong shape (nothing sent); otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_verification(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    to: *const c_char,
    channel: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                options,
                out,
                "authy_verify_client_create_verification",
                |o| {
                    let sid = str_arg(service_sid, "service_sid")?;
                    let to = str_arg(to, "to")?;
                    let channel = str_arg(channel, "channel")?;
                    let opts = VerificationOptions {
                        extra: o.rest_as_twilio_form()?,
                        ..Default::default()
                    };
                    Ok((sid, to, channel, opts))
                },
                |c, (sid, to, channel, opts)| c.create_verification(sid, to, channel, &opts),
            )
        }
    })
}

/// Fetches a verification (`GET /v2/Services/{service_sid}/Verifications/{verification_sid}`).
/// An approved, expired or canceled one is AUTHY_RESULT_NOT_FOUND (API code `20404`).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param verification_sid `VE` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_verification(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    verification_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                std::ptr::null(),
                out,
                "authy_verify_client_fetch_verification",
                |_| {
                    Ok((
                        str_arg(service_sid, "service_sid")?,
                        str_arg(verification_sid, "verification_sid")?,
                    ))
                },
                |c, (sid, ve)| c.fetch_verification(sid, ve),
            )
        }
    })
}

/// Cancels or approves a verification
/// (`POST /v2/Services/{service_sid}/Verifications/{verification_sid}`, `Status`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param verification_sid `VE` + 32 hexadecimal digits.
/// @param status `"canceled"` or `"approved"`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for another
///         status (nothing sent); otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_verification(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    verification_sid: *const c_char,
    status: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                std::ptr::null(),
                out,
                "authy_verify_client_update_verification",
                |_| {
                    let update = match str_arg(status, "status")? {
                        "canceled" => VerificationUpdate::Canceled,
                        "approved" => VerificationUpdate::Approved,
                        _ => {
                            return Err(authy_error::invalid_argument(
                                "status must be \"canceled\" or \"approved\"",
                            ));
                        }
                    };
                    Ok((
                        str_arg(service_sid, "service_sid")?,
                        str_arg(verification_sid, "verification_sid")?,
                        update,
                    ))
                },
                |c, (sid, ve, update)| c.update_verification(sid, ve, update),
            )
        }
    })
}

/// Checks a code (`POST /v2/Services/{service_sid}/VerificationCheck`). AUTHY_RESULT_OK only
/// when the answer's `status` is `approved`: a wrong code (200 `pending`) is
/// AUTHY_RESULT_TOKEN_INVALID with the answer's body in the error; no pending verification
/// (expired, approved, canceled) is AUTHY_RESULT_NOT_FOUND with API code `20404`; too many wrong
/// codes is AUTHY_RESULT_RATE_LIMITED with API code `60202`. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param to The E.164 number or e-mail address the code was sent to, or NULL when
///        `verification_sid` is given.
/// @param verification_sid `VE` + 32 hexadecimal digits, or NULL when `to` is given.
/// @param code The code the user typed, 4–10 characters.
/// @param options NULL, or `Amount` and `Payee` (PSD2), `SnaClientToken`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the approved answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT
///         when both or neither of `to` and `verification_sid` are given, or an argument has the
///         wrong shape (nothing sent); otherwise as above and "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_check_verification(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    to: *const c_char,
    verification_sid: *const c_char,
    code: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings (or NULL), writable out.
        unsafe {
            verify_endpoint(
                client,
                options,
                out,
                "authy_verify_client_check_verification",
                |o| {
                    let sid = str_arg(service_sid, "service_sid")?;
                    let target = match (
                        opt_str_arg(to, "to")?,
                        opt_str_arg(verification_sid, "verification_sid")?,
                    ) {
                        (Some(to), None) => CheckTarget::To(to),
                        (None, Some(ve)) => CheckTarget::VerificationSid(ve),
                        _ => {
                            return Err(authy_error::invalid_argument(
                                "give exactly one of to and verification_sid",
                            ));
                        }
                    };
                    let code = str_arg(code, "code")?;
                    Ok((sid, target, code, o.rest_as_twilio_form()?))
                },
                |c, (sid, target, code, extra)| c.check_verification(sid, target, code, &extra),
            )
        }
    })
}

/// Looks a phone number up with Lookup v2 (`GET /v2/PhoneNumbers/{number}` on the Lookup base
/// URL). An invalid number is a successful answer with `valid` false. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param number The number in E.164 (`+14159929960`), or national with `CountryCode`.
/// @param options NULL, or: `Fields` (comma-separated data packages, e.g.
///        `line_type_intelligence,caller_name`), `CountryCode` (ISO 3166-1 alpha-2).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_lookup_phone_number(
    client: *const authy_verify_client,
    number: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            verify_endpoint(
                client,
                options,
                out,
                "authy_verify_client_lookup_phone_number",
                |o| {
                    let number = str_arg(number, "number")?;
                    let fields: Vec<String> = o
                        .string("Fields")?
                        .map(|f| f.split(',').map(str::to_owned).collect())
                        .unwrap_or_default();
                    Ok((number, fields, o.string("CountryCode")?.map(str::to_owned)))
                },
                |c, (number, fields, cc)| {
                    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                    c.lookup_phone_number(number, &fields, cc.as_deref())
                },
            )
        }
    })
}

/// Makes a Verify client that shares `client`'s connections and settings but gives each call the
/// overall timeout `timeout_ms` instead of the built one (a per-call deadline), as
/// authy_client_with_timeout_ms() does for Authy. No I/O; cheap enough to make for one call.
/// Lists started from it (authy_verify_client_list_services() & co.) use its timeout per page.
///
/// Ownership: `*out` is a new client, released with authy_verify_client_free(); it stays valid
/// after `client` is freed.
///
/// Thread safety: like any `const authy_verify_client *`.
///
/// @param client The client to derive from (not consumed).
/// @param timeout_ms Overall timeout of each call through the new handle, in milliseconds,
///        greater than 0.
/// @param out Receives the new client.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for `timeout_ms` 0;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_with_timeout_ms(
    client: *const authy_verify_client,
    timeout_ms: u64,
    out: *mut *const authy_verify_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or a live client.
        let client = unsafe { handle_ref(client, "client")? };
        let derived = client
            .inner
            .with_timeout(std::time::Duration::from_millis(timeout_ms))?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe {
            write_out(
                out,
                into_handle(authy_verify_client::new(derived)).cast_const(),
            )
        };
        Ok(())
    })
}

/// Makes a Verify client that shares `client`'s connections, settings and timeout, whose calls
/// are stopped by authy_cancel_cancel() on `cancel` (AUTHY_RESULT_CANCELLED), as
/// authy_client_with_cancel() does for Authy. No I/O. Lists started from it are stopped too.
///
/// Ownership: `*out` is a new client, released with authy_verify_client_free(); it holds its
/// own reference to the token.
///
/// Thread safety: like any `const authy_verify_client *`.
///
/// @param client The client to derive from (not consumed).
/// @param cancel The token (not consumed); see authy_cancel_new().
/// @param out Receives the new client.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_with_cancel(
    client: *const authy_verify_client,
    cancel: *const authy_cancel,
    out: *mut *const authy_verify_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or live handles.
        let (client, cancel) = unsafe { (handle_ref(client, "client")?, cancel_ref(cancel)?) };
        let derived = client.inner.with_cancel(cancel);
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe {
            write_out(
                out,
                into_handle(authy_verify_client::new(derived)).cast_const(),
            )
        };
        Ok(())
    })
}

/// Releases a Verify client. Calls still running on other threads must have returned.
///
/// @param client A client from authy_client_builder_build_verify(),
///        authy_verify_client_with_timeout_ms() or authy_verify_client_with_cancel(), or NULL
///        (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_free(client: *const authy_verify_client) {
    guard(|| {
        // SAFETY: NULL or a live client no other call is using (caller contract).
        unsafe { free_handle(client) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::builder::{
        authy_client_builder_build_verify, authy_client_builder_free,
        authy_client_builder_new_verify, authy_client_builder_set_base_url,
    };
    use crate::ffi::error::{authy_error_code, authy_error_free};
    use std::ffi::CString;
    use std::ptr;

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    #[test]
    fn null_and_bad_arguments_before_io() {
        let (ac, tok) = (c("AC0123456789abcdef0123456789abcdef"), c("t"));
        unsafe {
            let mut b = ptr::null_mut();
            assert_eq!(
                authy_client_builder_new_verify(ac.as_ptr(), tok.as_ptr(), &mut b, ptr::null_mut()),
                authy_result::Ok
            );
            let url = c("http://127.0.0.1:9");
            assert_eq!(
                authy_client_builder_set_base_url(b, url.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            let mut client = ptr::null();
            assert_eq!(
                authy_client_builder_build_verify(b, &mut client, ptr::null_mut()),
                authy_result::Ok
            );
            authy_client_builder_free(b);
            let va = c("VA0123456789abcdef0123456789abcdef");
            let mut out = ptr::null_mut();
            let mut err = ptr::null_mut();
            // Both targets, neither target: refused before any I/O.
            for (to, ve) in [(ptr::null(), ptr::null()), (va.as_ptr(), va.as_ptr())] {
                let rc = authy_verify_client_check_verification(
                    client,
                    va.as_ptr(),
                    to,
                    ve,
                    c("123456").as_ptr(),
                    ptr::null(),
                    &mut out,
                    &mut err,
                );
                assert_eq!(rc, authy_result::InvalidArgument);
                authy_error_free(err);
                err = ptr::null_mut();
            }
            assert_eq!(
                authy_verify_client_fetch_service(
                    ptr::null(),
                    va.as_ptr(),
                    &mut out,
                    ptr::null_mut()
                ),
                authy_result::NullArgument
            );
            let rc = authy_verify_client_update_verification(
                client,
                va.as_ptr(),
                va.as_ptr(),
                c("pending").as_ptr(),
                &mut out,
                &mut err,
            );
            assert_eq!(authy_error_code(err), authy_result::InvalidArgument);
            assert_eq!(rc, authy_result::InvalidArgument);
            authy_error_free(err);
            let mut pages = ptr::null_mut();
            assert_eq!(
                authy_verify_client_list_services(client, 1001, &mut pages, ptr::null_mut()),
                authy_result::InvalidArgument
            );
            assert_eq!(
                authy_pages_next(ptr::null_mut(), &mut out, ptr::null_mut()),
                authy_result::NullArgument
            );
            authy_pages_free(ptr::null_mut());
            authy_verify_client_free(client);
            authy_verify_client_free(ptr::null());
        }
    }
}
