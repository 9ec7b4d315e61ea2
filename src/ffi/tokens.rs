//! Token endpoints of `authy_client`: SMS, voice call, verification, fail-open verification.

use std::ffi::c_char;

use super::boundary::{guard_result, guard_result_deny_first};
use super::client::{authy_client, client_ref, endpoint};
use super::error::authy_error;
use super::params::{OptionReader, authy_params};
use super::ptr::{out_arg, write_out};
use super::response::authy_response;
use super::result::authy_result;
use super::strings::str_arg;
use crate::error::Error;
use crate::failopen::{FailOpenPolicy, Verdict};
use crate::response::Response;
use crate::tokens::{CallOptions, SmsOptions, VerifyOptions};

/// Sends a token by SMS (`GET /protected/json/sms/{id}`). When the user has the Authy app the
/// API may not send it: authy_response_ignored() is then true (set `force` to send anyway).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL, or: `force` (`true` to send even to app users), `action` and
///        `action_message` (a code valid only for that action; any text), `locale`
///        (e.g. `en`, `pt-BR`).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_request_sms(
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
                "authy_client_request_sms",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let opts = SmsOptions {
                        force: o.boolean("force")?.unwrap_or(false),
                        action: o.string("action")?.map(str::to_owned),
                        action_message: o.string("action_message")?.map(str::to_owned),
                        locale: o.string("locale")?.map(str::to_owned),
                    };
                    Ok((id, opts))
                },
                |c, (id, opts)| c.request_sms(id, &opts),
            )
        }
    })
}

/// Starts a voice call that reads a token to the user (`GET /protected/json/call/{id}`).
/// **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param options NULL, or: `force`, `action`, `action_message` (as for
///        authy_client_request_sms()).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_request_call(
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
                "authy_client_request_call",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let opts = CallOptions {
                        force: o.boolean("force")?.unwrap_or(false),
                        action: o.string("action")?.map(str::to_owned),
                        action_message: o.string("action_message")?.map(str::to_owned),
                    };
                    Ok((id, opts))
                },
                |c, (id, opts)| c.request_call(id, &opts),
            )
        }
    })
}

/// The options of a token verification (`force`, default true; `action`).
fn verify_options(o: &mut OptionReader<'_>) -> Result<VerifyOptions, authy_error> {
    let defaults = VerifyOptions::default();
    Ok(VerifyOptions {
        force: o.boolean("force")?.unwrap_or(defaults.force),
        action: o.string("action")?.map(str::to_owned),
    })
}

/// Verifies a token the user typed (`GET /protected/json/verify/{token}/{id}`). **Blocks.**
///
/// The token is valid **only** when this returns AUTHY_RESULT_OK. A wrong token is
/// AUTHY_RESULT_TOKEN_INVALID (Authy code `"60020"`, or `"60019"` for a reused token); a revoked
/// API key is AUTHY_RESULT_UNAUTHORIZED (`"60001"`); an unknown user is an error too.
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param token The token: 6–12 digits (checked before any I/O: AUTHY_RESULT_INVALID_ARGUMENT
///        with the API's own code and message, `"60020"` "Token is invalid").
/// @param options NULL, or: `force` (default `true`: verify even for users who have not finished
///        registration; with `false` the API accepts any well-formed token for them), `action`
///        (the custom action the code was issued for).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out` when the token is valid; otherwise see
///         "Endpoints" in the file comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_verify_token(
    client: *const authy_client,
    authy_id: *const c_char,
    token: *const c_char,
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
                "authy_client_verify_token",
                |o| {
                    let id = str_arg(authy_id, "authy_id")?;
                    let token = str_arg(token, "token")?;
                    Ok((id, token, verify_options(o)?))
                },
                |c, (id, token, opts)| c.verify_token(id, token, &opts),
            )
        }
    })
}

/// Outcome of authy_client_verify_token_fail_open().
///
/// 0 is AUTHY_VERDICT_INVALID, so a zero-initialised variable never reads as valid.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum authy_verdict {
    /// The API answered and did not accept the token (or answered with an error the policy does
    /// not accept). Refuse the login.
    Invalid = 0,
    /// The API answered that the token is valid.
    Valid = 1,
    /// The API could not be reached or failed, and the policy accepts the login anyway. This is
    /// **not** a valid token: log it.
    AcceptedApiUnreachable = 2,
}

/// Flags of the `policy` argument of authy_client_verify_token_fail_open(): which failures are
/// turned into AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE. Combine with `|`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum authy_fail_open {
    /// Accept on connect, DNS, timeout and I/O errors (never on TLS errors).
    TransportError = 1,
    /// Accept on a 5xx answer that is not an Authy error (a proxy error page, or JSON without an
    /// `error_code`). A 5xx carrying an Authy `error_code` (e.g. 503 / 60060, account suspended)
    /// is the API's refusal and is never accepted.
    ServerError = 2,
    /// Accept on a 429 / 60003 answer. Risky: an attacker who floods your login can provoke it.
    RateLimit = 4,
    /// `TRANSPORT_ERROR | SERVER_ERROR`, the recommended policy.
    Default = 3,
}

