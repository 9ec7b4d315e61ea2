//! Control routes for Verify under `/sandbox/verify/...` (not part of the real API; the
//! account's Basic credentials or the Authy API key open them): what a handset would have
//! received, and the device side of SNA.

use serde_json::{Value, json};

use super::envelope::{date, error, ok};
use super::state::Verification;
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "GET /sandbox/verify/code",
        handler: code,
    },
    Route {
        key: "GET /sandbox/verify/verifications",
        handler: verifications,
    },
    Route {
        key: "GET /sandbox/verify/sna/{VerificationSid}",
        handler: sna,
    },
    Route {
        key: "POST /sandbox/verify/sna/{VerificationSid}",
        handler: sna,
    },
];

/// A verification as the control API shows it (with its code and counters).
fn record(v: &Verification, now: i64) -> Value {
    json!({
        "verification_sid": v.sid,
        "service_sid": v.service_sid,
        "to": v.to,
        "channel": v.channel,
        "code": v.code,
        "status": v.status_at(now),
        "sends": v.sends.len(),
        "channels": v.sends.iter().map(|s| s.channel.as_str()).collect::<Vec<_>>(),
        "wrong_checks": v.wrong_checks,
        "locale": v.locale,
        "date_created": date(v.created_at),
        "sent_at": v.sends.last().map(|s| date(s.time)),
        "expires_at": date(v.created_at + super::state::VERIFICATION_TTL),
    })
}

/// Verifications matching the `To`, `ServiceSid` and `Channel` filters, newest first.
fn matching<'s>(
    ctx: &Ctx<'_>,
    all: impl Iterator<Item = &'s Verification>,
) -> Vec<&'s Verification> {
    let to = ctx.form.text("To");
    let service = ctx.form.text("ServiceSid");
    let channel = ctx.form.text("Channel");
    let mut found: Vec<&Verification> = all
        .filter(|v| to.is_none_or(|t| t == v.to))
        .filter(|v| service.is_none_or(|s| s == v.service_sid))
        .filter(|v| {
            channel.is_none_or(|c| v.sends.iter().any(|s| s.channel.eq_ignore_ascii_case(c)))
        })
        .collect();
    found.sort_by_key(|v| std::cmp::Reverse(v.seq));
    found
}

/// `GET /sandbox/verify/code?To=…[&ServiceSid=VA…][&Channel=sms]`: the code of the latest
/// verification sent to `To` (404 20404 when none).
fn code(ctx: &Ctx<'_>) -> Reply {
    if ctx.form.text("To").is_none() {
        return super::envelope::invalid_parameter("To");
    }
    let st = ctx.shared.lock();
    let now = st.now();
    match matching(ctx, st.twilio.verifications.values()).first() {
        Some(v) => {
            let mut r = record(v, now);
            r["success"] = json!(true);
            ok(r)
        }
        None => error(404, 20404, "No verification was sent to this destination"),
    }
}

/// `GET /sandbox/verify/verifications[?To=…][&ServiceSid=…][&Channel=…]`: every verification
/// the sandbox still holds (also approved, canceled, expired), newest first, with codes.
fn verifications(ctx: &Ctx<'_>) -> Reply {
    let st = ctx.shared.lock();
    let now = st.now();
    let list: Vec<Value> = matching(ctx, st.twilio.verifications.values())
        .into_iter()
        .map(|v| record(v, now))
        .collect();
    ok(json!({"verifications": list, "success": true}))
}

/// The device opens a verification's `sna.url`: the next `VerificationCheck` approves it.
fn sna(ctx: &Ctx<'_>) -> Reply {
    let mut st = ctx.shared.lock();
    let now = st.now();
    let sid = ctx.arg("VerificationSid");
    match st
        .twilio
        .verifications
        .get_mut(sid)
        .filter(|v| v.channel == "sna" && v.active(now))
    {
        Some(v) => {
            v.sna_verified = true;
            ok(json!({"verification_sid": sid, "sna_verified": true, "success": true}))
        }
        None => ctx.not_found(),
    }
}
