//! Reliability over real HTTP: stale keep-alive connections, retries that never repeat a side
//! effect, faults told apart, `Retry-After`, attempts and "may have reached the server".

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use authy::{
    Client, CreateUserOptions, ErrorKind, Params, PhoneVerificationOptions, RetryPolicy,
    SmsOptions, VerifyOptions,
};
use common::{arm_fault, closed_port, control, create_user, sandbox, total_requests};

/// A server that answers each request with a JSON 200 and closes the connection 5 ms later,
/// without `Connection: close` and without reading what arrived meanwhile: the race of a server
/// closing an idle keep-alive connection just as the client reuses it, made frequent. It
/// records the `n` query or form parameter of every request it read.
fn closing_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let log = Arc::clone(&log);
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let mut len = 0usize;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 {
                        return;
                    }
                    let h = h.trim_end();
                    if h.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':')
                        && k.eq_ignore_ascii_case("content-length")
                    {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let target = line.split(' ').nth(1).unwrap_or("").to_string();
                let query = target.split_once('?').map(|(_, q)| q.to_string());
                let params = query.unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
                let n = params
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("n="))
                    .unwrap_or("-")
                    .to_string();
                log.lock().unwrap().push(n);
                let answer = r#"{"message":"ok","success":true}"#;
                let mut s = stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = s.flush();
                // Closed soon after the answer, unread bytes and all (a reset, if the client
                // sent its next request meanwhile).
                thread::sleep(Duration::from_millis(5));
            });
        }
    });
    (base, seen)
}

fn client_for(base: &str, retry: RetryPolicy, timeout: Duration) -> Client {
    Client::builder("sandbox-api-key-0123456789abcdef")
        .base_url(base.to_string())
        .connect_timeout(Duration::from_secs(2))
        .timeout(timeout)
        .retries(retry)
        .build()
        .unwrap()
}