const _: () = assert!(
    authy_fail_open::Default as u32
        == authy_fail_open::TransportError as u32 | authy_fail_open::ServerError as u32
);

fn policy_from_flags(flags: u32) -> Result<FailOpenPolicy, authy_error> {
    let all = authy_fail_open::TransportError as u32
        | authy_fail_open::ServerError as u32
        | authy_fail_open::RateLimit as u32;
    if flags & !all != 0 {
        return Err(authy_error::invalid_argument(format!(
            "unknown fail-open policy flags {:#x}",
            flags & !all
        )));
    }
    Ok(FailOpenPolicy {
        accept_on_transport_error: flags & authy_fail_open::TransportError as u32 != 0,
        accept_on_server_error: flags & authy_fail_open::ServerError as u32 != 0,
        accept_on_rate_limit: flags & authy_fail_open::RateLimit as u32 != 0,
    })
}

/// Verifies a token with an explicit fail-open policy (opt-in; authy_client_verify_token() never
/// fails open). **Blocks.**
///
/// Accepting logins while the API is unreachable weakens two-factor authentication to one factor
/// for that time: use it only where availability matters more, and log every
/// AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE.
///
/// **`verdict_out` is written on every path**, a deliberate exception to "outputs are written
/// only on success": when it is non-NULL, AUTHY_VERDICT_INVALID is stored in it before anything
/// else, so a caller that ignores the result code (or reuses a variable that held
/// AUTHY_VERDICT_VALID) still denies the login on any failure.
///
/// @param client The client (shared, read-only).
/// @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
/// @param token The token (6–12 digits).
/// @param options NULL, or the options of authy_client_verify_token() (`force`, `action`).
/// @param policy Flags of ::authy_fail_open (e.g. AUTHY_FAIL_OPEN_DEFAULT); 0 never fails open.
/// @param verdict_out Receives the verdict; AUTHY_VERDICT_INVALID whenever the result is not
///        AUTHY_RESULT_OK.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK **only** with AUTHY_VERDICT_VALID or
///         AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE (accept the login). Any other code means deny:
///         a refused token is the code of the API's answer (e.g. AUTHY_RESULT_TOKEN_INVALID for a
///         wrong token, with HTTP status, Authy `error_code`, message and body in `*error`); an
///         invalid argument, TLS failure, undecodable answer or a failure the policy does not
///         accept is its own code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_verify_token_fail_open(
    client: *const authy_client,
    authy_id: *const c_char,
    token: *const c_char,
    options: *const authy_params,
    policy: u32,
    verdict_out: *mut authy_verdict,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result_deny_first(
        error,
        // Deny first: every path, even a refused `*error`, leaves INVALID behind.
        || {
            if let Some(out) = std::ptr::NonNull::new(verdict_out) {
                // SAFETY: non-NULL, writable per the caller's contract.
                unsafe { write_out(out, authy_verdict::Invalid) };
            }
        },
        || {
            let verdict_out = out_arg(verdict_out, "verdict_out")?;
            // SAFETY: caller contract: live handles, C strings.
            let (client, id, token) = unsafe {
                (
                    client_ref(client)?,
                    str_arg(authy_id, "authy_id")?,
                    str_arg(token, "token")?,
                )
            };
            // SAFETY: caller contract: NULL or a live params handle.
            let mut reader =
                unsafe { OptionReader::new(options, "authy_client_verify_token_fail_open") };
            let opts = verify_options(&mut reader)?;
            reader.finish()?;
            let policy = policy_from_flags(policy)?;
            let outcome = client.verify_token(id, token, &opts);
            let verdict = match Verdict::from_outcome(&outcome, &policy)? {
                Verdict::Valid => authy_verdict::Valid,
                Verdict::AcceptedApiUnreachable => authy_verdict::AcceptedApiUnreachable,
                Verdict::Invalid => return Err(refusal(&outcome)),
            };
            // SAFETY: as above.
            unsafe { write_out(verdict_out, verdict) };
            Ok(())
        },
    )
}

/// The error of an answer that yielded [`Verdict::Invalid`]: the answer's own error with its body.
fn refusal(outcome: &Result<Response, Error>) -> authy_error {
    match outcome {
        Ok(resp) => match resp.error() {
            Some(e) => authy_error::from_answer(&e, resp.body()),
            // from_outcome says Invalid only for an answer that is not ok().
            None => authy_error::new(authy_result::Internal, "token refused without an error"),
        },
        Err(e) => authy_error::from(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_flags() {
        let p = policy_from_flags(authy_fail_open::Default as u32).unwrap();
        assert_eq!(p, FailOpenPolicy::default());
        let p = policy_from_flags(0).unwrap();
        assert!(
            !p.accept_on_transport_error && !p.accept_on_server_error && !p.accept_on_rate_limit
        );
        assert!(policy_from_flags(7).unwrap().accept_on_rate_limit);
        assert_eq!(
            policy_from_flags(8).unwrap_err().code(),
            authy_result::InvalidArgument
        );
        assert_eq!(authy_verdict::Invalid as u32, 0);
    }
}
