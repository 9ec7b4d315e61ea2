//! What the `bench_*` examples share (`mod bench_common;` in each): the sandbox they are
//! pointed at, clients built for it, a bare ureq agent configured like the library's, medians,
//! timed loops and `/proc/self/status` readings.
//!
//! The examples talk to an `authy-sandbox` that `bench/run.sh` started (one HTTP and one HTTPS
//! process for the whole run), so that every client — C, Rust, wrk, authy-python — is measured
//! against the same server. A target is given on the command line as `BASE_URL API_KEY
//! CA_FILE|-` (the PEM the sandbox wrote with `--tls-self-signed --ca-out`, `-` for none).

// Each example uses part of this module.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use authy::Client;

/// The sandbox a benchmark talks to.
pub struct Target {
    pub base_url: String,
    pub api_key: String,
    /// The sandbox's self-signed certificate (PEM) for an `https://` base URL.
    pub ca_pem: Option<String>,
}

impl Target {
    /// Reads `BASE_URL API_KEY CA_FILE|-` from `args` (the rest is returned).
    pub fn from_args(args: &[String]) -> (Target, &[String]) {
        let [base_url, api_key, ca, rest @ ..] = args else {
            panic!("expected BASE_URL API_KEY CA_FILE|- ...");
        };
        let ca_pem = (ca != "-").then(|| {
            std::fs::read_to_string(ca).unwrap_or_else(|e| panic!("cannot read {ca}: {e}"))
        });
        let target = Target {
            base_url: base_url.clone(),
            api_key: api_key.clone(),
            ca_pem,
        };
        (target, rest)
    }

    /// A client with the library's defaults for this target (plus its root CA).
    pub fn client(&self) -> Client {
        let mut builder = Client::builder(self.api_key.as_str()).base_url(self.base_url.as_str());
        if let Some(pem) = &self.ca_pem {
            builder = builder.root_ca_pem(pem.as_str());
        }
        builder.build().expect("build the client")
    }

    /// A bare ureq 3 agent sending what the library sends (User-Agent, Accept, no redirects,
    /// no proxy, 4xx/5xx as answers, the library's connect timeout and pool size) with the
    /// sandbox's CA, but **without** a global timeout: with one, ureq 3.5 resolves the host
    /// on a new thread per request. This is the fastest plain use of the HTTP stack the
    /// library is built on.
    pub fn bare_agent(&self, user_agent: &str) -> ureq::Agent {
        use ureq::tls::{Certificate, RootCerts, TlsConfig};
        let roots = match &self.ca_pem {
            Some(pem) => {
                let cert = Certificate::from_pem(pem.as_bytes())
                    .expect("a PEM certificate")
                    .to_owned();
                RootCerts::new_with_certs(&[cert])
            }
            None => RootCerts::WebPki,
        };
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(authy::DEFAULT_CONNECT_TIMEOUT))
            .max_idle_connections_per_host(32)
            .max_idle_connections(64)
            .user_agent(user_agent)
            .accept("application/json")
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build()
            .into()
    }

    /// The `Authorization` header of a Twilio request when `api_key` is given as
    /// `ACCOUNT_SID:AUTH_TOKEN`: HTTP Basic, what the Verify client sends.
    pub fn basic_authorization(&self) -> String {
        use base64::Engine as _;
        let credentials = base64::engine::general_purpose::STANDARD.encode(&self.api_key);
        format!("Basic {credentials}")
    }
}

/// `GET url` with a bare agent and one credential header; the whole body is read with the
/// library's size limit; panics unless the answer is 200.
pub fn bare_get_with(agent: &ureq::Agent, url: &str, header: &str, value: &str) {
    let mut resp = agent
        .get(url)
        .header(header, value)
        .call()
        .expect("bare call");
    assert_eq!(resp.status().as_u16(), 200, "bare call answered");
    let body = resp
        .body_mut()
        .with_config()
        .limit(authy::MAX_BODY_BYTES as u64)
        .read_to_vec()
        .expect("read body");
    std::hint::black_box(body);
}

/// The endpoint every client is measured on (`app_details`), the one `wrk` and authy-python
/// are pointed at too.
pub const ENDPOINT: &str = "/protected/json/app/details";

/// One `app_details` call through the library; panics unless it succeeded.
pub fn app_details(client: &Client) {
    let resp = client.app_details().expect("app_details");
    assert!(resp.ok(), "unexpected answer: {}", resp.status());
    let _ = std::hint::black_box(resp);
}

/// The median (the mean of the middle two for an even count); NaN for none.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// An environment variable parsed, or `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Calls `f` for `warm_up`, then for `duration`; returns calls per second of the second part.
pub fn rate_for(warm_up: Duration, duration: Duration, mut f: impl FnMut()) -> f64 {
    let until = Instant::now() + warm_up;
    while Instant::now() < until {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    loop {
        f();
        calls += 1;
        let elapsed = start.elapsed();
        if elapsed >= duration {
            return calls as f64 / elapsed.as_secs_f64();
        }
    }
}

/// A `/proc/self/status` field in KiB (`VmHWM`, `VmRSS`).
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}
