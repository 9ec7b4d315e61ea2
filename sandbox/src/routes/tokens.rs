//! SMS, voice call, e-mail tokens and token verification (authy-api.md §3.4, §3.6–§3.8).

use serde_json::{Map, Value, json};

use super::app::APP_NAME;
use super::{Ctx, parse_id};
use crate::inbox::{self, Message};
use crate::phone::pretty;
use crate::reply::Reply;
use crate::state::{
    APP_TOKEN_STEP, CODE_TTL, DELETION_GRACE, DeliveredCode, User, random_digits, random_hex,
};

const SMS_IGNORED: &str = "Ignored: SMS is not needed for smartphones. Pass force=true if you want to actually send it anyway.";
const CALL_IGNORED: &str = "Call ignored. User is using  App Tokens and this call is not necessary. Pass force=true if you still want to call users that are using the App.";

fn action(ctx: &Ctx<'_>) -> Option<String> {
    ctx.params.str("action").filter(|a| !a.is_empty())
}

/// `GET sms/{id}` and `GET call/{id}`.
pub fn sms_or_call(ctx: &Ctx<'_>, via: &'static str) -> Reply {
    let force = ctx.params.bool("force");
    let action = action(ctx);
    let mut st = ctx.shared.lock();
    let now = st.now();
    let Some(user) = parse_id(ctx.arg(0)).and_then(|id| st.users.get_mut(&id)) else {
        return Reply::user_not_found();
    };
    let cellphone = user.masked_cellphone();
    if let Some(device) = user.devices.first().filter(|_| !force) {
        let message = if via == "sms" {
            SMS_IGNORED
        } else {
            CALL_IGNORED
        };
        return Reply::ok(json!({
            "message": message,
            "cellphone": cellphone,
            "device": device.os_type,
            "ignored": true,
            "success": true
        }));
    }
    // Nothing was to be sent for an app user (above); otherwise the plan decides.
    if let Some(refusal) = st.channel_refusal(via) {
        return refusal;
    }
    let Some(user) = parse_id(ctx.arg(0)).and_then(|id| st.users.get_mut(&id)) else {
        return Reply::user_not_found();
    };
    let to = pretty(&user.country_code, &user.cellphone);
    let message = deliver_code(user, via, action, now, to, cellphone.clone(), locale(ctx));
    st.deliver(message);
    let stats = st.month_stats();
    if via == "sms" {
        stats.sms += 1;
        Reply::ok(json!({"success": true, "message": "SMS token was sent", "cellphone": cellphone}))
    } else {
        stats.calls += 1;
        Reply::ok(json!({"success": true, "message": "Call started...", "cellphone": cellphone}))
    }
}

/// `POST email/{id}`.
pub fn email(ctx: &Ctx<'_>) -> Reply {
    let action = action(ctx);
    let mut st = ctx.shared.lock();
    let now = st.now();
    let Some(user) = parse_id(ctx.arg(0)).and_then(|id| st.users.get_mut(&id)) else {
        return Reply::user_not_found();
    };
    let email = user.email.clone();
    let message = deliver_code(
        user,
        "email",
        action,
        now,
        email.clone(),
        email.clone(),
        locale(ctx),
    );
    st.deliver(message);
    Reply::ok(json!({
        "success": true,
        "message": "Email token was sent",
        "email": email,
        "email_id": format!("EM{}", random_hex(32))
    }))
}

fn locale(ctx: &Ctx<'_>) -> Option<String> {
    ctx.params.str("locale").filter(|l| !l.is_empty())
}

/// Makes a new code the user's last one and returns its inbox message.
fn deliver_code(
    user: &mut User,
    via: &'static str,
    action: Option<String>,
    now: i64,
    to: String,
    to_masked: String,
    locale: Option<String>,
) -> Message {
    let code = random_digits(7);
    let message = Message {
        id: 0,
        sent_at: now,
        expires_at: now + CODE_TTL,
        service: "authy",
        channel: via.to_string(),
        to,
        to_masked,
        text: inbox::text(via, locale.as_deref(), APP_NAME, &code),
        locale,
        code: code.clone(),
        reference: json!({"authy_id": user.id, "action": action}),
    };
    user.last_code = Some(DeliveredCode {
        code,
        via,
        action,
        sent_at: now,
    });
    message
}

fn token_invalid() -> Reply {
    let mut top = Map::new();
    top.insert("token".into(), json!("is invalid"));
    Reply::error_with(401, "60020", "Token is invalid", Map::new(), top)
}

/// `GET verify/{token}/{id}`.
pub fn verify(ctx: &Ctx<'_>) -> Reply {
    let token = ctx.arg(0).to_string();
    let force = ctx.params.bool("force");
    let action = action(ctx);
    let config = &ctx.shared.config;
    let mut st = ctx.shared.lock();
    let now = st.now();
    // Deletion is deferred: a deleted user's codes keep verifying for a day (§3.2).
    let id = parse_id(ctx.arg(1));
    let st = &mut *st;
    let user = match id.and_then(|id| st.users.get_mut(&id)) {
        Some(u) => Some(u),
        None => id
            .and_then(|id| st.deleted_users.get_mut(&id))
            .filter(|(_, deleted_at)| now < deleted_at.saturating_add(DELETION_GRACE))
            .map(|(u, _)| u),
    };
    let Some(user) = user else {
        return Reply::error(401, "60016", "User doesn't exist");
    };
    let well_formed = (6..=12).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return token_invalid();
    }
    let mut device: Option<(u64, String)> = None;
    let mut valid = config.magic_codes && token == "0000000";
    if !valid && let Some(code) = &user.last_code {
        valid = code.code == token && code.action == action && now < code.sent_at + CODE_TTL;
    }
    if !valid && !user.devices.is_empty() {
        let step = now.div_euclid(APP_TOKEN_STEP);
        if (step - 1..=step + 1).any(|s| user.app_token_at(s) == token) {
            valid = true;
            let d = &user.devices[0];
            device = Some((d.id, d.os_type.clone()));
        }
    }
    if !valid
        && config.legacy_unconfirmed_accept_any
        && !force
        && !user.confirmed
        && user.devices.is_empty()
    {
        valid = true;
    }
    if !valid {
        return token_invalid();
    }
    user.confirmed = true;
    let registration_date = user.created_at;
    st.month_stats().auths += 1;
    let (id, os_type) = match device {
        Some((id, os)) => (json!(id), os),
        None => (Value::Null, "sms".to_string()),
    };
    Reply::ok(json!({
        "message": "Token is valid.",
        "token": "is valid",
        "success": "true",
        "device": {
            "id": id,
            "os_type": os_type,
            "registration_date": registration_date,
            "registration_method": null,
            "registration_country": null,
            "registration_region": null,
            "registration_city": null,
            "country": null,
            "region": null,
            "city": null,
            "ip": null,
            "last_account_recovery_at": null,
            "last_sync_date": null
        }
    }))
}
