//! When a failed attempt may be made again, and how long to wait first.
//!
//! Two mechanisms, both bounded by the call's deadline:
//!
//! * **Stale connections** (always on). A keep-alive connection the server closed while it sat
//!   in the pool fails the next request on it before any byte of the answer arrives. Like Go's
//!   `net/http` and curl, the request is then sent again at once on another connection — when
//!   that is safe: a read may always be resent; a call with a side effect only if no write of
//!   it succeeded (so no complete request can have reached the server).
//! * **Retries** ([`RetryPolicy`], off by default): up to `max_attempts` attempts with capped
//!   exponential backoff and jitter, honouring `Retry-After`. A read is retried after a
//!   transport failure, a 5xx answer without an Authy error code (a proxy or load balancer
//!   page: a well-formed Authy 5xx such as 503/60060 is a decision, not a hiccup), or a 429
//!   with a `Retry-After` that fits the deadline. A call with a side effect (SMS, call, e-mail,
//!   token verification, user creation or deletion, OneTouch creation, phone verification,
//!   activity) is retried only when its request provably never reached the server (name
//!   lookup, connection or TLS handshake failed, or no write succeeded).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use crate::error::ErrorKind;
use crate::response::Response;

/// Resends on stale pooled connections allowed per call (each stale connection fails at once;
/// more than this many in a row means the server is not just closing idle connections).
pub(crate) const MAX_STALE_RESENDS: u32 = 3;

/// Most attempts a [`RetryPolicy`] may ask for.
pub const MAX_RETRY_ATTEMPTS: u32 = 10;

/// How failed calls are retried (see the module documentation of `authy::transport::retry`
/// in DESIGN.md, and `ClientBuilder::retries`). The default makes one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first (1 = no retry; at most [`MAX_RETRY_ATTEMPTS`]).
    pub max_attempts: u32,
    /// The wait before the first retry; each later wait doubles, up to `max_backoff`. A wait is
    /// drawn at random between half of it and all of it (jitter).
    pub initial_backoff: Duration,
    /// The longest wait between two attempts (a `Retry-After` longer than this is honoured
    /// only if it fits the deadline).
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// One attempt, no retry (the default).
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(2),
    };

    /// `max_attempts` attempts with the default backoff (100 ms doubling, at most 2 s).
    pub fn attempts(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            ..RetryPolicy::NONE
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), with jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let full = doubled.min(self.max_backoff);
        // Between half and all of it: enough spread to keep many clients apart.
        let half = full / 2;
        let spread = full.saturating_sub(half).as_nanos() as u64;
        let jitter = if spread == 0 {
            0
        } else {
            random_u64() % (spread + 1)
        };
        half + Duration::from_nanos(jitter)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::NONE
    }
}

/// A random number from the standard library's per-hasher random keys (no extra dependency;
/// the quality needed for jitter is modest), mixed with the process id and the clock.
///
/// The keys alone are not enough: std draws them once per thread and then counts, so every
/// child `fork()`ed from one parent thread would draw the same "random" waits as its siblings
/// (a thundering herd after a 503). The pid differs between the children, and the clock
/// between two calls of one process.
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.write_u128(now.as_nanos());
    h.write_u64(0x9e37_79b9_7f4a_7c15);
    h.finish()
}

/// Whether a failed attempt of a read may be retried (transient transport failures; not TLS,
/// which is a configuration or trust problem, nor an undecodable answer).
pub(crate) fn transient(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Connect
            | ErrorKind::Dns
            | ErrorKind::ConnectTimeout
            | ErrorKind::Timeout
            | ErrorKind::Io
            | ErrorKind::NoResponse
            | ErrorKind::Truncated
    )
}

/// For an answer to a read: `Some(wait)` when it is worth another attempt (see the module
/// documentation), `None` when it is the answer to return.
pub(crate) fn answer_wait(resp: &Response, policy: &RetryPolicy, retry: u32) -> Option<Duration> {
    let status = resp.status();
    match status {
        429 => resp.retry_after(),
        500 | 502 | 503 | 504 if resp.error_code().is_none() => {
            Some(resp.retry_after().unwrap_or_else(|| policy.backoff(retry)))
        }
        _ => None,
    }
}

/// Parses a `Retry-After` header value: delay-seconds only (an HTTP-date is ignored; the Authy
/// API sends seconds).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        for _ in 0..200 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b2 = p.backoff(2);
            assert!(b2 >= Duration::from_millis(100) && b2 <= Duration::from_millis(200));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(175) && b3 <= Duration::from_millis(350));
            assert!(p.backoff(40) <= Duration::from_millis(350));
        }
        let seen: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(2)).collect();
        assert!(seen.len() > 1, "jitter varies the waits");
        assert_eq!(
            RetryPolicy {
                initial_backoff: Duration::ZERO,
                ..p
            }
            .backoff(3),
            Duration::ZERO
        );
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        for bad in [
            "",
            "-1",
            "1.5",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "99999999999",
        ] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
    }

    #[test]
    fn which_answers_are_worth_another_attempt() {
        let p = RetryPolicy::attempts(3);
        let r = |status, body: &str, after: Option<u64>| {
            Response::from_parts(status, body)
                .unwrap()
                .with_retry_after(after.map(Duration::from_secs))
        };
        assert_eq!(
            answer_wait(&r(429, "{}", Some(1)), &p, 1),
            Some(Duration::from_secs(1))
        );
        assert_eq!(answer_wait(&r(429, "{}", None), &p, 1), None);
        assert!(answer_wait(&r(503, "<html>", None), &p, 1).is_some());
        assert_eq!(
            answer_wait(&r(503, r#"{"error_code":"60060"}"#, None), &p, 1),
            None,
            "an Authy 5xx is a decision"
        );
        assert_eq!(answer_wait(&r(404, "{}", None), &p, 1), None);
        assert_eq!(answer_wait(&r(200, "{}", None), &p, 1), None);
        assert!(transient(ErrorKind::NoResponse) && !transient(ErrorKind::Tls));
        assert!(!transient(ErrorKind::Decode));
    }
}
