//! Mobile SDK endpoints (§3.18): registrations and device deletion.

use serde_json::json;

use super::{Ctx, parse_id, users};
use crate::reply::Reply;
use crate::state::random_hex;

pub fn registrations(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    let id = match ctx.params.str("authy_id").filter(|s| !s.is_empty()) {
        Some(raw) => match parse_id(&raw).filter(|id| st.users.contains_key(id)) {
            Some(id) => id,
            None => return Reply::user_not_found(),
        },
        None if ctx.params.has("user") => {
            match users::create_from_params(&mut st, ctx.params.get("user")) {
                Ok(id) => id,
                Err(r) => return r,
            }
        }
        None => return Reply::missing_parameter("authy_id"),
    };
    Reply::ok(json!({
        "registration_token": random_hex(40),
        "authy_id": id,
        "success": true
    }))
}

pub fn delete_device(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    if let Some(device_id) = parse_id(ctx.arg(0)) {
        for user in st.users.values_mut() {
            if let Some(pos) = user.devices.iter().position(|d| d.id == device_id) {
                user.devices.remove(pos);
                return Reply::ok(json!({"message": "Device was deleted.", "success": true}));
            }
        }
    }
    Reply::error(404, "60092", "Device not found")
}
