//! Users: create (idempotent), delete (three paths), status, update, activity, secret,
//! registration status (authy-api.md §3.1–§3.5, §3.9, §3.10).

use serde_json::{Map, Value, json};

use super::{Ctx, country_code_digits, parse_id, phone_digits};
use crate::params::scalar_text;
use crate::reply::Reply;
use crate::state::{State, User, random_secret};

/// Plausible e-mail: one `@`, non-empty local part, a dot in the domain, no whitespace.
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && s.len() <= 254
}

/// 400 60027 with the field errors both inside `errors` and at the top level (§2.2).
fn user_not_valid(errors: Map<String, Value>) -> Reply {
    Reply::error_with(400, "60027", "User was not valid", errors.clone(), errors)
}

/// Creates (or finds) a user from `user[email]`, `user[cellphone]`, `user[country_code]`.
/// Returns the id or the 60027 reply.
pub fn create_from_params(st: &mut State, user: Option<&Value>) -> Result<u64, Reply> {
    let field = |name: &str| user.and_then(|u| u.get(name)).and_then(scalar_text);
    let email = field("email").unwrap_or_default();
    let cellphone = field("cellphone").unwrap_or_default();
    let country = field("country_code").unwrap_or_else(|| "1".to_string());
    let mut errors = Map::new();
    if !valid_email(email.trim()) {
        errors.insert("email".into(), json!("is invalid"));
    }
    let digits = phone_digits(&cellphone);
    if digits.is_none() {
        errors.insert("cellphone".into(), json!("is invalid"));
    }
    let cc = country_code_digits(&country);
    if cc.is_none() {
        errors.insert("country_code".into(), json!("is invalid"));
    }
    let (Some(digits), Some(cc), true) = (digits, cc, errors.is_empty()) else {
        return Err(user_not_valid(errors));
    };
    let digits = crate::phone::user_cellphone(&cc, &cellphone, digits);
    let key = (cc.clone(), digits.clone());
    if let Some(id) = st.user_by_phone.get(&key) {
        return Ok(*id);
    }
    let id = st.next_user_id;
    st.next_user_id += 1;
    let now = st.now();
    let sms_device_id = st.new_device_id();
    st.users.insert(
        id,
        User {
            id,
            email: email.trim().to_string(),
            country_code: cc,
            cellphone: digits,
            confirmed: false,
            devices: Vec::new(),
            last_code: None,
            secret: random_secret(),
            sms_device_id,
            created_at: now,
        },
    );
    st.user_by_phone.insert(key, id);
    st.month_stats().users += 1;
    Ok(id)
}

pub fn create(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    match create_from_params(&mut st, ctx.params.get("user")) {
        Ok(id) => Reply::ok(json!({
            "message": "User created successfully.",
            "user": {"id": id},
            "success": true
        })),
        Err(r) => r,
    }
}

pub fn delete(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    let Some(user) = parse_id(ctx.arg(0)).and_then(|id| st.users.remove(&id)) else {
        return Reply::user_not_found();
    };
    st.user_by_phone
        .remove(&(user.country_code.clone(), user.cellphone.clone()));
    let now = st.now();
    st.insert_deleted_user(user, now);
    Reply::ok(json!({"message": "User removed from application", "success": true}))
}

pub fn status(ctx: &Ctx<'_>) -> Reply {
    let st = ctx.shared.lock();
    let Some(u) = parse_id(ctx.arg(0)).and_then(|id| st.users.get(&id)) else {
        return Reply::user_not_found();
    };
    let mut detailed = vec![json!({
        "device_type": "authy",
        "os_type": "unknown",
        "registration_device_id": null,
        "registration_method": null,
        "device_id": u.sms_device_id,
        "last_sync_date": 0,
        "creation_date": u.created_at
    })];
    for d in &u.devices {
        detailed.push(json!({
            "device_type": "authy",
            "os_type": d.os_type,
            "registration_device_id": null,
            "registration_method": "sms",
            "device_id": d.id,
            "last_sync_date": d.registered_at,
            "creation_date": d.registered_at
        }));
    }
    let cc: u64 = u.country_code.parse().unwrap_or(1);
    Reply::ok(json!({
        "status": {
            "authy_id": u.id,
            "confirmed": u.confirmed,
            "registered": !u.devices.is_empty(),
            "country_code": cc,
            "phone_number": u.masked_status_phone(),
            "email": u.email,
            "devices": u.devices.iter().map(|d| d.os_type.clone()).collect::<Vec<_>>(),
            "has_hard_token": false,
            "account_disabled": false,
            "detailed_devices": detailed,
            "deleted_devices": []
        },
        "message": "User status.",
        "success": true
    }))
}

