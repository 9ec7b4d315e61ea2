//! User endpoints of `authy_client` (create, status, delete, update e-mail, e-mail token,
//! activity, QR code, registration status).
//!
//! Every function here **blocks** until the API answers or a timeout expires, validates its
//! arguments before any I/O, and follows the endpoint conventions: AUTHY_RESULT_OK and a new
//! response in `*out` for a successful answer; for an unsuccessful answer the code of the error
//! it corresponds to (e.g. AUTHY_RESULT_NOT_FOUND for 404 / 60026) with status, Authy code,
//! message and body in `*error`; 2xx codes when the API could not be reached.

use std::ffi::c_char;

use super::boundary::guard_result;
use super::client::{authy_client, endpoint};
use super::error::authy_error;
use super::params::authy_params;
use super::response::authy_response;
use super::result::authy_result;
use super::strings::str_arg;
use crate::users::{ActivityOptions, CreateUserOptions, QrCodeOptions};

/// Registers a user (`POST /protected/json/users/new`); the Authy id of the answer is
/// authy_response_user_id(). Idempotent on (country code, cellphone). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param email The user's e-mail address.
/// @param cellphone The phone number in any format the API reads (`(555) 867-5309`,
///        `+1 555-867-5309`…), sent as given.
/// @param options NULL, or: `country_code` (calling code, default `"1"`),
///        `send_install_link_via_sms` (`true`/`false`; default: the API's, true).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details (AUTHY_RESULT_INVALID_PARAMETERS / 60027 with the field
///        errors in authy_error_body() when the API refuses the user).
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_create_user(
    client: *const authy_client,
    email: *const c_char,
    cellphone: *const c_char,
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
                "authy_client_create_user",
                |o| {
                    let email = str_arg(email, "email")?;
                    let cellphone = str_arg(cellphone, "cellphone")?;
                    let opts = CreateUserOptions {
                        country_code: o.string("country_code")?.map(str::to_owned),
                        send_install_link_via_sms: o.boolean("send_install_link_via_sms")?,
                    };
                    Ok((email, cellphone, opts))
                },
                |c, (email, cellphone, opts)| c.create_user(email, cellphone, &opts),
            )
        }
    })
}

/// The status of a user (`GET /protected/json/users/{id}/status`): confirmed, registered, masked
/// phone number, devices (read them with authy_response_get_string() / _get_bool(), e.g.
/// `"/status/registered"`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_user_status(
    client: *const authy_client,
    authy_id: *const c_char,
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
                "authy_client_user_status",
                |_| str_arg(authy_id, "authy_id"),
                |c, id| c.user_status(id),
            )
        }
    })
}

/// Removes a user from the application (`POST /protected/json/users/{id}/remove`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_delete_user(
    client: *const authy_client,
    authy_id: *const c_char,
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
                "authy_client_delete_user",
                |_| str_arg(authy_id, "authy_id"),
                |c, id| c.delete_user(id),
            )
        }
    })
}

/// Changes a user's e-mail address (`POST /protected/json/users/{id}/update`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param email The new address.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_update_user_email(
    client: *const authy_client,
    authy_id: *const c_char,
    email: *const c_char,
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
                "authy_client_update_user_email",
                |_| Ok((str_arg(authy_id, "authy_id")?, str_arg(email, "email")?)),
                |c, (id, email)| c.update_user_email(id, email),
            )
        }
    })
}

/// Sends a token to the user by e-mail (`POST /protected/json/email/{id}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_request_email(
    client: *const authy_client,
    authy_id: *const c_char,
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
                "authy_client_request_email",
                |_| str_arg(authy_id, "authy_id"),
                |c, id| c.request_email(id),
            )
        }
    })
}

/// Records a user activity (`POST /protected/json/users/{id}/register_activity`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param activity_type `password_reset`, `banned`, `unbanned` or `cookie_login`.
/// @param options NULL, or: `user_ip` (the end user's IP address), `data[<key>]` (extra data,
///        keys non-empty, without `[` or `]`).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_register_activity(
    client: *const authy_client,
    authy_id: *const c_char,
    activity_type: *const c_char,
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
                "authy_client_register_activity",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let kind = str_arg(activity_type, "activity_type")?;
                    let opts = ActivityOptions {
                        user_ip: o.string("user_ip")?.map(str::to_owned),
                        data: o.map("data")?,
                    };
                    Ok((id, kind, opts))
                },
                |c, (id, kind, opts)| c.register_activity(id, kind, &opts),
            )
        }
    })
}

/// Generates a QR code for third-party authenticator apps
/// (`POST /protected/json/users/{id}/secret`); the image URL is authy_response_qr_code().
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL, or: `qr_size` (pixels), `label`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_generate_qr_code(
    client: *const authy_client,
    authy_id: *const c_char,
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
                "authy_client_generate_qr_code",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let qr_size = match o.number("qr_size")? {
                        None => None,
                        Some(n) => Some(u32::try_from(n).map_err(|_| {
                            authy_error::invalid_argument("Invalid qr_size: out of range")
                        })?),
                    };
                    let opts = QrCodeOptions {
                        qr_size,
                        label: o.string("label")?.map(str::to_owned),
                    };
                    Ok((id, opts))
                },
                |c, (id, opts)| c.generate_qr_code(id, &opts),
            )
        }
    })
}

/// The no-PII registration status of a user identified by your own id
/// (`GET /protected/json/registrations/status`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param custom_user_id Your identifier of the user.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_registration_status(
    client: *const authy_client,
    custom_user_id: *const c_char,
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
                "authy_client_registration_status",
                |_| str_arg(custom_user_id, "custom_user_id"),
                |c, id| c.registration_status(id),
            )
        }
    })
}
