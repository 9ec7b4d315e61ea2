//! Verifications (verify-v2.md §2.2, §4.1): `POST /Services/{VA}/Verifications` (start or
//! resend: the same code within the 10-minute window, the 6th send is 429 60203),
//! `GET /Verifications/{Sid}` and `POST /Verifications/{Sid}` (`Status=canceled|approved`).
//! Once approved, canceled, expired or out of attempts a verification is soft-deleted: 404 20404.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::envelope::{created, date, error, invalid_parameter, ok, sid};
use super::form::Form;
use super::state::{Attempt, MAX_SENDS, SendAttempt, Service, TwilioState, Verification};
use super::{Ctx, Route, lookup};
use crate::reply::Reply;
use crate::state::State;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/Verifications",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Verifications/{Sid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/Verifications/{Sid}",
        handler: update,
    },
];

/// A bucket forgets values with no hit in its window once it tracks this many.
const BUCKET_SWEEP_THRESHOLD: usize = 4096;

/// The channels a verification can be sent by (`auto` is answered as the channel it picked).
const CHANNELS: &[&str] = &["sms", "call", "email", "whatsapp", "sna", "auto"];

/// `^\+[1-9]\d{1,14}$` (verify-v2.md §4.6).
pub fn is_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
}

/// `local@domain.tld`, no spaces, at most 254 characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
}

/// `send_code_attempts[].channel`: upper case for sms, call and email, as the OAI examples
/// show; lower case for whatsapp and sna.
fn attempt_channel(channel: &str) -> String {
    match channel {
        "sms" | "call" | "email" => channel.to_ascii_uppercase(),
        other => other.to_string(),
    }
}

/// The answer for a verification.
pub fn to_json(ctx: &Ctx<'_>, v: &Verification, now: i64) -> Value {
    let url = ctx.url(&format!(
        "/v2/Services/{}/Verifications/{}",
        v.service_sid, v.sid
    ));
    let attempts: Vec<Value> = v
        .sends
        .iter()
        .map(|a| {
            json!({"time": date(a.time), "channel": attempt_channel(&a.channel),
                   "attempt_sid": a.attempt_sid})
        })
        .collect();
    let status = v.status_at(now);
    json!({
        "sid": v.sid,
        "service_sid": v.service_sid,
        "account_sid": ctx.account_sid(),
        "to": v.to,
        "channel": v.channel,
        "status": status,
        "valid": status == "approved",
        "lookup": v.lookup,
        "amount": v.amount,
        "payee": v.payee,
        "send_code_attempts": attempts,
        "date_created": date(v.created_at),
        "date_updated": date(v.updated_at),
        "sna": (v.channel == "sna").then(|| json!({"url": sna_url(ctx, &v.sid)})),
        "url": url,
    })
}

/// Where the "device" proves an SNA verification (a control route, see `control.rs`).
fn sna_url(ctx: &Ctx<'_>, sid: &str) -> String {
    ctx.url(&format!("/sandbox/verify/sna/{sid}"))
}

/// The parameters of a create, checked before the state is touched.
struct Start<'a> {
    to: &'a str,
    channel: &'static str,
    custom_code: Option<&'a str>,
    amount: Option<&'a str>,
    payee: Option<&'a str>,
    locale: Option<&'a str>,
    rate_limits: Vec<(String, String)>,
}

fn read_start(form: &Form) -> Result<Start<'_>, Reply> {
    let to = form.required("To")?;
    let raw_channel = form.required("Channel")?;
    let channel = CHANNELS
        .iter()
        .find(|c| c.eq_ignore_ascii_case(raw_channel))
        .copied()
        .ok_or_else(|| invalid_parameter("Channel"))?;
    let to_ok = if channel == "email" {
        is_email(to)
    } else {
        is_e164(to)
    };
    if !to_ok {
        return Err(invalid_parameter("To"));
    }
    // `auto` picks SMS (the sandbox has no carrier to offer SNA).
    let channel = if channel == "auto" { "sms" } else { channel };
    form.text_max("CustomFriendlyName", 255)?;
    form.text_max("CustomMessage", 1600)?;
    if let Some(d) = form.text("SendDigits")
        && (d.len() > 32
            || !d
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'w' | b'W' | b'#' | b'*')))
    {
        return Err(invalid_parameter("SendDigits"));
    }
    let locale = form.text("Locale");
    if let Some(l) = locale
        && !valid_locale(l)
    {
        return Err(invalid_parameter("Locale"));
    }
    let custom_code = form.text("CustomCode");
    if let Some(c) = custom_code
        && (!(4..=10).contains(&c.chars().count()) || !c.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(invalid_parameter("CustomCode"));
    }
    let rate_limits = match form.json_object("RateLimits")? {
        None => Vec::new(),
        Some(m) => m
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                Value::Number(n) => Ok((k, n.to_string())),
                _ => Err(invalid_parameter("RateLimits")),
            })
            .collect::<Result<_, _>>()?,
    };
    form.json_object("ChannelConfiguration")?;
    form.text_max("AppHash", 64)?;
    form.sid("TemplateSid", "HJ")?;
    form.json_object("TemplateCustomSubstitutions")?;
    match form.json_value("Templates")? {
        Some(Value::Array(items)) if items.len() <= 10 => {}
        Some(_) => return Err(invalid_parameter("Templates")),
        None => {}
    }
    if let Some(ip) = form.text("DeviceIp")
        && ip.parse::<IpAddr>().is_err()
    {
        return Err(invalid_parameter("DeviceIp"));
    }
    form.boolean("EnableSnaClientToken")?;
    if let Some(r) = form.text("RiskCheck")
        && !r.eq_ignore_ascii_case("enable")
        && !r.eq_ignore_ascii_case("disable")
    {
        return Err(invalid_parameter("RiskCheck"));
    }
    if let Some(tags) = form.json_object("Tags")?
        && (tags.len() > 10
            || tags
                .values()
                .any(|v| v.as_str().is_none_or(|s| s.chars().count() > 128)))
    {
        return Err(invalid_parameter("Tags"));
    }
    Ok(Start {
        to,
        channel,
        custom_code,
        amount: form.text("Amount"),
        payee: form.text("Payee"),
        locale,
        rate_limits,
    })
}

