//! Phone endpoints of `authy_client`: phone verification start / check / status, phone info.

use std::ffi::c_char;

use super::boundary::guard_result;
use super::client::{authy_client, endpoint};
use super::error::authy_error;
use super::params::authy_params;
use super::response::authy_response;
use super::result::authy_result;
use super::strings::{opt_str_arg, str_arg};
use crate::phones::{PhoneVerificationOptions, VerificationLookup, Via};

/// Starts a phone verification: sends a code by SMS or call to a phone number that need not
/// belong to an Authy user (`POST /protected/json/phones/verification/start`); the verification
/// uuid is authy_response_verification_uuid(). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param country_code The calling code (e.g. `"1"`), sent as given.
/// @param phone_number The number in any format the API reads (`(555) 867-5309`,
///        `+1 555-867-5309`…), sent as given.
/// @param options NULL, or: `via` (`sms`, the default, or `call`), `locale`, `code_length`
///        (4–10, default 4), `custom_message`, `custom_code`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_start_phone_verification(
    client: *const authy_client,
    country_code: *const c_char,
    phone_number: *const c_char,
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
                "authy_client_start_phone_verification",
                |o| {
                    let cc = str_arg(country_code, "country_code")?;
                    let number = str_arg(phone_number, "phone_number")?;
                    let via = match o.string("via")? {
                        None => Via::default(),
                        Some(v) => v.parse::<Via>()?,
                    };
                    let code_length = match o.number("code_length")? {
                        None => None,
                        Some(n) => {
                            // The API's own refusal outside 4–10, so the cast cannot fail.
                            crate::validation::code_length(n)?;
                            Some(u8::try_from(n).map_err(|_| {
                                authy_error::invalid_argument("Invalid code_length")
                            })?)
                        }
                    };
                    let opts = PhoneVerificationOptions {
                        via,
                        locale: o.string("locale")?.map(str::to_owned),
                        code_length,
                        custom_message: o.string("custom_message")?.map(str::to_owned),
                        custom_code: o.string("custom_code")?.map(str::to_owned),
                    };
                    Ok((cc, number, opts))
                },
                |c, (cc, number, opts)| c.start_phone_verification(cc, number, &opts),
            )
        }
    })
}

/// Checks the code the user received for a phone verification
/// (`GET /protected/json/phones/verification/check`). **Blocks.**
///
/// The code is correct **only** when this returns AUTHY_RESULT_OK; a wrong code is
/// AUTHY_RESULT_UNAUTHORIZED (Authy code `"60022"`), no pending verification
/// AUTHY_RESULT_NOT_FOUND (`"60023"`).
///
/// @param client The client (shared, read-only).
/// @param country_code The calling code.
/// @param phone_number The number.
/// @param code The code the user typed, sent as given.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_check_phone_verification(
    client: *const authy_client,
    country_code: *const c_char,
    phone_number: *const c_char,
    code: *const c_char,
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
                "authy_client_check_phone_verification",
                |_| {
                    Ok((
                        str_arg(country_code, "country_code")?,
                        str_arg(phone_number, "phone_number")?,
                        str_arg(code, "code")?,
                    ))
                },
                |c, (cc, number, code)| c.check_phone_verification(cc, number, code),
            )
        }
    })
}

/// The status of a phone verification (`GET /protected/json/phones/verification/status`):
/// read `"/status"` (`pending`, `verified`, `expired`) with authy_response_get_string().
/// **Blocks.**
///
/// Identify the verification either by `uuid`, or by `country_code` and `phone_number`.
///
/// @param client The client (shared, read-only).
/// @param uuid The uuid from the start answer, or NULL.
/// @param country_code The calling code, or NULL (required with `phone_number` when `uuid` is
///        NULL).
/// @param phone_number The number, or NULL.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT unless exactly
///         one of the two identifications is given; otherwise see "Endpoints" in the file comment
///         at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_phone_verification_status(
    client: *const authy_client,
    uuid: *const c_char,
    country_code: *const c_char,
    phone_number: *const c_char,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings or NULL, writable out.
        unsafe {
            endpoint(
                client,
                options,
                out,
                "authy_client_phone_verification_status",
                |_| {
                    let uuid = opt_str_arg(uuid, "uuid")?;
                    let cc = opt_str_arg(country_code, "country_code")?;
                    let number = opt_str_arg(phone_number, "phone_number")?;
                    match (uuid, cc, number) {
                        (Some(u), None, None) => Ok(VerificationLookup::Uuid(u)),
                        (None, Some(country_code), Some(phone_number)) => {
                            Ok(VerificationLookup::Phone {
                                country_code,
                                phone_number,
                            })
                        }
                        _ => Err(authy_error::invalid_argument(
                            "give either uuid, or country_code and phone_number",
                        )),
                    }
                },
                |c, lookup| c.phone_verification_status(lookup),
            )
        }
    })
}

/// Information about a phone number: type (`voip`, `landline`, `cellphone`, `unknown`),
/// provider, ported (`GET /protected/json/phones/info`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param country_code The calling code.
/// @param phone_number The number.
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_phone_info(
    client: *const authy_client,
    country_code: *const c_char,
    phone_number: *const c_char,
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
                "authy_client_phone_info",
                |_| {
                    Ok((
                        str_arg(country_code, "country_code")?,
                        str_arg(phone_number, "phone_number")?,
                    ))
                },
                |c, (cc, number)| c.phone_info(cc, number),
            )
        }
    })
}
