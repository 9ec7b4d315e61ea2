//! The Verify client core (`VerifyClient`) against the in-process sandbox's Verify and Lookup
//! emulation, over real HTTP: services, pages, verifications, checks (a wrong code is never
//! OK), 20404 / 60202 / 60203, Lookup, credentials; and a hostile next_page_url.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use authy::{
    CheckOutcome, CheckTarget, ErrorKind, Params, TwilioForm, VerificationOptions,
    VerificationUpdate, VerifyClient,
};
use authy_sandbox::{Sandbox, SandboxConfig};

const AC: &str = "AC00000000000000000000000000000000";
const TOKEN: &str = "sandbox-auth-token-0123456789abcd";

fn start() -> (Sandbox, VerifyClient, authy::Client) {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let v = VerifyClient::builder(AC, TOKEN)
        .verify_base_url(sb.base_url())
        .lookups_base_url(sb.base_url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let authy = common::client(&sb);
    (sb, v, authy)
}

fn service(v: &VerifyClient, name: &str) -> String {
    let resp = v.create_service(name, &TwilioForm::new()).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.status(), 201);
    resp.pointer_string("/sid").unwrap()
}

/// The code the sandbox delivered to `to` (control API).
fn code(authy: &authy::Client, service_sid: &str, to: &str) -> String {
    let params = Params::new().with("To", to).with("ServiceSid", service_sid);
    let resp = common::control(authy, "GET", "/sandbox/verify/code", &params);
    resp.pointer_string("/code").unwrap()
}

/// A code of the same length that differs from `code` in its first digit.
fn wrong(code: &str) -> String {
    let first = if code.starts_with('1') { '2' } else { '1' };
    std::iter::once(first).chain(code.chars().skip(1)).collect()
}

#[test]
fn services_create_fetch_update_list_delete() {
    let (_sb, v, _) = start();
    let va = service(&v, "Acme Login");
    assert!(va.starts_with("VA") && va.len() == 34, "{va}");
    let fetched = v.fetch_service(&va).unwrap();
    assert!(fetched.ok());
    assert_eq!(
        fetched.pointer_string("/friendly_name").as_deref(),
        Some("Acme Login")
    );
    let mut opts = TwilioForm::new();
    opts.int("CodeLength", 8).unwrap();
    opts.boolean("LookupEnabled", true).unwrap();
    let updated = v.update_service(&va, &opts).unwrap();
    assert!(updated.ok(), "{}", updated.body());
    assert_eq!(updated.pointer_string("/code_length").as_deref(), Some("8"));
    assert_eq!(
        updated.pointer_string("/lookup_enabled").as_deref(),
        Some("true")
    );

    // Three services, one per page: three pages, each followed on the sandbox's own origin.
    service(&v, "Second");
    service(&v, "Third");
    let pages: Vec<_> = v
        .list_services(Some(1))
        .unwrap()
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(pages.len(), 3);
    let mut names = Vec::new();
    for p in &pages {
        assert!(p.ok());
        assert_eq!(p.page_records().len(), 1);
        names.push(
            p.page_records()[0]["friendly_name"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    names.sort();
    assert_eq!(names, ["Acme Login", "Second", "Third"]);
    let all: usize = v
        .list_services(None)
        .unwrap()
        .map(|p| p.unwrap().page_records().len())
        .sum();
    assert_eq!(all, 3);

    let deleted = v.delete_service(&va).unwrap();
    assert!(deleted.ok());
    assert_eq!(deleted.status(), 204);
    assert_eq!(deleted.body(), "");
    let gone = v.fetch_service(&va).unwrap();
    assert!(!gone.ok());
    let e = gone.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.api_code(), Some("20404"));
    assert_eq!(e.authy_code(), Some("20404"));
    assert_eq!(
        e.more_info(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
}

#[test]
fn a_wrong_code_is_never_ok_and_a_right_one_is() {
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    let to = "+15017122661";
    let created = v
        .create_verification(&va, to, "sms", &VerificationOptions::default())
        .unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(created.status(), 201);
    assert_eq!(
        created.pointer_string("/status").as_deref(),
        Some("pending")
    );
    let ve = created.pointer_string("/sid").unwrap();
    let right = code(&authy, &va, to);

    // Wrong: 200 `pending`, not OK, InvalidToken; check_code says WrongCode.
    let resp = v
        .check_verification(&va, CheckTarget::To(to), &wrong(&right), &TwilioForm::new())
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.pointer_string("/status").as_deref(), Some("pending"));
    assert!(!resp.ok());
    let e = resp.into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidToken);
    assert_eq!(e.http_status(), Some(200));
    assert_eq!(
        v.check_code(&va, CheckTarget::VerificationSid(&ve), &wrong(&right))
            .unwrap(),
        CheckOutcome::WrongCode
    );
    let fetched = v.fetch_verification(&va, &ve).unwrap();
    assert!(fetched.ok());
    assert_eq!(
        fetched.pointer_string("/status").as_deref(),
        Some("pending")
    );

    // Right: approved; then the verification is gone: 20404.
    assert_eq!(
        v.check_code(&va, CheckTarget::To(to), &right).unwrap(),
        CheckOutcome::Approved
    );
    assert_eq!(
        v.check_code(&va, CheckTarget::To(to), &right).unwrap(),
        CheckOutcome::NotPending
    );
    let e = v.fetch_verification(&va, &ve).unwrap().error().unwrap();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::NotFound, Some("20404"))
    );
}

