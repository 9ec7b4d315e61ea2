//! OneTouch approval requests, decisions and signed callbacks (§3.15–§3.17, §6).

mod common;

use authy_sandbox::{CallbackMethod, SandboxConfig, signer};
use base64::Engine as _;
use common::{Env, Receiver, assert_error};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

fn approval_path(id: u64) -> String {
    format!("/onetouch/json/users/{id}/approval_requests")
}

#[test]
fn create_in_every_encoding_and_read_status() {
    let env = Env::new();
    let id = env.create_user("o@example.com", "5550201010", "1");
    // py: JSON with all five keys, null ttl, empty logos.
    let r = env.post_json(
        &approval_path(id),
        &json!({"message": "Login requested", "details": {}, "hidden_details": {}, "logos": [], "seconds_to_expire": null}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["success"], true);
    let uuid = r.json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(uuid.len(), 36);
    let s = env.get(&format!("/onetouch/json/approval_requests/{uuid}"));
    assert_eq!(s.status, 200);
    let a = &s.json["approval_request"];
    assert_eq!(a["status"], "pending");
    assert_eq!(a["seconds_to_expire"], 86400);
    assert_eq!(a["processed_at"], Value::Null);
    assert_eq!(a["notified"], false);
    assert_eq!(a["uuid"], uuid.as_str());
    assert_eq!(a["_authy_id"].as_u64(), Some(id));
    assert_eq!(a["_user_email"], "o@example.com");
    for k in [
        "_app_name",
        "_app_serial_id",
        "_id",
        "app_id",
        "created_at",
        "updated_at",
        "user_id",
    ] {
        assert!(a.get(k).is_some(), "{k}");
    }
    assert!(a["created_at"].as_str().unwrap().ends_with('Z'));

    // rb: form with logos[][res]; php: query string with logos[0][res]; node: form details[k].
    let r = env.post_form(
        &approval_path(id),
        "message=Pay+%2410&details%5BAmount%5D=%2410&hidden_details%5Bip%5D=1.2.3.4&logos%5B%5D%5Bres%5D=default&logos%5B%5D%5Burl%5D=https%3A%2F%2Fx%2Fa.png&logos%5B%5D%5Bres%5D=low&logos%5B%5D%5Burl%5D=https%3A%2F%2Fx%2Fb.png&seconds_to_expire=120",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = env.post_empty(&format!(
        "{}?message=Hi&details%5BUser%5D=ana&logos%5B0%5D%5Bres%5D=default&logos%5B0%5D%5Burl%5D=https%3A%2F%2Fx%2Fa.png",
        approval_path(id)
    ));
    assert_eq!(r.status, 200, "{}", r.body);

    // Errors.
    assert_error(
        &env.post_form(&approval_path(999), "message=x"),
        404,
        "60026",
        "User not found.",
    );
    assert_eq!(
        env.post_form(&approval_path(id), "details%5Bk%5D=v").json["error_code"],
        "60004"
    );
    assert_eq!(
        env.post_form(
            &approval_path(id),
            "message=x&logos%5B%5D%5Bres%5D=huge&logos%5B%5D%5Burl%5D=u"
        )
        .status,
        400
    );
    assert_eq!(
        env.post_form(&approval_path(id), "message=x&seconds_to_expire=soon")
            .status,
        400
    );
    // Absurd lifetimes do not overflow anything.
    let r = env.post_form(
        &approval_path(id),
        "message=x&seconds_to_expire=9223372036854775807",
    );
    let u = r.json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let s = env.get(&format!("/onetouch/json/approval_requests/{u}"));
    assert_eq!(s.json["approval_request"]["status"], "pending");
    assert_eq!(
        env.post_form(&format!("/sandbox/approval_requests/{u}/approve"), "")
            .status,
        200
    );
    let r = env.get("/onetouch/json/approval_requests/3f05a350-4b2c-0136-f779-12c0c2bf9easd");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json,
        json!({"message": "Approval request not found: 3f05a350-4b2c-0136-f779-12c0c2bf9easd", "success": false, "errors": {}, "error_code": "60049"})
    );
}

#[test]
fn expiry_by_sandbox_clock() {
    let env = Env::new();
    let id = env.create_user("x@example.com", "5550202020", "1");
    let short = env
        .post_form(&approval_path(id), "message=a&seconds_to_expire=60")
        .json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let never = env
        .post_form(&approval_path(id), "message=b&seconds_to_expire=0")
        .json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let default = env.post_form(&approval_path(id), "message=c").json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    env.post_form("/sandbox/clock/advance", "seconds=61");
    let st = |u: &str| {
        env.get(&format!("/onetouch/json/approval_requests/{u}"))
            .json["approval_request"]
            .clone()
    };
    assert_eq!(st(&short)["status"], "expired");
    assert!(st(&short)["processed_at"].is_string());
    assert_eq!(st(&never)["status"], "pending");
    assert_eq!(st(&default)["status"], "pending");
    env.post_form("/sandbox/clock/advance", "seconds=86400");
    assert_eq!(st(&never)["status"], "pending");
    assert_eq!(st(&never)["seconds_to_expire"], 0);
    assert_eq!(st(&default)["status"], "expired");
    let r = env.post_form(&format!("/sandbox/approval_requests/{short}/approve"), "");
    assert_eq!(r.status, 409);
    assert_eq!(r.json["error_code"], "60079");
    assert_eq!(
        env.post_form("/sandbox/approval_requests/nope/deny", "")
            .json["error_code"],
        "60049"
    );
}

#[test]
fn approve_without_callback_url() {
    let env = Env::new();
    let id = env.create_user("n@example.com", "5550203030", "1");
    let uuid = env.post_form(&approval_path(id), "message=a").json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.post_form(&format!("/sandbox/approval_requests/{uuid}/deny"), "");
    assert_eq!(
        r.body,
        r#"{"callback":null,"status":"denied","success":true}"#
    );
    let s = env.get(&format!("/onetouch/json/approval_requests/{uuid}"));
    assert_eq!(s.json["approval_request"]["status"], "denied");
    assert!(s.json["approval_request"]["processed_at"].is_string());
    assert_eq!(
        env.get("/sandbox/callbacks").json,
        json!({"callbacks": [], "success": true})
    );
}

#[test]
fn post_callback_is_signed_and_shaped() {
    let receiver = Receiver::start(200, 1);
    let env = Env::with(SandboxConfig {
        callback_url: Some(receiver.url.clone()),
        api_key: "FU10H0uCafgKnXvPfDm5iAisVuHDgXJA".into(),
        ..SandboxConfig::default()
    });
    let id = env.create_user("cb@example.com", "5550204040", "1");
    env.post_form(&format!("/sandbox/users/{id}/devices"), "device=android");
    let r = env.post_json(
        &approval_path(id),
        &json!({"message": "Authorize OneTouch", "details": {"Username": "jdoe", "Process ID": "123"}, "hidden_details": {"transaction_id": "TR1"}, "logos": [{"res": "default", "url": "https://x/l.png"}]}),
    );
    let uuid = r.json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.post_form(&format!("/sandbox/approval_requests/{uuid}/approve"), "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["status"], "approved");
    assert_eq!(r.json["callback"]["http_status"], 200);
    assert_eq!(r.json["callback"]["method"], "POST");
    assert_eq!(r.json["callback"]["error"], Value::Null);
    assert_eq!(r.json["callback"]["url"], receiver.url.as_str());

    let got = receiver.next();
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/authy/callback");
    assert!(
        got.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    // Exact header-name case on the wire (Java validators look them up case-sensitively).
    let names: Vec<&str> = got.headers.iter().map(|(k, _)| k.as_str()).collect();
    assert!(names.contains(&"X-Authy-Signature"), "{names:?}");
    assert!(names.contains(&"X-Authy-Signature-Nonce"), "{names:?}");
    let nonce = got.header("X-Authy-Signature-Nonce").unwrap().to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        nonce.parse::<u64>().unwrap().abs_diff(now) < 60,
        "nonce is Unix seconds"
    );
    let body: Map<String, Value> = serde_json::from_str(&got.body).unwrap();
    let expected = signer::sign(env.sb.api_key(), &nonce, "POST", &receiver.url, &body);
    assert_eq!(got.header("X-Authy-Signature").unwrap(), expected);
    // A different key must not verify.
    assert_ne!(
        signer::sign("other", &nonce, "POST", &receiver.url, &body),
        expected
    );

    assert_eq!(body["callback_action"], "approval_request_status");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["uuid"], uuid.as_str());
    assert_eq!(body["authy_id"].as_u64(), Some(id));
    assert!(body["device_uuid"].is_u64());
    let tx = &body["approval_request"]["transaction"];
    assert_eq!(
        tx["details"],
        json!({"Username": "jdoe", "Process ID": "123"})
    );
    assert_eq!(tx["hidden_details"], json!({"transaction_id": "TR1"}));
    assert_eq!(tx["message"], "Authorize OneTouch");
    assert_eq!(tx["status"], "approved");
    assert_eq!(tx["uuid"], uuid.as_str());
    let created = tx["created_at_time"].as_i64().unwrap();
    assert_eq!(
        body["approval_request"]["expiration_timestamp"].as_i64(),
        Some(created + 86400)
    );
    assert_eq!(
        body["approval_request"]["logos"],
        json!([{"res": "default", "url": "https://x/l.png"}])
    );
    assert_eq!(body["device"]["os_type"], "android");
    assert!(body["signature"].is_string());

    // The callbacks log has the same request.
    let log = env.get("/sandbox/callbacks");
    let rec = &log.json["callbacks"][0];
    assert_eq!(rec["method"], "POST");
    assert_eq!(rec["http_status"], 200);
    assert_eq!(
        rec["headers"]["X-Authy-Signature"],
        got.header("X-Authy-Signature").unwrap()
    );
    assert_eq!(rec["body"], got.body.as_str());
}

#[test]
fn get_callback_uses_the_canonical_query_string() {
    let receiver = Receiver::start(204, 1);
    let env = Env::new();
    let r = env.post_form(
        "/sandbox/config",
        &format!(
            "callback_url={}&callback_method=GET",
            common::enc(&receiver.url)
        ),
    );
    assert_eq!(r.json["callback_method"], "GET");
    assert_eq!(r.json["callback_url"], receiver.url.as_str());
    let id = env.create_user("g@example.com", "5550205050", "1");
    let uuid = env
        .post_form(
            &approval_path(id),
            "message=Hello+there&details%5Bb%5D=2&details%5Ba%5D=1",
        )
        .json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.post_form(&format!("/sandbox/approval_requests/{uuid}/deny"), "");
    assert_eq!(r.json["callback"]["http_status"], 204);
    assert_eq!(r.json["callback"]["method"], "GET");

    let got = receiver.next();
    assert_eq!(got.method, "GET");
    let (path, query) = got.target.split_once('?').expect("query string");
    assert_eq!(path, "/authy/callback");
    // The signed string is exactly what is on the wire: recompute the HMAC independently.
    let nonce = got.header("X-Authy-Signature-Nonce").unwrap();
    let data = format!("{nonce}|GET|{}|{query}", receiver.url);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(env.sb.api_key().as_bytes()).unwrap();
    mac.update(data.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(got.header("X-Authy-Signature").unwrap(), expected);
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("status"), Some("denied"));
    assert_eq!(get("callback_action"), Some("approval_request_status"));
    assert_eq!(get("approval_request[transaction][details][a]"), Some("1"));
    assert_eq!(
        get("approval_request[transaction][message]"),
        Some("Hello there")
    );
    assert_eq!(
        get("approval_request[logos]"),
        Some(""),
        "null logos => empty value"
    );
    assert!(query.contains("message%5D=Hello+there"), "spaces as +");
    let keys: Vec<&str> = query
        .split('&')
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "chunks sorted as encoded strings");
}

