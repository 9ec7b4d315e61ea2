//! Factors (verify-v2.md §2.5, §4.3, §4.4.3): `POST/GET
//! /v2/Services/{ServiceSid}/Entities/{Identity}/Factors` and `GET/POST/DELETE
//! …/Factors/{Sid}`. TOTP factors get a Base32 secret and an `otpauth://` URI, returned only by
//! the create answer, and are verified with a code (a wrong one is 200 `unverified`; after 5
//! wrong codes, 429 60310). Push factors carry the device's P-256 key and are verified with a
//! DER signature over the factor SID (403 60311 otherwise). Creating a factor for an unknown
//! identity creates the entity.

use serde_json::{Value, json};

use super::entities::{bad, ensure_entity, entity_path, lock_entity, valid_identity};
use super::entity_state::{
    Binding, Entity, Factor, MAX_FACTOR_ATTEMPTS, MAX_FACTOR_CREATIONS_PER_DAY, MAX_PUSH_FACTORS,
    MAX_TOTP_FACTORS, PushBinding, TotpBinding,
};
use super::envelope::{created, date, error, invalid_parameter, no_content, ok, sid};
use super::push::PublicKey;
use super::{Ctx, Route, page, totp, webhooks};
use crate::reply::Reply;
use crate::state::State;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
        handler: update,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
        handler: delete,
    },
];

/// Longest `FriendlyName`.
pub const MAX_FRIENDLY_NAME: usize = 64;
/// Longest `Config.AppId`.
pub const MAX_APP_ID: usize = 100;
/// `Config.NotificationToken` length bounds.
pub const NOTIFICATION_TOKEN_LEN: std::ops::RangeInclusive<usize> = 32..=255;
/// Longest `Metadata` JSON text.
pub const MAX_METADATA: usize = 1024;
/// Longest `AuthPayload` (the push challenge JWT bound; a factor payload is far shorter).
pub const MAX_AUTH_PAYLOAD: usize = 5456;
/// Longest `Config.SdkVersion`.
pub const MAX_SDK_VERSION: usize = 64;
/// Longest `Binding.Secret` text (Base32 of a 256-byte key).
pub const MAX_SECRET: usize = 416;
/// Seconds in the 60326 window.
const DAY: i64 = 86_400;

/// `/v2/Services/{VA}/Entities/{identity}/Factors/{YF}`.
pub fn factor_path(f: &Factor) -> String {
    format!(
        "{}/Factors/{}",
        entity_path(&f.service_sid, &f.identity),
        f.sid
    )
}

/// The answer for a factor; `binding` only in the create answer.
pub fn to_json(ctx: &Ctx<'_>, f: &Factor, binding: Option<Value>) -> Value {
    let config = match &f.binding {
        Binding::Totp(t) => json!({
            "alg": t.config.alg.as_str(),
            "skew": t.config.skew,
            "code_length": t.config.code_length,
            "time_step": t.config.time_step,
        }),
        Binding::Push(p) => json!({
            "sdk_version": p.sdk_version,
            "app_id": p.app_id,
            "notification_platform": p.notification_platform,
            "notification_token": p.notification_token,
            "credential_sid": p.credential_sid,
        }),
    };
    let mut v = json!({
        "sid": f.sid,
        "account_sid": ctx.account_sid(),
        "service_sid": f.service_sid,
        "entity_sid": f.entity_sid,
        "identity": f.identity,
        "date_created": date(f.created_at),
        "date_updated": date(f.updated_at),
        "friendly_name": f.friendly_name,
        "status": f.status(),
        "factor_type": f.factor_type(),
        "config": config,
        "metadata": f.metadata,
        "url": ctx.url(&factor_path(f)),
    });
    if let (Some(b), Some(m)) = (binding, v.as_object_mut()) {
        m.insert("binding".into(), b);
        m.insert("options".into(), Value::Null);
    }
    v
}

