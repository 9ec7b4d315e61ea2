//! What differs between the APIs a client speaks (house style, "Two APIs on one core"): how
//! the credentials travel ([`Credentials`]), what an error answer looks like and which kind
//! it is ([`Dialect`]), and when an answer is a success ([`Success`]). The transport, the
//! [`Response`](crate::Response) and the endpoint table take these from here instead of
//! assuming the Authy API.

use std::fmt;

use base64::Engine as _;
use serde_json::Value;
use ureq::http::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::error::ErrorKind;

/// Header carrying the Authy API key (the only place the key is ever sent).
pub(crate) const API_KEY_HEADER: &str = "X-Authy-API-Key";
/// The same in lower case, as the `http` crate keeps (and sends) every header name.
const API_KEY_HEADER_LOWER: &str = "x-authy-api-key";

/// The API family an endpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dialect {
    /// `api.authy.com`: the `X-Authy-API-Key` header; errors
    /// `{"success":false,"message","error_code":"600xx"}`.
    Authy,
    /// Twilio (`verify.twilio.com/v2`, `lookups.twilio.com/v2`): HTTP Basic; errors
    /// `{"code":60200,"message","more_info","status"}`.
    Twilio,
}

/// The API (and host) an endpoint belongs to; each has its base URL in its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    /// `https://api.authy.com`.
    Authy,
    /// `https://verify.twilio.com` (paths under `/v2`).
    Verify,
    /// `https://lookups.twilio.com` (paths under `/v2`).
    Lookups,
}

impl Api {
    /// The dialect the API speaks.
    pub(crate) fn dialect(self) -> Dialect {
        match self {
            Api::Authy => Dialect::Authy,
            Api::Verify | Api::Lookups => Dialect::Twilio,
        }
    }
}

/// When an answer is a success. Anything else is an error answer: fail closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Success {
    /// Authy: status 200.
    Status200,
    /// Authy token verification: status 200 *and* `"token":"is valid"`.
    TokenValid,
    /// Twilio: any 2xx (create 201, fetch/update 200, delete 204 with an empty body).
    Any2xx,
    /// Twilio code check (VerificationCheck, a TOTP challenge): 2xx *and* `"status":"approved"`;
    /// a `pending` answer is a wrong code, never OK.
    Approved,
    /// Twilio factor verification (an `AuthPayload` sent to a Factor): 2xx *and*
    /// `"status":"verified"`; an `unverified` answer is a wrong code, never OK.
    Verified,
}

impl Success {
    /// The API family whose rule this is.
    pub(crate) fn dialect(self) -> Dialect {
        match self {
            Success::Status200 | Success::TokenValid => Dialect::Authy,
            Success::Any2xx | Success::Approved | Success::Verified => Dialect::Twilio,
        }
    }

    /// Whether `status` is a success status under this rule (the body may still say no).
    pub(crate) fn status_ok(self, status: u16) -> bool {
        match self.dialect() {
            Dialect::Authy => status == 200,
            Dialect::Twilio => (200..300).contains(&status),
        }
    }

    /// Whether the answer is a success: its status, and for code checks its body.
    pub(crate) fn holds<'a>(self, status: u16, json: impl FnOnce() -> Option<&'a Value>) -> bool {
        let field = |p: &str| match self {
            // Only these rules read the body (and parse it).
            Success::Status200 | Success::Any2xx => None,
            _ => json().and_then(|j| j.pointer(p)).and_then(Value::as_str),
        };
        self.status_ok(status)
            && match self {
                Success::Status200 | Success::Any2xx => true,
                Success::TokenValid => field("/token") == Some("is valid"),
                Success::Approved => field("/status") == Some("approved"),
                Success::Verified => field("/status") == Some("verified"),
            }
    }
}

