//! Random requests to the Verify TOTP/Push routes (entities, factors, challenges,
//! notifications, access tokens, webhooks, their control routes): every answer is a Twilio
//! answer (JSON, the error envelope for errors), never a 500, a hang or a dropped connection.
//! Bounded in count (1200) and time (60 s).

mod common;
mod verify_push_support;

use std::time::{Duration, Instant};

use common::{Env, enc};
use verify_push_support::{Device, Svc};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/v2/Services/{VA}/Entities"),
    ("GET", "/v2/Services/{VA}/Entities"),
    ("GET", "/v2/Services/{VA}/Entities/{ID}"),
    ("DELETE", "/v2/Services/{VA}/Entities/{ID}"),
    ("POST", "/v2/Services/{VA}/Entities/{ID}/Factors"),
    ("GET", "/v2/Services/{VA}/Entities/{ID}/Factors"),
    ("GET", "/v2/Services/{VA}/Entities/{ID}/Factors/{YF}"),
    ("POST", "/v2/Services/{VA}/Entities/{ID}/Factors/{YF}"),
    ("DELETE", "/v2/Services/{VA}/Entities/{ID}/Factors/{YF}"),
    ("POST", "/v2/Services/{VA}/Entities/{ID}/Challenges"),
    ("GET", "/v2/Services/{VA}/Entities/{ID}/Challenges"),
    ("GET", "/v2/Services/{VA}/Entities/{ID}/Challenges/{YC}"),
    ("POST", "/v2/Services/{VA}/Entities/{ID}/Challenges/{YC}"),
    (
        "POST",
        "/v2/Services/{VA}/Entities/{ID}/Challenges/{YC}/Notifications",
    ),
    ("POST", "/v2/Services/{VA}/AccessTokens"),
    ("GET", "/v2/Services/{VA}/AccessTokens/{YK}"),
    ("POST", "/v2/Services/{VA}/Webhooks"),
    ("GET", "/v2/Services/{VA}/Webhooks"),
    ("POST", "/v2/Services/{VA}/Webhooks/{YW}"),
    ("DELETE", "/v2/Services/{VA}/Webhooks/{YW}"),
    (
        "GET",
        "/sandbox/verify/Services/{VA}/Entities/{ID}/Factors/{YF}/Code",
    ),
    (
        "POST",
        "/sandbox/verify/Services/{VA}/Entities/{ID}/PushFactors",
    ),
    (
        "POST",
        "/sandbox/verify/Services/{VA}/Entities/{ID}/Challenges/{YC}/Approve",
    ),
    (
        "POST",
        "/sandbox/verify/Services/{VA}/Entities/{ID}/Challenges/{YC}/Deny",
    ),
    ("GET", "/sandbox/verify/Webhooks/Deliveries"),
];

const KEYS: &[&str] = &[
    "Identity",
    "FriendlyName",
    "FactorType",
    "Binding.Secret",
    "Binding.Alg",
    "Binding.PublicKey",
    "Config.Alg",
    "Config.TimeStep",
    "Config.CodeLength",
    "Config.Skew",
    "Config.AppId",
    "Config.NotificationPlatform",
    "Config.NotificationToken",
    "Config.SdkVersion",
    "Metadata",
    "AuthPayload",
    "FactorSid",
    "ExpirationDate",
    "Details.Message",
    "Details.Fields",
    "HiddenDetails",
    "Status",
    "Order",
    "Ttl",
    "EventTypes",
    "WebhookUrl",
    "Version",
    "Verify",
    "PageSize",
    "PageToken",
    "%FF",
];

#[test]
fn random_push_requests_always_get_twilio_answers() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let id = "ff483d1f-f591-898a-9942-916050d2ca3f";
    let device = Device::random();
    let yf = s.verified_push(id, &device);
    let totp = s.verified_totp(id, "");
    let yf_totp = totp["sid"].as_str().unwrap().to_string();
    let yc = s.push_challenge(id, &yf, "")["sid"]
        .as_str()
        .unwrap()
        .to_string();
    let jwt_like = device.jws(r#"{"alg":"ES256"}"#, r#"{"status":"approved"}"#);
    let values: Vec<String> = vec![
        "totp".into(),
        "push".into(),
        "ES256".into(),
        enc(&device.public_key),
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
        "sha256".into(),
        "30".into(),
        "-1".into(),
        "99999999999999999999".into(),
        "none".into(),
        "fcm".into(),
        "%7B%22os%22%3A%22Android%22%7D".into(),
        "%7B%22label%22%3A%22IP%22%2C%22value%22%3A%221.2.3.4%22%7D".into(),
        "%7Bnot-json".into(),
        "%5B%5D".into(),
        yf.clone(),
        yf_totp.clone(),
        "YF00000000000000000000000000000000".into(),
        enc(&jwt_like),
        "a.b.c".into(),
        "2030-01-02T03%3A04%3A05Z".into(),
        "*".into(),
        "factor.created".into(),
        "https%3A%2F%2F127.0.0.1%3A9%2Fh".into(),
        "enabled".into(),
        "desc".into(),
        "123456".into(),
        "%FF%FE".into(),
        String::new(),
        "x".repeat(300),
        "9".repeat(6000),
    ];
    let mut rng = Rng(0x5eed_0000_9a5e_0003);
    let started = Instant::now();
    let mut statuses = std::collections::BTreeMap::new();
    for case in 0..1200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "bounded in time"
        );
        let (method, template) = ROUTES[rng.below(ROUTES.len())];
        let path = template
            .replace(
                "{VA}",
                rng.pick(&[&s.sid, &s.sid, "VA00000000000000000000000000000000", "VAx"]),
            )
            .replace(
                "{ID}",
                rng.pick(&[id, id, "ANOTHER-identity", "short", "%FF", "a%2Fb"]),
            )
            .replace(
                "{YF}",
                rng.pick(&[&yf, &yf_totp, "YF00000000000000000000000000000000", "x"]),
            )
            .replace(
                "{YC}",
                rng.pick(&[&yc, &yc, "YC00000000000000000000000000000000", "%2B"]),
            )
            .replace("{YK}", "YK00000000000000000000000000000000")
            .replace("{YW}", "YW00000000000000000000000000000000");
        let form: Vec<String> = (0..rng.below(9))
            .map(|_| format!("{}={}", rng.pick(KEYS), values[rng.below(values.len())]))
            .collect();
        let form = form.join("&");
        let r = if rng.below(8) == 0 {
            env.tw_as(
                method,
                &path,
                &form,
                Some(&common::basic("token", &jwt_like)),
            )
        } else {
            env.tw(method, &path, &form)
        };
        *statuses.entry(r.status).or_insert(0) += 1;
        assert!(
            r.status != 500 && r.status < 600,
            "case {case}: {method} {path} {form}: {}",
            r.body
        );
        assert!(r.header("date").is_some(), "case {case}");
        if r.status >= 400 {
            assert!(
                r.json["code"].is_u64(),
                "case {case}: {method} {path}: {}",
                r.body
            );
            assert_eq!(r.json["status"], r.status, "case {case}");
            assert!(r.json["message"].is_string(), "case {case}");
        } else if r.status != 204 {
            assert!(r.json.is_object(), "case {case}: {}", r.body);
        }
    }
    // Both successes and refusals were exercised.
    assert!(statuses.keys().any(|s| *s < 300), "{statuses:?}");
    assert!(statuses.keys().any(|s| *s >= 400), "{statuses:?}");
    // Still serving (the random requests may have deleted the factors).
    assert_eq!(s.get(&s.path("/Entities"), "").status, 200);
}
