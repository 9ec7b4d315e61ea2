//! OneTouch (push approval) endpoints (authy-api.md §3.15, §3.16): create an approval
//! request, read its status, wait for a decision.

use std::time::{Duration, Instant};

use crate::client::Client;
use crate::endpoints;
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;
use crate::types::ApprovalStatus;
use crate::validation;

/// One logo of an approval request (`logos[][res]`, `logos[][url]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// Resolution: `default`, `low`, `med` or `high` (the API's list; any value is sent, a
    /// `default` logo is not required).
    pub res: String,
    /// Image URL.
    pub url: String,
}

impl Logo {
    /// Creates a logo.
    pub fn new(res: impl Into<String>, url: impl Into<String>) -> Logo {
        Logo {
            res: res.into(),
            url: url.into(),
        }
    }

    /// The logo of one `logos[]` element (`res` and `url`, nothing else, plain values), as
    /// [`Params::set_nested`] builds it from `logos[][res]` and `logos[][url]`.
    pub(crate) fn from_params(element: &Params) -> Result<Logo, Error> {
        let mut res = None;
        let mut url = None;
        for (key, value) in element.to_string_pairs()? {
            match key.as_str() {
                "res" => res = Some(value),
                "url" => url = Some(value),
                other => {
                    return Err(Error::invalid_argument(format!(
                        "unknown logo field '{other}' (expected res and url)"
                    )));
                }
            }
        }
        match (res, url) {
            (Some(res), Some(url)) => Ok(Logo { res, url }),
            _ => Err(Error::invalid_argument(
                "every logo needs logos[][res] and logos[][url]",
            )),
        }
    }

    /// The `logos[]` element of this logo.
    fn to_params(&self) -> Params {
        Params::new()
            .with("res", self.res.as_str())
            .with("url", self.url.as_str())
    }
}

/// Optional parameters of [`Client::create_approval_request`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalRequestOptions {
    /// Details shown to the user (`details[key]=value`), in order; keys non-empty, without
    /// `[` or `]`.
    pub details: Vec<(String, String)>,
    /// Details not shown to the user (`hidden_details[key]=value`), echoed in callbacks.
    pub hidden_details: Vec<(String, String)>,
    /// Logos (see [`Logo`]).
    pub logos: Vec<Logo>,
    /// Lifetime in seconds (`seconds_to_expire`); `None` uses the API default (86400),
    /// `Some(0)` never expires.
    pub seconds_to_expire: Option<u64>,
}

/// Options of [`Client::wait_for_approval`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Pause between two status requests (default 2 s, at least [`MIN_WAIT_INTERVAL`], 10 ms:
    /// a shorter one is refused, not silently raised).
    pub interval: Duration,
    /// Give up after this long (default 60 s, at most [`MAX_WAIT_TIMEOUT`]: a larger value,
    /// even `Duration::MAX`, is clamped to it); the last request is started before the
    /// deadline, so the call can last up to `timeout` plus one request.
    pub timeout: Duration,
}

/// The shortest [`WaitOptions::interval`] accepted: polling faster than this would hammer the
/// API (and the rate limit) without getting the user's answer any sooner.
pub const MIN_WAIT_INTERVAL: Duration = Duration::from_millis(10);

/// The longest [`WaitOptions::timeout`] honoured (24 h): a larger one is clamped, so a wait
/// always ends, even for a request created with `seconds_to_expire: Some(0)` (never expires).
pub const MAX_WAIT_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// When a wait that starts at `start` with `timeout` gives up: `timeout` is clamped to
/// [`MAX_WAIT_TIMEOUT`], and if even that cannot be represented the wait ends at once
/// (timed out, never approved).
fn wait_deadline(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout.min(MAX_WAIT_TIMEOUT))
        .unwrap_or(start)
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(2),
            timeout: Duration::from_secs(60),
        }
    }
}

/// How [`Client::wait_for_approval`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitStatus {
    /// The user approved.
    Approved,
    /// The user denied.
    Denied,
    /// The request expired.
    Expired,
    /// Still pending when the local deadline passed.
    TimedOut,
}

/// The result of [`Client::wait_for_approval`]: the final status and the last answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalOutcome {
    /// How the wait ended.
    pub status: WaitStatus,
    /// The last status answer received.
    pub response: Response,
}

