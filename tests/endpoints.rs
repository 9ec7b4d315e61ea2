//! Every endpoint of the Rust core against the in-process sandbox, over real HTTP:
//! success and error paths.

mod common;

use std::time::{Duration, Instant};

use authy::{
    ActivityOptions, ApprovalRequestOptions, ApprovalStatus, CallOptions, Client,
    CreateUserOptions, ErrorKind, Logo, Params, PhoneVerificationOptions, QrCodeOptions,
    SmsOptions, VerificationLookup, VerifyOptions, Via, WaitOptions, WaitStatus,
};
use common::{control, create_user, last_code, start, total_requests, wrong_token};

// ---------------------------------------------------------------- users

#[test]
fn create_user_is_idempotent_and_status_masks_the_phone() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-123-4567");
    assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
    let again = c
        .create_user(
            "other@example.com",
            "555.123.4567",
            &CreateUserOptions {
                country_code: Some("1".into()),
                send_install_link_via_sms: Some(false),
            },
        )
        .unwrap();
    assert!(again.ok());
    assert_eq!(again.user_id().as_deref(), Some(id.as_str()));
    assert_eq!(again.message(), Some("User created successfully."));

    let status = c.user_status(&id).unwrap();
    assert!(status.ok(), "{}", status.body());
    assert!(status.success());
    assert_eq!(status.user_id().as_deref(), Some(id.as_str()));
    assert_eq!(status.phone_number(), Some("XXX-XXX-4567"));
    assert_eq!(status.confirmed(), Some(false));
    assert_eq!(status.registered(), Some(false));
    assert!(status.devices().is_empty());
    assert_eq!(status.message(), Some("User status."));
    // The answer's headers come along, names in lower case.
    let content_type = status.headers().iter().find(|(n, _)| n == "content-type");
    assert!(
        content_type.is_some_and(|(_, v)| v.starts_with("application/json")),
        "{:?}",
        status.headers()
    );
}

#[test]
fn unknown_user_is_not_found_60026() {
    let (_sb, c) = start();
    let resp = c.user_status("999999").unwrap();
    assert!(!resp.ok());
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.error_code().as_deref(), Some("60026"));
    let e = resp.into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.authy_code(), Some("60026"));
    assert_eq!(e.message(), "User not found.");
    for resp in [
        c.delete_user("999999").unwrap(),
        c.request_sms("999999", &SmsOptions::default()).unwrap(),
        c.request_call("999999", &CallOptions::default()).unwrap(),
        c.update_user_email("999999", "a@example.com").unwrap(),
        c.request_email("999999").unwrap(),
        c.register_activity("999999", "banned", &ActivityOptions::default())
            .unwrap(),
        c.generate_qr_code("999999", &QrCodeOptions::default())
            .unwrap(),
        c.create_approval_request("999999", "Log in?", &Default::default())
            .unwrap(),
    ] {
        assert_eq!(resp.status(), 404, "{}", resp.body());
        assert_eq!(resp.error_code().as_deref(), Some("60026"));
        assert_eq!(resp.error().unwrap().kind(), ErrorKind::NotFound);
    }
}

#[test]
fn delete_user_removes_it() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-000-1111");
    let resp = c.delete_user(&id).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.message(), Some("User removed from application"));
    let status = c.user_status(&id).unwrap();
    assert_eq!(status.status(), 404);
}

#[test]
fn update_email_and_email_token() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-000-2222");
    let resp = c.update_user_email(&id, "new.address@example.org").unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let status = c.user_status(&id).unwrap();
    assert_eq!(
        status.pointer_string("/status/email").as_deref(),
        Some("new.address@example.org")
    );

    let resp = c.request_email(&id).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(
        resp.pointer_string("/email").as_deref(),
        Some("new.address@example.org")
    );
    let code = last_code(&c, &id);
    let via = control(
        &c,
        "GET",
        &format!("/sandbox/users/{id}/last_code"),
        &Params::new(),
    );
    assert_eq!(via.pointer_string("/via").as_deref(), Some("email"));
    let verified = c
        .verify_token(&id, &code, &VerifyOptions::default())
        .unwrap();
    assert!(verified.ok(), "{}", verified.body());
}

