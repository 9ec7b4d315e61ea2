//! Phone verification and phone information endpoints (authy-api.md §3.13, §3.14).

use std::fmt;
use std::str::FromStr;

use crate::client::Client;
use crate::endpoints;
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;
use crate::validation;

/// How a phone verification code is delivered (`via`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Via {
    /// By text message (the default).
    #[default]
    Sms,
    /// By voice call.
    Call,
}

impl Via {
    /// The API's text: `sms` or `call`.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Sms => "sms",
            Via::Call => "call",
        }
    }
}

impl FromStr for Via {
    type Err = Error;

    /// Parses `sms` or `call` in any case, as the API reads them; anything else is refused
    /// with the API's own answer (`60004` "Invalid parameter: via - 'x' is not a valid via").
    fn from_str(s: &str) -> Result<Via, Error> {
        if s.eq_ignore_ascii_case("sms") {
            Ok(Via::Sms)
        } else if s.eq_ignore_ascii_case("call") {
            Ok(Via::Call)
        } else {
            Err(validation::invalid_parameter(
                "via",
                &format!("'{s}' is not a valid via"),
            ))
        }
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Optional parameters of [`Client::start_phone_verification`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneVerificationOptions {
    /// Delivery channel (default SMS).
    pub via: Via,
    /// Language of the message (`locale`, like `en` or `pt-BR`).
    pub locale: Option<String>,
    /// Number of digits of the code, 4–10 (`code_length`); `None` uses the API default
    /// (4).
    pub code_length: Option<u8>,
    /// Custom message text (`custom_message`), usually with a `{{code}}` placeholder.
    pub custom_message: Option<String>,
    /// Your own code (`custom_code`; the feature must be enabled for the application).
    pub custom_code: Option<String>,
}

/// Which phone verification [`Client::phone_verification_status`] looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationLookup<'a> {
    /// By the `uuid` returned by the start call.
    Uuid(&'a str),
    /// By country code and phone number.
    Phone {
        /// Country calling code, 1–4 digits.
        country_code: &'a str,
        /// Phone number.
        phone_number: &'a str,
    },
}

impl Client {
    /// Starts a phone verification (`POST /protected/json/phones/verification/start`): the
    /// API sends a code by SMS or call; [`Response::verification_uuid`] identifies it.
    /// **Blocks.**
    pub fn start_phone_verification(
        &self,
        country_code: &str,
        phone_number: &str,
        options: &PhoneVerificationOptions,
    ) -> Result<Response, Error> {
        let mut params = phone_params(country_code, phone_number)?;
        params.set("via", options.via.as_str());
        if let Some(locale) = &options.locale {
            validation::text("locale", locale)?;
            params.set("locale", locale.as_str());
        }
        if let Some(n) = options.code_length {
            validation::code_length(u64::from(n))?;
            params.set("code_length", n.to_string());
        }
        if let Some(msg) = &options.custom_message {
            validation::text("custom message", msg)?;
            params.set("custom_message", msg.as_str());
        }
        if let Some(code) = &options.custom_code {
            validation::text("custom code", code)?;
            params.set("custom_code", code.as_str());
        }
        self.call(&endpoints::START_PHONE_VERIFICATION, &[], &params)
    }

    /// Checks a phone verification code (`GET /protected/json/phones/verification/check`);
    /// `code` is sent as typed (custom codes may have letters). A wrong code is a 401 answer (60022), no pending
    /// verification a 404 (60023). **Blocks.**
    pub fn check_phone_verification(
        &self,
        country_code: &str,
        phone_number: &str,
        code: &str,
    ) -> Result<Response, Error> {
        let mut params = phone_params(country_code, phone_number)?;
        validation::text("verification code", code)?;
        params.set("verification_code", code);
        self.call(&endpoints::CHECK_PHONE_VERIFICATION, &[], &params)
    }

    /// The status of a phone verification
    /// (`GET /protected/json/phones/verification/status`): see
    /// [`Response::verification_status`] (`pending`, `verified`, `expired`). **Blocks.**
    pub fn phone_verification_status(
        &self,
        lookup: VerificationLookup<'_>,
    ) -> Result<Response, Error> {
        let params = match lookup {
            VerificationLookup::Uuid(uuid) => {
                validation::text("verification uuid", uuid)?;
                Params::new().with("uuid", uuid)
            }
            VerificationLookup::Phone {
                country_code,
                phone_number,
            } => phone_params(country_code, phone_number)?,
        };
        self.call(&endpoints::PHONE_VERIFICATION_STATUS, &[], &params)
    }

    /// Information about a phone number (`GET /protected/json/phones/info`): type
    /// (`cellphone`, `landline`, `voip`, `unknown`) and provider. **Blocks.**
    pub fn phone_info(&self, country_code: &str, phone_number: &str) -> Result<Response, Error> {
        let params = phone_params(country_code, phone_number)?;
        self.call(&endpoints::PHONE_INFO, &[], &params)
    }
}

fn phone_params(country_code: &str, phone_number: &str) -> Result<Params, Error> {
    validation::text("country code", country_code)?;
    validation::text("phone number", phone_number)?;
    Ok(Params::new()
        .with("country_code", country_code)
        .with("phone_number", phone_number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn via_parsing() {
        assert_eq!("sms".parse::<Via>().unwrap(), Via::Sms);
        assert_eq!("call".parse::<Via>().unwrap(), Via::Call);
        assert_eq!(
            "SMS".parse::<Via>().unwrap(),
            Via::Sms,
            "the API reads any case"
        );
        assert_eq!("Call".parse::<Via>().unwrap(), Via::Call);
        assert_eq!(Via::default(), Via::Sms);
        let e = "email".parse::<Via>().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert_eq!(
            e.message(),
            "Invalid parameter: via - 'email' is not a valid via"
        );
        assert_eq!(e.authy_code(), Some("60004"), "the API's own code");
    }
}
