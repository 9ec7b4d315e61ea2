//! The control API under `/sandbox/...` (DESIGN.md Contract 1): handset view of delivered codes,
//! app devices, OneTouch decisions with callbacks, runtime config, clock, faults, counters, reset.

use serde_json::{Value, json};

use crate::callback::{self, Pending};
use crate::changes;
use crate::config::CallbackMethod;
use crate::faults::FaultSpec;
use crate::params::Params;
use crate::reply::Reply;
use crate::routes::parse_id;
use crate::state::{AppDevice, Shared, State};
use crate::views;

/// What a control handler produced.
pub enum Outcome {
    /// Answer now.
    Reply(Reply),
    /// A OneTouch decision whose callback must be delivered before answering.
    Decided {
        /// `approved` or `denied`.
        status: &'static str,
        /// The callback to send.
        callback: Pending,
    },
    /// `GET /sandbox/changes`: answer once the change generation differs from `since`, or
    /// after `wait`.
    WaitForChange {
        /// The generation the caller has seen.
        since: u64,
        /// Longest wait.
        wait: std::time::Duration,
    },
}

/// Handles `/sandbox/...`; `segs` are the decoded segments after `sandbox`.
pub fn handle(shared: &Shared, method: &str, segs: &[&str], p: &Params) -> Outcome {
    let reply = match (method, segs) {
        ("GET", ["inbox"]) => views::inbox(shared, p),
        ("GET", ["users"]) => views::users(shared),
        ("GET", ["approval_requests"]) => views::approvals(shared, p),
        ("GET", ["faults"]) => views::faults(shared),
        ("GET", ["config"]) => Reply::ok(views::config_json(&shared.lock())),
        ("GET", ["changes"]) => return wait_for_change(p),
        ("GET", ["users", id, "last_code"]) => last_code(shared, id),
        ("GET", ["users", id, "app_token"]) => app_token(shared, id),
        ("POST", ["users", id, "devices"]) => add_device(shared, id, p),
        ("DELETE", ["users", id, "devices"]) => remove_devices(shared, id),
        ("GET", ["phones", "last_code"]) => phone_last_code(shared, p),
        ("POST", ["approval_requests", uuid, "approve"]) => {
            return decide(shared, uuid, "approved");
        }
        ("POST", ["approval_requests", uuid, "deny"]) => return decide(shared, uuid, "denied"),
        ("GET", ["callbacks"]) => {
            let st = shared.lock();
            Reply::ok(json!({"callbacks": st.callbacks, "success": true}))
        }
        ("POST", ["config"]) => set_config(shared, p),
        ("POST", ["clock", "advance"]) => advance_clock(shared, p),
        ("POST", ["faults"]) => match FaultSpec::from_params(p) {
            Ok(spec) => {
                let armed = spec.remaining;
                shared.lock().faults.push(spec);
                Reply::ok(json!({"armed": armed, "success": true}))
            }
            Err(r) => r,
        },
        ("DELETE", ["faults"]) => {
            shared.lock().faults.clear();
            Reply::ok(json!({"armed": 0, "success": true}))
        }
        ("GET", ["requests"]) => {
            let st = shared.lock();
            Reply::ok(json!({"requests": st.requests, "total": st.total_requests, "success": true}))
        }
        ("POST", ["reset"]) => {
            *shared.lock() = State::new(&shared.config);
            Reply::ok(json!({"message": "Sandbox state was reset.", "success": true}))
        }
        _ => Reply::route_not_found(),
    };
    Outcome::Reply(reply)
}

fn last_code(shared: &Shared, id: &str) -> Reply {
    let st = shared.lock();
    let Some(user) = parse_id(id).and_then(|id| st.users.get(&id)) else {
        return Reply::user_not_found();
    };
    match &user.last_code {
        Some(c) => Reply::ok(json!({
            "code": c.code,
            "via": c.via,
            "action": c.action,
            "sent_at": c.sent_at,
            "success": true
        })),
        None => Reply::error(404, "60026", "No code was delivered to this user."),
    }
}

fn app_token(shared: &Shared, id: &str) -> Reply {
    let st = shared.lock();
    let now = st.now();
    let Some(user) = parse_id(id).and_then(|id| st.users.get(&id)) else {
        return Reply::user_not_found();
    };
    let mut answer = views::app_token_json(user, now);
    answer["success"] = json!(true);
    Reply::ok(answer)
}

fn wait_for_change(p: &Params) -> Outcome {
    let mut numbers = [("since", 0u64), ("wait", changes::MAX_WAIT_SECS)];
    for (name, value) in &mut numbers {
        if let Some(raw) = p.str(name).filter(|s| !s.is_empty()) {
            match raw.parse::<u64>() {
                Ok(v) => *value = v,
                Err(_) => {
                    return Outcome::Reply(Reply::invalid_parameter(
                        name,
                        &format!("'{raw}' is not a valid Integer"),
                    ));
                }
            }
        }
    }
    let [(_, since), (_, wait)] = numbers;
    Outcome::WaitForChange {
        since,
        wait: std::time::Duration::from_secs(wait.min(changes::MAX_WAIT_SECS)),
    }
}

/// Answer of `GET /sandbox/changes`.
pub fn changes_reply(shared: &Shared, generation: u64) -> Reply {
    let now = shared.lock().now();
    Reply::ok(json!({"generation": generation, "now": now, "success": true}))
}

