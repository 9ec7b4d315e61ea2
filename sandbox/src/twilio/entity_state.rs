//! What Verify keeps for TOTP and Push (verify-v2.md §2.4–§2.8, §4.2–§4.5): entities, their
//! factors and challenges, webhooks, access tokens, the device keys the sandbox holds for
//! factors it created on a test's behalf, and the log of webhook deliveries. A field of
//! `TwilioState` (`st.twilio.entities`), so reset, clock and service deletion cover it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::push::{DeviceKey, PublicKey};
use super::totp;

/// Wrong codes accepted on a TOTP factor before the next try is 429 60310.
pub const MAX_FACTOR_ATTEMPTS: u32 = 5;
/// Wrong codes accepted on a TOTP challenge before the next try is 429 60308.
pub const MAX_CHALLENGE_ATTEMPTS: u32 = 5;
/// Push factors per entity (the next is 400 60315).
pub const MAX_PUSH_FACTORS: usize = 20;
/// TOTP factors per entity (the next is 400 60315).
pub const MAX_TOTP_FACTORS: usize = 100;
/// Factor creations per entity per 24 hours (the next is 429 60326).
pub const MAX_FACTOR_CREATIONS_PER_DAY: usize = 100;
/// Default challenge lifetime, seconds.
pub const DEFAULT_CHALLENGE_TTL: i64 = 300;
/// Longest challenge lifetime, seconds.
pub const MAX_CHALLENGE_TTL: i64 = 3600;
/// Webhook deliveries kept for the control API (oldest dropped first).
pub const MAX_DELIVERY_RECORDS: usize = 1000;
/// Challenges stored before answered and expired ones are forgotten.
pub const MAX_CHALLENGES: usize = 10_000;

/// An entity (`YE…`), the owner of factors, named by the application's `identity`.
#[derive(Debug, Clone)]
pub struct Entity {
    /// `YE…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// As given at creation (lookups ignore ASCII case).
    pub identity: String,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Factor creation times (sandbox clock) inside the last 24 hours (60326).
    pub factor_creations: VecDeque<i64>,
}

/// TOTP part of a factor.
#[derive(Debug, Clone)]
pub struct TotpBinding {
    /// The shared key.
    pub key: Vec<u8>,
    /// The settings.
    pub config: totp::Config,
}

/// Push part of a factor.
#[derive(Debug, Clone)]
pub struct PushBinding {
    /// The device's public key.
    pub key: PublicKey,
    /// `config.sdk_version`.
    pub sdk_version: String,
    /// `config.app_id`.
    pub app_id: String,
    /// `apn`, `fcm` or `none`.
    pub notification_platform: String,
    /// `config.notification_token` (none for `none`).
    pub notification_token: Option<String>,
    /// `config.credential_sid` (the `kid` of the device's JWTs).
    pub credential_sid: String,
}

/// The kind-specific part of a factor.
#[derive(Debug, Clone)]
pub enum Binding {
    /// `totp`.
    Totp(TotpBinding),
    /// `push`.
    Push(PushBinding),
}

/// A factor (`YF…`).
#[derive(Debug, Clone)]
pub struct Factor {
    /// `YF…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// `YE…`.
    pub entity_sid: String,
    /// The entity's identity.
    pub identity: String,
    /// `friendly_name`.
    pub friendly_name: String,
    /// `verified` once proven.
    pub verified: bool,
    /// Key material and settings.
    pub binding: Binding,
    /// `metadata` (a JSON object) or none.
    pub metadata: Option<Value>,
    /// Wrong TOTP codes so far.
    pub wrong_attempts: u32,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl Factor {
    /// `totp` or `push`.
    pub fn factor_type(&self) -> &'static str {
        match self.binding {
            Binding::Totp(_) => "totp",
            Binding::Push(_) => "push",
        }
    }

    /// `verified` or `unverified`.
    pub fn status(&self) -> &'static str {
        if self.verified {
            "verified"
        } else {
            "unverified"
        }
    }
}

/// A challenge (`YC…`).
#[derive(Debug, Clone)]
pub struct Challenge {
    /// `YC…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// `YE…`.
    pub entity_sid: String,
    /// The entity's identity.
    pub identity: String,
    /// `YF…`.
    pub factor_sid: String,
    /// `totp` or `push`.
    pub factor_type: &'static str,
    /// `approved` or `denied` once answered (`pending`/`expired` are computed).
    pub answer: Option<&'static str>,
    /// `details` (an object) or null.
    pub details: Value,
    /// `hidden_details` (an object) or null.
    pub hidden_details: Value,
    /// `metadata` (an object) or null.
    pub metadata: Value,
    /// Wrong TOTP codes so far.
    pub wrong_attempts: u32,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// When it was answered.
    pub responded_at: Option<i64>,
    /// Expiry: from this second on a pending challenge is `expired`.
    pub expires_at: i64,
}