#[test]
fn register_activity() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-000-3333");
    let resp = c
        .register_activity(
            &id,
            "password_reset",
            &ActivityOptions {
                user_ip: Some("192.0.2.7".into()),
                data: vec![("reason".into(), "forgot it".into())],
            },
        )
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.message(), Some("Activity was created."));
    // An activity type the API does not know is the API's to refuse (issue 13).
    let resp = c
        .register_activity(&id, "hacked", &ActivityOptions::default())
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.error_code().as_deref(), Some("60029"));
}

#[test]
fn generate_qr_code() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-000-4444");
    let resp = c.generate_qr_code(&id, &QrCodeOptions::default()).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(resp.qr_code().unwrap().starts_with("https://"));
    let resp = c
        .generate_qr_code(
            &id,
            &QrCodeOptions {
                qr_size: Some(200),
                label: Some("Acme Bank".into()),
            },
        )
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let qr = resp.qr_code().unwrap();
    assert!(qr.contains("size=200"), "{qr}");
    assert_eq!(resp.pointer_string("/label").as_deref(), Some("Acme Bank"));
}

#[test]
fn registration_status() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-000-5555");
    let resp = c.registration_status(&id).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(
        resp.pointer_string("/registration/status").as_deref(),
        Some("pending")
    );
    let resp = c.registration_status("424242").unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::NotFound);
}

// ---------------------------------------------------------------- tokens

#[test]
fn sms_code_verifies_and_wrong_token_is_401_60020() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-100-2034");
    let resp = c.request_sms(&id, &SmsOptions::default()).unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(!resp.ignored());
    assert_eq!(resp.cellphone(), Some("+1-XXX-XXX-XX34"));
    assert_eq!(resp.message(), Some("SMS token was sent"));
    let code = last_code(&c, &id);

    let wrong = wrong_token(&code);
    let resp = c
        .verify_token(&id, wrong, &VerifyOptions::default())
        .unwrap();
    assert!(!resp.ok());
    assert!(resp.is_token_check());
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.pointer_string("/token").as_deref(), Some("is invalid"));
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidToken);
    assert_eq!(e.authy_code(), Some("60020"));
    assert_eq!(e.message(), "Token is invalid");

    let resp = c
        .verify_token(&id, &code, &VerifyOptions::default())
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(resp.success(), "success is the string \"true\" here");
    assert_eq!(resp.message(), Some("Token is valid."));
    assert!(resp.body().contains(r#""token":"is valid""#));
    // A verified user is confirmed.
    assert_eq!(c.user_status(&id).unwrap().confirmed(), Some(true));
}

#[test]
fn verify_for_unknown_user_is_refused() {
    let (_sb, c) = start();
    let resp = c
        .verify_token("987654", "1234567", &VerifyOptions::default())
        .unwrap();
    assert!(!resp.ok());
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.error_code().as_deref(), Some("60016"));
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::Unauthorized);
}

#[test]
fn call_code_with_custom_action() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-100-9999");
    let resp = c
        .request_call(
            &id,
            &CallOptions {
                force: true,
                action: Some("transfer-42".into()),
                action_message: Some("Confirm transfer of 100 EUR".into()),
            },
        )
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.message(), Some("Call started..."));
    let code = last_code(&c, &id);
    // Without the action the code does not verify; with it, it does.
    let resp = c
        .verify_token(&id, &code, &VerifyOptions::default())
        .unwrap();
    assert_eq!(resp.status(), 401);
    let opts = VerifyOptions {
        action: Some("transfer-42".into()),
        ..VerifyOptions::default()
    };
    let resp = c.verify_token(&id, &code, &opts).unwrap();
    assert!(resp.ok(), "{}", resp.body());
}

