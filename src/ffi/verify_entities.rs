//! Verify TOTP and Push through `authy_verify_client`: Entities (your users), their Factors
//! (TOTP secrets, push devices) and Challenges (logins). Same conventions as the other
//! `authy_verify_client_*` functions; a code sent with a factor's verification or a challenge
//! is a code check: AUTHY_RESULT_OK only when `verified` / `approved`, a wrong code is
//! AUTHY_RESULT_TOKEN_INVALID with the answer's body.

use std::ffi::c_char;

use serde_json::Value;

use super::boundary::guard_result;
use super::error::authy_error;
use super::params::authy_params;
use super::response::authy_response;
use super::result::authy_result;
use super::strings::str_arg;
use super::verify::{authy_pages, authy_verify_client, page_size, pages_out, verify_endpoint};
use crate::error::Error;
use crate::response::Response;
use crate::verify::{ChallengeOptions, VerifyClient};

/// The strings of `args` (pointer, argument name), each checked.
///
/// # Safety
/// Each pointer NULL or NUL-terminated and valid during the call.
pub(crate) unsafe fn strs<'a, const N: usize>(
    args: [(*const c_char, &'static str); N],
) -> Result<[&'a str; N], authy_error> {
    let mut out = [""; N];
    for (slot, (p, name)) in out.iter_mut().zip(args) {
        // SAFETY: caller contract.
        *slot = unsafe { str_arg(p, name)? };
    }
    Ok(out)
}

/// A call without options whose arguments are `N` strings.
///
/// # Safety
/// As [`verify_endpoint`] and [`strs`].
pub(crate) unsafe fn by_strings<const N: usize>(
    client: *const authy_verify_client,
    args: [(*const c_char, &'static str); N],
    out: *mut *mut authy_response,
    name: &'static str,
    send: impl FnOnce(&VerifyClient, [&str; N]) -> Result<Response, Error>,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    unsafe { verify_endpoint(client, std::ptr::null(), out, name, |_| strs(args), send) }
}

/// Creates an Entity (`POST /v2/Services/{service_sid}/Entities`): a user of yours, named by
/// an opaque `identity` of yours (a UUID; never personal data). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity 1–64 characters (the API accepts letters, digits and `-`).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_entity(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(service_sid, "service_sid"), (identity, "identity")],
                out,
                "authy_verify_client_create_entity",
                |c, [va, id]| c.create_entity(va, id),
            )
        }
    })
}

/// Fetches an Entity (`GET /v2/Services/{service_sid}/Entities/{identity}`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_NOT_FOUND (API code `20404`)
///         for an unknown identity; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_entity(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(service_sid, "service_sid"), (identity, "identity")],
                out,
                "authy_verify_client_fetch_entity",
                |c, [va, id]| c.fetch_entity(va, id),
            )
        }
    })
}

/// Deletes an Entity with its factors and challenges
/// (`DELETE /v2/Services/{service_sid}/Entities/{identity}`; 204, empty body). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_entity(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, C strings, writable out.
        unsafe {
            by_strings(
                client,
                [(service_sid, "service_sid"), (identity, "identity")],
                out,
                "authy_verify_client_delete_entity",
                |c, [va, id]| c.delete_entity(va, id),
            )
        }
    })
}

/// Starts listing a Service's Entities (`GET /v2/Services/{service_sid}/Entities`, records
/// under `/entities`). No I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param page_size Records per page, 1–1000; 0 for the API's default (50).
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or a page size over
///         1000; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_entities(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let va = str_arg(service_sid, "service_sid")?;
            pages_out(client, out, |c| {
                Ok(c.list_entities(va, self::page_size(page_size))?)
            })
        }
    })
}