/// `en`, `pt-BR`, `zh-HK`, `es-419`: a language and an optional region or script.
fn valid_locale(l: &str) -> bool {
    let mut parts = l.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && rest.len() <= 2
        && rest
            .iter()
            .all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The refusal for a channel the sandbox's plan switches off (`--disable-sms`,
/// `--disable-calls`, `POST /sandbox/config`): 400 60223.
fn channel_refusal(st: &State, channel: &str) -> Option<Reply> {
    let disabled = match channel {
        "sms" => !st.sms_enabled,
        "call" => !st.phone_calls_enabled,
        _ => false,
    };
    disabled.then(|| {
        error(
            400,
            60223,
            &format!(
                "Delivery channel disabled: {}",
                channel.to_ascii_uppercase()
            ),
        )
    })
}

/// The buckets that one more verification with these `RateLimits` values would overflow:
/// `Err(429 20429)` if any, else the `(bucket, value)` hits to record once it is accepted.
fn rate_limit_hits(
    tw: &mut TwilioState,
    service: &str,
    values: &[(String, String)],
    now: i64,
) -> Result<Vec<(String, String)>, Reply> {
    let mut hits = Vec::new();
    for (name, value) in values {
        let Some(rl) = tw
            .rate_limits
            .values()
            .find(|r| r.service_sid == service && r.unique_name == *name)
        else {
            // Keys without a rate limit are ignored (verify-v2.md §2.9, inferred).
            continue;
        };
        let rl_sid = rl.sid.clone();
        for b in tw
            .buckets
            .values_mut()
            .filter(|b| b.rate_limit_sid == rl_sid)
        {
            if b.hits.len() >= BUCKET_SWEEP_THRESHOLD {
                // Forget values whose last hit left the window (bounded memory for many IPs).
                let since = now - b.interval;
                b.hits
                    .retain(|_, t| t.back().is_some_and(|last| *last > since));
            }
            let times = b.hits.entry(value.clone()).or_default();
            while times.front().is_some_and(|t| *t <= now - b.interval) {
                times.pop_front();
            }
            if times.len() as i64 >= b.max {
                return Err(super::envelope::too_many_requests());
            }
            hits.push((b.sid.clone(), value.clone()));
        }
    }
    Ok(hits)
}

fn create(ctx: &Ctx<'_>) -> Reply {
    let start = match read_start(ctx.form) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut guard = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let st = &mut *guard;
    let now = st.now();
    let service_sid = ctx.arg("ServiceSid").to_string();
    let service: Service = st.twilio.services[&service_sid].clone();
    if let Some(r) = channel_refusal(st, start.channel) {
        return r;
    }
    if start.custom_code.is_some() && !service.flag("custom_code_enabled") {
        return error(400, 60204, "Service does not support this feature");
    }
    let psd2 = service.flag("psd2_enabled");
    if psd2 && (start.amount.is_none() || start.payee.is_none()) {
        return error(400, 60206, "'Amount' & 'Payee' params are required");
    }
    if psd2 && start.channel == "call" {
        return error(400, 60214, "Call channel is not supported with PSD2");
    }
    let lookup = match (service.flag("lookup_enabled"), start.channel) {
        (true, "sms" | "call" | "whatsapp" | "sna") => lookup::verification_lookup(start.to),
        _ => Value::Object(Map::new()),
    };
    if service.flag("skip_sms_to_landlines")
        && start.channel == "sms"
        && lookup["carrier"]["type"] == "landline"
    {
        return error(403, 60205, "SMS is not supported by landline phone number");
    }
    let existing = st
        .twilio
        .active_for(&service_sid, start.to, now)
        .map(|v| (v.sid.clone(), v.sends.len()));
    if let Some((_, sends)) = &existing
        && *sends >= MAX_SENDS
    {
        return error(429, 60203, "Max send attempts reached");
    }
    let hits = match rate_limit_hits(&mut st.twilio, &service_sid, &start.rate_limits, now) {
        Ok(h) => h,
        Err(r) => return r,
    };
    for (bucket, value) in hits {
        if let Some(b) = st.twilio.buckets.get_mut(&bucket) {
            b.hits.entry(value).or_default().push_back(now);
        }
    }
    let attempt_sid = sid("VL");
    let send = SendAttempt {
        time: now,
        channel: start.channel.to_string(),
        attempt_sid: attempt_sid.clone(),
    };
    let ve = match existing {
        Some((ve, _)) => {
            let v = st.twilio.verifications.get_mut(&ve).expect("active");
            v.sends.push(send);
            v.channel = start.channel.to_string();
            v.updated_at = now;
            ve
        }
        None => {
            let code = (start.channel != "sna").then(|| {
                start.custom_code.map_or_else(
                    || crate::state::random_digits(service.code_length()),
                    str::to_string,
                )
            });
            let seq = st.twilio.next_seq();
            let v = Verification {
                sid: sid("VE"),
                service_sid: service_sid.clone(),
                to: start.to.to_string(),
                channel: start.channel.to_string(),
                status: "pending",
                code,
                created_at: now,
                updated_at: now,
                sends: vec![send],
                wrong_checks: 0,
                amount: start.amount.filter(|_| psd2).map(str::to_string),
                payee: start.payee.filter(|_| psd2).map(str::to_string),
                lookup,
                sna_verified: false,
                locale: start.locale.map(str::to_string),
                seq,
            };
            let ve = v.sid.clone();
            st.twilio.insert_verification(v, now);
            ve
        }
    };
    let v = &st.twilio.verifications[&ve];
    let attempt = Attempt {
        sid: attempt_sid,
        service_sid,
        verification_sid: ve.clone(),
        channel: start.channel.to_string(),
        to: v.to.clone(),
        locale: v.locale.clone(),
        code_length: v.code.as_ref().map_or(0, String::len),
        created_at: now,
        converted: false,
        updated_at: now,
    };
    let answer = to_json(ctx, v, now);
    // What the handset receives (GET /sandbox/inbox, the browser UI's inbox).
    let delivered = v.code.as_deref().map(|code| {
        let name = service
            .settings
            .get("friendly_name")
            .and_then(Value::as_str);
        crate::inbox::Message::verify(
            &v.sid,
            &v.service_sid,
            name.unwrap_or_default(),
            &v.to,
            start.channel,
            v.locale.as_deref(),
            code,
            now,
            v.created_at + super::state::VERIFICATION_TTL,
        )
    });
    st.twilio.record_attempt(attempt);
    if let Some(m) = delivered {
        st.deliver(m);
    }
    created(answer)
}

/// The active verification named by `{Sid}` (a `VE…` SID, or the `To` it was sent to).
fn find_active<'s>(st: &'s mut State, ctx: &Ctx<'_>, now: i64) -> Option<&'s mut Verification> {
    let service = ctx.arg("ServiceSid");
    let key = ctx.arg("Sid");
    let sid = if key.starts_with("VE") {
        key.to_string()
    } else {
        st.twilio
            .latest
            .get(&(service.to_string(), key.to_string()))?
            .clone()
    };
    st.twilio
        .verifications
        .get_mut(&sid)
        .filter(|v| v.service_sid == service && v.active(now))
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    match find_active(&mut st, ctx, now) {
        Some(v) => ok(to_json(ctx, v, now)),
        None => ctx.not_found(),
    }
}

fn update(ctx: &Ctx<'_>) -> Reply {
    let status: &'static str = match ctx.form.text("Status") {
        Some(s) if s.eq_ignore_ascii_case("canceled") => "canceled",
        Some(s) if s.eq_ignore_ascii_case("approved") => "approved",
        _ => return invalid_parameter("Status"),
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    let Some(v) = find_active(&mut st, ctx, now) else {
        return ctx.not_found();
    };
    v.status = status;
    v.updated_at = now;
    let answer = to_json(ctx, v, now);
    let ve = v.sid.clone();
    if status == "approved" {
        mark_converted(&mut st.twilio, &ve, now);
    }
    ok(answer)
}

/// The attempts of an approved verification become `converted`.
pub fn mark_converted(tw: &mut TwilioState, verification_sid: &str, now: i64) {
    for a in tw
        .attempts
        .iter_mut()
        .filter(|a| a.verification_sid == verification_sid)
    {
        a.converted = true;
        a.updated_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_and_locales() {
        for ok in ["+15017122661", "+12", "+123456789012345"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "15017122661",
            "+0123",
            "+1",
            "+1234567890123456",
            "+1 501",
            "",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
        for ok in ["a@b.co", "first.last+tag@example.com"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["a@b", "@b.co", "a b@c.co", "a@.co", "a@co.", "plain"] {
            assert!(!is_email(bad), "{bad}");
        }
        for ok in ["en", "pt-BR", "zh-HK", "es-419", "en-GB", "zh-Hant-TW"] {
            assert!(valid_locale(ok), "{ok}");
        }
        for bad in ["e", "english", "en-", "en-GB-x-y", "1a"] {
            assert!(!valid_locale(bad), "{bad}");
        }
    }
}
