//! `authy_cancel`: a token that stops the calls of a client made with
//! authy_client_with_cancel(), from any thread.

use super::boundary::{guard, guard_result};
use super::error::authy_error;
use super::ptr::{free_handle, handle_ref, into_handle};
use super::result::authy_result;
use crate::cancel::Cancel;

/// A cancellation token (authy_cancel_new()): authy_cancel_cancel() stops every call made
/// through a client from authy_client_with_cancel() with this token — running ones within
/// milliseconds (their connection is shut down), later ones before any I/O — with
/// AUTHY_RESULT_CANCELLED. Once cancelled it stays cancelled: use a new token per operation
/// (a Go `context`, a C++ `std::stop_token`).
///
/// Methods: authy_cancel_new(), authy_cancel_cancel(), authy_cancel_is_cancelled(),
/// authy_cancel_free(); used by authy_client_with_cancel().
///
/// Ownership: owned by the caller, released with authy_cancel_free(); clients derived with it
/// hold their own reference.
///
/// Thread safety: a `const authy_cancel *` may be used by any number of threads at once (this is
/// its purpose: one thread waits in a call, another cancels).
pub struct authy_cancel {
    inner: Cancel,
}

/// The token behind `cancel`.
///
/// # Safety
/// `cancel` must be NULL or a live token.
pub(crate) unsafe fn cancel_ref<'a>(
    cancel: *const authy_cancel,
) -> Result<&'a Cancel, authy_error> {
    // SAFETY: forwarded caller contract.
    unsafe { handle_ref(cancel, "cancel") }.map(|c| &c.inner)
}

/// Makes a new token, not cancelled.
///
/// @return The token, owned by the caller (authy_cancel_free()); NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn authy_cancel_new() -> *mut authy_cancel {
    guard(|| {
        into_handle(authy_cancel {
            inner: Cancel::new(),
        })
    })
}

/// Cancels: the calls running with this token return AUTHY_RESULT_CANCELLED within
/// milliseconds (a TCP connect in progress is not interrupted: the new connection is shut
/// down as soon as it is made), later calls fail before any I/O. Idempotent. Does not block on
/// the network: it may be called from any thread, while calls run.
///
/// @param cancel A token (shared, read-only).
/// @param error Optional; receives the error on failure.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_cancel_cancel(
    cancel: *const authy_cancel,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: NULL or a live token.
        unsafe { cancel_ref(cancel)? }.cancel();
        Ok(())
    })
}

/// Whether authy_cancel_cancel() was called on this token.
///
/// @param cancel A token, or NULL (false).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_cancel_is_cancelled(cancel: *const authy_cancel) -> bool {
    guard(|| {
        // SAFETY: caller contract: NULL or a live token.
        unsafe { cancel_ref(cancel) }.is_ok_and(Cancel::is_cancelled)
    })
}

/// Releases a token. Clients made with it by authy_client_with_cancel() keep working (they hold
/// their own reference); no thread may call authy_cancel_cancel() on it afterwards.
///
/// @param cancel A token from authy_cancel_new(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_cancel_free(cancel: *mut authy_cancel) {
    guard(|| {
        // SAFETY: NULL or a token from authy_cancel_new() not freed yet (caller contract).
        unsafe { free_handle(cancel) }
    })
}
