//! Webhooks (verify-v2.md §2.7) and the events they receive (§4.5): `POST/GET
//! /v2/Services/{ServiceSid}/Webhooks`, `GET/POST/DELETE …/Webhooks/{Sid}`; [`emit`] sends
//! `factor.created`, `factor.verified`, `factor.deleted`, `challenge.approved` and
//! `challenge.denied` as signed form POSTs, through the sandbox's one callback sender, after
//! the request that caused them (a background task; one retry on a connection failure with the
//! same `uuid` and idempotency token). There is no `challenge.expired` event.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::entities::bad;
use super::entity_state::{Challenge, DeliveryLog, Factor, Webhook};
use super::envelope::{created, date, invalid_parameter, no_content, ok, sid};
use super::{Ctx, Route, page, webhook_sig};
use crate::config::CallbackMethod;
use crate::reply::Reply;
use crate::state::State;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/Webhooks",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Webhooks",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Webhooks/{Sid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/Webhooks/{Sid}",
        handler: update,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}/Webhooks/{Sid}",
        handler: delete,
    },
];

/// The event types a webhook may subscribe to (`*` = all).
pub const EVENT_TYPES: &[&str] = &[
    "*",
    "factor.created",
    "factor.verified",
    "factor.deleted",
    "challenge.approved",
    "challenge.denied",
];

/// Longest `FriendlyName`.
pub const MAX_FRIENDLY_NAME: usize = 64;
/// Longest `WebhookUrl`.
pub const MAX_URL: usize = 2048;
/// Wait before the one retry of a delivery whose connection failed.
pub const RETRY_DELAY: Duration = Duration::from_millis(500);

fn to_json(ctx: &Ctx<'_>, w: &Webhook) -> Value {
    json!({
        "sid": w.sid,
        "service_sid": w.service_sid,
        "account_sid": ctx.account_sid(),
        "friendly_name": w.friendly_name,
        "event_types": w.event_types,
        "status": w.status,
        "version": w.version,
        "webhook_url": w.url,
        "webhook_method": "POST",
        "date_created": date(w.created_at),
        "date_updated": date(w.updated_at),
        "url": ctx.url(&format!("/v2/Services/{}/Webhooks/{}", w.service_sid, w.sid)),
    })
}

/// The settable fields of a create or update, read and checked before anything changes.
struct Fields {
    friendly_name: Option<String>,
    event_types: Option<Vec<String>>,
    url: Option<String>,
    status: Option<String>,
    version: Option<String>,
}

fn read_fields(ctx: &Ctx<'_>) -> Result<Fields, Reply> {
    let form = ctx.form;
    let friendly_name = form
        .text_max("FriendlyName", MAX_FRIENDLY_NAME)?
        .map(str::to_string);
    let events: Vec<&str> = form
        .all("EventTypes")
        .into_iter()
        .filter(|e| !e.is_empty())
        .collect();
    if events.iter().any(|e| !EVENT_TYPES.contains(e)) {
        return Err(bad("EventTypes"));
    }
    let mut event_types: Vec<String> = Vec::new();
    for e in events {
        if !event_types.iter().any(|x| x == e) {
            event_types.push(e.to_string());
        }
    }
    let url = match form.text("WebhookUrl") {
        Some(u)
            if u.len() <= MAX_URL
                && (u.starts_with("http://") || u.starts_with("https://"))
                && !u.contains(char::is_whitespace) =>
        {
            Some(u.to_string())
        }
        Some(_) => return Err(invalid_parameter("WebhookUrl")),
        None => None,
    };
    let pick = |name: &str, allowed: &[&str]| -> Result<Option<String>, Reply> {
        match form.text(name) {
            None => Ok(None),
            Some(v) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(v))
                .map(|a| Some(a.to_string()))
                .ok_or_else(|| invalid_parameter(name)),
        }
    };
    Ok(Fields {
        friendly_name,
        event_types: (!event_types.is_empty()).then_some(event_types),
        url,
        status: pick("Status", &["enabled", "disabled"])?,
        version: pick("Version", &["v1", "v2"])?,
    })
}

