//! Parameter parsing edge cases and bad input over HTTP; SDK endpoints.

mod common;

use common::{Env, assert_error};
use serde_json::json;

#[test]
fn bad_bodies_get_authy_errors() {
    let env = Env::new();
    let r = env.post_form("/protected/json/users/new", "user%5Bemail%5D=%FF%FE");
    assert_error(&r, 400, "60005", "UTF-8 invalid");
    let json_post = |body: &[u8]| {
        common::Env::finish_public(
            env.agent
                .post(&env.url("/protected/json/users/new"))
                .header("X-Authy-API-Key", env.sb.api_key())
                .header("Content-Type", "application/json")
                .send(body),
        )
    };
    assert_error(
        &json_post(b"{\"user\": \xff}"),
        400,
        "60005",
        "UTF-8 invalid",
    );
    let r = json_post(b"{\"user\": ");
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error_code"], "60005");
    // Invalid UTF-8 in a path segment.
    assert_error(
        &env.get("/protected/json/sms/%FF"),
        400,
        "60005",
        "UTF-8 invalid",
    );

    let big = "a=".to_string() + &"x".repeat(1024 * 1024 + 1);
    let r = env.post_form("/protected/json/users/new", &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.json["success"], false);
    assert_eq!(r.json["error_code"], "60002");

    let deep = format!("a{}=1", "%5Bx%5D".repeat(64));
    let r = env.post_form("/protected/json/users/new", &deep);
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error_code"], "60002");
    let deep_json = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
    assert_eq!(
        env.post_json_raw("/protected/json/users/new", &deep_json)
            .status,
        400
    );

    let r = env.post_form("/protected/json/users/new", "user=1&user%5Bemail%5D=a");
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error_code"], "60004");

    // A JSON array body is kept under _json (Rails) and the user is simply invalid.
    let r = env.post_json_raw("/protected/json/users/new", "[1,2]");
    assert_error(&r, 400, "60027", "User was not valid");

    // Still fine afterwards.
    assert_eq!(env.get("/protected/json/app/details").status, 200);
}

#[test]
fn query_and_body_are_merged_on_every_method() {
    let env = Env::new();
    // Part of the user in the query, part in the form body.
    let r = env.post_form(
        "/protected/json/users/new?user%5Bemail%5D=m%40example.com",
        "user%5Bcellphone%5D=5550501010&user%5Bcountry_code%5D=1",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json["user"]["id"].as_u64().unwrap();
    // Semicolon separators, unescaped brackets and + for spaces.
    let r = env.post_form(
        &format!("/onetouch/json/users/{id}/approval_requests"),
        "message=Two+words;details[Where]=Lisbon+PT",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // GET with a JSON body carrying force.
    let r = env.get_with_json(
        &format!("/protected/json/sms/{id}"),
        &json!({"force": "True"}),
    );
    assert_eq!(r.json["message"], "SMS token was sent");
}

#[test]
fn sdk_registrations_and_device_deletion() {
    let env = Env::new();
    let id = env.create_user("sdk@example.com", "5550502020", "1");
    let r = env.post_form(
        "/protected/json/sdk/registrations",
        &format!("authy_id={id}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["success"], true);
    assert!(r.json["registration_token"].as_str().unwrap().len() >= 32);
    assert_error(
        &env.post_form("/protected/json/sdk/registrations", "authy_id=4242"),
        404,
        "60026",
        "User not found.",
    );
    // sdk-backend also creates users there.
    let r = env.post_form(
        "/protected/json/sdk/registrations",
        "user%5Bemail%5D=n%40example.com&user%5Bcellphone%5D=5550502021&user%5Bcountry_code%5D=1",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json["authy_id"].as_u64().is_some());
    assert_eq!(
        env.post_form("/protected/json/sdk/registrations", "").json["error_code"],
        "60004"
    );

    let device = env
        .post_form(&format!("/sandbox/users/{id}/devices"), "device=iphone")
        .json["device"]["id"]
        .as_u64()
        .unwrap();
    let r = env.delete(&format!("/protected/json/sdk/devices/{device}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["success"], true);
    let s = env.get(&format!("/protected/json/users/{id}/status"));
    assert_eq!(s.json["status"]["devices"], json!([]));
    assert_error(
        &env.delete(&format!("/protected/json/sdk/devices/{device}")),
        404,
        "60092",
        "Device not found",
    );
}
