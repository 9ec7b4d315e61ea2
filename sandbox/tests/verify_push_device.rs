//! Verify Push over real HTTP: push factors with a device key (the verify-v2.md §4.4.5 key and
//! fresh ones), factor verification, challenges answered with device-signed JWTs (tampered ones
//! refused), expiry at the second, the ExpirationDate bound, notifications, the sandbox-held
//! device of the control API, and signed webhook deliveries checked with an independent
//! HMAC-SHA1.

mod common;
mod verify_push_support;

use common::{Env, Receiver, assert_tw_error, enc};
use serde_json::Value;
use verify_push_support::{
    Device, Svc, advance, align_to_second, form_pairs, set_clock, twilio_signature, vectors,
};

const ID: &str = "ff483d1f-f591-898a-9942-916050d2ca3f";

fn control(s: &Svc<'_>, rest: &str) -> String {
    format!("/sandbox/verify/Services/{}/Entities/{ID}{rest}", s.sid)
}

#[test]
fn push_factor_with_the_vector_key_is_created_and_verified() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let device = Device::vector();
    assert_eq!(device.public_key, vectors()["push"]["public_key"]);
    let r = s.push_factor(ID, &device, "Metadata=%7B%22os%22%3A+%22Android%22%7D");
    assert_eq!(r.status, 201, "{}", r.body);
    let f = &r.json;
    assert_eq!(f["factor_type"], "push");
    assert_eq!(f["status"], "unverified");
    assert_eq!(f["binding"]["alg"], "ES256");
    assert_eq!(f["binding"]["public_key"], device.public_key);
    let config = &f["config"];
    assert!(config["credential_sid"].as_str().unwrap().starts_with("CR"));
    assert_eq!(config["notification_platform"], "none");
    assert!(config["notification_token"].is_null());
    assert_eq!(config["app_id"], "com.example.app");
    assert_eq!(config["sdk_version"], "0.9.0");
    assert_eq!(f["metadata"]["os"], "Android");
    let sid = f["sid"].as_str().unwrap();
    let path = s.entity(ID, &format!("/Factors/{sid}"));
    // Fetch keeps config.credential_sid, drops the binding.
    let fetched = s.get(&path, "");
    assert_eq!(
        fetched.json["config"]["credential_sid"],
        config["credential_sid"]
    );
    assert!(fetched.json.get("binding").is_none());

    // A signature over another SID, a tampered one, junk: 403 60311.
    let other = device.factor_payload("YF00000000000000000000000000000001");
    assert_eq!(other, other.trim()); // (a valid payload, just not for this factor)
    for bad in [other.as_str(), "MEUCIQ==", "not base64 at all", "dGVzdA=="] {
        let r = s.post(&path, &format!("AuthPayload={}", enc(bad)));
        assert_tw_error(&r, 403, 60311, "Factor verification failure");
    }
    let r = s.post(
        &path,
        &format!("AuthPayload={}", enc(&device.factor_payload(sid))),
    );
    assert_eq!(
        (r.status, r.json["status"].as_str()),
        (200, Some("verified")),
        "{}",
        r.body
    );
}

