//! The browser UI's files and the control API's read routes it uses (`GET /sandbox/inbox`,
//! `users`, `approval_requests`, `faults`, `config`, `changes`), over real HTTP. The page itself
//! is driven in Chromium by tests/ui/run.sh.

mod common;

use std::time::{Duration, Instant};

use authy_sandbox::SandboxConfig;
use common::{Env, Receiver, assert_error};
use serde_json::{Value, json};

fn header(env: &Env, path: &str) -> (u16, Vec<(String, String)>, String) {
    let r = env.agent.get(&env.url(path)).call().expect("answers");
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = r.into_body().read_to_string().unwrap_or_default();
    (status, headers, body)
}

fn get_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn ui_files_are_served_without_a_key_with_a_strict_policy_and_are_not_counted() {
    let env = Env::new();
    for (path, ct) in [
        ("/_ui/", "text/html"),
        ("/_ui/app.js", "text/javascript"),
        ("/_ui/app.css", "text/css"),
        ("/_ui/icon.svg", "image/svg+xml"),
    ] {
        let (status, headers, body) = header(&env, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            get_header(&headers, "content-type")
                .unwrap()
                .starts_with(ct)
        );
        let csp = get_header(&headers, "content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(
            get_header(&headers, "x-content-type-options"),
            Some("nosniff")
        );
        assert!(!body.is_empty());
    }
    // The page has no inline script or style and no external asset.
    let (_, _, html) = header(&env, "/_ui/");
    assert!(html.contains(r#"<script src="app.js" defer></script>"#));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("style="));
    for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!html.contains(external), "no external asset: {external}");
    }
    let (_, _, js) = header(&env, "/_ui/app.js");
    assert!(!js.contains("innerHTML"), "the script never parses HTML");
    let raw = common::raw_exchange(
        env.sb.addr(),
        b"GET /_ui HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 308"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("location: /_ui/"),
        "{text}"
    );
    let (status, _, _) = header(&env, "/_ui/nope.js");
    assert_eq!(status, 404);
    let r = env.post_form("/_ui/", "a=1");
    assert_eq!(r.status, 405);
    let counts = env.get("/sandbox/requests");
    assert_eq!(counts.json["total"], 0, "{}", counts.body);
}

#[test]
fn no_ui_makes_ui_an_unknown_api_path() {
    let env = Env::with(SandboxConfig {
        ui: false,
        ..SandboxConfig::default()
    });
    let r = env.get("/_ui/");
    assert_eq!(r.status, 404);
    assert_eq!(r.json["success"], false);
}

