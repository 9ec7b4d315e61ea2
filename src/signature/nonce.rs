//! The replay window: the nonce as a Unix timestamp, compared with the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::SignatureError;

/// Parses a nonce as a Unix timestamp: decimal digits with an optional fraction
/// (`1512923419`, `1427849783.886085`). Returns whole seconds.
pub(super) fn parse_nonce_seconds(nonce: &str) -> Option<u64> {
    let (whole, frac) = match nonce.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (nonce, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    whole.parse().ok()
}

pub(super) fn check_nonce_age(
    nonce: &str,
    max_age: Duration,
    now: Option<SystemTime>,
) -> Result<(), SignatureError> {
    let nonce_secs = parse_nonce_seconds(nonce).ok_or(SignatureError::InvalidNonce)?;
    let now = now.unwrap_or_else(SystemTime::now);
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let age = i128::from(now_secs) - i128::from(nonce_secs);
    if age.unsigned_abs() > u128::from(max_age.as_secs()) {
        let age_seconds = age.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        return Err(SignatureError::NonceOutOfWindow { age_seconds });
    }
    Ok(())
}
