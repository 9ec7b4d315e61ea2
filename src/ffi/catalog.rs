//! Offline lookup of Authy `error_code` values (the catalog of `crate::catalog`).

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

use super::boundary::guard_result;
use super::error::authy_error;
use super::ptr::{out_arg, write_out};
use super::result::authy_result;
use super::strings::to_cstring;
use crate::catalog;

/// NUL-terminated copies of the catalog meanings, made once and kept for the process lifetime
/// (so the pointers handed out are valid forever).
fn c_meanings() -> &'static [CString] {
    static MEANINGS: OnceLock<Vec<CString>> = OnceLock::new();
    MEANINGS.get_or_init(|| {
        catalog::entries()
            .iter()
            .map(|e| to_cstring(e.meaning))
            .collect()
    })
}

/// Looks up an Authy error code (as found in a response's `error_code`, e.g. 60026) in the
/// offline catalog.
///
/// @param code The numeric code.
/// @param meaning_out Receives a short English meaning (e.g. `"User not found"`): a static
///        string, valid for the life of the process, never to be freed. Required.
/// @param http_status_out Optional (may be NULL): receives the HTTP status the API answers with
///        for this code, or 0 when no source records one.
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK when the code is known, AUTHY_RESULT_NO_VALUE when it is not (outputs
///         untouched), AUTHY_RESULT_NULL_ARGUMENT when `meaning_out` is NULL.
///
/// Thread safety: may be called from any thread. Does no I/O.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_catalog_lookup(
    code: u32,
    meaning_out: *mut *const c_char,
    http_status_out: *mut u16,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let meaning_out = out_arg(meaning_out, "meaning_out")?;
        let entries = catalog::entries();
        let index = entries
            .binary_search_by_key(&code, |e| e.code)
            .map_err(|_| {
                authy_error::new(
                    authy_result::NoValue,
                    format!("unknown Authy error code {code}"),
                )
            })?;
        let meaning = c_meanings()[index].as_ptr();
        // SAFETY: checked non-NULL; writable per the caller's contract.
        unsafe { write_out(meaning_out, meaning) };
        if !http_status_out.is_null() {
            // SAFETY: non-NULL and writable per the caller's contract.
            unsafe { http_status_out.write(entries[index].http_status.unwrap_or(0)) };
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn known_unknown_and_null() {
        let mut meaning: *const c_char = ptr::null();
        let mut status: u16 = 7;
        unsafe {
            assert_eq!(
                authy_catalog_lookup(60026, &mut meaning, &mut status, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(CStr::from_ptr(meaning).to_str().unwrap(), "User not found");
            assert_eq!(status, 404);
            assert_eq!(
                authy_catalog_lookup(60006, &mut meaning, ptr::null_mut(), ptr::null_mut()),
                authy_result::Ok
            );
            let before = meaning;
            let mut err: *mut authy_error = ptr::null_mut();
            assert_eq!(
                authy_catalog_lookup(60039, &mut meaning, &mut status, &mut err),
                authy_result::NoValue
            );
            assert_eq!(meaning, before, "outputs untouched on failure");
            assert_eq!(status, 404);
            assert_eq!((*err).code(), authy_result::NoValue);
            super::super::error::authy_error_free(err);
            assert_eq!(
                authy_catalog_lookup(60026, ptr::null_mut(), &mut status, ptr::null_mut()),
                authy_result::NullArgument
            );
        }
    }
}
