//! `authy_health`: the report of authy_client_health_check().

use std::ffi::{CString, c_char};
use std::ptr;

use super::boundary::{guard, guard_result};
use super::client::{authy_client, client_ref};
use super::error::authy_error;
use super::ptr::{free_handle, into_handle, out_arg, write_out};
use super::result::authy_result;
use super::strings::to_cstring;
use crate::health::HealthReport;

/// The report of a health check: reachable, TLS, key accepted, latency.
///
/// Ownership: created by authy_client_health_check(), owned by the caller, released with
/// authy_health_free(). Strings read from it are owned by it.
///
/// Thread safety: immutable; the accessors may be called from several threads at once.
pub struct authy_health {
    result: authy_result,
    latency_us: u64,
    tls: bool,
    message: CString,
    app_name: Option<CString>,
}

impl authy_health {
    fn new(report: &HealthReport) -> authy_health {
        let (result, message) = match report.error() {
            None => (
                authy_result::Ok,
                "the API answered; the API key is accepted".to_string(),
            ),
            Some(e) => (e.kind().into(), e.message().to_string()),
        };
        authy_health {
            result,
            latency_us: u64::try_from(report.latency().as_micros()).unwrap_or(u64::MAX),
            tls: report.tls(),
            message: to_cstring(&message),
            app_name: report.app_name().map(to_cstring),
        }
    }
}

/// Checks the API key, connectivity, TLS and latency to the configured API with one call that
/// has no side effect (`GET /protected/json/app/details`), and describes the outcome in a
/// report. Point it at the sandbox, or at the real API from a deployment's readiness probe.
/// **Blocks** (at most the client's timeout).
///
/// @param client The client (shared, read-only).
/// @param out Receives the report, healthy or not (authy_health_free()).
/// @param error Optional error details (only for NULL arguments: an unhealthy API is a report).
/// @return AUTHY_RESULT_OK when a report was written (check authy_health_ok());
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_health_check(
    client: *const authy_client,
    out: *mut *mut authy_health,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or a live client.
        let client = unsafe { client_ref(client)? };
        let report = client.health_check();
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(authy_health::new(&report))) };
        Ok(())
    })
}

/// Whether the check succeeded: the API answered, over TLS if the base URL is https, and
/// accepted the key.
///
/// @param health The report (may be NULL).
/// @return true when healthy; false otherwise or for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_ok(health: *const authy_health) -> bool {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }.is_some_and(|h| h.result == authy_result::Ok)
    })
}

/// The result code of the check's call: AUTHY_RESULT_OK, or the stage that failed
/// (AUTHY_RESULT_DNS, _CONNECT, _CONNECT_TIMEOUT, _TLS, _TIMEOUT, _NO_RESPONSE, _UNAUTHORIZED
/// for a key the API refused, _SERVER_ERROR, _RATE_LIMITED, _DECODE, ...).
///
/// @param health The report (may be NULL).
/// @return The code; AUTHY_RESULT_NULL_ARGUMENT for NULL; AUTHY_RESULT_PANIC if the library
///         failed internally (an `authy_result`, like every function answering with a code, so
///         that a caught panic never reads as AUTHY_RESULT_OK).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_result(health: *const authy_health) -> authy_result {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }.map_or(authy_result::NullArgument, |h| h.result)
    })
}

/// How long the check's call took, connection and TLS handshake included when one had to be
/// made.
///
/// @param health The report (may be NULL).
/// @return Microseconds; 0 for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_latency_us(health: *const authy_health) -> u64 {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }.map_or(0, |h| h.latency_us)
    })
}

/// Whether the base URL is https (a healthy report then also proves the certificate trusted).
///
/// @param health The report (may be NULL).
/// @return true for https; false for http or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_tls(health: *const authy_health) -> bool {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }.is_some_and(|h| h.tls)
    })
}

/// A sentence describing the outcome (never contains the API key).
///
/// @param health The report (may be NULL).
/// @return A NUL-terminated string owned by `health`, valid until authy_health_free(); NULL for
///         NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_message(health: *const authy_health) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }.map_or(ptr::null(), |h| h.message.as_ptr())
    })
}

/// The application's name from the answer of a healthy check.
///
/// @param health The report (may be NULL).
/// @return A NUL-terminated string owned by `health`, valid until authy_health_free(); NULL when
///         the check failed or for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_app_name(health: *const authy_health) -> *const c_char {
    guard(|| {
        // SAFETY: NULL or a live report (caller contract).
        unsafe { health.as_ref() }
            .and_then(|h| h.app_name.as_ref())
            .map_or(ptr::null(), |c| c.as_ptr())
    })
}

/// Releases a report.
///
/// @param health A report from authy_client_health_check(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_health_free(health: *mut authy_health) {
    guard(|| {
        // SAFETY: NULL or a live report no other call is using (caller contract).
        unsafe { free_handle(health.cast_const()) }
    })
}