impl Dialect {
    /// Where an answer body keeps its error code: Authy `error_code`, Twilio `code`.
    pub(crate) fn code_pointer(self) -> &'static str {
        match self {
            Dialect::Authy => "/error_code",
            Dialect::Twilio => "/code",
        }
    }

    /// The error message of an answer body: Authy `message` (else `errors.message`), Twilio
    /// `message`.
    pub(crate) fn message(self, json: Option<&Value>) -> Option<&str> {
        let json = json?;
        let at = |p: &str| json.pointer(p).and_then(Value::as_str);
        match self {
            Dialect::Authy => at("/message").or_else(|| at("/errors/message")),
            Dialect::Twilio => at("/message"),
        }
    }

    /// The `more_info` URL of a Twilio error body (`None` for Authy).
    pub(crate) fn more_info(self, json: Option<&Value>) -> Option<&str> {
        match self {
            Dialect::Authy => None,
            Dialect::Twilio => json?.pointer("/more_info").and_then(Value::as_str),
        }
    }

    /// The kind of an unsuccessful answer, from its API code first, then its status.
    /// `rejected_2xx` is a success status whose body said no: for Twilio a code check that is
    /// not `approved` (a wrong code: `InvalidToken`); for Authy a 200 without
    /// `"token":"is valid"`, which the real API never sends (`ApiError`).
    pub(crate) fn error_kind(
        self,
        status: u16,
        code: Option<&str>,
        rejected_2xx: bool,
    ) -> ErrorKind {
        let by_code = match (self, code) {
            (Dialect::Authy, Some("60020" | "60019")) => Some(ErrorKind::InvalidToken),
            (Dialect::Authy, Some("60001")) | (Dialect::Twilio, Some("20003")) => {
                Some(ErrorKind::Unauthorized)
            }
            (Dialect::Authy, Some("60003"))
            | (Dialect::Twilio, Some("20429" | "60202" | "60203")) => Some(ErrorKind::RateLimited),
            (Dialect::Twilio, Some("20404")) => Some(ErrorKind::NotFound),
            _ => None,
        };
        by_code.unwrap_or(match status {
            _ if rejected_2xx && self == Dialect::Twilio => ErrorKind::InvalidToken,
            401 => ErrorKind::Unauthorized,
            429 => ErrorKind::RateLimited,
            404 => ErrorKind::NotFound,
            400 => ErrorKind::InvalidParameters,
            409 => ErrorKind::Conflict,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::ApiError,
        })
    }
}

/// How a client proves who it is: one request header, built once. `Debug` shows only which
/// scheme it is, never the secret.
#[derive(Clone)]
pub(crate) struct Credentials {
    /// The header, marked sensitive (`None`: the value cannot be a header value, which every
    /// request then reports).
    header: Option<(HeaderName, HeaderValue)>,
    /// Which scheme, for `Debug`.
    scheme: &'static str,
}

impl Credentials {
    fn new(name: HeaderName, scheme: &'static str, value: &str) -> Credentials {
        let header = HeaderValue::from_str(value).ok().map(|mut v| {
            v.set_sensitive(true);
            (name, v)
        });
        Credentials { header, scheme }
    }

    /// The Authy API key in `X-Authy-API-Key`.
    pub(crate) fn authy_api_key(api_key: &str) -> Credentials {
        let name = HeaderName::from_static(API_KEY_HEADER_LOWER);
        Credentials::new(name, API_KEY_HEADER, api_key)
    }

    /// HTTP Basic (`Authorization: Basic base64(user:secret)`): Twilio's Account SID and Auth
    /// Token, or API key SID and secret.
    pub(crate) fn basic(user: &str, secret: &str) -> Credentials {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        Credentials::new(AUTHORIZATION, "Authorization", &format!("Basic {token}"))
    }

    /// The header, ready to add to a request (cheap to clone); `None` when the value cannot
    /// be sent as a header value.
    pub(crate) fn header(&self) -> Option<&(HeaderName, HeaderValue)> {
        self.header.as_ref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("header", &self.scheme)
            .field("value", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_one_header_and_redacted() {
        let c = Credentials::authy_api_key("k-secret-1");
        let (name, value) = c.header().unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-authy-api-key", "k-secret-1")
        );
        assert!(!format!("{c:?}").contains("k-secret-1"));
        // RFC 7617's example: Aladdin / open sesame.
        let c = Credentials::basic("Aladdin", "open sesame");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("QWxh") && !dbg.contains("sesame"), "{dbg}");
        let (name, value) = c.header().unwrap();
        assert_eq!(name, "authorization");
        assert_eq!(value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("QWxh"));
        // A value no header can carry: each request reports it.
        assert!(Credentials::authy_api_key("k\nx").header().is_none());
    }

