//! State that belongs to one process: connections, TLS sessions and the name cache are never
//! used by a process other than the one that created them.
//!
//! A child of `fork()` inherits a copy of its parent's memory, including the client's pool of
//! keep-alive connections, whose sockets it shares with the parent. If both used them, a
//! request written by one process could be answered to the other (a wrong token reported as
//! valid, another user's data). So the agent (pool, TLS configuration and session cache, name
//! cache) is kept in a [`PerProcess`] cell: a process that finds a value made by another
//! process builds its own on first use and never touches the inherited one — not even its
//! locks, which a thread of the parent may have held at the instant of the fork.
//!
//! The cell is lock-free (`arc_swap`): a `fork()` at any instant cannot leave it locked in
//! the child.
//!
//! A process is told from another by a fork generation rather than by its pid: a
//! `pthread_atfork` child handler (registered when the first cell is made, in `ffi::fork`) bumps a counter in
//! every child of `fork()`, so a cell compares two integers per call where asking the pid is a
//! system call. A value made before a fork carries a smaller generation than the child's, in
//! the child and in any of its own children. A child made without running the `fork()`
//! handlers (a raw `clone`, `vfork`) may only call `exec` or `_exit`, as POSIX requires of
//! `vfork`; it never reaches this cell.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::ffi::fork::fork_generation as generation;

/// A value made by, and for, one process.
struct Owned<T> {
    generation: u64,
    value: T,
}

/// Holds the value of the current process; see the module documentation.
pub(crate) struct PerProcess<T> {
    current: ArcSwap<Owned<T>>,
}

/// The value of the calling process, kept alive for as long as the caller holds it.
pub(crate) struct Current<T>(Arc<Owned<T>>);

impl<T> std::ops::Deref for Current<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T> PerProcess<T> {
    /// A cell holding `value`, made by the calling process.
    pub(crate) fn new(value: T) -> Self {
        PerProcess {
            current: ArcSwap::from_pointee(Owned {
                generation: generation(),
                value,
            }),
        }
    }

    /// The calling process's value; in a process that has none yet (a child of `fork()`),
    /// `make` builds it and it replaces the inherited one, which is left untouched and
    /// released when no thread of this process holds it any more.
    pub(crate) fn get(&self, make: impl FnOnce() -> T) -> Current<T> {
        let me = generation();
        let seen = self.current.load_full();
        if seen.generation == me {
            return Current(seen);
        }
        let fresh = Arc::new(Owned {
            generation: me,
            value: make(),
        });
        let previous = self.current.compare_and_swap(&seen, Arc::clone(&fresh));
        if Arc::ptr_eq(&previous, &seen) || previous.generation != me {
            // Ours is in the cell, or (a later fork raced us) at least ours is this process's.
            Current(fresh)
        } else {
            // Another thread of this process installed its value first: share it.
            Current(arc_swap::Guard::into_inner(previous))
        }
    }

    /// The fork generation of the process that made the value currently held (for tests).
    #[cfg(test)]
    fn owner(&self) -> u64 {
        self.current.load().generation
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn the_process_that_made_the_value_uses_it() {
        let cell = PerProcess::new(7);
        let built = AtomicUsize::new(0);
        for _ in 0..3 {
            let v = cell.get(|| {
                built.fetch_add(1, Ordering::SeqCst);
                8
            });
            assert_eq!(*v, 7);
        }
        assert_eq!(built.load(Ordering::SeqCst), 0);
        assert_eq!(cell.owner(), generation());
    }

    #[test]
    fn a_value_of_another_process_is_replaced_once_and_never_used() {
        // What a child of fork() sees: a value made in an earlier generation.
        let cell = PerProcess {
            current: ArcSwap::from_pointee(Owned {
                generation: generation().wrapping_sub(1),
                value: "parent's",
            }),
        };
        let built = AtomicUsize::new(0);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cell, built) = (&cell, &built);
                move || {
                    *cell.get(|| {
                        built.fetch_add(1, Ordering::SeqCst);
                        "child's"
                    })
                }
            })
            .collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = threads.into_iter().map(|t| s.spawn(t)).collect();
            for h in handles {
                assert_eq!(h.join().unwrap(), "child's");
            }
        });
        let after = built.load(Ordering::SeqCst);
        assert!((1..=8).contains(&after), "{after}");
        assert_eq!(cell.owner(), generation());
        // Settled: no further builds.
        assert_eq!(*cell.get(|| unreachable!()), "child's");
    }
}
