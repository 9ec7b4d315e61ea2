//! Fidelity gaps found by running the official clients' own suites against the sandbox
//! (issue 8, defect 9): phone-info shape, `//` paths, repeated country codes, NANP validation,
//! the `xml` format, and plans without SMS or calls.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use authy_sandbox::SandboxConfig;
use common::{Env, assert_error, raw_exchange, split_response};
use serde_json::{Value, json};

const START: &str = "/protected/json/phones/verification/start";

/// A raw HTTP/1.1 request (the target is sent exactly as given: no client normalises it).
fn raw(env: &Env, method: &str, target: &str, body: &str) -> (u16, String, String) {
    let req = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Authy-API-Key: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        env.sb.api_key(),
        body.len()
    );
    let out = raw_exchange(env.sb.addr(), req.as_bytes());
    let (status, head, body) = split_response(&out).expect("an HTTP answer");
    (status, head, String::from_utf8(body).expect("UTF-8 body"))
}

fn counters(env: &Env) -> Value {
    env.get("/sandbox/requests").json["requests"].clone()
}

#[test]
fn phone_info_always_has_a_string_provider_and_a_documented_type() {
    let env = Env::new();
    let mut types = std::collections::BTreeSet::new();
    // 10 countries x 30 numbers: before the fix about 1 in 10 answered `provider: null`.
    for (i, cc) in ["1", "44", "351", "57", "34", "49", "55", "91", "81", "61"]
        .iter()
        .enumerate()
    {
        for n in 0..30u64 {
            let number = if *cc == "1" {
                format!("{}{:03}{:04}", 201 + i * 37, 200 + n * 13, n * 7 + i as u64)
            } else {
                format!("9{:08}", n * 104_729 + i as u64 * 7_919)
            };
            let r = env.get(&format!(
                "/protected/json/phones/info?country_code={cc}&phone_number={number}"
            ));
            assert_eq!(r.status, 200, "{cc} {number}: {}", r.body);
            let provider = r.json["provider"].as_str();
            assert!(
                provider.is_some_and(|p| !p.is_empty()),
                "{cc} {number}: {}",
                r.body
            );
            let t = r.json["type"].as_str().unwrap_or_default().to_string();
            assert!(
                ["voip", "landline", "cellphone", "unknown"].contains(&t.as_str()),
                "{}",
                r.body
            );
            assert!(r.json["ported"].is_boolean());
            types.insert(t);
        }
    }
    assert!(types.len() >= 3, "varied types: {types:?}");
    // The carrier of a phone verification comes from the same lookup: a string too.
    for n in 0..40 {
        let r = env.post_form(
            START,
            &format!("via=sms&country_code=1&phone_number=202-555-{:04}", n * 17),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.json["carrier"].is_string(), "{}", r.body);
    }
}

#[test]
fn repeated_slashes_are_collapsed_before_routing_and_counting() {
    let env = Env::new();
    // authy-java with a base URL ending in `/`.
    let (status, _, body) = raw(&env, "GET", "//protected/json/app/details", "");
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = raw(
        &env,
        "POST",
        "//protected/json/users/new",
        "user%5Bemail%5D=a%40example.com&user%5Bcellphone%5D=2015550123&user%5Bcountry_code%5D=1",
    );
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["user"]["id"]
        .as_u64()
        .unwrap();
    let (status, _, body) = raw(
        &env,
        "GET",
        &format!("/protected//json///sms/{id}?force=true"),
        "",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("SMS token was sent"), "{body}");
    let c = counters(&env);
    assert_eq!(c["GET /protected/json/app/details"], 1, "{c}");
    assert_eq!(c["POST /protected/json/users/new"], 1, "{c}");
    assert_eq!(c["GET /protected/json/sms/{id}"], 1, "{c}");
    assert!(c.get("(unmatched)").is_none(), "{c}");
    // Faults match the collapsed path too.
    let r = env.post_form(
        "/sandbox/faults",
        "kind=status_5xx&path_prefix=/protected/json/sms/",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (status, _, _) = raw(&env, "GET", &format!("//protected/json/sms/{id}"), "");
    assert_eq!(status, 503);
    // An empty id is still no route.
    let (status, _, body) = raw(&env, "GET", "/protected/json/sms//", "");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("Requested URL was not found"), "{body}");
    let (status, _, _) = raw(&env, "GET", "/protected/json/verify//5", "");
    assert_eq!(status, 404);
}

