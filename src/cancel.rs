//! [`Cancel`]: a token that stops the calls made with it, from any thread.
//!
//! A call made through [`Client::with_cancel`](crate::Client::with_cancel) checks the token
//! before each attempt and before each wait between attempts, and while an attempt runs, its
//! connection is registered with the token: [`Cancel::cancel`] shuts that connection down
//! (`shutdown(2)`), which makes the read or write blocked on it return at once. The call then
//! fails with [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled), its
//! [`request_sent`](crate::Error::request_sent) telling whether the request may have reached
//! the server, and the connection is never used again.
//!
//! What a cancel cannot interrupt: a TCP connect in progress (bounded by the connect timeout;
//! the new connection is shut down as soon as it is made). A host name lookup is given up
//! within [`POLL`] of the cancel (the lookup itself finishes on its helper thread).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::ShutdownHandle;

/// How often a wait that cannot be woken directly (a name lookup) looks at the token.
pub(crate) const POLL: Duration = Duration::from_millis(5);

/// A cancellation token: cheap to clone (clones share the token), `Send + Sync`.
///
/// Once cancelled it stays cancelled: every call made with it afterwards fails at once with
/// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) and attempts nothing. One token may
/// serve any number of calls, on any threads, at once.
///
/// ```no_run
/// let client = authy::Client::builder("my-api-key").build()?;
/// let cancel = authy::Cancel::new();
/// let stopper = cancel.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(300));
///     stopper.cancel();
/// });
/// let outcome = client.with_cancel(&cancel).app_details();
/// # let _ = outcome;
/// # Ok::<(), authy::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Cancel {
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    cancelled: AtomicBool,
    inner: Mutex<Inner>,
    /// Woken by `cancel` (waits between attempts).
    wake: Condvar,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    /// The connections of the attempts running with this token.
    active: Vec<(u64, Connection)>,
}

/// A connection as the token sees it: a way to shut its socket down, and the flag that tells
/// its owner it was shut down by a cancel (so it never goes back to the pool).
#[derive(Clone)]
pub(crate) struct Connection {
    pub(crate) socket: Weak<dyn ShutdownHandle>,
    pub(crate) shut: Arc<AtomicBool>,
}

impl Connection {
    fn shut_down(&self) {
        self.shut.store(true, Ordering::SeqCst);
        if let Some(socket) = self.socket.upgrade() {
            socket.shutdown();
        }
    }
}

impl Cancel {
    /// A new token, not cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Cancels: the calls running with this token stop (their connections are shut down),
    /// later ones fail before any I/O. Idempotent; callable from any thread. Does not block
    /// on network I/O.
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::SeqCst);
        let active = std::mem::take(&mut self.lock().active);
        for (_, conn) in active {
            conn.shut_down();
        }
        self.state.wake.notify_all();
    }

    /// Whether [`cancel`](Cancel::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.state.cancelled.load(Ordering::SeqCst)
    }

    /// Registers the connection of a running attempt; `None` (and the connection shut down at
    /// once) when the token is already cancelled.
    pub(crate) fn attach(&self, conn: &Connection) -> Option<u64> {
        let mut inner = self.lock();
        // Checked under the lock: `cancel` sets the flag before taking it, so either it sees
        // this connection in the list or this sees the flag.
        if self.is_cancelled() {
            drop(inner);
            conn.shut_down();
            return None;
        }
        inner.next_id += 1;
        let id = inner.next_id;
        inner.active.push((id, conn.clone()));
        Some(id)
    }

    /// Forgets the connections registered by an attempt that has ended; `true` when a cancel
    /// had already shut one of them down.
    pub(crate) fn detach(&self, ids: &[u64]) -> bool {
        if ids.is_empty() {
            return false;
        }
        let mut inner = self.lock();
        let before = inner.active.len();
        inner.active.retain(|(id, _)| !ids.contains(id));
        before - inner.active.len() < ids.len()
    }

    /// Sleeps for `wait` unless cancelled first; `true` when the whole wait passed.
    pub(crate) fn sleep(&self, wait: Duration) -> bool {
        let until = Instant::now() + wait;
        let mut inner = self.lock();
        loop {
            if self.is_cancelled() {
                return false;
            }
            let now = Instant::now();
            if now >= until {
                return true;
            }
            inner = self
                .state
                .wake
                .wait_timeout(inner, until - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing in the critical sections can panic halfway through an update.
        self.state
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Cancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancel")
            .field("cancelled", &self.is_cancelled())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flag(AtomicBool);
    impl ShutdownHandle for Flag {
        fn shutdown(&self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    fn conn() -> (Arc<Flag>, Connection) {
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let socket: Weak<dyn ShutdownHandle> = Arc::downgrade(&flag) as Weak<dyn ShutdownHandle>;
        let c = Connection {
            socket,
            shut: Arc::new(AtomicBool::new(false)),
        };
        (flag, c)
    }

    #[test]
    fn cancel_shuts_down_the_attached_connections_only() {
        let token = Cancel::new();
        let (a, ca) = conn();
        let (b, cb) = conn();
        let ia = token.attach(&ca).unwrap();
        let ib = token.attach(&cb).unwrap();
        assert!(!token.detach(&[ia]));
        assert!(!token.is_cancelled());
        token.clone().cancel();
        assert!(token.is_cancelled());
        assert!(!a.0.load(Ordering::SeqCst) && !ca.shut.load(Ordering::SeqCst));
        assert!(b.0.load(Ordering::SeqCst) && cb.shut.load(Ordering::SeqCst));
        // After the cancel a new connection is shut down at once.
        let (c, cc) = conn();
        assert_eq!(token.attach(&cc), None);
        assert!(c.0.load(Ordering::SeqCst));
        token.cancel(); // idempotent
        assert!(token.detach(&[ib]), "the cancel took it");
    }

    #[test]
    fn sleep_is_cut_short_by_a_cancel() {
        let token = Cancel::new();
        assert!(token.sleep(Duration::from_millis(5)));
        let other = token.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            other.cancel();
        });
        let start = Instant::now();
        assert!(!token.sleep(Duration::from_secs(10)));
        assert!(start.elapsed() < Duration::from_secs(5));
        t.join().unwrap();
        assert!(!token.sleep(Duration::from_secs(10)), "stays cancelled");
    }
}