#[test]
fn too_many_checks_is_60202_and_too_many_sends_60203() {
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    let to = "+15017122662";
    let o = VerificationOptions::default();
    assert!(v.create_verification(&va, to, "sms", &o).unwrap().ok());
    let bad = wrong(&code(&authy, &va, to));
    for _ in 0..5 {
        assert_eq!(
            v.check_code(&va, CheckTarget::To(to), &bad).unwrap(),
            CheckOutcome::WrongCode
        );
    }
    assert_eq!(
        v.check_code(&va, CheckTarget::To(to), &bad).unwrap(),
        CheckOutcome::TooManyAttempts
    );

    let to = "+15017122663";
    for _ in 0..5 {
        assert!(v.create_verification(&va, to, "sms", &o).unwrap().ok());
    }
    let e = v
        .create_verification(&va, to, "sms", &o)
        .unwrap()
        .error()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!((e.http_status(), e.api_code()), (Some(429), Some("60203")));
    // Canceling the pending verification lets a new one go out.
    let list = common::control(
        &authy,
        "GET",
        "/sandbox/verify/code",
        &Params::new().with("To", to).with("ServiceSid", va.as_str()),
    );
    let ve = list.pointer_string("/verification_sid").unwrap();
    let canceled = v
        .update_verification(&va, &ve, VerificationUpdate::Canceled)
        .unwrap();
    assert!(canceled.ok(), "{}", canceled.body());
    assert_eq!(
        canceled.pointer_string("/status").as_deref(),
        Some("canceled")
    );
}

#[test]
fn options_travel_in_the_twilio_form() {
    let (_sb, v, authy) = start();
    let mut opts = TwilioForm::new();
    opts.boolean("CustomCodeEnabled", true).unwrap();
    let va = v
        .create_service("Acme", &opts)
        .unwrap()
        .pointer_string("/sid")
        .unwrap();
    let o = VerificationOptions {
        custom_code: Some("867530".into()),
        locale: Some("pt-BR".into()),
        rate_limits: Some(serde_json::json!({"my_key": "abc"})),
        ..Default::default()
    };
    let created = v
        .create_verification(&va, "+15017122664", "sms", &o)
        .unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(code(&authy, &va, "+15017122664"), "867530");
    assert_eq!(
        v.check_code(&va, CheckTarget::To("+15017122664"), "867530")
            .unwrap(),
        CheckOutcome::Approved
    );
}

#[test]
fn lookup_keeps_the_plus_in_the_path() {
    let (_sb, v, authy) = start();
    let resp = v
        .lookup_phone_number("+14159929960", &["line_type_intelligence"], None)
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(
        resp.pointer_string("/phone_number").as_deref(),
        Some("+14159929960")
    );
    assert_eq!(resp.pointer_string("/valid").as_deref(), Some("true"));
    assert!(
        resp.pointer("/line_type_intelligence/type").is_some(),
        "{}",
        resp.body()
    );
    let counts = common::control(&authy, "GET", "/sandbox/requests", &Params::new());
    assert_eq!(
        counts.pointer_string("/requests/GET ~1v2~1PhoneNumbers~1{PhoneNumber}"),
        Some("1".to_string()),
        "{}",
        counts.body()
    );
}

