//! [`Response`]: one answer of the Authy API (status, raw body, parsed JSON).
//!
//! A call keeps the answer as received and does only the work every caller needs: the body is
//! checked to be a JSON object when the status is a success (without building anything), and
//! the JSON tree and the header list are built the first time something reads them. A caller
//! that looks only at `ok()` and the status pays for neither.

use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

use crate::dialect::Success;
use crate::error::{Error, ErrorKind};
use crate::types::ApprovalStatus;

/// The largest response body accepted, in bytes (1 MiB). Authy answers are small JSON
/// documents; anything larger is refused with [`ErrorKind::Decode`].
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// One answer of the Authy API.
///
/// A `Response` is what every endpoint returns when the server answered, whatever the HTTP
/// status: check [`ok()`](Response::ok), or call [`into_result()`](Response::into_result) to
/// turn an unsuccessful answer into an [`Error`].
///
/// The raw body is always kept; [`json()`](Response::json) is `None` when the body is not
/// JSON (only possible for a non-200 status: a 200 with an undecodable body is an
/// [`ErrorKind::Decode`] error instead).
///
/// `Response` is immutable, `Send + Sync` and cheap to share by reference.
#[derive(Debug, Clone)]
#[must_use = "an unsuccessful answer is still a Response: check ok() or call into_result()"]
pub struct Response {
    status: u16,
    body: String,
    /// The body's JSON, parsed on first use (`None` inside: not JSON).
    json: OnceLock<Option<Value>>,
    /// When this answer is a success (the endpoint's rule; the API family follows from it).
    rule: Success,
    retry_after: Option<std::time::Duration>,
    attempts: u32,
    /// The header lines as received (`Name: value\r\n`, up to the blank line) ...
    wire_headers: WireHead,
    /// ... and as `(name, value)` text, made on first use.
    headers: OnceLock<Vec<(String, String)>>,
}

/// Header lines as received; shown as text.
#[derive(Clone, Default)]
struct WireHead(Vec<u8>);

impl fmt::Debug for WireHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
    }
}

/// Two responses are equal when they hold the same answer (whatever each has parsed so far).
impl PartialEq for Response {
    fn eq(&self, other: &Response) -> bool {
        self.status == other.status
            && self.body == other.body
            && self.rule == other.rule
            && self.retry_after == other.retry_after
            && self.attempts == other.attempts
            && self.headers() == other.headers()
    }
}

impl Response {
    /// Builds a response from an HTTP status and a body, without any network I/O (the same
    /// parsing the client applies to every answer).
    ///
    /// Errors with [`ErrorKind::Decode`] when the status is 200 and the body is not a JSON
    /// object, or when the body is larger than [`MAX_BODY_BYTES`]. For any other status an
    /// undecodable body is kept as raw text with [`json()`](Response::json) `None`.
    pub fn from_parts(status: u16, body: impl Into<String>) -> Result<Response, Error> {
        Response::parse(Success::Status200, MAX_BODY_BYTES, status, body.into())
    }

