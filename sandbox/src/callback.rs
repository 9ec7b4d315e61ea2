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

/// A callback ready to be sent. Its `Debug` output never shows the API key.
#[derive(Clone)]
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

impl std::fmt::Debug for Pending {
    // Hand-written so the signing key never shows up in a Debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("api_key", &"<redacted>")
            .field("payload", &self.payload)
            .finish()
    }
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
    let result = if p.url.starts_with("http://") {
        // Plain HTTP: written by hand so the header names keep Authy's exact case
        // (`X-Authy-Signature`); Java validators look them up case-sensitively (authy-java #65).
        match tokio::time::timeout(
            CALLBACK_TIMEOUT,
            send_plain(p.method, &wire_url, &headers, &body),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => Err(format!("timed out after {}s", CALLBACK_TIMEOUT.as_secs())),
        }
    } else {
        // HTTPS: ureq on the blocking pool (header names are sent lower-case there).
        let send_headers = headers.clone();
        let send_url = wire_url.clone();
        let send_body = body.clone();
        tokio::task::spawn_blocking(move || send(p.method, &send_url, &send_headers, &send_body))
            .await
            .unwrap_or_else(|_| Err("callback task failed".to_string()))
    };
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

/// Splits `http://authority/path?query` into (host, port, authority, path-and-query).
fn split_http_url(url: &str) -> Result<(String, u16, &str, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| "not an http:// URL".to_string())?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let mut target = rest[end..].split('#').next().unwrap_or("").to_string();
    if !target.starts_with('/') {
        target.insert(0, '/');
    }
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let close = v6.find(']').ok_or_else(|| "bad IPv6 host".to_string())?;
        let port = v6[close + 1..].strip_prefix(':');
        (v6[..close].to_string(), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| format!("bad port in {url}"))?,
        None => 80,
    };
    if host.is_empty() {
        return Err(format!("no host in {url}"));
    }
    Ok((host, port, authority, target))
}

/// Minimal HTTP/1.1 client for callbacks to `http://` URLs; returns the answer's status.
async fn send_plain(
    method: CallbackMethod,
    url: &str,
    headers: &Map<String, Value>,
    body: &str,
) -> Result<u16, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (host, port, authority, target) = split_http_url(url)?;
    let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut req = format!(
        "{} {target} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: AuthySandbox/0.1 (callback)\r\nAccept: */*\r\n",
        method.as_str()
    );
    for (name, value) in headers {
        req.push_str(&format!(
            "{name}: {}\r\n",
            value.as_str().unwrap_or_default()
        ));
    }
    if method == CallbackMethod::Post {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("Connection: close\r\n\r\n");
    if method == CallbackMethod::Post {
        req.push_str(body);
    }
    stream
        .write_all(req.as_bytes())
        .await
        .map_err(|e| format!("send: {e}"))?;
    // Only the status line matters.
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(2).any(|w| w == b"\r\n") {
        let n = stream
            .read(&mut buf)
            .await
            .map_err(|e| format!("receive: {e}"))?;
        if n == 0 || head.len() > 8192 {
            return Err("connection closed before an HTTP status line".to_string());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.split(' ');
    match (
        parts.next(),
        parts.next().and_then(|c| c.parse::<u16>().ok()),
    ) {
        (Some(v), Some(code)) if v.starts_with("HTTP/") => Ok(code),
        _ => Err("malformed HTTP status line".to_string()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_callback_urls() {
        let (h, p, a, t) = split_http_url("http://127.0.0.1:8080/cb?x=1#frag").unwrap();
        assert_eq!(
            (h.as_str(), p, a, t.as_str()),
            ("127.0.0.1", 8080, "127.0.0.1:8080", "/cb?x=1")
        );
        let (h, p, _, t) = split_http_url("http://example.com").unwrap();
        assert_eq!((h.as_str(), p, t.as_str()), ("example.com", 80, "/"));
        let (h, p, _, t) = split_http_url("http://[::1]:9/?q").unwrap();
        assert_eq!((h.as_str(), p, t.as_str()), ("::1", 9, "/?q"));
        assert!(split_http_url("http://:80/").is_err());
        assert!(split_http_url("http://h:x/").is_err());
        assert_eq!(signed_url("https://a/b?c=d#e"), "https://a/b");
    }

    #[test]
    fn pending_debug_hides_the_api_key() {
        let mut payload = Map::new();
        payload.insert("status".into(), Value::String("approved".into()));
        let p = Pending {
            url: "http://127.0.0.1:9/cb".into(),
            method: CallbackMethod::Post,
            api_key: "S3CRET-SIGNING-KEY".into(),
            payload,
        };
        for text in [format!("{p:?}"), format!("{p:#?}")] {
            assert!(!text.contains("S3CRET"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
            assert!(text.contains("http://127.0.0.1:9/cb"), "{text}");
            assert!(text.contains("approved"), "{text}");
        }
    }
}
