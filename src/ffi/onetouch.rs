//! OneTouch (push approval) endpoints of `authy_client`: create, status, wait.

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::guard_result;
use super::client::{authy_client, client_ref, endpoint};
use super::error::authy_error;
use super::params::{OptionReader, authy_params};
use super::ptr::{into_handle, out_arg, write_out};
use super::response::authy_response;
use super::result::authy_result;
use super::strings::str_arg;
use crate::onetouch::{ApprovalRequestOptions, Logo, WaitOptions, WaitStatus};

/// Sends a push approval request to a user's Authy app
/// (`POST /onetouch/json/users/{id}/approval_requests`); its uuid is
/// authy_response_approval_uuid(). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param message The text shown to the user.
/// @param options NULL, or: `details[<key>]` (shown to the user), `hidden_details[<key>]` (not
///        shown, echoed in the callback) — keys non-empty, without `[` or `]`;
///        `logos[][res]` + `logos[][url]` per logo (`res` ∈ default, low, med, high; no
///        `default` logo is required); `seconds_to_expire` (default 86400, 0 = never).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_create_approval_request(
    client: *const authy_client,
    authy_id: *const c_char,
    message: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            endpoint(
                client,
                options,
                out,
                "authy_client_create_approval_request",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let message = str_arg(message, "message")?;
                    let logos = o
                        .list("logos")?
                        .iter()
                        .map(Logo::from_params)
                        .collect::<Result<_, _>>()?;
                    let opts = ApprovalRequestOptions {
                        details: o.map("details")?,
                        hidden_details: o.map("hidden_details")?,
                        logos,
                        seconds_to_expire: o.number("seconds_to_expire")?,
                    };
                    Ok((id, message, opts))
                },
                |c, (id, message, opts)| c.create_approval_request(id, message, &opts),
            )
        }
    })
}

/// The status of an approval request (`GET /onetouch/json/approval_requests/{uuid}`); see
/// authy_response_approval_status(). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param uuid The approval request's uuid.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details (AUTHY_RESULT_NOT_FOUND / 60049 for an unknown uuid).
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_approval_request_status(
    client: *const authy_client,
    uuid: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            endpoint(
                client,
                options,
                out,
                "authy_client_approval_request_status",
                |_| str_arg(uuid, "uuid"),
                |c, uuid| c.approval_request_status(uuid),
            )
        }
    })
}

/// How authy_client_wait_for_approval() ended.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum authy_wait_status {
    /// Still pending when the local time budget ran out.
    TimedOut = 0,
    /// The user approved.
    Approved = 1,
    /// The user denied.
    Denied = 2,
    /// The request expired.
    Expired = 3,
}

fn wait_options(o: &mut OptionReader<'_>) -> Result<WaitOptions, authy_error> {
    let defaults = WaitOptions::default();
    Ok(WaitOptions {
        interval: o
            .number("interval_ms")?
            .map_or(defaults.interval, Duration::from_millis),
        timeout: o
            .number("timeout_ms")?
            .map_or(defaults.timeout, Duration::from_millis),
    })
}

/// Polls the status of an approval request until the user approves or denies it, it expires, or
/// the time budget runs out. **Blocks** for up to `timeout_ms` (at most 24 h) plus one request.
///
/// @param client The client (shared, read-only).
/// @param uuid The approval request's uuid.
/// @param options NULL, or: `interval_ms` (pause between two status requests, default 2000, at
///        least 10: 0–9 is AUTHY_RESULT_INVALID_ARGUMENT, nothing sent), `timeout_ms` (time budget, default 60000; values above 86400000, 24 h,
///        including UINT64_MAX, are clamped to 24 h).
/// @param status_out Receives how the wait ended (AUTHY_WAIT_STATUS_TIMED_OUT if still pending).
/// @param out Receives the last status answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with both outputs written; an error code when a status request failed
///         or was answered with an error (e.g. AUTHY_RESULT_NOT_FOUND for an unknown uuid).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_wait_for_approval(
    client: *const authy_client,
    uuid: *const c_char,
    options: *const authy_params,
    status_out: *mut authy_wait_status,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings.
        let (client, uuid) = unsafe { (client_ref(client)?, str_arg(uuid, "uuid")?) };
        let status_out = out_arg(status_out, "status_out")?;
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or a live params handle.
        let mut reader = unsafe { OptionReader::new(options, "authy_client_wait_for_approval") };
        let opts = wait_options(&mut reader)?;
        reader.finish()?;
        let outcome = client.wait_for_approval(uuid, &opts)?;
        let status = match outcome.status {
            WaitStatus::Approved => authy_wait_status::Approved,
            WaitStatus::Denied => authy_wait_status::Denied,
            WaitStatus::Expired => authy_wait_status::Expired,
            WaitStatus::TimedOut => authy_wait_status::TimedOut,
        };
        // SAFETY: both checked non-NULL, writable per the caller's contract.
        unsafe {
            write_out(status_out, status);
            write_out(out, into_handle(authy_response::new(outcome.response)));
        }
        Ok(())
    })
}