fn add_device(shared: &Shared, id: &str, p: &Params) -> Reply {
    let os_type = p
        .str("device")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "android".to_string());
    if os_type.len() > 64 {
        return Reply::invalid_parameter("device", "is too long");
    }
    let mut st = shared.lock();
    let now = st.now();
    let Some(uid) = parse_id(id).filter(|i| st.users.contains_key(i)) else {
        return Reply::user_not_found();
    };
    let device_id = st.new_device_id();
    let user = st.users.get_mut(&uid).expect("checked above");
    user.devices.push(AppDevice {
        id: device_id,
        os_type: os_type.clone(),
        registered_at: now,
    });
    let devices: Vec<String> = user.devices.iter().map(|d| d.os_type.clone()).collect();
    Reply::ok(json!({
        "device": {"id": device_id, "os_type": os_type},
        "devices": devices,
        "success": true
    }))
}

fn remove_devices(shared: &Shared, id: &str) -> Reply {
    let mut st = shared.lock();
    let Some(user) = parse_id(id).and_then(|id| st.users.get_mut(&id)) else {
        return Reply::user_not_found();
    };
    let removed = user.devices.len();
    user.devices.clear();
    Reply::ok(json!({"removed": removed, "devices": [], "success": true}))
}

fn phone_last_code(shared: &Shared, p: &Params) -> Reply {
    let cc = p
        .str("country_code")
        .and_then(|c| crate::routes::country_code_digits(&c));
    let phone = cc
        .as_deref()
        .zip(p.str("phone_number"))
        .and_then(|(cc, n)| crate::phone::national_number(cc, &n, crate::phone::Check::Lenient));
    let (Some(cc), Some(phone)) = (cc, phone) else {
        return Reply::error(
            400,
            "60042",
            "Either uuid or country_code and phone number are required",
        );
    };
    let st = shared.lock();
    match st.verifications.get(&(cc, phone)) {
        Some(v) => Reply::ok(json!({
            "code": v.code,
            "via": v.via,
            "uuid": v.uuid,
            "success": true
        })),
        None => Reply::error(404, "60023", "Phone verification not found"),
    }
}

fn decide(shared: &Shared, uuid: &str, status: &'static str) -> Outcome {
    let mut st = shared.lock();
    let now = st.now();
    let Some(a) = st.approvals.get(uuid) else {
        return Outcome::Reply(Reply::approval_not_found(uuid));
    };
    let (current, _) = a.status_at(now);
    if current != "pending" {
        return Outcome::Reply(Reply::error(
            409,
            "60079",
            &format!("Approval request is not pending (status: {current})"),
        ));
    }
    let payload = callback::payload(&st, a, status, now);
    if let Some(a) = st.approvals.get_mut(uuid) {
        a.decided = Some((status, now));
    }
    match st.callback_url.clone() {
        Some(url) => Outcome::Decided {
            status,
            callback: Pending {
                url,
                method: st.callback_method,
                api_key: shared.config.api_key.clone(),
                payload,
            },
        },
        None => Outcome::Reply(Reply::ok(
            json!({"status": status, "callback": null, "success": true}),
        )),
    }
}

/// Answer for a decision once its callback was attempted (also records it).
pub fn decided_reply(shared: &Shared, status: &str, record: Value) -> Reply {
    let summary = json!({
        "url": record["url"],
        "method": record["method"],
        "http_status": record["http_status"],
        "error": record["error"],
        "nonce": record["headers"]["X-Authy-Signature-Nonce"],
        "signature": record["headers"]["X-Authy-Signature"],
    });
    shared.lock().record_callback(record);
    Reply::ok(json!({"status": status, "callback": summary, "success": true}))
}

fn set_config(shared: &Shared, p: &Params) -> Reply {
    let method = match p.str("callback_method").filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => match CallbackMethod::parse(&m) {
            Some(m) => Some(m),
            None => return Reply::invalid_parameter("callback_method", "must be POST or GET"),
        },
    };
    let url = match p.get("callback_url") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => match crate::params::scalar_text(v) {
            Some(s) if s.is_empty() => Some(None),
            Some(s) if s.starts_with("http://") || s.starts_with("https://") => Some(Some(s)),
            _ => return Reply::invalid_parameter("callback_url", "must be an http(s) URL"),
        },
    };
    let mut switches = [("sms_enabled", None), ("phone_calls_enabled", None)];
    for (name, value) in &mut switches {
        *value = match p.str(name).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match parse_switch(&v) {
                Some(b) => Some(b),
                None => return Reply::invalid_parameter(name, "must be true or false"),
            },
        };
    }
    let mut st = shared.lock();
    if let Some(m) = method {
        st.callback_method = m;
    }
    if let Some(u) = url {
        st.callback_url = u;
    }
    if let Some(b) = switches[0].1 {
        st.sms_enabled = b;
    }
    if let Some(b) = switches[1].1 {
        st.phone_calls_enabled = b;
    }
    Reply::ok(views::config_json(&st))
}

/// `true/True/TRUE/1` or `false/False/FALSE/0` (anything else is refused, so a typo never
/// silently switches a channel off).
fn parse_switch(v: &str) -> Option<bool> {
    match v.trim() {
        t if t.eq_ignore_ascii_case("true") || t == "1" => Some(true),
        t if t.eq_ignore_ascii_case("false") || t == "0" => Some(false),
        _ => None,
    }
}

fn advance_clock(shared: &Shared, p: &Params) -> Reply {
    let Some(raw) = p.str("seconds").filter(|s| !s.is_empty()) else {
        return Reply::missing_parameter("seconds");
    };
    let Some(seconds) = raw
        .parse::<i64>()
        .ok()
        .filter(|s| s.abs() <= 100 * 365 * 86_400)
    else {
        return Reply::invalid_parameter("seconds", &format!("'{raw}' is not a valid Integer"));
    };
    let mut st = shared.lock();
    st.clock_offset = st.clock_offset.saturating_add(seconds);
    Reply::ok(json!({"now": st.now(), "success": true}))
}
