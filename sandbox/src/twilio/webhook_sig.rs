//! `X-Twilio-Signature`, the signature Twilio puts on the webhooks it sends (verify-v2.md §4.5):
//! Base64(HMAC-SHA1(Auth Token, URL + every parameter name in sorted order followed by each of
//! its distinct values in sorted order)). JSON-bodied webhooks sign the URL only, the URL
//! carrying `bodySHA256=<hex SHA-256 of the body>`.

use base64::Engine as _;
use ring::{digest, hmac};

/// Name of the header.
pub const HEADER: &str = "X-Twilio-Signature";

/// The string that is MAC'd: `url`, then for each name in byte order each of its distinct
/// values in byte order, written `name` + `value` without separators.
pub fn signing_string(url: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut s = String::with_capacity(
        url.len() + pairs.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
    );
    s.push_str(url);
    for (k, v) in pairs {
        s.push_str(k);
        s.push_str(v);
    }
    s
}

/// `X-Twilio-Signature` of a form-encoded request (or of a JSON-bodied one, with no params and
/// the `bodySHA256` URL from [`url_with_body_sha256`]).
pub fn signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, auth_token.as_bytes());
    let tag = hmac::sign(&key, signing_string(url, params).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
}

/// Lower-case hex SHA-256 of a body.
pub fn body_sha256_hex(body: &[u8]) -> String {
    digest::digest(&digest::SHA256, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `url` with `bodySHA256=<hex>` appended to its query string.
pub fn url_with_body_sha256(url: &str, body: &[u8]) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}bodySHA256={}", body_sha256_hex(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn rows() -> Vec<Value> {
        let v: Value =
            serde_json::from_str(include_str!("../../tests/data/verify_vectors.json")).unwrap();
        v["webhook_signature"]["rows"].as_array().unwrap().clone()
    }

    fn params(row: &Value) -> Vec<(String, String)> {
        row["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn published_vectors() {
        let rows = rows();
        assert_eq!(rows.len(), 6);
        for row in &rows {
            let url = row["url"].as_str().unwrap();
            let token = row["token"].as_str().unwrap();
            assert_eq!(
                signature(token, url, &params(row)),
                row["expected"].as_str().unwrap(),
                "{url}"
            );
        }
    }

    #[test]
    fn body_sha256_variant() {
        let row = &rows()[4];
        let body = row["body"].as_str().unwrap();
        let signed_url = row["url"].as_str().unwrap();
        let (base, _) = signed_url.split_once("&bodySHA256=").unwrap();
        assert_eq!(url_with_body_sha256(base, body.as_bytes()), signed_url);
        assert_eq!(
            signature("12345", &url_with_body_sha256(base, body.as_bytes()), &[]),
            row["expected"].as_str().unwrap()
        );
        assert_eq!(
            url_with_body_sha256("https://a/b", b""),
            "https://a/b?bodySHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn order_and_duplicates_do_not_matter_but_values_do() {
        let p = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let a = signature(
            "t",
            "https://x/y",
            &p(&[("b", "2"), ("a", "1"), ("a", "0")]),
        );
        let b = signature(
            "t",
            "https://x/y",
            &p(&[("a", "0"), ("a", "1"), ("b", "2"), ("a", "1")]),
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            signature("t", "https://x/y", &p(&[("a", "1"), ("b", "2")]))
        );
        assert_ne!(
            a,
            signature(
                "u",
                "https://x/y",
                &p(&[("a", "0"), ("a", "1"), ("b", "2")])
            )
        );
        assert_eq!(
            signing_string("U", &p(&[("b", "2"), ("a", "1"), ("a", "0")])),
            "Ua0a1b2"
        );
    }
}
