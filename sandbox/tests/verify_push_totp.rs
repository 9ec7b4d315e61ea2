//! Verify v2 Entities, TOTP factors and TOTP challenges over real HTTP: shapes, the RFC 6238
//! vectors on the sandbox clock, every limit at N and N+1 (5 wrong codes, config ranges, 100
//! factors per entity, 100 creations a day, expiry), access tokens, lists, hostile input.

mod common;
mod verify_push_support;

use common::{Env, assert_tw_error, enc};
use serde_json::Value;
use verify_push_support::{Svc, advance, align_to_second, base32_decode, hotp, set_clock, vectors};

const ID: &str = "ff483d1f-f591-898a-9942-916050d2ca3f";

#[test]
fn entities_are_created_fetched_listed_and_deleted() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let r = s.post(&s.path("/Entities"), &format!("Identity={ID}"));
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json["sid"].as_str().unwrap().starts_with("YE"));
    assert_eq!(r.json["identity"], ID);
    assert_eq!(r.json["service_sid"], s.sid);
    assert_eq!(r.json["account_sid"], env.sb.account_sid());
    let url = env.url(&s.entity(ID, ""));
    assert_eq!(r.json["url"], url);
    assert_eq!(r.json["links"]["factors"], format!("{url}/Factors"));
    assert_eq!(r.json["links"]["new_factors"], format!("{url}/Factors"));
    assert_eq!(r.json["links"]["challenges"], format!("{url}/Challenges"));
    assert!(r.json["date_created"].as_str().unwrap().ends_with('Z'));

    // Lookups ignore case; the record keeps the identity as created.
    let f = s.get(&s.entity(&ID.to_uppercase(), ""), "");
    assert_eq!(f.status, 200, "{}", f.body);
    assert_eq!(f.json["sid"], r.json["sid"]);
    assert_eq!(f.json["identity"], ID);

    // A factor for a new identity creates its entity.
    s.totp_factor("user-00000002", "");
    let list = s.get(&s.path("/Entities"), "PageSize=1");
    assert_eq!(list.status, 200);
    assert_eq!(list.json["meta"]["key"], "entities");
    assert_eq!(list.json["entities"][0]["identity"], ID);
    let next = list.json["meta"]["next_page_url"].as_str().unwrap();
    let path = next.strip_prefix(env.sb.base_url()).unwrap();
    let page2 = env.tw("GET", path, "");
    assert_eq!(page2.json["entities"][0]["identity"], "user-00000002");
    assert!(page2.json["meta"]["next_page_url"].is_null());

    assert_eq!(env.tw("DELETE", &s.entity(ID, ""), "").status, 204);
    let gone = s.get(&s.entity(ID, ""), "");
    assert_eq!(gone.status, 404);
    assert_eq!(gone.json["code"], 20404);

    for bad in [
        "short12",
        "has_underscore1",
        "-leading-dash",
        &"a".repeat(65),
    ] {
        let r = s.post(&s.path("/Entities"), &format!("Identity={}", enc(bad)));
        assert_tw_error(&r, 400, 60306, "Invalid parameter: Identity");
    }
    let r = s.post(&s.path("/Entities"), "");
    assert_tw_error(&r, 400, 60200, "Invalid parameter: Identity");
    assert_eq!(
        s.post(
            &s.path("/Entities"),
            &format!("Identity={}", "a".repeat(64))
        )
        .status,
        201
    );
    assert_eq!(
        s.post(&s.path("/Entities"), "Identity=12345678").status,
        201
    );
    // Unknown service.
    let r = env.tw(
        "POST",
        "/v2/Services/VA00000000000000000000000000000000/Entities",
        &format!("Identity={ID}"),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn totp_factor_returns_its_binding_once_and_takes_service_defaults() {
    let env = Env::new();
    let s = Svc::new(
        &env,
        "Totp.Issuer=Acme+Bank&Totp.TimeStep=60&Totp.CodeLength=8&Totp.Skew=2",
    );
    let f = s.totp_factor(ID, "");
    assert!(f["sid"].as_str().unwrap().starts_with("YF"));
    assert_eq!(f["status"], "unverified");
    assert_eq!(f["factor_type"], "totp");
    assert_eq!(f["friendly_name"], "My phone");
    assert_eq!(f["identity"], ID);
    assert!(f["entity_sid"].as_str().unwrap().starts_with("YE"));
    assert_eq!(
        f["config"],
        serde_json::json!({"alg": "sha1", "skew": 2, "code_length": 8, "time_step": 60})
    );
    let secret = f["binding"]["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 32);
    assert_eq!(base32_decode(secret).len(), 20);
    assert_eq!(
        f["binding"]["uri"],
        format!(
            "otpauth://totp/Acme%20Bank:My%20phone?secret={secret}&issuer=Acme%20Bank&algorithm=SHA1&digits=8&period=60"
        )
    );
    assert!(f["options"].is_null());
    assert!(f["metadata"].is_null());
    let sid = f["sid"].as_str().unwrap();
    let fetched = s.get(&s.entity(ID, &format!("/Factors/{sid}")), "");
    assert_eq!(fetched.status, 200);
    assert!(fetched.json.get("binding").is_none(), "{}", fetched.body);
    assert_eq!(fetched.json["config"], f["config"]);
    let list = s.get(&s.entity(ID, "/Factors"), "");
    assert_eq!(list.json["meta"]["key"], "factors");
    assert!(list.json["factors"][0].get("binding").is_none());

    // Without service settings: 30/6/1/sha1 and the service name as issuer.
    let plain = Svc::new(&env, "");
    let f = plain.totp_factor(
        ID,
        "Config.Alg=sha512&Metadata=%7B%22os%22%3A%22Android%22%7D",
    );
    assert_eq!(
        f["config"],
        serde_json::json!({"alg": "sha512", "skew": 1, "code_length": 6, "time_step": 30})
    );
    assert_eq!(f["metadata"]["os"], "Android");
    assert!(
        f["binding"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Test%20App:My%20phone?")
    );
}

#[test]
fn totp_config_ranges_at_their_edges() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let ok = [
        "Config.TimeStep=20",
        "Config.TimeStep=60",
        "Config.CodeLength=3",
        "Config.CodeLength=8",
        "Config.Skew=0",
        "Config.Skew=2",
        "Config.Alg=sha1",
        "Config.Alg=sha256",
        "Config.Alg=sha512",
    ];
    for p in ok {
        assert_eq!(
            s.post(
                &s.entity(ID, "/Factors"),
                &format!("FriendlyName=x&FactorType=totp&{p}")
            )
            .status,
            201,
            "{p}"
        );
    }
    for (p, name) in [
        ("Config.TimeStep=19", "Config.TimeStep"),
        ("Config.TimeStep=61", "Config.TimeStep"),
        ("Config.CodeLength=2", "Config.CodeLength"),
        ("Config.CodeLength=9", "Config.CodeLength"),
        ("Config.Skew=3", "Config.Skew"),
        ("Config.Skew=-1", "Config.Skew"),
        ("Config.Alg=md5", "Config.Alg"),
        ("Binding.Secret=not*base32", "Binding.Secret"),
        ("Binding.Secret=GEZ", "Binding.Secret"),
        (&format!("FriendlyName={}", "n".repeat(65)), "FriendlyName"),
        ("Metadata=%5B1%5D", "Metadata"),
        ("Metadata=%7B%22n%22%3A1%7D", "Metadata"),
    ] {
        let form = format!("{p}&FactorType=totp&FriendlyName=x");
        let r = s.post(&s.entity(ID, "/Factors"), &form);
        assert_tw_error(&r, 400, 60306, &format!("Invalid parameter: {name}"));
    }
    assert_tw_error(
        &s.post(
            &s.entity(ID, "/Factors"),
            "FriendlyName=x&FactorType=passkeys",
        ),
        400,
        60306,
        "Invalid parameter: FactorType",
    );
    assert_tw_error(
        &s.post(&s.entity(ID, "/Factors"), "FactorType=totp"),
        400,
        60200,
        "Invalid parameter: FriendlyName",
    );
    assert_eq!(
        s.post(
            &s.entity(ID, "/Factors"),
            &format!("FactorType=totp&FriendlyName={}", "n".repeat(64))
        )
        .status,
        201
    );
}

#[test]
fn rfc6238_vectors_on_the_sandbox_clock() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let v = vectors();
    // Times inside the same 30 s step as the RFC rows, away from its edges (the sandbox clock
    // keeps running while the test talks to it).
    let rows = [
        (59, 45),
        (1_111_111_111, 1_111_111_120),
        (1_234_567_890, 1_234_567_895),
        (2_000_000_000, 1_999_999_995),
    ];
    for (row_time, at) in rows {
        let row = v["totp"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["time"] == row_time)
            .unwrap();
        for alg in ["sha1", "sha256", "sha512"] {
            let secret = v["totp"]["secrets_base32"][alg].as_str().unwrap();
            let f = s.totp_factor(
                ID,
                &format!(
                    "Binding.Secret={secret}&Config.Alg={alg}&Config.CodeLength=8&Config.Skew=0"
                ),
            );
            assert_eq!(f["binding"]["secret"], secret);
            let sid = f["sid"].as_str().unwrap();
            set_clock(&env, at);
            let expected = row[alg].as_str().unwrap();
            assert_eq!(s.code(ID, sid), expected, "{alg} at {row_time}");
            assert_eq!(
                hotp(alg, &base32_decode(secret), (at / 30) as u64, 8),
                expected
            );
            let r = s.post(
                &s.entity(ID, &format!("/Factors/{sid}")),
                &format!("AuthPayload={expected}"),
            );
            assert_eq!(
                r.json["status"], "verified",
                "{alg} at {row_time}: {}",
                r.body
            );
        }
    }
    // The 6-digit default, with the exported-secret migration settings (verify-v2.md §6.2).
    set_clock(&env, 1_111_111_120);
    let f = s.totp_factor(
        ID,
        "Binding.Secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&Config.Alg=sha1&Config.TimeStep=30&Config.CodeLength=6&Config.Skew=1",
    );
    let sid = f["sid"].as_str().unwrap();
    let r = s.post(
        &s.entity(ID, &format!("/Factors/{sid}")),
        "AuthPayload=050471",
    );
    assert_eq!(r.json["status"], "verified", "{}", r.body);
}

#[test]
fn skew_accepts_its_steps_and_no_more() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let key = base32_decode(secret);
    let now = set_clock(&env, 1_111_111_120);
    let step = (now / 30) as u64;
    for (skew, offset, accepted) in [
        (1, -1i64, true),
        (1, 1, true),
        (1, -2, false),
        (0, -1, false),
        (2, -2, true),
        (2, 3, false),
    ] {
        let f = s.totp_factor(ID, &format!("Binding.Secret={secret}&Config.Skew={skew}"));
        let sid = f["sid"].as_str().unwrap();
        let code = hotp("sha1", &key, (step as i64 + offset) as u64, 6);
        let r = s.post(
            &s.entity(ID, &format!("/Factors/{sid}")),
            &format!("AuthPayload={code}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let want = if accepted { "verified" } else { "unverified" };
        assert_eq!(r.json["status"], want, "skew {skew}, offset {offset}");
    }
}

#[test]
fn five_wrong_factor_codes_then_the_sixth_is_429_60310() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    // 4 wrong, then the right code: verified.
    let f = s.totp_factor(ID, "");
    let sid = f["sid"].as_str().unwrap();
    let path = s.entity(ID, &format!("/Factors/{sid}"));
    for _ in 0..4 {
        let r = s.post(&path, "AuthPayload=000000");
        assert_eq!(
            (r.status, r.json["status"].as_str()),
            (200, Some("unverified")),
            "{}",
            r.body
        );
    }
    let code = s.code(ID, sid);
    assert_eq!(
        s.post(&path, &format!("AuthPayload={code}")).json["status"],
        "verified"
    );

    // 5 wrong, then even the right code: 429 60310.
    let f = s.totp_factor(ID, "");
    let sid = f["sid"].as_str().unwrap();
    let path = s.entity(ID, &format!("/Factors/{sid}"));
    for n in 1..=5 {
        let r = s.post(&path, "AuthPayload=99999999");
        assert_eq!(r.status, 200, "wrong code {n}: {}", r.body);
        assert_eq!(r.json["status"], "unverified");
    }
    let code = s.code(ID, sid);
    let r = s.post(&path, &format!("AuthPayload={code}"));
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.json["code"], 60310);
    assert_eq!(s.get(&path, "").json["status"], "unverified");
}