#[test]
fn refused_credentials_are_20003_and_never_echoed() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let v = VerifyClient::builder(AC, "not-the-token-SECRET")
        .verify_base_url(sb.base_url())
        .build()
        .unwrap();
    let resp = v
        .fetch_service("VA00000000000000000000000000000000")
        .unwrap();
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!((e.http_status(), e.api_code()), (Some(401), Some("20003")));
    assert!(!format!("{e:?} {v:?}").contains("SECRET"));
}

#[test]
fn an_api_key_authenticates_as_the_account() {
    const SK: &str = "SK0123456789abcdef0123456789abcdef";
    let sb = Sandbox::start(SandboxConfig {
        api_keys: vec![(SK.to_string(), "key-secret-XYZ".to_string())],
        ..SandboxConfig::default()
    })
    .unwrap();
    let with_key = |secret: &str| {
        VerifyClient::builder_with_api_key(SK, secret, AC)
            .verify_base_url(sb.base_url())
            .build()
            .unwrap()
    };
    let v = with_key("key-secret-XYZ");
    let created = v.create_service("Keyed", &TwilioForm::new()).unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(created.pointer_string("/account_sid").as_deref(), Some(AC));
    let e = with_key("wrong-secret-XYZ")
        .fetch_service(&created.pointer_string("/sid").unwrap())
        .unwrap()
        .error()
        .unwrap();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::Unauthorized, Some("20003"))
    );
    assert!(!format!("{e:?} {v:?}").contains("XYZ"));
}

/// A server that answers every request with a list page whose next_page_url points elsewhere,
/// and a second server that counts connections: the client must not go there.
#[test]
fn next_page_url_on_another_origin_is_not_followed() {
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    let other = format!("http://{}", elsewhere.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&hits);
    elsewhere.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        for _ in 0..40 {
            if elsewhere.accept().is_ok() {
                h.fetch_add(1, Ordering::SeqCst);
            }
            thread::sleep(Duration::from_millis(25));
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim_end().is_empty() {
                break;
            }
            request.push(line.trim_end().to_string());
        }
        let body = format!(
            r#"{{"services":[],"meta":{{"key":"services","next_page_url":"{other}/v2/Services?Page=1"}}}}"#
        );
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        tx.send(request).unwrap();
    });
    let v = VerifyClient::builder(AC, TOKEN)
        .verify_base_url(&base)
        .build()
        .unwrap();
    let mut pages = v.list_services(Some(50)).unwrap();
    let first = pages.next().unwrap().unwrap();
    assert!(first.ok());
    let request = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(request[0], "GET /v2/Services?PageSize=50 HTTP/1.1");
    assert!(
        request
            .iter()
            .any(|h| h.starts_with("authorization: Basic ")
                || h.starts_with("Authorization: Basic ")),
        "{request:?}"
    );
    let e = pages.next().unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("origin"), "{e}");
    assert!(pages.next().is_none());
    thread::sleep(Duration::from_millis(200));
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

// ---------------------------------------------------------------------- entities, factors,
// challenges

/// RFC 6238 (SHA-1, 30 s, 6 digits) from a Base32 secret, computed here independently of the
/// sandbox (RFC 4648 Base32, RFC 4226 dynamic truncation).
fn totp(secret_b32: &str, unix: i64) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut bits = 0u64;
    let mut n = 0;
    let mut key = Vec::new();
    for c in secret_b32.trim_end_matches('=').chars() {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            other => panic!("not Base32: {other:?}"),
        };
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            key.push((bits >> (n - 8)) as u8);
            n -= 8;
        }
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&((unix / 30) as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0xf) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    format!("{:06}", bin % 1_000_000)
}

/// The sandbox's view of a TOTP factor now: its current code and clock.
fn factor_code(authy: &authy::Client, va: &str, identity: &str, yf: &str) -> (String, i64) {
    let path = format!("/sandbox/verify/Services/{va}/Entities/{identity}/Factors/{yf}/Code");
    let resp = common::control(authy, "GET", &path, &Params::new());
    let now = resp
        .pointer("/now")
        .and_then(serde_json::Value::as_i64)
        .unwrap();
    (resp.pointer_string("/code").unwrap(), now)
}

