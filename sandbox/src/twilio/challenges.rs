//! Challenges (verify-v2.md §2.6, §4.2, §4.4.4): `POST/GET
//! /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges` and `GET/POST …/Challenges/{Sid}`.
//! A TOTP challenge is answered with a code (at creation or later; a wrong one leaves it
//! `pending`; after 5 wrong codes, 429 60308). A push challenge is answered by the device with
//! an ES256 JWT over the fields named in the `Twilio-Verify-Signature-Fields` header of its GET,
//! plus `status`. State errors (60322 answered, 60323 expired) come before the check (60324).
//! Challenges expire on the sandbox clock (default 5 minutes, at most 60).

use std::sync::MutexGuard;

use serde_json::{Map, Value, json};

use super::entities::{bad, entity_path, lock_entity};
use super::entity_state::{
    Binding, Challenge, DEFAULT_CHALLENGE_TTL, Entity, Factor, MAX_CHALLENGE_ATTEMPTS,
    MAX_CHALLENGE_TTL,
};
use super::envelope::{created, date, error, invalid_parameter, is_sid, not_found, ok, sid};
use super::factors::{MAX_AUTH_PAYLOAD, read_metadata};
use super::{Ctx, Route, page, push, totp, webhooks};
use crate::reply::Reply;
use crate::state::State;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}",
        handler: update,
    },
];

/// Header of a pending push challenge's GET: the fields the device must sign.
pub const SIGNATURE_FIELDS_HEADER: &str = "twilio-verify-signature-fields";
/// The fields a device signs (those that are not null in the answer).
pub const SIGNED_FIELDS: &[&str] = &[
    "sid",
    "account_sid",
    "service_sid",
    "entity_sid",
    "factor_sid",
    "date_created",
    "date_updated",
    "expiration_date",
    "details",
    "hidden_details",
    "status",
];
/// Longest `Details.Message`.
pub const MAX_MESSAGE: usize = 256;
/// Most `Details.Fields`.
pub const MAX_FIELDS: usize = 20;
/// Longest field label.
pub const MAX_LABEL: usize = 36;
/// Longest field value.
pub const MAX_VALUE: usize = 128;
/// Longest `HiddenDetails` JSON text.
pub const MAX_HIDDEN_DETAILS: usize = 1024;

/// `/v2/Services/{VA}/Entities/{identity}/Challenges/{YC}`.
fn challenge_path(c: &Challenge) -> String {
    format!(
        "{}/Challenges/{}",
        entity_path(&c.service_sid, &c.identity),
        c.sid
    )
}

