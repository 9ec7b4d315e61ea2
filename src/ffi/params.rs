//! `authy_params`: an ordered set of request parameters with Rack-style key paths, used for the
//! optional arguments of every endpoint and for authy_client_request().

use std::ffi::c_char;

use super::boundary::{guard, guard_result};
use super::error::authy_error;
use super::ptr::{free_handle, handle_mut, into_handle};
use super::result::authy_result;
use super::strings::str_arg;
use crate::params::{ParamValue, Params};

/// A set of request parameters (optional arguments of an endpoint, or the parameters of
/// authy_client_request()).
///
/// Ownership: created by authy_params_new(), released with authy_params_free(). Functions that
/// take a `const authy_params *` only read it during the call; the same set may be reused for
/// many calls.
///
/// Thread safety: authy_params_set() needs exclusive access; once filled, a set may be read by
/// several calls on several threads at once.
#[derive(Debug, Clone, Default)]
pub struct authy_params {
    inner: Params,
}

impl authy_params {
    /// A copy of the core parameter tree (for authy_client_request()).
    pub(crate) fn to_core(&self) -> Params {
        self.inner.clone()
    }

    /// [`Params::set_nested`], with its error as an `authy_error`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), authy_error> {
        self.inner.set_nested(key, value)?;
        Ok(())
    }
}

/// Creates an empty parameter set.
///
/// @return A new set owned by the caller (release it with authy_params_free()); NULL only if
///         libauthy hit an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn authy_params_new() -> *mut authy_params {
    guard(|| into_handle(authy_params::default()))
}

/// Sets one parameter.
///
/// Keys use Rack/Rails nesting, as the Authy API expects:
/// - `"force"` → a plain value;
/// - `"details[Location]"` → the entry `Location` of the map `details` (nesting up to 8 levels;
///   a digit key such as `"logos[0][res]"` is a map key too, as Rack reads it);
/// - `"logos[][res]"`, `"logos[][url]"` → arrays of maps: a key the last element already has
///   starts a new element, so set `res` then `url` for each logo in turn.
///
/// Setting an existing key replaces its value in place (order is kept). Booleans are written
/// `"true"` / `"false"`, numbers in decimal. Endpoint functions document the keys they accept
/// and refuse unknown keys with AUTHY_RESULT_INVALID_ARGUMENT.
///
/// @param params The set (exclusive access during the call).
/// @param key The key path (1–1024 bytes).
/// @param value The value (copied).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK, AUTHY_RESULT_INVALID_ARGUMENT for a malformed key, a plain-value
///         array (`"a[]"`) or more than 1000 entries (the set is then unchanged),
///         AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_params_set(
    params: *mut authy_params,
    key: *const c_char,
    value: *const c_char,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: a live params handle used exclusively, C strings.
        let (params, key, value) = unsafe {
            (
                handle_mut(params, "params")?,
                str_arg(key, "key")?,
                str_arg(value, "value")?,
            )
        };
        params.set(key, value)
    })
}

/// Releases a parameter set.
///
/// @param params A set from authy_params_new(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_params_free(params: *mut authy_params) {
    guard(|| {
        // SAFETY: NULL or a live handle from authy_params_new() (caller contract).
        unsafe { free_handle(params) }
    })
}

/// Reads the optional arguments of one endpoint from an `authy_params`, refusing keys the
/// endpoint does not know.
pub(crate) struct OptionReader<'a> {
    endpoint: &'static str,
    entries: Vec<(&'a str, &'a ParamValue, bool)>,
}

