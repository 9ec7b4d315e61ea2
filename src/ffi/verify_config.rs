//! Verify account configuration through `authy_verify_client`: a Service's Webhooks (the
//! signed events of Verify Push, see authy_twilio_signature_verify()), its Rate Limits and their
//! Buckets, and the account's Verification Attempts. Same conventions as the other
//! `authy_verify_client_*` functions.

use std::ffi::c_char;

use super::boundary::guard_result;
use super::error::authy_error;
use super::params::{OptionReader, authy_params};
use super::response::authy_response;
use super::result::authy_result;
use super::verify::{authy_pages, authy_verify_client, page_size, pages_out, verify_endpoint};
use super::verify_entities::{by_strings, strs};
use crate::form::TwilioForm;

/// The options as a Twilio form, with `EventTypes` (comma-separated) sent as a list.
fn form_with_event_types(o: &mut OptionReader<'_>) -> Result<TwilioForm, authy_error> {
    let events = o.string("EventTypes")?;
    let mut form = o.rest_as_twilio_form()?;
    if let Some(events) = events {
        form.list("EventTypes", events.split(','))?;
    }
    Ok(form)
}

/// The filters of a list or summary (NULL: none), as a Twilio form.
///
/// # Safety
/// `filters` NULL or a live `authy_params`.
unsafe fn filters_form(
    filters: *const authy_params,
    name: &'static str,
) -> Result<TwilioForm, authy_error> {
    // SAFETY: caller contract.
    let mut reader = unsafe { OptionReader::new(filters, name) };
    reader.rest_as_twilio_form()
}

/// Creates a Webhook (`POST /v2/Services/{service_sid}/Webhooks`): Verify POSTs the events to
/// `webhook_url`, signed with `X-Twilio-Signature` (check it with
/// authy_twilio_signature_verify()). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param friendly_name The webhook's name.
/// @param event_types Comma-separated: `factor.created`, `factor.verified`, `factor.deleted`,
///        `challenge.approved`, `challenge.denied`, or `*` (each sent as one `EventTypes`).
/// @param webhook_url Where the events go (http or https).
/// @param options NULL, or `Status` (`enabled`, `disabled`), `Version` (`v2`, `v1`).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_webhook(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    friendly_name: *const c_char,
    event_types: *const c_char,
    webhook_url: *const c_char,
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
                "authy_verify_client_create_webhook",
                |o| {
                    let s = strs([
                        (service_sid, "service_sid"),
                        (friendly_name, "friendly_name"),
                        (event_types, "event_types"),
                        (webhook_url, "webhook_url"),
                    ])?;
                    Ok((s, o.rest_as_twilio_form()?))
                },
                |c, ([va, name, events, url], form)| {
                    let events: Vec<&str> = events.split(',').filter(|e| !e.is_empty()).collect();
                    c.create_webhook(va, name, &events, url, &form)
                },
            )
        }
    })
}

/// Fetches a Webhook (`GET /v2/Services/{service_sid}/Webhooks/{webhook_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param webhook_sid `YW` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_webhook(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    webhook_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(service_sid, "service_sid"), (webhook_sid, "webhook_sid")],
                out,
                "authy_verify_client_fetch_webhook",
                |c, [va, yw]| c.fetch_webhook(va, yw),
            )
        }
    })
}

/// Updates a Webhook (`POST …/Webhooks/{webhook_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param webhook_sid `YW` + 32 hexadecimal digits.
/// @param options The API's parameters to change: `FriendlyName`, `EventTypes`
///        (comma-separated), `WebhookUrl`, `Status`, `Version`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_webhook(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    webhook_sid: *const c_char,
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
                "authy_verify_client_update_webhook",
                |o| {
                    Ok((
                        strs([(service_sid, "service_sid"), (webhook_sid, "webhook_sid")])?,
                        form_with_event_types(o)?,
                    ))
                },
                |c, ([va, yw], form)| c.update_webhook(va, yw, &form),
            )
        }
    })
}