/// The answer for a challenge at `now`.
pub fn to_json(ctx: &Ctx<'_>, c: &Challenge, now: i64) -> Map<String, Value> {
    let url = ctx.url(&challenge_path(c));
    let v = json!({
        "sid": c.sid,
        "account_sid": ctx.account_sid(),
        "service_sid": c.service_sid,
        "entity_sid": c.entity_sid,
        "identity": c.identity,
        "factor_sid": c.factor_sid,
        "date_created": date(c.created_at),
        "date_updated": date(c.updated_at),
        "date_responded": c.responded_at.map(date),
        "expiration_date": date(c.expires_at),
        "status": c.status_at(now),
        "responded_reason": "none",
        "details": c.details,
        "hidden_details": c.hidden_details,
        "metadata": c.metadata,
        "factor_type": c.factor_type,
        "url": url,
        "links": {"notifications": format!("{url}/Notifications")},
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The signed fields of a challenge's answer: [`SIGNED_FIELDS`] that are not null.
pub fn signed_fields(answer: &Map<String, Value>) -> Vec<&'static str> {
    SIGNED_FIELDS
        .iter()
        .copied()
        .filter(|f| answer.get(*f).is_some_and(|v| !v.is_null()))
        .collect()
}

/// `Details.Message` / `Details.Fields` as the `details` object (null when neither is given);
/// a push challenge needs the message (400 60368).
fn read_details(ctx: &Ctx<'_>, push: bool, include_date: Option<i64>) -> Result<Value, Reply> {
    let details_error = || error(400, 60368, "Challenge details invalid or not provided");
    let message = ctx.form.text("Details.Message");
    let raw_fields = ctx.form.all("Details.Fields");
    if message.is_none() {
        return if push || !raw_fields.is_empty() {
            Err(details_error())
        } else {
            Ok(Value::Null)
        };
    }
    let message = message.unwrap_or_default();
    if message.chars().count() > MAX_MESSAGE || raw_fields.len() > MAX_FIELDS {
        return Err(details_error());
    }
    let mut fields = Vec::new();
    for raw in raw_fields {
        let Ok(Value::Object(f)) = serde_json::from_str::<Value>(raw) else {
            return Err(details_error());
        };
        // `label` and `value` are strings within their lengths; other keys are dropped.
        let text = |k: &str, max: usize| {
            f.get(k)
                .and_then(Value::as_str)
                .filter(|s| s.chars().count() <= max)
        };
        match (text("label", MAX_LABEL), text("value", MAX_VALUE)) {
            (Some(l), Some(v)) => fields.push(json!({"label": l, "value": v})),
            _ => return Err(details_error()),
        }
    }
    let mut d = Map::new();
    d.insert("message".into(), json!(message));
    if let Some(ts) = include_date {
        d.insert("date".into(), json!(date(ts)));
    }
    if !fields.is_empty() {
        d.insert("fields".into(), Value::Array(fields));
    }
    Ok(Value::Object(d))
}

/// `HiddenDetails`: a JSON object of string values, at most [`MAX_HIDDEN_DETAILS`] characters.
fn read_hidden_details(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let Some(text) = ctx.form.text("HiddenDetails") else {
        return Ok(Value::Null);
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m))
            if text.chars().count() <= MAX_HIDDEN_DETAILS && m.values().all(Value::is_string) =>
        {
            Ok(Value::Object(m))
        }
        _ => Err(bad("HiddenDetails")),
    }
}

/// `ExpirationDate`: after `now`, at most [`MAX_CHALLENGE_TTL`] seconds later; default
/// `now + DEFAULT_CHALLENGE_TTL`.
fn read_expiration(ctx: &Ctx<'_>, now: i64) -> Result<i64, Reply> {
    match ctx.form.text("ExpirationDate") {
        None => Ok(now + DEFAULT_CHALLENGE_TTL),
        Some(text) => crate::clock::parse_iso8601(text)
            .filter(|t| *t > now && *t <= now + MAX_CHALLENGE_TTL)
            .ok_or_else(|| bad("ExpirationDate")),
    }
}

fn create(ctx: &Ctx<'_>) -> Reply {
    match create_inner(ctx) {
        Ok(v) => created(Value::Object(v)),
        Err(r) => r,
    }
}