#[test]
fn sms_is_ignored_for_app_users_unless_forced_and_app_token_verifies() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-100-7788");
    let _ = control(
        &c,
        "POST",
        &format!("/sandbox/users/{id}/devices"),
        &Params::new().with("device", "iphone"),
    );
    let status = c.user_status(&id).unwrap();
    assert_eq!(status.registered(), Some(true));
    assert_eq!(status.devices(), vec!["iphone"]);

    let resp = c
        .request_sms(
            &id,
            &SmsOptions {
                locale: Some("pt-BR".into()),
                ..SmsOptions::default()
            },
        )
        .unwrap();
    assert!(resp.ok());
    assert!(resp.ignored(), "{}", resp.body());
    assert_eq!(resp.pointer_string("/device").as_deref(), Some("iphone"));
    let resp = c.request_call(&id, &CallOptions::default()).unwrap();
    assert!(resp.ignored(), "{}", resp.body());

    let resp = c
        .request_sms(
            &id,
            &SmsOptions {
                force: true,
                ..SmsOptions::default()
            },
        )
        .unwrap();
    assert!(resp.ok());
    assert!(!resp.ignored(), "{}", resp.body());

    let app = control(
        &c,
        "GET",
        &format!("/sandbox/users/{id}/app_token"),
        &Params::new(),
    );
    let token = app.pointer_string("/token").unwrap();
    let resp = c
        .verify_token(&id, &token, &VerifyOptions::default())
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());

    // Without the app (DELETE through the generic request), SMS are sent again.
    let _ = control(
        &c,
        "DELETE",
        &format!("/sandbox/users/{id}/devices"),
        &Params::new(),
    );
    let resp = c.request_sms(&id, &SmsOptions::default()).unwrap();
    assert!(resp.ok());
    assert!(!resp.ignored(), "{}", resp.body());
}

#[test]
fn force_defaults_to_true_so_unconfirmed_users_cannot_pass_with_any_token() {
    // The legacy API accepts any well-formed token for a user who never confirmed,
    // unless force=true (authy-api.md §3.8). Our default sends force=true.
    let sb = authy_sandbox::Sandbox::start(authy_sandbox::SandboxConfig {
        legacy_unconfirmed_accept_any: true,
        ..authy_sandbox::SandboxConfig::default()
    })
    .unwrap();
    let c = common::client(&sb);
    let id = create_user(&c, "555-100-4242");
    let resp = c
        .verify_token(&id, "1234567", &VerifyOptions::default())
        .unwrap();
    assert_eq!(resp.status(), 401, "{}", resp.body());
    assert!(!resp.ok());
    let unforced = VerifyOptions {
        force: false,
        action: None,
    };
    let resp = c.verify_token(&id, "1234567", &unforced).unwrap();
    assert!(resp.ok(), "legacy behaviour without force: {}", resp.body());
}

// ---------------------------------------------------------------- phones

#[test]
fn phone_verification_start_check_status() {
    let (_sb, c) = start();
    let opts = PhoneVerificationOptions {
        code_length: Some(6),
        locale: Some("en".into()),
        custom_message: Some("Your Acme code is {{code}}".into()),
        ..PhoneVerificationOptions::default()
    };
    let resp = c
        .start_phone_verification("1", "201-555-0123", &opts)
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let uuid = resp.verification_uuid().unwrap().to_string();
    let ttl = resp.seconds_to_expire().unwrap();
    assert!((1..=600).contains(&ttl), "{ttl}");

    let handset = control(
        &c,
        "GET",
        "/sandbox/phones/last_code",
        &Params::new()
            .with("country_code", "1")
            .with("phone_number", "2015550123"),
    );
    let code = handset.pointer_string("/code").unwrap();
    assert_eq!(code.len(), 6);
    assert_eq!(
        handset.pointer_string("/uuid").as_deref(),
        Some(uuid.as_str())
    );

    let status = c
        .phone_verification_status(VerificationLookup::Uuid(&uuid))
        .unwrap();
    assert!(status.ok(), "{}", status.body());
    assert_eq!(status.verification_status(), Some("pending"));

    let wrong = if code == "111111" { "222222" } else { "111111" };
    let resp = c
        .check_phone_verification("1", "201-555-0123", wrong)
        .unwrap();
    assert_eq!(resp.status(), 401);
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.authy_code(), Some("60022"));

    let resp = c
        .check_phone_verification("1", "201-555-0123", &code)
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.message(), Some("Verification code is correct."));

    let status = c
        .phone_verification_status(VerificationLookup::Phone {
            country_code: "1",
            phone_number: "2015550123",
        })
        .unwrap();
    assert_eq!(status.verification_status(), Some("verified"));

    // Nothing pending any more.
    let resp = c
        .check_phone_verification("1", "201-555-0123", &code)
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.error_code().as_deref(), Some("60023"));
}