const IDENTITY: &str = "ff483d1f-f591-898a-9942-916050d2ca3f";

/// The sandbox's clock (Unix seconds), read from a throw-away TOTP factor's code route.
fn sandbox_now(authy: &authy::Client) -> i64 {
    let v = VerifyClient::builder(AC, TOKEN)
        .verify_base_url(authy.base_url())
        .build()
        .unwrap();
    let va = service(&v, "clock");
    let f = v
        .create_factor(&va, "clock-reader", "clock", "totp", &TwilioForm::new())
        .unwrap();
    factor_code(
        authy,
        &va,
        "clock-reader",
        &f.pointer_string("/sid").unwrap(),
    )
    .1
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (days to civil date: H. Hinnant's algorithm).
fn iso8601(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
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
fn entities_create_fetch_list_delete() {
    let (_sb, v, _) = start();
    let va = service(&v, "Acme");
    let created = v.create_entity(&va, IDENTITY).unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(
        created.pointer_string("/identity").as_deref(),
        Some(IDENTITY)
    );
    assert!(created.pointer_string("/sid").unwrap().starts_with("YE"));
    let fetched = v.fetch_entity(&va, IDENTITY).unwrap();
    assert!(fetched.ok());
    let other = "0d7a5b6e-1111-2222-3333-444455556666";
    assert!(v.create_entity(&va, other).unwrap().ok());
    let pages: Vec<_> = v
        .list_entities(&va, Some(1))
        .unwrap()
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.page_records().len() == 1));
    let deleted = v.delete_entity(&va, IDENTITY).unwrap();
    assert_eq!(deleted.status(), 204);
    let e = v.fetch_entity(&va, IDENTITY).unwrap().error().unwrap();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::NotFound, Some("20404"))
    );
    // Validation before I/O: an empty identity or a control character is not sent.
    for bad in ["", "a\nb", &"x".repeat(65)] {
        assert_eq!(
            v.create_entity(&va, bad).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }
}

