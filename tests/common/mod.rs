//! Helpers shared by the integration tests: an in-process sandbox per test, a client with
//! short timeouts, and the sandbox control API reached through `Client::request`.

#![allow(dead_code)] // each test binary uses a different subset

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use authy::{Client, CreateUserOptions, Params, Response};
use authy_sandbox::{Sandbox, SandboxConfig};
use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Starts a fresh sandbox (127.0.0.1, ephemeral port).
pub fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).expect("sandbox starts")
}

/// A client for `sb` with short timeouts.
pub fn client(sb: &Sandbox) -> Client {
    Client::builder(sb.api_key().to_string())
        .base_url(sb.base_url().to_string())
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// A fresh sandbox and a client for it.
pub fn start() -> (Sandbox, Client) {
    let sb = sandbox();
    let c = client(&sb);
    (sb, c)
}

/// Creates a user with the given phone number (country code 1) and returns its id.
pub fn create_user(c: &Client, cellphone: &str) -> String {
    let resp = c
        .create_user(
            &format!("u{}@example.com", cellphone.replace(['-', ' ', '.'], "")),
            cellphone,
            &CreateUserOptions::default(),
        )
        .expect("create_user answers");
    assert!(resp.ok(), "create_user: {}", resp.body());
    resp.user_id().expect("user id")
}

/// Calls the sandbox control API and asserts success.
pub fn control(c: &Client, method: &str, path: &str, params: &Params) -> Response {
    let resp = c
        .request(method, path, params)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert!(
        resp.ok(),
        "{method} {path}: {} {}",
        resp.status(),
        resp.body()
    );
    resp
}

/// The last code delivered to a user's handset (SMS, call or e-mail).
pub fn last_code(c: &Client, authy_id: &str) -> String {
    let resp = control(
        c,
        "GET",
        &format!("/sandbox/users/{authy_id}/last_code"),
        &Params::new(),
    );
    resp.pointer_string("/code").expect("code")
}

/// A well-formed token that is not `code`.
pub fn wrong_token(code: &str) -> &'static str {
    if code == "1234567" {
        "7654321"
    } else {
        "1234567"
    }
}

/// Arms a sandbox fault (`kind` plus extra parameters).
pub fn arm_fault(c: &Client, kind: &str, extra: &[(&str, &str)]) {
    let mut p = Params::new().with("kind", kind);
    for (k, v) in extra {
        p.set(*k, *v);
    }
    let _ = control(c, "POST", "/sandbox/faults", &p); // control() asserts ok()
}

/// Total number of non-control requests the sandbox received.
pub fn total_requests(c: &Client) -> u64 {
    let resp = control(c, "GET", "/sandbox/requests", &Params::new());
    resp.pointer("/total")
        .and_then(|v| v.as_u64())
        .expect("total")
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}

/// A listener on 127.0.0.1 for a test's own TLS server named `localhost`: a rustls server
/// configuration with a fresh self-signed certificate, the listener, its base URL
/// (`https://localhost:PORT`) and the certificate's PEM (the CA a client must trust).
pub fn tls_listener() -> (Arc<ServerConfig>, TcpListener, String, String) {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![ck.cert.der().clone()], key)
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("https://localhost:{port}");
    (Arc::new(config), listener, base, ck.cert.pem())
}