/// `Metadata`: a JSON object of string values, at most [`MAX_METADATA`] characters.
pub fn read_metadata(ctx: &Ctx<'_>) -> Result<Option<Value>, Reply> {
    let Some(text) = ctx.form.text("Metadata") else {
        return Ok(None);
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m))
            if text.chars().count() <= MAX_METADATA && m.values().all(Value::is_string) =>
        {
            Ok(Some(Value::Object(m)))
        }
        _ => Err(bad("Metadata")),
    }
}

/// Optional integer `name` within `range` (400 60306 otherwise).
fn config_int(
    ctx: &Ctx<'_>,
    name: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<Option<u32>, Reply> {
    match ctx.form.text(name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| bad(name)),
    }
}

/// The TOTP settings of a create (or an update, over `base`): each from the request, else
/// `base`.
fn totp_config(ctx: &Ctx<'_>, base: totp::Config) -> Result<totp::Config, Reply> {
    let alg = match ctx.form.text("Config.Alg") {
        None => base.alg,
        Some(a) => totp::Alg::parse(a).ok_or_else(|| bad("Config.Alg"))?,
    };
    Ok(totp::Config {
        alg,
        time_step: config_int(ctx, "Config.TimeStep", totp::TIME_STEP_RANGE)?
            .unwrap_or(base.time_step),
        code_length: config_int(ctx, "Config.CodeLength", totp::CODE_LENGTH_RANGE)?
            .unwrap_or(base.code_length),
        skew: config_int(ctx, "Config.Skew", totp::SKEW_RANGE)?.unwrap_or(base.skew),
    })
}

/// The service's TOTP defaults (`totp.*`, each 30/6/1 when unset).
fn service_totp_defaults(st: &State, service_sid: &str) -> (totp::Config, Option<String>) {
    let mut c = totp::Config::default();
    let Some(s) = st.twilio.services.get(service_sid) else {
        return (c, None);
    };
    let n = |k: &str| {
        s.nested("totp", k)
            .and_then(Value::as_u64)
            .map(|v| v as u32)
    };
    c.time_step = n("time_step").unwrap_or(c.time_step);
    c.code_length = n("code_length").unwrap_or(c.code_length);
    c.skew = n("skew").unwrap_or(c.skew);
    let issuer = s
        .nested("totp", "issuer")
        .and_then(Value::as_str)
        .unwrap_or(s.friendly_name())
        .to_string();
    (c, Some(issuer))
}

/// The push part of a create: key, app, platform and token.
fn read_push(ctx: &Ctx<'_>, st: &State, service_sid: &str) -> Result<PushBinding, Reply> {
    let form = ctx.form;
    match form.text("Binding.Alg") {
        Some("ES256") => {}
        _ => return Err(binding_invalid()),
    }
    let key = form
        .text("Binding.PublicKey")
        .and_then(PublicKey::from_base64)
        .ok_or_else(binding_invalid)?;
    let (sdk_version, app_id) = read_push_app(ctx)?;
    let (platform, token) = read_platform(ctx, None)?;
    Ok(PushBinding {
        key,
        sdk_version: sdk_version.ok_or_else(|| bad("Config.SdkVersion"))?,
        app_id: app_id.ok_or_else(|| bad("Config.AppId"))?,
        credential_sid: credential_sid(st, service_sid, &platform),
        notification_platform: platform,
        notification_token: token,
    })
}

/// `Config.SdkVersion` and `Config.AppId`, when given.
fn read_push_app(ctx: &Ctx<'_>) -> Result<(Option<String>, Option<String>), Reply> {
    let text = |name: &str, max: usize| -> Result<Option<String>, Reply> {
        match ctx.form.text(name) {
            Some(v) if v.chars().count() > max => Err(bad(name)),
            other => Ok(other.map(str::to_string)),
        }
    };
    Ok((
        text("Config.SdkVersion", MAX_SDK_VERSION)?,
        text("Config.AppId", MAX_APP_ID)?,
    ))
}

