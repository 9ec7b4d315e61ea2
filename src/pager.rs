//! Twilio list pages (verify-v2.md §1.6): the first request carries `PageSize`; each answer's
//! `meta.next_page_url` is followed as is until it is `null` — but only when it has the base
//! URL's origin (scheme, host, port), checked **before** the request (and the credentials) go
//! out. Each page has its own body limit ([`MAX_PAGE_BODY_BYTES`]).

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::validation;

/// The largest body of one list page (8 MiB: up to 1000 records of a few kB each).
pub const MAX_PAGE_BODY_BYTES: usize = 8 << 20;

/// The path and query of `next_page_url` when it is on `base`'s origin (`base` as normalized
/// by the builder: `scheme://host[:port]`; scheme and host compared without regard to case, the
/// port as written — an added default port is another spelling and is not followed). An
/// [`ErrorKind::Decode`] error otherwise: the answer names a URL the credentials must not go
/// to, or one that cannot be sent as it is.
pub(crate) fn next_path(base: &str, next_page_url: &str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::new(
            ErrorKind::Decode,
            format!("Invalid next_page_url in the answer: {why}; not followed"),
        )
    };
    if !next_page_url.bytes().all(|b| b.is_ascii_graphic()) || next_page_url.contains(['#', '\\']) {
        return Err(refuse("not a plain URL"));
    }
    let rest = next_page_url
        .get(..base.len())
        .filter(|origin| origin.eq_ignore_ascii_case(base))
        .map(|_| &next_page_url[base.len()..])
        .ok_or_else(|| refuse("not on the base URL's origin"))?;
    if !rest.starts_with('/') {
        return Err(refuse("not on the base URL's origin"));
    }
    validation::query_length(rest.len()).map_err(|_| refuse("too long"))?;
    Ok(rest.to_string())
}

/// The records of a list page: the array named by `meta.key`, or else the one key that is not
/// `meta`; empty when there is none.
pub(crate) fn records(json: Option<&Value>) -> &[Value] {
    let Some(obj) = json.and_then(Value::as_object) else {
        return &[];
    };
    let key = obj
        .get("meta")
        .and_then(|m| m.get("key"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            let mut others = obj.keys().filter(|k| *k != "meta");
            match (others.next(), others.next()) {
                (Some(k), None) => Some(k.clone()),
                _ => None,
            }
        });
    key.and_then(|k| obj.get(&k))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_only_on_the_same_origin() {
        let base = "http://127.0.0.1:8080";
        assert_eq!(
            next_path(
                base,
                "http://127.0.0.1:8080/v2/Services?PageSize=1&Page=1&PageToken=PT1"
            )
            .unwrap(),
            "/v2/Services?PageSize=1&Page=1&PageToken=PT1"
        );
        assert_eq!(
            next_path(
                "https://verify.twilio.com",
                "HTTPS://Verify.Twilio.com/v2/Services?Page=1"
            )
            .unwrap(),
            "/v2/Services?Page=1"
        );
        for bad in [
            "https://127.0.0.1:8080/v2/Services",
            "http://127.0.0.1:8081/v2/Services",
            "http://127.0.0.1:8080.evil.example/v2/Services",
            "http://127.0.0.1:80800/v2",
            "http://evil.example/v2/Services",
            "http://user@127.0.0.1:8080/v2/Services",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080?x",
            "//127.0.0.1:8080/v2/Services",
            "/v2/Services?Page=1",
            "http://127.0.0.1:8080/v2/Services#frag",
            "http://127.0.0.1:8080/v2/Ser vices",
            "http://127.0.0.1:8080\\@evil.example/",
            "http://127.0.0.1:8080/v2/\u{e9}",
            "",
        ] {
            let e = next_path(base, bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{bad}");
            assert!(e.message().contains("not followed"), "{bad}");
        }
        // An added default port is another spelling: refused rather than guessed at.
        assert!(
            next_path(
                "https://verify.twilio.com",
                "https://verify.twilio.com:443/v2"
            )
            .is_err()
        );
        let long = format!("{base}/v2/Services?PageToken={}", "a".repeat(9000));
        assert!(next_path(base, &long).is_err());
    }

    #[test]
    fn records_by_meta_key_or_the_only_other_key() {
        let j = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        let page = j(r#"{"services":[{"sid":"VA1"},{"sid":"VA2"}],"meta":{"key":"services"}}"#);
        assert_eq!(records(Some(&page)).len(), 2);
        let no_key = j(r#"{"entities":[{"sid":"YE1"}],"meta":{}}"#);
        assert_eq!(records(Some(&no_key)).len(), 1);
        let two = j(r#"{"a":[1],"b":[2],"meta":{}}"#);
        assert!(records(Some(&two)).is_empty());
        assert!(records(None).is_empty());
        assert!(records(Some(&j(r#"{"meta":{"key":"x"},"x":{}}"#))).is_empty());
    }
}