    /// [`from_parts`](Response::from_parts) under an endpoint's success rule: a success
    /// status (Authy 200, Twilio 2xx) must carry a JSON object, except a Twilio 204 (empty).
    fn parse(rule: Success, limit: usize, status: u16, body: String) -> Result<Response, Error> {
        if body.len() > limit {
            return Err(Error::body_too_large(limit));
        }
        let empty_204 = status == 204 && body.trim().is_empty();
        if rule.status_ok(status) && !empty_204 && !crate::jsoncheck::is_object(&body) {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("Invalid response from server: the {status} body is not a JSON object"),
            ));
        }
        Ok(Response {
            status,
            body,
            json: OnceLock::new(),
            rule,
            retry_after: None,
            attempts: 1,
            wire_headers: WireHead(Vec::new()),
            headers: OnceLock::new(),
        })
    }

    /// Records the answer's `Retry-After`.
    pub(crate) fn with_retry_after(mut self, retry_after: Option<std::time::Duration>) -> Response {
        self.retry_after = retry_after;
        self
    }

    /// Records how many attempts the call made.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Response {
        self.attempts = attempts;
        self
    }

    /// Records the answer's HTTP header lines, as received.
    pub(crate) fn with_head(mut self, headers: Vec<u8>) -> Response {
        self.wire_headers = WireHead(headers);
        self.headers = OnceLock::new();
        self
    }

    /// The answer's HTTP headers as `(name, value)` pairs in the order received; names are
    /// lower-case, a value that is not UTF-8 is lossily converted. Empty for a response built
    /// with [`from_parts`](Response::from_parts).
    pub fn headers(&self) -> &[(String, String)] {
        self.headers.get_or_init(|| {
            let mut slots = [httparse::EMPTY_HEADER; 128];
            // The transport parsed these lines already; they parse again the same way.
            let Ok(httparse::Status::Complete((_, lines))) =
                httparse::parse_headers(&self.wire_headers.0, &mut slots)
            else {
                return Vec::new();
            };
            lines
                .iter()
                .map(|h| {
                    let value = String::from_utf8_lossy(h.value).into_owned();
                    (h.name.to_ascii_lowercase(), value)
                })
                .collect()
        })
    }

    /// The delay the server asked for before trying again (`Retry-After`, in seconds), if
    /// the answer had one (typically with 429 or 503).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after
    }

    /// How many attempts the call made to get this answer (1 unless a retry happened, see
    /// `ClientBuilder::retries`).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Like [`from_parts`](Response::from_parts) from raw bytes: a body that is not UTF-8 is a
    /// decode error on 200 and is kept lossily converted otherwise.
    pub fn from_bytes(status: u16, body: &[u8]) -> Result<Response, Error> {
        Response::from_wire(Success::Status200, MAX_BODY_BYTES, status, body)
    }

    /// [`from_bytes`](Response::from_bytes) under an endpoint's success rule and body limit
    /// (the transport's way in).
    pub(crate) fn from_wire(
        rule: Success,
        limit: usize,
        status: u16,
        body: &[u8],
    ) -> Result<Response, Error> {
        Response::from_wire_vec(rule, limit, status, body.to_vec())
    }

    /// [`from_wire`](Response::from_wire) keeping the bytes read (no copy when they are UTF-8).
    pub(crate) fn from_wire_vec(
        rule: Success,
        limit: usize,
        status: u16,
        body: Vec<u8>,
    ) -> Result<Response, Error> {
        match String::from_utf8(body) {
            Ok(s) => Response::parse(rule, limit, status, s),
            Err(_) if rule.status_ok(status) => Err(Error::new(
                ErrorKind::Decode,
                "Invalid response from server: the body is not UTF-8",
            )),
            Err(e) => Response::parse(
                rule,
                limit,
                status,
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            ),
        }
    }

    /// Marks this response as the answer of a token verification, so that
    /// [`ok()`](Response::ok) also requires `"token":"is valid"`.
    #[cfg(test)]
    pub(crate) fn into_token_check(mut self) -> Response {
        if self.rule == Success::Status200 {
            self.rule = Success::TokenValid;
        }
        self
    }

    /// `true` when this is the answer of a token verification (`verify_token`).
    pub fn is_token_check(&self) -> bool {
        self.rule == Success::TokenValid
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw body text (as received; lossily converted if it was not UTF-8).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The parsed JSON body, or `None` when the body is not JSON.
    pub fn json(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| serde_json::from_str::<Value>(&self.body).ok())
            .as_ref()
    }

    /// Whether the call succeeded, as the official clients define it. Authy: HTTP status 200,
    /// and for a token verification also `"token":"is valid"` in the body. Twilio: any 2xx,
    /// and for a code check (VerificationCheck, a TOTP challenge) also `"status":"approved"`
    /// (a `pending` answer is a wrong code).
    pub fn ok(&self) -> bool {
        self.rule.holds(self.status, || self.json())
    }

    /// The `success` field, accepting both `true` and the string `"true"` (token
    /// verification answers `"success":"true"`). `false` when absent.
    pub fn success(&self) -> bool {
        self.bool_at("/success")
    }

    /// The `ignored` field of an SMS/call answer: `true` when the API did not send the code
    /// because the user has the Authy app (pass `force` to send anyway).
    pub fn ignored(&self) -> bool {
        self.bool_at("/ignored")
    }

    /// The error message: Authy's top-level `message`, or else `errors.message`; Twilio's
    /// `message`.
    pub fn message(&self) -> Option<&str> {
        self.rule.dialect().message(self.json())
    }

    /// The API's error code: Authy `error_code` (for example `"60026"`), Twilio `code` (for
    /// example `"20404"`); a numeric code is rendered as text.
    pub fn error_code(&self) -> Option<String> {
        self.pointer_string(self.rule.dialect().code_pointer())
    }

    /// The `more_info` URL of a Twilio error answer (`None` for Authy answers).
    pub fn more_info(&self) -> Option<&str> {
        self.rule.dialect().more_info(self.json())
    }

    /// The `errors` object, if present.
    pub fn errors(&self) -> Option<&serde_json::Map<String, Value>> {
        self.pointer("/errors").and_then(Value::as_object)
    }

    /// The Authy id of a created user (`user.id`), or of a status answer
    /// (`status.authy_id`).
    pub fn user_id(&self) -> Option<String> {
        self.pointer_string("/user/id")
            .or_else(|| self.pointer_string("/status/authy_id"))
    }

    /// The uuid of an approval request (`approval_request.uuid`).
    pub fn approval_uuid(&self) -> Option<&str> {
        self.str_at("/approval_request/uuid")
    }

    /// The status of an approval request (`approval_request.status`), `None` when absent
    /// or not one of the four known values.
    pub fn approval_status(&self) -> Option<ApprovalStatus> {
        self.str_at("/approval_request/status")
            .and_then(ApprovalStatus::parse)
    }

    /// `seconds_to_expire` of a phone verification, or `approval_request.seconds_to_expire`.
    pub fn seconds_to_expire(&self) -> Option<u64> {
        self.u64_at("/seconds_to_expire")
            .or_else(|| self.u64_at("/approval_request/seconds_to_expire"))
    }

    /// The masked cellphone of an SMS/call answer (`cellphone`, like `+1-XXX-XXX-XX34`).
    pub fn cellphone(&self) -> Option<&str> {
        self.str_at("/cellphone")
    }

    /// The masked phone number of a user status answer (`status.phone_number`, like
    /// `XXX-XXX-1234`).
    pub fn phone_number(&self) -> Option<&str> {
        self.str_at("/status/phone_number")
    }

    /// The device list of a user status answer (`status.devices`); empty when absent.
    pub fn devices(&self) -> Vec<&str> {
        self.pointer("/status/devices")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `status.registered` of a user status answer (the user registered the Authy app).
    pub fn registered(&self) -> Option<bool> {
        self.pointer("/status/registered").and_then(Value::as_bool)
    }

    /// `status.confirmed` of a user status answer (the user used a valid code once).
    pub fn confirmed(&self) -> Option<bool> {
        self.pointer("/status/confirmed").and_then(Value::as_bool)
    }

    /// The QR code URL of a `generate_qr_code` answer (`qr_code`).
    pub fn qr_code(&self) -> Option<&str> {
        self.str_at("/qr_code")
    }

    /// The `uuid` of a phone verification start answer.
    pub fn verification_uuid(&self) -> Option<&str> {
        self.str_at("/uuid")
    }

    /// The top-level `status` string of a phone verification status answer (`pending`,
    /// `verified`, `expired`).
    pub fn verification_status(&self) -> Option<&str> {
        self.str_at("/status")
    }

    /// The records of a Twilio list page: the array named by `meta.key` (or else by the one
    /// key that is not `meta`); empty when there is none.
    pub fn page_records(&self) -> &[Value] {
        crate::pager::records(self.json())
    }

    /// The JSON value at an RFC 6901 pointer (for example `"/app/name"`); `None` when the
    /// body is not JSON or the pointer does not resolve. The empty pointer `""` is the
    /// whole document.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.json()?.pointer(pointer)
    }

    /// The value at a pointer rendered as text: strings as they are, numbers and booleans
    /// in JSON notation; `None` for a missing value, `null`, an array or an object.
    pub fn pointer_string(&self, pointer: &str) -> Option<String> {
        match self.pointer(pointer)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The [`Error`] this answer corresponds to, or `None` when [`ok()`](Response::ok).
    ///
    /// Authy: the kind comes from the error code first (60020 token invalid and 60019 token
    /// reused → `InvalidToken`, 60001 → `Unauthorized`, 60003 → `RateLimited`), then from the
    /// status: 401 → `Unauthorized`, 429 → `RateLimited`, 404 → `NotFound`, 400 →
    /// `InvalidParameters`, 409 → `Conflict`, 5xx → `ServerError`, anything else → `ApiError`.
    /// Twilio: 20003 → `Unauthorized`, 20404 → `NotFound`, 20429 / 60202 / 60203 →
    /// `RateLimited` (told apart by [`Error::api_code`]), then the status as above; a code
    /// check answered 2xx without `approved` (a wrong code) → `InvalidToken`.
    pub fn error(&self) -> Option<Error> {
        if self.ok() {
            return None;
        }
        let dialect = self.rule.dialect();
        let code = self.error_code();
        let rejected_2xx = self.rule.status_ok(self.status);
        let kind = dialect.error_kind(self.status, code.as_deref(), rejected_2xx);
        let message = match self.message() {
            Some(m) if !m.is_empty() => m.to_string(),
            _ if rejected_2xx && matches!(self.rule, Success::Approved | Success::Verified) => {
                format!(
                    "Wrong code: the check's status is {}",
                    self.str_at("/status").unwrap_or("missing")
                )
            }
            _ if self.status == 200 => "Token is invalid".to_string(),
            _ => format!("HTTP status {}", self.status),
        };
        Some(
            Error::api(kind, message, self.status, code)
                .with_more_info(self.more_info().map(str::to_string))
                .with_retry_after(self.retry_after)
                .with_attempts(self.attempts, true),
        )
    }

    /// `Ok(self)` when [`ok()`](Response::ok), else `Err(self.error())`, for `?` semantics.
    pub fn into_result(self) -> Result<Response, Error> {
        match self.error() {
            None => Ok(self),
            Some(e) => Err(e),
        }
    }

    fn str_at(&self, pointer: &str) -> Option<&str> {
        self.pointer(pointer).and_then(Value::as_str)
    }

    fn u64_at(&self, pointer: &str) -> Option<u64> {
        match self.pointer(pointer)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn bool_at(&self, pointer: &str) -> bool {
        match self.pointer(pointer) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response::from_parts(status, body).unwrap()
    }

    #[test]
    fn verify_success_with_string_success() {
        let r = resp(
            200,
            r#"{"message":"Token is valid.","token":"is valid","success":"true","device":{"id":null}}"#,
        )
        .into_token_check();
        assert!(r.ok());
        assert!(r.success());
        assert!(r.error().is_none());
        assert_eq!(r.message(), Some("Token is valid."));
    }

    #[test]
    fn verify_200_without_is_valid_is_not_ok() {
        let r = resp(200, r#"{"message":"odd","success":true}"#).into_token_check();
        assert!(!r.ok());
        let e = r.error().unwrap();
        assert_eq!(e.kind(), ErrorKind::ApiError);
        assert_eq!(e.http_status(), Some(200));
        // Not a token check: 200 is ok.
        assert!(resp(200, r#"{"success":false}"#).ok());
    }

    #[test]
    fn error_envelope() {
        let r = resp(
            401,
            r#"{"message":"Token is invalid","token":"is invalid","success":false,"errors":{"message":"Token is invalid"},"error_code":"60020"}"#,
        );
        assert!(!r.ok());
        assert!(!r.success());
        assert_eq!(r.error_code().as_deref(), Some("60020"));
        assert_eq!(
            r.errors().unwrap().get("message").unwrap(),
            "Token is invalid"
        );
        let e = r.into_result().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidToken);
        assert_eq!(e.authy_code(), Some("60020"));
        assert_eq!(e.http_status(), Some(401));
        assert_eq!(e.message(), "Token is invalid");
    }

    #[test]
    fn kinds_from_status_and_code() {
        let cases = [
            (401, r#"{"error_code":"60001"}"#, ErrorKind::Unauthorized),
            (403, r#"{"error_code":"60001"}"#, ErrorKind::Unauthorized),
            (401, r#"{"error_code":"60016"}"#, ErrorKind::Unauthorized),
            (401, r#"{"error_code":"60020"}"#, ErrorKind::InvalidToken),
            (401, r#"{"error_code":60020}"#, ErrorKind::InvalidToken),
            (401, r#"{"error_code":"60019"}"#, ErrorKind::InvalidToken),
            (429, r#"{"error_code":"60003"}"#, ErrorKind::RateLimited),
            (503, r#"{"error_code":"60003"}"#, ErrorKind::RateLimited),
            (404, r#"{"error_code":"60026"}"#, ErrorKind::NotFound),
            (
                400,
                r#"{"error_code":"60027"}"#,
                ErrorKind::InvalidParameters,
            ),
            (409, "{}", ErrorKind::Conflict),
            (500, r#"{"error_code":"60025"}"#, ErrorKind::ServerError),
            (503, "{}", ErrorKind::ServerError),
            (403, r#"{"error_code":"60065"}"#, ErrorKind::ApiError),
            (302, "", ErrorKind::ApiError),
        ];
        for (status, body, kind) in cases {
            assert_eq!(
                resp(status, body).error().unwrap().kind(),
                kind,
                "{status} {body}"
            );
        }
    }

    #[test]
    fn non_json_bodies() {
        let r = resp(502, "<html>Bad gateway</html>");
        assert_eq!(r.json(), None);
        assert_eq!(r.body(), "<html>Bad gateway</html>");
        assert_eq!(r.message(), None);
        let e = r.error().unwrap();
        assert_eq!(e.kind(), ErrorKind::ServerError);
        assert_eq!(e.message(), "HTTP status 502");
        let e = Response::from_parts(200, "<html>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(
            Response::from_parts(200, "[1,2]").unwrap_err().kind(),
            ErrorKind::Decode
        );
        assert_eq!(
            Response::from_bytes(200, b"\xff\xfe").unwrap_err().kind(),
            ErrorKind::Decode
        );
        let r = Response::from_bytes(500, b"\xffoops").unwrap();
        assert_eq!(r.body(), "\u{fffd}oops");
        let big = "x".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            Response::from_parts(500, big).unwrap_err().kind(),
            ErrorKind::Decode
        );
    }

    #[test]
    fn arbitrary_bodies_never_panic() {
        // A small xorshift generator: deterministic, no dependency.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = br#"{}[]":,0123456789.-+eE truefalsnul\u"#;
        for _ in 0..5_000 {
            let len = (next() % 64) as usize;
            let body: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 8 == 0 {
                        (r >> 8) as u8
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            let status = [200, 401, 404, 429, 503][(next() % 5) as usize];
            if let Ok(r) = Response::from_bytes(status, &body) {
                let _ = (
                    r.ok(),
                    r.success(),
                    r.ignored(),
                    r.message(),
                    r.error_code(),
                );
                let _ = (
                    r.user_id(),
                    r.approval_status(),
                    r.seconds_to_expire(),
                    r.devices(),
                );
                let _ = (r.errors(), r.pointer("/a/0"), r.pointer_string("/x"));
                assert_eq!(r.error().is_none(), r.ok());
                if status == 200 {
                    assert!(r.json().is_some_and(|v| v.is_object()));
                }
            }
        }
    }

    #[test]
    fn typed_accessors() {
        let r = resp(
            200,
            r#"{"message":"User created successfully.","user":{"id":1635},"success":true}"#,
        );
        assert_eq!(r.user_id().as_deref(), Some("1635"));
        let r = resp(
            200,
            r#"{"status":{"authy_id":290907,"confirmed":true,"registered":false,"country_code":1,"phone_number":"XXX-XXX-1118","devices":["iphone","ipad"]},"message":"User status.","success":true}"#,
        );
        assert_eq!(r.user_id().as_deref(), Some("290907"));
        assert_eq!(r.phone_number(), Some("XXX-XXX-1118"));
        assert_eq!(r.devices(), vec!["iphone", "ipad"]);
        assert_eq!(r.confirmed(), Some(true));
        assert_eq!(r.registered(), Some(false));
        let r = resp(
            200,
            r#"{"message":"Ignored","cellphone":"+57-XXX-XXX-XX12","device":"android","ignored":true,"success":true}"#,
        );
        assert!(r.ignored());
        assert_eq!(r.cellphone(), Some("+57-XXX-XXX-XX12"));
        let r = resp(
            200,
            r#"{"approval_request":{"uuid":"u-1","status":"approved","seconds_to_expire":86400},"success":true}"#,
        );
        assert_eq!(r.approval_uuid(), Some("u-1"));
        assert_eq!(r.approval_status(), Some(ApprovalStatus::Approved));
        assert_eq!(r.seconds_to_expire(), Some(86400));
        let r = resp(
            200,
            r#"{"carrier":null,"is_cellphone":true,"seconds_to_expire":599,"uuid":"b8eb","success":true}"#,
        );
        assert_eq!(r.verification_uuid(), Some("b8eb"));
        assert_eq!(r.seconds_to_expire(), Some(599));
        assert_eq!(r.pointer_string("/is_cellphone").as_deref(), Some("true"));
        assert_eq!(r.pointer_string("/carrier"), None);
        assert_eq!(r.pointer("/nope"), None);
        assert!(r.pointer("").unwrap().is_object());
        let r = resp(
            200,
            r#"{"qr_code":"https://example.com/qr.png","success":true}"#,
        );
        assert_eq!(r.qr_code(), Some("https://example.com/qr.png"));
    }
}