#[test]
fn totp_factor_enrol_verify_and_challenge() {
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    let created = v
        .create_factor(&va, IDENTITY, "Alice's phone", "totp", &TwilioForm::new())
        .unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(created.status(), 201);
    assert_eq!(
        created.pointer_string("/status").as_deref(),
        Some("unverified")
    );
    let yf = created.pointer_string("/sid").unwrap();
    let secret = created.pointer_string("/binding/secret").unwrap();
    assert!(
        created
            .pointer_string("/binding/uri")
            .unwrap()
            .starts_with("otpauth://totp/")
    );

    // The code computed here from the secret is the sandbox's.
    let (sandbox_code, now) = factor_code(&authy, &va, IDENTITY, &yf);
    assert_eq!(totp(&secret, now), sandbox_code);

    // A wrong code: 200 `unverified`, never OK, InvalidToken.
    let resp = v
        .verify_factor(&va, IDENTITY, &yf, &wrong(&sandbox_code))
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(!resp.ok());
    assert_eq!(
        resp.pointer_string("/status").as_deref(),
        Some("unverified")
    );
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::InvalidToken);
    assert!(resp.clone().into_result().is_err());
    // A challenge needs a verified factor (403 60318).
    let early = v
        .create_challenge(&va, IDENTITY, &yf, &authy::ChallengeOptions::default())
        .unwrap();
    assert_eq!(
        early.error().unwrap().api_code(),
        Some("60318"),
        "{}",
        early.body()
    );

    // The right code: `verified`, OK.
    let (code_now, now) = factor_code(&authy, &va, IDENTITY, &yf);
    let resp = v
        .verify_factor(&va, IDENTITY, &yf, &totp(&secret, now))
        .unwrap();
    assert!(resp.ok(), "{} (sandbox code {code_now})", resp.body());
    assert_eq!(resp.pointer_string("/status").as_deref(), Some("verified"));
    let fetched = v.fetch_factor(&va, IDENTITY, &yf).unwrap();
    assert!(fetched.ok());
    assert_eq!(
        fetched.pointer("/binding"),
        None,
        "the secret is shown only once"
    );

    // Renaming is a plain update; an AuthPayload there is refused before I/O.
    let mut rename = TwilioForm::new();
    rename.text("FriendlyName", "Work phone").unwrap();
    let renamed = v.update_factor(&va, IDENTITY, &yf, &rename).unwrap();
    assert!(renamed.ok());
    assert_eq!(
        renamed.pointer_string("/friendly_name").as_deref(),
        Some("Work phone")
    );
    // The sandbox (like names in any case) reads `AUTHPAYLOAD` as `AuthPayload`: a wrong code
    // sent that way would be a 2xx `unverified`/`pending` answer under the plain 2xx rule.
    for name in ["AuthPayload", "AUTHPAYLOAD", "Authpayload"] {
        let mut sneaky = TwilioForm::new();
        sneaky.text(name, "123456").unwrap();
        assert_eq!(
            v.update_factor(&va, IDENTITY, &yf, &sneaky)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument,
            "{name}"
        );
        let mut extra = TwilioForm::new();
        extra.text(name, "123456").unwrap();
        let in_extra = authy::ChallengeOptions {
            extra,
            ..Default::default()
        };
        assert_eq!(
            v.create_challenge(&va, IDENTITY, &yf, &in_extra)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument,
            "{name}"
        );
    }

    // Login: a challenge with a wrong code is `pending` and not OK; with the right one
    // `approved` and OK.
    let (code_now, now) = factor_code(&authy, &va, IDENTITY, &yf);
    let with = |code: &str| authy::ChallengeOptions {
        auth_payload: Some(code.to_string()),
        ..Default::default()
    };
    let bad = v
        .create_challenge(&va, IDENTITY, &yf, &with(&wrong(&code_now)))
        .unwrap();
    assert!(!bad.ok());
    assert_eq!(bad.pointer_string("/status").as_deref(), Some("pending"));
    assert_eq!(bad.error().unwrap().kind(), ErrorKind::InvalidToken);
    let yc = bad.pointer_string("/sid").unwrap();
    // The pending one answered with the right code through update_challenge.
    let wrong_again = v
        .update_challenge(&va, IDENTITY, &yc, &wrong(&code_now), &TwilioForm::new())
        .unwrap();
    assert!(!wrong_again.ok());
    assert_eq!(wrong_again.error().unwrap().kind(), ErrorKind::InvalidToken);
    let right = v
        .update_challenge(&va, IDENTITY, &yc, &totp(&secret, now), &TwilioForm::new())
        .unwrap();
    assert!(right.ok(), "{}", right.body());
    assert_eq!(right.pointer_string("/status").as_deref(), Some("approved"));
    let again = v
        .update_challenge(&va, IDENTITY, &yc, &totp(&secret, now), &TwilioForm::new())
        .unwrap();
    assert_eq!(again.error().unwrap().api_code(), Some("60322"));
    let (_, now) = factor_code(&authy, &va, IDENTITY, &yf);
    let good = v
        .create_challenge(&va, IDENTITY, &yf, &with(&totp(&secret, now)))
        .unwrap();
    assert!(good.ok(), "{}", good.body());
    assert_eq!(good.pointer_string("/status").as_deref(), Some("approved"));

    // Lists: both challenges; filtered by status.
    let all: usize = v
        .list_challenges(&va, IDENTITY, &TwilioForm::new(), None)
        .unwrap()
        .map(|p| p.unwrap().page_records().len())
        .sum();
    assert_eq!(all, 2);
    let mut approved = TwilioForm::new();
    approved.text("Status", "approved").unwrap();
    approved.text("FactorSid", &yf).unwrap();
    let pages: Vec<_> = v
        .list_challenges(&va, IDENTITY, &approved, Some(1))
        .unwrap()
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(pages.len(), 2);
    let factors: usize = v
        .list_factors(&va, IDENTITY, None)
        .unwrap()
        .map(|p| p.unwrap().page_records().len())
        .sum();
    assert_eq!(factors, 1);
    assert_eq!(v.delete_factor(&va, IDENTITY, &yf).unwrap().status(), 204);
    let gone = v.fetch_challenge(&va, IDENTITY, &yc).unwrap();
    assert_eq!(gone.error().unwrap().kind(), ErrorKind::NotFound);
}

