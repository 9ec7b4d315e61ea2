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

/// Whether `candidate` (a header or parameter value) is the configured key (constant time).
pub fn key_matches(candidate: Option<&str>, expected: &str) -> bool {
    candidate.is_some_and(|v| ct_eq(v.as_bytes(), expected.as_bytes()))
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request target with the value of every `api_key` parameter replaced by `[REDACTED]`
/// (for logs).
///
/// Mirrors the parameter parser (`params::Params::add_urlencoded`): pairs are separated by `&`
/// or `;`, names are percent-decoded (with `+` as a space) before they are compared, and both
/// the plain `api_key` and any nested form (`api_key[]`, `api_key[x]`) count. The comparison
/// ignores ASCII case, so a few harmless look-alikes are redacted too.
pub fn redact_target(path: &str, query: Option<&str>) -> String {
    let Some(q) = query else {
        return path.to_string();
    };
    let mut out = String::with_capacity(path.len() + 1 + q.len());
    out.push_str(path);
    out.push('?');
    let mut rest = q;
    loop {
        let end = rest.find(['&', ';']).unwrap_or(rest.len());
        let pair = &rest[..end];
        let name = pair.split('=').next().unwrap_or("");
        if is_api_key_name(name) {
            out.push_str(name);
            out.push_str("=[REDACTED]");
        } else {
            out.push_str(pair);
        }
        if end == rest.len() {
            break;
        }
        // The separator is one ASCII byte.
        out.push_str(&rest[end..end + 1]);
        rest = &rest[end + 1..];
    }
    out
}

/// Whether a raw (still percent-encoded) parameter name decodes to `api_key` or `api_key[…`.
fn is_api_key_name(raw: &str) -> bool {
    let plus_fixed = raw.replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&plus_fixed).decode_utf8_lossy();
    let Some(head) = decoded.get(..7) else {
        return false;
    };
    head.eq_ignore_ascii_case("api_key") && matches!(decoded.as_bytes().get(7), None | Some(b'['))
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

    #[test]
    fn redacts_key_after_semicolon() {
        assert_eq!(
            redact_target("/p", Some("x=1;api_key=S3CRETKEY123")),
            "/p?x=1;api_key=[REDACTED]"
        );
        assert_eq!(
            redact_target("/p", Some("api_key=A;b=2&api_key=B")),
            "/p?api_key=[REDACTED];b=2&api_key=[REDACTED]"
        );
    }

    #[test]
    fn redacts_nested_and_encoded_key_names() {
        assert_eq!(
            redact_target("/p", Some("api_key%5B%5D=S3CRET&api_key[x]=S3CRET2")),
            "/p?api_key%5B%5D=[REDACTED]&api_key[x]=[REDACTED]"
        );
        assert_eq!(
            redact_target("/p", Some("%61%70%69%5f%6b%65%79=S3CRET")),
            "/p?%61%70%69%5f%6b%65%79=[REDACTED]"
        );
        assert_eq!(
            redact_target("/p", Some("api_key[][a]=S3CRET")),
            "/p?api_key[][a]=[REDACTED]"
        );
        // A key without '=' carries no value but is still normalised.
        assert_eq!(
            redact_target("/p", Some("api_key")),
            "/p?api_key=[REDACTED]"
        );
    }

    #[test]
    fn leaves_other_parameters_alone() {
        assert_eq!(
            redact_target("/p", Some("api_keys=1&xapi_key=2&api+key=3&&;q=%E2%9C%93")),
            "/p?api_keys=1&xapi_key=2&api+key=3&&;q=%E2%9C%93"
        );
        assert_eq!(redact_target("/p", Some("")), "/p?");
        // Non-UTF-8 escapes and non-ASCII names do not panic.
        assert_eq!(redact_target("/p", Some("%FF%FE=1&é=2")), "/p?%FF%FE=1&é=2");
    }

    #[test]
    fn redacted_target_never_contains_the_value() {
        for q in [
            "api_key=S3CRET",
            "a=1;api_key=S3CRET",
            "api_key%5B%5D=S3CRET",
            "API_KEY=S3CRET",
            "api%5Fkey%5Bx%5D=S3CRET;z=1",
            "api_key=S3CRET=tail",
        ] {
            let t = redact_target("/p", Some(q));
            assert!(!t.contains("S3CRET"), "{q} -> {t}");
        }
    }
}
