//! Proxies from the environment (`ClientBuilder::proxy_from_env`), through a real proxy on
//! loopback: Debian's tinyproxy, started here with a generated configuration (CONNECT only to
//! the sandbox's port, optional Basic authentication) and stopped after each test.
//!
//! A loopback base URL never goes through a proxy from the environment (Go's net/http rule),
//! so the scenarios that go through the proxy address the sandbox (listening on 127.0.0.1) as
//! `0.0.0.0`, which is not loopback by name but which Linux connects to this host — the proxy
//! connects there; the HTTPS sandbox gets a certificate for that address.
//!
//! The environment is never changed in this process (tests run on parallel threads, and the
//! sandbox's threads read it): each scenario runs this test binary again as a child process
//! (the ignored test `child`) with the variables it needs, and reads the child's outcome.
//!
//! tinyproxy missing: the proxy tests are skipped with a loud note, or fail when `CI` is set
//! (CI installs it).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use authy::Client;
use authy_sandbox::{Sandbox, SandboxConfig, TlsMode};

/// Every variable the library may read for a proxy; removed from each child's environment
/// before the scenario's own are set.
const PROXY_VARS: [&str; 8] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

// ---------------------------------------------------------------- the child

/// Run by the parent tests only (it does nothing without `AUTHY_T_CHILD`): builds a client
/// from `AUTHY_T_*` variables, calls app details (read-only), prints `DEBUG <client>` and
/// `OUTCOME ok <status>` / `OUTCOME err <kind> <message>` / `BUILD err <kind> <message>`.
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
        .proxy_from_env(var("AUTHY_T_FROM_ENV").as_deref() == Some("1"))
        .allow_insecure_http(var("AUTHY_T_INSECURE").as_deref() == Some("1"));
    if let Some(pem) = var("AUTHY_T_CA_PEM") {
        b = b.root_ca_pem(pem);
    }
    if let Some(p) = var("AUTHY_T_PROXY") {
        b = b.proxy(p);
    }
    let c = match b.build() {
        Ok(c) => c,
        Err(e) => {
            println!("\nBUILD err {:?} {}", e.kind(), e.message());
            return;
        }
    };
    println!("\nDEBUG {c:?}");
    match c.app_details() {
        Ok(r) => println!("\nOUTCOME ok {}", r.status()),
        Err(e) => println!("\nOUTCOME err {:?} {}", e.kind(), e.message()),
    }
}

/// What a child printed.
struct Outcome {
    /// `ok 200`, `err Connect ...`, `build-err InvalidArgument ...`.
    result: String,
    debug: String,
}

/// Runs the child with `vars` (plus the proxy variables removed) and returns its outcome.
fn run_child(vars: &[(&str, String)]) -> Outcome {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for v in PROXY_VARS {
        cmd.env_remove(v);
    }
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
    let line = |prefix: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::to_string)
    };
    let result = line("OUTCOME ")
        .or_else(|| line("BUILD ").map(|b| format!("build-{b}")))
        .unwrap_or_else(|| panic!("no outcome in the child's output: {stdout}"));
    Outcome {
        result,
        debug: line("DEBUG ").unwrap_or_default(),
    }
}

/// A sandbox and the CA its clients trust (HTTPS).
struct Target {
    sb: Sandbox,
    ca: Option<String>,
}

/// The variables of a child calling the sandbox as `0.0.0.0` (not loopback by name, so a proxy
/// from the environment applies; http:// then needs allow_insecure_http).
fn child_vars(t: &Target, from_env: bool) -> Vec<(&'static str, String)> {
    let base =
        t.sb.base_url()
            .replace("127.0.0.1", "0.0.0.0")
            .replace("localhost", "0.0.0.0");
    let mut v = loopback_vars(t, from_env);
    v[0].1 = base;
    v.push(("AUTHY_T_INSECURE", "1".to_string()));
    v
}

/// The variables of a child calling the sandbox by its own (loopback) base URL.
fn loopback_vars(t: &Target, from_env: bool) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("AUTHY_T_BASE", t.sb.base_url().to_string()),
        ("AUTHY_T_KEY", t.sb.api_key().to_string()),
        (
            "AUTHY_T_FROM_ENV",
            if from_env { "1" } else { "0" }.to_string(),
        ),
    ];
    if let Some(pem) = &t.ca {
        v.push(("AUTHY_T_CA_PEM", pem.clone()));
    }
    v
}

