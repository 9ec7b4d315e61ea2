//! OneTouch approval requests: create and status (§3.15, §3.16).

use serde_json::{Map, Value, json};

use super::{Ctx, parse_id};
use crate::clock;
use crate::params::scalar_text;
use crate::reply::Reply;
use crate::state::{Approval, DEFAULT_APPROVAL_TTL, random_hex, random_uuid};

/// The sandbox application's OneTouch app id (24 hex, like the real `app_id`).
pub const ONETOUCH_APP_ID: &str = "5ab0c5e0a1f2b3c4d5e6f701";

fn hash_param(ctx: &Ctx<'_>, name: &str) -> Result<Map<String, Value>, Reply> {
    match ctx.params.get(name) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => {
            let mut out = Map::new();
            for (k, v) in m {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        return Err(Reply::invalid_parameter(name, "values must be strings"));
                    }
                    other => {
                        out.insert(k.clone(), json!(scalar_text(other).unwrap_or_default()));
                    }
                }
            }
            Ok(out)
        }
        Some(Value::Array(a)) if a.is_empty() => Ok(Map::new()),
        Some(Value::String(s)) if s.is_empty() => Ok(Map::new()),
        Some(_) => Err(Reply::invalid_parameter(name, "must be a Hash")),
    }
}

fn logos_param(ctx: &Ctx<'_>) -> Result<Option<Vec<Value>>, Reply> {
    let list = match ctx.params.get("logos") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.is_empty() => return Ok(None),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(Reply::invalid_parameter("logos", "must be an Array")),
    };
    let mut out = Vec::new();
    for item in list {
        let res = item.get("res").and_then(scalar_text);
        let url = item.get("url").and_then(scalar_text);
        match (res, url) {
            (Some(res), Some(url))
                if ["default", "low", "med", "high"].contains(&res.as_str()) && !url.is_empty() =>
            {
                out.push(json!({"res": res, "url": url}));
            }
            _ => {
                return Err(Reply::invalid_parameter(
                    "logos",
                    "each logo needs res (default, low, med or high) and url",
                ));
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

pub fn create(ctx: &Ctx<'_>) -> Reply {
    let Some(message) = ctx.params.str("message").filter(|m| !m.trim().is_empty()) else {
        return Reply::missing_parameter("message");
    };
    let details = match hash_param(ctx, "details") {
        Ok(d) => d,
        Err(r) => return r,
    };
    let hidden_details = match hash_param(ctx, "hidden_details") {
        Ok(d) => d,
        Err(r) => return r,
    };
    let logos = match logos_param(ctx) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let ttl = match ctx.params.get("seconds_to_expire") {
        None | Some(Value::Null) => DEFAULT_APPROVAL_TTL,
        Some(v) => match scalar_text(v).as_deref() {
            Some("") => DEFAULT_APPROVAL_TTL,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 0 => n,
                _ => {
                    return Reply::invalid_parameter(
                        "seconds_to_expire",
                        &format!("'{s}' is not a valid Integer"),
                    );
                }
            },
            None => {
                return Reply::invalid_parameter("seconds_to_expire", "is not a valid Integer");
            }
        },
    };
    let mut st = ctx.shared.lock();
    let Some(authy_id) = parse_id(ctx.arg(0)).filter(|id| st.users.contains_key(id)) else {
        return Reply::user_not_found();
    };
    let now = st.now();
    let uuid = random_uuid();
    st.insert_approval(Approval {
        uuid: uuid.clone(),
        object_id: random_hex(24),
        authy_id,
        message,
        details,
        hidden_details,
        logos,
        seconds_to_expire: ttl,
        created_at: now,
        decided: None,
    });
    Reply::ok(json!({"approval_request": {"uuid": uuid}, "success": true}))
}

pub fn status(ctx: &Ctx<'_>) -> Reply {
    let uuid = ctx.arg(0);
    let st = ctx.shared.lock();
    let now = st.now();
    let Some(a) = st.approvals.get(uuid) else {
        return Reply::approval_not_found(uuid);
    };
    let email = st.users.get(&a.authy_id).map(|u| u.email.clone());
    let (status, processed) = a.status_at(now);
    Reply::ok(json!({
        "approval_request": {
            "_app_name": "Authy Sandbox",
            "_app_serial_id": super::app::APP_ID,
            "_authy_id": a.authy_id,
            "_id": a.object_id,
            "_user_email": email,
            "app_id": ONETOUCH_APP_ID,
            "created_at": clock::iso8601(a.created_at),
            "notified": false,
            "processed_at": processed.map(clock::iso8601),
            "seconds_to_expire": a.seconds_to_expire,
            "status": status,
            "updated_at": clock::iso8601(processed.unwrap_or(a.created_at)),
            "user_id": format!("{:024x}", a.authy_id),
            "uuid": a.uuid
        },
        "success": true
    }))
}