impl Client {
    /// Sends a push approval request to a user
    /// (`POST /onetouch/json/users/{id}/approval_requests`); the request's uuid is
    /// [`Response::approval_uuid`]. **Blocks.**
    ///
    /// `message` is required (the API answers `60004` when it is empty).
    pub fn create_approval_request(
        &self,
        authy_id: &str,
        message: &str,
        options: &ApprovalRequestOptions,
    ) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        validation::text("message", message)?;
        let mut params = Params::new().with("message", message);
        for (name, entries) in [
            ("details", &options.details),
            ("hidden_details", &options.hidden_details),
        ] {
            if !entries.is_empty() {
                params.set_map(name, validation::detail_map(name, entries)?);
            }
        }
        validation::logos(
            options
                .logos
                .iter()
                .map(|l| (l.res.as_str(), l.url.as_str())),
        )?;
        for logo in &options.logos {
            params.push_map("logos", logo.to_params());
        }
        if let Some(secs) = options.seconds_to_expire {
            params.set("seconds_to_expire", secs.to_string());
        }
        self.call(&endpoints::CREATE_APPROVAL_REQUEST, &[authy_id], &params)
    }

    /// The status of an approval request (`GET /onetouch/json/approval_requests/{uuid}`);
    /// see [`Response::approval_status`]. **Blocks.**
    pub fn approval_request_status(&self, uuid: &str) -> Result<Response, Error> {
        validation::uuid("approval request uuid", uuid)?;
        self.call(&endpoints::APPROVAL_REQUEST_STATUS, &[uuid], &Params::new())
    }

    /// Polls [`approval_request_status`](Client::approval_request_status) every
    /// `options.interval` until the request is approved, denied or expired, or
    /// `options.timeout` (at most [`MAX_WAIT_TIMEOUT`]) has passed (then
    /// [`WaitStatus::TimedOut`]). **Blocks** for up to `options.timeout` plus one request.
    ///
    /// Errors when the interval is under [`MIN_WAIT_INTERVAL`] (before any I/O), when a status
    /// request fails (transport error) or the API answers with an error (for example 404 for an
    /// unknown uuid: kind `NotFound`) or with an unknown status.
    pub fn wait_for_approval(
        &self,
        uuid: &str,
        options: &WaitOptions,
    ) -> Result<ApprovalOutcome, Error> {
        validation::uuid("approval request uuid", uuid)?;
        if options.interval < MIN_WAIT_INTERVAL {
            return Err(Error::invalid_argument(
                "Invalid interval: at least 10 ms between two status requests",
            ));
        }
        let interval = options.interval;
        let deadline = wait_deadline(Instant::now(), options.timeout);
        loop {
            let response = self.approval_request_status(uuid)?.into_result()?;
            let status = match response.approval_status() {
                Some(ApprovalStatus::Approved) => WaitStatus::Approved,
                Some(ApprovalStatus::Denied) => WaitStatus::Denied,
                Some(ApprovalStatus::Expired) => WaitStatus::Expired,
                Some(ApprovalStatus::Pending) => {
                    let now = Instant::now();
                    let remaining = deadline.saturating_duration_since(now);
                    if remaining.is_zero() {
                        return Ok(ApprovalOutcome {
                            status: WaitStatus::TimedOut,
                            response,
                        });
                    }
                    self.pause(interval.min(remaining));
                    continue;
                }
                None => {
                    return Err(Error::new(
                        crate::ErrorKind::Decode,
                        "Invalid response from server: missing or unknown approval_request.status",
                    ));
                }
            };
            return Ok(ApprovalOutcome { status, response });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logo_from_and_to_params() {
        let logo = Logo::new("default", "https://e.com/a.png");
        assert_eq!(Logo::from_params(&logo.to_params()).unwrap(), logo);
        let mut p = Params::new();
        p.set_nested("logos[][url]", "u").unwrap();
        p.set_nested("logos[][res]", "low").unwrap();
        let Some(crate::ParamValue::List(elements)) = p.get("logos") else {
            panic!("logos is an array");
        };
        assert_eq!(
            Logo::from_params(&elements[0]).unwrap(),
            Logo::new("low", "u")
        );
        for (bad, why) in [
            (Params::new().with("res", "low"), "every logo needs"),
            (Params::new().with("url", "u"), "every logo needs"),
            (
                Params::new().with("res", "low").with("size", "1"),
                "unknown logo field 'size'",
            ),
        ] {
            let e = Logo::from_params(&bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
            assert!(e.message().contains(why), "{}", e.message());
        }
    }

    #[test]
    fn wait_deadline_is_always_bounded() {
        let start = Instant::now();
        assert_eq!(
            wait_deadline(start, Duration::from_secs(60)),
            start + Duration::from_secs(60)
        );
        assert_eq!(
            wait_deadline(start, MAX_WAIT_TIMEOUT),
            start + MAX_WAIT_TIMEOUT
        );
        // C's timeout_ms = UINT64_MAX, and Duration::MAX: clamped, never "no deadline".
        for huge in [
            Duration::from_millis(u64::MAX),
            Duration::MAX,
            MAX_WAIT_TIMEOUT + Duration::from_nanos(1),
        ] {
            assert_eq!(wait_deadline(start, huge), start + MAX_WAIT_TIMEOUT);
        }
        assert_eq!(wait_deadline(start, Duration::ZERO), start);
    }
}
