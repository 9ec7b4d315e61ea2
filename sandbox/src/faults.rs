//! Fault injection for the next N matching non-control requests.

use crate::params::Params;
use crate::reply::Reply;

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Wait `latency_ms`, then answer normally.
    Latency,
    /// Close the connection without answering (the handler does not run).
    Close,
    /// Send the headers and part of a chunked body, then reset the TCP connection (RST).
    Reset,
    /// A 5xx status with an HTML body.
    Status5xx,
    /// 200 with a body that is not valid JSON.
    InvalidJson,
    /// `Content-Length` larger than what is sent, then close.
    Truncated,
    /// 200 with a 2 MiB JSON body.
    Oversized,
    /// 429 with `Retry-After` and the 60003 body.
    RateLimit,
}

/// Every kind with its control-API name.
const KINDS: [(&str, FaultKind); 8] = [
    ("latency", FaultKind::Latency),
    ("close", FaultKind::Close),
    ("reset", FaultKind::Reset),
    ("status_5xx", FaultKind::Status5xx),
    ("invalid_json", FaultKind::InvalidJson),
    ("truncated", FaultKind::Truncated),
    ("oversized", FaultKind::Oversized),
    ("rate_limit", FaultKind::RateLimit),
];

impl FaultKind {
    /// Parses the control API's `kind` value.
    pub fn parse(s: &str) -> Option<FaultKind> {
        KINDS.iter().find(|(name, _)| *name == s).map(|(_, k)| *k)
    }

    /// The control API's name of this kind.
    pub fn as_str(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(name, _)| *name)
            .unwrap_or("unknown")
    }
}

/// One armed fault.
#[derive(Debug, Clone)]
pub struct FaultSpec {
    /// Kind.
    pub kind: FaultKind,
    /// Requests still to hit.
    pub remaining: u64,
    /// Only requests whose path starts with this.
    pub path_prefix: Option<String>,
    /// For `latency`.
    pub latency_ms: u64,
    /// For `status_5xx`.
    pub status: u16,
    /// For `rate_limit`.
    pub retry_after: u64,
}

/// Size of the `oversized` body.
pub const OVERSIZED_BYTES: usize = 2 * 1024 * 1024;

impl FaultSpec {
    /// Builds a spec from control-API parameters, or the error reply.
    pub fn from_params(p: &Params) -> Result<FaultSpec, Reply> {
        let kind_text = p
            .str("kind")
            .ok_or_else(|| Reply::missing_parameter("kind"))?;
        let kind = FaultKind::parse(&kind_text).ok_or_else(|| {
            Reply::invalid_parameter(
                "kind",
                "must be one of latency, close, reset, status_5xx, invalid_json, truncated, oversized, rate_limit",
            )
        })?;
        let int = |name: &str, default: u64, max: u64| -> Result<u64, Reply> {
            match p.str(name).filter(|s| !s.is_empty()) {
                None => Ok(default),
                Some(s) => s.parse::<u64>().ok().filter(|v| *v <= max).ok_or_else(|| {
                    Reply::invalid_parameter(name, &format!("'{s}' is not a valid Integer"))
                }),
            }
        };
        let status = int("status", 503, 599)?;
        if !(500..=599).contains(&status) {
            return Err(Reply::invalid_parameter("status", "must be 500-599"));
        }
        Ok(FaultSpec {
            kind,
            remaining: int("count", 1, 1_000_000)?,
            path_prefix: p.str("path_prefix").filter(|s| !s.is_empty()),
            latency_ms: int("latency_ms", 1000, 120_000)?,
            status: status as u16,
            retry_after: int("retry_after", 1, 86_400)?,
        })
    }

    /// The control API's JSON for this armed fault.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind.as_str(),
            "remaining": self.remaining,
            "path_prefix": self.path_prefix,
            "latency_ms": self.latency_ms,
            "status": self.status,
            "retry_after": self.retry_after,
        })
    }

    fn matches(&self, path: &str) -> bool {
        self.remaining > 0
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
    }
}

/// Consumes one hit of the first armed fault matching `path`.
pub fn take(faults: &mut Vec<FaultSpec>, path: &str) -> Option<FaultSpec> {
    let idx = faults.iter().position(|f| f.matches(path))?;
    let spec = faults[idx].clone();
    faults[idx].remaining -= 1;
    if faults[idx].remaining == 0 {
        faults.remove(idx);
    }
    Some(spec)
}

/// Body of the `status_5xx` fault.
pub fn html_error_body(status: u16) -> String {
    let reason = match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "Server Error",
    };
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// Body of the `oversized` fault: valid JSON, `OVERSIZED_BYTES` long.
pub fn oversized_body() -> Vec<u8> {
    let head = br#"{"success":true,"message":"oversized","padding":""#;
    let tail = br#""}"#;
    let mut body = Vec::with_capacity(OVERSIZED_BYTES);
    body.extend_from_slice(head);
    body.resize(OVERSIZED_BYTES - tail.len(), b'x');
    body.extend_from_slice(tail);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_counts_down_and_respects_prefix() {
        let spec = FaultSpec {
            kind: FaultKind::Close,
            remaining: 2,
            path_prefix: Some("/protected/json/sms".into()),
            latency_ms: 0,
            status: 503,
            retry_after: 1,
        };
        let mut v = vec![spec];
        assert!(take(&mut v, "/protected/json/call/1").is_none());
        assert!(take(&mut v, "/protected/json/sms/1").is_some());
        assert!(take(&mut v, "/protected/json/sms/1").is_some());
        assert!(take(&mut v, "/protected/json/sms/1").is_none());
        assert!(v.is_empty());
        for (name, kind) in KINDS {
            assert_eq!(FaultKind::parse(name), Some(kind));
            assert_eq!(kind.as_str(), name);
        }
        let body = oversized_body();
        assert_eq!(body.len(), OVERSIZED_BYTES);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    }
}