impl Challenge {
    /// `pending`, `approved`, `denied` or `expired` at `now`.
    pub fn status_at(&self, now: i64) -> &'static str {
        match self.answer {
            Some(a) => a,
            None if now >= self.expires_at => "expired",
            None => "pending",
        }
    }
}

/// A webhook (`YW…`).
#[derive(Debug, Clone)]
pub struct Webhook {
    /// `YW…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// `friendly_name`.
    pub friendly_name: String,
    /// `event_types` as given (`*` matches all).
    pub event_types: Vec<String>,
    /// `enabled` or `disabled`.
    pub status: String,
    /// `v1` or `v2`.
    pub version: String,
    /// Where events go.
    pub url: String,
    /// Creation order.
    pub seq: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl Webhook {
    /// Enabled and subscribed to `event`.
    pub fn wants(&self, event: &str) -> bool {
        self.status == "enabled" && self.event_types.iter().any(|e| e == "*" || e == event)
    }
}

/// An access token (`YK…`) for enrolling a push factor from a device.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// `YK…`.
    pub sid: String,
    /// `VA…`.
    pub service_sid: String,
    /// `entity_identity`.
    pub identity: String,
    /// `push`.
    pub factor_type: String,
    /// `factor_friendly_name`.
    pub factor_friendly_name: Option<String>,
    /// The opaque token.
    pub token: String,
    /// Lifetime, seconds.
    pub ttl: i64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
}

/// Webhook deliveries: the records of those made and how many are still under way. Shared
/// with the delivery tasks (they outlive the request that caused them).
#[derive(Debug, Default)]
pub struct DeliveryLog {
    /// The last [`MAX_DELIVERY_RECORDS`] attempts, oldest first.
    pub records: VecDeque<Value>,
    /// Deliveries not finished yet (a retry counts as the same delivery).
    pub in_flight: usize,
}

impl DeliveryLog {
    /// Keeps a record, dropping the oldest beyond [`MAX_DELIVERY_RECORDS`].
    pub fn record(&mut self, record: Value) {
        while self.records.len() >= MAX_DELIVERY_RECORDS {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }
}

/// Everything above, for every service.
#[derive(Debug)]
pub struct EntityState {
    /// Entities by (service SID, lower-cased identity).
    pub entities: HashMap<(String, String), Entity>,
    /// Factors by SID.
    pub factors: HashMap<String, Factor>,
    /// Challenges by SID.
    pub challenges: HashMap<String, Challenge>,
    /// Webhooks by SID.
    pub webhooks: HashMap<String, Webhook>,
    /// Access tokens by SID.
    pub access_tokens: HashMap<String, AccessToken>,
    /// Device keys the sandbox holds, by factor SID.
    pub device_keys: HashMap<String, DeviceKey>,
    /// Webhook deliveries.
    pub deliveries: Arc<Mutex<DeliveryLog>>,
    /// Per webhook, the queue of its delivery worker (events reach one URL in the order they
    /// happened; workers start on a webhook's first event and end with the queue).
    pub queues: HashMap<String, tokio::sync::mpsc::UnboundedSender<super::webhooks::Delivery>>,
    /// Also send factor/challenge events for TOTP factors (Twilio documents them for push
    /// only; off by default).
    pub totp_events: bool,
    /// `challenges` is swept when it reaches this size.
    challenge_sweep_at: usize,
}

impl Default for EntityState {
    fn default() -> Self {
        EntityState {
            entities: HashMap::new(),
            factors: HashMap::new(),
            challenges: HashMap::new(),
            webhooks: HashMap::new(),
            access_tokens: HashMap::new(),
            device_keys: HashMap::new(),
            deliveries: Arc::new(Mutex::new(DeliveryLog::default())),
            queues: HashMap::new(),
            totp_events: false,
            challenge_sweep_at: MAX_CHALLENGES,
        }
    }
}

/// The key of an entity.
pub fn entity_key(service_sid: &str, identity: &str) -> (String, String) {
    (service_sid.to_string(), identity.to_ascii_lowercase())
}

impl EntityState {
    /// The entity `identity` of a service.
    pub fn entity(&self, service_sid: &str, identity: &str) -> Option<&Entity> {
        self.entities.get(&entity_key(service_sid, identity))
    }

    /// A factor of that entity.
    pub fn factor_of(&self, entity_sid: &str, factor_sid: &str) -> Option<&Factor> {
        self.factors
            .get(factor_sid)
            .filter(|f| f.entity_sid == entity_sid)
    }

