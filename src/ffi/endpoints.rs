//! The endpoint table, seen from C: which calls are reads (the bindings derive their retry
//! documentation and checks from here instead of keeping their own lists).

use std::ffi::c_char;

use super::boundary::guard;
use super::strings::str_arg;
use crate::endpoints;

/// Whether a request is a read of the API: a call without a side effect, which the library may
/// send again after any failure (with retries on, see authy_client_builder_set_retries()).
/// Everything else — an SMS, a call, a token or code check, any change, and any path outside
/// the library's endpoint table — is treated as having a side effect and is sent again only
/// when it provably never reached the server. The same rule classifies authy_client_request().
///
/// @param method The HTTP method, upper case (`"GET"`).
/// @param path The path below the base URL, without a query string
///        (`"/protected/json/users/42/status"`).
/// @return true for a read; false otherwise, or when an argument is NULL or not UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_endpoint_is_read(
    method: *const c_char,
    path: *const c_char,
) -> bool {
    guard(|| {
        // SAFETY: NULL or C strings (caller contract).
        match unsafe { (str_arg(method, "method"), str_arg(path, "path")) } {
            (Ok(method), Ok(path)) => endpoints::is_read(method, path),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::ptr;

    #[test]
    fn reads_by_method_and_path() {
        let c = |s: &str| CString::new(s).unwrap();
        let is_read =
            |m: &str, p: &str| unsafe { authy_endpoint_is_read(c(m).as_ptr(), c(p).as_ptr()) };
        assert!(is_read("GET", "/protected/json/users/42/status"));
        assert!(is_read("GET", "/onetouch/json/approval_requests/abc"));
        assert!(!is_read("GET", "/protected/json/sms/42"));
        assert!(!is_read("POST", "/protected/json/users/42/status"));
        assert!(!is_read("GET", "/elsewhere"));
        unsafe {
            assert!(!authy_endpoint_is_read(ptr::null(), c("/x").as_ptr()));
            assert!(!authy_endpoint_is_read(c("GET").as_ptr(), ptr::null()));
            let bad = [0xffu8, 0];
            assert!(!authy_endpoint_is_read(
                c("GET").as_ptr(),
                bad.as_ptr().cast()
            ));
        }
    }
}
