//! Responses and the Authy error envelope (authy-api.md §2).
//!
//! Bodies are compact JSON (`"token":"is valid"` with no space, §1.5) and `error_code` is always
//! a JSON string.

use hyper::body::Bytes;
use serde_json::{Map, Value, json};

/// Text of the real API's answer for an unknown route (§11.1).
pub const NOT_FOUND_TEXT: &str =
    "Requested URL was not found. Please check http://docs.authy.com/ to see the valid URLs";

/// One HTTP answer, before faults are applied.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body: Bytes,
    /// `Content-Type` value.
    pub content_type: &'static str,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// Compact JSON with the given status.
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            body: serde_json::to_vec(value)
                .map(Bytes::from)
                .unwrap_or_else(|_| Bytes::from_static(b"{}")),
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
        }
    }

    /// 200 with the given JSON.
    pub fn ok(value: Value) -> Reply {
        Reply::json(200, &value)
    }

    /// §2.2 envelope: `message`, `success:false`, `errors.message`, `error_code` (string).
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::error_with(status, code, message, Map::new(), Map::new())
    }

    /// Envelope with extra keys inside `errors` and at the top level.
    pub fn error_with(
        status: u16,
        code: &str,
        message: &str,
        errors_extra: Map<String, Value>,
        top_extra: Map<String, Value>,
    ) -> Reply {
        let mut errors = errors_extra;
        errors.insert("message".into(), json!(message));
        let mut top = top_extra;
        top.insert("message".into(), json!(message));
        top.insert("success".into(), json!(false));
        top.insert("errors".into(), Value::Object(errors));
        top.insert("error_code".into(), json!(code));
        Reply::json(status, &Value::Object(top))
    }

    /// The real 404 body for unknown routes (no `error_code`).
    pub fn route_not_found() -> Reply {
        Reply::json(
            404,
            &json!({"message": NOT_FOUND_TEXT, "success": false, "errors": {"message": NOT_FOUND_TEXT}}),
        )
    }

    /// 401 60001.
    pub fn invalid_api_key() -> Reply {
        Reply::error(401, "60001", "Invalid API key")
    }

    /// 404 60026.
    pub fn user_not_found() -> Reply {
        Reply::error(404, "60026", "User not found.")
    }

    /// 404 60049 (the real body has an empty `errors` object).
    pub fn approval_not_found(uuid: &str) -> Reply {
        let message = format!("Approval request not found: {uuid}");
        Reply::json(
            404,
            &json!({"message": message, "success": false, "errors": {}, "error_code": "60049"}),
        )
    }

    /// 400 60004 `Invalid parameter: {name} - {detail}`.
    pub fn invalid_parameter(name: &str, detail: &str) -> Reply {
        Reply::error(
            400,
            "60004",
            &format!("Invalid parameter: {name} - {detail}"),
        )
    }

    /// 400 60004 for a missing required parameter.
    pub fn missing_parameter(name: &str) -> Reply {
        Reply::invalid_parameter(name, "Parameter is required")
    }

    /// 503 `60007` "SMS is not enabled" (the application's plan has no SMS; text from go-authy's
    /// live test, code from authy-java's `SMS_DISABLED`, status from the docs' 503 "the app
    /// calling a feature it does not have access to", authy-api.md §2.3, §4).
    pub fn sms_disabled() -> Reply {
        Reply::error(503, "60007", "SMS is not enabled")
    }

    /// 503 `60006` "Phone calls are not enabled on this account" (see [`Reply::sms_disabled`];
    /// code from authy-java's `TOKEN_VIA_CALL_ADDON_DISABLED`).
    pub fn calls_disabled() -> Reply {
        Reply::error(503, "60006", "Phone calls are not enabled on this account")
    }

    /// 500 for a handler that panicked (the server keeps running).
    pub fn internal_error() -> Reply {
        Reply::error(500, "60000", "An error occurred")
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }
}
