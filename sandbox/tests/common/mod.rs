//! Helpers shared by the integration tests: an in-process sandbox and a real HTTP client.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use authy_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

/// An answer, with the body kept raw (byte-exact checks) and parsed.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub json: Value,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    /// A response header (first value), by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Env {
    pub sb: Sandbox,
    pub agent: ureq::Agent,
}

/// Starts the `authy-sandbox` binary with `args` (stderr discarded) and returns it with the base
/// URL it printed first. The caller stops it (`kill` + `wait`).
pub fn spawn_binary(args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_authy-sandbox"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("binary runs");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut url)
        .expect("the base URL line");
    (child, url.trim().to_string())
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .proxy(None)
        .build()
        .into()
}

impl Env {
    pub fn new() -> Env {
        Env::with(SandboxConfig::default())
    }

    pub fn with(config: SandboxConfig) -> Env {
        Env {
            sb: Sandbox::start(config).expect("sandbox starts"),
            agent: agent(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.base_url(), path)
    }

    pub fn finish_public(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
        Env::finish(r)
    }

    fn finish(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
        let mut r = r.expect("request completes");
        let status = r.status().as_u16();
        let content_type = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let retry_after = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = r
            .body_mut()
            .with_config()
            .limit(10 * 1024 * 1024)
            .read_to_string()
            .expect("body reads");
        let json = serde_json::from_str(&body).unwrap_or(Value::Null);
        Resp {
            status,
            body,
            json,
            content_type,
            retry_after,
            headers,
        }
    }

    /// `Authorization: Basic …` with the sandbox's Account SID and Auth Token.
    pub fn basic(&self) -> String {
        basic(self.sb.account_sid(), self.sb.auth_token())
    }

    /// A Twilio call (`/v2/...`, `/sandbox/verify/...`) with the account's Basic credentials;
    /// `form` goes in the body for POST, in the query otherwise (when not empty).
    pub fn tw(&self, method: &str, path: &str, form: &str) -> Resp {
        self.tw_as(method, path, form, Some(&self.basic()))
    }

    /// A Twilio call with the given `Authorization` header (or none).
    pub fn tw_as(&self, method: &str, path: &str, form: &str, auth: Option<&str>) -> Resp {
        let mut url = self.url(path);
        if method != "POST" && !form.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(form);
        }
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let body = if method == "POST" {
            req = req.header("Content-Type", "application/x-www-form-urlencoded");
            form.as_bytes().to_vec()
        } else {
            Vec::new()
        };
        let req = req.body(body).expect("request builds");
        Env::finish(self.agent.run(req))
    }

    /// Creates a Verify service with extra form fields; returns its SID.
    pub fn service(&self, extra: &str) -> String {
        let mut form = "FriendlyName=Test+App".to_string();
        if !extra.is_empty() {
            form.push('&');
            form.push_str(extra);
        }
        let r = self.tw("POST", "/v2/Services", &form);
        assert_eq!(r.status, 201, "{}", r.body);
        r.json["sid"].as_str().expect("sid").to_string()
    }