#[test]
fn reads_on_stale_keep_alive_connections_are_resent_and_side_effects_are_not_repeated() {
    let (base, seen) = closing_server();
    let c = client_for(&base, RetryPolicy::NONE, Duration::from_secs(5));
    // Reads: every call succeeds, although most pooled connections are about to be closed.
    let mut resent = 0;
    for i in 0..200 {
        let resp = c
            .request(
                "GET",
                "/protected/json/app/details",
                &Params::new().with("n", format!("r{i}")),
            )
            .unwrap_or_else(|e| panic!("read {i}: {e:?}"));
        assert!(resp.ok());
        if resp.attempts() > 1 {
            resent += 1;
        }
    }
    eprintln!("200 reads on a closing server: {resent} resent on a stale connection");
    assert!(
        resent > 0,
        "the server's race did not happen: the test proves nothing"
    );
    // Raw requests count as side effects: never sent twice. A failure is possible (the server
    // closed the connection the request went to) and says the request may have arrived.
    let mut failed = 0;
    for i in 0..200 {
        match c.request(
            "POST",
            "/protected/json/sms/1",
            &Params::new().with("n", format!("s{i}")),
        ) {
            Ok(resp) => assert!(resp.ok()),
            Err(e) => {
                failed += 1;
                assert!(
                    matches!(e.kind(), ErrorKind::NoResponse | ErrorKind::Io),
                    "{e:?}"
                );
                assert!(e.request_sent() || e.kind() == ErrorKind::Io, "{e:?}");
            }
        }
    }
    eprintln!("200 side-effecting calls on a closing server: {failed} failed, none repeated");
    assert!(failed < 200);
    let seen = seen.lock().unwrap();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in seen.iter() {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    for i in 0..200 {
        let key = format!("s{i}");
        assert!(
            counts.get(key.as_str()).copied().unwrap_or(0) <= 1,
            "{key} reached the server twice"
        );
    }
}

/// The side-effecting endpoints, each as a call on a prepared user.
fn side_effects() -> Vec<(&'static str, SideEffect)> {
    vec![
        ("request_sms", |c, id| {
            c.request_sms(id, &SmsOptions::default())
        }),
        ("request_call", |c, id| {
            c.request_call(id, &Default::default())
        }),
        ("request_email", |c, id| c.request_email(id)),
        ("verify_token", |c, id| {
            c.verify_token(id, "0000000", &VerifyOptions::default())
        }),
        ("create_user", |c, _| {
            c.create_user(
                "matrix@example.com",
                "201-555-0199",
                &CreateUserOptions::default(),
            )
        }),
        ("update_user_email", |c, id| {
            c.update_user_email(id, "new@example.com")
        }),
        ("create_approval_request", |c, id| {
            c.create_approval_request(id, "Log in?", &Default::default())
        }),
        ("start_phone_verification", |c, _| {
            c.start_phone_verification("1", "201-555-0142", &PhoneVerificationOptions::default())
        }),
        ("register_activity", |c, id| {
            c.register_activity(id, "cookie_login", &Default::default())
        }),
    ]
}

type SideEffect = fn(&Client, &str) -> Result<authy::Response, authy::Error>;

#[test]
fn no_fault_ever_makes_a_side_effect_happen_twice() {
    let sb = sandbox();
    // Retries on, a short timeout so that latency faults end quickly.
    let policy = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    let c = client_for(sb.base_url(), policy, Duration::from_millis(600));
    let control_client = common::client(&sb);
    let id = create_user(&control_client, "201-555-0100");
    let faults: [(&str, &[(&str, &str)]); 8] = [
        ("close", &[]),
        ("reset", &[]),
        ("truncated", &[]),
        ("status_5xx", &[]),
        ("invalid_json", &[]),
        ("oversized", &[]),
        ("rate_limit", &[("retry_after", "0")]),
        ("latency", &[("latency_ms", "900")]),
    ];
    let mut cases = 0;
    let mut by_kind: HashMap<String, usize> = HashMap::new();
    for (name, call) in side_effects() {
        for (fault, extra) in faults {
            // Warm the client's pool so the faulted request goes to a reused connection (the
            // case where a resend would be tempting).
            let _ = c.app_details();
            let mut args = vec![("count", "3")];
            args.extend_from_slice(extra);
            arm_fault(&control_client, fault, &args);
            let before = total_requests(&control_client);
            let outcome = call(&c, &id);
            // A latency fault's handler finishes after the client gave up: wait for it.
            if fault == "latency" {
                thread::sleep(Duration::from_millis(400));
            }
            let after = total_requests(&control_client);
            let _ = control(&control_client, "DELETE", "/sandbox/faults", &Params::new());
            assert_eq!(
                after - before,
                1,
                "{name} under {fault}: the request reached the server {} times ({outcome:?})",
                after - before
            );
            let kind = match &outcome {
                Ok(resp) => resp
                    .error()
                    .map_or("ok".to_string(), |e| format!("{:?}", e.kind())),
                Err(e) => {
                    assert_eq!(e.attempts(), 1, "{name} under {fault}: {e:?}");
                    assert!(e.request_sent(), "{name} under {fault}: {e:?}");
                    format!("{:?}", e.kind())
                }
            };
            *by_kind.entry(format!("{fault} -> {kind}")).or_default() += 1;
            cases += 1;
        }
    }
    eprintln!("{cases} side-effect x fault cases, 0 duplicated: {by_kind:?}");
    // Each fault kind ends in its own, documented outcome.
    for (fault, want) in [
        ("close", "NoResponse"),
        ("reset", "Truncated"),
        ("truncated", "Truncated"),
        ("status_5xx", "ServerError"),
        ("invalid_json", "Decode"),
        ("oversized", "Decode"),
        ("rate_limit", "RateLimited"),
        ("latency", "Timeout"),
    ] {
        assert!(
            by_kind.contains_key(&format!("{fault} -> {want}")),
            "{fault}: {by_kind:?}"
        );
    }
}

#[test]
fn reads_are_retried_within_the_deadline_and_honour_retry_after() {
    let sb = sandbox();
    let policy = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    };
    let c = client_for(sb.base_url(), policy, Duration::from_secs(5));
    let ctl = common::client(&sb);
    // Two 5xx pages, then the answer: three attempts, all counted by the sandbox.
    arm_fault(&ctl, "status_5xx", &[("count", "2")]);
    let before = total_requests(&ctl);
    let resp = c.app_details().unwrap();
    assert!(resp.ok());
    assert_eq!(resp.attempts(), 3);
    assert_eq!(total_requests(&ctl) - before, 3);
    // A 429 with Retry-After: 1 is waited for, once.
    arm_fault(&ctl, "rate_limit", &[("retry_after", "1")]);
    let started = Instant::now();
    let resp = c.app_stats().unwrap();
    assert!(resp.ok(), "{}", resp.body());
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(resp.attempts(), 2);
    // Broken connections on a read are retried too.
    arm_fault(&ctl, "truncated", &[("count", "2")]);
    let resp = c.app_details().unwrap();
    assert!(resp.ok());
    assert_eq!(resp.attempts(), 3);
    // More failures than attempts: the last error, with the count.
    arm_fault(&ctl, "status_5xx", &[("count", "10")]);
    let resp = c.app_details().unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.attempts(), 4);
    assert_eq!(resp.error().unwrap().attempts(), 4);
    let _ = control(&ctl, "DELETE", "/sandbox/faults", &Params::new());
    // A Retry-After that does not fit the deadline is not waited for: the 429 comes back
    // with its Retry-After.
    let short = client_for(sb.base_url(), policy, Duration::from_millis(500));
    arm_fault(&ctl, "rate_limit", &[("retry_after", "5")]);
    let started = Instant::now();
    let resp = short.app_details().unwrap();
    assert_eq!(resp.status(), 429);
    // (Waiting would have taken 5 s; the bound is loose so a loaded machine cannot fail it.)
    assert!(started.elapsed() < Duration::from_secs(4));
    let e = resp.error().unwrap();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(5)));
    // A well-formed Authy 5xx (an account decision) is not retried... the sandbox's 5xx fault
    // is an HTML page; the rule itself is unit-tested in transport::retry.
}