/// An Authy user's TOTP secret moved over with `Binding.Secret` (and its `Config.*`): codes
/// from that secret verify the new factor.
#[test]
fn migrated_totp_secret_and_config() {
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let mut opts = TwilioForm::new();
    opts.text("Binding.Secret", secret).unwrap();
    opts.text("Config.Alg", "sha1").unwrap();
    opts.int("Config.TimeStep", 30).unwrap();
    opts.int("Config.CodeLength", 6).unwrap();
    opts.int("Config.Skew", 1).unwrap();
    let created = v
        .create_factor(&va, IDENTITY, "Migrated from Authy", "totp", &opts)
        .unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(
        created.pointer_string("/binding/secret").as_deref(),
        Some(secret)
    );
    let yf = created.pointer_string("/sid").unwrap();
    let (code, now) = factor_code(&authy, &va, IDENTITY, &yf);
    assert_eq!(totp(secret, now), code);
    let resp = v.verify_factor(&va, IDENTITY, &yf, &code).unwrap();
    assert!(resp.ok(), "{}", resp.body());
}

#[test]
fn push_challenge_approved_by_the_device_then_fetched() {
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    // A push factor whose device key the sandbox holds (control route), verified.
    let path = format!("/sandbox/verify/Services/{va}/Entities/{IDENTITY}/PushFactors");
    // 201: the Authy client's control helper wants a 200, so the raw request is read here.
    let factor = authy
        .request(
            "POST",
            &path,
            &Params::new().with("FriendlyName", "Alice's iPhone"),
        )
        .unwrap();
    assert_eq!(factor.status(), 201, "{}", factor.body());
    assert_eq!(
        factor.pointer_string("/status").as_deref(),
        Some("verified")
    );
    let yf = factor.pointer_string("/sid").unwrap();
    let opts = authy::ChallengeOptions {
        details_message: Some("Log in to Acme?".into()),
        details_fields: vec![
            ("IP".into(), "203.0.113.7".into()),
            ("Location".into(), "Paris, France".into()),
        ],
        hidden_details: Some(serde_json::json!({"session": "s-42"})),
        expiration_date: Some("2099-01-01T00:00:00Z".into()),
        ..Default::default()
    };
    // An expiration more than an hour ahead is the API's to refuse.
    let far = v.create_challenge(&va, IDENTITY, &yf, &opts).unwrap();
    assert!(!far.ok());
    assert_eq!(far.error().unwrap().kind(), ErrorKind::InvalidParameters);
    // Ten minutes ahead on the sandbox's clock (the TOTP control route tells it).
    assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
    assert_eq!(iso8601(951_868_799), "2000-02-29T23:59:59Z");
    let expires = iso8601(sandbox_now(&authy) + 600);
    let opts = authy::ChallengeOptions {
        expiration_date: Some(expires.clone()),
        ..opts
    };
    let created = v.create_challenge(&va, IDENTITY, &yf, &opts).unwrap();
    assert!(created.ok(), "{}", created.body());
    assert_eq!(
        created.pointer_string("/expiration_date").as_deref(),
        Some(expires.as_str())
    );
    assert_eq!(
        created.pointer_string("/status").as_deref(),
        Some("pending")
    );
    assert_eq!(
        created.pointer_string("/details/message").as_deref(),
        Some("Log in to Acme?")
    );
    assert_eq!(
        created.pointer_string("/details/fields/1/value").as_deref(),
        Some("Paris, France")
    );
    assert_eq!(
        created.pointer_string("/hidden_details/session").as_deref(),
        Some("s-42")
    );
    let yc = created.pointer_string("/sid").unwrap();
    let pending = v.fetch_challenge(&va, IDENTITY, &yc).unwrap();
    assert_eq!(
        pending.pointer_string("/status").as_deref(),
        Some("pending")
    );

    let approve =
        format!("/sandbox/verify/Services/{va}/Entities/{IDENTITY}/Challenges/{yc}/Approve");
    let answered = common::control(&authy, "POST", &approve, &Params::new());
    assert_eq!(answered.pointer_string("/signed").as_deref(), Some("true"));
    let fetched = v.fetch_challenge(&va, IDENTITY, &yc).unwrap();
    assert!(fetched.ok());
    assert_eq!(
        fetched.pointer_string("/status").as_deref(),
        Some("approved")
    );
    assert!(fetched.pointer_string("/date_responded").is_some());
}

