//! HTTP Basic authentication of the Twilio routes (verify-v2.md §1.2): `AccountSid:AuthToken`
//! or `ApiKeySid:ApiKeySecret`. The Authy API key never opens them, and Basic credentials never
//! open the Authy routes (`crate::auth` looks only at `X-Authy-API-Key` / `api_key`).

use base64::Engine as _;
use hyper::HeaderMap;

use crate::config::SandboxConfig;

/// Whether the request carries one of the configured credential pairs. Compared in constant
/// time per pair; every pair is compared.
pub fn authorized(headers: &HeaderMap, config: &SandboxConfig) -> bool {
    let Some((user, pass)) = basic_credentials(headers) else {
        return false;
    };
    let mut ok = ct_eq(&user, &config.account_sid) & ct_eq(&pass, &config.auth_token);
    for (sid, secret) in &config.api_keys {
        ok |= ct_eq(&user, sid) & ct_eq(&pass, secret);
    }
    ok
}

/// `(user, password)` of an `Authorization: Basic …` header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(hyper::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

/// Equal strings, compared in constant time for a given length.
pub fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{AUTHORIZATION, HeaderValue};

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    fn basic(user: &str, pass: &str) -> String {
        let raw = format!("{user}:{pass}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    #[test]
    fn account_and_api_key_pairs_open_and_nothing_else_does() {
        let mut config = SandboxConfig::default();
        config
            .api_keys
            .push(("SK1".into(), "s3cret:with:colons".into()));
        let ok = |h: &str| authorized(&headers(h), &config);
        assert!(ok(&basic(&config.account_sid, &config.auth_token)));
        assert!(ok(&basic("SK1", "s3cret:with:colons")));
        assert!(ok(&format!(
            "basic  {}",
            &basic(&config.account_sid, &config.auth_token)[6..]
        )));
        assert!(!ok(&basic(&config.account_sid, "wrong")));
        assert!(!ok(&basic("SK1", &config.auth_token)));
        assert!(!ok(&basic(&config.account_sid, "s3cret:with:colons")));
        assert!(!ok(&format!("Bearer {}", config.auth_token)));
        assert!(!ok("Basic !!!"));
        assert!(!authorized(&HeaderMap::new(), &config));
    }
}