#[test]
fn push_factor_parameters_at_their_edges() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let device = Device::random();
    let v = vectors();
    let key = v["push"]["public_key"].as_str().unwrap();
    // Bad keys and algorithms: 400 60314.
    let bad_keys = [
        "dGVzdF9rZXk=".to_string(),
        "dGVzdA==".to_string(),
        "!!!".to_string(),
        key[..key.len() - 8].to_string(),
        key.replace("Og==", "Ow=="), // last point byte changed: off the curve
        "A".repeat(4000),
    ];
    for bad in &bad_keys {
        let form = format!(
            "Binding.PublicKey={}&FriendlyName=p&FactorType=push&Binding.Alg=ES256&Config.AppId=a&Config.NotificationPlatform=none&Config.SdkVersion=1",
            enc(bad)
        );
        let r = s.post(&s.entity(ID, "/Factors"), &form);
        assert_tw_error(&r, 400, 60314, "Factors binding format is invalid");
    }
    let r = s.push_factor(ID, &device, "Binding.Alg=RS256");
    assert_eq!(r.status, 201, "the first Binding.Alg wins: {}", r.body);
    let r = s.post(
        &s.entity(ID, "/Factors"),
        &format!(
            "Binding.Alg=RS256&FriendlyName=p&FactorType=push&Binding.PublicKey={}",
            enc(key)
        ),
    );
    assert_eq!(r.json["code"], 60314);
    // Key without padding is accepted (Java's decoder does not need it).
    let form = format!(
        "FriendlyName=p&FactorType=push&Binding.Alg=ES256&Binding.PublicKey={}&Config.AppId=a&Config.NotificationPlatform=none&Config.SdkVersion=1",
        enc(key.trim_end_matches('='))
    );
    assert_eq!(s.post(&s.entity(ID, "/Factors"), &form).status, 201);

    // Notification token: needed for apn/fcm (32..=255 characters), not for none.
    for (platform, token_len, status) in [
        ("fcm", 32, 201),
        ("apn", 255, 201),
        ("fcm", 31, 400),
        ("apn", 256, 400),
        ("fcm", 0, 400),
        ("huawei", 40, 400),
    ] {
        let token = if token_len > 0 {
            format!("&Config.NotificationToken={}", "t".repeat(token_len))
        } else {
            String::new()
        };
        let form = format!(
            "FriendlyName=p&FactorType=push&Binding.Alg=ES256&Binding.PublicKey={}&Config.AppId=a&Config.NotificationPlatform={platform}&Config.SdkVersion=1{token}",
            enc(&device.public_key)
        );
        let r = s.post(&s.entity(ID, "/Factors"), &form);
        assert_eq!(r.status, status, "{platform} {token_len}: {}", r.body);
        if status == 201 {
            assert_eq!(
                r.json["config"]["notification_token"],
                "t".repeat(token_len)
            );
        }
    }
    // 20 push factors per entity: the 21st is 400 60315.
    let s2 = Svc::new(&env, "");
    for n in 1..=20 {
        assert_eq!(s2.push_factor(ID, &device, "").status, 201, "factor {n}");
    }
    let r = s2.push_factor(ID, &device, "");
    assert_eq!(
        (r.status, r.json["code"].as_u64()),
        (400, Some(60315)),
        "{}",
        r.body
    );
    // The service's push credential is the factor's credential_sid for that platform.
    let cr = "CR0123456789abcdef0123456789abcdef";
    let s3 = Svc::new(&env, &format!("Push.FcmCredentialSid={cr}"));
    let r = s3.push_factor(ID, &device, "");
    assert_ne!(
        r.json["config"]["credential_sid"], cr,
        "platform none: its own credential"
    );
    let form = format!(
        "FriendlyName=p&FactorType=push&Binding.Alg=ES256&Binding.PublicKey={}&Config.AppId=a&Config.NotificationPlatform=fcm&Config.SdkVersion=1&Config.NotificationToken={}",
        enc(&device.public_key),
        "t".repeat(40)
    );
    let r = s3.post(&s3.entity(ID, "/Factors"), &form);
    assert_eq!(r.json["config"]["credential_sid"], cr, "{}", r.body);
}

