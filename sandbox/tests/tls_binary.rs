//! HTTPS (self-signed and from files) and the `authy-sandbox` binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use authy_sandbox::{Sandbox, SandboxConfig, TlsMode};

fn tls_agent(pem: &str) -> ureq::Agent {
    let certs: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    assert!(!certs.is_empty());
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .proxy(None)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        )
        .build()
        .into()
}

fn details_status(agent: &ureq::Agent, base: &str, key: &str) -> Result<u16, ureq::Error> {
    agent
        .get(&format!("{base}/protected/json/app/details"))
        .header("X-Authy-API-Key", key)
        .call()
        .map(|r| r.status().as_u16())
}

#[test]
fn self_signed_https() {
    let sb = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    assert!(sb.base_url().starts_with("https://localhost:"));
    let pem = sb.ca_pem().expect("PEM with TLS");
    assert!(pem.contains("BEGIN CERTIFICATE"));
    let agent = tls_agent(&pem);
    assert_eq!(
        details_status(&agent, sb.base_url(), sb.api_key()).unwrap(),
        200
    );
    let by_ip = format!("https://127.0.0.1:{}", sb.port());
    assert_eq!(details_status(&agent, &by_ip, sb.api_key()).unwrap(), 200);
    // Default roots do not trust it.
    assert!(details_status(&common::agent(), sb.base_url(), sb.api_key()).is_err());
    // Plain sandboxes have no PEM.
    assert!(
        Sandbox::start(SandboxConfig::default())
            .unwrap()
            .ca_pem()
            .is_none()
    );
}

#[test]
fn https_from_files() {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let dir = std::env::temp_dir().join(format!("authy-sandbox-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let sb = Sandbox::start(SandboxConfig {
        tls: TlsMode::Files {
            cert: cert.clone(),
            key: key.clone(),
        },
        ..SandboxConfig::default()
    })
    .unwrap();
    assert!(sb.ca_pem().is_none());
    let agent = tls_agent(&ck.cert.pem());
    assert_eq!(
        details_status(&agent, sb.base_url(), sb.api_key()).unwrap(),
        200
    );
    // Unusable files are an error, not a panic.
    let bad = Sandbox::start(SandboxConfig {
        tls: TlsMode::Files {
            cert: dir.join("missing.pem"),
            key,
        },
        ..SandboxConfig::default()
    });
    assert!(bad.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

struct Child {
    child: std::process::Child,
    url: String,
}

fn spawn(args: &[&str]) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    Child {
        child,
        url: line.trim().to_string(),
    }
}

fn signal(child: &std::process::Child, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn wait_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "binary did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn binary_prints_url_logs_redacted_and_exits_on_sigterm() {
    let key = "binary-test-key-0987654321";
    let mut c = spawn(&["--port", "0", "--api-key", key]);
    assert!(c.url.starts_with("http://127.0.0.1:"), "{}", c.url);
    let agent = common::agent();
    let r = agent
        .get(&format!(
            "{}/protected/json/app/details?api_key={key}",
            c.url
        ))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = agent
        .get(&format!("{}/protected/json/app/details", c.url))
        .header("X-Authy-API-Key", key)
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    signal(&c.child, "TERM");
    let status = wait_exit(&mut c.child);
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    c.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    // Request lines only (the start-up line names the Verify credentials).
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("authy-sandbox: Verify v2"))
        .collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("GET /protected/json/app/details?api_key=[REDACTED] 200 "),
        "{err}"
    );
    assert!(lines[0].ends_with("ms"));
    assert!(!err.contains(key), "key never logged");
}

#[test]
fn binary_log_redacts_keys_after_semicolons_and_in_nested_names() {
    let key = "S3CRETKEY123-binary-log";
    let mut c = spawn(&["--api-key", key]);
    let agent = common::agent();
    let status = |query: &str| match agent
        .get(&format!("{}/protected/json/app/details?{query}", c.url))
        .call()
    {
        Ok(r) => r.status().as_u16(),
        Err(ureq::Error::StatusCode(s)) => s,
        Err(e) => panic!("{e}"),
    };
    // The parameter parser splits on ';' too, so this key is accepted: it must not be logged.
    assert_eq!(status(&format!("x=1;api_key={key}")), 200);
    assert_eq!(status(&format!("api_key%5B%5D={key}")), 401);
    assert_eq!(status(&format!("a=1;api%5Fkey%5Bx%5D={key}&b=2")), 401);
    signal(&c.child, "TERM");
    assert_eq!(wait_exit(&mut c.child).code(), Some(0));
    let mut err = String::new();
    c.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains(key), "key logged: {err}");
    assert!(err.contains("?x=1;api_key=[REDACTED] 200 "), "{err}");
    assert!(err.contains("?api_key%5B%5D=[REDACTED] 401 "), "{err}");
    assert!(
        err.contains("?a=1;api%5Fkey%5Bx%5D=[REDACTED]&b=2 401 "),
        "{err}"
    );
}

