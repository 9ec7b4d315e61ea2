//! The emulator's mutable state. One `Mutex<State>` per sandbox, held only for short,
//! synchronous sections (never across `.await` or I/O).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::clock;
use crate::config::{CallbackMethod, SandboxConfig};
use crate::faults::FaultSpec;
use crate::inbox::{MAX_INBOX_MESSAGES, Message};
use crate::log::RequestLog;

/// Lifetime of SMS/call/email codes and of phone verifications, in seconds.
pub const CODE_TTL: i64 = 600;
/// App-token time step, in seconds.
pub const APP_TOKEN_STEP: i64 = 30;
/// How long a deleted user's codes keep verifying (deletion is deferred, §3.2).
pub const DELETION_GRACE: i64 = 86_400;
/// Default OneTouch lifetime.
pub const DEFAULT_APPROVAL_TTL: i64 = 86_400;

// Memory limits of a long-running sandbox (documented in README.md, "Limits"). Sweeps run
// opportunistically on insert, by the sandbox clock, and only once a map has grown past a
// threshold that doubles with its live size, so their cost stays amortised O(1) per insert and
// nothing changes for the small states of ordinary tests.

/// `GET /sandbox/callbacks` keeps the most recent this many deliveries (oldest dropped first).
pub const MAX_CALLBACK_RECORDS: usize = 1000;
/// A phone verification whose window ended this long ago (sandbox clock) may be forgotten;
/// until then its status still reads `expired`/`verified`.
pub const VERIFICATION_RETENTION: i64 = 86_400;
/// A decided or expired approval request processed this long ago may be forgotten.
pub const APPROVAL_RETENTION: i64 = 86_400;
/// Phone verifications and deleted users are swept once their map holds this many entries.
pub const SWEEP_THRESHOLD: usize = 1024;
/// Approval requests are swept once there are this many.
pub const APPROVAL_SWEEP_THRESHOLD: usize = 10_000;

/// A code delivered to a user's phone or mailbox.
#[derive(Debug, Clone)]
pub struct DeliveredCode {
    /// 7 digits.
    pub code: String,
    /// `sms`, `call` or `email`.
    pub via: &'static str,
    /// The `action` it was requested with (it verifies only with the same action).
    pub action: Option<String>,
    /// Sandbox-clock Unix time it was sent.
    pub sent_at: i64,
}

/// An Authy app installation registered through the control API.
#[derive(Debug, Clone)]
pub struct AppDevice {
    /// Device id (also the callback `device_uuid`).
    pub id: u64,
    /// `android`, `iphone`, `authy_chrome`, ….
    pub os_type: String,
    /// Sandbox-clock Unix time of registration.
    pub registered_at: i64,
}

/// One Authy user.
#[derive(Debug, Clone)]
pub struct User {
    /// Authy id.
    pub id: u64,
    /// E-mail address.
    pub email: String,
    /// Calling code, digits only.
    pub country_code: String,
    /// Cellphone, digits only.
    pub cellphone: String,
    /// Has used a valid code at least once.
    pub confirmed: bool,
    /// Registered app devices (SMS/call are `ignored` unless `force` while non-empty).
    pub devices: Vec<AppDevice>,
    /// The last code delivered by SMS/call/email.
    pub last_code: Option<DeliveredCode>,
    /// Seed of the app token generator.
    pub secret: [u8; 20],
    /// Id of the implicit `authy` (SMS) device shown in `detailed_devices`.
    pub sms_device_id: u64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
}

impl User {
    /// `+{cc}-XXX-XXX-XX{last2}` (SMS/call answers).
    pub fn masked_cellphone(&self) -> String {
        format!(
            "+{}-XXX-XXX-XX{}",
            self.country_code,
            last_n(&self.cellphone, 2)
        )
    }

    /// `XXX-XXX-{last4}` (status answer).
    pub fn masked_status_phone(&self) -> String {
        format!("XXX-XXX-{}", last_n(&self.cellphone, 4))
    }

    /// The app token for a given time step.
    pub fn app_token_at(&self, step: i64) -> String {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).expect("any key length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = (digest[digest.len() - 1] & 0x0f) as usize;
        let bin = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!("{:07}", bin % 10_000_000)
    }
}

fn last_n(s: &str, n: usize) -> &str {
    &s[s.len().saturating_sub(n)..]
}

/// One phone verification (Verify v1).
#[derive(Debug, Clone)]
pub struct PhoneVerification {
    /// Verification uuid.
    pub uuid: String,
    /// The code (4–10 digits).
    pub code: String,
    /// `sms` or `call`.
    pub via: &'static str,
    /// Start of the 10-minute window.
    pub created_at: i64,
    /// Checked successfully.
    pub verified: bool,
}