#[test]
fn push_challenge_is_answered_by_a_device_signed_jwt() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let device = Device::random();
    let fsid = s.verified_push(ID, &device);
    // Details.Message is required for push.
    let r = s.post(&s.entity(ID, "/Challenges"), &format!("FactorSid={fsid}"));
    assert_tw_error(&r, 400, 60368, "Challenge details invalid or not provided");
    let c = s.push_challenge(ID, &fsid, "HiddenDetails=%7B%22ip%22%3A+%221.2.3.4%22%7D");
    assert_eq!(c["status"], "pending");
    assert_eq!(c["factor_type"], "push");
    assert_eq!(
        c["details"],
        serde_json::json!({"message": "Login to Acme?", "fields": [{"label": "IP", "value": "1.2.3.4"}]})
    );
    assert_eq!(c["hidden_details"]["ip"], "1.2.3.4");
    assert!(c["metadata"].is_null() && c["date_responded"].is_null());
    let csid = c["sid"].as_str().unwrap();
    let path = s.entity(ID, &format!("/Challenges/{csid}"));

    // The device's view: GET with the signature fields header.
    let got = s.get(&path, "");
    let fields = got
        .header("twilio-verify-signature-fields")
        .unwrap()
        .to_string();
    assert_eq!(
        fields,
        "sid,account_sid,service_sid,entity_sid,factor_sid,date_created,date_updated,expiration_date,details,hidden_details,status"
    );
    for f in fields.split(',') {
        assert!(got.json.get(f).is_some(), "{f} listed but absent");
    }

    // Refused answers: another key, a tampered claim, a claim missing, a tampered signature,
    // another status, alg none; all 403 60324. Not a JWS: 400 60381.
    let other = Device::random();
    let good = device.answer(&got.json, &fields, "approved");
    let mut tampered_json = got.json.clone();
    tampered_json["details"]["message"] = Value::String("Login to Evil?".into());
    let parts: Vec<&str> = good.split('.').collect();
    let mut sig = parts[2].to_string();
    sig.replace_range(10..11, if &sig[10..11] == "A" { "B" } else { "A" });
    let short_fields = fields.replace(",hidden_details", "");
    let refused = [
        other.answer(&got.json, &fields, "approved"),
        device.answer(&tampered_json, &fields, "approved"),
        device.answer(&got.json, &short_fields, "approved"),
        format!("{}.{}.{sig}", parts[0], parts[1]),
        device.answer(&got.json, &fields, "expired"),
        format!(
            "{}.{}.{}",
            base64_url(r#"{"typ":"JWT","alg":"none"}"#),
            parts[1],
            parts[2]
        ),
    ];
    // (Leaving out a listed field is refused: the sandbox checks every field it listed.)
    for (i, bad) in refused.iter().enumerate() {
        let r = s.post(&path, &format!("AuthPayload={}", enc(bad)));
        assert_tw_error(
            &r,
            403,
            60324,
            "Verification attempt was unsuccessful, AuthPayload is invalid",
        );
        assert_eq!(s.get(&path, "").json["status"], "pending", "case {i}");
    }
    for junk in ["sig", "a.b", "", "a.b.c.d"] {
        let r = s.post(&path, &format!("AuthPayload={}", enc(junk)));
        assert_tw_error(&r, 400, 60381, "Signature invalid or not provided");
    }
    let r = s.post(&path, &format!("AuthPayload={}", "x".repeat(5457)));
    assert_eq!(r.json["code"], 60306, "{}", r.body);

    // The right answer, with metadata.
    let r = s.post(
        &path,
        &format!(
            "AuthPayload={}&Metadata=%7B%22os%22%3A%22Android%22%7D",
            enc(&good)
        ),
    );
    assert_eq!(
        (r.status, r.json["status"].as_str()),
        (200, Some("approved")),
        "{}",
        r.body
    );
    assert!(r.json["date_responded"].is_string());
    assert_eq!(r.json["metadata"]["os"], "Android");
    let after = s.get(&path, "");
    assert_eq!(after.json["status"], "approved");
    assert!(after.header("twilio-verify-signature-fields").is_none());
    // Answered: 60322, even with a payload that would otherwise be 60381.
    let r = s.post(&path, "AuthPayload=sig");
    assert_tw_error(&r, 403, 60322, "The Challenge was already responded before");

    // Denied.
    let c = s.push_challenge(ID, &fsid, "");
    let path = s.entity(ID, &format!("/Challenges/{}", c["sid"].as_str().unwrap()));
    let got = s.get(&path, "");
    let fields = got
        .header("twilio-verify-signature-fields")
        .unwrap()
        .to_string();
    assert!(
        !fields.contains("hidden_details"),
        "null fields are not listed: {fields}"
    );
    let r = s.post(
        &path,
        &format!(
            "AuthPayload={}",
            enc(&device.answer(&got.json, &fields, "denied"))
        ),
    );
    assert_eq!(r.json["status"], "denied", "{}", r.body);
}

