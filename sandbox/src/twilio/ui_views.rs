//! Read-only listings of Verify TOTP/Push state for the browser UI (`/_ui/`) and tests, under
//! `/sandbox/verify/...`: every challenge (the Approvals view) and every entity with its factors
//! and the current code of each TOTP factor (the Authenticator and Users views).

use serde_json::{Value, json};

use super::challenges;
use super::entity_state::Factor;
use super::envelope::ok;
use super::factors;
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "GET /sandbox/verify/Challenges",
        handler: challenges_list,
    },
    Route {
        key: "GET /sandbox/verify/Entities",
        handler: entities_list,
    },
];

/// `GET /sandbox/verify/Challenges[?Status=pending][&FactorType=push]`: challenges as the API
/// serves them, newest first, each with `factor_friendly_name`, `service_friendly_name`,
/// `expires_at` (Unix) and `device_key_held` (the sandbox can sign the device's answer).
fn challenges_list(ctx: &Ctx<'_>) -> Reply {
    let status = ctx.form.text("Status");
    let factor_type = ctx.form.text("FactorType");
    let st = ctx.shared.lock();
    let now = st.now();
    let es = &st.twilio.entities;
    let mut list: Vec<_> = es
        .challenges
        .values()
        .filter(|c| status.is_none_or(|s| c.status_at(now) == s))
        .filter(|c| factor_type.is_none_or(|t| c.factor_type == t))
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.seq));
    let challenges: Vec<Value> = list
        .into_iter()
        .map(|c| {
            let mut v = challenges::to_json(ctx, c, now);
            let factor = es.factors.get(&c.factor_sid);
            v.insert(
                "factor_friendly_name".into(),
                json!(factor.map(|f| f.friendly_name.as_str())),
            );
            v.insert(
                "service_friendly_name".into(),
                service_name(&st, &c.service_sid),
            );
            v.insert("expires_at".into(), json!(c.expires_at));
            v.insert(
                "device_key_held".into(),
                json!(es.device_keys.contains_key(&c.factor_sid)),
            );
            Value::Object(v)
        })
        .collect();
    ok(json!({"challenges": challenges, "now": now, "success": true}))
}

fn service_name(st: &crate::state::State, service_sid: &str) -> Value {
    st.twilio
        .services
        .get(service_sid)
        .and_then(|s| s.settings.get("friendly_name"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn factor_json(f: &Factor, held: bool, now: i64) -> Value {
    let mut v = json!({
        "sid": f.sid,
        "friendly_name": f.friendly_name,
        "factor_type": f.factor_type(),
        "status": f.status(),
        "created_at": f.created_at,
        "device_key_held": held,
        "totp": null,
    });
    if let Some((code, remaining, step)) = factors::current_code(f, now) {
        v["totp"] = json!({"code": code, "seconds_remaining": remaining, "time_step": step});
    }
    v
}

/// `GET /sandbox/verify/Entities[?ServiceSid=VA…]`: every entity, oldest first, with its
/// factors (TOTP factors with their current code on the sandbox clock).
fn entities_list(ctx: &Ctx<'_>) -> Reply {
    let service = ctx.form.text("ServiceSid");
    let st = ctx.shared.lock();
    let now = st.now();
    let es = &st.twilio.entities;
    let mut list: Vec<_> = es
        .entities
        .values()
        .filter(|e| service.is_none_or(|s| e.service_sid == s))
        .collect();
    list.sort_by_key(|e| e.seq);
    let entities: Vec<Value> = list
        .into_iter()
        .map(|e| {
            let mut fs: Vec<&Factor> = es
                .factors
                .values()
                .filter(|f| f.entity_sid == e.sid)
                .collect();
            fs.sort_by_key(|f| f.seq);
            json!({
                "sid": e.sid,
                "service_sid": e.service_sid,
                "service_friendly_name": service_name(&st, &e.service_sid),
                "identity": e.identity,
                "created_at": e.created_at,
                "factors": fs.iter().map(|f| factor_json(f, es.device_keys.contains_key(&f.sid), now)).collect::<Vec<_>>(),
            })
        })
        .collect();
    ok(json!({"entities": entities, "now": now, "success": true}))
}
