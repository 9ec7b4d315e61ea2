//! Verify v2 state, a field of the sandbox's `State` (so `POST /sandbox/reset`, the clock,
//! faults and request counters cover it). Records keep sandbox-clock Unix times; their JSON
//! shapes live in the resource modules.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

use crate::state::{SWEEP_THRESHOLD, VERIFICATION_RETENTION};

/// Lifetime of a verification, in seconds (verify-v2.md §4.1).
pub const VERIFICATION_TTL: i64 = 600;
/// Sends allowed per verification; the next one is 429 60203.
pub const MAX_SENDS: usize = 5;
/// Wrong checks allowed per verification; the next check is 429 60202.
pub const MAX_CHECKS: u32 = 5;
/// Verification attempts kept for `GET /v2/Attempts` (oldest dropped first).
pub const MAX_ATTEMPT_RECORDS: usize = 10_000;

/// A Verify service.
#[derive(Debug, Clone)]
pub struct Service {
    /// `VA…`.
    pub sid: String,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last update.
    pub updated_at: i64,
    /// The settings as answered (`friendly_name`, `code_length`, `push`, `totp`, …): every
    /// field of the answer except `sid`, `account_sid`, the dates, `url` and `links`.
    pub settings: Map<String, Value>,
}

impl Service {
    /// A boolean setting (`false` when unset).
    pub fn flag(&self, name: &str) -> bool {
        self.settings.get(name).and_then(Value::as_bool) == Some(true)
    }

    /// A setting inside a group (`totp.time_step`), `None` when null.
    #[allow(dead_code)] // for the TOTP factor defaults (verify-push branch)
    pub fn nested(&self, group: &str, name: &str) -> Option<&Value> {
        self.settings.get(group)?.get(name).filter(|v| !v.is_null())
    }

    /// `code_length` (6 unless set).
    pub fn code_length(&self) -> usize {
        self.settings
            .get("code_length")
            .and_then(Value::as_u64)
            .unwrap_or(6) as usize
    }

    /// `friendly_name`.
    #[allow(dead_code)] // for the TOTP issuer (verify-push branch)
    pub fn friendly_name(&self) -> &str {
        self.settings
            .get("friendly_name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// One send of a verification's code.
#[derive(Debug, Clone)]
pub struct SendAttempt {
    /// Sandbox-clock time.
    pub time: i64,
    /// `sms`, `call`, `email`, `whatsapp` or `sna`.
    pub channel: String,
    /// `VL…`.
    pub attempt_sid: String,
}

/// A verification (`VE…`).
#[derive(Debug, Clone)]
pub struct Verification {
    /// `VE…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// Destination as given (E.164 or e-mail).
    pub to: String,
    /// The channel of the last send.
    pub channel: String,
    /// `pending`, `approved`, `canceled`, `max_attempts_reached` (expiry is computed).
    pub status: &'static str,
    /// The code (`None` for `sna`).
    pub code: Option<String>,
    /// Start of the 10-minute window.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// Every send.
    pub sends: Vec<SendAttempt>,
    /// Wrong codes checked so far.
    pub wrong_checks: u32,
    /// PSD2 `Amount` (kept only on PSD2 services).
    pub amount: Option<String>,
    /// PSD2 `Payee`.
    pub payee: Option<String>,
    /// The `lookup` object.
    pub lookup: Value,
    /// SNA: the device opened `sna.url`.
    pub sna_verified: bool,
    /// `Locale` as given.
    pub locale: Option<String>,
    /// Creation order.
    pub seq: u64,
}

impl Verification {
    /// Pending and inside its window.
    pub fn active(&self, now: i64) -> bool {
        self.status == "pending" && !self.expired(now)
    }

    /// The 10-minute window has passed (`now >= created_at + 600`).
    pub fn expired(&self, now: i64) -> bool {
        now >= self.created_at.saturating_add(VERIFICATION_TTL)
    }

    /// The status at `now` (a pending verification past its window is `expired`).
    pub fn status_at(&self, now: i64) -> &'static str {
        if self.status == "pending" && self.expired(now) {
            "expired"
        } else {
            self.status
        }
    }

    /// When it stopped being active (approval, cancel, last check, or expiry).
    fn ended_at(&self, now: i64) -> Option<i64> {
        if self.active(now) {
            None
        } else if self.status == "pending" {
            Some(self.created_at.saturating_add(VERIFICATION_TTL))
        } else {
            Some(self.updated_at)
        }
    }
}

/// A rate limit (`RK…`).
#[derive(Debug, Clone)]
pub struct RateLimit {
    /// `RK…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// The key used in a verification's `RateLimits`.
    pub unique_name: String,
    /// Free text.
    pub description: Option<String>,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last update.
    pub updated_at: i64,
}

/// A bucket of a rate limit (`BL…`).
#[derive(Debug, Clone)]
pub struct Bucket {
    /// `BL…`.
    pub sid: String,
    /// `RK…`.
    pub rate_limit_sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// Requests allowed per window.
    pub max: i64,
    /// Window, in seconds.
    pub interval: i64,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last update.
    pub updated_at: i64,
    /// Accepted request times per rate-limit value (sliding window).
    pub hits: HashMap<String, VecDeque<i64>>,
}

/// A verification attempt (`VL…`): one send.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// `VL…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// `VE…`.
    pub verification_sid: String,
    /// `sms`, `call`, …
    pub channel: String,
    /// Destination.
    pub to: String,
    /// Locale of the verification, if given.
    pub locale: Option<String>,
    /// Code length sent.
    pub code_length: usize,
    /// Sandbox-clock time.
    pub created_at: i64,
    /// The verification was approved.
    pub converted: bool,
    /// Last change (conversion).
    pub updated_at: i64,
}

/// Everything Verify v2 keeps.
#[derive(Debug)]
pub struct TwilioState {
    /// Services by SID.
    pub services: HashMap<String, Service>,
    /// Verifications by SID (soft-deleted ones stay until swept, for the control API).
    pub verifications: HashMap<String, Verification>,
    /// `(service, to)` → SID of the latest verification to that destination.
    pub latest: HashMap<(String, String), String>,
    /// The last [`MAX_ATTEMPT_RECORDS`] attempts, oldest first.
    pub attempts: VecDeque<Attempt>,
    /// Rate limits by SID.
    pub rate_limits: HashMap<String, RateLimit>,
    /// Buckets by SID.
    pub buckets: HashMap<String, Bucket>,
    /// Entities, factors, challenges, webhooks, access tokens (TOTP and Push).
    pub entities: super::entity_state::EntityState,
    /// Creation counter (list order).
    seq: u64,
    /// `verifications` is swept when it reaches this size.
    sweep_at: usize,
}

impl Default for TwilioState {
    fn default() -> Self {
        TwilioState {
            services: HashMap::new(),
            verifications: HashMap::new(),
            latest: HashMap::new(),
            attempts: VecDeque::new(),
            rate_limits: HashMap::new(),
            buckets: HashMap::new(),
            entities: Default::default(),
            seq: 0,
            sweep_at: SWEEP_THRESHOLD,
        }
    }
}

impl TwilioState {
    /// The next creation number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The active verification to `to` in `service`, if any.
    pub fn active_for(&self, service: &str, to: &str, now: i64) -> Option<&Verification> {
        let sid = self.latest.get(&(service.to_string(), to.to_string()))?;
        self.verifications.get(sid).filter(|v| v.active(now))
    }

