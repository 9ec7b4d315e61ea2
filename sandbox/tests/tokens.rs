//! SMS, call, e-mail tokens and verification (§3.4, §3.6–§3.8), plus the related control calls.

mod common;

use authy_sandbox::SandboxConfig;
use common::{Env, assert_error};
use serde_json::{Value, json};

const SMS_IGNORED: &str = "Ignored: SMS is not needed for smartphones. Pass force=true if you want to actually send it anyway.";
const CALL_IGNORED: &str = "Call ignored. User is using  App Tokens and this call is not necessary. Pass force=true if you still want to call users that are using the App.";

#[test]
fn sms_and_call_are_sent_and_masked() {
    let env = Env::new();
    let id = env.create_user("s@example.com", "300 555 0112", "57");
    let r = env.get(&format!("/protected/json/sms/{id}"));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json,
        json!({"success": true, "message": "SMS token was sent", "cellphone": "+57-XXX-XXX-XX12"})
    );
    let c = env.get(&format!("/sandbox/users/{id}/last_code"));
    assert_eq!(c.json["via"], "sms");
    assert_eq!(c.json["action"], Value::Null);
    assert_eq!(c.json["success"], true);
    assert!(c.json["sent_at"].as_i64().unwrap() > 1_600_000_000);
    let code = c.json["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 7);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let r = env.get(&format!("/protected/json/call/{id}?force=true"));
    assert_eq!(
        r.json,
        json!({"cellphone": "+57-XXX-XXX-XX12", "message": "Call started...", "success": true})
    );
    assert_eq!(
        env.get(&format!("/sandbox/users/{id}/last_code")).json["via"],
        "call"
    );

    assert_error(
        &env.get("/protected/json/sms/777"),
        404,
        "60026",
        "User not found.",
    );
    assert_error(
        &env.get("/protected/json/call/777"),
        404,
        "60026",
        "User not found.",
    );
    assert_error(
        &env.get("/sandbox/users/777/last_code"),
        404,
        "60026",
        "User not found.",
    );
    // No code delivered yet -> 404.
    let fresh = env.create_user("f@example.com", "5550101010", "1");
    assert_eq!(
        env.get(&format!("/sandbox/users/{fresh}/last_code")).status,
        404
    );
}