// ---------------------------------------------------------------------- webhooks, rate limits,
// attempts

/// One webhook request as it arrived: path, `X-Twilio-Signature`, body.
struct Hook {
    path: String,
    signature: String,
    body: Vec<u8>,
}

/// A receiver on 127.0.0.1 that answers 200 to every request and hands each one over.
fn receiver() -> (String, mpsc::Receiver<Hook>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/twilio/hook?tenant=a+b",
        listener.local_addr().unwrap()
    );
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split(' ').nth(1).unwrap_or("").to_string();
            let (mut signature, mut length) = (String::new(), 0usize);
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (name, value) = h.split_once(':').unwrap();
                match name.to_ascii_lowercase().as_str() {
                    "x-twilio-signature" => signature = value.trim().to_string(),
                    "content-length" => length = value.trim().parse().unwrap(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            std::io::Read::read_exact(&mut reader, &mut body).unwrap();
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            if tx
                .send(Hook {
                    path,
                    signature,
                    body,
                })
                .is_err()
            {
                return;
            }
        }
    });
    (url, rx)
}

/// Webhooks: created, fetched, updated, listed; the events Verify sends for a push factor
/// arrive signed, and `signature::twilio::verify` accepts exactly what was sent (with the
/// account's Auth Token and the URL as configured); then deleted.
#[test]
fn webhooks_deliver_signed_events_that_verify() {
    use authy::signature::{SignatureError, twilio};
    let (_sb, v, authy) = start();
    let va = service(&v, "Acme");
    let (url, hooks) = receiver();
    let created = v
        .create_webhook(
            &va,
            "events",
            &["factor.created", "factor.verified"],
            &url,
            &TwilioForm::new(),
        )
        .unwrap();
    assert!(created.ok(), "{}", created.body());
    let yw = created.pointer_string("/sid").unwrap();
    assert_eq!(
        created.pointer_string("/event_types/1").as_deref(),
        Some("factor.verified")
    );
    assert!(v.fetch_webhook(&va, &yw).unwrap().ok());
    let mut rename = TwilioForm::new();
    rename.text("FriendlyName", "push events").unwrap();
    let updated = v.update_webhook(&va, &yw, &rename).unwrap();
    assert_eq!(
        updated.pointer_string("/friendly_name").as_deref(),
        Some("push events")
    );
    let listed: usize = v
        .list_webhooks(&va, None)
        .unwrap()
        .map(|p| p.unwrap().page_records().len())
        .sum();
    assert_eq!(listed, 1);
    assert_eq!(
        v.create_webhook(&va, "x", &[], &url, &TwilioForm::new())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );

    let path = format!("/sandbox/verify/Services/{va}/Entities/{IDENTITY}/PushFactors");
    let factor = authy
        .request("POST", &path, &Params::new().with("FriendlyName", "Phone"))
        .unwrap();
    assert_eq!(factor.status(), 201);
    let mut types = Vec::new();
    for _ in 0..2 {
        let hook = hooks
            .recv_timeout(Duration::from_secs(10))
            .expect("a webhook");
        assert!(url.ends_with(&hook.path), "{} {url}", hook.path);
        assert_eq!(
            twilio::verify(TOKEN, &url, &hook.body, &hook.signature),
            Ok(())
        );
        let params: Vec<(String, String)> =
            form_urlencoded::parse(&hook.body).into_owned().collect();
        assert_eq!(
            twilio::verify_params(TOKEN, &url, &params, &hook.signature),
            Ok(())
        );
        // Another token, another URL, a changed body: refused.
        assert_eq!(
            twilio::verify("another-token", &url, &hook.body, &hook.signature),
            Err(SignatureError::Mismatch)
        );
        assert!(twilio::verify(TOKEN, &format!("{url}&x=1"), &hook.body, &hook.signature).is_err());
        let mut tampered = hook.body.clone();
        tampered.extend_from_slice(b"&status=denied");
        assert!(twilio::verify(TOKEN, &url, &tampered, &hook.signature).is_err());
        types.push(
            params
                .iter()
                .find(|(k, _)| k == "type")
                .map(|(_, v)| v.clone())
                .unwrap(),
        );
    }
    types.sort();
    assert_eq!(types, ["factor.created", "factor.verified"]);

    let deleted = v.delete_webhook(&va, &yw).unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        v.fetch_webhook(&va, &yw).unwrap().error().unwrap().kind(),
        ErrorKind::NotFound
    );
}