/// Deletes a Webhook (`DELETE …/Webhooks/{webhook_sid}`; 204, empty body). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param webhook_sid `YW` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_webhook(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    webhook_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(service_sid, "service_sid"), (webhook_sid, "webhook_sid")],
                out,
                "authy_verify_client_delete_webhook",
                |c, [va, yw]| c.delete_webhook(va, yw),
            )
        }
    })
}

/// Starts listing a Service's Webhooks (`GET …/Webhooks`, records under `/webhooks`). No
/// I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_webhooks(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let [va] = strs([(service_sid, "service_sid")])?;
            pages_out(client, out, |c| {
                Ok(c.list_webhooks(va, self::page_size(page_size))?)
            })
        }
    })
}

/// Creates a Service Rate Limit (`POST /v2/Services/{service_sid}/RateLimits`) named
/// `unique_name`: verifications name it in their `RateLimits` option (a JSON string such as
/// `{"end_user_ip":"203.0.113.7"}`); its Buckets set the limits. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param unique_name 1–64 of `A-Za-z0-9_-.` (a taken name is API code `60208`).
/// @param options NULL, or `Description`.
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_rate_limit(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    unique_name: *const c_char,
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
                "authy_verify_client_create_rate_limit",
                |o| {
                    let s = strs([(service_sid, "service_sid"), (unique_name, "unique_name")])?;
                    Ok((s, o.rest_as_twilio_form()?))
                },
                |c, ([va, name], form)| c.create_rate_limit(va, name, &form),
            )
        }
    })
}

/// Fetches a Rate Limit (`GET …/RateLimits/{rate_limit_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_rate_limit(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [
                    (service_sid, "service_sid"),
                    (rate_limit_sid, "rate_limit_sid"),
                ],
                out,
                "authy_verify_client_fetch_rate_limit",
                |c, [va, rk]| c.fetch_rate_limit(va, rk),
            )
        }
    })
}

/// Updates a Rate Limit (`POST …/RateLimits/{rate_limit_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param options `Description`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_rate_limit(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
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
                "authy_verify_client_update_rate_limit",
                |o| {
                    Ok((
                        strs([
                            (service_sid, "service_sid"),
                            (rate_limit_sid, "rate_limit_sid"),
                        ])?,
                        o.rest_as_twilio_form()?,
                    ))
                },
                |c, ([va, rk], form)| c.update_rate_limit(va, rk, &form),
            )
        }
    })
}

/// Deletes a Rate Limit and its Buckets (`DELETE …/RateLimits/{rate_limit_sid}`; 204).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_rate_limit(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [
                    (service_sid, "service_sid"),
                    (rate_limit_sid, "rate_limit_sid"),
                ],
                out,
                "authy_verify_client_delete_rate_limit",
                |c, [va, rk]| c.delete_rate_limit(va, rk),
            )
        }
    })
}

/// Starts listing a Service's Rate Limits (`GET …/RateLimits`, records under
/// `/rate_limits`). No I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_rate_limits(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let [va] = strs([(service_sid, "service_sid")])?;
            pages_out(client, out, |c| {
                Ok(c.list_rate_limits(va, self::page_size(page_size))?)
            })
        }
    })
}

/// Adds a Bucket to a Rate Limit (`POST …/RateLimits/{rate_limit_sid}/Buckets`): at most `max`
/// verifications per `interval_seconds` for each value; the next is AUTHY_RESULT_RATE_LIMITED
/// (API code `20429`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param max Verifications allowed per interval.
/// @param interval_seconds The interval (a rate limit has one bucket per interval: `60211`).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_bucket(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    max: u32,
    interval_seconds: u32,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [
                    (service_sid, "service_sid"),
                    (rate_limit_sid, "rate_limit_sid"),
                ],
                out,
                "authy_verify_client_create_bucket",
                |c, [va, rk]| c.create_bucket(va, rk, max, interval_seconds),
            )
        }
    })
}

