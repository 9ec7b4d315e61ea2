//! Twilio request parameters (verify-v2.md §1.3): the query string and an
//! `application/x-www-form-urlencoded` body, merged in that order, kept as flat `(key, value)`
//! pairs. Repeated keys are lists (`EventTypes=a&EventTypes=b`), dotted keys are plain names
//! (`Totp.TimeStep`), `+` and `%20` are spaces, names are matched ignoring ASCII case. A JSON
//! object body (the Passkeys endpoints) is read as the same pairs. Typed getters answer
//! 400 60200 `Invalid parameter: {Name}`.

use percent_encoding::percent_decode;
use serde_json::{Map, Value};

use super::envelope::invalid_parameter;
use crate::params::{MAX_KEY_LEN, MAX_PAIRS};
use crate::reply::Reply;

/// Why a request's parameters could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// Bytes that are not UTF-8 after percent-decoding.
    InvalidUtf8,
    /// More than [`MAX_PAIRS`] pairs or a key longer than [`MAX_KEY_LEN`].
    TooComplex,
    /// A JSON body that does not parse (or is not an object).
    MalformedJson,
}

impl FormError {
    /// The 400 answer.
    pub fn reply(&self) -> Reply {
        let message = match self {
            FormError::InvalidUtf8 => "Invalid parameter: request is not valid UTF-8",
            FormError::TooComplex => "Invalid parameter: too many or too long parameters",
            FormError::MalformedJson => "Invalid parameter: malformed JSON body",
        };
        super::envelope::error(400, 60200, message)
    }
}

/// The parameters of one request, in wire order.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Parses a request: the query string, then the body — JSON when the content type names
    /// JSON, form data otherwise.
    pub fn parse(query: Option<&[u8]>, content_type: &str, body: &[u8]) -> Result<Form, FormError> {
        let mut form = Form::default();
        if let Some(q) = query {
            form.add_urlencoded(q)?;
        }
        if !body.is_empty() {
            if content_type.to_ascii_lowercase().contains("json") {
                form.add_json(body)?;
            } else {
                form.add_urlencoded(body)?;
            }
        }
        Ok(form)
    }

    /// Adds `k=v&k2=v2` data (pairs without `=` have an empty value; empty pairs are skipped).
    pub fn add_urlencoded(&mut self, data: &[u8]) -> Result<(), FormError> {
        for pair in data.split(|b| *b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode(k)?;
            let value = decode(v)?;
            self.push(key, value)?;
        }
        Ok(())
    }

    /// Adds a JSON object: strings as they are, numbers and booleans as text, arrays as
    /// repeated keys, objects as JSON text, nulls skipped.
    pub fn add_json(&mut self, body: &[u8]) -> Result<(), FormError> {
        let text = std::str::from_utf8(body).map_err(|_| FormError::InvalidUtf8)?;
        if text.trim().is_empty() {
            return Ok(());
        }
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return Err(FormError::MalformedJson);
        };
        for (k, v) in map {
            let items = match v {
                Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                let value = match item {
                    Value::Null => continue,
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                self.push(k.clone(), value)?;
            }
        }
        Ok(())
    }

    fn push(&mut self, key: String, value: String) -> Result<(), FormError> {
        if self.pairs.len() >= MAX_PAIRS || key.len() > MAX_KEY_LEN {
            return Err(FormError::TooComplex);
        }
        self.pairs.push((key, value));
        Ok(())
    }

    /// Every pair, in wire order.
    #[cfg(test)]
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in wire order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `name` appears at all.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `name` when present and not empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// `name`, which must be present and not empty.
    pub fn required(&self, name: &str) -> Result<&str, Reply> {
        self.text(name).ok_or_else(|| invalid_parameter(name))
    }

    /// Optional text of at most `max` characters.
    pub fn text_max(&self, name: &str, max: usize) -> Result<Option<&str>, Reply> {
        match self.text(name) {
            Some(v) if v.chars().count() > max => Err(invalid_parameter(name)),
            other => Ok(other),
        }
    }

    /// Optional boolean: `true`/`false` in any case.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, Reply> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => parse_bool(v)
                .map(Some)
                .ok_or_else(|| invalid_parameter(name)),
        }
    }

    /// Optional integer within `lo..=hi`.
    pub fn int(&self, name: &str, lo: i64, hi: i64) -> Result<Option<i64>, Reply> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (lo..=hi).contains(n))
                .map(Some)
                .ok_or_else(|| invalid_parameter(name)),
        }
    }

    /// Optional JSON object given as a JSON string (`RateLimits`, `ChannelConfiguration`, …).
    pub fn json_object(&self, name: &str) -> Result<Option<Map<String, Value>>, Reply> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => match serde_json::from_str::<Value>(v) {
                Ok(Value::Object(m)) => Ok(Some(m)),
                _ => Err(invalid_parameter(name)),
            },
        }
    }

    /// Optional JSON value of any kind given as a JSON string.
    pub fn json_value(&self, name: &str) -> Result<Option<Value>, Reply> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => serde_json::from_str::<Value>(v)
                .map(Some)
                .map_err(|_| invalid_parameter(name)),
        }
    }

    /// Optional SID with the given prefix (`HJ…`, `CR…`, …).
    pub fn sid(&self, name: &str, prefix: &str) -> Result<Option<&str>, Reply> {
        match self.text(name) {
            Some(v) if !super::envelope::is_sid(prefix, v) => Err(invalid_parameter(name)),
            other => Ok(other),
        }
    }
}