#[test]
fn a_repeated_country_code_is_stripped_and_the_number_formatted() {
    let env = Env::new();
    let r = env.post_form(
        START,
        "via=sms&country_code=1&phone_number=%2B1+775-461-5609",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["message"], "Text message sent to +1 775-461-5609.");
    let uuid = r.json["uuid"].as_str().unwrap().to_string();
    // The same verification, however the number is written.
    for (form, message) in [
        (
            "via=call&country_code=1&phone_number=%2B1+775-461-5609&locale=es",
            "Llamada a +1 775-461-5609 fue iniciada.",
        ),
        (
            "via=call&country_code=1&phone_number=1-775-461-5609",
            "Call to +1 775-461-5609 initiated",
        ),
        (
            "via=sms&country_code=%2B1&phone_number=(775)+461.5609",
            "Text message sent to +1 775-461-5609.",
        ),
    ] {
        let r = env.post_form(START, form);
        assert_eq!(r.status, 200, "{form}: {}", r.body);
        assert_eq!(r.json["message"], message, "{form}");
        assert_eq!(r.json["uuid"], uuid.as_str(), "{form}");
    }
    let code = env
        .get("/sandbox/phones/last_code?country_code=1&phone_number=%2B17754615609")
        .json["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.get(&format!(
        "/protected/json/phones/verification/check?country_code=1&phone_number=17754615609&verification_code={code}"
    ));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = env.get(
        "/protected/json/phones/verification/check?country_code=1&phone_number=%2B1+775-461-5609&verification_code=1234",
    );
    assert_error(
        &r,
        404,
        "60023",
        "No pending verifications for +1 775-461-5609 found.",
    );
    let r = env.post_form(
        START,
        "via=sms&country_code=44&phone_number=%2B44+7700+900123",
    );
    assert_eq!(r.json["message"], "Text message sent to +44 770-090-0123.");
    // A number carrying another country's code is not this country's number.
    assert_error(
        &env.post_form(
            START,
            "via=sms&country_code=1&phone_number=%2B44+7700+900123",
        ),
        400,
        "60033",
        "Phone number is invalid",
    );
    // Phone info: one answer per number, however written.
    let a = env.get("/protected/json/phones/info?country_code=1&phone_number=775-461-5609");
    let b = env.get("/protected/json/phones/info?country_code=1&phone_number=%2B1+775+461+5609");
    assert_eq!(a.status, 200);
    assert_eq!(
        (&a.json["type"], &a.json["provider"], &a.json["ported"]),
        (&b.json["type"], &b.json["provider"], &b.json["ported"])
    );
    // Users: one Authy id per number, however written (creation stays lenient).
    let one = env.create_user("a@example.com", "775-461-5609", "1");
    assert_eq!(
        env.create_user("a@example.com", "+1 775-461-5609", "1"),
        one
    );
    assert_eq!(
        env.create_user("a@example.com", "1 (775) 461-5609", "1"),
        one
    );
    let status = env.get(&format!("/protected/json/users/{one}/status"));
    assert_eq!(status.json["status"]["phone_number"], "XXX-XXX-5609");
}

#[test]
fn invalid_north_american_numbers_are_refused_by_phone_verification() {
    let env = Env::new();
    for bad in [
        "111-111-1112",
        "011-555-0123",
        "201-055-0123",
        "201-155-0123",
        "775-461-560",
        "1-111-555-0123",
    ] {
        let n = common::enc(bad);
        assert_error(
            &env.post_form(START, &format!("via=sms&country_code=1&phone_number={n}")),
            400,
            "60033",
            "Phone number is invalid",
        );
        assert_error(
            &env.get(&format!(
                "/protected/json/phones/verification/check?country_code=1&phone_number={n}&verification_code=1234"
            )),
            400,
            "60033",
            "Phone number is invalid",
        );
        assert_error(
            &env.get(&format!(
                "/protected/json/phones/verification/status?country_code=1&phone_number={n}"
            )),
            400,
            "60033",
            "Phone number is invalid",
        );
    }
    // The rule is North American only, and user creation stays lenient.
    let r = env.post_form(START, "via=sms&country_code=44&phone_number=1111111111");
    assert_eq!(r.status, 200, "{}", r.body);
    env.create_user("b@example.com", "111-111-1111", "1");
}

