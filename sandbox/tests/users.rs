//! Users endpoints (§3.1–§3.5, §3.9, §3.10), auth and routing, over real HTTP.

mod common;

use common::{Env, assert_error, enc};
use serde_json::{Value, json};

#[test]
fn create_user_all_encodings_is_idempotent() {
    let env = Env::new();
    // rb: form body with escaped brackets.
    let r = env.post_form(
        "/protected/json/users/new",
        "user%5Bemail%5D=ana%40example.com&user%5Bcellphone%5D=555-123-4567&user%5Bcountry_code%5D=1&send_install_link_via_sms=true",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json["message"], "User created successfully.");
    assert_eq!(r.json["success"], Value::Bool(true));
    let id = r.json["user"]["id"]
        .as_u64()
        .expect("user.id is an integer");
    assert!(
        r.body.contains("\"success\":true"),
        "compact JSON: {}",
        r.body
    );

    // py: JSON body, same number written differently -> same id.
    let r = env.post_json(
        "/protected/json/users/new",
        &json!({"user": {"email": "ana@example.com", "cellphone": "5551234567", "country_code": 1}, "send_install_link_via_sms": false}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json["user"]["id"].as_u64(), Some(id));

    // php: query string on a bodiless POST, booleans as 1.
    let r = env.post_empty(
        "/protected/json/users/new?user%5Bemail%5D=ana%40example.com&user%5Bcellphone%5D=555.123.4567&user%5Bcountry_code%5D=1&user%5Bsend_install_link_via_sms%5D=1",
    );
    assert_eq!(r.json["user"]["id"].as_u64(), Some(id));

    // Another country code is another user.
    let other = env.create_user("ana@example.com", "5551234567", "44");
    assert_ne!(other, id);
}

#[test]
fn create_user_validation_errors() {
    let env = Env::new();
    let r = env.post_form(
        "/protected/json/users/new",
        "user%5Bemail%5D=not-an-email&user%5Bcellphone%5D=12&user%5Bcountry_code%5D=1",
    );
    assert_error(&r, 400, "60027", "User was not valid");
    assert_eq!(r.json["errors"]["email"], "is invalid");
    assert_eq!(r.json["errors"]["cellphone"], "is invalid");
    assert_eq!(r.json["email"], "is invalid");
    assert_eq!(r.json["cellphone"], "is invalid");
    assert!(r.json.get("country_code").is_none());

    let r = env.post_json(
        "/protected/json/users/new",
        &json!({"user": {"email": "a@b.co", "cellphone": "5551234567", "country_code": "abc"}}),
    );
    assert_error(&r, 400, "60027", "User was not valid");
    assert_eq!(r.json["country_code"], "is invalid");

    let r = env.post_form("/protected/json/users/new", "");
    assert_error(&r, 400, "60027", "User was not valid");
}

#[test]
fn status_is_masked_and_complete() {
    let env = Env::new();
    let id = env.create_user("bo@example.com", "(555) 987-1118", "1");
    let r = env.get(&format!("/protected/json/users/{id}/status"));
    assert_eq!(r.status, 200);
    assert_eq!(r.json["message"], "User status.");
    assert_eq!(r.json["success"], true);
    let s = &r.json["status"];
    assert_eq!(s["authy_id"].as_u64(), Some(id));
    assert_eq!(s["confirmed"], false);
    assert_eq!(s["registered"], false);
    assert_eq!(s["country_code"], 1);
    assert_eq!(s["phone_number"], "XXX-XXX-1118");
    assert_eq!(s["email"], "bo@example.com");
    assert_eq!(s["devices"], json!([]));
    assert_eq!(s["has_hard_token"], false);
    assert_eq!(s["account_disabled"], false);
    assert_eq!(s["deleted_devices"], json!([]));
    assert_eq!(s["detailed_devices"][0]["device_type"], "authy");

    // seegno: JSON body on GET with user_ip.
    let r = env.get_with_json(
        &format!("/protected/json/users/{id}/status"),
        &json!({"user_ip": "10.0.0.1"}),
    );
    assert_eq!(r.status, 200);

    // An app device shows up.
    let r = env.post_form(&format!("/sandbox/users/{id}/devices"), "device=iphone");
    assert_eq!(r.status, 200);
    let r = env.get(&format!("/protected/json/users/{id}/status"));
    assert_eq!(r.json["status"]["registered"], true);
    assert_eq!(r.json["status"]["devices"], json!(["iphone"]));

    assert_error(
        &env.get("/protected/json/users/424242/status"),
        404,
        "60026",
        "User not found.",
    );
    assert_error(
        &env.get("/protected/json/users/tony/status"),
        404,
        "60026",
        "User not found.",
    );
}

#[test]
fn delete_paths() {
    let env = Env::new();
    let paths = [
        "/protected/json/users/{id}/remove",
        "/protected/json/users/{id}/delete",
        "/protected/json/users/delete/{id}",
    ];
    for (i, p) in paths.iter().enumerate() {
        let id = env.create_user(&format!("u{i}@example.com"), &format!("555000111{i}"), "1");
        let path = p.replace("{id}", &id.to_string());
        let r = env.post_json(&path, &json!({}));
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert_eq!(
            r.body,
            r#"{"message":"User removed from application","success":true}"#
        );
        assert_error(
            &env.get(&format!("/protected/json/users/{id}/status")),
            404,
            "60026",
            "User not found.",
        );
        assert_error(&env.post_form(&path, ""), 404, "60026", "User not found.");
    }
    // seegno sends {"user_ip":...}; rinvex a form `ip`.
    let id = env.create_user("x@example.com", "5550002222", "1");
    let r = env.post_json(
        &format!("/protected/json/users/{id}/remove"),
        &json!({"user_ip": "1.2.3.4"}),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn update_email_activity_secret_registration() {
    let env = Env::new();
    let id = env.create_user("c@example.com", "5550003333", "1");
    let r = env.post_form(
        &format!("/protected/json/users/{id}/update"),
        "email=new%40example.com",
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        r#"{"message":"User was updated successfully","success":true}"#
    );
    let r = env.get(&format!("/protected/json/users/{id}/status"));
    assert_eq!(r.json["status"]["email"], "new@example.com");
    let r = env.post_form(&format!("/protected/json/users/{id}/update"), "email=nope");
    assert_error(&r, 400, "60027", "User was not valid");
    assert_error(
        &env.post_form("/protected/json/users/999/update", "email=a%40b.co"),
        404,
        "60026",
        "User not found.",
    );

    // Register activity: seegno JSON with data hash, rs form.
    let r = env.post_json(
        &format!("/protected/json/users/{id}/register_activity"),
        &json!({"type": "cookie_login", "data": {"k": "v"}, "user_ip": "1.1.1.1"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json["message"], "Activity was created.");
    let r = env.post_form(
        &format!("/protected/json/users/{id}/register_activity"),
        "type=password_reset&data%5Bk%5D=v&user_ip=1.1.1.1",
    );
    assert_eq!(r.json["success"], true);
    let r = env.post_form(
        &format!("/protected/json/users/{id}/register_activity"),
        "type=dance",
    );
    assert_error(
        &r,
        400,
        "60029",
        "You can only create the following activities: password_reset, banned, unbanned, cookie_login.",
    );
    assert_error(
        &env.post_form("/protected/json/users/999/register_activity", "type=banned"),
        404,
        "60026",
        "User not found.",
    );

    // QR code: rb form with label, py JSON.
    let r = env.post_form(
        &format!("/protected/json/users/{id}/secret"),
        "qr_size=300&label=example+app",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], true);
    assert_eq!(r.json["label"], "example app");
    assert!(r.json["qr_code"].as_str().unwrap().starts_with("https://"));
    let r = env.post_json(
        &format!("/protected/json/users/{id}/secret"),
        &json!({"qr_size": 200}),
    );
    assert_eq!(r.status, 200);
    let r = env.post_form(&format!("/protected/json/users/{id}/secret"), "qr_size=big");
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error_code"], "60004");
    assert_error(
        &env.post_form("/protected/json/users/999/secret", ""),
        404,
        "60026",
        "User not found.",
    );

    // No-PII registration status.
    let r = env.get(&format!(
        "/protected/json/registrations/status?custom_user_id={id}"
    ));
    assert_eq!(r.status, 200);
    assert_eq!(r.json["user"]["id"].as_u64(), Some(id));
    assert_eq!(r.json["registration"]["status"], "pending");
    assert_eq!(
        env.get("/protected/json/registrations/status?custom_user_id=999")
            .status,
        404
    );
    assert_eq!(
        env.get("/protected/json/registrations/status").json["error_code"],
        "60004"
    );
}

#[test]
fn api_key_everywhere_and_invalid_key() {
    let env = Env::new();
    let key = env.sb.api_key().to_string();
    // Header (all modern clients) — see other tests. Query (node, cs):
    let r = env.get_nokey(&format!("/protected/json/app/details?api_key={key}"));
    assert_eq!(r.status, 200, "{}", r.body);
    // Form body (go POST, sdk-backend):
    let r = env.post_form_nokey(
        "/protected/json/users/new",
        &format!("api_key={key}&user%5Bemail%5D=g%40example.com&user%5Bcellphone%5D=5551110000&user%5Bcountry_code%5D=1"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Form body on GET (node):
    let r = env.get_with_form("/protected/json/app/details", &format!("api_key={key}"));
    assert_eq!(r.status, 200, "{}", r.body);
    // JSON body:
    let r = common::Env::finish_public(
        env.agent
            .post(&env.url("/protected/json/users/new"))
            .header("Content-Type", "application/json")
            .send(json!({"api_key": key, "user": {"email": "j@example.com", "cellphone": "5551110001", "country_code": "1"}}).to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    let expected = r#"{"error_code":"60001","errors":{"message":"Invalid API key"},"message":"Invalid API key","success":false}"#;
    let r = env.get_nokey("/protected/json/app/details");
    assert_error(&r, 401, "60001", "Invalid API key");
    assert_eq!(r.body, expected);
    let r = env.get_nokey("/protected/json/app/details?api_key=wrong");
    assert_error(&r, 401, "60001", "Invalid API key");
    let r = common::Env::finish_public(
        env.agent
            .get(&env.url("/protected/json/app/details"))
            .header("X-Authy-API-Key", "wrong")
            .call(),
    );
    assert_error(&r, 401, "60001", "Invalid API key");
    // Control API needs the key too.
    assert_error(
        &env.get_nokey("/sandbox/requests"),
        401,
        "60001",
        "Invalid API key",
    );
}

#[test]
fn unknown_routes_and_encoded_segments() {
    let env = Env::new();
    let text =
        "Requested URL was not found. Please check http://docs.authy.com/ to see the valid URLs";
    for path in [
        "/protected/json/nothing",
        "/protected/json/verify//1",
        "/protected/yaml/app/details", // only json and xml exist
        "/",
        "/sandbox/nothing",
    ] {
        let r = env.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(
            r.json,
            json!({"message": text, "success": false, "errors": {"message": text}}),
            "{path}"
        );
        assert!(r.json.get("error_code").is_none());
    }
    // Wrong method on a known path is also a 404.
    assert_eq!(env.post_form("/protected/json/app/details", "").status, 404);
    // Percent-encoded ids are decoded before matching.
    let id = env.create_user("p@example.com", "5550004444", "1");
    let encoded: String = id
        .to_string()
        .chars()
        .map(|c| format!("%{:02X}", c as u8))
        .collect();
    let r = env.get(&format!("/protected/json/users/{encoded}/status"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["status"]["authy_id"].as_u64(), Some(id));
    let _ = enc("");
}

#[test]
fn deletion_is_deferred_for_verification() {
    let env = Env::new();
    let id = env.create_user("d@example.com", "5550009999", "1");
    env.get(&format!("/protected/json/sms/{id}"));
    let code = env.last_code(id);
    assert_eq!(
        env.post_form(&format!("/protected/json/users/{id}/delete"), "")
            .status,
        200
    );
    // Everything but verification forgets the user at once...
    assert_error(
        &env.get(&format!("/protected/json/sms/{id}")),
        404,
        "60026",
        "User not found.",
    );
    // ...but a code delivered before the delete still verifies (§3.2), for a day.
    assert_eq!(
        env.get(&format!("/protected/json/verify/{code}/{id}"))
            .status,
        200
    );
    env.post_form("/sandbox/clock/advance", "seconds=86400");
    assert_error(
        &env.get(&format!("/protected/json/verify/0000000/{id}")),
        401,
        "60016",
        "User doesn't exist",
    );
    // The number is free again: a new user gets a new id.
    let again = env.create_user("d@example.com", "5550009999", "1");
    assert_ne!(again, id);
}