    /// A challenge of that entity.
    pub fn challenge_of(&self, entity_sid: &str, challenge_sid: &str) -> Option<&Challenge> {
        self.challenges
            .get(challenge_sid)
            .filter(|c| c.entity_sid == entity_sid)
    }

    /// Removes a factor, its challenges and its held key.
    pub fn remove_factor(&mut self, factor_sid: &str) -> Option<Factor> {
        let f = self.factors.remove(factor_sid)?;
        self.challenges.retain(|_, c| c.factor_sid != factor_sid);
        self.device_keys.remove(factor_sid);
        Some(f)
    }

    /// Removes an entity and everything under it; returns its factors.
    pub fn remove_entity(&mut self, service_sid: &str, identity: &str) -> Option<Vec<Factor>> {
        let e = self.entities.remove(&entity_key(service_sid, identity))?;
        let sids: Vec<String> = self
            .factors
            .values()
            .filter(|f| f.entity_sid == e.sid)
            .map(|f| f.sid.clone())
            .collect();
        let mut removed: Vec<Factor> = sids.iter().filter_map(|s| self.remove_factor(s)).collect();
        removed.sort_by_key(|f| f.seq);
        self.challenges.retain(|_, c| c.entity_sid != e.sid);
        Some(removed)
    }

    /// Removes everything of a service.
    pub fn remove_service(&mut self, service_sid: &str) {
        self.entities.retain(|(s, _), _| s != service_sid);
        let gone: Vec<String> = self
            .factors
            .values()
            .filter(|f| f.service_sid == service_sid)
            .map(|f| f.sid.clone())
            .collect();
        for sid in gone {
            self.remove_factor(&sid);
        }
        self.challenges.retain(|_, c| c.service_sid != service_sid);
        self.webhooks.retain(|_, w| w.service_sid != service_sid);
        let hooks = &self.webhooks;
        self.queues.retain(|sid, _| hooks.contains_key(sid));
        self.access_tokens
            .retain(|_, t| t.service_sid != service_sid);
    }

    /// Stores a challenge; once [`MAX_CHALLENGES`] or more are stored, answered and expired
    /// ones are forgotten first (pending ones are always kept). The threshold then doubles
    /// with what is left, so the sweep costs amortised O(1) per insert.
    pub fn insert_challenge(&mut self, c: Challenge, now: i64) {
        if self.challenges.len() >= self.challenge_sweep_at.max(MAX_CHALLENGES) {
            self.challenges.retain(|_, x| x.status_at(now) == "pending");
            self.challenge_sweep_at = (self.challenges.len() * 2).max(MAX_CHALLENGES);
        }
        self.challenges.insert(c.sid.clone(), c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(
        sid: &str,
        service: &str,
        expires_at: i64,
        answer: Option<&'static str>,
    ) -> Challenge {
        Challenge {
            sid: sid.into(),
            service_sid: service.into(),
            entity_sid: "YE1".into(),
            identity: "identity-1".into(),
            factor_sid: "YF1".into(),
            factor_type: "push",
            answer,
            details: Value::Null,
            hidden_details: Value::Null,
            metadata: Value::Null,
            wrong_attempts: 0,
            seq: 0,
            created_at: 0,
            updated_at: 0,
            responded_at: None,
            expires_at,
        }
    }

    #[test]
    fn expiry_starts_at_the_expiration_second() {
        let c = challenge("YC1", "VA1", 1000, None);
        assert_eq!(c.status_at(999), "pending");
        assert_eq!(c.status_at(1000), "expired");
        let c = challenge("YC1", "VA1", 1000, Some("denied"));
        assert_eq!(c.status_at(5000), "denied");
    }

    #[test]
    fn a_full_store_forgets_answered_and_expired_challenges_first() {
        let mut es = EntityState::default();
        let now = 10_000;
        for i in 0..MAX_CHALLENGES {
            let (expires, answer) = match i % 3 {
                0 => (now + 300, None),             // pending: kept
                1 => (now - 1, None),               // expired: forgotten
                _ => (now + 300, Some("approved")), // answered: forgotten
            };
            es.insert_challenge(challenge(&format!("YC{i}"), "VA1", expires, answer), now);
        }
        assert_eq!(
            es.challenges.len(),
            MAX_CHALLENGES,
            "below the limit nothing goes"
        );
        es.insert_challenge(challenge("YCother", "VA2", now + 300, None), now);
        let pending = MAX_CHALLENGES.div_ceil(3);
        assert_eq!(
            es.challenges.len(),
            pending + 1,
            "the pending ones and the new one"
        );
        assert!(
            es.challenges
                .values()
                .all(|c| c.status_at(now) == "pending")
        );
        es.remove_service("VA1");
        assert_eq!(es.challenges.len(), 1);
        assert!(es.challenges.contains_key("YCother"));
    }
}
