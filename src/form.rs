//! [`TwilioForm`]: the flat form encoding of the Twilio APIs (verify-v2.md §1.3): PascalCase
//! keys, dotted keys for grouped settings (`Totp.TimeStep`, `Details.Message`), a repeated key
//! per list item (`EventTypes=a&EventTypes=b`), lowercase booleans, decimal integers, and
//! object parameters as one JSON string (`RateLimits={"k":"v"}`). Unlike [`Params`] there is no
//! nesting syntax: a key is sent as written.
//!
//! [`Params`]: crate::Params

use serde_json::Value;

use crate::error::Error;

/// The parameters of one Twilio request, in order; keys may repeat (lists).
///
/// Keys are checked when added: one or more dot-separated PascalCase names
/// (`[A-Z][A-Za-z0-9]*`). Values are any UTF-8 text; encoding happens in
/// [`encode`](TwilioForm::encode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwilioForm {
    pairs: Vec<(String, String)>,
}

impl TwilioForm {
    /// An empty form.
    pub fn new() -> Self {
        TwilioForm::default()
    }

    /// Adds `key=value` (text as given).
    pub fn text(&mut self, key: &str, value: &str) -> Result<&mut Self, Error> {
        check_key(key)?;
        self.pairs.push((key.to_string(), value.to_string()));
        Ok(self)
    }

    /// Adds `key=true` or `key=false`.
    pub fn boolean(&mut self, key: &str, value: bool) -> Result<&mut Self, Error> {
        self.text(key, if value { "true" } else { "false" })
    }

    /// Adds an integer in decimal.
    pub fn int(&mut self, key: &str, value: i64) -> Result<&mut Self, Error> {
        self.text(key, &value.to_string())
    }

    /// Adds a JSON value as one compact JSON string (object parameters such as `RateLimits`,
    /// `ChannelConfiguration`, `HiddenDetails`; list items such as `Details.Fields`).
    pub fn json(&mut self, key: &str, value: &Value) -> Result<&mut Self, Error> {
        self.text(key, &value.to_string())
    }

    /// Adds one `key=item` per item (a list: the key repeats, no `[]`).
    pub fn list<'a>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = &'a str>,
    ) -> Result<&mut Self, Error> {
        check_key(key)?;
        for item in items {
            self.pairs.push((key.to_string(), item.to_string()));
        }
        Ok(self)
    }

    /// Adds `key=value` when `value` is `Some` (unset optional parameters are omitted).
    pub fn opt_text(&mut self, key: &str, value: Option<&str>) -> Result<&mut Self, Error> {
        match value {
            Some(v) => self.text(key, v),
            None => Ok(self),
        }
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `application/x-www-form-urlencoded` text: `key=value&...`, spaces as `+`.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.pairs)
            .finish()
    }
}

/// One or more dot-separated PascalCase names, at most 128 bytes.
fn check_key(key: &str) -> Result<(), Error> {
    let ok = !key.is_empty()
        && key.len() <= 128
        && key.split('.').all(|name| {
            let mut b = name.bytes();
            b.next().is_some_and(|c| c.is_ascii_uppercase()) && b.all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "Invalid parameter name: expected PascalCase names separated by dots (e.g. Totp.TimeStep)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_official_libraries() {
        let mut f = TwilioForm::new();
        f.text("To", "+15017122661").unwrap();
        f.text("Channel", "sms").unwrap();
        f.boolean("LookupEnabled", true).unwrap();
        f.boolean("SkipSmsToLandlines", false).unwrap();
        f.int("Totp.TimeStep", 30).unwrap();
        f.list("EventTypes", ["factor.verified", "challenge.approved"])
            .unwrap();
        f.json(
            "RateLimits",
            &serde_json::json!({"my_rate_limit_key": "abc"}),
        )
        .unwrap();
        f.text("FriendlyName", "My App").unwrap();
        f.opt_text("Locale", None).unwrap();
        assert_eq!(
            f.encode(),
            "To=%2B15017122661&Channel=sms&LookupEnabled=true&SkipSmsToLandlines=false\
             &Totp.TimeStep=30&EventTypes=factor.verified&EventTypes=challenge.approved\
             &RateLimits=%7B%22my_rate_limit_key%22%3A%22abc%22%7D&FriendlyName=My+App"
        );
        assert_eq!(f.get("EventTypes"), Some("factor.verified"));
        // Decoding gives the pairs back, repeated keys included.
        let back: Vec<(String, String)> = form_urlencoded::parse(f.encode().as_bytes())
            .into_owned()
            .collect();
        assert_eq!(back.as_slice(), f.pairs());
    }

    #[test]
    fn keys_are_pascal_case_names() {
        let mut f = TwilioForm::new();
        for good in ["To", "Totp.TimeStep", "Passkeys.RelyingParty.Id", "A1"] {
            assert!(f.text(good, "x").is_ok(), "{good}");
        }
        for bad in [
            "", "to", "api_key", "Totp.", ".To", "Totp..X", "To[]", "To=x", "T o", "Tö",
        ] {
            let e = f.text(bad, "x").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
        }
        assert!(f.text(&"A".repeat(129), "x").is_err());
    }
}