impl PhoneVerification {
    /// Seconds left in the window (599 right after the start), 0 once expired.
    pub fn seconds_to_expire(&self, now: i64) -> i64 {
        (self.created_at + CODE_TTL - 1 - now).max(0)
    }

    /// The window has passed.
    pub fn expired(&self, now: i64) -> bool {
        now >= self.created_at + CODE_TTL
    }
}

/// A OneTouch approval request.
#[derive(Debug, Clone)]
pub struct Approval {
    /// Request uuid.
    pub uuid: String,
    /// 24-hex `_id`.
    pub object_id: String,
    /// Authy id of the user.
    pub authy_id: u64,
    /// Push message.
    pub message: String,
    /// `details` (shown), `null` in callbacks when empty.
    pub details: Map<String, Value>,
    /// `hidden_details`, `null` in callbacks when empty.
    pub hidden_details: Map<String, Value>,
    /// `None` or `[{res,url}]`.
    pub logos: Option<Vec<Value>>,
    /// Lifetime (0 = never expires).
    pub seconds_to_expire: i64,
    /// Sandbox-clock creation time.
    pub created_at: i64,
    /// `pending`, `approved` or `denied` (expiry is computed).
    pub decided: Option<(&'static str, i64)>,
}

impl Approval {
    /// Status and processed time at `now`.
    pub fn status_at(&self, now: i64) -> (&'static str, Option<i64>) {
        if let Some((status, at)) = self.decided {
            return (status, Some(at));
        }
        let expires = self.expiration_timestamp();
        if self.seconds_to_expire > 0 && now >= expires {
            return ("expired", Some(expires));
        }
        ("pending", None)
    }

    /// `created_at + seconds_to_expire`.
    pub fn expiration_timestamp(&self) -> i64 {
        self.created_at.saturating_add(self.seconds_to_expire)
    }
}

/// Counters of one calendar month (app stats).
#[derive(Debug, Clone, Copy, Default)]
pub struct MonthStats {
    /// Users created.
    pub users: u64,
    /// SMS sent.
    pub sms: u64,
    /// Calls started.
    pub calls: u64,
    /// Successful token verifications.
    pub auths: u64,
    /// Authenticated API requests.
    pub api_calls: u64,
}

/// Everything that changes at run time.
#[derive(Debug)]
pub struct State {
    /// Seconds added to the wall clock.
    pub clock_offset: i64,
    /// Current callback target.
    pub callback_url: Option<String>,
    /// Current callback method.
    pub callback_method: CallbackMethod,
    /// The application's plan includes SMS (`sms/{id}`, phone verification by SMS).
    pub sms_enabled: bool,
    /// The application's plan includes voice calls (`call/{id}`, phone verification by call).
    pub phone_calls_enabled: bool,
    /// Users by Authy id.
    pub users: HashMap<u64, User>,
    /// Deleted users with their deletion time: only token verification still sees them, for
    /// `DELETION_GRACE` seconds.
    pub deleted_users: HashMap<u64, (User, i64)>,
    /// (country code, cellphone digits) → Authy id.
    pub user_by_phone: HashMap<(String, String), u64>,
    /// Next Authy id.
    pub next_user_id: u64,
    /// Next device id.
    pub next_device_id: u64,
    /// Phone verifications by (country code, phone digits).
    pub verifications: HashMap<(String, String), PhoneVerification>,
    /// Approval requests by uuid.
    pub approvals: HashMap<String, Approval>,
    /// The last [`MAX_CALLBACK_RECORDS`] callbacks sent, oldest first (JSON records of the
    /// control API). Add with [`State::record_callback`].
    pub callbacks: VecDeque<Value>,
    /// Non-control requests per route template.
    pub requests: BTreeMap<&'static str, u64>,
    /// Sum of `requests`.
    pub total_requests: u64,
    /// Armed faults, in arming order.
    pub faults: Vec<FaultSpec>,
    /// Stats per (year, month).
    pub stats: BTreeMap<(i64, u32), MonthStats>,
    /// The last [`MAX_INBOX_MESSAGES`] codes delivered, oldest first. Add with
    /// [`State::deliver`].
    pub inbox: VecDeque<Message>,
    /// Id of the next inbox message.
    next_message_id: u64,
    /// Verify v2 / Lookup v2 state (reset, clock, faults and counters cover it like the rest).
    pub twilio: crate::twilio::state::TwilioState,
    /// `verifications` is swept when it reaches this size.
    verification_sweep_at: usize,
    /// `deleted_users` is swept when it reaches this size.
    deleted_sweep_at: usize,
    /// `approvals` is swept when it reaches this size.
    approval_sweep_at: usize,
}

impl State {
    /// Fresh state for a configuration.
    pub fn new(config: &SandboxConfig) -> State {
        State {
            clock_offset: 0,
            callback_url: config.callback_url.clone(),
            callback_method: config.callback_method,
            sms_enabled: config.sms_enabled,
            phone_calls_enabled: config.phone_calls_enabled,
            users: HashMap::new(),
            deleted_users: HashMap::new(),
            user_by_phone: HashMap::new(),
            next_user_id: 1,
            next_device_id: 1_000_001,
            verifications: HashMap::new(),
            approvals: HashMap::new(),
            callbacks: VecDeque::new(),
            requests: BTreeMap::new(),
            total_requests: 0,
            faults: Vec::new(),
            stats: BTreeMap::new(),
            inbox: VecDeque::new(),
            next_message_id: 1,
            twilio: crate::twilio::state::TwilioState::default(),
            verification_sweep_at: SWEEP_THRESHOLD,
            deleted_sweep_at: SWEEP_THRESHOLD,
            approval_sweep_at: APPROVAL_SWEEP_THRESHOLD,
        }
    }

