//! Bounded property test: random paths, parameter trees and body bytes over real TCP. Every
//! well-formed HTTP request gets valid JSON with a sane status; garbage never kills the server.

mod common;

use std::time::{Duration, Instant};

use common::{Env, raw_exchange, split_response};
use serde_json::Value;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const SEGMENTS: &[&str] = &[
    "protected",
    "json",
    "xml",
    "users",
    "new",
    "status",
    "delete",
    "remove",
    "update",
    "sms",
    "call",
    "verify",
    "app",
    "details",
    "stats",
    "phones",
    "verification",
    "start",
    "check",
    "info",
    "sdk",
    "registrations",
    "devices",
    "onetouch",
    "approval_requests",
    "sandbox",
    "last_code",
    "faults",
    "1",
    "2",
    "0000000",
    "1234567",
    "abc",
    "",
    "%FF",
    "%C3%A9",
    "%00",
    "..",
    "%2F",
    "a%20b",
    "99999999999999999999999",
];

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/protected/json/users/new"),
    ("POST", "/protected/json/users/{}/remove"),
    ("GET", "/protected/json/users/{}/status"),
    ("POST", "/protected/json/users/{}/update"),
    ("POST", "/protected/json/email/{}"),
    ("POST", "/protected/json/users/{}/register_activity"),
    ("POST", "/protected/json/users/{}/secret"),
    ("GET", "/protected/json/registrations/status"),
    ("GET", "/protected/json/sms/{}"),
    ("GET", "/protected/json/call/{}"),
    ("GET", "/protected/json/verify/{}/{}"),
    ("GET", "/protected/json/app/details"),
    ("GET", "/protected/json/app/stats"),
    ("POST", "/protected/json/phones/verification/start"),
    ("GET", "/protected/json/phones/verification/check"),
    ("GET", "/protected/json/phones/verification/status"),
    ("GET", "/protected/json/phones/info"),
    ("POST", "/protected/json/sdk/registrations"),
    ("DELETE", "/protected/json/sdk/devices/{}"),
    ("POST", "/onetouch/json/users/{}/approval_requests"),
    ("GET", "/onetouch/json/approval_requests/{}"),
    ("GET", "/sandbox/users/{}/last_code"),
    ("GET", "/sandbox/users/{}/app_token"),
    ("POST", "/sandbox/users/{}/devices"),
    ("GET", "/sandbox/phones/last_code"),
    ("POST", "/sandbox/approval_requests/{}/approve"),
    ("POST", "/sandbox/config"),
    ("POST", "/sandbox/clock/advance"),
    ("GET", "/sandbox/requests"),
];

const KEYS: &[&str] = &[
    "user",
    "email",
    "cellphone",
    "country_code",
    "force",
    "action",
    "details",
    "logos",
    "message",
    "seconds_to_expire",
    "via",
    "phone_number",
    "code_length",
    "verification_code",
    "uuid",
    "res",
    "url",
    "0",
    "1",
    "",
    "type",
    "qr_size",
    "api_key",
    "%FF",
    "a%5B",
    "%5D",
];

fn key_path(rng: &mut Rng) -> String {
    let mut k = rng.pick(KEYS).to_string();
    let depth = if rng.below(50) == 0 { 40 } else { rng.below(4) };
    for _ in 0..depth {
        match rng.below(4) {
            0 => k.push_str("[]"),
            1 => k.push_str(&format!("[{}]", rng.below(3))),
            2 => k.push('['),
            _ => k.push_str(&format!("[{}]", rng.pick(KEYS))),
        }
    }
    k
}

fn value(rng: &mut Rng) -> String {
    // Invalid UTF-8 is rare so that most requests reach the handlers.
    match rng.below(25) {
        0..=4 => "true".into(),
        5..=9 => rng.below(100_000_000).to_string(),
        10 => "%FF%FE".into(),
        11..=14 => "a+b%26c".into(),
        15..=17 => String::new(),
        _ => "x".repeat(rng.below(50)),
    }
}

fn urlencoded(rng: &mut Rng) -> String {
    let n = rng.below(8);
    (0..n)
        .map(|_| {
            let k = key_path(rng).replace('[', "%5B").replace(']', "%5D");
            format!("{k}={}", value(rng))
        })
        .collect::<Vec<_>>()
        .join(if rng.below(5) == 0 { ";" } else { "&" })
}

