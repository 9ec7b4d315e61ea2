//! Round trips of the C surface against the in-process sandbox, over real HTTP: every endpoint
//! function, the success path and the error conventions (codes, `authy_error` details, outputs
//! untouched on failure). The C programs in `tests/c` cover the same surface from C.
//! Miri cannot open sockets: these tests are ignored there.

use std::ffi::{CStr, CString, c_char};
use std::ptr;

use authy_sandbox::{Sandbox, SandboxConfig};

use super::app::*;
use super::builder::*;
use super::client::*;
use super::error::*;
use super::onetouch::*;
use super::params::*;
use super::phones::*;
use super::response::*;
use super::result::authy_result;
use super::tokens::*;
use super::users::*;

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn text(p: *const c_char) -> Option<String> {
    // SAFETY: pointers under test come from live handles.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
}

struct Fixture {
    _sandbox: Sandbox,
    client: *const authy_client,
}

impl Fixture {
    fn new() -> Fixture {
        let sandbox = Sandbox::start(SandboxConfig::default()).expect("sandbox");
        let key = c(sandbox.api_key());
        let url = c(sandbox.base_url());
        let mut builder = ptr::null_mut();
        let mut client = ptr::null();
        unsafe {
            assert_eq!(
                authy_client_builder_new(key.as_ptr(), &mut builder, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_base_url(builder, url.as_ptr(), ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_set_timeout_ms(builder, 5000, ptr::null_mut()),
                authy_result::Ok
            );
            assert_eq!(
                authy_client_builder_build(builder, &mut client, ptr::null_mut()),
                authy_result::Ok
            );
            authy_client_builder_free(builder);
        }
        Fixture {
            _sandbox: sandbox,
            client,
        }
    }

    fn params(pairs: &[(&str, &str)]) -> *mut authy_params {
        let p = authy_params_new();
        for (k, v) in pairs {
            let (k, v) = (c(k), c(v));
            // SAFETY: live params, C strings.
            assert_eq!(
                unsafe { authy_params_set(p, k.as_ptr(), v.as_ptr(), ptr::null_mut()) },
                authy_result::Ok
            );
        }
        p
    }

    fn create_user(&self, phone: &str) -> String {
        let (email, phone) = (c("ffi@example.com"), c(phone));
        let mut resp = ptr::null_mut();
        unsafe {
            let r = authy_client_create_user(
                self.client,
                email.as_ptr(),
                phone.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut(),
            );
            assert_eq!(r, authy_result::Ok);
            let id = text(authy_response_user_id(resp)).expect("user id");
            authy_response_free(resp);
            id
        }
    }

    fn raw(&self, method: &str, path: &str) -> *mut authy_response {
        self.raw_with(method, path, &[])
    }

    fn raw_with(&self, method: &str, path: &str, pairs: &[(&str, &str)]) -> *mut authy_response {
        let (m, p) = (c(method), c(path));
        let params = Fixture::params(pairs);
        let mut resp = ptr::null_mut();
        // SAFETY: live client and params, C strings.
        let r = unsafe {
            authy_client_request(
                self.client,
                m.as_ptr(),
                p.as_ptr(),
                params,
                &mut resp,
                ptr::null_mut(),
            )
        };
        // SAFETY: created above.
        unsafe { authy_params_free(params) };
        assert_eq!(r, authy_result::Ok, "{method} {path}");
        resp
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // SAFETY: created in `new`, freed once.
        unsafe { authy_client_free(self.client) };
    }
}

#[test]
#[cfg_attr(miri, ignore = "needs sockets (the in-process sandbox)")]
fn users_tokens_and_error_details() {
    let f = Fixture::new();
    let id = f.create_user("555-123-0001");
    let cid = c(&id);
    unsafe {
        // SMS, then the code the sandbox handset received verifies.
        let mut resp = ptr::null_mut();
        let opts = Fixture::params(&[("force", "true"), ("locale", "en")]);
        assert_eq!(
            authy_client_request_sms(f.client, cid.as_ptr(), opts, &mut resp, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(authy_response_ok(resp));
        assert!(!authy_response_ignored(resp));
        assert!(
            text(authy_response_cellphone(resp))
                .unwrap()
                .ends_with("01")
        );
        authy_response_free(resp);
        authy_params_free(opts);

        let last = f.raw("GET", &format!("/sandbox/users/{id}/last_code"));
        let mut code = ptr::null();
        let pointer = c("/code");
        assert_eq!(
            authy_response_get_string(last, pointer.as_ptr(), &mut code, ptr::null_mut()),
            authy_result::Ok
        );
        let code = c(&text(code).unwrap());
        authy_response_free(last);

        // A wrong token is an error, never OK; outputs untouched; details in the error.
        let wrong = c("0000001");
        let sentinel = ptr::dangling_mut::<authy_response>();
        let mut resp = sentinel;
        let mut err = ptr::null_mut();
        let r = authy_client_verify_token(
            f.client,
            cid.as_ptr(),
            wrong.as_ptr(),
            ptr::null(),
            &mut resp,
            &mut err,
        );
        assert_eq!(r, authy_result::TokenInvalid);
        assert_eq!(resp, sentinel);
        assert_eq!(authy_error_code(err), authy_result::TokenInvalid);
        assert_eq!(authy_error_http_status(err), 401);
        assert_eq!(text(authy_error_authy_code(err)).as_deref(), Some("60020"));
        assert!(text(authy_error_body(err)).unwrap().contains("is invalid"));
        authy_error_free(err);

        let mut resp = ptr::null_mut();
        assert_eq!(
            authy_client_verify_token(
                f.client,
                cid.as_ptr(),
                code.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        let mut success = false;
        let ptr_success = c("/success");
        assert_eq!(
            authy_response_get_bool(resp, ptr_success.as_ptr(), &mut success, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(success);
        authy_response_free(resp);

        // Fail-open verdicts: a wrong token is a refusal (never OK), and INVALID is written.
        let mut verdict = authy_verdict::Valid;
        assert_eq!(
            authy_client_verify_token_fail_open(
                f.client,
                cid.as_ptr(),
                wrong.as_ptr(),
                ptr::null(),
                3,
                &mut verdict,
                ptr::null_mut()
            ),
            authy_result::TokenInvalid
        );
        assert_eq!(verdict, authy_verdict::Invalid);

        // Client-side validation: nothing sent.
        let short = c("12");
        let mut err = ptr::null_mut();
        assert_eq!(
            authy_client_verify_token(
                f.client,
                cid.as_ptr(),
                short.as_ptr(),
                ptr::null(),
                &mut resp,
                &mut err
            ),
            authy_result::InvalidArgument
        );
        assert_eq!(authy_error_http_status(err), 0);
        authy_error_free(err);

        // Unknown option keys are refused.
        let bogus = Fixture::params(&[("forse", "true")]);
        let mut err = ptr::null_mut();
        assert_eq!(
            authy_client_request_call(f.client, cid.as_ptr(), bogus, &mut resp, &mut err),
            authy_result::InvalidArgument
        );
        assert!(text(authy_error_message(err)).unwrap().contains("forse"));
        authy_error_free(err);
        authy_params_free(bogus);

        // Status, e-mail, activity, QR, registration status, delete; unknown user → 404 60026.
        let r = authy_client_user_status(
            f.client,
            cid.as_ptr(),
            ptr::null(),
            &mut resp,
            ptr::null_mut(),
        );
        assert_eq!(r, authy_result::Ok);
        let mut registered = true;
        let p = c("/status/registered");
        assert_eq!(
            authy_response_get_bool(resp, p.as_ptr(), &mut registered, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(!registered);
        authy_response_free(resp);
        let email = c("new@example.com");
        assert_eq!(
            authy_client_update_user_email(
                f.client,
                cid.as_ptr(),
                email.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        assert_eq!(
            authy_client_request_email(
                f.client,
                cid.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        let kind = c("cookie_login");
        let act = Fixture::params(&[("user_ip", "10.0.0.1"), ("data[reason]", "test")]);
        assert_eq!(
            authy_client_register_activity(
                f.client,
                cid.as_ptr(),
                kind.as_ptr(),
                act,
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        authy_params_free(act);
        let qr = Fixture::params(&[("qr_size", "300"), ("label", "Example")]);
        assert_eq!(
            authy_client_generate_qr_code(f.client, cid.as_ptr(), qr, &mut resp, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(text(authy_response_qr_code(resp)).is_some());
        authy_response_free(resp);
        authy_params_free(qr);
        let custom = c("user-42");
        let r = authy_client_registration_status(
            f.client,
            custom.as_ptr(),
            ptr::null(),
            &mut resp,
            ptr::null_mut(),
        );
        assert!(
            matches!(r, authy_result::Ok | authy_result::NotFound),
            "{r:?}"
        );
        if r == authy_result::Ok {
            authy_response_free(resp);
        }
        assert_eq!(
            authy_client_delete_user(
                f.client,
                cid.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        let unknown = c("999999");
        let mut err = ptr::null_mut();
        assert_eq!(
            authy_client_user_status(f.client, unknown.as_ptr(), ptr::null(), &mut resp, &mut err),
            authy_result::NotFound
        );
        assert_eq!(text(authy_error_authy_code(err)).as_deref(), Some("60026"));
        authy_error_free(err);
    }
}

#[test]
#[cfg_attr(miri, ignore = "needs sockets (the in-process sandbox)")]
fn onetouch_phones_app_and_raw_requests() {
    let f = Fixture::new();
    let id = f.create_user("555-123-0002");
    let cid = c(&id);
    unsafe {
        let msg = c("Log in to Example?");
        let opts = Fixture::params(&[
            ("details[Location]", "Paris"),
            ("hidden_details[ip]", "10.0.0.1"),
            ("logos[][res]", "default"),
            ("logos[][url]", "https://example.com/logo.png"),
            ("seconds_to_expire", "120"),
        ]);
        let mut resp = ptr::null_mut();
        assert_eq!(
            authy_client_create_approval_request(
                f.client,
                cid.as_ptr(),
                msg.as_ptr(),
                opts,
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_params_free(opts);
        let uuid = text(authy_response_approval_uuid(resp)).unwrap();
        authy_response_free(resp);
        let cuuid = c(&uuid);

        assert_eq!(
            authy_client_approval_request_status(
                f.client,
                cuuid.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        assert_eq!(
            text(authy_response_approval_status(resp)).as_deref(),
            Some("pending")
        );
        let mut secs = 0u64;
        assert_eq!(
            authy_response_seconds_to_expire(resp, &mut secs, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(secs > 0 && secs <= 120, "{secs}");
        authy_response_free(resp);

        // Still pending: a short wait times out.
        let wait = Fixture::params(&[("interval_ms", "20"), ("timeout_ms", "60")]);
        let mut status = authy_wait_status::Approved;
        assert_eq!(
            authy_client_wait_for_approval(
                f.client,
                cuuid.as_ptr(),
                wait,
                &mut status,
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        assert_eq!(status, authy_wait_status::TimedOut);
        authy_response_free(resp);

        let approve = f.raw(
            "POST",
            &format!("/sandbox/approval_requests/{uuid}/approve"),
        );
        authy_response_free(approve);
        assert_eq!(
            authy_client_wait_for_approval(
                f.client,
                cuuid.as_ptr(),
                wait,
                &mut status,
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        assert_eq!(status, authy_wait_status::Approved);
        authy_response_free(resp);
        authy_params_free(wait);

        // Phone verification: start, read the code, check, status by uuid and by phone.
        let (cc, phone) = (c("1"), c("555-987-0003"));
        let start = Fixture::params(&[("via", "sms"), ("code_length", "6")]);
        assert_eq!(
            authy_client_start_phone_verification(
                f.client,
                cc.as_ptr(),
                phone.as_ptr(),
                start,
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_params_free(start);
        let vuuid = c(&text(authy_response_verification_uuid(resp)).unwrap());
        authy_response_free(resp);
        let last = f.raw_with(
            "GET",
            "/sandbox/phones/last_code",
            &[("country_code", "1"), ("phone_number", "555-987-0003")],
        );
        let mut code = ptr::null();
        let pointer = c("/code");
        assert_eq!(
            authy_response_get_string(last, pointer.as_ptr(), &mut code, ptr::null_mut()),
            authy_result::Ok
        );
        let code = c(&text(code).unwrap());
        authy_response_free(last);
        let wrong = c("000000");
        let mut err = ptr::null_mut();
        let r = authy_client_check_phone_verification(
            f.client,
            cc.as_ptr(),
            phone.as_ptr(),
            wrong.as_ptr(),
            ptr::null(),
            &mut resp,
            &mut err,
        );
        if code.as_bytes() != b"000000" {
            assert_eq!(r, authy_result::Unauthorized);
            assert_eq!(text(authy_error_authy_code(err)).as_deref(), Some("60022"));
            authy_error_free(err);
        }
        assert_eq!(
            authy_client_check_phone_verification(
                f.client,
                cc.as_ptr(),
                phone.as_ptr(),
                code.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        assert_eq!(
            authy_client_phone_verification_status(
                f.client,
                vuuid.as_ptr(),
                ptr::null(),
                ptr::null(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        assert_eq!(
            authy_client_phone_verification_status(
                f.client,
                ptr::null(),
                cc.as_ptr(),
                phone.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);
        assert_eq!(
            authy_client_phone_verification_status(
                f.client,
                vuuid.as_ptr(),
                cc.as_ptr(),
                ptr::null(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::InvalidArgument
        );
        assert_eq!(
            authy_client_phone_info(
                f.client,
                cc.as_ptr(),
                phone.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        authy_response_free(resp);

        // App details and stats.
        assert_eq!(
            authy_client_app_details(f.client, ptr::null(), &mut resp, ptr::null_mut()),
            authy_result::Ok
        );
        let mut name = ptr::null();
        let p = c("/app/name");
        assert_eq!(
            authy_response_get_string(resp, p.as_ptr(), &mut name, ptr::null_mut()),
            authy_result::Ok
        );
        assert!(text(name).is_some());
        // Borrowed strings are stable: the same pointer twice.
        let mut again = ptr::null();
        authy_response_get_string(resp, p.as_ptr(), &mut again, ptr::null_mut());
        assert_eq!(name, again);
        let missing = c("/app/nope");
        let mut err = ptr::null_mut();
        assert_eq!(
            authy_response_get_string(resp, missing.as_ptr(), &mut name, &mut err),
            authy_result::NoValue
        );
        authy_error_free(err);
        let mut n = 0i64;
        let app_id = c("/app/app_id");
        assert_eq!(
            authy_response_get_i64(resp, app_id.as_ptr(), &mut n, ptr::null_mut()),
            authy_result::Ok
        );
        authy_response_free(resp);
        assert_eq!(
            authy_client_app_stats(f.client, ptr::null(), &mut resp, ptr::null_mut()),
            authy_result::Ok
        );
        authy_response_free(resp);

        // The raw escape hatch: a 404 answer is OK there; authy_response_check turns it into
        // an error.
        let nope = f.raw("GET", "/protected/json/nope");
        assert_eq!(authy_response_status(nope), 404);
        assert!(!authy_response_ok(nope));
        let mut err = ptr::null_mut();
        assert_eq!(authy_response_check(nope, &mut err), authy_result::NotFound);
        authy_error_free(err);
        assert!(text(authy_response_message(nope)).is_some());
        authy_response_free(nope);
    }
}

#[test]
#[cfg_attr(miri, ignore = "needs sockets (the in-process sandbox)")]
fn transport_failure_is_a_transport_code() {
    let key = c("k");
    let url = c("http://127.0.0.1:9");
    unsafe {
        let mut b = ptr::null_mut();
        let mut client = ptr::null();
        authy_client_builder_new(key.as_ptr(), &mut b, ptr::null_mut());
        authy_client_builder_set_base_url(b, url.as_ptr(), ptr::null_mut());
        authy_client_builder_set_connect_timeout_ms(b, 500, ptr::null_mut());
        authy_client_builder_set_timeout_ms(b, 1000, ptr::null_mut());
        assert_eq!(
            authy_client_builder_build(b, &mut client, ptr::null_mut()),
            authy_result::Ok
        );
        authy_client_builder_free(b);
        let mut resp = ptr::null_mut();
        let mut err = ptr::null_mut();
        let r = authy_client_app_details(client, ptr::null(), &mut resp, &mut err);
        assert!(
            matches!(
                r,
                authy_result::Connect | authy_result::Timeout | authy_result::Io
            ),
            "{r:?}"
        );
        assert!(resp.is_null());
        assert_eq!(authy_error_code(err), r);
        authy_error_free(err);
        let mut verdict = authy_verdict::Valid;
        let (id, token) = (c("1"), c("1234567"));
        assert_eq!(
            authy_client_verify_token_fail_open(
                client,
                id.as_ptr(),
                token.as_ptr(),
                ptr::null(),
                1,
                &mut verdict,
                ptr::null_mut()
            ),
            authy_result::Ok
        );
        assert_eq!(verdict, authy_verdict::AcceptedApiUnreachable);
        let r = authy_client_verify_token_fail_open(
            client,
            id.as_ptr(),
            token.as_ptr(),
            ptr::null(),
            0,
            &mut verdict,
            ptr::null_mut(),
        );
        assert_ne!(r, authy_result::Ok);
        assert_eq!(
            verdict,
            authy_verdict::Invalid,
            "a stale verdict is overwritten with INVALID on failure"
        );
        authy_client_free(client);
    }
}

#[test]
#[cfg_attr(miri, ignore = "needs sockets (the in-process sandbox)")]
fn null_arguments_of_endpoints() {
    let f = Fixture::new();
    let id = c("1");
    let mut resp = ptr::null_mut();
    unsafe {
        assert_eq!(
            authy_client_user_status(
                ptr::null(),
                id.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::NullArgument
        );
        assert_eq!(
            authy_client_user_status(
                f.client,
                ptr::null(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::NullArgument
        );
        assert_eq!(
            authy_client_user_status(
                f.client,
                id.as_ptr(),
                ptr::null(),
                ptr::null_mut(),
                ptr::null_mut()
            ),
            authy_result::NullArgument
        );
        assert_eq!(
            authy_client_request(
                f.client,
                ptr::null(),
                id.as_ptr(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::NullArgument
        );
        let bad = [0xc0u8, 0x80, 0];
        assert_eq!(
            authy_client_user_status(
                f.client,
                bad.as_ptr().cast(),
                ptr::null(),
                &mut resp,
                ptr::null_mut()
            ),
            authy_result::InvalidUtf8
        );
        assert!(resp.is_null());
        // Response accessors on NULL.
        assert_eq!(authy_response_status(ptr::null()), 0);
        assert!(authy_response_body(ptr::null()).is_null());
        assert!(!authy_response_ok(ptr::null()));
        assert!(authy_response_user_id(ptr::null()).is_null());
        assert_eq!(
            authy_response_check(ptr::null(), ptr::null_mut()),
            authy_result::NullArgument
        );
        authy_response_free(ptr::null_mut());
    }
}

#[test]
#[cfg_attr(miri, ignore = "needs sockets (the in-process sandbox)")]
fn response_accessors_from_many_threads() {
    let f = Fixture::new();
    let mut resp = ptr::null_mut();
    // SAFETY: live client, writable out.
    let r = unsafe { authy_client_app_details(f.client, ptr::null(), &mut resp, ptr::null_mut()) };
    assert_eq!(r, authy_result::Ok);
    // Raw pointers are not Send; the address is (the response is immutable and Sync inside).
    let addr = resp as usize;
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let resp = addr as *const authy_response;
                let pointer = c(if i % 2 == 0 { "/app/name" } else { "/message" });
                let mut out = ptr::null();
                let mut seen = Vec::new();
                for _ in 0..200 {
                    // SAFETY: the response outlives the threads (joined before it is freed).
                    unsafe {
                        assert_eq!(
                            authy_response_get_string(
                                resp,
                                pointer.as_ptr(),
                                &mut out,
                                ptr::null_mut()
                            ),
                            authy_result::Ok
                        );
                        assert!(!authy_response_body(resp).is_null());
                    }
                    seen.push(out as usize);
                }
                seen.dedup();
                assert_eq!(seen.len(), 1, "a borrowed string moved");
                (i % 2, seen[0])
            })
        })
        .collect();
    let results: Vec<(i32, usize)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for parity in [0, 1] {
        let mut ptrs: Vec<usize> = results
            .iter()
            .filter(|r| r.0 == parity)
            .map(|r| r.1)
            .collect();
        ptrs.dedup();
        assert_eq!(ptrs.len(), 1, "every thread sees the same cached string");
    }
    // SAFETY: all threads joined.
    unsafe { authy_response_free(resp) };
}