    /// Keeps a callback record, dropping the oldest beyond [`MAX_CALLBACK_RECORDS`].
    pub fn record_callback(&mut self, record: Value) {
        while self.callbacks.len() >= MAX_CALLBACK_RECORDS {
            self.callbacks.pop_front();
        }
        self.callbacks.push_back(record);
    }

    /// Puts a delivered message in the inbox (its `id` is assigned here), dropping the oldest
    /// beyond [`MAX_INBOX_MESSAGES`].
    pub fn deliver(&mut self, mut message: Message) {
        message.id = self.next_message_id;
        self.next_message_id += 1;
        while self.inbox.len() >= MAX_INBOX_MESSAGES {
            self.inbox.pop_front();
        }
        self.inbox.push_back(message);
    }

    /// Stores a phone verification (replacing any for the same phone), first forgetting those
    /// whose window ended over [`VERIFICATION_RETENTION`] ago when the map has grown large.
    pub fn insert_verification(&mut self, key: (String, String), v: PhoneVerification) {
        if self.verifications.len() >= self.verification_sweep_at {
            let now = self.now();
            self.verifications.retain(|_, v| {
                now < v
                    .created_at
                    .saturating_add(CODE_TTL)
                    .saturating_add(VERIFICATION_RETENTION)
            });
            self.verification_sweep_at = next_sweep(self.verifications.len(), SWEEP_THRESHOLD);
        }
        self.verifications.insert(key, v);
    }

    /// Remembers a deleted user for the [`DELETION_GRACE`] period, first forgetting those
    /// past it when the map has grown large (token verification ignores them already).
    pub fn insert_deleted_user(&mut self, user: User, deleted_at: i64) {
        if self.deleted_users.len() >= self.deleted_sweep_at {
            let now = self.now();
            self.deleted_users
                .retain(|_, (_, at)| now < at.saturating_add(DELETION_GRACE));
            self.deleted_sweep_at = next_sweep(self.deleted_users.len(), SWEEP_THRESHOLD);
        }
        self.deleted_users.insert(user.id, (user, deleted_at));
    }

    /// Stores an approval request, first forgetting decided or expired ones processed over
    /// [`APPROVAL_RETENTION`] ago once there are [`APPROVAL_SWEEP_THRESHOLD`] or more. Pending
    /// requests are always kept.
    pub fn insert_approval(&mut self, a: Approval) {
        if self.approvals.len() >= self.approval_sweep_at {
            let now = self.now();
            self.approvals.retain(|_, a| match a.status_at(now) {
                ("pending", _) => true,
                (_, processed) => {
                    processed.is_none_or(|t| now < t.saturating_add(APPROVAL_RETENTION))
                }
            });
            self.approval_sweep_at = next_sweep(self.approvals.len(), APPROVAL_SWEEP_THRESHOLD);
        }
        self.approvals.insert(a.uuid.clone(), a);
    }

    /// The refusal for sending a code by `via` (`sms` or `call`) when the plan disables it.
    pub fn channel_refusal(&self, via: &str) -> Option<crate::reply::Reply> {
        match via {
            "sms" if !self.sms_enabled => Some(crate::reply::Reply::sms_disabled()),
            "call" if !self.phone_calls_enabled => Some(crate::reply::Reply::calls_disabled()),
            _ => None,
        }
    }

