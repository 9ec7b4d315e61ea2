//! Twilio answers (verify-v2.md §1.5, §1.7): the error envelope
//! `{"code","message","more_info","status"}`, 201/200/204 bodies, dates `YYYY-MM-DDTHH:MM:SSZ`,
//! SIDs (two-letter prefix + 32 lower-case hex digits).

use hyper::body::Bytes;
use serde_json::{Value, json};

use crate::reply::Reply;

/// Content type of every Twilio answer.
const JSON: &str = "application/json";

/// A JSON answer with the given status.
pub fn json(status: u16, value: &Value) -> Reply {
    let mut r = Reply::json(status, value);
    r.content_type = JSON;
    r
}

/// 200 with `value` (fetch, update, list, check).
pub fn ok(value: Value) -> Reply {
    json(200, &value)
}

/// 201 with `value` (create).
pub fn created(value: Value) -> Reply {
    json(201, &value)
}

/// 204 with an empty body (delete).
pub fn no_content() -> Reply {
    Reply {
        status: 204,
        body: Bytes::new(),
        content_type: JSON,
        headers: Vec::new(),
    }
}

/// The error envelope; `status` repeats the HTTP status.
pub fn error(status: u16, code: u32, message: &str) -> Reply {
    json(
        status,
        &json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        }),
    )
}

/// 400 60200 `Invalid parameter: {name}` (the parameter's wire name, e.g. `To`).
pub fn invalid_parameter(name: &str) -> Reply {
    error(400, 60200, &format!("Invalid parameter: {name}"))
}

/// 404 20404 `The requested resource {path} was not found`.
pub fn not_found(path: &str) -> Reply {
    error(
        404,
        20404,
        &format!("The requested resource {path} was not found"),
    )
}

/// 401 20003 `Authenticate`, with a Basic challenge.
pub fn unauthorized() -> Reply {
    error(401, 20003, "Authenticate")
        .with_header("www-authenticate", "Basic realm=\"Twilio API\"".into())
}

/// 405 20004 `Method not allowed`, with `Allow`.
pub fn method_not_allowed(allow: &str) -> Reply {
    error(405, 20004, "Method not allowed").with_header("allow", allow.to_string())
}

/// 429 20429 `Too many requests` (service rate limits, the `rate_limit` fault).
pub fn too_many_requests() -> Reply {
    error(429, 20429, "Too many requests")
}

/// 500 20500 for a handler that panicked.
pub fn internal_error() -> Reply {
    error(500, 20500, "Internal Server Error")
}

/// `2015-07-30T20:00:00Z`.
pub fn date(ts: i64) -> String {
    crate::clock::iso8601(ts)
}

/// A new SID: `prefix` + 32 lower-case hex digits.
pub fn sid(prefix: &str) -> String {
    format!("{prefix}{}", crate::state::random_hex(32))
}

/// Whether `s` is `prefix` + 32 hex digits (either case).
pub fn is_sid(prefix: &str, s: &str) -> bool {
    s.len() == 34 && s.starts_with(prefix) && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_have_the_documented_shape() {
        let s = sid("VA");
        assert!(is_sid("VA", &s), "{s}");
        assert!(
            s[2..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        );
        assert!(!is_sid("VE", &s));
        assert!(!is_sid("VA", "VA123"));
        assert!(!is_sid("VA", &format!("{s}0")));
    }

    #[test]
    fn error_envelope_has_the_four_fields() {
        let r = invalid_parameter("To");
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            v,
            json!({"code": 60200, "message": "Invalid parameter: To",
                   "more_info": "https://www.twilio.com/docs/errors/60200", "status": 400})
        );
        assert_eq!(r.status, 400);
    }
}