fn create(ctx: &Ctx<'_>) -> Reply {
    let f = match read_fields(ctx) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (Some(friendly_name), Some(event_types), Some(url)) =
        (f.friendly_name, f.event_types, f.url)
    else {
        let missing = if ctx.form.text("FriendlyName").is_none() {
            "FriendlyName"
        } else if ctx.form.text("EventTypes").is_none() {
            "EventTypes"
        } else {
            "WebhookUrl"
        };
        return invalid_parameter(missing);
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    let seq = st.twilio.next_seq();
    let w = Webhook {
        sid: sid("YW"),
        service_sid: ctx.arg("ServiceSid").to_string(),
        friendly_name,
        event_types,
        status: f.status.unwrap_or_else(|| "enabled".into()),
        version: f.version.unwrap_or_else(|| "v2".into()),
        url,
        seq,
        created_at: now,
        updated_at: now,
    };
    let answer = to_json(ctx, &w);
    st.twilio.entities.webhooks.insert(w.sid.clone(), w);
    created(answer)
}

fn lock_webhook<'a>(ctx: &Ctx<'a>) -> Result<std::sync::MutexGuard<'a, State>, Reply> {
    let st = ctx.lock_service()?;
    let known = st
        .twilio
        .entities
        .webhooks
        .get(ctx.arg("Sid"))
        .is_some_and(|w| w.service_sid == ctx.arg("ServiceSid"));
    if known { Ok(st) } else { Err(ctx.not_found()) }
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    match lock_webhook(ctx) {
        Ok(st) => ok(to_json(ctx, &st.twilio.entities.webhooks[ctx.arg("Sid")])),
        Err(r) => r,
    }
}

fn update(ctx: &Ctx<'_>) -> Reply {
    let f = match read_fields(ctx) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let mut st = match lock_webhook(ctx) {
        Ok(st) => st,
        Err(r) => return r,
    };
    let now = st.now();
    let Some(w) = st.twilio.entities.webhooks.get_mut(ctx.arg("Sid")) else {
        return ctx.not_found();
    };
    if let Some(v) = f.friendly_name {
        w.friendly_name = v;
    }
    if let Some(v) = f.event_types {
        w.event_types = v;
    }
    if let Some(v) = f.url {
        w.url = v;
    }
    if let Some(v) = f.status {
        w.status = v;
    }
    if let Some(v) = f.version {
        w.version = v;
    }
    w.updated_at = now;
    ok(to_json(ctx, w))
}

fn delete(ctx: &Ctx<'_>) -> Reply {
    let mut st = match lock_webhook(ctx) {
        Ok(st) => st,
        Err(r) => return r,
    };
    st.twilio.entities.webhooks.remove(ctx.arg("Sid"));
    st.twilio.entities.queues.remove(ctx.arg("Sid"));
    no_content()
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let service = ctx.arg("ServiceSid");
    let mut hooks: Vec<&Webhook> = st
        .twilio
        .entities
        .webhooks
        .values()
        .filter(|w| w.service_sid == service)
        .collect();
    hooks.sort_by_key(|w| w.seq);
    let records = hooks.iter().map(|w| to_json(ctx, w)).collect();
    drop(st);
    page::render(ctx, "webhooks", records, &[])
}

/// The form parameters of one event for a webhook of `version` (§4.5): the seven documented
/// fields, and in `v2` the factor's name/status/metadata or the challenge's details.
fn event_params(
    ctx: &Ctx<'_>,
    version: &str,
    event: &str,
    uuid: &str,
    factor: &Factor,
    challenge: Option<&Challenge>,
) -> Vec<(String, String)> {
    let mut p: Vec<(&str, String)> = vec![
        ("uuid", uuid.to_string()),
        ("type", event.to_string()),
        ("account_sid", ctx.account_sid().to_string()),
        ("service_sid", factor.service_sid.clone()),
        ("entity_identity", factor.identity.clone()),
        ("factor_sid", factor.sid.clone()),
        ("factor_type", factor.factor_type().to_string()),
    ];
    let json_text = |v: &Value| (!v.is_null()).then(|| v.to_string());
    match challenge {
        Some(c) => {
            p.push(("challenge_sid", c.sid.clone()));
            if version == "v2" {
                p.push(("status", c.answer.unwrap_or("pending").to_string()));
                p.push(("created_date", date(c.created_at)));
                for (name, v) in [
                    ("challenge_details", &c.details),
                    ("hidden_details", &c.hidden_details),
                    ("metadata", &c.metadata),
                ] {
                    if let Some(t) = json_text(v) {
                        p.push((name, t));
                    }
                }
            }
        }
        None if version == "v2" => {
            p.push(("factor_friendly_name", factor.friendly_name.clone()));
            p.push(("status", factor.status().to_string()));
            if let Some(t) = factor.metadata.as_ref().and_then(json_text) {
                p.push(("metadata", t));
            }
        }
        None => {}
    }
    p.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Sends `event` about `factor` (and `challenge`) to every enabled webhook of the factor's
/// service that subscribes to it. Events of TOTP factors go out only when switched on through
/// the control API (Twilio documents them for push factors). Deliveries run in background
/// tasks; nothing is sent outside a tokio runtime (unit tests).
pub fn emit(
    ctx: &Ctx<'_>,
    st: &mut State,
    event: &str,
    factor: &Factor,
    challenge: Option<&Challenge>,
) {
    let es = &mut st.twilio.entities;
    if factor.factor_type() == "totp" && !es.totp_events {
        return;
    }
    let mut hooks: Vec<Webhook> = es
        .webhooks
        .values()
        .filter(|w| w.service_sid == factor.service_sid && w.wants(event))
        .cloned()
        .collect();
    hooks.sort_by_key(|w| w.seq);
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    for w in &hooks {
        let uuid = uuid_v4();
        let params = event_params(ctx, &w.version, event, &uuid, factor, challenge);
        let delivery = Delivery {
            webhook_sid: w.sid.clone(),
            event: event.to_string(),
            url: w.url.clone(),
            idempotency_token: format!("{}-{uuid}", crate::state::random_hex(8)),
            uuid,
            params,
        };
        lock_log(&es.deliveries).in_flight += 1;
        let queue = es.queues.entry(w.sid.clone()).or_insert_with(|| {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            let token = ctx.shared.config.auth_token.clone();
            let sender = ctx.shared.callbacks.clone();
            runtime.spawn(worker(rx, sender, token, es.deliveries.clone()));
            tx
        });
        if let Err(unsent) = queue.send(delivery) {
            // The worker is gone (its runtime is shutting down): nothing will be sent.
            drop(unsent);
            lock_log(&es.deliveries).in_flight -= 1;
        }
    }
}

/// Delivers one webhook's events one after the other, in the order they were queued.
async fn worker(
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Delivery>,
    sender: crate::callback::Sender,
    auth_token: String,
    log: Arc<Mutex<DeliveryLog>>,
) {
    while let Some(d) = rx.recv().await {
        deliver(&sender, &auth_token, &log, d).await;
    }
}

/// One event for one webhook.
pub struct Delivery {
    webhook_sid: String,
    event: String,
    url: String,
    uuid: String,
    idempotency_token: String,
    params: Vec<(String, String)>,
}

fn lock_log(log: &Mutex<DeliveryLog>) -> std::sync::MutexGuard<'_, DeliveryLog> {
    log.lock().unwrap_or_else(|e| e.into_inner())
}