#[test]
fn totp_challenges_approve_count_wrong_codes_and_expire() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let unverified = s.totp_factor(ID, "");
    let r = s.post(
        &s.entity(ID, "/Challenges"),
        &format!(
            "FactorSid={}&AuthPayload=123456",
            unverified["sid"].as_str().unwrap()
        ),
    );
    assert_tw_error(&r, 403, 60318, "Factor is unverified");

    let f = s.verified_totp(ID, "");
    let fsid = f["sid"].as_str().unwrap();
    // Right code at creation: born approved.
    let code = s.code(ID, fsid);
    let r = s.post(
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={fsid}&AuthPayload={code}"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json["status"], "approved");
    assert_eq!(r.json["factor_type"], "totp");
    assert_eq!(r.json["date_responded"], r.json["date_created"]);
    assert_eq!(r.json["responded_reason"], "none");
    let approved = r.json["sid"].as_str().unwrap().to_string();
    let r = s.post(
        &s.entity(ID, &format!("/Challenges/{approved}")),
        &format!("AuthPayload={code}"),
    );
    assert_tw_error(&r, 403, 60322, "The Challenge was already responded before");

    // Wrong code at creation: 201 pending (1 wrong), then 4 more wrong: pending; the 6th: 429.
    let r = s.post(
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={fsid}&AuthPayload=000000"),
    );
    assert_eq!(
        (r.status, r.json["status"].as_str()),
        (201, Some("pending")),
        "{}",
        r.body
    );
    assert!(r.json["date_responded"].is_null());
    let csid = r.json["sid"].as_str().unwrap().to_string();
    let cpath = s.entity(ID, &format!("/Challenges/{csid}"));
    for n in 2..=5 {
        let r = s.post(&cpath, "AuthPayload=000000");
        assert_eq!(
            (r.status, r.json["status"].as_str()),
            (200, Some("pending")),
            "wrong {n}: {}",
            r.body
        );
    }
    let r = s.post(&cpath, &format!("AuthPayload={}", s.code(ID, fsid)));
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.json["code"], 60308);

    // 4 wrong then right: approved.
    let r = s.post(&s.entity(ID, "/Challenges"), &format!("FactorSid={fsid}"));
    let cpath = s.entity(
        ID,
        &format!("/Challenges/{}", r.json["sid"].as_str().unwrap()),
    );
    for _ in 0..4 {
        assert_eq!(
            s.post(&cpath, "AuthPayload=000000").json["status"],
            "pending"
        );
    }
    let r = s.post(&cpath, &format!("AuthPayload={}", s.code(ID, fsid)));
    assert_eq!(r.json["status"], "approved", "{}", r.body);

    // Expiry at the second (default 5 minutes): at expiry - 1 still answerable, at expiry 60323.
    align_to_second();
    let t0 = advance(&env, 0);
    let a = s.post(&s.entity(ID, "/Challenges"), &format!("FactorSid={fsid}"));
    let b = s.post(&s.entity(ID, "/Challenges"), &format!("FactorSid={fsid}"));
    assert_eq!(a.json["expiration_date"], b.json["expiration_date"]);
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
    let r = s.get(&apath, "");
    assert_eq!(r.json["status"], "pending", "{}", r.body);
    let r = s.post(&apath, &format!("AuthPayload={}", s.code(ID, fsid)));
    assert_eq!(r.json["status"], "approved", "{}", r.body);
    align_to_second();
    set_clock(&env, t0 + 300);
    let r = s.get(&bpath, "");
    assert_eq!(r.json["status"], "expired", "{}", r.body);
    assert_eq!(r.json["expiration_date"], b.json["expiration_date"]);
    let r = s.post(&bpath, &format!("AuthPayload={}", s.code(ID, fsid)));
    assert_tw_error(&r, 403, 60323, "Challenge verification window expired");
    // State errors come before payload errors.
    let r = s.post(&bpath, &format!("AuthPayload={}", "9".repeat(6000)));
    assert_eq!(r.json["code"], 60323);
}

