//! Services (verify-v2.md §2.1): `POST/GET /v2/Services`, `GET/POST/DELETE
//! /v2/Services/{ServiceSid}`. Every create/update parameter is one row of [`FIELDS`].

use serde_json::{Map, Value, json};

use super::envelope::{created, date, invalid_parameter, no_content, ok, sid};
use super::state::Service;
use super::{Ctx, Route, page};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services",
        handler: create,
    },
    Route {
        key: "GET /v2/Services",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}",
        handler: update,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}",
        handler: delete,
    },
];

/// Longest `FriendlyName` (the OAI create description says 32; the 60200 page says 30: the
/// larger is accepted).
pub const MAX_FRIENDLY_NAME: usize = 32;

/// How a parameter is read.
#[derive(Clone, Copy)]
enum Kind {
    /// Text of at most this many characters.
    Text(usize),
    /// `true`/`false`.
    Bool,
    /// Integer in a range.
    Int(i64, i64),
    /// SID with this prefix.
    Sid(&'static str),
    /// Comma-separated list (answered as an array).
    List,
}

/// `(wire name, answer path, kind)`: the answer path is one key or `group.key` (or
/// `group.sub.key`), and its default is in [`defaults`].
const FIELDS: &[(&str, &str, Kind)] = &[
    (
        "FriendlyName",
        "friendly_name",
        Kind::Text(MAX_FRIENDLY_NAME),
    ),
    ("CodeLength", "code_length", Kind::Int(4, 10)),
    ("LookupEnabled", "lookup_enabled", Kind::Bool),
    ("SkipSmsToLandlines", "skip_sms_to_landlines", Kind::Bool),
    ("DtmfInputRequired", "dtmf_input_required", Kind::Bool),
    ("TtsName", "tts_name", Kind::Text(255)),
    ("Psd2Enabled", "psd2_enabled", Kind::Bool),
    (
        "DoNotShareWarningEnabled",
        "do_not_share_warning_enabled",
        Kind::Bool,
    ),
    ("CustomCodeEnabled", "custom_code_enabled", Kind::Bool),
    ("Push.IncludeDate", "push.include_date", Kind::Bool),
    (
        "Push.ApnCredentialSid",
        "push.apn_credential_sid",
        Kind::Sid("CR"),
    ),
    (
        "Push.FcmCredentialSid",
        "push.fcm_credential_sid",
        Kind::Sid("CR"),
    ),
    ("Totp.Issuer", "totp.issuer", Kind::Text(255)),
    ("Totp.TimeStep", "totp.time_step", Kind::Int(20, 60)),
    ("Totp.CodeLength", "totp.code_length", Kind::Int(3, 8)),
    ("Totp.Skew", "totp.skew", Kind::Int(0, 2)),
    (
        "DefaultTemplateSid",
        "default_template_sid",
        Kind::Sid("HJ"),
    ),
    (
        "Whatsapp.MsgServiceSid",
        "whatsapp.msg_service_sid",
        Kind::Sid("MG"),
    ),
    ("Whatsapp.From", "whatsapp.from", Kind::Text(255)),
    (
        "Passkeys.RelyingParty.Id",
        "passkeys.relying_party.id",
        Kind::Text(255),
    ),
    (
        "Passkeys.RelyingParty.Name",
        "passkeys.relying_party.name",
        Kind::Text(255),
    ),
    (
        "Passkeys.RelyingParty.Origins",
        "passkeys.relying_party.origins",
        Kind::List,
    ),
    (
        "Passkeys.AuthenticatorAttachment",
        "passkeys.authenticator_attachment",
        Kind::Text(64),
    ),
    (
        "Passkeys.DiscoverableCredentials",
        "passkeys.discoverable_credentials",
        Kind::Text(64),
    ),
    (
        "Passkeys.UserVerification",
        "passkeys.user_verification",
        Kind::Text(64),
    ),
    (
        "VerifyEventSubscriptionEnabled",
        "verify_event_subscription_enabled",
        Kind::Bool,
    ),
];

/// The settings of a new service before its parameters are applied.
fn defaults() -> Map<String, Value> {
    let v = json!({
        "friendly_name": null,
        "code_length": 6,
        "lookup_enabled": false,
        "skip_sms_to_landlines": false,
        "dtmf_input_required": false,
        "tts_name": null,
        "psd2_enabled": false,
        "do_not_share_warning_enabled": false,
        "custom_code_enabled": false,
        "push": {"include_date": false, "apn_credential_sid": null, "fcm_credential_sid": null},
        "totp": {"issuer": null, "time_step": null, "code_length": null, "skew": null},
        "default_template_sid": null,
        "whatsapp": {"msg_service_sid": null, "from": null},
        "passkeys": {
            "relying_party": {"id": null, "name": null, "origins": null},
            "authenticator_attachment": null,
            "discoverable_credentials": null,
            "user_verification": null
        },
        "verify_event_subscription_enabled": false
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Reads every parameter present into `(answer path, value)` pairs (all or nothing).
fn read_settings(ctx: &Ctx<'_>) -> Result<Vec<(&'static str, Value)>, Reply> {
    let form = ctx.form;
    let mut out = Vec::new();
    for &(name, path, kind) in FIELDS {
        if !form.has(name) {
            continue;
        }
        let value = match kind {
            Kind::Text(max) => match form.text_max(name, max)? {
                Some(t) => json!(t),
                None if name == "FriendlyName" => return Err(invalid_parameter(name)),
                None => Value::Null,
            },
            Kind::Bool => form.boolean(name)?.map_or(Value::Null, Value::Bool),
            Kind::Int(lo, hi) => form.int(name, lo, hi)?.map_or(Value::Null, |n| json!(n)),
            Kind::Sid(prefix) => form.sid(name, prefix)?.map_or(Value::Null, |s| json!(s)),
            Kind::List => form.text(name).map_or(Value::Null, |t| {
                json!(
                    t.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                )
            }),
        };
        // An empty value leaves booleans and numbers as they were.
        if value.is_null() && matches!(kind, Kind::Bool | Kind::Int(..)) {
            continue;
        }
        out.push((path, value));
    }
    Ok(out)
}

fn set_path(settings: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or(path);
    let mut map = settings;
    for p in parts {
        let entry = map
            .entry(p.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        map = match entry {
            Value::Object(m) => m,
            _ => return,
        };
    }
    map.insert(last.to_string(), value);
}

/// The answer for a service.
pub fn to_json(ctx: &Ctx<'_>, s: &Service) -> Value {
    let url = ctx.url(&format!("/v2/Services/{}", s.sid));
    let mut v = Map::new();
    v.insert("sid".into(), json!(s.sid));
    v.insert("account_sid".into(), json!(ctx.account_sid()));
    for (k, val) in &s.settings {
        v.insert(k.clone(), val.clone());
    }
    v.insert("date_created".into(), json!(date(s.created_at)));
    v.insert("date_updated".into(), json!(date(s.updated_at)));
    let links: Map<String, Value> = [
        ("verification_checks", "VerificationCheck"),
        ("verifications", "Verifications"),
        ("rate_limits", "RateLimits"),
        ("messaging_configurations", "MessagingConfigurations"),
        ("entities", "Entities"),
        ("webhooks", "Webhooks"),
        ("access_tokens", "AccessTokens"),
    ]
    .iter()
    .map(|(k, p)| (k.to_string(), json!(format!("{url}/{p}"))))
    .collect();
    v.insert("url".into(), json!(url));
    v.insert("links".into(), Value::Object(links));
    Value::Object(v)
}

fn create(ctx: &Ctx<'_>) -> Reply {
    if ctx.form.text("FriendlyName").is_none() {
        return invalid_parameter("FriendlyName");
    }
    let settings = match read_settings(ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut st = ctx.shared.lock();
    let now = st.now();
    let seq = st.twilio.next_seq();
    let mut service = Service {
        sid: sid("VA"),
        seq,
        created_at: now,
        updated_at: now,
        settings: defaults(),
    };
    for (path, value) in settings {
        set_path(&mut service.settings, path, value);
    }
    let answer = to_json(ctx, &service);
    st.twilio.services.insert(service.sid.clone(), service);
    created(answer)
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let records = {
        let st = ctx.shared.lock();
        let mut all: Vec<&Service> = st.twilio.services.values().collect();
        all.sort_by_key(|s| s.seq);
        all.into_iter().map(|s| to_json(ctx, s)).collect()
    };
    page::render(ctx, "services", records, &[])
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    match st.twilio.services.get(ctx.arg("ServiceSid")) {
        Some(s) => ok(to_json(ctx, s)),
        None => ctx.not_found(),
    }
}

fn update(ctx: &Ctx<'_>) -> Reply {
    let settings = match read_settings(ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    let Some(service) = st.twilio.services.get_mut(ctx.arg("ServiceSid")) else {
        return ctx.not_found();
    };
    for (path, value) in settings {
        set_path(&mut service.settings, path, value);
    }
    service.updated_at = now;
    ok(to_json(ctx, service))
}

fn delete(ctx: &Ctx<'_>) -> Reply {
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if st.twilio.remove_service(ctx.arg("ServiceSid")) {
        no_content()
    } else {
        ctx.not_found()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_default_slot() {
        let d = Value::Object(defaults());
        for (name, path, _) in FIELDS {
            let mut v = &d;
            for p in path.split('.') {
                v = v
                    .get(p)
                    .unwrap_or_else(|| panic!("{name}: no default at {path}"));
            }
        }
    }
}