fn base64_url(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

#[test]
fn push_challenge_expiry_at_the_second_and_the_60_minute_bound() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let device = Device::random();
    let fsid = s.verified_push(ID, &device);
    let iso = chrono_like;
    // ExpirationDate: 60 minutes is accepted, 60 minutes + 1 s is not, now is not (each right
    // after a second starts, so that the sandbox second does not move under the request).
    let create_expiring = |offset: i64| {
        align_to_second();
        let t = advance(&env, 0);
        let r = s.post(
            &s.entity(ID, "/Challenges"),
            &format!(
                "FactorSid={fsid}&Details.Message=m&ExpirationDate={}",
                enc(&iso(t + offset))
            ),
        );
        (t, r)
    };
    let (t, at_60) = create_expiring(3600);
    assert_eq!(at_60.status, 201, "{}", at_60.body);
    assert_eq!(at_60.json["expiration_date"], iso(t + 3600));
    let (_, r) = create_expiring(3601);
    assert_tw_error(&r, 400, 60306, "Invalid parameter: ExpirationDate");
    let (_, r) = create_expiring(0);
    assert_eq!(
        r.json["code"], 60306,
        "now is not in the future: {}",
        r.body
    );
    // Default expiry: created + 300 s, on the sandbox clock.
    align_to_second();
    let t0 = advance(&env, 0);
    let a = s.post(
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={fsid}&Details.Message=a"),
    );
    let b = s.post(
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={fsid}&Details.Message=b"),
    );
    assert_eq!(a.json["date_created"], iso(t0));
    assert_eq!(a.json["expiration_date"], iso(t0 + 300));
    assert_eq!(b.json["expiration_date"], iso(t0 + 300));
    let apath = s.entity(
        ID,
        &format!("/Challenges/{}", a.json["sid"].as_str().unwrap()),
    );
    let bpath = s.entity(
        ID,
        &format!("/Challenges/{}", b.json["sid"].as_str().unwrap()),
    );
    align_to_second();
    set_clock(&env, t0 + 299);
    let got = s.get(&apath, "");
    assert_eq!(got.json["status"], "pending", "{}", got.body);
    let fields = got
        .header("twilio-verify-signature-fields")
        .unwrap()
        .to_string();
    let r = s.post(
        &apath,
        &format!(
            "AuthPayload={}",
            enc(&device.answer(&got.json, &fields, "approved"))
        ),
    );
    assert_eq!(r.json["status"], "approved", "{}", r.body);
    let early = s.get(&bpath, "");
    let early_fields = early
        .header("twilio-verify-signature-fields")
        .unwrap()
        .to_string();
    align_to_second();
    set_clock(&env, t0 + 300);
    let got = s.get(&bpath, "");
    assert_eq!(got.json["status"], "expired", "{}", got.body);
    assert!(got.header("twilio-verify-signature-fields").is_none());
    // A well-signed answer made while it was pending: still 60323 (state first).
    let late = device.answer(&early.json, &early_fields, "approved");
    let r = s.post(&bpath, &format!("AuthPayload={}", enc(&late)));
    assert_tw_error(&r, 403, 60323, "Challenge verification window expired");
    let r = s.post(&bpath, "AuthPayload=junk");
    assert_eq!(r.json["code"], 60323);
    // Expired challenges list as expired.
    let r = s.get(&s.entity(ID, "/Challenges"), "Status=expired");
    assert_eq!(r.json["challenges"][0]["sid"], b.json["sid"]);
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (days-to-civil, as in the sandbox's answers).
fn chrono_like(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[test]
fn notifications_for_pending_push_challenges() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let device = Device::random();
    let fsid = s.verified_push(ID, &device);
    let c = s.push_challenge(ID, &fsid, "");
    let csid = c["sid"].as_str().unwrap();
    let path = s.entity(ID, &format!("/Challenges/{csid}/Notifications"));
    let r = s.post(&path, "Ttl=150");
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json["sid"].as_str().unwrap().starts_with("NT"));
    assert_eq!(r.json["challenge_sid"], csid);
    assert_eq!(r.json["priority"], "high");
    assert_eq!(r.json["ttl"], 150);
    assert_eq!(s.post(&path, "").json["ttl"], 300);
    assert_eq!(s.post(&path, "Ttl=0").status, 201);
    assert_eq!(s.post(&path, "Ttl=301").json["code"], 60306);
    // Answered: 60322.
    let r = env.tw(
        "POST",
        &control(&s, &format!("/Challenges/{csid}/Deny")),
        "",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["signed"], false, "the test's own key: no signature");
    assert_eq!(r.json["challenge"]["status"], "denied");
    assert_eq!(s.post(&path, "").json["code"], 60322);
}

#[test]
fn control_api_plays_the_device_and_reports_signed_webhooks() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let receiver = Receiver::start(200, 20);
    let hook = |events: &str, extra: &str| {
        let r = s.post(
            &s.path("/Webhooks"),
            &format!(
                "FriendlyName=hook&{events}&WebhookUrl={}{extra}",
                enc(&receiver.url)
            ),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json
    };
    let w = hook("EventTypes=*", "");
    assert_eq!(w["status"], "enabled");
    assert_eq!(w["version"], "v2");
    assert_eq!(w["webhook_method"], "POST");
    assert_eq!(w["event_types"], serde_json::json!(["*"]));
    // A disabled one and one for another event receive nothing.
    hook("EventTypes=factor.deleted", "&Status=disabled");
    hook(
        "EventTypes=challenge.approved&EventTypes=challenge.denied",
        "&Version=v1",
    );

    // A push factor whose key the sandbox holds: created and verified (2 events).
    let r = env.tw(
        "POST",
        &control(&s, "/PushFactors"),
        "FriendlyName=Sandbox+phone",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["status"], "verified");
    assert!(
        r.json["binding"]["public_key"]
            .as_str()
            .unwrap()
            .starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
    );
    let fsid = r.json["sid"].as_str().unwrap().to_string();
    let first = receiver.next();
    let second = receiver.next();
    let types: Vec<String> = [&first, &second]
        .iter()
        .map(|m| {
            form_pairs(&m.body)
                .into_iter()
                .find(|(k, _)| k == "type")
                .unwrap()
                .1
        })
        .collect();
    assert_eq!(types, ["factor.created", "factor.verified"]);

    // Approve through the control API: signed with the held key, checked like a device's.
    let c = s.push_challenge(ID, &fsid, "");
    let csid = c["sid"].as_str().unwrap();
    let r = env.tw(
        "POST",
        &control(&s, &format!("/Challenges/{csid}/Approve")),
        "",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["signed"], true);
    assert_eq!(r.json["challenge"]["status"], "approved");
    let r = env.tw(
        "POST",
        &control(&s, &format!("/Challenges/{csid}/Deny")),
        "",
    );
    assert_eq!(r.json["code"], 60322);

    // Two deliveries of challenge.approved: the `*` hook (v2) and the v1 hook.
    let mut got = vec![receiver.next(), receiver.next()];
    got.sort_by_key(|m| m.body.contains("challenge_details"));
    let token = env.sb.auth_token();
    for m in &got {
        assert_eq!(m.method, "POST");
        assert_eq!(
            m.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert!(
            m.header("i-twilio-idempotency-token")
                .is_some_and(|t| !t.is_empty())
        );
        let params = form_pairs(&m.body);
        let sig = m.header("x-twilio-signature").unwrap();
        assert_eq!(
            sig,
            twilio_signature(token, &receiver.url, &params),
            "{}",
            m.body
        );
        assert_ne!(sig, twilio_signature("other-token", &receiver.url, &params));
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("type").as_deref(), Some("challenge.approved"));
        assert_eq!(get("account_sid").as_deref(), Some(env.sb.account_sid()));
        assert_eq!(get("service_sid").as_deref(), Some(s.sid.as_str()));
        assert_eq!(get("entity_identity").as_deref(), Some(ID));
        assert_eq!(get("factor_sid").as_deref(), Some(fsid.as_str()));
        assert_eq!(get("factor_type").as_deref(), Some("push"));
        assert_eq!(get("challenge_sid").as_deref(), Some(csid));
        assert_eq!(get("uuid").unwrap().len(), 36);
    }
    let v1_params = form_pairs(&got[0].body);
    assert_eq!(
        v1_params.len(),
        8,
        "v1: the seven fields + challenge_sid: {}",
        got[0].body
    );
    let v2 = form_pairs(&got[1].body);
    let details = &v2.iter().find(|(k, _)| k == "challenge_details").unwrap().1;
    assert_eq!(
        serde_json::from_str::<Value>(details).unwrap()["message"],
        "Login to Acme?"
    );
    assert_eq!(
        v2.iter().find(|(k, _)| k == "status").unwrap().1,
        "approved"
    );

    // Deny a second challenge, delete the factor: challenge.denied, factor.deleted (the disabled
    // hook stays silent).
    let c = s.push_challenge(ID, &fsid, "");
    let r = env.tw(
        "POST",
        &control(
            &s,
            &format!("/Challenges/{}/Deny", c["sid"].as_str().unwrap()),
        ),
        "",
    );
    assert_eq!(r.json["challenge"]["status"], "denied");
    assert_eq!(
        env.tw("DELETE", &s.entity(ID, &format!("/Factors/{fsid}")), "")
            .status,
        204
    );
    let mut later: Vec<String> = (0..3)
        .map(|_| {
            let m = receiver.next();
            form_pairs(&m.body)
                .into_iter()
                .find(|(k, _)| k == "type")
                .unwrap()
                .1
        })
        .collect();
    later.sort();
    assert_eq!(
        later,
        ["challenge.denied", "challenge.denied", "factor.deleted"]
    );

    // The control API's record of deliveries (all answered 200).
    let mut records = Vec::new();
    for _ in 0..100 {
        let r = env.tw("GET", "/sandbox/verify/Webhooks/Deliveries", "");
        if r.json["in_flight"] == 0 && r.json["deliveries"].as_array().unwrap().len() >= 7 {
            records = r.json["deliveries"].as_array().unwrap().clone();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(records.len(), 7);
    for rec in &records {
        assert_eq!(rec["http_status"], 200, "{rec}");
        assert_eq!(rec["url"], receiver.url);
        assert_eq!(rec["headers"]["X-Twilio-Signature"], rec["signature"]);
    }
    let only = env.tw(
        "GET",
        "/sandbox/verify/Webhooks/Deliveries",
        "Type=factor.deleted",
    );
    assert_eq!(only.json["deliveries"].as_array().unwrap().len(), 1);
}

#[test]
fn webhooks_crud_and_a_refused_connection_is_retried_once() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let r = s.post(
        &s.path("/Webhooks"),
        "FriendlyName=h&EventTypes=challenge.expired&WebhookUrl=https%3A%2F%2Fexample.com%2Fh",
    );
    assert_tw_error(&r, 400, 60306, "Invalid parameter: EventTypes");
    for (form, name) in [
        (
            "EventTypes=*&WebhookUrl=https%3A%2F%2Fexample.com%2Fh",
            "FriendlyName",
        ),
        (
            "FriendlyName=h&WebhookUrl=https%3A%2F%2Fexample.com%2Fh",
            "EventTypes",
        ),
        (
            "FriendlyName=h&EventTypes=*&WebhookUrl=ftp%3A%2F%2Fexample.com",
            "WebhookUrl",
        ),
        (
            "FriendlyName=h&EventTypes=*&WebhookUrl=https%3A%2F%2Fexample.com&Status=on",
            "Status",
        ),
        (
            "FriendlyName=h&EventTypes=*&WebhookUrl=https%3A%2F%2Fexample.com&Version=v3",
            "Version",
        ),
    ] {
        assert_tw_error(
            &s.post(&s.path("/Webhooks"), form),
            400,
            60200,
            &format!("Invalid parameter: {name}"),
        );
    }
    // A closed port: the delivery fails to connect and is tried once more with the same uuid.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let r = s.post(
        &s.path("/Webhooks"),
        &format!("FriendlyName=h&EventTypes=factor.created&EventTypes=factor.created&WebhookUrl={}&Version=v1", enc(&url)),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["event_types"], serde_json::json!(["factor.created"]));
    assert_eq!(r.json["version"], "v1");
    let wsid = r.json["sid"].as_str().unwrap().to_string();
    let wpath = s.path(&format!("/Webhooks/{wsid}"));
    assert_eq!(s.get(&wpath, "").json["webhook_url"], url);
    let list = s.get(&s.path("/Webhooks"), "");
    assert_eq!(list.json["meta"]["key"], "webhooks");
    assert_eq!(list.json["webhooks"][0]["sid"], wsid);

    let device = Device::random();
    assert_eq!(s.push_factor(ID, &device, "").status, 201);
    let mut records = Vec::new();
    for _ in 0..200 {
        let r = env.tw("GET", "/sandbox/verify/Webhooks/Deliveries", "");
        records = r.json["deliveries"].as_array().unwrap().clone();
        if r.json["in_flight"] == 0 && !records.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["attempt"], 1);
    assert_eq!(records[1]["attempt"], 2);
    assert_eq!(records[0]["uuid"], records[1]["uuid"]);
    assert_eq!(
        records[0]["headers"]["I-Twilio-Idempotency-Token"],
        records[1]["headers"]["I-Twilio-Idempotency-Token"]
    );
    assert!(
        records[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("connect:")
    );
    assert!(records[1]["http_status"].is_null());

    // Update (disable) then delete.
    let r = s.post(&wpath, "Status=disabled&FriendlyName=renamed");
    assert_eq!(
        (r.json["status"].as_str(), r.json["friendly_name"].as_str()),
        (Some("disabled"), Some("renamed"))
    );
    assert_eq!(r.json["event_types"], serde_json::json!(["factor.created"]));
    assert_eq!(env.tw("DELETE", &wpath, "").status, 204);
    assert_eq!(s.get(&wpath, "").status, 404);
    // Reset forgets deliveries.
    assert_eq!(env.post_form("/sandbox/reset", "").status, 200);
    let r = env.tw("GET", "/sandbox/verify/Webhooks/Deliveries", "");
    assert_eq!(r.json["deliveries"], serde_json::json!([]));
}

#[test]
fn totp_code_and_settings_in_the_control_api() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let f = s.totp_factor(ID, "Config.TimeStep=20");
    let sid = f["sid"].as_str().unwrap();
    let r = env.tw("GET", &control(&s, &format!("/Factors/{sid}/Code")), "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["time_step"], 20);
    let remaining = r.json["seconds_remaining"].as_u64().unwrap();
    assert!((1..=20).contains(&remaining));
    // The code follows the sandbox clock.
    let c1 = r.json["code"].as_str().unwrap().to_string();
    advance(&env, 20);
    let c2 = s.code(ID, sid);
    advance(&env, -20);
    assert_eq!(s.code(ID, sid), c1);
    assert_ne!(c1, c2);
    // Push factors have no code; unknown factors are 404.
    let push = env.tw("POST", &control(&s, "/PushFactors"), "Verify=false");
    assert_eq!(push.json["status"], "unverified");
    let psid = push.json["sid"].as_str().unwrap();
    assert_eq!(
        env.tw("GET", &control(&s, &format!("/Factors/{psid}/Code")), "")
            .status,
        400
    );
    assert_eq!(
        env.tw(
            "GET",
            &control(&s, "/Factors/YF00000000000000000000000000000000/Code"),
            ""
        )
        .status,
        404
    );
    // TOTP events are off by default and can be switched on.
    let r = env.tw(
        "POST",
        "/sandbox/verify/Webhooks/Settings",
        "TotpEvents=true",
    );
    assert_eq!(r.json["totp_events"], true);
    // The Authy key opens the control routes; nothing else does.
    let r = env.tw_as(
        "GET",
        &control(&s, &format!("/Factors/{sid}/Code")),
        "",
        None,
    );
    assert_eq!(r.status, 401);
}

/// A device-authentication JWT (verify-v2.md §4.4.2) of `device` for `credential_sid`.
fn device_jwt(device: &Device, credential_sid: &str, account: &str, nbf: i64, exp: i64) -> String {
    device.jws(
        &format!(
            r#"{{"cty":"twilio-pba;v=1","kid":"{credential_sid}","typ":"JWT","alg":"ES256"}}"#
        ),
        &format!(r#"{{"sub":"{account}","exp":{exp},"nbf":{nbf}}}"#),
    )
}

#[test]
fn the_sdk_authenticates_with_an_access_token_then_factor_signed_jwts() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let account = env.sb.account_sid().to_string();
    let token = |identity: &str, ttl: i64| {
        let r = s.post(
            &s.path("/AccessTokens"),
            &format!("Identity={identity}&FactorType=push&Ttl={ttl}"),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json["token"].as_str().unwrap().to_string()
    };
    let device = Device::random();
    let form = format!(
        "FriendlyName=Pixel&FactorType=push&Binding.Alg=ES256&Binding.PublicKey={}&Config.AppId=com.example.app&Config.NotificationPlatform=none&Config.SdkVersion=0.9.0",
        enc(&device.public_key)
    );
    let as_device = |method: &str, path: &str, form: &str, secret: &str| {
        env.tw_as(method, path, form, Some(&common::basic("token", secret)))
    };
    // Factor creation: only an unexpired access token of this service and identity.
    let t = token(ID, 60);
    let other_identity = token("someone-else-01", 300);
    assert_tw_error(
        &as_device("POST", &s.entity(ID, "/Factors"), &form, "forged"),
        401,
        20003,
        "Authenticate",
    );
    assert_eq!(
        as_device("POST", &s.entity(ID, "/Factors"), &form, &other_identity).status,
        401
    );
    let r = as_device("POST", &s.entity(ID, "/Factors"), &form, &t);
    assert_eq!(r.status, 201, "{}", r.body);
    let fsid = r.json["sid"].as_str().unwrap().to_string();
    let cr = r.json["config"]["credential_sid"]
        .as_str()
        .unwrap()
        .to_string();
    let now = advance(&env, 60);
    assert_eq!(
        as_device("POST", &s.entity(ID, "/Factors"), &form, &t).status,
        401,
        "past its ttl"
    );

    // Later calls: a JWT signed by the factor key, kid = credential_sid, sub = the account.
    let jwt = device_jwt(&device, &cr, &account, now, now + 600);
    let fpath = s.entity(ID, &format!("/Factors/{fsid}"));
    let r = as_device(
        "POST",
        &fpath,
        &format!("AuthPayload={}", enc(&device.factor_payload(&fsid))),
        &jwt,
    );
    assert_eq!(
        (r.status, r.json["status"].as_str()),
        (200, Some("verified")),
        "{}",
        r.body
    );
    let c = s.push_challenge(ID, &fsid, "");
    let cpath = s.entity(ID, &format!("/Challenges/{}", c["sid"].as_str().unwrap()));
    let got = as_device("GET", &cpath, "", &jwt);
    assert_eq!(got.status, 200, "{}", got.body);
    let fields = got
        .header("twilio-verify-signature-fields")
        .unwrap()
        .to_string();
    let listed = as_device(
        "GET",
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={fsid}&Status=pending"),
        &jwt,
    );
    assert_eq!(listed.json["challenges"][0]["sid"], c["sid"]);
    let answer = device.answer(&got.json, &fields, "approved");
    let r = as_device(
        "POST",
        &cpath,
        &format!("AuthPayload={}", enc(&answer)),
        &jwt,
    );
    assert_eq!(r.json["status"], "approved", "{}", r.body);

    // Refused: another key, another kid, another account, expired, not yet valid, a device JWT
    // on a route devices do not use, on another entity's factor.
    let stranger = Device::random();
    for bad in [
        device_jwt(&stranger, &cr, &account, now, now + 600),
        device_jwt(
            &device,
            "CR00000000000000000000000000000000",
            &account,
            now,
            now + 600,
        ),
        device_jwt(
            &device,
            &cr,
            "AC11111111111111111111111111111111",
            now,
            now + 600,
        ),
        device_jwt(&device, &cr, &account, now - 1200, now - 61),
        device_jwt(&device, &cr, &account, now + 120, now + 600),
        "not-a-jwt".to_string(),
    ] {
        let r = as_device("GET", &fpath, "", &bad);
        assert_tw_error(&r, 401, 20003, "Authenticate");
        assert!(r.header("date").is_some());
    }
    assert_eq!(
        as_device(
            "GET",
            &fpath,
            "",
            &device_jwt(&device, &cr, &account, now - 1200, now - 30)
        )
        .status,
        200,
        "within the leeway"
    );
    assert_eq!(as_device("GET", &s.path(""), "", &jwt).status, 401);
    assert_eq!(as_device("GET", &s.path("/Webhooks"), "", &jwt).status, 401);
    let other = s.verified_push("other-identity-1", &Device::random());
    assert_eq!(
        as_device(
            "GET",
            &s.entity("other-identity-1", &format!("/Factors/{other}")),
            "",
            &jwt
        )
        .status,
        401
    );
    // The device deletes its factor.
    assert_eq!(as_device("DELETE", &fpath, "", &jwt).status, 204);
}

#[test]
fn challenge_details_limits_at_n_and_n_plus_1() {
    let env = Env::new();
    let s = Svc::new(&env, "Push.IncludeDate=true");
    let fsid = s.verified_push(ID, &Device::random());
    let field = |label: usize, value: usize| {
        format!(
            "Details.Fields={}",
            enc(&format!(
                r#"{{"label":"{}","value":"{}"}}"#,
                "l".repeat(label),
                "v".repeat(value)
            ))
        )
    };
    let create = |extra: &str| {
        s.post(
            &s.entity(ID, "/Challenges"),
            &format!("FactorSid={fsid}&{extra}"),
        )
    };
    let twenty: Vec<String> = (0..20).map(|_| field(1, 1)).collect();
    let ok = [
        format!("Details.Message={}", "m".repeat(256)),
        format!("Details.Message=m&{}", twenty.join("&")),
        format!("Details.Message=m&{}", field(36, 128)),
        format!(
            "Details.Message=m&HiddenDetails={}",
            enc(&format!(r#"{{"k":"{}"}}"#, "h".repeat(1016)))
        ),
    ];
    for form in &ok {
        let r = create(form);
        assert_eq!(r.status, 201, "{}: {}", &form[..40.min(form.len())], r.body);
        assert!(
            r.json["details"]["date"].is_string(),
            "Push.IncludeDate adds details.date"
        );
    }
    let too_many = format!("Details.Message=m&{}&{}", twenty.join("&"), field(1, 1));
    for form in [
        format!("Details.Message={}", "m".repeat(257)),
        too_many,
        format!("Details.Message=m&{}", field(37, 1)),
        format!("Details.Message=m&{}", field(1, 129)),
        "Details.Message=m&Details.Fields=%7B%22label%22%3A%22x%22%7D".to_string(),
        "Details.Message=m&Details.Fields=not-json".to_string(),
        field(1, 1),
    ] {
        assert_tw_error(
            &create(&form),
            400,
            60368,
            "Challenge details invalid or not provided",
        );
    }
    let r = create(&format!(
        "Details.Message=m&HiddenDetails={}",
        enc(&format!(r#"{{"k":"{}"}}"#, "h".repeat(1017)))
    ));
    assert_tw_error(&r, 400, 60306, "Invalid parameter: HiddenDetails");
}

#[test]
fn faults_counters_and_reset_cover_the_push_routes() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    s.totp_factor(ID, "");
    let r = env.post_form(
        "/sandbox/faults",
        &format!(
            "kind=status_5xx&status=503&count=1&path_prefix={}",
            enc(&s.entity(ID, "/Factors"))
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(s.get(&s.entity(ID, "/Factors"), "").status, 503);
    assert_eq!(s.get(&s.entity(ID, "/Factors"), "").status, 200);
    let counts = env.get("/sandbox/requests");
    let requests = &counts.json["requests"];
    assert_eq!(
        requests["GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors"], 2,
        "{}",
        counts.body
    );
    assert_eq!(
        requests["POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors"],
        1
    );
    assert_eq!(env.post_form("/sandbox/reset", "").status, 200);
    assert_eq!(
        s.get(&s.entity(ID, ""), "").status,
        404,
        "reset forgets services and entities"
    );
}