    /// Sandbox-clock Unix time.
    pub fn now(&self) -> i64 {
        clock::real_now() + self.clock_offset
    }

    /// Counters of the month containing `now`.
    pub fn month_stats(&mut self) -> &mut MonthStats {
        let (y, m, ..) = clock::civil(self.now());
        self.stats.entry((y, m)).or_default()
    }

    /// Allocates a device id.
    pub fn new_device_id(&mut self) -> u64 {
        let id = self.next_device_id;
        self.next_device_id += 1;
        id
    }
}

/// Size at which the next sweep runs: twice what survived, at least `min`.
fn next_sweep(live: usize, min: usize) -> usize {
    live.saturating_mul(2).max(min)
}

/// State plus the immutable startup configuration, shared by all connections.
#[derive(Debug)]
pub struct Shared {
    /// Startup configuration.
    pub config: SandboxConfig,
    /// `http://127.0.0.1:PORT` (or `https://localhost:PORT`): the host of absolute URLs in
    /// answers (Verify `url`, `links`, `next_page_url`).
    pub base_url: String,
    /// Request log (when `config.log_requests`).
    pub log: Option<RequestLog>,
    /// Sends OneTouch callbacks (trust roots built once, from `config.callback_ca_pem`).
    pub callbacks: crate::callback::Sender,
    /// Bumped after every request that may have changed the state (live views wait on it).
    pub changes: crate::changes::Changes,
    state: Mutex<State>,
}

impl Shared {
    /// New shared state.
    pub fn new(
        config: SandboxConfig,
        base_url: String,
        log: Option<RequestLog>,
        callbacks: crate::callback::Sender,
    ) -> Shared {
        let state = Mutex::new(State::new(&config));
        Shared {
            config,
            base_url,
            log,
            callbacks,
            changes: crate::changes::Changes::default(),
            state,
        }
    }