/// `true`/`false`, any ASCII case.
pub fn parse_bool(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn decode(raw: &[u8]) -> Result<String, FormError> {
    let plus_fixed: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    String::from_utf8(percent_decode(&plus_fixed).collect()).map_err(|_| FormError::InvalidUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &str) -> Form {
        Form::parse(None, "application/x-www-form-urlencoded", body.as_bytes()).unwrap()
    }

    #[test]
    fn reads_the_captured_python_and_node_bodies() {
        // verify-v2.md Appendix A.1 (py) and A.2 (node).
        let py = form(
            "To=%2B15017122661&Channel=sms&Amount=%E2%82%AC39.99&Payee=Acme+Inc.&RateLimits=%7B%22my_rate_limit_key%22%3A+%22abc%22%7D",
        );
        assert_eq!(py.get("To"), Some("+15017122661"));
        assert_eq!(py.get("Amount"), Some("€39.99"));
        assert_eq!(py.get("Payee"), Some("Acme Inc."));
        let rl = py.json_object("RateLimits").unwrap().unwrap();
        assert_eq!(rl["my_rate_limit_key"], "abc");
        let node = form("FriendlyName=My%20App&Totp.TimeStep=30");
        assert_eq!(node.get("FriendlyName"), Some("My App"));
        assert_eq!(node.int("Totp.TimeStep", 20, 60).unwrap(), Some(30));
        let lists = form(
            "EventTypes=factor.verified&EventTypes=challenge.approved&Details.Fields=%7B%22label%22%3A%22IP%22%7D&Details.Fields=%7B%7D",
        );
        assert_eq!(
            lists.all("EventTypes"),
            ["factor.verified", "challenge.approved"]
        );
        assert_eq!(lists.all("Details.Fields"), [r#"{"label":"IP"}"#, "{}"]);
    }

    #[test]
    fn query_comes_first_and_names_ignore_case() {
        let f = Form::parse(
            Some(b"PageSize=5&to=a"),
            "application/x-www-form-urlencoded",
            b"To=b",
        )
        .unwrap();
        assert_eq!(f.all("TO"), ["a", "b"]);
        assert_eq!(f.get("pagesize"), Some("5"));
    }

    #[test]
    fn typed_getters_name_the_parameter() {
        let f = form("LookupEnabled=yes&CodeLength=11&RateLimits=%5B%5D&Ok=TRUE&Empty=");
        let msg = |r: Reply| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["message"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            msg(f.boolean("LookupEnabled").unwrap_err()),
            "Invalid parameter: LookupEnabled"
        );
        assert_eq!(
            msg(f.int("CodeLength", 4, 10).unwrap_err()),
            "Invalid parameter: CodeLength"
        );
        assert_eq!(
            msg(f.json_object("RateLimits").unwrap_err()),
            "Invalid parameter: RateLimits"
        );
        assert_eq!(f.boolean("Ok").unwrap(), Some(true));
        assert_eq!(f.boolean("Empty").unwrap(), None);
        assert_eq!(
            msg(f.required("Empty").unwrap_err()),
            "Invalid parameter: Empty"
        );
        assert!(f.has("Empty"));
    }

    #[test]
    fn json_bodies_become_pairs() {
        let f = Form::parse(
            None,
            "application/json",
            br#"{"friendly_name":"x","n":3,"b":true,"list":["a","b"],"o":{"k":1},"z":null}"#,
        )
        .unwrap();
        assert_eq!(f.get("friendly_name"), Some("x"));
        assert_eq!(f.get("n"), Some("3"));
        assert_eq!(f.get("b"), Some("true"));
        assert_eq!(f.all("list"), ["a", "b"]);
        assert_eq!(f.get("o"), Some(r#"{"k":1}"#));
        assert!(!f.has("z"));
        assert_eq!(
            Form::parse(None, "application/json", b"[1]").unwrap_err(),
            FormError::MalformedJson
        );
    }

    #[test]
    fn limits_and_bad_bytes() {
        assert_eq!(
            Form::parse(None, "", b"a=%FF").unwrap_err(),
            FormError::InvalidUtf8
        );
        let many = "a=1&".repeat(MAX_PAIRS);
        assert!(Form::parse(None, "", many.as_bytes()).is_ok());
        let too_many = format!("{many}b=2");
        assert_eq!(
            Form::parse(None, "", too_many.as_bytes()).unwrap_err(),
            FormError::TooComplex
        );
        let long_key = format!("{}=1", "k".repeat(MAX_KEY_LEN + 1));
        assert_eq!(
            Form::parse(None, "", long_key.as_bytes()).unwrap_err(),
            FormError::TooComplex
        );
        let ok_key = format!("{}=1", "k".repeat(MAX_KEY_LEN));
        assert!(Form::parse(None, "", ok_key.as_bytes()).is_ok());
    }
}