#[test]
fn phone_verification_by_call_and_errors() {
    let (_sb, c) = start();
    let resp = c
        .start_phone_verification(
            "44",
            "7700 900123",
            &PhoneVerificationOptions {
                via: Via::Call,
                ..PhoneVerificationOptions::default()
            },
        )
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(
        resp.message().unwrap().starts_with("Call to"),
        "{}",
        resp.body()
    );

    let resp = c
        .phone_verification_status(VerificationLookup::Uuid("no-such-uuid"))
        .unwrap();
    assert_eq!(resp.status(), 404);

    // The sandbox application does not allow custom codes: 403 60021.
    let resp = c
        .start_phone_verification(
            "1",
            "201-555-0199",
            &PhoneVerificationOptions {
                custom_code: Some("987654".into()),
                ..PhoneVerificationOptions::default()
            },
        )
        .unwrap();
    assert_eq!(resp.status(), 403, "{}", resp.body());
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::ApiError);
    assert_eq!(e.authy_code(), Some("60021"));

    let e = c
        .start_phone_verification(
            "1",
            "201-555-0199",
            &PhoneVerificationOptions {
                code_length: Some(11),
                ..PhoneVerificationOptions::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn phone_info() {
    let (_sb, c) = start();
    let resp = c.phone_info("1", "201-555-0123").unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let kind = resp.pointer_string("/type").unwrap();
    assert!(
        ["cellphone", "landline", "voip", "unknown"].contains(&kind.as_str()),
        "{kind}"
    );
    assert!(
        resp.message()
            .unwrap()
            .starts_with("Phone number information as of ")
    );
}

// ---------------------------------------------------------------- app

#[test]
fn app_details_and_stats() {
    let (_sb, c) = start();
    let resp = c.app_details().unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(resp.pointer_string("/app/name").is_some());
    assert_eq!(resp.message(), Some("Application information."));

    let id = create_user(&c, "555-200-3000");
    assert!(c.request_sms(&id, &SmsOptions::default()).unwrap().ok());
    let resp = c.app_stats().unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert_eq!(resp.message(), Some("Monthly statistics."));
    let month = resp.pointer("/stats/0").unwrap();
    assert!(month["sms_count"].as_u64().unwrap() >= 1);
    assert!(month["users_count"].as_u64().unwrap() >= 1);
}

#[test]
fn generic_request_reaches_unwrapped_endpoints() {
    let (_sb, c) = start();
    let resp = c
        .request("get", "/protected/json/app/details", &Params::new())
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let resp = c
        .request("GET", "/protected/json/no/such/route", &Params::new())
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.error().unwrap().kind(), ErrorKind::NotFound);
}

// ---------------------------------------------------------------- OneTouch

fn approval_options() -> ApprovalRequestOptions {
    ApprovalRequestOptions {
        details: vec![
            ("Username".into(), "alice".into()),
            ("Location".into(), "Paris, FR".into()),
        ],
        hidden_details: vec![("ip".into(), "192.0.2.1".into())],
        logos: vec![
            Logo::new("default", "https://example.com/logo.png"),
            Logo::new("low", "https://example.com/logo-low.png"),
        ],
        seconds_to_expire: Some(120),
    }
}

fn quick_wait() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(50),
        timeout: Duration::from_secs(2),
    }
}

