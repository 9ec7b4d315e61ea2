//! TLS trust anchors: the bundled Mozilla roots (default), the platform's trust store
//! (`ClientBuilder::platform_roots`) and a custom CA PEM (which wins), against the HTTPS
//! sandbox whose self-signed CA is installed into a temporary trust store through
//! `SSL_CERT_FILE` (honoured on Linux by the platform verifier, as by OpenSSL); and the TLS
//! version floor (1.2) against `openssl s_server` when the `openssl` program is installed.
//!
//! The environment is never changed in this process: each scenario runs this test binary again
//! as a child process (the ignored test `child`) with the variables it needs.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use authy::Client;
use authy_sandbox::{Sandbox, SandboxConfig, TlsMode};

/// Run by the parent tests only (it does nothing without `AUTHY_T_BASE`): builds a client
/// from `AUTHY_T_*` variables, calls app details and prints `OUTCOME ok <status>` or
/// `OUTCOME err <kind> <message>`.
#[test]
#[ignore = "run as a child process by the other tests"]
fn child() {
    let Ok(base) = std::env::var("AUTHY_T_BASE") else {
        return;
    };
    let var = |n: &str| std::env::var(n).ok();
    let mut b = Client::builder(var("AUTHY_T_KEY").unwrap())
        .base_url(base)
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .platform_roots(var("AUTHY_T_PLATFORM").as_deref() == Some("1"));
    if let Some(pem) = var("AUTHY_T_CA_PEM") {
        b = b.root_ca_pem(pem);
    }
    let c = b.build().expect("client builds");
    match c.app_details() {
        Ok(r) => println!("\nOUTCOME ok {}", r.status()),
        Err(e) => println!("\nOUTCOME err {:?} {}", e.kind(), e.message()),
    }
}

/// Scratch files of one test, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "authy-tls-roots-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A trust store made of `ca_file` only: `SSL_CERT_FILE` is that file and `SSL_CERT_DIR` an
/// empty directory, so the machine's own store plays no part.
fn trust_store(scratch: &Scratch, ca_file: &Path) -> Vec<(&'static str, String)> {
    let empty = scratch.0.join("empty-dir");
    std::fs::create_dir_all(&empty).unwrap();
    vec![
        ("SSL_CERT_FILE", ca_file.display().to_string()),
        ("SSL_CERT_DIR", empty.display().to_string()),
    ]
}

/// Runs the child against `base` with `vars` and returns `ok 200` / `err <Kind> <message>`.
fn run_child(base: &str, key: &str, vars: &[(&str, String)]) -> String {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_remove("SSL_CERT_FILE")
    .env_remove("SSL_CERT_DIR")
    .env("AUTHY_T_BASE", base)
    .env("AUTHY_T_KEY", key);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the test binary runs as a child");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("OUTCOME "))
        .unwrap_or_else(|| panic!("no outcome in the child's output: {stdout}"))
        .to_string()
}

fn https_sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        tls: TlsMode::SelfSigned,
        ..SandboxConfig::default()
    })
    .unwrap()
}

#[test]
fn platform_roots_trust_the_system_store() {
    let sb = https_sandbox();
    let other = https_sandbox();
    let scratch = Scratch::new();
    let ca = scratch.file("ca.pem", &sb.ca_pem().unwrap());
    let other_ca = scratch.file("other.pem", &other.ca_pem().unwrap());
    let (base, key) = (sb.base_url(), sb.api_key());
    let platform = || ("AUTHY_T_PLATFORM", "1".to_string());

    // The sandbox's CA in the trust store: platform roots accept the certificate.
    let mut vars = trust_store(&scratch, &ca);
    vars.push(platform());
    assert_eq!(run_child(base, key, &vars), "ok 200");

    // Another CA in the store: a TLS error (the certificate is fully verified).
    let mut vars = trust_store(&scratch, &other_ca);
    vars.push(platform());
    let r = run_child(base, key, &vars);
    assert!(r.starts_with("err Tls "), "{r}");

    // The default, bundled roots never look at the system store.
    let r = run_child(base, key, &trust_store(&scratch, &ca));
    assert!(r.starts_with("err Tls "), "{r}");
}

