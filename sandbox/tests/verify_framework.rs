//! Verify v2 framework and Services over real HTTP: Basic auth (and its separation from the
//! Authy key), the error envelope, 404/405/413, the `Date` header, pagination, every Service
//! field.

mod common;

use authy_sandbox::SandboxConfig;
use common::{Env, assert_tw_error, basic, enc};
use serde_json::Value;

#[test]
fn basic_auth_accepts_the_account_and_api_key_pairs_only() {
    let env = Env::with(SandboxConfig {
        api_keys: vec![(
            "SK0123456789abcdef0123456789abcdef".into(),
            "k-secret".into(),
        )],
        ..SandboxConfig::default()
    });
    let ok = env.tw("GET", "/v2/Services", "");
    assert_eq!(ok.status, 200, "{}", ok.body);
    let sk = basic("SK0123456789abcdef0123456789abcdef", "k-secret");
    assert_eq!(env.tw_as("GET", "/v2/Services", "", Some(&sk)).status, 200);

    let bad = [
        Some(basic(env.sb.account_sid(), "wrong-token")),
        Some(basic(
            "SK0123456789abcdef0123456789abcdef",
            env.sb.auth_token(),
        )),
        Some(basic(env.sb.account_sid(), "")),
        Some(format!("Bearer {}", env.sb.auth_token())),
        Some("Basic not-base64!".to_string()),
        None,
    ];
    for auth in bad {
        let r = env.tw_as("GET", "/v2/Services", "", auth.as_deref());
        assert_tw_error(&r, 401, 20003, "Authenticate");
        assert!(!r.body.contains(env.sb.auth_token()));
    }
    // The Authy API key does not open /v2 (header or parameter).
    let r = env.tw_as(
        "GET",
        &format!("/v2/Services?api_key={}", env.sb.api_key()),
        "",
        None,
    );
    assert_tw_error(&r, 401, 20003, "Authenticate");
    let r = common::Env::finish_public(
        env.agent
            .get(&env.url("/v2/Services"))
            .header("X-Authy-API-Key", env.sb.api_key())
            .call(),
    );
    assert_tw_error(&r, 401, 20003, "Authenticate");
    // Basic credentials do not open the Authy routes.
    let r = env.tw_as("GET", "/protected/json/app/details", "", Some(&env.basic()));
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json["error_code"], "60001");
    // Unknown paths need credentials too (no probing without them).
    let r = env.tw_as("GET", "/v2/Nope", "", None);
    assert_tw_error(&r, 401, 20003, "Authenticate");
}

#[test]
fn unknown_paths_wrong_methods_and_the_date_header() {
    let env = Env::new();
    let r = env.tw("GET", "/v2/services", "");
    assert_tw_error(
        &r,
        404,
        20404,
        "The requested resource /v2/services was not found",
    );
    assert_tw_error(
        &env.tw("GET", "/v2", ""),
        404,
        20404,
        "The requested resource /v2 was not found",
    );
    let va = env.service("");
    let r = env.tw("PUT", &format!("/v2/Services/{va}"), "");
    assert_tw_error(&r, 405, 20004, "Method not allowed");
    assert_eq!(r.header("allow"), Some("DELETE, GET, POST"));
    let r = env.tw("DELETE", "/v2/Services", "");
    assert_tw_error(&r, 405, 20004, "Method not allowed");
    assert_eq!(r.header("allow"), Some("GET, POST"));
    // Date: an IMF-fixdate, moved by the sandbox clock.
    let before = env.tw("GET", "/v2/Services", "");
    let date = before.header("date").expect("Date").to_string();
    assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");
    let r = env.post_form("/sandbox/clock/advance", "seconds=31536000");
    assert_eq!(r.status, 200);
    let after = env.tw("GET", "/v2/Services", "");
    let year = |d: &str| d[12..16].parse::<i32>().unwrap();
    assert!(year(after.header("date").unwrap()) > year(&date));
}

