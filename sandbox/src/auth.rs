//! API-key check (authy-api.md §1.2): header `X-Authy-API-Key` first, else `api_key` from the
//! merged parameters (query, form body or JSON body).

use hyper::HeaderMap;

use crate::params::{Params, scalar_text};

/// Whether the request carries the configured key. Compared in constant time.
pub fn authorized(headers: &HeaderMap, params: &Params, expected: &str) -> bool {
    if let Some(h) = headers.get("x-authy-api-key") {
        return h
            .to_str()
            .is_ok_and(|v| ct_eq(v.as_bytes(), expected.as_bytes()));
    }
    params
        .get("api_key")
        .and_then(scalar_text)
        .is_some_and(|v| ct_eq(v.as_bytes(), expected.as_bytes()))
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request target with every `api_key` query value replaced by `[REDACTED]` (for logs).
pub fn redact_target(path: &str, query: Option<&str>) -> String {
    let Some(q) = query else {
        return path.to_string();
    };
    let redacted: Vec<String> = q
        .split('&')
        .map(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            let decoded = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
            if decoded.eq_ignore_ascii_case("api_key") {
                format!("{key}=[REDACTED]")
            } else {
                pair.to_string()
            }
        })
        .collect();
    format!("{path}?{}", redacted.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_key_in_query() {
        assert_eq!(
            redact_target("/p", Some("a=1&api_key=secret&api%5Fkey=x")),
            "/p?a=1&api_key=[REDACTED]&api%5Fkey=[REDACTED]"
        );
        assert_eq!(redact_target("/p", None), "/p");
    }
}