    #[test]
    fn success_rules_fail_closed() {
        let j = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        // The rule applied to a body (None: not JSON), parsed only if the rule reads it.
        let holds = |rule: Success, status: u16, body: Option<&str>| {
            let parsed = body.map(j);
            rule.holds(status, || parsed.as_ref())
        };
        assert!(holds(Success::Status200, 200, None));
        assert!(!holds(Success::Status200, 201, None));
        assert!(holds(
            Success::TokenValid,
            200,
            Some(r#"{"token":"is valid"}"#)
        ));
        assert!(!holds(
            Success::TokenValid,
            200,
            Some(r#"{"token":"is invalid"}"#)
        ));
        assert!(!holds(Success::TokenValid, 200, None));
        for s in [200, 201, 204, 299] {
            assert!(holds(Success::Any2xx, s, None), "{s}");
        }
        for s in [199, 300, 302, 400, 404, 500] {
            assert!(!holds(Success::Any2xx, s, None), "{s}");
        }
        let approved = Some(r#"{"status":"approved","valid":true}"#);
        assert!(holds(Success::Approved, 200, approved));
        assert!(holds(Success::Approved, 201, approved));
        for body in [
            r#"{"status":"pending","valid":false}"#,
            r#"{"status":"canceled"}"#,
            r#"{"valid":true}"#,
            r#"{"status":"APPROVED"}"#,
            r#"{"status":true}"#,
        ] {
            assert!(!holds(Success::Approved, 200, Some(body)), "{body}");
        }
        assert!(!holds(Success::Approved, 200, None));
        assert!(holds(
            Success::Verified,
            200,
            Some(r#"{"status":"verified"}"#)
        ));
        assert!(!holds(
            Success::Verified,
            200,
            Some(r#"{"status":"unverified"}"#)
        ));
        assert!(!holds(Success::Verified, 200, approved));
        assert!(!holds(Success::Verified, 200, None));
        assert!(!holds(Success::Approved, 404, approved));
    }

    #[test]
    fn envelopes_and_kinds() {
        let j = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        let twilio = j(
            r#"{"code":60200,"message":"Invalid parameter: To","more_info":"https://www.twilio.com/docs/errors/60200","status":400}"#,
        );
        let t = Dialect::Twilio;
        assert_eq!(twilio.pointer(t.code_pointer()), Some(&Value::from(60200)));
        assert_eq!(t.message(Some(&twilio)), Some("Invalid parameter: To"));
        assert_eq!(
            t.more_info(Some(&twilio)),
            Some("https://www.twilio.com/docs/errors/60200")
        );
        assert_eq!(Dialect::Authy.more_info(Some(&twilio)), None);
        let authy = j(r#"{"errors":{"message":"User not found."},"error_code":"60026"}"#);
        assert_eq!(
            Dialect::Authy.message(Some(&authy)),
            Some("User not found.")
        );
        use ErrorKind as K;
        for (status, code, rejected, kind) in [
            (401, Some("20003"), false, K::Unauthorized),
            (404, Some("20404"), false, K::NotFound),
            (429, Some("60202"), false, K::RateLimited),
            (429, Some("60203"), false, K::RateLimited),
            (429, Some("20429"), false, K::RateLimited),
            (400, Some("60200"), false, K::InvalidParameters),
            (403, Some("60205"), false, K::ApiError),
            (503, None, false, K::ServerError),
            (200, None, true, K::InvalidToken),
            // Authy codes mean other things in Twilio: 60001 is not an invalid key there.
            (400, Some("60001"), false, K::InvalidParameters),
            (400, Some("60020"), false, K::InvalidParameters),
        ] {
            assert_eq!(
                t.error_kind(status, code, rejected),
                kind,
                "{status} {code:?}"
            );
        }
        assert_eq!(
            Dialect::Authy.error_kind(401, Some("60020"), false),
            K::InvalidToken
        );
        assert_eq!(Dialect::Authy.error_kind(200, None, true), K::ApiError);
        assert_eq!(
            Dialect::Authy.error_kind(404, Some("20404"), false),
            K::NotFound
        );
        assert_eq!(
            Dialect::Authy.error_kind(400, Some("20003"), false),
            K::InvalidParameters
        );
    }
}
