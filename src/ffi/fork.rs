//! The fork generation (see `transport::process`): how many `fork()`s separate this process
//! from the one that loaded the library, kept by a `pthread_atfork` child handler. It lives
//! here because registering the handler is a call into the C library.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);
static ATFORK: Once = Once::new();

extern "C" fn forked_child() {
    // Runs in the child right after fork(): one atomic add, async-signal-safe.
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The calling process's fork generation; the first call registers the handler.
pub(crate) fn fork_generation() -> u64 {
    ATFORK.call_once(|| {
        // SAFETY: the handler only touches an atomic. glibc ties a handler registered by a
        // shared library to that library, and drops it if the library is unloaded.
        let rc = unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
        // Only ENOMEM is possible. Without the handler a child of fork() would take its
        // parent's connections for its own: not a state to go on in.
        assert_eq!(rc, 0, "pthread_atfork failed ({rc})");
    });
    GENERATION.load(Ordering::SeqCst)
}