#[test]
fn factor_limits_per_entity_at_n_and_n_plus_1() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    for n in 1..=100 {
        let r = s.post(&s.entity(ID, "/Factors"), "FriendlyName=f&FactorType=totp");
        assert_eq!(r.status, 201, "factor {n}: {}", r.body);
    }
    let r = s.post(&s.entity(ID, "/Factors"), "FriendlyName=f&FactorType=totp");
    assert_eq!(
        (r.status, r.json["code"].as_u64()),
        (400, Some(60315)),
        "{}",
        r.body
    );
    // Deleting one frees a slot, but that would be the 101st creation today: 429 60326.
    let first = s.get(&s.entity(ID, "/Factors"), "PageSize=1").json["factors"][0]["sid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        env.tw("DELETE", &s.entity(ID, &format!("/Factors/{first}")), "")
            .status,
        204
    );
    let r = s.post(&s.entity(ID, "/Factors"), "FriendlyName=f&FactorType=totp");
    assert_eq!(
        (r.status, r.json["code"].as_u64()),
        (429, Some(60326)),
        "{}",
        r.body
    );
    // A day later the window is clear.
    advance(&env, 86_400);
    assert_eq!(
        s.post(&s.entity(ID, "/Factors"), "FriendlyName=f&FactorType=totp")
            .status,
        201
    );
    // Another entity is not affected.
    assert_eq!(
        s.post(
            &s.entity("other-identity", "/Factors"),
            "FriendlyName=f&FactorType=totp"
        )
        .status,
        201
    );
}

