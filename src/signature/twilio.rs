//! `X-Twilio-Signature`: the signature Twilio puts on the webhooks it sends (Verify Push
//! events, verify-v2.md §4.5), verified offline.
//!
//! ```text
//! base64( HMAC-SHA1( auth_token, url + name1 + value1 + name2 + value2 + ... ) )
//! ```
//!
//! `url` is the full URL Twilio requested (scheme, host, optional port, path, query string);
//! the form parameters follow, names in byte order and, for a repeated name, each of its
//! distinct values in byte order, with no separators. A JSON-bodied webhook signs the URL alone:
//! its query carries `bodySHA256=<hex SHA-256 of the body>`, which [`verify`] checks against
//! the body. As twilio-python's `RequestValidator` does, a URL with a port is also tried
//! without it, and one without a port with the scheme's default port (`:443` for `https`,
//! `:80` otherwise), because proxies add or drop the default port on the way.
//!
//! ```
//! use authy::signature::twilio;
//!
//! let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
//! let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
//!             &From=%2B14158675309&To=%2B18005551212";
//! assert!(twilio::verify("12345", url, body.as_bytes(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").is_ok());
//! assert!(twilio::verify("12346", url, body.as_bytes(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").is_err());
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

use super::{MAX_PARAMS_LEN, SignatureError};

/// Length in bytes of an HMAC-SHA1 tag.
const TAG_LEN: usize = 20;

/// Name of the header Twilio sends the signature in.
pub const HEADER: &str = "X-Twilio-Signature";

/// The `X-Twilio-Signature` Twilio would send for a form-encoded request to `url` with
/// `params` (decoded name/value pairs, in any order; repeats allowed). For a JSON-bodied
/// request pass no params and a `url` carrying `bodySHA256`. To check a received request use
/// [`verify`], which compares in constant time.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
) -> Result<String, SignatureError> {
    check_args(auth_token, url)?;
    let pairs = sorted_pairs(params);
    Ok(BASE64.encode(mac(auth_token, url, &pairs).finalize().into_bytes()))
}

/// Checks a received webhook: `url` is the full URL Twilio requested (as configured in Twilio;
/// behind a proxy, the public one), `body` the raw request body (a form, or JSON when the
/// URL's query has `bodySHA256`; empty for a GET webhook, whose parameters are in the URL),
/// `signature` the `X-Twilio-Signature` header value.
///
/// `Ok(())` only when the signature matches (constant-time comparison) and, for a JSON body,
/// the body's SHA-256 is the URL's `bodySHA256`. [`SignatureError::Mismatch`] otherwise,
/// [`SignatureError::BodyHashMismatch`] for a body that is not the one the URL names,
/// [`SignatureError::MalformedSignature`] for a header that is not base64 of 20 bytes;
/// an empty Auth Token or URL is a caller error.
pub fn verify(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    check_args(auth_token, url)?;
    if body.len() > MAX_PARAMS_LEN {
        return Err(SignatureError::TooLarge);
    }
    let params: Vec<(String, String)> = match body_sha256(url) {
        Some(expected) => {
            let actual = hex(&Sha256::digest(body));
            if actual != expected {
                return Err(SignatureError::BodyHashMismatch);
            }
            Vec::new()
        }
        None => form_urlencoded::parse(body).into_owned().collect(),
    };
    verify_params(auth_token, url, &params, signature)
}