/// Creates a Factor (`POST /v2/Services/{service_sid}/Entities/{identity}/Factors`; the Entity
/// is created if needed). A TOTP factor's answer carries `binding.secret` and `binding.uri`
/// (for the QR code) this once; the factor is `unverified` until
/// authy_verify_client_verify_factor() with a first code. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param friendly_name The factor's name (e.g. the device's), not empty.
/// @param factor_type `"totp"` or `"push"`.
/// @param options NULL, or the API's parameters: TOTP `Config.Alg`, `Config.TimeStep`,
///        `Config.CodeLength`, `Config.Skew`, and `Binding.Secret` (Base32) to move an existing
///        secret over (e.g. an Authy user's); push `Binding.Alg`, `Binding.PublicKey`,
///        `Config.AppId`, `Config.NotificationPlatform`, `Config.NotificationToken`,
///        `Config.SdkVersion`; `Metadata` (a JSON string).
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_factor(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    friendly_name: *const c_char,
    factor_type: *const c_char,
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
                "authy_verify_client_create_factor",
                |o| {
                    let s = strs([
                        (service_sid, "service_sid"),
                        (identity, "identity"),
                        (friendly_name, "friendly_name"),
                        (factor_type, "factor_type"),
                    ])?;
                    Ok((s, o.rest_as_twilio_form()?))
                },
                |c, ([va, id, name, kind], form)| c.create_factor(va, id, name, kind, &form),
            )
        }
    })
}

/// Verifies a new Factor with its first code
/// (`POST /v2/Services/{service_sid}/Entities/{identity}/Factors/{factor_sid}`,
/// `AuthPayload`). AUTHY_RESULT_OK only when the factor is `verified`: a wrong code (200
/// `unverified`) is AUTHY_RESULT_TOKEN_INVALID with the answer's body in the error; too many
/// wrong codes is AUTHY_RESULT_RATE_LIMITED (API code `60310`). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param factor_sid `YF` + 32 hexadecimal digits.
/// @param auth_payload The TOTP code the user typed (or, for push, the device's signature).
/// @param out Receives the verified factor, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise as above and "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_verify_factor(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    factor_sid: *const c_char,
    auth_payload: *const c_char,
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
                    (identity, "identity"),
                    (factor_sid, "factor_sid"),
                    (auth_payload, "auth_payload"),
                ],
                out,
                "authy_verify_client_verify_factor",
                |c, [va, id, yf, code]| c.verify_factor(va, id, yf, code),
            )
        }
    })
}

/// Updates a Factor (`POST …/Factors/{factor_sid}`): `FriendlyName`, the `Config.*` of its
/// type. An `AuthPayload` option is refused (use authy_verify_client_verify_factor()).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param factor_sid `YF` + 32 hexadecimal digits.
/// @param options The API's parameters to change.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_factor(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    factor_sid: *const c_char,
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
                "authy_verify_client_update_factor",
                |o| {
                    let s = strs([
                        (service_sid, "service_sid"),
                        (identity, "identity"),
                        (factor_sid, "factor_sid"),
                    ])?;
                    Ok((s, o.rest_as_twilio_form()?))
                },
                |c, ([va, id, yf], form)| c.update_factor(va, id, yf, &form),
            )
        }
    })
}

/// Fetches a Factor (`GET …/Entities/{identity}/Factors/{factor_sid}`; never its secret).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param factor_sid `YF` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_factor(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    factor_sid: *const c_char,
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
                    (identity, "identity"),
                    (factor_sid, "factor_sid"),
                ],
                out,
                "authy_verify_client_fetch_factor",
                |c, [va, id, yf]| c.fetch_factor(va, id, yf),
            )
        }
    })
}

/// Deletes a Factor and its challenges (`DELETE …/Factors/{factor_sid}`; 204). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param factor_sid `YF` + 32 hexadecimal digits.
/// @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_delete_factor(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    factor_sid: *const c_char,
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
                    (identity, "identity"),
                    (factor_sid, "factor_sid"),
                ],
                out,
                "authy_verify_client_delete_factor",
                |c, [va, id, yf]| c.delete_factor(va, id, yf),
            )
        }
    })
}