    /// Locks the state; a poisoned lock (a handler panicked) is recovered, not propagated.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `n` random decimal digits.
pub fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// `n` random lowercase hex digits.
pub fn random_hex(n: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(HEX[rng.random_range(0..16usize)]))
        .collect()
}

/// A uuid shaped like Authy's (v1-looking, `xxxxxxxx-xxxx-0135-xxxx-xxxxxxxxxxxx`).
pub fn random_uuid() -> String {
    format!(
        "{}-{}-0135-{}-{}",
        random_hex(8),
        random_hex(4),
        random_hex(4),
        random_hex(12)
    )
}

/// 20 random bytes.
pub fn random_secret() -> [u8; 20] {
    let mut s = [0u8; 20];
    rand::rng().fill(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisoned_lock_is_recovered() {
        let shared = std::sync::Arc::new(Shared::new(
            SandboxConfig::default(),
            String::new(),
            None,
            crate::callback::Sender::new(None).unwrap(),
        ));
        let s2 = shared.clone();
        let _ = std::thread::spawn(move || {
            let _guard = s2.lock();
            panic!("handler bug while holding the lock");
        })
        .join();
        assert!(shared.state.is_poisoned());
        shared.lock().next_user_id = 7;
        assert_eq!(shared.lock().next_user_id, 7);
    }

    #[test]
    fn masks_and_app_tokens() {
        let user = User {
            id: 1,
            email: "a@b.co".into(),
            country_code: "57".into(),
            cellphone: "3005550112".into(),
            confirmed: false,
            devices: Vec::new(),
            last_code: None,
            secret: [7; 20],
            sms_device_id: 1,
            created_at: 0,
        };
        assert_eq!(user.masked_cellphone(), "+57-XXX-XXX-XX12");
        assert_eq!(user.masked_status_phone(), "XXX-XXX-0112");
        let t = user.app_token_at(1000);
        assert_eq!(t.len(), 7);
        assert_eq!(t, user.app_token_at(1000), "deterministic");
        assert_ne!(t, user.app_token_at(1001));
    }

    fn state() -> State {
        State::new(&SandboxConfig::default())
    }

    fn user(id: u64) -> User {
        User {
            id,
            email: format!("u{id}@example.com"),
            country_code: "1".into(),
            cellphone: format!("555{id:07}"),
            confirmed: false,
            devices: Vec::new(),
            last_code: None,
            secret: [1; 20],
            sms_device_id: id,
            created_at: 0,
        }
    }

    fn verification(created_at: i64) -> PhoneVerification {
        PhoneVerification {
            uuid: random_uuid(),
            code: "1234".into(),
            via: "sms",
            created_at,
            verified: false,
        }
    }

    fn approval(created_at: i64, ttl: i64, decided: Option<(&'static str, i64)>) -> Approval {
        Approval {
            uuid: random_uuid(),
            object_id: random_hex(24),
            authy_id: 1,
            message: "m".into(),
            details: Map::new(),
            hidden_details: Map::new(),
            logos: None,
            seconds_to_expire: ttl,
            created_at,
            decided,
        }
    }

    #[test]
    fn callback_log_is_a_ring_of_the_latest_records() {
        let mut st = state();
        for n in 0..MAX_CALLBACK_RECORDS + 5 {
            st.record_callback(serde_json::json!({ "n": n }));
        }
        assert_eq!(st.callbacks.len(), MAX_CALLBACK_RECORDS);
        assert_eq!(st.callbacks.front().unwrap()["n"], 5);
        assert_eq!(st.callbacks.back().unwrap()["n"], MAX_CALLBACK_RECORDS + 4);
    }

    #[test]
    fn old_phone_verifications_are_swept_once_the_map_is_large() {
        let mut st = state();
        let now = st.now();
        let long_gone = now - CODE_TTL - VERIFICATION_RETENTION - 1;
        let recently_expired = now - CODE_TTL - 60;
        // Below the threshold nothing is forgotten, however old.
        for i in 0..SWEEP_THRESHOLD - 2 {
            st.insert_verification(("1".into(), format!("old{i}")), verification(long_gone));
        }
        st.insert_verification(
            ("1".into(), "recent".into()),
            verification(recently_expired),
        );
        st.insert_verification(("1".into(), "live".into()), verification(now));
        assert_eq!(st.verifications.len(), SWEEP_THRESHOLD);
        // The next insert sweeps: only the long-gone ones go.
        st.insert_verification(("1".into(), "new".into()), verification(now));
        let mut left: Vec<&str> = st.verifications.keys().map(|(_, p)| p.as_str()).collect();
        left.sort_unstable();
        assert_eq!(left, ["live", "new", "recent"]);
        // Bounded: many more old ones never pile up past the threshold.
        for i in 0..5 * SWEEP_THRESHOLD {
            st.insert_verification(("1".into(), format!("again{i}")), verification(long_gone));
        }
        assert!(
            st.verifications.len() <= SWEEP_THRESHOLD,
            "{}",
            st.verifications.len()
        );
    }

    #[test]
    fn deleted_users_past_their_grace_period_are_swept() {
        let mut st = state();
        let now = st.now();
        for id in 0..(SWEEP_THRESHOLD as u64) - 1 {
            st.insert_deleted_user(user(id), now - DELETION_GRACE - 1);
        }
        st.insert_deleted_user(user(5_000), now - 10);
        assert_eq!(st.deleted_users.len(), SWEEP_THRESHOLD);
        st.insert_deleted_user(user(5_001), now);
        let mut left: Vec<u64> = st.deleted_users.keys().copied().collect();
        left.sort_unstable();
        assert_eq!(left, [5_000, 5_001]);
    }

    #[test]
    fn only_long_processed_approvals_are_swept() {
        let mut st = state();
        let now = st.now();
        let day = APPROVAL_RETENTION;
        let keep = [
            // Pending, never expires.
            approval(now - 3 * day, 0, None),
            // Pending.
            approval(now - 10, 3_600, None),
            // Decided a minute ago.
            approval(now - 2 * day, 0, Some(("approved", now - 60))),
            // Expired 100 s ago.
            approval(now - day - 100, day, None),
        ];
        let kept: Vec<String> = keep.iter().map(|a| a.uuid.clone()).collect();
        for a in keep {
            st.insert_approval(a);
        }
        let mut n = 0;
        while st.approvals.len() < APPROVAL_SWEEP_THRESHOLD {
            let a = if n % 2 == 0 {
                approval(now - 3 * day, 0, Some(("denied", now - day - 1)))
            } else {
                approval(now - 3 * day, 60, None) // expired two days ago
            };
            st.insert_approval(a);
            n += 1;
        }
        let fresh = approval(now, 60, None);
        let fresh_uuid = fresh.uuid.clone();
        st.insert_approval(fresh);
        assert_eq!(st.approvals.len(), kept.len() + 1);
        for uuid in kept.iter().chain([&fresh_uuid]) {
            assert!(st.approvals.contains_key(uuid));
        }
    }
}
