//! The emulator's mutable state. One `Mutex<State>` per sandbox, held only for short,
//! synchronous sections (never across `.await` or I/O).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::clock;
use crate::config::{CallbackMethod, SandboxConfig};
use crate::faults::FaultSpec;
use crate::log::RequestLog;

/// Lifetime of SMS/call/email codes and of phone verifications, in seconds.
pub const CODE_TTL: i64 = 600;
/// App-token time step, in seconds.
pub const APP_TOKEN_STEP: i64 = 30;
/// How long a deleted user's codes keep verifying (deletion is deferred, §3.2).
pub const DELETION_GRACE: i64 = 86_400;
/// Default OneTouch lifetime.
pub const DEFAULT_APPROVAL_TTL: i64 = 86_400;

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
    /// Every callback sent, oldest first (JSON records of the control API).
    pub callbacks: Vec<Value>,
    /// Non-control requests per route template.
    pub requests: BTreeMap<&'static str, u64>,
    /// Sum of `requests`.
    pub total_requests: u64,
    /// Armed faults, in arming order.
    pub faults: Vec<FaultSpec>,
    /// Stats per (year, month).
    pub stats: BTreeMap<(i64, u32), MonthStats>,
}

impl State {
    /// Fresh state for a configuration.
    pub fn new(config: &SandboxConfig) -> State {
        State {
            clock_offset: 0,
            callback_url: config.callback_url.clone(),
            callback_method: config.callback_method,
            users: HashMap::new(),
            deleted_users: HashMap::new(),
            user_by_phone: HashMap::new(),
            next_user_id: 1,
            next_device_id: 1_000_001,
            verifications: HashMap::new(),
            approvals: HashMap::new(),
            callbacks: Vec::new(),
            requests: BTreeMap::new(),
            total_requests: 0,
            faults: Vec::new(),
            stats: BTreeMap::new(),
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

/// State plus the immutable startup configuration, shared by all connections.
#[derive(Debug)]
pub struct Shared {
    /// Startup configuration.
    pub config: SandboxConfig,
    /// Request log (when `config.log_requests`).
    pub log: Option<RequestLog>,
    state: Mutex<State>,
}

impl Shared {
    /// New shared state.
    pub fn new(config: SandboxConfig, log: Option<RequestLog>) -> Shared {
        let state = Mutex::new(State::new(&config));
        Shared { config, log, state }
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
        let shared = std::sync::Arc::new(Shared::new(SandboxConfig::default(), None));
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
}