// ---------------------------------------------------------------- tinyproxy

/// A tinyproxy on 127.0.0.1 allowing CONNECT to one port; stopped and cleaned up on drop.
struct Tinyproxy {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Tinyproxy {
    /// Starts tinyproxy, or returns `None` (after a loud note) when it is not installed.
    /// Panics when it is missing and `CI` is set.
    fn start(connect_port: u16, auth: Option<(&str, &str)>) -> Option<Tinyproxy> {
        let Some(bin) = find_tinyproxy() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "tinyproxy is not installed (apt-get install tinyproxy), and CI is set"
            );
            eprintln!("SKIPPED: tinyproxy is not installed (apt-get install tinyproxy)");
            return None;
        };
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "authy-tinyproxy-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        // A free port (a short race with other programs: retried).
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut conf = format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{log}\"\nLogLevel Info\n\
                 MaxClients 50\nAllow 127.0.0.1\nConnectPort {connect_port}\nDisableViaHeader Yes\n",
                log = dir.join("tinyproxy.log").display()
            );
            if let Some((user, pass)) = auth {
                conf.push_str(&format!("BasicAuth {user} {pass}\n"));
            }
            let conf_path = dir.join("tinyproxy.conf");
            std::fs::write(&conf_path, conf).unwrap();
            let mut child = Command::new(&bin)
                .arg("-d")
                .arg("-c")
                .arg(&conf_path)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("tinyproxy starts");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(Tinyproxy { child, port, dir });
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("tinyproxy did not start (see {})", dir.display());
    }

    fn url(&self, userinfo: &str) -> String {
        format!("http://{userinfo}127.0.0.1:{}", self.port)
    }

    /// Waits briefly for tinyproxy to log `needle` (it logs after relaying); returns the log.
    fn log_with(&self, needle: &str) -> (bool, String) {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            let log = std::fs::read_to_string(self.dir.join("tinyproxy.log")).unwrap_or_default();
            if log.contains(needle) || Instant::now() > deadline {
                return (log.contains(needle), log);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The number of CONNECT requests tinyproxy logged so far.
    fn connects(&self) -> usize {
        let log = std::fs::read_to_string(self.dir.join("tinyproxy.log")).unwrap_or_default();
        log.lines()
            .filter(|l| l.contains("Request (file descriptor") && l.contains("CONNECT "))
            .count()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn find_tinyproxy() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/bin".into(), "/usr/sbin".into()])
        .map(|d| d.join("tinyproxy"))
        .find(|p| p.is_file())
}

fn port_of(t: &Target) -> u16 {
    t.sb.base_url().rsplit(':').next().unwrap().parse().unwrap()
}

/// A 127.0.0.1 port nobody listens on: a proxy that is down.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_sandbox() -> Target {
    Target {
        sb: Sandbox::start(SandboxConfig::default()).unwrap(),
        ca: None,
    }
}

/// An HTTPS sandbox (`https://localhost:PORT`) whose certificate also names 0.0.0.0.
fn https_sandbox() -> Target {
    static N: AtomicUsize = AtomicUsize::new(0);
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "0.0.0.0".into()]).unwrap();
    let dir = std::env::temp_dir().join(format!(
        "authy-proxy-env-cert-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
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
    let _ = std::fs::remove_dir_all(&dir);
    Target {
        sb,
        ca: Some(ck.cert.pem()),
    }
}

// ---------------------------------------------------------------- the tests

#[test]
fn http_base_url_goes_through_http_proxy() {
    let sb = http_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), None) else {
        return;
    };
    let mut vars = child_vars(&sb, true);
    vars.push(("http_proxy", tp.url("")));
    let o = run_child(&vars);
    assert_eq!(o.result, "ok 200", "{}", o.debug);
    assert!(o.debug.contains("(from http_proxy)"), "{}", o.debug);
    let (seen, log) = tp.log_with(&format!("CONNECT 0.0.0.0:{}", port_of(&sb)));
    assert!(seen, "tinyproxy saw no CONNECT:\n{log}");
    assert_eq!(tp.connects(), 1, "{log}");
}