#[test]
fn a_wait_interval_under_10_ms_is_refused_before_any_request() {
    let (_sb, c) = common::start();
    let before = common::total_requests(&c);
    for ms in [0, 1, 9] {
        let opts = WaitOptions {
            interval: Duration::from_millis(ms),
            timeout: Duration::from_secs(1),
        };
        let e = c
            .wait_for_approval("0a3c1a0a-0000-4000-8000-000000000000", &opts)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{ms} ms");
    }
    assert_eq!(common::total_requests(&c), before, "nothing was sent");
    // 10 ms is accepted (the unknown uuid then answers 404).
    let opts = WaitOptions {
        interval: authy::MIN_WAIT_INTERVAL,
        timeout: Duration::from_secs(1),
    };
    let e = c
        .wait_for_approval("0a3c1a0a-0000-4000-8000-000000000000", &opts)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn onetouch_approve_then_wait_returns_approved() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-300-1000");
    let resp = c
        .create_approval_request(&id, "Log in to Acme?", &approval_options())
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let uuid = resp.approval_uuid().unwrap().to_string();

    let status = c.approval_request_status(&uuid).unwrap();
    assert!(status.ok(), "{}", status.body());
    assert_eq!(status.approval_status(), Some(ApprovalStatus::Pending));
    assert_eq!(status.seconds_to_expire(), Some(120));

    let decided = control(
        &c,
        "POST",
        &format!("/sandbox/approval_requests/{uuid}/approve"),
        &Params::new(),
    );
    assert_eq!(
        decided.pointer_string("/status").as_deref(),
        Some("approved")
    );
    let outcome = c.wait_for_approval(&uuid, &quick_wait()).unwrap();
    assert_eq!(outcome.status, WaitStatus::Approved);
    assert_eq!(
        outcome.response.approval_status(),
        Some(ApprovalStatus::Approved)
    );
}

#[test]
fn onetouch_wait_sees_a_denial_made_while_polling() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-300-2000");
    let uuid = c
        .create_approval_request(&id, "Wire 5000 EUR?", &ApprovalRequestOptions::default())
        .unwrap()
        .approval_uuid()
        .unwrap()
        .to_string();
    let c2 = c.clone();
    let u2 = uuid.clone();
    let denier = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        let _ = control(
            &c2,
            "POST",
            &format!("/sandbox/approval_requests/{u2}/deny"),
            &Params::new(),
        );
    });
    let started = Instant::now();
    let outcome = c.wait_for_approval(&uuid, &quick_wait()).unwrap();
    denier.join().unwrap();
    assert_eq!(outcome.status, WaitStatus::Denied);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn onetouch_expiry_via_clock_advance() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-300-3000");
    let uuid = c
        .create_approval_request(&id, "Log in?", &approval_options())
        .unwrap()
        .approval_uuid()
        .unwrap()
        .to_string();
    let _ = control(
        &c,
        "POST",
        "/sandbox/clock/advance",
        &Params::new().with("seconds", "121"),
    );
    let outcome = c.wait_for_approval(&uuid, &quick_wait()).unwrap();
    assert_eq!(outcome.status, WaitStatus::Expired);
}

#[test]
fn onetouch_zero_seconds_to_expire_never_expires() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-300-5000");
    let opts = ApprovalRequestOptions {
        seconds_to_expire: Some(0),
        ..ApprovalRequestOptions::default()
    };
    let uuid = c
        .create_approval_request(&id, "Log in?", &opts)
        .unwrap()
        .approval_uuid()
        .unwrap()
        .to_string();
    let _ = control(
        &c,
        "POST",
        "/sandbox/clock/advance",
        &Params::new().with("seconds", "864000"),
    );
    let status = c.approval_request_status(&uuid).unwrap();
    assert_eq!(status.approval_status(), Some(ApprovalStatus::Pending));
}

#[test]
fn onetouch_wait_times_out_while_pending() {
    let (_sb, c) = start();
    let id = create_user(&c, "555-300-4000");
    let uuid = c
        .create_approval_request(&id, "Log in?", &ApprovalRequestOptions::default())
        .unwrap()
        .approval_uuid()
        .unwrap()
        .to_string();
    let started = Instant::now();
    let outcome = c
        .wait_for_approval(
            &uuid,
            &WaitOptions {
                interval: Duration::from_millis(50),
                timeout: Duration::from_millis(300),
            },
        )
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(outcome.status, WaitStatus::TimedOut);
    assert_eq!(
        outcome.response.approval_status(),
        Some(ApprovalStatus::Pending)
    );
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[test]
fn onetouch_unknown_uuid_is_60049() {
    let (_sb, c) = start();
    let uuid = "3f05a350-4b2c-0136-f779-12c0c2bf9eaa";
    let resp = c.approval_request_status(uuid).unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.error_code().as_deref(), Some("60049"));
    let e = c.wait_for_approval(uuid, &quick_wait()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.authy_code(), Some("60049"));
}

// ---------------------------------------------------------------- key and validation