pub fn update(ctx: &Ctx<'_>) -> Reply {
    let email = ctx
        .params
        .str("email")
        .or_else(|| ctx.params.get_nested("user", "email").and_then(scalar_text));
    let mut st = ctx.shared.lock();
    let Some(user) = parse_id(ctx.arg(0)).and_then(|id| st.users.get_mut(&id)) else {
        return Reply::user_not_found();
    };
    match email {
        Some(e) if valid_email(e.trim()) => {
            user.email = e.trim().to_string();
            Reply::ok(json!({"message": "User was updated successfully", "success": true}))
        }
        _ => {
            let mut errors = Map::new();
            errors.insert("email".into(), json!("is invalid"));
            user_not_valid(errors)
        }
    }
}

const ACTIVITIES: [&str; 4] = ["password_reset", "banned", "unbanned", "cookie_login"];

pub fn register_activity(ctx: &Ctx<'_>) -> Reply {
    let st = ctx.shared.lock();
    if parse_id(ctx.arg(0))
        .and_then(|id| st.users.get(&id))
        .is_none()
    {
        return Reply::user_not_found();
    }
    drop(st);
    match ctx.params.str("type") {
        Some(t) if ACTIVITIES.contains(&t.as_str()) => {
            Reply::ok(json!({"message": "Activity was created.", "success": true}))
        }
        _ => Reply::error(
            400,
            "60029",
            "You can only create the following activities: password_reset, banned, unbanned, cookie_login.",
        ),
    }
}

pub fn secret(ctx: &Ctx<'_>) -> Reply {
    let size = ctx.params.str("qr_size").filter(|s| !s.is_empty());
    let size = match size {
        None => 300,
        Some(s) => match s.parse::<u32>() {
            Ok(v) if (10..=2000).contains(&v) => v,
            _ => return Reply::invalid_parameter("qr_size", &format!("'{s}' is not a valid size")),
        },
    };
    let label = ctx.params.str("label").unwrap_or_default();
    let st = ctx.shared.lock();
    let Some(u) = parse_id(ctx.arg(0)).and_then(|id| st.users.get(&id)) else {
        return Reply::user_not_found();
    };
    let label = if label.is_empty() {
        format!("Authy Sandbox ({})", u.email)
    } else {
        label
    };
    let qr = format!(
        "https://qr.authy-sandbox.invalid/users/{}/qr.png?size={size}&label={}",
        u.id,
        crate::signer::cgi_escape(&label)
    );
    Reply::ok(json!({"label": label, "issuer": "Authy Sandbox", "qr_code": qr, "success": true}))
}

pub fn registration_status(ctx: &Ctx<'_>) -> Reply {
    let Some(custom) = ctx.params.str("custom_user_id").filter(|s| !s.is_empty()) else {
        return Reply::missing_parameter("custom_user_id");
    };
    let st = ctx.shared.lock();
    match parse_id(&custom).and_then(|id| st.users.get(&id)) {
        Some(u) => {
            let status = if u.devices.is_empty() {
                "pending"
            } else {
                "completed"
            };
            Reply::ok(json!({
                "message": "Registration status.",
                "registration": {"status": status, "authy_id": u.id},
                "user": {"id": u.id},
                "success": true
            }))
        }
        None => Reply::error(404, "60035", "Registration request not found"),
    }
}
