//! C strings in (NUL-terminated UTF-8, checked) and out (NUL-terminated, owned by a handle).

use std::ffi::{CStr, CString, c_char};

use super::error::authy_error;

/// Borrows a required string argument named `name`: NULL gives `AUTHY_RESULT_NULL_ARGUMENT`,
/// invalid UTF-8 gives `AUTHY_RESULT_INVALID_UTF8`.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string that stays valid and unchanged for
/// `'a` (the duration of the call).
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, authy_error> {
    if p.is_null() {
        return Err(authy_error::null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(p) };
    bytes.to_str().map_err(|_| authy_error::invalid_utf8(name))
}

/// Like [`str_arg`] for an optional argument: NULL is `None`.
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(
    p: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, authy_error> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded caller contract.
        unsafe { str_arg(p, name) }.map(Some)
    }
}

/// A C copy of `s`, for every string handed out to C. A Rust string may hold U+0000 (valid
/// JSON carries it as the escape `"\u0000"`, a body that is not JSON as a NUL byte) but a C
/// string cannot: each U+0000 is replaced with U+FFFD (bytes EF BF BD), so the C string is
/// never silently cut short. The header preamble ("U+0000 in text", `cbindgen.toml`) states
/// this for C callers.
pub(crate) fn to_cstring(s: &str) -> CString {
    match CString::new(s) {
        Ok(c) => c,
        Err(_) => CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_else(|_| CString::default()),
    }
}
