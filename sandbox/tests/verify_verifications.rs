//! Verify v2 Verifications and VerificationCheck over real HTTP: the state machine of
//! verify-v2.md §4.1 at its edges (5 sends / 6th, 5 wrong checks / 6th, expiry at 599 / 600 s),
//! every channel and create parameter, the control API's code lookup.

mod common;

use common::{Env, Resp, assert_tw_error, enc};
use serde_json::Value;

const TO: &str = "+15017122661";

fn start(env: &Env, va: &str, form: &str) -> Resp {
    env.tw("POST", &format!("/v2/Services/{va}/Verifications"), form)
}

fn sms(env: &Env, va: &str, to: &str) -> Resp {
    start(env, va, &format!("To={}&Channel=sms", enc(to)))
}

fn check(env: &Env, va: &str, form: &str) -> Resp {
    env.tw(
        "POST",
        &format!("/v2/Services/{va}/VerificationCheck"),
        form,
    )
}

/// The code delivered to `to`, through the control API.
fn delivered(env: &Env, to: &str) -> String {
    let r = env.tw("GET", "/sandbox/verify/code", &format!("To={}", enc(to)));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["code"].as_str().expect("code").to_string()
}

fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| if c == '9' { '0' } else { '9' })
        .collect()
}

/// Moves the sandbox clock; returns its new time (`advance(env, 0)` reads it).
fn advance(env: &Env, seconds: i64) -> i64 {
    let r = env.post_form("/sandbox/clock/advance", &format!("seconds={seconds}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["now"].as_i64().expect("now")
}

#[test]
fn start_answers_every_field_and_the_code_reaches_the_control_api() {
    let env = Env::new();
    let va = env.service("CodeLength=8");
    let r = sms(&env, &va, TO);
    assert_eq!(r.status, 201, "{}", r.body);
    let v = &r.json;
    let ve = v["sid"].as_str().unwrap();
    assert!(ve.starts_with("VE") && ve.len() == 34);
    assert_eq!(v["service_sid"], va.as_str());
    assert_eq!(v["account_sid"], env.sb.account_sid());
    assert_eq!(v["to"], TO);
    assert_eq!(v["channel"], "sms");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["valid"], false);
    assert_eq!(v["lookup"], serde_json::json!({}));
    assert_eq!(v["amount"], Value::Null);
    assert_eq!(v["payee"], Value::Null);
    assert_eq!(v["sna"], Value::Null);
    assert_eq!(v["send_code_attempts"].as_array().unwrap().len(), 1);
    assert_eq!(v["send_code_attempts"][0]["channel"], "SMS");
    assert!(
        v["send_code_attempts"][0]["attempt_sid"]
            .as_str()
            .unwrap()
            .starts_with("VL")
    );
    assert_eq!(
        v["url"],
        format!("{}/v2/Services/{va}/Verifications/{ve}", env.sb.base_url())
    );
    let code = delivered(&env, TO);
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    // Filters of the control lookup.
    let r = env.tw(
        "GET",
        "/sandbox/verify/code",
        &format!("To={}&ServiceSid={va}&Channel=sms", enc(TO)),
    );
    assert_eq!(r.json["verification_sid"], ve);
    let r = env.tw(
        "GET",
        "/sandbox/verify/code",
        &format!("To={}&Channel=call", enc(TO)),
    );
    assert_eq!(r.status, 404);
    // The Authy key opens the control routes too.
    let r = env.get(&format!("/sandbox/verify/code?To={}", enc(TO)));
    assert_eq!(r.json["code"], code.as_str());
    // Fetch.
    let r = env.tw("GET", &format!("/v2/Services/{va}/Verifications/{ve}"), "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["status"], "pending");
}

#[test]
fn five_sends_share_one_code_and_the_sixth_is_refused() {
    let env = Env::new();
    let va = env.service("");
    let first = sms(&env, &va, TO);
    let ve = first.json["sid"].as_str().unwrap().to_string();
    let code = delivered(&env, TO);
    for n in 2..=5 {
        let channel = if n == 3 { "call" } else { "sms" };
        let r = start(&env, &va, &format!("To={}&Channel={channel}", enc(TO)));
        assert_eq!(r.status, 201, "send {n}: {}", r.body);
        assert_eq!(
            r.json["sid"],
            ve.as_str(),
            "send {n} reuses the verification"
        );
        assert_eq!(r.json["channel"], channel);
        assert_eq!(r.json["send_code_attempts"].as_array().unwrap().len(), n);
        assert_eq!(delivered(&env, TO), code, "send {n} reuses the code");
    }
    let r = sms(&env, &va, TO);
    assert_tw_error(&r, 429, 60203, "Max send attempts reached");
    // Another destination is not affected; cancel opens a new verification.
    assert_eq!(sms(&env, &va, "+15017122662").status, 201);
    let r = env.tw(
        "POST",
        &format!("/v2/Services/{va}/Verifications/{ve}"),
        "Status=canceled",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["status"], "canceled");
    let r = sms(&env, &va, TO);
    assert_eq!(r.status, 201);
    assert_ne!(r.json["sid"], ve.as_str());
}

#[test]
fn five_wrong_checks_then_the_sixth_is_refused_and_the_verification_is_gone() {
    let env = Env::new();
    let va = env.service("");
    sms(&env, &va, TO);
    let code = delivered(&env, TO);
    for n in 1..=5 {
        let r = check(&env, &va, &format!("Code={}&To={}", wrong(&code), enc(TO)));
        assert_eq!(r.status, 200, "wrong check {n}: {}", r.body);
        assert_eq!(r.json["status"], "pending");
        assert_eq!(r.json["valid"], false);
        assert_eq!(r.json["sna_attempts_error_codes"], serde_json::json!([]));
        assert!(r.json.get("url").is_none());
    }
    // The sixth check fails even with the right code.
    let r = check(&env, &va, &format!("Code={code}&To={}", enc(TO)));
    assert_tw_error(&r, 429, 60202, "Max check attempts reached");
    let r = check(&env, &va, &format!("Code={code}&To={}", enc(TO)));
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(r.json["code"], 20404);
    let r = env.tw("GET", "/sandbox/verify/code", &format!("To={}", enc(TO)));
    assert_eq!(r.json["status"], "max_attempts_reached");
}

#[test]
fn four_wrong_checks_still_allow_the_right_one() {
    let env = Env::new();
    let va = env.service("");
    let ve = sms(&env, &va, TO).json["sid"].as_str().unwrap().to_string();
    let code = delivered(&env, TO);
    for _ in 0..4 {
        let r = check(
            &env,
            &va,
            &format!("Code={}&VerificationSid={ve}", wrong(&code)),
        );
        assert_eq!(r.json["status"], "pending");
    }
    let r = check(&env, &va, &format!("Code={code}&VerificationSid={ve}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["status"], "approved");
    assert_eq!(r.json["valid"], true);
    assert_eq!(r.json["sid"], ve.as_str());
    // Approved = soft-deleted.
    for r in [
        check(&env, &va, &format!("Code={code}&VerificationSid={ve}")),
        env.tw("GET", &format!("/v2/Services/{va}/Verifications/{ve}"), ""),
        env.tw(
            "POST",
            &format!("/v2/Services/{va}/Verifications/{ve}"),
            "Status=canceled",
        ),
    ] {
        assert_eq!(r.status, 404, "{}", r.body);
        assert_eq!(r.json["code"], 20404);
    }
}

#[test]
fn verifications_expire_at_the_600th_second() {
    let env = Env::new();
    let va = env.service("");
    // The sandbox clock is the real clock plus an offset, so a real second may pass between two
    // requests; a run where one did before the 599 s check is redone with a new number.
    for attempt in 0..10 {
        let to = format!("+1501712{:04}", 2000 + attempt);
        let t0 = advance(&env, 0);
        let ve = sms(&env, &va, &to).json["sid"]
            .as_str()
            .unwrap()
            .to_string();
        let code = delivered(&env, &to);
        let fetch = format!("/v2/Services/{va}/Verifications/{ve}");
        let t599 = advance(&env, 599);
        let fetched = env.tw("GET", &fetch, "");
        let checked = check(&env, &va, &format!("Code={}&To={}", wrong(&code), enc(&to)));
        if t599 != t0 + 599 || advance(&env, 0) != t599 {
            continue;
        }
        assert_eq!(fetched.status, 200, "{}", fetched.body);
        assert_eq!(checked.json["status"], "pending", "{}", checked.body);
        advance(&env, 1);
        assert_eq!(env.tw("GET", &fetch, "").status, 404);
        let r = check(&env, &va, &format!("Code={code}&To={}", enc(&to)));
        assert_eq!(r.status, 404, "{}", r.body);
        // A new send after expiry is a new verification with a new window.
        let r = sms(&env, &va, &to);
        assert_ne!(r.json["sid"], ve.as_str());
        let r = env.tw(
            "GET",
            "/sandbox/verify/verifications",
            &format!("To={}", enc(&to)),
        );
        let list = r.json["verifications"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1]["status"], "expired");
        return;
    }
    panic!("no run kept within one real second in 10 attempts");
}

#[test]
fn resend_inside_the_window_keeps_the_original_expiry() {
    let env = Env::new();
    let va = env.service("");
    sms(&env, &va, TO);
    advance(&env, 500);
    sms(&env, &va, TO);
    advance(&env, 100);
    let code = delivered(&env, TO);
    let r = check(&env, &va, &format!("Code={code}&To={}", enc(TO)));
    assert_eq!(r.status, 404, "the window counts from the first send");
}

#[test]
fn update_approves_or_cancels() {
    let env = Env::new();
    let va = env.service("");
    let ve = sms(&env, &va, TO).json["sid"].as_str().unwrap().to_string();
    let path = format!("/v2/Services/{va}/Verifications/{ve}");
    for bad in ["", "Status=expired", "Status=pending"] {
        let r = env.tw("POST", &path, bad);
        assert_tw_error(&r, 400, 60200, "Invalid parameter: Status");
    }
    let r = env.tw("POST", &path, "Status=approved");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["status"], "approved");
    assert_eq!(r.json["valid"], true);
    assert_eq!(env.tw("GET", &path, "").status, 404);
    // Fetch by `To` in place of the SID.
    sms(&env, &va, TO);
    let r = env.tw(
        "GET",
        &format!("/v2/Services/{va}/Verifications/{}", TO),
        "",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["to"], TO);
}

#[test]
fn every_channel() {
    let env = Env::new();
    let va = env.service("");
    for (channel, to, answered, attempt) in [
        ("sms", "+15017122661", "sms", "SMS"),
        ("call", "+15017122662", "call", "CALL"),
        ("email", "user@example.com", "email", "EMAIL"),
        ("whatsapp", "+15017122663", "whatsapp", "whatsapp"),
        ("auto", "+15017122664", "sms", "SMS"),
        ("SMS", "+15017122665", "sms", "SMS"),
    ] {
        let r = start(&env, &va, &format!("To={}&Channel={channel}", enc(to)));
        assert_eq!(r.status, 201, "{channel}: {}", r.body);
        assert_eq!(r.json["channel"], answered);
        assert_eq!(r.json["send_code_attempts"][0]["channel"], attempt);
        let code = delivered(&env, to);
        let r = check(&env, &va, &format!("Code={code}&To={}", enc(to)));
        assert_eq!(r.json["status"], "approved", "{channel}");
    }
    // SNA: no code; approved once the device opened sna.url.
    let r = start(&env, &va, &format!("To={}&Channel=sna", enc(TO)));
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.json["sna"]["url"].as_str().unwrap().to_string();
    let r = check(&env, &va, &format!("To={}", enc(TO)));
    assert_eq!(r.json["status"], "pending");
    let path = url.strip_prefix(env.sb.base_url()).unwrap();
    assert_eq!(env.tw("GET", path, "").status, 200);
    let r = check(&env, &va, &format!("To={}", enc(TO)));
    assert_eq!(r.json["status"], "approved");
    // Wrong destination shapes.
    for (channel, to) in [
        ("sms", "15017122661"),
        ("sms", "user@example.com"),
        ("call", "+0123"),
        ("email", "+15017122661"),
        ("whatsapp", "whatsapp:+15017122661"),
        ("auto", "user@example.com"),
    ] {
        let r = start(&env, &va, &format!("To={}&Channel={channel}", enc(to)));
        assert_tw_error(&r, 400, 60200, "Invalid parameter: To");
    }
    for form in [
        "To=%2B15017122661",
        "To=%2B15017122661&Channel=fax",
        "Channel=sms",
    ] {
        let r = start(&env, &va, form);
        let name = if form.starts_with("Channel") {
            "To"
        } else {
            "Channel"
        };
        assert_tw_error(&r, 400, 60200, &format!("Invalid parameter: {name}"));
    }
}

#[test]
fn the_captured_python_body_is_accepted_and_every_parameter_is_checked() {
    let env = Env::new();
    let va = env.service("CustomCodeEnabled=true");
    // verify-v2.md Appendix A.1, byte for byte (with HJ… written out).
    let body = "To=%2B15017122661&Channel=sms&CustomFriendlyName=Acme&SendDigits=ww1&Locale=en&CustomCode=867530&Amount=%E2%82%AC39.99&Payee=Acme+Inc.&RateLimits=%7B%22my_rate_limit_key%22%3A+%22abc%22%7D&ChannelConfiguration=%7B%22from%22%3A+%22a%40b.com%22%2C+%22from_name%22%3A+%22Bar%22%2C+%22substitutions%22%3A+%7B%22username%22%3A+%22x%22%7D%7D&AppHash=AAAAAAAAAAA&TemplateSid=HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&TemplateCustomSubstitutions=%7B%22AppName%22%3A%22MyApp%22%7D&DeviceIp=1.2.3.4&EnableSnaClientToken=true&RiskCheck=enable&Tags=%7B%22tenant_id%22%3A%221%22%7D";
    let r = start(&env, &va, body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["amount"], Value::Null, "not a PSD2 service");
    assert_eq!(delivered(&env, TO), "867530");
    // The node capture.
    let body = "To=%2B15017122662&Channel=sms&Locale=en&CustomCode=867531&RateLimits=%7B%22my_rate_limit_key%22%3A%22abc%22%7D&ChannelConfiguration=%7B%22from%22%3A%22a%40b.com%22%2C%22from_name%22%3A%22Bar%22%7D&EnableSnaClientToken=true&Tags=%7B%22t%22%3A%221%22%7D";
    assert_eq!(start(&env, &va, body).status, 201);
    let eleven_tags: String = (0..11)
        .map(|i| format!("\"k{i}\":\"v\""))
        .collect::<Vec<_>>()
        .join(",");
    let ten_tags: String = (0..10)
        .map(|i| format!("\"k{i}\":\"v\""))
        .collect::<Vec<_>>()
        .join(",");
    let ok_tags = start(
        &env,
        &va,
        &format!(
            "To=%2B15017122663&Channel=sms&Tags={}",
            enc(&format!("{{{ten_tags}}}"))
        ),
    );
    assert_eq!(ok_tags.status, 201, "10 tags: {}", ok_tags.body);
    let long = "x".repeat(129);
    for (extra, name) in [
        ("Locale=english", "Locale"),
        ("CustomCode=123", "CustomCode"),
        ("CustomCode=12345678901", "CustomCode"),
        ("RateLimits=abc", "RateLimits"),
        ("RateLimits=%5B%5D", "RateLimits"),
        ("ChannelConfiguration=%7Bx", "ChannelConfiguration"),
        ("TemplateSid=HJ1", "TemplateSid"),
        (
            "TemplateCustomSubstitutions=1",
            "TemplateCustomSubstitutions",
        ),
        ("DeviceIp=1.2.3", "DeviceIp"),
        ("EnableSnaClientToken=yes", "EnableSnaClientToken"),
        ("RiskCheck=maybe", "RiskCheck"),
        ("SendDigits=12ab", "SendDigits"),
        (
            &format!("Tags={}", enc(&format!("{{{eleven_tags}}}"))),
            "Tags",
        ),
        (
            &format!("Tags={}", enc(&format!("{{\"k\":\"{long}\"}}"))),
            "Tags",
        ),
        ("Templates=%7B%7D", "Templates"),
    ] {
        let r = start(&env, &va, &format!("To=%2B15017122669&Channel=sms&{extra}"));
        assert_tw_error(&r, 400, 60200, &format!("Invalid parameter: {name}"));
    }
    // CustomCode at 4 and 10 characters.
    for (to, code) in [("+15017122670", "1234"), ("+15017122671", "12345ABCDE")] {
        let r = start(
            &env,
            &va,
            &format!("To={}&Channel=sms&CustomCode={code}", enc(to)),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(delivered(&env, to), code);
    }
    // Check: Code shape.
    for bad in ["123", "12345678901"] {
        let r = check(&env, &va, &format!("Code={bad}&To={}", enc(TO)));
        assert_tw_error(&r, 400, 60200, "Invalid parameter: Code");
    }
    let r = check(&env, &va, "Code=1234");
    assert_tw_error(&r, 400, 60200, "Invalid parameter: To");
}

#[test]
fn service_settings_rule_verifications() {
    let env = Env::new();
    // CustomCode needs custom_code_enabled.
    let plain = env.service("");
    let r = start(
        &env,
        &plain,
        "To=%2B15017122661&Channel=sms&CustomCode=1234",
    );
    assert_tw_error(&r, 400, 60204, "Service does not support this feature");
    // PSD2: Amount and Payee at start and at check.
    let psd2 = env.service("Psd2Enabled=true");
    let r = start(&env, &psd2, "To=%2B15017122661&Channel=sms&Amount=10");
    assert_tw_error(&r, 400, 60206, "'Amount' & 'Payee' params are required");
    let r = start(
        &env,
        &psd2,
        "To=%2B15017122661&Channel=sms&Amount=10&Payee=Acme",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["amount"], "10");
    assert_eq!(r.json["payee"], "Acme");
    let code = delivered(&env, TO);
    let r = check(&env, &psd2, &format!("Code={code}&To=%2B15017122661"));
    assert_tw_error(&r, 400, 60206, "'Amount' & 'Payee' params are required");
    let r = check(
        &env,
        &psd2,
        &format!("Code={code}&To=%2B15017122661&Amount=11&Payee=Acme"),
    );
    assert_eq!(r.json["status"], "pending");
    let r = check(
        &env,
        &psd2,
        &format!("Code={code}&To=%2B15017122661&Amount=10&Payee=Acme"),
    );
    assert_eq!(r.json["status"], "approved");
    // Channels switched off by the sandbox plan.
    let r = env.post_form(
        "/sandbox/config",
        "sms_enabled=false&phone_calls_enabled=false",
    );
    assert_eq!(r.status, 200);
    let r = start(&env, &plain, "To=%2B15017122661&Channel=sms");
    assert_tw_error(&r, 400, 60223, "Delivery channel disabled: SMS");
    let r = start(&env, &plain, "To=%2B15017122661&Channel=call");
    assert_tw_error(&r, 400, 60223, "Delivery channel disabled: CALL");
    assert_eq!(start(&env, &plain, "To=a%40b.co&Channel=email").status, 201);
    // Unknown and malformed services.
    let r = start(
        &env,
        "VA00000000000000000000000000000000",
        "To=%2B15017122661&Channel=sms",
    );
    assert_tw_error(
        &r,
        404,
        20404,
        "The requested resource /v2/Services/VA00000000000000000000000000000000/Verifications was not found",
    );
    let r = start(
        &env,
        "AC00000000000000000000000000000000",
        "To=%2B15017122661&Channel=sms",
    );
    assert_tw_error(&r, 400, 60200, "Invalid parameter: ServiceSid");
    // A verification belongs to its service.
    let other = env.service("");
    let r = env.post_form("/sandbox/config", "sms_enabled=true");
    assert_eq!(r.status, 200);
    let ve = start(&env, &plain, "To=%2B15017122668&Channel=sms").json["sid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.tw(
        "GET",
        &format!("/v2/Services/{other}/Verifications/{ve}"),
        "",
    );
    assert_eq!(r.status, 404);
}

#[test]
fn lookup_enabled_fills_lookup_and_landlines_can_refuse_sms() {
    let env = Env::new();
    let va = env.service("LookupEnabled=true&SkipSmsToLandlines=true");
    let mut landline = None;
    let mut mobile = None;
    for n in 0..200 {
        let to = format!("+1415555{n:04}");
        let r = env.tw(
            "GET",
            &format!("/v2/PhoneNumbers/{to}"),
            "Fields=line_type_intelligence",
        );
        match r.json["line_type_intelligence"]["type"].as_str() {
            Some("landline") if landline.is_none() => landline = Some(to),
            Some("mobile") if mobile.is_none() => mobile = Some(to),
            _ => {}
        }
    }
    let (landline, mobile) = (landline.unwrap(), mobile.unwrap());
    let r = sms(&env, &va, &mobile);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["lookup"]["carrier"]["type"], "mobile");
    assert!(r.json["lookup"]["carrier"]["name"].is_string());
    let r = sms(&env, &va, &landline);
    assert_tw_error(
        &r,
        403,
        60205,
        "SMS is not supported by landline phone number",
    );
    let r = start(&env, &va, &format!("To={}&Channel=call", enc(&landline)));
    assert_eq!(r.status, 201);
    assert_eq!(r.json["lookup"]["carrier"]["type"], "landline");
}