/// Fetches a Bucket (`GET …/RateLimits/{rate_limit_sid}/Buckets/{bucket_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param bucket_sid `BL` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_bucket(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    bucket_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [
                    (service_sid, "service_sid"),
                    (rate_limit_sid, "rate_limit_sid"),
                    (bucket_sid, "bucket_sid"),
                ],
                out,
                "authy_verify_client_fetch_bucket",
                |c, [va, rk, bl]| c.fetch_bucket(va, rk, bl),
            )
        }
    })
}

/// Updates a Bucket (`POST …/Buckets/{bucket_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param bucket_sid `BL` + 32 hexadecimal digits.
/// @param options `Max` and/or `Interval` (seconds).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_bucket(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    bucket_sid: *const c_char,
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
                "authy_verify_client_update_bucket",
                |o| {
                    Ok((
                        strs([
                            (service_sid, "service_sid"),
                            (rate_limit_sid, "rate_limit_sid"),
                            (bucket_sid, "bucket_sid"),
                        ])?,
                        o.rest_as_twilio_form()?,
                    ))
                },
                |c, ([va, rk, bl], form)| c.update_bucket(va, rk, bl, &form),
            )
        }
    })
}

/// Deletes a Bucket (`DELETE …/Buckets/{bucket_sid}`; 204). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param bucket_sid `BL` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
///         file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_bucket(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    bucket_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [
                    (service_sid, "service_sid"),
                    (rate_limit_sid, "rate_limit_sid"),
                    (bucket_sid, "bucket_sid"),
                ],
                out,
                "authy_verify_client_delete_bucket",
                |c, [va, rk, bl]| c.delete_bucket(va, rk, bl),
            )
        }
    })
}

/// Starts listing a Rate Limit's Buckets (`GET …/Buckets`, records under `/buckets`). No
/// I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param rate_limit_sid `RK` + 32 hexadecimal digits.
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_buckets(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    rate_limit_sid: *const c_char,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let [va, rk] = strs([
                (service_sid, "service_sid"),
                (rate_limit_sid, "rate_limit_sid"),
            ])?;
            pages_out(client, out, |c| {
                Ok(c.list_buckets(va, rk, self::page_size(page_size))?)
            })
        }
    })
}

/// Starts listing the account's Verification Attempts (`GET /v2/Attempts`, records under
/// `/attempts`; one per message sent). No I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param filters NULL, or the API's filters: `DateCreatedAfter`, `DateCreatedBefore`,
///        `ChannelData.To`, `Country`, `Channel`, `VerifyServiceSid`, `VerificationSid`,
///        `Status`.
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_attempts(
    client: *const authy_verify_client,
    filters: *const authy_params,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles, NULL or a writable out.
        unsafe {
            let filters = filters_form(filters, "authy_verify_client_list_attempts")?;
            pages_out(client, out, |c| {
                Ok(c.list_attempts(&filters, self::page_size(page_size))?)
            })
        }
    })
}

/// Fetches a Verification Attempt (`GET /v2/Attempts/{attempt_sid}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param attempt_sid `VL` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_attempt(
    client: *const authy_verify_client,
    attempt_sid: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(attempt_sid, "attempt_sid")],
                out,
                "authy_verify_client_fetch_attempt",
                |c, [vl]| c.fetch_attempt(vl),
            )
        }
    })
}

/// The Attempts' summary (`GET /v2/Attempts/Summary`: `total_attempts`,
/// `total_converted`, `total_unconverted`, `conversion_rate_percentage`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param filters NULL, or the filters of authy_verify_client_list_attempts() and
///        `DestinationPrefix`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_attempts_summary(
    client: *const authy_verify_client,
    filters: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, writable out.
        unsafe {
            verify_endpoint(
                client,
                filters,
                out,
                "authy_verify_client_attempts_summary",
                |o| o.rest_as_twilio_form(),
                |c, form| c.attempts_summary(&form),
            )
        }
    })
}