#[test]
fn challenge_lists_filter_order_and_page() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let f1 = s.verified_totp(ID, "");
    let f2 = s.verified_totp(ID, "");
    let (f1, f2) = (f1["sid"].as_str().unwrap(), f2["sid"].as_str().unwrap());
    let mut sids = Vec::new();
    for f in [f1, f2, f1] {
        let r = s.post(&s.entity(ID, "/Challenges"), &format!("FactorSid={f}"));
        sids.push(r.json["sid"].as_str().unwrap().to_string());
    }
    let code = s.code(ID, f1);
    s.post(
        &s.entity(ID, &format!("/Challenges/{}", sids[2])),
        &format!("AuthPayload={code}"),
    );
    let list = |q: &str| -> Vec<String> {
        let r = s.get(&s.entity(ID, "/Challenges"), q);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json["meta"]["key"], "challenges");
        r.json["challenges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["sid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(list(""), sids);
    assert_eq!(
        list("Order=desc"),
        sids.iter().rev().cloned().collect::<Vec<_>>()
    );
    assert_eq!(
        list(&format!("FactorSid={f1}")),
        [sids[0].clone(), sids[2].clone()]
    );
    assert_eq!(list("Status=approved"), [sids[2].clone()]);
    assert_eq!(
        list(&format!("FactorSid={f1}&Status=pending&Order=desc")),
        [sids[0].clone()]
    );
    // Pages keep the filters.
    let r = s.get(
        &s.entity(ID, "/Challenges"),
        &format!("FactorSid={f1}&Order=desc&PageSize=1"),
    );
    assert_eq!(r.json["challenges"][0]["sid"], sids[2]);
    let next = r.json["meta"]["next_page_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(next.contains(&format!("FactorSid={f1}")), "{next}");
    let r2 = env.tw("GET", next.strip_prefix(env.sb.base_url()).unwrap(), "");
    assert_eq!(r2.json["challenges"][0]["sid"], sids[0]);
    assert!(r2.json["meta"]["next_page_url"].is_null());
    for q in ["Status=nope", "Order=up", "FactorSid=YF1"] {
        assert_eq!(
            s.get(&s.entity(ID, "/Challenges"), q).json["code"],
            60306,
            "{q}"
        );
    }
}

#[test]
fn access_tokens_have_the_documented_shape_and_limits() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let r = s.post(
        &s.path("/AccessTokens"),
        &format!("Identity={ID}&FactorType=push&FactorFriendlyName=Pixel"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json["sid"].as_str().unwrap().starts_with("YK"));
    assert_eq!(r.json["entity_identity"], ID);
    assert_eq!(r.json["factor_type"], "push");
    assert_eq!(r.json["factor_friendly_name"], "Pixel");
    assert_eq!(r.json["ttl"], 60);
    assert_eq!(r.json["token"].as_str().unwrap().split('.').count(), 5);
    let sid = r.json["sid"].as_str().unwrap();
    let f = s.get(&s.path(&format!("/AccessTokens/{sid}")), "");
    assert_eq!(f.status, 200);
    assert_eq!(f.json["token"], r.json["token"]);
    for (ttl, status) in [(60, 201), (300, 201), (59, 400), (301, 400)] {
        let r = s.post(
            &s.path("/AccessTokens"),
            &format!("Identity={ID}&FactorType=push&Ttl={ttl}"),
        );
        assert_eq!(r.status, status, "ttl {ttl}: {}", r.body);
    }
    assert_eq!(
        s.post(
            &s.path("/AccessTokens"),
            &format!("Identity={ID}&FactorType=totp")
        )
        .json["code"],
        60306
    );
    assert_eq!(
        s.get(
            &s.path("/AccessTokens/YK00000000000000000000000000000000"),
            ""
        )
        .status,
        404
    );
}

#[test]
fn hostile_inputs_get_verify_errors_not_panics() {
    let env = Env::new();
    let s = Svc::new(&env, "");
    let f = s.verified_totp(ID, "");
    let fsid = f["sid"].as_str().unwrap();
    let huge = "x".repeat(100_000);
    let cases: Vec<(String, String)> = vec![
        (
            s.entity(ID, "/Factors"),
            format!("FriendlyName={huge}&FactorType=totp"),
        ),
        (
            s.entity(ID, "/Factors"),
            format!("FriendlyName=x&FactorType=totp&Binding.Secret={huge}"),
        ),
        (
            s.entity(ID, "/Factors"),
            "FriendlyName=x&FactorType=totp&Binding.Secret=%C3%A9%C3%A9".into(),
        ),
        (
            s.entity(ID, "/Factors"),
            format!(
                "FriendlyName=x&FactorType=totp&Metadata={}",
                enc(&format!("{{\"k\":\"{huge}\"}}"))
            ),
        ),
        (
            s.entity(ID, &format!("/Factors/{fsid}")),
            format!("AuthPayload={huge}"),
        ),
        (
            s.entity(ID, "/Challenges"),
            format!("FactorSid={fsid}&AuthPayload={huge}"),
        ),
        (
            s.entity(ID, "/Challenges"),
            format!("FactorSid={fsid}&HiddenDetails={}", enc("{\"a\":1}")),
        ),
        (
            s.entity(ID, "/Challenges"),
            format!("FactorSid={fsid}&HiddenDetails=%7B"),
        ),
        (
            s.entity(ID, "/Challenges"),
            format!("FactorSid={fsid}&ExpirationDate=tomorrow"),
        ),
        (
            s.entity(ID, "/Challenges"),
            format!("FactorSid={fsid}&ExpirationDate=2000-01-01T00%3A00%3A00Z"),
        ),
        (s.entity(ID, "/Challenges"), "FactorSid=YFzz".into()),
        (
            s.entity("bad%20identity", "/Factors"),
            "FriendlyName=x&FactorType=totp".into(),
        ),
    ];
    for (path, form) in cases {
        let r = s.post(&path, &form);
        assert_eq!(
            r.status,
            400,
            "{path} {}: {}",
            &form[..form.len().min(80)],
            r.body
        );
        assert_eq!(r.json["code"], 60306, "{}", r.body);
        assert!(
            r.json["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid parameter: ")
        );
    }
    // The sandbox is still answering.
    assert_eq!(
        s.get(&s.entity(ID, &format!("/Factors/{fsid}")), "").status,
        200
    );
    let r = s.get(
        &s.entity(ID, "/Factors/YF00000000000000000000000000000000"),
        "",
    );
    assert_eq!(r.status, 404);
    let r = env.tw("PUT", &s.entity(ID, "/Factors"), "");
    assert_eq!(r.status, 405);
    let _: Value = r.json;
}