/// `Config.NotificationPlatform` (`apn`, `fcm`, `none`) and `Config.NotificationToken`
/// (32–255 characters, needed unless the platform is `none`); on update, `current` fills what
/// the request leaves out.
fn read_platform(
    ctx: &Ctx<'_>,
    current: Option<(&str, Option<&str>)>,
) -> Result<(String, Option<String>), Reply> {
    let form = ctx.form;
    let platform = match form.text("Config.NotificationPlatform") {
        Some(p) => ["apn", "fcm", "none"]
            .into_iter()
            .find(|x| x.eq_ignore_ascii_case(p))
            .ok_or_else(|| bad("Config.NotificationPlatform"))?
            .to_string(),
        None => match current {
            Some((p, _)) => p.to_string(),
            None => return Err(bad("Config.NotificationPlatform")),
        },
    };
    let token = match form.text("Config.NotificationToken") {
        Some(t) if NOTIFICATION_TOKEN_LEN.contains(&t.len()) => Some(t.to_string()),
        Some(_) => return Err(bad("Config.NotificationToken")),
        None => current.and_then(|(_, t)| t.map(str::to_string)),
    };
    if platform == "none" {
        return Ok((platform, None));
    }
    match token {
        Some(t) => Ok((platform, Some(t))),
        None => Err(bad("Config.NotificationToken")),
    }
}