/// [`verify`] for parameters already decoded by the application's web framework (a form
/// request; for a JSON body use [`verify`], which checks `bodySHA256`).
pub fn verify_params<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
    signature: &str,
) -> Result<(), SignatureError> {
    check_args(auth_token, url)?;
    // 24 base64 characters of a 20-byte tag; 24 decode to at most 18 + 2 padding: room for 24.
    let mut tag = [0u8; 24];
    match BASE64.decode_slice(signature.as_bytes(), &mut tag) {
        Ok(TAG_LEN) => {}
        _ => return Err(SignatureError::MalformedSignature),
    }
    let pairs = sorted_pairs(params);
    // Both spellings are MAC'd and compared, whichever matches.
    let mut ok = false;
    for candidate in [Some(url.to_string()), other_port_spelling(url)]
        .into_iter()
        .flatten()
    {
        ok |= mac(auth_token, &candidate, &pairs)
            .verify_slice(&tag[..TAG_LEN])
            .is_ok();
    }
    if ok {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn check_args(auth_token: &str, url: &str) -> Result<(), SignatureError> {
    if auth_token.is_empty() {
        return Err(SignatureError::EmptyAuthToken);
    }
    if url.is_empty() {
        return Err(SignatureError::EmptyUrl);
    }
    Ok(())
}

/// The distinct pairs in byte order (names first, then values: a tuple's order).
fn sorted_pairs<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn mac(auth_token: &str, url: &str, pairs: &[(&str, &str)]) -> Hmac<Sha1> {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key length");
    mac.update(url.as_bytes());
    for (k, v) in pairs {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac
}

/// The first `bodySHA256` of the URL's query, decoded.
fn body_sha256(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "bodySHA256")
        .map(|(_, v)| v.into_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The URL with its port removed (when it has one) or with the scheme's default port added
/// (when it has none); `None` for a URL without `scheme://`.
fn other_port_spelling(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    // The host and port follow any user information.
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let port_colon = host_port
        .rfind(':')
        .filter(|&i| !host_port[i..].contains(']'))
        .map(|i| host_start + i);
    let authority = match port_colon {
        Some(i) => authority[..i].to_string(),
        None => {
            let port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            format!("{authority}:{port}")
        }
    };
    Some(format!("{scheme}://{authority}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_spellings_like_request_validator() {
        let o = |u: &str| other_port_spelling(u);
        assert_eq!(
            o("https://a.example/x?y=1").as_deref(),
            Some("https://a.example:443/x?y=1")
        );
        assert_eq!(
            o("https://a.example:443/x").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            o("http://a.example").as_deref(),
            Some("http://a.example:80")
        );
        assert_eq!(
            o("http://a.example:1234/p").as_deref(),
            Some("http://a.example/p")
        );
        assert_eq!(
            o("https://u:p@a.example/x").as_deref(),
            Some("https://u:p@a.example:443/x")
        );
        assert_eq!(o("http://[::1]/x").as_deref(), Some("http://[::1]:80/x"));
        assert_eq!(o("http://[::1]:8080/x").as_deref(), Some("http://[::1]/x"));
        assert_eq!(o("no-scheme"), None);
    }

    #[test]
    fn malformed_and_argument_errors() {
        let url = "https://a.example/x";
        let good = sign("t", url, &[("a", "1")]).unwrap();
        assert_eq!(good.len(), 28);
        assert!(verify("t", url, b"a=1", &good).is_ok());
        for bad in [
            "",
            " ",
            "abc",
            &format!(" {good}"),
            &good[..27],
            &format!("{good}A"),
        ] {
            assert_eq!(
                verify("t", url, b"a=1", bad),
                Err(SignatureError::MalformedSignature),
                "{bad:?}"
            );
        }
        assert_eq!(
            verify("", url, b"", &good),
            Err(SignatureError::EmptyAuthToken)
        );
        assert_eq!(verify("t", "", b"", &good), Err(SignatureError::EmptyUrl));
        assert!(SignatureError::EmptyAuthToken.is_argument_error());
        let huge = vec![b'a'; MAX_PARAMS_LEN + 1];
        assert_eq!(
            verify("t", url, &huge, &good),
            Err(SignatureError::TooLarge)
        );
        // The token never shows in an error.
        let e = verify("secret-token", url, b"a=2", &good).unwrap_err();
        assert_eq!(e, SignatureError::Mismatch);
        assert!(!e.to_string().contains("secret-token"));
    }
}