/// Starts listing an Entity's Factors (`GET …/Entities/{identity}/Factors`, records under
/// `/factors`). No I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_factors(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let [va, id] = strs([(service_sid, "service_sid"), (identity, "identity")])?;
            pages_out(client, out, |c| {
                Ok(c.list_factors(va, id, self::page_size(page_size))?)
            })
        }
    })
}

/// Creates a Challenge for a verified Factor
/// (`POST /v2/Services/{service_sid}/Entities/{identity}/Challenges`). With an `AuthPayload`
/// option (a TOTP code) it is a code check: AUTHY_RESULT_OK only when the challenge is
/// `approved`, a wrong code (2xx `pending`) is AUTHY_RESULT_TOKEN_INVALID with the answer's
/// body. Without one (push) the answer is the `pending` challenge the device will answer;
/// fetch it with authy_verify_client_fetch_challenge() (or wait for the `challenge.approved`
/// webhook, see authy_twilio_signature_verify()). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param factor_sid `YF` + 32 hexadecimal digits (a verified factor of the Entity).
/// @param options NULL, or: `AuthPayload` (TOTP code), `Details.Message` (required for push),
///        `Details.Fields` (a JSON array of `{"label":…,"value":…}` objects; each is sent as
///        one item), `HiddenDetails` (a JSON object), `ExpirationDate`
///        (`YYYY-MM-DDTHH:MM:SSZ`), and any other parameter of the API, sent as given.
/// @param out Receives the answer (201), owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for a
///         `Details.Fields` or `HiddenDetails` that is not such JSON (nothing sent); otherwise
///         as above and "Endpoints" (an unverified factor: AUTHY_RESULT_API_ERROR, API code
///         `60318`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_create_challenge(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    factor_sid: *const c_char,
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
                "authy_verify_client_create_challenge",
                |o| {
                    let s = strs([
                        (service_sid, "service_sid"),
                        (identity, "identity"),
                        (factor_sid, "factor_sid"),
                    ])?;
                    let owned = |v: Option<&str>| v.map(str::to_owned);
                    let options = ChallengeOptions {
                        auth_payload: owned(o.string("AuthPayload")?),
                        expiration_date: owned(o.string("ExpirationDate")?),
                        details_message: owned(o.string("Details.Message")?),
                        details_fields: match o.string("Details.Fields")? {
                            Some(json) => details_fields(json)?,
                            None => Vec::new(),
                        },
                        hidden_details: match o.string("HiddenDetails")? {
                            Some(json) => Some(json_object("HiddenDetails", json)?),
                            None => None,
                        },
                        extra: o.rest_as_twilio_form()?,
                    };
                    Ok((s, options))
                },
                |c, ([va, id, yf], options)| c.create_challenge(va, id, yf, &options),
            )
        }
    })
}

fn json_object(what: &str, json: &str) -> Result<Value, authy_error> {
    match serde_json::from_str::<Value>(json) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(authy_error::invalid_argument(format!(
            "option '{what}' must be a JSON object"
        ))),
    }
}

/// `[{"label":…,"value":…}, …]` as `(label, value)` rows.
fn details_fields(json: &str) -> Result<Vec<(String, String)>, authy_error> {
    let wrong = || {
        authy_error::invalid_argument(
            "option 'Details.Fields' must be a JSON array of {\"label\":…,\"value\":…} objects",
        )
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json) else {
        return Err(wrong());
    };
    items
        .iter()
        .map(|item| {
            let field = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
            field("label").zip(field("value")).ok_or_else(wrong)
        })
        .collect()
}