    /// GET with the key in the header.
    pub fn get(&self, path: &str) -> Resp {
        Env::finish(
            self.agent
                .get(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .call(),
        )
    }

    /// GET without any key.
    pub fn get_nokey(&self, path: &str) -> Resp {
        Env::finish(self.agent.get(&self.url(path)).call())
    }

    /// GET with a form body (node style).
    pub fn get_with_form(&self, path: &str, form: &str) -> Resp {
        Env::finish(
            self.agent
                .get(&self.url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .force_send_body()
                .send(form),
        )
    }

    /// GET with a JSON body (seegno style).
    pub fn get_with_json(&self, path: &str, json: &Value) -> Resp {
        Env::finish(
            self.agent
                .get(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .header("Content-Type", "application/json")
                .force_send_body()
                .send(json.to_string()),
        )
    }

    /// POST a form body with the key in the header.
    pub fn post_form(&self, path: &str, form: &str) -> Resp {
        Env::finish(
            self.agent
                .post(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(form),
        )
    }

    /// POST a form body with no key header (key expected in the params).
    pub fn post_form_nokey(&self, path: &str, form: &str) -> Resp {
        Env::finish(
            self.agent
                .post(&self.url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(form),
        )
    }

    /// POST a JSON body with the key in the header.
    pub fn post_json(&self, path: &str, json: &Value) -> Resp {
        Env::finish(
            self.agent
                .post(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .header("Content-Type", "application/json")
                .send(json.to_string()),
        )
    }

    /// POST a raw JSON text with the key in the header.
    pub fn post_json_raw(&self, path: &str, json: &str) -> Resp {
        Env::finish(
            self.agent
                .post(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .header("Content-Type", "application/json")
                .send(json),
        )
    }

    /// POST with an empty body (php style: everything in the query string).
    pub fn post_empty(&self, path: &str) -> Resp {
        Env::finish(
            self.agent
                .post(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .send_empty(),
        )
    }

    pub fn delete(&self, path: &str) -> Resp {
        Env::finish(
            self.agent
                .delete(&self.url(path))
                .header("X-Authy-API-Key", self.sb.api_key())
                .call(),
        )
    }

    /// Creates a user (form encoding) and returns its id.
    pub fn create_user(&self, email: &str, cellphone: &str, cc: &str) -> u64 {
        let form = format!(
            "user%5Bemail%5D={}&user%5Bcellphone%5D={}&user%5Bcountry_code%5D={}",
            enc(email),
            enc(cellphone),
            cc
        );
        let r = self.post_form("/protected/json/users/new", &form);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json["user"]["id"].as_u64().expect("integer id")
    }

    /// The last code delivered to a user, via the control API.
    pub fn last_code(&self, id: u64) -> String {
        let r = self.get(&format!("/sandbox/users/{id}/last_code"));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json["code"].as_str().expect("code").to_string()
    }
}

/// An `Authorization: Basic` value.
pub fn basic(user: &str, pass: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// Asserts the Twilio error envelope (verify-v2.md §1.7).
pub fn assert_tw_error(r: &Resp, status: u16, code: u64, message: &str) {
    assert_eq!(r.status, status, "status of {}", r.body);
    assert_eq!(r.json["code"], code, "{}", r.body);
    assert_eq!(r.json["message"], message, "{}", r.body);
    assert_eq!(r.json["status"], status, "{}", r.body);
    assert_eq!(
        r.json["more_info"],
        format!("https://www.twilio.com/docs/errors/{code}"),
        "{}",
        r.body
    );
    assert!(r.header("date").is_some(), "no Date header");
}

/// Form-encodes one component.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Asserts the §2.2 error envelope.
pub fn assert_error(r: &Resp, status: u16, code: &str, message: &str) {
    assert_eq!(r.status, status, "status of {}", r.body);
    assert_eq!(r.json["success"], Value::Bool(false), "{}", r.body);
    assert_eq!(r.json["message"], message, "{}", r.body);
    assert_eq!(r.json["errors"]["message"], message, "{}", r.body);
    assert_eq!(
        r.json["error_code"],
        Value::String(code.into()),
        "{}",
        r.body
    );
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
}

/// Sends raw bytes over TCP and returns everything the server sent until it closed
/// (`Connection: close` requests) or the timeout hit.
pub fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(request);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    out
}

/// Splits a raw HTTP/1.1 answer into (status, headers text, body bytes).
pub fn split_response(raw: &[u8]) -> Option<(u16, String, Vec<u8>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head, raw[end + 4..].to_vec()))
}

/// One HTTP request received by [`Receiver`].
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP server on 127.0.0.1 that records requests and answers with `status`.
/// Serves at most `max` requests and gives up after 30 s.
pub struct Receiver {
    pub url: String,
    pub rx: std::sync::mpsc::Receiver<Received>,
}

impl Receiver {
    pub fn start(status: u16, max: usize) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!(
            "http://127.0.0.1:{}/authy/callback",
            listener.local_addr().unwrap().port()
        );
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            let mut served = 0;
            while served < max && std::time::Instant::now() < deadline {
                let Ok((mut s, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                served += 1;
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break Some(p);
                    }
                    match s.read(&mut chunk) {
                        Ok(0) | Err(_) => break None,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let Some(head_end) = head_end else { continue };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let mut lines = head.split("\r\n");
                let first = lines.next().unwrap_or("").to_string();
                let mut parts = first.split(' ');
                let method = parts.next().unwrap_or("").to_string();
                let target = parts.next().unwrap_or("").to_string();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .collect();
                let len: usize = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = buf[head_end + 4..].to_vec();
                while body.len() < len {
                    match s.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => body.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = s.write_all(
                    format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    )
                    .as_bytes(),
                );
                let _ = tx.send(Received {
                    method,
                    target,
                    headers,
                    body: String::from_utf8_lossy(&body).to_string(),
                });
            }
        });
        Receiver { url, rx }
    }

    pub fn next(&self) -> Received {
        self.rx
            .recv_timeout(Duration::from_secs(10))
            .expect("a callback arrives")
    }
}