#[test]
fn side_effects_are_retried_only_when_nothing_was_sent() {
    // Nothing listens: the connection fails, nothing is sent, so even an SMS is retried.
    let base = format!("http://127.0.0.1:{}", closed_port());
    let c = client_for(&base, RetryPolicy::attempts(3), Duration::from_secs(5));
    let e = c.request_sms("1", &SmsOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect);
    assert_eq!(e.attempts(), 3);
    assert!(!e.request_sent());
    // The default policy makes one attempt.
    let c = client_for(&base, RetryPolicy::NONE, Duration::from_secs(5));
    let e = c.request_sms("1", &SmsOptions::default()).unwrap_err();
    assert_eq!((e.attempts(), e.request_sent()), (1, false));
    // Refused before any I/O (it cannot be sent safely): no attempt.
    let e = c.request_sms("../1", &SmsOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!((e.attempts(), e.request_sent()), (0, false));
}

#[test]
fn a_connect_timeout_is_not_an_overall_timeout() {
    // A server that accepts TCP connections and never says a word: the TLS handshake (part of
    // connecting) cannot finish, so the connect timeout expires before anything is sent.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let c = Client::builder("k")
        .base_url(format!("https://127.0.0.1:{port}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(5))
        .retries(RetryPolicy::attempts(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.request_sms("1", &SmsOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectTimeout, "{e}");
    assert!(!e.request_sent());
    assert_eq!(
        e.attempts(),
        2,
        "nothing was sent, so even an SMS is retried"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // After the request was sent, a timeout is Timeout and the request may have arrived.
    let sb = sandbox();
    let c = client_for(sb.base_url(), RetryPolicy::NONE, Duration::from_millis(300));
    let ctl = common::client(&sb);
    let id = create_user(&ctl, "201-555-0111");
    arm_fault(&ctl, "latency", &[("latency_ms", "800")]);
    let e = c.request_sms(&id, &SmsOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.request_sent());
}