#[test]
fn binary_read_timeout_closes_a_slow_header() {
    let mut c = spawn(&["--read-timeout", "1", "--quiet"]);
    let addr = c.url.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    let start = Instant::now();
    s.write_all(b"GET /protected/json/app/details HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut buf = Vec::new();
    // EOF (or a reset) well before the 6 s read timeout: the server closed the connection.
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    let waited = start.elapsed();
    assert!(
        (Duration::from_millis(900)..Duration::from_secs(4)).contains(&waited),
        "{waited:?}"
    );
    signal(&c.child, "TERM");
    assert_eq!(wait_exit(&mut c.child).code(), Some(0));
}

#[test]
fn binary_tls_ca_out_and_sigint() {
    let ca = std::env::temp_dir().join(format!("authy-sandbox-ca-{}.pem", std::process::id()));
    let mut c = spawn(&[
        "--tls-self-signed",
        "--ca-out",
        ca.to_str().unwrap(),
        "--quiet",
        "--no-magic-codes",
    ]);
    assert!(c.url.starts_with("https://localhost:"), "{}", c.url);
    let pem = std::fs::read_to_string(&ca).unwrap();
    let agent = tls_agent(&pem);
    assert_eq!(
        details_status(&agent, &c.url, authy_sandbox::DEFAULT_API_KEY).unwrap(),
        200
    );
    signal(&c.child, "INT");
    assert_eq!(wait_exit(&mut c.child).code(), Some(0));
    let _ = std::fs::remove_file(&ca);
}

#[test]
fn binary_rejects_unknown_flags() {
    for args in [
        &["--bogus"][..],
        &["--port"][..],
        &["--port", "x"][..],
        &["--callback-method", "PUT"][..],
        &["--tls-cert", "a"][..],
        &["--ca-out", "f"][..],
        &["--read-timeout"][..],
        &["--read-timeout", "-1"][..],
        &["--read-timeout", "1.5"][..],
        &["--read-timeout", "86401"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage: authy-sandbox"));
        assert!(out.stdout.is_empty());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--callback-url"));
}

#[test]
fn binary_keeps_serving_when_stderr_is_never_read() {
    // A harness that captures stderr but never drains it: once the pipe (64 KiB) and the log
    // queue are full, log lines are dropped rather than blocking the server.
    use std::io::Write as _;
    let mut c = spawn(&[]);
    let addr: std::net::SocketAddr = c.url.trim_start_matches("http://").parse().unwrap();
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let one = format!(
        "GET /protected/json/app/details HTTP/1.1\r\nHost: x\r\nX-Authy-API-Key: {}\r\n\r\n",
        authy_sandbox::DEFAULT_API_KEY
    );
    let batch = one.repeat(100);
    let started = Instant::now();
    let mut buf = vec![0u8; 1 << 16];
    for round in 0..80 {
        s.write_all(batch.as_bytes()).unwrap();
        let mut seen = 0;
        let mut tail = Vec::new();
        while seen < 100 {
            let n = s
                .read(&mut buf)
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
            assert!(n > 0, "round {round}: server closed");
            tail.extend_from_slice(&buf[..n]);
            seen += tail.windows(15).filter(|w| w == b"HTTP/1.1 200 OK").count();
            let keep = tail.len().saturating_sub(14);
            tail.drain(..keep);
        }
        assert!(started.elapsed() < Duration::from_secs(60), "bounded");
    }
    signal(&c.child, "TERM");
    // Drain now so the writer thread can finish and the process exit.
    let mut stderr = c.child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    assert_eq!(wait_exit(&mut c.child).code(), Some(0));
    let log = reader.join().unwrap();
    assert!(log.lines().count() > 100, "lines were written");
}

#[test]
fn binary_callback_ca_trusts_a_self_signed_receiver() {
    let dir = std::env::temp_dir().join(format!("authy-sandbox-cbca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Unreadable and unusable files are refused before the sandbox starts.
    let missing = dir.join("missing.pem");
    let out = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args(["--callback-ca", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let junk = dir.join("junk.pem");
    std::fs::write(&junk, "not a certificate\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args(["--callback-ca", junk.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot start") && err.contains("callback CA"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    // The receiver: an HTTPS sandbox with a generated certificate, trusted through the flag.
    let receiver = Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap();
    let ca = dir.join("receiver.pem");
    std::fs::write(&ca, receiver.ca_pem().unwrap()).unwrap();
    let callback_url = format!("{}/authy/callback", receiver.base_url());
    let mut c = spawn(&[
        "--quiet",
        "--callback-ca",
        ca.to_str().unwrap(),
        "--callback-url",
        &callback_url,
    ]);
    let agent = common::agent();
    let key = authy_sandbox::DEFAULT_API_KEY;
    let post = |path: &str, form: &str| {
        common::Env::finish_public(
            agent
                .post(&format!("{}{path}", c.url))
                .header("X-Authy-API-Key", key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(form),
        )
    };
    let user = post(
        "/protected/json/users/new",
        "user%5Bemail%5D=ca%40example.com&user%5Bcellphone%5D=5550601010&user%5Bcountry_code%5D=1",
    );
    let id = user.json["user"]["id"].as_u64().unwrap();
    let req = post(
        &format!("/onetouch/json/users/{id}/approval_requests"),
        "message=Hi",
    );
    let uuid = req.json["approval_request"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(&format!("/sandbox/approval_requests/{uuid}/approve"), "");
    assert_eq!(r.status, 200, "{}", r.body);
    // The receiver has no such route: a 404 over a verified TLS connection.
    assert_eq!(
        r.json["callback"]["error"],
        serde_json::Value::Null,
        "{}",
        r.body
    );
    assert_eq!(r.json["callback"]["http_status"], 404, "{}", r.body);
    signal(&c.child, "TERM");
    assert_eq!(wait_exit(&mut c.child).code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