#[test]
fn a_root_ca_pem_wins_over_platform_roots() {
    let sb = https_sandbox();
    let other = https_sandbox();
    let scratch = Scratch::new();
    let ca = scratch.file("ca.pem", &sb.ca_pem().unwrap());
    let other_ca = scratch.file("other.pem", &other.ca_pem().unwrap());
    let (base, key) = (sb.base_url(), sb.api_key());

    // The PEM trusts the sandbox, the system store does not: accepted (the PEM is used).
    let mut vars = trust_store(&scratch, &other_ca);
    vars.push(("AUTHY_T_PLATFORM", "1".to_string()));
    vars.push(("AUTHY_T_CA_PEM", sb.ca_pem().unwrap()));
    assert_eq!(run_child(base, key, &vars), "ok 200");

    // The system store trusts the sandbox, the PEM does not: refused (only the PEM counts).
    let mut vars = trust_store(&scratch, &ca);
    vars.push(("AUTHY_T_PLATFORM", "1".to_string()));
    vars.push(("AUTHY_T_CA_PEM", other.ca_pem().unwrap()));
    let r = run_child(base, key, &vars);
    assert!(r.starts_with("err Tls "), "{r}");
}

// ---------------------------------------------------------------- TLS version floor

/// `openssl s_server` speaking only `version` (`-tls1_1`, `-tls1_2`) with a fresh self-signed
/// certificate for localhost; `None` when openssl is not installed.
struct SServer {
    child: std::process::Child,
    port: u16,
    ca_pem: String,
    _scratch: Scratch,
}

impl SServer {
    fn start(version: &str) -> Option<SServer> {
        if Command::new("openssl")
            .arg("version")
            .stdout(Stdio::null())
            .status()
            .is_err()
        {
            eprintln!("SKIPPED: openssl is not installed: TLS version floor not tested");
            return None;
        }
        let scratch = Scratch::new();
        let path = |name: &str| scratch.0.join(name).display().to_string();
        let (ca, cert, key) = (path("ca.pem"), path("cert.pem"), path("key.pem"));
        scratch.file(
            "leaf.ext",
            "subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n",
        );
        // A CA, and a certificate for localhost signed by it (webpki refuses a CA
        // certificate as the server's own).
        let steps: [&[&str]; 3] = [
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=authy test CA",
                "-keyout",
                &path("ca.key"),
                "-out",
                &ca,
            ],
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                &key,
                "-out",
                &path("leaf.csr"),
            ],
            &[
                "x509",
                "-req",
                "-in",
                &path("leaf.csr"),
                "-CA",
                &ca,
                "-CAkey",
                &path("ca.key"),
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                &path("leaf.ext"),
                "-out",
                &cert,
            ],
        ];
        for args in steps {
            let ok = Command::new("openssl")
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap()
                .success();
            assert!(ok, "openssl {args:?} failed");
        }
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = Command::new("openssl")
                .args(["s_server", "-quiet", "-www", version])
                // TLS 1.1 needs security level 0 in OpenSSL 3.
                .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
                .args(["-accept", &format!("127.0.0.1:{port}")])
                .arg("-cert")
                .arg(&cert)
                .arg("-key")
                .arg(&key)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(SServer {
                        child,
                        port,
                        ca_pem: std::fs::read_to_string(&ca).unwrap(),
                        _scratch: scratch,
                    });
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("openssl s_server did not start");
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn tls_below_1_2_is_refused() {
    let Some(tls12) = SServer::start("-tls1_2") else {
        return;
    };
    let client = |s: &SServer| {
        Client::builder("k-123")
            .base_url(format!("https://localhost:{}", s.port))
            .root_ca_pem(s.ca_pem.clone())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    };
    // TLS 1.2 completes the handshake: s_server -www answers with an HTML page, so the
    // failure is past TLS (the body is not JSON), not a TLS error.
    let e = client(&tls12).app_details();
    match e {
        Ok(r) => assert_eq!(r.status(), 200),
        Err(e) => assert_ne!(e.kind(), authy::ErrorKind::Tls, "{e}"),
    }
    let Some(tls11) = SServer::start("-tls1_1") else {
        return;
    };
    let e = client(&tls11).app_details().unwrap_err();
    assert_eq!(e.kind(), authy::ErrorKind::Tls, "{e}");
    assert!(e.message().contains("ProtocolVersion"), "{e}");
}