/// The factor's push credential: the service's APN or FCM credential when it has one for the
/// platform, else a fresh `CR…` (the device uses it as the `kid` of its JWTs).
fn credential_sid(st: &State, service_sid: &str, platform: &str) -> String {
    let configured = st.twilio.services.get(service_sid).and_then(|s| {
        let name = match platform {
            "apn" => "apn_credential_sid",
            "fcm" => "fcm_credential_sid",
            _ => return None,
        };
        s.nested("push", name)
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    configured.unwrap_or_else(|| sid("CR"))
}

/// 400 60314 "Factors binding format is invalid".
fn binding_invalid() -> Reply {
    error(400, 60314, "Factors binding format is invalid")
}

/// Stores a new factor for `identity` (creating the entity when needed) after the per-entity
/// limits, and sends `factor.created`. Shared by the API and the control API.
pub fn insert_factor(
    ctx: &Ctx<'_>,
    st: &mut State,
    identity: &str,
    friendly_name: &str,
    binding: Binding,
    metadata: Option<Value>,
) -> Result<Factor, Reply> {
    let service_sid = ctx.arg("ServiceSid");
    let now = st.now();
    let (entity, _) = ensure_entity(st, service_sid, identity);
    let kind = match binding {
        Binding::Totp(_) => "totp",
        Binding::Push(_) => "push",
    };
    let same_kind = st
        .twilio
        .entities
        .factors
        .values()
        .filter(|f| f.entity_sid == entity.sid && f.factor_type() == kind)
        .count();
    let max = if kind == "push" {
        MAX_PUSH_FACTORS
    } else {
        MAX_TOTP_FACTORS
    };
    if same_kind >= max {
        return Err(error(
            400,
            60315,
            &format!("Reached max limit of {max} {kind} Factors associated per Entity"),
        ));
    }
    let recent = recent_creations(&entity, now);
    if recent >= MAX_FACTOR_CREATIONS_PER_DAY {
        return Err(error(
            429,
            60326,
            "Too many Factors created for this Entity in the last 24 hours",
        ));
    }
    let seq = st.twilio.next_seq();
    let f = Factor {
        sid: sid("YF"),
        service_sid: service_sid.to_string(),
        entity_sid: entity.sid.clone(),
        identity: entity.identity.clone(),
        friendly_name: friendly_name.to_string(),
        verified: false,
        binding,
        metadata,
        wrong_attempts: 0,
        seq,
        created_at: now,
        updated_at: now,
    };
    if let Some(e) = st
        .twilio
        .entities
        .entities
        .get_mut(&super::entity_state::entity_key(service_sid, identity))
    {
        e.factor_creations.retain(|t| now < t.saturating_add(DAY));
        e.factor_creations.push_back(now);
    }
    st.twilio.entities.factors.insert(f.sid.clone(), f.clone());
    webhooks::emit(ctx, st, "factor.created", &f, None);
    Ok(f)
}

fn recent_creations(entity: &Entity, now: i64) -> usize {
    entity
        .factor_creations
        .iter()
        .filter(|t| now < t.saturating_add(DAY))
        .count()
}

fn create(ctx: &Ctx<'_>) -> Reply {
    match create_inner(ctx) {
        Ok(v) => created(v),
        Err(r) => r,
    }
}

fn create_inner(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let form = ctx.form;
    let identity = ctx.arg("Identity");
    if !valid_identity(identity) {
        return Err(bad("Identity"));
    }
    let friendly_name = match form.text("FriendlyName") {
        Some(n) if n.chars().count() <= MAX_FRIENDLY_NAME => n,
        Some(_) => return Err(bad("FriendlyName")),
        None => return Err(invalid_parameter("FriendlyName")),
    };
    let factor_type = match form.text("FactorType") {
        Some(t) if t.eq_ignore_ascii_case("totp") => "totp",
        Some(t) if t.eq_ignore_ascii_case("push") => "push",
        Some(_) => return Err(bad("FactorType")),
        None => return Err(invalid_parameter("FactorType")),
    };
    let metadata = read_metadata(ctx)?;
    let mut st = ctx.lock_service()?;
    let service_sid = ctx.arg("ServiceSid");
    let (binding, answer_binding) = if factor_type == "totp" {
        let (defaults, issuer) = service_totp_defaults(&st, service_sid);
        let config = totp_config(ctx, defaults)?;
        let (secret, key) = match form.text("Binding.Secret") {
            Some(text) => {
                let key = (text.len() <= MAX_SECRET)
                    .then(|| totp::base32_decode(text))
                    .flatten()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| bad("Binding.Secret"))?;
                (text.trim_end_matches('=').to_ascii_uppercase(), key)
            }
            None => {
                let secret = totp::generate_secret();
                let key = totp::base32_decode(&secret).unwrap_or_default();
                (secret, key)
            }
        };
        let uri = totp::otpauth_uri(
            issuer.as_deref().unwrap_or_default(),
            friendly_name,
            &secret,
            &config,
        );
        (
            Binding::Totp(TotpBinding { key, config }),
            json!({"secret": secret, "uri": uri}),
        )
    } else {
        let p = read_push(ctx, &st, service_sid)?;
        let b = json!({"alg": "ES256", "public_key": p.key.to_base64()});
        (Binding::Push(p), b)
    };
    let f = insert_factor(ctx, &mut st, identity, friendly_name, binding, metadata)?;
    Ok(to_json(ctx, &f, Some(answer_binding)))
}

/// Locks the state and finds the `{Sid}` factor of the `{Identity}` entity.
pub fn lock_factor<'a>(ctx: &Ctx<'a>) -> Result<(std::sync::MutexGuard<'a, State>, Factor), Reply> {
    let (st, e) = lock_entity(ctx)?;
    match st.twilio.entities.factor_of(&e.sid, ctx.arg("Sid")) {
        Some(f) => {
            let f = f.clone();
            Ok((st, f))
        }
        None => Err(ctx.not_found()),
    }
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    match lock_factor(ctx) {
        Ok((_, f)) => ok(to_json(ctx, &f, None)),
        Err(r) => r,
    }
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let (st, e) = match lock_entity(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut factors: Vec<&Factor> = st
        .twilio
        .entities
        .factors
        .values()
        .filter(|f| f.entity_sid == e.sid)
        .collect();
    factors.sort_by_key(|f| f.seq);
    let records = factors.iter().map(|f| to_json(ctx, f, None)).collect();
    drop(st);
    page::render(ctx, "factors", records, &[])
}

fn delete(ctx: &Ctx<'_>) -> Reply {
    let (mut st, f) = match lock_factor(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    st.twilio.entities.remove_factor(&f.sid);
    webhooks::emit(ctx, &mut st, "factor.deleted", &f, None);
    no_content()
}

fn update(ctx: &Ctx<'_>) -> Reply {
    match update_inner(ctx) {
        Ok(v) => ok(v),
        Err(r) => r,
    }
}

fn update_inner(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let form = ctx.form;
    let friendly_name = match form.text("FriendlyName") {
        Some(n) if n.chars().count() > MAX_FRIENDLY_NAME => return Err(bad("FriendlyName")),
        other => other,
    };
    if form
        .get("AuthPayload")
        .is_some_and(|p| p.len() > MAX_AUTH_PAYLOAD)
    {
        return Err(bad("AuthPayload"));
    }
    let (mut st, mut f) = lock_factor(ctx)?;
    let now = st.now();
    // Settings first (all checked before anything changes), then the proof.
    match &mut f.binding {
        Binding::Totp(t) => t.config = totp_config(ctx, t.config)?,
        Binding::Push(p) => {
            let (sdk_version, _) = read_push_app(ctx)?;
            let (platform, token) = read_platform(
                ctx,
                Some((&p.notification_platform, p.notification_token.as_deref())),
            )?;
            if let Some(v) = sdk_version {
                p.sdk_version = v;
            }
            p.notification_platform = platform;
            p.notification_token = token;
        }
    }
    if let Some(n) = friendly_name {
        f.friendly_name = n.to_string();
    }
    f.updated_at = now;
    let payload = form.get("AuthPayload");
    let verified_now = match payload {
        Some(p) if !f.verified => {
            let outcome = prove(&mut f, p, now);
            st.twilio.entities.factors.insert(f.sid.clone(), f.clone());
            outcome?
        }
        _ => {
            st.twilio.entities.factors.insert(f.sid.clone(), f.clone());
            false
        }
    };
    if verified_now {
        webhooks::emit(ctx, &mut st, "factor.verified", &f, None);
    }
    Ok(to_json(ctx, &f, None))
}

/// Checks an unverified factor's `AuthPayload`; `Ok(true)` when it is now verified. TOTP: a
/// wrong code counts and answers `Ok(false)`; once [`MAX_FACTOR_ATTEMPTS`] were wrong, 429
/// 60310. Push: a bad signature is 403 60311.
pub fn prove(f: &mut Factor, payload: &str, now: i64) -> Result<bool, Reply> {
    if payload.len() > MAX_AUTH_PAYLOAD {
        return Err(bad("AuthPayload"));
    }
    match &f.binding {
        Binding::Totp(t) => {
            if f.wrong_attempts >= MAX_FACTOR_ATTEMPTS {
                return Err(error(
                    429,
                    60310,
                    &format!(
                        "Max verification attempts of {MAX_FACTOR_ATTEMPTS} reached for this Factor"
                    ),
                ));
            }
            if totp::verify(&t.key, &t.config, now, payload) {
                f.verified = true;
                Ok(true)
            } else {
                f.wrong_attempts += 1;
                Ok(false)
            }
        }
        Binding::Push(p) => {
            if p.key.verify_factor_payload(&f.sid, payload) {
                f.verified = true;
                Ok(true)
            } else {
                Err(error(403, 60311, "Factor verification failure"))
            }
        }
    }
}

/// The current TOTP code of a factor at `now` and the seconds it stays current (control API).
pub fn current_code(f: &Factor, now: i64) -> Option<(String, u64, u32)> {
    match &f.binding {
        Binding::Totp(t) => Some((
            totp::code_at(&t.key, &t.config, now),
            totp::seconds_remaining(&t.config, now),
            t.config.time_step,
        )),
        Binding::Push(_) => None,
    }
}
