//! Fault injection, request counters, clock, config and reset — checked from the client side.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Env, assert_error, split_response};
use serde_json::{Value, json};

/// Raw GET with the key header; returns what arrived and how the stream ended.
fn raw_get(env: &Env, path: &str) -> (Vec<u8>, Option<ErrorKind>) {
    let mut s = TcpStream::connect_timeout(&env.sb.addr(), Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nX-Authy-API-Key: {}\r\n\r\n",
        env.sb.api_key()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Some(e.kind())),
        }
    }
}

fn arm(env: &Env, form: &str) {
    let r = env.post_form("/sandbox/faults", form);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["success"], true);
}

fn count(env: &Env, template: &str) -> u64 {
    env.get("/sandbox/requests").json["requests"][template]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn close_and_reset_and_truncated_on_the_wire() {
    let env = Env::new();
    arm(&env, "kind=close");
    let (bytes, _) = raw_get(&env, "/protected/json/app/details");
    assert!(bytes.is_empty(), "closed before any answer");
    assert_eq!(
        count(&env, "GET /protected/json/app/details"),
        1,
        "counted although faulted"
    );

    arm(&env, "kind=reset");
    let (bytes, err) = raw_get(&env, "/protected/json/app/details");
    let (status, head, body) = split_response(&bytes).expect("headers were sent");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    assert!(!body.ends_with(b"0\r\n\r\n"), "no final chunk");
    assert_eq!(err, Some(ErrorKind::ConnectionReset), "TCP reset");

    arm(&env, "kind=truncated");
    let (bytes, _) = raw_get(&env, "/protected/json/app/details");
    let (status, head, body) = split_response(&bytes).expect("headers were sent");
    assert_eq!(status, 200);
    let declared: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert!(
        body.len() < declared && !body.is_empty(),
        "{} of {declared}",
        body.len()
    );

    // After the faults, normal service on a fresh connection.
    assert_eq!(env.get("/protected/json/app/details").status, 200);
    assert_eq!(count(&env, "GET /protected/json/app/details"), 4);
}

#[test]
fn client_visible_faults() {
    let env = Env::new();
    arm(&env, "kind=status_5xx&status=502");
    let r = env.get("/protected/json/app/details");
    assert_eq!(r.status, 502);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.starts_with("<html>"));

    arm(&env, "kind=status_5xx");
    assert_eq!(
        env.get("/protected/json/app/details").status,
        503,
        "default 503"
    );

    arm(&env, "kind=invalid_json");
    let r = env.get("/protected/json/app/details");
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());

    arm(&env, "kind=oversized");
    let r = env.get("/protected/json/app/details");
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 2 * 1024 * 1024);

    arm(&env, "kind=rate_limit&retry_after=7");
    let r = env.get("/protected/json/app/details");
    assert_error(&r, 429, "60003", "DoS protection");
    assert_eq!(r.retry_after.as_deref(), Some("7"));

    arm(&env, "kind=latency&latency_ms=300");
    let t = Instant::now();
    let r = env.get("/protected/json/app/details");
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200, "latency then a normal answer");

    // Handlers do not run for replaced answers: no SMS was counted.
    let id = env.create_user("f@example.com", "5550301010", "1");
    arm(&env, "kind=status_5xx");
    assert_eq!(env.get(&format!("/protected/json/sms/{id}")).status, 503);
    assert_eq!(
        env.get(&format!("/sandbox/users/{id}/last_code")).status,
        404
    );
    assert_eq!(count(&env, "GET /protected/json/sms/{id}"), 1);
}

#[test]
fn count_prefix_control_and_disarm() {
    let env = Env::new();
    arm(
        &env,
        "kind=status_5xx&count=2&path_prefix=/protected/json/app/stats",
    );
    assert_eq!(
        env.get("/protected/json/app/details").status,
        200,
        "prefix does not match"
    );
    assert_eq!(
        env.get("/sandbox/requests").status,
        200,
        "control never faulted"
    );
    assert_eq!(env.get("/protected/json/app/stats").status, 503);
    assert_eq!(env.get("/protected/json/app/stats").status, 503);
    assert_eq!(
        env.get("/protected/json/app/stats").status,
        200,
        "only count=2"
    );

    let r = env.post_form("/sandbox/faults", "kind=rate_limit&count=5");
    assert_eq!(r.json, json!({"armed": 5, "success": true}));
    let r = env.delete("/sandbox/faults");
    assert_eq!(r.json["success"], true);
    assert_eq!(env.get("/protected/json/app/stats").status, 200, "disarmed");

    assert_eq!(
        env.post_form("/sandbox/faults", "kind=meteor").json["error_code"],
        "60004"
    );
    assert_eq!(
        env.post_form("/sandbox/faults", "").json["error_code"],
        "60004"
    );
    assert_eq!(
        env.post_form("/sandbox/faults", "kind=status_5xx&status=404")
            .status,
        400
    );
    assert_eq!(
        env.post_form("/sandbox/faults", "kind=close&count=x")
            .status,
        400
    );
}

#[test]
fn request_counters_by_template() {
    let env = Env::new();
    let id = env.create_user("c@example.com", "5550302020", "1");
    env.get(&format!("/protected/json/sms/{id}"));
    env.get(&format!("/protected/json/sms/{id}"));
    env.get_nokey("/protected/json/sms/1");
    env.get("/protected/json/missing");
    env.get("/sandbox/callbacks");
    let r = env.get("/sandbox/requests");
    assert_eq!(r.json["success"], true);
    assert_eq!(
        r.json["requests"],
        json!({
            "POST /protected/json/users/new": 1,
            "GET /protected/json/sms/{id}": 3,
            "(unmatched)": 1
        })
    );
    assert_eq!(r.json["total"], 5);
}

#[test]
fn clock_config_and_reset() {
    let env = Env::new();
    let before = env.post_form("/sandbox/clock/advance", "seconds=0").json["now"]
        .as_i64()
        .unwrap();
    let after = env.post_form("/sandbox/clock/advance", "seconds=3600").json["now"]
        .as_i64()
        .unwrap();
    assert!((after - before - 3600).abs() <= 2);
    assert_eq!(
        env.post_form("/sandbox/clock/advance", "seconds=abc")
            .status,
        400
    );
    assert_eq!(env.post_form("/sandbox/clock/advance", "").status, 400);

    let id = env.create_user("r@example.com", "5550303030", "1");
    env.post_form("/sandbox/faults", "kind=close&count=3&path_prefix=/nothing");
    env.post_form(
        "/sandbox/config",
        "callback_url=http%3A%2F%2F127.0.0.1%3A9%2Fx",
    );
    let r = env.post_form("/sandbox/reset", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], true);
    assert_error(
        &env.get(&format!("/protected/json/users/{id}/status")),
        404,
        "60026",
        "User not found.",
    );
    let req = env.get("/sandbox/requests").json;
    assert_eq!(req["total"], 1, "only the status call after the reset");
    let now = env.post_form("/sandbox/clock/advance", "seconds=0").json["now"]
        .as_i64()
        .unwrap();
    assert!((now - before).abs() <= 5, "clock offset cleared");
    let cfg = env.post_form("/sandbox/config", "").json;
    assert_eq!(
        cfg["callback_url"],
        Value::Null,
        "runtime config back to the startup config"
    );
    // Ids restart and creation is still idempotent.
    let id2 = env.create_user("r@example.com", "5550303030", "1");
    assert_eq!(id2, 1);
}
