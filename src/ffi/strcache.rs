//! The C strings a handle hands out, built once per key and kept until the handle is freed.

use std::collections::HashMap;
use std::ffi::{CString, c_char};
use std::ptr;
use std::sync::Mutex;

use crate::ffi::strings::to_cstring;

/// C copies of the strings a handle (a response, verified callback parameters) hands out, by
/// accessor key.
///
/// Entries are never removed or replaced before the cache is dropped, so a returned pointer
/// stays valid for the life of the handle (a `CString`'s buffer does not move when the map
/// grows). Safe to use from several threads at once; a poisoned lock is recovered (the map is
/// only ever inserted into, so it is consistent).
#[derive(Debug, Default)]
pub(crate) struct StrCache {
    strings: Mutex<HashMap<String, CString>>,
}

impl StrCache {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A stable C pointer to `make()`'s text, built once per `key`; NULL when `make` gives
    /// `None` (nothing is cached then, so a later call tries again).
    pub(crate) fn get_or_insert_with<T: AsRef<str>>(
        &self,
        key: &str,
        make: impl FnOnce() -> Option<T>,
    ) -> *const c_char {
        let mut strings = self.strings.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = strings.get(key) {
            return c.as_ptr();
        }
        let Some(text) = make() else {
            return ptr::null();
        };
        strings
            .entry(key.to_owned())
            .or_insert_with(|| to_cstring(text.as_ref()))
            .as_ptr()
    }

    /// How many strings are cached.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.strings.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn built_once_stable_and_none_not_cached() {
        let cache = StrCache::new();
        let mut calls = 0;
        let p1 = cache.get_or_insert_with("/a", || {
            calls += 1;
            Some("x")
        });
        let p2 = cache.get_or_insert_with("/a", || -> Option<&str> { unreachable!() });
        assert_eq!(p1, p2);
        assert_eq!(calls, 1);
        assert_eq!(unsafe { CStr::from_ptr(p1) }.to_str(), Ok("x"));
        // Many more entries: the first pointer still reads the same text.
        for i in 0..1000 {
            cache.get_or_insert_with(&format!("/k{i}"), || Some(i.to_string()));
        }
        assert_eq!(unsafe { CStr::from_ptr(p1) }.to_str(), Ok("x"));
        assert!(
            cache
                .get_or_insert_with("/none", || None::<String>)
                .is_null()
        );
        assert_eq!(cache.len(), 1001);
        // A NUL inside the text is replaced (as `to_cstring` documents), not truncated away.
        let p = cache.get_or_insert_with("/nul", || Some("a\0b"));
        assert!(unsafe { CStr::from_ptr(p) }.to_bytes().starts_with(b"a"));
    }

    #[test]
    fn shared_between_threads() {
        let cache = StrCache::new();
        let pointers: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| cache.get_or_insert_with("/k", || Some("v")) as usize))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(pointers.windows(2).all(|w| w[0] == w[1]));
    }
}