#[test]
fn https_base_url_goes_through_https_proxy_with_connect() {
    let sb = https_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), None) else {
        return;
    };
    for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
        let mut vars = child_vars(&sb, true);
        vars.push((var, tp.url("")));
        // The wrong scheme's variable is not used even when it points elsewhere.
        vars.push(("http_proxy", format!("http://127.0.0.1:{}", closed_port())));
        let o = run_child(&vars);
        assert_eq!(o.result, "ok 200", "{var}: {}", o.debug);
        assert!(o.debug.contains(&format!("(from {var})")), "{}", o.debug);
    }
    let (seen, log) = tp.log_with(&format!("CONNECT 0.0.0.0:{}", port_of(&sb)));
    assert!(seen, "tinyproxy saw no CONNECT:\n{log}");
    assert_eq!(tp.connects(), 3, "{log}");
}

#[test]
fn proxy_credentials_from_the_environment() {
    let sb = https_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), Some(("alice", "s3cr3tpw"))) else {
        return;
    };
    let mut vars = child_vars(&sb, true);
    vars.push(("https_proxy", tp.url("alice:s3cr3tpw@")));
    let o = run_child(&vars);
    assert_eq!(o.result, "ok 200", "{}", o.debug);
    assert!(!o.debug.contains("s3cr3tpw"), "{}", o.debug);
    assert!(o.debug.contains("<redacted>@127.0.0.1"), "{}", o.debug);

    // Without credentials, or with a wrong password, the proxy refuses the tunnel (tinyproxy
    // 1.11 answers 401 rather than 407).
    for userinfo in ["", "alice:wrong@"] {
        let mut vars = child_vars(&sb, true);
        vars.push(("https_proxy", tp.url(userinfo)));
        let o = run_child(&vars);
        assert!(
            o.result.starts_with("err Connect "),
            "{userinfo}: {}",
            o.result
        );
        assert!(
            o.result.contains("401") || o.result.contains("407"),
            "{}",
            o.result
        );
    }
    // The same over an http base URL (a CONNECT tunnel as well).
    let plain = http_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&plain), Some(("alice", "s3cr3tpw"))) else {
        return;
    };
    let mut vars = child_vars(&plain, true);
    vars.push(("http_proxy", tp.url("alice:s3cr3tpw@")));
    let o = run_child(&vars);
    assert_eq!(o.result, "ok 200", "{}", o.debug);
    assert_eq!(tp.connects(), 1);
}

#[test]
fn no_proxy_match_bypasses_the_proxy() {
    let sb = https_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), None) else {
        return;
    };
    // A NO_PROXY match: direct, tinyproxy sees nothing.
    for no_proxy in [
        "0.0.0.0",
        "example.com, 0.0.0.0/8",
        "*",
        &format!("0.0.0.0:{}", port_of(&sb)),
    ] {
        let mut vars = child_vars(&sb, true);
        vars.push(("https_proxy", tp.url("")));
        vars.push(("NO_PROXY", no_proxy.to_string()));
        let o = run_child(&vars);
        assert_eq!(o.result, "ok 200", "{no_proxy}: {}", o.debug);
        assert!(o.debug.contains("proxy: None"), "{no_proxy}: {}", o.debug);
    }
    assert_eq!(tp.connects(), 0);
    // No match (another host, another port, an IP for a host name): through the proxy.
    for no_proxy in ["example.com", "0.0.0.0:1", "127.0.0.1", "localhost"] {
        let mut vars = child_vars(&sb, true);
        vars.push(("https_proxy", tp.url("")));
        vars.push(("no_proxy", no_proxy.to_string()));
        let o = run_child(&vars);
        assert_eq!(o.result, "ok 200", "{no_proxy}: {}", o.debug);
    }
    assert_eq!(tp.connects(), 4);

    // With a proxy that is down the difference is a failure: only a match succeeds.
    let plain = http_sandbox();
    let down = format!("http://127.0.0.1:{}", closed_port());
    for (no_proxy, ok) in [
        ("0.0.0.0/8", true),
        ("0.0.0.0", true),
        ("10.0.0.0/8", false),
    ] {
        let mut vars = child_vars(&plain, true);
        vars.push(("http_proxy", down.clone()));
        vars.push(("no_proxy", no_proxy.to_string()));
        let o = run_child(&vars);
        if ok {
            assert_eq!(o.result, "ok 200", "{no_proxy}");
        } else {
            assert!(
                o.result.starts_with("err Connect "),
                "{no_proxy}: {}",
                o.result
            );
        }
    }
}