/// The old public sandbox's test number, as authy-php's sandbox-era tests use it
/// (`phoneVerificationStart('111-111-1111', '1', 'sms')` succeeds, then code `0000` is correct):
/// not a valid NANP number, accepted all the same (issue 13).
#[test]
fn the_old_sandbox_test_number_verifies_with_0000() {
    let env = Env::new();
    let r = env.post_form(START, "via=sms&country_code=1&phone_number=111-111-1111");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["message"], "Text message sent to +1 111-111-1111.");
    let r = env.get(
        "/protected/json/phones/verification/check?country_code=1&phone_number=111-111-1111&verification_code=0000",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["message"], "Verification code is correct.");
    let r = env.post_form(
        START,
        "via=call&country_code=1&phone_number=%2B1+111-111-1111",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = env.get(
        "/protected/json/phones/verification/check?country_code=1&phone_number=1111111111&verification_code=9999",
    );
    assert_error(&r, 401, "60022", "Verification code is incorrect");
}

#[test]
fn the_xml_format_answers_in_xml() {
    let env = Env::new();
    let id = env.create_user("x@example.com", "201-555-0177", "1");
    // authy-java (XML releases): GET /protected/xml/sms/{id}.
    let r = env.get(&format!("/protected/xml/sms/{id}?force=true"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.content_type.starts_with("application/xml"),
        "{}",
        r.content_type
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hash>\n"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<message>SMS token was sent</message>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<success type=\"boolean\">true</success>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<cellphone>+1-XXX-XXX-XX77</cellphone>"),
        "{}",
        r.body
    );
    assert!(r.body.trim_end().ends_with("</hash>"), "{}", r.body);
    // The code was really sent: it verifies (in XML too).
    let code = env.last_code(id);
    let v = env.get(&format!("/protected/xml/verify/{code}/{id}?force=true"));
    assert_eq!(v.status, 200, "{}", v.body);
    assert!(v.body.contains("<token>is valid</token>"), "{}", v.body);
    // Errors: <errors> with <message> and <error-code> (authy-java fixture).
    let e = env.get("/protected/xml/sms/987654321");
    assert_eq!(e.status, 404);
    assert_eq!(
        e.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <message>User not found.</message>\n  <error-code>60026</error-code>\n</errors>\n"
    );
    let k = env.get_nokey(&format!("/protected/xml/sms/{id}"));
    assert_eq!(k.status, 401);
    assert!(
        k.body.contains("<error-code>60001</error-code>"),
        "{}",
        k.body
    );
    let u = env.get("/protected/xml/nothing/here");
    assert_eq!(u.status, 404);
    assert!(u.body.contains("<errors>") && u.body.contains("Requested URL was not found"));
    // Other routes: users/new and delete (authy-java's other XML paths), OneTouch.
    let c = env.post_form(
        "/protected/xml/users/new",
        "user%5Bemail%5D=y%40example.com&user%5Bcellphone%5D=2015550178&user%5Bcountry_code%5D=1",
    );
    assert_eq!(c.status, 200, "{}", c.body);
    assert!(
        c.body.contains("<user>\n    <id type=\"integer\">"),
        "{}",
        c.body
    );
    let a = env.post_form(
        &format!("/onetouch/xml/users/{id}/approval_requests"),
        "message=Login",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("<approval-request>"), "{}", a.body);
    let d = env.post_empty(&format!("/protected/xml/users/delete/{id}"));
    assert_eq!(d.status, 200, "{}", d.body);
    assert!(
        d.body
            .contains("<message>User removed from application</message>")
    );
    // An XML request body is refused clearly, in the format asked for.
    let x = common::Env::finish_public(
        env.agent
            .post(&env.url("/protected/xml/users/new"))
            .header("X-Authy-API-Key", env.sb.api_key())
            .header("Content-Type", "application/xml")
            .send("<user><email>z@example.com</email></user>"),
    );
    assert_eq!(x.status, 400, "{}", x.body);
    assert!(
        x.body.contains("<error-code>60002</error-code>"),
        "{}",
        x.body
    );
    assert!(
        x.body.contains("XML request bodies are not supported"),
        "{}",
        x.body
    );
    // Counted under their own templates; JSON is unchanged.
    let c = counters(&env);
    assert_eq!(c["GET /protected/xml/sms/{id}"], 3, "{c}");
    assert_eq!(c["GET /protected/xml/verify/{token}/{id}"], 1, "{c}");
    let j = env.get("/protected/json/app/details");
    assert!(j.content_type.starts_with("application/json"));
}