#[test]
fn invalid_api_key_is_unauthorized_60001() {
    let sb = common::sandbox();
    let c = Client::builder("not-the-right-key")
        .base_url(sb.base_url().to_string())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let resp = c.app_details().unwrap();
    assert_eq!(resp.status(), 401);
    let e = resp.into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.authy_code(), Some("60001"));
    assert!(!e.message().contains("not-the-right-key"));
}

#[test]
fn invalid_arguments_never_reach_the_server() {
    // Only what cannot be sent safely, or what the API certainly refuses (then with its own
    // code and message), is refused locally (issue 13).
    let (_sb, c) = start();
    let before = total_requests(&c);
    let checks: Vec<authy::Error> = vec![
        c.verify_token("1", "12ab56", &VerifyOptions::default())
            .unwrap_err(),
        c.verify_token("1", "12345", &VerifyOptions::default())
            .unwrap_err(),
        c.verify_token("../1", "123456", &VerifyOptions::default())
            .unwrap_err(),
        c.user_status("..").unwrap_err(),
        c.request_sms("", &SmsOptions::default()).unwrap_err(),
        c.create_user("a@example.com", "555\x00123", &CreateUserOptions::default())
            .unwrap_err(),
        c.request_sms(
            "1",
            &SmsOptions {
                action: Some("log\r\nin".into()),
                ..SmsOptions::default()
            },
        )
        .unwrap_err(),
        c.approval_request_status("a/../b").unwrap_err(),
        c.request("GET", "/sandbox/../protected", &Params::new())
            .unwrap_err(),
    ];
    for e in &checks {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert_eq!(e.attempts(), 0);
    }
    for e in &checks[..2] {
        assert_eq!(e.message(), "Token is invalid", "the API's own message");
        assert_eq!(e.authy_code(), Some("60020"), "the API's own code");
    }
    assert_eq!(checks[2].authy_code(), None);
    assert_eq!(total_requests(&c), before);
}

/// Issue 13: what the API accepts (or judges itself) is sent, and its answer comes back —
/// every one of these was refused locally before.
#[test]
fn what_the_api_judges_is_sent() {
    let (_sb, c) = start();
    let before = total_requests(&c);
    for phone in ["(555) 867-5309", "+1 555-867-5309"] {
        let resp = c
            .create_user("a@example.com", phone, &CreateUserOptions::default())
            .unwrap();
        assert!(resp.ok(), "{phone}: {}", resp.body());
        let resp = c
            .start_phone_verification("1", phone, &PhoneVerificationOptions::default())
            .unwrap();
        assert!(resp.ok(), "{phone}: {}", resp.body());
    }
    let id = create_user(&c, "555-000-4444");
    let resp = c
        .request_sms(
            &id,
            &SmsOptions {
                force: true,
                action: Some("custom action?".into()),
                action_message: Some("Action message $%^?@#".into()),
                ..SmsOptions::default()
            },
        )
        .unwrap();
    assert!(resp.ok(), "{}", resp.body());
    let resp = c
        .create_approval_request(
            &id,
            "ok",
            &ApprovalRequestOptions {
                logos: vec![Logo::new("low", "http://foo.bar")],
                ..ApprovalRequestOptions::default()
            },
        )
        .unwrap();
    assert!(resp.ok(), "no default logo: {}", resp.body());
    let e = c.user_status("tony").unwrap().into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.authy_code(), Some("60026"));
    assert_eq!(e.message(), "User not found.");
    // Refused by the API, with its own codes.
    let code = |r: Result<authy::Response, authy::Error>| r.unwrap().error_code();
    assert_eq!(
        code(c.create_user(
            "not-an-email",
            "555-123-4567",
            &CreateUserOptions::default()
        )),
        Some("60027".into())
    );
    assert_eq!(
        code(c.create_approval_request(&id, "", &ApprovalRequestOptions::default())),
        Some("60004".into())
    );
    assert_eq!(
        code(c.check_phone_verification("1", "201-555-0123", "12")),
        Some("60023".into())
    );
    assert!(c.phone_info("+1", "201-555-0123").unwrap().ok());
    assert_eq!(
        total_requests(&c),
        before + 12,
        "every call reached the API"
    );
}
