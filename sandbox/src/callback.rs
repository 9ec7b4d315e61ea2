//! OneTouch callbacks (authy-api.md §3.17): payload, signature headers, delivery.
//!
//! Delivery runs on tokio's blocking pool (ureq is blocking) with a short timeout; no lock is
//! held while it runs.

use std::time::Duration;

use base64::Engine as _;
use rand::Rng;
use serde_json::{Map, Value, json};

use crate::clock;
use crate::config::CallbackMethod;
use crate::signer;
use crate::state::{Approval, State};

/// Timeout for one callback delivery.
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// A callback ready to be sent.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Configured URL (its query string, if any, is kept on the wire but not signed).
    pub url: String,
    /// POST or GET.
    pub method: CallbackMethod,
    /// Signing key.
    pub api_key: String,
    /// Payload (JSON body or query parameters).
    pub payload: Map<String, Value>,
}

/// The §3.17 payload for a decided approval request.
pub fn payload(st: &State, a: &Approval, status: &str, now: i64) -> Map<String, Value> {
    let (device_id, os_type, registered_at) = st
        .users
        .get(&a.authy_id)
        .and_then(|u| u.devices.first())
        .map(|d| (d.id, d.os_type.clone(), d.registered_at))
        .unwrap_or((a.authy_id + 1_000_000, "android".to_string(), a.created_at));
    let opt_map = |m: &Map<String, Value>| {
        if m.is_empty() {
            Value::Null
        } else {
            Value::Object(m.clone())
        }
    };
    let mut device_signature = [0u8; 256];
    rand::rng().fill(&mut device_signature[..]);
    let v = json!({
        "authy_id": a.authy_id,
        "device_uuid": device_id,
        "callback_action": "approval_request_status",
        "uuid": a.uuid,
        "status": status,
        "approval_request": {
            "transaction": {
                "details": opt_map(&a.details),
                "device_details": {},
                "device_geolocation": "",
                "device_signing_time": now,
                "encrypted": false,
                "flagged": false,
                "hidden_details": opt_map(&a.hidden_details),
                "message": a.message,
                "reason": "",
                "requester_details": null,
                "status": status,
                "uuid": a.uuid,
                "created_at_time": a.created_at,
                "customer_uuid": 1
            },
            "expiration_timestamp": a.expiration_timestamp(),
            "logos": a.logos.clone().map(Value::Array).unwrap_or(Value::Null),
            "app_id": crate::routes::ONETOUCH_APP_ID
        },
        "signature": base64::engine::general_purpose::STANDARD.encode(device_signature),
        "device": {
            "city": null,
            "country": "United States",
            "ip": "127.0.0.1",
            "region": null,
            "registration_city": null,
            "registration_country": "United States",
            "registration_ip": "127.0.0.1",
            "registration_method": "sms",
            "registration_region": null,
            "os_type": os_type,
            "last_account_recovery_at": null,
            "id": device_id,
            "registration_date": registered_at,
            "last_sync_date": registered_at
        }
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The URL as signed: scheme + host + port + path, no query string or fragment.
pub fn signed_url(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    &url[..end]
}

/// Sends the callback and returns the record kept by `GET /sandbox/callbacks`:
/// `{url, method, headers, body, http_status, error}`.
pub async fn deliver(p: Pending) -> Value {
    let nonce = clock::real_now().to_string();
    let method = p.method.as_str();
    let signature = signer::sign(&p.api_key, &nonce, method, signed_url(&p.url), &p.payload);
    let (wire_url, body, content_type) = match p.method {
        CallbackMethod::Post => (
            p.url.clone(),
            serde_json::to_string(&p.payload).unwrap_or_default(),
            Some("application/json"),
        ),
        CallbackMethod::Get => {
            let query = signer::canonical_query(&p.payload);
            let sep = if p.url.contains('?') { '&' } else { '?' };
            (format!("{}{sep}{query}", p.url), query, None)
        }
    };
    let mut headers = Map::new();
    headers.insert("X-Authy-Signature-Nonce".into(), json!(nonce));
    headers.insert("X-Authy-Signature".into(), json!(signature));
    if let Some(ct) = content_type {
        headers.insert("Content-Type".into(), json!(ct));
    }
    let send_headers = headers.clone();
    let send_url = wire_url.clone();
    let send_body = body.clone();
    let result =
        tokio::task::spawn_blocking(move || send(p.method, &send_url, &send_headers, &send_body))
            .await
            .unwrap_or_else(|_| Err("callback task failed".to_string()));
    let (http_status, error) = match result {
        Ok(status) => (json!(status), Value::Null),
        Err(e) => (Value::Null, json!(e)),
    };
    json!({
        "url": wire_url,
        "method": method,
        "headers": headers,
        "body": body,
        "http_status": http_status,
        "error": error
    })
}

fn send(
    method: CallbackMethod,
    url: &str,
    headers: &Map<String, Value>,
    body: &str,
) -> Result<u16, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(CALLBACK_TIMEOUT))
        .http_status_as_error(false)
        .proxy(None)
        .user_agent("AuthySandbox/0.1 (callback)")
        .build()
        .into();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let result = match method {
        CallbackMethod::Post => agent
            .post(url)
            .header("X-Authy-Signature-Nonce", header("X-Authy-Signature-Nonce"))
            .header("X-Authy-Signature", header("X-Authy-Signature"))
            .header("Content-Type", "application/json")
            .send(body),
        CallbackMethod::Get => agent
            .get(url)
            .header("X-Authy-Signature-Nonce", header("X-Authy-Signature-Nonce"))
            .header("X-Authy-Signature", header("X-Authy-Signature"))
            .call(),
    };
    match result {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) => Err(e.to_string()),
    }
}
