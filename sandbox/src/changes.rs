//! "Something changed" signal for live views: a generation number bumped after every request
//! that may have changed the state, and a bounded wait for the next bump
//! (`GET /sandbox/changes?since=N&wait=S`, used by the browser UI instead of tight polling).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// Longest wait `GET /sandbox/changes` accepts, in seconds (below the 30 s read timeout of
/// clients and proxies).
pub const MAX_WAIT_SECS: u64 = 25;

/// The generation counter and its waiters.
#[derive(Debug, Default)]
pub struct Changes {
    generation: AtomicU64,
    notify: Notify,
}

impl Changes {
    /// The current generation.
    pub fn current(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Records a change and wakes every waiter.
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Waits until the generation differs from `since` or `wait` has passed; returns the
    /// generation then.
    pub async fn wait_past(&self, since: u64, wait: Duration) -> u64 {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Register before checking, so a bump between the check and the wait is not lost.
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let now = self.current();
            if now != since {
                return now;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.current();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn wait_returns_at_once_when_behind_and_on_bump_or_timeout_otherwise() {
        let c = std::sync::Arc::new(Changes::default());
        c.bump();
        assert_eq!(c.wait_past(0, Duration::from_secs(5)).await, 1);
        let t0 = std::time::Instant::now();
        assert_eq!(c.wait_past(1, Duration::from_millis(50)).await, 1);
        assert!(t0.elapsed() >= Duration::from_millis(50));
        let c2 = c.clone();
        let bumper = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            c2.bump();
        });
        assert_eq!(c.wait_past(1, Duration::from_secs(5)).await, 2);
        bumper.await.unwrap();
    }
}
