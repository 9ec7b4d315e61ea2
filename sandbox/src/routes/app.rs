//! Application details and monthly statistics (§3.11, §3.12).

use serde_json::json;

use super::Ctx;
use crate::clock;
use crate::reply::Reply;

/// The sandbox application's id.
pub const APP_ID: u64 = 1;

/// The sandbox application's name (`app/details`, and the texts of delivered codes).
pub const APP_NAME: &str = "Authy Sandbox";

/// The details answer; `sms_enabled` / `phone_calls_enabled` follow the plan settings
/// (`SandboxConfig`, `POST /sandbox/config`).
pub fn details(ctx: &Ctx<'_>) -> Reply {
    let (sms, calls) = {
        let st = ctx.shared.lock();
        (st.sms_enabled, st.phone_calls_enabled)
    };
    Reply::ok(json!({
        "app": {
            "app_id": APP_ID,
            "name": APP_NAME,
            "plan": "pay_as_you_go",
            "sms_enabled": sms,
            "phone_calls_enabled": calls,
            "onetouch_enabled": true,
            "white_label": false
        },
        "message": "Application information.",
        "success": true
    }))
}

pub fn stats(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    let (year, month, ..) = clock::civil(st.now());
    let m = *st.month_stats();
    let total_users = st.users.len();
    Reply::ok(json!({
        "app_id": APP_ID,
        "count": 1,
        "message": "Monthly statistics.",
        "stats": [{
            "api_calls_count": m.api_calls,
            "auths_count": m.auths,
            "calls_count": m.calls,
            "month": clock::month_name(month),
            "sms_count": m.sms,
            "users_count": m.users,
            "year": year
        }],
        "success": true,
        "total_users": total_users
    }))
}