#[test]
fn app_users_get_ignored_unless_forced() {
    let env = Env::new();
    let id = env.create_user("a@example.com", "300 555 0112", "57");
    let r = env.post_form(&format!("/sandbox/users/{id}/devices"), "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["devices"], json!(["android"]));
    assert!(r.json["device"]["id"].as_u64().is_some());

    let r = env.get(&format!("/protected/json/sms/{id}"));
    assert_eq!(
        r.json,
        json!({"message": SMS_IGNORED, "cellphone": "+57-XXX-XXX-XX12", "device": "android", "ignored": true, "success": true})
    );
    let r = env.get(&format!("/protected/json/call/{id}?force=false"));
    assert_eq!(r.json["message"], CALL_IGNORED);
    assert!(r.body.contains("using  App Tokens"), "double space kept");
    assert_eq!(r.json["ignored"], true);
    assert_eq!(
        env.get(&format!("/sandbox/users/{id}/last_code")).status,
        404,
        "nothing was delivered"
    );

    // force in every spelling the clients use.
    for force in ["true", "True", "TRUE", "1"] {
        let r = env.get(&format!("/protected/json/sms/{id}?force={force}"));
        assert_eq!(r.json["message"], "SMS token was sent", "force={force}");
        assert!(r.json.get("ignored").is_none());
    }
    // node: force in the query, other params in a GET form body.
    let r = env.get_with_json(
        &format!("/protected/json/sms/{id}"),
        &json!({"force": true}),
    );
    assert_eq!(r.json["message"], "SMS token was sent");

    // Removing the devices makes SMS go out again.
    let r = env.delete(&format!("/sandbox/users/{id}/devices"));
    assert_eq!(r.json["devices"], json!([]));
    assert_eq!(
        env.get(&format!("/protected/json/sms/{id}")).json["message"],
        "SMS token was sent"
    );
}

#[test]
fn verify_codes_actions_and_errors() {
    let env = Env::new();
    let id = env.create_user("v@example.com", "5550102020", "1");
    env.get(&format!("/protected/json/sms/{id}?force=true"));
    let code = env.last_code(id);

    let r = env.get(&format!("/protected/json/verify/{code}/{id}?force=true"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(r#""token":"is valid""#),
        "py checks this exact substring: {}",
        r.body
    );
    assert_eq!(
        r.json["success"],
        Value::String("true".into()),
        "success is the string \"true\""
    );
    assert_eq!(r.json["message"], "Token is valid.");
    assert_eq!(r.json["device"]["os_type"], "sms");
    assert!(r.json["device"].get("registration_date").is_some());
    let status = env.get(&format!("/protected/json/users/{id}/status"));
    assert_eq!(status.json["status"]["confirmed"], true);

    // Wrong token.
    let wrong = if code == "1234567" {
        "7654321"
    } else {
        "1234567"
    };
    let r = env.get(&format!("/protected/json/verify/{wrong}/{id}?force=true"));
    assert_error(&r, 401, "60020", "Token is invalid");
    assert_eq!(r.json["token"], "is invalid");
    // Malformed token.
    assert_error(
        &env.get(&format!("/protected/json/verify/12ab/{id}")),
        401,
        "60020",
        "Token is invalid",
    );
    // Unknown user.
    let r = env.get("/protected/json/verify/1234567/987654");
    assert_error(&r, 401, "60016", "User doesn't exist");

    // Action-bound codes.
    env.get(&format!(
        "/protected/json/sms/{id}?force=true&action=login&action_message=Log+in"
    ));
    let c = env.get(&format!("/sandbox/users/{id}/last_code"));
    assert_eq!(c.json["action"], "login");
    let code = c.json["code"].as_str().unwrap().to_string();
    assert_eq!(
        env.get(&format!("/protected/json/verify/{code}/{id}"))
            .status,
        401,
        "no action"
    );
    assert_eq!(
        env.get(&format!("/protected/json/verify/{code}/{id}?action=pay"))
            .status,
        401
    );
    assert_eq!(
        env.get(&format!("/protected/json/verify/{code}/{id}?action=login"))
            .status,
        200
    );

    // Magic token.
    assert_eq!(
        env.get(&format!("/protected/json/verify/0000000/{id}?force=true"))
            .status,
        200
    );

    // Codes expire after 10 minutes.
    env.get(&format!("/protected/json/sms/{id}?force=true"));
    let code = env.last_code(id);
    let r = env.post_form("/sandbox/clock/advance", "seconds=601");
    assert_eq!(r.status, 200);
    assert!(r.json["now"].as_i64().is_some());
    assert_error(
        &env.get(&format!("/protected/json/verify/{code}/{id}")),
        401,
        "60020",
        "Token is invalid",
    );
}

#[test]
fn app_tokens_verify_with_registered_device() {
    let env = Env::new();
    let id = env.create_user("t@example.com", "5550103030", "1");
    let r = env.get(&format!("/sandbox/users/{id}/app_token"));
    let token = r.json["token"].as_str().unwrap().to_string();
    let secs = r.json["seconds_remaining"].as_i64().unwrap();
    assert!((1..=30).contains(&secs));
    assert_eq!(token.len(), 7);
    // Without a device the app token is not accepted.
    assert_eq!(
        env.get(&format!("/protected/json/verify/{token}/{id}"))
            .status,
        401
    );
    env.post_form(&format!("/sandbox/users/{id}/devices"), "device=ios");
    let token = env.get(&format!("/sandbox/users/{id}/app_token")).json["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.get(&format!("/protected/json/verify/{token}/{id}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["device"]["os_type"], "ios");
    // Two steps later it no longer verifies.
    env.post_form("/sandbox/clock/advance", "seconds=90");
    assert_eq!(
        env.get(&format!("/protected/json/verify/{token}/{id}"))
            .status,
        401
    );
    assert_error(
        &env.get("/sandbox/users/555/app_token"),
        404,
        "60026",
        "User not found.",
    );
}

#[test]
fn magic_codes_can_be_switched_off_and_legacy_accept_any() {
    let env = Env::with(SandboxConfig {
        magic_codes: false,
        ..SandboxConfig::default()
    });
    let id = env.create_user("m@example.com", "5550104040", "1");
    assert_eq!(
        env.get(&format!("/protected/json/verify/0000000/{id}"))
            .status,
        401
    );

    let env = Env::with(SandboxConfig {
        legacy_unconfirmed_accept_any: true,
        ..SandboxConfig::default()
    });
    let id = env.create_user("l@example.com", "5550105050", "1");
    assert_eq!(
        env.get(&format!("/protected/json/verify/1234567/{id}"))
            .status,
        200,
        "unconfirmed: any token"
    );
    assert_eq!(
        env.get(&format!("/protected/json/verify/1234568/{id}"))
            .status,
        401,
        "now confirmed"
    );
    let id2 = env.create_user("l2@example.com", "5550105051", "1");
    assert_eq!(
        env.get(&format!("/protected/json/verify/1234567/{id2}?force=true"))
            .status,
        401,
        "force disables it"
    );
}

#[test]
fn email_tokens() {
    let env = Env::new();
    let id = env.create_user("e@example.com", "5550106060", "1");
    let r = env.post_form(&format!("/protected/json/email/{id}?force=true"), "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["message"], "Email token was sent");
    assert_eq!(r.json["email"], "e@example.com");
    assert_eq!(r.json["success"], true);
    assert!(r.json["email_id"].as_str().unwrap().starts_with("EM"));
    let c = env.get(&format!("/sandbox/users/{id}/last_code"));
    assert_eq!(c.json["via"], "email");
    let code = c.json["code"].as_str().unwrap();
    assert_eq!(
        env.get(&format!("/protected/json/verify/{code}/{id}"))
            .status,
        200
    );
    assert_error(
        &env.post_form("/protected/json/email/4444", ""),
        404,
        "60026",
        "User not found.",
    );
}

#[test]
fn stats_count_real_activity() {
    let env = Env::new();
    let id = env.create_user("st@example.com", "5550107070", "1");
    env.create_user("st2@example.com", "5550107071", "1");
    env.get(&format!("/protected/json/sms/{id}"));
    env.get(&format!("/protected/json/call/{id}"));
    env.get(&format!("/protected/json/call/{id}"));
    env.get(&format!("/protected/json/verify/0000000/{id}"));
    let r = env.get("/protected/json/app/stats");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["message"], "Monthly statistics.");
    assert_eq!(r.json["success"], true);
    assert_eq!(r.json["total_users"], 2);
    let m = &r.json["stats"][0];
    let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "api_calls_count",
            "auths_count",
            "calls_count",
            "month",
            "sms_count",
            "users_count",
            "year"
        ]
    );
    assert_eq!(m["users_count"], 2);
    assert_eq!(m["sms_count"], 1);
    assert_eq!(m["calls_count"], 2);
    assert_eq!(m["auths_count"], 1);
    assert_eq!(
        m["api_calls_count"], 7,
        "every authenticated API call, this one included"
    );
    assert!(m["month"].as_str().unwrap().ends_with('r') || m["month"].as_str().unwrap().len() >= 3);

    let r = env.get("/protected/json/app/details?user_ip=1.2.3.4");
    assert_eq!(r.json["message"], "Application information.");
    assert_eq!(r.json["success"], true);
    for k in ["app_id", "name", "plan", "sms_enabled"] {
        assert!(r.json["app"].get(k).is_some(), "{k}");
    }
}
