//! Opt-in "fail-open" token verification: a three-way [`Verdict`] that lets a caller
//! accept a login when the Authy API cannot be reached, without ever confusing that case
//! with a valid token.
//!
//! This is never the default: [`Client::verify_token`] answers only what the API said.
//! Accepting logins while the API is unreachable weakens two-factor authentication to one
//! factor for that time; use it only where availability matters more, log every
//! [`Verdict::AcceptedApiUnreachable`], and keep [`FailOpenPolicy::accept_on_rate_limit`]
//! off unless you have another brute-force defence (an attacker who floods your login can
//! make the API answer 429).

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::response::Response;
use crate::tokens::VerifyOptions;

/// The outcome of [`Client::verify_token_fail_open`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub enum Verdict {
    /// The API answered that the token is valid.
    Valid,
    /// The API answered, and the token was not accepted (wrong token, unknown user, any
    /// 3xx/4xx answer, a 5xx answer carrying an Authy `error_code` such as 60060 "account
    /// suspended", or a 5xx/429 answer the policy does not accept).
    Invalid,
    /// The API could not be reached or failed (transport error, a 5xx answer without an
    /// Authy `error_code`, or 429 if the policy allows it), and the policy accepts the login
    /// anyway. **Not** a valid token.
    AcceptedApiUnreachable,
}

/// Which failures [`Client::verify_token_fail_open`] turns into
/// [`Verdict::AcceptedApiUnreachable`].
///
/// A TLS failure is never accepted (it can mean an active attack): it is returned as an
/// `Err`. Neither is a 4xx answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailOpenPolicy {
    /// Accept on connect, DNS, timeout and I/O errors (default `true`).
    pub accept_on_transport_error: bool,
    /// Accept on a 5xx answer that is not an Authy error: a body that is not JSON (a proxy
    /// or load-balancer error page) or JSON without an `error_code` (default `true`). A
    /// well-formed Authy 5xx error (for example 503 / 60060, account suspended or feature
    /// not enabled, authy-api.md §2.3) is the API's answer and always
    /// [`Verdict::Invalid`].
    pub accept_on_server_error: bool,
    /// Accept on a 429 / 60003 answer (default `false`: an attacker can provoke it).
    pub accept_on_rate_limit: bool,
}

impl Default for FailOpenPolicy {
    fn default() -> Self {
        FailOpenPolicy {
            accept_on_transport_error: true,
            accept_on_server_error: true,
            accept_on_rate_limit: false,
        }
    }
}

impl Verdict {
    /// Classifies the outcome of [`Client::verify_token`] under `policy`.
    ///
    /// `Err` (returned as a clone of the error) means no verdict: an invalid argument, a
    /// TLS failure, an undecodable answer, or a transport error the policy does not
    /// accept. Treat it as a refusal.
    pub fn from_outcome(
        outcome: &Result<Response, Error>,
        policy: &FailOpenPolicy,
    ) -> Result<Verdict, Error> {
        match outcome {
            Ok(resp) if resp.ok() => Ok(Verdict::Valid),
            Ok(resp) => {
                let kind = resp.error().map(|e| e.kind());
                let accepted = match kind {
                    Some(ErrorKind::ServerError) => {
                        policy.accept_on_server_error && !has_authy_error_code(resp)
                    }
                    Some(ErrorKind::RateLimited) => policy.accept_on_rate_limit,
                    _ => false,
                };
                Ok(if accepted {
                    Verdict::AcceptedApiUnreachable
                } else {
                    Verdict::Invalid
                })
            }
            Err(e) => match e.kind() {
                // Something answered, and it was not HTTP: not an unreachable API.
                ErrorKind::Io if e.is_protocol() => Err(e.clone()),
                ErrorKind::Connect
                | ErrorKind::Dns
                | ErrorKind::Timeout
                | ErrorKind::Io
                | ErrorKind::ConnectTimeout
                | ErrorKind::NoResponse
                | ErrorKind::Truncated
                    if policy.accept_on_transport_error =>
                {
                    Ok(Verdict::AcceptedApiUnreachable)
                }
                _ => Err(e.clone()),
            },
        }
    }
}

/// `true` when the body is JSON with a non-null `error_code`: the Authy API itself answered.
fn has_authy_error_code(resp: &Response) -> bool {
    !matches!(
        resp.pointer("/error_code"),
        None | Some(serde_json::Value::Null)
    )
}