impl<'a> OptionReader<'a> {
    /// Reads `params` (NULL means no options) for `endpoint` (the C function name).
    ///
    /// # Safety
    /// `params` must be NULL or a live `authy_params` not mutated during the call.
    pub(crate) unsafe fn new(
        params: *const authy_params,
        endpoint: &'static str,
    ) -> OptionReader<'a> {
        // SAFETY: caller contract.
        let entries = match unsafe { params.as_ref() } {
            Some(p) => p.inner.iter().map(|(k, v)| (k, v, false)).collect(),
            None => Vec::new(),
        };
        OptionReader { endpoint, entries }
    }

    fn take(&mut self, key: &str) -> Option<&'a ParamValue> {
        let entry = self.entries.iter_mut().find(|(k, _, _)| *k == key)?;
        entry.2 = true;
        Some(entry.1)
    }

    fn wrong(&self, key: &str, want: &str) -> authy_error {
        authy_error::invalid_argument(format!(
            "option '{key}' of {} must be {want}",
            self.endpoint
        ))
    }

    /// A plain string option.
    pub(crate) fn string(&mut self, key: &str) -> Result<Option<&'a str>, authy_error> {
        match self.take(key) {
            None => Ok(None),
            Some(ParamValue::Str(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong(key, "a plain value")),
        }
    }

    /// A boolean option: `true`/`false` (also `1`/`0`, any case).
    pub(crate) fn boolean(&mut self, key: &str) -> Result<Option<bool>, authy_error> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        if s.eq_ignore_ascii_case("true") || s == "1" {
            Ok(Some(true))
        } else if s.eq_ignore_ascii_case("false") || s == "0" {
            Ok(Some(false))
        } else {
            Err(self.wrong(key, "true or false"))
        }
    }

    /// A non-negative decimal integer option.
    pub(crate) fn number(&mut self, key: &str) -> Result<Option<u64>, authy_error> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.wrong(key, "a non-negative decimal number"));
        }
        s.parse()
            .map(Some)
            .map_err(|_| self.wrong(key, "a number that fits in 64 bits"))
    }

    /// A map of plain values (`key[name]=value`), in order.
    pub(crate) fn map(&mut self, key: &str) -> Result<Vec<(String, String)>, authy_error> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(ParamValue::Map(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    ParamValue::Str(s) => Ok((k.to_owned(), s.clone())),
                    _ => Err(self.wrong(key, "a map of plain values (key[name]=value)")),
                })
                .collect(),
            Some(_) => Err(self.wrong(key, "a map of plain values (key[name]=value)")),
        }
    }

    /// An array of maps of plain values (`key[][name]=value`).
    pub(crate) fn list(&mut self, key: &str) -> Result<&'a [Params], authy_error> {
        let want = "an array of maps (key[][name]=value)";
        match self.take(key) {
            None => Ok(&[]),
            Some(ParamValue::List(l)) => {
                let flat = |m: &Params| m.iter().all(|(_, v)| matches!(v, ParamValue::Str(_)));
                if l.iter().all(flat) {
                    Ok(l)
                } else {
                    Err(self.wrong(key, want))
                }
            }
            Some(_) => Err(self.wrong(key, want)),
        }
    }

    /// Every option not read yet, as Twilio form parameters (the API's own PascalCase names,
    /// dotted for grouped settings; plain values only).
    pub(crate) fn rest_as_twilio_form(&mut self) -> Result<crate::form::TwilioForm, authy_error> {
        let mut form = crate::form::TwilioForm::new();
        for entry in self.entries.iter_mut().filter(|(_, _, used)| !used) {
            let ParamValue::Str(value) = entry.1 else {
                return Err(authy_error::invalid_argument(format!(
                    "option '{}' of {} must be a plain value",
                    entry.0, self.endpoint
                )));
            };
            form.text(entry.0, value)?;
            entry.2 = true;
        }
        Ok(form)
    }

    /// Fails on any key the endpoint did not read.
    pub(crate) fn finish(self) -> Result<(), authy_error> {
        match self.entries.iter().find(|(_, _, used)| !used) {
            None => Ok(()),
            Some((k, _, _)) => Err(authy_error::invalid_argument(format!(
                "unknown option '{k}' for {}",
                self.endpoint
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::authy_error_free;
    use std::ffi::CString;
    use std::ptr;

    #[test]
    fn key_paths_build_the_expected_form() {
        let mut p = authy_params::default();
        p.set("message", "Log in?").unwrap();
        p.set("details[Location]", "Paris").unwrap();
        p.set("details[IP]", "10.0.0.1").unwrap();
        p.set("logos[][res]", "default").unwrap();
        p.set("logos[][url]", "https://e.com/a.png").unwrap();
        p.set("logos[][res]", "low").unwrap();
        p.set("logos[][url]", "https://e.com/b.png").unwrap();
        p.set("message", "Log in now?").unwrap();
        assert_eq!(
            p.to_core().to_pairs(),
            [
                ("message", "Log in now?"),
                ("details[Location]", "Paris"),
                ("details[IP]", "10.0.0.1"),
                ("logos[][res]", "default"),
                ("logos[][url]", "https://e.com/a.png"),
                ("logos[][res]", "low"),
                ("logos[][url]", "https://e.com/b.png"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        let mut p = authy_params::default();
        p.set("a[b][c]", "1").unwrap();
        p.set("l[][x][y]", "1").unwrap();
        p.set("l[][x][z]", "2").unwrap();
        p.set("l[][x][y]", "3").unwrap();
        assert_eq!(
            p.to_core().to_pairs(),
            [
                ("a[b][c]", "1"),
                ("l[][x][y]", "1"),
                ("l[][x][z]", "2"),
                ("l[][x][y]", "3")
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn bad_keys_are_refused_and_leave_the_set_unchanged() {
        let mut p = authy_params::default();
        p.set("a", "1").unwrap();
        // The same malformed keys as the core tests of Params::set_nested.
        for bad in crate::params::MALFORMED_KEYS {
            let e = p.set(bad, "x").unwrap_err();
            assert_eq!(e.code(), authy_result::InvalidArgument, "{bad:?}");
        }
        assert!(p.set(&"k".repeat(Params::MAX_KEY_LEN + 1), "x").is_err());
        assert_eq!(p.to_core().to_pairs(), [("a".to_string(), "1".to_string())]);
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "a million small copies: too slow under Miri, no pointers involved"
    )]
    fn entry_limit() {
        let mut p = authy_params::default();
        for i in 0..Params::MAX_ENTRIES {
            p.set(&format!("k{i}"), "v").unwrap();
        }
        assert!(p.set("one_more", "v").is_err());
        p.set("k0", "replaced").unwrap();
    }

    #[test]
    fn c_surface() {
        let key = CString::new("details[a]").unwrap();
        let value = CString::new("b").unwrap();
        unsafe {
            let p = authy_params_new();
            assert!(!p.is_null());
            assert_eq!(
                authy_params_set(p, key.as_ptr(), value.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            let mut err = ptr::null_mut();
            assert_eq!(
                authy_params_set(p, ptr::null(), value.as_ptr(), &mut err),
                authy_result::NullArgument
            );
            authy_error_free(err);
            assert_eq!(
                authy_params_set(
                    ptr::null_mut(),
                    key.as_ptr(),
                    value.as_ptr(),
                    ptr::null_mut()
                ),
                authy_result::NullArgument
            );
            let bad = [b'k', 0xc3, 0x28, 0];
            assert_eq!(
                authy_params_set(p, bad.as_ptr().cast(), value.as_ptr(), ptr::null_mut()),
                authy_result::InvalidUtf8
            );
            authy_params_free(p);
            authy_params_free(ptr::null_mut());
        }
    }

    #[test]
    fn option_reader() {
        let mut p = authy_params::default();
        p.set("force", "TRUE").unwrap();
        p.set("n", "42").unwrap();
        p.set("details[k]", "v").unwrap();
        p.set("logos[][res]", "default").unwrap();
        let mut r = unsafe { OptionReader::new(&p, "test") };
        assert_eq!(r.boolean("force").unwrap(), Some(true));
        assert_eq!(r.number("n").unwrap(), Some(42));
        assert_eq!(r.map("details").unwrap(), [("k".into(), "v".into())]);
        assert_eq!(r.string("absent").unwrap(), None);
        let e = r.finish().unwrap_err();
        assert!(
            e.message_str().contains("unknown option 'logos' for test"),
            "{}",
            e.message_str()
        );

        let mut r = unsafe { OptionReader::new(&p, "test") };
        assert!(r.string("details").is_err());
        assert!(r.number("force").is_err());
        let mut r = unsafe { OptionReader::new(ptr::null(), "test") };
        assert_eq!(r.list("logos").unwrap(), &[] as &[Params]);
        r.finish().unwrap();
    }
}
