//! OneTouch callbacks (authy-api.md §3.17): payload, signature headers, delivery.
//!
//! Delivery ([`Sender`]): one hyper HTTP/1.1 client for `http://` and `https://` (tokio-rustls),
//! title-case header names, a short timeout, no redirects; no lock is held while it runs.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rand::Rng;
use rustls::pki_types::ServerName;
use serde_json::{Map, Value, json};

use crate::body::SandboxBody;
use crate::clock;
use crate::config::CallbackMethod;
use crate::signer;
use crate::state::{Approval, State};

/// Timeout for one callback delivery, from DNS to the answer's status line.
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// `User-Agent` of callback requests.
pub const USER_AGENT: &str = "AuthySandbox/0.1 (callback)";

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
pub async fn deliver(sender: &Sender, p: Pending) -> Value {
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
    let result = sender.send(p.method, &wire_url, &headers, &body).await;
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

/// Where a callback URL points: scheme, connect address, `Host` header, request target.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    https: bool,
    /// Host name or IP address (IPv6 without brackets), as TLS server name and for connect.
    host: String,
    port: u16,
    /// `host[:port]` as written in the URL, without any `user@` part.
    host_header: String,
    /// Path and query (origin form), never empty; the fragment is dropped.
    path_and_query: String,
}

/// Splits `http(s)://[user@]host[:port]/path?query#fragment`.
fn parse_target(url: &str) -> Result<Target, String> {
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err("not an http:// or https:// URL".to_string());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let mut path_and_query = rest[end..].split('#').next().unwrap_or("").to_string();
    if !path_and_query.starts_with('/') {
        path_and_query.insert(0, '/');
    }
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let close = v6.find(']').ok_or_else(|| "bad IPv6 host".to_string())?;
        let after = &v6[close + 1..];
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| format!("bad port in {url}"))?,
            ),
        };
        (v6[..close].to_string(), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| format!("bad port in {url}"))?,
        None if https => 443,
        None => 80,
    };
    if host.is_empty() {
        return Err(format!("no host in {url}"));
    }
    Ok(Target {
        https,
        host,
        port,
        host_header: hostport.to_string(),
        path_and_query,
    })
}

