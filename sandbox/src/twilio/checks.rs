//! VerificationCheck (verify-v2.md §2.3, §4.1): `POST /Services/{VA}/VerificationCheck` with
//! `Code` and `To` or `VerificationSid`. A right code approves (200 `approved`); a wrong one is
//! 200 `pending`; after 5 wrong codes the next check is 429 60202 and the verification is gone.

use serde_json::{Value, json};

use super::envelope::{date, error, invalid_parameter, ok};
use super::state::{MAX_CHECKS, Verification};
use super::verifications::mark_converted;
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[Route {
    key: "POST /v2/Services/{ServiceSid}/VerificationCheck",
    handler: check,
}];

/// The answer (no `url`, verify-v2.md §2.3).
fn to_json(ctx: &Ctx<'_>, v: &Verification, now: i64) -> Value {
    let status = v.status_at(now);
    json!({
        "sid": v.sid,
        "service_sid": v.service_sid,
        "account_sid": ctx.account_sid(),
        "to": v.to,
        "channel": v.channel,
        "status": status,
        "valid": status == "approved",
        "amount": v.amount,
        "payee": v.payee,
        "sna_attempts_error_codes": [],
        "date_created": date(v.created_at),
        "date_updated": date(v.updated_at),
    })
}

fn check(ctx: &Ctx<'_>) -> Reply {
    let form = ctx.form;
    let code = form.text("Code");
    if let Some(c) = code
        && !(4..=10).contains(&c.chars().count())
    {
        return invalid_parameter("Code");
    }
    let to = form.text("To");
    let by_sid = form.text("VerificationSid");
    if to.is_none() && by_sid.is_none() {
        return invalid_parameter("To");
    }
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    let service = ctx.arg("ServiceSid");
    let psd2 = st.twilio.services[service].flag("psd2_enabled");
    let sid = match (by_sid, to) {
        (Some(s), _) => Some(s.to_string()),
        (None, Some(to)) => st
            .twilio
            .latest
            .get(&(service.to_string(), to.to_string()))
            .cloned(),
        (None, None) => None,
    };
    let Some(v) = sid
        .and_then(|s| st.twilio.verifications.get_mut(&s))
        .filter(|v| v.service_sid == service && v.active(now))
        .filter(|v| to.is_none_or(|t| t == v.to))
    else {
        return ctx.not_found();
    };
    if v.code.is_some() && code.is_none() {
        return invalid_parameter("Code");
    }
    if psd2 && (form.text("Amount").is_none() || form.text("Payee").is_none()) {
        return error(400, 60206, "'Amount' & 'Payee' params are required");
    }
    if v.wrong_checks >= MAX_CHECKS {
        v.status = "max_attempts_reached";
        v.updated_at = now;
        return error(429, 60202, "Max check attempts reached");
    }
    let right = match &v.code {
        Some(expected) => code == Some(expected.as_str()),
        None => v.sna_verified,
    } && (!psd2
        || (form.text("Amount") == v.amount.as_deref()
            && form.text("Payee") == v.payee.as_deref()));
    if right {
        v.status = "approved";
        v.updated_at = now;
        let answer = to_json(ctx, v, now);
        let ve = v.sid.clone();
        mark_converted(&mut st.twilio, &ve, now);
        ok(answer)
    } else {
        if v.code.is_some() {
            v.wrong_checks += 1;
        }
        ok(to_json(ctx, v, now))
    }
}