#[test]
fn failed_callbacks_are_reported() {
    // A port nobody listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/cb", dead.local_addr().unwrap().port());
    drop(dead);
    let receiver = Receiver::start(500, 1);
    let env = Env::with(SandboxConfig {
        callback_url: Some(url.clone()),
        callback_method: CallbackMethod::Post,
        ..SandboxConfig::default()
    });
    let id = env.create_user("f@example.com", "5550206060", "1");
    let u1 = env.post_form(&approval_path(id), "message=a").json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.post_form(&format!("/sandbox/approval_requests/{u1}/approve"), "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["callback"]["http_status"], Value::Null);
    assert!(r.json["callback"]["error"].is_string());

    env.post_form(
        "/sandbox/config",
        &format!("callback_url={}", common::enc(&receiver.url)),
    );
    let u2 = env.post_form(&approval_path(id), "message=b").json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.post_form(&format!("/sandbox/approval_requests/{u2}/approve"), "");
    assert_eq!(r.json["callback"]["http_status"], 500);
    receiver.next();
    let log = env.get("/sandbox/callbacks").json;
    assert_eq!(log["callbacks"].as_array().unwrap().len(), 2);
    assert_eq!(log["callbacks"][0]["url"], url.as_str());
    assert_eq!(log["callbacks"][1]["http_status"], 500);

    // Clearing the URL turns callbacks off.
    env.post_form("/sandbox/config", "callback_url=");
    let u3 = env.post_form(&approval_path(id), "message=c").json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        env.post_form(&format!("/sandbox/approval_requests/{u3}/approve"), "")
            .json["callback"],
        Value::Null
    );
    assert_eq!(
        env.post_form("/sandbox/config", "callback_method=PUT")
            .status,
        400
    );
}
