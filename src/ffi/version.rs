//! Version queries, to detect a mismatch between the header a program was compiled with
//! (`AUTHY_VERSION_*` macros) and the library it runs with.

use std::ffi::c_char;

use super::boundary::guard;

const VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

const fn parse_u32(s: &str) -> u32 {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut n = 0u32;
    while i < bytes.len() {
        assert!(
            bytes[i].is_ascii_digit(),
            "version component is not a number"
        );
        n = n * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    n
}

/// `MAJOR * 10000 + MINOR * 100 + PATCH` of this build.
pub(crate) const VERSION_NUMBER: u32 = parse_u32(env!("CARGO_PKG_VERSION_MAJOR")) * 10000
    + parse_u32(env!("CARGO_PKG_VERSION_MINOR")) * 100
    + parse_u32(env!("CARGO_PKG_VERSION_PATCH"));

/// The library version, e.g. `"0.1.0"`.
///
/// @return A static NUL-terminated string; never NULL, never to be freed.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn authy_version() -> *const c_char {
    guard(|| VERSION_C.as_ptr().cast())
}

/// The library version as one number, `MAJOR * 10000 + MINOR * 100 + PATCH` (0.1.0 → 100).
///
/// Compare with the header's `AUTHY_VERSION_NUMBER` to detect a header/library mismatch.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn authy_version_number() -> u32 {
    guard(|| VERSION_NUMBER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_matches_cargo() {
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(authy_version()) }.to_str().unwrap();
        assert_eq!(v, env!("CARGO_PKG_VERSION"));
        let parts: Vec<u32> = v.split('.').map(|p| p.parse().unwrap()).collect();
        assert_eq!(
            authy_version_number(),
            parts[0] * 10000 + parts[1] * 100 + parts[2]
        );
    }
}
