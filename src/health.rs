//! A health check without side effects: can this client reach the API, over TLS, with a key the
//! API accepts, and how long does a call take? (The GAuthify `quick_test` idea, made safe: it
//! reads the application's details instead of sending an SMS.)

use std::time::{Duration, Instant};

use crate::client::Client;
use crate::error::Error;

/// What a health check found; see [`Client::health_check`].
#[derive(Debug, Clone)]
pub struct HealthReport {
    error: Option<Error>,
    latency: Duration,
    tls: bool,
    app_name: Option<String>,
}

impl HealthReport {
    /// `true` when the API answered the check successfully: reachable, TLS (if https) and the
    /// API key accepted.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }

    /// Why the check failed (its kind tells the stage: `Dns`, `Connect`, `ConnectTimeout`,
    /// `Tls`, `Timeout`, `NoResponse`..., `Unauthorized` for a key the API refused,
    /// `ServerError`, ...), or `None` when [`ok`](HealthReport::ok).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The time the check's call took, connection included when one had to be made.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// Whether the base URL is `https` (the check then also proved the certificate trusted).
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// The application's name, from the answer.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }
}

impl Client {
    /// Checks the key, the connectivity, TLS and the latency to the configured API with one
    /// call without side effects (`GET /protected/json/app/details`). Never fails: a failure is
    /// in the report. **Blocks** (at most the client's timeout).
    pub fn health_check(&self) -> HealthReport {
        let started = Instant::now();
        let outcome = self.app_details();
        let latency = started.elapsed();
        let tls = self.base_url().starts_with("https://");
        let (error, app_name) = match outcome {
            Ok(resp) => match resp.error() {
                None => (None, resp.pointer_string("/app/name")),
                Some(e) => (Some(e), None),
            },
            Err(e) => (Some(e), None),
        };
        HealthReport {
            error,
            latency,
            tls,
            app_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_closed_port_is_an_unhealthy_connect_report() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let c = Client::builder("k")
            .base_url(format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let r = c.health_check();
        assert!(!r.ok() && !r.tls());
        assert_eq!(r.error().map(Error::kind), Some(ErrorKind::Connect));
        assert!(r.app_name().is_none());
    }
}