#[test]
fn body_limit_is_one_mebibyte() {
    let env = Env::new();
    let head = "FriendlyName=Big&Pad=";
    let limit = 1024 * 1024;
    let at_limit = format!("{head}{}", "a".repeat(limit - head.len()));
    assert_eq!(at_limit.len(), limit);
    let r = env.tw("POST", "/v2/Services", &at_limit);
    assert_eq!(r.status, 201, "{}", &r.body[..r.body.len().min(200)]);
    let over = format!("{at_limit}a");
    let r = env.tw("POST", "/v2/Services", &over);
    assert_tw_error(
        &r,
        413,
        413,
        "Request entity too large (the limit is 1 MiB)",
    );
}

#[test]
fn service_create_answers_every_field() {
    let env = Env::new();
    // Appendix A.1 (twilio-python), byte for byte.
    let r = env.tw(
        "POST",
        "/v2/Services",
        "FriendlyName=My+App&CodeLength=6&LookupEnabled=true&SkipSmsToLandlines=false&Psd2Enabled=false&DoNotShareWarningEnabled=true&CustomCodeEnabled=false&Push.IncludeDate=false&Totp.Issuer=Acme&Totp.TimeStep=30&Totp.CodeLength=6&Totp.Skew=1",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = &r.json;
    let sid = s["sid"].as_str().unwrap();
    assert!(sid.starts_with("VA") && sid.len() == 34, "{sid}");
    assert_eq!(s["account_sid"], env.sb.account_sid());
    assert_eq!(s["friendly_name"], "My App");
    assert_eq!(s["code_length"], 6);
    assert_eq!(s["lookup_enabled"], true);
    assert_eq!(s["do_not_share_warning_enabled"], true);
    assert_eq!(s["totp"]["issuer"], "Acme");
    assert_eq!(s["totp"]["time_step"], 30);
    assert_eq!(s["totp"]["skew"], 1);
    assert_eq!(s["push"]["include_date"], false);
    assert_eq!(s["push"]["apn_credential_sid"], Value::Null);
    assert_eq!(s["whatsapp"]["from"], Value::Null);
    assert_eq!(s["passkeys"]["relying_party"]["origins"], Value::Null);
    let url = format!("{}/v2/Services/{sid}", env.sb.base_url());
    assert_eq!(s["url"], url);
    assert_eq!(s["links"]["verifications"], format!("{url}/Verifications"));
    assert_eq!(
        s["links"]["verification_checks"],
        format!("{url}/VerificationCheck")
    );
    let d = s["date_created"].as_str().unwrap();
    assert!(
        d.len() == 20 && d.ends_with('Z') && &d[10..11] == "T",
        "{d}"
    );
    for key in [
        "sid",
        "account_sid",
        "friendly_name",
        "code_length",
        "lookup_enabled",
        "psd2_enabled",
        "skip_sms_to_landlines",
        "dtmf_input_required",
        "tts_name",
        "do_not_share_warning_enabled",
        "custom_code_enabled",
        "push",
        "totp",
        "whatsapp",
        "passkeys",
        "default_template_sid",
        "verify_event_subscription_enabled",
        "date_created",
        "date_updated",
        "url",
        "links",
    ] {
        assert!(s.get(key).is_some(), "missing {key}");
    }

    // The node capture, with `%20` spaces; and the remaining fields.
    let hj = "HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let cr = "CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mg = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let form = format!(
        "FriendlyName=My%20App&TtsName=alice&DtmfInputRequired=true&Push.ApnCredentialSid={cr}&Push.FcmCredentialSid={cr}&DefaultTemplateSid={hj}&Whatsapp.MsgServiceSid={mg}&Whatsapp.From={}&Passkeys.RelyingParty.Id=example.com&Passkeys.RelyingParty.Name=Ex&Passkeys.RelyingParty.Origins={}&Passkeys.AuthenticatorAttachment=platform&Passkeys.DiscoverableCredentials=preferred&Passkeys.UserVerification=discouraged&VerifyEventSubscriptionEnabled=true",
        enc("whatsapp:+1234567890"),
        enc("example.com,login.example.com")
    );
    let r = env.tw("POST", "/v2/Services", &form);
    assert_eq!(r.status, 201, "{}", r.body);
    let s = &r.json;
    assert_eq!(s["friendly_name"], "My App");
    assert_eq!(s["tts_name"], "alice");
    assert_eq!(s["dtmf_input_required"], true);
    assert_eq!(s["push"]["fcm_credential_sid"], cr);
    assert_eq!(s["default_template_sid"], hj);
    assert_eq!(s["whatsapp"]["msg_service_sid"], mg);
    assert_eq!(s["whatsapp"]["from"], "whatsapp:+1234567890");
    assert_eq!(
        s["passkeys"]["relying_party"]["origins"],
        serde_json::json!(["example.com", "login.example.com"])
    );
    assert_eq!(s["passkeys"]["user_verification"], "discouraged");
    assert_eq!(s["verify_event_subscription_enabled"], true);
}

#[test]
fn service_parameters_are_checked_at_their_edges() {
    let env = Env::new();
    let cases = [
        ("", "FriendlyName"),
        ("FriendlyName=", "FriendlyName"),
        ("FriendlyName=x&CodeLength=3", "CodeLength"),
        ("FriendlyName=x&CodeLength=11", "CodeLength"),
        ("FriendlyName=x&CodeLength=six", "CodeLength"),
        ("FriendlyName=x&LookupEnabled=yes", "LookupEnabled"),
        ("FriendlyName=x&Totp.TimeStep=19", "Totp.TimeStep"),
        ("FriendlyName=x&Totp.TimeStep=61", "Totp.TimeStep"),
        ("FriendlyName=x&Totp.CodeLength=9", "Totp.CodeLength"),
        ("FriendlyName=x&Totp.Skew=3", "Totp.Skew"),
        (
            "FriendlyName=x&DefaultTemplateSid=HJ123",
            "DefaultTemplateSid",
        ),
        (
            "FriendlyName=x&Push.ApnCredentialSid=VA0123456789abcdef0123456789abcdef",
            "Push.ApnCredentialSid",
        ),
    ];
    for (form, name) in cases {
        let r = env.tw("POST", "/v2/Services", form);
        assert_tw_error(&r, 400, 60200, &format!("Invalid parameter: {name}"));
    }
    let name32 = "n".repeat(32);
    let r = env.tw("POST", "/v2/Services", &format!("FriendlyName={name32}"));
    assert_eq!(r.status, 201, "{}", r.body);
    let r = env.tw("POST", "/v2/Services", &format!("FriendlyName={name32}n"));
    assert_tw_error(&r, 400, 60200, "Invalid parameter: FriendlyName");
    for (form, field, value) in [
        ("CodeLength=4", "code_length", 4),
        ("CodeLength=10", "code_length", 10),
    ] {
        let r = env.tw("POST", "/v2/Services", &format!("FriendlyName=x&{form}"));
        assert_eq!(r.json[field], value, "{}", r.body);
    }
    // Nothing was created by the refused requests.
    let r = env.tw("GET", "/v2/Services", "");
    assert_eq!(r.json["services"].as_array().unwrap().len(), 3);
}

#[test]
fn service_fetch_update_delete() {
    let env = Env::new();
    let va = env.service("CodeLength=8&Totp.Issuer=Acme");
    let path = format!("/v2/Services/{va}");
    let r = env.tw("GET", &path, "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["code_length"], 8);
    let r = env.tw(
        "POST",
        &path,
        "FriendlyName=Renamed&LookupEnabled=false&Totp.Skew=2",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["friendly_name"], "Renamed");
    assert_eq!(r.json["code_length"], 8, "untouched fields stay");
    assert_eq!(r.json["totp"]["issuer"], "Acme");
    assert_eq!(r.json["totp"]["skew"], 2);
    let r = env.tw("POST", &path, "CodeLength=12");
    assert_tw_error(&r, 400, 60200, "Invalid parameter: CodeLength");
    let r = env.tw("DELETE", &path, "");
    assert_eq!(r.status, 204);
    assert_eq!(r.body, "");
    for method in ["GET", "POST", "DELETE"] {
        let r = env.tw(method, &path, "");
        assert_tw_error(
            &r,
            404,
            20404,
            &format!("The requested resource {path} was not found"),
        );
    }
    let r = env.tw("GET", "/v2/Services/ACnotaservice", "");
    assert_tw_error(&r, 400, 60200, "Invalid parameter: ServiceSid");
}

#[test]
fn pagination_follows_next_page_url_on_the_sandbox() {
    let env = Env::new();
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(env.service(""));
    }
    // The captured first request, then next_page_url verbatim until null.
    let mut url = format!("{}/v2/Services?PageSize=2", env.sb.base_url());
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let path = url.strip_prefix(env.sb.base_url()).expect("own host");
        let r = env.tw("GET", path, "");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json["meta"]["key"], "services");
        assert_eq!(r.json["meta"]["page_size"], 2);
        assert_eq!(r.json["meta"]["page"], pages);
        assert_eq!(
            r.json["meta"]["first_page_url"],
            format!("{}/v2/Services?PageSize=2&Page=0", env.sb.base_url())
        );
        for s in r.json["services"].as_array().unwrap() {
            seen.push(s["sid"].as_str().unwrap().to_string());
        }
        pages += 1;
        match r.json["meta"]["next_page_url"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created);
    // Page 1 as the libraries ask for it.
    let r = env.tw("GET", "/v2/Services", "PageSize=2&Page=1&PageToken=PT2");
    assert_eq!(r.json["services"][0]["sid"], created[2].as_str());
    assert!(r.json["meta"]["previous_page_url"].is_string());
    // PageSize edges.
    let r = env.tw("GET", "/v2/Services", "PageSize=1000");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["meta"]["page_size"], 1000);
    assert_eq!(r.json["meta"]["next_page_url"], Value::Null);
    for bad in ["1001", "0", "-1", "x"] {
        let r = env.tw("GET", "/v2/Services", &format!("PageSize={bad}"));
        assert_tw_error(&r, 400, 60200, "Invalid parameter: PageSize");
    }
    let r = env.tw("GET", "/v2/Services", "");
    assert_eq!(r.json["meta"]["page_size"], 50);
}