/// Fetches a Challenge (`GET …/Entities/{identity}/Challenges/{challenge_sid}`): its `status`
/// is `pending`, `approved`, `denied` or `expired`. **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param challenge_sid `YC` + 32 hexadecimal digits.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out` (whatever its status); otherwise see
///         "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_fetch_challenge(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    challenge_sid: *const c_char,
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
                    (identity, "identity"),
                    (challenge_sid, "challenge_sid"),
                ],
                out,
                "authy_verify_client_fetch_challenge",
                |c, [va, id, yc]| c.fetch_challenge(va, id, yc),
            )
        }
    })
}

/// Answers a pending TOTP Challenge with a code
/// (`POST …/Challenges/{challenge_sid}`, `AuthPayload`). AUTHY_RESULT_OK only when it becomes
/// `approved`; a wrong code (200 `pending`) is AUTHY_RESULT_TOKEN_INVALID; an answered
/// challenge is API code `60322`, an expired one `60323`, too many wrong codes `60308`
/// (AUTHY_RESULT_RATE_LIMITED). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param challenge_sid `YC` + 32 hexadecimal digits.
/// @param auth_payload The code the user typed.
/// @param options NULL, or `Metadata` (a JSON string).
/// @param out Receives the approved challenge, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise as above and "Endpoints".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_update_challenge(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    challenge_sid: *const c_char,
    auth_payload: *const c_char,
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
                "authy_verify_client_update_challenge",
                |o| {
                    let s = strs([
                        (service_sid, "service_sid"),
                        (identity, "identity"),
                        (challenge_sid, "challenge_sid"),
                        (auth_payload, "auth_payload"),
                    ])?;
                    Ok((s, o.rest_as_twilio_form()?))
                },
                |c, ([va, id, yc, code], extra)| c.update_challenge(va, id, yc, code, &extra),
            )
        }
    })
}

/// Starts listing an Entity's Challenges (`GET …/Entities/{identity}/Challenges`, records
/// under `/challenges`, newest first). No I/O: each authy_pages_next() fetches one page.
///
/// @param client The client (shared, read-only; the pages keep their own reference).
/// @param service_sid `VA` + 32 hexadecimal digits.
/// @param identity The Entity's identity.
/// @param filters NULL, or the API's filters: `FactorSid`, `Status` (`pending`, `approved`,
///        `denied`, `expired`), `Order` (`asc`, `desc`).
/// @param page_size Records per page, 1–1000; 0 for the API's default.
/// @param out Receives the pages, owned by the caller (authy_pages_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_verify_client_list_challenges(
    client: *const authy_verify_client,
    service_sid: *const c_char,
    identity: *const c_char,
    filters: *const authy_params,
    page_size: u32,
    out: *mut *mut authy_pages,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or live handles and C strings, NULL or a writable out.
        unsafe {
            let [va, id] = strs([(service_sid, "service_sid"), (identity, "identity")])?;
            let mut reader =
                super::params::OptionReader::new(filters, "authy_verify_client_list_challenges");
            let filters = reader.rest_as_twilio_form()?;
            pages_out(client, out, |c| {
                Ok(c.list_challenges(va, id, &filters, self::page_size(page_size))?)
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_fields_and_hidden_details_are_checked() {
        assert_eq!(
            details_fields(r#"[{"label":"IP","value":"1.2.3.4"},{"value":"b","label":"a"}]"#)
                .unwrap(),
            [
                ("IP".to_string(), "1.2.3.4".to_string()),
                ("a".to_string(), "b".to_string())
            ]
        );
        assert!(details_fields("[]").unwrap().is_empty());
        for bad in [
            "",
            "{}",
            r#"[{"label":"x"}]"#,
            r#"[{"label":1,"value":"v"}]"#,
            "[1]",
        ] {
            assert_eq!(
                details_fields(bad)
                    .map_err(|e| unsafe { crate::ffi::error::authy_error_code(&e) })
                    .unwrap_err(),
                authy_result::InvalidArgument,
                "{bad}"
            );
        }
        assert!(json_object("HiddenDetails", r#"{"a":"b"}"#).is_ok());
        assert!(json_object("HiddenDetails", "[1]").is_err());
    }
}
