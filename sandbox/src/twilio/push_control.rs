//! Control routes for TOTP and Push under `/sandbox/verify/...` (not part of Verify): the
//! current code of a TOTP factor on the sandbox clock, a push factor whose device key the
//! sandbox holds, approving or denying a pending challenge as the device would, and the webhook
//! deliveries made.

use serde_json::{Value, json};

use super::challenges::{self, Answer};
use super::entities::{bad, valid_identity};
use super::entity_state::{Binding, PushBinding};
use super::envelope::{created, error, ok, sid};
use super::factors::{self, MAX_FRIENDLY_NAME};
use super::push::DeviceKey;
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "GET /sandbox/verify/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}/Code",
        handler: totp_code,
    },
    Route {
        key: "POST /sandbox/verify/Services/{ServiceSid}/Entities/{Identity}/PushFactors",
        handler: push_factor,
    },
    Route {
        key: "POST /sandbox/verify/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}/Approve",
        handler: approve,
    },
    Route {
        key: "POST /sandbox/verify/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}/Deny",
        handler: deny,
    },
    Route {
        key: "GET /sandbox/verify/Webhooks/Deliveries",
        handler: deliveries,
    },
    Route {
        key: "POST /sandbox/verify/Webhooks/Settings",
        handler: settings,
    },
];

fn totp_code(ctx: &Ctx<'_>) -> Reply {
    let (st, f) = match factors::lock_factor(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let now = st.now();
    match factors::current_code(&f, now) {
        Some((code, remaining, step)) => ok(json!({
            "factor_sid": f.sid,
            "code": code,
            "seconds_remaining": remaining,
            "time_step": step,
            "now": now,
        })),
        None => bad("Sid"),
    }
}

/// Creates a push factor with a key the sandbox generates and keeps, through the same path as
/// `POST …/Factors` (limits, entity creation, `factor.created`), then verifies it with a
/// signature made by that key unless `Verify=false` (`factor.verified`).
fn push_factor(ctx: &Ctx<'_>) -> Reply {
    match push_factor_inner(ctx) {
        Ok(v) => created(v),
        Err(r) => r,
    }
}

fn push_factor_inner(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let form = ctx.form;
    let identity = ctx.arg("Identity");
    if !valid_identity(identity) {
        return Err(bad("Identity"));
    }
    let friendly_name = form
        .text_max("FriendlyName", MAX_FRIENDLY_NAME)?
        .unwrap_or("Sandbox device");
    let platform = form.text("Config.NotificationPlatform").unwrap_or("none");
    let token = form.text("Config.NotificationToken");
    if !["apn", "fcm", "none"].contains(&platform) {
        return Err(bad("Config.NotificationPlatform"));
    }
    if platform != "none"
        && !token.is_some_and(|t| factors::NOTIFICATION_TOKEN_LEN.contains(&t.len()))
    {
        return Err(bad("Config.NotificationToken"));
    }
    let verify = form.boolean("Verify")?.unwrap_or(true);
    let metadata = factors::read_metadata(ctx)?;
    let key = DeviceKey::generate().ok_or_else(|| error(500, 20500, "no randomness"))?;
    let mut st = ctx.lock_service()?;
    let binding = PushBinding {
        key: key.public_key().clone(),
        sdk_version: form
            .text("Config.SdkVersion")
            .unwrap_or("sandbox")
            .to_string(),
        app_id: form
            .text("Config.AppId")
            .unwrap_or("com.example.sandbox")
            .to_string(),
        notification_platform: platform.to_string(),
        notification_token: token.filter(|_| platform != "none").map(str::to_string),
        credential_sid: sid("CR"),
    };
    let public_key = binding.key.to_base64();
    let mut f = factors::insert_factor(
        ctx,
        &mut st,
        identity,
        friendly_name,
        Binding::Push(binding),
        metadata,
    )?;
    if verify {
        let now = st.now();
        let payload = key.factor_payload(&f.sid);
        let proven = factors::prove(&mut f, &payload, now)?;
        f.updated_at = now;
        st.twilio.entities.factors.insert(f.sid.clone(), f.clone());
        if proven {
            super::webhooks::emit(ctx, &mut st, "factor.verified", &f, None);
        }
    }
    st.twilio.entities.device_keys.insert(f.sid.clone(), key);
    Ok(factors::to_json(
        ctx,
        &f,
        Some(json!({"alg": "ES256", "public_key": public_key})),
    ))
}

fn approve(ctx: &Ctx<'_>) -> Reply {
    decide(ctx, "approved")
}

fn deny(ctx: &Ctx<'_>) -> Reply {
    decide(ctx, "denied")
}

/// Answers a pending challenge as its device would: a push challenge with a JWT signed by the
/// key the sandbox holds (checked like any device's), or without a signature when the factor's
/// key is the test's own; a TOTP challenge (approve only) with the current code.
fn decide(ctx: &Ctx<'_>, status: &'static str) -> Reply {
    let sid = ctx.arg("Sid");
    let prepared = {
        let (st, _, c) = match challenges::lock_challenge(ctx, sid) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let now = st.now();
        let es = &st.twilio.entities;
        match es.factors.get(&c.factor_sid).map(|f| &f.binding) {
            Some(Binding::Totp(_)) if status == "denied" => return bad("Sid"),
            Some(Binding::Totp(_)) => {
                let f = &es.factors[&c.factor_sid];
                (factors::current_code(f, now).map(|(code, ..)| code), true)
            }
            _ => match es.device_keys.get(&c.factor_sid) {
                Some(key) => {
                    let served = challenges::to_json(ctx, &c, now);
                    let fields = challenges::signed_fields(&served);
                    let claims = super::push::answer_claims(&served, &fields, status);
                    (Some(key.sign_jws(&Default::default(), &claims)), true)
                }
                None => (None, false),
            },
        }
    };
    let answer = match &prepared {
        (Some(payload), _) => Answer::Payload(Some(payload)),
        (None, _) => Answer::Unsigned(status),
    };
    match challenges::respond(ctx, sid, answer, None) {
        Ok(c) => ok(json!({"challenge": c, "signed": prepared.1})),
        Err(r) => r,
    }
}

fn deliveries(ctx: &Ctx<'_>) -> Reply {
    let log = ctx.shared.lock().twilio.entities.deliveries.clone();
    let l = log.lock().unwrap_or_else(|e| e.into_inner());
    let kind = ctx.form.text("Type");
    let records: Vec<&Value> = l
        .records
        .iter()
        .filter(|r| kind.is_none_or(|k| r["type"] == k))
        .collect();
    ok(json!({"deliveries": records, "in_flight": l.in_flight}))
}

fn settings(ctx: &Ctx<'_>) -> Reply {
    let totp_events = match ctx.form.boolean("TotpEvents") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut st = ctx.shared.lock();
    if let Some(v) = totp_events {
        st.twilio.entities.totp_events = v;
    }
    ok(json!({"totp_events": st.twilio.entities.totp_events}))
}
