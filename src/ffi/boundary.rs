//! The panic boundary: no Rust panic ever unwinds into C.
//!
//! Every exported function body is exactly one call to [`guard`] (functions returning a value)
//! or [`guard_result`] (functions returning an [`authy_result`] with an optional
//! `authy_error **`). `tests/ffi_artifacts.rs` checks this for every `extern "C" fn` in `src/ffi`.
//! Both go through [`catch_panic`], the only `catch_unwind` of the crate.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use super::error::authy_error;
use super::ptr::store_error;
use super::result::authy_result;

/// The value an exported function returns when its body panicked.
pub(crate) trait PanicValue {
    fn panic_value() -> Self;
}

impl PanicValue for authy_result {
    fn panic_value() -> Self {
        authy_result::Panic
    }
}

impl<T> PanicValue for *const T {
    fn panic_value() -> Self {
        ptr::null()
    }
}

impl<T> PanicValue for *mut T {
    fn panic_value() -> Self {
        ptr::null_mut()
    }
}

impl PanicValue for bool {
    fn panic_value() -> Self {
        false
    }
}

impl PanicValue for () {
    fn panic_value() -> Self {}
}

macro_rules! zero_on_panic {
    ($($t:ty),*) => {$(
        impl PanicValue for $t {
            fn panic_value() -> Self {
                0
            }
        }
    )*};
}
zero_on_panic!(u16, u32, u64, i32, i64, usize);

/// Text of a panic payload, for the error message.
fn payload_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "unknown panic payload"
    }
}

/// Runs `f`, catching a panic. The only `catch_unwind` in libauthy.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let text = payload_text(&*payload).to_owned();
        // Dropping a payload can itself panic; never let that escape either.
        let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
        text
    })
}

/// Runs the body of an exported function that returns a plain value; a panic returns
/// `T::panic_value()` (NULL, false, 0 or `AUTHY_RESULT_PANIC`).
pub(crate) fn guard<T: PanicValue>(f: impl FnOnce() -> T) -> T {
    catch_panic(f).unwrap_or_else(|_| T::panic_value())
}

/// Runs the body of an exported fallible function: `Ok` gives `AUTHY_RESULT_OK`; `Err` (or a
/// panic, as `AUTHY_RESULT_PANIC`) stores the error into `*error` when `error` is not NULL and
/// returns its code.
///
/// A non-NULL `*error` on entry (an error object the caller still owns, typically reused from
/// an earlier call without freeing it) is refused before `f` runs: the function does nothing,
/// leaves `*error` as it is and returns `AUTHY_RESULT_ERROR_SLOT_IN_USE`. Overwriting it would
/// leak the caller's object, freeing it would free something the caller may still read.
pub(crate) fn guard_result(
    error: *mut *mut authy_error,
    f: impl FnOnce() -> Result<(), authy_error>,
) -> authy_result {
    guard_result_deny_first(error, || {}, f)
}

/// [`guard_result`] for a function with an output that must hold a safe value on every path
/// (the fail-open verdict): `deny` runs first, before the `*error` check, also inside the panic
/// boundary.
pub(crate) fn guard_result_deny_first(
    error: *mut *mut authy_error,
    deny: impl FnOnce(),
    f: impl FnOnce() -> Result<(), authy_error>,
) -> authy_result {
    if catch_panic(deny).is_err() {
        return authy_result::Panic;
    }
    // SAFETY: `error` is the caller's `authy_error **`, NULL or valid for reads and writes
    // (documented contract of every function taking it).
    if !error.is_null() && !unsafe { error.read() }.is_null() {
        return authy_result::ErrorSlotInUse;
    }
    let failure = match catch_panic(f) {
        Ok(Ok(())) => return authy_result::Ok,
        Ok(Err(failure)) => failure,
        Err(panic) => authy_error::new(
            authy_result::Panic,
            format!("internal error (panic) in libauthy: {panic}"),
        ),
    };
    let code = failure.code();
    // Storing allocates; if even that panics, the code alone is reported.
    let _ = catch_panic(move || {
        // SAFETY: `error` is the caller's `authy_error **`, NULL or valid for a write
        // (documented contract of every function taking it).
        unsafe { store_error(error, failure) }
    });
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::authy_error_free;

    fn quiet<T>(f: impl FnOnce() -> T) -> T {
        // The default hook would print the (expected) panics below; silence it for the test.
        // The hook is process-global: the lock keeps the two tests here from interleaving
        // their swaps (no other test touches it).
        static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _lock = HOOK.lock().unwrap_or_else(|p| p.into_inner());
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let out = f();
        std::panic::set_hook(hook);
        out
    }

    #[test]
    fn panics_become_panic_values() {
        quiet(|| {
            assert_eq!(
                guard(|| -> authy_result { panic!("boom") }),
                authy_result::Panic
            );
            assert!(guard(|| -> *const u8 { panic!("boom") }).is_null());
            assert!(guard(|| -> *mut u8 { panic!("boom") }).is_null());
            assert!(!guard(|| -> bool { panic!("boom") }));
            assert_eq!(guard(|| -> u64 { panic!("boom") }), 0);
            guard(|| -> () { panic!("boom") });
        });
        assert_eq!(guard(|| 7u32), 7);
    }

    #[test]
    fn guard_result_reports_errors_and_panics() {
        let mut err: *mut authy_error = ptr::null_mut();
        assert_eq!(guard_result(&mut err, || Ok(())), authy_result::Ok);
        assert!(err.is_null(), "untouched on success");

        let r = guard_result(&mut err, || Err(authy_error::invalid_argument("bad thing")));
        assert_eq!(r, authy_result::InvalidArgument);
        // SAFETY: set just above.
        unsafe {
            assert_eq!((*err).message_str(), "bad thing");
            authy_error_free(err);
        }

        let mut err: *mut authy_error = ptr::null_mut();
        let r = quiet(|| guard_result(&mut err, || panic!("internal {}", 42)));
        assert_eq!(r, authy_result::Panic);
        // SAFETY: set by guard_result.
        unsafe {
            assert_eq!((*err).code(), authy_result::Panic);
            assert!((*err).message_str().contains("internal 42"));
            authy_error_free(err);
        }
        // Without an error out-parameter only the code is reported.
        let r = quiet(|| guard_result(ptr::null_mut(), || panic!("boom")));
        assert_eq!(r, authy_result::Panic);
    }

    #[test]
    fn an_error_slot_in_use_is_refused_before_the_body_runs() {
        let mut held = super::super::ptr::into_handle(authy_error::invalid_argument("earlier"));
        let before = held;
        let mut ran = false;
        let r = guard_result(&mut held, || {
            ran = true;
            Err(authy_error::invalid_argument("later"))
        });
        assert_eq!(r, authy_result::ErrorSlotInUse);
        assert!(!ran, "nothing is done");
        assert_eq!(
            held, before,
            "the caller's error is neither replaced nor freed"
        );
        let mut denied = false;
        let r = guard_result_deny_first(&mut held, || denied = true, || Ok(()));
        assert_eq!(r, authy_result::ErrorSlotInUse);
        assert!(denied, "the deny step runs even then");
        // SAFETY: still the caller's live error.
        unsafe {
            assert_eq!((*held).message_str(), "earlier");
            authy_error_free(held);
        }
    }
}