#[test]
fn page_urls_keep_the_loopback_name_the_client_used() {
    let env = Env::new();
    env.service("");
    env.service("");
    let port = env.sb.port();
    let ask = |host: &str| {
        let req = format!(
            "GET /v2/Services?PageSize=1 HTTP/1.1\r\nHost: {host}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
            env.basic()
        );
        let raw = common::raw_exchange(env.sb.addr(), req.as_bytes());
        let (status, _, body) = common::split_response(&raw).expect("an answer");
        assert_eq!(status, 200);
        let v: Value = serde_json::from_slice(&body).unwrap();
        v["meta"]["next_page_url"].as_str().unwrap().to_string()
    };
    assert!(
        ask(&format!("localhost:{port}"))
            .starts_with(&format!("http://localhost:{port}/v2/Services?")),
    );
    assert!(ask(&format!("127.0.0.1:{port}")).starts_with(env.sb.base_url()));
    assert!(ask("verify.twilio.com").starts_with(env.sb.base_url()));
}

#[test]
fn counters_faults_and_reset_cover_the_v2_routes() {
    let env = Env::new();
    let va = env.service("");
    env.tw("GET", &format!("/v2/Services/{va}"), "");
    env.tw("GET", "/v2/Nope", "");
    let r = env.get("/sandbox/requests");
    assert_eq!(r.json["requests"]["POST /v2/Services"], 1, "{}", r.body);
    assert_eq!(r.json["requests"]["GET /v2/Services/{ServiceSid}"], 1);
    assert_eq!(r.json["requests"]["(unmatched)"], 1);

    let r = env.post_form(
        "/sandbox/faults",
        "kind=rate_limit&count=1&path_prefix=/v2/&retry_after=7",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = env.tw("GET", "/v2/Services", "");
    assert_tw_error(&r, 429, 20429, "Too many requests");
    assert_eq!(r.retry_after.as_deref(), Some("7"));
    assert_eq!(env.tw("GET", "/v2/Services", "").status, 200);

    let r = env.post_form("/sandbox/faults", "kind=status_5xx&count=1&status=503");
    assert_eq!(r.status, 200);
    assert_eq!(env.tw("GET", "/v2/Services", "").status, 503);

    assert_eq!(env.post_form("/sandbox/reset", "").status, 200);
    let r = env.tw("GET", &format!("/v2/Services/{va}"), "");
    assert_eq!(r.status, 404);
}