fn create_inner(ctx: &Ctx<'_>) -> Result<Map<String, Value>, Reply> {
    let factor_sid = match ctx.form.text("FactorSid") {
        Some(s) if is_sid("YF", s) => s,
        Some(_) => return Err(bad("FactorSid")),
        None => return Err(invalid_parameter("FactorSid")),
    };
    let hidden_details = read_hidden_details(ctx)?;
    let payload = ctx.form.get("AuthPayload");
    if payload.is_some_and(|p| p.len() > MAX_AUTH_PAYLOAD) {
        return Err(bad("AuthPayload"));
    }
    let (mut st, entity) = lock_entity(ctx)?;
    let now = st.now();
    let Some(factor) = st
        .twilio
        .entities
        .factor_of(&entity.sid, factor_sid)
        .cloned()
    else {
        return Err(not_found(&format!(
            "{}/Factors/{factor_sid}",
            entity_path(&entity.service_sid, &entity.identity)
        )));
    };
    if !factor.verified {
        return Err(error(403, 60318, "Factor is unverified"));
    }
    let include_date = st
        .twilio
        .services
        .get(&entity.service_sid)
        .is_some_and(|s| s.nested("push", "include_date") == Some(&Value::Bool(true)))
        .then_some(now);
    let is_push = matches!(factor.binding, Binding::Push(_));
    let details = read_details(ctx, is_push, include_date.filter(|_| is_push))?;
    let expires_at = read_expiration(ctx, now)?;
    let seq = st.twilio.next_seq();
    let mut c = Challenge {
        sid: sid("YC"),
        service_sid: entity.service_sid.clone(),
        entity_sid: entity.sid.clone(),
        identity: entity.identity.clone(),
        factor_sid: factor.sid.clone(),
        factor_type: factor.factor_type(),
        answer: None,
        details,
        hidden_details,
        metadata: Value::Null,
        wrong_attempts: 0,
        seq,
        created_at: now,
        updated_at: now,
        responded_at: None,
        expires_at,
    };
    if let (Binding::Totp(t), Some(code)) = (&factor.binding, payload) {
        if totp::verify(&t.key, &t.config, now, code) {
            c.answer = Some("approved");
            c.responded_at = Some(now);
        } else {
            c.wrong_attempts = 1;
        }
    }
    st.twilio.entities.insert_challenge(c.clone(), now);
    if c.answer.is_some() {
        webhooks::emit(ctx, &mut st, "challenge.approved", &factor, Some(&c));
    }
    Ok(to_json(ctx, &c, now))
}

