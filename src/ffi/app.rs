//! Application endpoints of `authy_client`: details and statistics.

use super::boundary::guard_result;
use super::client::{authy_client, endpoint};
use super::error::authy_error;
use super::params::authy_params;
use super::response::authy_response;
use super::result::authy_result;

/// Details of the application the API key belongs to (`GET /protected/json/app/details`):
/// read e.g. `"/app/name"` with authy_response_get_string(). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_app_details(
    client: *const authy_client,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, writable out.
        unsafe {
            endpoint(
                client,
                options,
                out,
                "authy_client_app_details",
                |_| Ok(()),
                |c, ()| c.app_details(),
            )
        }
    })
}

/// Monthly statistics of the application (`GET /protected/json/app/stats`): read e.g.
/// `"/stats/0/sms_count"` with authy_response_get_i64(). **Blocks.**
///
/// @param client The client (shared, read-only).
/// @param options NULL (no options yet).
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
///         comment at the top of this header.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_app_stats(
    client: *const authy_client,
    options: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles, writable out.
        unsafe {
            endpoint(
                client,
                options,
                out,
                "authy_client_app_stats",
                |_| Ok(()),
                |c, ()| c.app_stats(),
            )
        }
    })
}