/// Posts the event (and once more if the connection failed), recording each attempt.
async fn deliver(
    sender: &crate::callback::Sender,
    auth_token: &str,
    log: &Mutex<DeliveryLog>,
    d: Delivery,
) {
    // The URL as signed and sent: as configured, without any `#fragment`.
    let url = d.url.split('#').next().unwrap_or("").to_string();
    let signature = webhook_sig::signature(auth_token, &url, &d.params);
    let body: String = form_urlencoded(&d.params);
    let mut headers = Map::new();
    headers.insert(
        "Content-Type".into(),
        json!("application/x-www-form-urlencoded"),
    );
    headers.insert(webhook_sig::HEADER.into(), json!(signature));
    headers.insert(
        "I-Twilio-Idempotency-Token".into(),
        json!(d.idempotency_token),
    );
    for attempt in 1..=2 {
        let result = sender
            .send(CallbackMethod::Post, &url, &headers, &body)
            .await;
        let (http_status, error) = match &result {
            Ok(status) => (json!(status), Value::Null),
            Err(e) => (Value::Null, json!(e)),
        };
        let params: Map<String, Value> = d
            .params
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        lock_log(log).record(json!({
            "webhook_sid": d.webhook_sid,
            "type": d.event,
            "uuid": d.uuid,
            "attempt": attempt,
            "url": url,
            "method": "POST",
            "headers": headers,
            "body": body,
            "params": params,
            "signature": signature,
            "http_status": http_status,
            "error": error,
        }));
        match result {
            Err(e) if attempt == 1 && e.starts_with("connect:") => {
                tokio::time::sleep(RETRY_DELAY).await;
            }
            _ => break,
        }
    }
    let mut l = lock_log(log);
    l.in_flight = l.in_flight.saturating_sub(1);
}

/// `application/x-www-form-urlencoded` of the pairs (spaces as `+`).
fn form_urlencoded(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::signer::cgi_escape(k),
                crate::signer::cgi_escape(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A random version-4 UUID (the `uuid` of an event).
fn uuid_v4() -> String {
    let h = crate::state::random_hex(32);
    let variant = ['8', '9', 'a', 'b'][usize::from(h.as_bytes()[16] % 4)];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        for _ in 0..50 {
            let u = uuid_v4();
            assert_eq!(u.len(), 36, "{u}");
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'));
            assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        }
    }

    #[test]
    fn form_bodies_escape_like_a_browser() {
        let pairs = vec![
            ("type".to_string(), "challenge.approved".to_string()),
            ("metadata".to_string(), r#"{"os": "Android"}"#.to_string()),
        ];
        assert_eq!(
            form_urlencoded(&pairs),
            "type=challenge.approved&metadata=%7B%22os%22%3A+%22Android%22%7D"
        );
    }
}