#[test]
fn a_plan_without_sms_or_calls_refuses_them_with_the_real_errors() {
    let env = Env::with(SandboxConfig {
        sms_enabled: false,
        ..SandboxConfig::default()
    });
    let d = env.get("/protected/json/app/details");
    assert_eq!(d.json["app"]["sms_enabled"], false);
    assert_eq!(d.json["app"]["phone_calls_enabled"], true);
    let id = env.create_user("p@example.com", "201-555-0190", "1");
    assert_error(
        &env.get(&format!("/protected/json/sms/{id}")),
        503,
        "60007",
        "SMS is not enabled",
    );
    assert_error(
        &env.post_form(START, "via=sms&country_code=1&phone_number=201-555-0191"),
        503,
        "60007",
        "SMS is not enabled",
    );
    // Nothing was delivered or counted as sent.
    assert_eq!(
        env.get(&format!("/sandbox/users/{id}/last_code")).status,
        404
    );
    assert_eq!(
        env.get("/sandbox/phones/last_code?country_code=1&phone_number=2015550191")
            .status,
        404
    );
    assert_eq!(
        env.get("/protected/json/app/stats").json["stats"][0]["sms_count"],
        0
    );
    // Calls still work.
    let call = env.get(&format!("/protected/json/call/{id}"));
    assert_eq!(call.status, 200, "{}", call.body);
    // An app user's SMS request is still "ignored" (nothing would have been sent).
    env.post_form(&format!("/sandbox/users/{id}/devices"), "device=android");
    let ign = env.get(&format!("/protected/json/sms/{id}"));
    assert_eq!(ign.status, 200);
    assert_eq!(ign.json["ignored"], true);
    assert_eq!(
        env.get(&format!("/protected/json/sms/{id}?force=true"))
            .json["error_code"],
        "60007"
    );

    // At run time: calls off, SMS on.
    let r = env.post_form(
        "/sandbox/config",
        "phone_calls_enabled=false&sms_enabled=true",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json["sms_enabled"], true);
    assert_eq!(r.json["phone_calls_enabled"], false);
    assert_error(
        &env.get(&format!("/protected/json/call/{id}?force=true")),
        503,
        "60006",
        "Phone calls are not enabled on this account",
    );
    assert_error(
        &env.post_form(START, "via=call&country_code=1&phone_number=201-555-0192"),
        503,
        "60006",
        "Phone calls are not enabled on this account",
    );
    assert_eq!(
        env.get(&format!("/protected/json/sms/{id}?force=true"))
            .status,
        200
    );
    let d = env.get("/protected/json/app/details");
    assert_eq!(
        (
            &d.json["app"]["sms_enabled"],
            &d.json["app"]["phone_calls_enabled"]
        ),
        (&json!(true), &json!(false))
    );
    // A typo never silently switches a channel.
    assert_error(
        &env.post_form("/sandbox/config", "sms_enabled=nope"),
        400,
        "60004",
        "Invalid parameter: sms_enabled - must be true or false",
    );
    // Other config params leave the switches alone; reset restores the startup plan.
    let r = env.post_form("/sandbox/config", "callback_method=GET");
    assert_eq!(r.json["phone_calls_enabled"], false);
    env.post_empty("/sandbox/reset");
    let d = env.get("/protected/json/app/details");
    assert_eq!(d.json["app"]["sms_enabled"], false);
    assert_eq!(d.json["app"]["phone_calls_enabled"], true);
}

#[test]
fn binary_flags_disable_sms_and_calls() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args(["--quiet", "--disable-sms", "--disable-calls"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let agent = common::agent();
    let get = |path: &str| {
        Env::finish_public(
            agent
                .get(&format!("{}{path}", url.trim()))
                .header("X-Authy-API-Key", authy_sandbox::DEFAULT_API_KEY)
                .call(),
        )
    };
    let d = get("/protected/json/app/details");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.json["app"]["sms_enabled"], false);
    assert_eq!(d.json["app"]["phone_calls_enabled"], false);
}