/// Sends callbacks: one hyper HTTP/1.1 client for both schemes, over a tokio TCP stream that is
/// wrapped in rustls for `https://`. Header names go out title-cased (`X-Authy-Signature`,
/// `Content-Type`, ...) whatever the scheme: Java validators look them up case-sensitively
/// (authy-java #65). One connection per callback (`Connection: close`), no redirects followed,
/// everything (DNS, connect, TLS handshake, request, response head) bounded by one timeout.
///
/// HTTPS trusts the Mozilla root set (webpki-roots) plus any extra CA given to the sandbox
/// ([`crate::SandboxConfig::callback_ca_pem`]).
#[derive(Clone)]
pub struct Sender {
    tls: tokio_rustls::TlsConnector,
    timeout: Duration,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Sender {
    /// A sender trusting the Mozilla roots and the certificates in `extra_ca_pem` (one or more
    /// PEM `CERTIFICATE` blocks; a text without any, or with one that does not decode, is an
    /// error).
    pub fn new(extra_ca_pem: Option<&str>) -> std::io::Result<Sender> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;

        let invalid = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, msg);
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(pem) = extra_ca_pem {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert =
                    cert.map_err(|e| invalid(format!("bad callback CA certificate: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| invalid(format!("unusable callback CA certificate: {e}")))?;
                added += 1;
            }
            if added == 0 {
                return Err(invalid("no certificate in the callback CA PEM".to_string()));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(format!("TLS setup: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Sender {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            timeout: CALLBACK_TIMEOUT,
        })
    }

    /// The same sender with another timeout (tests).
    #[cfg(test)]
    fn with_timeout(mut self, timeout: Duration) -> Sender {
        self.timeout = timeout;
        self
    }

    /// Sends one request and returns the answer's status code, or why there is none.
    pub(crate) async fn send(
        &self,
        method: CallbackMethod,
        url: &str,
        headers: &Map<String, Value>,
        body: &str,
    ) -> Result<u16, String> {
        match tokio::time::timeout(self.timeout, self.exchange(method, url, headers, body)).await {
            Ok(r) => r,
            Err(_) => Err(format!("timed out after {} ms", self.timeout.as_millis())),
        }
    }

    async fn exchange(
        &self,
        method: CallbackMethod,
        url: &str,
        headers: &Map<String, Value>,
        body: &str,
    ) -> Result<u16, String> {
        let target = parse_target(url)?;
        let mut request = hyper::Request::builder()
            .method(method.as_str())
            .uri(target.path_and_query.as_str())
            .header(hyper::header::HOST, target.host_header.as_str())
            .header(hyper::header::USER_AGENT, USER_AGENT)
            .header(hyper::header::ACCEPT, "*/*");
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str().unwrap_or_default());
        }
        let request = request
            .header(hyper::header::CONNECTION, "close")
            .body(SandboxBody::full(match method {
                CallbackMethod::Post => body.to_string(),
                CallbackMethod::Get => String::new(),
            }))
            .map_err(|e| format!("invalid callback request: {e}"))?;
        let tcp = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let _ = tcp.set_nodelay(true);
        if target.https {
            let name = ServerName::try_from(target.host.clone())
                .map_err(|e| format!("TLS: bad server name {}: {e}", target.host))?;
            let tls = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS: {e}"))?;
            exchange_on(tls, request).await
        } else {
            exchange_on(tcp, request).await
        }
    }
}

/// One HTTP/1.1 exchange on a connected stream: writes the request, returns the status of the
/// answer's head (the body is not read), then drops the connection.
async fn exchange_on<S>(stream: S, request: hyper::Request<SandboxBody>) -> Result<u16, String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = hyper::client::conn::http1::Builder::new();
    builder.title_case_headers(true);
    let (mut sender, conn) = builder
        .handshake::<_, SandboxBody>(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let mut conn = std::pin::pin!(conn);
    let mut answer = std::pin::pin!(sender.send_request(request));
    // The connection future does the I/O; it is polled here rather than spawned so that nothing
    // outlives this call (a timeout drops both, closing the socket).
    let mut conn_done = false;
    let response = loop {
        tokio::select! {
            r = &mut answer => break r,
            c = &mut conn, if !conn_done => {
                conn_done = true;
                if let Err(e) = c {
                    return Err(receive_error(&e));
                }
            }
        }
    };
    response
        .map(|r| r.status().as_u16())
        .map_err(|e| receive_error(&e))
}

fn receive_error(e: &hyper::Error) -> String {
    if e.is_incomplete_message() || e.is_canceled() {
        "connection closed before an HTTP answer".to_string()
    } else if e.is_parse() {
        format!("malformed HTTP answer: {e}")
    } else {
        format!("HTTP: {e}")
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_callback_urls() {
        let t = |url: &str| {
            parse_target(url).map(|t| (t.https, t.host, t.port, t.host_header, t.path_and_query))
        };
        let own = |https, h: &str, p, hh: &str, pq: &str| {
            Ok((https, h.to_string(), p, hh.to_string(), pq.to_string()))
        };
        assert_eq!(
            t("http://127.0.0.1:8080/cb?x=1#frag"),
            own(false, "127.0.0.1", 8080, "127.0.0.1:8080", "/cb?x=1")
        );
        assert_eq!(
            t("http://example.com"),
            own(false, "example.com", 80, "example.com", "/")
        );
        assert_eq!(
            t("https://example.com?q=1"),
            own(true, "example.com", 443, "example.com", "/?q=1")
        );
        assert_eq!(
            t("https://u:pw@localhost:8443/a/b"),
            own(true, "localhost", 8443, "localhost:8443", "/a/b")
        );
        assert_eq!(
            t("http://[::1]:9/?q"),
            own(false, "::1", 9, "[::1]:9", "/?q")
        );
        assert_eq!(t("https://[::1]/"), own(true, "::1", 443, "[::1]", "/"));
        for bad in [
            "http://:80/",
            "http://h:x/",
            "https://h:99999/",
            "http://[::1/",
            "http://[::1]x/",
            "ftp://h/",
            "h/cb",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
        assert_eq!(signed_url("https://a/b?c=d#e"), "https://a/b");
    }

    #[test]
    fn extra_ca_must_hold_a_usable_certificate() {
        assert!(Sender::new(None).is_ok());
        for bad in [
            "",
            "not a pem",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            let e = Sender::new(Some(bad)).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{bad}: {e}");
        }
        let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        assert!(Sender::new(Some(&ck.cert.pem())).is_ok());
    }

    /// A one-connection TCP server that reads what comes and answers `answer` (None: holds the
    /// connection open), then the result of sending a POST to it with a short timeout.
    fn send_to(answer: Option<&'static [u8]>) -> Result<u16, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}/cb", listener.local_addr().unwrap());
            let server = tokio::spawn(async move {
                let (mut s, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 8192];
                let _ = s.read(&mut buf).await;
                match answer {
                    Some(a) => {
                        let _ = s.write_all(a).await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(10)).await,
                }
            });
            let sender = Sender::new(None)
                .unwrap()
                .with_timeout(Duration::from_millis(300));
            let mut headers = Map::new();
            headers.insert("X-Authy-Signature".into(), json!("sig"));
            let r = sender
                .send(CallbackMethod::Post, &url, &headers, "{}")
                .await;
            server.abort();
            r
        })
    }

    #[test]
    fn answers_and_failures_are_told_apart() {
        assert_eq!(send_to(Some(b"HTTP/1.1 204 No Content\r\n\r\n")), Ok(204));
        assert_eq!(
            send_to(Some(
                b"HTTP/1.1 503 Busy\r\nContent-Length: 100\r\n\r\npartial"
            )),
            Ok(503),
            "only the status line matters"
        );
        assert_eq!(send_to(None), Err("timed out after 300 ms".to_string()));
        assert_eq!(
            send_to(Some(b"")),
            Err("connection closed before an HTTP answer".to_string())
        );
        let garbage = send_to(Some(b"SMTP ready\r\n\r\n")).unwrap_err();
        assert!(garbage.starts_with("malformed HTTP answer"), "{garbage}");
        let refused = {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(Sender::new(None).unwrap().send(
                CallbackMethod::Get,
                &format!("http://127.0.0.1:{port}/cb"),
                &Map::new(),
                "",
            ))
        };
        assert!(
            refused.as_ref().unwrap_err().starts_with("connect: "),
            "{refused:?}"
        );
        let bad_url = Sender::new(None).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt
            .block_on(bad_url.send(CallbackMethod::Get, "http://h/a b", &Map::new(), ""))
            .unwrap_err();
        assert!(e.starts_with("invalid callback request"), "{e}");
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
