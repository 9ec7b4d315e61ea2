//! Raw-pointer helpers: NULL checks, handle allocation and casts, out-parameter writes.
//!
//! Handles are `Box`ed Rust values handed to C as raw pointers; `*_free` turns them back into
//! a `Box` and drops it. C never sees the layout (the types are opaque in the header).

use std::ptr::NonNull;

use super::error::authy_error;

/// A NULL pointer argument named `name` is refused with `AUTHY_RESULT_NULL_ARGUMENT`.
pub(crate) fn non_null<T>(p: *const T, name: &str) -> Result<NonNull<T>, authy_error> {
    NonNull::new(p.cast_mut()).ok_or_else(|| authy_error::null_argument(name))
}

/// A required out-parameter: checked before any work, written with [`write_out`] on success.
pub(crate) fn out_arg<T>(p: *mut T, name: &str) -> Result<NonNull<T>, authy_error> {
    NonNull::new(p).ok_or_else(|| authy_error::null_argument(name))
}

/// Writes `value` to an out-parameter checked by [`out_arg`].
///
/// # Safety
/// `out` must be valid for a write of `T` and suitably aligned (the caller's contract).
pub(crate) unsafe fn write_out<T>(out: NonNull<T>, value: T) {
    // SAFETY: guaranteed by the caller; `write` does not drop the previous (C-owned) value.
    unsafe { out.as_ptr().write(value) }
}

/// Borrows the handle behind a non-NULL pointer for the duration of the call.
///
/// # Safety
/// `p` must point to a live handle of type `T` created by this library and not yet freed.
pub(crate) unsafe fn handle_ref<'a, T>(p: *const T, name: &str) -> Result<&'a T, authy_error> {
    let p = non_null(p, name)?;
    // SAFETY: non-NULL, and alive per the caller's contract.
    Ok(unsafe { p.as_ref() })
}

/// Mutably borrows the handle behind a non-NULL pointer (exclusive access is the caller's
/// documented duty for non-const handles).
///
/// # Safety
/// `p` must point to a live handle of type `T` created by this library, not yet freed, and not
/// used by any other thread during the call.
pub(crate) unsafe fn handle_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, authy_error> {
    let mut p = out_arg(p, name)?;
    // SAFETY: non-NULL, alive and exclusively ours per the caller's contract.
    Ok(unsafe { p.as_mut() })
}

/// Moves `value` to the heap and hands ownership to C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back ownership of a handle created by [`into_handle`] and drops it; NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or a pointer from [`into_handle`] for the same `T`, not yet freed.
pub(crate) unsafe fn free_handle<T>(p: *const T) {
    if !p.is_null() {
        // SAFETY: created by `Box::into_raw` for this `T` and not freed yet (caller contract).
        drop(unsafe { Box::from_raw(p.cast_mut()) });
    }
}

/// Stores an owned error into the caller's optional `authy_error **`; with NULL the error is
/// dropped (the caller only wanted the result code).
///
/// # Safety
/// `error` must be NULL or valid for a write of one pointer.
pub(crate) unsafe fn store_error(error: *mut *mut authy_error, failure: authy_error) {
    if !error.is_null() {
        // SAFETY: non-NULL and writable per the caller's contract.
        unsafe { error.write(into_handle(failure)) };
    }
}
