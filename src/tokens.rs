//! Token endpoints (authy-api.md §3.6–§3.8): request an SMS or a voice call, verify a
//! token.

use crate::client::Client;
use crate::endpoints;
use crate::error::Error;
use crate::params::{Params, bool_str};
use crate::response::Response;
use crate::validation;

/// Optional parameters of [`Client::request_sms`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmsOptions {
    /// Send even when the user has the Authy app (`force=true`); otherwise the API may
    /// answer with [`Response::ignored`].
    pub force: bool,
    /// Custom action (`action`): the code then verifies only with the same action.
    pub action: Option<String>,
    /// Text describing the action (`action_message`).
    pub action_message: Option<String>,
    /// Language of the message (`locale`, like `en` or `pt-BR`).
    pub locale: Option<String>,
}

/// Optional parameters of [`Client::request_call`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Call even when the user has the Authy app (`force=true`).
    pub force: bool,
    /// Custom action (`action`).
    pub action: Option<String>,
    /// Text describing the action (`action_message`).
    pub action_message: Option<String>,
}

/// Optional parameters of [`Client::verify_token`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// `force=true` (the default, like the Python, Ruby, PHP and Java clients): verify the
    /// token even when the user has not finished registration. With `false`, the API
    /// accepts *any* well-formed token for an unconfirmed user.
    pub force: bool,
    /// The custom action the code was issued for (`action`).
    pub action: Option<String>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            force: true,
            action: None,
        }
    }
}

impl Client {
    /// Sends a token by SMS (`GET /protected/json/sms/{id}`). On success
    /// [`Response::cellphone`] is the masked number; [`Response::ignored`] is true when
    /// the SMS was not sent because the user has the app. **Blocks.**
    pub fn request_sms(&self, authy_id: &str, options: &SmsOptions) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        let mut params = action_params(
            options.force,
            options.action.as_deref(),
            options.action_message.as_deref(),
        )?;
        if let Some(locale) = &options.locale {
            validation::text("locale", locale)?;
            params.set("locale", locale.as_str());
        }
        self.call(&endpoints::REQUEST_SMS, &[authy_id], &params)
    }

    /// Starts a voice call reading a token (`GET /protected/json/call/{id}`). **Blocks.**
    pub fn request_call(&self, authy_id: &str, options: &CallOptions) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        let params = action_params(
            options.force,
            options.action.as_deref(),
            options.action_message.as_deref(),
        )?;
        self.call(&endpoints::REQUEST_CALL, &[authy_id], &params)
    }

    /// Verifies a token (`GET /protected/json/verify/{token}/{id}`). **Blocks.**
    ///
    /// The token must be 6–12 digits: anything else is refused before any I/O with the API's
    /// own code and message (`60020` "Token is invalid", kind `InvalidArgument`). The answer is valid only when [`Response::ok`] is
    /// true (status 200 *and* `"token":"is valid"`); a wrong token is a 401 answer with
    /// error code 60020, not an `Err`: `client.verify_token(..)?;` alone proves nothing, check
    /// the answer (or call [`Response::into_result`]).
    #[must_use = "a wrong token is an Ok answer: check Response::ok() or call into_result()"]
    pub fn verify_token(
        &self,
        authy_id: &str,
        token: &str,
        options: &VerifyOptions,
    ) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        validation::token(token)?;
        let mut params = Params::new();
        if options.force {
            params.set("force", "true");
        }
        if let Some(action) = &options.action {
            validation::text("action", action)?;
            params.set("action", action.as_str());
        }
        self.call(&endpoints::VERIFY_TOKEN, &[token, authy_id], &params)
    }
}

fn action_params(
    force: bool,
    action: Option<&str>,
    action_message: Option<&str>,
) -> Result<Params, Error> {
    let mut params = Params::new();
    if force {
        params.set("force", bool_str(true));
    }
    if let Some(action) = action {
        validation::text("action", action)?;
        params.set("action", action);
    }
    if let Some(msg) = action_message {
        validation::text("action message", msg)?;
        params.set("action_message", msg);
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_params_carry_force_action_and_message() {
        let p = action_params(true, Some("login"), Some("Log in to Acme")).unwrap();
        assert_eq!(p.get_str("force"), Some("true"));
        assert_eq!(p.get_str("action"), Some("login"));
        assert_eq!(p.get_str("action_message"), Some("Log in to Acme"));
        let p = action_params(false, None, None).unwrap();
        assert!(p.is_empty(), "nothing unless asked");
        // What the API accepts is sent (issue 13): punctuation and spaces included.
        let p =
            action_params(false, Some("custom action?"), Some("Action message $%^?@#")).unwrap();
        assert_eq!(p.get_str("action"), Some("custom action?"));
        assert_eq!(p.get_str("action_message"), Some("Action message $%^?@#"));
        assert!(
            action_params(false, Some("a\nb"), None).is_err(),
            "LF is never sent"
        );
    }
}
