//! Read-only listings of the control API (`GET /sandbox/inbox`, `users`, `approval_requests`,
//! `faults`, `config`): what the browser UI shows, usable by tests too. Every answer carries the
//! sandbox clock's `now`.

use serde_json::{Value, json};

use crate::params::Params;
use crate::phone::pretty;
use crate::reply::Reply;
use crate::state::{APP_TOKEN_STEP, Approval, Shared, State, User};

/// `GET /sandbox/inbox`: delivered messages, newest first; `service` and `to` filter.
pub fn inbox(shared: &Shared, p: &Params) -> Reply {
    let service = p.str("service").filter(|s| !s.is_empty());
    let to = p.str("to").filter(|s| !s.is_empty());
    let st = shared.lock();
    let now = st.now();
    let messages: Vec<Value> = st
        .inbox
        .iter()
        .rev()
        .filter(|m| service.as_deref().is_none_or(|s| m.service == s))
        .filter(|m| to.as_deref().is_none_or(|t| m.to == t))
        .map(|m| m.to_json(now))
        .collect();
    Reply::ok(json!({"messages": messages, "now": now, "success": true}))
}

/// The current app token of a user and the seconds it has left (sandbox clock).
pub fn app_token_json(user: &User, now: i64) -> Value {
    json!({
        "token": user.app_token_at(now.div_euclid(APP_TOKEN_STEP)),
        "seconds_remaining": APP_TOKEN_STEP - now.rem_euclid(APP_TOKEN_STEP),
        "period": APP_TOKEN_STEP,
    })
}

/// `GET /sandbox/users`: every user, by id, with devices and the current app token.
pub fn users(shared: &Shared) -> Reply {
    let st = shared.lock();
    let now = st.now();
    let mut list: Vec<&User> = st.users.values().collect();
    list.sort_by_key(|u| u.id);
    let users: Vec<Value> = list
        .into_iter()
        .map(|u| {
            let devices: Vec<Value> = u
                .devices
                .iter()
                .map(
                    |d| json!({"id": d.id, "os_type": d.os_type, "registered_at": d.registered_at}),
                )
                .collect();
            json!({
                "id": u.id,
                "email": u.email,
                "country_code": u.country_code,
                "cellphone": u.cellphone,
                "phone": pretty(&u.country_code, &u.cellphone),
                "masked_cellphone": u.masked_cellphone(),
                "confirmed": u.confirmed,
                "created_at": u.created_at,
                "devices": devices,
                "app_token": app_token_json(u, now),
                "last_code": u.last_code.as_ref().map(|c| json!({
                    "code": c.code, "via": c.via, "action": c.action, "sent_at": c.sent_at
                })),
            })
        })
        .collect();
    Reply::ok(json!({"users": users, "now": now, "success": true}))
}

fn approval_json(st: &State, a: &Approval, now: i64) -> Value {
    let (status, processed_at) = a.status_at(now);
    let expires_at = (a.seconds_to_expire > 0).then(|| a.expiration_timestamp());
    json!({
        "uuid": a.uuid,
        "authy_id": a.authy_id,
        "user_email": st.users.get(&a.authy_id).map(|u| u.email.clone()),
        "message": a.message,
        "details": a.details,
        "hidden_details": a.hidden_details,
        "logos": a.logos,
        "status": status,
        "created_at": a.created_at,
        "expires_at": expires_at,
        "processed_at": processed_at,
    })
}

/// `GET /sandbox/approval_requests`: OneTouch requests still remembered, newest first;
/// `status` (pending, approved, denied, expired) filters.
pub fn approvals(shared: &Shared, p: &Params) -> Reply {
    let wanted = p.str("status").filter(|s| !s.is_empty());
    let st = shared.lock();
    let now = st.now();
    let mut list: Vec<&Approval> = st.approvals.values().collect();
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.uuid.cmp(&b.uuid)));
    let approvals: Vec<Value> = list
        .into_iter()
        .filter(|a| wanted.as_deref().is_none_or(|w| a.status_at(now).0 == w))
        .map(|a| approval_json(&st, a, now))
        .collect();
    Reply::ok(json!({"approval_requests": approvals, "now": now, "success": true}))
}

/// `GET /sandbox/faults`: armed faults in arming order.
pub fn faults(shared: &Shared) -> Reply {
    let st = shared.lock();
    let faults: Vec<Value> = st.faults.iter().map(|f| f.to_json()).collect();
    Reply::ok(json!({"faults": faults, "now": st.now(), "success": true}))
}

/// The runtime configuration as `POST`/`GET /sandbox/config` answer it.
pub fn config_json(st: &State) -> Value {
    json!({
        "callback_url": st.callback_url,
        "callback_method": st.callback_method.as_str(),
        "sms_enabled": st.sms_enabled,
        "phone_calls_enabled": st.phone_calls_enabled,
        "clock_offset": st.clock_offset,
        "now": st.now(),
        "success": true
    })
}