#[test]
fn inbox_lists_every_delivered_code_newest_first_with_its_text() {
    let env = Env::new();
    let id = env.create_user("inbox@example.com", "201-555-0123", "1");
    assert_eq!(
        env.get(&format!("/protected/json/sms/{id}?locale=es"))
            .status,
        200
    );
    assert_eq!(
        env.get(&format!("/protected/json/call/{id}?action=login"))
            .status,
        200
    );
    assert_eq!(
        env.post_form(&format!("/protected/json/email/{id}"), "")
            .status,
        200
    );
    let v = env.post_form(
        "/protected/json/phones/verification/start",
        "via=sms&country_code=1&phone_number=775-461-5609&code_length=4",
    );
    assert_eq!(v.status, 200, "{}", v.body);

    let r = env.get("/sandbox/inbox");
    assert_eq!(r.status, 200);
    let m = r.json["messages"].as_array().unwrap();
    assert_eq!(m.len(), 4);
    let ids: Vec<u64> = m.iter().map(|x| x["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [4, 3, 2, 1], "newest first");

    let pv = &m[0];
    assert_eq!(pv["service"], "phone_verification");
    assert_eq!(pv["channel"], "sms");
    assert_eq!(pv["to"], "+1 775-461-5609");
    assert_eq!(pv["reference"]["uuid"], v.json["uuid"]);
    assert_eq!(pv["code"].as_str().unwrap().len(), 4);
    let code = pv["code"].as_str().unwrap().to_string();
    assert_eq!(
        pv["text"],
        format!("Your Authy Sandbox verification code is: {code}")
    );
    let check = env.get(&format!(
        "/protected/json/phones/verification/check?country_code=1&phone_number=7754615609&verification_code={code}"
    ));
    assert_eq!(check.status, 200, "the inbox code verifies: {}", check.body);

    let email = &m[1];
    assert_eq!(email["channel"], "email");
    assert_eq!(email["to"], "inbox@example.com");
    assert!(email["text"].as_str().unwrap().starts_with("Subject: "));

    let call = &m[2];
    assert_eq!(call["channel"], "call");
    assert_eq!(call["reference"]["action"], "login");
    assert_eq!(call["to_masked"], "+1-XXX-XXX-XX23");
    let spoken: Vec<String> = call["code"]
        .as_str()
        .unwrap()
        .chars()
        .map(String::from)
        .collect();
    assert!(call["text"].as_str().unwrap().contains(&spoken.join(", ")));

    let sms = &m[3];
    assert_eq!(sms["service"], "authy");
    assert_eq!(sms["to"], "+1 201-555-0123");
    assert_eq!(sms["to_masked"], "+1-XXX-XXX-XX23");
    assert_eq!(sms["locale"], "es");
    assert_eq!(sms["reference"]["authy_id"], id);
    assert_eq!(
        sms["expires_at"].as_i64().unwrap() - sms["sent_at"].as_i64().unwrap(),
        600
    );
    assert_eq!(sms["expired"], false);
    assert!(sms["text"].as_str().unwrap().starts_with("Su código"));

    // The e-mail replaced the SMS as the user's code: last_code and the inbox agree.
    assert_eq!(env.last_code(id), email["code"].as_str().unwrap());

    let only = env.get("/sandbox/inbox?service=authy");
    assert_eq!(only.json["messages"].as_array().unwrap().len(), 3);
    let to = env.get("/sandbox/inbox?to=inbox%40example.com");
    assert_eq!(to.json["messages"].as_array().unwrap().len(), 1);

    // Expiry follows the sandbox clock; reset empties the inbox.
    env.post_form("/sandbox/clock/advance", "seconds=601");
    let later = env.get("/sandbox/inbox");
    assert_eq!(later.json["messages"][0]["expired"], true);
    env.post_empty("/sandbox/reset");
    assert_eq!(
        env.get("/sandbox/inbox").json["messages"],
        json!([]),
        "reset empties the inbox"
    );
    // Control reads need the key.
    assert_error(
        &env.get_nokey("/sandbox/inbox"),
        401,
        "60001",
        "Invalid API key",
    );
}

#[test]
fn an_ignored_sms_delivers_nothing() {
    let env = Env::new();
    let id = env.create_user("app@example.com", "201-555-0199", "1");
    env.post_form(&format!("/sandbox/users/{id}/devices"), "device=iphone");
    let r = env.get(&format!("/protected/json/sms/{id}"));
    assert_eq!(r.json["ignored"], true);
    assert_eq!(env.get("/sandbox/inbox").json["messages"], json!([]));
}

#[test]
fn users_list_devices_and_the_current_app_token() {
    let env = Env::new();
    let a = env.create_user("a@example.com", "201-555-0101", "1");
    let b = env.create_user("b@example.com", "3005550112", "57");
    env.post_form(
        &format!("/sandbox/users/{b}/devices"),
        "device=authy_chrome",
    );
    let r = env.get("/sandbox/users");
    let users = r.json["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0]["id"], a);
    assert_eq!(users[0]["devices"], json!([]));
    assert_eq!(users[1]["masked_cellphone"], "+57-XXX-XXX-XX12");
    assert_eq!(users[1]["phone"], "+57 300-555-0112");
    assert_eq!(users[1]["devices"][0]["os_type"], "authy_chrome");
    let token = users[1]["app_token"]["token"].as_str().unwrap().to_string();
    let single = env.get(&format!("/sandbox/users/{b}/app_token"));
    // Same 30-second step unless it just rolled over.
    if single.json["seconds_remaining"].as_i64().unwrap() < 29 {
        assert_eq!(single.json["token"], token.as_str());
    }
    let ok = env.get(&format!("/protected/json/verify/{token}/{b}"));
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        env.get("/sandbox/users").json["users"][1]["confirmed"],
        true
    );
}

#[test]
fn approval_requests_are_listed_with_their_status_and_decisions_report_the_signature() {
    let receiver = Receiver::start(200, 1);
    let env = Env::with(SandboxConfig {
        callback_url: Some(receiver.url.clone()),
        ..SandboxConfig::default()
    });
    let id = env.create_user("ot@example.com", "201-555-0177", "1");
    let path = format!("/onetouch/json/users/{id}/approval_requests");
    let hostile = "<script>window.pwned=1</script>\"'";
    let r1 = env.post_json(
        &path,
        &json!({"message": "First", "details": {"Amount": hostile}, "logos": [{"res": "default", "url": "javascript:alert(1)"}], "seconds_to_expire": 120}),
    );
    let r2 = env.post_json(&path, &json!({"message": "Second", "seconds_to_expire": 0}));
    let (u1, u2) = (
        r1.json["approval_request"]["uuid"]
            .as_str()
            .unwrap()
            .to_string(),
        r2.json["approval_request"]["uuid"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    env.post_form("/sandbox/clock/advance", "seconds=1");
    let list = env.get("/sandbox/approval_requests");
    let all = list.json["approval_requests"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    let first = all.iter().find(|a| a["uuid"] == u1.as_str()).unwrap();
    assert_eq!(first["details"]["Amount"], hostile, "stored as given");
    assert_eq!(first["logos"][0]["url"], "javascript:alert(1)");
    assert_eq!(first["user_email"], "ot@example.com");
    assert_eq!(
        first["expires_at"].as_i64().unwrap() - first["created_at"].as_i64().unwrap(),
        120
    );
    let second = all.iter().find(|a| a["uuid"] == u2.as_str()).unwrap();
    assert_eq!(second["expires_at"], Value::Null, "0 never expires");

    let d = env.post_empty(&format!("/sandbox/approval_requests/{u1}/approve"));
    assert_eq!(d.status, 200, "{}", d.body);
    let got = receiver.next();
    assert_eq!(
        d.json["callback"]["signature"].as_str(),
        got.header("X-Authy-Signature")
    );
    assert_eq!(
        d.json["callback"]["nonce"].as_str(),
        got.header("X-Authy-Signature-Nonce")
    );
    assert_eq!(d.json["callback"]["http_status"], 200);
    let pending = env.get("/sandbox/approval_requests?status=pending");
    let p = pending.json["approval_requests"].as_array().unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["uuid"], u2.as_str());
    let approved = env.get("/sandbox/approval_requests?status=approved");
    assert_eq!(approved.json["approval_requests"][0]["uuid"], u1.as_str());
}

#[test]
fn faults_and_config_read_back() {
    let env = Env::new();
    env.post_form(
        "/sandbox/faults",
        "kind=rate_limit&count=3&path_prefix=/protected/json/sms",
    );
    let f = env.get("/sandbox/faults");
    assert_eq!(
        f.json["faults"],
        json!([{"kind": "rate_limit", "remaining": 3, "path_prefix": "/protected/json/sms",
                "latency_ms": 1000, "status": 503, "retry_after": 1}])
    );
    env.post_form("/sandbox/config", "sms_enabled=false");
    env.post_form("/sandbox/clock/advance", "seconds=90");
    let c = env.get("/sandbox/config");
    assert_eq!(c.json["sms_enabled"], false);
    assert_eq!(c.json["callback_url"], Value::Null);
    assert_eq!(c.json["clock_offset"], 90);
}

#[test]
fn changes_wait_for_a_state_change_or_time_out() {
    let env = Env::new();
    let g0 = env.get("/sandbox/changes?wait=0").json["generation"]
        .as_u64()
        .unwrap();
    // Nothing happens: the wait ends after about a second with the same generation.
    let t = Instant::now();
    let same = env.get(&format!("/sandbox/changes?since={g0}&wait=1"));
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(same.json["generation"], g0);
    // Reads of the control API change nothing.
    env.get("/sandbox/inbox");
    assert_eq!(env.get("/sandbox/changes?wait=0").json["generation"], g0);
    // An API call during the wait ends it at once.
    let base = env.sb.base_url().to_string();
    let key = env.sb.api_key().to_string();
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        let r = common::agent()
            .get(&format!("{base}/sandbox/changes?since={g0}&wait=20"))
            .header("X-Authy-API-Key", &key)
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap();
        (t.elapsed(), serde_json::from_str::<Value>(&r).unwrap())
    });
    std::thread::sleep(Duration::from_millis(200));
    env.create_user("w@example.com", "201-555-0144", "1");
    let (elapsed, body) = waiter.join().unwrap();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(body["generation"].as_u64().unwrap() > g0);
    assert_error(
        &env.get("/sandbox/changes?since=x"),
        400,
        "60004",
        "Invalid parameter: since - 'x' is not a valid Integer",
    );
}

#[test]
fn verify_codes_reach_the_inbox_once_per_send_by_channel() {
    let env = Env::new();
    let va = env.service("");
    let to = "+15017122661";
    let form = format!("To={}&Channel=sms&Locale=es", common::enc(to));
    let r = env.tw("POST", &format!("/v2/Services/{va}/Verifications"), &form);
    assert_eq!(r.status, 201, "{}", r.body);
    let ve = r.json["sid"].as_str().unwrap().to_string();
    // A resend by voice: same code, a second delivery.
    let form = format!("To={}&Channel=call", common::enc(to));
    assert_eq!(
        env.tw("POST", &format!("/v2/Services/{va}/Verifications"), &form)
            .status,
        201
    );
    let code = env.tw(
        "GET",
        "/sandbox/verify/code",
        &format!("To={}", common::enc(to)),
    );
    let code = code.json["code"].as_str().unwrap().to_string();
    let inbox = env.get("/sandbox/inbox?service=verify");
    let m = inbox.json["messages"].as_array().unwrap();
    assert_eq!(m.len(), 2, "{}", inbox.body);
    assert_eq!(m[0]["channel"], "call");
    assert_eq!(m[1]["channel"], "sms");
    for msg in m {
        assert_eq!(msg["code"], code.as_str());
        assert_eq!(msg["to"], to);
        assert_eq!(msg["to_masked"], to);
        assert_eq!(msg["reference"]["verification_sid"], ve.as_str());
        assert_eq!(msg["reference"]["service_sid"], va.as_str());
        assert_eq!(
            msg["expires_at"].as_i64().unwrap() - m[1]["sent_at"].as_i64().unwrap(),
            600
        );
    }
    assert_eq!(m[1]["locale"], "es");
    assert_eq!(
        m[1]["text"],
        format!("Su código de verificación de Test App es: {code}")
    );
}

#[test]
fn verify_challenges_and_entities_are_listed_with_totp_codes() {
    let env = Env::new();
    let va = env.service("");
    let e = |p: &str| format!("/v2/Services/{va}/Entities/ff483d1ff591898a9942916050d2ca3f{p}");
    let push = env.tw(
        "POST",
        &format!(
            "/sandbox/verify/Services/{va}/Entities/ff483d1ff591898a9942916050d2ca3f/PushFactors"
        ),
        "FriendlyName=Alice%27s+phone",
    );
    assert_eq!(push.status, 201, "{}", push.body);
    let yf = push.json["sid"].as_str().unwrap().to_string();
    let totp = env.tw(
        "POST",
        &e("/Factors"),
        "FactorType=totp&FriendlyName=Auth+app",
    );
    assert_eq!(totp.status, 201, "{}", totp.body);
    let field = common::enc(r#"{"label":"Amount","value":"<b>10 EUR</b>"}"#);
    let c = env.tw(
        "POST",
        &e("/Challenges"),
        &format!("FactorSid={yf}&Details.Message=Log+in%3F&Details.Fields={field}"),
    );
    assert_eq!(c.status, 201, "{}", c.body);
    let yc = c.json["sid"].as_str().unwrap().to_string();

    let list = env.get("/sandbox/verify/Challenges?Status=pending");
    assert_eq!(list.status, 200, "{}", list.body);
    let ch = &list.json["challenges"][0];
    assert_eq!(ch["sid"], yc.as_str());
    assert_eq!(ch["identity"], "ff483d1ff591898a9942916050d2ca3f");
    assert_eq!(ch["factor_friendly_name"], "Alice's phone");
    assert_eq!(ch["service_friendly_name"], "Test App");
    assert_eq!(ch["device_key_held"], true);
    assert_eq!(ch["details"]["message"], "Log in?");
    assert_eq!(ch["details"]["fields"][0]["value"], "<b>10 EUR</b>");
    assert_eq!(
        ch["expires_at"].as_i64().unwrap() - list.json["now"].as_i64().unwrap(),
        300
    );

    let ents = env.get("/sandbox/verify/Entities");
    let ent = &ents.json["entities"][0];
    assert_eq!(ent["identity"], "ff483d1ff591898a9942916050d2ca3f");
    let factors = ent["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 2);
    assert_eq!(factors[0]["factor_type"], "push");
    assert_eq!(factors[0]["status"], "verified");
    assert_eq!(factors[0]["totp"], Value::Null);
    assert_eq!(factors[1]["factor_type"], "totp");
    assert_eq!(factors[1]["status"], "unverified");
    let code = factors[1]["totp"]["code"].as_str().unwrap();
    let yf_totp = factors[1]["sid"].as_str().unwrap();
    let one = env.tw(
        "GET",
        &format!("/sandbox/verify/Services/{va}/Entities/ff483d1ff591898a9942916050d2ca3f/Factors/{yf_totp}/Code"),
        "",
    );
    if one.json["seconds_remaining"].as_u64().unwrap() < 29 {
        assert_eq!(one.json["code"], code, "same step, same code");
    }

    let deny = env.tw(
        "POST",
        &format!("/sandbox/verify/Services/{va}/Entities/ff483d1ff591898a9942916050d2ca3f/Challenges/{yc}/Deny"),
        "",
    );
    assert_eq!(deny.status, 200, "{}", deny.body);
    assert_eq!(
        env.get("/sandbox/verify/Challenges?Status=pending").json["challenges"],
        json!([])
    );
    assert_eq!(
        env.get("/sandbox/verify/Challenges?Status=denied").json["challenges"][0]["sid"],
        yc.as_str()
    );
}

#[test]
fn binary_serves_the_ui_unless_no_ui() {
    for (flags, want) in [(&["--quiet"][..], 200), (&["--quiet", "--no-ui"][..], 404)] {
        let (mut child, url) = common::spawn_binary(&[&["--port", "0"][..], flags].concat());
        let status = common::agent()
            .get(&format!("{url}/_ui/"))
            .call()
            .unwrap()
            .status()
            .as_u16();
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(status, want, "{flags:?}");
    }
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--no-ui"));
}