#[test]
fn the_environment_is_ignored_unless_opted_in() {
    let sb = http_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), None) else {
        return;
    };
    let down = format!("http://127.0.0.1:{}", closed_port());
    let mut vars = child_vars(&sb, false);
    for v in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
        vars.push((v, tp.url("")));
    }
    let o = run_child(&vars);
    assert_eq!(o.result, "ok 200");
    assert!(o.debug.contains("proxy: None"), "{}", o.debug);
    // A proxy that is down does not matter either.
    let mut vars = child_vars(&sb, false);
    vars.push(("http_proxy", down.clone()));
    vars.push(("ALL_PROXY", down.clone()));
    assert_eq!(run_child(&vars).result, "ok 200");
    // httpoxy: even opted in, the upper-case HTTP_PROXY is never used.
    let mut vars = child_vars(&sb, true);
    vars.push(("HTTP_PROXY", down.clone()));
    assert_eq!(run_child(&vars).result, "ok 200");
    assert_eq!(tp.connects(), 0);
}

#[test]
fn an_explicit_proxy_wins_over_the_environment() {
    let sb = http_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&sb), None) else {
        return;
    };
    let mut vars = child_vars(&sb, true);
    vars.push(("http_proxy", format!("http://127.0.0.1:{}", closed_port())));
    vars.push(("no_proxy", "*".to_string()));
    vars.push(("AUTHY_T_PROXY", tp.url("")));
    let o = run_child(&vars);
    assert_eq!(o.result, "ok 200", "{}", o.debug);
    assert!(!o.debug.contains("(from "), "{}", o.debug);
    assert_eq!(tp.connects(), 1);
}

/// Loopback base URLs (127.0.0.1, localhost; http and https) go direct whatever the proxy
/// variables say: the proxy never sees the request (nor, over http, the API key in it).
#[test]
fn loopback_base_urls_never_use_a_proxy_from_the_environment() {
    let plain = http_sandbox();
    let Some(tp) = Tinyproxy::start(port_of(&plain), None) else {
        return;
    };
    let tls = https_sandbox();
    let by_name = plain.sb.base_url().replace("127.0.0.1", "localhost");
    for (t, base) in [
        (&plain, plain.sb.base_url().to_string()),
        (&plain, by_name),
        (&tls, tls.sb.base_url().to_string()),
    ] {
        let mut vars = loopback_vars(t, true);
        vars[0].1 = base.clone();
        for v in [
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "ALL_PROXY",
            "HTTPS_PROXY",
        ] {
            vars.push((v, tp.url("")));
        }
        let o = run_child(&vars);
        assert_eq!(o.result, "ok 200", "{base}: {}", o.debug);
        assert!(o.debug.contains("proxy: None"), "{base}: {}", o.debug);
    }
    assert_eq!(tp.connects(), 0);
    let (_, log) = tp.log_with("never logged");
    assert!(
        !log.contains("Request ("),
        "the proxy got a request:\n{log}"
    );
}

#[test]
fn an_unusable_proxy_variable_fails_the_build_without_its_value() {
    // No proxy process needed: the build refuses before any I/O.
    let sb = http_sandbox();
    for (var, value) in [
        ("http_proxy", "socks5://bob:hunter22@127.0.0.1:1080"),
        ("ALL_PROXY", "http://bob:hunter22@127.0.0.1:3128/path"),
        ("all_proxy", "http://bob:hunter22@exa mple:1"),
    ] {
        let mut vars = child_vars(&sb, true);
        vars.push((var, value.to_string()));
        let o = run_child(&vars);
        assert!(
            o.result.starts_with(&format!(
                "build-err InvalidArgument Invalid proxy URL in {var}"
            )),
            "{var}: {}",
            o.result
        );
        assert!(!o.result.contains("hunter22"), "{}", o.result);
    }
}

/// Guards the harness itself: a child that cannot reach its base URL reports the failure.
#[test]
fn the_child_reports_failures() {
    let vars = vec![
        (
            "AUTHY_T_BASE",
            format!("http://127.0.0.1:{}", closed_port()),
        ),
        ("AUTHY_T_KEY", "k-123".to_string()),
        ("AUTHY_T_FROM_ENV", "0".to_string()),
    ];
    assert!(run_child(&vars).result.starts_with("err Connect "));
}