fn json_value(rng: &mut Rng, depth: usize) -> Value {
    match if depth > 5 {
        rng.below(4)
    } else {
        rng.below(7)
    } {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64),
        3 => Value::String(value(rng)),
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| json_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (rng.pick(KEYS).to_string(), json_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

fn body(rng: &mut Rng) -> (Option<&'static str>, Vec<u8>) {
    match rng.below(7) {
        0 => (None, Vec::new()),
        1 => (
            Some("application/x-www-form-urlencoded"),
            urlencoded(rng).into_bytes(),
        ),
        2 => (
            Some("application/json"),
            json_value(rng, 0).to_string().into_bytes(),
        ),
        3 => (Some("application/json"), rng.bytes(64)),
        4 => (Some("application/x-www-form-urlencoded"), rng.bytes(64)),
        5 => {
            // Deeply nested JSON.
            let d = 10 + rng.below(200);
            (
                Some("application/json"),
                format!("{}1{}", "[".repeat(d), "]".repeat(d)).into_bytes(),
            )
        }
        _ => (None, rng.bytes(64)),
    }
}

#[test]
fn random_requests_always_get_json_answers() {
    let env = Env::new();
    let key = env.sb.api_key().to_string();
    let id = env.create_user("fz@example.com", "5550401010", "1");
    assert_eq!(id, 1);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let started = Instant::now();
    let cases = 2000;
    let mut seen = std::collections::BTreeMap::new();
    for case in 0..cases {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "bounded in time"
        );
        let (method, path) = if rng.below(10) < 7 {
            let (m, template) = ROUTES[rng.below(ROUTES.len())];
            let mut path = String::new();
            for (i, part) in template.split("{}").enumerate() {
                if i > 0 {
                    path.push_str(rng.pick(&[
                        "1",
                        "2",
                        "1",
                        "0000000",
                        "abc",
                        "%31",
                        "%FF",
                        "99999999999999999999999",
                    ]));
                }
                path.push_str(part);
            }
            (m, path)
        } else {
            let nseg = 1 + rng.below(6);
            let mut path = String::new();
            for _ in 0..nseg {
                path.push('/');
                path.push_str(rng.pick(SEGMENTS));
            }
            (rng.pick(&["GET", "POST", "DELETE", "PUT", "PATCH"]), path)
        };
        let query = urlencoded(&mut rng);
        let target = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{query}")
        };
        let (ct, mut body) = body(&mut rng);
        if case % 700 == 3 {
            body = vec![b'a'; 1024 * 1024 + 10];
        }
        let mut req =
            format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if rng.below(10) != 0 {
            req.push_str(&format!("X-Authy-API-Key: {key}\r\n"));
        }
        if let Some(ct) = ct {
            req.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(&body);
        if rng.below(40) == 0 {
            // Garbage instead of HTTP: only liveness is checked afterwards.
            let garbage = rng.bytes(200);
            let _ = raw_exchange(env.sb.addr(), &garbage);
            continue;
        }
        let raw = raw_exchange(env.sb.addr(), &bytes);
        let (status, head, resp_body) = split_response(&raw)
            .unwrap_or_else(|| panic!("case {case}: no HTTP answer to {method} {target}"));
        *seen.entry(status).or_insert(0u32) += 1;
        assert!(
            [200, 400, 401, 404, 409, 413].contains(&status),
            "case {case}: status {status} for {method} {target}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "case {case}: {head}"
        );
        let json: Value = serde_json::from_slice(&resp_body).unwrap_or_else(|e| {
            panic!(
                "case {case}: invalid JSON ({e}) for {method} {target}: {:?}",
                String::from_utf8_lossy(&resp_body)
            )
        });
        assert!(json.get("success").is_some(), "case {case}: {json}");
        if status != 200 {
            assert_eq!(json["success"], false, "case {case}: {json}");
            assert!(json["message"].is_string(), "case {case}: {json}");
        }
    }
    eprintln!("statuses seen: {seen:?}");
    for s in [200, 400, 401, 404] {
        assert!(
            seen.contains_key(&s),
            "the generator reaches status {s}: {seen:?}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    // Still serving normal requests (the fuzz may have reset state through the control API).
    let id = env.create_user("after@example.com", "5550401011", "1");
    assert_eq!(
        env.get(&format!("/protected/json/sms/{id}?force=true"))
            .status,
        200
    );
    assert_eq!(env.get("/protected/json/app/details").status, 200);
}

/// Verify v2 / Lookup v2 routes (`{}` = a path argument).
const V2_ROUTES: &[(&str, &str)] = &[
    ("POST", "/v2/Services"),
    ("GET", "/v2/Services"),
    ("GET", "/v2/Services/{}"),
    ("POST", "/v2/Services/{}"),
    ("DELETE", "/v2/Services/{}"),
    ("POST", "/v2/Services/{}/Verifications"),
    ("GET", "/v2/Services/{}/Verifications/{}"),
    ("POST", "/v2/Services/{}/Verifications/{}"),
    ("POST", "/v2/Services/{}/VerificationCheck"),
    ("POST", "/v2/Services/{}/RateLimits"),
    ("GET", "/v2/Services/{}/RateLimits"),
    ("POST", "/v2/Services/{}/RateLimits/{}/Buckets"),
    ("GET", "/v2/Attempts"),
    ("GET", "/v2/Attempts/Summary"),
    ("GET", "/v2/Attempts/{}"),
    ("GET", "/v2/PhoneNumbers/{}"),
    ("GET", "/sandbox/verify/code"),
    ("GET", "/sandbox/verify/verifications"),
    ("GET", "/sandbox/verify/sna/{}"),
];

const V2_KEYS: &[&str] = &[
    "FriendlyName",
    "CodeLength",
    "LookupEnabled",
    "Totp.TimeStep",
    "CustomCodeEnabled",
    "Psd2Enabled",
    "To",
    "Channel",
    "Code",
    "VerificationSid",
    "CustomCode",
    "Amount",
    "Payee",
    "Locale",
    "RateLimits",
    "Tags",
    "Status",
    "UniqueName",
    "Max",
    "Interval",
    "PageSize",
    "Page",
    "PageToken",
    "Fields",
    "CountryCode",
    "DateCreatedAfter",
    "%FF",
    "",
];

fn v2_value(rng: &mut Rng) -> String {
    match rng.below(30) {
        0..=3 => "%2B15017122661".into(),
        4..=5 => "sms".into(),
        6 => rng.pick(&["call", "email", "sna", "auto", "fax"]).into(),
        7..=8 => "true".into(),
        9..=11 => rng.below(2000).to_string(),
        12 => "%7B%22k%22%3A%22v%22%7D".into(),
        13 => "%7Bnot-json".into(),
        14 => "%FF%FE".into(),
        15 => "approved".into(),
        16 => "canceled".into(),
        17 => "2024-01-01T00%3A00%3A00Z".into(),
        18 => "line_type_intelligence%2Ccaller_name".into(),
        19..=21 => String::new(),
        _ => "x".repeat(rng.below(40)),
    }
}

fn v2_form(rng: &mut Rng) -> String {
    (0..rng.below(8))
        .map(|_| format!("{}={}", rng.pick(V2_KEYS), v2_value(rng)))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn random_v2_requests_always_get_twilio_answers() {
    let env = Env::new();
    let auth = env.basic();
    let va = env.service("CustomCodeEnabled=true");
    let mut rng = Rng(0x5eed_1234_abcd_0002);
    let started = Instant::now();
    let mut seen = std::collections::BTreeMap::new();
    for case in 0..1500 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "bounded in time"
        );
        let (method, path) = if rng.below(10) < 8 {
            let (m, template) = V2_ROUTES[rng.below(V2_ROUTES.len())];
            let mut path = String::new();
            for (i, part) in template.split("{}").enumerate() {
                if i > 0 {
                    path.push_str(rng.pick(&[
                        va.as_str(),
                        va.as_str(),
                        "VA00000000000000000000000000000000",
                        "VEnope",
                        "+15017122661",
                        "+141599299600",
                        "%FF",
                        "abc",
                        "%2B",
                    ]));
                }
                path.push_str(part);
            }
            (m, path)
        } else {
            let segs = [
                "v2",
                "Services",
                &va,
                "Verifications",
                "Attempts",
                "x",
                "%FF",
                "",
            ];
            let mut path = String::from("/v2");
            for _ in 0..rng.below(5) {
                path.push('/');
                path.push_str(rng.pick(&segs));
            }
            (rng.pick(&["GET", "POST", "DELETE", "PUT", "PATCH"]), path)
        };
        let query = v2_form(&mut rng);
        let target = if query.is_empty() || rng.below(2) == 0 {
            path.clone()
        } else {
            format!("{path}?{query}")
        };
        let mut body = match rng.below(6) {
            0 => rng.bytes(64),
            1 => Vec::new(),
            _ => v2_form(&mut rng).into_bytes(),
        };
        if case % 500 == 7 {
            body = vec![b'a'; 1024 * 1024 + 1];
        }
        let mut req =
            format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        match rng.below(12) {
            0 => {}
            1 => req.push_str("Authorization: Basic Zm9vOmJhcg==\r\n"),
            _ => req.push_str(&format!("Authorization: {auth}\r\n")),
        }
        if rng.below(8) != 0 {
            req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(&body);
        let raw = raw_exchange(env.sb.addr(), &bytes);
        let (status, head, resp_body) = split_response(&raw)
            .unwrap_or_else(|| panic!("case {case}: no HTTP answer to {method} {target}"));
        *seen.entry(status).or_insert(0u32) += 1;
        assert!(
            [200, 201, 204, 400, 401, 403, 404, 405, 413, 429].contains(&status),
            "case {case}: status {status} for {method} {target}"
        );
        let head = head.to_ascii_lowercase();
        assert!(head.contains("\r\ndate: "), "case {case}: {head}");
        if status == 204 {
            assert!(resp_body.is_empty());
            continue;
        }
        assert!(
            head.contains("content-type: application/json"),
            "case {case}: {head}"
        );
        let json: Value = serde_json::from_slice(&resp_body)
            .unwrap_or_else(|e| panic!("case {case}: invalid JSON ({e}) for {method} {target}"));
        if status >= 400 {
            assert_eq!(json["status"], status, "case {case}: {json}");
            assert!(json["code"].is_u64(), "case {case}: {json}");
            assert!(json["message"].is_string(), "case {case}: {json}");
            assert!(json["more_info"].is_string(), "case {case}: {json}");
        }
    }
    eprintln!("statuses seen: {seen:?}");
    for s in [200, 201, 400, 401, 404, 405, 413] {
        assert!(
            seen.contains_key(&s),
            "the generator reaches status {s}: {seen:?}"
        );
    }
    // Still serving (the fuzz may have deleted the service).
    let again = env.service("");
    assert_eq!(
        env.tw("GET", &format!("/v2/Services/{again}"), "").status,
        200
    );
}