    /// Stores a new verification, first forgetting those inactive for over
    /// `VERIFICATION_RETENTION` once the map has grown large.
    pub fn insert_verification(&mut self, v: Verification, now: i64) {
        if self.verifications.len() >= self.sweep_at {
            self.verifications.retain(|_, v| {
                v.ended_at(now)
                    .is_none_or(|t| now < t.saturating_add(VERIFICATION_RETENTION))
            });
            let live = &self.verifications;
            self.latest.retain(|_, sid| live.contains_key(sid));
            self.sweep_at = (self.verifications.len() * 2).max(SWEEP_THRESHOLD);
        }
        self.latest
            .insert((v.service_sid.clone(), v.to.clone()), v.sid.clone());
        self.verifications.insert(v.sid.clone(), v);
    }

    /// Records an attempt, dropping the oldest beyond [`MAX_ATTEMPT_RECORDS`].
    pub fn record_attempt(&mut self, a: Attempt) {
        while self.attempts.len() >= MAX_ATTEMPT_RECORDS {
            self.attempts.pop_front();
        }
        self.attempts.push_back(a);
    }

    /// Removes a service and everything under it.
    pub fn remove_service(&mut self, sid: &str) -> bool {
        if self.services.remove(sid).is_none() {
            return false;
        }
        self.verifications.retain(|_, v| v.service_sid != sid);
        self.latest.retain(|(s, _), _| s != sid);
        self.rate_limits.retain(|_, r| r.service_sid != sid);
        self.buckets.retain(|_, b| b.service_sid != sid);
        self.entities.remove_service(sid);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(sid: &str, created_at: i64, status: &'static str) -> Verification {
        Verification {
            sid: sid.into(),
            service_sid: "VA1".into(),
            to: sid.into(),
            channel: "sms".into(),
            status,
            code: Some("123456".into()),
            created_at,
            updated_at: created_at,
            sends: Vec::new(),
            wrong_checks: 0,
            amount: None,
            payee: None,
            lookup: Value::Object(Map::new()),
            sna_verified: false,
            locale: None,
            seq: 0,
        }
    }

    #[test]
    fn expiry_is_at_the_600th_second() {
        let v = verification("VE1", 1000, "pending");
        assert!(v.active(1599));
        assert_eq!(v.status_at(1599), "pending");
        assert!(!v.active(1600));
        assert_eq!(v.status_at(1600), "expired");
    }

    #[test]
    fn old_inactive_verifications_are_swept_once_the_map_is_large() {
        let mut st = TwilioState::default();
        let now = 10_000_000;
        let old = now - VERIFICATION_TTL - VERIFICATION_RETENTION - 1;
        for i in 0..SWEEP_THRESHOLD - 1 {
            st.insert_verification(verification(&format!("VEold{i}"), old, "pending"), now);
        }
        st.insert_verification(verification("VElive", now, "pending"), now);
        st.insert_verification(verification("VEnew", now, "pending"), now);
        let mut left: Vec<&String> = st.verifications.keys().collect();
        left.sort();
        assert_eq!(left, ["VElive", "VEnew"]);
        assert_eq!(st.latest.len(), 2);
    }
}