/// Locks the state and finds the `{Sid}` challenge of the `{Identity}` entity.
pub fn lock_challenge<'a>(
    ctx: &Ctx<'a>,
    sid: &str,
) -> Result<(MutexGuard<'a, State>, Entity, Challenge), Reply> {
    let (st, e) = lock_entity(ctx)?;
    match st.twilio.entities.challenge_of(&e.sid, sid) {
        Some(c) => {
            let c = c.clone();
            Ok((st, e, c))
        }
        None => Err(ctx.not_found()),
    }
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let (st, _, c) = match lock_challenge(ctx, ctx.arg("Sid")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let now = st.now();
    drop(st);
    let answer = to_json(ctx, &c, now);
    let header = (c.factor_type == "push" && c.status_at(now) == "pending")
        .then(|| signed_fields(&answer).join(","));
    let reply = ok(Value::Object(answer));
    match header {
        Some(h) => reply.with_header(SIGNATURE_FIELDS_HEADER, h),
        None => reply,
    }
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let form = ctx.form;
    let factor = match form.text("FactorSid") {
        Some(s) if !is_sid("YF", s) => return bad("FactorSid"),
        other => other,
    };
    let status = match form.text("Status") {
        Some(s) if !["pending", "expired", "approved", "denied"].contains(&s) => {
            return bad("Status");
        }
        other => other,
    };
    let desc = match form.text("Order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return bad("Order"),
    };
    let (st, e) = match lock_entity(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let now = st.now();
    let mut challenges: Vec<&Challenge> = st
        .twilio
        .entities
        .challenges
        .values()
        .filter(|c| c.entity_sid == e.sid)
        .filter(|c| factor.is_none_or(|f| c.factor_sid == f))
        .filter(|c| status.is_none_or(|s| c.status_at(now) == s))
        .collect();
    challenges.sort_by_key(|c| c.seq);
    if desc {
        challenges.reverse();
    }
    let records = challenges
        .iter()
        .map(|c| Value::Object(to_json(ctx, c, now)))
        .collect();
    drop(st);
    page::render(
        ctx,
        "challenges",
        records,
        &["FactorSid", "Status", "Order"],
    )
}

fn update(ctx: &Ctx<'_>) -> Reply {
    let metadata = match read_metadata(ctx) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let payload = ctx.form.text("AuthPayload");
    match respond(ctx, ctx.arg("Sid"), Answer::Payload(payload), metadata) {
        Ok(v) => ok(Value::Object(v)),
        Err(r) => r,
    }
}

/// How a challenge is answered.
pub enum Answer<'a> {
    /// An `AuthPayload` (TOTP code or device JWT), checked.
    Payload(Option<&'a str>),
    /// A decision of the control API that skips the cryptography (factors whose key the sandbox
    /// does not hold).
    Unsigned(&'static str),
}

/// Answers challenge `sid` of the `{Identity}` entity: state errors first (403 60322 answered,
/// 403 60323 expired), then the payload. Returns the challenge's answer. Shared by the API
/// and the control API.
pub fn respond(
    ctx: &Ctx<'_>,
    sid: &str,
    answer: Answer<'_>,
    metadata: Option<Value>,
) -> Result<Map<String, Value>, Reply> {
    let (mut st, _, mut c) = lock_challenge(ctx, sid)?;
    let now = st.now();
    match c.status_at(now) {
        "approved" | "denied" => {
            return Err(error(
                403,
                60322,
                "The Challenge was already responded before",
            ));
        }
        "expired" => return Err(error(403, 60323, "Challenge verification window expired")),
        _ => {}
    }
    let Some(factor) = st.twilio.entities.factors.get(&c.factor_sid).cloned() else {
        return Err(not_found(&format!(
            "/v2/Services/{}/Factors/{}",
            c.service_sid, c.factor_sid
        )));
    };
    let decided = match answer {
        Answer::Unsigned(status) => Some(status),
        Answer::Payload(payload) => check_payload(ctx, &factor, &mut c, payload, now)?,
    };
    c.updated_at = now;
    if let Some(m) = metadata {
        c.metadata = m;
    }
    if let Some(status) = decided {
        c.answer = Some(status);
        c.responded_at = Some(now);
    }
    st.twilio
        .entities
        .challenges
        .insert(c.sid.clone(), c.clone());
    if let Some(status) = decided {
        let event = if status == "approved" {
            "challenge.approved"
        } else {
            "challenge.denied"
        };
        webhooks::emit(ctx, &mut st, event, &factor, Some(&c));
    }
    Ok(to_json(ctx, &c, now))
}

/// Checks an `AuthPayload` against a pending challenge: `Ok(Some(status))` when it decides it,
/// `Ok(None)` for a wrong TOTP code (counted).
fn check_payload(
    ctx: &Ctx<'_>,
    factor: &Factor,
    c: &mut Challenge,
    payload: Option<&str>,
    now: i64,
) -> Result<Option<&'static str>, Reply> {
    if payload.is_some_and(|p| p.len() > MAX_AUTH_PAYLOAD) {
        return Err(bad("AuthPayload"));
    }
    match &factor.binding {
        Binding::Totp(t) => {
            let Some(code) = payload else {
                return Err(invalid_parameter("AuthPayload"));
            };
            if c.wrong_attempts >= MAX_CHALLENGE_ATTEMPTS {
                return Err(error(
                    429,
                    60308,
                    &format!(
                        "Max verification attempts of {MAX_CHALLENGE_ATTEMPTS} reached for this Challenge"
                    ),
                ));
            }
            if totp::verify(&t.key, &t.config, now, code) {
                Ok(Some("approved"))
            } else {
                c.wrong_attempts += 1;
                Ok(None)
            }
        }
        Binding::Push(p) => {
            let signature_missing = || error(400, 60381, "Signature invalid or not provided");
            let token = payload.ok_or_else(signature_missing)?;
            let served = to_json(ctx, c, now);
            let fields = signed_fields(&served);
            match push::check_challenge_answer(token, &p.key, &served, &fields) {
                Ok(status) => Ok(Some(status)),
                Err(push::AnswerError::Malformed) => Err(signature_missing()),
                Err(push::AnswerError::Invalid) => Err(error(
                    403,
                    60324,
                    "Verification attempt was unsuccessful, AuthPayload is invalid",
                )),
            }
        }
    }
}
