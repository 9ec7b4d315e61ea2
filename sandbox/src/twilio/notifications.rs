//! Notifications (verify-v2.md §2.6): `POST
//! /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications`
//! re-sends the push of a pending push challenge. The sandbox delivers nothing to a phone; it
//! answers the record (and the control API's factor shows no change).

use serde_json::json;

use super::entities::{bad, lock_entity};
use super::envelope::{created, date, error, sid};
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[Route {
    key: "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications",
    handler: create,
}];

/// `Ttl` bounds (seconds) and default.
pub const TTL_RANGE: std::ops::RangeInclusive<i64> = 0..=300;
/// Default `Ttl`.
pub const DEFAULT_TTL: i64 = 300;

fn create(ctx: &Ctx<'_>) -> Reply {
    let ttl = match ctx.form.text("Ttl") {
        None => DEFAULT_TTL,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(n) if TTL_RANGE.contains(&n) => n,
            _ => return bad("Ttl"),
        },
    };
    let (st, entity) = match lock_entity(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let now = st.now();
    let Some(c) = st
        .twilio
        .entities
        .challenge_of(&entity.sid, ctx.arg("ChallengeSid"))
    else {
        return ctx.not_found();
    };
    match c.status_at(now) {
        "pending" => {}
        "expired" => return error(403, 60323, "Challenge verification window expired"),
        _ => return error(403, 60322, "The Challenge was already responded before"),
    }
    if c.factor_type != "push" {
        return bad("ChallengeSid");
    }
    created(json!({
        "sid": sid("NT"),
        "account_sid": ctx.account_sid(),
        "service_sid": c.service_sid,
        "entity_sid": c.entity_sid,
        "identity": c.identity,
        "challenge_sid": c.sid,
        "priority": "high",
        "ttl": ttl,
        "date_created": date(now),
    }))
}
