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