/// A Service Rate Limit with one Bucket (1 per minute) refuses the second verification for the
/// same value (429 20429); Attempts list the sends, one by SID, with a summary.
#[test]
fn rate_limits_buckets_and_attempts() {
    let (_sb, v, _) = start();
    let va = service(&v, "Acme");
    let mut desc = TwilioForm::new();
    desc.text("Description", "per end-user IP").unwrap();
    let rl = v.create_rate_limit(&va, "end_user_ip", &desc).unwrap();
    assert!(rl.ok(), "{}", rl.body());
    let rk = rl.pointer_string("/sid").unwrap();
    assert!(v.fetch_rate_limit(&va, &rk).unwrap().ok());
    let mut desc2 = TwilioForm::new();
    desc2.text("Description", "IP").unwrap();
    assert_eq!(
        v.update_rate_limit(&va, &rk, &desc2)
            .unwrap()
            .pointer_string("/description")
            .as_deref(),
        Some("IP")
    );
    let taken = v
        .create_rate_limit(&va, "end_user_ip", &TwilioForm::new())
        .unwrap();
    assert_eq!(taken.error().unwrap().api_code(), Some("60208"));
    let bucket = v.create_bucket(&va, &rk, 1, 60).unwrap();
    assert!(bucket.ok(), "{}", bucket.body());
    let bl = bucket.pointer_string("/sid").unwrap();
    assert!(v.fetch_bucket(&va, &rk, &bl).unwrap().ok());
    let count = |p: authy::Pages| -> usize { p.map(|p| p.unwrap().page_records().len()).sum() };
    assert_eq!(count(v.list_rate_limits(&va, None).unwrap()), 1);
    assert_eq!(count(v.list_buckets(&va, &rk, None).unwrap()), 1);

    let limited = VerificationOptions {
        rate_limits: Some(serde_json::json!({"end_user_ip": "203.0.113.7"})),
        ..Default::default()
    };
    let first = v
        .create_verification(&va, "+15017122661", "sms", &limited)
        .unwrap();
    assert!(first.ok(), "{}", first.body());
    let second = v
        .create_verification(&va, "+15017122662", "sms", &limited)
        .unwrap();
    let e = second.error().unwrap();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::RateLimited, Some("20429"))
    );
    // Two a minute: the next one goes.
    let mut two = TwilioForm::new();
    two.int("Max", 2).unwrap();
    assert!(v.update_bucket(&va, &rk, &bl, &two).unwrap().ok());
    assert!(
        v.create_verification(&va, "+15017122663", "sms", &limited)
            .unwrap()
            .ok()
    );

    // Attempts: the two sends (the refused one is not an attempt).
    let mut filters = TwilioForm::new();
    filters.text("VerifyServiceSid", &va).unwrap();
    let pages: Vec<_> = v
        .list_attempts(&filters, Some(1))
        .unwrap()
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(
        pages.len(),
        2,
        "{:?}",
        pages
            .iter()
            .map(|p| p.body().to_string())
            .collect::<Vec<_>>()
    );
    let vl = pages[0].page_records()[0]["sid"]
        .as_str()
        .unwrap()
        .to_string();
    let attempt = v.fetch_attempt(&vl).unwrap();
    assert!(attempt.ok());
    assert_eq!(
        attempt.pointer_string("/service_sid").as_deref(),
        Some(va.as_str())
    );
    let summary = v.attempts_summary(&filters).unwrap();
    assert!(summary.ok(), "{}", summary.body());
    assert_eq!(
        summary.pointer_string("/total_attempts").as_deref(),
        Some("2")
    );
    assert_eq!(
        v.fetch_attempt("VL123").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );

    assert_eq!(v.delete_bucket(&va, &rk, &bl).unwrap().status(), 204);
    assert_eq!(v.delete_rate_limit(&va, &rk).unwrap().status(), 204);
    assert_eq!(count(v.list_rate_limits(&va, None).unwrap()), 0);
}