impl Client {
    /// Verifies a token like [`verify_token`](Client::verify_token), but answers with a
    /// three-way [`Verdict`]: when the API is unreachable or failing, as allowed by
    /// `policy`, the verdict is [`Verdict::AcceptedApiUnreachable`] — never
    /// [`Verdict::Valid`]. **Blocks.**
    ///
    /// Invalid arguments are still refused before any I/O (`Err`), and so is a TLS
    /// failure; see [`Verdict::from_outcome`].
    pub fn verify_token_fail_open(
        &self,
        authy_id: &str,
        token: &str,
        options: &VerifyOptions,
        policy: &FailOpenPolicy,
    ) -> Result<Verdict, Error> {
        let outcome = self.verify_token(authy_id, token, options);
        Verdict::from_outcome(&outcome, policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Result<Response, Error> {
        Response::from_parts(status, body).map(Response::into_token_check)
    }

    #[test]
    fn classification() {
        let p = FailOpenPolicy::default();
        let valid = answer(200, r#"{"token":"is valid","success":"true"}"#);
        assert_eq!(Verdict::from_outcome(&valid, &p).unwrap(), Verdict::Valid);
        let wrong = answer(401, r#"{"token":"is invalid","error_code":"60020"}"#);
        assert_eq!(Verdict::from_outcome(&wrong, &p).unwrap(), Verdict::Invalid);
        let odd200 = answer(200, r#"{"success":true}"#);
        assert_eq!(
            Verdict::from_outcome(&odd200, &p).unwrap(),
            Verdict::Invalid
        );
        for status in [400, 401, 403, 404, 409] {
            let r = answer(status, "{}");
            assert_eq!(Verdict::from_outcome(&r, &p).unwrap(), Verdict::Invalid);
        }
        let down = answer(503, "<html>down</html>");
        assert_eq!(
            Verdict::from_outcome(&down, &p).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
        let proxy_json = answer(502, r#"{"message":"Bad gateway"}"#);
        assert_eq!(
            Verdict::from_outcome(&proxy_json, &p).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
        let null_code = answer(500, r#"{"error_code":null}"#);
        assert_eq!(
            Verdict::from_outcome(&null_code, &p).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
        let limited = answer(429, r#"{"error_code":"60003"}"#);
        assert_eq!(
            Verdict::from_outcome(&limited, &p).unwrap(),
            Verdict::Invalid
        );
        let p429 = FailOpenPolicy {
            accept_on_rate_limit: true,
            ..p
        };
        assert_eq!(
            Verdict::from_outcome(&limited, &p429).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
        let strict = FailOpenPolicy {
            accept_on_server_error: false,
            accept_on_transport_error: false,
            accept_on_rate_limit: false,
        };
        assert_eq!(
            Verdict::from_outcome(&down, &strict).unwrap(),
            Verdict::Invalid
        );
        let refused: Result<Response, Error> = Err(Error::new(ErrorKind::Connect, "refused"));
        assert_eq!(
            Verdict::from_outcome(&refused, &p).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
        assert!(Verdict::from_outcome(&refused, &strict).is_err());
        for kind in [
            ErrorKind::Tls,
            ErrorKind::InvalidArgument,
            ErrorKind::Decode,
        ] {
            let r: Result<Response, Error> = Err(Error::new(kind, "x"));
            assert_eq!(Verdict::from_outcome(&r, &p).unwrap_err().kind(), kind);
        }
    }

    /// authy-api.md §2.3: 503 is also the API's answer for a suspended account or a feature
    /// the app has no access to. Such an answer is a refusal, not an outage.
    #[test]
    fn authy_5xx_errors_are_refusals() {
        let p = FailOpenPolicy::default();
        for (status, body) in [
            (
                503,
                r#"{"message":"Your account is suspended","success":false,"errors":{"message":"Your account is suspended"},"error_code":"60060"}"#,
            ),
            (500, r#"{"error_code":60060}"#),
            (502, r#"{"error_code":"60000","message":"Internal error"}"#),
        ] {
            let r = answer(status, body);
            assert_eq!(
                Verdict::from_outcome(&r, &p).unwrap(),
                Verdict::Invalid,
                "{status} {body}"
            );
        }
        // The same status without an Authy error code (an HTML error page) is an outage.
        let page = answer(503, "<html><body>Service Unavailable</body></html>");
        assert_eq!(
            Verdict::from_outcome(&page, &p).unwrap(),
            Verdict::AcceptedApiUnreachable
        );
    }
}
