//! Verify v2 RateLimits + Buckets, Verification Attempts (+ Summary) and Lookup v2 over real
//! HTTP, and the binary's Verify credentials.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, Resp, assert_tw_error, basic, enc};
use serde_json::Value;

fn start(env: &Env, va: &str, to: &str, extra: &str) -> Resp {
    let mut form = format!("To={}&Channel=sms", enc(to));
    if !extra.is_empty() {
        form.push('&');
        form.push_str(extra);
    }
    env.tw("POST", &format!("/v2/Services/{va}/Verifications"), &form)
}

/// Moves the sandbox clock; returns its new time (`advance(env, 0)` reads it).
fn advance(env: &Env, seconds: i64) -> i64 {
    let r = env.post_form("/sandbox/clock/advance", &format!("seconds={seconds}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["now"].as_i64().expect("now")
}

#[test]
fn a_bucket_allows_max_requests_per_interval_per_value() {
    let env = Env::new();
    let va = env.service("");
    let base = format!("/v2/Services/{va}/RateLimits");
    // The captured create bodies.
    let r = env.tw(
        "POST",
        &base,
        "UniqueName=end_user_ip_address&Description=per+ip",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let rk = r.json["sid"].as_str().unwrap().to_string();
    assert!(rk.starts_with("RK"));
    assert_eq!(r.json["unique_name"], "end_user_ip_address");
    assert_eq!(r.json["description"], "per ip");
    assert_eq!(
        r.json["links"]["buckets"],
        format!("{}{base}/{rk}/Buckets", env.sb.base_url())
    );
    let r = env.tw("POST", &format!("{base}/{rk}/Buckets"), "Max=5&Interval=60");
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json["sid"].as_str().unwrap().starts_with("BL"));
    assert_eq!(r.json["max"], 5);
    assert_eq!(r.json["interval"], 60);
    assert_eq!(r.json["rate_limit_sid"], rk.as_str());

    let limit = |ip: &str| enc(&format!("{{\"end_user_ip_address\": \"{ip}\"}}"));
    // The sandbox clock is the real clock plus an offset: a run where a real second passed
    // between the first hit and the 59 s check is redone with another value (bounded).
    let mut exact = false;
    for attempt in 0..10 {
        let ip = format!("10.0.0.{attempt}");
        let to = |n: usize| format!("+1501713{attempt}{n:03}");
        let t0 = advance(&env, 0);
        for n in 1..=5 {
            let r = start(&env, &va, &to(n), &format!("RateLimits={}", limit(&ip)));
            assert_eq!(r.status, 201, "request {n}: {}", r.body);
        }
        let t_last = advance(&env, 0);
        let r = start(&env, &va, &to(6), &format!("RateLimits={}", limit(&ip)));
        assert_tw_error(&r, 429, 20429, "Too many requests");
        // Refused requests do not count, other values have their own count, unknown keys are
        // ignored.
        let other = format!("RateLimits={}", limit(&format!("{ip}9")));
        assert_eq!(start(&env, &va, &to(7), &other).status, 201);
        let unknown = format!("RateLimits={}", enc(&format!("{{\"nope\":\"{ip}\"}}")));
        assert_eq!(start(&env, &va, &to(8), &unknown).status, 201);
        // Sliding window: 59 s after the first hit still full, 60 s after it free again.
        let t59 = advance(&env, 59 - (t_last - t0));
        let r = start(&env, &va, &to(9), &format!("RateLimits={}", limit(&ip)));
        if t59 != t0 + 59 || advance(&env, 0) != t59 {
            continue;
        }
        assert_eq!(r.status, 429, "{}", r.body);
        advance(&env, 1);
        let r = start(&env, &va, &to(10), &format!("RateLimits={}", limit(&ip)));
        assert_eq!(r.status, 201, "{}", r.body);
        exact = true;
        break;
    }
    assert!(exact, "no run kept within one real second in 10 attempts");
    // A second, tighter bucket: every bucket is checked.
    let r = env.tw(
        "POST",
        &format!("{base}/{rk}/Buckets"),
        "Max=1&Interval=3600",
    );
    assert_eq!(r.status, 201);
    let r = start(
        &env,
        &va,
        "+15017122670",
        &format!("RateLimits={}", limit("9.9.9.9")),
    );
    assert_eq!(r.status, 201);
    let r = start(
        &env,
        &va,
        "+15017122671",
        &format!("RateLimits={}", limit("9.9.9.9")),
    );
    assert_eq!(r.status, 429);
}

#[test]
fn rate_limit_and_bucket_crud_and_errors() {
    let env = Env::new();
    let va = env.service("");
    let base = format!("/v2/Services/{va}/RateLimits");
    let rk = env.tw("POST", &base, "UniqueName=a").json["sid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_tw_error(
        &env.tw("POST", &base, "UniqueName=a"),
        400,
        60208,
        "Rate Limit with this unique name already exists",
    );
    assert_tw_error(
        &env.tw("POST", &base, "UniqueName=has+space"),
        400,
        60209,
        "Invalid Rate Limit unique name",
    );
    assert_tw_error(
        &env.tw("POST", &base, ""),
        400,
        60200,
        "Invalid parameter: UniqueName",
    );
    let r = env.tw("POST", &format!("{base}/{rk}"), "Description=new");
    assert_eq!(r.json["description"], "new");
    assert_eq!(r.json["unique_name"], "a");
    env.tw("POST", &base, "UniqueName=b");
    let r = env.tw("GET", &base, "PageSize=1");
    assert_eq!(r.json["meta"]["key"], "rate_limits");
    assert_eq!(r.json["rate_limits"][0]["sid"], rk.as_str());
    assert!(r.json["meta"]["next_page_url"].is_string());

    let buckets = format!("{base}/{rk}/Buckets");
    let bl = env.tw("POST", &buckets, "Max=5&Interval=60").json["sid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_tw_error(
        &env.tw("POST", &buckets, "Max=9&Interval=60"),
        400,
        60211,
        "Bucket with this interval already exists",
    );
    assert_tw_error(
        &env.tw("POST", &buckets, "Interval=60"),
        400,
        60200,
        "Invalid parameter: Max",
    );
    assert_tw_error(
        &env.tw("POST", &buckets, "Max=1"),
        400,
        60200,
        "Invalid parameter: Interval",
    );
    assert_tw_error(
        &env.tw("POST", &buckets, "Max=1&Interval=0"),
        400,
        60200,
        "Invalid parameter: Interval",
    );
    let r = env.tw("POST", &format!("{buckets}/{bl}"), "Max=7");
    assert_eq!(r.json["max"], 7);
    assert_eq!(r.json["interval"], 60);
    let r = env.tw("GET", &buckets, "");
    assert_eq!(r.json["meta"]["key"], "buckets");
    assert_eq!(r.json["buckets"].as_array().unwrap().len(), 1);
    assert_eq!(env.tw("GET", &format!("{buckets}/{bl}"), "").status, 200);
    assert_eq!(env.tw("DELETE", &format!("{buckets}/{bl}"), "").status, 204);
    assert_eq!(env.tw("GET", &format!("{buckets}/{bl}"), "").status, 404);
    assert_eq!(env.tw("DELETE", &format!("{base}/{rk}"), "").status, 204);
    assert_eq!(env.tw("GET", &format!("{base}/{rk}"), "").status, 404);
    assert_eq!(env.tw("GET", &buckets, "").status, 404);
}

#[test]
fn attempts_record_every_send_and_conversion() {
    let env = Env::new();
    let va = env.service("");
    let other = env.service("");
    start(&env, &va, "+15017122661", "");
    start(&env, &va, "+15017122661", "");
    start(&env, &va, "+447700900123", "");
    start(&env, &other, "+15017122662", "");
    let code = env
        .tw("GET", "/sandbox/verify/code", "To=%2B15017122661")
        .json["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.tw(
        "POST",
        &format!("/v2/Services/{va}/VerificationCheck"),
        &format!("Code={code}&To=%2B15017122661"),
    );
    assert_eq!(r.json["status"], "approved");

    let r = env.tw("GET", "/v2/Attempts", "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["meta"]["key"], "attempts");
    let all = r.json["attempts"].as_array().unwrap();
    assert_eq!(all.len(), 4);
    let a = &all[3];
    assert!(a["sid"].as_str().unwrap().starts_with("VL"));
    assert_eq!(a["conversion_status"], "converted");
    assert_eq!(a["channel"], "sms");
    assert_eq!(a["channel_data"]["to"], "+15017122661");
    assert_eq!(a["channel_data"]["country"], "US");
    assert_eq!(a["price"]["currency"], "usd");
    let sid = a["sid"].as_str().unwrap();
    let r = env.tw("GET", &format!("/v2/Attempts/{sid}"), "");
    assert_eq!(r.json["sid"], sid);
    assert_eq!(env.tw("GET", "/v2/Attempts/VLnope", "").status, 404);

    // The captured filter query, and each filter.
    let r = env.tw(
        "GET",
        "/v2/Attempts",
        &format!(
            "DateCreatedAfter=2024-01-01T00%3A00%3A00Z&ChannelData.To=%2B15017122661&Channel=sms&VerifyServiceSid={va}&PageSize=1"
        ),
    );
    assert_eq!(r.json["attempts"].as_array().unwrap().len(), 1);
    let next = r.json["meta"]["next_page_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(next.contains("ChannelData.To=%2B15017122661"), "{next}");
    let r = env.tw("GET", next.strip_prefix(env.sb.base_url()).unwrap(), "");
    assert_eq!(r.json["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["meta"]["next_page_url"], Value::Null);
    let count = |q: &str| {
        let r = env.tw("GET", "/v2/Attempts", q);
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.json["attempts"].as_array().unwrap().len()
    };
    assert_eq!(count("Country=GB"), 1);
    assert_eq!(count(&format!("VerifyServiceSid={other}")), 1);
    assert_eq!(count("Status=converted"), 2);
    assert_eq!(count("Status=unconverted"), 2);
    assert_eq!(count("DateCreatedBefore=2000-01-01T00%3A00%3A00Z"), 0);
    for (q, name) in [
        ("DateCreatedAfter=yesterday", "DateCreatedAfter"),
        ("Channel=fax", "Channel"),
        ("Status=maybe", "Status"),
    ] {
        assert_tw_error(
            &env.tw("GET", "/v2/Attempts", q),
            400,
            60200,
            &format!("Invalid parameter: {name}"),
        );
    }
    let r = env.tw(
        "GET",
        "/v2/Attempts/Summary",
        &format!("VerifyServiceSid={va}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["total_attempts"], 3);
    assert_eq!(r.json["total_converted"], 2);
    assert_eq!(r.json["total_unconverted"], 1);
    assert_eq!(r.json["conversion_rate_percentage"], "66.666666667");
}

#[test]
fn lookup_answers_valid_and_invalid_numbers_deterministically() {
    let env = Env::new();
    // The captured py request, literal `+` in the path.
    let r = env.tw(
        "GET",
        "/v2/PhoneNumbers/+14159929960",
        "Fields=line_type_intelligence%2Cvalidation&CountryCode=US",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = &r.json;
    assert_eq!(v["phone_number"], "+14159929960");
    assert_eq!(v["calling_country_code"], "1");
    assert_eq!(v["country_code"], "US");
    assert_eq!(v["national_format"], "(415) 992-9960");
    assert_eq!(v["valid"], true);
    assert_eq!(v["validation_errors"], Value::Null);
    assert_eq!(
        v["url"],
        format!("{}/v2/PhoneNumbers/+14159929960", env.sb.base_url())
    );
    let lti = &v["line_type_intelligence"];
    assert!(["mobile", "landline", "nonFixedVoip"].contains(&lti["type"].as_str().unwrap()));
    assert!(lti["carrier_name"].is_string());
    for f in [
        "caller_name",
        "sim_swap",
        "sms_pumping_risk",
        "identity_match",
        "pre_fill",
    ] {
        assert_eq!(v[f], Value::Null, "{f} not asked for");
    }
    // Deterministic, and the Authy phone-intelligence answer agrees.
    let again = env.tw(
        "GET",
        "/v2/PhoneNumbers/+14159929960",
        "Fields=line_type_intelligence",
    );
    assert_eq!(again.json["line_type_intelligence"], *lti);
    let authy = env.get("/protected/json/phones/info?country_code=1&phone_number=4159929960");
    assert_eq!(authy.json["provider"], lti["carrier_name"]);
    let authy_type = match lti["type"].as_str().unwrap() {
        "mobile" => "cellphone",
        "landline" => "landline",
        _ => "voip",
    };
    assert_eq!(authy.json["type"], authy_type);
    // The other packages.
    let r = env.tw(
        "GET",
        "/v2/PhoneNumbers/+14159929960",
        "Fields=caller_name,sms_pumping_risk",
    );
    assert!(r.json["caller_name"]["caller_name"].is_string());
    assert!(
        ["CONSUMER", "BUSINESS"].contains(&r.json["caller_name"]["caller_type"].as_str().unwrap())
    );
    let score = r.json["sms_pumping_risk"]["sms_pumping_risk_score"]
        .as_u64()
        .unwrap();
    assert!(score <= 100);
    // A national number in CountryCode's country, and the default US.
    let r = env.tw("GET", "/v2/PhoneNumbers/7700900123", "CountryCode=GB");
    assert_eq!(r.json["phone_number"], "+447700900123");
    assert_eq!(r.json["country_code"], "GB");
    let r = env.tw("GET", "/v2/PhoneNumbers/(415)%20992-9960", "");
    assert_eq!(r.json["phone_number"], "+14159929960");
    assert_eq!(
        r.json["url"],
        format!("{}/v2/PhoneNumbers/+14159929960", env.sb.base_url())
    );
    // Invalid numbers: 200, valid false, the reason.
    for (number, reason) in [
        ("+141599299600", "TOO_LONG"),
        ("+1415992996", "TOO_SHORT"),
        ("+11115550123", "INVALID_BUT_POSSIBLE"),
        ("+999123456", "INVALID_COUNTRY_CODE"),
        ("not-a-number", "NOT_A_NUMBER"),
    ] {
        let r = env.tw(
            "GET",
            &format!("/v2/PhoneNumbers/{number}"),
            "Fields=line_type_intelligence",
        );
        assert_eq!(r.status, 200, "{number}: {}", r.body);
        assert_eq!(r.json["valid"], false, "{number}");
        assert_eq!(
            r.json["validation_errors"],
            serde_json::json!([reason]),
            "{number}"
        );
        assert_eq!(r.json["line_type_intelligence"], Value::Null);
        assert_eq!(r.json["country_code"], Value::Null);
    }
    assert_eq!(
        env.tw("GET", "/v2/PhoneNumbers/+141599299600", "").json["phone_number"],
        "+141599299600"
    );
    assert_tw_error(
        &env.tw("GET", "/v2/PhoneNumbers/4159929960", "CountryCode=XX"),
        400,
        60200,
        "Invalid parameter: CountryCode",
    );
    assert_eq!(
        env.tw("POST", "/v2/PhoneNumbers/+14159929960", "").status,
        405
    );
}

#[test]
fn binary_takes_the_verify_credentials_and_never_prints_a_secret() {
    let account = "AC0123456789abcdef0123456789abcdef";
    let token = "tok-S3CRET-binary";
    let sk = "SK0123456789abcdef0123456789abcdef";
    let secret = "sk-S3CRET-binary";
    let mut child = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args([
            "--account-sid",
            account,
            "--auth-token",
            token,
            "--api-key-sid",
            sk,
            "--api-key-secret",
            secret,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    let agent = common::agent();
    let call = |auth: &str, form: &str| {
        Env::finish_public(
            agent
                .post(&format!("{url}/v2/Services"))
                .header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(form),
        )
    };
    let r = call(&basic(account, token), "FriendlyName=Bin");
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["account_sid"], account);
    assert_eq!(call(&basic(sk, secret), "FriendlyName=Key").status, 201);
    assert_eq!(call(&basic(account, secret), "FriendlyName=No").status, 401);
    assert_eq!(
        call(
            &basic(account, &format!("{token}x")),
            &format!("FriendlyName={token}")
        )
        .status,
        401
    );
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "binary did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains(account), "{err}");
    assert!(err.contains(sk), "{err}");
    assert!(!err.contains(token) && !err.contains(secret), "{err}");
    assert!(err.contains("POST /v2/Services 201"), "{err}");
    // Bad flags.
    for args in [
        &["--account-sid", "AC123"][..],
        &["--api-key-sid", sk][..],
        &["--auth-token", ""][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
