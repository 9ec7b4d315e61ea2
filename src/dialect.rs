//! What differs between the APIs a client speaks (house style, "Two APIs on one core"): how
//! the credentials travel ([`Credentials`]), what an error answer looks like and which kind
//! it is ([`Dialect`]), and when an answer is a success ([`Success`]). The transport, the
//! [`Response`](crate::Response) and the endpoint table take these from here instead of
//! assuming the Authy API.

use std::fmt;

use base64::Engine as _;
use serde_json::Value;

use crate::error::ErrorKind;

/// Header carrying the Authy API key (the only place the key is ever sent).
pub(crate) const API_KEY_HEADER: &str = "X-Authy-API-Key";

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
    pub(crate) fn holds(self, status: u16, json: Option<&Value>) -> bool {
        let at = |p: &str| json.and_then(|j| j.pointer(p)).and_then(Value::as_str);
        self.status_ok(status)
            && match self {
                Success::Status200 | Success::Any2xx => true,
                Success::TokenValid => at("/token") == Some("is valid"),
                Success::Approved => at("/status") == Some("approved"),
                Success::Verified => at("/status") == Some("verified"),
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
    name: &'static str,
    value: String,
}

impl Credentials {
    /// The Authy API key in `X-Authy-API-Key`.
    pub(crate) fn authy_api_key(api_key: &str) -> Credentials {
        Credentials {
            name: API_KEY_HEADER,
            value: api_key.to_string(),
        }
    }

    /// HTTP Basic (`Authorization: Basic base64(user:secret)`): Twilio's Account SID and Auth
    /// Token, or API key SID and secret.
    pub(crate) fn basic(user: &str, secret: &str) -> Credentials {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        Credentials {
            name: "Authorization",
            value: format!("Basic {token}"),
        }
    }

    /// The header's name.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// The header's value (secret: never log it).
    pub(crate) fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("header", &self.name)
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
        assert_eq!((c.name(), c.value()), ("X-Authy-API-Key", "k-secret-1"));
        assert!(!format!("{c:?}").contains("k-secret-1"));
        // RFC 7617's example: Aladdin / open sesame.
        let c = Credentials::basic("Aladdin", "open sesame");
        assert_eq!(c.name(), "Authorization");
        assert_eq!(c.value(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("QWxh") && !dbg.contains("sesame"), "{dbg}");
    }

    #[test]
    fn success_rules_fail_closed() {
        let j = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert!(Success::Status200.holds(200, None));
        assert!(!Success::Status200.holds(201, None));
        assert!(Success::TokenValid.holds(200, Some(&j(r#"{"token":"is valid"}"#))));
        assert!(!Success::TokenValid.holds(200, Some(&j(r#"{"token":"is invalid"}"#))));
        assert!(!Success::TokenValid.holds(200, None));
        for s in [200, 201, 204, 299] {
            assert!(Success::Any2xx.holds(s, None), "{s}");
        }
        for s in [199, 300, 302, 400, 404, 500] {
            assert!(!Success::Any2xx.holds(s, None), "{s}");
        }
        let approved = j(r#"{"status":"approved","valid":true}"#);
        assert!(Success::Approved.holds(200, Some(&approved)));
        assert!(Success::Approved.holds(201, Some(&approved)));
        for body in [
            r#"{"status":"pending","valid":false}"#,
            r#"{"status":"canceled"}"#,
            r#"{"valid":true}"#,
            r#"{"status":"APPROVED"}"#,
            r#"{"status":true}"#,
        ] {
            assert!(!Success::Approved.holds(200, Some(&j(body))), "{body}");
        }
        assert!(!Success::Approved.holds(200, None));
        assert!(Success::Verified.holds(200, Some(&j(r#"{"status":"verified"}"#))));
        assert!(!Success::Verified.holds(200, Some(&j(r#"{"status":"unverified"}"#))));
        assert!(!Success::Verified.holds(200, Some(&approved)));
        assert!(!Success::Verified.holds(200, None));
        assert!(!Success::Approved.holds(404, Some(&approved)));
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
