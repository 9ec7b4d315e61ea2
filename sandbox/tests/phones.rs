//! Phone verification and phone information (§3.13, §3.14).

mod common;

use authy_sandbox::SandboxConfig;
use common::{Env, assert_error};
use serde_json::json;

#[test]
fn start_check_status_flow() {
    let env = Env::new();
    // py: JSON body with code_length.
    let r = env.post_json(
        "/protected/json/phones/verification/start",
        &json!({"via": "sms", "country_code": 1, "phone_number": "987-654-3210", "code_length": 6, "locale": "en"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["message"], "Text message sent to +1 987-654-3210.");
    assert_eq!(r.json["seconds_to_expire"], 599);
    assert_eq!(r.json["success"], true);
    assert!(r.json.get("carrier").is_some());
    assert!(r.json["is_cellphone"].is_boolean());
    let uuid = r.json["uuid"].as_str().unwrap().to_string();

    let c = env.get("/sandbox/phones/last_code?country_code=1&phone_number=9876543210");
    assert_eq!(c.status, 200);
    assert_eq!(c.json["uuid"], uuid.as_str());
    assert_eq!(c.json["via"], "sms");
    let code = c.json["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);

    // Resent unchanged within the window, countdown continues.
    env.post_form("/sandbox/clock/advance", "seconds=100");
    let r = env.post_form(
        "/protected/json/phones/verification/start",
        "via=call&country_code=1&phone_number=9876543210&code_length=6",
    );
    assert_eq!(r.json["message"], "Call to +1 987-654-3210 initiated");
    let es = env.post_form(
        "/protected/json/phones/verification/start",
        "via=call&country_code=1&phone_number=775-461-5609&locale=es",
    );
    assert_eq!(
        es.json["message"],
        "Llamada a +1 775-461-5609 fue iniciada."
    );
    assert_eq!(r.json["seconds_to_expire"], 499);
    assert_eq!(r.json["uuid"], uuid.as_str());
    assert_eq!(
        env.get("/sandbox/phones/last_code?country_code=1&phone_number=9876543210")
            .json["code"],
        code.as_str()
    );

    // node: status by uuid via a GET form body.
    let r = env.get(&format!(
        "/protected/json/phones/verification/status?uuid={uuid}"
    ));
    assert_eq!(
        r.json,
        json!({"message": "Phone Verification status.", "status": "pending", "seconds_to_expire": 499, "success": true})
    );

    // Wrong code, then right code (rb/php/node style query strings and GET form body).
    let r = env.get("/protected/json/phones/verification/check?country_code=1&phone_number=9876543210&verification_code=000001");
    assert_error(&r, 401, "60022", "Verification code is incorrect");
    let key = env.sb.api_key().to_string();
    let r = env.get_with_form(
        "/protected/json/phones/verification/check",
        &format!("api_key={key}&country_code=1&phone_number=987-654-3210&verification_code={code}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body,
        r#"{"message":"Verification code is correct.","success":true}"#
    );
    let r = env
        .get("/protected/json/phones/verification/status?country_code=1&phone_number=9876543210");
    assert_eq!(r.json["status"], "verified");
    // Nothing pending any more.
    let r = env.get(&format!("/protected/json/phones/verification/check?country_code=1&phone_number=9876543210&verification_code={code}"));
    assert_error(
        &r,
        404,
        "60023",
        "No pending verifications for +1 987-654-3210 found.",
    );
}

#[test]
fn defaults_expiry_and_magic_code() {
    let env = Env::new();
    let r = env.post_form(
        "/protected/json/phones/verification/start",
        "via=sms&country_code=44&phone_number=7700900123",
    );
    assert_eq!(r.status, 200);
    let code = env
        .get("/sandbox/phones/last_code?country_code=44&phone_number=7700900123")
        .json["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 4, "default code_length is 4");
    env.post_form("/sandbox/clock/advance", "seconds=600");
    let r = env
        .get("/protected/json/phones/verification/status?country_code=44&phone_number=7700900123");
    assert_eq!(r.json["status"], "expired");
    assert_eq!(r.json["seconds_to_expire"], 0);
    let r = env.get(&format!("/protected/json/phones/verification/check?country_code=44&phone_number=7700900123&verification_code={code}"));
    assert_eq!(r.status, 404);
    assert_eq!(r.json["error_code"], "60023");
    // A new start after expiry: new window, new uuid.
    let r2 = env.post_form(
        "/protected/json/phones/verification/start",
        "via=sms&country_code=44&phone_number=7700900123",
    );
    assert_eq!(r2.json["seconds_to_expire"], 599);
    assert_ne!(r2.json["uuid"], r.json["uuid"]);
    // Magic 0000.
    let r = env.get("/protected/json/phones/verification/check?country_code=44&phone_number=7700900123&verification_code=0000");
    assert_eq!(r.status, 200);

    let env = Env::with(SandboxConfig {
        magic_codes: false,
        ..SandboxConfig::default()
    });
    env.post_form(
        "/protected/json/phones/verification/start",
        "via=sms&country_code=44&phone_number=7700900123",
    );
    let r = env.get("/protected/json/phones/verification/check?country_code=44&phone_number=7700900123&verification_code=0000");
    let code = env
        .get("/sandbox/phones/last_code?country_code=44&phone_number=7700900123")
        .json["code"]
        .as_str()
        .unwrap()
        .to_string();
    if code != "0000" {
        assert_eq!(r.status, 401);
    }
}

#[test]
fn parameter_errors() {
    let env = Env::new();
    let start = "/protected/json/phones/verification/start";
    assert_error(
        &env.post_form(start, "via=sms&phone_number=2015550123"),
        400,
        "60004",
        "Invalid parameter: country_code - Parameter is required",
    );
    assert_error(
        &env.post_form(start, "via=sms&country_code=xxx&phone_number=2015550123"),
        400,
        "60004",
        "Invalid parameter: country_code - 'xxx' is not a valid Integer",
    );
    assert_error(
        &env.post_form(start, "via=sms&country_code=1&phone_number=12ab"),
        400,
        "60033",
        "Phone number is invalid",
    );
    assert_error(
        &env.post_form(start, "via=sms&country_code=1"),
        400,
        "60004",
        "Invalid parameter: phone_number - Parameter is required",
    );
    assert_eq!(
        env.post_form(start, "via=fax&country_code=1&phone_number=2015550123")
            .json["error_code"],
        "60004"
    );
    assert_eq!(
        env.post_form(start, "country_code=1&phone_number=2015550123")
            .json["error_code"],
        "60004"
    );
    for bad in ["3", "11", "x"] {
        let r = env.post_form(
            start,
            &format!("via=sms&country_code=1&phone_number=2015550123&code_length={bad}"),
        );
        assert_eq!(r.status, 400, "code_length={bad}");
        assert_eq!(r.json["error_code"], "60004");
    }
    assert_error(
        &env.post_form(
            start,
            "via=sms&country_code=1&phone_number=2015550123&custom_code=12345",
        ),
        403,
        "60021",
        "Phone verification couldn't be created: custom codes are not allowed.",
    );
    assert_error(
        &env.get("/protected/json/phones/verification/status"),
        400,
        "60042",
        "Either uuid or country_code and phone number are required",
    );
    assert_eq!(
        env.get("/protected/json/phones/verification/status?uuid=nope")
            .status,
        404
    );
    assert_error(
        &env.get("/protected/json/phones/verification/check?country_code=1&phone_number=2015550123&verification_code=1234"),
        404,
        "60023",
        "No pending verifications for +1 201-555-0123 found.",
    );
    assert_eq!(
        env.get("/protected/json/phones/verification/check?country_code=1&phone_number=2015550123")
            .json["error_code"],
        "60004"
    );
    assert_eq!(
        env.get("/sandbox/phones/last_code?country_code=1&phone_number=2015550123")
            .status,
        404
    );
}

#[test]
fn phone_info_is_deterministic() {
    let env = Env::new();
    let mut types = std::collections::BTreeSet::new();
    for n in 0..40 {
        let path = format!(
            "/protected/json/phones/info?country_code=1&phone_number=555{:07}",
            n * 7919
        );
        let a = env.get(&path);
        let b = env.get(&path);
        assert_eq!(a.status, 200);
        assert_eq!(a.json["type"], b.json["type"]);
        assert_eq!(a.json["provider"], b.json["provider"]);
        assert_eq!(a.json["ported"], b.json["ported"]);
        assert_eq!(a.json["success"], true);
        let msg = a.json["message"].as_str().unwrap();
        let ts = msg
            .strip_prefix("Phone number information as of ")
            .expect("message prefix");
        assert!(ts.ends_with(" UTC") && ts.len() == 23, "{ts}");
        let t = a.json["type"].as_str().unwrap().to_string();
        assert!(["voip", "landline", "cellphone", "unknown"].contains(&t.as_str()));
        types.insert(t);
    }
    assert!(types.len() >= 3, "numbers map to varied types: {types:?}");
    assert_error(
        &env.get("/protected/json/phones/info?country_code=1&phone_number=abc"),
        400,
        "60033",
        "Phone number is invalid",
    );
}
